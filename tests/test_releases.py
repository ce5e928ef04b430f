"""Kept releases by number: listed, checked against SHA256SUMS, opened by `Package.release` and `--release`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

import article_data as ad
from article_data._releases import kept_releases
from helpers import BIN, PACKAGE_FILES, ROOT, copy_paths, run

KEPT = sorted(p.name.removeprefix("article-data-").removesuffix(".zip") for p in (ROOT / "releases").glob("*.zip"))


def cli(*args: str | Path, cwd: Path | None = None) -> tuple[int, str, str]:
    result = run(BIN / "article-data", *args, cwd=cwd)
    return result.returncode, result.stdout, result.stderr


def test_every_kept_release_is_listed_with_its_sha256_and_changelog_date() -> None:
    """ad.releases() lists each zip in releases/, oldest first, with the sha256 of its bytes and its CHANGELOG date."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    listed = ad.releases()
    assert [r.version for r in listed] == sorted(KEPT, key=lambda v: tuple(map(int, v.split("."))))
    for release in listed:
        assert release.sha256 == hashlib.sha256(release.path.read_bytes()).hexdigest()
        assert re.search(rf"^## \[{re.escape(release.version)}\] - {release.date}$", changelog, flags=re.MULTILINE)


@pytest.mark.parametrize("version", KEPT)
def test_a_kept_release_opens_by_its_number(version: str) -> None:
    """Package.release(v) opens the zip of release v: its descriptor says v and every member verifies."""
    pkg = ad.Package.release(version)
    assert pkg.version == version and pkg.root.name == f"article-data-{version}.zip"
    pkg.verify()
    assert len(pkg.load("quotes")) > 0


def test_release_1_0_0_has_1_0_0_s_shape() -> None:
    """1.0.0's quotes lack the two columns 1.1.0 added, and its defects are the 23 of 1.0.0."""
    old = ad.Package.release("1.0.0")
    assert "lacks_closing_mark" not in old.load("quotes") and len(old.load("defects")) == 23


def test_an_unknown_version_names_the_kept_ones() -> None:
    """Package.release of a version that is not kept raises an ArticleDataError listing every kept version."""
    with pytest.raises(ad.ArticleDataError, match="no release 0.9.0 is kept") as caught:
        ad.Package.release("0.9.0")
    assert all(v in str(caught.value) for v in KEPT)


def test_a_release_zip_that_differs_from_sha256sums_is_refused(tmp_path: Path) -> None:
    """A kept zip whose bytes no longer match SHA256SUMS raises an IntegrityError naming both digests."""
    root = copy_paths(("datapackage.json", "data", "schemas", "releases"), tmp_path / "copy")
    archive = root / "releases" / "article-data-1.0.0.zip"
    archive.write_bytes(archive.read_bytes() + b"\0")
    with pytest.raises(ad.IntegrityError, match="differs from .* listed in SHA256SUMS"):
        ad.Package.release("1.0.0", root=root)
    sums = root / "releases" / "SHA256SUMS"
    sums.write_text("".join(line for line in sums.read_text().splitlines(keepends=True) if "1.0.0.zip" not in line))
    with pytest.raises(ad.IntegrityError, match="not listed in"):
        kept_releases(root)[0].checked()
    assert ad.Package.release("1.1.0", root=root).version == "1.1.0"


def test_cli_releases_lists_version_date_and_sha256() -> None:
    """`article-data releases` prints one line per kept release: version, date, sha256 of the zip, path."""
    code, out, err = cli("releases")
    assert code == 0, err
    lines = out.splitlines()[1:]
    assert [line.split()[0] for line in lines] == [r.version for r in ad.releases()]
    for line, release in zip(lines, ad.releases()):
        assert line.split()[1:3] == [str(release.date), str(release.sha256)]


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_release_option_reads_that_release(where: str) -> None:
    """`--release 1.0.0`, before or after the command, makes info, schema and export read release 1.0.0."""

    def with_release(*args: str) -> tuple[int, str, str]:
        return cli("--release", "1.0.0", *args) if where == "before" else cli(*args, "--release", "1.0.0")

    code, out, err = with_release("info")
    assert code == 0 and out.startswith("article-data 1.0.0 "), err
    code, out, _ = with_release("schema", "quotes")
    assert code == 0 and "has_closing_mark" in out and "lacks_closing_mark" not in out
    code, out, _ = with_release("export", "defects", "-o", "-")
    assert code == 0 and len(out.splitlines()) == 1 + 23


def test_cli_release_option_refuses_an_unknown_version() -> None:
    """`--release 0.9.0 info` exits 1 and lists the kept versions."""
    code, _, err = cli("--release", "0.9.0", "info")
    assert code == 1 and "no release 0.9.0 is kept" in err and all(v in err for v in KEPT)


def test_diff_still_finds_a_release_beside_another_root(tmp_path: Path) -> None:
    """`diff 1.0.0 --root COPY` looks in COPY/releases when there is one, and in the bundled releases otherwise."""
    bare = copy_paths(PACKAGE_FILES, tmp_path / "bare")
    code, out, err = cli("--root", bare, "diff", "1.0.0")
    assert code == 1 and out.startswith(f"article-data 1.0.0 → {ad.__version__}"), err
