"""The code passes ruff's lint and format checks as configured in pyproject.toml (ruff pinned in requirements.lock)."""

from __future__ import annotations

from helpers import BIN, ROOT, run


def test_ruff_check_is_clean() -> None:
    done = run(BIN / "ruff", "check", "--no-cache", "--output-format", "concise", ROOT, cwd=ROOT)
    assert done.returncode == 0, f"ruff check found problems (fix them, or `ruff check --fix`):\n{done.stdout}"


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    done = run(BIN / "ruff", "format", "--no-cache", "--check", ROOT, cwd=ROOT)
    assert done.returncode == 0, f"ruff format would change these files (run `ruff format`):\n{done.stdout}"
