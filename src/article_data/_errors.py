"""Exceptions raised by article_data; all derive from :class:`ArticleDataError`."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._problem import Problem

__all__ = [
    "ArticleDataError",
    "DescriptorError",
    "FormatError",
    "IntegrityError",
    "OutputError",
    "UnknownTableError",
    "ValidationError",
]


class ArticleDataError(Exception):
    """Base class of every error this package raises on purpose."""


class DescriptorError(ArticleDataError):
    """The package descriptor (datapackage.json or a schema) is unusable or unsafe."""


class IntegrityError(ArticleDataError):
    """A data file is missing, or its size or sha256 differs from the descriptor."""

    def __init__(self, message: str, *, path: str = "", expected: str = "", actual: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.expected = expected
        self.actual = actual


class OutputError(ArticleDataError):
    """An output file cannot be written where it was asked for."""


class UnknownTableError(ArticleDataError, KeyError):
    """A table name that the package does not declare."""

    def __init__(self, name: object, valid: Sequence[str]) -> None:
        self.name = name
        self.valid = tuple(valid)
        super().__init__(f"unknown table {name!r}: expected one of {', '.join(self.valid)}")

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


class FormatError(ArticleDataError, ValueError):
    """A file format the library does not read (also a ``ValueError``)."""

    def __init__(self, fmt: object, valid: Sequence[str]) -> None:
        self.format = fmt
        self.valid = tuple(valid)
        super().__init__(f"unknown format {fmt!r}: expected one of {', '.join(self.valid)}")


class ValidationError(ArticleDataError):
    """The package breaks its schemas or the annotation guide's rules; lists every problem."""

    def __init__(self, problems: Sequence[Problem], *, root: str = "") -> None:
        self.problems = tuple(problems)
        self.root = root
        shown = "\n".join(f"  - {p}" for p in self.problems[:200])
        more = len(self.problems) - 200
        tail = f"\n  ... and {more} more" if more > 0 else ""
        where = f" in {root}" if root else ""
        super().__init__(f"{len(self.problems)} validation problem(s){where}:\n{shown}{tail}")
