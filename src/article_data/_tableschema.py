"""A Table Schema checked as untrusted input into a typed :class:`TableSchema`.

Every value the library acts on is checked here, with an error that names the
schema file and the field: field names and types, each constraint's type and
range, ``pattern`` compiled by RE2 (Arrow compute, linear time: a pattern that
RE2 cannot run is refused, never handed to Python's backtracking ``re``),
primary and foreign keys. A constraint or field option this library would not
check is refused rather than silently ignored. This is also the one reader of
foreign keys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import NamedTuple

from ._descriptor import LIMITS, RESOURCE_NAME
from ._errors import DescriptorError
from ._types import SUPPORTED_TYPES

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FIELD_NAME", "ForeignKey", "TableSchema", "anchored", "check_table_schema"]

#: Field names are identifiers: they reach SQL (quoted) and the terminal, so nothing else is accepted.
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum"}
_FIELD_KEYS = {"name", "type", "format", "title", "description", "example", "constraints", "rdfType"}
_SCHEMA_KEYS = {"$schema", "fields", "primaryKey", "foreignKeys", "missingValues", "title", "description", "name"}


class ForeignKey(NamedTuple):
    """``columns`` of a table refer to ``target_columns`` of the table ``resource``."""

    columns: tuple[str, ...]
    resource: str
    target_columns: tuple[str, ...]


class TableSchema(NamedTuple):
    """A checked Table Schema: the JSON as given plus typed keys."""

    where: str
    data: Mapping[str, Any]
    fields: tuple[Mapping[str, Any], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(f["name"] for f in self.fields)


def anchored(pattern: str) -> str:
    """A Table Schema ``pattern`` matches the whole value (XML Schema semantics)."""
    return f"^(?:{pattern})$"


def _re2_problem(pattern: str) -> str | None:
    """Why RE2 refuses a pattern, or None; Arrow compute's regex functions are RE2."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], type=pa.string()), pattern)
        pc.match_substring_regex(pa.array([""], type=pa.string()), anchored(pattern))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        return str(exc)
    return None


def _names(value: object, label: str, known: tuple[str, ...]) -> tuple[str, ...]:
    names = (value,) if isinstance(value, str) else value
    if (
        not isinstance(names, list | tuple)
        or not names
        or len(names) > len(known)
        or not all(isinstance(n, str) for n in names)
    ):
        raise DescriptorError(
            f"{label}: expected a field name or a list of at most {len(known)} of them, found {value!r:.80}"
        )
    if len(set(names)) != len(names):
        raise DescriptorError(f"{label}: names a field twice; expected each field at most once")
    fields = frozenset(known)
    unknown = [n for n in names if n not in fields]
    if unknown:
        raise DescriptorError(f"{label}: {unknown[0]!r:.60} is not a field of this schema")
    return tuple(names)


#: The integers a 64-bit column holds: an integer field's bounds lie within them.
_INT64 = (-(2**63), 2**63 - 1)


def _bound(value: object, kind: str, label: str) -> None:
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value <= _INT64[1]
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and _finite(value)
    elif kind == "date":
        ok = isinstance(value, str) and _is_date(value)
    else:
        raise DescriptorError(f"{label}: minimum and maximum apply to integer, number and date fields, not {kind}")
    if not ok:
        raise DescriptorError(f"{label}: expected a {kind} bound, found {value!r:.60}")


