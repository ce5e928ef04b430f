"""article.jsonld: the article as a schema.org NewsArticle that parses offline and agrees with the tables."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef

import article_data as ad
from article_data_build.jsonld import news_article
from helpers import ROOT

JSONLD = ROOT / "article.jsonld"

# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph; not this project's code.
pytestmark = [
    pytest.mark.usefixtures("offline"),
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]
SDO = Namespace("https://schema.org/")
WIKIDATA = "https://www.wikidata.org/wiki/"
ENTITIES = (
    ("people", "person_id", SDO.Person),
    ("organizations", "organization_id", SDO.Organization),
    ("places", "place_id", SDO.Place),
)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The committed article.jsonld as JSON."""
    return json.loads(JSONLD.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    """The committed article.jsonld parsed as JSON-LD by rdflib."""
    return rdflib.Graph().parse(data=JSONLD.read_text(encoding="utf-8"), format="json-ld")


@pytest.fixture(scope="module")
def article(graph: rdflib.Graph) -> rdflib.term.Node:
    """The described article: the one node that nothing else points to."""
    roots = {s for s in graph.subjects() if not any(graph.subject_predicates(s))}
    assert len(roots) == 1, roots
    return roots.pop()


def _one(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: URIRef) -> Any:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def _text(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: URIRef) -> str:
    value = _one(graph, subject, predicate)
    assert isinstance(value, Literal), value
    return str(value)


def _mentioned_ids() -> dict[str, set[str]]:
    mentions = ad.load("mentions")
    return {table: set(mentions[column].dropna()) for table, column, _ in ENTITIES}


def test_jsonld_parses_offline_with_an_inline_context(document: dict[str, Any], graph: rdflib.Graph) -> None:
    """The file carries its own schema.org context (no remote one) and rdflib reads it into triples."""
    assert isinstance(document["@context"], dict)
    assert document["@context"]["@vocab"] == "https://schema.org/"
    assert "http" not in json.dumps({k: v for k, v in document["@context"].items() if k != "@vocab"})
    assert len(graph) > 100


def test_jsonld_describes_one_news_article_with_the_headline(graph: rdflib.Graph, article: rdflib.term.Node) -> None:
    """The top node is the one NewsArticle not cited by another, and its headline is the headline paragraph."""
    paragraphs = ad.load("paragraphs")
    headline = paragraphs.loc[paragraphs.kind == "headline", "text"].tolist()
    assert len(headline) == 1
    assert (article, RDF.type, SDO.NewsArticle) in graph
    assert _text(graph, article, SDO.headline) == headline[0]
    query = """SELECT ?a WHERE { ?a a schema:NewsArticle . FILTER NOT EXISTS { ?x schema:isBasedOn ?a } }"""
    assert [row[0] for row in graph.query(query, initNs={"schema": SDO})] == [article]


def test_jsonld_author_is_the_byline_as_printed(graph: rdflib.Graph, article: rdflib.term.Node) -> None:
    """The author is a Person named by the byline line exactly as printed, its "By:" label left out."""
    paragraphs = ad.load("paragraphs")
    byline = paragraphs.loc[paragraphs.kind == "byline", "text"].tolist()
    assert len(byline) == 1
    author = _one(graph, article, SDO.author)
    assert (author, RDF.type, SDO.Person) in graph
    assert _text(graph, author, SDO.name) == re.sub(r"^By:\s*", "", byline[0])
    assert _text(graph, author, SDO.name) == "Miss Cherry May Timbol – Independent Reporter"


def test_jsonld_is_based_on_the_time_original(graph: rdflib.Graph, article: rdflib.term.Node) -> None:
    """IsBasedOn is TIME's article by Amie Ferris-Rotman of 2022-04-08, published by the TIME of the tables."""
    original = _one(graph, article, SDO.isBasedOn)
    assert (original, RDF.type, SDO.NewsArticle) in graph
    assert _text(graph, original, SDO.headline) == "The Russians Fighting Putin in Ukraine"
    assert _text(graph, original, SDO.datePublished) == "2022-04-08"
    author = _one(graph, original, SDO.author)
    assert (author, RDF.type, SDO.Person) in graph
    assert _text(graph, author, SDO.name) == "Amie Ferris-Rotman"
    publisher = _one(graph, original, SDO.publisher)
    assert _text(graph, publisher, SDO.name) == "TIME"
    assert _text(graph, publisher, SDO.identifier) == "time"
    assert _one(graph, publisher, SDO.sameAs) == URIRef(WIKIDATA + "Q43297")


def test_jsonld_has_one_image_object_per_images_row(graph: rdflib.Graph, article: rdflib.term.Node) -> None:
    """Each images row is an ImageObject of the article with its caption, credit, photographer, agency, place and date."""
    images = ad.load("images")
    nodes = list(graph.objects(article, SDO.image))
    assert all((n, RDF.type, SDO.ImageObject) in graph for n in nodes)
    assert len(nodes) == len(list(graph.subjects(RDF.type, SDO.ImageObject))) == len(images)
    got = {}
    for node in nodes:
        got[_text(graph, node, SDO.identifier)] = (
            _text(graph, node, SDO.caption),
            _text(graph, node, SDO.creditText),
            _text(graph, _one(graph, node, SDO.creator), SDO.identifier),
            _text(graph, _one(graph, node, SDO.provider), SDO.identifier),
            _text(graph, _one(graph, node, SDO.locationCreated), SDO.identifier),
            _text(graph, node, SDO.dateCreated),
        )
    expected = {
        row.image_id: (
            row.caption,
            row.credit,
            row.photographer_person_id,
            row.agency_organization_id,
            row.place_id,
            row.date_taken.isoformat(),
        )
        for row in images.itertuples()
    }
    assert got == expected


@pytest.mark.parametrize(("table", "column", "kind"), ENTITIES, ids=[e[0] for e in ENTITIES])
def test_jsonld_mentions_are_the_mentioned_entities(
    graph: rdflib.Graph, article: rdflib.term.Node, table: str, column: str, kind: URIRef
) -> None:
    """The article mentions exactly the entities with a mentions row, by name, with sameAs their Wikidata page."""
    rows = ad.load(table).set_index(column)
    mentioned = _mentioned_ids()[table]
    nodes = [n for n in graph.objects(article, SDO.mentions) if (n, RDF.type, kind) in graph]
    got = {_text(graph, n, SDO.identifier): n for n in nodes}
    assert len(got) == len(nodes)
    assert set(got) == mentioned
    for entity, node in got.items():
        row = rows.loc[entity]
        names = [str(v) for v in graph.objects(node, SDO.name)]
        assert names == ([] if pd.isna(row["name"]) else [row["name"]]), entity
        same_as = list(graph.objects(node, SDO.sameAs))
        expected = [] if pd.isna(row["wikidata_id"]) else [URIRef(WIKIDATA + row["wikidata_id"])]
        assert same_as == expected, entity
    all_mentions = list(graph.objects(article, SDO.mentions))
    assert len(all_mentions) == sum(len(ids) for ids in _mentioned_ids().values())


def test_jsonld_is_what_the_generator_gives_for_the_tables(document: dict[str, Any]) -> None:
    """news_article over the loaded tables (pd.NA nulls) gives the committed document, built from raw rows."""
    tables = {
        t: ad.load(t).astype(object).to_dict("records")
        for t in ("paragraphs", "people", "organizations", "places", "mentions", "images")
    }
    assert news_article(ad.descriptor(), tables) == document


def test_jsonld_refuses_a_package_it_cannot_describe() -> None:
    """Without one headline, one byline and a source naming the original, news_article raises ValueError."""
    tables: dict[str, list[dict[str, Any]]] = {
        t: [] for t in ("paragraphs", "people", "organizations", "places", "mentions", "images")
    }
    descriptor = ad.descriptor()
    with pytest.raises(ValueError, match="exactly one 'headline' paragraph"):
        news_article(descriptor, tables)
    tables["paragraphs"] = [{"kind": "headline", "text": "H"}, {"kind": "byline", "text": "By: X"}]
    assert news_article(descriptor, tables)["author"] == {"@type": "Person", "name": "X"}
    with pytest.raises(ValueError, match="expected one source titled"):
        news_article({**descriptor, "sources": []}, tables)
