"""The one-way architecture: no import cycle, no edge from the library into the build, each fact in one file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from helpers import ROOT

SRC = ROOT / "src"
PACKAGES = ("article_data", "article_data_build", "article_data_bench")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The project modules a file imports (absolute or relative, at any depth of the file)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if node.module or not node.level:  # `from . import x` imports the submodule x, not the package
                found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for package in PACKAGES for p in (SRC / package).rglob("*.py")}
    return {name: {m for m in imports(path) if m in modules and m != name} for name, path in modules.items()}


def test_the_library_never_imports_the_build_or_the_benchmark() -> None:
    """No module of article_data imports article_data_build or article_data_bench."""
    edges = [
        (a, b)
        for a, targets in graph().items()
        if a.startswith("article_data.") or a == "article_data"
        for b in targets
        if b.split(".")[0] != "article_data"
    ]
    assert edges == []


def test_the_import_graph_has_no_cycle() -> None:
    """Following imports between the project's modules never comes back to where it started."""
    edges = graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycle.extend([*path[path.index(target) :], target] if target in path else [node, target])
                return True
            if state.get(target) is None and visit(target, [*path, target]):
                return True
        state[node] = 2
        return False

    for start in sorted(edges):
        if state.get(start) is None and visit(start, [start]):
            break
    # Package __init__ modules that re-export their own submodules are not cycles of logic.
    assert not cycle or all(part.count(".") == 0 or part.rsplit(".", 1)[0] == cycle[0] for part in cycle[1:]), cycle


def code_files() -> list[Path]:
    return [p for package in PACKAGES for p in (SRC / package).rglob("*.py")]


#: A fact -> (a pattern that states it, the one file allowed to state it).
FACTS = {
    "the quote-type groups": (r'"direct", "partial"', "article_data/_vocabulary.py"),
    "the closing mark": (r"\\u201d|”", "article_data/_vocabulary.py"),
    "date precision from the length of an ISO date": (r'\{4: "year"', "article_data/_vocabulary.py"),
    "the entity table to id column map": (r'"people": "person_id"', "article_data/_vocabulary.py"),
    "the sha256: prefix": (r'"sha256:"', "article_data/_hashes.py"),
    "the Parquet media type": (r"application/(x-parquet|vnd\.apache\.parquet)", "article_data/_vocabulary.py"),
    "the Table Schema type map": (r'"integer": \(', "article_data/_types.py"),
    "the table list": (r'"paragraphs",\s*"quotes",\s*"people"', None),
}


@pytest.mark.parametrize("fact", list(FACTS))
def test_each_fact_is_stated_in_one_file(fact: str) -> None:
    """Grep finds each shared fact in exactly one source file (or, for the table list, in no code at all)."""
    pattern, home = FACTS[fact]
    where = sorted(str(p.relative_to(SRC)) for p in code_files() if re.search(pattern, p.read_text(encoding="utf-8")))
    assert where == ([home] if home else []), where


#: Names shared by the library and the build (and facts of the library): each is defined in exactly one module.
SHARED_DEFINITIONS = {
    "Format": "article_data/_names.py",
    "FORMATS": "article_data/_names.py",
    "ExportFormat": "article_data/_names.py",
    "EXPORT_FORMATS": "article_data/_names.py",
    "DESCRIPTOR": "article_data/_names.py",
    "STATE_DIR": "article_data/_names.py",
    "SWAP_JOURNAL": "article_data/_names.py",
    "RELEASE_ZIP": "article_data/_names.py",
    "SEMVER": "article_data/_names.py",
    "VERSION": "article_data/_names.py",
    "table_resource": "article_data/_names.py",
    "schema_resource": "article_data/_names.py",
    "schema_path": "article_data/_names.py",
    "release_zip": "article_data/_names.py",
    "ROOT": "article_data_build/layout.py",
    "Row": "article_data/_formats.py",
    "TYPES": "article_data/_types.py",
    "LIMITS": "article_data/_descriptor.py",
}


def top_level_definitions(tree: ast.Module) -> set[str]:
    """The names a module defines at its top level (assignments, functions, classes), not those it imports."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("name", list(SHARED_DEFINITIONS))
def test_each_shared_name_is_defined_in_one_module(name: str) -> None:
    """A shared name (a format list, a resource or release name, the repository root) is defined once, and
    every other module imports it: a second definition, even with the same value, fails.
    """
    defined = sorted(
        str(p.relative_to(SRC))
        for p in code_files()
        if name in top_level_definitions(ast.parse(p.read_text(encoding="utf-8")))
    )
    assert defined == [SHARED_DEFINITIONS[name]], defined


def test_organization_is_spelled_one_way_in_code() -> None:
    """The code says "organization" (as the tables do), never "organisation"."""
    assert [str(p) for p in code_files() if "organisation" in p.read_text(encoding="utf-8")] == []


#: Size limits in statements (formatting changes lines, not statements): a module, a class, a function.
MAX_MODULE_STATEMENTS, MAX_CLASS_STATEMENTS, MAX_FUNCTION_STATEMENTS = 260, 90, 50


def statements(node: ast.AST) -> int:
    """Statements inside ``node`` (a docstring counts as one), not counting ``node`` itself."""
    return sum(isinstance(inner, ast.stmt) for inner in ast.walk(node)) - isinstance(node, ast.stmt)


def test_no_module_class_or_function_is_too_big() -> None:
    """No module over 260 statements, no class over 90, no function over 50: each does one job."""
    too_big = []
    for path in code_files():
        rel = str(path.relative_to(SRC))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if statements(tree) > MAX_MODULE_STATEMENTS:
            too_big.append(f"{rel}: {statements(tree)} statements")
        for node in ast.walk(tree):
            limit = {ast.ClassDef: MAX_CLASS_STATEMENTS, ast.FunctionDef: MAX_FUNCTION_STATEMENTS}.get(type(node))
            if limit is not None and statements(node) > limit:
                too_big.append(f"{rel}:{node.lineno} {node.name}: {statements(node)} statements")  # type: ignore[attr-defined]
    assert not too_big, too_big


def test_type_checking_is_spelled_one_way() -> None:
    """Every module that guards imports for type checkers defines ``TYPE_CHECKING = False`` itself
    (mypy reads the block as true; nothing imports typing for it), never ``typing.TYPE_CHECKING``.
    """
    astray = []
    for path in code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = any(
            isinstance(n, ast.If) and isinstance(n.test, ast.Name) and n.test.id == "TYPE_CHECKING" for n in tree.body
        )
        defined = any(
            isinstance(n, ast.Assign)
            and [getattr(t, "id", None) for t in n.targets] == ["TYPE_CHECKING"]
            and isinstance(n.value, ast.Constant)
            and n.value.value is False
            for n in tree.body
        )
        imported = any(
            isinstance(n, ast.ImportFrom) and any(a.name == "TYPE_CHECKING" for a in n.names) for n in ast.walk(tree)
        ) or "typing.TYPE_CHECKING" in ast.unparse(tree)
        if imported or (guarded and not defined):
            astray.append(str(path.relative_to(ROOT)))
    assert not astray, astray
