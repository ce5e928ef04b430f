"""CHANGELOG.md and DATASHEET.md (article_data_build.changelog): release dates and the blocks the diff generates."""

from __future__ import annotations

import copy
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import article_data as ad
from article_data_build.changelog import (
    changelog_block,
    datasheet_block,
    main,
    regenerate,
    release_date,
)
from article_data_build.errors import BuildError
from article_data_build.model import BuiltPackage
from article_data_build.release import kept_releases, published_files, write_release
from article_data_build.synthetic import scaled_package
from article_data_build.writer import package_files as built_files
from article_data_build.writer import write_package
from helpers import PACKAGE_FILES, ROOT, copy_paths

# -- release_date ----------------------------------------------------------------------------------

CHANGELOG = """# Changelog

## [Unreleased]

- something not released yet

## [2.0.0]

## [1.10.0] - 2025-03-04

### Added

## [1.1.0] - 2025-01-02\r
## [1.0.0] - 2024-05-01\x20\x20\x20
"""


@pytest.mark.parametrize("version, date", [("1.10.0", "2025-03-04"), ("1.1.0", "2025-01-02"), ("1.0.0", "2024-05-01")])
def test_release_date_finds_the_dated_heading_of_a_version(version: str, date: str) -> None:
    """A ``## [VERSION] - YYYY-MM-DD`` heading gives the date, with CRLF or trailing spaces too."""
    assert release_date(CHANGELOG, version) == date


@pytest.mark.parametrize("version", ["Unreleased", "2.0.0", "1.0", "1.1", "0.9.0", ""])
def test_release_date_is_none_for_an_unreleased_or_unknown_version(version: str) -> None:
    """The Unreleased section, an undated heading and a version with no heading (or a prefix of one) have no date."""
    assert release_date(CHANGELOG, version) is None


@pytest.mark.parametrize(
    "text",
    [
        "### [1.0.0] - 2024-05-01\n",  # not a release heading (level 3)
        "  ## [1.0.0] - 2024-05-01\n",  # not at the start of a line
        "see ## [1.0.0] - 2024-05-01\n",
        "## [1.0.0] - 2024-5-1\n",  # not an ISO date
        "## [1.0.0] 2024-05-01\n",  # no dash
        "## 1.0.0 - 2024-05-01\n",  # no brackets
    ],
)
def test_release_date_reads_only_well_formed_headings(text: str) -> None:
    """Only a level-2 heading at the start of a line with a bracketed version and an ISO date counts."""
    assert release_date(text, "1.0.0") is None
    assert release_date("## [1.0.0] - 2024-05-01\n", "1.0.0") == "2024-05-01"


def test_release_date_of_every_kept_release_is_in_the_changelog() -> None:
    """Every version kept in releases/ has a dated heading in the repository's CHANGELOG.md."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    kept = kept_releases(ROOT)
    assert kept
    for version in kept:
        date = release_date(text, version)
        assert date is not None and len(date) == 10, version


# -- changelog_block and datasheet_block -----------------------------------------------------------


@pytest.fixture(scope="module")
def current() -> BuiltPackage:
    return scaled_package(ad.Package(ad.path()), 1)


def written(folder: Path, package: BuiltPackage, version: str) -> ad.Package:
    """``package`` written under ``version`` (versions no release has: 11.x, 12.x, so the library opens it as a fork)."""
    folder.mkdir(parents=True)
    write_package(folder, replace(package, metadata=dict(package.metadata, version=version)))
    return ad.Package(folder)


def corrected_and_added(package: BuiltPackage) -> BuiltPackage:
    """Yan's age and description corrected, a people column added; a place (of a new kind) added."""
    people_schema = copy.deepcopy(dict(package.schemas["people"]))
    people_schema["fields"].append({"name": "nickname", "type": "string", "description": "A nickname."})
    people = [dict(row, nickname=None) for row in package.tables["people"]]
    yan = next(row for row in people if row["person_id"] == "yan")
    yan["age"], yan["description"] = 31, "A corrected description."
    places_schema = copy.deepcopy(dict(package.schemas["places"]))
    next(f for f in places_schema["fields"] if f["name"] == "kind")["constraints"]["enum"].append("island")
    places = [
        *package.tables["places"],
        {"place_id": "atlantis", "name": "Atlantis", "aliases": None, "kind": "island", "wikidata_id": None},
    ]
    return replace(
        package,
        tables=dict(package.tables, people=people, places=places),
        schemas=dict(package.schemas, people=people_schema, places=places_schema),
    )


