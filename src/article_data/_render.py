"""The annotated page: the article as one self-contained HTML file.

Every quotation is tinted in its speaker's colour, every mention links to its
entity, figures and dates are boxed and defects carry a red wavy underline; a
side panel lists the speakers with their quotations. The page needs no network:
the CSS and the little JavaScript it uses are inline, and it loads no fonts,
scripts or images.

Spans overlap and nest (an indirect quotation holds a partial one, mentions and
figures lie inside quotations, defects overlap anything), so each paragraph is
cut at every span boundary and rebuilt as a tree of elements; a span that
crosses another's end is split into fragments that share its ``data-*-id``.
Only the first fragment carries the ``id`` anchor (``quote-q01``,
``mention-m0022``, ``figure-f01``, ``defect-d01``).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    import pandas as pd

    from ._package import Package

__all__ = ["PALETTE", "render_html"]

#: Speaker colours: the Okabe-Ito palette (safe for the common colour-vision
#: deficiencies), strongest contrasts first; more speakers than colours reuse them.
PALETTE: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
)

_QUOTE_TYPES = {
    "direct": "direct quotation",
    "partial": "partial quotation",
    "unmarked": "unmarked speech (printed without quotation marks)",
    "indirect": "indirect (reported) speech",
    "name": "name in quotation marks",
    "scare": "scare quotes",
}
_QUALIFIERS = {
    "exact": "",
    "approximate": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
}
#: Paragraph kinds the legend shows (headline and body explain themselves).
_PARAGRAPH_KINDS = {
    "image_caption": "photo caption (grey rule, credit in capitals)",
    "related_link": "“related” teaser (between rules)",
    "byline": "byline (bold, under a heavy rule)",
    "footer": "site boilerplate (grey box)",
}
# Nesting order for spans with the same extent: lower ranks wrap higher ones.
_RANK = {"credit": 0, "quote": 1, "defect": 2, "figure": 3, "mention": 4}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _na(value: object) -> bool:
    """True for None, NaN, pandas.NA and NaT: the missing values a loaded table holds."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as plain dicts with missing values as None."""
    rows: list[dict[Hashable, Any]] = frame.astype(object).to_dict("records")
    return [{str(k): (None if _na(v) else v) for k, v in row.items()} for row in rows]


def _number(value: object) -> str:
    number = float(str(value))
    if math.isfinite(number) and number == int(number):
        return f"{int(number):,}"
    return f"{number:,}"


def _words(code: object) -> str:
    return str(code).replace("_", " ")


# -- spans and the segment tree ----------------------------------------------


@dataclass(frozen=True)
class _Span:
    """One annotation over ``[start, end)`` and how to draw it."""

    kind: str
    row_id: str
    start: int
    end: int
    tag: str
    classes: str
    attrs: tuple[tuple[str, str], ...]
    title: str

    @property
    def rank(self) -> int:
        return _RANK[self.kind]


@dataclass
class _Node:
    """A fragment of a span (or the paragraph root) holding text and child fragments."""

    span: _Span | None
    start: int
    end: int = -1
    children: list[_Node | str] = field(default_factory=list)


def _segment_tree(text: str, start: int, end: int, spans: Sequence[_Span]) -> _Node:
    """Nest the spans over ``text[start:end]``, splitting those that cross another's end.

    Spans opening at the same offset nest longest-outermost. When a span ends
    while spans opened after it are still open, those are closed with it and
    reopened as new fragments.
    """
    clipped = [s for s in spans if max(s.start, start) < min(s.end, end)]
    bounds = sorted({start, end} | {max(s.start, start) for s in clipped} | {min(s.end, end) for s in clipped})
    opening: dict[int, list[_Span]] = {}
    for span in clipped:
        opening.setdefault(max(span.start, start), []).append(span)
    root = _Node(None, start)
    stack: list[_Node] = [root]

    def order(span: _Span) -> tuple[int, int, int, str]:
        return (-min(span.end, end), span.rank, span.start, span.row_id)

    for index, pos in enumerate(bounds):
        ending = [i for i, node in enumerate(stack) if node.span is not None and min(node.span.end, end) <= pos]
        reopen: list[_Span] = []
        if ending:
            low = min(ending)
            for node in stack[low:]:
                node.end = pos
                if node.span is not None and min(node.span.end, end) > pos:
                    reopen.append(node.span)
            del stack[low:]
        for span in sorted(reopen + opening.get(pos, []), key=order):
            node = _Node(span, pos)
            stack[-1].children.append(node)
            stack.append(node)
        if index + 1 < len(bounds):
            stack[-1].children.append(text[pos : bounds[index + 1]])
    root.end = end
    return root


def _emit(node: _Node, context: tuple[str, ...], out: list[str]) -> None:
    """Write a fragment tree as HTML; each element's title adds those of its ancestors."""
    span = node.span
    inner_context = context
    if span is not None:
        first = node.start == span.start
        last = node.end == span.end
        classes = span.classes + (" first" if first else "") + (" last" if last else "")
        tip = span.title
        inner_context = (tip, *context) if tip else context
        attrs = [f'class="{_esc(classes)}"']
        if first and span.kind != "credit":
            attrs.append(f'id="{_esc(span.kind)}-{_esc(span.row_id)}"')
        attrs.extend(f'{name}="{_esc(value)}"' for name, value in span.attrs)
        if inner_context:
            attrs.append(f'title="{_esc(chr(10).join(inner_context))}"')
        out.append(f"<{span.tag} {' '.join(attrs)}>")
    for child in node.children:
        if isinstance(child, str):
            out.append(_esc(child))
        else:
            _emit(child, inner_context, out)
    if span is not None:
        out.append(f"</{span.tag}>")


