"""article_data: the article "The Russians Fighting Putin in Ukraine" as typed tables.

One line gives a typed DataFrame, offline, with every file's sha256 checked:

>>> import article_data as ad
>>> quotes = ad.load("quotes")
>>> ad.article_text()[quotes.char_start[0]:quotes.char_end[0]] == quotes.text[0]
True

Importing this module is cheap: pandas, pyarrow, pandera and DuckDB load on first use.
The text is a machine-paraphrased copy of the TIME article: quotations are as printed
in this copy, not verified speech (see DATASHEET.md and the ``defects`` table).
"""

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ._errors import (
    ArticleDataError,
    DescriptorError,
    FormatError,
    IntegrityError,
    UnknownTableError,
    ValidationError,
)
from ._lazy import LazyModule
from ._names import Format
from ._package import Package, Tables
from ._version import __version__

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pandera.pandas as pa_schema
    import spacy.tokens as spacy_tokens

    from . import _diff, _releases, _verification
    from ._diff import PackageDiff
    from ._problem import Problem
    from ._releases import Release
    from ._render import render_html
    from ._verification import Verification

    TABLES: tuple[str, ...]
    # what mypy sees of _ON_BUNDLED: the bound methods of a Package
    _bundled_copy = Package()
    load = _bundled_copy.load
    load_all = _bundled_copy.load_all
    quotes_with_speakers = _bundled_copy.quotes_with_speakers
    article_text = _bundled_copy.article_text
    descriptor = _bundled_copy.descriptor
    path = _bundled_copy.path
    export = _bundled_copy.export
    verify = _bundled_copy.verify
    validate = _bundled_copy.validate
    schema = _bundled_copy.schema
    connect = _bundled_copy.connect
    sql = _bundled_copy.sql
else:  # resolved on first attribute access, so typing.get_type_hints works without importing them now
    _diff = LazyModule("article_data._diff")
    _verification = LazyModule("article_data._verification")
    _releases = LazyModule("article_data._releases")
    duckdb = LazyModule("duckdb")
    pd = LazyModule("pandas")
    pa_schema = LazyModule("pandera.pandas")
    spacy_tokens = LazyModule("spacy.tokens")

__all__ = [
    "TABLES",
    "ArticleDataError",
    "DescriptorError",
    "Format",
    "FormatError",
    "IntegrityError",
    "Package",
    "PackageDiff",
    "Problem",
    "Release",
    "Tables",
    "UnknownTableError",
    "ValidationError",
    "Verification",
    "__version__",
    "article_text",
    "connect",
    "convert",
    "descriptor",
    "diff",
    "export",
    "export_releases",
    "load",
    "load_all",
    "path",
    "quotes_with_speakers",
    "releases",
    "render_html",
    "schema",
    "score",
    "sql",
    "to_brat",
    "to_conll",
    "to_spacy",
    "to_webanno",
    "validate",
    "verify",
]


#: The module-level names that are :class:`Package`'s methods on the bundled copy (``ad.load`` is
#: ``ad.Package().load``: its signature, docstring and type hints), never restated here. The rule
#: (README, "The library"): what reads one copy is a method; what spans copies is a function.
_ON_BUNDLED = (
    "load",
    "load_all",
    "quotes_with_speakers",
    "article_text",
    "descriptor",
    "path",
    "export",
    "verify",
    "validate",
    "schema",
    "connect",
    "sql",
)


