"""Finding an annotated string in the article (article_data_build.text): offsets, paragraph, and every way it can fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from article_data_build.assemble import build
from article_data_build.inputs import Inputs
from article_data_build.text import Article, locate
from helpers import ROOT

#          0         1         2         3         4
#          0123456789012345678901234567890123456789012345
TEXT = "Alpha beta.\n\nGamma beta delta.\nEpsilon beta."
PARAGRAPHS = [
    {"paragraph_id": "p01", "char_start": 0, "char_end": 11},
    {"paragraph_id": "p02", "char_start": 13, "char_end": 30},
    {"paragraph_id": "p03", "char_start": 31, "char_end": 44},
]
FILE = "annotations/things.yaml"


@pytest.fixture
def article() -> Article:
    assert [TEXT[p["char_start"] : p["char_end"]] for p in PARAGRAPHS] == [
        "Alpha beta.",
        "Gamma beta delta.",
        "Epsilon beta.",
    ]
    return Article(TEXT, [dict(p) for p in PARAGRAPHS])


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    return Inputs(tmp_path)


def row(line: int = 7, **values: Any) -> dict[str, Any]:
    return {**values, "__file__": FILE, "__line__": line}


def test_locate_finds_a_unique_string_with_its_paragraph(inputs: Inputs, article: Article) -> None:
    """A string that occurs once gives its start, end (exclusive) and paragraph id, and no problem."""
    assert locate(inputs, article, row(text="Gamma")) == (13, 18, "p02")
    assert locate(inputs, article, row(text="Epsilon beta.")) == (31, 44, "p03")
    assert TEXT[13:18] == "Gamma"
    assert inputs.problems == []


def test_locate_reads_another_key(inputs: Inputs, article: Article) -> None:
    """With ``key`` the string is taken from that key of the row, and problems name the key."""
    assert locate(inputs, article, row(cue="delta"), key="cue") == (24, 29, "p02")
    assert locate(inputs, article, row(cue="omega"), key="cue") is None
    assert inputs.problems == [
        f"{FILE}:7: cue 'omega' not found in the article; copy it exactly from annotations/article.txt"
    ]


def test_locate_reports_a_missing_string_with_file_and_line(inputs: Inputs, article: Article) -> None:
    """A string not in the text is a problem at the row's file and line; nothing is returned."""
    assert locate(inputs, article, row(line=12, text="alpha")) is None  # case matters
    assert inputs.problems == [
        f"{FILE}:12: text 'alpha' not found in the article; copy it exactly from annotations/article.txt"
    ]


@pytest.mark.parametrize("value", ["", None, 3, ["beta"]])
def test_locate_reports_a_value_that_is_not_a_string(inputs: Inputs, article: Article, value: Any) -> None:
    """An empty or non-string value is a problem saying what was found."""
    assert locate(inputs, article, row(text=value)) is None
    assert inputs.problems == [f"{FILE}:7: 'text' must be a non-empty string, found {value!r}"]


def test_locate_reports_an_ambiguous_string_with_its_offsets(inputs: Inputs, article: Article) -> None:
    """A string that occurs more than once is a problem listing the offsets and how to choose one."""
    assert locate(inputs, article, row(text="beta")) is None
    assert inputs.problems == [
        f"{FILE}:7: text 'beta' occurs 3 times in the article (offsets [6, 19, 39]); "
        "add `occurrence: N` (1-based) or `paragraph:` to choose one"
    ]


def test_locate_lists_at_most_eight_offsets(inputs: Inputs) -> None:
    """An ambiguous string shows the first eight of its offsets, with the full count."""
    text = "a " * 10
    article = Article(text, [{"paragraph_id": "p01", "char_start": 0, "char_end": len(text)}])
    assert locate(inputs, article, row(text="a")) is None
    assert "occurs 10 times in the article (offsets [0, 2, 4, 6, 8, 10, 12, 14]);" in inputs.problems[0]


@pytest.mark.parametrize("occurrence, span", [(1, (6, 10, "p01")), (2, (19, 23, "p02")), (3, (39, 43, "p03"))])
def test_locate_occurrence_chooses_one_of_several(
    inputs: Inputs, article: Article, occurrence: int, span: tuple[int, int, str]
) -> None:
    """``occurrence: N`` picks the N-th occurrence (1-based) in text order."""
    assert locate(inputs, article, row(text="beta", occurrence=occurrence)) == span
    assert inputs.problems == []


