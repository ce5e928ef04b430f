"""Types: each Table Schema type gives one Arrow type, one pandas dtype and one Croissant type, from TYPES."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import article_data as ad
from article_data._types import (
    SUPPORTED_TYPES,
    TYPES,
    arrow_schema,
    arrow_to_pandas,
    arrow_type,
    croissant_type,
    enum_of,
    is_required,
    pandas_dtype,
    result_to_pandas,
)
from helpers import as_fork

#: The documented mapping (module docstring and README "Types"), written out independently of TYPES.
EXPECTED = {
    "string": (pa.string(), pd.StringDtype("pyarrow"), "sc:Text"),
    "integer": (pa.int64(), pd.Int64Dtype(), "sc:Integer"),
    "number": (pa.float64(), pd.Float64Dtype(), "sc:Float"),
    "boolean": (pa.bool_(), pd.BooleanDtype(), "sc:Boolean"),
    "date": (pa.date32(), pd.ArrowDtype(pa.date32()), "sc:Date"),
}
ENUM = ["direct", "partial", "name"]


def test_types_table_lists_the_six_supported_types() -> None:
    """TYPES holds exactly string, integer, number, boolean, date and array, and SUPPORTED_TYPES names them."""
    assert set(TYPES) == set(EXPECTED) | {"array"} and tuple(TYPES) == SUPPORTED_TYPES


LIST_FIELD = {"name": "aliases", "type": "array"}


def test_an_array_field_is_list_of_strings_in_arrow_python_lists_in_pandas() -> None:
    """A Table Schema array is list<string> in Arrow, an object column of Python lists (None where missing)."""
    assert arrow_type(LIST_FIELD) == pa.list_(pa.string())
    assert pandas_dtype(LIST_FIELD) == object and croissant_type("array") == "sc:Text"
    table = pa.table({"aliases": pa.array([["a", "b"], None, ["c"]], type=pa.list_(pa.string()))})
    frame = arrow_to_pandas(table, [LIST_FIELD])
    assert frame.aliases.dtype == object and frame.aliases.tolist() == [["a", "b"], None, ["c"]]
    assert result_to_pandas(table).aliases.tolist() == [["a", "b"], None, ["c"]]


def test_an_array_reads_the_same_from_csv_and_parquet() -> None:
    """The CSV cell '["a","b"]' (compact JSON) parses into the list Parquet stores; an empty cell is null."""
    from article_data._formats import csv_bytes, parquet_bytes
    from article_data._parse import parse_table
    from article_data._tableschema import check_table_schema

    schema = check_table_schema({"fields": [{"name": "k", "type": "string"}, LIST_FIELD]}, "test")
    rows = [{"k": "x", "aliases": ["a, b", 'c | "d"']}, {"k": "y", "aliases": None}, {"k": "z", "aliases": ["Kyïv"]}]
    data = csv_bytes(schema.fields, rows)
    assert data == 'k,aliases\nx,"[""a, b"",""c | \\""d\\""""]"\ny,\nz,"[""Kyïv""]"\n'.encode()
    from_csv = parse_table(data, "csv", schema)
    from_parquet = parse_table(parquet_bytes(schema.fields, rows), "parquet", schema)
    assert from_csv.equals(from_parquet) and from_csv.column("aliases").to_pylist() == [r["aliases"] for r in rows]


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_type_maps_to_its_arrow_pandas_and_croissant_types(kind: str) -> None:
    """arrow_type, pandas_dtype and croissant_type give the documented types, read from TYPES."""
    arrow, dtype, croissant = EXPECTED[kind]
    field = {"name": "x", "type": kind}
    assert arrow_type(field) == arrow and arrow_type(field) == getattr(pa, TYPES[kind][0])()
    assert pandas_dtype(field) == dtype and pandas_dtype(field) == pd.api.types.pandas_dtype(TYPES[kind][1])
    assert croissant_type(kind) == croissant == TYPES[kind][2]


def test_unsupported_type_raises_key_error() -> None:
    """A type outside TYPES is refused by each mapper rather than guessed."""
    for call in (
        lambda: arrow_type({"type": "datetime"}),
        lambda: pandas_dtype({"type": "datetime"}),
        lambda: croissant_type("datetime"),
    ):
        with pytest.raises(KeyError, match="datetime"):
            call()


def test_enum_field_gives_a_categorical_with_the_enum_in_order() -> None:
    """An enum constraint makes the dtype an unordered category whose categories are the enum, in schema order."""
    field = {"name": "quote_type", "type": "string", "constraints": {"enum": ENUM}}
    dtype = pandas_dtype(field)
    assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered is False
    assert list(dtype.categories) == ENUM
    assert arrow_type(field) == pa.string()
    assert enum_of(field) == ENUM and enum_of({"type": "string"}) is None
    assert enum_of({"type": "string", "constraints": {"enum": []}}) == []


