"""article_data: the article "The Russians Fighting Putin in Ukraine" as typed tables.

One line gives a typed DataFrame, offline, with every file's sha256 checked:

>>> import article_data as ad
>>> quotes = ad.load("quotes")
>>> ad.article_text()[quotes.char_start[0]:quotes.char_end[0]] == quotes.text[0]
True

Importing this module is cheap: pandas, pyarrow and pandera load on first use.
"""

from __future__ import annotations

from ._errors import (
    ArticleDataError,
    DescriptorError,
    IntegrityError,
    Problem,
    UnknownTableError,
    ValidationError,
)
from ._version import __version__

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    import duckdb
    import pandas as pd
    import pandera.pandas as pa_schema

    from ._package import Package, Tables
    from ._render import render_html
    from ._types import Format

#: The tables of this version, in the documented order (see README).
TABLES: tuple[str, ...] = (
    "paragraphs",
    "quotes",
    "people",
    "organizations",
    "places",
    "mentions",
    "figures",
    "images",
    "defects",
)


def __getattr__(name: str) -> object:
    # Package and Tables live in _package, render_html in _render; both load on first use (cheap import).
    if name in ("Package", "Tables"):
        from . import _package

        return getattr(_package, name)
    if name == "render_html":
        from ._render import render_html

        return render_html
    raise AttributeError(f"module 'article_data' has no attribute {name!r}")

    import duckdb
    import pandas as pd
    import pandera.pandas as pa_schema

__all__ = [
    "TABLES",
    "ArticleDataError",
    "DescriptorError",
    "IntegrityError",
    "Package",
    "Problem",
    "Tables",
    "UnknownTableError",
    "ValidationError",
    "__version__",
    "article_text",
    "connect",
    "descriptor",
    "load",
    "load_all",
    "path",
    "render_html",
    "schema",
    "sql",
    "validate",
    "verify",
]

_bundled: Package | None = None


def _default_package() -> Package:
    global _bundled
    if _bundled is None:
        from ._package import Package, default_root

        _bundled = Package(default_root())
    return _bundled


def load(name: str, *, verify: bool = True, format: Format = "parquet") -> pd.DataFrame:
    """Load one table of the bundled package; see :meth:`Package.load`."""
    return _default_package().load(name, verify=verify, format=format)


def load_all(*, verify: bool = True, format: Format = "parquet") -> Tables:
    """Load every table of the bundled package; see :meth:`Package.load_all`."""
    return _default_package().load_all(verify=verify, format=format)


def article_text(*, verify: bool = True) -> str:
    """Return the article text the offsets refer to; see :meth:`Package.article_text`."""
    return _default_package().article_text(verify=verify)


def descriptor() -> dict[str, Any]:
    """Return a copy of the bundled ``datapackage.json``; see :meth:`Package.descriptor`."""
    return _default_package().descriptor()


def path(name: str | None = None, *, format: Format = "parquet") -> Path:
    """Return the path of a bundled file or of the package root; see :meth:`Package.path`."""
    return _default_package().path(name, format=format)


def verify() -> None:
    """Check size and sha256 of every bundled file; see :meth:`Package.verify`."""
    _default_package().verify()


def validate() -> None:
    """Validate the bundled package fully; see :meth:`Package.validate`."""
    _default_package().validate()


def schema(name: str) -> pa_schema.DataFrameSchema:
    """Return the pandera schema of a table; see :meth:`Package.schema`."""
    return _default_package().schema(name)


def connect(*, verify: bool = True) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection with a view per table; see :meth:`Package.connect`."""
    return _default_package().connect(verify=verify)


def sql(query: str, *, verify: bool = True) -> pd.DataFrame:
    """Run a SQL query over the tables with DuckDB; see :meth:`Package.sql`."""
    return _default_package().sql(query, verify=verify)
