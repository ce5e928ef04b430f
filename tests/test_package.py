"""The loader: typed frames, identical CSV and Parquet, integrity on every load, safe paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import article_data as ad
from helpers import ROOT, replace_table

S = pd.StringDtype("pyarrow")
I = pd.Int64Dtype()
F = pd.Float64Dtype()
B = pd.BooleanDtype()
D = pd.ArrowDtype(pa.date32())
L = np.dtype(object)  # a Table Schema array: Python lists


def C(*categories: str) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(categories), ordered=False)


SPAN = {"char_start": I, "char_end": I, "text": S}
#: The promised dtype of every column (README, "Types"); a change here is a breaking change.
DTYPES: dict[str, dict[str, object]] = {
    "paragraphs": {
        "paragraph_id": S,
        "position": I,
        "line_number": I,
        "kind": C("headline", "image_caption", "body", "related_link", "byline", "footer"),
        **SPAN,
    },
    "quotes": {
        "quote_id": S,
        "paragraph_id": S,
        **SPAN,
        "quote_type": C("direct", "partial", "unmarked", "indirect", "name", "scare"),
        "is_speech": B,
        "has_closing_mark": B,
        "speaker_person_id": S,
        "speaker_organization_id": S,
        "cue": S,
        "lacks_closing_mark": B,
        "cue_altered": B,
    },
    "people": {
        "person_id": S,
        "name": S,
        "label": S,
        "aliases": L,
        "is_pseudonym": B,
        "description": S,
        "age": I,
        "wikidata_id": S,
    },
    "organizations": {
        "organization_id": S,
        "name": S,
        "aliases": L,
        "kind": C(
            "armed_forces", "military_unit", "government", "news_media", "news_agency", "photo_agency", "platform"
        ),
        "description": S,
        "wikidata_id": S,
    },
    "places": {
        "place_id": S,
        "name": S,
        "aliases": L,
        "kind": C("country", "region", "city", "town", "mountain_range"),
        "wikidata_id": S,
    },
    "mentions": {
        "mention_id": S,
        "paragraph_id": S,
        **SPAN,
        "person_id": S,
        "organization_id": S,
        "place_id": S,
        "entity_type": C("person", "organization", "place"),
        "mention_type": C("name", "descriptive"),
    },
    "figures": {
        "figure_id": S,
        "paragraph_id": S,
        **SPAN,
        "kind": C("count", "ordinal", "percent", "age", "duration", "date"),
        "value": F,
        "unit": S,
        "qualifier": C("exact", "approximate", "more_than", "at_least", "up_to"),
        "date": S,
        "date_precision": C("year", "month", "day"),
        "subject": S,
    },
    "images": {
        "image_id": S,
        "paragraph_id": S,
        "caption": S,
        "caption_char_start": I,
        "caption_char_end": I,
        "credit": S,
        "credit_char_start": I,
        "credit_char_end": I,
        "photographer_person_id": S,
        "agency_organization_id": S,
        "date_taken": D,
        "place_id": S,
    },
    "defects": {
        "defect_id": S,
        "paragraph_id": S,
        **SPAN,
        "kind": C(
            "duplicated_word",
            "broken_grammar",
            "misspelling",
            "unpaired_quotation_mark",
            "missing_quotation_marks",
            "truncated_sentence",
            "inconsistent_spelling",
            "duplicated_line",
            "missing_content",
            "stray_text",
            "unclear_reference",
            "garbled_paraphrase",
            "altered_quotation",
            "misattributed_byline",
            "altered_reporting_verb",
            "altered_fact",
            "reordered_text",
        ),
        "correction": S,
        "note": S,
    },
}


def flip_byte(path: Path, position: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2 if position is None else position] ^= 0x20
    path.write_bytes(bytes(data))


def test_tables_are_the_documented_nine_in_order() -> None:
    """TABLES lists the nine tables in the documented order, as the descriptor declares them."""
    assert tuple(DTYPES) == ad.TABLES
    assert ad.Package(ad.path()).tables == ad.TABLES


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("table", ad.TABLES)
def test_load_gives_the_pinned_dtypes(table: str, fmt: str) -> None:
    """Every column comes back with its promised dtype, from CSV and from Parquet alike."""
    frame = ad.load(table, format=fmt)  # type: ignore[arg-type]
    assert list(frame.columns) == list(DTYPES[table])
    for column, dtype in DTYPES[table].items():
        assert frame[column].dtype == dtype, f"{table}.{column}: {frame[column].dtype!r} != {dtype!r}"


@pytest.mark.parametrize("table", ad.TABLES)
def test_csv_and_parquet_load_to_identical_frames(table: str) -> None:
    """The two formats hold the same rows and give equal frames."""
    pd.testing.assert_frame_equal(ad.load(table, format="csv"), ad.load(table, format="parquet"))


def test_row_counts_match_the_csv_files() -> None:
    """Each loaded table has as many rows as its CSV file has records."""
    import csv

    for table in ad.TABLES:
        with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
            records = sum(1 for _ in csv.reader(handle)) - 1
        assert len(ad.load(table)) == records


def test_load_all_returns_every_table_by_name_and_attribute() -> None:
    """load_all gives a read-only mapping of every table, with attribute access."""
    tables = ad.load_all()
    assert list(tables) == list(ad.TABLES) and len(tables) == len(ad.TABLES)
    assert tables.quotes is tables["quotes"]
    with pytest.raises(ad.UnknownTableError):
        tables["speeches"]


def test_spans_slice_the_article_text() -> None:
    """Every span's text is exactly its slice of article_text()."""
    article = ad.article_text()
    for table in ("paragraphs", "quotes", "mentions", "figures", "defects"):
        for row in ad.load(table).itertuples():
            assert article[row.char_start : row.char_end] == row.text, (table, row[1])