def __getattr__(name: str) -> object:
    if name in _ON_BUNDLED:
        return getattr(_default_package(), name)
    # TABLES comes from the bundled datapackage.json, read on first use (no work at import).
    if name == "TABLES":
        return _default_package().tables
    if name == "Verification":  # what verify() returns, loaded with it (not at import)
        from ._verification import Verification

        return Verification
    if name == "PackageDiff":  # what diff() returns, importable (the diff module loads on first use)
        from ._diff import PackageDiff

        return PackageDiff
    if name == "Problem":  # with the validation, on first use
        from ._problem import Problem

        return Problem
    if name == "Release":
        from ._releases import Release

        return Release
    if name == "render_html":  # the page builder loads on first use
        from ._render import render_html

        return render_html
    raise AttributeError(f"module 'article_data' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


_bundled: "Package | None" = None


def _default_package() -> Package:
    global _bundled
    if _bundled is None:
        from ._package import default_root

        _bundled = Package(default_root())
    return _bundled


def diff(
    old: "Package | str | os.PathLike[str]", new: "Package | str | os.PathLike[str] | None" = None
) -> "_diff.PackageDiff":
    """Compare two packages: folders, zip archives or released versions (``"1.0.0"``); see :mod:`article_data._diff`.

    ``new`` defaults to the bundled package. The result lists, per table, the rows added,
    removed and changed (cell by cell), the columns added, removed or retyped, whether the
    text changed, and the version bump the README's policy requires, with the reasons.

    >>> import article_data as ad
    >>> ad.diff(ad.path(), ad.path()).bump
    'none'
    """
    from ._diff import diff_packages, open_package

    base = _default_package()
    return diff_packages(open_package(old, base), open_package(new if new is not None else base, base))


def releases() -> "tuple[_releases.Release, ...]":
    """The kept releases that ship with the library, oldest first: version, zip, sha256, date.

    Each opens with ``ad.Package.release(version)``, offline.

    >>> import article_data as ad
    >>> [r.version for r in ad.releases()][:2]
    ['1.0.0', '1.1.0']
    """
    from ._package import default_root
    from ._releases import kept_releases

    return kept_releases(default_root())


def export_releases(directory: "str | os.PathLike[str]", *, overwrite: bool = False) -> "dict[str, int]":
    """Write every kept release, and the bundled package if not released yet, as one Parquet dataset per table.

    ``directory/<table>/version=<v>/part-0.parquet``, hive-partitioned, every column of
    every version in every file, with the types of :func:`load`; returns the rows written
    per table. See :mod:`article_data._release_export` and the README's "SQL, and beyond
    one machine".
    """
    from ._release_export import export_releases as write

    return write(directory, _default_package(), overwrite=overwrite)


def to_spacy() -> "spacy_tokens.Doc":
    """The article as a spaCy ``Doc`` (``spacy.blank("en")``): ``doc.ents`` the mentions, span groups per table.

    Needs the extra ``article-data[spacy]``; see :mod:`article_data._convert._spacy`.
    """
    from ._annotations import load_annotations
    from ._convert import to_spacy as convert_doc

    return convert_doc(load_annotations(_default_package()))


def to_brat(folder: "str | os.PathLike[str]") -> Path:
    """Write the article in brat standoff into ``folder`` (``article.txt``, ``article.ann``, ``annotation.conf``)."""
    from ._annotations import load_annotations
    from ._convert import write_brat

    return write_brat(load_annotations(_default_package()), os.fspath(folder))


def to_conll() -> str:
    """The mentions as token-per-line BIO text (``spacy convert --converter ner`` reads it); extra ``[spacy]``."""
    from ._annotations import load_annotations
    from ._convert import conll_text

    return conll_text(load_annotations(_default_package()))


def to_webanno() -> dict[str, Any]:
    """The mentions, quotes, figures and defects as W3C Web Annotations (JSON-LD, as a dict)."""
    from ._annotations import load_annotations
    from ._convert import web_annotations

    return web_annotations(load_annotations(_default_package()))


def convert(format: str, output: "str | os.PathLike[str]") -> str:
    """Write the annotations as ``spacy``, ``brat``, ``conll`` or ``webanno`` to ``output``; see ``article-data convert``."""
    from ._annotations import load_annotations
    from ._convert import convert as write

    return write(load_annotations(_default_package()), format, os.fspath(output))


def score(task: str, predictions: "str | os.PathLike[str] | Iterable[Mapping[str, Any]]") -> dict[str, Any]:
    """Score a system's ``predictions`` for ``task`` (``mentions``, ``quotes``, ``figures``) against the tables.

    ``predictions`` is a JSON Lines or CSV file, or an iterable of dicts, with ``char_start`` and
    ``char_end`` (code points of :func:`article_text`, end exclusive) and the task's fields. What
    counts as a match: README.md, "For NLP work". ``mentions`` needs the extra ``article-data[score]``.

    >>> import article_data as ad
    >>> ad.score("quotes", [])["span"]["strict"]["recall"]
    0.0
    """
    from ._annotations import load_annotations
    from ._score import score as run

    return run(load_annotations(_default_package()), task, predictions)


del TYPE_CHECKING
