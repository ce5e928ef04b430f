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

from ._hashes import hex_digest
from ._types import enum_of, pandas_metadata, stored_schema

__all__ = [
    "PARQUET_OPTIONS",
    "QUOTING_COLUMNS",
    "Row",
    "csv_bytes",
    "parquet_bytes",
    "table_metadata",
    "writer_options",
]

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "write_statistics": True,
    "version": "2.6",
    "write_page_checksum": True,  # CRC32 per page: damage is caught even by load(verify=False)
}

Row = Mapping[str, Any]


def writer_options(fields: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """:data:`PARQUET_OPTIONS` for a table of ``fields``: only enum columns dictionary-encoded.

    An enum's dictionary is small and read as is; any other column stored as a
    dictionary would have to be bounded by its longest value times its rows, or hashed
    back into a dictionary, before a reader that trusts no file may decode it
    (:mod:`article_data._bounds`), so those are stored plain.
    """
    return {**PARQUET_OPTIONS, "use_dictionary": [f["name"] for f in fields if enum_of(f) is not None]}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


def _lexical(value: Any, is_array: bool) -> Any:
    """An ``array`` cell as a compact JSON array of its items (an empty list is null, as in Parquet)."""
    if not is_array or value is None or isinstance(value, str):
        return value
    import json

    items = [str(item) for item in value]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")) if items else None


def csv_bytes(fields: Sequence[Mapping[str, Any]], rows: Sequence[Row], cell: Any = _csv_cell) -> bytes:
    r"""Serialise rows as UTF-8 CSV with a header row and LF line ends.

    A cell holding a line break of either kind (``\n`` or ``\r``) is quoted, so no
    cell can split its row: Python's csv writer quotes only the characters of its
    line terminator, so rows are written with ``\r\n`` and the terminator is then
    cut to ``\n``. An ``array`` field's cell is a JSON array, ``["a","b"]``.

    >>> csv_bytes([{"name": "a"}, {"name": "b"}], [{"a": "x\r=1+1", "b": None}])
    b'a,b\n"x\r=1+1",\n'
    """
    names = [f["name"] for f in fields]
    arrays = {f["name"] for f in fields if f.get("type") == "array"}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    out = []
    for values in [names, *([cell(_lexical(row.get(name), name in arrays)) for name in names] for row in rows)]:
        writer.writerow(values)
        out.append(buffer.getvalue()[:-2])
        buffer.seek(0)
        buffer.truncate()
    return ("\n".join(out) + "\n").encode("utf-8")


#: Columns that quote the article's words, whose rights stay with its publisher (DATASHEET, "Licence").
QUOTING_COLUMNS = ("text", "caption", "credit")
THIRD_PARTY = "LicenseRef-TIME-Article-Third-Party"


def table_metadata(descriptor: Mapping[str, Any], table: str, schema: Mapping[str, Any]) -> dict[str, str]:
    """The key-value metadata a table's Parquet file carries, so the file describes itself.

    ``descriptor`` needs ``name``, ``version``, ``licenses`` and the ``article`` resource's
    ``hash`` (the build passes the descriptor it is writing, ``export`` the one it read).
    """
    article: Mapping[str, Any] = next((r for r in descriptor.get("resources", []) if r.get("name") == "article"), {})
    licenses = [str(lic["name"]) for lic in descriptor.get("licenses", []) if "name" in lic]
    if any(f["name"] in QUOTING_COLUMNS for f in schema["fields"]):
        licenses.append(THIRD_PARTY)
    return {
        "dataset": str(descriptor.get("name", "")),
        "dataset_version": str(descriptor.get("version", "")),
        "license": " AND ".join(licenses),
        "article_sha256": hex_digest(str(article.get("hash", ""))),
        "table": table,
        "table_description": str(schema.get("description", "")),
        "described_by": "datapackage.json (Frictionless Data Package v2) and schemas/" + table + ".schema.json",
    }


#: The field metadata key Polars reads an ``Enum`` dtype from: each value as ``<UTF-8 length>;<value>``.
POLARS_ENUM = "_PL_ENUM_VALUES2"


def _field_metadata(field: Mapping[str, Any]) -> dict[str, str]:
    """A column's description, Table Schema type and enum, as Parquet field metadata (Polars' Enum key too)."""
    import json

    meta = {"description": str(field.get("description", "")), "table_schema_type": str(field["type"])}
    enum = enum_of(field)
    if enum is not None:
        meta["enum"] = json.dumps(list(enum), ensure_ascii=False)
        meta[POLARS_ENUM] = "".join(f"{len(value.encode('utf-8'))};{value}" for value in enum)
    return meta


def parquet_bytes(
    fields: Sequence[Mapping[str, Any]], rows: Sequence[Row], metadata: Mapping[str, str] | None = None
) -> bytes:
    """Serialise rows as Parquet that plain readers type as :func:`article_data.load` does, each column described.

    Enum columns are dictionaries of the whole enum (:func:`~article_data._types.stored_schema`)
    and the file carries the ``pandas`` metadata of the loader's frame, so
    ``pandas.read_parquet(path)`` and ``polars.read_parquet(path)`` need no type map.
    Every field carries its description, Table Schema type and enum in the Parquet
    field metadata; ``metadata`` (see :func:`table_metadata`) goes into the file's
    key-value metadata.
    """
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = stored_schema(fields)
    schema = pa.schema(
        [field.with_metadata(_field_metadata(source)) for field, source in zip(schema, fields)],
        metadata={**dict(metadata or {}), "pandas": pandas_metadata(fields).decode("utf-8")},
    )
    columns = {}
    for field, source in zip(schema, fields):
        values = [row.get(field.name) for row in rows]
        if field.type == pa.date32():
            values = [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]
        if field.type == pa.float64():
            values = [float(v) if v is not None else None for v in values]
        if pa.types.is_list(field.type):  # no item: null, as in CSV
            values = [list(v) if v is not None and len(v) else None for v in values]
        enum = enum_of(source)
        if enum is not None:
            dictionary = pa.array(enum, type=pa.string())
            indices = pa.array([None if v is None else enum.index(v) for v in values], type=pa.int32())
            columns[field.name] = pa.DictionaryArray.from_arrays(indices, dictionary)
        else:
            columns[field.name] = pa.array(values, type=field.type)
    table = pa.table(columns, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink, **writer_options(fields))
    return sink.getvalue()
