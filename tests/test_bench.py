"""The benchmark still runs (quick mode) and its synthetic packages are valid; no timing is asserted."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "scripts" / "bench.py"
QUICK_SCALES = ("1", "10")


def _bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("article_data_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ratios(results: dict[str, Any]) -> list[float]:
    values = [results["import"]["ratio"]]
    for entry in results["scales"].values():
        values += list(entry["ratios"].values())
        values += [entry["memory"]["ratio"], entry["memory"]["arrow_ratio"]]
    return values


def test_quick_benchmark_writes_results_and_plot(tmp_path: Path) -> None:
    """`bench.py --quick` exits 0 and writes every method at every quick scale, finite ratios and a PNG."""
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    bench = _bench_module()
    assert list(results["scales"]) == list(QUICK_SCALES)
    for scale in QUICK_SCALES:
        timings = results["scales"][scale]["timings"]
        assert set(timings) == set(bench.METHODS)
        for method, entry in timings.items():
            measured = method != "build" or scale == "1"
            assert ("median_s" in entry) == measured, (scale, method, entry)
        assert set(results["scales"][scale]["ratios"]) == set(bench.RATIOS)
    for value in _ratios(results):
        assert isinstance(value, float) and math.isfinite(value) and value > 0, value
    assert {t["status"] for t in results["targets"]} <= {"pass", "FAIL", "not measured"}
    assert (tmp_path / "results.md").read_text(encoding="utf-8").startswith("# Benchmark")
    assert (tmp_path / "benchmark.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_synthetic_package_is_valid_and_scaled(tmp_path: Path) -> None:
    """The scale-3 synthetic package passes Package.validate() and holds 3x the rows of every table."""
    bench = _bench_module()
    from article_data._package import Package, default_root

    source = Package(default_root())
    bench.synthesize(tmp_path, 3, source)
    scaled = Package(tmp_path)
    scaled.validate()
    assert scaled.tables == source.tables
    for name in source.tables:
        assert len(scaled.load(name)) == 3 * len(source.load(name)), name
    assert scaled.article_text() == "\n".join([source.article_text()] * 3)
