"""Every decode of a table file bounded before it starts, and every decoded value checked before use.

A Parquet file is small on disk but can declare anything in its footer: 2^40 rows,
pages that inflate a thousandfold, one long string referenced by every row of a
dictionary-encoded column. Before a page is read, the footer's row counts and
uncompressed sizes are checked against caps tied to the file's size
(:data:`DECODED_PER_BYTE`, :data:`DECODED_FLOOR`, :data:`VALUE_BYTES`), and so are
the page headers themselves (:mod:`article_data._pages`), since a footer can lie. A
string column whose pages may decode past the cap is read as a dictionary and its
decoded size is computed from the dictionary and the indices before anything is
expanded; any other column that may is refused. After parsing (CSV or
Parquet), the values are checked as the library uses them: valid UTF-8, dates that
Python's ``datetime.date`` can hold, and numbers that are finite (JSON has no NaN).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Sequence

    import pyarrow as pa
    import pyarrow.parquet as pq

__all__ = ["DECODED_FLOOR", "DECODED_PER_BYTE", "VALUE_BYTES", "check_values", "read_parquet"]

#: What a table may decode to: this many times its file's size, and never less than the floor.
DECODED_PER_BYTE = 64
DECODED_FLOOR = 64 << 20
#: What one decoded value takes at least (a number, a date, or a string's offset): rows times columns
#: times this must fit the decoded cap.
VALUE_BYTES = 8
#: The dates ``datetime.date`` can hold, as days since 1970-01-01 (date32).
_DATE_RANGE = (-719_162, 2_932_896)


def _decoded_cap(size: int) -> int:
    return max(DECODED_FLOOR, DECODED_PER_BYTE * size)


def _check_footer(meta: pq.FileMetaData, size: int) -> None:
    """Refuse a footer whose row counts, chunks or uncompressed sizes no file of ``size`` bytes can honestly hold."""
    bytes_cap = _decoded_cap(size)
    rows_cap = bytes_cap // (VALUE_BYTES * max(1, meta.num_columns))
    if not 0 <= meta.num_rows <= rows_cap:
        raise ValueError(
            f"its footer declares {meta.num_rows} rows of {meta.num_columns} columns; a file of {size} "
            f"bytes may decode to at most {rows_cap} such rows"
        )
    rows = total = 0
    for index in range(meta.num_row_groups):
        group = meta.row_group(index)
        if group.num_columns != meta.num_columns:  # pyarrow aborts the process on a column index past the schema's
            raise ValueError(
                f"row group {index} holds {group.num_columns} column chunks; the schema has {meta.num_columns}"
            )
        if group.num_rows < 0:
            raise ValueError(f"row group {index} declares {group.num_rows} rows")
        rows += group.num_rows
        for column in range(group.num_columns):
            chunk = group.column(column)
            if chunk.total_uncompressed_size < 0:
                raise ValueError(f"row group {index} column {column} declares a negative size")
            total += chunk.total_uncompressed_size
        if rows > rows_cap or total > bytes_cap:
            break
    if rows != meta.num_rows or rows > rows_cap:
        raise ValueError(f"its row groups declare {rows} rows where the footer declares {meta.num_rows}")
    if total > bytes_cap:
        raise ValueError(
            f"its pages declare {total} bytes uncompressed; a file of {size} bytes may decode to at most {bytes_cap}"
        )


def _expanded_size(table: pa.Table, cap: int) -> int:
    """The bytes the dictionary-encoded string columns of ``table`` take once expanded, computed without expanding.

    A chunk whose longest value times its length stays under ``cap`` is counted by that bound
    (no per-row work); only a chunk that could pass the cap is summed exactly.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for column in table.columns:
        if not pa.types.is_dictionary(column.type):
            continue
        for chunk in column.chunks:
            if len(chunk) == 0 or len(chunk.dictionary) == 0:
                continue
            lengths = pc.binary_length(chunk.dictionary)
            bound = int(pc.max(lengths).as_py() or 0) * len(chunk)
            total += bound if total + bound <= cap else int(pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0)
    return total


def _check_decoded(table: pa.Table) -> None:
    """Raise ``ValueError`` unless every array is well formed and every string valid UTF-8 (Parquet readers do not check).

    A plain string column is checked by the cast from binary, which validates UTF-8 a
    value at a time without the rest of a full validation; every other column (a
    dictionary's values before they are expanded, lists) by a full validation.
    """
    import pyarrow as pa

    for field, column in zip(table.schema, table.columns):
        try:
            if pa.types.is_string(field.type):
                column.cast(pa.binary()).cast(pa.string())
            else:
                column.validate(full=True)
        except pa.ArrowInvalid as exc:
            raise ValueError(f"column {field.name!r} is malformed or not UTF-8 ({exc})") from None


