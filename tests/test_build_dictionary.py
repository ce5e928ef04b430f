"""DATA_DICTIONARY.md (article_data_build.dictionary): every table and column, computed from the schemas and the rows."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt

from article_data_build.assemble import build
from article_data_build.dictionary import data_dictionary
from article_data_build.model import BuiltPackage
from helpers import ROOT

THINGS: dict[str, Any] = {
    "description": "Things for the test.",
    "primaryKey": ["thing_id"],
    "foreignKeys": [
        {"fields": ["parent_id"], "reference": {"resource": "", "fields": ["thing_id"]}},
        {"fields": "other_id", "reference": {"resource": "others", "fields": "other_id"}},
    ],
    "fields": [
        {
            "name": "thing_id",
            "type": "string",
            "description": "The id.",
            "constraints": {"required": True, "unique": True, "pattern": "^t[0-9]+$"},
        },
        {
            "name": "kind",
            "type": "string",
            "description": "Kind.",
            "constraints": {"required": True, "enum": ["a", "b"]},
        },
        {"name": "parent_id", "type": "string", "description": "Parent."},
        {"name": "other_id", "type": "string", "description": "Other."},
        {"name": "size", "type": "integer", "description": "Size.", "constraints": {"minimum": 0, "maximum": 10}},
        {
            "name": "label",
            "type": "string",
            "description": "Label.",
            "constraints": {"minLength": 1, "maxLength": 5, "unique": True},
        },
        {"name": "flag", "type": "boolean", "description": "Flag.", "constraints": {"required": True}},
        {"name": "when", "type": "date"},
    ],
}
OTHERS: dict[str, Any] = {
    "description": "Others.",
    "primaryKey": "other_id",
    "fields": [
        {
            "name": "other_id",
            "type": "string",
            "description": "Other id.",
            "constraints": {"required": True, "unique": True},
        }
    ],
}


@pytest.fixture(scope="module")
def current() -> tuple[BuiltPackage, str]:
    inputs, package = build(ROOT)
    assert package is not None and inputs.problems == []
    return package, data_dictionary(package)


@pytest.fixture(scope="module")
def small() -> str:
    package = BuiltPackage(
        article=b"",
        tables={"things": [{}, {}, {}], "others": [{}, {}]},
        schemas={"things": THINGS, "others": OTHERS},
        metadata={"name": "x", "version": "9.8.7"},
    )
    return data_dictionary(package)


def column_line(text: str, table: str, column: str) -> str:
    section = text.split(f"\n## {table}\n", 1)[1].split("\n## ", 1)[0]
    return next(line for line in section.splitlines() if line.startswith(f"| `{column}` |"))


def test_dictionary_equals_the_committed_file(current: tuple[BuiltPackage, str]) -> None:
    """The dictionary the build computes from the current inputs is the committed DATA_DICTIONARY.md."""
    assert current[1] == (ROOT / "DATA_DICTIONARY.md").read_text(encoding="utf-8")


def test_dictionary_lists_every_table_and_column_in_order(current: tuple[BuiltPackage, str]) -> None:
    """Each table has a section in published order, its description and row count, and a line per column."""
    package, text = current
    headings = [line.removeprefix("## ") for line in text.splitlines() if line.startswith("## ")]
    assert headings == list(package.tables)
    for name, rows in package.tables.items():
        schema = package.schemas[name]
        assert f"\n## {name}\n\n{schema['description']} {len(rows)} rows.\n" in text
        section = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        columns = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
        assert columns == [f["name"] for f in schema["fields"]]
        for field in schema["fields"]:
            required = "yes" if field.get("constraints", {}).get("required") else ""
            assert column_line(text, name, field["name"]).startswith(
                f"| `{field['name']}` | {field['type']} | {required} | "
            ), field["name"]


def test_dictionary_names_the_version_and_counts_rows(small: str) -> None:
    """The header names the package version; each section ends its description with the row count."""
    assert "for version 9.8.7; do not edit by hand." in small
    assert "\n## things\n\nThings for the test. 3 rows.\n" in small
    assert "\n## others\n\nOthers. 2 rows.\n" in small


def test_dictionary_gives_every_column_its_type_and_requiredness(small: str) -> None:
    """A required column says "yes"; an optional one leaves the cell empty; the type is the schema's."""
    assert column_line(small, "things", "kind").startswith("| `kind` | string | yes | ")
    assert column_line(small, "things", "flag") == "| `flag` | boolean | yes |  | Flag. |"
    assert column_line(small, "things", "size").startswith("| `size` | integer |  | ")
    assert column_line(small, "things", "when") == "| `when` | date |  |  |  |"


def test_dictionary_marks_the_primary_key_instead_of_unique(small: str) -> None:
    """The primary-key column says "primary key" (not also "unique"); another unique column says "unique"."""
    assert (
        column_line(small, "things", "thing_id")
        == "| `thing_id` | string | yes | primary key; pattern `^t[0-9]+$` | The id. |"
    )
    assert column_line(small, "others", "other_id") == "| `other_id` | string | yes | primary key | Other id. |"
    assert (
        column_line(small, "things", "label") == "| `label` | string |  | minLength 1; maxLength 5; unique | Label. |"
    )


def test_dictionary_shows_foreign_keys_as_arrows(small: str) -> None:
    """A foreign key shows "→ table.column"; one to its own table names that table."""
    assert column_line(small, "things", "other_id") == "| `other_id` | string |  | → others.other_id | Other. |"
    assert column_line(small, "things", "parent_id") == "| `parent_id` | string |  | → things.thing_id | Parent. |"


def test_dictionary_shows_enums_patterns_and_bounds(small: str) -> None:
    """An enum reads "one of `a`, `b`", a pattern "pattern `…`", other constraints "key value"."""
    assert column_line(small, "things", "kind") == "| `kind` | string | yes | one of `a`, `b` | Kind. |"
    assert column_line(small, "things", "size") == "| `size` | integer |  | minimum 0; maximum 10 | Size. |"


def test_dictionary_of_the_current_package_shows_its_keys(current: tuple[BuiltPackage, str]) -> None:
    """In the real dictionary quotes.paragraph_id points to paragraphs, and the enums are listed in full."""
    package, text = current
    assert "→ paragraphs.paragraph_id" in column_line(text, "quotes", "paragraph_id")
    assert "primary key" in column_line(text, "quotes", "quote_id")
    kind = next(f for f in package.schemas["paragraphs"]["fields"] if f["name"] == "kind")
    assert "one of " + ", ".join(f"`{v}`" for v in kind["constraints"]["enum"]) in column_line(
        text, "paragraphs", "kind"
    )


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of every table row as a CommonMark parser with GFM tables renders them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    in_cell = False
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = token.type.endswith("_open")
        elif token.type == "inline" and in_cell:
            rows[-1].append(token.content)
    return rows


def test_dictionary_cells_render_whole_in_markdown(current: tuple[BuiltPackage, str]) -> None:
    """Rendered as Markdown, every column row has five cells holding its whole description and pattern."""
    # A '|' in a cell (even inside backticks) ends the cell in a GFM table unless escaped as '\|'.
    package, text = current
    rows = [row for row in table_rows(text) if row and row[0].startswith("`")]
    fields = [f for schema in package.schemas.values() for f in schema["fields"]]
    assert len(rows) == len(fields)
    for row, field in zip(rows, fields):
        assert len(row) == 5, row
        assert row[4].replace("\\|", "|") == field.get("description", ""), field["name"]
        pattern = field.get("constraints", {}).get("pattern")
        if pattern is not None:
            assert f"`{pattern}`" in row[3].replace("\\|", "|"), field["name"]
