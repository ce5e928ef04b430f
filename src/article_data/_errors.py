"""Exceptions raised by article_data; all derive from :class:`ArticleDataError`."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "ArticleDataError",
    "DescriptorError",
    "IntegrityError",
    "Problem",
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


class UnknownTableError(ArticleDataError, KeyError):
    """A table name that the package does not declare."""

    def __init__(self, name: object, valid: Sequence[str]) -> None:
        self.name = name
        self.valid = tuple(valid)
        super().__init__(f"unknown table {name!r}: expected one of {', '.join(self.valid)}")

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


class Problem:
    """One validation failure: where it is and what is wrong.

    Examples
    --------
    >>> str(Problem("quotes", "q07", "speaker_person_id", "not found in people.person_id"))
    'quotes[q07].speaker_person_id: not found in people.person_id'
    """

    __slots__ = ("column", "message", "row_id", "table")

    def __init__(self, table: str, row_id: str | None, column: str | None, message: str) -> None:
        self.table = table
        self.row_id = row_id
        self.column = column
        self.message = message

    def _key(self) -> tuple[str, str | None, str | None, str]:
        return (self.table, self.row_id, self.column, self.message)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Problem{self._key()!r}"

    def __str__(self) -> str:
        where = self.table
        if self.row_id is not None:
            where += f"[{self.row_id}]"
        if self.column is not None:
            where += f".{self.column}"
        return f"{where}: {self.message}"


class ValidationError(ArticleDataError):
    """The package breaks its schemas or the annotation guide's rules; lists every problem."""

    def __init__(self, problems: Sequence[Problem], *, root: str = "") -> None:
        self.problems = tuple(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:200])
        more = len(self.problems) - 200
        tail = f"\n  ... and {more} more" if more > 0 else ""
        where = f" in {root}" if root else ""
        super().__init__(f"{len(self.problems)} validation problem(s){where}:\n{shown}{tail}")
