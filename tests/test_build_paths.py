"""The paths the build reads, locks, swaps and deletes (article_data_build.paths): never through a symlink."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from article_data_build.errors import InputFileError
from article_data_build.layout import STATE
from article_data_build.paths import read_input
from bounded import GIB, run_bounded
from helpers import BIN, snapshot

BUILD = [str(BIN / "python"), "-m", "article_data_build"]


def bounded_build(repo: Path, *extra: str) -> tuple[int, str]:
    done = run_bounded([*BUILD, "--inputs", str(repo), *extra], memory_bytes=2 * GIB, timeout=300)
    assert not done.timed_out and "Traceback" not in done.stderr, done.stderr[-2000:]
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    "rel", ["annotations/article.txt", "annotations/people.yaml", "annotations/schemas/people.schema.json"]
)
def test_a_symlinked_input_file_is_refused(repo_copy: Path, tmp_path: Path, rel: str) -> None:
    """An input that is a symlink to an outside file is refused with its name; the outside file is never read."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes((repo_copy / rel).read_bytes())
    (repo_copy / rel).unlink()
    (repo_copy / rel).symlink_to(outside)
    before = snapshot(repo_copy)
    code, stderr = bounded_build(repo_copy)
    assert code == 1 and f"{rel}:1: " in stderr and "a symlink" in stderr
    assert snapshot(repo_copy) == before


def test_a_symlinked_input_folder_is_refused(repo_copy: Path, tmp_path: Path) -> None:
    """A symlink on the way (annotations/schemas -> outside) is refused, not followed."""
    outside = tmp_path / "schemas"
    (repo_copy / "annotations" / "schemas").rename(outside)
    (repo_copy / "annotations" / "schemas").symlink_to(outside)
    code, stderr = bounded_build(repo_copy)
    assert code == 1 and "annotations/schemas/paragraphs.schema.json:1: " in stderr and "a symlink" in stderr


def test_inputs_must_be_small_regular_files(tmp_path: Path) -> None:
    """A FIFO or a folder is not read; a file over its cap is refused before a byte is read."""
    (tmp_path / "fifo").parent.mkdir(exist_ok=True)
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    (tmp_path / "big").write_bytes(b"x" * 101)
    for rel, words in (
        ("fifo", "not a regular file"),
        ("folder", "not a regular file"),
        ("big", "over the build's cap"),
        ("../x", "relative path inside"),
        ("absent", "missing input file"),
    ):
        with pytest.raises(InputFileError, match=words):
            read_input(tmp_path, rel, 100)
    assert read_input(tmp_path, "big", 101) == b"x" * 101


@pytest.mark.parametrize("target", ["state", "lock"])
def test_a_symlinked_build_state_is_refused_and_nothing_outside_is_touched(
    repo_copy: Path, tmp_path: Path, target: str
) -> None:
    """.build (or its lock) as a symlink to an outside folder is refused; the folder's debris-like content survives."""
    outside = tmp_path / "victim"
    (outside / "staging-precious").mkdir(parents=True)
    (outside / "staging-precious" / "keep.txt").write_text("keep me")
    (outside / "lock").write_text("do not truncate")
    if target == "state":
        (repo_copy / STATE).symlink_to(outside)
    else:
        (repo_copy / STATE).mkdir()
        (repo_copy / STATE / "lock").symlink_to(outside / "lock")
    before = snapshot(repo_copy)
    code, stderr = bounded_build(repo_copy)
    assert code == 1 and "symlink" in stderr and len(stderr.strip().splitlines()) == 1
    assert (outside / "staging-precious" / "keep.txt").read_text() == "keep me"
    assert (outside / "lock").read_text() == "do not truncate"
    assert snapshot(repo_copy) == before


def test_a_full_disk_is_reported_and_the_previous_package_stays(repo_copy: Path) -> None:
    """Writes failing while staging (RLIMIT_FSIZE makes them fail with EFBIG, as a full disk fails with ENOSPC):
    one line saying so, and the published package unchanged.
    """
    from helpers import edit

    edit(repo_copy / "annotations" / "figures.yaml", "subject: age of Yan", "subject: Yan's age")
    before = snapshot(repo_copy)
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000)); "
        "from article_data_build.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    done = run_bounded(
        [str(BIN / "python"), "-c", script, "--inputs", str(repo_copy)], memory_bytes=2 * GIB, timeout=300
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "file-size limit was reached" in done.stderr and "the previous package is intact" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert snapshot(repo_copy) == before
    assert [p.name for p in (repo_copy / STATE).iterdir()] == ["lock"]
