"""scripts/build.py: reproducible output, all-or-nothing on bad input, safe when killed."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import BIN, ROOT, run

import article_data as ad

BUILD = ROOT / "scripts" / "build.py"
OUTPUTS = ("datapackage.json", "DATA_DICTIONARY.md", "data", "schemas", "croissant.json", "article.jsonld")


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every output file under root, by relative path."""
    files = {}
    for name in OUTPUTS:
        base = root / name
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in paths:
            files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def build(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run(BIN / "python", BUILD, *args)


def load_build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_script", BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


BROKEN_INPUTS = {
    "quote not in the text": (
        "quotes.yaml", "text: I love my motherland.", "text: I love my fatherland.",
        r"annotations/quotes.yaml:\d+: text 'I love my fatherland.' not found in the article"),
    "ambiguous string": (
        "figures.yaml", "text: three men", "text: Russia",
        r"annotations/figures.yaml:\d+: text 'Russia' occurs \d+ times in the article"),
    "unknown person": (
        "quotes.yaml", "speaker_person: vitya", "speaker_person: vanya",
        r"annotations/quotes.yaml:\d+: speaker_person 'vanya' is not an id in people"),
    "unknown place": (
        "images.yaml", "place: bucha", "place: atlantis",
        r"annotations/images.yaml:\d+: place 'atlantis' is not an id in places"),
    "unknown organisation": (
        "images.yaml", "agency_organization: getty_images", "agency_organization: reuters",
        r"annotations/images.yaml:\d+: agency_organization 'reuters' is not an id in organizations"),
    "duplicate id": (
        "defects.yaml", "- id: d02", "- id: d01",
        r"annotations/defects.yaml:\d+: duplicate id 'd01'"),
    "invalid enum": (
        "quotes.yaml", "quote_type: scare", "quote_type: sarcastic",
        r"annotations/quotes.yaml:\d+: quote_type 'sarcastic' is not one of"),
    "malformed YAML": (
        "figures.yaml", "  subject: age of Yan", "  subject: [age of Yan",
        r"annotations/figures.yaml:\d+: malformed YAML"),
    "unknown key": (
        "people.yaml", "  age: 30", "  age: 30\n  height: 180",
        r"annotations/people.yaml:\d+: unknown key 'height'"),
    "duplicate key": (
        "people.yaml", "  age: 30", "  age: 30\n  age: 31",
        r"annotations/people.yaml:\d+: malformed YAML: .*duplicate key 'age'"),
    "shifted paragraph list": (
        "paragraphs.yaml", '- {kind: body, starts: "Even as they take up guns"}\n', "",
        r"annotations/paragraphs.yaml:1: expected one entry per non-empty line: the text has 23, the file lists 22"),
    "cue not in paragraph": (
        "quotes.yaml", "cue: declares", "cue: whispers",
        r"annotations/quotes.yaml:\d+: cue 'whispers' does not occur in paragraph p06"),
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
    result = build("--inputs", repo_copy)
    assert result.returncode == 1
    assert "nothing was published" in result.stderr
    assert "speech_has_one_speaker" in result.stderr and "quotes[q06]" in result.stderr
    assert snapshot(repo_copy) == before


def test_build_killed_at_any_moment_leaves_a_whole_package(repo_copy: Path) -> None:
    """Killing a build at many points always leaves a package whose every hash holds: the old one or the new."""
    old = snapshot(repo_copy)
    edit(repo_copy / "annotations" / "figures.yaml", "subject: age of Yan", "subject: Yan's age")
    start = time.perf_counter()
    assert build("--out", repo_copy.parent / "reference", "--inputs", repo_copy).returncode == 0
    duration = time.perf_counter() - start
    new = snapshot(repo_copy.parent / "reference")
    assert new != old
    outcomes = []
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98):
        process = subprocess.Popen([str(BIN / "python"), str(BUILD), "--inputs", str(repo_copy)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = snapshot(repo_copy)
        assert state in (old, new), f"killed at {fraction:.0%}: a mix of old and new files"
        ad.Package(repo_copy).verify()
        outcomes.append("old" if state == old else "new")
        if state == new:  # published: later kills can only find the new package
            break
    assert "old" in outcomes, outcomes


def test_interrupted_swap_is_rolled_back_by_the_next_build(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that dies between moving data/ and committing datapackage.json is undone by the next run."""
    module = load_build_module()
    old = snapshot(repo_copy)
    edit(repo_copy / "annotations" / "figures.yaml", "subject: age of Yan", "subject: Yan's age")
    inputs, built = module.build(repo_copy)
    assert not inputs.problems
    state = repo_copy / ".build"
    state.mkdir(exist_ok=True)
    staging = Path(module.tempfile.mkdtemp(prefix="staging-", dir=state))
    module.write_package(staging, **built)
    (staging / "DATA_DICTIONARY.md").write_text("x", encoding="utf-8")
    real_replace = os.replace
    moves = []

    def dying_replace(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        moves.append(dst)
        if len(moves) == 3:  # data/ moved out and the new one in; die before schemas/
            raise KeyboardInterrupt("killed")
        real_replace(src, dst)

    monkeypatch.setattr(module.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        module.publish(repo_copy, staging)
    monkeypatch.setattr(module.os, "replace", real_replace)
    assert snapshot(repo_copy) != old  # half swapped: data/ is new, the descriptor old
    with pytest.raises(ad.IntegrityError, match="differs from the descriptor"):
        ad.Package(repo_copy).verify()
    module.recover(repo_copy)
    assert snapshot(repo_copy) == old
    ad.Package(repo_copy).verify()


@pytest.mark.skipif(sys.platform != "linux", reason="the kill test uses POSIX signals")
def test_build_needs_no_clock(tmp_path: Path) -> None:
    """The build's output does not depend on the time it runs (faked with SOURCE_DATE_EPOCH and TZ)."""
    env = dict(os.environ, TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH="0")
    result = run(BIN / "python", BUILD, "--out", tmp_path, env=env)
    assert result.returncode == 0
    assert snapshot(tmp_path) == snapshot(ROOT)
