"""Inter-annotator agreement between the two independent annotation passes.

    python -m article_data_build.agreement          # rewrite the agreement section of DATASHEET.md
    python -m article_data_build.agreement --check  # exit 1 if DATASHEET.md is not up to date

The first pass (annotations/agreement/first_pass/, the tables as built before
adjudication) and the second (annotations/agreement/second_pass/, made by an
annotator who saw only the text and the guide) are frozen inputs; the published
tables are the adjudicated result. Entity ids differ between passes, so each
second-pass entity is mapped to the first-pass entity it shares the most mention
and quotation spans with (or, failing that, the same name).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from article_data import Package
from article_data._vocabulary import ENTITY_ID_COLUMNS, MARKED_TYPES

from .blocks import replace_block, run_generator
from .layout import ROOT
from .model import MutableRow as Row

PASSES = ROOT / "annotations" / "agreement"
DATASHEET = ROOT / "DATASHEET.md"
START, END = "<!-- agreement:start -->", "<!-- agreement:end -->"
ENTITY_TABLES = ENTITY_ID_COLUMNS


def load(which: str, table: str) -> list[Row]:
    rows: list[Row] = json.loads((PASSES / which / f"{table}.json").read_text(encoding="utf-8"))
    for row in rows:
        for key in list(row):
            if key.startswith("char_") or key in ("value", "age", "position"):
                row[key] = None if row[key] is None else float(row[key]) if key == "value" else int(row[key])
    return rows


def span(row: Row) -> tuple[int, int]:
    return int(row["char_start"]), int(row["char_end"])


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def f1(first: set[Any], second: set[Any]) -> str:
    both = len(first & second)
    total = len(first) + len(second)
    return f"{2 * both / total:.3f}" if total else "n/a"


def kappa(pairs: list[tuple[Any, Any]]) -> str:
    """Cohen's kappa over paired labels (n/a when chance agreement is total)."""
    if not pairs:
        return "n/a"
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return "n/a" if expected == 1 else f"{(observed - expected) / (1 - expected):.3f}"


def percent(pairs: list[tuple[Any, Any]]) -> str:
    return f"{100 * sum(a == b for a, b in pairs) / len(pairs):.1f}%" if pairs else "n/a"


def entity_map(first: dict[str, list[Row]], second: dict[str, list[Row]]) -> dict[tuple[str, Any], Any]:
    """Map (table, second-pass id) to the first-pass id sharing the most spans, else the same name."""

    def spans_by_entity(tables: dict[str, list[Row]]) -> dict[tuple[str, str], set[tuple[int, int]]]:
        out: dict[tuple[str, str], set[tuple[int, int]]] = {}
        for row in tables["mentions"]:
            for table, column in ENTITY_TABLES.items():
                if row.get(column):
                    out.setdefault((table, row[column]), set()).add(span(row))
        for row in tables["quotes"]:
            for table, column in (("people", "speaker_person_id"), ("organizations", "speaker_organization_id")):
                if row.get(column):
                    out.setdefault((table, row[column]), set()).add(span(row))
        return out

    first_spans, second_spans = spans_by_entity(first), spans_by_entity(second)
    mapping = {}
    for table, column in ENTITY_TABLES.items():
        names = {str(r["name"]).lower(): r[column] for r in first[table] if r.get("name")}
        for row in second[table]:
            key = (table, row[column])
            scores = {fid: len(s & second_spans.get(key, set())) for (t, fid), s in first_spans.items() if t == table}
            best = max(scores.items(), key=lambda kv: kv[1], default=(None, 0))
            if best[1] > 0:
                mapping[key] = best[0]
            elif row.get("name") and str(row["name"]).lower() in names:
                mapping[key] = names[str(row["name"]).lower()]
    return mapping