def test_unknown_table_lists_the_valid_names() -> None:
    """A wrong table name raises UnknownTableError (a KeyError) naming every valid table."""
    with pytest.raises(ad.UnknownTableError) as info:
        ad.load("speakers")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ad.ArticleDataError)
    for table in ad.TABLES:
        assert table in str(info.value)


def test_path_points_at_existing_files() -> None:
    """path() gives the root, each table's CSV or Parquet file, and the article."""
    assert (ad.path() / "datapackage.json").is_file()
    assert ad.path("quotes").name == "quotes.parquet" and ad.path("quotes", format="csv").name == "quotes.csv"
    assert ad.path("quotes", format="parquet").name == "quotes.parquet"
    assert ad.path("article").read_bytes().decode("utf-8") == ad.article_text()


@pytest.mark.parametrize("name", ["article", *ad.TABLES, *(f"{t}_parquet" for t in ad.TABLES)])
def test_flipped_byte_fails_verification(package_copy: Path, name: str) -> None:
    """One flipped byte in any file makes verify() and load() raise IntegrityError naming the file."""
    descriptor = json.loads((package_copy / "datapackage.json").read_text())
    resource = next(r for r in [*descriptor["resources"], *descriptor.get("files", [])] if r["name"] == name)
    target = package_copy / resource["path"]
    flip_byte(target)
    pkg = ad.Package(package_copy)
    with pytest.raises(ad.IntegrityError) as info:
        pkg.verify()
    assert str(target) in str(info.value) and resource["hash"] in str(info.value)
    assert "Restore the file" in str(info.value)
    with pytest.raises(ad.IntegrityError, match=target.name):
        if name == "article":
            pkg.article_text()
        else:
            table = name.removesuffix("_parquet")
            pkg.load(table, format="parquet" if name.endswith("_parquet") else "csv")


def test_package_reads_any_folder_holding_a_copy(package_copy: Path) -> None:
    """Package(root) gives the same tables from a copy as the bundled package."""
    pkg = ad.Package(package_copy)
    assert pkg.version == ad.__version__
    pkg.verify()
    pkg.validate()
    for table in ad.TABLES:
        pd.testing.assert_frame_equal(pkg.load(table), ad.load(table))


def test_validate_reports_every_problem_with_table_row_and_column(package_copy: Path) -> None:
    """validate() lists each broken rule with its table, row id and column, all in one error."""
    import pyarrow.parquet as pq

    pkg = ad.Package(package_copy)
    quotes = pkg.load("quotes")
    quotes.loc[quotes.quote_id == "q06", "speaker_person_id"] = "nobody"
    quotes.loc[quotes.quote_id == "q07", "text"] = "Hopefully this war will break the political regime."
    quotes.loc[quotes.quote_id == "q01", "has_closing_mark"] = False
    replace_table(package_copy, "quotes", quotes)
    assert pq.read_table(package_copy / "data" / "quotes.parquet").num_rows == len(quotes)
    with pytest.raises(ad.ValidationError) as info:
        ad.Package(package_copy).validate()
    found = {(p.table, p.row_id, p.column) for p in info.value.problems}
    assert ("quotes", "q06", "speaker_person_id") in found
    assert ("quotes", "q07", "text") in found
    assert ("quotes", "q01", "has_closing_mark") in found


def test_verify_false_skips_the_hash_but_not_the_structure(package_copy: Path) -> None:
    """With verify=False a truncated file still raises ArticleDataError, never a pyarrow error."""
    target = package_copy / "data" / "mentions.parquet"
    target.write_bytes(target.read_bytes()[:100])
    pkg = ad.Package(package_copy)
    with pytest.raises(ad.ArticleDataError, match="mentions.parquet"):
        pkg.load("mentions", verify=False)


def test_symlinked_data_file_out_of_the_root_is_refused(package_copy: Path, tmp_path: Path) -> None:
    """A data file that is a symlink to a file outside the package is refused before it is read."""
    outside = tmp_path / "outside.csv"
    outside.write_bytes((package_copy / "data" / "places.csv").read_bytes())
    (package_copy / "data" / "places.csv").unlink()
    os.symlink(outside, package_copy / "data" / "places.csv")
    with pytest.raises(ad.DescriptorError, match="symlink out of the package"):
        ad.Package(package_copy).load("places", format="csv")


def test_the_module_level_shortcuts_are_the_bundled_package_s_methods() -> None:
    """`ad.load` and the rest are `ad.Package()`'s methods, generated, never restated: same function, same
    signature (without self), same docstring; mypy's view of them (the TYPE_CHECKING block) lists the same names.
    """
    import ast
    import inspect

    from article_data import _ON_BUNDLED

    for name in _ON_BUNDLED:
        method = getattr(ad.Package, name)
        shortcut = getattr(ad, name)
        assert name in ad.__all__ and shortcut.__func__ is method, name
        assert shortcut.__self__.root == ad.Package().root, name
        assert inspect.signature(shortcut) == inspect.signature(ad.Package().__getattribute__(name)), name
        assert shortcut.__doc__ == method.__doc__, name
    tree = ast.parse(Path(ad.__file__).read_text(encoding="utf-8"))
    typed = [
        node.targets[0].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "_bundled_copy"
        and isinstance(node.targets[0], ast.Name)
    ]
    assert typed == list(_ON_BUNDLED)
    hand_written = [
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name in vars(ad.Package) and not n.name.startswith("_")
    ]
    assert hand_written == [], f"{hand_written} restate Package's methods by hand: add them to _ON_BUNDLED instead"
