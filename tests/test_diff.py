"""What changed between two packages (article_data._diff, ad.diff, `article-data diff`) and the bump it needs."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import article_data as ad
from article_data._diff import version_bump
from article_data_build.model import BuiltPackage
from article_data_build.synthetic import scaled_package
from article_data_build.writer import write_package
from helpers import BIN, ROOT, run

Edit = Callable[[BuiltPackage], BuiltPackage]


@pytest.fixture(scope="module")
def current() -> BuiltPackage:
    """The current package as the writer's input (so tests can change it and write it again)."""
    return scaled_package(ad.Package(ad.path()), 1)


def written(package: BuiltPackage, folder: Path, version: str | None = None) -> ad.Package:
    metadata = dict(package.metadata, version=version or f"{package.metadata['version']}+test")  # no release
    write_package(folder, replace(package, metadata=metadata))
    return ad.Package(folder)


def with_table(
    package: BuiltPackage, name: str, rows: list[dict[str, Any]], schema: dict[str, Any] | None = None
) -> BuiltPackage:
    tables = dict(package.tables, **{name: rows})
    schemas = dict(package.schemas, **({name: schema} if schema is not None else {}))
    return replace(package, tables=tables, schemas=schemas)


def corrected(package: BuiltPackage) -> BuiltPackage:
    rows = [dict(r) for r in package.tables["figures"]]
    rows[0]["subject"] = "a corrected subject"
    return with_table(package, "figures", rows)


def row_added(package: BuiltPackage) -> BuiltPackage:
    rows = [dict(r) for r in package.tables["places"]]
    rows.append(dict(rows[0], place_id="atlantis", name="Atlantis", wikidata_id=None, aliases=None))
    return with_table(package, "places", rows)


def row_removed(package: BuiltPackage) -> BuiltPackage:
    return with_table(package, "images", [dict(r) for r in package.tables["images"]][1:])


def column_removed(package: BuiltPackage) -> BuiltPackage:
    schema = copy.deepcopy(dict(package.schemas["people"]))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "age"]
    return with_table(
        package, "people", [{k: v for k, v in r.items() if k != "age"} for r in package.tables["people"]], schema
    )


def column_added(package: BuiltPackage) -> BuiltPackage:
    schema = copy.deepcopy(dict(package.schemas["places"]))
    schema["fields"].append({"name": "country", "type": "string", "description": "Country."})
    return with_table(package, "places", [dict(r, country=None) for r in package.tables["places"]], schema)


def retyped(package: BuiltPackage) -> BuiltPackage:
    schema = copy.deepcopy(dict(package.schemas["people"]))
    next(f for f in schema["fields"] if f["name"] == "age")["type"] = "number"
    return with_table(package, "people", [dict(r) for r in package.tables["people"]], schema)


def enum_added(package: BuiltPackage) -> BuiltPackage:
    schema = copy.deepcopy(dict(package.schemas["places"]))
    next(f for f in schema["fields"] if f["name"] == "kind")["constraints"]["enum"].append("ocean")
    return with_table(package, "places", [dict(r) for r in package.tables["places"]], schema)


def description_changed(package: BuiltPackage) -> BuiltPackage:
    schema = copy.deepcopy(dict(package.schemas["places"]))
    schema["fields"][1]["description"] = "A better description."
    return with_table(package, "places", [dict(r) for r in package.tables["places"]], schema)


def text_changed(package: BuiltPackage) -> BuiltPackage:
    return replace(package, article=package.article.replace(b"Kiev", b"Kyiv"))


def table_removed(package: BuiltPackage) -> BuiltPackage:
    tables = {k: v for k, v in package.tables.items() if k != "images"}
    return replace(package, tables=tables, schemas={k: v for k, v in package.schemas.items() if k != "images"})


CHANGES: dict[str, tuple[Edit, str, str]] = {
    "corrected value": (corrected, "minor", "figures: 1 row(s) corrected"),
    "row added": (row_added, "minor", "places: 1 row(s) added"),
    "column added": (column_added, "minor", "places.country added"),
    "enum value added": (enum_added, "minor", "places.kind gained the enum value 'ocean'"),
    "row removed": (row_removed, "major", "images: 1 row(s) removed"),
    "column removed": (column_removed, "major", "people.age removed"),
    "column retyped": (retyped, "major", "people.age retyped integer → number"),
    "text changed": (text_changed, "major", "the article text changed"),
    "table removed": (table_removed, "major", "table images removed"),
    "description changed": (description_changed, "patch", "places: schema descriptions changed"),
}