def test_arrow_schema_takes_nullability_from_required() -> None:
    """A required field is non-nullable in Arrow, any other field nullable, in field order."""
    fields = [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "age", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "day", "type": "date"},
    ]
    schema = arrow_schema(fields)
    assert schema.names == ["id", "age", "day"]
    assert [schema.field(n).nullable for n in schema.names] == [False, True, True]
    assert [schema.field(n).type for n in schema.names] == [pa.string(), pa.int64(), pa.date32()]
    assert is_required(fields[0]) and not is_required(fields[1]) and not is_required(fields[2])


@pytest.mark.parametrize("table", ad.TABLES)
def test_loaded_tables_have_the_dtypes_of_their_schema(table: str) -> None:
    """Every loaded column has pandas_dtype of its Table Schema field."""
    frame = ad.load(table)
    for field in ad.Package(ad.path()).table_schema(table)["fields"]:
        assert frame[field["name"]].dtype == pandas_dtype(field), f"{table}.{field['name']}"


def test_arrow_to_pandas_converts_every_type_and_keeps_nulls() -> None:
    """Each column gets its dtype, missing values become NA, and enum values map to their categories."""
    fields = [
        {"name": "s", "type": "string"},
        {"name": "i", "type": "integer"},
        {"name": "n", "type": "number"},
        {"name": "b", "type": "boolean"},
        {"name": "d", "type": "date"},
        {"name": "e", "type": "string", "constraints": {"enum": ENUM}},
    ]
    table = pa.table(
        {
            "s": ["a", None, "c"],
            "i": [1, None, -3],
            "n": [0.5, None, 2.0],
            "b": [True, None, False],
            "d": [dt.date(2022, 4, 8), None, dt.date(2022, 2, 24)],
            "e": ["name", None, "direct"],
        },
        schema=arrow_schema(fields),
    )
    frame = arrow_to_pandas(table, fields)
    assert list(frame.columns) == ["s", "i", "n", "b", "d", "e"]
    for field in fields:
        assert frame[field["name"]].dtype == pandas_dtype(field), field["name"]
    assert frame["s"].tolist()[0::2] == ["a", "c"] and frame["i"].tolist()[0::2] == [1, -3]
    assert frame["n"].tolist()[0::2] == [0.5, 2.0] and frame["b"].tolist()[0::2] == [True, False]
    assert frame["d"].tolist()[0::2] == [dt.date(2022, 4, 8), dt.date(2022, 2, 24)]
    assert frame["e"].tolist()[0::2] == ["name", "direct"]
    assert frame["e"].cat.codes.tolist() == [2, -1, 0]
    assert frame.iloc[1].isna().all()


def test_arrow_to_pandas_refuses_a_value_outside_the_enum() -> None:
    """A value outside the enum raises ValueError naming the column, the count, examples and the enum."""
    fields = [{"name": "quote_type", "type": "string", "constraints": {"enum": ENUM}}]
    table = pa.table({"quote_type": ["direct", "shout", None, "whisper", "shout", "name"]})
    with pytest.raises(ValueError) as info:
        arrow_to_pandas(table, fields)
    message = str(info.value)
    assert "'quote_type'" in message
    assert "holds 3 value(s) outside its enum" in message
    assert "['shout', 'whisper']" in message
    assert str(ENUM) in message


def test_arrow_to_pandas_shows_at_most_five_examples() -> None:
    """With many values outside the enum the message gives the first five in sorted order."""
    fields = [{"name": "kind", "type": "string", "constraints": {"enum": ["a"]}}]
    bad = [f"v{i}" for i in range(9, 0, -1)]
    with pytest.raises(ValueError) as info:
        arrow_to_pandas(pa.table({"kind": bad}), fields)
    assert "holds 9 value(s)" in str(info.value)
    assert "['v1', 'v2', 'v3', 'v4', 'v5']" in str(info.value) and "v6" not in str(info.value)