@pytest.fixture(scope="module")
def minor_pair(current: BuiltPackage, tmp_path_factory: pytest.TempPathFactory) -> tuple[ad.Package, ad.Package]:
    base = tmp_path_factory.mktemp("minor")
    return written(base / "old", current, "11.1.0"), written(base / "new", corrected_and_added(current), "11.2.0")


def rows_of(package: BuiltPackage) -> dict[str, int]:
    return {name: len(rows) for name, rows in package.tables.items()}


def test_changelog_block_lists_the_added_and_corrected_rows(minor_pair: tuple[ad.Package, ad.Package]) -> None:
    """The block names the bump, the added column and enum value, and exactly the added and corrected row ids."""
    block = changelog_block(*minor_pair)
    lines = block.splitlines()
    assert lines[0] == "Generated from `article-data diff 11.1.0 11.2.0`: a **MINOR** change."
    bullets = [line for line in lines if line.startswith("- ")]
    assert bullets == [
        "- **people**: columns added: `nickname`; rows corrected: `yan` (columns `age`, `description`).",
        "- **places**: enum values added: `kind` `island`; rows added: `atlantis`.",
        "- **the text**: unchanged.",
    ]


def test_changelog_block_counts_rows_per_table(
    current: BuiltPackage, minor_pair: tuple[ad.Package, ad.Package]
) -> None:
    """The table has one line per table: rows before and after, added, corrected and removed."""
    lines = changelog_block(*minor_pair).splitlines()
    assert lines[2] == "| table | rows in 11.1.0 | rows in 11.2.0 | added | corrected | removed |"
    counted = {line.split(" | ")[0].removeprefix("| "): line for line in lines[4:] if line.startswith("| ")}
    before = rows_of(current)
    assert list(counted) == list(before)
    for name, rows in before.items():
        added, corrected = {"places": (1, 0), "people": (0, 1)}.get(name, (0, 0))
        assert counted[name] == f"| {name} | {rows} | {rows + added} | {added} | {corrected} | 0 |"


def test_datasheet_block_counts_what_the_old_release_had_wrong(
    current: BuiltPackage, minor_pair: tuple[ad.Package, ad.Package]
) -> None:
    """The datasheet's table gives per table the old row count, rows corrected, rows missing and rows removed."""
    before = rows_of(current)
    expected = [
        "| table | rows in 11.1.0 | rows corrected | rows missing (added) | rows removed |",
        "|---|---|---|---|---|",
    ]
    for name, rows in before.items():
        corrected, added = {"places": (0, 1), "people": (1, 0)}.get(name, (0, 0))
        expected.append(f"| {name} | {rows} | {corrected} | {added} | 0 |")
    assert datasheet_block(*minor_pair) == "\n".join(expected)


def test_changelog_block_of_identical_packages_changes_nothing(minor_pair: tuple[ad.Package, ad.Package]) -> None:
    """A package compared with itself is a NONE change: zero counts and only the text line."""
    old = minor_pair[0]
    block = changelog_block(old, old)
    assert "a **NONE** change" in block
    assert [line for line in block.splitlines() if line.startswith("- ")] == ["- **the text**: unchanged."]
    assert all(line.endswith("| 0 | 0 | 0 |") for line in datasheet_block(old, old).splitlines()[2:])


