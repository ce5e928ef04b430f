"""The marks in the text: one :class:`~.segments.Span` per quotation, mention, figure, defect and photo credit.

Each span carries its CSS classes, its ``data-*`` attributes and its title: the
words a reader sees on hover, on tap or on keyboard focus.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._vocabulary import LABELS, quoted
from .content import Content, entity_kind, mention_key, number, speaker_key, words
from .segments import Span

__all__ = ["all_spans", "quote_title"]

_QUOTE_TYPES = LABELS["quotes.quote_type"]
_QUALIFIERS = LABELS["figures.qualifier"]


def quote_title(content: Content, quote: Mapping[str, Any]) -> str:
    """``"<speaker> — <quote type>, cue "<cue>" (quote <id>)"`` (in the article's marks), or the type alone."""
    quote_type = str(quote["quote_type"])
    what = _QUOTE_TYPES.get(quote_type, words(quote_type))
    key = speaker_key(quote)
    cue = f", cue {quoted(quote['cue'])}" if quote.get("cue") else ""
    if key is None:
        return f"{what[0].upper()}{what[1:]} (quote {quote['quote_id']})"
    return f"{content.speakers[key].label} — {what}{cue} (quote {quote['quote_id']})"


def _quote(content: Content, quote: Mapping[str, Any]) -> Span:
    key = speaker_key(quote)
    quote_type = str(quote["quote_type"])
    attrs: list[tuple[str, str]] = [("data-quote-id", str(quote["quote_id"])), ("data-quote-type", quote_type)]
    if key is None:
        classes = "q q-plain"
    else:
        speaker = content.speakers[key]
        classes = f"q {speaker.css} q-{'reported' if quote_type == 'indirect' else 'speech'}"
        attrs.append(("data-speaker-id", speaker.row_id))
    return Span(
        "quote",
        str(quote["quote_id"]),
        int(quote["char_start"]),
        int(quote["char_end"]),
        "span",
        classes,
        tuple(attrs),
        quote_title(content, quote),
    )


def _mention(content: Content, mention: Mapping[str, Any]) -> Span:
    key = mention_key(mention)
    entity = content.entities.get(key)
    mention_type = str(mention["mention_type"])
    kind = key.partition(":")[0]
    title = f"{entity.name if entity else key} — {kind}"
    if mention_type != "name":
        title += f" (descriptive mention {quoted(mention['text'])})"
    attrs = [("data-mention-id", str(mention["mention_id"])), ("data-entity", key)]
    if key in content.anchors:
        attrs.insert(0, ("href", f"#{content.anchors[key]}"))
    return Span(
        "mention",
        str(mention["mention_id"]),
        int(mention["char_start"]),
        int(mention["char_end"]),
        "a",
        f"m m-{mention_type} m-{kind}",
        tuple(attrs),
        title,
    )


def _figure(figure: Mapping[str, Any]) -> Span:
    kind = str(figure["kind"])
    if kind == "date":
        reading = f"{figure['date']}" + (f" ({figure['date_precision']})" if figure.get("date_precision") else "")
        title = f"Date {figure['figure_id']}: {reading} — {figure['subject']}"
        classes = "f f-date"
    else:
        unit = f" {figure['unit']}" if figure.get("unit") else ""
        value = number(figure["value"]) if figure.get("value") is not None else "?"
        qualifier = _QUALIFIERS.get(str(figure["qualifier"]), words(figure["qualifier"]) + " ")
        title = f"Figure {figure['figure_id']} ({kind}): {qualifier}{value}{unit} — {figure['subject']}"
        classes = "f f-number"
    attrs = (("data-figure-id", str(figure["figure_id"])), ("data-figure-kind", kind))
    return Span(
        "figure",
        str(figure["figure_id"]),
        int(figure["char_start"]),
        int(figure["char_end"]),
        "span",
        classes,
        attrs,
        title,
    )


def _defect(defect: Mapping[str, Any]) -> Span:
    correction = f" → {quoted(defect['correction'])}" if defect.get("correction") else " (no correction given)"
    title = f"Defect {defect['defect_id']}: {words(defect['kind'])}{correction}. {defect['note']}"
    attrs = (("data-defect-id", str(defect["defect_id"])), ("data-defect-kind", str(defect["kind"])))
    return Span(
        "defect",
        str(defect["defect_id"]),
        int(defect["char_start"]),
        int(defect["char_end"]),
        "span",
        "d",
        attrs,
        title,
    )


def _credit(content: Content, image: Mapping[str, Any]) -> Span:
    photographer = content.entities.get(f"{entity_kind('people')}:{image['photographer_person_id']}")
    agency = content.entities.get(f"{entity_kind('organizations')}:{image['agency_organization_id']}")
    who = ", ".join(e.name for e in (photographer, agency) if e)
    return Span(
        "credit",
        str(image["image_id"]),
        int(image["credit_char_start"]),
        int(image["credit_char_end"]),
        "span",
        "credit",
        (),
        f"Photo credit: {who}" if who else "",
    )


def all_spans(content: Content) -> list[Span]:
    """Every mark of the article: quotations, mentions, figures, defects, then photo credits."""
    return [
        *(_quote(content, row) for row in content.rows("quotes")),
        *(_mention(content, row) for row in content.rows("mentions")),
        *(_figure(row) for row in content.rows("figures")),
        *(_defect(row) for row in content.rows("defects")),
        *(_credit(content, row) for row in content.rows("images")),
    ]
