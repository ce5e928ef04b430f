"""The page-header walker (``article_data._pages``) agrees with pyarrow on honest files and refuses what does not hold."""

from __future__ import annotations

import io
import json
import struct

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import article_data as ad
from article_data._bounds import _check_footer, read_parquet
from article_data._pages import _page_header, _Reader, column_pages
from helpers import ROOT


def sample_table(rows: int) -> pa.Table:
    return pa.table(
        {
            "id": [f"row-{i}" for i in range(rows)],
            "kind": [("a", "b", None)[i % 3] for i in range(rows)],
            "count": pa.array([i if i % 5 else None for i in range(rows)], pa.int64()),
            "items": pa.array([[f"x{i}"] * (i % 4) if i % 7 else None for i in range(rows)], pa.list_(pa.string())),
        }
    )


WRITERS = {
    "defaults": {},
    "plain, uncompressed": {"use_dictionary": False, "compression": "none"},
    "data pages v2, zstd": {"data_page_version": "2.0", "compression": "zstd"},
    "small pages and groups": {"data_page_size": 256, "row_group_size": 700, "compression": "snappy"},
    "delta strings": {
        "use_dictionary": False,
        "column_encoding": {"id": "DELTA_BYTE_ARRAY", "kind": "DELTA_BYTE_ARRAY"},
    },
    "page checksums, no statistics": {"write_page_checksum": True, "write_statistics": False},
}


def written(table: pa.Table, **options: object) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, **options)
    return sink.getvalue()


def check_against_metadata(data: bytes) -> None:
    """Per column: page bytes within the footer's sizes, a value per row, dictionary and delta pages as declared."""
    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    pages = column_pages(data, metadata)
    chunks = [
        metadata.row_group(g).column(c) for g in range(metadata.num_row_groups) for c in range(metadata.num_columns)
    ]
    for path, column in pages.items():
        mine = [chunk for chunk in chunks if chunk.path_in_schema == path]
        headers = sum(chunk.total_uncompressed_size for chunk in mine)
        assert 0 < column.uncompressed <= headers, path
        assert bool(column.largest_dictionary) == any(chunk.has_dictionary_page for chunk in mine), path
        assert bool(column.largest_delta) == any("DELTA_BYTE_ARRAY" in chunk.encodings for chunk in mine), path
        if "." not in path:
            assert column.values == metadata.num_rows == sum(chunk.num_values for chunk in mine), path
        else:
            assert column.values == sum(chunk.num_values for chunk in mine) >= metadata.num_rows, path


@pytest.mark.parametrize("writer", WRITERS)
def test_the_walker_agrees_with_the_footer_of_an_honest_file(writer: str) -> None:
    check_against_metadata(written(sample_table(3_000), **WRITERS[writer]))


@pytest.mark.parametrize("table", ad.TABLES)
def test_the_walker_reads_every_published_file_and_only_enums_amplify(table: str) -> None:
    """The package's own files: the footer agrees, and only enum columns are dictionary-encoded (so read plain)."""
    from article_data._types import enum_of

    data = (ROOT / "data" / f"{table}.parquet").read_bytes()
    check_against_metadata(data)
    fields = json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))["fields"]
    enums = {f["name"] for f in fields if enum_of(f) is not None}
    amplifying = {
        path
        for path, column in column_pages(data, pq.ParquetFile(io.BytesIO(data)).metadata).items()
        if column.amplifies
    }
    assert amplifying == enums


def test_a_dense_read_equals_pyarrows_read() -> None:
    """read_parquet gives exactly pyarrow's table for each writer (strings plain unless they must be dictionaries)."""
    table = sample_table(2_000)
    for options in WRITERS.values():
        got = read_parquet(written(table, **options), table.column_names, ["id", "kind"])
        assert got.cast(table.schema).equals(table)


def first_page(data: bytes) -> int:
    chunk = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(0).column(0)
    return chunk.dictionary_page_offset or chunk.data_page_offset


