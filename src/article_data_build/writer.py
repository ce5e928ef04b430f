"""Write a data package folder from a :class:`BuiltPackage`: data/, schemas/ and datapackage.json.

Everything it writes is a function of its input: no clock, no random ids, fixed
column order, LF line ends, and a Parquet writer whose version is pinned in the
lock file, so the same package gives byte-identical files. The table files are
serialised by the library's own writer (:mod:`article_data._formats`), the one
``article-data export`` uses too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from article_data._formats import csv_bytes, parquet_bytes, table_metadata
from article_data._hashes import sha256
from article_data._vocabulary import MEDIA_TYPES

from .model import BuiltPackage

__all__ = ["DATA_PACKAGE_V2", "json_bytes", "package_files", "write_package"]

DATA_PACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_NOTE = (
    "Declared as a file so that frictionless checks its bytes and sha256; article_data "
    "checks its columns, types and rows against the CSV copy."
)


def json_bytes(document: Any) -> bytes:
    """Serialise JSON the way every published JSON file is written: indented, UTF-8, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _resource(name: str, path: str, data: bytes, fmt: str, **properties: Any) -> dict[str, Any]:
    """A resource entry: the given properties, then format, media type, encoding, size and hash."""
    return {"name": name, **properties, "path": path, "format": fmt, "mediatype": MEDIA_TYPES[fmt],
            "encoding": "utf-8", "bytes": len(data), "hash": sha256(data)}


def _article_resource(package: BuiltPackage) -> dict[str, Any]:
    meta = dict(package.metadata.get("article", {}))
    resource = _resource("article", "data/article.txt", package.article, "txt",
                         title=meta.get("title", "The article"), description=meta.get("description", ""))
    if "licenses" in meta:
        resource["licenses"] = meta["licenses"]
    return resource


def package_files(package: BuiltPackage) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every file of the package by relative path, and the descriptor (also among the files)."""
    files: dict[str, bytes] = {"data/article.txt": package.article}
    tables, parquet, schemas = [], [], []
    article = _article_resource(package)
    described = {**package.metadata, "resources": [article]}  # what each Parquet file says about itself
    for name, rows in package.tables.items():
        schema = package.schemas[name]
        fields = schema["fields"]
        schema_path = f"schemas/{name}.schema.json"
        files[schema_path] = json_bytes(schema)
        files[f"data/{name}.csv"] = csv_bytes(fields, rows)
        files[f"data/{name}.parquet"] = parquet_bytes(fields, rows, table_metadata(described, name, schema))
        tables.append(_resource(name, f"data/{name}.csv", files[f"data/{name}.csv"], "csv", type="table",
                                title=f"{name} (CSV)", description=schema.get("description", ""))
                      | {"schema": schema_path})
        # Declared a file, not a table: frictionless 5 reads Parquet through pandas (nullable
        # integers become NaN, false type errors) and reports a false byte count for Parquet
        # tables, but checks a file's bytes and sha256 correctly. article_data types these rows
        # with the same schema and checks that they equal the CSV's.
        parquet.append(_resource(f"{name}_parquet", f"data/{name}.parquet", files[f"data/{name}.parquet"], "parquet",
                                 type="file", title=f"{name} (Parquet)",
                                 description=f"The rows of `{name}` as Parquet, typed by {schema_path}. {PARQUET_NOTE}"))
        # The Table Schemas are files of the package like any other: declared with their size
        # and sha256, so a schema changed under verified data is caught (frictionless too).
        schemas.append(_resource(f"{name}_schema", schema_path, files[schema_path], "json", type="file",
                                 title=f"{name} (Table Schema)",
                                 description=f"The Table Schema of `{name}`: columns, types, constraints and keys."))
    descriptor: dict[str, Any] = {"$schema": DATA_PACKAGE_V2}
    descriptor.update({k: v for k, v in package.metadata.items() if k != "article"})
    descriptor["resources"] = [article, *tables, *parquet, *schemas]
    files["datapackage.json"] = json_bytes(descriptor)
    return files, descriptor


def write_package(dest: Path, package: BuiltPackage) -> dict[str, Any]:
    """Write ``datapackage.json``, ``data/`` and ``schemas/`` into ``dest``; return the descriptor."""
    files, descriptor = package_files(package)
    for relative, data in files.items():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_bytes(data)
    return descriptor
