"""Full validation of a package: files, schemas, keys and the annotation guide's rules.

Every check runs, and every problem is collected, before :class:`ValidationError`
is raised, so one run lists all that is wrong. The checks are vectorised (pandas,
NumPy, pyarrow): their cost grows linearly with the rows, without Python loops
over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from ._errors import ArticleDataError, ValidationError
from ._problem import Problem
from ._spans import ArticleIndex, mismatched_rows
from ._tables import table_frame
from ._vocabulary import CLOSING_MARK, MARKED_TYPES, OPENING_MARK

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ._reader import Reader

_MAX_PER_CHECK = 50


def _ids(frame: pd.DataFrame, key: str | None, positions: Any) -> list[str | None]:
    positions = list(positions)[:_MAX_PER_CHECK]
    if key is None or key not in frame.columns:
        return [f"row {int(p) + 1}" for p in positions]
    values = frame[key].to_numpy(dtype=object)
    return [str(values[int(p)]) if values[int(p)] is not None else f"row {int(p) + 1}" for p in positions]


def _add(
    problems: list[Problem],
    table: str,
    frame: pd.DataFrame,
    key: str | None,
    mask: Any,
    column: str | None,
    message: str,
) -> None:
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(positions) == 0:
        return
    for row_id in _ids(frame, key, positions):
        problems.append(Problem(table, row_id, column, message))
    if len(positions) > _MAX_PER_CHECK:
        problems.append(Problem(table, None, column, f"... {len(positions) - _MAX_PER_CHECK} more rows: {message}"))


def _codepoint_positions(index: ArticleIndex, char: str) -> np.ndarray:
    """Code point offsets of every occurrence of one character in the article."""
    pattern = np.frombuffer(char.encode("utf-8"), dtype=np.uint8)
    data = index.bytes
    if len(data) < len(pattern):
        return np.zeros(0, dtype=np.int64)
    hits = np.ones(len(data) - len(pattern) + 1, dtype=bool)
    for i, byte in enumerate(pattern):
        hits &= data[i : len(data) - len(pattern) + 1 + i] == byte
    byte_positions = np.flatnonzero(hits)
    continuation = np.flatnonzero((data & 0xC0) == 0x80)
    return byte_positions - np.searchsorted(continuation, byte_positions, side="left")


def _pandera_problems(name: str, frame: pd.DataFrame, reader: Reader, key: str | None) -> list[Problem]:
    import pandas as pd
    import pandera.errors

    from ._pandera import pandera_schema

    problems: list[Problem] = []
    try:
        pandera_schema(name, reader.schema(name)).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        row_level = cases["schema_context"] == "DataFrameSchema"
        # A row rule fails once per column of the row: report it once per row.
        cases = pd.concat([cases[~row_level], cases[row_level].drop_duplicates(["check", "index"]).assign(column=None)])
        keys = frame[key].astype(object).to_numpy() if key in frame.columns else None
        for row in cases.head(_MAX_PER_CHECK * 4).itertuples(index=False):
            index = row.index
            row_id = None
            if isinstance(index, (int, np.integer)) and keys is not None and 0 <= int(index) < len(keys):
                row_id = str(keys[int(index)])
            column = row.column if isinstance(row.column, str) else None
            found = "" if column is None else f" (found {row.failure_case!r})"
            problems.append(Problem(name, row_id, column, f"{row.check} failed{found}"))
        if len(cases) > _MAX_PER_CHECK * 4:
            problems.append(Problem(name, None, None, f"... {len(cases) - _MAX_PER_CHECK * 4} more pandera failures"))
    return problems


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """A string column as Arrow (zero-copy for the loader's ``string[pyarrow]``)."""
    import pyarrow as pa

    return pa.chunked_array(pa.array(column.array, type=pa.string()))


def _foreign_key_problems(reader: Reader, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    import pyarrow.compute as pc

    problems: list[Problem] = []
    for name, frame in frames.items():
        schema = reader.schema(name)
        key = schema.primary_key[0] if schema.primary_key else None
        for fk in schema.foreign_keys:
            column, target_column = fk.columns[0], fk.target_columns[0]
            target = fk.resource or name
            if target not in frames or target_column not in frames[target].columns:
                problems.append(Problem(name, None, column, f"references {target}.{target_column}, which did not load"))
                continue
            # pandas' isin on string[pyarrow] builds a Python list of the targets: use Arrow.
            values = _arrow(frame[column])
            known = _arrow(frames[target][target_column]).drop_null().combine_chunks()
            valid = pc.or_(pc.is_null(values), pc.is_in(values, value_set=known))
            _add(problems, name, frame, key, ~valid.to_numpy(), column, f"not found in {target}.{target_column}")
    return problems


def _span_problems(
    name: str,
    frame: pd.DataFrame,
    key: str,
    index: ArticleIndex,
    paragraphs: pd.DataFrame | None,
    start: str = "char_start",
    end: str = "char_end",
    text: str = "text",
) -> list[Problem]:
    problems: list[Problem] = []
    if frame.empty:
        return problems
    starts = frame[start].to_numpy(dtype=np.int64, na_value=-1)
    ends = frame[end].to_numpy(dtype=np.int64, na_value=-1)
    import pyarrow as pa

    texts = (
        pa.array(frame[text].array, type=pa.large_string())
        if not frame[text].isna().all()
        else pa.nulls(len(frame), pa.large_string())
    )
    bad = np.zeros(len(frame), dtype=bool)
    bad[mismatched_rows(index, starts, ends, texts)] = True
    _add(problems, name, frame, key, bad, text, f"does not equal article[{start}:{end}]")
    if paragraphs is not None and "paragraph_id" in frame.columns:
        import pyarrow.compute as pc

        # Each row's paragraph by position in `paragraphs`; an unknown id gets the trailing -1.
        ids = _arrow(paragraphs["paragraph_id"]).combine_chunks()
        row = pc.index_in(_arrow(frame["paragraph_id"]), value_set=ids).fill_null(len(paragraphs)).to_numpy()
        p_start = np.append(paragraphs["char_start"].to_numpy(dtype=np.int64, na_value=-1), -1)[row]
        p_end = np.append(paragraphs["char_end"].to_numpy(dtype=np.int64, na_value=-1), -1)[row]
        outside = (p_start < 0) | (starts < p_start) | (ends > p_end)
        _add(problems, name, frame, key, outside, start, "span does not lie inside its paragraph")
    return problems


def _paragraph_coverage(frame: pd.DataFrame, index: ArticleIndex) -> list[Problem]:
    """Paragraphs must be exactly the non-empty lines of the article, in order."""
    newlines = _codepoint_positions(index, "\n")
    line_starts = np.concatenate([[0], newlines + 1])
    line_ends = np.concatenate([newlines, [index.length]])
    keep = line_ends > line_starts
    expected_starts, expected_ends = line_starts[keep], line_ends[keep]
    ordered = frame.sort_values("position")
    starts = ordered["char_start"].to_numpy(dtype=np.int64, na_value=-1)
    ends = ordered["char_end"].to_numpy(dtype=np.int64, na_value=-1)
    if len(starts) != len(expected_starts) or not (
        np.array_equal(starts, expected_starts) and np.array_equal(ends, expected_ends)
    ):
        return [
            Problem(
                "paragraphs",
                None,
                None,
                f"paragraphs must be the {len(expected_starts)} non-empty lines of the article in order; "
                f"found {len(starts)} rows that do not match them line for line",
            )
        ]
    lines = np.flatnonzero(keep) + 1
    if not np.array_equal(ordered["line_number"].to_numpy(dtype=np.int64, na_value=-1), lines):
        return [Problem("paragraphs", None, "line_number", "does not match the paragraph's line in the article")]
    return []


def _quote_mark_problems(frame: pd.DataFrame, index: ArticleIndex) -> list[Problem]:
    """Every opening mark opens exactly one marked row; has_closing_mark matches the text."""
    problems: list[Problem] = []
    openings = _codepoint_positions(index, OPENING_MARK)
    closings = _codepoint_positions(index, CLOSING_MARK)
    marked = frame["quote_type"].isin(MARKED_TYPES).to_numpy(dtype=bool)
    before = frame["char_start"].to_numpy(dtype=np.int64, na_value=-1) - 1
    ends = frame["char_end"].to_numpy(dtype=np.int64, na_value=-1)
    opened = np.isin(before, openings)
    _add(
        problems,
        "quotes",
        frame,
        "quote_id",
        marked & ~opened,
        "char_start",
        f"a {'/'.join(MARKED_TYPES)} quotation must start right after an opening mark {OPENING_MARK}",
    )
    used, counts = np.unique(before[marked & opened], return_counts=True)
    twice = used[counts > 1]
    for position in twice[:_MAX_PER_CHECK]:
        problems.append(
            Problem(
                "quotes",
                None,
                "char_start",
                f"the opening mark at offset {int(position)} opens {int(counts[used == position][0])} rows; expected exactly one",
            )
        )
    for position in np.setdiff1d(openings, used)[:_MAX_PER_CHECK]:
        problems.append(
            Problem("quotes", None, None, f"the opening mark at offset {int(position)} opens no quotes row")
        )
    closed = np.isin(ends, closings)
    has_mark = frame["has_closing_mark"].to_numpy(dtype=bool, na_value=False)
    _add(
        problems,
        "quotes",
        frame,
        "quote_id",
        marked & (has_mark != closed),
        "has_closing_mark",
        f"must be true exactly when a closing mark {CLOSING_MARK} follows the quotation",
    )
    return problems


def _guarded(problems: list[Problem], table: str, check: Callable[[], list[Problem]]) -> None:
    """Run one rule; a table whose columns do not fit the rule is a problem, never a crash."""
    try:
        problems.extend(check())
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        problems.append(
            Problem(table, None, None, f"the guide's rules cannot be checked ({type(exc).__name__}: {exc})")
        )


def _read_all(reader: Reader, problems: list[Problem]) -> dict[str, bytes]:
    """Every resource's verified bytes; a file that fails is reported and never parsed."""
    verified: dict[str, bytes] = {}
    for resource_name, resource in reader.descriptor.resources.items():
        try:
            verified[resource_name] = reader.read(resource, verify=True)
        except ArticleDataError as exc:
            problems.append(Problem(resource_name, None, None, str(exc)))
    return verified


def _frames(reader: Reader, verified: dict[str, bytes], problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Each table parsed from its verified bytes, its two copies compared and checked with pandera."""
    frames: dict[str, pd.DataFrame] = {}
    for name in reader.tables:
        copies = {}
        try:
            schema = reader.schema(name)
        except ArticleDataError as exc:
            problems.append(Problem(name, None, None, str(exc)))
            continue
        for fmt in ("parquet", "csv"):
            try:
                resource = reader.resource(name, fmt)
            except ArticleDataError as exc:
                problems.append(Problem(name, None, None, str(exc)))
                continue
            if resource.name in verified:
                try:
                    copies[fmt] = table_frame(reader, name, resource, verified[resource.name])
                except ArticleDataError as exc:
                    problems.append(Problem(name, None, None, str(exc)))
        if not copies:
            continue
        frame = copies["parquet"] if "parquet" in copies else copies["csv"]
        frames[name] = frame
        if len(copies) == 2 and not copies["parquet"].equals(copies["csv"]):
            problems.append(Problem(name, None, None, "the CSV and Parquet files hold different rows"))
        problems.extend(_pandera_problems(name, frame, reader, schema.primary_key[0] if schema.primary_key else None))
    return frames


def validate_package(reader: Reader) -> None:
    """Run every check on a package; raise ValidationError listing all problems."""
    problems: list[Problem] = []
    root = reader.source.show("")
    try:
        reader.descriptor  # noqa: B018  (parsing it is the check)
    except ArticleDataError as exc:
        raise ValidationError([Problem("datapackage.json", None, None, str(exc))], root=root) from None
    verified = _read_all(reader, problems)
    if "article" not in verified:
        raise ValidationError(problems or [Problem("article", None, None, "no resource named 'article'")], root=root)
    try:
        index = ArticleIndex(verified["article"].decode("utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem("article", None, None, f"not valid UTF-8 ({exc})"))
        raise ValidationError(problems, root=root) from None
    frames = _frames(reader, verified, problems)
    keys = {name: (reader.schema(name).primary_key or (None,))[0] for name in frames}
    _guarded(problems, "foreign keys", lambda: _foreign_key_problems(reader, frames))
    paragraphs = frames.get("paragraphs")
    if paragraphs is not None:
        _guarded(problems, "paragraphs", lambda: _paragraph_coverage(paragraphs, index))
    for name, frame in frames.items():
        if {"char_start", "char_end", "text"} <= set(frame.columns):
            _guarded(
                problems,
                name,
                partial(
                    _span_problems, name, frame, keys[name] or "", index, None if name == "paragraphs" else paragraphs
                ),
            )
    if "images" in frames:
        for part in ("caption", "credit"):
            _guarded(
                problems,
                "images",
                partial(
                    _span_problems,
                    "images",
                    frames["images"],
                    "image_id",
                    index,
                    paragraphs,
                    f"{part}_char_start",
                    f"{part}_char_end",
                    part,
                ),
            )
    if "quotes" in frames:
        _guarded(problems, "quotes", lambda: _quote_mark_problems(frames["quotes"], index))
    if problems:
        raise ValidationError(problems, root=root)