def _read_plan(file: pq.ParquetFile, data: bytes, strings: Sequence[str]) -> list[str]:
    """The string columns to read as dictionaries; raise ``ValueError`` if the pages may decode past the cap.

    The page headers (:func:`~article_data._pages.column_pages`) give what decoding
    allocates: each page's uncompressed bytes, plus a word per value for offsets and
    validity. A column whose pages amplify (a dictionary page, ``DELTA_BYTE_ARRAY``) may
    decode to its values times its longest possible value; it is read densely while that
    bound fits what the cap leaves, and otherwise, if it is a string column, as a
    dictionary, whose expanded size :func:`_expanded_size` then computes exactly. Any other
    column that may amplify past the cap (a list, or delta-encoded strings, which Arrow
    cannot read as a dictionary) is refused before a page is decoded.
    """
    from ._pages import column_pages

    size = len(data)
    cap = _decoded_cap(size)
    rows = file.metadata.num_rows
    pages = column_pages(data, file.metadata)
    dense = sum(p.uncompressed + VALUE_BYTES * max(p.values, rows) for p in pages.values())
    if dense > cap:
        raise ValueError(
            f"its pages hold {dense} bytes uncompressed; a file of {size} bytes may decode to at most {cap}"
        )
    budget, dictionaries = cap - dense, []
    for column in sorted((p for p in pages.values() if p.amplifies), key=lambda p: p.decoded_bound()):
        extra = column.decoded_bound() - column.uncompressed
        if extra <= budget:
            budget -= extra
        elif column.path in strings and not column.largest_delta:  # Arrow reads no delta page as a dictionary
            dictionaries.append(column.path)
        else:
            name = column.path.split(".")[0]
            raise ValueError(
                f"column {name!r} may decode to {column.decoded_bound()} bytes; a file of {size} bytes may "
                f"decode to at most {cap}"
            )
    return dictionaries


def read_parquet(data: bytes, names: Sequence[str], strings: Sequence[str]) -> pa.Table:
    """Parse Parquet bytes into an Arrow table, every decode bounded by caps tied to ``len(data)``.

    ``names`` are the Table Schema's columns, which the file must hold in order; ``strings``
    those it types as strings. The footer and then every page header are checked before a
    page is decoded (:func:`_read_plan`); a string column that could decode past the cap is
    read as a dictionary, so its expanded size is known before it is expanded.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    size = len(data)
    limits = {"thrift_string_size_limit": max(size, 1 << 16), "thrift_container_size_limit": 100_000}
    footer = pq.ParquetFile(pa.BufferReader(data), **limits)  # the footer only: no page is read
    _check_footer(footer.metadata, size)
    if footer.schema_arrow.names != list(names):
        raise ValueError(f"expected the columns {list(names)}, found {footer.schema_arrow.names}")
    stored = [f.name for f in footer.schema_arrow if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    unexpected = sorted(set(stored) - set(strings))
    if unexpected:  # not what the schema says, and a cast would expand it
        raise ValueError(f"column {unexpected[0]!r} is stored as text where its Table Schema gives another type")
    dictionaries = _read_plan(footer, data, strings)
    file = pq.ParquetFile(
        pa.BufferReader(data), page_checksum_verification=True, read_dictionary=dictionaries, **limits
    )
    table = file.read()
    _check_decoded(table)
    cap = _decoded_cap(size)
    expanded = _expanded_size(table, cap)
    if expanded > cap:
        raise ValueError(
            f"its string columns decode to {expanded} bytes; a file of {size} bytes may decode to at most {cap}"
        )
    return table


def check_values(table: pa.Table) -> None:
    """Raise ``ValueError`` naming the column unless every value is usable.

    No null in a column its schema requires (its Arrow field is not
    nullable), dates that ``datetime.date`` holds, finite numbers.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # UTF-8 is checked where the bytes are decoded: pyarrow's CSV reader checks it, read_parquet validates
    # the dictionaries before they are expanded.
    for field, column in zip(table.schema, table.columns):
        if not field.nullable and column.null_count:
            raise ValueError(
                f"column {field.name!r} holds {column.null_count} empty value(s); its schema requires "
                "a value in every row"
            )
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if pa.types.is_floating(kind):
            bad = pc.sum(pc.invert(pc.is_finite(column))).as_py()
            if bad:
                raise ValueError(f"column {field.name!r} holds {bad} NaN or infinite value(s); expected finite numbers")
        elif pa.types.is_date32(kind) and column.null_count < len(column):
            low, high = (v.as_py() for v in pc.min_max(column.cast(pa.int32())).values())
            if low < _DATE_RANGE[0] or high > _DATE_RANGE[1]:
                raise ValueError(f"column {field.name!r} holds a date outside the years 1-9999")
