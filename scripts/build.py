#!/usr/bin/env python3
"""Build the data package from the article and the curated annotations.

    python scripts/build.py            # build into the repository (data/, schemas/, datapackage.json,
                                       # croissant.json, article.jsonld)
    python scripts/build.py --out DIR  # build a copy into DIR (used by the rebuild test)

Humans write only judgments in annotations/*.yaml (which words are a quote, who
said them, what a number means). This script finds every annotated string in the
text and computes offsets, paragraph ids, mention rows, aliases, positions, byte
counts and hashes. It reports every problem at once, with the input file and
line, and then writes nothing. Otherwise it writes the whole package into a
staging folder, validates it with article_data, and only then swaps it into
place; a build killed at any point leaves the previous package intact (an
interrupted swap is rolled back by the next run).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from article_data import TABLES, Package, ValidationError, __version__  # noqa: E402
from article_data._croissant import croissant_metadata, rai_problems, release_date  # noqa: E402
from article_data._jsonld import news_article  # noqa: E402
from article_data._writer import json_bytes, write_package  # noqa: E402

OUTPUTS = ("data", "schemas", "datapackage.json", "DATA_DICTIONARY.md", "croissant.json", "article.jsonld")
STATE = ".build"
SPEECH_TYPES = {"direct", "partial", "unmarked", "indirect"}
NO_CLOSING = {"unmarked", "indirect"}
ID = re.compile(r"^[a-z][a-z0-9_]*$")


# -- reading the inputs -------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Inputs:
    """Everything read from annotations/ and schemas/, plus the problems found so far."""

    root: Path
    problems: list[str] = field(default_factory=list)
    responsible_ai: dict[str, Any] = field(default_factory=dict)  # package.yaml's, for croissant.json only
    released: str | None = None  # the release date CHANGELOG.md gives this version, if any

    def problem(self, where: str, line: int | None, message: str) -> None:
        self.problems.append(f"{where}:{line if line is not None else 1}: {message}")

    def read_yaml(self, name: str) -> Any:
        path = self.root / "annotations" / name
        rel = f"annotations/{name}"
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (safe loader subclass)
        except FileNotFoundError:
            self.problem(rel, None, "missing input file")
        except UnicodeDecodeError as exc:
            self.problem(rel, None, f"not UTF-8 ({exc})")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            self.problem(rel, mark.line + 1 if mark else None, f"malformed YAML: {getattr(exc, 'problem', None) or exc}")
        return None

    def rows(self, name: str, allowed: set[str], required: set[str]) -> list[dict[str, Any]]:
        """Read a YAML list of mappings, checking keys; rows carry '__file__' and '__line__'."""
        data = self.read_yaml(name)
        rel = f"annotations/{name}"
        if data is None:
            return []
        if not isinstance(data, list):
            self.problem(rel, None, f"expected a YAML list of entries, found {type(data).__name__}")
            return []
        good = []
        for item in data:
            if not isinstance(item, dict):
                self.problem(rel, None, f"expected a mapping per entry, found {item!r:.60}")
                continue
            line = item.get("__line__")
            keys = set(item) - {"__line__"}
            for key in sorted(keys - allowed):
                self.problem(rel, line, f"unknown key {key!r}; expected keys among {sorted(allowed)}")
            for key in sorted(required - keys):
                self.problem(rel, line, f"missing required key {key!r}")
            item["__file__"] = rel
            good.append(item)
        return good


def _where(row: dict[str, Any]) -> tuple[str, int | None]:
    return row.get("__file__", "annotations"), row.get("__line__")


# -- locating strings in the text --------------------------------------------------------


@dataclass
class Article:
    text: str
    paragraphs: list[dict[str, Any]]

    def paragraph(self, pid: str) -> dict[str, Any] | None:
        return next((p for p in self.paragraphs if p["paragraph_id"] == pid), None)

    def containing(self, start: int, end: int) -> dict[str, Any] | None:
        return next((p for p in self.paragraphs if p["char_start"] <= start and end <= p["char_end"]), None)


def locate(inputs: Inputs, article: Article, row: dict[str, Any], key: str = "text") -> tuple[int, int, str] | None:
    """Find row[key] in the article (inside row['paragraph'] if given); return start, end, paragraph_id."""
    where, line = _where(row)
    needle = row.get(key)
    if not isinstance(needle, str) or not needle:
        inputs.problem(where, line, f"{key!r} must be a non-empty string, found {needle!r:.60}")
        return None
    lo, hi = 0, len(article.text)
    pid = row.get("paragraph")
    if pid is not None:
        para = article.paragraph(pid)
        if para is None:
            inputs.problem(where, line, f"unknown paragraph {pid!r}; expected p01..p{len(article.paragraphs):02d}")
            return None
        lo, hi = para["char_start"], para["char_end"]
    hits = []
    at = article.text.find(needle, lo, hi)
    while at != -1:
        hits.append(at)
        at = article.text.find(needle, at + 1, hi)
    scope = f"paragraph {pid}" if pid else "the article"
    occurrence = row.get("occurrence")
    if not hits:
        inputs.problem(where, line, f"{key} {needle!r:.80} not found in {scope}; copy it exactly from annotations/article.txt")
        return None
    if occurrence is None:
        if len(hits) > 1:
            inputs.problem(where, line, f"{key} {needle!r:.80} occurs {len(hits)} times in {scope} (offsets {hits[:8]}); "
                           "add `occurrence: N` (1-based) or `paragraph:` to choose one")
            return None
        start = hits[0]
    elif not isinstance(occurrence, int) or isinstance(occurrence, bool) or not 1 <= occurrence <= len(hits):
        inputs.problem(where, line, f"occurrence {occurrence!r} is out of range: {needle!r:.60} occurs {len(hits)} time(s) in {scope}")
        return None
    else:
        start = hits[occurrence - 1]
    end = start + len(needle)
    para = article.containing(start, end)
    if para is None:
        inputs.problem(where, line, f"{key} {needle!r:.60} crosses a line break; a span must lie inside one paragraph")
        return None
    return start, end, para["paragraph_id"]


# -- the tables ---------------------------------------------------------------------------


def enum(schemas: dict[str, Any], table: str, column: str) -> list[str]:
    fields = {f["name"]: f for f in schemas[table]["fields"]}
    return list(fields[column].get("constraints", {}).get("enum", []))


def check_enum(inputs: Inputs, row: dict[str, Any], key: str, values: list[str]) -> None:
    if row.get(key) not in values:
        where, line = _where(row)
        inputs.problem(where, line, f"{key} {row.get(key)!r} is not one of {values}")


def check_ids(inputs: Inputs, rows: list[dict[str, Any]]) -> set[str]:
    seen: set[str] = set()
    for row in rows:
        where, line = _where(row)
        rid = row.get("id")
        if not isinstance(rid, str) or not ID.match(rid):
            inputs.problem(where, line, f"id {rid!r} must be lowercase letters, digits and '_', starting with a letter")
        elif rid in seen:
            inputs.problem(where, line, f"duplicate id {rid!r}")
        else:
            seen.add(rid)
    return seen


def check_ref(inputs: Inputs, row: dict[str, Any], key: str, known: set[str], table: str) -> str | None:
    value = row.get(key)
    if value is not None and value not in known:
        where, line = _where(row)
        inputs.problem(where, line, f"{key} {value!r} is not an id in {table}; known ids: {sorted(known)[:12]}...")
    return value  # type: ignore[no-any-return]


def build_paragraphs(inputs: Inputs, text: str, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    entries = inputs.rows("paragraphs.yaml", {"kind", "starts"}, {"kind", "starts"})
    lines = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line:
            lines.append((number, offset, line))
        offset += len(line) + 1
    if entries and len(entries) != len(lines):
        inputs.problem("annotations/paragraphs.yaml", None,
                       f"expected one entry per non-empty line: the text has {len(lines)}, the file lists {len(entries)}")
    kinds = enum(schemas, "paragraphs", "kind")
    rows = []
    for position, ((number, start, line), entry) in enumerate(zip(lines, entries), start=1):
        check_enum(inputs, entry, "kind", kinds)
        if not line.startswith(str(entry.get("starts"))):
            where, at = _where(entry)
            inputs.problem(where, at, f"entry {position} should describe line {number}, which starts {line[:40]!r}, "
                           f"not {entry.get('starts')!r}")
        rows.append({"paragraph_id": f"p{position:02d}", "position": position, "line_number": number,
                     "kind": entry.get("kind"), "char_start": start, "char_end": start + len(line), "text": line})
    return rows


ENTITY_KEYS = {
    "people": ({"id", "name", "label", "is_pseudonym", "description", "age", "wikidata_id", "mention_forms", "wikidata_source"},
               {"id", "name", "is_pseudonym", "description", "age", "wikidata_id", "mention_forms"}),
    "organizations": ({"id", "name", "kind", "description", "wikidata_id", "mention_forms", "wikidata_source"},
                      {"id", "name", "kind", "description", "wikidata_id", "mention_forms"}),
    "places": ({"id", "name", "kind", "wikidata_id", "mention_forms", "wikidata_source"},
               {"id", "name", "kind", "wikidata_id", "mention_forms"}),
}
ENTITY_COLUMN = {"people": "person_id", "organizations": "organization_id", "places": "place_id"}


def build_mentions(inputs: Inputs, article: Article, entities: dict[str, list[dict[str, Any]]],
                   known: dict[str, set[str]]) -> list[dict[str, Any]]:
    """Every whole-word occurrence of a mention form, longest first; then mentions.yaml's edits."""
    candidates = []
    form_owner: dict[str, tuple[str, str]] = {}
    for table, rows in entities.items():
        for row in rows:
            where, line = _where(row)
            forms = row.get("mention_forms")
            if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
                inputs.problem(where, line, f"mention_forms must be a list of non-empty strings, found {forms!r:.60}")
                continue
            for form in forms:
                if form in form_owner and form_owner[form] != (table, row.get("id")):
                    inputs.problem(where, line, f"mention form {form!r} also belongs to {form_owner[form][1]!r}; "
                                   "a form must name one entity (use mentions.yaml to add the others)")
                form_owner[form] = (table, row.get("id"))
                found = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", article.text)]
                if not found:
                    inputs.problem(where, line, f"mention form {form!r} occurs nowhere in the text as a whole word")
                candidates += [(start, start + len(form), table, row.get("id")) for start in found]
    chosen: list[tuple[int, int, str, Any, str]] = []
    for cand in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(cand[1] <= c[0] or c[1] <= cand[0] for c in chosen):
            chosen.append((*cand, "name"))
    edits = inputs.read_yaml("mentions.yaml") or {}
    if not isinstance(edits, dict) or set(edits) - {"exclude", "add", "__line__"}:
        inputs.problem("annotations/mentions.yaml", None, "expected a mapping with the keys 'exclude' and 'add'")
        edits = {}
    for entry in edits.get("exclude") or []:
        entry["__file__"] = "annotations/mentions.yaml"
        span = locate(inputs, article, entry) if isinstance(entry, dict) else None
        if span is None:
            continue
        match = [c for c in chosen if (c[0], c[1]) == span[:2]]
        if not match:
            inputs.problem(*_where(entry), f"exclude {entry.get('text')!r}: no computed mention there to exclude")
        chosen = [c for c in chosen if (c[0], c[1]) != span[:2]]
    for entry in edits.get("add") or []:
        entry["__file__"] = "annotations/mentions.yaml"
        span = locate(inputs, article, entry) if isinstance(entry, dict) else None
        if span is None:
            continue
        targets = [(t, entry[k]) for t, k in (("people", "person"), ("organizations", "organization"), ("places", "place")) if entry.get(k)]
        if len(targets) != 1:
            inputs.problem(*_where(entry), "an added mention names exactly one of person, organization, place")
            continue
        table, eid = targets[0]
        mention_type = entry.get("mention_type", "name")
        if mention_type not in ("name", "descriptive"):
            inputs.problem(*_where(entry), f"mention_type {mention_type!r} is not one of ['name', 'descriptive']")
        if eid not in known[table]:
            inputs.problem(*_where(entry), f"{eid!r} is not an id in {table}")
        if any(not (span[1] <= c[0] or c[1] <= span[0]) for c in chosen):
            inputs.problem(*_where(entry), f"added mention {entry.get('text')!r} overlaps a computed one")
        chosen.append((span[0], span[1], table, eid, mention_type))
    width = len(str(len(article.text)))
    mentions = []
    for start, end, table, eid, mention_type in sorted(chosen):
        para = article.containing(start, end)
        row = {"mention_id": f"m{start:0{width}d}", "paragraph_id": para["paragraph_id"] if para else None,
               "char_start": start, "char_end": end, "text": article.text[start:end],
               "person_id": None, "organization_id": None, "place_id": None, "mention_type": mention_type}
        row[ENTITY_COLUMN[table]] = eid
        mentions.append(row)
    return mentions


