"""The NLP exports, each read back by a real tool: spaCy, `spacy convert`, a brat standoff reader, pyld."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import article_data as ad
from article_data._annotations import SPAN_TABLES, mention_entity_type
from helpers import BIN, run

TEXT = ad.article_text()
TABLES = {name: ad.load(name) for name in SPAN_TABLES}


def spans(table: str) -> list[tuple[int, int]]:
    frame = TABLES[table]
    return list(zip(frame.char_start.astype(int), frame.char_end.astype(int), strict=True))


def test_spacy_doc_has_every_span_of_the_tables_with_its_row(tmp_path: Path) -> None:
    """The DocBin written by `convert spacy` holds ents = mentions and span groups = the tables, rows reachable."""
    import spacy
    from spacy.tokens import DocBin

    out = tmp_path / "article.spacy"
    run(BIN / "article-data", "convert", "spacy", "-o", out, check=True)
    doc = next(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert doc.text == TEXT
    assert [(e.start_char, e.end_char) for e in doc.ents] == spans("mentions")
    for table in SPAN_TABLES:
        assert [(s.start_char, s.end_char) for s in doc.spans[table]] == spans(table), table
    people = ad.load("people").set_index("person_id")
    putin = next(e for e in doc.ents if e.text == "Putin")
    assert (putin.label_, putin.kb_id_) == ("PERSON", people.loc["vladimir_putin", "wikidata_id"])
    ad.to_spacy()  # registers the span extension in this process
    quote = doc.spans["quotes"][0]
    assert quote._.article_data["speaker"] == "Yan" and quote._.article_data["quote_type"] == quote.label_ == "direct"
    figure = next(s for s in doc.spans["figures"] if s.id_ == "f03")
    assert figure._.article_data["value"] == 200 and figure.label_ == "count"
    kinds = [mention_entity_type(r) for r in TABLES["mentions"].to_dict("records")]
    assert [e._.article_data["entity_type"] for e in doc.ents] == kinds


def test_spacy_kb_id_falls_back_to_the_dataset_id() -> None:
    """A mention of an entity without a Wikidata id carries the dataset id as kb_id_."""
    doc = ad.to_spacy()
    yan = next(e for e in doc.ents if e.text == "Yan")
    assert yan.kb_id_ == "yan" and yan.label_ == "PERSON"


def test_conll_reads_back_through_spacy_convert_to_every_mention(tmp_path: Path) -> None:
    """`python -m spacy convert FILE DIR --converter ner` gives back every mention, with its label, in order."""
    import spacy
    from spacy.tokens import DocBin

    conll = tmp_path / "article.conll"
    conll.write_text(ad.to_conll(), encoding="utf-8")
    run(BIN / "python", "-m", "spacy", "convert", conll, tmp_path, "--converter", "ner", check=True)
    docs = list(DocBin().from_disk(tmp_path / "article.spacy").get_docs(spacy.blank("en").vocab))
    read_back = [([t.text for t in e], e.label_) for d in docs for e in d.ents]
    expected = [([t.text for t in e], e.label_) for e in ad.to_spacy().ents]  # the same tokens, the same labels
    assert read_back == expected and len(read_back) == len(TABLES["mentions"])


def standoff_reader() -> Any:
    """brat-peek's reader module (``peek.ann_structure``), loaded alone: the package's ``__init__`` also
    imports its plotting module, which needs seaborn, which the reader does not.
    """
    import importlib.util

    found = importlib.util.find_spec("peek")
    assert found is not None and found.origin is not None, "brat-peek is not installed (requirements.lock pins it)"
    spec = importlib.util.spec_from_file_location("peek_ann_structure", Path(found.origin).parent / "ann_structure.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_brat_standoff_is_read_back_by_a_standoff_reader(tmp_path: Path) -> None:
    """brat-peek reads the .ann: one text-bound per row, offsets into the text, attributes and Speaker relations."""
    AnnDocument = standoff_reader().AnnDocument

    folder = tmp_path / "brat"
    run(BIN / "article-data", "convert", "brat", "-o", folder, check=True)
    assert (folder / "article.txt").read_bytes() == ad.path("article").read_bytes()
    doc = AnnDocument(str(folder / "article.ann"))
    entities = doc.anns["entities"]
    assert len(entities) == sum(len(TABLES[t]) for t in ("mentions", "quotes", "figures", "defects"))
    for entity in entities:  # brat's rule: the text field is the text between the offsets
        ((start, end),) = entity.span
        assert TEXT[start:end] == entity.text
    assert sorted(e.span[0] for e in entities if e.tag == "Quote") == sorted(spans("quotes"))
    speech = int(TABLES["quotes"].is_speech.sum())
    assert len(doc.anns["relations"]) == speech
    by_name = {e.name: e for e in entities}
    for relation in doc.anns["relations"]:
        quote, speaker = by_name[relation.arg1.split(":")[1]], by_name[relation.arg2.split(":")[1]]
        assert quote.tag == "Quote" and speaker.tag in ("Person", "Organization")
    assert all(len(e.attr) == 1 for e in entities)


def test_brat_ids_are_unique_and_references_resolve(tmp_path: Path) -> None:
    """Standoff rules the reader does not check: unique ids, every reference to an existing annotation, declared types."""
    files = ad.to_brat(tmp_path / "b")
    lines = (files / "article.ann").read_text(encoding="utf-8").splitlines()
    ids = [line.split("\t")[0] for line in lines]
    assert len(ids) == len(set(ids))
    text_bound = {i for i in ids if i.startswith("T")}
    conf = (files / "annotation.conf").read_text(encoding="utf-8")
    for line in lines:
        name, body = line.split("\t")[:2]
        if name[0] in "AN#":
            assert body.split()[1] in text_bound, line
        if name[0] == "T":
            assert f"\n{body.split()[0]}\n" in conf
    assert sum(line.startswith("N") and "Wikidata:Q7747" in line for line in lines) >= 1


def test_web_annotations_expand_with_pyld_to_the_oa_vocabulary(tmp_path: Path) -> None:
    """Pyld expands the JSON-LD with the standard context; every selector gives back the row's span and text."""
    from pyld import jsonld

    from anno_context import document_loader

    out = tmp_path / "annotations.jsonld"
    run(BIN / "article-data", "convert", "webanno", "-o", out, check=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    expanded = jsonld.expand(data, {"documentLoader": document_loader})
    oa = "http://www.w3.org/ns/oa#"
    nodes = [
        n
        for n in jsonld.flatten(expanded, None, {"documentLoader": document_loader})
        if f"{oa}Annotation" in n.get("@type", [])
    ]
    assert len(nodes) == sum(len(TABLES[t]) for t in ("mentions", "quotes", "figures", "defects"))
    items = data["first"]["items"]
    for item in items:
        position, quote = item["target"]["selector"]
        assert position["type"] == "TextPositionSelector" and quote["type"] == "TextQuoteSelector"
        assert TEXT[position["start"] : position["end"]] == quote["exact"]
        assert TEXT[: position["start"]].endswith(quote["prefix"]) and TEXT[position["end"] :].startswith(
            quote["suffix"]
        )
    putin = next(i for i in items if i["id"].endswith("mentions:m0022"))
    assert {
        "type": "SpecificResource",
        "source": "http://www.wikidata.org/entity/Q7747",
        "purpose": "identifying",
    } in putin["body"]


@pytest.mark.parametrize("fmt", ["brat", "spacy"])
def test_a_folder_or_binary_format_refuses_standard_output(fmt: str) -> None:
    """`-o -` is refused where the output cannot be one text stream, with a message saying what to give."""
    result = run(BIN / "article-data", "convert", fmt, "-o", "-")
    assert result.returncode == 1 and "not -o -" in result.stderr
