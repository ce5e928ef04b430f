"""The W3C Web Annotation JSON-LD context (http://www.w3.org/ns/anno.jsonld), for the tests' offline document loader.

The terms are those of the context the W3C publishes with the Web Annotation Vocabulary
(W3C Recommendation, 23 February 2017); the tests have no network, so pyld is given
this copy when it asks for that URL.
"""

from __future__ import annotations

from typing import Any

URL = "http://www.w3.org/ns/anno.jsonld"

_PREFIXES = {
    "oa": "http://www.w3.org/ns/oa#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dctypes": "http://purl.org/dc/dcmitype/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "iana": "http://www.iana.org/assignments/relation/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "as": "http://www.w3.org/ns/activitystreams#",
    "schema": "http://schema.org/",
}
_CLASSES = {
    "Annotation": "oa:Annotation",
    "Dataset": "dctypes:Dataset",
    "Image": "dctypes:StillImage",
    "Video": "dctypes:MovingImage",
    "Audio": "dctypes:Sound",
    "Text": "dctypes:Text",
    "TextualBody": "oa:TextualBody",
    "ResourceSelection": "oa:ResourceSelection",
    "SpecificResource": "oa:SpecificResource",
    "FragmentSelector": "oa:FragmentSelector",
    "CssSelector": "oa:CssSelector",
    "XPathSelector": "oa:XPathSelector",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector",
    "DataPositionSelector": "oa:DataPositionSelector",
    "SvgSelector": "oa:SvgSelector",
    "RangeSelector": "oa:RangeSelector",
    "TimeState": "oa:TimeState",
    "HttpRequestState": "oa:HttpRequestState",
    "CssStylesheet": "oa:CssStyle",
    "Choice": "oa:Choice",
    "Person": "foaf:Person",
    "Software": "as:Application",
    "Organization": "foaf:Organization",
    "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    "Audience": "schema:Audience",
}
_MOTIVATIONS = (
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "reviewing",
    "tagging",
)
_IDS = {
    "motivation": "oa:motivatedBy",
    "purpose": "oa:hasPurpose",
    "accessibility": "schema:accessibilityFeature",
    "bodyValue": "oa:bodyValue",
    "target": "oa:hasTarget",
    "source": "oa:hasSource",
    "selector": "oa:hasSelector",
    "state": "oa:hasState",
    "scope": "oa:hasScope",
    "refinedBy": "oa:refinedBy",
    "startSelector": "oa:hasStartSelector",
    "endSelector": "oa:hasEndSelector",
    "renderedVia": "oa:renderedVia",
    "creator": "dcterms:creator",
    "generator": "as:generator",
    "rights": "dcterms:rights",
    "homepage": "foaf:homepage",
    "via": "oa:via",
    "canonical": "oa:canonical",
    "stylesheet": "oa:styledBy",
    "cached": "oa:cachedSource",
    "conformsTo": "dcterms:conformsTo",
    "items": "as:items",
    "partOf": "as:partOf",
    "first": "as:first",
    "last": "as:last",
    "next": "as:next",
    "prev": "as:prev",
    "audience": "schema:audience",
}
_LITERALS = {
    "id": "@id",
    "type": "@type",
    "format": "dc:format",
    "language": "dc:language",
    "processingLanguage": "oa:processingLanguage",
    "textDirection": "oa:textDirection",
    "created": "dcterms:created",
    "modified": "dcterms:modified",
    "generated": "dcterms:issued",
    "value": "rdf:value",
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
    "styleClass": "oa:styleClass",
    "name": "foaf:name",
    "email": "foaf:mbox",
    "email_sha1": "foaf:mbox_sha1sum",
    "nickname": "foaf:nick",
    "label": "rdfs:label",
    "sourceDate": "oa:sourceDate",
    "sourceDateStart": "oa:sourceDateStart",
    "sourceDateEnd": "oa:sourceDateEnd",
}


def context() -> dict[str, Any]:
    """The context document, as a JSON-LD processor receives it."""
    terms: dict[str, Any] = {**_PREFIXES, **_CLASSES, **_LITERALS}
    terms.update({m: f"oa:{m}" for m in _MOTIVATIONS})
    terms.update({term: {"@type": "@id", "@id": iri} for term, iri in _IDS.items()})
    terms["motivation"]["@type"] = terms["purpose"]["@type"] = "@vocab"
    terms["body"] = {"@type": "@id", "@id": "oa:hasBody"}
    terms["start"] = {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"}
    terms["end"] = {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"}
    terms["total"] = {"@id": "as:totalItems", "@type": "xsd:nonNegativeInteger"}
    terms["startIndex"] = {"@id": "as:startIndex", "@type": "xsd:nonNegativeInteger"}
    terms["items"] = {"@type": "@id", "@id": "as:items", "@container": "@list"}
    return {"@context": terms}


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pyld's document loader: this context for its URL, and nothing else (no network)."""
    if url.rstrip("/") != URL:
        raise ValueError(f"offline document loader: no copy of {url}")
    return {"contextUrl": None, "documentUrl": URL, "document": context()}
