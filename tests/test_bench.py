"""The benchmark (python -m article_data_bench) still runs in quick mode; no timing is asserted."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from helpers import ROOT

from article_data_bench.report import readme_with_figures
from article_data_bench.settings import METHODS, RATIOS

QUICK_SCALES = ("1", "10")


def _ratios(results: dict[str, Any]) -> list[float]:
    values = [results["import"]["ratio"]]
    for entry in results["scales"].values():
        values += list(entry["ratios"].values())
        values += [entry["memory"]["ratio"], entry["memory"]["arrow_ratio"]]
    return values


def test_quick_benchmark_writes_results_and_plot(tmp_path: Path) -> None:
    """`python -m article_data_bench --quick` exits 0 and writes every method at every quick scale, finite ratios and a PNG."""
    done = subprocess.run([sys.executable, "-m", "article_data_bench", "--quick", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert list(results["scales"]) == list(QUICK_SCALES)
    for scale in QUICK_SCALES:
        timings = results["scales"][scale]["timings"]
        assert set(timings) == set(METHODS)
        for method, entry in timings.items():
            measured = method != "build" or scale == "1"
            assert ("median_s" in entry) == measured, (scale, method, entry)
        assert set(results["scales"][scale]["ratios"]) == set(RATIOS)
    for value in _ratios(results):
        assert isinstance(value, float) and math.isfinite(value) and value > 0, value
    assert {t["status"] for t in results["targets"]} <= {"pass", "FAIL", "not measured"}
    assert (tmp_path / "results.md").read_text(encoding="utf-8").startswith("# Benchmark")
    assert (tmp_path / "benchmark.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_readme_quotes_the_committed_benchmark() -> None:
    """The README's benchmark figures are exactly what bench/results.json gives (generated, never typed)."""
    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == readme_with_figures(readme, results)


def test_the_committed_benchmark_measured_the_library_as_committed() -> None:
    """bench/results.json was run on a commit whose library equals HEAD's, from a clean library, with no target FAIL."""
    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    commit = results["source"]["commit"]
    changed = [f for f in results["source"]["changed_files"] if "src/article_data/" in f]
    assert commit and not changed, changed
    diff = subprocess.run(["git", "diff", "--stat", commit, "HEAD", "--", "src/article_data"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert diff.returncode == 0 and diff.stdout == "", f"the library changed since the benchmark ran:\n{diff.stdout}"
    assert results["settings"]["quick"] is False
    assert [t["target"] for t in results["targets"] if t["status"] != "pass"] == []
