"""Table Schema fields mapped to Arrow and pandas types: the one place types are decided.

A field's Table Schema ``type`` (plus an ``enum`` constraint) decides both the
Parquet column type the build writes and the pandas dtype the loader returns, so
CSV and Parquet load to identical frames.

=============  ===============  ====================================
Table Schema   Arrow / Parquet  pandas
=============  ===============  ====================================
string         string           ``string[pyarrow]`` (missing: pd.NA)
string + enum  string           ``category`` (categories = the enum)
integer        int64            ``Int64``
number         float64          ``Float64``
boolean        bool             ``boolean``
date           date32           ``date32[day][pyarrow]``
=============  ===============  ====================================
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from typing import Any

    import pandas as pd
    import pyarrow as pa

    Field = dict[str, Any]

SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "date")


def enum_of(field: Field) -> list[str] | None:
    """Return the field's enum constraint, or None."""
    enum = field.get("constraints", {}).get("enum")
    return list(enum) if enum is not None else None


def is_required(field: Field) -> bool:
    """Return whether the field's ``required`` constraint is set."""
    return bool(field.get("constraints", {}).get("required", False))


def arrow_type(field: Field) -> pa.DataType:
    """Return the Arrow type a field is stored as in Parquet."""
    import pyarrow as pa

    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }[field["type"]]


def arrow_schema(fields: list[Field]) -> pa.Schema:
    """Return the Arrow schema of a table, nullability from ``required``."""
    import pyarrow as pa

    return pa.schema([pa.field(f["name"], arrow_type(f), nullable=not is_required(f)) for f in fields])


def pandas_dtype(field: Field) -> Any:
    """Return the pandas dtype the loader gives a field."""
    import pandas as pd
    import pyarrow as pa

    enum = enum_of(field)
    if enum is not None:
        return pd.CategoricalDtype(categories=enum, ordered=False)
    return {
        "string": pd.StringDtype("pyarrow"),
        "integer": pd.Int64Dtype(),
        "number": pd.Float64Dtype(),
        "boolean": pd.BooleanDtype(),
        "date": pd.ArrowDtype(pa.date32()),
    }[field["type"]]


def arrow_to_pandas(table: pa.Table, fields: list[Field]) -> pd.DataFrame:
    """Convert an Arrow table (already cast to :func:`arrow_schema`) to the documented dtypes."""
    import pandas as pd
    import pyarrow as pa

    mapping = {
        pa.string(): pd.StringDtype("pyarrow"),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.date32(): pd.ArrowDtype(pa.date32()),
    }
    import pyarrow.compute as pc

    enums = {f["name"]: enum for f in fields if (enum := enum_of(f)) is not None}
    for name, enum in enums.items():
        column = table.column(name)
        outside = pc.filter(column, pc.invert(pc.is_in(column, value_set=pa.array(enum)))).drop_null()
        if len(outside):
            examples = sorted({str(v) for v in outside.unique().to_pylist()})[:5]
            raise ValueError(
                f"column {name!r} holds {len(outside)} value(s) outside its enum, e.g. {examples}; "
                f"expected one of {enum}"
            )
    frame: pd.DataFrame = table.to_pandas(types_mapper=mapping.get)
    for name, enum in enums.items():
        frame[name] = pd.Categorical(frame[name].array, categories=enum)
    return frame