def report() -> str:
    tables = [t for t in Package(ROOT).tables if (PASSES / "first_pass" / f"{t}.json").is_file()]
    first = {t: load("first_pass", t) for t in tables}
    second = {t: load("second_pass", t) for t in tables}
    ids = entity_map(first, second)

    def mapped(table: str, value: Any) -> Any:
        return ids.get((table, value), f"unmapped:{value}") if value else None

    lines = [
        "| table | rows (pass 1 / pass 2) | units matched | F1 | label agreement on matched units |",
        "|---|---|---|---|---|",
    ]

    pairs = [(a["kind"], b["kind"]) for a in first["paragraphs"] for b in second["paragraphs"] if span(a) == span(b)]
    lines.append(
        f"| paragraphs | {len(first['paragraphs'])} / {len(second['paragraphs'])} | exact span | "
        f"{f1({span(r) for r in first['paragraphs']}, {span(r) for r in second['paragraphs']})} | "
        f"kind {percent(pairs)} (κ {kappa(pairs)}) |"
    )

    q1 = {span(r): r for r in first["quotes"]}
    q2 = {span(r): r for r in second["quotes"]}
    matched = [(q1[s], q2[s]) for s in q1.keys() & q2.keys()]
    types = [(a["quote_type"], b["quote_type"]) for a, b in matched]
    speakers = [
        (
            (a["speaker_person_id"], a["speaker_organization_id"]),
            (mapped("people", b["speaker_person_id"]), mapped("organizations", b["speaker_organization_id"])),
        )
        for a, b in matched
        if a["quote_type"] not in ("name", "scare")
    ]
    marked = MARKED_TYPES
    marked_f1 = f1(
        {s for s, r in q1.items() if r["quote_type"] in marked}, {s for s, r in q2.items() if r["quote_type"] in marked}
    )
    lines.append(
        f"| quotes | {len(q1)} / {len(q2)} | exact span | {f1(set(q1), set(q2))} (marked quotes {marked_f1}) | "
        f"type {percent(types)} (κ {kappa(types)}); speaker {percent(speakers)} of {len(speakers)} speech rows |"
    )

    for table, column in ENTITY_TABLES.items():
        a = {r[column] for r in first[table]}
        b = {mapped(table, r[column]) for r in second[table]}
        wikidata = [
            (x.get("wikidata_id"), y.get("wikidata_id"))
            for x in first[table]
            for y in second[table]
            if mapped(table, y[column]) == x[column]
        ]
        lines.append(f"| {table} | {len(a)} / {len(b)} | same entity | {f1(a, b)} | Wikidata id {percent(wikidata)} |")

    for mention_type in ("name", "descriptive"):
        m1 = {span(r): r for r in first["mentions"] if r.get("mention_type", "name") == mention_type}
        m2 = {span(r): r for r in second["mentions"] if r.get("mention_type", "name") == mention_type}
        links = []
        for s in m1.keys() & m2.keys():
            one, two = m1[s], m2[s]
            left = next((one[c] for c in ENTITY_TABLES.values() if one.get(c)), None)
            right = next((mapped(t, two[c]) for t, c in ENTITY_TABLES.items() if two.get(c)), None)
            links.append((left, right))
        lines.append(
            f"| mentions ({mention_type}) | {len(m1)} / {len(m2)} | exact span | {f1(set(m1), set(m2))} | "
            f"entity {percent(links)} |"
        )

    f_1, f_2 = first["figures"], second["figures"]
    exact = f1({span(r) for r in f_1}, {span(r) for r in f_2})
    overlap_pairs = [(a, b) for a in f_1 for b in f_2 if overlaps(span(a), span(b))]
    found_1 = {span(a) for a, _ in overlap_pairs}
    found_2 = {span(b) for _, b in overlap_pairs}
    overlap_f1 = f"{(len(found_1) + len(found_2)) / (len(f_1) + len(f_2)):.3f}"
    values = [((a["kind"], a["value"], a["date"]), (b["kind"], b["value"], b["date"])) for a, b in overlap_pairs]
    lines.append(
        f"| figures | {len(f_1)} / {len(f_2)} | exact span; overlapping span | {exact}; {overlap_f1} | "
        f"kind, value and date {percent(values)} |"
    )

    images = [
        (a[k], b[k])
        for a in first["images"]
        for b in second["images"]
        if a["paragraph_id"] == b["paragraph_id"]
        for k in ("caption", "credit", "date_taken")
    ]
    lines.append(
        f"| images | {len(first['images'])} / {len(second['images'])} | same caption line | "
        f"{f1({r['paragraph_id'] for r in first['images']}, {r['paragraph_id'] for r in second['images']})} | "
        f"caption, credit, date {percent(images)} |"
    )

    d_1, d_2 = first["defects"], second["defects"]
    pairs_d = [(a, b) for a in d_1 for b in d_2 if overlaps(span(a), span(b))]
    found_1 = {span(a) for a, _ in pairs_d}
    found_2 = {span(b) for _, b in pairs_d}
    lines.append(
        f"| defects | {len(d_1)} / {len(d_2)} | overlapping span | "
        f"{(len(found_1) + len(found_2)) / (len(d_1) + len(d_2)):.3f} | "
        f"kind {percent([(a['kind'], b['kind']) for a, b in pairs_d])} |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    def regenerate(root: Path) -> dict[Path, str]:
        datasheet = root / DATASHEET.name
        return {datasheet: replace_block(datasheet.read_text(encoding="utf-8"), START, END, report(), datasheet)}

    return run_generator(
        "agreement", "Write the agreement table of the two passes into DATASHEET.md.", regenerate, argv
    )


if __name__ == "__main__":
    sys.exit(main())
