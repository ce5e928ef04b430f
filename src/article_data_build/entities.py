"""People, organizations and places, and the mentions of them computed from the text."""

from __future__ import annotations

import re
from typing import Any

from article_data._vocabulary import ENTITY_ID_COLUMNS, ENTITY_TYPES

from .errors import BuildError
from .inputs import Inputs, Row, check_enum, check_ids, enum, where
from .layout import INPUTS
from .matching import longest_first, whole_word_starts
from .text import Article, locate

__all__ = ["ENTITY_KEYS", "build_entities", "build_mentions", "reference_key"]

#: Per entity table: (keys an entry may have, keys it must have) in annotations/<table>.yaml.
ENTITY_KEYS: dict[str, tuple[set[str], set[str]]] = {
    "people": (
        {
            "id",
            "name",
            "label",
            "is_pseudonym",
            "description",
            "age",
            "wikidata_id",
            "mention_forms",
            "wikidata_source",
        },
        {"id", "name", "is_pseudonym", "description", "age", "wikidata_id", "mention_forms"},
    ),
    "organizations": (
        {"id", "name", "kind", "description", "wikidata_id", "mention_forms", "wikidata_source"},
        {"id", "name", "kind", "description", "wikidata_id", "mention_forms"},
    ),
    "places": (
        {"id", "name", "kind", "wikidata_id", "mention_forms", "wikidata_source"},
        {"id", "name", "kind", "wikidata_id", "mention_forms"},
    ),
}


#: A chosen mention: start, end, entity table, entity id, mention type, and the id it keeps (or None).
Mention = tuple[int, int, str, Any, str, "str | None"]


def reference_key(table: str) -> str:
    """The key an input uses to name an entity of ``table`` (``person`` for people)."""
    return ENTITY_ID_COLUMNS[table].removesuffix("_id")


def _name_mentions(inputs: Inputs, article: Article, entities: dict[str, list[Row]]) -> list[Mention]:
    """Every whole-word occurrence of a mention form, longest first, never overlapping (one scan of the text)."""
    owner: dict[str, tuple[str, Any]] = {}
    first: dict[str, Row] = {}
    for table, rows in entities.items():
        for row in rows:
            forms = row.get("mention_forms")
            if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
                inputs.problem(*where(row), f"mention_forms must be a list of non-empty strings, found {forms!r:.60}")
                continue
            for form in forms:
                if form in owner and owner[form] != (table, row.get("id")):
                    inputs.problem(
                        *where(row),
                        f"mention form {form!r:.60} also belongs to {owner[form][1]!r}; "
                        "a form must name one entity (use mentions.yaml to add the others)",
                    )
                owner.setdefault(form, (table, row.get("id")))
                first.setdefault(form, row)
    forms = list(owner)
    try:
        found = whole_word_starts(article.text, forms)
    except BuildError as exc:
        inputs.problem(INPUTS, None, str(exc))
        return []
    candidates = []
    for form, starts in zip(forms, found):
        if not starts:
            inputs.problem(*where(first[form]), f"mention form {form!r:.60} occurs nowhere in the text as a whole word")
        candidates += [(start, start + len(form), *owner[form]) for start in starts]
    kept = longest_first([(c[0], c[1]) for c in candidates], len(article.text))
    return [(*candidates[i], "name", None) for i in kept]


def _entries(inputs: Inputs, edits: dict[str, Any], key: str) -> list[Row]:
    """The mappings listed under ``key`` in mentions.yaml; anything else is a problem with its line."""
    where_ = "annotations/mentions.yaml"
    listed = edits.get(key) or []
    if not isinstance(listed, list):
        inputs.problem(where_, edits.get("__line__"), f"{key!r} must be a list of entries, found {listed!r:.60}")
        return []
    entries = []
    for entry in listed:
        if not isinstance(entry, dict):
            inputs.problem(
                where_, edits.get("__line__"), f"{key}: expected a mapping with text and an entity, found {entry!r:.60}"
            )
            continue
        entry["__file__"] = where_
        entries.append(entry)
    return entries


