"""One builder per annotated table; each row's offsets come from locating its text."""

from __future__ import annotations

import re
from typing import Any

from article_data._vocabulary import (
    CLOSING_MARK,
    MARKED_TYPES,
    SPEECH_TYPES,
    UNMARKED_TYPES,
    date_precision,
)

from .entities import reference_key
from .inputs import Inputs, Row, check_enum, check_ids, check_ref, enum, where
from .text import Article, Span, locate

__all__ = ["build_defects", "build_figures", "build_images", "build_paragraphs", "build_quotes", "span_row"]

#: Keys every span entry may have: its id, the exact text, and how to choose among repeats.
SPAN_KEYS = {"id", "text", "paragraph", "occurrence"}


def span_row(text: str, span: Span, prefix: str = "") -> Row:
    """The columns a span gives a row: paragraph, offsets and the exact text (``prefix`` for images)."""
    start, end, pid = span
    if prefix:
        return {prefix: text[start:end], f"{prefix}_char_start": start, f"{prefix}_char_end": end}
    return {"paragraph_id": pid, "char_start": start, "char_end": end, "text": text[start:end]}


def _spans(
    inputs: Inputs,
    article: Article,
    name: str,
    keys: set[str],
    required: set[str],
    schemas: dict[str, Any],
    table: str,
    enums: tuple[str, ...],
) -> list[tuple[Row, Span]]:
    """The entries of annotations/<name> with ids, enums checked and their text located."""
    rows = inputs.rows(name, SPAN_KEYS | keys, {"id", "text"} | required)
    check_ids(inputs, rows)
    located = []
    for row in rows:
        for column in enums:
            check_enum(inputs, row, column, enum(schemas, table, column))
        span = locate(inputs, article, row)
        if span is not None:
            located.append((row, span))
    return located


def build_paragraphs(inputs: Inputs, text: str, schemas: dict[str, Any]) -> list[Row]:
    """One row per non-empty line; annotations/paragraphs.yaml gives each line's kind."""
    entries = inputs.rows("paragraphs.yaml", {"kind", "starts"}, {"kind", "starts"})
    lines = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line:
            lines.append((number, offset, line))
        offset += len(line) + 1
    if entries and len(entries) != len(lines):
        inputs.problem(
            "annotations/paragraphs.yaml",
            None,
            f"expected one entry per non-empty line: the text has {len(lines)}, the file lists {len(entries)}",
        )
    kinds = enum(schemas, "paragraphs", "kind")
    rows = []
    for position, ((number, start, line), entry) in enumerate(zip(lines, entries), start=1):
        check_enum(inputs, entry, "kind", kinds)
        if not line.startswith(str(entry.get("starts"))):
            inputs.problem(
                *where(entry),
                f"entry {position} should describe line {number}, which starts {line[:40]!r}, "
                f"not {entry.get('starts')!r}",
            )
        rows.append(
            {
                "paragraph_id": f"p{position:02d}",
                "position": position,
                "line_number": number,
                "kind": entry.get("kind"),
                "char_start": start,
                "char_end": start + len(line),
                "text": line,
            }
        )
    return rows