def test_changelog_block_shows_removals_text_metadata_and_at_most_forty_ids(
    current: BuiltPackage, tmp_path: Path
) -> None:
    """Removed rows make a MAJOR change; a changed text and title are listed; long id lists end 'and N more'."""
    doubled = scaled_package(ad.Package(ad.path()), 2)
    defects = [row for row in doubled.tables["defects"] if row["defect_id"] != "d01"]
    changed = replace(
        doubled, tables=dict(doubled.tables, defects=defects), metadata=dict(doubled.metadata, title="Another title")
    )
    old, new = written(tmp_path / "old", current, "11.1.0"), written(tmp_path / "new", changed, "12.0.0")
    block = changelog_block(old, new)
    assert "a **MAJOR** change" in block
    mentions = next(line for line in block.splitlines() if line.startswith("- **mentions**"))
    count = len(current.tables["mentions"])
    assert mentions.count("`m") == 40 and mentions.endswith(f" and {count - 40} more.")
    defects_line = next(line for line in block.splitlines() if line.startswith("- **defects**"))
    assert "rows removed: `d01`." in defects_line and "`d01_1`" in defects_line
    assert "- **datapackage.json**: `title` changed." in block
    assert block.endswith("- **the text**: changed.")
    assert (
        f"| defects | {len(current.tables['defects'])} | 0 | {len(defects) - len(current.tables['defects']) + 1} | 1 |"
        in datasheet_block(old, new)
    )


# -- regenerate and main ---------------------------------------------------------------------------


def fake_repo(tmp_path: Path) -> Path:
    """A folder with what regenerate needs: CHANGELOG.md, DATASHEET.md, releases/ and the published package."""
    return copy_paths(("CHANGELOG.md", "DATASHEET.md", "releases", *PACKAGE_FILES), tmp_path / "repo")


def markers(root: Path) -> tuple[ad.Package, ad.Package, str]:
    """The previous kept release, the current package, and the ``diff OLD..NEW`` their markers carry."""
    new = ad.Package(root)
    previous = [v for v in kept_releases(root) if v != new.version]
    old = ad.Package(kept_releases(root)[previous[-1]])
    return old, new, f"diff {old.version}..{new.version}"


def between(text: str, start: str, end: str) -> tuple[str, str, str]:
    head, rest = text.split(start, 1)
    block, tail = rest.split(end, 1)
    return head, block, tail


def stale_blocks(root: Path) -> tuple[str, str]:
    """Overwrite both generated blocks with stale text; return the files' texts before."""
    _, _, marker = markers(root)
    changelog, datasheet = (root / "CHANGELOG.md").read_text(), (root / "DATASHEET.md").read_text()
    head, _, tail = between(changelog, f"<!-- generated: {marker} -->", "<!-- end generated -->")
    (root / "CHANGELOG.md").write_text(
        f"{head}<!-- generated: {marker} -->\nSTALE_SENTINEL\n<!-- end generated -->{tail}"
    )
    head, _, tail = between(datasheet, f"<!-- corrections: {marker} -->", "<!-- end corrections -->")
    (root / "DATASHEET.md").write_text(
        f"{head}<!-- corrections: {marker} -->\nSTALE_SENTINEL\n<!-- end corrections -->{tail}"
    )
    return changelog, datasheet


def test_changelog_regenerate_fills_the_blocks_between_the_markers(tmp_path: Path) -> None:
    """Regenerate gives both files with the diff's blocks between their markers and every other line kept."""
    root = fake_repo(tmp_path)
    changelog, datasheet = stale_blocks(root)
    old, new, marker = markers(root)
    texts = regenerate(root)
    assert set(texts) == {root / "CHANGELOG.md", root / "DATASHEET.md"}
    head, block, tail = between(texts[root / "CHANGELOG.md"], f"<!-- generated: {marker} -->", "<!-- end generated -->")
    assert block == f"\n{changelog_block(old, new)}\n"
    assert (head, tail) == between(changelog, f"<!-- generated: {marker} -->", "<!-- end generated -->")[::2]
    head, block, tail = between(
        texts[root / "DATASHEET.md"], f"<!-- corrections: {marker} -->", "<!-- end corrections -->"
    )
    assert block == f"\n{datasheet_block(old, new)}\n"
    assert (head, tail) == between(datasheet, f"<!-- corrections: {marker} -->", "<!-- end corrections -->")[::2]
    assert "STALE_SENTINEL" in (root / "CHANGELOG.md").read_text()  # regenerate itself writes nothing


