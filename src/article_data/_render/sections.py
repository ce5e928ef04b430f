"""The sections of the page, each a function of the :class:`~.content.Content`: notice,
legend, article, speaker panel, entity list, defect list and footer.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .._errors import ArticleDataError
from .._version import __version__
from .._vocabulary import LABELS, OPENING_MARK, quoted
from .content import Content, Entity, mention_key, speaker_key, words
from .markup import Markup, element, escape, join
from .segments import Span, emit, segment_tree

__all__ = ["article", "defect_list", "entity_list", "footer", "legend", "notice", "speaker_panel"]

#: Paragraph kind -> (tag, classes); body paragraphs are the default.
_PARAGRAPH_TAGS = {
    "headline": ("h1", "para headline"),
    "related_link": ("p", "para related"),
    "byline": ("p", "para byline"),
    "footer": ("p", "para footer"),
}


def _paragraph(content: Content, paragraph: Mapping[str, Any], spans: Sequence[Span]) -> Markup:
    pid, kind = str(paragraph["paragraph_id"]), str(paragraph["kind"])
    start, end = int(paragraph["char_start"]), int(paragraph["char_end"])
    inner = emit(segment_tree(content.text, start, end, spans))
    marker = element("a", pid, class_="pid", href=f"#{pid}", aria_hidden="true", tabindex="-1")
    common = [("id", pid), ("data-paragraph-id", pid), ("data-kind", kind)]
    if kind == "image_caption":
        label = element("div", "Photo caption · image not included", class_="eyebrow photo-label")
        return element(
            "figure", marker, label, element("figcaption", inner), attributes=[("class", "para caption"), *common]
        )
    tag, classes = _PARAGRAPH_TAGS.get(kind, ("p", "para body"))
    return element(tag, marker, inner, attributes=[("class", classes), *common])


#: How many (span, paragraph) pairs a page may draw per span and paragraph: a span lies in one paragraph.
CROSSINGS_PER_ITEM = 4


def spans_by_paragraph(paragraphs: Sequence[Mapping[str, Any]], spans: Sequence[Span]) -> dict[str, list[Span]]:
    """Each paragraph's spans, found by bisecting the sorted paragraph starts (linear in spans and paragraphs).

    Spans that together cross more than :data:`CROSSINGS_PER_ITEM` times as many
    paragraph boundaries as there are spans and paragraphs are refused: no real
    package has a span across paragraphs, and drawing them would cost their product.
    """
    owners = sorted((int(r["char_start"]), int(r["char_end"]), str(r["paragraph_id"])) for r in paragraphs)
    starts = [start for start, _, _ in owners]
    budget = CROSSINGS_PER_ITEM * (len(spans) + len(owners))
    found: dict[str, list[Span]] = {}
    for span in spans:
        index = max(bisect.bisect_right(starts, span.start) - 1, 0)
        while index < len(owners) and owners[index][0] < span.end:
            start, end, pid = owners[index]
            if span.start < end and span.end > start:
                found.setdefault(pid, []).append(span)
                budget -= 1
                if budget < 0:
                    raise ArticleDataError(
                        "the page's spans cross paragraph boundaries more than "
                        f"{CROSSINGS_PER_ITEM} times per span and paragraph; refused "
                        "(a span of the package lies inside one paragraph)"
                    )
            index += 1
    return found


def article(content: Content, spans: Sequence[Span]) -> Markup:
    """Every paragraph in order with its marks; the site's boilerplate after the byline in one box."""
    paragraphs = content.rows("paragraphs")
    by_paragraph = spans_by_paragraph(paragraphs, spans)
    out: list[Markup] = []
    ordered = sorted(paragraphs, key=lambda r: int(r["position"]))
    for is_footer, run in itertools.groupby(ordered, key=lambda r: r["kind"] == "footer"):
        html = [_paragraph(content, row, by_paragraph.get(str(row["paragraph_id"]), [])) for row in run]
        if not is_footer:
            out.extend(html)
            continue
        eyebrow = element("p", "Printed after the byline", class_="eyebrow")
        out.append(
            element(
                "div",
                eyebrow,
                "\n",
                *(Markup(f"{p}\n") for p in html),
                class_="site-footer",
                role="group",
                aria_label="Site boilerplate printed after the byline",
            )
        )
    return join(out, "\n")


