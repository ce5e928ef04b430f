"""Table files parsed into Arrow (article_data._parse): CSV and Parquet alike, typed by the Table Schema, columns checked."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from article_data._parse import parse_table
from article_data._tableschema import TableSchema, check_table_schema
from article_data._types import arrow_schema
from helpers import ROOT

TABLES = [
    r["name"]
    for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]
    if r.get("format") == "csv" and r.get("schema")
]


def published_schema(table: str) -> TableSchema:
    path = ROOT / "schemas" / f"{table}.schema.json"
    return check_table_schema(json.loads(path.read_text(encoding="utf-8")), str(path))


def small_schema(fields: list[dict[str, Any]]) -> TableSchema:
    return check_table_schema({"fields": fields}, "test schema")


def parquet_of(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def test_parse_covers_every_published_table() -> None:
    """The published package has tables to parse, each with a CSV and a Parquet file."""
    assert len(TABLES) >= 9
    for table in TABLES:
        assert (ROOT / "data" / f"{table}.csv").is_file() and (ROOT / "data" / f"{table}.parquet").is_file()


@pytest.mark.parametrize("table", TABLES, ids=TABLES)
def test_parse_table_csv_and_parquet_give_identical_typed_tables(table: str) -> None:
    """A published table's CSV and Parquet bytes parse to equal Arrow tables with exactly the schema's types."""
    schema = published_schema(table)
    from_csv = parse_table((ROOT / "data" / f"{table}.csv").read_bytes(), "csv", schema)
    from_parquet = parse_table((ROOT / "data" / f"{table}.parquet").read_bytes(), "parquet", schema)
    expected = arrow_schema(list(schema.fields))
    assert from_csv.schema.equals(expected, check_metadata=False), from_csv.schema
    assert from_parquet.schema.equals(expected, check_metadata=False), from_parquet.schema
    assert from_csv.num_rows > 0
    assert from_csv.equals(from_parquet)


def test_parse_table_gives_the_schema_types_to_every_column() -> None:
    """Table Schema string, integer, number, boolean and date become Arrow string, int64, float64, bool and date32."""
    schema = small_schema(
        [
            {"name": "s", "type": "string"},
            {"name": "i", "type": "integer"},
            {"name": "f", "type": "number"},
            {"name": "b", "type": "boolean"},
            {"name": "d", "type": "date"},
        ]
    )
    table = parse_table(b"s,i,f,b,d\nx,1,2,true,2022-04-08\n", "csv", schema)
    assert [f.type for f in table.schema] == [pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.date32()]
    assert table.to_pylist()[0]["f"] == 2.0 and isinstance(table.to_pylist()[0]["f"], float)


def test_parse_table_reads_csv_true_false_and_empty_cells_as_null() -> None:
    """In CSV "true"/"false" are booleans and an empty cell is null in every type of column."""
    schema = small_schema(
        [
            {"name": "s", "type": "string"},
            {"name": "b", "type": "boolean"},
            {"name": "i", "type": "integer"},
            {"name": "d", "type": "date"},
        ]
    )
    table = parse_table(b"s,b,i,d\nx,true,1,2022-04-08\n,false,,\n", "csv", schema)
    assert table.to_pylist() == [
        {"s": "x", "b": True, "i": 1, "d": dt.date(2022, 4, 8)},
        {"s": None, "b": False, "i": None, "d": None},
    ]


@pytest.mark.parametrize("spelling", ["True", "TRUE", "1", "yes"])
def test_parse_table_refuses_other_spellings_of_a_boolean(spelling: str) -> None:
    """Only the lowercase "true" and "false" the writer produces are booleans; any other spelling is an error."""
    schema = small_schema([{"name": "b", "type": "boolean"}])
    with pytest.raises(pa.ArrowInvalid, match=spelling):
        parse_table(f"b\n{spelling}\n".encode(), "csv", schema)


def test_parse_table_keeps_line_breaks_inside_quoted_csv_cells() -> None:
    """A quoted CSV cell holding a line break is one value, not two rows."""
    schema = small_schema([{"name": "s", "type": "string"}, {"name": "i", "type": "integer"}])
    table = parse_table(b's,i\n"two\nlines",1\nnext,2\n', "csv", schema)
    assert table.column("s").to_pylist() == ["two\nlines", "next"]


def test_parse_table_refuses_a_null_in_a_required_column() -> None:
    """An empty cell in a required column cannot become the schema's non-nullable column."""
    schema = small_schema(
        [{"name": "s", "type": "string", "constraints": {"required": True}}, {"name": "t", "type": "integer"}]
    )
    assert parse_table(b"s,t\nx,1\n", "csv", schema).schema.field("s").nullable is False
    with pytest.raises(ValueError, match="'s' with null values to non-nullable"):
        parse_table(b"s,t\n,1\n", "csv", schema)


def test_parse_table_casts_parquet_columns_to_the_schema_types() -> None:
    """A Parquet file storing an integer column as int32 is cast to the schema's int64."""
    schema = small_schema([{"name": "i", "type": "integer"}])
    data = parquet_of(pa.table({"i": pa.array([1, 2], type=pa.int32())}))
    table = parse_table(data, "parquet", schema)
    assert table.schema.field("i").type == pa.int64()
    assert table.column("i").to_pylist() == [1, 2]


COLUMN_CHANGES = {
    "missing": ["paragraph_id", "position", "line_number", "kind", "char_start", "char_end"],
    "extra": ["paragraph_id", "position", "line_number", "kind", "char_start", "char_end", "text", "note"],
    "reordered": ["position", "paragraph_id", "line_number", "kind", "char_start", "char_end", "text"],
}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("change", list(COLUMN_CHANGES), ids=list(COLUMN_CHANGES))
def test_parse_table_refuses_columns_that_differ_from_the_schema(change: str, fmt: str) -> None:
    """A file with a missing, extra or reordered column raises ValueError naming the expected and found columns."""
    schema = published_schema("paragraphs")
    published = parse_table((ROOT / "data" / "paragraphs.csv").read_bytes(), "csv", schema)
    columns = COLUMN_CHANGES[change]
    changed = pa.table(
        {
            c: (published.column(c) if c in published.column_names else pa.array(["x"] * published.num_rows))
            for c in columns
        }
    )
    if fmt == "csv":
        import pyarrow.csv as pacsv

        sink = io.BytesIO()
        pacsv.write_csv(changed, sink)
        data = sink.getvalue()
    else:
        data = parquet_of(changed)
    with pytest.raises(ValueError) as raised:
        parse_table(data, fmt, schema)
    message = str(raised.value)
    assert f"expected the columns {list(schema.names)}" in message
    assert f"found {columns}" in message


@pytest.mark.parametrize("fmt", ["json", "CSV", "xlsx", ""])
def test_parse_table_refuses_an_unknown_format(fmt: str) -> None:
    """A format other than csv or parquet raises ValueError naming the format and the ones accepted."""
    schema = small_schema([{"name": "s", "type": "string"}])
    with pytest.raises(ValueError, match=rf"cannot parse the format {fmt!r} as a table; expected csv or parquet"):
        parse_table(b"s\nx\n", fmt, schema)


def test_parse_table_lets_damaged_parquet_raise() -> None:
    """Bytes that are not Parquet raise pyarrow's error (the caller names the file)."""
    schema = published_schema("paragraphs")
    data = bytearray((ROOT / "data" / "paragraphs.parquet").read_bytes())
    data[-8:-4] = b"\xff\xff\xff\x7f"  # the footer length points outside the file
    with pytest.raises((pa.ArrowException, OSError)):
        parse_table(bytes(data), "parquet", schema)
