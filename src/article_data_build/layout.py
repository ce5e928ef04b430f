"""Where a repository keeps the build's inputs, its outputs and its own state."""

from __future__ import annotations

from pathlib import Path

from article_data._names import RELEASES as RELEASES_FOLDER
from article_data._names import STATE_DIR

__all__ = ["ARTICLE", "CHANGELOG", "INPUTS", "METADATA", "OUTPUTS", "README", "RELEASES", "ROOT", "SCHEMAS", "STATE"]

#: The repository this build lives in (the default root of every build command).
ROOT = Path(__file__).resolve().parent.parent.parent
#: The hand-written inputs: the text as received, the curated judgments, the Table Schemas.
INPUTS = "annotations"
ARTICLE = f"{INPUTS}/article.txt"
METADATA = f"{INPUTS}/package.yaml"
SCHEMAS = f"{INPUTS}/schemas"
#: What the build publishes (and nothing else): the package and the files describing it.
OUTPUTS = (
    "data",
    "schemas",
    "SHA256SUMS",
    "datapackage.json",
    "DATA_DICTIONARY.md",
    "croissant.json",
    "article.jsonld",
)
#: The build's own state: the lock, the swap journal, staging and backup folders.
STATE = STATE_DIR  # the library names it: it reads the journal to explain a half-swapped folder
#: Released packages, one reproducible zip per version, and the release notes.
RELEASES = RELEASES_FOLDER
CHANGELOG = "CHANGELOG.md"
#: The user's page, with blocks the build generates (the caps on untrusted input: article_data_build.limits).
README = "README.md"
