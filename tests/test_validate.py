"""Full validation: each rule of the annotation guide gives a Problem naming table, row and column, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import article_data as ad
from article_data import Problem
from article_data._formats import parquet_bytes
from article_data._vocabulary import CLOSING_MARK, OPENING_MARK
from helpers import declare, edit_schema, replace_table

SLICE = "does not equal article[char_start:char_end]"
OUTSIDE = "span does not lie inside its paragraph"


def problems(root: Path) -> list[Problem]:
    """The problems validate() reports for the package in root (failing if it reports none)."""
    with pytest.raises(ad.ValidationError) as info:
        ad.Package(root).validate()
    found = list(info.value.problems)
    assert str(root) in str(info.value)
    for problem in found:
        assert str(problem) in str(info.value) or len(found) > 200
    return found


def change(root: Path, table: str, edit: Callable[[pd.DataFrame], pd.DataFrame | None]) -> None:
    """Load a table of the package in root, edit it, and write it back with consistent hashes."""
    frame = ad.Package(root).load(table)
    result = edit(frame)
    replace_table(root, table, frame if result is None else result)


def row(frame: pd.DataFrame, key: str, value: str) -> int:
    """The index of the row whose key column equals value."""
    matches = frame.index[frame[key] == value]
    assert len(matches) == 1, (key, value)
    return int(matches[0])


def test_validate_accepts_the_published_package(package_copy: Path) -> None:
    """An unchanged copy of the package validates, and so does a copy rewritten with no change."""
    ad.Package(package_copy).validate()
    change(package_copy, "quotes", lambda f: None)
    ad.Package(package_copy).validate()


def test_validate_finds_a_span_whose_text_differs_from_the_article(package_copy: Path) -> None:
    """A quote whose text is not its slice (same length, one letter changed) is named by id and column text."""

    def edit(quotes: pd.DataFrame) -> None:
        i = row(quotes, "quote_id", "q03")
        text = quotes.loc[i, "text"]
        quotes.loc[i, "text"] = ("X" if text[0] != "X" else "Y") + text[1:]

    change(package_copy, "quotes", edit)
    assert problems(package_copy) == [Problem("quotes", "q03", "text", SLICE)]


def test_validate_finds_image_caption_and_credit_spans(package_copy: Path) -> None:
    """An image credit that differs from its slice is named by image id and the credit column."""

    def edit(images: pd.DataFrame) -> None:
        i = row(images, "image_id", "img2")
        images.loc[i, "credit"] = images.loc[i, "credit"].upper()

    change(package_copy, "images", edit)
    assert problems(package_copy) == [
        Problem("images", "img2", "credit", "does not equal article[credit_char_start:credit_char_end]")
    ]


def test_validate_finds_a_span_outside_its_paragraph(package_copy: Path) -> None:
    """A mention that names the wrong paragraph lies outside it: named by id at char_start."""

    def edit(mentions: pd.DataFrame) -> None:
        mentions.loc[row(mentions, "mention_id", "m0022"), "paragraph_id"] = "p03"

    change(package_copy, "mentions", edit)
    assert problems(package_copy) == [Problem("mentions", "m0022", "char_start", OUTSIDE)]


def test_validate_finds_a_missing_paragraph_row(package_copy: Path) -> None:
    """Without one paragraph the rest no longer cover the article's lines, and its rows lose their key."""
    article = ad.Package(package_copy).article_text()
    lines = sum(1 for line in article.split("\n") if line)

    def edit(paragraphs: pd.DataFrame) -> pd.DataFrame:
        return paragraphs[paragraphs.paragraph_id != "p01"].reset_index(drop=True)

    change(package_copy, "paragraphs", edit)
    found = problems(package_copy)
    coverage = Problem(
        "paragraphs",
        None,
        None,
        f"paragraphs must be the {lines} non-empty lines of the article in order; "
        f"found {lines - 1} rows that do not match them line for line",
    )
    assert coverage in found
    # The mentions in the headline now point at a paragraph that does not exist.
    assert Problem("mentions", "m0022", "paragraph_id", "not found in paragraphs.paragraph_id") in found
    assert Problem("mentions", "m0022", "char_start", OUTSIDE) in found


