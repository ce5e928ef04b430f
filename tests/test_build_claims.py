"""DATASHEET.md's claims about the rows (article_data_build.claims): generated from the rows, never stale."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import article_data as ad
from article_data_build.claims import DEFECT_KINDS, defect_kinds_block, main, regenerate
from article_data_build.errors import BuildError
from helpers import BIN, PACKAGE_FILES, ROOT, copy_paths, run


def block(text: str) -> str:
    start, end = DEFECT_KINDS
    return text.split(start, 1)[1].split(end, 1)[0]


def test_claims_check_passes_on_the_repository() -> None:
    """The datasheet's list of defect kinds is what the published rows give (the command exits 0)."""
    result = run(BIN / "python", "-m", "article_data_build.claims", "--check")
    assert result.returncode == 0, result.stderr


def test_every_defect_kind_is_listed_with_its_count_and_examples_from_its_rows() -> None:
    """Each kind of the schema's enum is a line, in enum order, with its row count and spans of its own rows."""
    defects = ad.load("defects")
    text = block((ROOT / "DATASHEET.md").read_text(encoding="utf-8"))
    lines = re.findall(r"^\| `(\w+)` \| (\d+) \| (.*) \|$", text, flags=re.MULTILINE)
    assert [kind for kind, _, _ in lines] == list(defects["kind"].cat.categories)
    for kind, count, examples in lines:
        rows = defects[defects["kind"] == kind]
        assert int(count) == len(rows), kind
        for span, defect_id in re.findall(r'"(.+?)" \((d\d+)\)', examples):
            row = rows[rows["defect_id"] == defect_id]
            assert len(row) == 1, (kind, defect_id)  # the example is a row of this kind
            assert str(row["text"].iloc[0]).startswith(span.removesuffix("…")), (kind, defect_id)
    assert f"{len(defects)} defects in" in text
    assert '"although though" (d04)' in re.search(r"^\| `broken_grammar` .*$", text, flags=re.MULTILINE)[0]


def test_a_kind_without_rows_says_so_and_long_spans_are_cut() -> None:
    """A kind with no row reads "none in this release"; a span over 60 code points ends with an ellipsis."""
    rows = [{"defect_id": "d01", "kind": "stray_text", "text": "x" * 80}]
    text = defect_kinds_block(["stray_text", "misspelling"], rows)
    assert f'"{"x" * 60}…" (d01)' in text
    assert "| `misspelling` | 0 | none in this release |" in text
    assert text.startswith("1 defect in 1 of the 2 kinds:")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_paths(PACKAGE_FILES, tmp_path / "repo")
    shutil.copy(ROOT / "DATASHEET.md", root / "DATASHEET.md")
    return root


def test_a_corrected_kind_makes_the_datasheet_stale_until_regenerated(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stale block fails --check naming DATASHEET.md; without --check it is rewritten and then passes."""
    start, end = DEFECT_KINDS
    text = (repo / "DATASHEET.md").read_text(encoding="utf-8")
    stale = text.replace(block(text), '\n| `duplicated_word` | 2 | "although though" (d04) |\n')
    (repo / "DATASHEET.md").write_text(stale, encoding="utf-8")
    assert main(["--check", "--root", str(repo)]) == 1
    assert f"stale: {repo / 'DATASHEET.md'}" in capsys.readouterr().err
    assert (repo / "DATASHEET.md").read_text(encoding="utf-8") == stale  # --check writes nothing
    assert main(["--root", str(repo)]) == 0
    assert (repo / "DATASHEET.md").read_text(encoding="utf-8") == text
    assert main(["--check", "--root", str(repo)]) == 0


def test_a_datasheet_without_the_markers_is_refused(repo: Path) -> None:
    """Missing markers raise a BuildError naming the file and the markers, not a silent skip."""
    text = (repo / "DATASHEET.md").read_text(encoding="utf-8")
    (repo / "DATASHEET.md").write_text(text.replace(DEFECT_KINDS[1], ""), encoding="utf-8")
    with pytest.raises(
        BuildError,
        match=r"DATASHEET.md: the markers <!-- claims: defect kinds --> and "
        r"<!-- end claims --> are missing",
    ):
        regenerate(repo)
