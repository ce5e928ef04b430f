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
from ._trust import Release, claimed_release, match_release, refuse_claim

__all__ = ["FORMATS", "Reader"]

#: The formats a table is published in; the first is what ``load`` reads by default.
FORMATS: tuple[str, ...] = ("parquet", "csv")
DESCRIPTOR = "datapackage.json"


class Reader:
    """Checked access to the files of one copy of the package."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._descriptor: Descriptor | None = None
        self._release: Release | None = None
        self._schemas: dict[str, TableSchema] = {}
        self._schema_bytes: dict[str, bytes] = {}  # schema files already read (and hashed) as resources
        self._contract_checked = False

    @property
    def descriptor(self) -> Descriptor:
        """The checked ``datapackage.json`` (read once)."""
        if self._descriptor is None:
            raw = self.source.read(DESCRIPTOR, limit=LIMITS["descriptor_bytes"], error=DescriptorError,
                                   missing="expected a data package folder (or archive) holding datapackage.json")
            shown = self.source.show(DESCRIPTOR)
            release = match_release(raw)  # an exact release is known before anything is parsed
            descriptor = parse_descriptor(raw, shown)
            claimed = claimed_release(descriptor.version) if release is None else None
            if claimed is not None:  # claims a release it is not: refused, naming the first file that differs
                refuse_claim(claimed, raw, shown, self._check_file)
            self._release, self._descriptor = release, descriptor
        return self._descriptor

    def check_contract(self) -> None:
        """Check once that the tables, keys and columns every consumer reads are there (:mod:`._contract`)."""
        if not self._contract_checked:
            from ._contract import check_contract

            check_contract(self)
            self._contract_checked = True

    def _check_file(self, rel: str, size: int, digest: str) -> None:
        self.source.read(rel, size=size, digest=digest)

    @property
    def release(self) -> Release | None:
        """The kept release this copy is by the library's record, or None for an untrusted copy."""
        _ = self.descriptor
        return self._release

    def files(self) -> tuple[str, ...]:
        """Every file to verify: the release's (by the record) or the descriptor's resources and schemas."""
        if self.release is not None:
            return tuple(rel for rel in self.release.files if rel != DESCRIPTOR)
        descriptor = self.descriptor
        return tuple(dict.fromkeys([*(r.path for r in descriptor.resources.values()), *descriptor.schema_paths]))

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
                    raw = self.read_path(ref)
                where = self.source.show(ref)
                data = parse_json(raw, where)
            else:
                where, data = f"{self.descriptor.where}: resource {name!r} schema", ref
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
        descriptor, shown = self.descriptor, self.source.show(rel)
        is_schema = rel in descriptor.schema_paths
        if self.release is not None:
            size, digest = self.release.expect(rel, shown)
        elif rel in descriptor.paths:
            size, digest = descriptor.paths[rel].bytes, descriptor.paths[rel].hash
        else:
            raise DescriptorError(
                f"{shown}: the descriptor names this file but declares no resource with its bytes and sha256, "
                f"and this copy is no release the library knows, so nothing vouches for it; refused. Declare it "
                f"as a resource (as every package built since 1.1.0 does)")
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
