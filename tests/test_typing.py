"""The library is typed: `py.typed` ships and `mypy --strict` passes on the package and its public API."""

from __future__ import annotations

from helpers import BIN, ROOT, run


def test_mypy_strict_passes() -> None:
    """Mypy --strict finds no error in the library, the build, the benchmark and tests/typing_check.py."""
    result = run(BIN / "mypy", "--strict", cwd=ROOT)  # the files are pyproject.toml's [tool.mypy] files
    assert result.returncode == 0, result.stdout


def test_py_typed_marker_ships() -> None:
    """The PEP 561 marker is in the package."""
    assert (ROOT / "src" / "article_data" / "py.typed").is_file()
