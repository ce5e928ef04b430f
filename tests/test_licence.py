"""Licences a lawyer and a machine can read: REUSE.toml, LICENSES/, the wheel's metadata and datapackage.json agree."""

from __future__ import annotations

import json
import os
import re
import tomllib
import zipfile
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import BIN, ROOT, run

TOOLS_BIN = ROOT / ".venv-tools" / "bin"
INSTALL_TOOLS = "make tools  (creates .venv-tools from requirements-tools.lock)"
OPERATORS = {"AND", "OR", "WITH"}


def tool(name: str) -> Path:
    """The path of a tool in the tool venv; a missing venv fails under CI=true and skips elsewhere."""
    path = TOOLS_BIN / name
    if not path.exists():
        message = f"{path} is missing; install it with: {INSTALL_TOOLS}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def licence_ids(expression: str) -> set[str]:
    """The licence ids named in an SPDX expression (operators and parentheses dropped)."""
    return {token for token in re.findall(r"[A-Za-z0-9.+-]+", expression) if token not in OPERATORS}


def reuse_licences() -> set[str]:
    """Every licence id that REUSE.toml gives to some file."""
    document = tomllib.loads((ROOT / "REUSE.toml").read_text(encoding="utf-8"))
    ids: set[str] = set()
    for annotation in document["annotations"]:
        ids |= licence_ids(annotation["SPDX-License-Identifier"])
    return ids


def reuse_file_licences() -> dict[str, set[str]]:
    """The licence ids of each file, as `reuse spdx` resolves REUSE.toml (path relative to the root)."""
    result = run(tool("reuse"), "--root", ROOT, "spdx", cwd=ROOT, check=True)
    files: dict[str, set[str]] = {}
    current: str | None = None
    for line in result.stdout.splitlines():
        if line.startswith("FileName: "):
            current = line.removeprefix("FileName: ").removeprefix("./")
            files[current] = set()
        elif line.startswith("LicenseInfoInFile: ") and current is not None:
            files[current] |= licence_ids(line.removeprefix("LicenseInfoInFile: "))
    return files


def test_reuse_lint_passes() -> None:
    """`reuse lint` (the REUSE tool, from the tool venv) finds every file licensed and every licence text present."""
    result = run(tool("reuse"), "--root", ROOT, "lint", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_licence_has_its_full_text_in_licenses() -> None:
    """LICENSES/ holds exactly one text per licence id used in REUSE.toml, named <id>.txt."""
    texts = {path.stem for path in (ROOT / "LICENSES").glob("*.txt")}
    assert texts == reuse_licences() == {"MIT", "CC-BY-4.0", "LicenseRef-TIME-Article-Third-Party"}
    for path in (ROOT / "LICENSES").iterdir():
        assert path.suffix == ".txt" and path.stat().st_size > 0, path


@pytest.fixture(scope="module")
def wheel_metadata(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """License-Expression and License-File entries of a wheel built from this checkout (as tests/test_wheel.py builds it)."""
    out = tmp_path_factory.mktemp("licence-wheel")
    run(BIN / "python", "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT, check=True)
    (wheel,) = out.glob("article_data-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        licence_texts = [n for n in archive.namelist() if ".dist-info/licenses/" in n]
        metadata = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    assert len(licence_texts) == len(metadata.get_all("License-File") or [])
    return str(metadata["License-Expression"]), list(metadata.get_all("License-File") or [])


def test_wheel_license_expression_names_the_reuse_licences(wheel_metadata: tuple[str, list[str]]) -> None:
    """The wheel's License-Expression names exactly the licences of REUSE.toml, and ships each one's text."""
    expression, licence_files = wheel_metadata
    assert licence_ids(expression) == reuse_licences()
    assert not licence_ids(expression) & OPERATORS and " OR " not in expression  # every part applies: AND only
    assert sorted(licence_files) == sorted(f"LICENSES/{lic}.txt" for lic in reuse_licences())


def _descriptor_licences(descriptor: dict[str, Any]) -> dict[str, set[str]]:
    """The licence names datapackage.json gives each file it lists (a resource's own, else the package's)."""
    package = {str(lic["name"]) for lic in descriptor.get("licenses", [])}
    files = {"datapackage.json": package}
    for resource in descriptor["resources"]:
        own = {str(lic["name"]) for lic in resource.get("licenses", [])}
        files[str(resource["path"])] = own or package
    return files


def test_datapackage_licences_are_the_reuse_licences_of_its_files() -> None:
    """datapackage.json names, for every file it lists, the SPDX ids REUSE.toml gives that file (text: LicenseRef; tables: CC-BY-4.0)."""
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    declared = _descriptor_licences(descriptor)
    reuse = reuse_file_licences()
    assert {path: reuse.get(path) for path in declared} == declared
    assert declared["data/article.txt"] == {"LicenseRef-TIME-Article-Third-Party"}
    assert set().union(*declared.values()) <= reuse_licences()


def test_package_yaml_licences_are_the_reuse_licences_of_the_files_they_describe() -> None:
    """annotations/package.yaml (the build's input) gives the tables and the article text the SPDX ids REUSE.toml gives them."""
    metadata = yaml.safe_load((ROOT / "annotations" / "package.yaml").read_text(encoding="utf-8"))
    package = {lic["name"] for lic in metadata["licenses"]}
    article = {lic["name"] for lic in metadata["article"]["licenses"]}
    reuse = reuse_file_licences()
    assert reuse["data/article.txt"] == reuse["annotations/article.txt"] == article
    tables = sorted(path for path in reuse if path.startswith("data/") and path.endswith((".csv", ".parquet")))
    assert tables and all(reuse[path] == package for path in tables)
    assert reuse["datapackage.json"] == package
