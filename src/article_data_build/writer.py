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
from article_data._hashes import hex_digest, sha256
from article_data._names import schema_path, schema_resource, table_resource
from article_data._vocabulary import MEDIA_TYPES

from .model import BuiltPackage

__all__ = ["CHECKSUMS", "DATA_PACKAGE_V2", "json_bytes", "package_files", "write_package"]

DATA_PACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
#: Every CSV table's dialect, stated so that no reader has to sniff it (the writer in _formats writes exactly this).
CSV_DIALECT: dict[str, Any] = {
    "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
    "header": True,
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
}
CHECKSUMS = "SHA256SUMS"
PARQUET_NOTE = (
    "Listed under `files`, not `resources`: Data Package v2 resources are tables, and frictionless 5 "
    "cannot check Parquet tables; SHA256SUMS (a resource) covers its bytes for `sha256sum -c`, "
    "and article_data checks its size, sha256, columns, types and rows against the CSV copy."
)


def json_bytes(document: Any) -> bytes:
    """Serialise JSON the way every published JSON file is written: indented, UTF-8, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _resource(name: str, path: str, data: bytes, fmt: str, **properties: Any) -> dict[str, Any]:
    """A resource entry: the given properties, then format, media type, encoding, size and hash."""
    return {
        "name": name,
        **properties,
        "path": path,
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": sha256(data),
    }


def _article_resource(package: BuiltPackage) -> dict[str, Any]:
    meta = dict(package.metadata.get("article", {}))
    resource = _resource(
        "article",
        "data/article.txt",
        package.article,
        "txt",
        title=meta.get("title", "The article"),
        description=meta.get("description", ""),
    )
    if "licenses" in meta:
        resource["licenses"] = meta["licenses"]
    return resource


def _checksums(files: dict[str, bytes]) -> bytes:
    """``SHA256SUMS`` in the format ``sha256sum -c`` reads: every file of the package but the descriptor."""
    return "".join(f"{hex_digest(sha256(data))}  {rel}\n" for rel, data in sorted(files.items())).encode("utf-8")


def package_files(package: BuiltPackage) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every file of the package by relative path, and the descriptor (also among the files).

    The descriptor is valid Data Package v2 and clean for frictionless at once: its
    ``resources`` are the text, the nine CSV tables (``type: "table"``, dialect declared)
    and ``SHA256SUMS``; the Parquet copies and the Table Schemas are listed with their
    size and sha256 under ``files`` (a property of this package, read by article_data)
    and in ``SHA256SUMS``, which frictionless hashes as a resource.
    """
    files: dict[str, bytes] = {"data/article.txt": package.article}
    tables, parquet, schemas = [], [], []
    article = _article_resource(package)
    described = {**package.metadata, "resources": [article]}  # what each Parquet file says about itself
    for name, rows in package.tables.items():
        schema = package.schemas[name]
        fields = schema["fields"]
        schema_file = schema_path(name)
        files[schema_file] = json_bytes(schema)
        files[f"data/{name}.csv"] = csv_bytes(fields, rows)
        files[f"data/{name}.parquet"] = parquet_bytes(fields, rows, table_metadata(described, name, schema))
        tables.append(
            _resource(
                name,
                f"data/{name}.csv",
                files[f"data/{name}.csv"],
                "csv",
                type="table",
                title=f"{name} (CSV)",
                description=schema.get("description", ""),
            )
            | {"dialect": CSV_DIALECT, "schema": schema_file}
        )
        # Not a resource: v2 allows only tables, and frictionless 5 reads Parquet tables through
        # pandas (nullable integers become NaN) and reports a false byte count for them.
        # article_data types these rows with the same schema and checks that they equal the CSV's.
        parquet.append(
            _resource(
                table_resource(name, "parquet"),
                f"data/{name}.parquet",
                files[f"data/{name}.parquet"],
                "parquet",
                title=f"{name} (Parquet)",
                description=f"The rows of `{name}` as Parquet, typed by {schema_file}. {PARQUET_NOTE}",
            )
        )
        # The Table Schemas are files of the package like any other: declared with their size
        # and sha256, so a schema changed under verified data is caught (frictionless too).
        schemas.append(
            _resource(
                schema_resource(name),
                schema_file,
                files[schema_file],
                "json",
                title=f"{name} (Table Schema)",
                description=f"The Table Schema of `{name}`: columns, types, constraints and keys.",
            )
        )
    descriptor: dict[str, Any] = {"$schema": DATA_PACKAGE_V2}
    descriptor.update({k: v for k, v in package.metadata.items() if k != "article"})
    files[CHECKSUMS] = _checksums(files)
    checksums = _resource(
        "checksums",
        CHECKSUMS,
        files[CHECKSUMS],
        "txt",
        title="SHA256SUMS",
        description="The sha256 of every other file of the package, for `sha256sum -c SHA256SUMS` "
        "in the package folder: it covers the Parquet copies and Table Schemas listed under `files`.",
    )
    descriptor["resources"] = [article, *tables, checksums]
    descriptor["files"] = [*parquet, *schemas]
    files["datapackage.json"] = json_bytes(descriptor)
    return files, descriptor


def write_package(dest: Path, package: BuiltPackage) -> dict[str, Any]:
    """Write ``datapackage.json``, ``data/`` and ``schemas/`` into ``dest``; return the descriptor."""
    files, descriptor = package_files(package)
    for relative, data in files.items():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_bytes(data)
    return descriptor