def test_validate_finds_a_wrong_line_number(package_copy: Path) -> None:
    """A paragraph with the wrong line_number gives one problem on the line_number column."""

    def edit(paragraphs: pd.DataFrame) -> None:
        paragraphs.loc[row(paragraphs, "paragraph_id", "p02"), "line_number"] = 2

    change(package_copy, "paragraphs", edit)
    assert problems(package_copy) == [
        Problem("paragraphs", None, "line_number", "does not match the paragraph's line in the article")
    ]


def test_validate_finds_an_opening_mark_that_opens_no_quote(package_copy: Path) -> None:
    """Removing the row a mark opens leaves that mark, at its offset, opening nothing."""
    quotes = ad.Package(package_copy).load("quotes")
    start = int(quotes.char_start[row(quotes, "quote_id", "q05")])
    assert ad.Package(package_copy).article_text()[start - 1] == OPENING_MARK
    change(package_copy, "quotes", lambda f: f[f.quote_id != "q05"].reset_index(drop=True))
    assert problems(package_copy) == [
        Problem("quotes", None, None, f"the opening mark at offset {start - 1} opens no quotes row")
    ]


def test_validate_finds_an_opening_mark_that_opens_two_quotes(package_copy: Path) -> None:
    """A second marked row after the same mark makes that mark open two rows."""
    quotes = ad.Package(package_copy).load("quotes")
    i = row(quotes, "quote_id", "q22")
    start = int(quotes.char_start[i])
    twin = quotes.loc[[i]].assign(quote_id="q99")
    change(package_copy, "quotes", lambda f: pd.concat([f, twin], ignore_index=True))
    assert problems(package_copy) == [
        Problem(
            "quotes", None, "char_start", f"the opening mark at offset {start - 1} opens 2 rows; expected exactly one"
        )
    ]


def test_validate_finds_a_marked_quote_without_its_mark(package_copy: Path) -> None:
    """A name quote moved one character on no longer starts after an opening mark: named by id at char_start."""

    def edit(quotes: pd.DataFrame) -> None:
        i = row(quotes, "quote_id", "q05")
        quotes.loc[i, "char_start"] += 1
        quotes.loc[i, "text"] = quotes.loc[i, "text"][1:]

    change(package_copy, "quotes", edit)
    found = problems(package_copy)
    assert (
        Problem(
            "quotes",
            "q05",
            "char_start",
            f"a direct/partial/name/scare quotation must start right after an opening mark {OPENING_MARK}",
        )
        in found
    )
    assert any(p.message.endswith("opens no quotes row") for p in found)
    assert len(found) == 2


@pytest.mark.parametrize("quote_id", ["q01", "q07"])
def test_validate_finds_a_wrong_has_closing_mark(package_copy: Path, quote_id: str) -> None:
    """has_closing_mark flipped on a marked quote, with or without a closing mark in the text, is named by id."""

    def edit(quotes: pd.DataFrame) -> None:
        i = row(quotes, "quote_id", quote_id)
        quotes.loc[i, "has_closing_mark"] = not bool(quotes.loc[i, "has_closing_mark"])
        quotes.loc[i, "lacks_closing_mark"] = not bool(quotes.loc[i, "has_closing_mark"])  # kept consistent

    change(package_copy, "quotes", edit)
    assert problems(package_copy) == [
        Problem(
            "quotes",
            quote_id,
            "has_closing_mark",
            f"must be true exactly when a closing mark {CLOSING_MARK} follows the quotation",
        )
    ]


def test_validate_finds_a_foreign_key_to_an_unknown_id(package_copy: Path) -> None:
    """A speaker id that is not in people is named by quote id and column."""

    def edit(quotes: pd.DataFrame) -> None:
        quotes.loc[row(quotes, "quote_id", "q01"), "speaker_person_id"] = "nobody"

    change(package_copy, "quotes", edit)
    assert problems(package_copy) == [Problem("quotes", "q01", "speaker_person_id", "not found in people.person_id")]


