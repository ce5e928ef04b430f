"""A parsed table checked against its Table Schema's constraints and primary key, in Arrow compute.

``validate()`` checks each table here, not through pandera: the constraints are the
ones :func:`article_data._pandera.pandera_schema` states (``tests/test_constraints.py``
holds both to the same rows), but each is one vectorised Arrow kernel (RE2 for
patterns), so its cost is the rows' and not pandera's per-check overhead, which was
most of ``validate()``'s time. A check gives the positions of the rows that break it;
:mod:`article_data._validate` names them.

Nulls: a null breaks ``required`` only; the other constraints apply to values, so any
number of rows may lack a value in a ``unique`` column (as frictionless and SQL count
them). A primary key's fields need a value in every row, and the key is unique as a
whole (Table Schema: a primary key is implicitly required and unique).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ._tableschema import anchored
from ._types import enum_of, is_list, is_required

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from ._tableschema import TableSchema

__all__ = ["Breach", "Check", "bound", "breaches", "column_checks", "decoded", "extra_key", "pattern_kernel"]

#: A constraint as one kernel: the column's values in, true for each value that breaks it (null: keeps it).
Kernel = Callable[["pa.ChunkedArray"], "pa.ChunkedArray"]


class Check(NamedTuple):
    """One constraint of one field: its name (as in the Table Schema), what a breach means, and its kernel."""

    name: str
    message: str
    kernel: Kernel


class Breach(NamedTuple):
    """Rows of a table that break one check: the column (None: several), positions ascending, the message."""

    column: str | None
    rows: np.ndarray
    message: str


def bound(field: Mapping[str, Any], key: str) -> Any:
    """A ``minimum`` or ``maximum`` as a Python value of the field's type (a date field's bound is ISO text)."""
    value = field["constraints"][key]
    return dt.date.fromisoformat(value) if field["type"] == "date" else value


def _shown(values: list[str]) -> str:
    return ", ".join(values[:6]) + (f", ... ({len(values)} in all)" if len(values) > 6 else "")


def _not_in(enum: list[str]) -> Kernel:
    def kernel(values: pa.ChunkedArray) -> pa.ChunkedArray:
        import pyarrow as pa
        import pyarrow.compute as pc

        return pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=pa.array(enum, pa.string()))))

    return kernel


def pattern_kernel(pattern: str) -> Kernel:
    """True for each value that does not match ``pattern`` whole, run by RE2 (linear time)."""
    expression = anchored(pattern)

    def kernel(values: pa.ChunkedArray) -> pa.ChunkedArray:
        import pyarrow.compute as pc

        return pc.invert(pc.match_substring_regex(values, expression))

    return kernel


def _length(compare: str, limit: int) -> Kernel:
    def kernel(values: pa.ChunkedArray) -> pa.ChunkedArray:
        import pyarrow as pa
        import pyarrow.compute as pc

        return pc.call_function(compare, [pc.utf8_length(values).cast(pa.int64()), pa.scalar(limit, pa.int64())])

    return kernel


def _beyond(compare: str, limit: Any) -> Kernel:
    def kernel(values: pa.ChunkedArray) -> pa.ChunkedArray:
        import pyarrow as pa
        import pyarrow.compute as pc

        bound = float(limit) if pa.types.is_floating(values.type) else limit  # 2**64 is a float bound, no int64
        return pc.call_function(compare, [values, pa.scalar(bound, values.type)])

    return kernel


def _bad_lists(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """A list with no item, or with an empty or null item (a row with no item is null, never ``[]``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    items = pc.list_flatten(values)
    bad_items = pc.or_kleene(pc.is_null(items), pc.equal(pc.utf8_length(items), 0)).fill_null(True)
    bad = np.zeros(len(values), dtype=bool)
    bad[np.asarray(pc.list_parent_indices(values))[np.asarray(bad_items, dtype=bool)]] = True
    return pc.or_(pa.array(bad), pc.equal(pc.list_value_length(values), 0))


def _comparable(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Values as equality sees them: strings for a dictionary, and ``-0.0`` as ``0.0`` (hashing tells them apart)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = decoded(values)
    return pc.add(values, pa.scalar(0.0, values.type)) if pa.types.is_floating(values.type) else values


def _duplicated(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """A value that is in another row too (a null is no value: any number of rows may lack one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    present = _comparable(values).drop_null()
    if len(pc.unique(present)) == len(present):  # the usual case, in one pass
        return pa.chunked_array([pa.nulls(len(values), pa.bool_())])
    return pa.chunked_array([_duplicate_mask(pa.table({"value": values}))])


def column_checks(field: Mapping[str, Any]) -> list[Check]:
    """The checks of one field's constraints (already checked as safe by :mod:`article_data._tableschema`)."""
    constraints = field.get("constraints", {})
    checks = []
    if is_required(field):
        checks.append(Check("required", "is empty; its schema requires a value", _is_null))
    enum = enum_of(field)
    if enum is not None:
        checks.append(Check("enum", f"is not one of its enum values ({_shown(enum)})", _not_in(enum)))
    if is_list(field):
        checks.append(Check("array_items", "must be null or a non-empty list of non-empty strings", _bad_lists))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        checks.append(Check("pattern", f"does not match its pattern {pattern}", pattern_kernel(pattern)))
    for key, compare, what in (("minLength", "less", "shorter than"), ("maxLength", "greater", "longer than")):
        if key in constraints:
            checks.append(Check(key, f"is {what} its {key} {constraints[key]}", _length(compare, constraints[key])))
    for key, compare, what in (("minimum", "less", "below"), ("maximum", "greater", "above")):
        if key in constraints:
            checks.append(Check(key, f"is {what} its {key} {constraints[key]}", _beyond(compare, bound(field, key))))
    if constraints.get("unique"):
        checks.append(Check("unique", "is in more than one row; its schema makes it unique", _duplicated))
    return checks


def _is_null(values: pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow.compute as pc

    return pc.is_null(values)


def extra_key(schema: TableSchema) -> tuple[str, ...]:
    """The primary key to check as a whole: empty when there is none, or one field already ``unique``."""
    key = schema.primary_key
    if len(key) == 1 and next(f for f in schema.fields if f["name"] == key[0]).get("constraints", {}).get("unique"):
        return ()
    return key


def _duplicate_mask(keys: pa.Table) -> pa.Array:
    """True for each row whose key (all of ``keys``' columns, none null) is in another row too."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {f"#{i}": _comparable(column) for i, column in enumerate(keys.columns)}  # no field is named so
    rows = pa.table({**columns, "#row": pa.array(np.arange(len(keys), dtype=np.int64))}).drop_null()
    groups = rows.group_by(list(columns), use_threads=False).aggregate([("#row", "list")])
    lists = groups.column("#row_list")
    repeated = pc.list_flatten(pc.filter(lists, pc.greater(pc.list_value_length(lists), 1)))
    mask = np.zeros(len(keys), dtype=bool)
    mask[np.asarray(repeated, dtype=np.int64)] = True
    return pa.array(mask)


def _positions(mask: Any) -> np.ndarray:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    if not pc.any(mask).as_py():  # the usual case: no row breaks the check
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.asarray(mask.fill_null(False), dtype=bool))


def decoded(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """An enum column the file stores as a dictionary, as its strings."""
    import pyarrow as pa

    return values.cast(values.type.value_type) if pa.types.is_dictionary(values.type) else values


def breaches(table: pa.Table, schema: TableSchema) -> list[Breach]:
    """Every row of ``table`` (parsed with the schema's columns and types) that breaks a constraint or its key."""
    found = []
    for field in schema.fields:
        values = decoded(table.column(field["name"]))
        for check in column_checks(field):
            rows = _positions(check.kernel(values))
            if len(rows):
                found.append(Breach(field["name"], rows, check.message))
    key = schema.primary_key
    for field in schema.fields:
        if field["name"] in key and not is_required(field):
            rows = _positions(table.column(field["name"]).is_null())
            if len(rows):
                found.append(Breach(field["name"], rows, "is empty; a primary key field needs a value in every row"))
    if whole := extra_key(schema):
        rows = _positions(_duplicate_mask(table.select(list(whole))))
        if len(rows):
            found.append(Breach(None, rows, f"primaryKey ({', '.join(key)}): the same key is in more than one row"))
    return found
