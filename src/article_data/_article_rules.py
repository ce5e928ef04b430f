"""The guide's rules that read more than one table, or the article: run by ``validate()``.

Foreign keys (a key of several fields as a whole), each span's text equal to its slice
of the article and inside its paragraph, the paragraphs exactly the article's non-empty
lines, and every opening quotation mark opening one quotation. Each rule reads the
parsed Arrow tables; a column of another type than the rule reads is a ``TypeError``
(never a cast), which :mod:`article_data._validate` lists as a problem. Rules one table
checks on its own rows live in :mod:`article_data._rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from ._constraints import decoded
from ._findings import MAX_PER_CHECK, add_positions, add_rows
from ._problem import Problem
from ._spans import ArticleIndex, mismatched_rows
from ._vocabulary import CLOSING_MARK, MARKED_TYPES, OPENING_MARK

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pyarrow as pa

    from ._reader import Reader
    from ._tableschema import ForeignKey

__all__ = ["cross_checks", "foreign_key_problems", "paragraph_coverage", "quote_mark_problems", "span_problems"]


def _column(table: pa.Table, name: str) -> pa.ChunkedArray:
    """A column (an enum column as strings); ``KeyError(name)`` if the table has none of that name."""
    if name not in table.column_names:
        raise KeyError(name)
    return decoded(table.column(name))


def _typed(table: pa.Table, name: str, is_kind: Callable[[Any], bool], kind: str) -> pa.ChunkedArray:
    """A column a rule reads as ``kind``; ``TypeError`` naming it if its schema gives another type (never a cast)."""
    values = _column(table, name)
    if not is_kind(values.type):
        raise TypeError(f"column {name!r} holds {values.type} values; the rule reads {kind}")
    return values


def _offsets(table: pa.Table, name: str) -> np.ndarray:
    """An offset column (integers) as int64, -1 where it is null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = _typed(table, name, pa.types.is_integer, "integers")
    return np.asarray(pc.fill_null(values.cast(pa.int64()), -1), dtype=np.int64)


def foreign_key_problems(
    name: str, fk: ForeignKey, tables: dict[str, pa.Table], keys: dict[str, pa.ChunkedArray | None]
) -> list[Problem]:
    """Rows of ``name`` whose foreign key (none of its fields null) is no row of the table it references."""
    target = fk.resource or name
    columns, shown = ", ".join(fk.columns), ", ".join(fk.target_columns)
    column = fk.columns[0] if len(fk.columns) == 1 else None
    if target not in tables or not set(fk.target_columns) <= set(tables[target].column_names):
        return [Problem(name, None, column, f"references {target}.{shown}, which did not load")]
    missing = _unmatched(tables[name], fk.columns, tables[target], fk.target_columns)
    message = f"not found in {target}.{shown}" if column else f"({columns}) not found in {target}.({shown})"
    problems: list[Problem] = []
    add_rows(problems, name, keys[name], missing, column, message)
    return problems


