"""People, organizations, places and their mentions (article_data_build.entities), computed from the text and the YAML."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from article_data_build.assemble import build
from article_data_build.model import BuiltPackage
from helpers import ROOT, edit

MENTIONS = "annotations/mentions.yaml"


def built(root: Path) -> tuple[list[str], BuiltPackage]:
    inputs, package = build(root)
    assert package is not None, inputs.problems
    return inputs.problems, package


@pytest.fixture(scope="module")
def current() -> BuiltPackage:
    problems, package = built(ROOT)
    assert problems == []
    return package


def text_of(package: BuiltPackage) -> str:
    return package.article.decode("utf-8")


def whole_words(text: str, form: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text)]


def mentions_of(
    package: BuiltPackage, column: str, entity: str, mention_type: str | None = "name"
) -> list[dict[str, Any]]:
    return [
        m
        for m in package.tables["mentions"]
        if m[column] == entity and (mention_type is None or m["mention_type"] == mention_type)
    ]


def add_mention(root: Path, line: str) -> None:
    """Append one entry to the ``add`` list of mentions.yaml."""
    path = root / MENTIONS
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n  - {line}\n", encoding="utf-8")


# -- name mentions ---------------------------------------------------------------------------------


def test_entities_name_mentions_are_every_whole_word_occurrence(current: BuiltPackage) -> None:
    """Each form's whole-word occurrences are name mentions of its entity, and "Russian" is not "Russia"."""
    text = text_of(current)
    starts = {m["char_start"] for m in mentions_of(current, "place_id", "kharkiv")}
    assert starts == set(whole_words(text, "Kharkiv")) and starts
    kyiv = mentions_of(current, "place_id", "kyiv")
    assert sorted(m["char_start"] for m in kyiv) == sorted(whole_words(text, "Kyiv") + whole_words(text, "Kiev"))
    assert text.count("Russian") > 0
    for mention in mentions_of(current, "place_id", "russia"):
        assert mention["text"] == "Russia"
        assert not text[mention["char_end"]].isalnum()


def test_entities_mentions_are_the_text_at_their_offsets(current: BuiltPackage) -> None:
    """Every mention's text is the article slice at its offsets, inside its paragraph."""
    text = text_of(current)
    paragraphs = {p["paragraph_id"]: p for p in current.tables["paragraphs"]}
    for mention in current.tables["mentions"]:
        assert text[mention["char_start"] : mention["char_end"]] == mention["text"], mention["mention_id"]
        para = paragraphs[mention["paragraph_id"]]
        assert para["char_start"] <= mention["char_start"] < mention["char_end"] <= para["char_end"]


def test_entities_mentions_never_overlap_and_are_in_text_order(current: BuiltPackage) -> None:
    """Mentions are sorted by offset and no two share a character."""
    mentions = current.tables["mentions"]
    starts = [m["char_start"] for m in mentions]
    assert starts == sorted(starts)
    for before, after in itertools.pairwise(mentions):
        assert before["char_end"] <= after["char_start"], (before["mention_id"], after["mention_id"])


def test_entities_the_longest_form_wins_where_forms_overlap(current: BuiltPackage) -> None:
    """The name "Russia" inside "Freedom for Russia" belongs to the organization; "Putin" inside "Vladimir Putin" is one mention."""
    text = text_of(current)
    organization = whole_words(text, "Freedom for Russia")
    assert organization
    by_start = {m["char_start"]: m for m in current.tables["mentions"]}
    for start in organization:
        assert by_start[start]["organization_id"] == "freedom_for_russia"
        assert by_start[start]["text"] == "Freedom for Russia"
        inner = start + len("Freedom for ")
        assert inner not in by_start  # no mention of the country inside the name
    russia = {m["char_start"] for m in mentions_of(current, "place_id", "russia")}
    assert russia == set(whole_words(text, "Russia")) - {s + len("Freedom for ") for s in organization}
    full = whole_words(text, "Vladimir Putin")
    putin = {m["char_start"]: m["text"] for m in mentions_of(current, "person_id", "vladimir_putin")}
    assert full and all(putin[start] == "Vladimir Putin" for start in full)
    assert len(putin) == len(whole_words(text, "Putin"))  # the surname inside the full name is not counted twice


