"""The :class:`Package`: safe, verified access to one copy of the data package."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from ._errors import ArticleDataError, DescriptorError, IntegrityError, UnknownTableError

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from typing import Any, Literal

    import duckdb
    import pandas as pd
    import pandera.pandas as pa_schema

    Format = Literal["csv", "parquet"]

__all__ = ["Package", "Tables", "default_root"]

_FORMATS: tuple[str, ...] = ("csv", "parquet")
_HASH = r"^sha256:[0-9a-f]{64}$"
_URL = r"^[A-Za-z][A-Za-z0-9+.-]*:"  # a scheme (http:, file:) or a drive letter (C:)
_MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024
_FIX = (
    "Restore the file from the release it came from (reinstall the pinned article-data "
    "version, or `git checkout` it); article_data never repairs or re-downloads data."
)


def default_root() -> Path:
    """Return the folder of the package that ships with this library.

    An installed wheel carries it in ``article_data/_data``; a source checkout
    (editable install, tests) reads the repository's top-level files.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent.parent):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise ArticleDataError(
        f"no datapackage.json found in {here / '_data'} or {here.parent.parent}: "
        "the installation is incomplete; reinstall article-data"
    )


class Tables(Mapping[str, "pd.DataFrame"]):
    """Every table of a package, by name (a read-only mapping with attributes).

    Examples
    --------
    >>> import article_data as ad
    >>> tables = ad.load_all()
    >>> list(tables) == list(ad.TABLES)
    True
    >>> tables.quotes is tables["quotes"]
    True
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame]) -> None:
        self._frames = dict(frames)

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self._frames[name]
        except KeyError:
            raise UnknownTableError(name, list(self._frames)) from None

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            return frames[name]  # type: ignore[no-any-return]
        raise AttributeError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        rows = ", ".join(f"{n}={len(f)}" for n, f in self._frames.items())
        return f"Tables({rows})"


class Package:
    """One copy of the article data package in a folder.

    Parameters
    ----------
    root
        The folder that holds ``datapackage.json``. Nothing outside it is ever
        opened: resource and schema paths that are absolute, contain ``..`` or
        lead through a symlink out of the folder are refused.

    Examples
    --------
    >>> import article_data as ad
    >>> pkg = ad.Package(ad.path())
    >>> pkg.version == ad.__version__
    True
    >>> len(pkg.load("paragraphs")) > 0
    True
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._real_root = self.root.resolve()
        self._descriptor: dict[str, Any] | None = None
        self._resources: dict[str, dict[str, Any]] = {}
        self._schemas: dict[str, dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"Package({str(self.root)!r})"

    # -- descriptor ---------------------------------------------------------

    def _load_descriptor(self) -> dict[str, Any]:
        if self._descriptor is not None:
            return self._descriptor
        where = self.root / "datapackage.json"
        try:
            with open(where, "rb") as handle:
                raw = handle.read(_MAX_DESCRIPTOR_BYTES + 1)
        except OSError as exc:
            raise DescriptorError(f"{where}: cannot read the descriptor ({exc.strerror}); expected a data package folder") from None
        if len(raw) > _MAX_DESCRIPTOR_BYTES:
            raise DescriptorError(f"{where}: larger than {_MAX_DESCRIPTOR_BYTES} bytes; not a descriptor of this package")
        try:
            descriptor = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DescriptorError(f"{where}: not valid UTF-8 JSON ({exc}); restore datapackage.json") from None
        if not isinstance(descriptor, dict):
            raise DescriptorError(f"{where}: expected a JSON object, found {type(descriptor).__name__}")
        resources = descriptor.get("resources")
        if not isinstance(resources, list) or not resources:
            raise DescriptorError(f"{where}: expected 'resources' to be a non-empty list, found {resources!r:.60}")
        checked: dict[str, dict[str, Any]] = {}
        for index, resource in enumerate(resources):
            label = f"{where}: resources[{index}]"
            if not isinstance(resource, dict):
                raise DescriptorError(f"{label}: expected an object, found {type(resource).__name__}")
            name = resource.get("name")
            if not isinstance(name, str) or not name:
                raise DescriptorError(f"{label}: expected a string 'name', found {name!r:.60}")
            if name in checked:
                raise DescriptorError(f"{label}: duplicate resource name {name!r}")
            for key, kind in (("path", str), ("hash", str), ("bytes", int), ("format", str)):
                value = resource.get(key)
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise DescriptorError(f"{label} ({name}): expected {kind.__name__} {key!r}, found {value!r:.60}")
            if not re.match(_HASH, resource["hash"]):
                raise DescriptorError(
                    f"{label} ({name}): expected hash 'sha256:<64 lowercase hex digits>', found "
                    f"{resource['hash']!r:.80}; only sha256 is accepted"
                )
            if resource["bytes"] < 0:
                raise DescriptorError(f"{label} ({name}): 'bytes' is negative ({resource['bytes']})")
            self._safe_path(resource["path"], f"{label} ({name}) path")
            checked[name] = resource
        version = descriptor.get("version")
        if not isinstance(version, str):
            raise DescriptorError(f"{where}: expected a string 'version', found {version!r:.60}")
        self._resources = checked
        self._descriptor = descriptor
        return descriptor

    def _safe_path(self, rel: object, what: str) -> Path:
        """Resolve a descriptor path inside the root, or raise DescriptorError."""
        if not isinstance(rel, str) or not rel:
            raise DescriptorError(f"{what}: expected a relative path string, found {rel!r:.60}")
        bad = None
        parts = PurePosixPath(rel).parts
        if "\x00" in rel or "\\" in rel:
            bad = "contains a NUL byte or backslash"
        elif rel.startswith("/") or re.match(_URL, rel):
            bad = "is absolute or a URL"
        elif ".." in parts:
            bad = "contains '..'"
        full = self.root / rel
        if bad is None:
            try:
                real = full.resolve()
            except (OSError, RuntimeError) as exc:
                raise DescriptorError(f"{what}: {rel!r} cannot be resolved ({exc})") from None
            if not real.is_relative_to(self._real_root):
                bad = "leads through a symlink out of the package"
        if bad is not None:
            raise DescriptorError(
                f"{what}: {rel!r} {bad}; refused. Expected a relative path inside {self.root}"
            )
        return full

    def descriptor(self) -> dict[str, Any]:
        """Return a copy of ``datapackage.json`` as a dict.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.descriptor()["name"]
        'article-data'
        """
        return json.loads(json.dumps(self._load_descriptor()))  # type: ignore[no-any-return]

    @property
    def version(self) -> str:
        """The dataset version this copy declares."""
        return str(self._load_descriptor()["version"])

    @property
    def tables(self) -> tuple[str, ...]:
        """The table names this copy declares, in descriptor order."""
        self._load_descriptor()
        return tuple(n for n, r in self._resources.items() if r["format"] == "csv" and "schema" in r)

    def _resource(self, name: str, fmt: str = "csv") -> dict[str, Any]:
        self._load_descriptor()
        if fmt not in _FORMATS:
            raise ArticleDataError(f"unknown format {fmt!r}: expected one of {', '.join(_FORMATS)}")
        if not isinstance(name, str) or name not in self.tables:
            raise UnknownTableError(name, self.tables)
        key = name if fmt == "csv" else f"{name}_{fmt}"
        resource = self._resources.get(key)
        if resource is None or resource["format"] != fmt:
            raise DescriptorError(f"{self.root / 'datapackage.json'}: table {name!r} has no {fmt} resource named {key!r}")
        return resource

    def table_schema(self, name: str) -> dict[str, Any]:
        """Return the Table Schema (a dict) of a table, as published in ``schemas/``."""
        if name in self._schemas:
            return self._schemas[name]
        resource = self._resource(name)
        ref = resource.get("schema")
        label = f"{self.root / 'datapackage.json'}: resource {name!r} schema"
        if isinstance(ref, str):
            where = self._safe_path(ref, label)
            try:
                schema = json.loads(where.read_text(encoding="utf-8"))
            except OSError as exc:
                raise DescriptorError(f"{where}: cannot read the Table Schema ({exc.strerror})") from None
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise DescriptorError(f"{where}: not valid UTF-8 JSON ({exc})") from None
        elif isinstance(ref, dict):
            schema = ref
        else:
            raise DescriptorError(f"{label}: expected a path or an object, found {ref!r:.60}")
        from ._tableschema import SUPPORTED_TYPES

        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not fields:
            raise DescriptorError(f"{label}: expected a non-empty 'fields' list")
        for i, field in enumerate(fields):
            if not (isinstance(field, dict) and isinstance(field.get("name"), str) and field.get("type") in SUPPORTED_TYPES):
                raise DescriptorError(
                    f"{label}: fields[{i}] must have a string 'name' and a 'type' among {SUPPORTED_TYPES}, found {field!r:.80}"
                )
        self._schemas[name] = schema
        return schema  # type: ignore[no-any-return]

    # -- files ----------------------------------------------------------------

    def path(self, name: str | None = None, *, format: Format = "csv") -> Path:
        """Return the path of a table's file, ``"article"`` for the text, or the package root.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.path("quotes", format="parquet").name
        'quotes.parquet'
        >>> (ad.path() / "datapackage.json").is_file()
        True
        """
        if name is None:
            return self.root
        if name == "article":
            self._load_descriptor()
            if "article" not in self._resources:
                raise DescriptorError(f"{self.root / 'datapackage.json'}: no resource named 'article'")
            return self._safe_path(self._resources["article"]["path"], "article path")
        return self._safe_path(self._resource(name, format)["path"], f"{name} path")

    def _read(self, resource: dict[str, Any], verify: bool) -> bytes:
        where = self._safe_path(resource["path"], f"resource {resource['name']!r} path")
        try:
            data = where.read_bytes()
        except FileNotFoundError:
            raise IntegrityError(
                f"{where}: missing; expected {resource['bytes']} bytes with {resource['hash']}. {_FIX}",
                path=str(where), expected=resource["hash"], actual="missing",
            ) from None
        except OSError as exc:
            raise IntegrityError(f"{where}: cannot be read ({exc.strerror}). {_FIX}", path=str(where)) from None
        # The size costs nothing to check, so it is checked even when verify=False.
        if len(data) != resource["bytes"]:
            raise IntegrityError(
                f"{where}: size differs from the descriptor: expected {resource['bytes']} bytes "
                f"but found {len(data)}. The file was truncated, extended or replaced. {_FIX}",
                path=str(where), expected=str(resource["bytes"]), actual=str(len(data)),
            )
        if verify:
            actual = "sha256:" + hashlib.sha256(data).hexdigest()
            if actual != resource["hash"]:
                raise IntegrityError(
                    f"{where}: content differs from the descriptor: expected {resource['hash']} "
                    f"but found {actual}. The file was changed or damaged. {_FIX}",
                    path=str(where), expected=resource["hash"], actual=actual,
                )
        return data

    def verify(self) -> None:
        """Check the size and sha256 of every file the descriptor lists.

        Raises
        ------
        IntegrityError
            Naming the first file that is missing or differs.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.verify()
        """
        self._load_descriptor()
        for resource in self._resources.values():
            self._read(resource, verify=True)
        for name in self.tables:
            self.table_schema(name)

    # -- data -----------------------------------------------------------------

    def article_text(self, *, verify: bool = True) -> str:
        """Return the article text that every offset refers to.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.article_text().splitlines()[0]
        'The Russians Fighting Putin in Ukraine'
        """
        self._load_descriptor()
        if "article" not in self._resources:
            raise DescriptorError(f"{self.root / 'datapackage.json'}: no resource named 'article'")
        resource = self._resources["article"]
        data = self._read(resource, verify)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IntegrityError(f"{self.root / resource['path']}: not valid UTF-8 ({exc}). {_FIX}", path=resource["path"]) from None

    def load(self, name: str, *, verify: bool = True, format: Format = "parquet") -> pd.DataFrame:
        """Load one table as a pandas DataFrame with the documented dtypes.

        Parameters
        ----------
        name
            A table name from :data:`TABLES`.
        verify
            Check the file's size and sha256 against the descriptor before parsing.
            ``False`` skips the sha256 of a CSV file (never its size): structural
            damage is still an :class:`ArticleDataError`, but a changed cell can only
            be caught by the hash. Parquet files are always hashed, since pyarrow can
            abort the process on damaged Parquet.
        format
            ``"parquet"`` (default, fastest) or ``"csv"``; both give identical frames.

        Examples
        --------
        >>> import article_data as ad
        >>> quotes = ad.load("quotes")
        >>> str(quotes["quote_type"].dtype)
        'category'
        >>> quotes.equals(ad.load("quotes", format="csv"))
        True
        """
        resource = self._resource(name, format)
        # pyarrow aborts the whole process on some damaged Parquet footers (found by
        # fuzzing), so Parquet bytes are always hashed before they are parsed.
        data = self._read(resource, verify or format == "parquet")
        return self._frame(name, resource, data)

    def _frame(self, name: str, resource: dict[str, Any], data: bytes) -> pd.DataFrame:
        """Parse a table file's (already checked) bytes into the documented frame."""
        from ._tableschema import arrow_to_pandas

        fields = self.table_schema(name)["fields"]
        try:
            table = _parse(data, resource["format"], fields)
            return arrow_to_pandas(table, fields)
        except Exception as exc:  # pyarrow raises many types on damaged input
            raise ArticleDataError(
                f"{self.root / resource['path']}: cannot be read as the {resource['format']} table {name!r} "
                f"({type(exc).__name__}: {exc}). Run `article-data verify` to check the files. {_FIX}"
            ) from None

    def load_all(self, *, verify: bool = True, format: Format = "parquet") -> Tables:
        """Load every table; see :meth:`load`."""
        return Tables({name: self.load(name, verify=verify, format=format) for name in self.tables})

    def schema(self, name: str) -> pa_schema.DataFrameSchema:
        """Return the pandera schema of a table, generated from its Table Schema.

        Examples
        --------
        >>> import article_data as ad
        >>> sorted(ad.schema("people").columns)[:2]
        ['age', 'aliases']
        """
        from ._pandera import pandera_schema

        return pandera_schema(name, self.table_schema(name))

    def connect(self, *, verify: bool = True) -> duckdb.DuckDBPyConnection:
        """Return an in-memory DuckDB connection with a view per table (needs ``article-data[sql]``).

        Examples
        --------
        >>> import article_data as ad
        >>> con = ad.connect()
        >>> con.execute("SELECT count(*) FROM quotes WHERE is_speech").fetchone()[0] > 0
        True
        """
        from ._sql import connect

        return connect(self, verify=verify)

    def sql(self, query: str, *, verify: bool = True) -> pd.DataFrame:
        """Run a SQL query over the tables with DuckDB and return a DataFrame.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.sql("SELECT label FROM people WHERE person_id = 'yan'").label[0]
        'Yan'
        """
        from ._sql import sql

        return sql(self, query, verify=verify)

    def validate(self) -> None:
        """Validate everything: hashes, schemas, keys and the annotation guide's rules.

        Raises
        ------
        ValidationError
            Listing every problem with its table, row id and column.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.validate()
        """
        from ._validate import validate_package

        validate_package(self)


def _parse(data: bytes, fmt: str, fields: list[dict[str, Any]]) -> Any:
    """Parse a file's bytes into an Arrow table with exactly the schema's columns and types."""
    import pyarrow as pa

    from ._tableschema import arrow_schema

    schema = arrow_schema(fields)
    names = [f["name"] for f in fields]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.ParquetFile(pa.BufferReader(data), page_checksum_verification=True).read()
    else:
        import pyarrow.csv as pacsv

        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=schema,
                null_values=[""],
                strings_can_be_null=True,
                true_values=["true"],
                false_values=["false"],
            ),
        )
    if table.column_names != names:
        raise ValueError(f"expected the columns {names}, found {table.column_names}")
    if not table.schema.equals(schema, check_metadata=False):
        table = table.cast(schema)
    return table
