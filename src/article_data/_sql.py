"""SQL over the package with DuckDB (the optional extra ``article-data[sql]``).

DuckDB never reads a file of the package: each table is parsed from the bytes that
were hashed and handed to DuckDB as an Arrow table, so a file replaced after
:func:`connect`, a symlink swapped in, or glob characters in a path cannot change
what a query sees. Names from the descriptor are checked when it is read and are
quoted as identifiers anyway; enum values are quoted as literals.
"""

from __future__ import annotations

from ._errors import ArticleDataError
from ._tables import load_arrow
from ._types import enum_of, result_to_pandas

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from typing import Any

    import duckdb
    import pandas as pd
    import pyarrow as pa

    from ._reader import Reader
    from ._tableschema import TableSchema

__all__ = ["connect", "identifier", "literal", "sql"]

MISSING = (
    "DuckDB is not installed, and article_data's SQL needs it: install the extra with "
    "`pip install 'article-data[sql]'` (or `pip install duckdb`)."
)
_SOURCE = "__article_data_arrow"


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise ArticleDataError(MISSING) from None
    return duckdb


def identifier(name: str) -> str:
    """A SQL identifier, quoted: ``"name"`` with ``"`` doubled.

    >>> identifier('a"b')
    '"a""b"'
    """
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal, ``'`` doubled (DuckDB cannot bind parameters in a type).

    >>> literal("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def _create_table(connection: duckdb.DuckDBPyConnection, name: str, table: pa.Table, schema: TableSchema) -> None:
    """Copy an Arrow table into DuckDB, enum columns as DuckDB ENUMs (they come back as categories)."""
    columns = []
    for field in schema.fields:
        column = identifier(field["name"])
        enum = enum_of(field)
        if enum is None:
            columns.append(column)
        else:
            columns.append(f"CAST({column} AS ENUM({', '.join(literal(v) for v in enum)})) AS {column}")
    connection.register(_SOURCE, table)
    try:
        connection.execute(f"CREATE TABLE {identifier(name)} AS SELECT {', '.join(columns)} FROM {_SOURCE}")
    finally:
        connection.unregister(_SOURCE)


def connect(reader: Reader, *, verify: bool = True) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection with one table per table, from the verified bytes.

    Every Parquet file is hashed before it is parsed (the text too, when ``verify``).
    The table ``article`` holds the text in one row (column ``text``):
    ``substring(text, char_start + 1, char_end - char_start)`` gives a span, since
    DuckDB counts code points from 1.
    """
    reader.check_contract()
    engine = _duckdb()
    tables = {name: load_arrow(reader, name, verify=verify) for name in reader.tables}
    text = reader.text(verify=verify)
    connection: duckdb.DuckDBPyConnection = engine.connect(":memory:")
    try:
        for name, table in tables.items():
            _create_table(connection, name, table, reader.schema(name))
        connection.execute("CREATE TABLE article AS SELECT ? AS text", [text])
    except engine.Error as exc:
        connection.close()
        raise ArticleDataError(f"{reader.descriptor.where}: DuckDB cannot hold the tables ({exc})") from None
    except BaseException:
        connection.close()
        raise
    return connection


def sql(reader: Reader, query: str, *, verify: bool = True) -> pd.DataFrame:
    """Run one query over the package's tables and return a DataFrame with the loader's dtypes."""
    connection = connect(reader, verify=verify)
    try:
        relation = connection.sql(query)
        if relation is None:  # a statement, not a query
            import pandas as pd

            return pd.DataFrame()
        return result_to_pandas(relation.to_arrow_table())
    except Exception as exc:
        if isinstance(exc, _duckdb().Error):
            raise ArticleDataError(f"the SQL query failed: {exc}") from None
        raise
    finally:
        connection.close()
