"""The suite's marker rule: a test that starts a process is an integration test, marked ``slow``."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import BIN, ROOT, run
from processes import process_tests, starting_a_process


def test_the_rule_sees_a_process_through_a_module_helper(tmp_path: Path) -> None:
    """A helper calling `run` makes the test that calls it a process test; a plain test is not one."""
    module = tmp_path / "test_example.py"
    module.write_text(
        "import pytest\n"
        "from helpers import run\n"
        "from article_data_build.assemble import build\n"
        "def cli(*args):\n    return run('article-data', *args)\n"
        "def wrapper():\n    return cli('verify')\n"
        "def test_spawns():\n    wrapper()\n"
        "@pytest.mark.slow\ndef test_marked():\n    cli('info')\n"
        "def test_builds_in_process():\n    build()\n"
        "def test_in_process():\n    assert sum([1, 2]) == 3\n",
        encoding="utf-8",
    )
    assert process_tests(module) == {"test_spawns": False, "test_marked": True}


def test_make_check_collects_no_test_that_starts_a_process() -> None:
    """What `make check` runs (-m "not slow") holds none of the tests the rule finds, and some tests."""
    done = run(
        BIN / "python",
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "-m",
        "not slow",
        "-p",
        "no:cacheprovider",
        cwd=ROOT,
        check=True,
    )
    collected = {re.sub(r"\[.*$", "", line) for line in done.stdout.splitlines() if "::" in line}
    processes = {
        f"tests/{path.name}::{name}" for path in (ROOT / "tests").glob("test_*.py") for name in starting_a_process(path)
    }
    assert len(processes) > 50 and len(collected) > 300
    assert collected & processes == set()