def aliases(entity: dict[str, Any], column: str, mentions: list[dict[str, Any]]) -> str | None:
    forms = sorted({m["text"] for m in mentions if m[column] == entity["id"] and m["mention_type"] == "name"}
                   - {entity.get("name")})
    return " | ".join(forms) or None


def build(root: Path) -> tuple[Inputs, dict[str, Any]]:
    """Read every input and compute every table; problems are collected in Inputs."""
    inputs = Inputs(root)
    article_bytes = (root / "annotations" / "article.txt").read_bytes()
    try:
        text = article_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        inputs.problem("annotations/article.txt", None, f"not UTF-8: {exc}")
        return inputs, {}
    schemas: dict[str, Any] = {}
    for name in TABLES:
        path = root / "schemas" / f"{name}.schema.json"
        try:
            schemas[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            inputs.problem(f"schemas/{name}.schema.json", None, f"cannot read the Table Schema: {exc}")
    if len(schemas) != len(TABLES):
        return inputs, {}
    paragraphs = build_paragraphs(inputs, text, schemas)
    article = Article(text, paragraphs)
    entities = {t: inputs.rows(f"{t}.yaml", *ENTITY_KEYS[t]) for t in ENTITY_KEYS}
    known = {t: check_ids(inputs, rows) for t, rows in entities.items()}
    for row in entities["organizations"]:
        check_enum(inputs, row, "kind", enum(schemas, "organizations", "kind"))
    for row in entities["places"]:
        check_enum(inputs, row, "kind", enum(schemas, "places", "kind"))
    mentions = build_mentions(inputs, article, entities, known)

    people = [{"person_id": r["id"], "name": r.get("name"), "label": r.get("label") or r.get("name"),
               "aliases": aliases(r, "person_id", mentions), "is_pseudonym": r.get("is_pseudonym"),
               "description": r.get("description"), "age": r.get("age"), "wikidata_id": r.get("wikidata_id")}
              for r in entities["people"]]
    for row, out in zip(entities["people"], people):
        if out["label"] is None:
            inputs.problem(*_where(row), "an unnamed person needs a 'label'")
    organizations = [{"organization_id": r["id"], "name": r.get("name"), "aliases": aliases(r, "organization_id", mentions),
                      "kind": r.get("kind"), "description": r.get("description"), "wikidata_id": r.get("wikidata_id")}
                     for r in entities["organizations"]]
    places = [{"place_id": r["id"], "name": r.get("name"), "aliases": aliases(r, "place_id", mentions),
               "kind": r.get("kind"), "wikidata_id": r.get("wikidata_id")} for r in entities["places"]]

    span_keys = {"id", "text", "paragraph", "occurrence"}
    quote_rows = inputs.rows("quotes.yaml", span_keys | {"quote_type", "speaker_person", "speaker_organization", "cue"},
                             {"id", "text", "quote_type"})
    check_ids(inputs, quote_rows)
    quotes = []
    for row in quote_rows:
        check_enum(inputs, row, "quote_type", enum(schemas, "quotes", "quote_type"))
        span = locate(inputs, article, row)
        person = check_ref(inputs, row, "speaker_person", known["people"], "people")
        org = check_ref(inputs, row, "speaker_organization", known["organizations"], "organizations")
        cue = row.get("cue")
        if span is None:
            continue
        start, end, pid = span
        qtype = row.get("quote_type")
        para = article.paragraph(pid)
        if cue is not None and para is not None and not re.search(r"(?<!\w)" + re.escape(str(cue)) + r"(?!\w)", para["text"]):
            inputs.problem(*_where(row), f"cue {cue!r} does not occur in paragraph {pid}")
        quotes.append({"quote_id": row["id"], "paragraph_id": pid, "char_start": start, "char_end": end,
                       "text": text[start:end], "quote_type": qtype, "is_speech": qtype in SPEECH_TYPES,
                       "has_closing_mark": qtype not in NO_CLOSING and text[end:end + 1] == "\u201d",
                       "speaker_person_id": person, "speaker_organization_id": org, "cue": cue})

    figure_rows = inputs.rows("figures.yaml", span_keys | {"kind", "value", "unit", "qualifier", "date", "subject"},
                              {"id", "text", "kind", "qualifier", "subject"})
    check_ids(inputs, figure_rows)
    figures = []
    for row in figure_rows:
        check_enum(inputs, row, "kind", enum(schemas, "figures", "kind"))
        check_enum(inputs, row, "qualifier", enum(schemas, "figures", "qualifier"))
        span = locate(inputs, article, row)
        if span is None:
            continue
        date = row.get("date")
        if date is not None and not isinstance(date, str):
            inputs.problem(*_where(row), f"date must be a quoted ISO 8601 string, found {date!r}")
            date = str(date)
        figures.append({"figure_id": row["id"], "paragraph_id": span[2], "char_start": span[0], "char_end": span[1],
                        "text": text[span[0]:span[1]], "kind": row.get("kind"), "value": row.get("value"),
                        "unit": row.get("unit"), "qualifier": row.get("qualifier"), "date": date,
                        "date_precision": {4: "year", 7: "month", 10: "day"}.get(len(date)) if date else None,
                        "subject": row.get("subject")})

    image_rows = inputs.rows("images.yaml", {"id", "paragraph", "caption", "credit", "photographer_person",
                                             "agency_organization", "date_taken", "place"},
                             {"id", "paragraph", "caption", "credit", "photographer_person",
                              "agency_organization", "date_taken", "place"})
    check_ids(inputs, image_rows)
    images = []
    for row in image_rows:
        caption = locate(inputs, article, row, "caption")
        credit = locate(inputs, article, row, "credit")
        refs = [check_ref(inputs, row, k, known[t], t) for k, t in
                (("photographer_person", "people"), ("agency_organization", "organizations"), ("place", "places"))]
        if caption is None or credit is None:
            continue
        images.append({"image_id": row["id"], "paragraph_id": caption[2], "caption": text[caption[0]:caption[1]],
                       "caption_char_start": caption[0], "caption_char_end": caption[1],
                       "credit": text[credit[0]:credit[1]], "credit_char_start": credit[0], "credit_char_end": credit[1],
                       "photographer_person_id": refs[0], "agency_organization_id": refs[1],
                       "date_taken": str(row.get("date_taken")), "place_id": refs[2]})

    defect_rows = inputs.rows("defects.yaml", span_keys | {"kind", "correction", "note"}, {"id", "text", "kind", "note"})
    check_ids(inputs, defect_rows)
    defects = []
    for row in defect_rows:
        check_enum(inputs, row, "kind", enum(schemas, "defects", "kind"))
        span = locate(inputs, article, row)
        if span is None:
            continue
        defects.append({"defect_id": row["id"], "paragraph_id": span[2], "char_start": span[0], "char_end": span[1],
                        "text": text[span[0]:span[1]], "kind": row.get("kind"), "correction": row.get("correction"),
                        "note": row.get("note")})

    metadata = inputs.read_yaml("package.yaml")
    if not isinstance(metadata, dict):
        inputs.problem("annotations/package.yaml", None, "expected a mapping of descriptor properties")
        metadata = {}
    rai = metadata.pop("responsible_ai", {})  # written into croissant.json, not datapackage.json
    for problem in rai_problems(rai):
        inputs.problem("annotations/package.yaml", rai.get("__line__") if isinstance(rai, dict) else None, problem)
    inputs.responsible_ai = _strip_lines(rai) if isinstance(rai, dict) else {}
    changelog = root / "CHANGELOG.md"
    inputs.released = release_date(changelog.read_text(encoding="utf-8"), __version__) if changelog.is_file() else None
    metadata = _strip_lines(metadata)
    metadata = {"name": metadata.pop("name", None), "version": __version__, **metadata}
    tables = {"paragraphs": paragraphs, "quotes": quotes, "people": people, "organizations": organizations,
              "places": places, "mentions": mentions, "figures": figures, "images": images, "defects": defects}
    return inputs, {"article": article_bytes, "tables": tables, "schemas": schemas, "metadata": metadata}


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__file__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


# -- the data dictionary ------------------------------------------------------------------


def data_dictionary(schemas: dict[str, Any], tables: dict[str, list[Any]]) -> str:
    """Render the data dictionary (Markdown) from the Table Schemas."""
    out = [
        "# Data dictionary",
        "",
        f"Generated by `scripts/build.py` from `schemas/*.schema.json` for version {__version__}; do not edit by hand.",
        "",
        "Spans (`char_start`, `char_end`) are Unicode code point offsets into `data/article.txt`, end exclusive:",
        "`text == article[char_start:char_end]`. In the CSV files an empty cell is null.",
        "",
    ]
    for name in TABLES:
        schema = schemas[name]
        out += [f"## {name}", "", f"{schema.get('description', '')} {len(tables[name])} rows.", ""]
        out += ["| column | type | required | constraints | description |", "|---|---|---|---|---|"]
        fks = {fk["fields"][0]: fk["reference"] for fk in schema.get("foreignKeys", [])}
        for f in schema["fields"]:
            c = dict(f.get("constraints", {}))
            required = "yes" if c.pop("required", False) else ""
            notes = []
            if f["name"] in schema.get("primaryKey", []):
                notes.append("primary key")
            if f["name"] in fks:
                notes.append(f"→ {fks[f['name']]['resource']}.{fks[f['name']]['fields'][0]}")
            for key, value in c.items():
                if key == "enum":
                    notes.append("one of " + ", ".join(f"`{v}`" for v in value))
                elif key == "pattern":
                    notes.append(f"pattern `{value}`")
                elif key == "unique":
                    if "primary key" not in notes:
                        notes.append("unique")
                else:
                    notes.append(f"{key} {value}")
            out.append(f"| `{f['name']}` | {f['type']} | {required} | {'; '.join(notes)} | {f.get('description', '')} |")
        out.append("")
    return "\n".join(out)


# -- Croissant and schema.org descriptions -------------------------------------------------


def write_descriptions(dest: Path, descriptor: dict[str, Any], built: dict[str, Any], inputs: Inputs) -> None:
    """Write croissant.json (the package in Croissant) and article.jsonld (the article in schema.org)."""
    croissant = croissant_metadata(descriptor, built["schemas"], inputs.responsible_ai, date_published=inputs.released)
    (dest / "croissant.json").write_bytes(json_bytes(croissant))
    (dest / "article.jsonld").write_bytes(json_bytes(news_article(descriptor, built["tables"])))


# -- writing, atomically ----------------------------------------------------------------


def recover(root: Path) -> None:
    """Finish or undo a swap that a killed build left half done."""
    state = root / STATE
    journal = state / "swap.json"
    if not journal.exists():
        return
    info = json.loads(journal.read_text())
    staging, backup = Path(info["staging"]), Path(info["backup"])
    if (staging / "datapackage.json").exists():  # the commit point was not reached: roll back
        for name in OUTPUTS:
            if (backup / name).exists():
                if (root / name).exists():
                    os.replace(root / name, staging / f"{name}.discarded")
                os.replace(backup / name, root / name)
            elif name in info.get("absent", []) and (root / name).exists():  # new with this build: take it out
                os.replace(root / name, staging / f"{name}.discarded")
        print("build: rolled back a build that was interrupted while swapping files; the previous package is intact",
              file=sys.stderr)
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(backup, ignore_errors=True)


def publish(root: Path, staging: Path) -> None:
    """Move the validated staging folder's outputs into root; datapackage.json last (the commit point)."""
    state = root / STATE
    backup = Path(tempfile.mkdtemp(prefix="backup-", dir=state))
    journal = state / "swap.json"
    absent = [name for name in OUTPUTS if not (root / name).exists()]
    journal.write_text(json.dumps({"staging": str(staging), "backup": str(backup), "absent": absent}))
    for name in OUTPUTS:
        if name == "datapackage.json":
            continue
        if (root / name).exists():
            os.replace(root / name, backup / name)
        os.replace(staging / name, root / name)
    if (root / "datapackage.json").exists():
        shutil.copy2(root / "datapackage.json", backup / "datapackage.json")
    os.replace(staging / "datapackage.json", root / "datapackage.json")
    journal.unlink()
    shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="build into this folder instead of the repository")
    parser.add_argument("--inputs", type=Path, default=ROOT, help="folder holding annotations/ and schemas/ (default: the repository)")
    args = parser.parse_args(argv)
    dest = (args.out or args.inputs).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    (dest / STATE).mkdir(exist_ok=True)
    recover(dest)
    inputs, built = build(args.inputs.resolve())
    if inputs.problems:
        print(f"build: {len(inputs.problems)} problem(s) in the inputs; nothing was written:", file=sys.stderr)
        for problem in inputs.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    staging = Path(tempfile.mkdtemp(prefix="staging-", dir=dest / STATE))
    try:
        descriptor = write_package(staging, **built)
        (staging / "DATA_DICTIONARY.md").write_text(data_dictionary(built["schemas"], built["tables"]) + "\n", encoding="utf-8")
        write_descriptions(staging, descriptor, built, inputs)
        Package(staging).validate()
    except ValidationError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build: the built package does not validate; nothing was published:\n{exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # croissant.json or article.jsonld cannot describe the package
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build: cannot describe the built package; nothing was published:\n{exc}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish(dest, staging)
    try:
        (dest / STATE).rmdir()
    except OSError:
        pass  # not empty: something else lives there; leave it
    counts = ", ".join(f"{n} {len(r)}" for n, r in built["tables"].items())
    print(f"build: article-data {__version__} written to {dest} ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