def test_result_to_pandas_maps_arrow_types_to_the_loader_dtypes() -> None:
    """string, large_string, any int, any float, bool, date32 and dictionary columns get the loader's dtypes."""
    table = pa.table(
        {
            "s": pa.array(["a", None], pa.string()),
            "ls": pa.array(["b", None], pa.large_string()),
            "i32": pa.array([7, None], pa.int32()),
            "i64": pa.array([2**40, None], pa.int64()),
            "f32": pa.array([1.5, None], pa.float32()),
            "f64": pa.array([2.25, None], pa.float64()),
            "b": pa.array([True, None], pa.bool_()),
            "d": pa.array([dt.date(2022, 4, 8), None], pa.date32()),
            "c": pa.array(["scare", None], pa.string()).dictionary_encode(),
        }
    )
    frame = result_to_pandas(table)
    expected = {
        "s": EXPECTED["string"][1],
        "ls": EXPECTED["string"][1],
        "i32": pd.Int64Dtype(),
        "i64": pd.Int64Dtype(),
        "f32": pd.Float64Dtype(),
        "f64": pd.Float64Dtype(),
        "b": pd.BooleanDtype(),
        "d": EXPECTED["date"][1],
    }
    for column, dtype in expected.items():
        assert frame[column].dtype == dtype, column
        assert frame[column].isna().tolist() == [False, True], column
    assert isinstance(frame["c"].dtype, pd.CategoricalDtype) and list(frame["c"].cat.categories) == ["scare"]
    assert frame.iloc[0].tolist()[:-1] == ["a", "b", 7, 2**40, 1.5, 2.25, True, dt.date(2022, 4, 8)]
    assert frame["c"].tolist()[0] == "scare"


def test_result_to_pandas_of_a_whole_table_equals_load() -> None:
    """The Arrow of a loaded table, with enums dictionary-encoded as DuckDB returns them, converts to the loaded dtypes."""
    frame = ad.load("quotes")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    converted = result_to_pandas(table)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            assert isinstance(converted[column].dtype, pd.CategoricalDtype), column
            assert converted[column].astype(str).tolist() == frame[column].astype(str).tolist()
        else:
            assert converted[column].dtype == frame[column].dtype, column
            pd.testing.assert_series_equal(converted[column], frame[column])


@pytest.mark.parametrize(
    "cell",
    ["Kiev", '"Kiev"', '{"a":"b"}', "[1]", '["a",null]', '[["a"]]', '["a"', "[" * 100_000, '["' + "a" * 70_000 + '"]'],
)
def test_an_array_cell_that_is_not_a_json_array_of_strings_is_refused_naming_row_and_column(cell: str) -> None:
    """Bare text (the 1.x form), other JSON, broken or deeply nested JSON, or an overlong cell: a ValueError at its row."""
    from article_data._types import parse_arrays

    table = pa.table({"aliases": ['["ok"]', None, cell]})
    with pytest.raises(ValueError, match=r"column 'aliases', row 3: expected a JSON array of strings"):
        parse_arrays(table, [LIST_FIELD])


def test_a_damaged_array_cell_in_a_package_is_an_error_naming_the_file(package_copy: Path) -> None:
    """load(format='csv') of a package whose places.csv holds a bare alias says which file, row and column."""
    import hashlib
    import json

    path = package_copy / "data" / "places.csv"
    path.write_bytes(path.read_bytes().replace(b'"[""Kiev""]"', b"Kiev"))
    descriptor = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == "data/places.csv":
            resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
            resource["bytes"] = path.stat().st_size
    (package_copy / "datapackage.json").write_text(json.dumps(as_fork(descriptor)), encoding="utf-8")
    with pytest.raises(ad.ArticleDataError, match=r"data/places.csv.*column 'aliases', row 3: expected a JSON array"):
        ad.Package(package_copy).load("places", format="csv")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.lists(st.text(), max_size=4).map(
                lambda items: json.dumps(items, ensure_ascii=False, separators=(",", ":"))  # as the writer writes
            ),
            st.lists(st.text(), max_size=4).map(json.dumps),  # escapes and spaces: decoded by json
        ),
        min_size=1,
        max_size=8,
    )
)
def test_array_cells_parse_as_json_reads_them(cells: list[str | None]) -> None:
    """Whichever way a column's cells are spelt (split in Arrow, or decoded cell by cell), each is json.loads of it."""
    from article_data._types import parse_arrays

    table = pa.table({"aliases": pa.array(cells, pa.string())})
    parsed = parse_arrays(table, [LIST_FIELD]).column("aliases").to_pylist()
    assert parsed == [json.loads(cell) if cell is not None else None for cell in cells]


PLAIN_TEXT = st.text(st.characters(blacklist_characters='"\\', blacklist_categories=("Cc", "Cs")))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(PLAIN_TEXT, min_size=1, max_size=4)), min_size=1, max_size=8))
def test_cells_as_the_writer_writes_them_are_split_in_arrow(lists: list[list[str] | None]) -> None:
    """A column of the writer's cells (no escape, no space, an item at least) takes the Arrow path, and gives the lists."""
    from article_data._types import _split_plain

    cells = [json.dumps(items, ensure_ascii=False, separators=(",", ":")) if items else None for items in lists]
    split = _split_plain(pa.chunked_array([pa.array(cells, pa.string())]))
    if all(items is None for items in lists):
        assert split is None  # nothing to split: the column stays as json reads it
    else:
        assert split is not None and split.to_pylist() == lists
