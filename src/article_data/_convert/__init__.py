"""The annotated article in the formats NLP tools read: spaCy, brat standoff, CoNLL BIO, W3C Web Annotation.

One module per format; :func:`convert` writes any of them where the command line
(``article-data convert FORMAT -o PATH``) asks. spaCy (and so ``spacy`` and
``conll``) comes with the extra ``article-data[spacy]``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .._annotations import Annotations
from .._errors import FormatError
from .._names import CONVERT_FORMATS
from .._output import OutputError, write_output
from ._brat import brat_files
from ._conll import conll_text
from ._spacy import docbin_bytes, to_spacy
from ._webanno import web_annotations

__all__ = ["brat_files", "conll_text", "convert", "docbin_bytes", "to_spacy", "web_annotations", "write_brat"]


def write_brat(ann: Annotations, folder: str) -> Path:
    """Write the brat files into ``folder`` (created if missing, with its parents); return it."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{folder}: is not a folder; brat standoff is a folder of files: give a folder name")
    path.mkdir(parents=True, exist_ok=True)
    for name, text in brat_files(ann).items():
        write_output(str(path / name), text.encode("utf-8"))
    return path


def convert(ann: Annotations, fmt: str, output: str) -> str:
    """Write the annotations in ``fmt`` to ``output``; return how the output was named."""
    if fmt == "brat":
        if output == "-":
            raise OutputError("brat standoff is a folder of files: give -o FOLDER, not -o -")
        return str(write_brat(ann, output))
    if fmt == "spacy":
        if output == "-":
            raise OutputError("a DocBin is binary: give -o FILE.spacy, not -o -")
        return write_output(output, docbin_bytes(ann))
    if fmt == "conll":
        return write_output(output, conll_text(ann).encode("utf-8"))
    if fmt == "webanno":
        data = json.dumps(web_annotations(ann), ensure_ascii=False, indent=1) + "\n"
        return write_output(output, data.encode("utf-8"))
    raise FormatError(fmt, list(CONVERT_FORMATS))
