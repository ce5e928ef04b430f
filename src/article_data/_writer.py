"""Write a data package folder from rows: the one writer the build and the benchmark share.

Everything it writes is a function of its inputs: no clock, no random ids, fixed
column order, LF line ends, and a Parquet writer whose version is pinned in the
lock file, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._formats import Row, csv_bytes, parquet_bytes
from ._hashes import sha256

DATA_PACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
PARQUET_NOTE = (
    "Declared as a file so that frictionless checks its bytes and sha256; article_data "
    "checks its columns, types and rows against the CSV copy."
)
def json_bytes(document: Any) -> bytes:
    """Serialise JSON the way every published JSON file is written: indented, UTF-8, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_package(
    dest: Path,
    *,
    article: bytes,
    tables: Mapping[str, Sequence[Row]],
    schemas: Mapping[str, Mapping[str, Any]],
    metadata: Mapping[str, Any],
) -> dict[str, Any]:
    """Write ``datapackage.json``, ``data/`` and ``schemas/`` into ``dest``; return the descriptor.

    ``metadata`` holds the descriptor's top-level properties and an ``article``
    entry with the text resource's title and description; ``tables`` and
    ``schemas`` are in the published table order.
    """
    (dest / "data").mkdir(parents=True, exist_ok=True)
    (dest / "schemas").mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {"data/article.txt": article}
    article_meta = dict(metadata.get("article", {}))
    resources: list[dict[str, Any]] = [
        {
            "name": "article",
            "title": article_meta.get("title", "The article"),
            "description": article_meta.get("description", ""),
            "path": "data/article.txt",
            "format": "txt",
            "mediatype": "text/plain",
            "encoding": "utf-8",
            "bytes": len(article),
            "hash": sha256(article),
            **({"licenses": article_meta["licenses"]} if "licenses" in article_meta else {}),
        }
    ]
    parquet_resources: list[dict[str, Any]] = []
    for name, rows in tables.items():
        schema = schemas[name]
        fields = schema["fields"]
        schema_path = f"schemas/{name}.schema.json"
        files[schema_path] = json_bytes(schema)
        for fmt, data in (("csv", csv_bytes(fields, rows)), ("parquet", parquet_bytes(fields, rows))):
            path = f"data/{name}.{fmt}"
            files[path] = data
            if fmt == "csv":
                resources.append({
                    "name": name,
                    "type": "table",
                    "title": f"{name} (CSV)",
                    "description": schema.get("description", ""),
                    "path": path,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": len(data),
                    "hash": sha256(data),
                    "schema": schema_path,
                })
            else:
                # Declared a file, not a table: frictionless 5 reads Parquet through pandas
                # (nullable integers become NaN, false type errors) and reports a false byte
                # count for Parquet tables, but checks a file's bytes and sha256 correctly.
                # article_data types these rows with the same schema and checks that they
                # equal the CSV's.
                parquet_resources.append({
                    "name": f"{name}_parquet",
                    "type": "file",
                    "title": f"{name} (Parquet)",
                    "description": f"The rows of `{name}` as Parquet, typed by {schema_path}. {PARQUET_NOTE}",
                    "path": path,
                    "format": "parquet",
                    "mediatype": PARQUET_MEDIATYPE,
                    "encoding": "utf-8",
                    "bytes": len(data),
                    "hash": sha256(data),
                })
    # The Table Schemas are files of the package like any other: declared with their
    # size and sha256, so a schema changed under verified data is caught (frictionless
    # checks these too).
    schema_resources = [{
        "name": f"{name}_schema",
        "type": "file",
        "title": f"{name} (Table Schema)",
        "description": f"The Table Schema of `{name}`: columns, types, constraints and keys.",
        "path": f"schemas/{name}.schema.json",
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        "bytes": len(files[f"schemas/{name}.schema.json"]),
        "hash": sha256(files[f"schemas/{name}.schema.json"]),
    } for name in tables]
    descriptor: dict[str, Any] = {"$schema": DATA_PACKAGE_V2}
    descriptor.update({k: v for k, v in metadata.items() if k != "article"})
    descriptor["resources"] = resources + parquet_resources + schema_resources
    files["datapackage.json"] = json_bytes(descriptor)
    for relative, data in files.items():
        (dest / relative).write_bytes(data)
    return descriptor