def test_changelog_main_check_fails_when_stale_and_passes_after_regenerating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check exits 1 naming the stale files and writes nothing; without --check the blocks are rewritten."""
    root = fake_repo(tmp_path)
    stale_blocks(root)
    before = {p: p.read_bytes() for p in (root / "CHANGELOG.md", root / "DATASHEET.md")}
    assert main(["--check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"stale: {root / 'CHANGELOG.md'}, {root / 'DATASHEET.md'}" in err
    assert "run `python -m article_data_build.changelog`" in err
    assert {p: p.read_bytes() for p in before} == before
    assert main(["--root", str(root)]) == 0
    assert "STALE_SENTINEL" not in (root / "CHANGELOG.md").read_text() + (root / "DATASHEET.md").read_text()
    assert main(["--check", "--root", str(root)]) == 0
    assert {p: p.read_text() for p in before} == {p: t for p, t in regenerate(root).items()}


def test_changelog_main_check_reports_only_the_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With only the datasheet's block stale, --check names DATASHEET.md and not CHANGELOG.md."""
    root = fake_repo(tmp_path)
    assert main(["--root", str(root)]) == 0  # both fresh
    _, _, marker = markers(root)
    head, _, tail = between(
        (root / "DATASHEET.md").read_text(), f"<!-- corrections: {marker} -->", "<!-- end corrections -->"
    )
    (root / "DATASHEET.md").write_text(f"{head}<!-- corrections: {marker} -->\nold\n<!-- end corrections -->{tail}")
    capsys.readouterr()
    assert main(["--check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert str(root / "DATASHEET.md") in err and str(root / "CHANGELOG.md") not in err


def test_changelog_regenerate_refuses_a_file_without_its_markers(tmp_path: Path) -> None:
    """A file missing the markers for this diff raises a BuildError naming the file and the markers."""
    root = fake_repo(tmp_path)
    _, _, marker = markers(root)
    text = (root / "DATASHEET.md").read_text()
    (root / "DATASHEET.md").write_text(text.replace("<!-- end corrections -->", ""))
    with pytest.raises(
        BuildError,
        match=rf"DATASHEET.md: the markers <!-- corrections: {marker} --> and "
        r"<!-- end corrections --> are missing",
    ):
        regenerate(root)


def test_changelog_regenerate_compares_with_the_latest_earlier_release(tmp_path: Path, current: BuiltPackage) -> None:
    """Of several kept releases the newest other than the current version is compared (1.9.10 after 1.9.9, both after the kept 1.x)."""
    root = fake_repo(tmp_path)
    for version in ("1.9.9", "1.9.10"):
        files, _ = built_files(replace(current, metadata=dict(current.metadata, version=version)))
        write_release(root, dict(files), version)
    new = ad.Package(root).version
    with pytest.raises(BuildError, match=rf"CHANGELOG.md: the markers <!-- generated: diff 1.9.10..{new} -->"):
        regenerate(root)


def test_changelog_regenerate_without_an_earlier_release_does_nothing(tmp_path: Path) -> None:
    """With no kept release but the current version, there is nothing to compare: no file, exit 0."""
    root = fake_repo(tmp_path)
    shutil.rmtree(root / "releases")
    (root / "releases").mkdir()
    version = ad.Package(root).version
    write_release(root, published_files(root=root), version)
    assert list(kept_releases(root)) == [version]
    before = (root / "CHANGELOG.md").read_bytes()
    assert regenerate(root) == {}
    assert main(["--check", "--root", str(root)]) == 0
    assert (root / "CHANGELOG.md").read_bytes() == before
