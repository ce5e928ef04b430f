"""The :class:`Package`: safe, verified access to one copy of the data package."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ._errors import ArticleDataError, UnknownTableError
from ._lazy import LazyModule
from ._names import Format

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pandera.pandas as pa_schema

    from . import _verification
    from ._reader import Reader
else:  # the names the methods' hints use, resolved on first attribute access (typing.get_type_hints works)
    duckdb = LazyModule("duckdb")
    pd = LazyModule("pandas")
    pa_schema = LazyModule("pandera.pandas")
    _verification = LazyModule("article_data._verification")

__all__ = ["Package", "Tables", "default_root"]


def default_root() -> Path:
    """Return the folder of the package that ships with this library.

    An installed wheel carries it in ``article_data/_data``; a source checkout
    (editable install, tests) reads the repository's top-level files.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent.parent):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise ArticleDataError(
        f"no datapackage.json found in {here / '_data'} or {here.parent.parent}: "
        "the installation is incomplete; reinstall article-data"
    )


class Tables(Mapping[str, "pd.DataFrame"]):
    """Every table of a package, by name (a read-only mapping with attributes).

    Examples
    --------
    >>> import article_data as ad
    >>> tables = ad.load_all()
    >>> list(tables) == list(ad.TABLES)
    True
    >>> tables.quotes is tables["quotes"]
    True
    """

    def __init__(self, frames: Mapping[str, pd.DataFrame]) -> None:
        self._frames = dict(frames)

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self._frames[name]
        except KeyError:
            raise UnknownTableError(name, list(self._frames)) from None

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            return frames[name]  # type: ignore[no-any-return]
        raise AttributeError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        rows = ", ".join(f"{n}={len(f)}" for n, f in self._frames.items())
        return f"Tables({rows})"


