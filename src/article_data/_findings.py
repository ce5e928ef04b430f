"""Problems for the rows of a table where a check fails: named by primary key, at most fifty a check."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._problem import Problem

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["MAX_PER_CHECK", "add_positions", "add_rows", "row_ids"]

#: Rows listed by id for one check; the rest are counted in one more line.
MAX_PER_CHECK = 50


def row_ids(keys: pa.ChunkedArray | None, positions: np.ndarray) -> list[str]:
    """Each row's primary key (the first field), or its row number where it has none."""
    shown = positions[:MAX_PER_CHECK]
    values = keys.take(shown).to_pylist() if keys is not None else [None] * len(shown)
    return [str(v) if v is not None else f"row {int(p) + 1}" for v, p in zip(values, shown)]


def add_rows(
    problems: list[Problem],
    table: str,
    keys: pa.ChunkedArray | None,
    mask: Any,
    column: str | None,
    message: str,
    found: pa.ChunkedArray | None = None,
) -> None:
    """A problem for each row where ``mask`` is true (see :func:`add_positions`)."""
    add_positions(problems, table, keys, np.flatnonzero(np.asarray(mask, dtype=bool)), column, message, found)


def add_positions(
    problems: list[Problem],
    table: str,
    keys: pa.ChunkedArray | None,
    positions: np.ndarray,
    column: str | None,
    message: str,
    found: pa.ChunkedArray | None = None,
) -> None:
    """A problem for each row at ``positions`` (ascending): at most 50, then one line counting the rest."""
    if len(positions) == 0:
        return
    values = found.take(positions[:MAX_PER_CHECK]).to_pylist() if found is not None else None
    for i, row_id in enumerate(row_ids(keys, positions)):
        shown = f" (found {values[i]!r:.80})" if values is not None else ""
        problems.append(Problem(table, row_id, column, message + shown))
    if len(positions) > MAX_PER_CHECK:
        problems.append(Problem(table, None, column, f"... {len(positions) - MAX_PER_CHECK} more rows: {message}"))
