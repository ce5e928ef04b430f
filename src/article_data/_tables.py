"""One table read through a :class:`~article_data._reader.Reader`: checked bytes → Arrow → the documented DataFrame.

Parse errors name the file: pyarrow raises many kinds of exception on damaged input,
and each becomes an :class:`ArticleDataError` saying which file and what to do.
"""

from __future__ import annotations

from ._errors import ArticleDataError
from ._files import FIX

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ._descriptor import Resource
    from ._reader import Reader

__all__ = ["load_arrow", "load_frame", "table_arrow", "table_frame"]


def _unreadable(reader: Reader, name: str, resource: Resource, why: str) -> ArticleDataError:
    return ArticleDataError(
        f"{reader.source.show(resource.path)}: cannot be read as the {resource.format} table "
        f"{name!r} ({why}). Run `article-data verify` to check the files. {FIX}"
    )


def table_arrow(
    reader: Reader, name: str, resource: Resource, data: bytes, *, enum_dictionaries: bool = False
) -> pa.Table:
    """Parse a table file's checked bytes into an Arrow table typed by its schema (see :func:`parse_table`)."""
    import pyarrow as pa

    from ._parse import parse_table

    schema = reader.schema(name)
    try:
        return parse_table(data, resource.format, schema, enum_dictionaries=enum_dictionaries)
    except (pa.ArrowException, ValueError, OSError, OverflowError, MemoryError) as exc:  # what damaged input raises
        raise _unreadable(reader, name, resource, f"{type(exc).__name__}: {exc}") from None


def table_frame(reader: Reader, name: str, resource: Resource, data: bytes) -> pd.DataFrame:
    """Parse a table file's checked bytes into the documented DataFrame."""
    from ._types import arrow_to_pandas

    table = table_arrow(reader, name, resource, data, enum_dictionaries=True)
    try:
        return arrow_to_pandas(table, list(reader.schema(name).fields))
    except ValueError as exc:  # a value outside its enum
        raise _unreadable(reader, name, resource, str(exc)) from None


def _checked_bytes(reader: Reader, name: str, verify: bool, fmt: str) -> tuple[Resource, bytes]:
    resource = reader.resource(name, fmt)
    # pyarrow aborts the whole process on some damaged Parquet footers (found by
    # fuzzing), so Parquet bytes are always hashed before they are parsed.
    return resource, reader.read(resource, verify=verify or fmt == "parquet")


def load_arrow(reader: Reader, name: str, *, verify: bool = True, fmt: str = "parquet") -> pa.Table:
    """Read and parse one table to Arrow."""
    return table_arrow(reader, name, *_checked_bytes(reader, name, verify, fmt))


def load_frame(reader: Reader, name: str, *, verify: bool = True, fmt: str = "parquet") -> pd.DataFrame:
    """Read and parse one table to the documented DataFrame."""
    return table_frame(reader, name, *_checked_bytes(reader, name, verify, fmt))
