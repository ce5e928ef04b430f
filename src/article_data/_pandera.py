"""pandera schemas generated from the Table Schemas, plus the guide's row rules.

Each Table Schema field becomes a :class:`pandera.pandas.Column` with the
loader's dtype, ``nullable`` from ``required`` (and the primary key), and checks for
``enum``, ``pattern``, ``minimum``, ``maximum``, ``minLength``, ``maxLength`` and
``unique``; a primary key that no ``unique`` field states is unique as a whole. The
guide's row rules (:mod:`article_data._rules`) are DataFrame-level checks. ``validate()``
checks the same constraints in Arrow (:mod:`article_data._constraints`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._constraints import bound, extra_key, pattern_kernel
from ._rules import ROW_RULES, Rule, holds
from ._tableschema import TableSchema
from ._types import enum_of, is_required, pandas_dtype

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa


def _re2_full_match(pattern: str) -> Callable[[pd.Series], pd.Series]:
    """A check that every value matches ``pattern`` whole, run by RE2 (Arrow compute: linear time)."""
    mismatch = pattern_kernel(pattern)

    def check(series: pd.Series) -> pd.Series:
        import pandas as pd
        import pyarrow as pa

        # cast: pandas hands an all-missing column to Arrow as the null type
        values = pa.chunked_array([pa.array(series.astype("string[pyarrow]").array)]).cast(pa.string())
        broken = mismatch(values).fill_null(False).to_numpy(zero_copy_only=False)
        return pd.Series(~broken, index=series.index)

    return check


def _array_items(series: pd.Series) -> pd.Series:
    """A check that every value of an ``array`` column is a non-empty list of non-empty strings.

    A row with no item is null, never ``[]``, so CSV (an empty cell) and Parquet agree.
    """
    import pandas as pd

    def fits(value: object) -> bool:
        return isinstance(value, list) and len(value) > 0 and all(isinstance(item, str) and item for item in value)

    return pd.Series([fits(v) for v in series], index=series.index, dtype=bool)


def _unique_values(series: pd.Series) -> pd.Series:
    """A check that no value is in two rows; a null is no value (Table Schema ``unique``, as frictionless reads it).

    pandera's own ``unique=True`` counts two nulls as a duplicate, and then lists neither row.
    """
    return ~(series.duplicated(keep=False) & series.notna())


def _row_rule(rule: Rule) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: holds(rule, frame)


def column_checks(field: Mapping[str, Any]) -> list[pa.Check]:
    """Return the pandera checks for a field's Table Schema constraints (already checked as safe)."""
    import pandera.pandas as pa

    constraints = field.get("constraints", {})
    checks: list[pa.Check] = []
    enum = enum_of(field)
    if enum is not None:
        checks.append(pa.Check.isin(enum))
    if field.get("type") == "array":
        checks.append(pa.Check(_array_items, name="array_items", error="a non-empty list of non-empty strings"))
    if "pattern" in constraints:
        checks.append(
            pa.Check(_re2_full_match(constraints["pattern"]), name="pattern", error=f"pattern {constraints['pattern']}")
        )
    if "minLength" in constraints or "maxLength" in constraints:
        checks.append(
            pa.Check.str_length(min_value=constraints.get("minLength"), max_value=constraints.get("maxLength"))
        )
    if "minimum" in constraints:
        checks.append(pa.Check.ge(bound(field, "minimum")))
    if "maximum" in constraints:
        checks.append(pa.Check.le(bound(field, "maximum")))
    if constraints.get("unique"):
        checks.append(pa.Check(_unique_values, name="unique", error="a value in more than one row"))
    return checks


def _build(name: str, table_schema: TableSchema) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {
        field["name"]: pa.Column(
            pandas_dtype(field),
            checks=column_checks(field),
            nullable=not is_required(field) and field["name"] not in table_schema.primary_key,
            description=field.get("description"),
            title=field.get("title"),
        )
        for field in table_schema.fields
    }
    primary_key = list(table_schema.primary_key)
    rules = ROW_RULES.get(name, [])
    checks = [
        pa.Check(_row_rule(function), name=check_name, error=f"{check_name}: {error}")
        for check_name, function, error in rules
    ]
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        strict=True,
        ordered=True,
        unique=list(extra_key(table_schema)) or None,
        name=name,
        description=table_schema.data.get("description"),
        metadata={"primary_key": primary_key},
    )


#: Built schemas by (table, the Table Schema's JSON): building one costs milliseconds, so each is built once.
_BUILT: dict[tuple[str, str], pa.DataFrameSchema] = {}
_MAX_BUILT = 64


def pandera_schema(name: str, table_schema: TableSchema) -> pa.DataFrameSchema:
    """Return the pandera schema of table ``name`` generated from its checked Table Schema."""
    import json

    key = (name, json.dumps(table_schema.data, sort_keys=True))
    if key not in _BUILT:
        if len(_BUILT) >= _MAX_BUILT:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = _build(name, table_schema)
    return _BUILT[key]