def build_quotes(inputs: Inputs, article: Article, schemas: dict[str, Any], known: dict[str, set[str]]) -> list[Row]:
    """Quotations: speech flags, closing marks and whether the paraphrase altered the cue computed; speakers checked."""
    speakers = {f"speaker_{reference_key(t)}": t for t in ("people", "organizations")}
    quotes = []
    for row, span in _spans(
        inputs,
        article,
        "quotes.yaml",
        {"quote_type", "cue", "original_cue", *speakers},
        {"quote_type"},
        schemas,
        "quotes",
        ("quote_type",),
    ):
        refs = {key: check_ref(inputs, row, key, known[table], table) for key, table in speakers.items()}
        cue = row.get("cue")
        para = article.paragraph(span[2])
        if (
            cue is not None
            and para is not None
            and not re.search(r"(?<!\w)" + re.escape(str(cue)) + r"(?!\w)", para["text"])
        ):
            inputs.problem(*where(row), f"cue {cue!r} does not occur in paragraph {span[2]}")
        original = row.get("original_cue")
        if original is not None and cue is None:
            inputs.problem(*where(row), "original_cue is TIME's verb for the printed cue; this quotation has no cue")
        qtype = row.get("quote_type")
        # No opening mark, no closing mark to lack: null (since 2.0.0; 1.x wrote false).
        closed = None if qtype in UNMARKED_TYPES else article.text[span[1] : span[1] + 1] == CLOSING_MARK
        quotes.append(
            {
                "quote_id": row["id"],
                **span_row(article.text, span),
                "quote_type": qtype,
                "is_speech": qtype in SPEECH_TYPES,
                "has_closing_mark": closed,
                **{f"{key}_id": value for key, value in refs.items()},
                "cue": cue,
                "lacks_closing_mark": qtype in MARKED_TYPES and closed is False,
                "cue_altered": None if original is None or cue is None else cue != original,
            }
        )
    return quotes


def build_figures(inputs: Inputs, article: Article, schemas: dict[str, Any]) -> list[Row]:
    """Numbers and dates: the value or date as annotated, the date's precision computed."""
    figures = []
    for row, span in _spans(
        inputs,
        article,
        "figures.yaml",
        {"kind", "value", "unit", "qualifier", "date", "subject"},
        {"kind", "qualifier", "subject"},
        schemas,
        "figures",
        ("kind", "qualifier"),
    ):
        date = row.get("date")
        if date is not None and not isinstance(date, str):
            inputs.problem(*where(row), f"date must be a quoted ISO 8601 string, found {date!r}")
            date = str(date)
        figures.append(
            {
                "figure_id": row["id"],
                **span_row(article.text, span),
                "kind": row.get("kind"),
                "value": row.get("value"),
                "unit": row.get("unit"),
                "qualifier": row.get("qualifier"),
                "date": date,
                "date_precision": date_precision(date),
                "subject": row.get("subject"),
            }
        )
    return figures


def build_images(inputs: Inputs, article: Article, known: dict[str, set[str]]) -> list[Row]:
    """Photos: caption and credit located, photographer, agency and place checked."""
    refs = {"photographer_person": "people", "agency_organization": "organizations", "place": "places"}
    keys = {"id", "paragraph", "caption", "credit", "date_taken", *refs}
    rows = inputs.rows("images.yaml", keys, keys)
    check_ids(inputs, rows)
    images = []
    for row in rows:
        caption = locate(inputs, article, row, "caption")
        credit = locate(inputs, article, row, "credit")
        linked = {f"{key}_id": check_ref(inputs, row, key, known[table], table) for key, table in refs.items()}
        if caption is None or credit is None:
            continue
        images.append(
            {
                "image_id": row["id"],
                "paragraph_id": caption[2],
                **span_row(article.text, caption, "caption"),
                **span_row(article.text, credit, "credit"),
                "photographer_person_id": linked["photographer_person_id"],
                "agency_organization_id": linked["agency_organization_id"],
                "date_taken": str(row.get("date_taken")),
                "place_id": linked["place_id"],
            }
        )
    return images


def build_defects(inputs: Inputs, article: Article, schemas: dict[str, Any]) -> list[Row]:
    """Defects of the source text, with their kind, correction and note."""
    return [
        {
            "defect_id": row["id"],
            **span_row(article.text, span),
            "kind": row.get("kind"),
            "correction": row.get("correction"),
            "note": row.get("note"),
        }
        for row, span in _spans(
            inputs,
            article,
            "defects.yaml",
            {"kind", "correction", "note"},
            {"kind", "note"},
            schemas,
            "defects",
            ("kind",),
        )
    ]
