"""The names the library and the build share, each stated once: formats, resources, releases, the build's state.

The build (``article_data_build``) imports these; the library reads packages by them.
``tests/test_architecture.py`` checks that no other module defines them again.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

__all__ = [
    "CONVERT_FORMATS",
    "DESCRIPTOR",
    "EXPORT_FORMATS",
    "FORMATS",
    "RELEASES",
    "RELEASE_ZIP",
    "SCORE_TASKS",
    "SEMVER",
    "STATE_DIR",
    "SWAP_JOURNAL",
    "VERSION",
    "ExportFormat",
    "Format",
    "release_zip",
    "schema_path",
    "schema_resource",
    "table_resource",
]

#: The formats a table is published in and read from; the first is the default everywhere.
Format = Literal["parquet", "csv"]
FORMATS: tuple[Format, ...] = get_args(Format)
#: What ``export`` writes: a table in one of these, or (sqlite) the whole package.
ExportFormat = Literal["parquet", "csv", "json", "sqlite"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

#: A package's descriptor, at its root.
DESCRIPTOR = "datapackage.json"


def table_resource(table: str, fmt: str = "csv") -> str:
    """The name of the resource (or file entry) holding ``table`` in ``fmt``: ``quotes``, ``quotes_parquet``."""
    return table if fmt == "csv" else f"{table}_{fmt}"


def schema_resource(table: str) -> str:
    """The name of the entry declaring a table's Table Schema file: ``quotes_schema``."""
    return f"{table}_schema"


def schema_path(table: str) -> str:
    """Where a table's Table Schema is published: ``schemas/quotes.schema.json``."""
    return f"schemas/{table}.schema.json"


#: A version as a descriptor may give it (any copy), and a released version (``1.1.0``, ``2.0.0-rc.1``).
VERSION = re.compile(r"[0-9A-Za-z.+-]{1,64}")
SEMVER = r"\d+\.\d+\.\d+(?:[.+-][0-9A-Za-z.+-]*)?"
#: The folder beside a package that keeps every released zip, and the zip's name.
RELEASES = "releases"
RELEASE_ZIP = re.compile(rf"article-data-(?P<version>{SEMVER})\.zip")


def release_zip(version: str) -> str:
    """The file name of a released package: ``article-data-1.1.0.zip``."""
    return f"article-data-{version}.zip"


#: What ``article-data convert`` writes (format -> what ``-o`` names), and what ``article-data score`` scores.
CONVERT_FORMATS: dict[str, str] = {
    "spacy": "a .spacy file (a DocBin of one Doc)",
    "brat": "a folder, given article.txt, article.ann and annotation.conf",
    "conll": "a BIO file (token TAB tag), or - for standard output",
    "webanno": "a JSON-LD file (W3C Web Annotation), or - for standard output",
}
SCORE_TASKS = ("mentions", "quotes", "figures")

#: The build's state folder inside a repository, and the journal of a swap in progress.
STATE_DIR = ".build"
SWAP_JOURNAL = "swap.json"
