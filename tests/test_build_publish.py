"""Publishing all or nothing (article_data_build.publish): kills at every stage, the journal, the lock, debris."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import article_data as ad
from article_data_build.layout import STATE
from article_data_build.publish import JOURNAL, STAGES
from helpers import BIN, FORK_VERSION, ROOT, build, edit, snapshot

HOOK = "ARTICLE_DATA_BUILD_HOOK"


def change_inputs(repo: Path) -> None:
    """Change one annotation, so that a build of the repo publishes different bytes."""
    edit(repo / "annotations" / "figures.yaml", "subject: age of Yan", "subject: Yan's age")


def build_with_hook(repo: Path, hook: str) -> subprocess.CompletedProcess[str]:
    return build("--inputs", repo, env=dict(os.environ, **{HOOK: hook}), fork=True)


@pytest.fixture(scope="module")
def new_snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What a build of the changed inputs publishes (built once for the module)."""
    repo = tmp_path_factory.mktemp("changed") / "repo"
    shutil.copytree(ROOT / "annotations", repo / "annotations")
    change_inputs(repo)
    assert build("--out", repo.parent / "reference", "--inputs", repo, fork=True).returncode == 0
    return snapshot(repo.parent / "reference")


@pytest.fixture
def old_and_new(repo_copy: Path, new_snapshot: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The repo copy's published snapshot, and the one a build of its (now changed) inputs publishes."""
    old = snapshot(repo_copy)
    change_inputs(repo_copy)
    assert new_snapshot != old
    return old, new_snapshot


def debris(repo: Path) -> list[str]:
    """Staging and backup folders, temporary journals and the journal itself left in .build."""
    state = repo / STATE
    if not state.is_dir():
        return []
    return sorted(p.name for p in state.iterdir() if p.name != "lock")


@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_any_stage_leaves_one_whole_version_after_the_next_build(
    repo_copy: Path, old_and_new: tuple[dict[str, str], dict[str, str]], stage: str
) -> None:
    """SIGKILL at each named stage: before the commit the old package stands (or is restored), after it the new."""
    old, new = old_and_new
    killed = build_with_hook(repo_copy, f"{stage}=kill")
    assert killed.returncode == -9, killed.stderr
    state = snapshot(repo_copy)
    committed = STAGES.index(stage) >= STAGES.index("committed")
    if state not in (old, new):  # killed mid-swap: a reader is told, never served a mix silently
        with pytest.raises(
            ad.IntegrityError, match=f"A build was swapping version {re.escape(FORK_VERSION)} into this folder"
        ):
            ad.Package(repo_copy).verify()
    assert (state == new) if committed else (state in (old, new) or (repo_copy / STATE / JOURNAL).exists())
    again = build("--inputs", repo_copy, fork=True)
    assert again.returncode == 0, again.stderr
    assert snapshot(repo_copy) == new and debris(repo_copy) == []
    ad.Package(repo_copy).verify()


def test_an_interrupted_swap_is_rolled_back_before_anything_else(
    repo_copy: Path, old_and_new: tuple[dict[str, str], dict[str, str]]
) -> None:
    """A build killed mid-swap, then a build of broken inputs: the rollback still restores the old package."""
    old, _ = old_and_new
    assert build_with_hook(repo_copy, "moved in data=kill").returncode == -9
    edit(repo_copy / "annotations" / "quotes.yaml", "speaker_person: vitya", "speaker_person: vanya")
    result = build("--inputs", repo_copy, fork=True)
    assert result.returncode == 1 and "rolled back a build that was interrupted" in result.stderr
    assert snapshot(repo_copy) == old and debris(repo_copy) == []


BAD_JOURNALS = {
    "empty": "",
    "truncated": '{"staging": "staging-ab',
    "not JSON": "staging backup",
    "a list": "[]",
    "absolute path": json.dumps({"staging": "/tmp/x/staging-a", "backup": "/tmp/x/backup-a", "absent": []}),
    "outside the repository": json.dumps({"staging": "../../victim", "backup": "backup-a", "absent": []}),
    "not a build folder": json.dumps({"staging": "data", "backup": "schemas", "absent": []}),
    "unknown output": json.dumps({"staging": "staging-a", "backup": "backup-a", "absent": ["../../victim"]}),
}


@pytest.mark.parametrize("case", list(BAD_JOURNALS))
def test_a_malformed_or_hostile_journal_is_set_aside_and_the_build_goes_on(repo_copy: Path, case: str) -> None:
    """Empty, truncated, malformed or out-of-bounds journals are never obeyed; nothing outside .build is deleted."""
    victim = repo_copy.parent / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    state = repo_copy / STATE
    state.mkdir()
    (state / JOURNAL).write_text(BAD_JOURNALS[case])
    result = build("--inputs", repo_copy, fork=True)
    assert result.returncode == 0, result.stderr
    assert "ignored the swap journal" in result.stderr
    assert (victim / "precious.txt").read_text() == "keep me"
    assert (state / f"{JOURNAL}.rejected").exists() and not (state / JOURNAL).exists()
    ad.Package(repo_copy).verify()


def test_debris_of_killed_builds_is_removed(repo_copy: Path) -> None:
    """Staging and backup folders and temporary journals that no journal names are removed by the next build."""
    state = repo_copy / STATE
    state.mkdir()
    for name in ("staging-old1", "backup-old2", ".swap-x.tmp"):
        (state / name).mkdir() if not name.endswith(".tmp") else (state / name).write_text("{")
    (state / "staging-old1" / "data").mkdir()
    keep = state / "notes.txt"
    keep.write_text("not the build's")
    assert build("--inputs", repo_copy, fork=True).returncode == 0
    assert debris(repo_copy) == ["notes.txt"]


def test_two_builds_at_once_run_one_after_the_other(
    repo_copy: Path, tmp_path: Path, old_and_new: tuple[dict[str, str], dict[str, str]]
) -> None:
    """A second build waits for the first (saying so); both finish, the package is whole, no debris is left."""
    _, new = old_and_new
    release = tmp_path / "release"
    env = dict(os.environ, **{HOOK: f"moved in data={'wait:' + str(release)}"})
    first = subprocess.Popen(
        [str(BIN / "python"), "-m", "article_data_build", "--inputs", str(repo_copy), "--version", FORK_VERSION],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert first.stderr is not None
    assert "held at stage 'moved in data'" in first.stderr.readline()
    second = subprocess.Popen(
        [str(BIN / "python"), "-m", "article_data_build", "--inputs", str(repo_copy), "--version", FORK_VERSION],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert second.stderr is not None
    waiting = second.stderr.readline()
    assert "another build (pid" in waiting and "is running" in waiting and "waiting for it to finish" in waiting
    with pytest.raises(ad.IntegrityError, match="A build was swapping"):
        ad.Package(repo_copy).verify()  # a reader during the swap is told what is happening
    release.write_text("go")
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert snapshot(repo_copy) == new and debris(repo_copy) == []
    ad.Package(repo_copy).verify()


def test_every_stage_is_reached_by_a_normal_build(repo_copy: Path, tmp_path: Path) -> None:
    """The stage list is complete: holding at the last stage shows a build passes it (no stage name is dead)."""
    release = tmp_path / "go"
    release.write_text("")  # already released: the hook only announces the stage
    for stage in (STAGES[0], STAGES[-1]):
        result = build_with_hook(repo_copy, f"{stage}=wait:{release}")
        assert result.returncode == 0 and f"held at stage {stage!r}" in result.stderr
