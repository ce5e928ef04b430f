"""The build's exceptions; all are ``ArticleDataError`` subclasses, so only those leave the build."""

from __future__ import annotations

from article_data import ArticleDataError

__all__ = ["BuildError", "InputFileError", "MetadataError"]


class BuildError(ArticleDataError):
    """The build cannot go on (an unsafe path, a full disk); the message says what to do."""


class InputFileError(BuildError):
    """An input file is missing, not a regular file inside the checkout, or over its size cap."""


class MetadataError(BuildError, ValueError):
    """croissant.json or article.jsonld cannot describe the built package (also a ``ValueError``)."""
