"""Full validation of a package: files, schemas, keys and the annotation guide's rules.

Every check runs, and every problem is collected, before :class:`ValidationError`
is raised, so one run lists all that is wrong. Each table is parsed from its verified
bytes to Arrow, its two copies compared, and its rows checked against its Table
Schema (:mod:`article_data._constraints`) and the guide's row rules
(:mod:`article_data._rules`); then the rules that read other tables or the article
run. The checks are vectorised (Arrow compute, NumPy): their cost grows linearly
with the rows, without Python loops over rows, and two threads run them at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from ._constraints import breaches, decoded
from ._errors import ArticleDataError, ValidationError
from ._names import FORMATS, table_resource
from ._problem import Problem
from ._rules import ROW_RULES, holds
from ._spans import ArticleIndex, mismatched_rows
from ._tables import table_arrow
from ._vocabulary import CLOSING_MARK, MARKED_TYPES, OPENING_MARK

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pyarrow as pa

    from ._reader import Reader
    from ._tableschema import TableSchema

_MAX_PER_CHECK = 50
#: Threads that parse and check tables at once: two cores' worth (Arrow has its own pool besides).
_THREADS = 2


def _ids(keys: pa.ChunkedArray | None, positions: np.ndarray) -> list[str]:
    """Each row's primary key (the first field), or its row number where it has none."""
    shown = positions[:_MAX_PER_CHECK]
    values = keys.take(shown).to_pylist() if keys is not None else [None] * len(shown)
    return [str(v) if v is not None else f"row {int(p) + 1}" for v, p in zip(values, shown)]


def _add(
    problems: list[Problem],
    table: str,
    keys: pa.ChunkedArray | None,
    mask: Any,
    column: str | None,
    message: str,
    found: pa.ChunkedArray | None = None,
) -> None:
    """A problem for each row where ``mask`` is true (at most 50, then one line counting the rest)."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(positions) == 0:
        return
    values = found.take(positions[:_MAX_PER_CHECK]).to_pylist() if found is not None else None
    for i, row_id in enumerate(_ids(keys, positions)):
        shown = f" (found {values[i]!r:.80})" if values is not None else ""
        problems.append(Problem(table, row_id, column, message + shown))
    if len(positions) > _MAX_PER_CHECK:
        problems.append(Problem(table, None, column, f"... {len(positions) - _MAX_PER_CHECK} more rows: {message}"))


def _table_problems(name: str, table: pa.Table, schema: TableSchema, keys: pa.ChunkedArray | None) -> list[Problem]:
    """The rows of one table that break its Table Schema's constraints or its primary key."""
    problems: list[Problem] = []
    for breach in breaches(table, schema):
        mask = np.zeros(len(table), dtype=bool)
        mask[breach.rows] = True
        found = table.column(breach.column) if breach.column is not None else None
        _add(problems, name, keys, mask, breach.column, breach.message, found)
    return problems


def _rule_problems(name: str, table: pa.Table, schema: TableSchema, keys: pa.ChunkedArray | None) -> list[Problem]:
    """The rows of one table that break the guide's row rules, run on a frame of the columns they read."""
    import pyarrow as pa

    from ._types import arrow_to_pandas

    rules = ROW_RULES.get(name, [])
    read = {column for _, rule, _ in rules for column in rule.columns}  # type: ignore[attr-defined]
    # An enum column as text, not a category: a value outside its enum (a breach listed already) is
    # still a value the rules can read.
    fields = [
        {**f, "constraints": {k: v for k, v in f.get("constraints", {}).items() if k != "enum"}}
        for f in schema.fields
        if f["name"] in read
    ]
    frame = arrow_to_pandas(pa.table({f["name"]: decoded(table.column(f["name"])) for f in fields}), fields)
    problems: list[Problem] = []
    for check_name, rule, error in rules:
        _add(problems, name, keys, ~holds(rule, frame).to_numpy(dtype=bool), None, f"{check_name}: {error}")
    return problems


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


