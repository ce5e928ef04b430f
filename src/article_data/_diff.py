"""What changed between two copies of the package, and the version bump that change requires.

Rows are matched by primary key. A change is classified by the README's policy
("Versioning"): MAJOR for a removed table or column, a changed type, a removed id
(a row gone), a removed enum value or a changed text (every offset would change
meaning); MINOR for added tables, columns, rows or enum values and for corrected
values; PATCH when no table row changes but metadata does (descriptions, licences,
the descriptor's other properties); NONE when the two are the same.
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from ._rows import records

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd

    from ._package import Package

__all__ = [
    "BUMPS",
    "CellChange",
    "PackageDiff",
    "RowChange",
    "TableDiff",
    "diff_packages",
    "format_diff",
    "open_package",
    "required_bump",
    "version_bump",
]

#: Bumps from least to most.
BUMPS: tuple[str, ...] = ("none", "patch", "minor", "major")
#: Descriptor properties that are computed per version and so not compared.
_COMPUTED = {"version", "resources", "files", "$schema"}


@dataclass(frozen=True)
class CellChange:
    """One cell of a row that changed: ``column: old → new``."""

    column: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    """A row present in both, keyed by its primary key, with its changed cells."""

    key: str
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class TableDiff:
    """Rows and columns of one table that differ."""

    name: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[RowChange, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    columns_retyped: tuple[tuple[str, str, str], ...] = ()
    #: Columns whose Arrow type in the Parquet file changed: what a plain Parquet reader sees.
    parquet_retyped: tuple[tuple[str, str, str], ...] = ()
    enum_values_added: tuple[tuple[str, str], ...] = ()
    enum_values_removed: tuple[tuple[str, str], ...] = ()
    schema_metadata_changed: bool = False

    @property
    def rows_differ(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def differs(self) -> bool:
        return bool(
            self.rows_differ
            or self.columns_added
            or self.columns_removed
            or self.columns_retyped
            or self.parquet_retyped
            or self.enum_values_added
            or self.enum_values_removed
            or self.schema_metadata_changed
        )


@dataclass(frozen=True)
class PackageDiff:
    """Everything that differs between two packages, and the bump it requires."""

    old_version: str
    new_version: str
    tables_added: tuple[str, ...]
    tables_removed: tuple[str, ...]
    tables: tuple[TableDiff, ...]
    text_changed: bool
    text_diff: str
    metadata_changed: tuple[str, ...]
    bump: str
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def equal(self) -> bool:
        """True when nothing but the version (and what follows from it) differs."""
        return self.bump == "none"

    def table(self, name: str) -> TableDiff | None:
        return next((t for t in self.tables if t.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates and other values as strings where JSON has no type for them)."""
        document: dict[str, Any] = _jsonable(asdict(self) | {"equal": self.equal})
        return document


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