def _edits(
    inputs: Inputs, article: Article, chosen: list[Mention], known: dict[str, set[str]], mention_types: list[str]
) -> list[Mention]:
    """mentions.yaml: computed mentions excluded, descriptive (and other) mentions added."""
    edits = inputs.read_yaml("mentions.yaml") or {}
    if not isinstance(edits, dict) or set(edits) - {"exclude", "add", "__line__"}:
        inputs.problem("annotations/mentions.yaml", None, "expected a mapping with the keys 'exclude' and 'add'")
        edits = {}
    spans = {(c[0], c[1]): c for c in chosen}  # computed mentions never overlap: one per span
    for entry in _entries(inputs, edits, "exclude"):
        span = locate(inputs, article, entry)
        if span is None:
            continue
        if spans.pop(span[:2], None) is None:
            inputs.problem(*where(entry), f"exclude {entry.get('text')!r:.60}: no computed mention there to exclude")
    chosen = list(spans.values())
    taken = bytearray(len(article.text))
    for c in chosen:
        taken[c[0] : c[1]] = b"\x01" * (c[1] - c[0])
    for entry in _entries(inputs, edits, "add"):
        span = locate(inputs, article, entry)
        if span is None:
            continue
        targets = [(t, entry[reference_key(t)]) for t in ENTITY_ID_COLUMNS if entry.get(reference_key(t))]
        if len(targets) != 1:
            inputs.problem(
                *where(entry),
                "an added mention names exactly one of " + ", ".join(reference_key(t) for t in ENTITY_ID_COLUMNS),
            )
            continue
        table, eid = targets[0]
        before = len(inputs.problems)
        entry.setdefault("mention_type", mention_types[0])
        check_enum(inputs, entry, "mention_type", mention_types)
        if not isinstance(eid, str) or eid not in known[table]:
            inputs.problem(*where(entry), f"{eid!r:.60} is not an id in {table}")
        if taken.find(1, span[0], span[1]) != -1:  # linear in the added text, not in the mentions chosen
            inputs.problem(*where(entry), f"added mention {entry.get('text')!r:.60} overlaps a computed one")
        taken[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
        mention_id = entry.get("id")
        if mention_id is not None and (not isinstance(mention_id, str) or not re.fullmatch(r"m\d+", mention_id)):
            inputs.problem(
                *where(entry), f"id {mention_id!r:.60} must be 'm' and digits (the id a corrected mention keeps)"
            )
        if len(inputs.problems) > before:
            continue
        chosen.append((span[0], span[1], table, eid, entry["mention_type"], mention_id))
    return chosen


def build_mentions(
    inputs: Inputs,
    article: Article,
    entities: dict[str, list[Row]],
    known: dict[str, set[str]],
    schemas: dict[str, Any],
) -> list[Row]:
    """The mentions table: name mentions computed, then mentions.yaml's edits, in text order."""
    mention_types = enum(schemas, "mentions", "mention_type")
    chosen = _edits(inputs, article, _name_mentions(inputs, article, entities), known, mention_types)
    width = len(str(len(article.text)))
    mentions = []
    ids: set[str] = set()
    for start, end, table, eid, mention_type, kept_id in sorted(chosen, key=lambda c: c[:5]):
        para = article.containing(start, end)
        # A mention's id is m + its start offset when first published; a corrected span keeps its id.
        mention_id = kept_id or f"m{start:0{width}d}"
        if mention_id in ids:
            inputs.problem(
                "annotations/mentions.yaml",
                None,
                f"two mentions would both have the id {mention_id!r}; "
                "give the corrected one its published id with `id:`",
            )
        ids.add(mention_id)
        row: Row = {
            "mention_id": mention_id,
            "paragraph_id": para["paragraph_id"] if para else None,
            "char_start": start,
            "char_end": end,
            "text": article.text[start:end],
            **dict.fromkeys(ENTITY_ID_COLUMNS.values()),
            "entity_type": ENTITY_TYPES[table],
            "mention_type": mention_type,
        }
        row[ENTITY_ID_COLUMNS[table]] = eid
        mentions.append(row)
    return mentions


def _aliases(entity: Row, column: str, mentions: list[Row]) -> list[str] | None:
    """The other printed names of an entity, sorted (a Table Schema ``array``); None when there are none.

    Any name reads back the same from CSV, where the cell is a JSON array of the names.
    """
    forms = sorted(
        {m["text"] for m in mentions if m[column] == entity["id"] and m["mention_type"] == "name"}
        - {entity.get("name")}
    )
    return forms or None


def build_entities(
    inputs: Inputs, article: Article, schemas: dict[str, Any]
) -> tuple[dict[str, list[Row]], dict[str, set[str]]]:
    """people, organizations, places and mentions (aliases are the other printed names), and the known ids."""
    entities = {t: inputs.rows(f"{t}.yaml", *ENTITY_KEYS[t]) for t in ENTITY_KEYS}
    known = {t: check_ids(inputs, rows) for t, rows in entities.items()}
    for table in ("organizations", "places"):
        for row in entities[table]:
            check_enum(inputs, row, "kind", enum(schemas, table, "kind"))
    mentions = build_mentions(inputs, article, entities, known, schemas)

    def aliases(table: str, row: Row) -> list[str] | None:
        return _aliases(row, ENTITY_ID_COLUMNS[table], mentions)

    people = [
        {
            "person_id": r["id"],
            "name": r.get("name"),
            "label": r.get("label") or r.get("name"),
            "aliases": aliases("people", r),
            "is_pseudonym": r.get("is_pseudonym"),
            "description": r.get("description"),
            "age": r.get("age"),
            "wikidata_id": r.get("wikidata_id"),
        }
        for r in entities["people"]
    ]
    for row, out in zip(entities["people"], people):
        if out["label"] is None:
            inputs.problem(*where(row), "an unnamed person needs a 'label'")
    organizations = [
        {
            "organization_id": r["id"],
            "name": r.get("name"),
            "aliases": aliases("organizations", r),
            "kind": r.get("kind"),
            "description": r.get("description"),
            "wikidata_id": r.get("wikidata_id"),
        }
        for r in entities["organizations"]
    ]
    places = [
        {
            "place_id": r["id"],
            "name": r.get("name"),
            "aliases": aliases("places", r),
            "kind": r.get("kind"),
            "wikidata_id": r.get("wikidata_id"),
        }
        for r in entities["places"]
    ]
    return {"people": people, "organizations": organizations, "places": places, "mentions": mentions}, known