#: Random header mutations tried; cuts of a header; writers whose created_by is tried (refused or not).
GARBLED = 300
CUTS = (0, 1, 2, 5, 9)
CREATED_BY = {
    "parquet-mr version 1.2.8 (build x)": True,
    "parquet-mr version 1.0.0": True,
    "parquet-mr version 1.12.3 (build y)": False,
    "parquet-mr": True,
    "parquet-rs version 53.0.0": False,
    " parquet-mr version 1.2.8": True,  # readers strip the name before they compare it
    "PARQUET-MR version 1.2.8": True,
}
#: The hand-made cases besides those: a chunk outside the file, a patched row count, a fixed-width leaf, a list
#: of lists, a header with two sub-headers, row groups sharing a chunk's bytes, a row group with an extra chunk.
SINGLE_CASES = 7


@settings(max_examples=GARBLED, deadline=None, derandomize=True)
@given(flips=st.lists(st.tuples(st.integers(0, 63), st.integers(0, 255)), min_size=1, max_size=4))
def test_garbled_page_headers_raise_value_error_or_read(flips: list[tuple[int, int]]) -> None:
    """Header bytes set at random (footer untouched): the walker reads on or raises ValueError, nothing else."""
    data = bytearray(written(sample_table(50), compression="none"))
    start = first_page(bytes(data))
    for where, value in flips:
        data[start + where] = value
    metadata = pq.ParquetFile(io.BytesIO(bytes(data))).metadata
    try:
        column_pages(bytes(data), metadata)
    except ValueError as exc:
        assert "page" in str(exc) or "column" in str(exc), exc


@pytest.mark.parametrize("cut", CUTS)
def test_a_page_header_cut_short_is_refused(cut: int) -> None:
    """A page header that ends before its fields do (the chunk's range ends inside it): a ValueError that says so."""
    data = written(sample_table(50), compression="none")
    start = first_page(data)
    with pytest.raises(ValueError, match="runs past its column chunk"):
        _page_header(_Reader(data, start, start + cut))


def test_a_chunk_declared_outside_the_file_is_refused() -> None:
    data = written(sample_table(50), compression="none")
    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    with pytest.raises(ValueError, match="outside the file"):
        column_pages(data[: first_page(data) + 4], metadata)


def with_created_by(data: bytes, created_by: str) -> bytes:
    """The file with the footer's ``created_by`` replaced by a string of the same length."""
    old = pq.ParquetFile(io.BytesIO(data)).metadata.created_by.encode()
    new = created_by.encode().ljust(len(old))[: len(old)]
    length = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - length : -8]
    assert footer.count(old) == 1
    return data[: -8 - length] + footer.replace(old, new) + data[-8:]


@pytest.mark.parametrize(("writer", "refused"), list(CREATED_BY.items()))
def test_writers_whose_chunks_readers_pad_are_refused(writer: str, refused: bool) -> None:
    """parquet-mr before 1.2.9 (PARQUET-816): Arrow reads past its chunk ranges, which the walker would not see."""
    data = with_created_by(written(sample_table(50)), writer)
    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    if refused:
        with pytest.raises(ValueError, match="current Parquet writer"):
            column_pages(data, metadata)
    else:
        column_pages(data, metadata)


def test_a_row_group_whose_pages_hold_other_row_counts_is_refused() -> None:
    """A footer patched to 41 rows over pages holding 40 values (what silently dropped rows) is refused, naming the column."""
    data = written(sample_table(40))
    length = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - length : -8]
    # num_rows of the file and of the row group are i64 fields: zigzag varint 40 -> 0x50, 41 -> 0x52.
    patched = footer.replace(b"\x16\x50", b"\x16\x52")
    assert patched != footer
    metadata = pq.ParquetFile(
        io.BytesIO(data[: -8 - length] + patched + struct.pack("<I", len(patched)) + b"PAR1")
    ).metadata
    assert metadata.row_group(0).num_rows == 41
    with pytest.raises(ValueError, match="holds 40 values in row group 0, whose footer declares 41 rows"):
        column_pages(data, metadata)


def test_every_column_of_each_writer_is_bounded_above_what_it_decodes_to() -> None:
    """decoded_bound is never below what pyarrow actually decodes (data buffers of the strings read densely)."""
    table = sample_table(2_000)
    for options in WRITERS.values():
        data = written(table, **options)
        pages = column_pages(data, pq.ParquetFile(io.BytesIO(data)).metadata)
        read = pq.read_table(io.BytesIO(data))
        for name in ("id", "kind"):
            assert pages[name].decoded_bound() >= read.column(name).combine_chunks().buffers()[2].size, (name, options)


