"""A system's predictions, read and checked: JSON Lines or CSV, one span a line, offsets in code points.

The format is ``predictions.schema.json`` beside this module (a JSON Schema of one
line); this module checks the same rules by hand so that an error names the line
and the field: what was expected, what was found, where, what to do.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .._annotations import ENTITY_TYPES as _TYPES_BY_TABLE
from .._errors import ArticleDataError

__all__ = [
    "ENTITY_TYPES",
    "MAX_BYTES",
    "TASK_FIELDS",
    "Prediction",
    "PredictionError",
    "predictions_schema_path",
    "read_predictions",
]

#: The ``type`` values of a mention prediction.
ENTITY_TYPES: tuple[str, ...] = tuple(_TYPES_BY_TABLE.values())
#: Task -> its optional fields and their kind ("string" or "number"); ``type`` is required for mentions.
TASK_FIELDS: dict[str, dict[str, str]] = {
    "mentions": {"type": "string", "entity": "string"},
    "quotes": {"speaker": "string"},
    "figures": {"value": "number", "unit": "string", "date": "string"},
}
#: The largest predictions file read (a system's output for one article is far smaller).
MAX_BYTES = 64 * 2**20
_ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")

Prediction = dict[str, Any]


class PredictionError(ArticleDataError, ValueError):
    """A predictions file (or list) that breaks the format: names the line and the field."""


def predictions_schema_path() -> Path:
    """The JSON Schema of one line of a predictions file, shipped with the package."""
    return Path(__file__).resolve().parent / "predictions.schema.json"


def _fail(where: str, field: str, expected: str, found: object) -> PredictionError:
    return PredictionError(
        f"{where}, field {field!r}: expected {expected}, found {found!r}; fix that line "
        f"(the format: {predictions_schema_path()})"
    )


def _integer(where: str, field: str, value: object) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, field, "an integer (a code point offset)", value)
    return value


def _optional(where: str, field: str, kind: str, value: object) -> object:
    if value is None or value == "":
        return None
    if kind == "number":
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise _fail(where, field, "a number", value) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _fail(where, field, "a finite number", value)
        return float(value)
    if not isinstance(value, str):
        raise _fail(where, field, "a string", value)
    return value


def check(row: object, where: str, task: str, length: int) -> Prediction:
    """One prediction, checked and normalised: offsets as int, empty cells as None."""
    if not isinstance(row, Mapping):
        raise PredictionError(
            f"{where}: expected a JSON object with char_start and char_end, found "
            f"{type(row).__name__}; write one object per line"
        )
    start = _integer(where, "char_start", row.get("char_start"))
    end = _integer(where, "char_end", row.get("char_end"))
    if not 0 <= start < length:
        raise _fail(where, "char_start", f"an offset inside the text (0 to {length - 1})", start)
    if not start < end <= length:
        raise _fail(
            where, "char_end", f"an offset after char_start ({start}) and at most {length} (end exclusive)", end
        )
    out: Prediction = {"char_start": start, "char_end": end, "line": where}
    for field, kind in TASK_FIELDS[task].items():
        out[field] = _optional(where, field, kind, row.get(field))
    if task == "mentions" and out["type"] not in ENTITY_TYPES:
        raise _fail(where, "type", f"one of {', '.join(ENTITY_TYPES)}", row.get("type"))
    if task == "figures" and out["date"] is not None and not _ISO_DATE.fullmatch(out["date"]):
        raise _fail(where, "date", "an ISO 8601 date (2022-04-05, 2022-02 or 2022)", out["date"])
    return out


def _rows(path: Path) -> Iterable[tuple[str, object]]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PredictionError(
            f"{path}: {size:,} bytes, expected at most {MAX_BYTES:,}; give the predictions for this one article"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PredictionError(
            f"{path}: expected UTF-8 text, found a byte that is not ({exc.reason} at byte "
            f"{exc.start}); save the file as UTF-8"
        ) from None
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            yield f"{path}, line {reader.line_num}", row
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{path}, line {number}", json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise PredictionError(
                f"{path}, line {number}: expected one JSON object, found invalid JSON "
                f"({getattr(exc, 'msg', exc)}); write JSON Lines, one object a line"
            ) from None


def read_predictions(
    source: str | os.PathLike[str] | Iterable[Mapping[str, Any]], task: str, length: int
) -> list[Prediction]:
    """The predictions of a file (``.csv``: CSV; anything else: JSON Lines) or of a list of dicts."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise PredictionError(f"{path}: no such file; give a JSON Lines or CSV file of predictions")
        rows: Iterable[tuple[str, object]] = _rows(path)
    else:
        rows = ((f"prediction {i}", row) for i, row in enumerate(source, start=1))
    return [check(row, where, task, length) for where, row in rows]
