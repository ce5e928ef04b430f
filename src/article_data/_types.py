"""Table Schema field types mapped to Arrow, pandas and Croissant types: the one place types are decided.

A field's Table Schema ``type`` (plus an ``enum`` constraint) decides the Parquet
column type the build writes, the pandas dtype the loader returns (so CSV and
Parquet load to identical frames) and the Croissant ``dataType`` of the field.
Every one of them is read from :data:`TYPES`.

=============  ===============  ====================================  ==========
Table Schema   Arrow / Parquet  pandas                                Croissant
=============  ===============  ====================================  ==========
string         string           ``string[pyarrow]`` (missing: pd.NA)  sc:Text
string + enum  string (*)        ``category`` (categories = the enum)  sc:Text
integer        int64            ``Int64``                             sc:Integer
number         float64          ``Float64``                           sc:Float
boolean        bool             ``boolean``                           sc:Boolean
date           date32           ``date32[day][pyarrow]``              sc:Date
array          list<string>     ``object``: Python lists (missing:    sc:Text,
(of strings)                    None)                                 repeated
=============  ===============  ====================================  ==========

(*) Stored in Parquet as a dictionary of the whole enum (:func:`stored_schema`), with
the ``pandas`` metadata of the loader's frame (:func:`pandas_metadata`), so plain
Parquet readers get these types too; the loader casts it back to string first.

An ``array`` (Table Schema v1 and v2; this package's arrays hold strings only) is
``list<string>`` in Parquet and a JSON array of strings in CSV, ``["Kiev"]``
(:func:`parse_arrays` parses them, strictly); the loader gives Python lists, what ``DataFrame.explode`` and JSON expect
(a pandas ``ArrowDtype`` list cannot be named in the ``pandas`` metadata: pandas fails to
read a file that names one). A row with no item is null in both files, never ``[]``: an
empty CSV cell cannot tell an empty list from a missing one.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    import pandas as pd
    import pyarrow as pa

    Field = Mapping[str, Any]

#: Table Schema type -> (pyarrow type factory, pandas dtype name, Croissant dataType).
TYPES: dict[str, tuple[str, str, str]] = {
    "string": ("string", "string[pyarrow]", "sc:Text"),
    "integer": ("int64", "Int64", "sc:Integer"),
    "number": ("float64", "Float64", "sc:Float"),
    "boolean": ("bool_", "boolean", "sc:Boolean"),
    "date": ("date32", "date32[day][pyarrow]", "sc:Date"),
    "array": ("list_", "object", "sc:Text"),  # the items' type (string): arrays hold strings only
}
SUPPORTED_TYPES = tuple(TYPES)


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

    if field["type"] == "array":
        return pa.list_(pa.string())
    return getattr(pa, TYPES[field["type"]][0])()


def is_list(field: Field) -> bool:
    """Return whether the field is a Table Schema ``array`` (a column of Python lists when loaded)."""
    return field.get("type") == "array"


def parse_arrays(table: pa.Table, fields: Sequence[Field]) -> pa.Table:
    """A table read from CSV with each ``array`` column's JSON text parsed into ``list<string>``.

    A null cell stays null. Each other cell must be a JSON array of strings, ``["a","b"]``,
    of at most :data:`ARRAY_CELL_CHARS` characters; anything else raises ``ValueError``
    naming the row (1 is the first after the header) and the column. A column whose every
    cell is written as the package writes it (no escape, no space) is split in Arrow;
    any other is decoded by :mod:`json`, cell by cell.
    """
    import pyarrow as pa

    for field in fields:
        if is_list(field):
            index = table.column_names.index(field["name"])
            kind = pa.list_(pa.string())
            lists = _split_plain(table.column(index))
            if lists is None:
                cells = table.column(index).to_pylist()
                items = [_json_strings(cell, row, field["name"]) for row, cell in enumerate(cells, 1)]
                lists = pa.array(items, type=kind)
            table = table.set_column(index, table.field(index).with_type(kind), lists)
    return table


#: A JSON array of strings as the package's writer writes it: no escape, no space, at least one item.
#: Its items are then the text between ``","``, exactly as :func:`json.loads` would read them.
_PLAIN_LIST = r'^\["[^"\\\x00-\x1f]*"(,"[^"\\\x00-\x1f]*")*\]$'


def _split_plain(cells: pa.ChunkedArray) -> pa.Array | None:
    """The column's lists split in Arrow when every cell is a plain list within the size limit; else None."""
    import pyarrow.compute as pc

    cells = cells.combine_chunks()
    if cells.null_count == len(cells):
        return None
    plain = pc.match_substring_regex(cells, _PLAIN_LIST)
    if not pc.all(plain).as_py() or pc.max(pc.utf8_length(cells)).as_py() > ARRAY_CELL_CHARS:
        return None
    return pc.split_pattern(pc.utf8_slice_codeunits(cells, 2, -2), '","')