def test_entities_a_mention_id_is_m_and_its_start_offset(current: BuiltPackage) -> None:
    """A mention keeps no id of its own unless given: it is 'm' and its start, zero-padded to the text's width."""
    width = len(str(len(text_of(current))))
    kept = {"m2995", "m4489"}  # corrected spans that keep their published ids (mentions.yaml)
    for mention in current.tables["mentions"]:
        if mention["mention_id"] not in kept:
            assert mention["mention_id"] == f"m{mention['char_start']:0{width}d}"
    ids = [m["mention_id"] for m in current.tables["mentions"]]
    assert len(ids) == len(set(ids))


def test_entities_a_form_owned_by_two_entities_is_a_problem(repo_copy: Path) -> None:
    """A mention form listed for two entities is a problem at the second one's line, naming the first owner."""
    edit(
        repo_copy / "annotations" / "organizations.yaml", "mention_forms: [Telegram]", "mention_forms: [Telegram, Kyiv]"
    )
    problems, _ = built(repo_copy)
    assert [p for p in problems if "mention form 'Kyiv'" in p] == [
        "annotations/places.yaml:5: mention form 'Kyiv' also belongs to 'telegram'; "
        "a form must name one entity (use mentions.yaml to add the others)"
    ]


def test_entities_a_form_that_is_not_a_whole_word_is_a_problem(repo_copy: Path) -> None:
    """A form that occurs only inside longer words is a problem: it would never be a mention."""
    edit(repo_copy / "annotations" / "places.yaml", "mention_forms: [Kharkiv]", "mention_forms: [Kharkiv, Khark]")
    problems, _ = built(repo_copy)
    assert [p for p in problems if "Khark'" in p] == [
        "annotations/places.yaml:6: mention form 'Khark' occurs nowhere in the text as a whole word"
    ]


def test_entities_mention_forms_must_be_a_list_of_strings(repo_copy: Path) -> None:
    """mention_forms that is not a list of non-empty strings is a problem at the entity's line."""
    edit(repo_copy / "annotations" / "places.yaml", "mention_forms: [Bucha]", "mention_forms: Bucha")
    problems, _ = built(repo_copy)
    assert "annotations/places.yaml:7: mention_forms must be a list of non-empty strings, found 'Bucha'" in problems


# -- mentions.yaml ---------------------------------------------------------------------------------


def test_entities_exclude_removes_a_computed_mention(repo_copy: Path, current: BuiltPackage) -> None:
    """An ``exclude`` entry removes the computed mention at that span and nothing else."""
    text = text_of(current)
    second = whole_words(text, "Kyiv")[1]
    edit(repo_copy / MENTIONS, "exclude: []", "exclude:\n  - {text: Kyiv, occurrence: 2}")
    problems, package = built(repo_copy)
    assert problems == []
    assert {m["char_start"] for m in mentions_of(package, "place_id", "kyiv")} == {
        m["char_start"] for m in mentions_of(current, "place_id", "kyiv")
    } - {second}
    assert len(package.tables["mentions"]) == len(current.tables["mentions"]) - 1


def test_entities_exclude_where_nothing_was_computed_is_a_problem(repo_copy: Path) -> None:
    """Excluding a span that holds no computed mention is a problem at that entry."""
    edit(repo_copy / MENTIONS, "exclude: []", "exclude:\n  - {text: commuter town}")
    problems, _ = built(repo_copy)
    assert problems == ["annotations/mentions.yaml:15: exclude 'commuter town': no computed mention there to exclude"]


def test_entities_add_makes_a_descriptive_mention(repo_copy: Path, current: BuiltPackage) -> None:
    """An ``add`` entry becomes a mention of the named entity, with its type and an id from its offset."""
    text = text_of(current)
    start = whole_words(text, "anarchist")[0]
    add_mention(repo_copy, "{text: anarchist, person: yan, mention_type: descriptive}")
    problems, package = built(repo_copy)
    assert problems == []
    width = len(str(len(text)))
    added = next(m for m in package.tables["mentions"] if m["char_start"] == start)
    assert added == {
        "mention_id": f"m{start:0{width}d}",
        "paragraph_id": added["paragraph_id"],
        "char_start": start,
        "char_end": start + len("anarchist"),
        "text": "anarchist",
        "person_id": "yan",
        "organization_id": None,
        "place_id": None,
        "entity_type": "person",
        "mention_type": "descriptive",
    }
    assert len(package.tables["mentions"]) == len(current.tables["mentions"]) + 1


