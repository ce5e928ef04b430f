"""Releases (article_data_build.release): reproducible zips, the version guard, and `make release` artifacts."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import article_data as ad
from article_data_build.model import BuiltPackage
from article_data_build.release import (
    check_version,
    kept_releases,
    published_files,
    write_release,
    zip_bytes,
)
from article_data_build.synthetic import scaled_package
from article_data_build.writer import package_files as built_files
from helpers import BIN, ROOT, build, edit, run


@pytest.fixture(scope="module")
def current() -> BuiltPackage:
    return scaled_package(ad.Package(ad.path()), 1)


def released(root: Path, package: BuiltPackage, version: str) -> None:
    """Keep ``package`` under ``version`` in root/releases, as `make release` would."""
    files, _ = built_files(replace(package, metadata=dict(package.metadata, version=version)))
    write_release(root, {k: v for k, v in files.items()}, version)


def staged(folder: Path, package: BuiltPackage, version: str) -> Path:
    files, _ = built_files(replace(package, metadata=dict(package.metadata, version=version)))
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def test_the_same_package_zips_to_the_same_bytes() -> None:
    """zip_bytes is a function of the members: same bytes twice, datapackage.json first, stored, fixed date."""
    members = published_files(root=ROOT)
    first, second = zip_bytes(members), zip_bytes(dict(reversed(list(members.items()))))
    assert first == second
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "datapackage.json"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {(i.date_time, i.compress_type, i.external_attr >> 16) for i in infos} == {
            ((1980, 1, 1, 0, 0, 0), zipfile.ZIP_STORED, 0o100644)
        }


def test_releases_keeps_every_version_with_its_sums() -> None:
    """releases/ holds 1.0.0 (and every later release) with a SHA256SUMS line per archive that matches it."""
    kept = kept_releases(ROOT)
    assert "1.0.0" in kept
    sums = dict(line.split("  ")[::-1] for line in (ROOT / "releases" / "SHA256SUMS").read_text().splitlines())
    for version, path in kept.items():
        assert sums[path.name] == ad._hashes.sha256(path.read_bytes()).removeprefix("sha256:"), version
        assert ad.Package(path).version == version


def corrected(package: BuiltPackage) -> BuiltPackage:
    rows = [dict(r) for r in package.tables["figures"]]
    rows[0]["subject"] = "a corrected subject"
    return replace(package, tables=dict(package.tables, figures=rows))


def column_removed(package: BuiltPackage) -> BuiltPackage:
    schema = copy.deepcopy(dict(package.schemas["people"]))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "age"]
    rows = [{k: v for k, v in r.items() if k != "age"} for r in package.tables["people"]]
    return replace(package, tables=dict(package.tables, people=rows), schemas=dict(package.schemas, people=schema))


GUARD = {
    "corrected value as 11.0.1": (corrected, "11.0.1", "understates the change", "the change needs a MINOR bump"),
    "removed column as 11.1.0": (column_removed, "11.1.0", "understates the change", "the change needs a MAJOR bump"),
    "changed data as 11.0.0 again": (corrected, "11.0.0", "is released", "a released version never changes"),
    "same data as 10.9.0": (lambda p: p, "10.9.0", "not above the latest release", ""),
}


@pytest.mark.parametrize("case", list(GUARD))
def test_the_version_guard_refuses_an_understated_version(tmp_path: Path, current: BuiltPackage, case: str) -> None:
    """Against the latest release 11.0.0 (a version no real release has, so the library does not anchor it): a correction needs 11.1.0, a removed column 12.0.0; the message says why."""
    change, version, message, detail = GUARD[case]
    released(tmp_path, current, "11.0.0")
    refused = check_version(tmp_path, staged(tmp_path / "staging", change(current), version))
    assert len(refused) == 1 and message in refused[0] and detail in refused[0], refused


@pytest.mark.parametrize(
    "change, version",
    [(corrected, "11.1.0"), (column_removed, "12.0.0"), (lambda p: p, "11.0.0"), (corrected, "12.0.0")],
)
def test_the_version_guard_accepts_a_sufficient_version(
    tmp_path: Path, current: BuiltPackage, change: object, version: str
) -> None:
    """A bump at least as large as the change needs (or the released package unchanged) passes."""
    released(tmp_path, current, "11.0.0")
    assert check_version(tmp_path, staged(tmp_path / "staging", change(current), version)) == []  # type: ignore[operator]


def test_the_build_refuses_to_republish_a_released_version_with_changes(repo_copy: Path) -> None:
    """End to end: with this version kept in releases/, changed inputs make `make build` refuse and publish nothing."""
    assert build("--inputs", repo_copy).returncode == 0
    shutil.copytree(ROOT / "releases", repo_copy / "releases")
    from article_data_build.release import main as release_main

    assert release_main(["--root", str(repo_copy), "--no-benchmark-check"]) == 0  # keep the current version
    before = (repo_copy / "datapackage.json").read_bytes()
    edit(repo_copy / "annotations" / "figures.yaml", "subject: age of Yan", "subject: Yan's age")
    result = build("--inputs", repo_copy)
    assert result.returncode == 1 and "a released version never changes" in result.stderr
    assert "needs a MINOR bump" in result.stderr and "figures: 1 row(s) corrected" in result.stderr
    assert (repo_copy / "datapackage.json").read_bytes() == before


def tracked_copy(dest: Path) -> Path:
    """The repository's tracked files as they are in the work tree."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, names):
        source = ROOT / name.decode()
        if source.is_file():
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name.decode())
    return dest


def test_make_release_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    """The release artifacts (wheel, sdist, package zip, SHA256SUMS) are byte-identical across two runs."""
    repo = tracked_copy(tmp_path / "repo")
    outputs = []
    for attempt in ("one", "two"):
        dist = tmp_path / attempt
        result = run(
            BIN / "python",
            "-m",
            "article_data_build.release",
            "--root",
            repo,
            "--dist",
            dist,
            "--no-benchmark-check",
            timeout=900,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append({p.name: p.read_bytes() for p in sorted(dist.iterdir())})
    names = set(outputs[0])
    assert {n.rsplit(".", 1)[-1] for n in names} >= {"whl", "gz", "zip"} and "SHA256SUMS" in names
    assert outputs[0] == outputs[1]
    assert f"article-data-{ad.__version__}.zip" in names
    assert (repo / "releases" / f"article-data-{ad.__version__}.zip").read_bytes() == outputs[0][
        f"article-data-{ad.__version__}.zip"
    ]
