"""Bytes of a table file (CSV or Parquet) parsed into an Arrow table typed by its Table Schema."""

from __future__ import annotations

from ._bounds import check_values, read_parquet
from ._types import arrow_schema, enum_of, is_list, parse_arrays, stored_schema

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pyarrow as pa

    from ._tableschema import TableSchema

__all__ = ["parse_table"]


def parse_table(data: bytes, fmt: str, schema: TableSchema, *, enum_dictionaries: bool = False) -> pa.Table:
    """Parse a file's (already checked) bytes into an Arrow table with exactly the schema's columns and types.

    With ``enum_dictionaries``, an enum column the file stores as a dictionary stays one
    (its values are checked against the enum when it becomes a ``category``), which spares
    expanding it to strings only to encode it again.
    Every decode is bounded and every value checked (:mod:`article_data._bounds`).
    Raises whatever pyarrow raises on damaged input, or ``ValueError``; the caller names the file.
    """
    import pyarrow as pa

    fields = list(schema.fields)
    arrow = arrow_schema(fields)
    if fmt == "parquet":
        table = read_parquet(data, list(schema.names), [f["name"] for f in fields if f["type"] == "string"])
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        # An array cell is text (a JSON array of strings) until parse_arrays parses it.
        lexical = pa.schema([pa.field(f["name"], pa.string()) if is_list(f) else a for f, a in zip(fields, arrow)])
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=lexical,
                null_values=[""],
                strings_can_be_null=True,
                true_values=["true"],
                false_values=["false"],
            ),
        )
    else:
        raise ValueError(f"cannot parse the format {fmt!r} as a table; expected csv or parquet")
    if table.column_names != list(schema.names):
        raise ValueError(f"expected the columns {list(schema.names)}, found {table.column_names}")
    if fmt == "csv":
        table = parse_arrays(table, fields)
    if enum_dictionaries:  # the stored type of an enum column where the file holds a dictionary
        arrow = pa.schema(
            [
                stored if enum_of(f) is not None and pa.types.is_dictionary(c.type) else a
                for f, a, stored, c in zip(fields, arrow, stored_schema(fields), table.columns)
            ]
        )
    if not table.schema.equals(arrow, check_metadata=False):
        table = table.cast(arrow)
    check_values(table)
    return table