# -- the page -----------------------------------------------------------------


@dataclass(frozen=True)
class _Speaker:
    key: str  # "person:yan" or "organization:freedom_for_russia"
    row_id: str
    label: str
    kind: str
    description: str
    colour: str
    css: str  # class name carrying the colour


def _tint(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


class _Page:
    """Everything the page needs, loaded once from a package."""

    def __init__(self, pkg: Package) -> None:
        self.descriptor = pkg.descriptor()
        self.version = pkg.version
        self.text = pkg.article_text()
        self.paragraphs = _records(pkg.load("paragraphs"))
        self.quotes = _records(pkg.load("quotes"))
        self.people = _records(pkg.load("people"))
        self.organizations = _records(pkg.load("organizations"))
        self.places = _records(pkg.load("places"))
        self.mentions = _records(pkg.load("mentions"))
        self.figures = _records(pkg.load("figures"))
        self.images = _records(pkg.load("images"))
        self.defects = _records(pkg.load("defects"))
        self.entities: dict[str, dict[str, Any]] = {}
        for table, key, name, kind in (
            ("person", "person_id", "label", None),
            ("organisation", "organization_id", "name", "kind"),
            ("place", "place_id", "name", "kind"),
        ):
            rows = {"person": self.people, "organisation": self.organizations, "place": self.places}[table]
            for row in rows:
                self.entities[f"{table}:{row[key]}"] = {
                    "table": table,
                    "id": str(row[key]),
                    "name": str(row[name]),
                    "kind": _words(row[kind]) if kind else "person",
                    "row": row,
                }
        ids = [e["id"] for e in self.entities.values()]
        unique = len(ids) == len(set(ids))
        # The documented anchor is entity-<id>; ids shared across tables get the table too.
        self.anchors = {
            key: f"entity-{e['id']}" if unique else f"entity-{e['table']}-{e['id']}" for key, e in self.entities.items()
        }
        self.speakers = self._speakers()

    # -- helpers --

    @staticmethod
    def _speaker_key(quote: Mapping[str, Any]) -> str | None:
        if quote.get("speaker_person_id"):
            return f"person:{quote['speaker_person_id']}"
        if quote.get("speaker_organization_id"):
            return f"organisation:{quote['speaker_organization_id']}"
        return None

    @staticmethod
    def _mention_key(mention: Mapping[str, Any]) -> str:
        for column, table in (("person_id", "person"), ("organization_id", "organisation"), ("place_id", "place")):
            if mention.get(column):
                return f"{table}:{mention[column]}"
        return "unknown:"

    def _speakers(self) -> dict[str, _Speaker]:
        speakers: dict[str, _Speaker] = {}
        for quote in sorted(self.quotes, key=lambda q: (int(q["char_start"]), str(q["quote_id"]))):
            key = self._speaker_key(quote)
            if key is None or key in speakers:
                continue
            entity = self.entities.get(key)
            table, _, row_id = key.partition(":")
            label = entity["name"] if entity else row_id
            kind = "person" if table == "person" else f"organisation ({entity['kind']})" if entity else table
            description = str(entity["row"].get("description") or "") if entity else ""
            index = len(speakers)
            speakers[key] = _Speaker(key, row_id, label, kind, description, PALETTE[index % len(PALETTE)], f"spk{index}")
        return speakers

    def _quote_title(self, quote: Mapping[str, Any]) -> str:
        quote_type = str(quote["quote_type"])
        what = _QUOTE_TYPES.get(quote_type, _words(quote_type))
        key = self._speaker_key(quote)
        cue = f", cue “{quote['cue']}”" if quote.get("cue") else ""
        if key is None:
            return f"{what[0].upper()}{what[1:]} (quote {quote['quote_id']})"
        return f"{self.speakers[key].label} — {what}{cue} (quote {quote['quote_id']})"

    # -- spans --

    def spans(self) -> list[_Span]:
        spans: list[_Span] = []
        for quote in self.quotes:
            key = self._speaker_key(quote)
            quote_type = str(quote["quote_type"])
            attrs: list[tuple[str, str]] = [("data-quote-id", str(quote["quote_id"])), ("data-quote-type", quote_type)]
            if key is None:
                classes = "q q-plain"
            else:
                speaker = self.speakers[key]
                classes = f"q {speaker.css} q-{'reported' if quote_type == 'indirect' else 'speech'}"
                attrs.append(("data-speaker-id", speaker.row_id))
            spans.append(_Span("quote", str(quote["quote_id"]), int(quote["char_start"]), int(quote["char_end"]),
                               "span", classes, tuple(attrs), self._quote_title(quote)))
        for mention in self.mentions:
            key = self._mention_key(mention)
            entity = self.entities.get(key)
            name = entity["name"] if entity else key
            mention_type = str(mention["mention_type"])
            table = key.partition(":")[0]
            title = f"{name} — {table}"
            if mention_type != "name":
                title += f" (descriptive mention “{mention['text']}”)"
            attrs = [("data-mention-id", str(mention["mention_id"])), ("data-entity", key)]
            if key in self.anchors:
                attrs.insert(0, ("href", f"#{self.anchors[key]}"))
            spans.append(_Span("mention", str(mention["mention_id"]), int(mention["char_start"]), int(mention["char_end"]),
                               "a", f"m m-{mention_type} m-{table}", tuple(attrs), title))
        for figure in self.figures:
            kind = str(figure["kind"])
            if kind == "date":
                reading = f"{figure['date']}" + (f" ({figure['date_precision']})" if figure.get("date_precision") else "")
                title = f"Date {figure['figure_id']}: {reading} — {figure['subject']}"
                classes = "f f-date"
            else:
                unit = f" {figure['unit']}" if figure.get("unit") else ""
                value = _number(figure["value"]) if figure.get("value") is not None else "?"
                qualifier = _QUALIFIERS.get(str(figure["qualifier"]), _words(figure["qualifier"]) + " ")
                title = f"Figure {figure['figure_id']} ({kind}): {qualifier}{value}{unit} — {figure['subject']}"
                classes = "f f-number"
            spans.append(_Span("figure", str(figure["figure_id"]), int(figure["char_start"]), int(figure["char_end"]),
                               "span", classes, (("data-figure-id", str(figure["figure_id"])), ("data-figure-kind", kind)), title))
        for defect in self.defects:
            correction = f" → “{defect['correction']}”" if defect.get("correction") else " (no correction given)"
            title = f"Defect {defect['defect_id']}: {_words(defect['kind'])}{correction}. {defect['note']}"
            spans.append(_Span("defect", str(defect["defect_id"]), int(defect["char_start"]), int(defect["char_end"]),
                               "span", "d", (("data-defect-id", str(defect["defect_id"])), ("data-defect-kind", str(defect["kind"]))), title))
        for image in self.images:
            photographer = self.entities.get(f"person:{image['photographer_person_id']}")
            agency = self.entities.get(f"organisation:{image['agency_organization_id']}")
            who = ", ".join(e["name"] for e in (photographer, agency) if e)
            spans.append(_Span("credit", str(image["image_id"]), int(image["credit_char_start"]), int(image["credit_char_end"]),
                               "span", "credit", (), f"Photo credit: {who}" if who else ""))
        return spans

    # -- sections --

    def article(self) -> str:
        spans = self.spans()
        by_paragraph: dict[str, list[_Span]] = {}
        owners = {(int(r["char_start"]), int(r["char_end"])): str(r["paragraph_id"]) for r in self.paragraphs}
        bounds = sorted(owners)
        for span in spans:
            for start, end in bounds:
                if span.start < end and span.end > start:
                    by_paragraph.setdefault(owners[(start, end)], []).append(span)
        out: list[str] = []
        previous = ""
        for paragraph in sorted(self.paragraphs, key=lambda r: int(r["position"])):
            pid = str(paragraph["paragraph_id"])
            kind = str(paragraph["kind"])
            start, end = int(paragraph["char_start"]), int(paragraph["char_end"])
            body: list[str] = []
            _emit(_segment_tree(self.text, start, end, by_paragraph.get(pid, [])), (), body)
            inner = "".join(body)
            common = f'id="{_esc(pid)}" data-paragraph-id="{_esc(pid)}" data-kind="{_esc(kind)}"'
            marker = f'<a class="pid" href="#{_esc(pid)}" aria-hidden="true" tabindex="-1">{_esc(pid)}</a>'
            if kind == "footer" and previous != "footer":
                out.append('<div class="site-footer" aria-label="Site boilerplate printed after the byline">'
                           '<p class="eyebrow">Printed after the byline</p>')
            if kind != "footer" and previous == "footer":
                out.append("</div>")
            if kind == "headline":
                out.append(f'<h1 class="para headline" {common}>{marker}{inner}</h1>')
            elif kind == "image_caption":
                out.append(f'<figure class="para caption" {common}>{marker}'
                           f'<div class="eyebrow photo-label">Photo caption · image not included</div>'
                           f"<figcaption>{inner}</figcaption></figure>")
            elif kind == "related_link":
                out.append(f'<p class="para related" {common}>{marker}{inner}</p>')
            elif kind == "byline":
                out.append(f'<p class="para byline" {common}>{marker}{inner}</p>')
            elif kind == "footer":
                out.append(f'<p class="para footer" {common}>{marker}{inner}</p>')
            else:
                out.append(f'<p class="para body" {common}>{marker}{inner}</p>')
            previous = kind
        if previous == "footer":
            out.append("</div>")
        return "\n".join(out)

    def notice(self) -> str:
        description = str(self.descriptor.get("description") or "")
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", description)
        # Lead with what the descriptor says of the copy's provenance; the rest goes in the details.
        lead = " ".join(s for s in sentences if re.search(r"paraphras|copy of", s, re.IGNORECASE)) or description
        sources = [s for s in self.descriptor.get("sources") or [] if isinstance(s, dict)]
        items = "".join(f"<li>{_esc(s.get('title') or s.get('path') or '')}</li>" for s in sources)
        return (
            '<section class="notice" id="provenance" aria-label="Provenance">'
            f'<p class="notice-lead"><strong>Read with care.</strong> {_esc(lead)}</p>'
            '<details class="notice-more"><summary>Sources and the data package</summary>'
            + (f'<ul class="notice-sources">{items}</ul>' if items else "")
            + f"<p>{_esc(description)}</p></details></section>"
        )

    def legend(self) -> str:
        sample_speaker = next(iter(self.speakers.values()), None)
        spk = sample_speaker.css if sample_speaker else ""
        rows = [
            (f'<span class="q {spk} q-speech first last">said</span>', "Speech",
             "direct, partial or unmarked, in the speaker’s colour (see <a href=\"#speakers\">Speakers</a>)"),
            (f'<span class="q {spk} q-reported first last">reported</span>', "Reported speech",
             "indirect speech: lighter tint, same colour"),
            ('<span class="q q-plain first last">“term”</span>', "Not speech", "names and scare quotes, in grey"),
            ('<span class="m m-name first last">Kyiv</span>', "Mention",
             "linked to its entry under <a href=\"#entities\">People, organisations, places</a>"),
            ('<span class="m m-descriptive first last">capital</span>', "Descriptive mention",
             "a phrase that refers to an entity"),
            ('<span class="f f-number first last">52 nations</span>', "Number", "count, age, duration, percent, ordinal"),
            ('<span class="f f-date first last">April 5</span>', "Date", "with its ISO date on hover"),
            ('<span class="d first last">now now</span>', "Defect",
             "of the source text, with its correction (see <a href=\"#defects\">Defects</a>)"),
        ]
        body = "".join(
            f'<li><span class="legend-sample">{sample}</span><span class="legend-text"><strong>{name}</strong>'
            f'<span class="legend-detail"> — {detail}</span></span></li>'
            for sample, name, detail in rows
        )
        return (
            '<section class="legend panel-box" id="legend" aria-labelledby="legend-title">'
            '<h2 id="legend-title">Legend</h2>'
            f'<ul class="legend-list">{body}</ul>'
            '<p class="legend-kinds"><strong>Paragraphs:</strong> '
            + "; ".join(f'<span class="kind-{_esc(k)}">{_esc(v)}</span>' for k, v in _PARAGRAPH_KINDS.items())
            + ".</p>"
            '<p class="hint">Hover over (or tap) any marked passage for its speaker, entity, value or correction.'
            '<span class="pid-hint"> The grey paragraph ids (p01…) are those of the tables.</span></p>'
            "</section>"
        )

    def speaker_panel(self) -> str:
        by_speaker: dict[str, list[dict[str, Any]]] = {key: [] for key in self.speakers}
        plain: list[dict[str, Any]] = []
        for quote in sorted(self.quotes, key=lambda q: int(q["char_start"])):
            key = self._speaker_key(quote)
            (by_speaker[key] if key else plain).append(quote)

        def item(quote: Mapping[str, Any]) -> str:
            quote_type = str(quote["quote_type"])
            return (
                f'<li><a class="qref" href="#quote-{_esc(quote["quote_id"])}" data-quote-ref="{_esc(quote["quote_id"])}">'
                f'<span class="qtype">{_esc(quote_type)}</span> <span class="qtext">{_esc(quote["text"])}</span></a></li>'
            )

        out = ['<section class="speakers panel-box" id="speakers" aria-labelledby="speakers-title">',
               '<h2 id="speakers-title">Speakers</h2>',
               '<p class="hint">Each speaker’s quotations in text order; select one to jump to it.</p>']
        for key, speaker in self.speakers.items():
            quotes = by_speaker[key]
            anchor = self.anchors.get(key)
            name = f'<a href="#{_esc(anchor)}">{_esc(speaker.label)}</a>' if anchor else _esc(speaker.label)
            out.append(
                f'<section class="speaker {speaker.css}" id="speaker-{_esc(speaker.row_id)}" data-speaker-id="{_esc(speaker.row_id)}">'
                f'<h3><span class="swatch" aria-hidden="true"></span><span class="speaker-name">{name}</span>'
                f'<span class="count">{len(quotes)}</span></h3>'
                f'<p class="speaker-kind">{_esc(speaker.kind)}</p>'
                f'<ol class="quote-list">{"".join(item(q) for q in quotes)}</ol></section>'
            )
        if plain:
            out.append(
                '<section class="speaker not-speech" id="not-speech"><h3><span class="swatch" aria-hidden="true"></span>'
                f'<span class="speaker-name">Not speech</span><span class="count">{len(plain)}</span></h3>'
                '<p class="speaker-kind">names and scare quotes</p>'
                f'<ol class="quote-list">{"".join(item(q) for q in plain)}</ol></section>'
            )
        out.append("</section>")
        return "".join(out)

    def entity_list(self) -> str:
        mentions: dict[str, list[dict[str, Any]]] = {}
        for mention in sorted(self.mentions, key=lambda m: int(m["char_start"])):
            mentions.setdefault(self._mention_key(mention), []).append(mention)
        groups = (("person", "People"), ("organisation", "Organisations"), ("place", "Places"))
        out = ['<section class="entities" id="entities" aria-labelledby="entities-title">',
               '<h2 id="entities-title">People, organisations, places</h2>',
               '<p class="section-intro">Every entity the text names or describes. The numbers link back to each mention.</p>']
        for table, heading in groups:
            entries = [(k, e) for k, e in self.entities.items() if e["table"] == table]
            if not entries:
                continue
            out.append(f'<h3>{heading} <span class="count">{len(entries)}</span></h3><ul class="entity-list">')
            for key, entity in entries:
                row = entity["row"]
                facts: list[str] = []
                if table == "person":
                    if row.get("age") is not None:
                        facts.append(f"age {int(row['age'])}")
                    if row.get("is_pseudonym"):
                        facts.append("pseudonym")
                else:
                    facts.append(entity["kind"])
                if row.get("aliases"):
                    facts.append("printed as " + " / ".join(f"“{a.strip()}”" for a in str(row["aliases"]).split("|")))
                if row.get("wikidata_id"):
                    facts.append(f"Wikidata {row['wikidata_id']}")
                description = row.get("description")
                found = mentions.get(key, [])
                backlinks = " ".join(
                    f'<a href="#mention-{_esc(m["mention_id"])}" title="{_esc(m["text"])} ({_esc(m["paragraph_id"])})">{i}</a>'
                    for i, m in enumerate(found, 1)
                )
                speaker = self.speakers.get(key)
                swatch = f'<span class="swatch {speaker.css}" title="Speaker colour"></span>' if speaker else ""
                out.append(
                    f'<li class="entity" id="{_esc(self.anchors[key])}" data-entity="{_esc(key)}">'
                    f'<p class="entity-name">{swatch}<strong>{_esc(entity["name"])}</strong>'
                    f'<span class="entity-facts">{_esc(" · ".join(facts))}</span></p>'
                    + (f'<p class="entity-description">{_esc(description)}</p>' if description else "")
                    + (f'<p class="backlinks">{len(found)} mention{"s" if len(found) != 1 else ""}: {backlinks}</p>'
                       if found else '<p class="backlinks">not mentioned by name</p>')
                    + "</li>"
                )
            out.append("</ul>")
        out.append("</section>")
        return "".join(out)

    def defect_list(self) -> str:
        out = ['<section class="defect-section" id="defects" aria-labelledby="defects-title">',
               f'<h2 id="defects-title">Defects of the source text <span class="count">{len(self.defects)}</span></h2>',
               '<p class="section-intro">Recorded, not fixed: the text above is printed exactly as received.</p>',
               '<ol class="defect-list">']
        for defect in sorted(self.defects, key=lambda d: (int(d["char_start"]), str(d["defect_id"]))):
            if defect.get("correction"):
                reading = (f'<del>{_esc(defect["text"])}</del><span class="arrow" aria-hidden="true">→</span>'
                           f'<ins>{_esc(defect["correction"])}</ins>')
            else:
                reading = f'<span class="as-printed">{_esc(defect["text"])}</span><span class="no-fix">no correction</span>'

            out.append(
                f'<li><p class="defect-head"><a href="#defect-{_esc(defect["defect_id"])}">{_esc(defect["defect_id"])}</a> '
                f'<span class="defect-kind">{_esc(_words(defect["kind"]))}</span></p>'
                f'<p class="defect-fix">{reading}</p>'
                f'<p class="defect-note">{_esc(defect["note"])}</p></li>'
            )
        out.append("</ol></section>")
        return "".join(out)

    def colours(self) -> str:
        rules = []
        for speaker in self.speakers.values():
            alpha = round(0.26 + 0.2 * _luminance(speaker.colour), 2)  # pale colours need a denser tint
            rules.append(
                f".{speaker.css}{{--c:{speaker.colour};--tint:{_tint(speaker.colour, alpha)};"
                f"--tint-light:{_tint(speaker.colour, alpha / 2)}}}"
            )
        return "\n".join(rules)

    def footer(self) -> str:
        article = next((r for r in self.descriptor.get("resources") or [] if isinstance(r, dict) and r.get("name") == "article"), {})
        rights = " ".join(str(lic.get("title") or "") for lic in article.get("licenses") or [] if isinstance(lic, dict))
        title = self.descriptor.get("title") or self.descriptor.get("name") or ""
        counts = (f"{len(self.quotes)} quotations, {len(self.mentions)} mentions, {len(self.figures)} figures, "
                  f"{len(self.defects)} defects")
        return (
            '<footer class="page-footer">'
            f"<p>Rendered by article-data {_esc(__version__)} from the data package “{_esc(title)}”, "
            f"version {_esc(self.version)}: {_esc(counts)}, every mark placed from the tables’ character offsets.</p>"
            + (f"<p>{_esc(rights)}</p>" if rights else "")
            + "</footer>"
        )

    def page(self) -> str:
        title = str(self.descriptor.get("title") or "Annotated article")
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light">\n'
            f'<meta name="generator" content="article-data {_esc(self.version)}">\n'
            f"<title>{_esc(title)}</title>\n"
            f"<style>\n{_CSS}\n{self.colours()}\n</style>\n</head>\n<body>\n"
            '<a class="skip" href="#text">Skip to the article</a>\n'
            '<div class="page">\n'
            f'<header class="top">{self.notice()}</header>\n'
            f'<aside class="side-legend">{self.legend()}</aside>\n'
            f'<main class="main"><article id="text" class="text">\n{self.article()}\n</article></main>\n'
            f'<aside class="side-speakers" aria-label="Speakers and their quotations">{self.speaker_panel()}</aside>\n'
            f'<div class="below">{self.entity_list()}\n{self.defect_list()}</div>\n'
            f"{self.footer()}\n"
            "</div>\n"
            '<div id="tip" class="tip" role="status" aria-live="polite" hidden></div>\n'
            f"<script>\n{_JS}\n</script>\n</body>\n</html>\n"
        )


