"""Reading and checking the hand-written inputs (article_data_build.inputs): every problem with its file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from article_data_build.inputs import Inputs, check_enum, check_ids, check_ref, enum, strip_lines, where
from helpers import ROOT


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    (tmp_path / "annotations" / "schemas").mkdir(parents=True)
    return Inputs(tmp_path)


def write(inputs: Inputs, name: str, text: str | bytes) -> None:
    path = inputs.root / "annotations" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


# -- the YAML loader -------------------------------------------------------------------------------


def test_inputs_yaml_records_the_line_of_every_mapping(inputs: Inputs) -> None:
    """Each mapping carries ``__line__``, the 1-based line where it starts, nested ones too."""
    write(inputs, "x.yaml", "# a comment\n- id: a\n  name: A\n\n- id: b\n  nested:\n    deep: 1\n- {id: c}\n")
    data = inputs.read_yaml("x.yaml")
    assert [item["__line__"] for item in data] == [2, 5, 8]
    assert data[1]["nested"] == {"deep": 1, "__line__": 7}
    assert inputs.problems == []


def test_inputs_yaml_refuses_a_duplicate_key(inputs: Inputs) -> None:
    """A key given twice in one mapping is a problem at the line of the second, and nothing is returned."""
    write(inputs, "x.yaml", "- id: a\n  age: 30\n  age: 31\n")
    assert inputs.read_yaml("x.yaml") is None
    assert inputs.problems == ["annotations/x.yaml:3: malformed YAML: duplicate key 'age'"]


def test_inputs_yaml_allows_the_same_key_in_different_mappings(inputs: Inputs) -> None:
    """Only a repeat within one mapping is a duplicate; the same key in two entries is fine."""
    write(inputs, "x.yaml", "- {id: a}\n- {id: b}\n")
    assert [item["id"] for item in inputs.read_yaml("x.yaml")] == ["a", "b"]
    assert inputs.problems == []


def test_inputs_yaml_reports_malformed_yaml_with_its_line(inputs: Inputs) -> None:
    """A syntax error is a problem at the line the parser gives."""
    write(inputs, "x.yaml", "- id: a\n- id: b\n  subject: [age of Yan\n")
    assert inputs.read_yaml("x.yaml") is None
    assert len(inputs.problems) == 1 and inputs.problems[0].startswith("annotations/x.yaml:")
    assert "malformed YAML" in inputs.problems[0]
    assert int(inputs.problems[0].split(":")[1]) >= 3


def test_inputs_yaml_is_safe(inputs: Inputs, tmp_path: Path) -> None:
    """A YAML tag that would run code is refused as malformed, and runs nothing."""
    marker = tmp_path / "ran"
    write(inputs, "x.yaml", f"- !!python/object/apply:os.system ['touch {marker}']\n")
    assert inputs.read_yaml("x.yaml") is None
    assert "malformed YAML" in inputs.problems[0]
    assert not marker.exists()


def test_inputs_yaml_reports_a_missing_file(inputs: Inputs) -> None:
    """A missing input is a problem naming the file."""
    assert inputs.read_yaml("absent.yaml") is None
    assert inputs.problems == ["annotations/absent.yaml:1: missing input file"]


def test_inputs_yaml_reports_a_file_that_is_not_utf8(inputs: Inputs) -> None:
    """An input that is not UTF-8 is a problem, not a crash."""
    write(inputs, "x.yaml", b"- id: caf\xe9\n")
    assert inputs.read_yaml("x.yaml") is None
    assert inputs.problems[0].startswith("annotations/x.yaml:1: not UTF-8")


def test_inputs_strip_lines_removes_the_bookkeeping() -> None:
    """strip_lines drops ``__line__`` and ``__file__`` at every depth and keeps everything else."""
    parsed = {"a": 1, "__line__": 2, "b": [{"c": 3, "__line__": 4, "__file__": "f"}], "d": "x"}
    assert strip_lines(parsed) == {"a": 1, "b": [{"c": 3}], "d": "x"}


def test_inputs_where_defaults_to_the_inputs_folder() -> None:
    """where() gives a row's file and line, or the inputs folder and None."""
    assert where({"__file__": "annotations/a.yaml", "__line__": 4}) == ("annotations/a.yaml", 4)
    assert where({}) == ("annotations", None)


# -- rows ------------------------------------------------------------------------------------------


def test_inputs_rows_reports_unknown_and_missing_keys_with_file_and_line(inputs: Inputs) -> None:
    """An unknown key and a missing required key are problems at the entry's line; the rows are still returned."""
    write(inputs, "x.yaml", "- id: a\n  name: A\n- id: b\n  height: 2\n")
    rows = inputs.rows("x.yaml", allowed={"id", "name"}, required={"id", "name"})
    assert [r["id"] for r in rows] == ["a", "b"]
    assert inputs.problems == [
        "annotations/x.yaml:3: unknown key 'height'; expected keys among ['id', 'name']",
        "annotations/x.yaml:3: missing required key 'name'",
    ]


