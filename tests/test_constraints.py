"""Table Schema constraints checked in Arrow: the same rows as the pandera schemas find, and named by validate()."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import article_data as ad
from article_data._constraints import breaches
from article_data._pandera import pandera_schema
from article_data._tableschema import TableSchema, check_table_schema
from article_data._types import arrow_schema, enum_of, stored_schema
from helpers import edit_schema, field, replace_table

FRAMES = {table: ad.load(table) for table in ad.TABLES}
SCHEMAS = {table: ad.Package().table_schema(table) for table in ad.TABLES}


def as_arrow(frame: pd.DataFrame, schema: TableSchema, split: int | None = None) -> pa.Table:
    """A frame as the Arrow table the parser gives (enum columns as dictionaries, as Parquet stores them).

    With ``split``, each column is two chunks, as a file of two row groups gives, and an enum
    column's second chunk has its dictionary in the other order.
    """
    fields = list(schema.fields)
    types = [s if enum_of(f) else a for f, a, s in zip(fields, arrow_schema(fields), stored_schema(fields))]
    columns = [pa.chunked_array([pa.array(frame[t.name], from_pandas=True, type=t.type)]) for t in types]
    if split is not None:
        columns = [rechunk(column, min(split, len(frame))) for column in columns]
    return pa.table(columns, names=[t.name for t in types])


def rechunk(column: pa.ChunkedArray, at: int) -> pa.ChunkedArray:
    whole = column.combine_chunks()
    first, second = whole.slice(0, at), whole.slice(at)
    if pa.types.is_dictionary(whole.type):
        dictionary = pa.array(whole.dictionary.to_pylist()[::-1], pa.string())
        indices = pc.index_in(second.cast(pa.string()), value_set=dictionary).cast(pa.int32())
        second = pa.DictionaryArray.from_arrays(indices, dictionary)
    return pa.chunked_array([first, second], type=whole.type)


def pandera_rows(table: str, frame: pd.DataFrame, schema: TableSchema) -> dict[str, set[int]]:
    """The rows pandera's column checks fail, by column (row rules and dataframe checks left out)."""
    try:
        pandera_schema(table, schema).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["schema_context"] == "Column"]
        found: dict[str, set[int]] = {}
        for column, index in zip(cases["column"], cases["index"]):
            found.setdefault(column, set()).add(int(index))
        return found
    return {}


def arrow_rows(frame: pd.DataFrame, schema: TableSchema, split: int | None = None) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for breach in breaches(as_arrow(frame, schema, split), schema):
        if breach.column is not None:
            found.setdefault(breach.column, set()).update(int(r) for r in breach.rows)
    return found


def constraint(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """Constraints a field of this type may carry (enum aside: a category column cannot hold a stray value)."""
    common = st.fixed_dictionaries({}, optional={"required": st.booleans(), "unique": st.booleans()})
    if kind == "string":
        extra = st.fixed_dictionaries(
            {},
            optional={
                "pattern": st.sampled_from([r"[a-z0-9_]+", r"[A-Z].*", r".{0,12}", r"\S+( \S+)*"]),
                "minLength": st.integers(0, 12),
                "maxLength": st.integers(12, 40),
            },
        )
    elif kind in ("integer", "number"):
        extra = st.fixed_dictionaries({}, optional={"minimum": st.integers(-5, 40), "maximum": st.integers(40, 5000)})
    else:
        extra = st.just({})
    return st.tuples(common, extra).map(lambda parts: {**parts[0], **parts[1]})


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, pd.DataFrame, TableSchema]:
    """A published table, one field given drawn constraints, and a few of its cells set to drawn values."""
    table = draw(st.sampled_from(ad.TABLES))
    data = copy.deepcopy(SCHEMAS[table])
    candidates = [f for f in data["fields"] if not enum_of(f) and f["type"] != "boolean"]
    target = draw(st.sampled_from(candidates))
    target["constraints"] = {k: v for k, v in target.get("constraints", {}).items() if k == "enum"}
    target["constraints"].update(draw(constraint(target["type"])))
    if target["type"] == "array":
        target["constraints"].pop("unique", None)  # refused on an array field
    frame = FRAMES[table].copy()
    column = frame[target["name"]]
    others = [v for v in column if not (v is None or (not isinstance(v, list) and pd.isna(v)))]
    rows = draw(st.lists(st.integers(0, len(frame) - 1), max_size=4))
    for row in rows:
        if target["type"] == "array":
            value = draw(st.sampled_from([None, [], [""], ["Kyiv"], *others[:3]]))
        elif target["type"] == "string":
            value = draw(st.one_of(st.none(), st.sampled_from(others or ["x"]), st.text(max_size=50)))
        elif target["type"] == "integer":
            value = draw(st.one_of(st.none(), st.integers(-10, 6000)))
        elif target["type"] == "number":  # -0.0 equals 0.0, as pandas and frictionless compare
            value = draw(st.one_of(st.none(), st.integers(-10, 6000), st.sampled_from([0.0, -0.0, 2.5, -2.5])))
        else:
            value = draw(st.one_of(st.none(), st.sampled_from(others))) if others else None
        frame.at[row, target["name"]] = value if value is not None else pd.NA
    return table, frame, check_table_schema(data, f"schemas/{table}.schema.json")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.one_of(st.none(), st.integers(0, 40)))