def _finite(value: float) -> bool:
    """Whether a number is a finite 64-bit float (``10**400`` is an int no float holds)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_date(value: str) -> bool:
    try:
        import datetime as dt  # only a date constraint needs it

        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None  # Python 3.11 also reads "2020-W01-1"


def _check_constraints(constraints: object, kind: str, label: str) -> None:
    if not isinstance(constraints, dict):
        raise DescriptorError(f"{label} constraints: expected an object, found {constraints!r:.60}")
    unknown = sorted(set(constraints) - _CONSTRAINTS)
    if unknown:
        raise DescriptorError(
            f"{label}: the constraint {unknown[0]!r:.40} is not supported by article_data; "
            f"expected only {sorted(_CONSTRAINTS)}"
        )
    for key in ("required", "unique"):
        if key in constraints and not isinstance(constraints[key], bool):
            raise DescriptorError(f"{label} {key}: expected true or false, found {constraints[key]!r:.60}")
    if "enum" in constraints:
        enum = constraints["enum"]
        if kind != "string":
            raise DescriptorError(f"{label} enum: supported on string fields only, found on a {kind} field")
        if (
            not isinstance(enum, list)
            or not enum
            or len(enum) > LIMITS["enum_values"]
            or not all(isinstance(v, str) for v in enum)
            or len(set(enum)) != len(enum)
        ):
            raise DescriptorError(
                f"{label} enum: expected a list of 1 to {LIMITS['enum_values']} distinct strings, found {enum!r:.80}"
            )
    lengths = {}
    for key in ("minLength", "maxLength"):
        if key in constraints:
            value = constraints[key]
            if kind != "string" or not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _INT64[1]:
                raise DescriptorError(
                    f"{label} {key}: expected a whole number from 0 to 2**63 - 1 on a string field, "
                    f"found {value!r:.60} on a {kind} field"
                )
            lengths[key] = value
    if lengths.get("minLength", 0) > lengths.get("maxLength", math.inf):
        raise DescriptorError(
            f"{label}: minLength {lengths['minLength']} is greater than maxLength {lengths['maxLength']}"
        )
    for key in ("minimum", "maximum"):
        if key in constraints:
            _bound(constraints[key], kind, f"{label} {key}")
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        if kind != "string" or not isinstance(pattern, str) or len(pattern) > LIMITS["pattern_chars"]:
            raise DescriptorError(
                f"{label} pattern: expected a string of at most {LIMITS['pattern_chars']} characters "
                f"on a string field, found {pattern!r:.60} on a {kind} field"
            )
        problem = _re2_problem(pattern)
        if problem is not None:
            raise DescriptorError(
                f"{label} pattern {pattern!r:.80}: refused, RE2 (linear time) cannot run it "
                f"({problem}); backreferences and lookarounds are not supported"
            )


def _check_field(field: object, index: int, where: str) -> Mapping[str, Any]:
    if not isinstance(field, dict):
        raise DescriptorError(f"{where}: fields[{index}]: expected an object, found {field!r:.60}")
    name = field.get("name")
    if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
        raise DescriptorError(
            f"{where}: fields[{index}]: expected a 'name' of letters, digits and '_' "
            f"(at most 64, not starting with a digit), found {name!r:.60}"
        )
    label = f"{where}: field {name!r}"
    kind = field.get("type")
    if kind not in SUPPORTED_TYPES:
        raise DescriptorError(f"{label}: must have a 'type' among {SUPPORTED_TYPES}, found {kind!r:.40}")
    unknown = sorted(set(field) - _FIELD_KEYS)
    if unknown:
        raise DescriptorError(
            f"{label}: the property {unknown[0]!r:.40} is not supported by article_data; "
            f"expected only {sorted(_FIELD_KEYS)}"
        )
    if field.get("format", "default") != "default":
        raise DescriptorError(f"{label}: format {field['format']!r:.40} is not supported; expected 'default'")
    for key in ("title", "description"):
        if key in field and not isinstance(field[key], str):
            raise DescriptorError(f"{label} {key}: expected a string, found {field[key]!r:.60}")
    if kind == "array":
        _check_array(field, label)
    if "constraints" in field:
        _check_constraints(field["constraints"], kind, label)
    return field


def _check_array(field: Mapping[str, Any], label: str) -> None:
    """An array field (a JSON array of strings in CSV): its items are not comparable as a whole, so not unique."""
    constraints = field.get("constraints")
    if isinstance(constraints, dict) and constraints.get("unique"):
        raise DescriptorError(f"{label}: unique is not supported on an array field")


def _foreign_key(item: object, index: int, where: str, names: tuple[str, ...]) -> ForeignKey:
    label = f"{where}: foreignKeys[{index}]"
    if not isinstance(item, dict):
        raise DescriptorError(f"{label}: expected an object, found {item!r:.60}")
    reference = item.get("reference")
    if not isinstance(reference, dict):
        raise DescriptorError(
            f"{label}: expected a 'reference' object with 'resource' and 'fields', found {reference!r:.60}"
        )
    columns = _names(item.get("fields"), f"{label} fields", names)
    resource = reference.get("resource", "")
    if not isinstance(resource, str) or (resource and not RESOURCE_NAME.fullmatch(resource)):
        raise DescriptorError(f"{label} reference resource: expected a resource name, found {resource!r:.60}")
    targets = reference.get("fields")
    targets = (targets,) if isinstance(targets, str) else targets
    if (
        not isinstance(targets, list | tuple)
        or len(targets) != len(columns)
        or not all(isinstance(t, str) and FIELD_NAME.fullmatch(t) for t in targets)
    ):
        raise DescriptorError(f"{label} reference fields: expected {len(columns)} field name(s), found {targets!r:.60}")
    return ForeignKey(columns, resource, tuple(targets))


def check_table_schema(data: object, where: str) -> TableSchema:
    """Check a parsed Table Schema; ``where`` (the file, or the resource) names it in errors."""
    if not isinstance(data, dict):
        raise DescriptorError(f"{where}: expected a Table Schema object, found {type(data).__name__}")
    unknown = sorted(set(data) - _SCHEMA_KEYS)
    if unknown:
        raise DescriptorError(
            f"{where}: the property {unknown[0]!r:.40} is not supported; expected only {sorted(_SCHEMA_KEYS)}"
        )
    if data.get("missingValues", [""]) != [""]:
        raise DescriptorError(
            f'{where}: missingValues must be [""] (an empty cell is null), found {data["missingValues"]!r:.60}'
        )
    fields = data.get("fields")
    if not isinstance(fields, list) or not fields or len(fields) > LIMITS["fields"]:
        raise DescriptorError(
            f"{where}: expected a 'fields' list of 1 to {LIMITS['fields']} fields, found {fields!r:.60}"
        )
    checked = tuple(_check_field(f, i, where) for i, f in enumerate(fields))
    names = tuple(f["name"] for f in checked)
    if len(set(names)) != len(names):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise DescriptorError(f"{where}: field {duplicate!r} is declared twice")
    primary_key = _names(data["primaryKey"], f"{where}: primaryKey", names) if "primaryKey" in data else ()
    foreign = data.get("foreignKeys", [])
    if not isinstance(foreign, list) or len(foreign) > len(names):
        raise DescriptorError(
            f"{where}: foreignKeys: expected a list of at most {len(names)} keys (one per field), found {foreign!r:.60}"
        )
    foreign_keys = tuple(_foreign_key(item, i, where, names) for i, item in enumerate(foreign))
    lists = {f["name"] for f in checked if f["type"] == "array"}
    keyed = sorted(lists & {*primary_key, *(c for k in foreign_keys for c in k.columns)})
    if keyed:  # a list is no key value: its items are not one comparable value
        raise DescriptorError(f"{where}: field {keyed[0]!r} is an array; a primary or foreign key cannot hold one")
    return TableSchema(where=where, data=data, fields=checked, primary_key=primary_key, foreign_keys=foreign_keys)