@pytest.mark.parametrize("occurrence", [0, 4, -1, "2", True, 1.0])
def test_locate_reports_an_out_of_range_occurrence(inputs: Inputs, article: Article, occurrence: Any) -> None:
    """An occurrence that is not a whole number from 1 to the count is a problem giving the count."""
    assert locate(inputs, article, row(text="beta", occurrence=occurrence)) is None
    assert inputs.problems == [
        f"{FILE}:7: occurrence {occurrence!r} is out of range: 'beta' occurs 3 time(s) in the article"
    ]


def test_locate_paragraph_narrows_the_search(inputs: Inputs, article: Article) -> None:
    """``paragraph:`` searches that paragraph only, so a string repeated elsewhere is found once."""
    assert locate(inputs, article, row(text="beta", paragraph="p03")) == (39, 43, "p03")
    assert locate(inputs, article, row(text="beta", paragraph="p01")) == (6, 10, "p01")
    assert inputs.problems == []


def test_locate_paragraph_and_occurrence_together(inputs: Inputs) -> None:
    """``occurrence`` counts within the paragraph when both are given."""
    text = "x y x\nx z x"
    article = Article(
        text,
        [
            {"paragraph_id": "p01", "char_start": 0, "char_end": 5},
            {"paragraph_id": "p02", "char_start": 6, "char_end": 11},
        ],
    )
    assert locate(inputs, article, row(text="x", paragraph="p02", occurrence=2)) == (10, 11, "p02")
    assert locate(inputs, article, row(text="x", paragraph="p02", occurrence=3)) is None
    assert inputs.problems == [f"{FILE}:7: occurrence 3 is out of range: 'x' occurs 2 time(s) in paragraph p02"]


def test_locate_reports_a_string_not_in_the_paragraph(inputs: Inputs, article: Article) -> None:
    """A string that is in the text but not in the given paragraph is not found there."""
    assert locate(inputs, article, row(text="Gamma", paragraph="p01")) is None
    assert inputs.problems == [
        f"{FILE}:7: text 'Gamma' not found in paragraph p01; copy it exactly from annotations/article.txt"
    ]


def test_locate_reports_an_unknown_paragraph(inputs: Inputs, article: Article) -> None:
    """A paragraph id that does not exist is a problem giving the valid range."""
    assert locate(inputs, article, row(text="beta", paragraph="p09")) is None
    assert inputs.problems == [f"{FILE}:7: unknown paragraph 'p09'; expected p01..p03"]


@pytest.mark.parametrize("needle", ["delta.\nEpsilon", "beta.\n\nGamma", "delta.\n"])
def test_locate_reports_a_span_crossing_a_line_break(inputs: Inputs, article: Article, needle: str) -> None:
    """A string found across paragraphs is a problem: a span must lie inside one paragraph."""
    assert locate(inputs, article, row(text=needle)) is None
    assert inputs.problems == [f"{FILE}:7: text {needle!r} crosses a line break; a span must lie inside one paragraph"]


def test_locate_problem_without_a_line_points_to_line_one(inputs: Inputs, article: Article) -> None:
    """A row that carries no line number is reported at line 1 of its file."""
    assert locate(inputs, article, {"text": "omega", "__file__": FILE}) is None
    assert inputs.problems[0].startswith(f"{FILE}:1: text 'omega' not found")


def test_locate_collects_every_problem(inputs: Inputs, article: Article) -> None:
    """Problems accumulate in the Inputs, one per failing row, in order."""
    locate(inputs, article, row(line=1, text="omega"))
    locate(inputs, article, row(line=2, text="Gamma"))
    locate(inputs, article, row(line=3, text="beta"))
    assert [p.split(":")[1] for p in inputs.problems] == ["1", "3"]


def test_locate_finds_every_published_quote_where_the_table_has_it() -> None:
    """On the real article the quotes built with locate carry offsets whose slice is their text."""
    inputs, package = build(ROOT)
    assert package is not None and inputs.problems == []
    text = package.article.decode("utf-8")
    paragraphs = {p["paragraph_id"]: p for p in package.tables["paragraphs"]}
    for quote in package.tables["quotes"]:
        assert text[quote["char_start"] : quote["char_end"]] == quote["text"], quote["quote_id"]
        para = paragraphs[quote["paragraph_id"]]
        assert para["char_start"] <= quote["char_start"] and quote["char_end"] <= para["char_end"]
