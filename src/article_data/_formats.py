"""Rows serialised as the package's CSV and Parquet: the one writer of table files.

The build publishes with it and ``article-data export`` writes with it, so an
exported file is the same kind of file as a published one. Everything it writes
is a function of its inputs: no clock, fixed column order, LF line ends, and a
Parquet writer whose version is pinned in the lock file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from ._types import arrow_schema

__all__ = ["PARQUET_OPTIONS", "Row", "csv_bytes", "parquet_bytes"]

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "write_page_checksum": True,  # CRC32 per page: damage is caught even by load(verify=False)
}

Row = Mapping[str, Any]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


def csv_bytes(fields: Sequence[Mapping[str, Any]], rows: Sequence[Row],
              cell: Any = _csv_cell) -> bytes:
    r"""Serialise rows as UTF-8 CSV with a header row and LF line ends.

    A cell holding a line break of either kind (``\n`` or ``\r``) is quoted, so no
    cell can split its row: Python's csv writer quotes only the characters of its
    line terminator, so rows are written with ``\r\n`` and the terminator is then
    cut to ``\n``.

    >>> csv_bytes([{"name": "a"}, {"name": "b"}], [{"a": "x\r=1+1", "b": None}])
    b'a,b\n"x\r=1+1",\n'
    """
    names = [f["name"] for f in fields]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    out = []
    for values in [names, *([cell(row.get(name)) for name in names] for row in rows)]:
        writer.writerow(values)
        out.append(buffer.getvalue()[:-2])
        buffer.seek(0)
        buffer.truncate()
    return ("\n".join(out) + "\n").encode("utf-8")


def parquet_bytes(fields: Sequence[Mapping[str, Any]], rows: Sequence[Row]) -> bytes:
    """Serialise rows as Parquet with the Arrow types of the Table Schema."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(fields)
    columns = {}
    for field in schema:
        values = [row.get(field.name) for row in rows]
        if field.type == pa.date32():
            values = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
        if field.type == pa.float64():
            values = [float(v) if v is not None else None for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    table = pa.table(columns, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink, **PARQUET_OPTIONS)
    return sink.getvalue()