def test_entities_an_added_mention_keeps_its_id(repo_copy: Path, current: BuiltPackage) -> None:
    """An added mention with ``id:`` keeps that id instead of one from its offset."""
    text = text_of(current)
    start = whole_words(text, "anarchist")[0]
    add_mention(repo_copy, "{id: m0007, text: anarchist, person: yan, mention_type: descriptive}")
    problems, package = built(repo_copy)
    assert problems == []
    added = next(m for m in package.tables["mentions"] if m["char_start"] == start)
    assert added["mention_id"] == "m0007"
    kept = next(m for m in package.tables["mentions"] if m["mention_id"] == "m2995")
    assert kept["text"] == "new battalion" and kept["char_start"] != 2995


def test_entities_two_mentions_with_one_id_are_a_problem(repo_copy: Path) -> None:
    """An added mention given an id another mention has is a problem asking for the published id."""
    add_mention(repo_copy, "{id: m2995, text: anarchist, person: yan, mention_type: descriptive}")
    problems, _ = built(repo_copy)
    assert problems == [
        "annotations/mentions.yaml:1: two mentions would both have the id 'm2995'; "
        "give the corrected one its published id with `id:`"
    ]


ADD_PROBLEMS = {
    "no entity": (
        "{text: anarchist, mention_type: descriptive}",
        "an added mention names exactly one of person, organization, place",
    ),
    "two entities": (
        "{text: anarchist, person: yan, place: kyiv, mention_type: descriptive}",
        "an added mention names exactly one of person, organization, place",
    ),
    "unknown entity": (
        "{text: anarchist, occurrence: 1, person: vanya, mention_type: descriptive}",
        "'vanya' is not an id in people",
    ),
    "bad type": (
        "{text: anarchist, person: yan, mention_type: pronoun}",
        "mention_type 'pronoun' is not one of ['name', 'descriptive']",
    ),
    "bad id": (
        "{id: x12, text: anarchist, person: yan, mention_type: descriptive}",
        "id 'x12' must be 'm' and digits (the id a corrected mention keeps)",
    ),
    "overlap": ("{text: Kyiv on, person: yan, mention_type: descriptive}", "overlaps a computed one"),
    "not in the text": ("{text: anarchists everywhere, person: yan}", "not found in the article"),
}


@pytest.mark.parametrize("case", list(ADD_PROBLEMS), ids=list(ADD_PROBLEMS))
def test_entities_a_wrong_added_mention_is_a_problem(repo_copy: Path, case: str) -> None:
    """An added mention naming no, two or an unknown entity, a bad type or id, or overlapping is a problem at its line."""
    entry, message = ADD_PROBLEMS[case]
    add_mention(repo_copy, entry)
    lines = (repo_copy / MENTIONS).read_text().count("\n")
    problems, _ = built(repo_copy)
    assert [p for p in problems if message in p] == [p for p in problems if p.startswith(f"{MENTIONS}:{lines}: ")], (
        problems
    )
    assert any(p.startswith(f"{MENTIONS}:{lines}: ") and message in p for p in problems), problems


def test_entities_mentions_yaml_must_be_a_mapping_of_exclude_and_add(repo_copy: Path) -> None:
    """mentions.yaml with another key is a problem, and its edits are not applied."""
    edit(repo_copy / MENTIONS, "exclude: []", "exclude: []\nremove: []")
    problems, _ = built(repo_copy)
    assert "annotations/mentions.yaml:1: expected a mapping with the keys 'exclude' and 'add'" in problems


