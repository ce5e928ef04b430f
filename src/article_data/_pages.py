"""The page headers of a Parquet file, read as its reader will read them: what each column chunk really holds.

A Parquet footer describes its column chunks (sizes, encodings, whether there is a
dictionary), but a reader decodes what the page headers inside each chunk say, so a
footer can lie about everything :mod:`article_data._bounds` needs to know. This
module walks the pages of every chunk, over the byte range Arrow's reader reads
(from the dictionary page, or else the first data page, for the chunk's compressed
size), parsing each header with a small Thrift compact-protocol reader. What it
gives per column: the uncompressed bytes of its pages (what decompression
allocates), its values, and whether a page amplifies on decode: a dictionary page
(every row may point at its longest value) or ``DELTA_BYTE_ARRAY`` (each value may
repeat the previous one's prefix).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Iterator

    import pyarrow.parquet as pq

__all__ = ["ColumnPages", "column_pages"]

_DATA_PAGE, _INDEX_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = 0, 1, 2, 3
_DELTA_BYTE_ARRAY = 7
#: Thrift compact types: booleans carry their value in the type; these have fixed widths.
_FIXED = {1: 0, 2: 0, 3: 1, 7: 8}
_VARINT = {4, 5, 6}
_BINARY, _LIST, _SET, _MAP, _STRUCT = 8, 9, 10, 11, 12
_MAX_DEPTH = 32
#: Arrow pads the chunks of files from parquet-mr before 1.2.9 (PARQUET-816); we do not.
_PADDED_WRITER = "parquet-mr"
_FIXED_VERSION = (1, 2, 9)


@dataclass
class ColumnPages:
    """What the pages of one column (a leaf, over all row groups) hold."""

    path: str
    uncompressed: int = 0
    values: int = 0
    #: The largest dictionary page (uncompressed), which bounds the length of any value it holds.
    largest_dictionary: int = 0
    #: The largest DELTA_BYTE_ARRAY page (uncompressed), which bounds any value decoded from it.
    largest_delta: int = 0

    @property
    def amplifies(self) -> bool:
        """Whether a value of this column may decode to more than the bytes its page stores."""
        return bool(self.largest_dictionary or self.largest_delta)

    def decoded_bound(self) -> int:
        """An upper bound of the bytes the column's values take once decoded without a dictionary."""
        return self.uncompressed + self.values * max(self.largest_dictionary, self.largest_delta)


