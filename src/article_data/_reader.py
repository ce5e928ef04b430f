"""The typed reader behind :class:`~article_data.Package` and the validation.

It holds the checked descriptor and Table Schemas of one copy of the package and
turns resources into verified bytes, Arrow tables and DataFrames. Every file is
read through the source's checks (:mod:`article_data._files`); the descriptor and
the schemas are parsed as untrusted input (:mod:`article_data._descriptor`,
:mod:`article_data._tableschema`).
"""

from __future__ import annotations

from ._descriptor import LIMITS, Descriptor, Resource, parse_descriptor, parse_json
from ._errors import DescriptorError, UnknownTableError
from ._files import FIX, Source
from ._tableschema import TableSchema, check_table_schema

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    pass

__all__ = ["FORMATS", "Reader"]

#: The formats a table is published in; the first is what ``load`` reads by default.
FORMATS: tuple[str, ...] = ("parquet", "csv")
DESCRIPTOR = "datapackage.json"


class Reader:
    """Checked access to the files of one copy of the package."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._descriptor: Descriptor | None = None
        self._schemas: dict[str, TableSchema] = {}
        self._schema_bytes: dict[str, bytes] = {}  # schema files already read (and hashed) as resources

    @property
    def descriptor(self) -> Descriptor:
        """The checked ``datapackage.json`` (read once)."""
        if self._descriptor is None:
            raw = self.source.read(DESCRIPTOR, limit=LIMITS["descriptor_bytes"], error=DescriptorError,
                                   missing="expected a data package folder (or archive) holding datapackage.json")
            self._descriptor = parse_descriptor(raw, self.source.show(DESCRIPTOR))
        return self._descriptor

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
        key = name if fmt == "csv" else f"{name}_{fmt}"
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
                    declared = self.descriptor.paths.get(ref)
                    if declared is not None:  # a declared file: its size and sha256 are checked like any other
                        raw = self.read(declared)
                    else:
                        raw = self.source.read(ref, limit=LIMITS["schema_bytes"], error=DescriptorError)
                where = self.source.show(ref)
                data = parse_json(raw, where)
            else:
                where, data = f"{self.descriptor.where}: resource {name!r} schema", ref
            self._schemas[name] = check_table_schema(data, where)
        return self._schemas[name]

    def read(self, resource: Resource, *, verify: bool = True) -> bytes:
        """A resource's bytes: kind and size always checked, sha256 when ``verify``."""
        limit = LIMITS["schema_bytes"] if resource.path in self.descriptor.schema_paths else None
        data = self.source.read(resource.path, size=resource.bytes, digest=resource.hash if verify else None,
                                limit=limit)
        if verify and resource.path in self.descriptor.schema_paths:
            self._schema_bytes[resource.path] = data  # parsed from these bytes, never read twice
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