@pytest.mark.parametrize("section, value", [("exclude", "[Kyiv]"), ("exclude", "Kyiv"), ("add", "[Kyiv]")])
def test_entities_a_mentions_entry_that_is_not_a_mapping_is_a_problem(
    repo_copy: Path, section: str, value: str
) -> None:
    """An exclude or add entry that is not a mapping is reported at mentions.yaml, not a crash of the build."""
    path = repo_copy / MENTIONS
    text = path.read_text(encoding="utf-8")
    if section == "exclude":
        path.write_text(text.replace("exclude: []", f"exclude: {value}"), encoding="utf-8")
    else:
        path.write_text(text.split("\nadd:\n", 1)[0] + f"\nadd: {value}\n", encoding="utf-8")
    inputs, _ = build(repo_copy)
    assert any(p.startswith(f"{MENTIONS}:") for p in inputs.problems), inputs.problems


# -- aliases ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table, column", [("people", "person_id"), ("organizations", "organization_id"), ("places", "place_id")]
)
def test_entities_aliases_are_the_other_printed_names(current: BuiltPackage, table: str, column: str) -> None:
    """An entity's aliases are the texts of its name mentions other than its name, sorted, as a list (None if none)."""
    for entity in current.tables[table]:
        names = {m["text"] for m in mentions_of(current, column, entity[column])} - {entity["name"]}
        assert entity["aliases"] == (sorted(names) or None), entity[column]


def test_entities_aliases_of_the_current_package(current: BuiltPackage) -> None:
    """Kyiv printed "Kiev" and Putin's surname alone are aliases; descriptive mentions never are."""
    places = {p["place_id"]: p for p in current.tables["places"]}
    people = {p["person_id"]: p for p in current.tables["people"]}
    assert places["kyiv"]["aliases"] == ["Kiev"]
    assert people["vladimir_putin"]["aliases"] == ["Putin"]
    assert mentions_of(current, "person_id", "yan", "descriptive") and people["yan"]["aliases"] is None


def test_entities_a_new_form_becomes_an_alias(repo_copy: Path) -> None:
    """Adding a printed form to an entity adds its mentions and makes it an alias."""
    edit(
        repo_copy / "annotations" / "places.yaml", "mention_forms: [Moscow]", "mention_forms: [Moscow, Russian capital]"
    )
    edit(repo_copy / MENTIONS, "  - {text: Russian capital, place: moscow, mention_type: descriptive}\n", "")
    problems, package = built(repo_copy)
    assert problems == []
    moscow = next(p for p in package.tables["places"] if p["place_id"] == "moscow")
    assert moscow["aliases"] == ["Russian capital"]
    assert [m["mention_type"] for m in package.tables["mentions"] if m["text"] == "Russian capital"] == ["name"]


def test_entities_an_unnamed_person_needs_a_label(repo_copy: Path) -> None:
    """A person with no name and no label is a problem at the person's line."""
    path = repo_copy / "annotations" / "people.yaml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"\n  label: [^\n]+", text)
    assert match is not None
    path.write_text(text[: match.start()] + text[match.end() :], encoding="utf-8")
    problems, _ = built(repo_copy)
    assert any(
        p.startswith("annotations/people.yaml:") and p.endswith("an unnamed person needs a 'label'") for p in problems
    ), problems


@pytest.mark.parametrize("form", ["Putin | Vlad", " Putin", 'Putin "Vlad", [sic]'])
def test_entities_any_printed_name_is_an_alias_that_reads_back_from_csv(form: str) -> None:
    """A printed name holding ' | ', a blank or JSON's own characters is an alias, and its CSV cell reads it back."""
    import csv

    import pyarrow as pa

    from article_data._formats import csv_bytes
    from article_data._types import parse_arrays
    from article_data_build.entities import _aliases

    mentions = [{"person_id": "p", "mention_type": "name", "text": t} for t in ("Vladimir Putin", form, "Putin")]
    found = _aliases({"id": "p", "name": "Vladimir Putin"}, "person_id", mentions)
    assert found == sorted({form, "Putin"})
    field = {"name": "aliases", "type": "array"}
    cell = csv_bytes([field], [{"aliases": found}]).decode("utf-8").split("\n", 1)[1]
    text = next(csv.reader([cell]))[0]
    assert parse_arrays(pa.table({"aliases": [text]}), [field]).column(0).to_pylist() == [found]