@pytest.mark.parametrize("case", list(CHANGES))
def test_each_kind_of_change_requires_the_policy_bump(tmp_path: Path, current: BuiltPackage, case: str) -> None:
    """The README's policy, case by case: corrections and additions MINOR, removals and retypes MAJOR, prose PATCH."""
    edit, bump, reason = CHANGES[case]
    old = written(current, tmp_path / "old")
    new = written(edit(current), tmp_path / "new")
    diff = ad.diff(old, new)
    assert diff.bump == bump and not diff.equal
    assert any(r.startswith(reason) for r in diff.reasons), diff.reasons


def test_a_changed_row_lists_each_changed_cell(tmp_path: Path, current: BuiltPackage) -> None:
    """A corrected row is keyed by its primary key, with column, old and new value of each changed cell."""
    diff = ad.diff(written(current, tmp_path / "old"), written(corrected(current), tmp_path / "new"))
    figures = diff.table("figures")
    assert figures is not None and [r.key for r in figures.changed] == [current.tables["figures"][0]["figure_id"]]
    (cell,) = figures.changed[0].cells
    assert (cell.column, cell.old, cell.new) == (
        "subject",
        current.tables["figures"][0]["subject"],
        "a corrected subject",
    )


def test_the_same_package_is_equal_whatever_its_version(tmp_path: Path, current: BuiltPackage) -> None:
    """Two copies that differ only in version (and so in nothing the diff compares) are equal: bump none."""
    diff = ad.diff(written(current, tmp_path / "a", "0.9.0"), written(current, tmp_path / "b", "7.0.0"))
    assert diff.equal and diff.bump == "none" and diff.tables == () and not diff.text_changed


def test_the_text_diff_shows_the_changed_line(tmp_path: Path, current: BuiltPackage) -> None:
    """A changed text is reported with a unified diff of the changed lines."""
    diff = ad.diff(written(current, tmp_path / "old"), written(text_changed(current), tmp_path / "new"))
    assert diff.text_changed and "-" in diff.text_diff and "Kiev" in diff.text_diff and "Kyiv" in diff.text_diff


@pytest.mark.parametrize(
    "old, new, bump",
    [
        ("1.0.0", "1.0.1", "patch"),
        ("1.0.0", "1.1.0", "minor"),
        ("1.4.2", "2.0.0", "major"),
        ("1.1.0", "1.1.0", "none"),
        ("1.1.0", "1.0.9", "none"),
        ("1.9.0", "1.10.0", "minor"),
    ],
)
def test_version_bump_reads_semantic_versions(old: str, new: str, bump: str) -> None:
    """version_bump names the part of the version that went up (numerically, not as text)."""
    assert version_bump(old, new) == bump


def test_cli_diff_exits_like_diff_and_speaks_json(tmp_path: Path, current: BuiltPackage) -> None:
    """`article-data diff` exits 0 for equal packages, 1 for different ones, 2 on an error; --format json parses."""
    old, new = written(current, tmp_path / "old"), written(row_added(current), tmp_path / "new")
    same = run(BIN / "article-data", "diff", old.root, old.root)
    assert same.returncode == 0 and "the same" in same.stdout
    differ = run(BIN / "article-data", "diff", old.root, new.root)
    assert differ.returncode == 1 and "needs a MINOR version bump" in differ.stdout and "+ atlantis" in differ.stdout
    as_json = run(BIN / "article-data", "diff", old.root, new.root, "--format", "json")
    document = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and document["bump"] == "minor" and document["equal"] is False
    assert next(t for t in document["tables"] if t["name"] == "places")["added"] == ["atlantis"]
    missing = run(BIN / "article-data", "diff", "9.9.9")
    assert missing.returncode == 2 and "no release 9.9.9 is kept" in missing.stderr


def test_a_released_version_is_found_in_releases() -> None:
    """A version number names the zip kept in releases/; diff of 1.0.0 with itself is equal."""
    assert ad.diff("1.0.0", ROOT / "releases" / "article-data-1.0.0.zip").equal