def notice(content: Content) -> Markup:
    """The provenance notice: what the descriptor says of the copy, with its sources folded away."""
    description = str(content.descriptor.get("description") or "")
    sentences = re.split(rf"(?<=[.!?])\s+(?=[A-Z\"{OPENING_MARK}])", description)
    # Lead with what the descriptor says of the copy's provenance; the rest goes in the details.
    lead = " ".join(s for s in sentences if re.search(r"paraphras|copy of", s, re.IGNORECASE)) or description
    sources = [s for s in content.descriptor.get("sources") or [] if isinstance(s, dict)]
    items = [element("li", s.get("title") or s.get("path") or "") for s in sources]
    more = element(
        "details",
        element("summary", "Sources and the data package"),
        element("ul", *items, class_="notice-sources") if items else "",
        element("p", description),
        class_="notice-more",
    )
    lead_html = element("p", element("strong", "Read with care."), " ", lead, class_="notice-lead")
    return element("section", lead_html, more, class_="notice", id="provenance", aria_label="Provenance")


def _legend_rows(spk: str) -> list[tuple[Markup, str, Markup]]:
    def sample(text: str, classes: str) -> Markup:
        return element("span", text, class_=f"{classes} first last")

    def see(before: str, text: str, target: str, after: str = "") -> Markup:
        return join([before, element("a", text, href=target), after])

    return [
        (
            sample("said", f"q {spk} q-speech"),
            "Speech",
            see("direct, partial or unmarked, in the speaker’s colour (see ", "Speakers", "#speakers", ")"),
        ),
        (
            sample("reported", f"q {spk} q-reported"),
            "Reported speech",
            escape("indirect speech: lighter tint, same colour"),
        ),
        (sample(quoted("term"), "q q-plain"), "Not speech", escape("names and scare quotes, in grey")),
        (
            sample("Kyiv", "m m-name"),
            "Mention",
            see("linked to its entry under ", "People, organizations, places", "#entities"),
        ),
        (sample("capital", "m m-descriptive"), "Descriptive mention", escape("a phrase that refers to an entity")),
        (sample("52 nations", "f f-number"), "Number", escape("count, age, duration, percent, ordinal")),
        (sample("April 5", "f f-date"), "Date", escape("with its ISO date on hover or focus")),
        (
            sample("now now", "d"),
            "Defect",
            see("of the source text, with its correction (see ", "Defects", "#defects", ")"),
        ),
    ]


def legend(content: Content) -> Markup:
    """A sample of every mark with what it means, the paragraph kinds, and how to see the details."""
    sample_speaker = next(iter(content.speakers.values()), None)
    rows = [
        element(
            "li",
            element("span", sample, class_="legend-sample"),
            element(
                "span",
                element("strong", name),
                element("span", " — ", detail, class_="legend-detail"),
                class_="legend-text",
            ),
        )
        for sample, name, detail in _legend_rows(sample_speaker.css if sample_speaker else "")
    ]
    kinds = join(
        (element("span", label, class_=f"kind-{kind}") for kind, label in LABELS["paragraphs.kind"].items()), "; "
    )
    hint = element(
        "p",
        "Hover over, tap or tab to any marked passage for its speaker, entity, value or correction.",
        element("span", " The grey paragraph ids (p01…) are those of the tables.", class_="pid-hint"),
        class_="hint",
    )
    return element(
        "section",
        element("h2", "Legend", id="legend-title"),
        element("ul", *rows, class_="legend-list"),
        element("p", element("strong", "Paragraphs:"), " ", kinds, ".", class_="legend-kinds"),
        hint,
        class_="legend panel-box",
        id="legend",
        aria_labelledby="legend-title",
    )