class _Reader:
    """Thrift compact protocol over a bytes range: just enough to read a PageHeader and skip the rest."""

    def __init__(self, data: bytes, pos: int, end: int) -> None:
        self.data, self.pos, self.end = data, pos, end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise ValueError("a page header runs past its column chunk")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        result = shift = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise ValueError("a page header holds a varint longer than 64 bits")

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def skip(self, kind: int, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError(f"a page header nests deeper than {_MAX_DEPTH}")
        if kind in _FIXED:
            self.advance(_FIXED[kind])
        elif kind in _VARINT:
            self.varint()
        elif kind == _BINARY:
            self.advance(self.varint())
        elif kind in (_LIST, _SET):
            head = self.byte()
            size = head >> 4 if head >> 4 != 15 else self.varint()
            element = head & 0x0F
            for _ in range(size):
                self.element(element, depth + 1)
        elif kind == _MAP:
            size = self.varint()
            if size:
                types = self.byte()
                for _ in range(size):
                    self.element(types >> 4, depth + 1)
                    self.element(types & 0x0F, depth + 1)
        elif kind == _STRUCT:
            for _, field_kind in self.fields():
                self.skip(field_kind, depth + 1)
        else:
            raise ValueError(f"a page header holds an unknown Thrift type {kind}")

    def element(self, kind: int, depth: int) -> None:
        """Skip an element of a list, set or map: a boolean there takes a byte (a field's is in its type)."""
        if kind in (1, 2):
            self.advance(1)
        else:
            self.skip(kind, depth)

    def advance(self, count: int) -> None:
        if count < 0 or self.pos + count > self.end:
            raise ValueError("a page header runs past its column chunk")
        self.pos += count

    def fields(self) -> Iterator[tuple[int, int]]:
        """The (id, type) of each field of a struct, up to its stop byte; the caller reads or skips each value."""
        last = 0
        while True:
            head = self.byte()
            if head == 0:
                return
            delta, kind = head >> 4, head & 0x0F
            last = last + delta if delta else self.zigzag()
            yield last, kind

    def integer(self, kind: int) -> int | None:
        """An integer field's value, or None (the value skipped) when the field has another type."""
        if kind in _VARINT:
            return self.zigzag()
        self.skip(kind, 1)
        return None


#: The sub-header a reader decodes for each page type (PageHeader fields 5, 7, 8), and its fields.
_SUB_HEADERS = {_DATA_PAGE: 5, _DICTIONARY_PAGE: 7, _DATA_PAGE_V2: 8}
_SUB_FIELDS = {5: {1: "values", 2: "encoding"}, 7: {1: "values", 2: "encoding"}, 8: {1: "values", 4: "encoding"}}


def _page_header(reader: _Reader) -> dict[str, int]:
    """The fields of a PageHeader the bounds need: type, sizes, and the values and encoding of the sub-header
    its type selects, as a reader decodes it (a header may carry others; the last value of a field wins).
    """
    top = {1: "type", 2: "uncompressed", 3: "compressed"}
    header: dict[str, int] = {}
    subs: dict[int, dict[str, int]] = {}
    for field, kind in reader.fields():
        if field in top:
            value = reader.integer(kind)
            if value is not None:
                header[top[field]] = value
        elif field in _SUB_FIELDS and kind == _STRUCT:
            sub = subs.setdefault(field, {})
            for inner, inner_kind in reader.fields():
                if inner not in _SUB_FIELDS[field]:
                    reader.skip(inner_kind, 2)
                elif (value := reader.integer(inner_kind)) is not None:
                    sub[_SUB_FIELDS[field][inner]] = value
        else:
            reader.skip(kind, 1)
    return {**header, **subs.get(_SUB_HEADERS.get(header.get("type", -1), 0), {})}


def _chunk_range(chunk: pq.ColumnChunkMetaData, size: int) -> tuple[int, int]:
    """The bytes Arrow's reader reads for a chunk: from its dictionary page if it has one, else its first data page."""
    start = chunk.data_page_offset
    dictionary = chunk.dictionary_page_offset
    if chunk.has_dictionary_page and dictionary is not None and 0 < dictionary < start:
        start = dictionary
    length = chunk.total_compressed_size
    if start < 0 or length < 0 or start + length > size:
        raise ValueError(
            f"column chunk {chunk.path_in_schema!r} declares bytes {start}-{start + length}, outside the file's {size}"
        )
    return start, start + length


def _check_writer(created_by: str | None) -> None:
    """Refuse files Arrow reads past their declared chunk ranges (parquet-mr before 1.2.9, PARQUET-816).

    Any ``created_by`` naming parquet-mr (wherever, in any case: readers strip and parse it
    their own way) must carry a version of at least 1.2.9.
    """
    import re

    text = created_by or ""
    if not re.search(_PADDED_WRITER, text, flags=re.IGNORECASE):
        return
    found = re.search(r"version\s+(\d{1,6})\.(\d{1,6})\.(\d{1,6})", text)
    if found is None or tuple(int(part) for part in found.groups()) < _FIXED_VERSION:
        raise ValueError(
            f"it was written by {text[:200]!r}, whose column sizes readers pad; rewrite it with a "
            "current Parquet writer"
        )


def column_pages(data: bytes, metadata: pq.FileMetaData) -> dict[str, ColumnPages]:
    """Walk every page header of every column chunk; raise ``ValueError`` where a header or a range does not hold.

    ``metadata`` is a footer :mod:`article_data._bounds` has checked (row groups holding a
    chunk per leaf: pyarrow aborts the process on a chunk index past them). The ranges are
    checked first (inside the file, none sharing bytes), so the walk reads each byte of
    the file at most once.
    """
    _check_writer(metadata.created_by)
    _check_shape(metadata)
    chunks = list(_chunks(metadata, len(data)))
    _check_disjoint([(start, end, chunk.path_in_schema) for _, _, chunk, start, end in chunks])
    columns: dict[str, ColumnPages] = {}
    for group_index, rows, chunk, start, end in chunks:
        pages = columns.setdefault(chunk.path_in_schema, ColumnPages(chunk.path_in_schema))
        before = pages.values
        _walk_chunk(pages, _Reader(data, start, end))
        _check_value_count(chunk.path_in_schema, group_index, pages.values - before, rows)
    return columns


def _chunks(metadata: pq.FileMetaData, size: int) -> Iterator[tuple[int, int, pq.ColumnChunkMetaData, int, int]]:
    """Each column chunk with its row group's index and rows, and the byte range a reader reads for it."""
    for group_index in range(metadata.num_row_groups):
        group = metadata.row_group(group_index)
        for column_index in range(metadata.num_columns):
            chunk = group.column(column_index)
            yield (group_index, group.num_rows, chunk, *_chunk_range(chunk, size))


def _walk_chunk(pages: ColumnPages, reader: _Reader) -> None:
    """Add the pages of one chunk (the reader's range) to ``pages``."""
    while reader.pos < reader.end:
        header = _page_header(reader)
        compressed, uncompressed = header.get("compressed", -1), header.get("uncompressed", -1)
        if compressed < 0 or uncompressed < 0 or "type" not in header:
            raise ValueError(f"a page of column {pages.path!r} lacks its type or sizes")
        reader.advance(compressed)
        pages.uncompressed += uncompressed
        if header["type"] == _DICTIONARY_PAGE:
            pages.largest_dictionary = max(pages.largest_dictionary, uncompressed)
        elif header["type"] in (_DATA_PAGE, _DATA_PAGE_V2):
            pages.values += max(header.get("values", 0), 0)
            if header.get("encoding") == _DELTA_BYTE_ARRAY:
                pages.largest_delta = max(pages.largest_delta, uncompressed)


def _check_disjoint(ranges: list[tuple[int, int, str]]) -> None:
    """Column chunks own their bytes: two sharing any would be decoded (and walked) twice."""
    ordered = sorted(ranges)
    for (_, end, path), (start, _, other) in itertools.pairwise(ordered):
        if start < end:
            raise ValueError(f"column chunks {path!r} and {other!r} share bytes {start}-{end}")


#: Leaf types a Table Schema column is stored as (strings, integers, numbers, booleans, dates), and the
#: deepest a leaf may be: a column, or the items of a list column (``name.list.element``).
_PHYSICAL = {"BOOLEAN", "INT32", "INT64", "FLOAT", "DOUBLE", "BYTE_ARRAY"}
_MAX_REPETITION, _MAX_DEFINITION = 1, 3


def _check_shape(metadata: pq.FileMetaData) -> None:
    """Refuse leaves no Table Schema column is stored as: fixed-width bytes (each null slot takes its width),
    nesting deeper than a list of values (each level costs offsets per row).
    """
    schema = metadata.schema
    for index in range(len(schema)):
        leaf = schema.column(index)
        if leaf.physical_type not in _PHYSICAL:
            raise ValueError(
                f"column {leaf.path[:200]!r} is stored as {leaf.physical_type}; expected one of {sorted(_PHYSICAL)}"
            )
        if leaf.max_repetition_level > _MAX_REPETITION or leaf.max_definition_level > _MAX_DEFINITION:
            raise ValueError(f"column {leaf.path.split('.')[0][:200]!r} is nested deeper than a list of values")


def _check_value_count(path: str, group: int, values: int, rows: int) -> None:
    """A flat column holds a value (or null) per row of its row group; a nested one at least one level per row."""
    nested = "." in path  # Table Schema field names are identifiers: a dot is a level of a list
    if values != rows if not nested else values < rows:
        raise ValueError(
            f"column {path!r} holds {values} values in row group {group}, whose footer declares {rows} rows"
        )
