"""Synthetic packages at N times the real size, for the benchmark and the tests.

Scale N holds the article N times (joined by a newline) and every table's rows N
times: copy k shifts every character offset, paragraph position and line number
by k copies and gives every id (primary and foreign keys alike) the suffix ``_k``,
so keys, references, spans and the quotation-mark rules all still hold. It is
written by the build's own writer, hashes and all, so it validates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from article_data import Package
from article_data._package import default_root
from article_data._rows import records
from article_data._tableschema import check_table_schema

from .model import BuiltPackage
from .writer import write_package

__all__ = ["scaled_package", "synthesize"]


def _id_columns(name: str, schema: Mapping[str, Any]) -> list[str]:
    """The primary-key and foreign-key columns of a Table Schema."""
    checked = check_table_schema(schema, f"{name} schema")
    return [*checked.primary_key, *(column for fk in checked.foreign_keys for column in fk.columns)]


def _offset_steps(text: str, paragraphs: int, schema: Mapping[str, Any]) -> dict[str, int]:
    """How much each copy of the article shifts each positional column of a table."""
    per_name = {"position": paragraphs, "line_number": text.count("\n") + 1}
    steps = {}
    for field in schema["fields"]:
        name = field["name"]
        if name.endswith(("char_start", "char_end")):
            steps[name] = len(text) + 1
        elif name in per_name:
            steps[name] = per_name[name]
    return steps


def _replicate(
    rows: Sequence[Mapping[str, Any]], scale: int, ids: Sequence[str], steps: Mapping[str, int]
) -> list[dict[str, Any]]:
    """``scale`` copies of the rows; copy k suffixes ids with ``_k`` and shifts offsets."""
    out = [dict(row) for row in rows]
    for k in range(1, scale):
        for row in rows:
            copy = dict(row)
            for column in ids:
                if copy[column] is not None:
                    copy[column] = f"{copy[column]}_{k}"
            for column, step in steps.items():
                copy[column] += k * step
            out.append(copy)
    return out


def _metadata(source: Package) -> dict[str, Any]:
    """The descriptor properties a BuiltPackage carries, read back from a package."""
    descriptor = source.descriptor()
    article = next(r for r in descriptor["resources"] if r["name"] == "article")
    metadata = {k: v for k, v in descriptor.items() if k not in ("$schema", "resources")}
    metadata["article"] = {k: article[k] for k in ("title", "description", "licenses") if k in article}
    return metadata


def scaled_package(source: Package, scale: int) -> BuiltPackage:
    """``scale`` copies of a package, as a BuiltPackage the writer takes."""
    text = source.article_text()
    frames = source.load_all()
    schemas = {name: source.table_schema(name) for name in source.tables}
    tables = {
        name: _replicate(
            records(frames[name]),
            scale,
            _id_columns(name, schema),
            _offset_steps(text, len(frames["paragraphs"]), schema),
        )
        for name, schema in schemas.items()
    }
    metadata = _metadata(source)
    if scale != 1:  # not the release it was made from: a copy of no known version (article_data._trust)
        metadata["version"] = f"{metadata['version']}+x{scale}"
    return BuiltPackage(
        article="\n".join([text] * scale).encode("utf-8"), tables=tables, schemas=schemas, metadata=metadata
    )


def synthesize(dest: Path, scale: int, source: Package | None = None) -> BuiltPackage:
    """Write the scale-N package into ``dest``; return the package it was written from."""
    package = scaled_package(source or Package(default_root()), scale)
    write_package(dest, package)
    return package
