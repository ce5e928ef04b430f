"""The reader (article_data._reader): the descriptor read once, resources looked up, schemas and text verified."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from article_data._errors import (
    DescriptorError,
    FormatError,
    IntegrityError,
    UnknownTableError,
)
from article_data._files import FolderSource
from article_data._hashes import sha256
from article_data._reader import FORMATS, Reader
from helpers import (
    BIN,
    OPEN_COUNTER,
    ROOT,
    declare,
    edit_descriptor,
    edit_schema,
    resource,
    run,
)

TABLES = tuple(
    r["name"]
    for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]
    if r.get("format") == "csv" and r.get("schema")
)


def reader_of(root: Path) -> Reader:
    return Reader(FolderSource(root))


def test_reader_reads_the_descriptor_once(package_copy: Path) -> None:
    """The descriptor is parsed on first use and kept: a later change to datapackage.json is not seen."""
    reader = reader_of(package_copy)
    first = reader.descriptor
    assert first.version == json.loads((package_copy / "datapackage.json").read_text())["version"]
    (package_copy / "datapackage.json").write_text("not json")
    assert reader.descriptor is first
    with pytest.raises(DescriptorError, match="not valid UTF-8 JSON"):
        _ = reader_of(package_copy).descriptor


def test_reader_without_a_descriptor_says_what_it_expected(tmp_path: Path) -> None:
    """A folder without datapackage.json raises DescriptorError asking for a data package folder."""
    with pytest.raises(DescriptorError, match=r"datapackage.json: missing; expected a data package folder"):
        _ = reader_of(tmp_path).descriptor


def test_reader_lists_the_tables_in_descriptor_order() -> None:
    """``tables`` holds the CSV resources with a schema, in the order of datapackage.json."""
    assert reader_of(ROOT).tables == TABLES
    assert "article" not in TABLES and not any(t.endswith(("_parquet", "_schema")) for t in TABLES)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reader_resource_finds_each_table_in_each_format(fmt: str) -> None:
    """resource(name, fmt) is the CSV resource ``name`` or the Parquet resource ``name_parquet``."""
    reader = reader_of(ROOT)
    for table in TABLES:
        found = reader.resource(table, fmt)
        assert (found.name, found.format, found.path) == (
            table if fmt == "csv" else f"{table}_{fmt}",
            fmt,
            f"data/{table}.{fmt}",
        )


def test_reader_resource_defaults_to_csv() -> None:
    """Without a format, resource() gives the CSV resource, the one with the schema."""
    found = reader_of(ROOT).resource("quotes")
    assert found.format == "csv" and found.schema == "schemas/quotes.schema.json"


@pytest.mark.parametrize("name", ["quote", "article", "quotes_parquet", "quotes_schema", "", None, ["quotes"]])
def test_reader_resource_refuses_an_unknown_table(name: Any) -> None:
    """A name that is not a table raises UnknownTableError (a KeyError too) listing the valid tables."""
    with pytest.raises(UnknownTableError) as raised:
        reader_of(ROOT).resource(name)
    assert isinstance(raised.value, KeyError)
    assert str(raised.value) == f"unknown table {name!r}: expected one of {', '.join(TABLES)}"


@pytest.mark.parametrize("fmt", ["json", "xlsx", "PARQUET", "txt"])
def test_reader_resource_refuses_an_unknown_format(fmt: str) -> None:
    """A format other than parquet or csv raises FormatError (a ValueError too) listing the formats."""
    with pytest.raises(FormatError, match=rf"unknown format {fmt!r}: expected one of parquet, csv") as raised:
        reader_of(ROOT).resource("quotes", fmt)
    assert isinstance(raised.value, ValueError)


def test_reader_resource_checks_the_format_before_the_name() -> None:
    """With both a bad name and a bad format, the format is what is reported."""
    with pytest.raises(FormatError):
        reader_of(ROOT).resource("nope", "json")


def test_reader_resource_refuses_a_table_without_a_parquet_resource(package_copy: Path) -> None:
    """A table whose Parquet resource is not declared raises DescriptorError naming the table and the resource."""
    edit_descriptor(package_copy, lambda d: d["files"].remove(resource(d, "quotes_parquet")))
    reader = reader_of(package_copy)
    assert reader.resource("quotes", "csv").name == "quotes"
    with pytest.raises(DescriptorError, match=r"table 'quotes' has no parquet resource named 'quotes_parquet'"):
        reader.resource("quotes", "parquet")


def test_reader_resource_refuses_a_parquet_resource_of_another_format(package_copy: Path) -> None:
    """A ``name_parquet`` resource whose format is not parquet is not taken for the Parquet file."""
    edit_descriptor(package_copy, lambda d: resource(d, "people_parquet").__setitem__("format", "csv"))
    with pytest.raises(DescriptorError, match=r"table 'people' has no parquet resource named 'people_parquet'"):
        reader_of(package_copy).resource("people", "parquet")


def test_reader_named_finds_any_resource() -> None:
    """named() gives any resource by name: the text, a Parquet file, a schema file."""
    reader = reader_of(ROOT)
    article = reader.named("article")
    assert (article.path, article.format) == ("data/article.txt", "txt")
    assert article.bytes == (ROOT / "data" / "article.txt").stat().st_size
    assert reader.named("quotes_schema").path == "schemas/quotes.schema.json"


def test_reader_named_refuses_an_unknown_resource() -> None:
    """An undeclared resource name raises DescriptorError naming it and the descriptor."""
    with pytest.raises(DescriptorError, match=r"datapackage.json: no resource named 'text'"):
        reader_of(ROOT).named("text")


@pytest.mark.parametrize("table", TABLES)
def test_reader_schema_is_the_published_table_schema(table: str) -> None:
    """schema(name) is the checked Table Schema file of the table, parsed once and kept."""
    reader = reader_of(ROOT)
    schema = reader.schema(table)
    published = json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text())
    assert schema.names == tuple(f["name"] for f in published["fields"])
    assert list(schema.primary_key) == published["primaryKey"]
    assert schema.where == str(ROOT / "schemas" / f"{table}.schema.json")
    assert reader.schema(table) is schema


def test_reader_schema_refuses_a_changed_schema_file(package_copy: Path) -> None:
    """A schema file changed after publication raises IntegrityError naming the schema file."""
    edit_schema(package_copy, "quotes", lambda s: s.__setitem__("description", "changed"), rehash=False)
    with pytest.raises(IntegrityError, match=r"size differs from the descriptor") as raised:
        reader_of(package_copy).schema("quotes")
    assert raised.value.path == str(package_copy / "schemas" / "quotes.schema.json")
    assert "quotes.schema.json" in str(raised.value)


def test_reader_schema_refuses_a_same_size_change_by_its_hash(package_copy: Path) -> None:
    """A schema file changed without changing its size is caught by its sha256."""
    path = package_copy / "schemas" / "people.schema.json"
    data = path.read_bytes()
    changed = data.replace(b"Primary key", b"Primary KEY", 1)
    assert changed != data and len(changed) == len(data)
    path.write_bytes(changed)
    with pytest.raises(IntegrityError, match=r"content differs from the descriptor") as raised:
        reader_of(package_copy).schema("people")
    assert raised.value.path == str(path)
    assert raised.value.actual == sha256(changed)


def test_reader_schema_accepts_a_changed_schema_that_is_declared(package_copy: Path) -> None:
    """A schema file whose new size and hash the descriptor declares is used as it now reads."""
    edit_schema(package_copy, "places", lambda s: s.__setitem__("description", "changed"), rehash=True)
    assert reader_of(package_copy).schema("places").data["description"] == "changed"


def test_reader_schema_uses_the_bytes_read_already_verified(package_copy: Path) -> None:
    """A schema file that read() has verified is parsed from those bytes, not read again."""
    reader = reader_of(package_copy)
    entry = reader.named("figures_schema")
    data = reader.read(entry)
    assert reader._schema_bytes == {"schemas/figures.schema.json": data}
    (package_copy / "schemas" / "figures.schema.json").unlink()  # a second read would fail
    assert reader.schema("figures").names[0] == "figure_id"


def test_reader_schema_bytes_are_hashed_even_with_verify_false(package_copy: Path) -> None:
    """A Table Schema is always hashed (it decides how everything else is read), whatever ``verify`` says."""
    path = package_copy / "schemas" / "figures.schema.json"
    path.write_bytes(path.read_bytes().replace(b"figure", b"fiGure", 1))
    reader = reader_of(package_copy)
    with pytest.raises(IntegrityError, match="figures.schema.json: content differs"):
        reader.read(reader.named("figures_schema"), verify=False)
    assert reader._schema_bytes == {}


AUDIT = OPEN_COUNTER + textwrap.dedent("""
    from article_data._files import FolderSource
    from article_data._reader import Reader
    sys.addaudithook(hook)
    reader = Reader(FolderSource(sys.argv[1]))
    if sys.argv[2] == "read-first":
        reader.read(reader.named("quotes_schema"))
    reader.schema("quotes")
    reader.schema("quotes")
    _ = reader.descriptor
    print(json.dumps(opened))
