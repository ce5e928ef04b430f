"""``datapackage.json`` parsed as untrusted input into a typed :class:`Descriptor`.

Everything a descriptor says is checked here, once, before any of it is used:
strict JSON (no duplicate keys, no NaN or Infinity, bounded depth and size),
resource names by the Data Package rule, relative paths that cannot leave the
package, sha256 labels and byte counts. The limits are in :data:`LIMITS` and in
the README ("Limits on untrusted input"); every check costs time linear in the
descriptor's size.
"""

# No `from __future__ import annotations` here: a NamedTuple compiles each string annotation
# (typing.ForwardRef) when its class is made, about 0.3 ms a field on the start-up of `article-data verify`.

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from ._errors import DescriptorError
from ._hashes import is_sha256_label
from ._names import VERSION

__all__ = ["LIMITS", "RESOURCE_NAME", "Descriptor", "Resource", "check_relative_path", "parse_descriptor", "parse_json"]

#: Bounds on untrusted input. A real package is far inside every one of them.
LIMITS: dict[str, int] = {
    "descriptor_bytes": 16 * 1024 * 1024,
    "schema_bytes": 4 * 1024 * 1024,
    "json_depth": 64,
    "resources": 10_000,
    "fields": 1_000,
    "enum_values": 10_000,
    "pattern_chars": 1_000,
    "path_chars": 1_024,
}

#: The Data Package rule for resource names: lowercase letters, digits, ``-``, ``_`` and ``.``.
RESOURCE_NAME = re.compile(r"[a-z0-9._-]{1,128}")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # a scheme (http:, file:) or a drive letter (C:)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is too large for a double")
    return value


