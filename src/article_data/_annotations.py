"""The article's spans for NLP tools: rows as plain values, each mention's entity type, each entity's names.

The converters (:mod:`article_data._convert`) and the scorer (:mod:`article_data._score`)
read the package through :func:`load_annotations`, once. A mention's entity type is
derived in :func:`mention_entity_type` alone (from which of ``person_id``,
``organization_id``, ``place_id`` is set), so that a ``mentions.entity_type`` column
can replace it in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import ArticleDataError
from ._rows import is_missing, records
from ._vocabulary import ENTITY_ID_COLUMNS, SPEAKER_COLUMNS, SPEECH_TYPES

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from ._package import Package

__all__ = [
    "ENTITY_TYPES",
    "SPAN_TABLES",
    "Annotations",
    "Entity",
    "entity_type_of",
    "load_annotations",
    "mention_entity_type",
]

#: The tables whose rows are spans the converters export, in this order.
SPAN_TABLES: tuple[str, ...] = ("mentions", "quotes", "figures", "defects", "paragraphs")
#: Entity table -> the entity type word (the id column without ``_id``): person, organization, place.
ENTITY_TYPES: dict[str, str] = {table: column.removesuffix("_id") for table, column in ENTITY_ID_COLUMNS.items()}
#: Entity table -> the columns holding the names an entity goes by, display name first.
_NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("label", "name"),
    "organizations": ("name",),
    "places": ("name",),
}
_ALIAS_SEPARATOR = " | "


def entity_type_of(table: str) -> str:
    """The entity type of an entity table's rows.

    >>> entity_type_of("people"), entity_type_of("places")
    ('person', 'place')
    """
    return ENTITY_TYPES[table]


def mention_entity_type(mention: Mapping[str, Any]) -> str:
    """A mention's entity type, ``person``, ``organization`` or ``place``: its ``entity_type`` (2.0.0 on),
    or, in an older package, which of the three id columns is set.

    >>> mention_entity_type({"person_id": None, "organization_id": "time", "place_id": None})
    'organization'
    >>> mention_entity_type({"entity_type": "place", "place_id": "kyiv"})
    'place'
    """
    if mention.get("entity_type"):
        return str(mention["entity_type"])
    for table, column in ENTITY_ID_COLUMNS.items():
        if mention.get(column):
            return ENTITY_TYPES[table]
    raise ArticleDataError(
        f"mention {mention.get('mention_id')!r}: expected one of "
        f"{', '.join(ENTITY_ID_COLUMNS.values())} to be set, found none; validate the package"
    )


@dataclass(frozen=True)
class Entity:
    """A person, organization or place: its id, type, names and Wikidata id."""

    id: str
    type: str
    name: str
    names: tuple[str, ...]  # the display name, the full name and every alias, without repeats
    wikidata_id: str | None

    @property
    def key(self) -> str:
        """``type:id``: unique across the entity tables (a person and a place may share an id)."""
        return f"{self.type}:{self.id}"

    @property
    def kb_id(self) -> str:
        """The Wikidata id where there is one, else the dataset id."""
        return self.wikidata_id or self.id

    @property
    def wikidata_url(self) -> str | None:
        """The entity's Wikidata page, or None."""
        return f"http://www.wikidata.org/entity/{self.wikidata_id}" if self.wikidata_id else None


@dataclass(frozen=True)
class Annotations:
    """The text and the span tables of one package, as plain rows, with the entities they link to."""

    version: str
    text: str
    tables: dict[str, list[dict[str, Any]]]
    entities: dict[str, Entity]

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of a span table (or an entity table), missing values as None."""
        return self.tables[table]

    def mention_entity(self, mention: Mapping[str, Any]) -> Entity:
        """The entity a mention names."""
        kind = mention_entity_type(mention)
        column = next(c for t, c in ENTITY_ID_COLUMNS.items() if ENTITY_TYPES[t] == kind)
        return self.entities[f"{kind}:{mention[column]}"]

    def speaker(self, quote: Mapping[str, Any]) -> Entity | None:
        """The entity a quotation is attributed to, or None (names and scare quotes)."""
        for table, column in SPEAKER_COLUMNS.items():
            if quote.get(column):
                return self.entities[f"{ENTITY_TYPES[table]}:{quote[column]}"]
        return None

    def speech(self) -> list[dict[str, Any]]:
        """The quotation rows that are someone's speech: the gold set of quote attribution."""
        return [q for q in self.rows("quotes") if q["quote_type"] in SPEECH_TYPES]


def _aliases(value: Any) -> list[str]:
    """An entity's aliases: a list from 2.0.0 on, one ``' | '``-joined string in 1.x, or none."""
    if not isinstance(value, str) and is_missing(value):
        return []
    items = value.split(_ALIAS_SEPARATOR) if isinstance(value, str) else list(value)
    return [str(a).strip() for a in items if a is not None and str(a).strip()]


def _entity(table: str, row: Mapping[str, Any]) -> Entity:
    names = [str(row[c]) for c in _NAME_COLUMNS[table] if row.get(c)]
    names += _aliases(row.get("aliases"))
    row_id = str(row[ENTITY_ID_COLUMNS[table]])
    return Entity(
        id=row_id,
        type=ENTITY_TYPES[table],
        name=names[0] if names else row_id,
        names=tuple(dict.fromkeys(names)),
        wikidata_id=row.get("wikidata_id") or None,
    )


def load_annotations(pkg: Package) -> Annotations:
    """Load the text, the span tables and the entity tables of ``pkg`` once (hashes checked)."""
    tables = {name: records(pkg.load(name)) for name in (*SPAN_TABLES, *ENTITY_ID_COLUMNS)}
    entities = {}
    for table in ENTITY_ID_COLUMNS:
        for row in tables[table]:
            entity = _entity(table, row)
            entities[entity.key] = entity
    return Annotations(version=pkg.version, text=pkg.article_text(), tables=tables, entities=entities)