def test_validate_finds_csv_and_parquet_holding_different_rows(package_copy: Path) -> None:
    """A Parquet file rewritten (with its hash declared) while the CSV stays gives a problem on that table."""
    package = ad.Package(package_copy)
    quotes = package.load("quotes")
    quotes.loc[row(quotes, "quote_id", "q01"), "cue"] = "whispers"
    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in quotes.to_dict("records")]
    declare(package_copy, "data/quotes.parquet", parquet_bytes(package.table_schema("quotes")["fields"], rows))
    assert problems(package_copy) == [Problem("quotes", None, None, "the CSV and Parquet files hold different rows")]


def test_validate_lists_every_problem_at_once(package_copy: Path) -> None:
    """Faults in two tables and two rules are all listed by one run."""

    def quotes_edit(quotes: pd.DataFrame) -> None:
        quotes.loc[row(quotes, "quote_id", "q01"), "speaker_person_id"] = "nobody"
        quotes.loc[row(quotes, "quote_id", "q02"), "has_closing_mark"] = False
        quotes.loc[row(quotes, "quote_id", "q02"), "lacks_closing_mark"] = True

    def mentions_edit(mentions: pd.DataFrame) -> None:
        mentions.loc[row(mentions, "mention_id", "m0022"), "paragraph_id"] = "p03"

    change(package_copy, "quotes", quotes_edit)
    change(package_copy, "mentions", mentions_edit)
    found = problems(package_copy)
    assert sorted(map(str, found)) == sorted(
        map(
            str,
            [
                Problem("quotes", "q01", "speaker_person_id", "not found in people.person_id"),
                Problem(
                    "quotes",
                    "q02",
                    "has_closing_mark",
                    f"must be true exactly when a closing mark {CLOSING_MARK} follows the quotation",
                ),
                Problem("mentions", "m0022", "char_start", OUTSIDE),
            ],
        )
    )


def test_validate_lists_a_damaged_file_with_the_other_problems(package_copy: Path) -> None:
    """A file that fails its hash is listed, and the rules still run on the tables that read."""
    change(package_copy, "quotes", lambda f: f.assign(speaker_person_id=f.speaker_person_id.replace("yan", "nobody")))
    target = package_copy / "data" / "places.csv"
    target.write_bytes(target.read_bytes().replace(b"Ukraine", b"Ukraina", 1))
    found = problems(package_copy)
    assert any(p.table == "places" and "places.csv" in p.message for p in found)
    assert Problem("quotes", "q01", "speaker_person_id", "not found in people.person_id") in found


def test_validate_caps_each_check_at_fifty_rows(package_copy: Path) -> None:
    """A fault on more than 50 rows lists 50 by id and one line counting the rest."""
    mentions = ad.Package(package_copy).load("mentions")
    assert len(mentions) > 55, "the check needs more rows than the cap"
    change(package_copy, "mentions", lambda f: f.assign(paragraph_id="p01"))
    outside = [p for p in problems(package_copy) if p.table == "mentions" and p.column == "char_start"]
    headline = int((mentions.paragraph_id == "p01").sum())
    assert len(outside) == 51
    assert outside[-1] == Problem(
        "mentions", None, "char_start", f"... {len(mentions) - headline - 50} more rows: {OUTSIDE}"
    )


def drop_field(table: str, column: str) -> Callable[[dict], object]:
    def edit(schema: dict) -> None:
        schema["fields"] = [f for f in schema["fields"] if f["name"] != column]
        schema["foreignKeys"] = [k for k in schema.get("foreignKeys", []) if column not in k["fields"]]

    return edit


@pytest.mark.parametrize(("table", "column"), [("quotes", "has_closing_mark"), ("paragraphs", "line_number")])
def test_validate_reports_a_rule_it_cannot_check_as_a_problem(package_copy: Path, table: str, column: str) -> None:
    """A table whose schema and files lack a column a rule needs gives a Problem naming the table, not an exception."""
    frame = ad.Package(package_copy).load(table)
    edit_schema(package_copy, table, drop_field(table, column))
    replace_table(package_copy, table, frame.drop(columns=[column]))
    assert column not in ad.Package(package_copy).load(table).columns
    found = problems(package_copy)
    cannot = [p for p in found if "cannot be checked" in p.message]
    assert cannot == [Problem(table, None, None, f"the guide's rules cannot be checked (KeyError: '{column}')")]


