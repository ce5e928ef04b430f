"""The annotations in the W3C Web Annotation Data Model, as JSON-LD with its standard context.

One ``Annotation`` per row of mentions, quotes, figures and defects. Each target is
the article (``source``) with a ``TextPositionSelector`` (``start``, ``end``: code
points, end exclusive, as the model defines) and a ``TextQuoteSelector`` (``exact``,
``prefix``, ``suffix``: :data:`CONTEXT_CHARS` characters either side). Bodies: a
``tagging`` body with the row's type, an ``identifying`` ``SpecificResource`` for
the entity a mention names or a quotation's speaker (its Wikidata page where there
is one), and ``describing``/``editing`` text for figures and defects.
"""

from __future__ import annotations

from typing import Any

from .._annotations import Annotations, Entity, mention_entity_type

__all__ = ["ANNO_CONTEXT", "CONTEXT_CHARS", "entity_iri", "web_annotations"]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Characters of ``prefix`` and ``suffix`` in each ``TextQuoteSelector``.
CONTEXT_CHARS = 32


def _base(ann: Annotations) -> str:
    return f"urn:article-data:{ann.version}:"


def entity_iri(ann: Annotations, entity: Entity) -> str:
    """An entity's Wikidata IRI, or a URN of the dataset for one without."""
    return entity.wikidata_url or f"{_base(ann)}entity:{entity.key}"


def _target(ann: Annotations, row: dict[str, Any]) -> dict[str, Any]:
    start, end = int(row["char_start"]), int(row["char_end"])
    return {
        "source": f"{_base(ann)}article.txt",
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {
                "type": "TextQuoteSelector",
                "exact": ann.text[start:end],
                "prefix": ann.text[max(0, start - CONTEXT_CHARS) : start],
                "suffix": ann.text[end : end + CONTEXT_CHARS],
            },
        ],
    }


def _tag(value: object) -> dict[str, Any]:
    return {"type": "TextualBody", "value": str(value), "purpose": "tagging", "format": "text/plain"}


def _identify(ann: Annotations, entity: Entity) -> dict[str, Any]:
    return {"type": "SpecificResource", "source": entity_iri(ann, entity), "purpose": "identifying"}


def _text(value: str, purpose: str) -> dict[str, Any]:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}


def _bodies(ann: Annotations, table: str, row: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The motivation and the bodies of a row's annotation."""
    if table == "mentions":
        entity = ann.mention_entity(row)
        return "identifying", [
            _identify(ann, entity),
            _tag(mention_entity_type(row)),
            _tag(row["mention_type"]),
            _text(entity.name, "describing"),
        ]
    if table == "quotes":
        speaker = ann.speaker(row)
        bodies = [_tag(row["quote_type"])]
        if speaker is not None:
            bodies += [_identify(ann, speaker), _text(f"speaker: {speaker.name}", "describing")]
        return "classifying", bodies
    if table == "figures":
        value = " ".join(str(row[c]) for c in ("qualifier", "value", "unit", "date") if row.get(c) is not None)
        return "describing", [_tag(row["kind"]), _text(f"{value}: {row['subject']}", "describing")]
    bodies = [_tag(row["kind"]), _text(str(row["note"]), "commenting")]
    if row.get("correction"):
        bodies.append(_text(str(row["correction"]), "editing"))
    return "commenting", bodies


def web_annotations(ann: Annotations) -> dict[str, Any]:
    """An ``AnnotationCollection`` whose one page holds every annotation."""
    items = []
    for table in ("mentions", "quotes", "figures", "defects"):
        for row in ann.rows(table):
            motivation, bodies = _bodies(ann, table, row)
            row_id = str(row[f"{table[:-1]}_id"])
            items.append(
                {
                    "id": f"{_base(ann)}{table}:{row_id}",
                    "type": "Annotation",
                    "motivation": motivation,
                    "body": bodies,
                    "target": _target(ann, row),
                }
            )
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{_base(ann)}annotations",
        "type": "AnnotationCollection",
        "label": f"article-data {ann.version}: mentions, quotations, figures and defects",
        "total": len(items),
        "first": {"id": f"{_base(ann)}annotations:page1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }
