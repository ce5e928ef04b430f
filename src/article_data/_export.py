"""A table as the bytes of an export file (CSV, Parquet or JSON), by the package's own writer."""

from __future__ import annotations

import json
from typing import Any

from ._errors import FormatError
from ._formats import csv_bytes, parquet_bytes, table_metadata
from ._names import EXPORT_FORMATS
from ._tables import load_arrow

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from ._reader import Reader

__all__ = ["FORMULA_PREFIXES", "TABLE_FORMATS", "export_bytes", "neutralise"]

TABLE_FORMATS = tuple(f for f in EXPORT_FORMATS if f != "sqlite")  # one table: the rest is the whole package
#: Cells starting with these run as formulas in spreadsheet programs (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``.

    >>> neutralise("=1+1"), neutralise("\\r=1+1"), neutralise("Kyiv")
    ("'=1+1", "'\\r=1+1", 'Kyiv')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, list):  # a list cell: each item (the first starts the CSV cell)
        return [neutralise(item) for item in value]
    return value


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_bytes(reader: Reader, name: str, fmt: str, *, protect_formulas: bool = True) -> bytes:
    """Return table ``name`` serialised as ``fmt`` (read and verified through ``reader``)."""
    if fmt not in TABLE_FORMATS:
        raise FormatError(fmt, TABLE_FORMATS)
    reader.check_contract()
    fields = reader.schema(name).fields
    rows = load_arrow(reader, name).to_pylist()
    if fmt == "parquet":
        schema = reader.schema(name)
        return parquet_bytes(fields, rows, table_metadata(reader.descriptor.data, name, schema.data))
    if fmt == "json":
        document = [{k: _json_value(v) for k, v in row.items()} for row in rows]
        return (json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")
    if protect_formulas:
        rows = [{k: neutralise(v) for k, v in row.items()} for row in rows]
    return csv_bytes(fields, rows)