def test_a_span_rule_over_columns_of_another_type_is_a_problem_not_a_crash() -> None:
    """Offsets that are not integers (dates) or a text that is not text make the rule a problem, never a cast."""
    import datetime as dt
    from functools import partial

    import pyarrow as pa

    from article_data._article_rules import span_problems
    from article_data._spans import ArticleIndex
    from article_data._validate import _guarded

    table = pa.table({"char_start": [dt.date(2020, 1, 1)], "char_end": [dt.date(2020, 1, 2)], "text": ["a"]})
    found = _guarded("quotes", partial(span_problems, "quotes", table, None, ArticleIndex("abc"), None))
    assert [(p.table, p.message.split(" (")[0]) for p in found] == [("quotes", "the guide's rules cannot be checked")]
    assert found[0].message.endswith(
        "(TypeError: column 'char_start' holds date32[day] values; the rule reads integers)"
    )
    numbers = pa.table({"char_start": [0], "char_end": [1], "text": [5]})  # a cast would make it "5"
    found = _guarded("quotes", partial(span_problems, "quotes", numbers, None, ArticleIndex("5"), None))
    assert found[0].message.endswith("(TypeError: column 'text' holds int64 values; the rule reads text)")


def test_an_article_that_is_not_utf8_is_a_problem_listed_with_the_others(package_copy: Path) -> None:
    """A byte that is no UTF-8 in the article (its hash declared) is a problem on 'article', listed with each table's own."""
    article = package_copy / "data" / "article.txt"
    declare(package_copy, "data/article.txt", article.read_bytes().replace(b"Putin", b"Put\xffn", 1))
    change(package_copy, "quotes", lambda f: f.assign(quote_id=f.quote_id.replace("q01", "Q01")))
    found = problems(package_copy)
    assert any(p.table == "article" and p.message.startswith("not valid UTF-8 (") for p in found)
    assert Problem("quotes", "Q01", "quote_id", "does not match its pattern ^[a-z][a-z0-9_]*$ (found 'Q01')") in found


def test_a_composite_foreign_key_is_checked_as_a_whole() -> None:
    """(1, 2) is no row of the target even though 1 and 2 each are; a row with a null field is not checked."""
    import pyarrow as pa

    from article_data._article_rules import foreign_key_problems
    from article_data._tableschema import ForeignKey

    tables = {
        "t": pa.table({"id": ["r1", "r2", "r3"], "a": ["1", "4", None], "b": [2, 2, 9]}),
        "target": pa.table({"x": ["1", "4"], "y": [3, 2]}),
    }
    fk = ForeignKey(("a", "b"), "target", ("x", "y"))
    found = foreign_key_problems("t", fk, tables, {"t": tables["t"].column("id")})
    assert found == [Problem("t", "r1", None, "(a, b) not found in target.(x, y)")]


def test_a_row_rule_over_a_column_of_another_type_is_a_problem_naming_the_rule() -> None:
    """A figures.date of integers (pandas' .str refuses it) stops that rule alone, as a problem, never a crash."""
    import copy

    import pyarrow as pa

    from article_data._tableschema import check_table_schema
    from article_data._validate import _rule_problems

    data = copy.deepcopy(ad.Package().table_schema("figures"))
    for f in data["fields"]:
        if f["name"] == "date":
            f.update(type="integer", constraints={})
    schema = check_table_schema(data, "figures.schema.json")
    frame = ad.load("figures").assign(date=pd.array([2020] * len(ad.load("figures")), dtype="Int64"))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    found = _rule_problems("figures", table, schema, None)
    cannot = [p for p in found if "cannot be checked" in p.message]
    assert [p.message.split(" (")[0] for p in cannot] == ["the rule figure_date_precision cannot be checked"]
    assert "TypeError" in cannot[0].message
