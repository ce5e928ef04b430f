"""The build (``python -m article_data_build``): reproducible output, every input problem listed, nothing written."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from article_data_build.assemble import build as assemble
from helpers import ROOT, build, edit, snapshot


def test_build_reproduces_the_committed_package_byte_for_byte(tmp_path: Path) -> None:
    """Rebuilding from the inputs into a fresh folder gives exactly the committed files."""
    result = build("--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert snapshot(tmp_path) == snapshot(ROOT)


def test_build_twice_gives_identical_bytes(tmp_path: Path) -> None:
    """Two builds of the same inputs are byte-identical (no clock, no randomness)."""
    assert build("--out", tmp_path / "a").returncode == 0
    assert build("--out", tmp_path / "b").returncode == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


BROKEN_INPUTS = {
    "quote not in the text": (
        "quotes.yaml",
        "text: I love my motherland.",
        "text: I love my fatherland.",
        r"annotations/quotes.yaml:\d+: text 'I love my fatherland.' not found in the article",
    ),
    "ambiguous string": (
        "figures.yaml",
        "text: three men",
        "text: Russia",
        r"annotations/figures.yaml:\d+: text 'Russia' occurs \d+ times in the article",
    ),
    "unknown person": (
        "quotes.yaml",
        "speaker_person: vitya",
        "speaker_person: vanya",
        r"annotations/quotes.yaml:\d+: speaker_person 'vanya' is not an id in people",
    ),
    "unknown place": (
        "images.yaml",
        "place: bucha",
        "place: atlantis",
        r"annotations/images.yaml:\d+: place 'atlantis' is not an id in places",
    ),
    "unknown organisation": (
        "images.yaml",
        "agency_organization: getty_images",
        "agency_organization: reuters",
        r"annotations/images.yaml:\d+: agency_organization 'reuters' is not an id in organizations",
    ),
    "duplicate id": ("defects.yaml", "- id: d02", "- id: d01", r"annotations/defects.yaml:\d+: duplicate id 'd01'"),
    "invalid enum": (
        "quotes.yaml",
        "quote_type: scare",
        "quote_type: sarcastic",
        r"annotations/quotes.yaml:\d+: quote_type 'sarcastic' is not one of",
    ),
    "malformed YAML": (
        "figures.yaml",
        "  subject: age of Yan",
        "  subject: [age of Yan",
        r"annotations/figures.yaml:\d+: malformed YAML",
    ),
    "unknown key": (
        "people.yaml",
        "  age: 30",
        "  age: 30\n  height: 180",
        r"annotations/people.yaml:\d+: unknown key 'height'",
    ),
    "duplicate key": (
        "people.yaml",
        "  age: 30",
        "  age: 30\n  age: 31",
        r"annotations/people.yaml:\d+: malformed YAML: .*duplicate key 'age'",
    ),
    "shifted paragraph list": (
        "paragraphs.yaml",
        '- {kind: body, starts: "Even as they take up guns"}\n',
        "",
        r"annotations/paragraphs.yaml:1: expected one entry per non-empty line: the text has 23, the file lists 22",
    ),
    "cue not in paragraph": (
        "quotes.yaml",
        "cue: declares",
        "cue: whispers",
        r"annotations/quotes.yaml:\d+: cue 'whispers' does not occur in paragraph p06",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_INPUTS), ids=list(BROKEN_INPUTS))
def test_build_refuses_broken_input_and_writes_nothing(repo_copy: Path, case: str) -> None:
    """A broken annotation input exits non-zero, names the file and line, and leaves the package as it was."""
    filename, old, new, message = BROKEN_INPUTS[case]
    before = snapshot(repo_copy)
    edit(repo_copy / "annotations" / filename, old, new)
    result = build("--inputs", repo_copy)
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert snapshot(repo_copy) == before
    assert not list(repo_copy.glob(".build/staging-*"))


def test_build_lists_every_problem_at_once(repo_copy: Path) -> None:
    """Several broken inputs are all reported in one run, each with its file and line."""
    edit(repo_copy / "annotations" / "quotes.yaml", "speaker_person: vitya", "speaker_person: vanya")
    edit(repo_copy / "annotations" / "defects.yaml", "- id: d02", "- id: d01")
    edit(repo_copy / "annotations" / "figures.yaml", "text: three men", "text: three women")
    result = build("--inputs", repo_copy)
    assert result.returncode == 1
    assert "3 problem(s)" in result.stderr
    for file in ("quotes.yaml", "defects.yaml", "figures.yaml"):
        assert f"annotations/{file}:" in result.stderr


def test_build_refuses_inputs_that_break_the_guide_rules(repo_copy: Path) -> None:
    """Inputs that pass the input checks but break a guide rule fail validation and publish nothing."""
    before = snapshot(repo_copy)
    # A speech quote without a speaker passes the input checks; pandera's row rule catches it.
    edit(repo_copy / "annotations" / "quotes.yaml", "  speaker_person: vitya\n  cue: declares", "  cue: declares")
    result = build("--inputs", repo_copy, fork=True)
    assert result.returncode == 1
    assert "nothing was published" in result.stderr
    assert "speech_has_one_speaker" in result.stderr and "quotes[q06]" in result.stderr
    assert snapshot(repo_copy) == before


@pytest.mark.skipif(sys.platform != "linux", reason="TZ is read the POSIX way")
def test_build_needs_no_clock(tmp_path: Path) -> None:
    """The build's output does not depend on the time it runs (faked with SOURCE_DATE_EPOCH and TZ)."""
    env = dict(os.environ, TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH="0")
    result = build("--out", tmp_path, env=env)
    assert result.returncode == 0
    assert snapshot(tmp_path) == snapshot(ROOT)


def test_the_table_list_comes_from_the_inputs(repo_copy: Path) -> None:
    """package.yaml's `tables` decides the tables and their order; a table without a builder is a listed problem."""
    inputs, package = assemble(ROOT)
    assert not inputs.problems and package is not None
    listed = yaml.safe_load((ROOT / "annotations" / "package.yaml").read_text(encoding="utf-8"))["tables"]
    assert list(package.tables) == list(package.schemas) == listed
    edit(repo_copy / "annotations" / "package.yaml", "  - defects", "  - defects\n  - speeches")
    (repo_copy / "annotations" / "schemas" / "speeches.schema.json").write_text(
        (repo_copy / "annotations" / "schemas" / "defects.schema.json").read_text()
    )
    result = build("--inputs", repo_copy)
    assert result.returncode == 1 and "table 'speeches' is listed but the build has no builder" in result.stderr
