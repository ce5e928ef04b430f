"""One validation failure, :class:`Problem` (a frozen dataclass, loaded with the validation, not at import)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem"]


@dataclass(frozen=True)
class Problem:
    """One validation failure: where it is and what is wrong.

    Examples
    --------
    >>> str(Problem("quotes", "q07", "speaker_person_id", "not found in people.person_id"))
    'quotes[q07].speaker_person_id: not found in people.person_id'
    """

    table: str
    row_id: str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.table
        if self.row_id is not None:
            where += f"[{self.row_id}]"
        if self.column is not None:
            where += f".{self.column}"
        return f"{where}: {self.message}"
