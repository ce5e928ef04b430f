"""The pandera schemas: generated from the Table Schemas, field by field, plus the guide's row rules."""

from __future__ import annotations

import json

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.engines import pandas_engine
from pandera.io.pandas_io import from_frictionless_schema

import article_data as ad
from article_data._types import pandas_dtype
from helpers import ROOT


def table_schema(table: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))


def check_names(column: pa.Column) -> set[str]:
    return {check.name for check in column.checks}


@pytest.mark.parametrize("table", ad.TABLES)
def test_pandera_schema_agrees_with_the_table_schema_field_by_field(table: str) -> None:
    """Columns, order, dtypes, nullability, uniqueness and constraint checks follow the Table Schema."""
    source = table_schema(table)
    schema = ad.schema(table)
    assert list(schema.columns) == [f["name"] for f in source["fields"]]
    assert schema.strict is True and schema.ordered is True
    expected_checks = {
        "enum": "isin",
        "pattern": "pattern",
        "minimum": "greater_than_or_equal_to",
        "maximum": "less_than_or_equal_to",
        "minLength": "str_length",
        "maxLength": "str_length",
        "unique": "unique",
    }
    list_check = {"array_items"}  # an array field: non-empty lists of non-empty strings
    for field in source["fields"]:
        column = schema.columns[field["name"]]
        constraints = field.get("constraints", {})
        assert column.dtype == pandas_engine.Engine.dtype(pandas_dtype(field)), field["name"]
        assert column.nullable is not constraints.get("required", False), field["name"]
        assert column.unique is False, field["name"]  # a check: pandera's own option counts nulls as equal
        expected = {expected_checks[k] for k in constraints if k in expected_checks}
        assert check_names(column) == expected | (list_check if field["type"] == "array" else set()), field["name"]
        assert column.description == field["description"]


@pytest.mark.parametrize("table", ad.TABLES)
def test_pandera_schema_matches_pandera_own_frictionless_reader(table: str) -> None:
    """Pandera's own Table Schema reader agrees on columns, nullability, uniqueness and enum values.

    An ``array`` field (aliases) it reads as ``object``, as article_data does.
    """
    source = table_schema(table)
    theirs = from_frictionless_schema(source)
    ours = ad.schema(table)
    assert set(theirs.columns) == set(ours.columns)
    for name, column in theirs.columns.items():
        assert column.nullable == ours.columns[name].nullable, name
        assert column.unique == ("unique" in check_names(ours.columns[name])), name
        their_enum = [c.statistics.get("allowed_values") for c in column.checks if c.name == "isin"]
        our_enum = [c.statistics.get("allowed_values") for c in ours.columns[name].checks if c.name == "isin"]
        assert [sorted(v) for v in their_enum] == [sorted(v) for v in our_enum], name


@pytest.mark.parametrize("table", ad.TABLES)
def test_published_tables_pass_their_pandera_schema(table: str) -> None:
    """Every published table validates against its own pandera schema."""
    ad.schema(table).validate(ad.load(table), lazy=True)


def failures(table: str, frame: pd.DataFrame) -> set[str]:
    with pytest.raises(pa.errors.SchemaErrors) as info:
        ad.schema(table).validate(frame, lazy=True)
    return set(info.value.failure_cases["check"].astype(str))


def test_row_rule_speech_needs_exactly_one_speaker() -> None:
    """A speech row with no speaker, or with both, fails; a name quote with a speaker fails too."""
    quotes = ad.load("quotes")
    quotes.loc[0, "speaker_person_id"] = pd.NA
    quotes.loc[1, "speaker_organization_id"] = "time"
    name_row = quotes.index[quotes.quote_type == "name"][0]
    quotes.loc[name_row, "speaker_person_id"] = "yan"
    found = failures("quotes", quotes)
    assert any(c.startswith("speech_has_one_speaker") for c in found)


@pytest.mark.parametrize(("quote_type", "value"), [("unmarked", False), ("indirect", True), ("direct", None)])
def test_row_rule_has_closing_mark_is_null_exactly_for_unmarked_speech(quote_type: str, value: bool | None) -> None:
    """An unmarked or indirect row with a has_closing_mark fails (it has no mark to close), and a marked row without one."""
    quotes = ad.load("quotes")
    quotes.loc[quotes.index[quotes.quote_type == quote_type][0], "has_closing_mark"] = pd.NA if value is None else value
    assert "closing_mark_null_exactly_unmarked" in {c.split(":")[0] for c in failures("quotes", quotes)}


@pytest.mark.parametrize("value", [[], ["Putin", ""], ["Putin", 5], "Putin"])
def test_an_array_column_holds_non_empty_lists_of_non_empty_strings(value: object) -> None:
    """An empty list (null is the one way to say none), an empty item, a non-string item, or a string fail."""
    people = ad.load("people")
    people.at[people.index[people.person_id == "vladimir_putin"][0], "aliases"] = value
    assert any("a non-empty list of non-empty strings" in c for c in failures("people", people))


def test_row_rule_mention_names_exactly_one_entity() -> None:
    """A mention linked to two entities fails."""
    mentions = ad.load("mentions")
    mentions.loc[0, "place_id"] = "kyiv"
    assert any(c.startswith("mention_has_one_entity") for c in failures("mentions", mentions))


def test_row_rule_figure_has_value_or_date() -> None:
    """A date figure without a date, or a count with a date, fails."""
    figures = ad.load("figures")
    date_row = figures.index[figures.kind == "date"][0]
    figures.loc[date_row, "date"] = pd.NA
    figures.loc[date_row, "date_precision"] = pd.NA
    assert any(c.startswith("figure_value_or_date") for c in failures("figures", figures))


def test_enum_and_pattern_checks_catch_bad_values() -> None:
    """An id with capitals and a Wikidata id without the Q fail their column checks."""
    people = ad.load("people")
    people.loc[0, "person_id"] = "Putin"
    people.loc[0, "wikidata_id"] = "7747"
    assert {"pattern ^[a-z][a-z0-9_]*$", "pattern ^Q[1-9][0-9]*$"} <= failures("people", people)