def _unmatched(table: pa.Table, columns: tuple[str, ...], target: pa.Table, targets: tuple[str, ...]) -> np.ndarray:
    """True for each row of ``table`` whose ``columns`` (all set) are no row of ``target``'s ``targets``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(columns) == 1:
        values = _column(table, columns[0])
        known = _column(target, targets[0]).drop_null().combine_chunks()
        return ~np.asarray(pc.or_(pc.is_null(values), pc.is_in(values, value_set=known)).combine_chunks())
    names = [f"#{i}" for i in range(len(columns))]  # no field is named so
    rows = pa.table({**dict(zip(names, (_column(table, c) for c in columns))), "#row": np.arange(len(table))})
    known = pa.table(dict(zip(names, (_column(target, c) for c in targets))))
    unmatched = rows.drop_null().join(known.drop_null(), keys=names, join_type="left anti")
    mask = np.zeros(len(table), dtype=bool)
    mask[np.asarray(unmatched.column("#row"), dtype=np.int64)] = True
    return mask


def span_problems(
    name: str,
    table: pa.Table,
    keys: pa.ChunkedArray | None,
    index: ArticleIndex,
    paragraphs: pa.Table | None,
    start: str = "char_start",
    end: str = "char_end",
    text: str = "text",
) -> list[Problem]:
    import pyarrow as pa
    import pyarrow.compute as pc

    problems: list[Problem] = []
    if len(table) == 0:
        return problems
    starts, ends = _offsets(table, start), _offsets(table, end)
    texts = _typed(table, text, lambda t: pa.types.is_string(t) or pa.types.is_large_string(t), "text")
    differing = mismatched_rows(index, starts, ends, texts)
    add_positions(problems, name, keys, differing, text, f"does not equal article[{start}:{end}]")
    if paragraphs is not None and "paragraph_id" in table.column_names:
        # Each row's paragraph by position in `paragraphs`; an unknown id gets the trailing -1.
        ids = _column(paragraphs, "paragraph_id").combine_chunks()
        row = np.asarray(pc.index_in(_column(table, "paragraph_id"), value_set=ids).fill_null(len(paragraphs)))
        p_start = np.append(_offsets(paragraphs, "char_start"), -1)[row]
        p_end = np.append(_offsets(paragraphs, "char_end"), -1)[row]
        outside = (p_start < 0) | (starts < p_start) | (ends > p_end)
        add_rows(problems, name, keys, outside, start, "span does not lie inside its paragraph")
    return problems


def paragraph_coverage(table: pa.Table, index: ArticleIndex) -> list[Problem]:
    """Paragraphs must be exactly the non-empty lines of the article, in order."""
    newlines = index.positions("\n")
    line_starts = np.concatenate([[0], newlines + 1])
    line_ends = np.concatenate([newlines, [index.length]])
    keep = line_ends > line_starts
    expected_starts, expected_ends = line_starts[keep], line_ends[keep]
    order = np.argsort(_offsets(table, "position"), kind="stable")
    starts, ends = _offsets(table, "char_start")[order], _offsets(table, "char_end")[order]
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
    if not np.array_equal(_offsets(table, "line_number")[order], lines):
        return [Problem("paragraphs", None, "line_number", "does not match the paragraph's line in the article")]
    return []


def quote_mark_problems(table: pa.Table, keys: pa.ChunkedArray | None, index: ArticleIndex) -> list[Problem]:
    """Every opening mark opens exactly one marked row; has_closing_mark matches the text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    problems: list[Problem] = []
    openings = index.positions(OPENING_MARK)
    closings = index.positions(CLOSING_MARK)
    marked = np.asarray(pc.is_in(_column(table, "quote_type"), value_set=pa.array(MARKED_TYPES)).combine_chunks())
    before = _offsets(table, "char_start") - 1
    ends = _offsets(table, "char_end")
    opened = np.isin(before, openings)
    add_rows(
        problems,
        "quotes",
        keys,
        marked & ~opened,
        "char_start",
        f"a {'/'.join(MARKED_TYPES)} quotation must start right after an opening mark {OPENING_MARK}",
    )
    used, counts = np.unique(before[marked & opened], return_counts=True)
    twice = used[counts > 1]
    for position in twice[:MAX_PER_CHECK]:
        problems.append(
            Problem(
                "quotes",
                None,
                "char_start",
                f"the opening mark at offset {int(position)} opens {int(counts[used == position][0])} rows; expected exactly one",
            )
        )
    for position in np.setdiff1d(openings, used)[:MAX_PER_CHECK]:
        problems.append(
            Problem("quotes", None, None, f"the opening mark at offset {int(position)} opens no quotes row")
        )
    closed = np.isin(ends, closings)
    has_mark = np.asarray(pc.fill_null(_column(table, "has_closing_mark"), False).combine_chunks(), dtype=bool)
    add_rows(
        problems,
        "quotes",
        keys,
        marked & (has_mark != closed),
        "has_closing_mark",
        f"must be true exactly when a closing mark {CLOSING_MARK} follows the quotation",
    )
    return problems


def cross_checks(
    tables: dict[str, pa.Table], keys: dict[str, pa.ChunkedArray | None], reader: Reader, index: ArticleIndex
) -> list[tuple[str, Callable[[], list[Problem]]]]:
    """The rules that read other tables or the article: foreign keys, spans, paragraphs, quotation marks."""
    checks: list[tuple[str, Callable[[], list[Problem]]]] = [
        (name, partial(foreign_key_problems, name, fk, tables, keys))
        for name in tables
        for fk in reader.schema(name).foreign_keys
    ]
    paragraphs = tables.get("paragraphs")
    if paragraphs is not None:
        checks.append(("paragraphs", partial(paragraph_coverage, paragraphs, index)))
    for name, table in tables.items():
        if {"char_start", "char_end", "text"} <= set(table.column_names):
            inside = None if name == "paragraphs" else paragraphs
            checks.append((name, partial(span_problems, name, table, keys[name], index, inside)))
    if "images" in tables:
        for part in ("caption", "credit"):
            spans = (f"{part}_char_start", f"{part}_char_end", part)
            checks.append(
                (
                    "images",
                    partial(span_problems, "images", tables["images"], keys["images"], index, paragraphs, *spans),
                )
            )
    if "quotes" in tables:
        checks.append(("quotes", partial(quote_mark_problems, tables["quotes"], keys["quotes"], index)))
    return checks
