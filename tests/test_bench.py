"""The benchmark (python -m article_data_bench) still runs in quick mode; no timing is asserted."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from article_data_bench.report import readme_with_figures
from article_data_bench.settings import METHODS, RATIOS
from helpers import ROOT

QUICK_SCALES = ("1", "10")


def _ratios(results: dict[str, Any]) -> list[float]:
    values = [results["import"]["ratio"], results["import"]["verify_ratio"]]
    for entry in results["scales"].values():
        values += list(entry["ratios"].values())
        values += [entry["memory"]["ratio"], entry["memory"]["arrow_ratio"]]
    return values


def test_quick_benchmark_writes_results_and_plot(tmp_path: Path) -> None:
    """`python -m article_data_bench --quick` exits 0 and writes every method at every quick scale, finite ratios and a PNG."""
    done = subprocess.run(
        [sys.executable, "-m", "article_data_bench", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
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


def test_a_release_refuses_a_benchmark_not_measured_on_the_released_library(tmp_path: Path) -> None:
    """`make release` refuses quick runs, failing targets and a dirty library (the freshness check lives there)."""
    from article_data_build.release import check_benchmark

    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    (tmp_path / "bench").mkdir()
    stale = dict(
        results,
        settings=dict(results["settings"], quick=True),
        source=dict(results["source"], changed_files=["src/article_data/_cli.py"]),
        targets=[{"target": "import", "status": "FAIL"}],
    )
    (tmp_path / "bench" / "results.json").write_text(json.dumps(stale), encoding="utf-8")
    problems = check_benchmark(tmp_path)
    assert len(problems) == 3 and "--quick" in problems[1] and "import" in problems[2], problems
