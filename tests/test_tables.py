"""One table read (article_data._tables): Parquet always hashed, CSV hashed on request, damage named by file and table."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from article_data._errors import ArticleDataError, IntegrityError, UnknownTableError
from article_data._files import FolderSource
from article_data._reader import Reader
from article_data._tables import load_arrow, load_frame
from article_data._types import arrow_schema
from helpers import ROOT, declare

TABLES = tuple(
    r["name"]
    for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]
    if r.get("format") == "csv" and r.get("schema")
)
LOADERS = {"load_frame": load_frame, "load_arrow": load_arrow}


def reader_of(root: Path) -> Reader:
    return Reader(FolderSource(root))


def flip(path: Path, at: int) -> None:
    """Change one byte of a file, keeping its size."""
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("table", TABLES)
def test_load_frame_gives_the_same_frame_from_csv_and_parquet(table: str) -> None:
    """Both formats of a published table load to equal DataFrames with the documented dtypes."""
    reader = reader_of(ROOT)
    from_parquet = load_frame(reader, table)
    pd.testing.assert_frame_equal(load_frame(reader, table, fmt="csv"), from_parquet)
    assert list(from_parquet.columns) == list(reader.schema(table).names)
    for field in reader.schema(table).fields:
        if "enum" in field.get("constraints", {}):
            assert isinstance(from_parquet[field["name"]].dtype, pd.CategoricalDtype)
            assert list(from_parquet[field["name"]].cat.categories) == field["constraints"]["enum"]


def test_load_arrow_gives_the_schema_types() -> None:
    """load_arrow is the Arrow table typed by the schema, Parquet by default."""
    reader = reader_of(ROOT)
    table = load_arrow(reader, "quotes")
    assert isinstance(table, pa.Table)
    assert table.schema.equals(arrow_schema(list(reader.schema("quotes").fields)), check_metadata=False)
    assert table.equals(load_arrow(reader, "quotes", fmt="csv"))


@pytest.mark.parametrize("loader", list(LOADERS))
def test_load_without_verify_still_hashes_parquet(package_copy: Path, loader: str) -> None:
    """A flipped Parquet byte raises IntegrityError even with verify=False: Parquet is always hashed first."""
    path = package_copy / "data" / "places.parquet"
    flip(path, path.stat().st_size // 2)
    with pytest.raises(IntegrityError, match=r"places.parquet: content differs from the descriptor") as raised:
        LOADERS[loader](reader_of(package_copy), "places", verify=False)
    assert raised.value.path == str(path)


@pytest.mark.parametrize("loader", list(LOADERS))
def test_load_without_verify_does_not_hash_csv(package_copy: Path, loader: str) -> None:
    """A same-size change to a CSV file loads with verify=False and is refused with verify=True."""
    path = package_copy / "data" / "places.csv"
    text = path.read_text(encoding="utf-8")
    assert "Ukraine,,country" in text
    path.write_text(text.replace("Ukraine,,country", "Ukrainf,,country", 1), encoding="utf-8")
    reader = reader_of(package_copy)
    loaded = LOADERS[loader](reader, "places", verify=False, fmt="csv")
    names = loaded["name"].to_pylist() if isinstance(loaded, pa.Table) else list(loaded["name"])
    assert "Ukrainf" in names
    with pytest.raises(IntegrityError, match=r"places.csv: content differs"):
        LOADERS[loader](reader, "places", verify=True, fmt="csv")


def test_load_without_verify_still_checks_the_csv_size(package_copy: Path) -> None:
    """verify=False skips the CSV hash only: a CSV file of another size is still refused."""
    path = package_copy / "data" / "places.csv"
    path.write_bytes(path.read_bytes() + b"extra,row,,country,\n")
    with pytest.raises(IntegrityError, match=r"places.csv: size differs from the descriptor"):
        load_frame(reader_of(package_copy), "places", verify=False, fmt="csv")


DAMAGED = {
    "csv, wrong columns": (
        "csv",
        lambda data: data.replace(b"place_id,name", b"name,place_id", 1),
        r"ValueError: expected the columns",
    ),
    "csv, text in an integer column": ("csv", None, r"ArrowInvalid"),
    "parquet, truncated": ("parquet", lambda data: data[: len(data) // 2], r"ArrowInvalid: Parquet magic bytes"),
    "parquet, not parquet": ("parquet", lambda data: b"place_id\nukraine\n", r"ArrowInvalid: Parquet magic bytes"),
    "parquet, wrong columns": ("parquet", None, r"ValueError: expected the columns"),
}


@pytest.mark.parametrize("case", list(DAMAGED), ids=list(DAMAGED))
@pytest.mark.parametrize("loader", list(LOADERS))
def test_load_names_a_declared_file_that_cannot_be_read(package_copy: Path, loader: str, case: str) -> None:
    """A damaged file whose hash is declared raises ArticleDataError naming the file, format and table."""
    fmt, change, why = DAMAGED[case]
    table = "places" if change is not None else "paragraphs"
    rel = f"data/{table}.{fmt}"
    data = (package_copy / rel).read_bytes()
    if change is not None:
        damaged = change(data)
    elif fmt == "csv":  # the position of p01 becomes a word
        assert b"\np01,1,1," in data
        damaged = data.replace(b"\np01,1,1,", b"\np01,one,1,", 1)
    else:  # a well-formed Parquet file with a column too few
        sink = io.BytesIO()
        pq.write_table(pq.read_table(io.BytesIO(data)).drop_columns(["text"]), sink)
        damaged = sink.getvalue()
    declare(package_copy, rel, damaged)
    with pytest.raises(ArticleDataError) as raised:
        LOADERS[loader](reader_of(package_copy), table, fmt=fmt)
    message = str(raised.value)
    assert type(raised.value) is ArticleDataError  # not an IntegrityError: the bytes are the declared ones
    assert message.startswith(f"{package_copy / rel}: cannot be read as the {fmt} table {table!r} (")
    assert re.search(why, message), message
    assert "Run `article-data verify`" in message


def test_load_frame_names_the_column_with_a_value_outside_its_enum(package_copy: Path) -> None:
    """A declared CSV cell outside its column's enum raises ArticleDataError naming the file and the column."""
    rel = "data/places.csv"
    data = (package_copy / rel).read_bytes()
    declare(package_copy, rel, data.replace(b"Ukraine,,country,", b"Ukraine,,planet,", 1))
    reader = reader_of(package_copy)
    with pytest.raises(ArticleDataError) as raised:
        load_frame(reader, "places", fmt="csv")
    message = str(raised.value)
    assert message.startswith(f"{package_copy / rel}: cannot be read as the csv table 'places' (")
    assert "column 'kind' holds 1 value(s) outside its enum, e.g. ['planet']" in message
    assert "expected one of" in message and "'country'" in message


def test_load_arrow_leaves_enums_to_the_frame(package_copy: Path) -> None:
    """load_arrow has no enum to check: the value outside the enum is read as a plain string."""
    rel = "data/places.csv"
    data = (package_copy / rel).read_bytes()
    declare(package_copy, rel, data.replace(b"Ukraine,,country,", b"Ukraine,,planet,", 1))
    assert "planet" in load_arrow(reader_of(package_copy), "places", fmt="csv")["kind"].to_pylist()


def test_load_refuses_an_unknown_table() -> None:
    """load_frame of a name that is not a table raises UnknownTableError before reading anything."""
    with pytest.raises(UnknownTableError, match="unknown table 'place'"):
        load_frame(reader_of(ROOT), "place")
