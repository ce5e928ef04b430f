"""Many versions as one table: every kept release written as one hive-partitioned Parquet dataset per table.

``article-data releases --export DIR`` writes ``DIR/<table>/version=<v>/part-0.parquet``
for every kept release, and for the current package when its version is not released
yet. Every file of a table holds every column of every version (the union, in the
newest version's order, columns that were removed at the end; a column a version
lacks is null there), with the types :func:`article_data.load` gives: an enum column
is a dictionary whose values are the union of the enums, newest order first; integers
and booleans are nullable; dates are dates. A column whose type changed between
versions takes the wider type (``number`` for integer and number, else ``string``),
except a ``string`` that became an ``array`` (``aliases`` in 2.0.0): it stays an array,
and the older versions' ``' | '``-joined strings are split on ``' | '`` (:data:`JOINED_BY`), so
every version holds ``list<string>`` (Python lists in pandas).
Since every file has the same schema, any engine reads a table as one, and the
``version`` column comes from the folder names.

The tables are read through :meth:`Package.load` (hashes checked), never from paths,
and the folder is written atomically: into a temporary folder beside ``DIR``, renamed
into place when complete, removed on any failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ._output import OutputError, _signals_raise

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ._package import Package

__all__ = ["PARTITION", "export_versions", "union_fields"]

#: The hive partition column, taken from the folder names ``version=<v>``.
PARTITION = "version"
#: What 1.x joined a string column's items with, before it became an ``array`` (``aliases`` in 2.0.0).
JOINED_BY = " | "
_PART = "part-0.parquet"


def _merge(newer: dict[str, Any], older: dict[str, Any]) -> dict[str, Any]:
    """One field that holds the values of both versions of a column."""
    merged = dict(newer)
    constraints = dict(newer.get("constraints", {}))
    constraints.pop("required", None)
    before, after = older.get("constraints", {}).get("enum"), constraints.get("enum")
    if {newer["type"], older["type"]} == {"array", "string"}:  # aliases: 1.x joined them with ' | '
        merged["type"] = "array"
        constraints.pop("enum", None)
    elif newer["type"] != older["type"]:
        merged["type"] = "number" if {newer["type"], older["type"]} == {"integer", "number"} else "string"
        constraints.pop("enum", None)
    elif after is not None and before is not None:
        constraints["enum"] = [*after, *(v for v in before if v not in after)]
    elif after is not None or before is not None:
        constraints.pop("enum", None)
    merged["constraints"] = constraints
    return merged


def union_fields(schemas: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields of one table across versions (schemas oldest first): every column, none required.

    >>> old = {"fields": [{"name": "k", "type": "string", "constraints": {"enum": ["a", "b"]}}]}
    >>> new = {"fields": [{"name": "k", "type": "string", "constraints": {"enum": ["b", "c"]}},
    ...                   {"name": "n", "type": "integer"}]}
    >>> [(f["name"], f["constraints"].get("enum")) for f in union_fields([old, new])]
    [('k', ['b', 'c', 'a']), ('n', None)]
    """
    fields: dict[str, dict[str, Any]] = {}
    for schema in reversed(schemas):  # newest first: its order and descriptions win
        for field in schema["fields"]:
            name = field["name"]
            fields[name] = _merge(fields[name], field) if name in fields else _merge(field, field)
    return list(fields.values())


def _column(frame: pd.DataFrame, field: dict[str, Any]) -> Any:
    """A version's column in the union's dtype (all nulls where the version lacks it)."""
    import pandas as pd

    from ._types import pandas_dtype

    dtype = pandas_dtype(field)
    if field["name"] not in frame:
        return pd.Series([None] * len(frame), dtype=object).astype(dtype)
    column = frame[field["name"]]
    if field["type"] == "array":  # a 1.x string is split on ' | ', so every version holds lists
        return pd.Series(
            [
                v.split(JOINED_BY) if isinstance(v, str) else list(v) if isinstance(v, list) else None
                for v in column.astype(object)
            ],
            index=column.index,
            dtype=object,
        )
    if isinstance(dtype, pd.CategoricalDtype) or column.dtype != dtype:
        return column.astype(object).where(column.notna(), None).astype(dtype)
    return column


def _arrow_schema(fields: list[dict[str, Any]], descriptor: dict[str, Any], table: str) -> pa.Schema:
    import pyarrow as pa

    from ._types import arrow_type, enum_of

    columns = []
    for field in fields:
        kind = pa.dictionary(pa.int32(), pa.string()) if enum_of(field) is not None else arrow_type(field)
        columns.append(pa.field(field["name"], kind, metadata={"description": str(field.get("description", ""))}))
    return pa.schema(
        columns, metadata={"dataset": str(descriptor.get("name", "")), "table": table, "partitioned_by": PARTITION}
    )


