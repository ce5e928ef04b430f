"""Benchmark article_data against bare pyarrow, pandas and frictionless, as the rows grow.

    python -m article_data_bench                       # scales 1,10,100,1000,10000 into bench/
    python -m article_data_bench --quick --out DIR     # CI smoke run: scales 1 and 10, one repeat
    python -m article_data_bench --scales 1,100 --repeats 3

Scale 1 is the published package itself. Scale N is a temporary package holding
the article N times (joined by a newline) and every table's rows N times: copy k
shifts every character offset, paragraph position and line number by k copies
and gives every id (primary and foreign keys alike) the suffix ``_k``, so keys,
references, spans and the quotation-mark rules all still hold. It is written by
the build's own writer (:mod:`article_data_build.synthetic`), hashes and all,
and the benchmark validates it with ``Package.validate()`` while timing it.

Every in-process timing is one warm-up run and then the median of repeated runs
(``time.perf_counter``); the methods of one scale run interleaved, round by
round, and each ratio is the median of the per-round ratios. Whole-process costs
(import, the command lines, the build) run as fresh subprocesses. Memory is
measured in a fresh subprocess per sample. Nothing here asserts a timing: the
targets are printed as pass/FAIL and the exit status only reports errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from article_data_build.layout import ROOT

from .measure import bench_scale, machine_info, source_state, time_build, time_imports
from .report import evaluate_targets, markdown, plot, readme_with_figures, scale_entry
from .settings import (
    DEFAULT_REPEATS,
    FRICTIONLESS_MAX_SCALE,
    FULL_SCALES,
    IMPORT_REPEAT_FACTOR,
    QUICK_FRICTIONLESS_MAX_SCALE,
    QUICK_SCALES,
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="scales 1,10, one repeat, frictionless up to 10x (CI)")
    parser.add_argument("--scales", help="comma-separated scales (default 1,10,100,1000,10000; quick 1,10)")
    parser.add_argument(
        "--repeats", type=int, help=f"timed runs after the warm-up (default {DEFAULT_REPEATS}; quick 1)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="output folder (default bench/)")
    args = parser.parse_args(argv)
    scales = (
        [int(s) for s in args.scales.split(",")] if args.scales else list(QUICK_SCALES if args.quick else FULL_SCALES)
    )
    if not scales or min(scales) < 1:
        parser.error("--scales must list positive integers")
    args.scales = sorted(set(scales))
    args.repeats = args.repeats or (1 if args.quick else DEFAULT_REPEATS)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    frictionless_max = QUICK_FRICTIONLESS_MAX_SCALE if args.quick else FRICTIONLESS_MAX_SCALE
    results: dict[str, Any] = {
        "machine": machine_info(),
        "source": source_state(),
        "settings": {
            "scales": args.scales,
            "repeats": args.repeats,
            "quick": args.quick,
            "frictionless_max_scale": frictionless_max,
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "memory_reported": "peak RSS growth during load_all() (VmHWM after, reset by clear_refs, minus VmRSS before)",
            "import_timing": "bytecode caches on (PYTHONPYCACHEPREFIX in a temporary folder)",
        },
    }
    results["scales"] = {}
    with tempfile.TemporaryDirectory(prefix="article-data-bench-") as tmp:
        print("import ...", flush=True)
        results["import"] = time_imports(args.repeats * IMPORT_REPEAT_FACTOR, Path(tmp))
        for scale in args.scales:
            print(f"scale {scale}x ...", flush=True)
            scratch = Path(tmp) / f"scale{scale}"
            scratch.mkdir()
            start = time.perf_counter()
            measured = bench_scale(scale, args.repeats, frictionless_max, scratch)
            if scale == 1:
                measured["timings"]["build"] = time_build(args.repeats, scratch)
            results["scales"][str(scale)] = scale_entry(scale, measured, frictionless_max)
            results["scales"][str(scale)]["bench_elapsed_s"] = time.perf_counter() - start
            shutil.rmtree(scratch)
    results["targets"] = evaluate_targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    report = markdown(results)
    (args.out / "results.md").write_text(report, encoding="utf-8")
    plot(results, args.out / "benchmark.png")
    if (
        args.out.resolve() == (ROOT / "bench").resolve() and not args.quick
    ):  # the committed results: the README quotes them
        readme = ROOT / "README.md"
        readme.write_text(readme_with_figures(readme.read_text(encoding="utf-8"), results), encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
