"""Describe the article itself in schema.org JSON-LD: a NewsArticle, its photos and what it mentions.

The build calls :func:`news_article` with the descriptor and the rows of the
tables and writes the result as ``article.jsonld``. The document describes
this copy of the article as printed:

- ``headline``: the text of the ``headline`` paragraph;
- ``author``: the byline as printed (without its "By:" label), which is not
  the original's author (see the ``defects`` table);
- ``isBasedOn``: the original TIME article, from the descriptor's source
  "Original: <author>, "<headline>", <publisher>, published <date>";
- ``image``: one ``ImageObject`` per ``images`` row, with ``caption``,
  ``creditText``, photographer, agency, place and date;
- ``mentions``: every person, organization and place with at least one row in
  ``mentions``, with ``sameAs`` its Wikidata page where the tables have an id.

The ``@context`` is inline (``@vocab`` schema.org), so reading the file needs no
network. Entities are blank nodes (``_:person-yan``) referenced by ``@id``
wherever they reappear.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from article_data._rows import is_missing
from article_data._vocabulary import ENTITY_ID_COLUMNS

from .errors import MetadataError
from .model import Row

SCHEMA_ORG = "https://schema.org/"
WIKIDATA = "https://www.wikidata.org/wiki/"

#: Inline context: schema.org terms, and URLs as IRIs rather than strings.
CONTEXT: dict[str, Any] = {
    "@vocab": SCHEMA_ORG,
    "sameAs": {"@type": "@id"},
    "url": {"@type": "@id"},
}

#: The descriptor's source naming the original article.
ORIGINAL = re.compile(
    r'^Original: (?P<author>[^,]+), "(?P<headline>[^"]+)", (?P<publisher>[^,]+), published (?P<date>\d{4}-\d{2}-\d{2})$'
)
BYLINE_LABEL = re.compile(r"^By:?\s*")

#: Entity table -> its schema.org type.
SCHEMA_TYPES = {"people": "Person", "organizations": "Organization", "places": "Place"}
#: Entity tables: (table, id column, schema.org type, node id prefix).
ENTITY_TABLES = tuple(
    (table, column, SCHEMA_TYPES[table], column.removesuffix("_id")) for table, column in ENTITY_ID_COLUMNS.items()
)


def _text(value: Any) -> str | None:
    return None if is_missing(value) else str(value)


def _one_paragraph(paragraphs: Sequence[Row], kind: str) -> str:
    texts = [str(p["text"]) for p in paragraphs if p["kind"] == kind]
    if len(texts) != 1:
        raise MetadataError(f"expected exactly one {kind!r} paragraph, found {len(texts)}")
    return texts[0]


def original_article(descriptor: Mapping[str, Any]) -> dict[str, str]:
    """Return the original article's author, headline, publisher and date from the descriptor.

    Parameters
    ----------
    descriptor : Mapping
        The data package descriptor; one of its ``sources`` has the title
        ``Original: <author>, "<headline>", <publisher>, published <YYYY-MM-DD>``.

    Returns
    -------
    dict
        ``author``, ``headline``, ``publisher`` and ``date``.

    Raises
    ------
    ValueError
        If no source has that form, or several do.

    Examples
    --------
    >>> original_article({"sources": [{"title": 'Original: A. B, "Title", TIME, published 2022-04-08'}]})
    {'author': 'A. B', 'headline': 'Title', 'publisher': 'TIME', 'date': '2022-04-08'}
    """
    found = [m.groupdict() for s in descriptor.get("sources", []) if (m := ORIGINAL.match(str(s.get("title", ""))))]
    if len(found) != 1:
        raise MetadataError(
            f"expected one source titled 'Original: <author>, \"<headline>\", <publisher>, published <YYYY-MM-DD>', found {len(found)}"
        )
    return found[0]


def _entity_node(kind: str, prefix: str, id_column: str, row: Row) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": f"_:{prefix}-{row[id_column]}", "@type": kind, "identifier": str(row[id_column])}
    name = _text(row.get("name"))
    if name is not None:
        node["name"] = name
    aliases = row.get("aliases")  # a list (Table Schema ``list``) or None
    if aliases:
        node["alternateName"] = [str(a) for a in aliases]
    description = _text(row.get("description"))
    if kind == "Person" and name is None:  # an unnamed person: the label says who it is
        description = "; ".join(d for d in (_text(row.get("label")), description) if d)
    if description is not None:
        node["description"] = description
    wikidata_id = _text(row.get("wikidata_id"))
    if wikidata_id is not None:
        node["sameAs"] = WIKIDATA + wikidata_id
    return node


def news_article(descriptor: Mapping[str, Any], tables: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    """Return the schema.org ``NewsArticle`` (a JSON-LD dict) describing the article.

    Parameters
    ----------
    descriptor : Mapping
        The data package descriptor: ``sources`` (for the original article),
        and ``name``, ``version`` and ``homepage`` (for the dataset the article
        is the subject of).
    tables : Mapping
        Rows by table name (mappings of column to value; nulls may be None, NaN
        or pd.NA): ``paragraphs``, ``people``, ``organizations``, ``places``,
        ``mentions`` and ``images``.

    Returns
    -------
    dict
        The JSON-LD document, in a fixed order: entities in table order.

    Raises
    ------
    ValueError
        If there is not exactly one headline and one byline paragraph, or the
        descriptor does not name the original article.
    """
    paragraphs = tables["paragraphs"]
    headline = _one_paragraph(paragraphs, "headline")
    byline = BYLINE_LABEL.sub("", _one_paragraph(paragraphs, "byline"))
    original = original_article(descriptor)

    mentioned: set[tuple[str, str]] = set()
    for mention in tables["mentions"]:
        for table, id_column, _, _ in ENTITY_TABLES:
            value = _text(mention.get(id_column))
            if value is not None:
                mentioned.add((table, value))

    nodes: dict[tuple[str, str], dict[str, Any]] = {}
    mentions: list[dict[str, Any]] = []
    for table, id_column, kind, prefix in ENTITY_TABLES:
        for row in tables[table]:
            key = (table, str(row[id_column]))
            nodes[key] = _entity_node(kind, prefix, id_column, row)
            if key in mentioned:
                mentions.append(nodes[key])

    def ref(table: str, value: Any) -> dict[str, Any]:
        """A reference to a mentioned entity's node, or the whole node if it is not mentioned."""
        key = (table, str(value))
        return {"@id": nodes[key]["@id"]} if key in mentioned else nodes[key]

    publisher = next(
        (key for key, node in nodes.items() if key[0] == "organizations" and node.get("name") == original["publisher"]),
        None,
    )
    based_on: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": original["headline"],
        "author": {"@type": "Person", "name": original["author"]},
        "publisher": ref(*publisher) if publisher else {"@type": "Organization", "name": original["publisher"]},
        "datePublished": original["date"],
    }

    images = []
    for row in tables["images"]:
        image: dict[str, Any] = {
            "@type": "ImageObject",
            "identifier": str(row["image_id"]),
            "caption": str(row["caption"]),
            "creditText": str(row["credit"]),
        }
        for prop, table, column in (
            ("creator", "people", "photographer_person_id"),
            ("provider", "organizations", "agency_organization_id"),
            ("locationCreated", "places", "place_id"),
        ):
            value = _text(row.get(column))
            if value is not None:
                image[prop] = ref(table, value)
        date_taken = _text(row.get("date_taken"))
        if date_taken is not None:
            image["dateCreated"] = date_taken[:10]
        images.append(image)

    article: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": headline,
        "author": {"@type": "Person", "name": byline},
        "isBasedOn": based_on,
        "image": images,
        "mentions": mentions,
    }
    dataset: dict[str, Any] = {"@type": "Dataset", "name": descriptor.get("name")}
    if descriptor.get("version"):
        dataset["version"] = descriptor["version"]
    if descriptor.get("homepage"):
        dataset["url"] = descriptor["homepage"]
    article["subjectOf"] = dataset
    return article