def test_inputs_rows_carry_their_file_and_line(inputs: Inputs) -> None:
    """Every row returned knows the file and line it came from."""
    write(inputs, "x.yaml", "- id: a\n\n- id: b\n")
    rows = inputs.rows("x.yaml", allowed={"id"}, required={"id"})
    assert [where(r) for r in rows] == [("annotations/x.yaml", 1), ("annotations/x.yaml", 3)]
    assert inputs.problems == []


@pytest.mark.parametrize("text, found", [("id: a\n", "dict"), ("just text\n", "str"), ("7\n", "int")])
def test_inputs_rows_needs_a_list(inputs: Inputs, text: str, found: str) -> None:
    """A file that is not a YAML list is a problem saying what it is instead."""
    write(inputs, "x.yaml", text)
    assert inputs.rows("x.yaml", {"id"}, {"id"}) == []
    assert inputs.problems == [f"annotations/x.yaml:1: expected a YAML list of entries, found {found}"]


def test_inputs_rows_skips_an_entry_that_is_not_a_mapping(inputs: Inputs) -> None:
    """A list item that is not a mapping is a problem and is left out."""
    write(inputs, "x.yaml", "- id: a\n- loose text\n")
    rows = inputs.rows("x.yaml", {"id"}, {"id"})
    assert [r["id"] for r in rows] == ["a"]
    assert inputs.problems == ["annotations/x.yaml:1: expected a mapping per entry, found 'loose text'"]


def test_inputs_rows_of_a_missing_file_is_empty(inputs: Inputs) -> None:
    """A missing file gives no rows and one problem."""
    assert inputs.rows("absent.yaml", {"id"}, {"id"}) == []
    assert inputs.problems == ["annotations/absent.yaml:1: missing input file"]


# -- package.yaml: metadata and table names --------------------------------------------------------


def test_inputs_metadata_needs_a_mapping(inputs: Inputs) -> None:
    """package.yaml that is not a mapping is a problem and gives no metadata."""
    write(inputs, "package.yaml", "- a\n- b\n")
    assert inputs.metadata() == {}
    assert inputs.problems == ["annotations/package.yaml:1: expected a mapping of descriptor properties"]


def test_inputs_table_names_are_the_listed_tables_in_order(inputs: Inputs) -> None:
    """A list of valid names is the table list, in the order given."""
    assert inputs.table_names({"tables": ["quotes", "people", "places_2"]}) == ["quotes", "people", "places_2"]
    assert inputs.problems == []


@pytest.mark.parametrize(
    "names", [None, "quotes", [], ["quotes", "Quotes"], ["quotes", 3], ["2quotes"], ["a-b"], {"quotes": 1}]
)
def test_inputs_table_names_refuses_anything_but_a_list_of_valid_names(inputs: Inputs, names: Any) -> None:
    """A missing, empty or non-list ``tables`` or one holding an invalid name is a problem at package.yaml."""
    metadata: dict[str, Any] = {"__line__": 3}
    if names is not None:
        metadata["tables"] = names
    assert inputs.table_names(metadata) == []
    assert inputs.problems == [
        f"annotations/package.yaml:3: 'tables' must list the table names in order, found {names!r}"
    ]


def test_inputs_of_the_repository_name_every_published_table() -> None:
    """The repository's package.yaml lists the tables the descriptor publishes, in its order."""
    inputs = Inputs(ROOT)
    names = inputs.table_names(inputs.metadata())
    published = [
        r["name"]
        for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]
        if r.get("format") == "csv" and r.get("schema")
    ]
    assert names == published and inputs.problems == []


# -- schemas ---------------------------------------------------------------------------------------


def write_schema(inputs: Inputs, name: str, schema: Any) -> None:
    write(inputs, f"schemas/{name}.schema.json", schema if isinstance(schema, str) else json.dumps(schema))


