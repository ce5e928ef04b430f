"""What the page shows, loaded once from a package: the rows, the entities and the speakers.

Entities are keyed ``"<kind>:<id>"`` (``"person:yan"``), the kind named after the
table's id column (:data:`~article_data._vocabulary.ENTITY_ID_COLUMNS`), so a
person and a place may share an id. Speakers are the entities that speak, in the
order of their first quotation, each with a colour of :data:`PALETTE`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._rows import records
from .._vocabulary import ENTITY_ID_COLUMNS, SPEAKER_COLUMNS

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from .._package import Package

__all__ = [
    "PALETTE",
    "Content",
    "Entity",
    "Speaker",
    "entity_kind",
    "load_content",
    "mention_key",
    "number",
    "speaker_key",
    "words",
]

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

#: Entity table -> the column holding the name the page prints.
_NAME_COLUMNS = {"people": "label", "organizations": "name", "places": "name"}


def entity_kind(table: str) -> str:
    """The key prefix of an entity table's rows: its id column without ``_id``.

    >>> entity_kind("people"), entity_kind("organizations")
    ('person', 'organization')
    """
    return ENTITY_ID_COLUMNS[table].removesuffix("_id")


def number(value: object) -> str:
    """A figure's value with thousands separators, without ``.0`` for whole numbers.

    >>> number(1500.0), number(2.5)
    ('1,500', '2.5')
    """
    as_float = float(str(value))
    if math.isfinite(as_float) and as_float == int(as_float):
        return f"{int(as_float):,}"
    return f"{as_float:,}"


def words(code: object) -> str:
    """An enum code as words: ``"image_caption"`` -> ``"image caption"``."""
    return str(code).replace("_", " ")


@dataclass(frozen=True)
class Entity:
    """A person, organization or place, as the page names it."""

    key: str  # "person:yan"
    kind: str  # "person", "organization" or "place"
    row_id: str
    name: str
    category: str  # "person", or the organization's or place's kind in words
    row: dict[str, Any]


@dataclass(frozen=True)
class Speaker:
    """An entity that speaks, with its colour and the CSS class carrying it."""

    key: str  # "person:yan" or "organization:freedom_for_russia"
    row_id: str
    label: str
    kind: str
    description: str
    colour: str
    css: str


@dataclass
class Content:
    """Every row the page needs, with entities, their anchors and the speakers."""

    descriptor: dict[str, Any]
    version: str
    text: str
    tables: dict[str, list[dict[str, Any]]]
    entities: dict[str, Entity]
    anchors: dict[str, str]
    speakers: dict[str, Speaker]

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of a table, missing values as None."""
        return self.tables[table]


def speaker_key(quote: Mapping[str, Any]) -> str | None:
    """The entity key of a quotation's speaker, or None for names and scare quotes."""
    for table, column in SPEAKER_COLUMNS.items():
        if quote.get(column):
            return f"{entity_kind(table)}:{quote[column]}"
    return None


def mention_key(mention: Mapping[str, Any]) -> str:
    """The entity key a mention names."""
    for table, column in ENTITY_ID_COLUMNS.items():
        if mention.get(column):
            return f"{entity_kind(table)}:{mention[column]}"
    return "unknown:"


def _entities(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for table, id_column in ENTITY_ID_COLUMNS.items():
        kind = entity_kind(table)
        for row in tables[table]:
            key = f"{kind}:{row[id_column]}"
            category = "person" if table == "people" else words(row["kind"])
            entities[key] = Entity(key, kind, str(row[id_column]), str(row[_NAME_COLUMNS[table]]), category, row)
    return entities


def _anchors(entities: Mapping[str, Entity]) -> dict[str, str]:
    # The documented anchor is entity-<id>; ids shared across tables get the kind too.
    ids = [e.row_id for e in entities.values()]
    unique = len(ids) == len(set(ids))
    return {key: f"entity-{e.row_id}" if unique else f"entity-{e.kind}-{e.row_id}" for key, e in entities.items()}


def _speakers(quotes: list[dict[str, Any]], entities: Mapping[str, Entity]) -> dict[str, Speaker]:
    speakers: dict[str, Speaker] = {}
    for quote in sorted(quotes, key=lambda q: (int(q["char_start"]), str(q["quote_id"]))):
        key = speaker_key(quote)
        if key is None or key in speakers:
            continue
        entity = entities.get(key)
        kind, _, row_id = key.partition(":")
        label = entity.name if entity else row_id
        described = kind if entity is None or kind == "person" else f"{kind} ({entity.category})"
        description = str(entity.row.get("description") or "") if entity else ""
        index = len(speakers)
        speakers[key] = Speaker(
            key, row_id, label, described, description, PALETTE[index % len(PALETTE)], f"spk{index}"
        )
    return speakers


def load_content(pkg: Package) -> Content:
    """Load the descriptor, the text and every table of ``pkg`` (hashes verified, the contract checked)."""
    pkg._reader.check_contract()
    descriptor = pkg.descriptor()
    version = pkg.version
    text = pkg.article_text()
    tables = {name: records(pkg.load(name)) for name in pkg.tables}
    entities = _entities(tables)
    return Content(
        descriptor=descriptor,
        version=version,
        text=text,
        tables=tables,
        entities=entities,
        anchors=_anchors(entities),
        speakers=_speakers(tables["quotes"], entities),
    )
