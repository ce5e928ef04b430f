"""The vocabulary: each fact it states agrees with the Table Schemas, the descriptor and the published data."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import article_data as ad
from article_data._vocabulary import (
    CLOSING_MARK,
    DATE_PRECISIONS,
    ENTITY_ID_COLUMNS,
    LABELS,
    MARKED_TYPES,
    MEDIA_TYPES,
    OPENING_MARK,
    SPEAKER_COLUMNS,
    SPEECH_TYPES,
    UNMARKED_TYPES,
    date_precision,
)


def table_schema(table: str) -> dict[str, Any]:
    return ad.Package(ad.path()).table_schema(table)


def schema_field(table: str, column: str) -> dict[str, Any]:
    fields = {f["name"]: f for f in table_schema(table)["fields"]}
    assert column in fields, f"{table} has no column {column!r}"
    return fields[column]


def enum(table: str, column: str) -> list[str]:
    values = schema_field(table, column).get("constraints", {}).get("enum")
    assert values is not None, f"{table}.{column} has no enum"
    return list(values)


QUOTE_TYPES = enum("quotes", "quote_type")


def test_quote_type_groups_are_values_of_the_schema_enum() -> None:
    """SPEECH_TYPES, MARKED_TYPES and UNMARKED_TYPES hold only quote_type enum values, each once."""
    for group in (SPEECH_TYPES, MARKED_TYPES, UNMARKED_TYPES):
        assert set(group) <= set(QUOTE_TYPES), group
        assert len(set(group)) == len(group), group


def test_every_quote_type_is_marked_or_unmarked_never_both() -> None:
    """MARKED_TYPES and UNMARKED_TYPES split the quote_type enum in two."""
    assert set(MARKED_TYPES) | set(UNMARKED_TYPES) == set(QUOTE_TYPES)
    assert not set(MARKED_TYPES) & set(UNMARKED_TYPES)


def test_speech_types_are_the_unmarked_types_plus_direct_and_partial() -> None:
    """Marked speech is direct and partial; every unmarked type is speech; names and scare quotes are not speech."""
    assert set(SPEECH_TYPES) & set(MARKED_TYPES) == {"direct", "partial"}
    assert set(UNMARKED_TYPES) <= set(SPEECH_TYPES)
    assert set(QUOTE_TYPES) - set(SPEECH_TYPES) == {"name", "scare"}


def test_schema_descriptions_name_the_speech_types() -> None:
    """The is_speech description names exactly the SPEECH_TYPES, and has_closing_mark names the closing mark."""
    description = schema_field("quotes", "is_speech")["description"]
    for kind in QUOTE_TYPES:
        assert (kind in description) is (kind in SPEECH_TYPES), kind
    assert CLOSING_MARK in schema_field("quotes", "has_closing_mark")["description"]


def test_marks_are_the_curly_quotes_the_article_prints() -> None:
    """The marks are U+201C and U+201D, and the article holds both."""
    assert (OPENING_MARK, CLOSING_MARK) == ("\u201c", "\u201d")
    text = ad.article_text()
    assert OPENING_MARK in text and CLOSING_MARK in text
    assert '"' not in text, "straight quotes would escape the mark rules"


@pytest.mark.parametrize("table", sorted(ENTITY_ID_COLUMNS))
def test_entity_id_columns_are_the_primary_keys_of_real_tables(table: str) -> None:
    """Each entity table exists and its id column is its whole primary key."""
    assert table in ad.TABLES
    assert table_schema(table)["primaryKey"] == [ENTITY_ID_COLUMNS[table]]


@pytest.mark.parametrize("table", sorted(ENTITY_ID_COLUMNS))
def test_mentions_link_each_entity_table_by_its_id_column(table: str) -> None:
    """Mentions has a column named after each entity id, with a foreign key to that table."""
    column = ENTITY_ID_COLUMNS[table]
    schema_field("mentions", column)
    keys = {tuple(k["fields"]): k["reference"] for k in table_schema("mentions")["foreignKeys"]}
    assert keys[(column,)] == {"resource": table, "fields": [column]}


@pytest.mark.parametrize("table", sorted(SPEAKER_COLUMNS))
def test_speaker_columns_are_quotes_columns_keyed_to_their_entity_table(table: str) -> None:
    """Each speaker column is a quotes column with a foreign key to the entity table's id column."""
    assert table in ENTITY_ID_COLUMNS
    column = SPEAKER_COLUMNS[table]
    assert schema_field("quotes", column)["type"] == "string"
    keys = {tuple(k["fields"]): k["reference"] for k in table_schema("quotes")["foreignKeys"]}
    assert keys[(column,)] == {"resource": table, "fields": [ENTITY_ID_COLUMNS[table]]}