def render_html(pkg: Package) -> str:
    """Render the article as one self-contained, annotated HTML page.

    Every quotation is tinted in its speaker's colour (Okabe-Ito palette; names
    and scare quotes in neutral grey) with the speaker and quotation type in its
    ``title``; every mention is underlined and links to its entry in the list of
    people, organisations and places; figures and dates are boxed; defects get
    a red wavy underline with their kind and correction. A legend and a panel of
    speakers with their quotations sit beside the text, and below it at phone
    width. The page loads nothing from the network.

    Parameters
    ----------
    pkg
        The data package to render; its tables and text are loaded (and their
        hashes verified) with :meth:`Package.load` and :meth:`Package.article_text`.

    Returns
    -------
    str
        A complete HTML5 document. Each annotated element carries the row's id
        as ``data-quote-id``, ``data-mention-id``, ``data-figure-id`` or
        ``data-defect-id``; a row cut into several fragments by overlapping
        spans repeats its id on each fragment, and only the first fragment has
        the anchor ``id`` (``quote-q01``, ``mention-m0022``, ...).

    Examples
    --------
    >>> import article_data as ad
    >>> from article_data._render import render_html
    >>> page = render_html(ad.Package(ad.path()))
    >>> page.startswith("<!DOCTYPE html>") and "<html" in page
    True
    >>> 'data-quote-id="q01"' in page and 'href="#entity-yan"' in page
    True
    """
    return _Page(pkg).page()


