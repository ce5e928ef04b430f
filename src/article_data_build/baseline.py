"""A simple, honest baseline for each scoring task, scored by the scorer; its numbers go into DATASHEET.md.

    python -m article_data_build.baseline          # rewrite the baseline section of DATASHEET.md
    python -m article_data_build.baseline --check  # exit 1 if DATASHEET.md is not up to date

- mentions: spaCy's rule-based ``PhraseMatcher`` over the names and aliases of the
  entity tables (case-sensitive; overlapping hits resolved longest first). It knows
  every entity in advance, so it is an upper bound for a gazetteer, and it finds no
  descriptive mention ("the battalion", "his platoon").
- quotes: the text between a pair of the article's quotation marks on one line; the
  speaker is the person or organization whose name the matcher found nearest before
  the opening mark. Reported, unmarked and unclosed speech is missed; names and scare
  quotes are predicted as speech.
- figures: runs of digits (with ``,``, ``.``, ``%``) and ``Month day[, year]`` dates;
  the value is the number, the unit ``percent`` after ``%``, the date ISO where a year
  is printed. Spelled-out numbers ("three men", "in the hundreds") are missed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from article_data import Package
from article_data._annotations import Annotations, load_annotations
from article_data._score import score
from article_data._vocabulary import CLOSING_MARK, OPENING_MARK

from .blocks import replace_block, run_generator
from .layout import ROOT

DATASHEET = ROOT / "DATASHEET.md"
START, END = "<!-- baseline:start -->", "<!-- baseline:end -->"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_DATE = re.compile(rf"({'|'.join(MONTHS)}) (\d{{1,2}})(?:, (\d{{4}}))?")
_QUOTE = re.compile(f"{OPENING_MARK}([^{OPENING_MARK}{CLOSING_MARK}\n]+){CLOSING_MARK}")

Prediction = dict[str, Any]


def mentions(ann: Annotations) -> list[Prediction]:
    """Every exact occurrence of an entity's name or alias, as spaCy's PhraseMatcher finds it."""
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for key, entity in ann.entities.items():
        matcher.add(key, list(nlp.pipe(entity.names)))
    doc = nlp(ann.text)
    out = []
    for span in filter_spans(matcher(doc, as_spans=True)):
        entity = ann.entities[span.label_]
        out.append(
            {
                "char_start": span.start_char,
                "char_end": span.end_char,
                "type": entity.type,
                "entity": entity.kb_id,
                "text": span.text,
            }
        )
    return out


def quotes(ann: Annotations, found: list[Prediction]) -> list[Prediction]:
    """Paired quotation marks on one line; the nearest preceding person or organization named."""
    speakers = [m for m in found if m["type"] != "place"]
    out = []
    for match in _QUOTE.finditer(ann.text):
        before = [m for m in speakers if m["char_end"] <= match.start()]
        speaker = before[-1]["entity"] if before else None
        out.append({"char_start": match.start(1), "char_end": match.end(1), "speaker": speaker, "text": match.group(1)})
    return out


def figures(ann: Annotations) -> list[Prediction]:
    """Dates with a month name, and numbers in digits."""
    out: list[Prediction] = []
    taken: set[int] = set()
    for match in _DATE.finditer(ann.text):
        month, day, year = MONTHS.index(match.group(1)) + 1, int(match.group(2)), match.group(3)
        out.append(
            {
                "char_start": match.start(),
                "char_end": match.end(),
                "value": None,
                "unit": None,
                "date": f"{year}-{month:02d}-{day:02d}" if year else None,
                "text": match.group(),
            }
        )
        taken |= set(range(match.start(), match.end()))
    for match in _NUMBER.finditer(ann.text):
        if match.start() in taken:
            continue
        digits = match.group().rstrip("%").replace(",", "")
        out.append(
            {
                "char_start": match.start(),
                "char_end": match.end(),
                "value": float(digits.rstrip(".")),
                "unit": "percent" if match.group().endswith("%") else None,
                "date": None,
                "text": match.group(),
            }
        )
    return sorted(out, key=lambda p: int(p["char_start"]))


def report(ann: Annotations) -> str:
    """The datasheet's table of the baseline's scores."""
    found = mentions(ann)
    m = score(ann, "mentions", found)
    q = score(ann, "quotes", quotes(ann, found))
    f = score(ann, "figures", figures(ann))

    def prf(result: dict[str, Any]) -> str:
        return f"{result['precision']:.3f} | {result['recall']:.3f} | {result['f1']:.3f}"

    def acc(result: dict[str, Any]) -> str:
        return (
            "n/a"
            if result["accuracy"] is None
            else f"{result['accuracy']:.3f} ({result['right']}/{result['evaluated']})"
        )

    by_type = ", ".join(f"{kind} {row['end_to_end_recall']:.2f}" for kind, row in q["by_quote_type"].items())
    lines = [
        f"Baseline scores on article-data {ann.version} (`python -m article_data_build.baseline`):",
        "",
        "| task | measure | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| mentions | {scheme} | {prf(m[scheme])} |" for scheme in ("strict", "exact", "partial", "type")]
    lines += [f"| quotes | span {scheme} | {prf(q['span'][scheme])} |" for scheme in ("strict", "partial")]
    lines.append(f"| quotes | end to end | {prf(q['end_to_end'])} |")
    lines += [f"| figures | span {scheme} | {prf(f['span'][scheme])} |" for scheme in ("strict", "partial")]
    lines += [
        "",
        f"Mention linking accuracy {acc(m['linking'])}; quote attribution accuracy {acc(q['attribution'])}; "
        f"figure value accuracy {acc(f['value'])}, date accuracy {acc(f['date'])}. End-to-end quote recall by "
        f"type: {by_type}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    def regenerate(root: Path) -> dict[Path, str]:
        datasheet = root / DATASHEET.name
        block = report(load_annotations(Package(root)))
        return {datasheet: replace_block(datasheet.read_text(encoding="utf-8"), START, END, block, datasheet)}

    return run_generator("baseline", "Score the baseline and write its numbers into DATASHEET.md.", regenerate, argv)


if __name__ == "__main__":
    sys.exit(main())
