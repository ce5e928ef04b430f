"""A loaded table's rows as plain Python values: the one conversion the page, the diff and the build share."""

from __future__ import annotations

import math
from typing import Any

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd

__all__ = ["is_missing", "plain", "records"]


def is_missing(value: object) -> bool:
    """True for None, NaN, ``pandas.NA`` and ``NaT``: every missing value a loaded table can hold.

    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("")
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def plain(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, NumPy scalars as Python numbers."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as dicts of plain values (dates stay ``datetime.date``)."""
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]
