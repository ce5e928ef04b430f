"""SQL over the package with DuckDB (the optional extra ``article-data[sql]``)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from typing import Any

    import duckdb
    import pandas as pd

    from ._package import Package

from ._errors import ArticleDataError

MISSING = (
    "DuckDB is not installed, and article_data's SQL needs it: install the extra with "
    "`pip install 'article-data[sql]'` (or `pip install duckdb`)."
)


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise ArticleDataError(MISSING) from None
    return duckdb


def _literal(text: str) -> str:
    """A SQL string literal (DuckDB cannot bind parameters in CREATE VIEW)."""
    return "'" + text.replace("'", "''") + "'"


def connect(pkg: Package, *, verify: bool = True) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection with one view per table over its Parquet file.

    The files' sizes and sha256 are checked first. The view ``article`` holds the text in
    one row (column ``text``): ``substring(text, char_start + 1, char_end - char_start)``
    gives a span, since DuckDB counts code points from 1.
    """
    engine = _duckdb()
    if verify:
        pkg.verify()
    connection: duckdb.DuckDBPyConnection = engine.connect(":memory:")
    for name in pkg.tables:
        path = pkg.path(name, format="parquet")
        connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_literal(str(path))})")
    connection.execute("CREATE TABLE article AS SELECT ? AS text", [pkg.article_text(verify=False)])
    return connection


def sql(pkg: Package, query: str, *, verify: bool = True) -> pd.DataFrame:
    """Run one query over the package's tables and return a pandas DataFrame."""
    connection = connect(pkg, verify=verify)
    try:
        frame: pd.DataFrame = connection.execute(query).df()
        return frame
    except Exception as exc:
        if isinstance(exc, _duckdb().Error):
            raise ArticleDataError(f"the SQL query failed: {exc}") from None
        raise
    finally:
        connection.close()