class Package:
    """One copy of the article data package in a folder.

    Parameters
    ----------
    root
        The folder that holds ``datapackage.json``, or a zip archive of such a folder
        (default: the copy bundled with this library)
        (``datapackage.json`` at the root of the archive). Everything in it is untrusted:
        the descriptor and the Table Schemas are checked before use, nothing outside
        the folder is ever opened (paths that are absolute, contain ``..`` or lead
        through a symlink out of it are refused), and each file is opened once and
        checked (a regular file of the declared size) before it is read.

    Examples
    --------
    >>> import article_data as ad
    >>> pkg = ad.Package(ad.path())
    >>> pkg.version == ad.__version__
    True
    >>> len(pkg.load("paragraphs")) > 0
    True
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        from ._files import FolderSource  # loaded on first use: `import article_data` stays cheap
        from ._reader import Reader

        self.root = Path(root) if root is not None else default_root()
        if os.path.isfile(self.root):  # a file is taken to be a zip archive (zipfile loads only then)
            from ._archive import ZipSource

            self._reader: Reader = Reader(ZipSource(self.root))
        else:
            self._reader = Reader(FolderSource(self.root))

    def __repr__(self) -> str:
        return f"Package({str(self.root)!r})"

    @classmethod
    def release(cls, version: str, *, root: str | os.PathLike[str] | None = None) -> Package:
        """Open a kept release by its version number, from the installed package (offline).

        Every released package ships in the wheel (``releases/article-data-VERSION.zip``);
        the zip is checked against ``releases/SHA256SUMS``, its members against its own
        descriptor. An unknown version raises an :class:`ArticleDataError` listing the kept ones.
        ``root``: a package folder whose ``releases/`` to look in first (default: the bundled one).

        Examples
        --------
        >>> import article_data as ad
        >>> old = ad.Package.release("1.0.0")
        >>> old.version, "lacks_closing_mark" in old.load("quotes")
        ('1.0.0', False)
        """
        from ._releases import find_release

        roots = (default_root(),) if root is None else (root, default_root())
        return cls(find_release(version, *roots).checked())

    # -- descriptor ---------------------------------------------------------

    def descriptor(self) -> dict[str, Any]:
        """Return a copy of ``datapackage.json`` as a dict.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.descriptor()["name"]
        'article-data'
        """
        import copy

        return copy.deepcopy(dict(self._reader.descriptor.data))

    @property
    def version(self) -> str:
        """The dataset version this copy declares."""
        return self._reader.descriptor.version

    @property
    def tables(self) -> tuple[str, ...]:
        """The table names this copy declares, in descriptor order."""
        return self._reader.tables

    def table_schema(self, name: str) -> dict[str, Any]:
        """Return a copy of the Table Schema (a dict) of a table, as published in ``schemas/``."""
        import copy

        return copy.deepcopy(dict(self._reader.schema(name).data))

    # -- files ----------------------------------------------------------------

    def path(self, name: str | None = None, *, format: Format = "parquet") -> Path:
        """Return the path of a table's file, ``"article"`` for the text, or the package root.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.path("quotes").name
        'quotes.parquet'
        >>> (ad.path() / "datapackage.json").is_file()
        True
        """
        if name is None:
            return self.root
        resource = self._reader.named("article") if name == "article" else self._reader.resource(name, format)
        return self._reader.source.path(resource.path)

    @property
    def known_release(self) -> str | None:
        """The kept release this copy is by the library's own record, or None for an untrusted copy.

        A copy whose ``datapackage.json`` is byte for byte a release's is that release,
        and every file is checked against the library's record of it; a copy that claims
        a released version with other bytes is refused (:class:`IntegrityError`); any
        other copy is checked against its own descriptor only.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.Package("releases/article-data-1.0.0.zip").known_release
        '1.0.0'
        """
        release = self._reader.release
        return None if release is None else release.version

    def verify(self) -> _verification.Verification:
        """Check the bytes of every file (a regular file, its size and sha256); say what the copy is.

        Bytes only: the Table Schemas' values are checked where they are parsed, by
        every reader (:meth:`load`, :meth:`validate`...). ``verify`` imports neither pandas
        nor pyarrow, so it runs at the speed of hashing.

        A copy of a kept release is checked against the library's record of that
        release; any other copy against its own descriptor (see :attr:`known_release`).

        Raises
        ------
        IntegrityError
            Naming the first file that is missing or differs.
        DescriptorError
            For an unusable or unsafe descriptor or schema.

        Examples
        --------
        >>> import article_data as ad
        >>> str(ad.Package("releases/article-data-1.1.0.zip").verify())
        "release 1.1.0: datapackage.json and 28 files match the library's record of that release"
        """
        from ._verification import Verification

        reader = self._reader
        files = reader.trust.files()
        for rel in files:
            reader.read_path(rel, verify=True)
        return Verification(version=reader.descriptor.version, release=self.known_release, files=len(files))

    # -- data -----------------------------------------------------------------

    def article_text(self, *, verify: bool = True) -> str:
        """Return the article text that every offset refers to.

        The text is a machine-paraphrased copy of the TIME article: quotations are as
        printed in this copy, not verified speech (DATASHEET.md; the ``defects`` table).

        Examples
        --------
        >>> import article_data as ad
        >>> ad.article_text().splitlines()[0]
        'The Russians Fighting Putin in Ukraine'
        """
        return self._reader.text(verify=verify)

    def load(self, name: str, *, verify: bool = True, format: Format = "parquet") -> pd.DataFrame:
        """Load one table as a pandas DataFrame with the documented dtypes.

        The text is a machine-paraphrased copy of the TIME article: quotations are as
        printed in this copy, not verified speech (DATASHEET.md; the ``defects`` table).

        Parameters
        ----------
        name
            A table name from :data:`TABLES`.
        verify
            Check the file's sha256 against the descriptor before parsing (its kind
            and size are always checked). ``False`` skips the sha256 of a CSV file:
            structural damage is still an :class:`ArticleDataError`, but a changed
            cell can only be caught by the hash. Parquet files are always hashed,
            since pyarrow can abort the process on damaged Parquet.
        format
            ``"parquet"`` (default, fastest) or ``"csv"``; both give identical frames.

        Examples
        --------
        >>> import article_data as ad
        >>> quotes = ad.load("quotes")
        >>> str(quotes["quote_type"].dtype)
        'category'
        >>> quotes.equals(ad.load("quotes", format="csv"))
        True
        """
        from ._tables import load_frame

        return load_frame(self._reader, name, verify=verify, fmt=format)

    def load_all(self, *, verify: bool = True, format: Format = "parquet") -> Tables:
        """Load every table; see :meth:`load`."""
        return Tables({name: self.load(name, verify=verify, format=format) for name in self.tables})

    def export(self, name: str, format: str = "parquet", *, protect_formulas: bool = True) -> bytes:
        """Return a table as the bytes of a ``parquet`` (the default, like every ``format``), ``csv`` or ``json`` file.

        What ``article-data export`` writes; the whole package as SQLite is :meth:`export_sqlite`.

        CSV and Parquet are written by the same writer as the published files. With
        ``protect_formulas``, a CSV text cell that a spreadsheet would run as a formula
        (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
        prefixed with ``'``.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.Package().export("places", "csv").splitlines()[0]
        b'place_id,name,aliases,kind,wikidata_id'
        """
        from ._export import export_bytes

        return export_bytes(self._reader, name, format, protect_formulas=protect_formulas)

    def export_sqlite(self, path: str | os.PathLike[str]) -> Path:
        """Write the whole package as one SQLite database, ready for Datasette, and ``metadata.json`` beside it.

        Every table with its SQL types, primary and foreign keys, booleans as 0/1 and
        ``NULL`` for missing values; an FTS5 index over the free-text columns
        (``<table>_fts``); the text in the table ``article``; titles, descriptions,
        licences and sources in ``metadata.json`` (Datasette's format; the database is
        named after the file). Both are written atomically. Returns the path of
        ``metadata.json``: ``datasette article.sqlite -m metadata.json`` serves them.
        """
        from ._sqlite import write_sqlite

        return Path(write_sqlite(self._reader, os.fspath(path)))

    def quotes_with_speakers(self, *, speech_only: bool = True) -> pd.DataFrame:
        """Return the quotations with their speaker resolved, whether a person or an organization.

        The text is a machine-paraphrased copy of the TIME article: quotations are as
        printed in this copy, not verified speech (DATASHEET.md; the ``defects`` table).

        The ``quotes`` table names a speaker in one of two columns (``speaker_person_id``
        or ``speaker_organization_id``); this adds ``speaker`` (the person's label or the
        organization's name), ``speaker_id`` and ``speaker_kind`` (``person`` or
        ``organization``). With ``speech_only`` (the default) only speech rows are kept,
        those that have a speaker.

        Examples
        --------
        >>> import article_data as ad
        >>> who = ad.quotes_with_speakers()
        >>> bool(who.speaker.notna().all()), sorted(who.speaker_kind.unique())
        (True, ['organization', 'person'])
        """
        from ._speakers import quotes_with_speakers

        return quotes_with_speakers(
            self.load("quotes"), self.load("people"), self.load("organizations"), speech_only=speech_only
        )

    def schema(self, name: str) -> pa_schema.DataFrameSchema:
        """Return the pandera schema of a table, generated from its Table Schema.

        Examples
        --------
        >>> import article_data as ad
        >>> sorted(ad.schema("people").columns)[:2]
        ['age', 'aliases']
        """
        from ._pandera import pandera_schema

        return pandera_schema(name, self._reader.schema(name))

    def connect(self, *, verify: bool = True) -> duckdb.DuckDBPyConnection:
        """Return an in-memory DuckDB connection with a table per table (needs ``article-data[sql]``).

        The tables hold exactly the verified bytes, parsed once: DuckDB never reads a
        file of the package itself.

        Examples
        --------
        >>> import article_data as ad
        >>> con = ad.connect()
        >>> con.execute("SELECT count(*) FROM quotes WHERE is_speech").fetchone()[0] > 0
        True
        """
        from ._sql import connect

        return connect(self._reader, verify=verify)

    def sql(self, query: str, *, verify: bool = True) -> pd.DataFrame:
        """Run a SQL query over the tables with DuckDB and return a DataFrame with the loader's dtypes.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.sql("SELECT label FROM people WHERE person_id = 'yan'").label[0]
        'Yan'
        """
        from ._sql import sql

        return sql(self._reader, query, verify=verify)

    def validate(self) -> None:
        """Validate everything: hashes, schemas, keys and the annotation guide's rules.

        Raises
        ------
        ValidationError
            Listing every problem with its table, row id and column.

        Examples
        --------
        >>> import article_data as ad
        >>> ad.validate()
        """
        from ._validate import validate_package

        validate_package(self._reader)