_CSS = """
:root {
  --ink: #1c1e21; --ink-soft: #3d434b; --muted: #626a75; --rule: #dfe2e6;
  --paper: #ffffff; --panel: #f5f6f8; --accent: #0b5394; --red: #c0162b;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans", sans-serif;
  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "Liberation Serif", "Noto Serif", serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-size: 112.5%; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font-family: var(--sans); line-height: 1.6; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }

/* layout: text left, legend and speakers right; one column at phone width */
.page {
  max-width: 1240px; margin: 0 auto; padding: 24px 32px 48px;
  display: grid; column-gap: 56px;
  grid-template-columns: minmax(0, 1fr) 340px;
  grid-template-rows: auto auto 1fr auto auto;
  grid-template-areas: "top legend" "main legend" "main speakers" "below below" "foot foot";
  align-items: start;
}
.top { grid-area: top; max-width: 40em; }
.main { grid-area: main; min-width: 0; }
.side-legend { grid-area: legend; }
.side-speakers { grid-area: speakers; }
.below { grid-area: below; min-width: 0; }
.page-footer { grid-area: foot; }
@media (max-width: 900px) {
  html { font-size: 106.25%; }
  .page {
    padding: 16px 18px 40px;
    grid-template-columns: minmax(0, 1fr);
    grid-template-rows: none;
    grid-template-areas: "top" "legend" "main" "speakers" "below" "foot";
  }
  .side-legend { margin-top: 4px; }
}

/* provenance notice */
.notice {
  border: 1px solid #ecd08a; border-left: 5px solid #d89b00; background: #fff8e6;
  border-radius: 6px; padding: 10px 16px; font-size: 0.8rem; line-height: 1.5; color: #3f3318;
}
.notice p { margin: 0 0 6px; }
.notice-lead { margin: 0 !important; }
.notice-more summary { cursor: pointer; color: #7a5a00; font-weight: 600; font-size: 0.74rem; margin-top: 6px; }
.notice-more[open] summary { margin-bottom: 6px; }
.notice-sources { margin: 0 0 6px; padding-left: 1.2em; }

/* the article */
.text { max-width: 38em; margin-top: 8px; }
.para { position: relative; }
.pid {
  position: absolute; left: -3.4em; top: 0.35em; width: 2.8em; text-align: right;
  font: 500 0.62rem/1.6 var(--mono); color: #a2a8b0; text-decoration: none;
}
.headline .pid { top: 1.1em; }
@media (max-width: 1120px) { .pid, .pid-hint { display: none; } }
.headline {
  font-family: var(--serif); font-size: 2.35rem; line-height: 1.15; font-weight: 700;
  letter-spacing: -0.01em; margin: 28px 0 20px; color: #111;
}
.body { font-family: var(--serif); font-size: 1rem; line-height: 1.75; margin: 0 0 1.05em; }
.caption { margin: 20px 0 26px; padding: 2px 0 2px 14px; border-left: 3px solid var(--rule); }
.caption figcaption { font-size: 0.8rem; line-height: 1.55; color: var(--ink-soft); }
.eyebrow { font: 600 0.66rem/1.4 var(--sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); margin: 0 0 4px; }
.credit { font-size: 0.72rem; letter-spacing: 0.02em; text-transform: uppercase; color: var(--muted); }
.related {
  font-size: 0.85rem; font-weight: 600; margin: 26px 0; padding: 10px 14px;
  border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); color: var(--ink-soft);
}
.byline { font-size: 0.88rem; font-weight: 600; margin: 34px 0 18px; padding-top: 16px; border-top: 2px solid var(--ink); }
.site-footer { margin: 0 0 8px; padding: 12px 14px; background: var(--panel); border-radius: 6px; color: var(--muted); }
.footer { font-size: 0.78rem; line-height: 1.5; margin: 0 0 4px; }

/* quotations: tint of the speaker's colour; reported speech lighter with a dashed rule */
.q { border-radius: 2px; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.q-speech { background: var(--tint); box-shadow: inset 0 -2px 0 var(--c); }
.q-reported { background: var(--tint-light); border-bottom: 2px dashed var(--c); }
.q-plain { background: #e9ebee; box-shadow: inset 0 -2px 0 #9aa1aa; }
.q.hot { outline: 2px solid var(--c, #6b7280); outline-offset: 1px; }
.q.flash { animation: flash 1.6s ease-out 1; }
@keyframes flash { 0%, 40% { outline: 3px solid var(--c, #6b7280); outline-offset: 2px; } 100% { outline: 3px solid transparent; } }

/* mentions: underlined links to the entity list */
.m { color: inherit; text-decoration-line: underline; text-decoration-thickness: 1.5px; text-underline-offset: 0.16em;
     text-decoration-color: #1f4e8c; text-decoration-skip-ink: auto; }
.m-descriptive { text-decoration-style: dotted; text-decoration-thickness: 2px; }
.m:hover, .m:focus-visible { color: var(--accent); text-decoration-thickness: 2.5px; }

/* figures and dates: boxed */
.f { border: 1.5px dotted #4b5563; border-radius: 4px; padding: 0 2px; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.f-date { border-style: dashed; border-color: #6d3fa8; }
.f:not(.first) { border-left: 0; border-top-left-radius: 0; border-bottom-left-radius: 0; padding-left: 0; }
.f:not(.last) { border-right: 0; border-top-right-radius: 0; border-bottom-right-radius: 0; padding-right: 0; }

/* defects: red wavy underline, drawn below the mention underline */
.d { text-decoration-line: underline; text-decoration-style: wavy; text-decoration-color: var(--red);
     text-decoration-thickness: 1.5px; text-underline-offset: 0.36em; text-decoration-skip-ink: none; }
.d.last::after {
  content: "!"; display: inline-block; margin-left: 2px; width: 1.05em; height: 1.05em; border-radius: 50%;
  background: var(--red); color: #fff; font: 700 0.62rem/1.05rem var(--sans); text-align: center; vertical-align: 0.35em;
}

/* panels */
.panel-box h2, .main h2 { font-size: 1.05rem; margin: 0 0 10px; letter-spacing: 0.01em; }
.panel-box { background: var(--panel); border-radius: 10px; padding: 16px 18px; margin-bottom: 20px; }
.hint { font-size: 0.74rem; color: var(--muted); margin: 10px 0 0; line-height: 1.45; }
.speakers .hint { margin: -4px 0 12px; }
.legend-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 9px; }
.legend-list li { display: grid; grid-template-columns: 6.6em 1fr; gap: 10px; align-items: baseline; font-size: 0.76rem; line-height: 1.4; }
.legend-sample { font-family: var(--serif); font-size: 0.92rem; line-height: 1.6; white-space: nowrap; }
.legend-text { color: var(--ink-soft); }
.legend-text strong { color: var(--ink); font-weight: 600; }
.legend-kinds { font-size: 0.74rem; color: var(--ink-soft); margin: 12px 0 0; padding-top: 10px; border-top: 1px solid var(--rule); line-height: 1.45; }
.legend-kinds strong { color: var(--ink); font-weight: 600; }
@media (max-width: 900px) {
  .legend { padding: 12px 14px; }
  .legend h2 { font-size: 0.95rem; margin-bottom: 8px; }
  .legend-list { grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 6px 12px; }
  .legend-list li { grid-template-columns: auto 1fr; gap: 8px; }
  .legend-detail { display: none; }
  .legend .hint { margin-top: 8px; }
}

.speaker { border-top: 1px solid var(--rule); padding: 12px 0 6px; }
.speaker h3 { display: flex; align-items: center; gap: 8px; font-size: 0.92rem; margin: 0; line-height: 1.3; }
.speaker h3 a { color: var(--ink); text-decoration: none; }
.speaker h3 a:hover { text-decoration: underline; }
.swatch { display: inline-block; flex: none; width: 14px; height: 14px; border-radius: 50%; background: var(--c); vertical-align: -2px; margin-right: 6px; }
.speaker h3 .swatch { margin-right: 0; }
.not-speech .swatch { background: #9aa1aa; }
.speaker-name { flex: 1; }
.count { font: 600 0.68rem/1 var(--sans); color: var(--muted); background: #e6e8eb; border-radius: 999px; padding: 3px 7px; }
.speaker-kind { margin: 2px 0 6px 22px; font-size: 0.72rem; color: var(--muted); }
.quote-list { list-style: none; margin: 0 0 6px; padding: 0 0 0 22px; }
.quote-list li { margin: 0 0 6px; }
.qref {
  display: block; text-decoration: none; color: var(--ink-soft); font-size: 0.78rem; line-height: 1.45;
  border-left: 3px solid var(--c, #9aa1aa); padding: 2px 0 2px 8px; border-radius: 2px;
}
.qref:hover, .qref:focus-visible, .qref.hot { background: var(--tint-light, #eceef1); color: var(--ink); }
.qtext { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; font-family: var(--serif); }
.qtype { font: 600 0.6rem/1 var(--sans); text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }

/* entities and defects below the text */
.entities, .defect-section { margin-top: 48px; padding-top: 18px; border-top: 2px solid var(--ink); }
.entity-list { columns: 3 17em; column-gap: 40px; }
.defect-list { columns: 2 22em; column-gap: 40px; }
.entity, .defect-list li { break-inside: avoid; }
.below h2 { font-size: 1.3rem; margin: 0 0 8px; }
.section-intro { font-size: 0.8rem; color: var(--muted); margin: -4px 0 14px; }
.entities h3 { font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.07em; color: var(--ink-soft); margin: 20px 0 8px; }
.entity-list { list-style: none; margin: 0; padding: 0; }
.entity { padding: 8px 10px; margin: 0 -10px; border-radius: 6px; font-size: 0.82rem; line-height: 1.45; }
.entity:target { background: #fff3c4; box-shadow: 0 0 0 2px #e6b800; }
.entity p { margin: 0; }
.entity-name strong { font-size: 0.9rem; }
.entity-facts { color: var(--muted); margin-left: 8px; font-size: 0.76rem; }
.entity-description { color: var(--ink-soft); }
.backlinks { font-size: 0.72rem; color: var(--muted); }
.backlinks a { display: inline-block; min-width: 1.9em; text-align: center; padding: 1px 3px; margin: 2px 1px 0 0;
  border: 1px solid var(--rule); border-radius: 4px; text-decoration: none; font-variant-numeric: tabular-nums; }
.backlinks a:hover { background: var(--panel); }
.defect-list { list-style: none; margin: 0; padding: 0; }
.defect-list li { padding: 10px 0; border-bottom: 1px solid var(--rule); font-size: 0.82rem; line-height: 1.45; }
.defect-list p { margin: 0 0 3px; }
.defect-head a { font: 600 0.72rem/1 var(--mono); text-decoration: none; }
.defect-kind { font-weight: 600; color: var(--red); }
.defect-fix { font-family: var(--serif); font-size: 0.9rem; }
.defect-fix del { text-decoration-color: var(--red); color: var(--ink-soft); }
.defect-fix ins { text-decoration: none; background: #e3f4ea; border-radius: 3px; padding: 0 3px; }
.as-printed { text-decoration: underline wavy var(--red) 1px; text-underline-offset: 0.3em; }
.no-fix { margin-left: 8px; font: 0.7rem var(--sans); color: var(--muted); }
.arrow { margin: 0 6px; color: var(--muted); }
.defect-note { color: var(--muted); font-size: 0.78rem; }
:target.q, :target.m, :target.f, :target.d { scroll-margin-top: 30vh; }

.page-footer { margin-top: 40px; padding-top: 14px; border-top: 1px solid var(--rule); font-size: 0.72rem; color: var(--muted); line-height: 1.5; }
.page-footer p { margin: 0 0 6px; max-width: 60em; }
.page-footer code { font-family: var(--mono); font-size: 0.95em; }

/* tap/click details */
.tip {
  position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%); width: min(34em, calc(100vw - 24px));
  background: #1f2328; color: #f4f5f7; border-radius: 10px; padding: 10px 14px; font-size: 0.78rem; line-height: 1.45;
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); z-index: 20; white-space: pre-line;
}
.tip[hidden] { display: none; }
@media print { .tip, .skip { display: none; } .page { display: block; } }
""".strip()

