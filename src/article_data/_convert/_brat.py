"""The article in brat standoff: the text, an ``.ann`` file and the ``annotation.conf`` that declares its types.

One text-bound annotation (``T``) per mention (``Person``, ``Organization``, ``Place``),
speech or other quotation (``Quote``), figure (``Figure``) and defect (``Defect``),
offsets in code points of the text as brat counts them; attributes (``A``) carry the
mention type, quote type, figure kind and defect kind; normalisations (``N``) link
mentions and speakers to Wikidata; a ``Speaker`` relation (``R``) links each quotation
to the nearest mention of its speaker, and an ``AnnotatorNotes`` note (``#``) gives
every annotation its row id (and a quotation its speaker, mentioned or not).
"""

from __future__ import annotations

from typing import Any

from .._annotations import Annotations, Entity, mention_entity_type

__all__ = ["ANN_TYPES", "annotation_conf", "brat_files"]

#: Entity type -> the brat type of its mentions.
ANN_TYPES: dict[str, str] = {"person": "Person", "organization": "Organization", "place": "Place"}
#: Table -> (brat type, attribute name, the row's column giving its value).
_SPAN_TYPES = {
    "quotes": ("Quote", "QuoteType", "quote_type"),
    "figures": ("Figure", "FigureKind", "kind"),
    "defects": ("Defect", "DefectKind", "kind"),
}


class _Writer:
    """Numbers the annotations of each kind (T1, A1, N1, R1, #1) as lines are added."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts: dict[str, int] = {}

    def add(self, prefix: str, body: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        name = f"{prefix}{self.counts[prefix]}"
        self.lines.append(f"{name}\t{body}")
        return name


def _text_bound(out: _Writer, kind: str, row: dict[str, Any], note: str) -> str:
    tid = out.add("T", f"{kind} {row['char_start']} {row['char_end']}\t{row['text']}")
    out.add("#", f"AnnotatorNotes {tid}\t{note}")
    return tid


def _normalize(out: _Writer, tid: str, entity: Entity) -> None:
    if entity.wikidata_id:
        out.add("N", f"Reference {tid} Wikidata:{entity.wikidata_id}\t{entity.name}")


def _nearest(mentions: list[tuple[int, str, str]], quote: dict[str, Any], key: str) -> str | None:
    """The text-bound id of the speaker's mention nearest the quotation (a preceding one on a tie)."""
    found = [
        (abs(start - int(quote["char_start"])), start > int(quote["char_start"]), tid)
        for start, entity_key, tid in mentions
        if entity_key == key
    ]
    return min(found)[2] if found else None


def brat_files(ann: Annotations) -> dict[str, str]:
    """The files of a brat document, by name: ``article.txt``, ``article.ann``, ``annotation.conf``."""
    out = _Writer()
    mentions: list[tuple[int, str, str]] = []
    for row in ann.rows("mentions"):
        entity = ann.mention_entity(row)
        tid = _text_bound(out, ANN_TYPES[mention_entity_type(row)], row, f"{row['mention_id']} {entity.key}")
        out.add("A", f"MentionType {tid} {row['mention_type']}")
        _normalize(out, tid, entity)
        mentions.append((int(row["char_start"]), entity.key, tid))
    for table, (kind, attribute, column) in _SPAN_TYPES.items():
        for row in ann.rows(table):
            row_id = str(row[f"{table[:-1]}_id"])
            speaker = ann.speaker(row) if table == "quotes" else None
            note = f"{row_id} speaker {speaker.key} ({speaker.name})" if speaker else row_id
            tid = _text_bound(out, kind, row, note)
            out.add("A", f"{attribute} {tid} {row[column]}")
            if speaker is not None:
                _normalize(out, tid, speaker)
                target = _nearest(mentions, row, speaker.key)
                if target:
                    out.add("R", f"Speaker Arg1:{tid} Arg2:{target}")
    return {
        "article.txt": ann.text,
        "article.ann": "\n".join(out.lines) + "\n",
        "annotation.conf": annotation_conf(ann),
    }


def annotation_conf(ann: Annotations) -> str:
    """Brat's ``annotation.conf`` declaring every type, relation and attribute value the ``.ann`` uses."""

    def values(table: str, column: str) -> str:
        return "|".join(sorted({str(r[column]) for r in ann.rows(table)}))

    kinds = "|".join(ANN_TYPES.values())
    lines = [
        "[entities]",
        *ANN_TYPES.values(),
        *(kind for kind, _, _ in _SPAN_TYPES.values()),
        "",
        "[relations]",
        f"Speaker\tArg1:Quote, Arg2:{kinds}",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        f"MentionType\tArg:{kinds}, Value:{values('mentions', 'mention_type')}",
    ]
    lines += [
        f"{attribute}\tArg:{kind}, Value:{values(table, column)}"
        for table, (kind, attribute, column) in _SPAN_TYPES.items()
    ]
    return "\n".join(lines) + "\n"