def _table_bytes(frame: pd.DataFrame, fields: list[dict[str, Any]], schema: pa.Schema) -> bytes:
    """One version of a table as Parquet: the union's columns, with pandas metadata so pandas restores the dtypes."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ._formats import writer_options

    union = pd.DataFrame({f["name"]: _column(frame, f) for f in fields}, index=pd.RangeIndex(len(frame)))
    table = pa.Table.from_pandas(union, schema=schema, preserve_index=False)
    table = table.replace_schema_metadata({**(schema.metadata or {}), **(table.schema.metadata or {})})
    sink = io.BytesIO()
    pq.write_table(table, sink, **writer_options(fields))
    return sink.getvalue()


def _packages(current: Package, releases: Sequence[Package]) -> list[Package]:
    versions = {pkg.version for pkg in releases}
    return [*releases, *([current] if current.version not in versions else [])]


def _write_tree(folder: Path, packages: list[Package]) -> dict[str, int]:
    """Write every table of every package under ``folder``; return the rows written per table."""
    newest = packages[-1]
    tables = [*newest.tables, *(t for pkg in reversed(packages) for t in pkg.tables if t not in newest.tables)]
    written: dict[str, int] = {}
    for table in dict.fromkeys(tables):
        having = [pkg for pkg in packages if table in pkg.tables]
        fields = union_fields([pkg.table_schema(table) for pkg in having])
        if any(f["name"] == PARTITION for f in fields):
            raise OutputError(
                f"table {table!r} has a column named {PARTITION!r}, the partition column; cannot export it"
            )
        schema = _arrow_schema(fields, having[-1].descriptor(), table)
        for pkg in having:
            frame = pkg.load(table)
            part = folder / table / f"{PARTITION}={pkg.version}"
            part.mkdir(parents=True)
            (part / _PART).write_bytes(_table_bytes(frame, fields, schema))
            written[table] = written.get(table, 0) + len(frame)
    return written


def _check_target(target: Path, overwrite: bool, tables: set[str]) -> None:
    if not target.exists() and not target.is_symlink():
        if not target.parent.is_dir():
            raise OutputError(f"{target}: the folder {target.parent} does not exist; create it first")
        return
    if not target.is_dir() or target.is_symlink():
        raise OutputError(f"{target}: exists and is not a folder; refused. Give a new folder name")
    entries = {p.name for p in target.iterdir()}
    if entries and not overwrite:
        raise OutputError(
            f"{target}: exists and is not empty; refused. Give a new or empty folder, "
            "or pass overwrite (--overwrite) to replace a previous export"
        )
    if entries - tables:
        raise OutputError(
            f"{target}: holds {', '.join(sorted(entries - tables)[:5])}, which no export writes; "
            "refused even with overwrite. Give a new or empty folder"
        )


@contextlib.contextmanager
def _temporary_folder(target: Path) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _replace(folder: Path, target: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if not target.exists():
        os.rename(folder, target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.rename(target, aside / "old")
    try:
        os.rename(folder, target)
    except BaseException:
        os.rename(aside / "old", target)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def export_versions(
    directory: str | os.PathLike[str], current: Package, releases: Sequence[Package], *, overwrite: bool = False
) -> dict[str, int]:
    """Write ``directory/<table>/version=<v>/part-0.parquet`` for each release and ``current``; return rows per table.

    ``releases`` are the kept releases, oldest first; ``current`` is added when its version
    is not among them. ``directory`` must not exist or be empty, unless ``overwrite``
    (then it must hold only a previous export's table folders, which are replaced).
    """
    packages = _packages(current, releases)
    target = Path(os.path.abspath(directory))
    _check_target(target, overwrite, {t for pkg in packages for t in pkg.tables})
    try:
        with _signals_raise(), _temporary_folder(target) as folder:
            written = _write_tree(folder, packages)
            _replace(folder, target)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot be written ({exc.strerror or exc}); nothing was changed") from None
    return written


def export_releases(
    directory: str | os.PathLike[str], current: Package | None = None, *, overwrite: bool = False
) -> dict[str, int]:
    """Export every kept release (beside ``current``'s folder, else the bundled ones) and ``current``.

    ``current`` defaults to the bundled package; see :func:`export_versions`.
    """
    from ._package import Package, default_root
    from ._releases import kept_releases

    current = current if current is not None else Package(default_root())
    releases = [Package(release.checked()) for release in kept_releases(current.root, default_root())]
    return export_versions(directory, current, releases, overwrite=overwrite)
