"""What the project depends on is declared once, in pyproject.toml; the lock files are resolved from it."""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from helpers import ROOT, run

sys.path.insert(0, str(ROOT / "scripts"))
import pythons

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = ("requirements.lock", "requirements-tools.lock", "requirements-v2.lock")
UV = ROOT / ".venv-tools" / "bin" / "uv"


def pins(lock: Path) -> dict[str, list[Version]]:
    """Every ``name==version`` of a lock file, by normalised name (a universal lock may pin one per Python)."""
    found: dict[str, list[Version]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"([A-Za-z0-9._-]+)==([^ ;]+)", line):
            found.setdefault(normalised(match.group(1)), []).append(Version(match.group(2)))
    return found


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_and_extras() -> list[Requirement]:
    project = PYPROJECT["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return [Requirement(r) for r in [*project["dependencies"], *extras]]


@pytest.mark.parametrize("requirement", runtime_and_extras(), ids=str)
def test_every_lower_bound_is_the_version_the_suite_runs_on(requirement: Requirement) -> None:
    """Declared lower bounds are tested: each is the oldest version requirements.lock pins for that package."""
    locked = pins(ROOT / "requirements.lock").get(normalised(requirement.name))
    assert locked, (
        f"{requirement.name} is declared in pyproject.toml but not pinned in requirements.lock: run make lock"
    )
    lower = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert lower == [min(locked)], (
        f"{requirement} in pyproject.toml: expected the lower bound >={min(locked)} "
        "(the version requirements.lock pins, which the suite runs on)"
    )


def test_the_lowest_python_ci_runs_is_the_lowest_the_package_allows() -> None:
    """requires-python and the version classifiers (the Pythons CI runs the suite on) agree."""
    versions = pythons.versions()
    assert versions == sorted(set(versions), key=lambda v: tuple(map(int, v.split("."))))
    allowed = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert all(Version(v) in allowed for v in versions)
    assert Version(versions[0]) in allowed and Version(f"3.{int(versions[0].split('.')[1]) - 1}") not in allowed
    assert "{}.{}".format(*sys.version_info[:2]) in versions, "the suite runs on a Python the classifiers do not name"


def test_pythons_finds_an_interpreter_of_each_version_or_says_what_to_do() -> None:
    running = "{}.{}".format(*sys.version_info[:2])
    found = pythons.find(running)
    assert run(found, "-c", "import sys; print(sys.version_info[:2])", check=True).stdout.strip() == str(
        sys.version_info[:2]
    )
    with pytest.raises(SystemExit, match=r"no Python 3\.99 found .*pyenv install 3\.99"):
        pythons.find("3.99")


@pytest.mark.slow
def test_the_lock_files_are_what_the_resolver_gives_from_pyproject(tmp_path: Path) -> None:
    """`make lock` (uv pip compile) over the committed locks changes nothing: every declared package is
    pinned, every pin is inside its declared range, and nothing else is pinned.
    """
    assert UV.exists(), f"expected uv at {UV}: make tools installs it from requirements-tools.lock"
    for name in LOCKS:
        shutil.copy(ROOT / name, tmp_path / name)
    run("make", "--no-print-directory", "-C", ROOT, "lock", f"LOCK_DIR={tmp_path}", check=True)
    for name in LOCKS:
        assert (tmp_path / name).read_text(encoding="utf-8") == (ROOT / name).read_text(encoding="utf-8"), (
            f"{name} is not what make lock resolves from pyproject.toml: run make lock and commit the result"
        )
