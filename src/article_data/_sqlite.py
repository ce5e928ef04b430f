"""The whole package as one SQLite database, ready for Datasette (``article-data export -o article.sqlite``).

Every table becomes a SQLite table typed from its Table Schema (``TEXT``, ``INTEGER``,
``REAL``; booleans as ``INTEGER`` 0/1, dates as ISO ``TEXT`` and lists (``aliases``) as
JSON array ``TEXT`` such as ``["Putin"]`` (SQLite has no list type; ``json_each`` reads it),
each with a ``CHECK``; enums checked against their values), with its primary key, its foreign keys and
``NULL`` for every missing value; ``article`` holds the text in one row. The free-text
columns of each table (strings that are neither keys, ids nor enums) get an FTS5 index,
``<table>_fts``, in the form Datasette finds (``content="<table>"``). Beside the
database goes ``metadata.json`` in Datasette's metadata format: titles, descriptions,
licences and sources from the descriptor, column descriptions from the Table Schemas.

The database is built in memory from the verified tables, checked (``PRAGMA
foreign_key_check`` and ``integrity_check``) and written atomically, like every output.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from ._errors import ArticleDataError
from ._formats import table_metadata
from ._sql import identifier, literal
from ._tables import load_arrow
from ._types import enum_of, is_required

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from ._reader import Reader
    from ._tableschema import TableSchema

__all__ = ["SQLITE_TYPES", "fts_columns", "metadata", "sqlite_bytes"]

#: Table Schema type -> SQLite column type (booleans 0/1, dates ISO 8601 text, arrays JSON text).
SQLITE_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
    "boolean": "INTEGER",
    "date": "TEXT",
    "array": "TEXT",
}
#: The table holding the article text, as in :func:`article_data.connect`.
ARTICLE = "article"


def _keys(schema: TableSchema) -> set[str]:
    keys = set(schema.primary_key)
    for foreign in schema.foreign_keys:
        keys |= set(foreign.columns)
    return keys


def fts_columns(schema: TableSchema) -> list[str]:
    """The free-text columns of a table: strings that are not keys, ids or enums."""
    keys = _keys(schema)
    return [
        f["name"]
        for f in schema.fields
        if f["type"] == "string" and enum_of(f) is None and f["name"] not in keys and not f["name"].endswith("_id")
    ]


def _column(field: Any, primary: list[str]) -> str:
    name = identifier(field["name"])
    parts = [name, SQLITE_TYPES[field["type"]]]
    if is_required(field) or field["name"] in primary:
        parts.append("NOT NULL")
    enum = enum_of(field)
    if enum is not None:
        parts.append(f"CHECK ({name} IN ({', '.join(literal(v) for v in enum)}))")
    elif field["type"] == "boolean":
        parts.append(f"CHECK ({name} IN (0, 1))")
    elif field["type"] == "date":
        parts.append(f"CHECK (date({name}) IS {name})")
    elif field["type"] == "array":  # JSON text, e.g. '["Putin"]': json_each() and Datasette read it
        parts.append(f"CHECK ({name} IS NULL OR (json_valid({name}) AND json_type({name}) = 'array'))")
    return " ".join(parts)


def _create(name: str, schema: TableSchema) -> str:
    primary = list(schema.primary_key)
    lines = [_column(field, primary) for field in schema.fields]
    if primary:
        lines.append(f"PRIMARY KEY ({', '.join(identifier(c) for c in primary)})")
    for foreign in schema.foreign_keys:
        lines.append(
            f"FOREIGN KEY ({', '.join(identifier(c) for c in foreign.columns)}) REFERENCES "
            f"{identifier(foreign.resource or name)} ({', '.join(identifier(c) for c in foreign.target_columns)})"
        )
    return f"CREATE TABLE {identifier(name)} (\n  " + ",\n  ".join(lines) + "\n)"


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _fill(connection: sqlite3.Connection, reader: Reader, name: str) -> None:
    schema = reader.schema(name)
    columns = [f["name"] for f in schema.fields]
    connection.execute(_create(name, schema))
    rows = load_arrow(reader, name).to_pylist()
    connection.executemany(
        f"INSERT INTO {identifier(name)} VALUES ({', '.join('?' for _ in columns)})",
        [[_value(row[c]) for c in columns] for row in rows],
    )
    _index(connection, name, fts_columns(schema))


def _index(connection: sqlite3.Connection, name: str, columns: list[str]) -> None:
    """An external-content FTS5 index over ``columns``, named and declared as Datasette looks for it."""
    if not columns:
        return
    fts, listed = identifier(f"{name}_fts"), ", ".join(identifier(c) for c in columns)
    connection.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content={identifier(name)})")
    connection.execute(f"INSERT INTO {fts} (rowid, {listed}) SELECT rowid, {listed} FROM {identifier(name)}")


def sqlite_bytes(reader: Reader) -> bytes:
    """The whole package as the bytes of one SQLite database (every table verified as it is read)."""
    connection = sqlite3.connect(":memory:")
    try:
        for name in reader.tables:
            _fill(connection, reader, name)
        connection.execute(f"CREATE TABLE {ARTICLE} (text TEXT NOT NULL)")
        connection.execute(f"INSERT INTO {ARTICLE} VALUES (?)", [reader.text()])
        _index(connection, ARTICLE, ["text"])
        connection.commit()
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ArticleDataError(
                f"{reader.descriptor.where}: {len(broken)} foreign key(s) point nowhere "
                f"(first: table {broken[0][0]}, row {broken[0][1]} → {broken[0][2]}); "
                "run `article-data validate`"
            )
        connection.execute("VACUUM")
        return connection.serialize()
    except sqlite3.Error as exc:
        raise ArticleDataError(f"{reader.descriptor.where}: SQLite cannot hold the tables ({exc})") from None
    finally:
        connection.close()


def _source(descriptor: dict[str, Any]) -> dict[str, str]:
    sources = [s for s in descriptor.get("sources", []) if isinstance(s, dict)]
    linked = next((s for s in sources if s.get("path")), None)
    return {"source": str(linked["title"]), "source_url": str(linked["path"])} if linked else {}


def metadata(reader: Reader, database: str) -> dict[str, Any]:
    """Datasette's ``metadata.json`` for the database named ``database`` (the file name without extension)."""
    descriptor = dict(reader.descriptor.data)
    licence: dict[str, Any] = next((lic for lic in descriptor.get("licenses", []) if lic.get("name")), {})
    sources = "; ".join(str(s.get("title", "")) for s in descriptor.get("sources", []) if isinstance(s, dict))
    tables: dict[str, Any] = {}
    for name in reader.tables:
        schema = reader.schema(name)
        labels = [c for c in ("label", "name") if c in {f["name"] for f in schema.fields}]
        tables[name] = {
            "title": schema.data.get("title", name),
            "description": schema.data.get("description", ""),
            "license": table_metadata(descriptor, name, schema.data)["license"],
            "columns": {f["name"]: f.get("description", "") for f in schema.fields},
            **({"label_column": labels[0]} if labels else {}),
        }
        if fts_columns(schema):
            tables[f"{name}_fts"] = {"hidden": True}
    article: dict[str, Any] = next((r for r in descriptor.get("resources", []) if r.get("name") == ARTICLE), {})
    tables[ARTICLE] = {
        "title": article.get("title", ARTICLE),
        "description": article.get("description", ""),
        "license": " AND ".join(lic["name"] for lic in article.get("licenses", []) if "name" in lic),
    }
    tables[f"{ARTICLE}_fts"] = {"hidden": True}
    return {
        "title": descriptor.get("title", descriptor.get("name", "")),
        "description": f"{descriptor.get('description', '')} Version {reader.descriptor.version}. Sources: {sources}",
        "license": str(licence.get("name", "")),
        "license_url": str(licence.get("path", "")),
        **_source(descriptor),
        "databases": {database: {"title": descriptor.get("title", ""), "tables": tables}},
    }


def metadata_bytes(reader: Reader, database: str) -> bytes:
    """:func:`metadata` as the bytes of ``metadata.json``."""
    return (json.dumps(metadata(reader, database), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_sqlite(reader: Reader, path: str) -> str:
    """Write the database to ``path`` and Datasette's ``metadata.json`` beside it, each atomically; return the latter."""
    import os
    from pathlib import Path

    from ._output import OutputError, write_output

    if path == "-":
        raise OutputError(
            "a SQLite database cannot go to standard output (its metadata.json goes beside it); "
            "give a file name such as article.sqlite"
        )
    target = Path(os.path.realpath(path))
    beside = str(target.parent / "metadata.json")
    data = sqlite_bytes(reader)
    write_output(path, data)
    write_output(beside, metadata_bytes(reader, target.stem))
    return beside