def test_arrow_checks_fail_the_rows_pandera_fails(
    case: tuple[str, pd.DataFrame, TableSchema], split: int | None
) -> None:
    """For any constraints on a field, any values in its cells and chunks, both engines fail the same rows of each column."""
    table, frame, schema = case
    assert arrow_rows(frame, schema, split) == pandera_rows(table, frame, schema)


BREAKING = {
    "maximum": ("people", "age", {"maximum": 40}, [(0, 99)]),
    "minimum": ("figures", "value", {"minimum": 0}, [(0, -1)]),
    "maxLength": ("places", "name", {"maxLength": 20}, [(0, "The Ukrainian Republic of Old")]),
    "minLength": ("places", "name", {"minLength": 3}, [(0, "Ky")]),
    "pattern": ("people", "person_id", {"pattern": "[a-z_]+"}, [(0, "putin2")]),
    "unique": ("paragraphs", "position", {"unique": True}, [(1, 1)]),  # row 0's position: both rows fail
    "unique, nulls apart": ("people", "wikidata_id", {"unique": True}, [(0, None), (1, None), (3, "Q1"), (4, "Q1")]),
    "required": ("people", "name", {"required": True}, [(0, None)]),
    "pattern on a column of nulls": ("images", "image_id", {"pattern": "[a-z]+"}, [(0, None), (1, None)]),
    "array items": ("people", "aliases", {}, [(0, []), (1, ["Yan", ""])]),
}


@pytest.mark.parametrize("case", list(BREAKING))
def test_both_engines_fail_the_broken_rows_of_each_kind(case: str) -> None:
    """One example per constraint kind: the rows set to breaking values, and only those, fail in both."""
    table, column, constraints, cells = BREAKING[case]
    data = copy.deepcopy(SCHEMAS[table])
    field(data, column).setdefault("constraints", {}).update(constraints)
    schema = check_table_schema(data, f"schemas/{table}.schema.json")
    frame = FRAMES[table].copy()
    for row, value in cells:
        frame.at[row, column] = value if value is not None else pd.NA
    if "unique" in constraints:  # every row holding a repeated value
        counts = frame[column].value_counts()
        broken = set(frame.index[frame[column].isin(counts.index[counts > 1])])
    elif "required" in constraints:  # every empty row, the published ones too
        broken = set(frame.index[frame[column].isna()])
    else:
        broken = {row for row, _ in cells}
    assert broken >= {row for row, value in cells if value is not None}
    assert arrow_rows(frame, schema) == pandera_rows(table, frame, schema) == {column: broken}


def test_every_constraint_kind_has_an_arrow_check() -> None:
    """Each constraint the Table Schema checker admits is checked: none is accepted and then ignored."""
    from article_data._constraints import column_checks
    from article_data._tableschema import _CONSTRAINTS

    field_of = {
        "required": {"type": "string", "constraints": {"required": True}},
        "unique": {"type": "string", "constraints": {"unique": True}},
        "enum": {"type": "string", "constraints": {"enum": ["a"]}},
        "pattern": {"type": "string", "constraints": {"pattern": "a"}},
        "minLength": {"type": "string", "constraints": {"minLength": 1}},
        "maxLength": {"type": "string", "constraints": {"maxLength": 1}},
        "minimum": {"type": "integer", "constraints": {"minimum": 1}},
        "maximum": {"type": "integer", "constraints": {"maximum": 1}},
    }
    assert set(field_of) == _CONSTRAINTS
    for name, spec in field_of.items():
        assert [check.name for check in column_checks({"name": "x", **spec})] == [name]