""")


@pytest.mark.parametrize("order", ["read-first", "schema-only"])
def test_reader_opens_the_descriptor_and_a_schema_file_once(package_copy: Path, tmp_path: Path, order: str) -> None:
    """An audit hook sees datapackage.json and the schema file opened once each, read() or not beforehand."""
    script = tmp_path / "audit.py"
    script.write_text(AUDIT)
    opened = json.loads(run(BIN / "python", script, package_copy, order, check=True).stdout)
    assert opened == {"datapackage.json": 1, "schemas/quotes.schema.json": 1}


def test_reader_schema_inlined_in_the_descriptor_is_used(package_copy: Path) -> None:
    """A resource whose ``schema`` is an object (not a path) gets that Table Schema, no file needed."""
    inline = json.loads((package_copy / "schemas" / "places.schema.json").read_text())
    edit_descriptor(package_copy, lambda d: resource(d, "places").__setitem__("schema", inline))
    (package_copy / "schemas" / "places.schema.json").unlink()
    schema = reader_of(package_copy).schema("places")
    assert schema.names == tuple(f["name"] for f in inline["fields"])
    assert schema.where.endswith("datapackage.json: resource 'places' schema")


def test_reader_schema_inlined_and_invalid_is_refused_where_it_is(package_copy: Path) -> None:
    """An inline schema that is not a valid Table Schema raises DescriptorError naming the resource."""
    edit_descriptor(package_copy, lambda d: resource(d, "places").__setitem__("schema", {"fields": []}))
    with pytest.raises(DescriptorError, match=r"resource 'places' schema: expected a 'fields' list"):
        reader_of(package_copy).schema("places")


def test_reader_schema_file_not_declared_is_refused_in_an_untrusted_copy(package_copy: Path) -> None:
    """A schema path with no resource of its own, in a copy of no known release, is refused before it is read."""
    edit_descriptor(package_copy, lambda d: d["files"].remove(resource(d, "places_schema")))
    edit_schema(package_copy, "places", lambda s: s.__setitem__("description", "undeclared"), rehash=False)
    with pytest.raises(DescriptorError, match="places.schema.json: the descriptor names this file but declares no"):
        reader_of(package_copy).schema("places")


def test_reader_schema_file_not_declared_in_1_0_0_is_checked_against_the_record(tmp_path: Path) -> None:
    """1.0.0 never declared its schema files: its copies verify them against the library's record instead."""
    import zipfile

    with zipfile.ZipFile(ROOT / "releases" / "article-data-1.0.0.zip") as archive:
        archive.extractall(tmp_path / "old")
    assert reader_of(tmp_path / "old").schema("places").data["fields"]
    path = tmp_path / "old" / "schemas" / "places.schema.json"
    path.write_bytes(path.read_bytes().replace(b'"name"', b'"Name"', 1))
    with pytest.raises(IntegrityError, match="places.schema.json: content differs"):
        reader_of(tmp_path / "old").schema("places")


