"""The article as a spaCy ``Doc``: mentions as ``doc.ents``, every span table as a span group.

The text is tokenised by ``spacy.blank("en")`` (no model to download); every span of
the tables falls on token boundaries, so each becomes a :class:`spacy.tokens.Span`
with exactly its offsets. Each span's ``id_`` is its row id and its ``label_`` the
row's type (:data:`ENT_LABELS` for mentions); ``span._.article_data`` is the row
itself (speaker, quote type, value, kind...), kept in ``doc.user_data`` so that a
``DocBin`` saved with user data carries it.
"""

from __future__ import annotations

from typing import Any

from .._annotations import SPAN_TABLES, Annotations
from .._errors import ArticleDataError
from .._extras import require

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["ENT_LABELS", "EXTENSION", "docbin_bytes", "ent_label", "to_spacy"]

#: Entity type -> the spaCy (OntoNotes) label of ``doc.ents``; a place is ``GPE`` when it
#: is a country, region, city or town, ``LOC`` otherwise (a mountain range).
ENT_LABELS: dict[str, str] = {"person": "PERSON", "organization": "ORG", "place": "GPE"}
_GPE_KINDS = ("country", "region", "city", "town")
#: The span extension holding a span's row.
EXTENSION = "article_data"
#: Table -> the column that gives a span group's ``label_``.
_LABEL_COLUMNS = {"quotes": "quote_type", "figures": "kind", "defects": "kind", "paragraphs": "kind"}


def ent_label(entity_type: str, place_kind: object = None) -> str:
    """The ``doc.ents`` label of a mention of an entity of this type.

    >>> ent_label("place", "city"), ent_label("place", "mountain_range"), ent_label("person")
    ('GPE', 'LOC', 'PERSON')
    """
    if entity_type == "place" and place_kind not in _GPE_KINDS:
        return "LOC"
    return ENT_LABELS[entity_type]


def _row_of(span: Span) -> dict[str, Any] | None:
    rows: dict[str, Any] = span.doc.user_data.get(EXTENSION, {}).get("rows", {})
    return rows.get(span.id_)


def _register() -> None:
    from spacy.tokens import Span

    if not Span.has_extension(EXTENSION):
        Span.set_extension(EXTENSION, getter=_row_of)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row with values msgpack can store (dates as ISO strings)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}


def _span(doc: Doc, row: dict[str, Any], label: str, kb_id: str = "") -> Span:
    span = doc.char_span(int(row["char_start"]), int(row["char_end"]), label=label, kb_id=kb_id)
    if span is None:
        raise ArticleDataError(
            f"{row.get('text')!r} at {row['char_start']}..{row['char_end']}: expected the span to "
            "fall on spaCy token boundaries, found it does not; report this as a bug"
        )
    span.id_ = _row_id(row)
    return span


def _row_id(row: dict[str, Any]) -> str:
    return str(next(v for k, v in row.items() if k.endswith("_id")))


def _mention_spans(doc: Doc, ann: Annotations) -> list[Span]:
    places = {p["place_id"]: p["kind"] for p in ann.rows("places")}
    spans = []
    for row in ann.rows("mentions"):
        entity = ann.mention_entity(row)
        label = ent_label(entity.type, places.get(entity.id))
        spans.append(_span(doc, row, label, entity.kb_id))
    return spans


def to_spacy(ann: Annotations) -> Doc:
    """The article as one ``Doc`` of ``spacy.blank("en")``, with ``doc.ents`` and span groups."""
    spacy = require("spacy", "spacy", "the spaCy export")
    _register()
    doc: Doc = spacy.blank("en")(ann.text)
    rows: dict[str, dict[str, Any]] = {}
    for table in SPAN_TABLES:
        for row in ann.rows(table):
            plain = _plain(row)
            if table == "mentions":
                entity = ann.mention_entity(row)
                plain.update(
                    entity_type=entity.type, entity=entity.name, entity_key=entity.key, wikidata_id=entity.wikidata_id
                )
            elif table == "quotes":
                speaker = ann.speaker(row)
                plain.update(
                    speaker=speaker.name if speaker else None,
                    speaker_key=speaker.key if speaker else None,
                    speaker_wikidata_id=speaker.wikidata_id if speaker else None,
                )
            rows[_row_id(row)] = plain
    doc.user_data[EXTENSION] = {"version": ann.version, "rows": rows}
    mentions = _mention_spans(doc, ann)
    doc.ents = mentions
    doc.spans["mentions"] = mentions
    for table in SPAN_TABLES[1:]:
        doc.spans[table] = [
            _span(doc, row, str(row[_LABEL_COLUMNS[table]]), _speaker_kb(ann, row)) for row in ann.rows(table)
        ]
    return doc


def _speaker_kb(ann: Annotations, row: dict[str, Any]) -> str:
    if "quote_type" not in row:
        return ""
    speaker = ann.speaker(row)
    return speaker.kb_id if speaker else ""


def docbin_bytes(ann: Annotations) -> bytes:
    """The ``Doc`` in a ``DocBin`` (user data included), as the bytes of a ``.spacy`` file."""
    require("spacy", "spacy", "the spaCy export")
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    docbin.add(to_spacy(ann))
    return bytes(docbin.to_bytes())