def _quote_item(quote: Mapping[str, Any]) -> Markup:
    link = element(
        "a",
        element("span", quote["quote_type"], class_="qtype"),
        " ",
        element("span", quote["text"], class_="qtext"),
        class_="qref",
        href=f"#quote-{quote['quote_id']}",
        data_quote_ref=quote["quote_id"],
    )
    return element("li", link)


def _speaker_section(
    name: Markup, count: int, kind: str, quotes: Sequence[Mapping[str, Any]], attributes: Sequence[tuple[str, str]]
) -> Markup:
    heading = element(
        "h3",
        element("span", class_="swatch", aria_hidden="true"),
        element("span", name, class_="speaker-name"),
        element("span", count, class_="count"),
    )
    return element(
        "section",
        heading,
        element("p", kind, class_="speaker-kind"),
        element("ol", *(_quote_item(q) for q in quotes), class_="quote-list"),
        attributes=attributes,
    )


def speaker_panel(content: Content) -> Markup:
    """Each speaker with their quotations in text order, then the quotations that are not speech."""
    by_speaker: dict[str, list[dict[str, Any]]] = {key: [] for key in content.speakers}
    plain: list[dict[str, Any]] = []
    for quote in sorted(content.rows("quotes"), key=lambda q: int(q["char_start"])):
        key = speaker_key(quote)
        (by_speaker[key] if key else plain).append(quote)
    out = [
        element("h2", "Speakers", id="speakers-title"),
        element("p", "Each speaker’s quotations in text order; select one to jump to it.", class_="hint"),
    ]
    for key, speaker in content.speakers.items():
        anchor = content.anchors.get(key)
        name = element("a", speaker.label, href=f"#{anchor}") if anchor else escape(speaker.label)
        out.append(
            _speaker_section(
                name,
                len(by_speaker[key]),
                speaker.kind,
                by_speaker[key],
                [
                    ("class", f"speaker {speaker.css}"),
                    ("id", f"speaker-{speaker.row_id}"),
                    ("data-speaker-id", speaker.row_id),
                ],
            )
        )
    if plain:
        out.append(
            _speaker_section(
                escape("Not speech"),
                len(plain),
                "names and scare quotes",
                plain,
                [("class", "speaker not-speech"), ("id", "not-speech")],
            )
        )
    return element("section", *out, class_="speakers panel-box", id="speakers", aria_labelledby="speakers-title")


def _entity_facts(entity: Entity) -> str:
    row = entity.row
    facts: list[str] = []
    if entity.kind == "person":
        if row.get("age") is not None:
            facts.append(f"age {int(row['age'])}")
        if row.get("is_pseudonym"):
            facts.append("pseudonym")
    else:
        facts.append(entity.category)
    aliases = row.get("aliases")  # a list since 2.0.0; a 1.x release joined them with ' | '
    if aliases:
        names = aliases.split("|") if isinstance(aliases, str) else aliases
        facts.append("printed as " + " / ".join(quoted(str(a).strip()) for a in names))
    if row.get("wikidata_id"):
        facts.append(f"Wikidata {row['wikidata_id']}")
    return " · ".join(facts)


def _entity_item(content: Content, entity: Entity, found: Sequence[Mapping[str, Any]]) -> Markup:
    speaker = content.speakers.get(entity.key)
    swatch = element("span", class_=f"swatch {speaker.css}", role="img", aria_label="speaker colour") if speaker else ""
    name = element(
        "p",
        swatch,
        element("strong", entity.name),
        element("span", _entity_facts(entity), class_="entity-facts"),
        class_="entity-name",
    )
    description = entity.row.get("description")
    if found:
        backlinks = join(
            (
                element("a", i, href=f"#mention-{m['mention_id']}", title=f"{m['text']} ({m['paragraph_id']})")
                for i, m in enumerate(found, 1)
            ),
            " ",
        )
        mentions = element(
            "p", f"{len(found)} mention{'s' if len(found) != 1 else ''}: ", backlinks, class_="backlinks"
        )
    else:
        mentions = element("p", "not mentioned by name", class_="backlinks")
    return element(
        "li",
        name,
        element("p", description, class_="entity-description") if description else "",
        mentions,
        class_="entity",
        id=content.anchors[entity.key],
        data_entity=entity.key,
    )


def entity_list(content: Content) -> Markup:
    """Every person, organization and place, with its facts and links back to each mention."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for mention in sorted(content.rows("mentions"), key=lambda m: int(m["char_start"])):
        mentions.setdefault(mention_key(mention), []).append(mention)
    out = [
        element("h2", "People, organizations, places", id="entities-title"),
        element(
            "p",
            "Every entity the text names or describes. The numbers link back to each mention.",
            class_="section-intro",
        ),
    ]
    for kind, heading in (("person", "People"), ("organization", "Organizations"), ("place", "Places")):
        entities = [e for e in content.entities.values() if e.kind == kind]
        if entities:
            out.append(element("h3", f"{heading} ", element("span", len(entities), class_="count")))
            out.append(
                element(
                    "ul", *(_entity_item(content, e, mentions.get(e.key, [])) for e in entities), class_="entity-list"
                )
            )
    return element("section", *out, class_="entities", id="entities", aria_labelledby="entities-title")


def defect_list(content: Content) -> Markup:
    """Every defect of the source text with its reading as printed and its correction."""
    items = []
    for defect in sorted(content.rows("defects"), key=lambda d: (int(d["char_start"]), str(d["defect_id"]))):
        if defect.get("correction"):
            reading = join(
                [
                    element("del", defect["text"]),
                    element("span", "→", class_="arrow", aria_hidden="true"),
                    element("ins", defect["correction"]),
                ]
            )
        else:
            reading = join(
                [
                    element("span", defect["text"], class_="as-printed"),
                    element("span", "no correction", class_="no-fix"),
                ]
            )
        head = element(
            "p",
            element("a", defect["defect_id"], href=f"#defect-{defect['defect_id']}"),
            " ",
            element("span", words(defect["kind"]), class_="defect-kind"),
            class_="defect-head",
        )
        items.append(
            element(
                "li",
                head,
                element("p", reading, class_="defect-fix"),
                element("p", defect["note"], class_="defect-note"),
            )
        )
    heading = element(
        "h2",
        "Defects of the source text ",
        element("span", len(content.rows("defects")), class_="count"),
        id="defects-title",
    )
    intro = element("p", "Recorded, not fixed: the text above is printed exactly as received.", class_="section-intro")
    return element(
        "section",
        heading,
        intro,
        element("ol", *items, class_="defect-list"),
        class_="defect-section",
        id="defects",
        aria_labelledby="defects-title",
    )


def footer(content: Content) -> Markup:
    """What rendered the page from which package version, the counts, and the text's rights."""
    resources = content.descriptor.get("resources") or []
    article_resource = next((r for r in resources if isinstance(r, dict) and r.get("name") == "article"), {})
    rights = " ".join(
        str(lic.get("title") or "") for lic in article_resource.get("licenses") or [] if isinstance(lic, dict)
    )
    title = content.descriptor.get("title") or content.descriptor.get("name") or ""
    counts = (
        f"{len(content.rows('quotes'))} quotations, {len(content.rows('mentions'))} mentions, "
        f"{len(content.rows('figures'))} figures, {len(content.rows('defects'))} defects"
    )
    made = (
        f"Rendered by article-data {__version__} from the data package {quoted(title)}, "
        f"version {content.version}: {counts}, every mark placed from the tables’ character offsets."
    )
    return element("footer", element("p", made), element("p", rights) if rights else "", class_="page-footer")