def test_reader_schema_that_is_not_json_names_the_file(package_copy: Path) -> None:
    """A declared schema file holding something other than JSON raises DescriptorError naming it."""
    declare(package_copy, "schemas/places.schema.json", b"{not json")
    with pytest.raises(DescriptorError, match=r"places.schema.json: not valid UTF-8 JSON"):
        reader_of(package_copy).schema("places")


def test_reader_text_is_the_article() -> None:
    """text() is data/article.txt decoded as UTF-8."""
    assert reader_of(ROOT).text() == (ROOT / "data" / "article.txt").read_text(encoding="utf-8")


def test_reader_text_refuses_invalid_utf8_even_when_declared(package_copy: Path) -> None:
    """Article bytes that are not UTF-8 raise IntegrityError naming the file, though their hash is declared."""
    data = (package_copy / "data" / "article.txt").read_bytes()
    declare(package_copy, "data/article.txt", data[:100] + b"\xff\xfe" + data[100:])
    reader = reader_of(package_copy)
    with pytest.raises(IntegrityError, match=r"article.txt: not valid UTF-8") as raised:
        reader.text()
    assert raised.value.path == str(package_copy / "data" / "article.txt")
    with pytest.raises(IntegrityError, match="not valid UTF-8"):
        reader.text(verify=False)


def test_reader_text_without_verify_skips_only_the_hash(package_copy: Path) -> None:
    """text(verify=False) reads a same-size change unhashed, but still refuses a change of size."""
    path = package_copy / "data" / "article.txt"
    data = path.read_bytes()
    path.write_bytes(b"X" + data[1:])
    reader = reader_of(package_copy)
    assert reader.text(verify=False).startswith("X")
    with pytest.raises(IntegrityError, match="content differs"):
        reader.text()
    path.write_bytes(data + b"!")
    with pytest.raises(IntegrityError, match="size differs"):
        reader.text(verify=False)