def _foreign_key_problems(
    reader: Reader, tables: dict[str, pa.Table], keys: dict[str, pa.ChunkedArray | None]
) -> list[Problem]:
    import pyarrow.compute as pc

    problems: list[Problem] = []
    for name, table in tables.items():
        for fk in reader.schema(name).foreign_keys:
            column, target_column = fk.columns[0], fk.target_columns[0]
            target = fk.resource or name
            if target not in tables or target_column not in tables[target].column_names:
                problems.append(Problem(name, None, column, f"references {target}.{target_column}, which did not load"))
                continue
            values = _column(table, column)
            known = _column(tables[target], target_column).drop_null().combine_chunks()
            valid = pc.or_(pc.is_null(values), pc.is_in(values, value_set=known))
            _add(
                problems,
                name,
                keys[name],
                ~np.asarray(valid.combine_chunks()),
                column,
                f"not found in {target}.{target_column}",
            )
    return problems


def _span_problems(
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
    texts = texts.cast(pa.large_string())
    bad = np.zeros(len(table), dtype=bool)
    bad[mismatched_rows(index, starts, ends, texts)] = True
    _add(problems, name, keys, bad, text, f"does not equal article[{start}:{end}]")
    if paragraphs is not None and "paragraph_id" in table.column_names:
        # Each row's paragraph by position in `paragraphs`; an unknown id gets the trailing -1.
        ids = _column(paragraphs, "paragraph_id").combine_chunks()
        row = np.asarray(pc.index_in(_column(table, "paragraph_id"), value_set=ids).fill_null(len(paragraphs)))
        p_start = np.append(_offsets(paragraphs, "char_start"), -1)[row]
        p_end = np.append(_offsets(paragraphs, "char_end"), -1)[row]
        outside = (p_start < 0) | (starts < p_start) | (ends > p_end)
        _add(problems, name, keys, outside, start, "span does not lie inside its paragraph")
    return problems


def _paragraph_coverage(table: pa.Table, index: ArticleIndex) -> list[Problem]:
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


def _quote_mark_problems(table: pa.Table, keys: pa.ChunkedArray | None, index: ArticleIndex) -> list[Problem]:
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
    _add(
        problems,
        "quotes",
        keys,
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
    has_mark = np.asarray(pc.fill_null(_column(table, "has_closing_mark"), False).combine_chunks(), dtype=bool)
    _add(
        problems,
        "quotes",
        keys,
        marked & (has_mark != closed),
        "has_closing_mark",
        f"must be true exactly when a closing mark {CLOSING_MARK} follows the quotation",
    )
    return problems


def _guarded(table: str, check: Callable[[], list[Problem]], what: str = "the guide's rules") -> list[Problem]:
    """Run one rule; a table whose columns do not fit the rule is a problem, never a crash."""
    try:
        return check()
    # What a column of another type or shape raises: pandas and NumPy, and Arrow (its Invalid,
    # TypeError, KeyError and IndexError subclass these; a cast it lacks is NotImplementedError).
    except (KeyError, TypeError, ValueError, IndexError, NotImplementedError) as exc:
        return [Problem(table, None, None, f"{what} cannot be checked ({type(exc).__name__}: {exc})")]


def _read_all(reader: Reader, problems: list[Problem]) -> dict[str, bytes]:
    """Every resource's verified bytes; a file that fails is reported and never parsed."""
    verified: dict[str, bytes] = {}
    for resource_name, resource in reader.descriptor.resources.items():
        try:
            verified[resource_name] = reader.read(resource, verify=True)
        except ArticleDataError as exc:
            problems.append(Problem(resource_name, None, None, str(exc)))
    return verified


def _parsed(reader: Reader, name: str, verified: dict[str, bytes], problems: list[Problem]) -> dict[str, pa.Table]:
    """Each format's copy of one table parsed from its verified bytes (a copy that fails is a problem)."""
    copies: dict[str, pa.Table] = {}
    for fmt in FORMATS:
        try:
            resource = reader.resource(name, fmt)
            if resource.name in verified:
                copies[fmt] = table_arrow(reader, name, resource, verified[resource.name], enum_dictionaries=True)
        except ArticleDataError as exc:
            problems.append(Problem(name, None, None, str(exc)))
    return copies


def _same_rows(first: pa.Table, second: pa.Table) -> bool:
    """Whether two copies of a table hold the same rows (an enum column may be a dictionary in one)."""
    return all(decoded(a).equals(decoded(b)) for a, b in zip(first.columns, second.columns, strict=True))


class _Checked(NamedTuple):
    """One table after its own checks: the copy the cross-table checks read (None: none parsed), its key, problems."""

    table: pa.Table | None
    keys: pa.ChunkedArray | None
    problems: list[Problem]


def _check_table(reader: Reader, name: str, verified: dict[str, bytes]) -> _Checked:
    """One table's copies parsed and compared, checked against its schema, key and row rules."""
    problems: list[Problem] = []
    try:
        schema = reader.schema(name)
    except ArticleDataError as exc:
        return _Checked(None, None, [Problem(name, None, None, str(exc))])
    copies = _parsed(reader, name, verified, problems)
    if not copies:
        return _Checked(None, None, problems)
    table = copies[next(fmt for fmt in FORMATS if fmt in copies)]
    if len(copies) == len(FORMATS) and not _same_rows(*copies.values()):
        problems.append(Problem(name, None, None, "the CSV and Parquet files hold different rows"))
    keys = decoded(table.column(schema.primary_key[0])) if schema.primary_key else None
    problems.extend(
        _guarded(name, partial(_table_problems, name, table, schema, keys), "its Table Schema's constraints")
    )
    problems.extend(_guarded(name, partial(_rule_problems, name, table, schema, keys)))
    return _Checked(table, keys, problems)


def _tables(
    reader: Reader, verified: dict[str, bytes], problems: list[Problem], pool: Executor
) -> tuple[dict[str, pa.Table], dict[str, pa.ChunkedArray | None]]:
    """Every table checked on its own (:func:`_check_table`); the tables and their key columns.

    The largest tables start first, so that no thread is left with a big one at the end;
    the results are taken in the descriptor's order.
    """
    names = list(reader.tables)
    size = {name: sum(len(verified.get(table_resource(name, fmt), b"")) for fmt in FORMATS) for name in names}
    futures = {
        name: pool.submit(_check_table, reader, name, verified) for name in sorted(names, key=lambda n: -size[n])
    }
    tables: dict[str, pa.Table] = {}
    keys: dict[str, pa.ChunkedArray | None] = {}
    for name in names:
        result = futures[name].result()
        problems.extend(result.problems)
        if result.table is not None:
            tables[name], keys[name] = result.table, result.keys
    return tables, keys


def _cross_checks(
    tables: dict[str, pa.Table], keys: dict[str, pa.ChunkedArray | None], reader: Reader, index: ArticleIndex
) -> list[tuple[str, Callable[[], list[Problem]]]]:
    """The rules that read other tables or the article: foreign keys, spans, paragraphs, quotation marks."""
    checks: list[tuple[str, Callable[[], list[Problem]]]] = [
        ("foreign keys", partial(_foreign_key_problems, reader, tables, keys))
    ]
    paragraphs = tables.get("paragraphs")
    if paragraphs is not None:
        checks.append(("paragraphs", partial(_paragraph_coverage, paragraphs, index)))
    for name, table in tables.items():
        if {"char_start", "char_end", "text"} <= set(table.column_names):
            inside = None if name == "paragraphs" else paragraphs
            checks.append((name, partial(_span_problems, name, table, keys[name], index, inside)))
    if "images" in tables:
        for part in ("caption", "credit"):
            spans = (f"{part}_char_start", f"{part}_char_end", part)
            checks.append(
                (
                    "images",
                    partial(_span_problems, "images", tables["images"], keys["images"], index, paragraphs, *spans),
                )
            )
    if "quotes" in tables:
        checks.append(("quotes", partial(_quote_mark_problems, tables["quotes"], keys["quotes"], index)))
    return checks


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
    data = verified["article"]
    # Parsing and checking run mostly in Arrow and NumPy, which release the GIL: two threads use
    # two cores. Results are taken in order, so problems are listed as one thread would list them.
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        article = pool.submit(lambda: ArticleIndex(data.decode("utf-8"), data))
        tables, keys = _tables(reader, verified, problems, pool)
        try:
            index = article.result()
        except UnicodeDecodeError as exc:
            problems.append(Problem("article", None, None, f"not valid UTF-8 ({exc})"))
            raise ValidationError(problems, root=root) from None
        for found in pool.map(lambda check: _guarded(*check), _cross_checks(tables, keys, reader, index)):
            problems.extend(found)
    if problems:
        raise ValidationError(problems, root=root)