def _depth(value: Any) -> int:
    """The nesting depth of parsed JSON, computed without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def parse_json(raw: bytes, where: str) -> Any:
    """Parse untrusted JSON strictly, or raise :class:`DescriptorError` naming ``where``."""
    limit = LIMITS["json_depth"]
    try:
        value = json.loads(
            raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant, parse_float=_finite
        )
    except RecursionError:
        raise DescriptorError(f"{where}: JSON nested deeper than {limit} levels; refused") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise DescriptorError(f"{where}: not valid UTF-8 JSON ({exc}); restore the file from its release") from None
    if _depth(value) > limit:
        raise DescriptorError(f"{where}: JSON nested deeper than {limit} levels; refused")
    return value


def check_relative_path(rel: object, what: str) -> str:
    """Return ``rel`` if it is a relative POSIX path that stays inside the package, else raise."""
    if not isinstance(rel, str) or not rel:
        raise DescriptorError(f"{what}: expected a relative path string, found {rel!r:.60}")
    bad = None
    if "\x00" in rel or "\\" in rel:
        bad = "contains a NUL byte or backslash"
    elif _CONTROL.search(rel):
        bad = "contains a control character"
    elif len(rel) > LIMITS["path_chars"]:
        bad = f"is longer than {LIMITS['path_chars']} characters"
    elif rel.startswith("/") or _URL.match(rel):
        bad = "is absolute or a URL"
    elif ".." in PurePosixPath(rel).parts:
        bad = "contains '..'"
    if bad is not None:
        raise DescriptorError(f"{what}: {rel!r:.120} {bad}; refused. Expected a relative path inside the package")
    return rel


class Resource(NamedTuple):
    """One resource of the descriptor, with every field checked."""

    name: str
    path: str
    format: str
    bytes: int
    hash: str
    schema: str | Mapping[str, Any] | None = None

    @property
    def is_table(self) -> bool:
        """A table is a CSV resource with a Table Schema; its Parquet copy is ``<name>_parquet``."""
        return self.format == "csv" and self.schema is not None


class Descriptor(NamedTuple):
    """A checked ``datapackage.json``: its data, version, resources and table names."""

    where: str
    data: Mapping[str, Any]
    version: str
    resources: Mapping[str, Resource]
    tables: tuple[str, ...]
    #: Every resource by its path, so a schema file's hash is found in constant time.
    paths: Mapping[str, Resource]
    #: The paths tables name as their Table Schema.
    schema_paths: frozenset[str]


def _resource(item: object, index: int, where: str, key: str = "resources") -> Resource:
    label = f"{where}: {key}[{index}]"
    if not isinstance(item, dict):
        raise DescriptorError(f"{label}: expected an object, found {type(item).__name__}")
    name = item.get("name")
    if not isinstance(name, str) or not RESOURCE_NAME.fullmatch(name):
        raise DescriptorError(
            f"{label}: expected a 'name' of lowercase letters, digits, '-', '_' and '.' (at most 128), "
            f"found {name!r:.60}; resource names are data, never code"
        )
    label = f"{label} ({name})"
    _check_properties(item, label)
    for field, kind in (("path", str), ("hash", str), ("bytes", int), ("format", str)):
        value = item.get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise DescriptorError(f"{label}: expected {kind.__name__} {field!r}, found {value!r:.60}")
    if not is_sha256_label(item["hash"]):
        raise DescriptorError(
            f"{label}: expected hash 'sha256:<64 lowercase hex digits>', found {item['hash']!r:.80}; "
            "only sha256 is accepted"
        )
    if item["bytes"] < 0:
        raise DescriptorError(f"{label}: 'bytes' is negative ({item['bytes']})")
    schema = item.get("schema")
    if schema is not None and not isinstance(schema, (str, dict)):
        raise DescriptorError(f"{label} schema: expected a path or an object, found {schema!r:.60}")
    if isinstance(schema, str):
        check_relative_path(schema, f"{label} schema")
    return Resource(
        name=name,
        path=check_relative_path(item["path"], f"{label} path"),
        format=item["format"],
        bytes=item["bytes"],
        hash=item["hash"],
        schema=schema,
    )


#: Descriptor properties the library reads, with the type each must have (the Data Package's types).
_TEXT_PROPERTIES = ("name", "title", "description", "homepage", "created", "id", "$schema")
_LIST_OF_OBJECTS = ("licenses", "sources", "contributors")
_OBJECT_TEXT = ("name", "path", "title", "email", "role", "description")


def _check_properties(item: Mapping[str, Any], label: str) -> None:
    """Every property the library or its outputs read has the type the Data Package gives it."""
    for key in _TEXT_PROPERTIES:
        if key in item and not isinstance(item[key], str):
            raise DescriptorError(f"{label}: expected {key!r} to be a string, found {item[key]!r:.60}")
    for key in _LIST_OF_OBJECTS:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise DescriptorError(f"{label}: expected {key!r} to be a list of objects, found {value!r:.60}")
        for index, entry in enumerate(value):
            for field in _OBJECT_TEXT:
                if field in entry and not isinstance(entry[field], str):
                    raise DescriptorError(
                        f"{label}: expected {key}[{index}].{field} to be a string, found {entry[field]!r:.60}"
                    )


def parse_descriptor(raw: bytes, where: str) -> Descriptor:
    """Parse and check the bytes of a ``datapackage.json``; ``where`` names it in errors."""
    data = parse_json(raw, where)
    if not isinstance(data, dict):
        raise DescriptorError(f"{where}: expected a JSON object, found {type(data).__name__}")
    items = data.get("resources")
    if not isinstance(items, list) or not items:
        raise DescriptorError(f"{where}: expected 'resources' to be a non-empty list, found {items!r:.60}")
    if len(items) > LIMITS["resources"]:
        raise DescriptorError(f"{where}: {len(items)} resources; at most {LIMITS['resources']} are accepted")
    # 2.0.0 on: the Parquet copies and Table Schemas are under "files" (v2 resources are tables);
    # 1.x declared them as resources of type "file". Both shapes are read the same way.
    files = data.get("files", [])
    if not isinstance(files, list):
        raise DescriptorError(f"{where}: expected 'files' to be a list, found {files!r:.60}")
    if len(items) + len(files) > LIMITS["resources"]:
        raise DescriptorError(
            f"{where}: {len(items) + len(files)} resources and files; at most {LIMITS['resources']} are accepted"
        )
    _check_properties(data, where)
    resources: dict[str, Resource] = {}
    for key, entries in (("resources", items), ("files", files)):
        for index, item in enumerate(entries):
            resource = _resource(item, index, where, key)
            if resource.name in resources:
                raise DescriptorError(f"{where}: {key}[{index}]: duplicate resource name {resource.name!r}")
            resources[resource.name] = resource
    version = data.get("version")
    if not isinstance(version, str) or not VERSION.fullmatch(version):
        raise DescriptorError(f"{where}: expected a 'version' such as '1.0.0', found {version!r:.60}")
    tables = tuple(r.name for r in resources.values() if r.is_table)
    paths = {r.path: r for r in resources.values()}
    schema_paths = frozenset(r.schema for r in resources.values() if isinstance(r.schema, str))
    return Descriptor(
        where=where,
        data=data,
        version=version,
        resources=resources,
        tables=tables,
        paths=paths,
        schema_paths=schema_paths,
    )