def test_enum_and_array_items_are_checked_on_the_parsed_values() -> None:
    """A value outside its enum, an empty list and an empty item are each one row's breach."""
    schema = check_table_schema(
        {
            "fields": [
                {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
                {"name": "aliases", "type": "array"},
            ]
        },
        "test",
    )
    table = pa.table(
        {
            "kind": pa.array(["a", "c", None, "b"]),
            "aliases": pa.array([["x"], [], None, ["y", ""]], pa.list_(pa.string())),
        }
    )
    found = {(b.column, tuple(b.rows)) for b in breaches(table, schema)}
    assert found == {("kind", (1,)), ("aliases", (1, 3))}


def test_a_primary_key_is_unique_as_a_whole_and_never_empty() -> None:
    """A two-field key repeats in rows 0 and 2; a key field without ``required`` is empty in row 3."""
    schema = check_table_schema(
        {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}], "primaryKey": ["a", "b"]},
        "test",
    )
    table = pa.table({"a": ["x", "x", "x", None], "b": [1, 2, 1, 3]})
    found = {(b.column, tuple(b.rows)) for b in breaches(table, schema)}
    assert found == {(None, (0, 2)), ("a", (3,))}
    frame = table.to_pandas().astype({"a": "string[pyarrow]", "b": "Int64"})
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        pandera_schema("test", schema).validate(frame, lazy=True)
    checks = set(info.value.failure_cases["check"].astype(str))
    assert {"multiple_fields_uniqueness", "not_nullable"} <= checks


def test_validate_names_a_duplicated_primary_key_the_schema_does_not_call_unique(package_copy: Path) -> None:
    """A primary key without ``unique`` on its field is still unique: both copies of the id are listed."""
    edit_schema(package_copy, "places", lambda s: field(s, "place_id")["constraints"].pop("unique"))
    places = ad.Package(package_copy).load("places")
    places.loc[1, "place_id"] = places.loc[0, "place_id"]
    replace_table(package_copy, "places", places)
    with pytest.raises(ad.ValidationError) as info:
        ad.Package(package_copy).validate()
    duplicate = places.loc[0, "place_id"]
    message = "primaryKey (place_id): the same key is in more than one row"
    assert [str(p) for p in info.value.problems if message in p.message] == [f"places[{duplicate}]: {message}"] * 2


def test_a_key_of_dictionary_chunks_and_any_field_names_is_compared_by_value() -> None:
    """Row groups with differently ordered dictionaries, a field named like a helper column, -0.0 and 0.0: by value."""
    schema = check_table_schema(
        {
            "fields": [
                {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
                {"name": "__row", "type": "number"},
            ],
            "primaryKey": ["kind", "__row"],
        },
        "test",
    )
    first = pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int32()), pa.array(["a", "b"]))
    second = pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.int32()), pa.array(["b", "a"]))
    table = pa.table({"kind": pa.chunked_array([first, second]), "__row": [0.0, 1.0, -0.0, 2.0]})
    # Rows 0 and 2 are both ("a", 0.0): the second chunk's index 1 is "a" in its own dictionary.
    assert [(b.column, b.rows.tolist()) for b in breaches(table, schema)] == [(None, [0, 2])]


def test_bounds_and_lengths_at_the_edges_of_64_bits_are_checked_not_crashed() -> None:
    """A number bound past the int64 range, a length bound of 2**62: valid rows pass, breaking rows are found."""
    schema = check_table_schema(
        {
            "fields": [
                {"name": "x", "type": "number", "constraints": {"maximum": 2**64, "minimum": -(2**64)}},
                {"name": "s", "type": "string", "constraints": {"maxLength": 2**62, "minLength": 2}},
            ]
        },
        "test",
    )
    table = pa.table({"x": [1.0, 2.0**65], "s": ["ok", "k"]})
    assert [(b.column, b.rows.tolist()) for b in breaches(table, schema)] == [("x", [1]), ("s", [1])]
