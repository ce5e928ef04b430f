"""Table Schemas checked as untrusted input (article_data._tableschema): names, values, patterns, lengths."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import article_data as ad
from helpers import edit_schema, field, replace_table

HOSTILE_FIELD_NAMES = {
    "SQL injection": "name\" FROM places; COPY (SELECT 1) TO '/tmp/owned2.csv' --",
    "escape sequence": "name\x1b]0;pwned\x07",
    "space": "place name",
    "empty": "",
    "number": 7,
}


@pytest.mark.parametrize("case", list(HOSTILE_FIELD_NAMES))
def test_hostile_field_name_is_a_descriptor_error_naming_the_schema(package_copy: Path, case: str) -> None:
    """A field name that is not an identifier is refused, naming the schema file."""
    edit_schema(package_copy, "places", lambda s: field(s, "name").__setitem__("name", HOSTILE_FIELD_NAMES[case]))
    schema_path = str(package_copy / "schemas" / "places.schema.json")
    ad.Package(package_copy).verify()  # bytes only: the schema's bytes match its declared hash
    for call in (
        lambda p: p.load("places"),
        lambda p: p.connect(),
        lambda p: p.schema("places"),
        lambda p: p.export("places", "csv"),
    ):
        with pytest.raises(ad.DescriptorError, match="letters, digits and '_'") as info:
            call(ad.Package(package_copy))
        assert schema_path in str(info.value)
    assert not Path("/tmp/owned2.csv").exists()


def test_a_schema_changed_under_verified_data_is_caught(package_copy: Path) -> None:
    """The descriptor hashes each Table Schema: editing one (even a description) fails verify() naming it."""
    path = package_copy / "schemas" / "quotes.schema.json"
    path.write_bytes(path.read_bytes().replace(b'"minLength": 1', b'"minLength": 0'))
    for call in (lambda p: p.verify(), lambda p: p.load("quotes"), lambda p: p.schema("quotes")):
        with pytest.raises(ad.IntegrityError, match="content differs from the descriptor") as info:
            call(ad.Package(package_copy))
        assert info.value.path == str(path)
    with pytest.raises(ad.ValidationError, match="quotes.schema.json: content differs"):
        ad.Package(package_copy).validate()


BAD_SCHEMA_VALUES: dict[str, tuple[Callable[[dict], object], str]] = {
    "lookahead pattern": (
        lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", "(?=a)a"),
        "RE2 (linear time) cannot run it",
    ),
    "backreference": (
        lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", r"(a)\1"),
        "RE2 (linear time) cannot run it",
    ),
    "unbalanced pattern": (
        lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", "(a"),
        "RE2 (linear time) cannot run it",
    ),
    "pattern not a string": (
        lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", 5),
        "expected a string",
    ),
    "required as a string": (
        lambda s: field(s, "text")["constraints"].__setitem__("required", "yes"),
        "expected true or false",
    ),
    "minimum as a string": (
        lambda s: field(s, "char_start")["constraints"].__setitem__("minimum", "0"),
        "expected a integer bound",
    ),
    "maximum beyond a 64-bit integer": (
        lambda s: field(s, "char_start")["constraints"].__setitem__("maximum", 2**63),
        "expected a integer bound",
    ),
    "maximum beyond a float": (
        lambda s: (
            field(s, "char_start").__setitem__("type", "number"),
            field(s, "char_start")["constraints"].__setitem__("maximum", 10**400),
        ),
        "expected a number bound",
    ),
    "an array as primary key": (
        lambda s: (field(s, "cue").__setitem__("type", "array"), s.__setitem__("primaryKey", ["cue"])),
        "'cue' is an array; a primary or foreign key cannot hold one",
    ),
    "an array as foreign key": (
        lambda s: field(s, "speaker_person_id").update(type="array", constraints={}),
        "'speaker_person_id' is an array; a primary or foreign key cannot hold one",
    ),
    "minimum on a string": (
        lambda s: field(s, "text")["constraints"].__setitem__("minimum", 0),
        "apply to integer, number and date fields",
    ),
    "enum not a list": (
        lambda s: field(s, "quote_type")["constraints"].__setitem__("enum", "direct"),
        "distinct strings",
    ),
    "enum with duplicates": (
        lambda s: field(s, "quote_type")["constraints"].__setitem__("enum", ["a", "a"]),
        "distinct strings",
    ),
    "negative maxLength": (
        lambda s: field(s, "text")["constraints"].__setitem__("maxLength", -1),
        "expected a whole number from 0 to 2**63 - 1",
    ),
    "minLength above maxLength": (
        lambda s: field(s, "text")["constraints"].update(minLength=5, maxLength=2),
        "greater than maxLength",
    ),
    "unknown constraint": (
        lambda s: field(s, "text")["constraints"].__setitem__("exclusiveMinimum", 1),
        "is not supported",
    ),
    "unknown type": (lambda s: field(s, "text").__setitem__("type", "geojson"), "must have a 'type' among"),
    "foreign key without reference": (lambda s: s["foreignKeys"][0].pop("reference"), "expected a 'reference' object"),
    "foreign key to an unknown column": (
        lambda s: s["foreignKeys"][0].__setitem__("fields", ["nope"]),
        "is not a field of this schema",
    ),
    "foreign key to a hostile resource": (
        lambda s: s["foreignKeys"][0]["reference"].__setitem__("resource", "people; DROP TABLE x"),
        "expected a resource name",
    ),
    "primary key not a field": (lambda s: s.__setitem__("primaryKey", ["nope"]), "is not a field of this schema"),
    "duplicate field": (lambda s: s["fields"].append(dict(s["fields"][0])), "is declared twice"),
    "other missing values": (lambda s: s.__setitem__("missingValues", ["", "NA"]), "missingValues must be"),
    "fields not a list": (lambda s: s.__setitem__("fields", {"a": 1}), "expected a 'fields' list"),
}


@pytest.mark.parametrize("case", list(BAD_SCHEMA_VALUES))
def test_a_hostile_schema_value_is_a_descriptor_error_naming_file_and_field(package_copy: Path, case: str) -> None:
    """Each wrong constraint, pattern or key raises DescriptorError naming the schema file (and the field)."""
    change, message = BAD_SCHEMA_VALUES[case]
    edit_schema(package_copy, "quotes", change)
    ad.Package(package_copy).verify()  # bytes only: every reader refuses the values
    for call in (lambda p: p.load("quotes"), lambda p: p.schema("quotes"), lambda p: p.export("quotes", "csv")):
        with pytest.raises(ad.DescriptorError, match=re.escape(message)) as info:
            call(ad.Package(package_copy))
        assert str(package_copy / "schemas" / "quotes.schema.json") in str(info.value)
    with pytest.raises(ad.ValidationError, match=re.escape(message)):
        ad.Package(package_copy).validate()


CATASTROPHIC = {
    "nested groups": r"^(\w+\s?)+$",
    "alternation": r"^(a|a)+$",
    "nested stars": r"^(a*)*b$",
    "overlapping": r"^(\w|\d)+$",
}


@pytest.mark.parametrize("case", list(CATASTROPHIC))
def test_a_catastrophic_backtracking_pattern_runs_in_linear_time(package_copy: Path, case: str) -> None:
    """Patterns that hang Python's re on a 60-character value are run by RE2: validate() returns, in a child with a deadline."""
    pattern = CATASTROPHIC[case]
    edit_schema(
        package_copy,
        "people",
        lambda s: (
            field(s, "description")["constraints"].__setitem__("pattern", pattern)
            if "constraints" in field(s, "description")
            else field(s, "description").__setitem__("constraints", {"pattern": pattern})
        ),
    )
    people = ad.Package(package_copy).load("people")
    people.loc[0, "description"] = "a" * 60 + "!"
    replace_table(package_copy, "people", people)
    script = "import sys, article_data as ad\ntry:\n ad.Package(sys.argv[1]).validate()\nexcept ad.ValidationError as e:\n print(e)"
    result = subprocess.run(
        [sys.executable, "-c", script, str(package_copy)], capture_output=True, text=True, timeout=120
    )
    assert "people[" in result.stdout and "pattern" in result.stdout


