"""What the page shows (article_data._render.content): entities, their anchors and the speakers with their colours."""

from __future__ import annotations

import pytest

import article_data as ad
from article_data._render.content import (
    PALETTE,
    Content,
    load_content,
    mention_key,
    number,
    speaker_key,
)
from article_data._vocabulary import ENTITY_ID_COLUMNS


@pytest.fixture(scope="module")
def content() -> Content:
    """The bundled package's content."""
    return load_content(ad.Package(ad.path()))


def test_content_keys_every_entity_by_kind_and_id(content: Content) -> None:
    """Each row of people, organizations and places is one entity keyed "<person|organization|place>:<id>"."""
    tables = ad.load_all()
    expected = {
        f"{column.removesuffix('_id')}:{row_id}"
        for table, column in ENTITY_ID_COLUMNS.items()
        for row_id in tables[table][column]
    }
    assert set(content.entities) == expected
    assert {e.kind for e in content.entities.values()} == {"person", "organization", "place"}


def test_content_anchors_are_entity_ids_when_unique(content: Content) -> None:
    """Ids are unique across the entity tables here, so every anchor is entity-<id>."""
    assert all(content.anchors[key] == f"entity-{e.row_id}" for key, e in content.entities.items())


def test_content_orders_speakers_by_first_quotation(content: Content) -> None:
    """Speakers are numbered spk0, spk1, ... in the order of their first quotation, coloured from the Okabe-Ito palette."""
    quotes = sorted(content.rows("quotes"), key=lambda q: (int(q["char_start"]), str(q["quote_id"])))
    first_seen = list(dict.fromkeys(k for k in map(speaker_key, quotes) if k))
    assert list(content.speakers) == first_seen
    for index, speaker in enumerate(content.speakers.values()):
        assert speaker.css == f"spk{index}" and speaker.colour == PALETTE[index % len(PALETTE)]


def test_speaker_and_mention_keys_name_the_entity() -> None:
    """A quotation's speaker and a mention's entity are keyed like the entities; non-speech has no speaker."""
    assert speaker_key({"speaker_person_id": "yan", "speaker_organization_id": None}) == "person:yan"
    assert speaker_key({"speaker_person_id": None, "speaker_organization_id": "time"}) == "organization:time"
    assert speaker_key({"speaker_person_id": None, "speaker_organization_id": None}) is None
    assert mention_key({"person_id": None, "organization_id": None, "place_id": "kyiv"}) == "place:kyiv"


def test_number_prints_whole_values_without_decimals() -> None:
    """Whole numbers get thousands separators and no ".0"; others keep their decimals."""
    assert [number(v) for v in (1500.0, 2.5, 7, "300")] == ["1,500", "2.5", "7", "300"]