#: The longest CSV ``array`` cell :func:`parse_arrays` decodes (the package's longest is far shorter).
ARRAY_CELL_CHARS = 65_536


def _json_strings(cell: str | None, row: int, column: str) -> list[str] | None:
    """One CSV ``array`` cell: None when empty, else its JSON array of strings; anything else raises ``ValueError``."""
    import json

    if cell is None:
        return None
    where = f"column {column!r}, row {row}"
    if len(cell) > ARRAY_CELL_CHARS:
        raise ValueError(
            f"{where}: expected a JSON array of strings of at most {ARRAY_CELL_CHARS} characters, "
            f"found {len(cell)} characters"
        )
    try:
        value = json.loads(cell)
    except (ValueError, RecursionError) as exc:
        raise ValueError(
            f'{where}: expected a JSON array of strings such as ["Kiev"], found {cell!r:.60} '
            f"({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f'{where}: expected a JSON array of strings such as ["Kiev"], found {cell!r:.60}')
    return value


def croissant_type(kind: str) -> str:
    """Return the Croissant ``dataType`` of a Table Schema type.

    >>> croissant_type("integer")
    'sc:Integer'
    """
    return TYPES[kind][2]


def arrow_schema(fields: Sequence[Field]) -> pa.Schema:
    """Return the Arrow schema of a table, nullability from ``required``."""
    import pyarrow as pa

    return pa.schema([pa.field(f["name"], arrow_type(f), nullable=not is_required(f)) for f in fields])


def stored_schema(fields: Sequence[Field]) -> pa.Schema:
    """The Arrow schema a Parquet file stores, so that plain readers get the loader's types.

    As :func:`arrow_schema`, except that an enum column is a dictionary whose values
    are the whole enum in schema order (pandas reads it as that ``category``, Polars as
    a ``Categorical``, or an ``Enum`` by the field metadata the writer adds).
    """
    import pyarrow as pa

    base = arrow_schema(fields)
    return pa.schema(
        [
            pa.field(f["name"], pa.dictionary(pa.int32(), pa.string()), nullable=arrow.nullable)
            if enum_of(f) is not None
            else arrow
            for f, arrow in zip(fields, base)
        ]
    )


def pandas_metadata(fields: Sequence[Field]) -> bytes:
    """The ``pandas`` schema metadata of the loader's frame, which pandas reads back to the same dtypes.

    Computed by pyarrow from an empty frame with :func:`pandas_dtype` of every field, so
    ``pandas.read_parquet(path)`` restores ``Int64``, ``boolean``, ``Float64``,
    ``string[pyarrow]`` and ``date32[day][pyarrow]`` without a type map.
    """
    import pandas as pd
    import pyarrow as pa

    empty = pd.DataFrame({f["name"]: pd.Series([], dtype=pandas_dtype(f)) for f in fields})
    metadata = pa.Schema.from_pandas(empty, preserve_index=False).metadata
    return bytes(metadata[b"pandas"])


def pandas_dtype(field: Field) -> Any:
    """Return the pandas dtype the loader gives a field."""
    import pandas as pd

    enum = enum_of(field)
    if enum is not None:
        return pd.CategoricalDtype(categories=enum, ordered=False)
    return pd.api.types.pandas_dtype(TYPES[field["type"]][1])


def arrow_to_pandas(table: pa.Table, fields: Sequence[Field]) -> pd.DataFrame:
    """Convert an Arrow table (already cast to :func:`arrow_schema`) to the documented dtypes.

    Each column is converted on its own, without pyarrow's pandas-metadata machinery;
    an enum column becomes a ``category`` from codes computed in Arrow, with one cached
    dtype per enum, so no Python code runs per row or per value.
    """
    import pandas as pd

    columns: dict[str, Any] = {}
    for field in fields:
        name = field["name"]
        enum = enum_of(field)
        if is_list(field):
            columns[name] = _python_lists(table.column(name))
        elif enum is None:
            columns[name] = _pandas_type(field["type"]).__from_arrow__(table.column(name))
        else:
            columns[name] = _categorical(name, table.column(name), tuple(enum))
    return pd.DataFrame(columns, copy=False)


def _python_lists(column: pa.ChunkedArray) -> pd.Series:
    """A list column as an ``object`` Series of Python lists, None where missing.

    Built through ``numpy.fromiter``: ``pandas.Series(list_of_lists)`` inspects the nested lists first.
    """
    import numpy as np
    import pandas as pd

    return pd.Series(np.fromiter(column.to_pylist(), dtype=object, count=len(column)), dtype=object, copy=False)


#: Dtypes and Arrow enum arrays, built once per process (pandas validates categories on creation).
_TYPE_CACHE: dict[Any, Any] = {}


def _pandas_type(kind: str) -> Any:
    if kind not in _TYPE_CACHE:
        _TYPE_CACHE[kind] = pandas_dtype({"type": kind})
    return _TYPE_CACHE[kind]


def _enum_types(enum: tuple[str, ...]) -> tuple[pa.Array, pd.CategoricalDtype]:
    if enum not in _TYPE_CACHE:
        import pandas as pd
        import pyarrow as pa

        _TYPE_CACHE[enum] = (
            pa.array(enum, type=pa.string()),
            pd.CategoricalDtype(categories=list(enum), ordered=False),
        )
    return _TYPE_CACHE[enum]  # type: ignore[no-any-return]


def _categorical(name: str, column: pa.ChunkedArray, enum: tuple[str, ...]) -> pd.Categorical:
    """A string column as a Categorical whose categories are the enum; values outside it raise."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    values, dtype = _enum_types(enum)
    if pa.types.is_dictionary(column.type):
        if all(chunk.dictionary.equals(values) for chunk in column.chunks):  # as the writer stores it
            indices = pa.chunked_array([chunk.indices for chunk in column.chunks], type=column.type.index_type)
            return pd.Categorical.from_codes(indices.fill_null(-1).to_numpy(), dtype=dtype)
        column = column.cast(pa.string())
    codes = pc.index_in(column, value_set=values)
    outside = codes.null_count - column.null_count
    if outside:
        found = pc.filter(column, pc.and_(pc.is_null(codes), pc.is_valid(column)))
        examples = sorted(set(found.unique().to_pylist()))[:5]
        raise ValueError(
            f"column {name!r} holds {outside} value(s) outside its enum, e.g. {examples}; expected one of {list(enum)}"
        )
    return pd.Categorical.from_codes(codes.fill_null(-1).to_numpy(), dtype=dtype)


def result_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert a query result (Arrow) to pandas with the loader's dtypes for the same Arrow types.

    Strings become ``string[pyarrow]``, integers ``Int64``, floats ``Float64``, booleans
    ``boolean``, dates ``date32[day][pyarrow]``, dictionary (enum) columns ``category`` and
    lists Python lists, so ``SELECT *`` of a table gives exactly the dtypes of :func:`article_data.load`.
    """
    import pyarrow as pa

    def mapper(kind: pa.DataType) -> Any:
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return _pandas_type("string")
        if pa.types.is_integer(kind):
            return _pandas_type("integer")
        if pa.types.is_floating(kind):
            return _pandas_type("number")
        if pa.types.is_boolean(kind):
            return _pandas_type("boolean")
        if pa.types.is_date32(kind):
            return _pandas_type("date")
        return None

    frame: pd.DataFrame = table.to_pandas(types_mapper=mapper)
    for index, kind in enumerate(table.schema.types):
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            frame.isetitem(index, _python_lists(table.column(index)).to_numpy())
    return frame