@pytest.mark.parametrize("constraint, value", [("maxLength", 3), ("minLength", 500)])
def test_string_length_constraints_are_checked(package_copy: Path, constraint: str, value: int) -> None:
    """MaxLength and minLength are enforced by validate(), naming the rows."""
    edit_schema(
        package_copy, "places", lambda s: field(s, "name").setdefault("constraints", {}).__setitem__(constraint, value)
    )
    with pytest.raises(ad.ValidationError) as info:
        ad.Package(package_copy).validate()
    places = ad.Package(package_copy).load("places")
    what = "longer" if constraint == "maxLength" else "shorter"
    assert {str(p) for p in info.value.problems} == {
        f"places[{place_id}].name: is {what} than its {constraint} {value} (found {name!r})"
        for place_id, name in zip(places.place_id, places.name)
    }


def test_an_array_field_cannot_be_unique() -> None:
    """An array field is accepted; unique on it is refused (a list's items are not one comparable value)."""
    from article_data._errors import DescriptorError
    from article_data._tableschema import check_table_schema

    aliases = {"name": "aliases", "type": "array"}
    assert check_table_schema({"fields": [aliases]}, "test").fields[0]["type"] == "array"
    with pytest.raises(DescriptorError, match="unique is not supported on an array field"):
        check_table_schema({"fields": [aliases | {"constraints": {"unique": True}}]}, "test")


@pytest.mark.parametrize("kind", ["string", "array"])
def test_delimiter_and_item_type_are_refused(kind: str) -> None:
    """v2 list properties (delimiter, itemType) are refused on any field, as any property article_data does not support."""
    from article_data._errors import DescriptorError
    from article_data._tableschema import check_table_schema

    with pytest.raises(DescriptorError, match="'delimiter' is not supported"):
        check_table_schema({"fields": [{"name": "a", "type": kind, "delimiter": "|"}]}, "test")
    with pytest.raises(DescriptorError, match="'itemType' is not supported"):
        check_table_schema({"fields": [{"name": "a", "type": kind, "itemType": "string"}]}, "test")
    with pytest.raises(DescriptorError, match="must have a 'type' among"):
        check_table_schema({"fields": [{"name": "a", "type": "list"}]}, "test")
