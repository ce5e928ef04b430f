"""The typed reader behind :class:`~article_data.Package` and the validation.

It holds the checked descriptor and Table Schemas of one copy of the package and
turns resources into verified bytes, Arrow tables and DataFrames. Every file is
read through the source's checks (:mod:`article_data._files`); the descriptor and
the schemas are parsed as untrusted input (:mod:`article_data._descriptor`,
:mod:`article_data._tableschema`).
"""

from __future__ import annotations

from ._descriptor import LIMITS, Descriptor, Resource, parse_json
from ._errors import DescriptorError, UnknownTableError
from ._files import FIX, Source
from ._names import DESCRIPTOR, FORMATS, table_resource
from ._trust import Release, Trust, trust

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from ._tableschema import TableSchema

__all__ = ["FORMATS", "Reader"]


class Reader:
    """Checked access to the files of one copy of the package."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._trust: Trust | None = None
        self._schemas: dict[str, TableSchema] = {}
        self._schema_bytes: dict[str, bytes] = {}  # schema files already read (and hashed) as resources
        self._contract_checked = False

    @property
    def trust(self) -> Trust:
        """The checked ``datapackage.json`` and what vouches for the files (read once; :mod:`._trust`)."""
        if self._trust is None:
            raw = self.source.read(
                DESCRIPTOR,
                limit=LIMITS["descriptor_bytes"],
                error=DescriptorError,
                missing="expected a data package folder (or archive) holding datapackage.json",
            )
            self._trust = trust(raw, self.source.show(DESCRIPTOR), self._check_file)
        return self._trust

    def _check_file(self, rel: str, size: int, digest: str) -> None:
        self.source.read(rel, size=size, digest=digest)

    @property
    def descriptor(self) -> Descriptor:
        """The checked ``datapackage.json`` (read once)."""
        return self.trust.descriptor

    @property
    def release(self) -> Release | None:
        """The kept release this copy is by the library's record, or None for an untrusted copy."""
        return self.trust.release

    def check_contract(self) -> None:
        """Check once that the tables, keys and columns every consumer reads are there (:mod:`._contract`)."""
        if not self._contract_checked:
            from ._contract import check_contract

            check_contract(self.tables, self.schema, self.descriptor.where)
            self._contract_checked = True

    @property
    def tables(self) -> tuple[str, ...]:
        """The table names, in descriptor order."""
        return self.descriptor.tables

    def resource(self, name: str, fmt: str = "csv") -> Resource:
        """The resource holding table ``name`` in format ``fmt``."""
        descriptor = self.descriptor
        if fmt not in FORMATS:
            from ._errors import FormatError

            raise FormatError(fmt, FORMATS)
        if not isinstance(name, str) or name not in descriptor.tables:
            raise UnknownTableError(name, descriptor.tables)
        key = table_resource(name, fmt)
        resource = descriptor.resources.get(key)
        if resource is None or resource.format != fmt:
            raise DescriptorError(f"{descriptor.where}: table {name!r} has no {fmt} resource named {key!r}")
        return resource

    def named(self, name: str) -> Resource:
        """Any resource by name (``"article"`` for the text)."""
        resource = self.descriptor.resources.get(name)
        if resource is None:
            raise DescriptorError(f"{self.descriptor.where}: no resource named {name!r}")
        return resource

    def schema(self, name: str) -> TableSchema:
        """The checked Table Schema of a table; a schema file the descriptor hashes is verified."""
        if name not in self._schemas:
            ref = self.resource(name).schema
            if isinstance(ref, str):
                raw = self._schema_bytes.get(ref)
                if raw is None:
                    raw = self.read_path(ref)
                where = self.source.show(ref)
                data = parse_json(raw, where)
            else:
                where, data = f"{self.descriptor.where}: resource {name!r} schema", ref
            from ._tableschema import check_table_schema  # where a schema is parsed: verify() checks bytes only

            self._schemas[name] = check_table_schema(data, where)
        return self._schemas[name]

    def read(self, resource: Resource, *, verify: bool = True) -> bytes:
        """A resource's bytes: kind and size always checked, sha256 when ``verify``."""
        return self.read_path(resource.path, verify=verify)

    def read_path(self, rel: str, *, verify: bool = True) -> bytes:
        """A file's bytes, checked against the release's record, or else against the descriptor.

        The size is always checked before a byte is read, the sha256 when ``verify``
        (always for a schema). A file that neither a release nor the descriptor
        vouches for (a schema file an untrusted copy does not declare) is refused.
        """
        is_schema = rel in self.descriptor.schema_paths
        size, digest = self.trust.expected(rel, self.source.show(rel))
        limit = LIMITS["schema_bytes"] if is_schema else None
        data = self.source.read(rel, size=size, digest=digest if verify or is_schema else None, limit=limit)
        if is_schema:
            self._schema_bytes[rel] = data  # parsed from these bytes, never read twice
        return data

    def text(self, *, verify: bool = True) -> str:
        """The article text, checked."""
        resource = self.named("article")
        data = self.read(resource, verify=verify)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            from ._errors import IntegrityError

            where = self.source.show(resource.path)
            raise IntegrityError(f"{where}: not valid UTF-8 ({exc}). {FIX}", path=where) from None
