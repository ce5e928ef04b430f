"""Which tests start a process: the rule conftest.py marks ``slow`` by (tests/test_markers.py checks it).

A test starts a process when its body calls ``subprocess``, ``os.fork``, ``multiprocessing`` or
``helpers.run``/``helpers.build``, or a function of its own module that does (followed to any depth).
`make check` (``-m "not slow"``) is then the unit run: tests that call the library in-process.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

#: What starts a process, by the name called (``subprocess.run`` is ``run`` on ``subprocess``).
SPAWNING_MODULES = {"subprocess", "multiprocessing"}
HELPERS_SPAWNING = {"run", "build"}  # tests/helpers.py: a command, the build as a command


def _called(node: ast.AST) -> set[str]:
    """The names a function body calls: ``f(...)`` gives f; ``m.f(...)`` gives m.f and f if m spawns."""
    found: set[str] = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Name):
            found.add(func.id)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            found.add(f"{func.value.id}.{func.attr}")
    return found


def _spawning_names(tree: ast.Module) -> set[str]:
    """The bare names that start a process in this module: those imported from helpers or subprocess."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in {"helpers", *SPAWNING_MODULES}:
            names |= {a.asname or a.name for a in node.names if node.module != "helpers" or a.name in HELPERS_SPAWNING}
    return names


def _spawns_directly(called: set[str], names: set[str]) -> bool:
    return any(name in names or name.split(".")[0] in SPAWNING_MODULES or name == "os.fork" for name in called)


def process_tests(path: Path) -> dict[str, bool]:
    """The test functions of a module that start a process, each with whether the module marks it slow itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    calls = {name: _called(node) for name, node in functions.items()}
    names = _spawning_names(tree)
    spawning = {name for name, called in calls.items() if _spawns_directly(called, names)}
    while True:  # helpers of the module that call a spawning helper spawn too
        more = {name for name, called in calls.items() if called & spawning} - spawning
        if not more:
            break
        spawning |= more
    module_slow = any(
        isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in n.targets)
        for n in tree.body
    )
    result = {}
    for name, node in functions.items():
        if not name.startswith("test_") or name not in spawning:
            continue
        marked = module_slow or any("slow" in ast.unparse(d) for d in node.decorator_list)
        result[name] = marked
    return result


@cache
def starting_a_process(path: Path) -> frozenset[str]:
    """The names of the tests in the module at ``path`` that start a process."""
    return frozenset(process_tests(path))