def _rows(frame: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    return {str(row[key]): row for row in records(frame)}


def _field_kinds(schema: dict[str, Any]) -> dict[str, tuple[str, list[str] | None]]:
    return {f["name"]: (f["type"], f.get("constraints", {}).get("enum")) for f in schema["fields"]}


def _parquet_types(pkg: Package, name: str) -> dict[str, str]:
    """The Arrow type of each column as the Parquet file stores it (what a plain Parquet reader gets)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    reader = pkg._reader
    data = reader.read(reader.resource(name, "parquet"))
    return {f.name: str(f.type) for f in pq.read_schema(pa.BufferReader(data))}


def _table_diff(name: str, old: Package, new: Package) -> TableDiff:
    old_schema, new_schema = old.table_schema(name), new.table_schema(name)
    old_kinds, new_kinds = _field_kinds(old_schema), _field_kinds(new_schema)
    common = [c for c in new_kinds if c in old_kinds]
    retyped = tuple(
        (c, old_kinds[c][0], new_kinds[c][0])
        for c in common
        if old_kinds[c][0] != new_kinds[c][0] or (old_kinds[c][1] is None) != (new_kinds[c][1] is None)
    )
    enums_added, enums_removed = [], []
    for column in common:
        before, after = old_kinds[column][1], new_kinds[column][1]
        if before is not None and after is not None:
            enums_added += [(column, v) for v in after if v not in before]
            enums_removed += [(column, v) for v in before if v not in after]
    key = (new_schema.get("primaryKey") or [new_schema["fields"][0]["name"]])[0]
    old_key = (old_schema.get("primaryKey") or [old_schema["fields"][0]["name"]])[0]
    # Rows are matched by the key; a table whose key changed has no row in common (every id means another thing).
    old_rows, new_rows = _rows(old.load(name), old_key), _rows(new.load(name), key)
    if old_key != key:
        old_rows = {f"{old_key}={k}": v for k, v in old_rows.items()}
    compared = [c for c in common if c not in {r[0] for r in retyped}]
    old_stored, new_stored = _parquet_types(old, name), _parquet_types(new, name)
    stored = tuple(
        (c, old_stored[c], new_stored[c])
        for c in compared
        if c in old_stored and c in new_stored and old_stored[c] != new_stored[c]
    )
    changed = []
    for row_key in (k for k in new_rows if k in old_rows):
        cells = tuple(
            CellChange(c, old_rows[row_key][c], new_rows[row_key][c])
            for c in compared
            if old_rows[row_key][c] != new_rows[row_key][c]
        )
        if cells:
            changed.append(RowChange(row_key, cells))
    return TableDiff(
        name=name,
        added=tuple(k for k in new_rows if k not in old_rows),
        removed=tuple(k for k in old_rows if k not in new_rows),
        changed=tuple(changed),
        columns_added=tuple(c for c in new_kinds if c not in old_kinds),
        columns_removed=tuple(c for c in old_kinds if c not in new_kinds),
        columns_retyped=retyped,
        parquet_retyped=stored,
        enum_values_added=tuple(enums_added),
        enum_values_removed=tuple(enums_removed),
        # Anything else in the schema (descriptions, constraints, keys) changes no row: PATCH.
        schema_metadata_changed=old_schema != new_schema
        and not (retyped or enums_added or enums_removed or set(old_kinds) != set(new_kinds)),
    )


def required_bump(
    diff_tables: tuple[TableDiff, ...],
    tables_added: tuple[str, ...],
    tables_removed: tuple[str, ...],
    text_changed: bool,
    metadata_changed: tuple[str, ...],
) -> tuple[str, tuple[str, ...]]:
    """The least bump the README's policy requires for these changes, and why."""
    major, minor, patch = [], [], []
    if text_changed:
        major.append("the article text changed, so offsets change meaning")
    major += [f"table {t} removed" for t in tables_removed]
    minor += [f"table {t} added" for t in tables_added]
    for t in diff_tables:
        major += [f"{t.name}.{c} removed" for c in t.columns_removed]
        major += [f"{t.name}.{c} retyped {a} → {b}" for c, a, b in t.columns_retyped]
        major += [
            f"{t.name}.{c} stored in Parquet as {b}, was {a}: plain Parquet readers see a new type"
            for c, a, b in t.parquet_retyped
        ]
        major += [f"{t.name}.{c} lost the enum value {v!r}" for c, v in t.enum_values_removed]
        major += (
            [f"{t.name}: {len(t.removed)} row(s) removed, so their ids are gone ({', '.join(t.removed[:5])})"]
            if t.removed
            else []
        )
        minor += [f"{t.name}.{c} added" for c in t.columns_added]
        minor += [f"{t.name}.{c} gained the enum value {v!r}" for c, v in t.enum_values_added]
        minor += [f"{t.name}: {len(t.added)} row(s) added"] if t.added else []
        minor += [f"{t.name}: {len(t.changed)} row(s) corrected"] if t.changed else []
        patch += [f"{t.name}: schema descriptions changed"] if t.schema_metadata_changed else []
    patch += [f"descriptor property {p!r} changed" for p in metadata_changed]
    for bump, reasons in (("major", major), ("minor", minor), ("patch", patch)):
        if reasons:
            return bump, tuple(reasons)
    return "none", ()


def version_bump(old: str, new: str) -> str:
    """The bump from one version to another (``none`` when equal or lower; non-numeric parts compare as 0)."""

    def parts(version: str) -> tuple[int, int, int]:
        numbers = [
            int(p) if p.isdigit() else 0
            for p in version.split("+", maxsplit=1)[0].split("-", maxsplit=1)[0].split(".")[:3]
        ]
        padded = [*numbers, 0, 0, 0]
        return padded[0], padded[1], padded[2]

    a, b = parts(old), parts(new)
    if b[0] > a[0]:
        return "major"
    if b[:1] == a[:1] and b[1] > a[1]:
        return "minor"
    if b[:2] == a[:2] and b[2] > a[2]:
        return "patch"
    return "none"


def _metadata(pkg: Package) -> dict[str, Any]:
    """The descriptor's properties that are not computed, and the text resource's own metadata."""
    descriptor = pkg.descriptor()
    article: dict[str, Any] = next((r for r in descriptor["resources"] if r.get("name") == "article"), {})
    meta = {k: v for k, v in descriptor.items() if k not in _COMPUTED}
    meta["resources[article]"] = {k: v for k, v in article.items() if k not in ("bytes", "hash")}
    return meta


def open_package(spec: Package | str | os.PathLike[str], base: Package) -> Package:
    """A package named by a Package, a folder, a zip archive, or a released version (``1.0.0``).

    A version is looked up in ``releases/`` beside the ``base`` package, else in the
    bundled package's (see :mod:`article_data._releases`).
    """
    from ._package import Package
    from ._releases import is_version

    if isinstance(spec, Package):
        return spec
    text = os.fspath(spec)
    if is_version(text) and not os.path.exists(text):
        return Package.release(text, root=base.root)
    return Package(text)


def diff_packages(old: Package, new: Package) -> PackageDiff:
    """Compare two packages (both fully verified as they are read)."""
    old.verify()
    new.verify()
    old_tables, new_tables = old.tables, new.tables
    tables = tuple(_table_diff(name, old, new) for name in new_tables if name in old_tables)
    old_text, new_text = old.article_text(), new.article_text()
    text_diff = ""
    if old_text != new_text:
        text_diff = "".join(
            difflib.unified_diff(
                old_text.splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                f"{old.version}/data/article.txt",
                f"{new.version}/data/article.txt",
                n=0,
            )
        )
    old_meta, new_meta = _metadata(old), _metadata(new)
    metadata = tuple(sorted(k for k in set(old_meta) | set(new_meta) if old_meta.get(k) != new_meta.get(k)))
    added = tuple(t for t in new_tables if t not in old_tables)
    removed = tuple(t for t in old_tables if t not in new_tables)
    bump, reasons = required_bump(tables, added, removed, old_text != new_text, metadata)
    return PackageDiff(
        old_version=old.version,
        new_version=new.version,
        tables_added=added,
        tables_removed=removed,
        tables=tuple(t for t in tables if t.differs),
        text_changed=old_text != new_text,
        text_diff=text_diff,
        metadata_changed=metadata,
        bump=bump,
        reasons=reasons,
    )


def _cell(value: Any) -> str:
    return "null" if value is None else repr(value)


def format_diff(diff: PackageDiff, *, cells: int = 1000) -> str:
    """The diff as readable text: the verdict, then table by table, then the text."""
    return "\n".join(diff_lines(diff, cells=cells))


def diff_lines(diff: PackageDiff, *, cells: int = 1000) -> list[str]:
    """The lines of :func:`format_diff` (a value holding a line break stays inside its line)."""
    verdict = "the same" if diff.equal else f"needs a {diff.bump.upper()} version bump"
    lines = [f"article-data {diff.old_version} → {diff.new_version}: {verdict}"]
    given = version_bump(diff.old_version, diff.new_version)
    if not diff.equal:
        lines.append(
            f"  the version goes up by {given.upper() if given != 'none' else 'nothing'}"
            + ("" if BUMPS.index(given) >= BUMPS.index(diff.bump) else "; that understates the change")
        )
        lines += [f"  why: {reason}" for reason in diff.reasons]
    lines.append(
        f"tables added: {', '.join(diff.tables_added) or '-'}; removed: {', '.join(diff.tables_removed) or '-'}"
    )
    lines.append(f"descriptor properties changed: {', '.join(diff.metadata_changed) or '-'}")
    shown = 0
    for table in diff.tables:
        lines.append(
            f"{table.name}: {len(table.added)} added, {len(table.removed)} removed, {len(table.changed)} changed rows"
        )
        for label, values in (("columns added", table.columns_added), ("columns removed", table.columns_removed)):
            if values:
                lines.append(f"  {label}: {', '.join(values)}")
        lines += [f"  column retyped: {c}: {a} → {b}" for c, a, b in table.columns_retyped]
        lines += [f"  Parquet type changed: {c}: {a} → {b}" for c, a, b in table.parquet_retyped]
        lines += [f"  enum value added: {c}: {v!r}" for c, v in table.enum_values_added]
        lines += [f"  enum value removed: {c}: {v!r}" for c, v in table.enum_values_removed]
        if table.schema_metadata_changed:
            lines.append("  schema changed (descriptions or constraints)")
        lines += [f"  + {key}" for key in table.added]
        lines += [f"  - {key}" for key in table.removed]
        for row in table.changed:
            for change in row.cells:
                if shown < cells:
                    lines.append(f"  ~ {row.key}.{change.column}: {_cell(change.old)} → {_cell(change.new)}")
                shown += 1
    if shown > cells:
        lines.append(f"  ... and {shown - cells} more changed cells (--format json lists them all)")
    lines.append("text: " + ("changed" if diff.text_changed else "unchanged"))
    if diff.text_changed:
        lines += ["  " + line for line in diff.text_diff.splitlines()[:40]]
    return lines