def test_speaker_columns_are_every_speaker_column_of_quotes() -> None:
    """No other quotes column names a speaker: the vocabulary lists them all."""
    speaker_like = {f["name"] for f in table_schema("quotes")["fields"] if f["name"].startswith("speaker_")}
    assert speaker_like == set(SPEAKER_COLUMNS.values())


@pytest.mark.parametrize("key", sorted(LABELS))
def test_labels_name_enum_values_of_real_columns(key: str) -> None:
    """Every LABELS key is table.column of an enum column, and every labelled value is in that enum."""
    table, _, column = key.partition(".")
    assert table in ad.TABLES and column, key
    values = enum(table, column)
    assert set(LABELS[key]) <= set(values), set(LABELS[key]) - set(values)
    assert all(isinstance(word, str) for word in LABELS[key].values())


@pytest.mark.parametrize("key", ["quotes.quote_type", "figures.qualifier"])
def test_labels_cover_every_value_a_page_must_describe(key: str) -> None:
    """Every quote type and every qualifier has a word, in the schema's order."""
    table, _, column = key.partition(".")
    assert list(LABELS[key]) == enum(table, column)


def test_date_precisions_are_the_figures_enum() -> None:
    """DATE_PRECISIONS maps the ISO lengths 4, 7 and 10 to the figures.date_precision enum, in order."""
    assert list(DATE_PRECISIONS.values()) == enum("figures", "date_precision")
    assert sorted(DATE_PRECISIONS) == [len("2022"), len("2022-04"), len("2022-04-08")]


def test_date_precision_follows_the_iso_length() -> None:
    """A year, month or day date gives its precision; None, empty or another length gives None."""
    assert date_precision("2022") == "year"
    assert date_precision("2022-04") == "month"
    assert date_precision("2022-04-08") == "day"
    for value in (None, "", "22", "2022-04-08T10:00"):
        assert date_precision(value) is None, value


def test_media_types_cover_every_resource_format() -> None:
    """Every resource's format has a media type, the resource declares exactly it, and no format is unused."""
    resources = [*ad.descriptor()["resources"], *ad.descriptor().get("files", [])]
    formats = {r["format"] for r in resources}
    assert formats == set(MEDIA_TYPES)
    for resource in resources:
        assert resource["mediatype"] == MEDIA_TYPES[resource["format"]], resource["name"]


def test_published_quotes_open_with_a_mark_exactly_when_marked() -> None:
    """A quote right after an opening mark has a MARKED type, and every MARKED quote is right after one."""
    text = ad.article_text()
    quotes = ad.load("quotes")
    for row in quotes.itertuples():
        after_mark = row.char_start > 0 and text[row.char_start - 1] == OPENING_MARK
        assert after_mark is (row.quote_type in MARKED_TYPES), row.quote_id
    assert text.count(OPENING_MARK) == int(quotes.quote_type.isin(MARKED_TYPES).sum())


def test_published_quotes_follow_the_speech_and_closing_mark_facts() -> None:
    """is_speech is the SPEECH_TYPES test; unmarked types have no closing mark to lack (null); marked ones say if it is printed."""
    text = ad.article_text()
    quotes = ad.load("quotes")
    assert set(quotes.quote_type) >= set(UNMARKED_TYPES) | {"direct", "name"}, "the data should exercise the rules"
    for row in quotes.itertuples():
        assert bool(row.is_speech) is (row.quote_type in SPEECH_TYPES), row.quote_id
        closed = text[row.char_end : row.char_end + 1] == CLOSING_MARK
        expected = None if row.quote_type in UNMARKED_TYPES else closed
        assert (None if pd.isna(row.has_closing_mark) else bool(row.has_closing_mark)) is expected, row.quote_id
        assert bool(row.lacks_closing_mark) is (expected is False), row.quote_id


def test_published_speech_has_one_speaker_column_set() -> None:
    """Speech rows name their speaker in exactly one SPEAKER_COLUMNS column; other rows in none."""
    quotes = ad.load("quotes")
    filled = quotes[list(SPEAKER_COLUMNS.values())].notna().sum(axis=1)
    speech = quotes.quote_type.isin(SPEECH_TYPES)
    assert (filled[speech] == 1).all() and (filled[~speech] == 0).all()
    assert filled[speech].size > 0 and filled[~speech].size > 0


def test_published_figure_dates_have_their_precision() -> None:
    """Each figure's date_precision is date_precision(date)."""
    figures = ad.load("figures")
    dated = 0
    for row in figures.itertuples():
        date = None if pd.isna(row.date) else row.date
        precision = None if pd.isna(row.date_precision) else str(row.date_precision)
        assert precision == date_precision(date), row.figure_id
        dated += date is not None
    assert dated > 0
