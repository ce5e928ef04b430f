"""article_data: the article "The Russians Fighting Putin in Ukraine" as typed tables.

One line gives a typed DataFrame, offline, with every file's sha256 checked:

>>> import article_data as ad
>>> quotes = ad.load("quotes")
>>> ad.article_text()[quotes.char_start[0]:quotes.char_end[0]] == quotes.text[0]
True

Importing this module is cheap: pandas, pyarrow and pandera load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    ArticleDataError,
    DescriptorError,
    IntegrityError,
    Problem,
    UnknownTableError,
    ValidationError,
)
from ._package import TABLES, Format, Package, Tables, default_root
from ._version import __version__

if TYPE_CHECKING:
    from pathlib import Path

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
    "descriptor",
    "load",
    "load_all",
    "path",
    "schema",
    "validate",
    "verify",
]

_bundled: Package | None = None


def _package() -> Package:
    global _bundled
    if _bundled is None:
        _bundled = Package(default_root())
    return _bundled


def load(name: str, *, verify: bool = True, format: Format = "parquet") -> pd.DataFrame:
    """Load one table of the bundled package; see :meth:`Package.load`."""
    return _package().load(name, verify=verify, format=format)


def load_all(*, verify: bool = True, format: Format = "parquet") -> Tables:
    """Load every table of the bundled package; see :meth:`Package.load_all`."""
    return _package().load_all(verify=verify, format=format)


def article_text(*, verify: bool = True) -> str:
    """Return the article text the offsets refer to; see :meth:`Package.article_text`."""
    return _package().article_text(verify=verify)


def descriptor() -> dict[str, Any]:
    """Return a copy of the bundled ``datapackage.json``; see :meth:`Package.descriptor`."""
    return _package().descriptor()


def path(name: str | None = None, *, format: Format = "csv") -> Path:
    """Return the path of a bundled file or of the package root; see :meth:`Package.path`."""
    return _package().path(name, format=format)


def verify() -> None:
    """Check size and sha256 of every bundled file; see :meth:`Package.verify`."""
    _package().verify()


def validate() -> None:
    """Validate the bundled package fully; see :meth:`Package.validate`."""
    _package().validate()


def schema(name: str) -> pa_schema.DataFrameSchema:
    """Return the pandera schema of a table; see :meth:`Package.schema`."""
    return _package().schema(name)