_JS = """
(function () {
  "use strict";
  var esc = window.CSS && CSS.escape ? CSS.escape : function (s) { return s; };
  function quoteParts(id) {
    return document.querySelectorAll('[data-quote-id="' + esc(id) + '"], [data-quote-ref="' + esc(id) + '"]');
  }
  var hot = null;
  function heat(id) {
    if (hot === id) return;
    if (hot) quoteParts(hot).forEach(function (el) { el.classList.remove("hot"); });
    hot = id;
    if (id) quoteParts(id).forEach(function (el) { el.classList.add("hot"); });
  }
  document.addEventListener("mouseover", function (event) {
    var el = event.target.closest && event.target.closest("[data-quote-id], [data-quote-ref]");
    heat(el ? (el.getAttribute("data-quote-id") || el.getAttribute("data-quote-ref")) : null);
  });
  function flash() {
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var id = target && target.getAttribute("data-quote-id");
    if (!id) return;
    document.querySelectorAll('[data-quote-id="' + esc(id) + '"]').forEach(function (el) {
      el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash");
    });
  }
  window.addEventListener("hashchange", flash);
  var tip = document.getElementById("tip");
  var text = document.getElementById("text");
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[title]");
    if (!tip || !text || !el || !text.contains(el) || el.tagName === "A") { if (tip) tip.hidden = true; return; }
    tip.textContent = el.getAttribute("title");
    tip.hidden = false;
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && tip) tip.hidden = true; });
})();
""".strip()