def test_a_fixed_width_leaf_is_refused() -> None:
    """FIXED_LEN_BYTE_ARRAY, which no Table Schema column is stored as: every null slot would take its width."""
    data = written(pa.table({"a": pa.array([None] * 100, pa.binary(10_000))}))
    with pytest.raises(ValueError, match="'a' is stored as FIXED_LEN_BYTE_ARRAY"):
        column_pages(data, pq.ParquetFile(io.BytesIO(data)).metadata)


def test_a_list_of_lists_is_refused() -> None:
    """Nesting deeper than a list of values: each level costs offsets per row, whatever the pages hold."""
    data = written(pa.table({"a": pa.array([[["x"]]] * 10, pa.list_(pa.list_(pa.string())))}))
    with pytest.raises(ValueError, match="'a' is nested deeper than a list of values"):
        column_pages(data, pq.ParquetFile(io.BytesIO(data)).metadata)


def compact_i32(field_delta: int, value: int) -> bytes:
    """A Thrift compact i32 field (short form) with its zigzag varint."""
    zigzag, out = (value << 1) ^ (value >> 31), bytearray([field_delta << 4 | 5])
    while True:
        out.append(zigzag & 0x7F | (0x80 if zigzag > 0x7F else 0))
        zigzag >>= 7
        if not zigzag:
            return bytes(out)


@pytest.mark.parametrize(("page_type", "values"), [(0, 200_000_000), (2, 1)])
def test_a_header_with_two_sub_headers_counts_the_one_its_type_selects(page_type: int, values: int) -> None:
    """A data page header that also carries a dictionary sub-header: the values are the data page's, as a reader
    decodes them (a last-wins merge saw 1 value where Arrow decodes 200 million).
    """
    header = (
        compact_i32(1, page_type)
        + compact_i32(1, 10)
        + compact_i32(1, 10)
        + bytes([2 << 4 | 12])
        + compact_i32(1, 200_000_000)
        + b"\0"  # field 5: data_page_header
        + bytes([2 << 4 | 12])
        + compact_i32(1, 1)
        + b"\0"
        + b"\0"
    )  # field 7: dictionary_page_header
    assert _page_header(_Reader(header, 0, len(header)))["values"] == values


class Group:
    """A row group's metadata as column_pages reads it, with its chunks chosen by the test."""

    def __init__(self, rows: int, chunks: list[object]) -> None:
        self.num_rows, self._chunks, self.num_columns = rows, chunks, len(chunks)

    def column(self, index: int) -> object:
        return self._chunks[index]


class Footer:
    """A footer whose row groups are the test's, everything else the real file's."""

    def __init__(self, real: pq.FileMetaData, groups: list[Group]) -> None:
        self._groups = groups
        self.num_row_groups, self.created_by, self.schema = len(groups), real.created_by, real.schema
        self.num_columns, self.num_rows = real.num_columns, sum(group.num_rows for group in groups)

    def row_group(self, index: int) -> Group:
        return self._groups[index]


def test_row_groups_sharing_a_chunks_bytes_are_refused_before_the_walk() -> None:
    """Thousands of row groups pointing at one chunk would be walked (and decoded) thousands of times."""
    data = written(sample_table(100), row_group_size=50)
    real = pq.ParquetFile(io.BytesIO(data)).metadata
    first = real.row_group(0)
    chunks = [first.column(i) for i in range(real.num_columns)]
    with pytest.raises(ValueError, match="share bytes"):
        column_pages(data, Footer(real, [Group(50, chunks), Group(50, chunks)]))  # type: ignore[arg-type]


def test_a_row_group_with_more_chunks_than_the_schema_is_refused() -> None:
    """Pyarrow aborts the process on a chunk index past the schema's: the footer check refuses it before any is read."""
    data = written(sample_table(10))
    real = pq.ParquetFile(io.BytesIO(data)).metadata
    chunks = [real.row_group(0).column(i) for i in range(real.num_columns)]
    with pytest.raises(ValueError, match="holds 5 column chunks; the schema has 4"):
        _check_footer(Footer(real, [Group(10, [*chunks, chunks[0]])]), len(data))  # type: ignore[arg-type]