GOOD = {
    "fields": [
        {"name": "thing_id", "type": "string", "constraints": {"required": True}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
    ],
    "primaryKey": ["thing_id"],
}


def test_inputs_schemas_reads_each_listed_schema(inputs: Inputs) -> None:
    """Each listed table's schema is read as it is written."""
    write_schema(inputs, "things", GOOD)
    assert inputs.schemas(["things"]) == {"things": GOOD}
    assert enum(inputs.schemas(["things"]), "things", "kind") == ["a", "b"]
    assert enum(inputs.schemas(["things"]), "things", "thing_id") == []
    assert inputs.problems == []


INVALID_SCHEMAS = {
    "unknown type": ({"fields": [{"name": "x", "type": "text"}]}, "must have a 'type' among"),
    "no fields": ({"fields": []}, "expected a 'fields' list"),
    "primary key not a field": (
        {"fields": [{"name": "x", "type": "string"}], "primaryKey": ["y"]},
        "'y' is not a field of this schema",
    ),
    "enum on an integer": (
        {"fields": [{"name": "x", "type": "integer", "constraints": {"enum": ["1"]}}]},
        "enum: supported on string fields only",
    ),
    "not JSON": ("{fields: ", "cannot use the Table Schema"),
    "not an object": ("[]", "expected a Table Schema object, found list"),
}


@pytest.mark.parametrize("case", list(INVALID_SCHEMAS), ids=list(INVALID_SCHEMAS))
def test_inputs_schemas_refuses_an_invalid_table_schema_naming_the_file(inputs: Inputs, case: str) -> None:
    """A schema that is not a valid Table Schema is a problem naming its file, and is left out."""
    schema, message = INVALID_SCHEMAS[case]
    write_schema(inputs, "things", GOOD)
    write_schema(inputs, "broken", schema)
    assert list(inputs.schemas(["things", "broken"])) == ["things"]
    assert len(inputs.problems) == 1
    assert inputs.problems[0].startswith("annotations/schemas/broken.schema.json:1: cannot use the Table Schema: ")
    assert message in inputs.problems[0]


def test_inputs_schemas_reports_a_missing_schema(inputs: Inputs) -> None:
    """A table listed without a schema file is a problem naming the file it looked for."""
    assert inputs.schemas(["things"]) == {}
    assert inputs.problems[0].startswith("annotations/schemas/things.schema.json:1: cannot use the Table Schema")


def test_inputs_article_refuses_text_that_is_not_utf8(inputs: Inputs) -> None:
    """An article that is not UTF-8 is a problem at annotations/article.txt; valid text gives bytes and text."""
    write(inputs, "article.txt", "Café\n")
    assert inputs.article() == ("Café\n".encode(), "Café\n")
    write(inputs, "article.txt", b"Caf\xe9\n")
    assert inputs.article() is None
    assert inputs.problems[0].startswith("annotations/article.txt:1: not UTF-8")


# -- check_ids, check_enum, check_ref --------------------------------------------------------------


def entry(line: int, **values: Any) -> dict[str, Any]:
    return {**values, "__file__": "annotations/x.yaml", "__line__": line}


def test_check_ids_returns_the_good_ids_and_reports_the_rest(inputs: Inputs) -> None:
    """Malformed and repeated ids are problems at their lines; the set holds each good id once."""
    rows = [
        entry(1, id="yan"),
        entry(2, id="Yan"),
        entry(3, id="yan"),
        entry(4, id="1st"),
        entry(5),
        entry(6, id="vitya_2"),
        entry(7, id=7),
    ]
    assert check_ids(inputs, rows) == {"yan", "vitya_2"}
    assert inputs.problems == [
        "annotations/x.yaml:2: id 'Yan' must be lowercase letters, digits and '_', starting with a letter",
        "annotations/x.yaml:3: duplicate id 'yan'",
        "annotations/x.yaml:4: id '1st' must be lowercase letters, digits and '_', starting with a letter",
        "annotations/x.yaml:5: id None must be lowercase letters, digits and '_', starting with a letter",
        "annotations/x.yaml:7: id 7 must be lowercase letters, digits and '_', starting with a letter",
    ]


def test_check_enum_reports_a_value_outside_the_enum(inputs: Inputs) -> None:
    """A value not in the enum (or missing) is a problem listing the allowed values; a good one is not."""
    check_enum(inputs, entry(1, kind="city"), "kind", ["city", "town"])
    check_enum(inputs, entry(2, kind="planet"), "kind", ["city", "town"])
    check_enum(inputs, entry(3), "kind", ["city", "town"])
    assert inputs.problems == [
        "annotations/x.yaml:2: kind 'planet' is not one of ['city', 'town']",
        "annotations/x.yaml:3: kind None is not one of ['city', 'town']",
    ]


def test_check_ref_reports_an_unknown_id(inputs: Inputs) -> None:
    """A reference to an unknown id is a problem naming the table and some known ids; null is allowed."""
    known = {"yan", "vitya"}
    assert check_ref(inputs, entry(1, speaker="yan"), "speaker", known, "people") == "yan"
    assert check_ref(inputs, entry(2, speaker=None), "speaker", known, "people") is None
    assert check_ref(inputs, entry(3), "speaker", known, "people") is None
    assert check_ref(inputs, entry(4, speaker="vanya"), "speaker", known, "people") == "vanya"
    assert inputs.problems == [
        "annotations/x.yaml:4: speaker 'vanya' is not an id in people; known ids: ['vitya', 'yan']..."
    ]
