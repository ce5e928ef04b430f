"""The one writer of table files: CSV a spreadsheet and a parser agree on, reproducible Parquet with checksums."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import article_data as ad
from article_data._formats import (
    PARQUET_OPTIONS,
    csv_bytes,
    parquet_bytes,
    table_metadata,
)
from article_data._types import arrow_schema

TEXT = [{"name": "id", "type": "string"}, {"name": "text", "type": "string"}]
TYPED = [
    {"name": "id", "type": "string", "constraints": {"required": True}},
    {"name": "count", "type": "integer"},
    {"name": "value", "type": "number"},
    {"name": "flag", "type": "boolean"},
    {"name": "day", "type": "date"},
]
TYPED_ROWS: list[dict[str, Any]] = [
    {"id": "a", "count": 1, "value": 2.5, "flag": True, "day": "2022-04-08"},
    {"id": "b", "count": None, "value": 3, "flag": False, "day": dt.date(2022, 2, 24)},
    {"id": "c", "count": -7, "value": None, "flag": None, "day": None},
]
#: Cells a CSV writer must quote (or can leave bare), with a tricky neighbour for each.
AWKWARD = [
    "plain",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "carriage\rreturn",
    "both\r\nends",
    "\n",
    "\r",
    '"',
    ",",
    "trailing space ",
    " leading",
    "Київ “quoted” — ü \U0001f600",
    "=1+1",
    "",
]


def published_rows(table: str) -> list[dict[str, Any]]:
    """A table's rows as Python values, as loaded from its CSV file."""
    frame = ad.load(table, format="csv")
    return [
        {k: (v if isinstance(v, list) or not pd.isna(v) else None) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def fields_of(table: str) -> list[dict[str, Any]]:
    return ad.Package(ad.path()).table_schema(table)["fields"]


def test_csv_bytes_writes_a_header_and_lf_line_ends() -> None:
    """The first line is the field names in order, each row ends in LF, and the file ends in one LF."""
    data = csv_bytes(TEXT, [{"id": "r1", "text": "x"}, {"id": "r2", "text": "y"}])
    assert data == b"id,text\nr1,x\nr2,y\n"
    assert csv_bytes(TEXT, []) == b"id,text\n"


def test_csv_bytes_takes_columns_from_the_fields_not_the_rows() -> None:
    """Columns follow the field order; a missing key is an empty cell and an extra key is dropped."""
    data = csv_bytes(TEXT, [{"text": "t", "extra": "dropped", "id": "i"}, {"id": "only"}])
    assert data == b"id,text\ni,t\nonly,\n"


@pytest.mark.parametrize("cell", AWKWARD)
def test_csv_bytes_quotes_cells_that_could_split_a_row(cell: str) -> None:
    """A cell holding a comma, a quote, LF or CR is quoted; others are bare; the line ends stay LF."""
    data = csv_bytes(TEXT, [{"id": "r", "text": cell}])
    assert data.startswith(b"id,text\n")
    line = data.decode("utf-8").split("\n", 1)[1]
    if any(c in cell for c in ',"\n\r'):
        assert line == 'r,"' + cell.replace('"', '""') + '"\n'
    else:
        assert line == f"r,{cell}\n"
    assert "\r" not in line.replace(cell, ""), "no CR outside the cell itself"


def test_csv_bytes_reads_back_with_python_csv_and_pyarrow() -> None:
    """Every awkward cell comes back unchanged from Python's csv module and from pyarrow with newlines_in_values."""
    rows = [{"id": f"r{i}", "text": cell} for i, cell in enumerate(AWKWARD)]
    data = csv_bytes(TEXT, rows)
    assert data.count(b"\n") > len(rows) + 1, "some cells hold line breaks"
    read = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert read == [["id", "text"], *([r["id"], r["text"]] for r in rows)]
    table = pacsv.read_csv(
        io.BytesIO(data),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={"id": pa.string(), "text": pa.string()}, strings_can_be_null=False
        ),
    )
    assert table.column("id").to_pylist() == [r["id"] for r in rows]
    assert table.column("text").to_pylist() == [r["text"] for r in rows]


def test_csv_bytes_writes_none_booleans_floats_and_dates_as_text() -> None:
    """None is an empty cell, booleans true/false, integral floats integers, other floats repr, dates ISO."""
    data = csv_bytes(TYPED, TYPED_ROWS).decode("utf-8")
    assert data.splitlines() == [
        "id,count,value,flag,day",
        "a,1,2.5,true,2022-04-08",
        "b,,3,false,2022-02-24",
        "c,-7,,,",
    ]
    floats = [{"name": "value", "type": "number"}]
    values = [3.0, -0.0, 0.1, 1e20, 2.0**53, 2.0**53 - 1, float("inf")]
    lines = csv_bytes(floats, [{"value": v} for v in values]).decode().splitlines()[1:]
    assert lines == ["3", "0", "0.1", "1e+20", "9007199254740992.0", "9007199254740991", "inf"]


def test_csv_bytes_uses_a_given_cell_function() -> None:
    """A cell function replaces the default conversion of every data cell, never of the header."""
    data = csv_bytes(TEXT, [{"id": "a", "text": None}], cell=lambda v: "<" + repr(v) + ">")
    assert data == b"id,text\n<'a'>,<None>\n"


def test_csv_bytes_is_utf8_without_a_bom() -> None:
    """Non-ASCII text is written as UTF-8 with no byte order mark."""
    data = csv_bytes(TEXT, [{"id": "k", "text": "Київ"}])
    assert not data.startswith(b"\xef\xbb\xbf") and "Київ".encode() in data


def test_parquet_bytes_is_reproducible() -> None:
    """The same rows give the same bytes twice, and different rows different bytes."""
    first = parquet_bytes(TYPED, TYPED_ROWS)
    assert first == parquet_bytes(TYPED, [dict(r) for r in TYPED_ROWS])
    assert first != parquet_bytes(TYPED, TYPED_ROWS[:2])


def test_parquet_bytes_reads_back_with_the_schema_types_and_values() -> None:
    """Pyarrow reads the Table Schema's Arrow types (dates as date32, integers as float for numbers) and the values."""
    table = pq.read_table(io.BytesIO(parquet_bytes(TYPED, TYPED_ROWS)))
    assert table.schema.equals(arrow_schema(TYPED))
    assert table.schema.field("day").type == pa.date32() and table.schema.field("value").type == pa.float64()
    assert not table.schema.field("id").nullable and table.schema.field("count").nullable
    assert table.to_pylist() == [
        {"id": "a", "count": 1, "value": 2.5, "flag": True, "day": dt.date(2022, 4, 8)},
        {"id": "b", "count": None, "value": 3.0, "flag": False, "day": dt.date(2022, 2, 24)},
        {"id": "c", "count": -7, "value": None, "flag": None, "day": None},
    ]


def test_parquet_bytes_uses_the_pinned_writer_options() -> None:
    """The file is format 2.6, zstd-compressed, with statistics, as PARQUET_OPTIONS says."""
    metadata = pq.ParquetFile(io.BytesIO(parquet_bytes(TYPED, TYPED_ROWS))).metadata
    assert PARQUET_OPTIONS["write_page_checksum"] is True
    assert metadata.format_version == PARQUET_OPTIONS["version"] == "2.6"
    assert metadata.num_rows == len(TYPED_ROWS)
    for i in range(metadata.num_columns):
        column = metadata.row_group(0).column(i)
        assert column.compression == "ZSTD" and column.is_stats_set, column.path_in_schema


def test_parquet_bytes_refuses_a_missing_required_value() -> None:
    """A None in a required column is an error, not a silently nullable file."""
    with pytest.raises((pa.ArrowInvalid, ValueError)):
        parquet_bytes(TYPED, [{"id": None, "count": 1}])


def flipped_outcomes(data: bytes, start: int, stop: int) -> list[tuple[str, str]]:
    """For each byte in [start, stop), the outcome of reading with and without page checksum verification."""
    outcomes = []
    for position in range(start, stop):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        pair = []
        for verify in (True, False):
            try:
                pq.ParquetFile(io.BytesIO(bytes(damaged)), page_checksum_verification=verify).read()
                pair.append("ok")
            except (OSError, pa.ArrowException) as exc:
                pair.append("crc" if "CRC checksum verification failed" in str(exc) else "other")
        outcomes.append((pair[0], pair[1]))
    return outcomes


def test_parquet_bytes_has_page_checksums() -> None:
    """A flipped byte in a page that reads silently without verification fails the CRC check with it."""
    fields = [{"name": "t", "type": "string"}]
    rows = [{"t": f"hello world {i}"} for i in range(50)]
    data = parquet_bytes(fields, rows)
    assert pq.ParquetFile(io.BytesIO(data), page_checksum_verification=True).read().column("t").to_pylist() == [
        r["t"] for r in rows
    ]
    column = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(0).column(0)
    start = column.dictionary_page_offset or column.data_page_offset
    outcomes = flipped_outcomes(data, start, start + column.total_compressed_size)
    assert ("crc", "ok") in outcomes, "a silent corruption must be caught by the page checksum"
    # The same file without checksums: no flip is ever reported as a CRC failure.
    sink = io.BytesIO()
    pq.write_table(
        pa.table({"t": [r["t"] for r in rows]}, schema=arrow_schema(fields)),
        sink,
        **{**PARQUET_OPTIONS, "write_page_checksum": False},
    )
    plain = sink.getvalue()
    column = pq.ParquetFile(io.BytesIO(plain)).metadata.row_group(0).column(0)
    start = column.dictionary_page_offset or column.data_page_offset
    assert all(v != "crc" for v, _ in flipped_outcomes(plain, start, start + column.total_compressed_size))


@pytest.mark.parametrize("table", ad.TABLES)
def test_published_csv_files_were_written_by_csv_bytes(table: str) -> None:
    """Each published CSV file is byte for byte what csv_bytes writes from its loaded rows."""
    expected = ad.path(table, format="csv").read_bytes()
    assert csv_bytes(fields_of(table), published_rows(table)) == expected


@pytest.mark.parametrize("table", ad.TABLES)
def test_published_parquet_files_were_written_by_parquet_bytes(table: str) -> None:
    """Each published Parquet file is byte for byte what parquet_bytes writes from its loaded rows."""
    expected = ad.path(table, format="parquet").read_bytes()
    metadata = table_metadata(ad.descriptor(), table, ad.Package(ad.path()).table_schema(table))
    assert parquet_bytes(fields_of(table), published_rows(table), metadata) == expected


@pytest.mark.parametrize("table", ad.TABLES)
def test_every_parquet_file_describes_itself(table: str) -> None:
    """read_schema shows the dataset, version, licence and text hash, and each column's description, type and enum."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(ad.path(table, format="parquet"))
    meta = {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}
    assert meta["dataset"] == "article-data" and meta["dataset_version"] == ad.__version__ and meta["table"] == table
    assert meta["license"].startswith("CC-BY-4.0")
    assert meta["article_sha256"] == ad.descriptor()["resources"][0]["hash"].removeprefix("sha256:")
    for field in ad.Package(ad.path()).table_schema(table)["fields"]:
        column = {k.decode(): v.decode() for k, v in (schema.field(field["name"]).metadata or {}).items()}
        assert column["description"] == field["description"] and column["table_schema_type"] == field["type"]
        enum = field.get("constraints", {}).get("enum")
        assert (json.loads(column["enum"]) if "enum" in column else None) == enum
