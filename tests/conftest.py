"""Shared fixtures: throw-away copies of the package and of the build's inputs."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import PACKAGE_FILES, copy_paths
from processes import starting_a_process

#: The page's fixtures (the rendered page, Chromium, the browser's DOM) live with its helpers.
pytest_plugins = ["render_support"]

#: Test modules that run a heavy tool or many child processes (the wheel, mypy, a browser, fuzzing,
#: the build killed at each stage, hostile inputs under a memory limit, Spark, Datasette, npm, HF):
#: marked ``slow``, as is every other test that starts a process (tests/processes.py). ``make test`` (CI) runs everything; ``make check`` runs the rest, the unit tests.
SLOW_MODULES = frozenset(
    {
        "test_bench",
        "test_build",
        "test_build_loader",
        "test_build_paths",
        "test_build_publish",
        "test_build_release",
        "test_citation",
        "test_ecosystem",
        "test_fuzz",
        "test_hostile",
        "test_licence",
        "test_release_export",
        "test_render_browser",
        "test_sqlite",
        "test_typing",
        "test_untrusted",
        "test_wheel",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test of a slow module and every test that starts a process (tests/processes.py)."""
    for item in items:
        function = getattr(item, "originalname", item.name)
        if item.path.stem in SLOW_MODULES or (
            item.path.stem.startswith("test_") and function in starting_a_process(item.path)
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the published package (descriptor, data, schemas) in a temporary folder."""
    return copy_paths(PACKAGE_FILES, tmp_path / "package")


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the build's inputs and outputs, so build tests never touch the repository."""
    return copy_paths(
        ("annotations", "schemas", "data", "SHA256SUMS", "datapackage.json", "DATA_DICTIONARY.md"), tmp_path / "repo"
    )


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"network access attempted during an offline test: {args!r}")


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    """Fail any test that opens a network connection (metadata tools must not fetch anything)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("connect", "connect_ex"):
            patch.setattr(socket.socket, name, _refuse)
        patch.setattr(socket, "create_connection", _refuse)
        patch.setattr(socket, "getaddrinfo", _refuse)
        yield
