"""Export: a table as CSV, Parquet or JSON bytes, written by the published files' own writer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import article_data as ad
from article_data._export import FORMULA_PREFIXES, TABLE_FORMATS, neutralise
from helpers import replace_table


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_prefixes_every_formula_start(prefix: str) -> None:
    """A text starting with = + - @ tab or CR gets a leading apostrophe, the rest unchanged."""
    assert prefix in FORMULA_PREFIXES
    assert neutralise(prefix + "SUM(A1:A9)") == "'" + prefix + "SUM(A1:A9)"
    assert neutralise(prefix) == "'" + prefix


@pytest.mark.parametrize("text", ["Kyiv", "", " =1+1", "a=b", "'=1+1", "\n=1", "1-2", "“=”", "Київ"])
def test_neutralise_leaves_other_text_alone(text: str) -> None:
    """Text that does not start with a formula character, including one already protected, is unchanged."""
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [None, -5, -2.5, 0, True, False, dt.date(2022, 4, 8), b"=1", ("=1",)])
def test_neutralise_leaves_non_strings_alone(value: object) -> None:
    """Numbers (negative ones too), booleans, None, dates and other non-strings come back as the same object."""
    assert neutralise(value) is value


def test_neutralise_protects_each_item_of_a_list_cell() -> None:
    """A list cell (aliases) is joined into one CSV cell, so each item that starts a formula is prefixed."""
    assert neutralise(["=1+1", "Kyiv", "@x"]) == ["'=1+1", "Kyiv", "'@x"]


@pytest.mark.parametrize("table", ad.TABLES)
def test_export_parquet_equals_the_published_file(table: str) -> None:
    """Exported Parquet is byte for byte the published Parquet file."""
    assert ad.export(table, "parquet") == ad.path(table, format="parquet").read_bytes()


@pytest.mark.parametrize("table", ad.TABLES)
def test_export_raw_csv_equals_the_published_file(table: str) -> None:
    """Exported CSV without formula protection is byte for byte the published CSV file."""
    assert ad.export(table, "csv", protect_formulas=False) == ad.path(table, format="csv").read_bytes()


def test_export_parquet_is_the_default_format() -> None:
    """export(table) writes Parquet, the default of every ``format`` in the library; CSV when asked."""
    assert ad.export("people").startswith(b"PAR1")
    assert ad.export("people", "csv") == ad.export("people", "csv", protect_formulas=False)


@pytest.mark.parametrize("table", ad.TABLES)
def test_export_json_is_a_list_of_rows_with_iso_dates(table: str) -> None:
    """JSON export is a list of one object per row, keys in field order, dates ISO strings, nulls for missing."""
    data = ad.export(table, "json")
    assert data.endswith(b"\n")
    document = json.loads(data.decode("utf-8"))
    frame = ad.load(table)
    assert isinstance(document, list) and len(document) == len(frame)
    assert all(list(row) == list(frame.columns) for row in document)
    for row, expected in zip(document, frame.to_dict("records")):
        for column, value in expected.items():
            if isinstance(value, list):  # an array field (aliases) is a JSON array
                assert row[column] == value, (table, column)
            elif pd.isna(value):
                assert row[column] is None, (table, column)
            elif isinstance(value, dt.date):
                assert row[column] == value.isoformat(), (table, column)
            else:
                assert row[column] == value, (table, column)


def test_export_json_keeps_dates_and_unicode_readable() -> None:
    """Image dates are YYYY-MM-DD strings and non-ASCII text is written as UTF-8, not escaped."""
    data = ad.export("images", "json")
    dates = [row["date_taken"] for row in json.loads(data)]
    assert dates and all(dt.date.fromisoformat(d).isoformat() == d for d in dates)
    assert "—".encode() in data and b"\\u2014" not in data


@pytest.mark.parametrize("fmt", ["xlsx", "CSV", "", "parquet ", None])
def test_export_unknown_format_raises_format_error(fmt: object) -> None:
    """An unknown format raises FormatError (a ValueError) listing what one table is written as."""
    with pytest.raises(ad.FormatError) as info:
        ad.export("quotes", fmt)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert info.value.valid == TABLE_FORMATS == ("parquet", "csv", "json")
    assert "expected one of parquet, csv, json" in str(info.value)


def test_export_unknown_table_raises_unknown_table_error() -> None:
    """An unknown table raises UnknownTableError naming the tables."""
    with pytest.raises(ad.UnknownTableError, match="quotes"):
        ad.export("speakers", "csv")


def test_export_protects_formula_cells_only_in_csv(package_copy: Path) -> None:
    """Cells starting with a formula character get a ' in CSV; raw CSV, Parquet and JSON keep them as they are."""
    package = ad.Package(package_copy)
    people = package.load("people")
    people.loc[0, "description"] = '=HYPERLINK("http://x")'
    people.loc[1, "description"] = "-1 and counting"
    people.loc[2, "description"] = "@user"
    replace_table(package_copy, "people", people)
    package = ad.Package(package_copy)
    protected = package.export("people", "csv").decode("utf-8")
    raw = package.export("people", "csv", protect_formulas=False).decode("utf-8")
    assert '"\'=HYPERLINK(""http://x"")"' in protected and ",'-1 and counting," in protected
    assert ",'@user," in protected
    assert '"=HYPERLINK(""http://x"")"' in raw and "'=" not in raw and "'-1" not in raw and "'@" not in raw
    assert raw.encode() == (package_copy / "data" / "people.csv").read_bytes()
    assert protected.replace("'=", "=").replace("'-1", "-1").replace("'@", "@") == raw
    described = [row["description"] for row in json.loads(package.export("people", "json"))][:3]
    assert described == ['=HYPERLINK("http://x")', "-1 and counting", "@user"]
    parquet = pa.BufferReader(package.export("people", "parquet"))
    assert pq.read_table(parquet).column("description").to_pylist()[:3] == described


def test_export_verifies_the_file_it_reads(package_copy: Path) -> None:
    """A damaged table file is refused with IntegrityError rather than exported."""
    target = package_copy / "data" / "places.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x20
    target.write_bytes(bytes(data))
    for fmt in TABLE_FORMATS:
        with pytest.raises(ad.IntegrityError, match="places.parquet"):
            ad.Package(package_copy).export("places", fmt)
