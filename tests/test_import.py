"""Importing article_data is cheap: the heavy libraries load on first use, not at import."""

from __future__ import annotations

import json

from helpers import BIN, run

HEAVY = ("pandas", "pyarrow", "pandera", "frictionless", "numpy", "yaml")


def test_import_loads_no_heavy_library() -> None:
    """`import article_data` imports none of pandas, pyarrow, pandera, frictionless, numpy."""
    code = "import sys, json, article_data; print(json.dumps(sorted(sys.modules)))"
    modules = json.loads(run(BIN / "python", "-c", code, check=True).stdout)
    assert not [m for m in modules if m.split(".")[0] in HEAVY]


def test_first_load_brings_pandas_in() -> None:
    """The first load() imports pandas and pyarrow, and returns a DataFrame."""
    code = (
        "import sys, article_data as ad; f = ad.load('places'); "
        "print(type(f).__name__, 'pandas' in sys.modules, 'pyarrow' in sys.modules)"
    )
    assert run(BIN / "python", "-c", code, check=True).stdout.split() == ["DataFrame", "True", "True"]


def test_every_public_function_has_type_hints_that_resolve_at_run_time() -> None:
    """typing.get_type_hints works on each public function of article_data (the lazy names resolve on demand)."""
    code = (
        "import inspect, typing, article_data as ad\n"
        "names = [n for n in ad.__all__ if inspect.isroutine(getattr(ad, n))]\n"
        "print(len(names), all(typing.get_type_hints(getattr(ad, n)) for n in names))"
    )
    count, ok = run(BIN / "python", "-c", code, check=True).stdout.split()
    assert int(count) >= 14 and ok == "True"


def test_verify_checks_bytes_without_pandas_pyarrow_or_the_schema_checker() -> None:
    """`article-data verify` (and `ad.verify()`) hashes files only: no heavy library, no Table Schema parsing,
    no zip reader for a folder; what it leaves out is what keeps it near the bare interpreter's start-up.
    """
    code = (
        "import sys, json, io, contextlib\n"
        "from article_data._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): assert main(['verify']) == 0\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    modules = set(json.loads(run(BIN / "python", "-c", code, check=True).stdout))
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    left_out = {"article_data._tableschema", "zipfile", "dataclasses", "shutil", "importlib.resources"}
    assert modules.isdisjoint(left_out), sorted(modules & left_out)
