"""A package as a zip archive (article_data._archive): the same checks as a folder, and a hostile archive refused."""

from __future__ import annotations

import json
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import article_data as ad
from article_data._hashes import sha256
from article_data_build.release import published_files, zip_bytes
from helpers import BIN, ROOT, run

RELEASE = ROOT / "releases" / "article-data-1.0.0.zip"


def current_members() -> dict[str, bytes]:
    return published_files(root=ROOT)


def write_zip(
    path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]], compression: int = zipfile.ZIP_STORED
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def test_a_zipped_package_loads_the_same_frames_as_the_folder(tmp_path: Path) -> None:
    """Package(zip) verifies, validates and loads every table exactly as the folder does."""
    archive = tmp_path / "pkg.zip"
    archive.write_bytes(zip_bytes(current_members()))
    pkg = ad.Package(archive)
    pkg.verify()
    pkg.validate()
    assert pkg.version == ad.__version__ and pkg.tables == ad.TABLES
    for table in ad.TABLES:
        pd.testing.assert_frame_equal(pkg.load(table), ad.load(table))
        pd.testing.assert_frame_equal(pkg.load(table, format="csv"), ad.load(table))
    assert pkg.article_text() == ad.article_text()
    pd.testing.assert_frame_equal(pkg.sql("SELECT * FROM quotes"), ad.load("quotes"))


def test_the_kept_1_0_0_release_is_what_1_0_0_published() -> None:
    """releases/article-data-1.0.0.zip verifies, and its descriptor is the 1.0.0 descriptor kept beside it."""
    pkg = ad.Package(RELEASE)
    pkg.verify()
    pkg.validate()
    kept = json.loads((ROOT / "releases" / "article-data-1.0.0.datapackage.json").read_text(encoding="utf-8"))
    assert pkg.descriptor() == kept and pkg.version == "1.0.0"
    with zipfile.ZipFile(RELEASE) as archive:
        assert archive.namelist()[0] == "datapackage.json"
        assert (
            archive.read("datapackage.json") == (ROOT / "releases" / "article-data-1.0.0.datapackage.json").read_bytes()
        )
        for resource in kept["resources"]:
            data = archive.read(resource["path"])
            assert (len(data), sha256(data)) == (resource["bytes"], resource["hash"]), resource["path"]


def test_frictionless_validates_the_zipped_release() -> None:
    """The real `frictionless validate` accepts the zipped 1.0.0 release with no error."""
    result = run(BIN / "frictionless", "validate", RELEASE)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "INVALID" not in result.stdout


def symlink_entry() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("data/quotes.csv")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


HOSTILE_ARCHIVES: dict[str, tuple[Callable[[dict[str, bytes]], list[tuple[zipfile.ZipInfo | str, bytes]]], str]] = {
    "absolute member": (lambda m: [*m.items(), ("/etc/cron.d/x", b"x")], "is absolute, escapes the archive"),
    "escaping member": (lambda m: [*m.items(), ("data/../../x", b"x")], "is absolute, escapes the archive"),
    "backslash member": (lambda m: [*m.items(), ("data\\..\\x", b"x")], "is absolute, escapes the archive"),
    "drive letter": (lambda m: [*m.items(), ("C:/x", b"x")], "is absolute, escapes the archive"),
    "duplicate member": (lambda m: [*m.items(), ("data/quotes.csv", m["data/quotes.csv"])], "appears twice"),
    "symlink member": (
        lambda m: [*((k, v) for k, v in m.items() if k != "data/quotes.csv"), (symlink_entry(), b"/etc/passwd")],
        "is a symbolic link",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE_ARCHIVES))
def test_a_hostile_archive_directory_is_refused_before_any_member_is_read(tmp_path: Path, case: str) -> None:
    """Absolute, escaping, duplicate and symlink members make the archive a DescriptorError naming it."""
    change, message = HOSTILE_ARCHIVES[case]
    archive = tmp_path / "hostile.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it is asked to write
        write_zip(archive, change(current_members()))
    for call in (lambda p: p.verify(), lambda p: p.load("places"), lambda p: p.descriptor()):
        with pytest.raises(ad.DescriptorError, match=message) as info:
            call(ad.Package(archive))
        assert str(archive) in str(info.value)


def test_a_zip_bomb_member_is_refused_before_it_is_decompressed(tmp_path: Path) -> None:
    """A member declaring the right size but compressing more than 100:1 is refused when the directory is read."""
    members = current_members()
    bomb = b"\0" * (64 * 1024 * 1024)
    descriptor = json.loads(members["datapackage.json"])
    for resource in descriptor["resources"]:
        if resource["name"] == "places":
            resource["bytes"], resource["hash"] = len(bomb), sha256(bomb)
    members["datapackage.json"] = json.dumps(descriptor).encode()
    members["data/places.csv"] = bomb
    archive = write_zip(tmp_path / "bomb.zip", list(members.items()), compression=zipfile.ZIP_DEFLATED)
    assert archive.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ad.DescriptorError, match="possible zip bomb"):
        ad.Package(archive).load("places", format="csv")


def test_a_member_larger_than_declared_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """The archive's size for a member must equal the descriptor's bytes: 8 MiB where 338 are declared is refused."""
    members = current_members()
    members["data/places.csv"] = members["data/places.csv"] + b"x" * (8 * 1024 * 1024)
    archive = tmp_path / "big.zip"
    archive.write_bytes(zip_bytes(members))
    with pytest.raises(ad.IntegrityError, match="size differs from the descriptor") as info:
        ad.Package(archive).verify()
    assert info.value.path == f"{archive}!/data/places.csv"


@pytest.mark.parametrize("fault", ["flipped byte", "missing member", "not a zip", "truncated zip"])
def test_a_damaged_archive_is_an_article_data_error_naming_it(tmp_path: Path, fault: str) -> None:
    """A flipped byte, a missing member or a broken archive: the named error from verify(), never a crash."""
    members = current_members()
    archive = tmp_path / "damaged.zip"
    if fault == "flipped byte":
        data = bytearray(members["data/quotes.parquet"])
        data[len(data) // 2] ^= 1
        members["data/quotes.parquet"] = bytes(data)
    if fault == "missing member":
        del members["data/quotes.csv"]
    archive.write_bytes(zip_bytes(members))
    if fault == "not a zip":
        archive.write_bytes(b"PK\3\4 this is not a zip")
    if fault == "truncated zip":
        archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    error = ad.IntegrityError if fault in ("flipped byte", "missing member") else ad.DescriptorError
    with pytest.raises(error) as info:
        ad.Package(archive).verify()
    assert str(archive) in str(info.value)
    result = run(BIN / "article-data", "--root", archive, "verify")
    assert result.returncode == 1 and str(archive) in result.stderr and "Traceback" not in result.stderr


def test_a_member_of_an_archive_has_no_path(tmp_path: Path) -> None:
    """path() of a table inside an archive says to read it with load() instead of returning a wrong path."""
    with pytest.raises(ad.ArticleDataError, match="has no path of its own"):
        ad.Package(RELEASE).path("quotes")
    assert ad.Package(RELEASE).path() == RELEASE
