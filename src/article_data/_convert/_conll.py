"""The mentions as token-per-line BIO (CoNLL 2003 style), readable by ``spacy convert --converter ner``.

Tokens are spaCy's (``spacy.blank("en")``), whitespace tokens left out; one
sentence per line of the article (blank line between); the first line is the
``-DOCSTART-`` marker. Each line is ``token<TAB>tag``; tags are ``B-``/``I-`` plus the
label of ``doc.ents`` (:data:`article_data._convert._spacy.ENT_LABELS`).
"""

from __future__ import annotations

from .._annotations import Annotations
from ._spacy import to_spacy

__all__ = ["DOCSTART", "conll_text"]

DOCSTART = "-DOCSTART- -X- O O"


def conll_text(ann: Annotations) -> str:
    """The BIO file's text."""
    doc = to_spacy(ann)
    sentences: list[list[str]] = [[]]
    for token in doc:
        if token.is_space:
            if "\n" in token.text and sentences[-1]:
                sentences.append([])
            continue
        tag = f"{token.ent_iob_}-{token.ent_type_}" if token.ent_iob_ in ("B", "I") else "O"
        sentences[-1].append(f"{token.text}\t{tag}")
    blocks = ["\n".join(lines) for lines in sentences if lines]
    return DOCSTART + "\n\n" + "\n\n".join(blocks) + "\n"
