"""The dataset's vocabulary: each fact that code needs, stated once.

The build, the validation, the page and ``scripts/agreement.py`` import these
names; nothing else spells them out. Enum *values* are not here: they are in the
Table Schemas (``constraints.enum``), which every reader takes them from. What is
here is what a schema cannot say: which quote types are speech, which open with a
mark, the marks themselves, how a date's precision follows from its ISO form,
which column links an entity table, the media type of each file format, and the
words the page uses for enum values.
"""

from __future__ import annotations

__all__ = [
    "CLOSING_MARK",
    "DATE_PRECISIONS",
    "ENTITY_ID_COLUMNS",
    "ENTITY_TYPES",
    "LABELS",
    "MARKED_TYPES",
    "MEDIA_TYPES",
    "OPENING_MARK",
    "SPEAKER_COLUMNS",
    "SPEECH_TYPES",
    "UNMARKED_TYPES",
    "date_precision",
    "quoted",
]

#: Quotation marks as the article prints them.
OPENING_MARK = "\u201c"
CLOSING_MARK = "\u201d"

#: Quote types that are someone's speech (they need exactly one speaker).
SPEECH_TYPES: tuple[str, ...] = ("direct", "partial", "unmarked", "indirect")
#: Quote types that open with a quotation mark (one row per opening mark).
MARKED_TYPES: tuple[str, ...] = ("direct", "partial", "name", "scare")
#: Quote types printed without quotation marks: ``has_closing_mark`` is null (no mark to close; false in 1.x).
UNMARKED_TYPES: tuple[str, ...] = ("unmarked", "indirect")

#: A figure's ISO 8601 date length -> its ``date_precision``.
DATE_PRECISIONS: dict[int, str] = {4: "year", 7: "month", 10: "day"}

#: Entity table -> its id column (also the column a mention or an image links it by).
ENTITY_ID_COLUMNS: dict[str, str] = {"people": "person_id", "organizations": "organization_id", "places": "place_id"}
#: Entity table -> the word for one of its rows (``mentions.entity_type``, ``speaker_kind``).
ENTITY_TYPES: dict[str, str] = {"people": "person", "organizations": "organization", "places": "place"}
#: Entity table -> the quotes column naming a speaker of that kind.
SPEAKER_COLUMNS: dict[str, str] = {"people": "speaker_person_id", "organizations": "speaker_organization_id"}

#: File format -> media type, in ``datapackage.json`` and ``croissant.json`` alike
#: (``application/x-parquet`` is the form Croissant readers know).
MEDIA_TYPES: dict[str, str] = {
    "txt": "text/plain",
    "csv": "text/csv",
    "parquet": "application/x-parquet",
    "json": "application/json",
}

#: Words the page uses for enum values, by ``table.column``.
LABELS: dict[str, dict[str, str]] = {
    "quotes.quote_type": {
        "direct": "direct quotation",
        "partial": "partial quotation",
        "unmarked": "unmarked speech (printed without quotation marks)",
        "indirect": "indirect (reported) speech",
        "name": "name in quotation marks",
        "scare": "scare quotes",
    },
    "figures.qualifier": {
        "exact": "",
        "approximate": "about ",
        "more_than": "more than ",
        "at_least": "at least ",
        "up_to": "up to ",
    },
    "paragraphs.kind": {
        "image_caption": "photo caption (grey rule, credit in capitals)",
        "related_link": "\u201crelated\u201d teaser (between rules)",
        "byline": "byline (bold, under a heavy rule)",
        "footer": "site boilerplate (grey box)",
    },
}


def date_precision(iso_date: str | None) -> str | None:
    """The precision of an ISO 8601 date by its length, or None.

    >>> date_precision("2022-04-05"), date_precision("2022-02"), date_precision(None)
    ('day', 'month', None)
    """
    return DATE_PRECISIONS.get(len(iso_date)) if iso_date else None


def quoted(text: object) -> str:
    """Text between the article's own quotation marks, for display.

    >>> quoted("fake")
    '\u201cfake\u201d'
    """
    return f"{OPENING_MARK}{text}{CLOSING_MARK}"
