"""The marks in the text (article_data._render.marks): one span per row, with classes and a title that explains it."""

from __future__ import annotations

import pytest

import article_data as ad
from article_data._render.content import Content, load_content
from article_data._render.marks import all_spans
from article_data._render.segments import Span


@pytest.fixture(scope="module")
def content() -> Content:
    """The bundled package's content."""
    return load_content(ad.Package(ad.path()))


@pytest.fixture(scope="module")
def spans(content: Content) -> dict[tuple[str, str], Span]:
    """Every span by (kind, row id)."""
    return {(s.kind, s.row_id): s for s in all_spans(content)}


def test_marks_one_span_per_row(content: Content, spans: dict[tuple[str, str], Span]) -> None:
    """Every quote, mention, figure, defect and photo credit has exactly one span over its offsets."""
    for kind, table, column in (
        ("quote", "quotes", "quote_id"),
        ("mention", "mentions", "mention_id"),
        ("figure", "figures", "figure_id"),
        ("defect", "defects", "defect_id"),
    ):
        for row in content.rows(table):
            span = spans[(kind, str(row[column]))]
            assert (span.start, span.end) == (row["char_start"], row["char_end"])
    assert len(spans) == sum(len(content.rows(t)) for t in ("quotes", "mentions", "figures", "defects", "images"))


def test_marks_quote_titles_name_speaker_type_and_cue(spans: dict[tuple[str, str], Span]) -> None:
    """A speech quote's title names the speaker, the quote type in words and the cue; its class carries the colour."""
    span = spans[("quote", "q01")]
    assert span.title == "Yan — direct quotation, cue “tells” (quote q01)"
    assert span.classes == "q spk0 q-speech" and ("data-speaker-id", "yan") in span.attrs


def test_marks_figure_titles_read_the_value(spans: dict[tuple[str, str], Span]) -> None:
    """A figure's title gives its qualifier, value and unit in words; a date's its ISO date and precision."""
    assert spans[("figure", "f02")].title.startswith("Figure f02 (duration): more than 1 months")
    assert spans[("figure", "f01")].title.startswith("Date f01: 2022-04-04 (day)")


def test_marks_mentions_link_to_entity(spans: dict[tuple[str, str], Span]) -> None:
    """A mention is a link to its entity's anchor, classed by mention type and entity kind."""
    span = spans[("mention", "m0055")]
    assert span.tag == "a" and ("href", "#entity-territorial_defense_forces") in span.attrs
    assert span.classes == "m m-name m-organization"
