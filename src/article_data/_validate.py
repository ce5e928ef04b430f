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
from typing import NamedTuple

from ._article_rules import cross_checks
from ._constraints import breaches, decoded
from ._errors import ArticleDataError, ValidationError
from ._findings import add_positions, add_rows
from ._names import FORMATS, table_resource
from ._problem import Problem
from ._rules import ROW_RULES, Rule, holds
from ._spans import ArticleIndex
from ._tables import table_arrow

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ._reader import Reader
    from ._tableschema import TableSchema

#: Threads that parse and check tables at once: two cores' worth (Arrow has its own pool besides).
_THREADS = 2


def _table_problems(name: str, table: pa.Table, schema: TableSchema, keys: pa.ChunkedArray | None) -> list[Problem]:
    """The rows of one table that break its Table Schema's constraints or its primary key."""
    problems: list[Problem] = []
    for breach in breaches(table, schema):
        found = table.column(breach.column) if breach.column is not None else None
        add_positions(problems, name, keys, breach.rows, breach.column, breach.message, found)
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
        problems.extend(
            _guarded(
                name, partial(_one_rule, name, rule, frame, keys, f"{check_name}: {error}"), f"the rule {check_name}"
            )
        )
    return problems


def _one_rule(name: str, rule: Rule, frame: pd.DataFrame, keys: pa.ChunkedArray | None, message: str) -> list[Problem]:
    try:
        kept = holds(rule, frame)
    except AttributeError as exc:  # pandas' .str and .dt accessors, on a column of another type
        raise TypeError(str(exc)) from None
    problems: list[Problem] = []
    add_rows(problems, name, keys, ~kept.to_numpy(dtype=bool), None, message)
    return problems


def _guarded(table: str, check: Callable[[], list[Problem]], what: str = "the guide's rules") -> list[Problem]:
    """Run one rule; a table whose columns do not fit the rule is a problem, never a crash."""
    import pyarrow as pa

    try:
        return check()
    # What a column of another type or shape raises: pandas and NumPy, and Arrow (its Invalid,
    # TypeError, KeyError and IndexError subclass these; a cast it lacks is NotImplementedError),
    # and Arrow's CapacityError for a column whose values pass 2 GiB once a dictionary is expanded.
    except (KeyError, TypeError, ValueError, IndexError, NotImplementedError, pa.ArrowCapacityError) as exc:
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


def _compare_copies(name: str, first: pa.Table, second: pa.Table) -> list[Problem]:
    """A problem unless two copies of a table hold the same rows (an enum column may be a dictionary in one)."""
    if all(decoded(a).equals(decoded(b)) for a, b in zip(first.columns, second.columns, strict=True)):
        return []
    return [Problem(name, None, None, "the CSV and Parquet files hold different rows")]


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
    if len(copies) == len(FORMATS):
        problems.extend(_guarded(name, partial(_compare_copies, name, *copies.values()), "its two copies"))
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
        for found in pool.map(lambda check: _guarded(*check), cross_checks(tables, keys, reader, index)):
            problems.extend(found)
    if problems:
        raise ValidationError(problems, root=root)
