#!/usr/bin/env python3
"""Benchmark article_data against bare pyarrow, pandas and frictionless, as the rows grow.

    python scripts/bench.py                       # scales 1,10,100,1000,10000 into bench/
    python scripts/bench.py --quick --out DIR     # CI smoke run: scales 1 and 10, one repeat
    python scripts/bench.py --scales 1,100 --repeats 3

Scale 1 is the published package itself. Scale N is a temporary package holding
the article N times (joined by a newline) and every table's rows N times: copy k
shifts every character offset, paragraph position and line number by k copies
and gives every id (primary and foreign keys alike) the suffix ``_k``, so keys,
references, spans and the quotation-mark rules all still hold. It is written by
the build's own writer (``article_data._writer.write_package``), hashes and all,
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
import gc
import importlib.metadata
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from article_data._package import Package, default_root  # noqa: E402
from article_data._writer import write_package  # noqa: E402

BIN = Path(sys.executable).parent
PYTHON = sys.executable
FULL_SCALES = (1, 10, 100, 1000, 10000)
QUICK_SCALES = (1, 10)
DEFAULT_REPEATS = 5
#: frictionless (and the article-data command it is compared with) is timed up to this
#: scale, which the targets need; larger scales are skipped to keep the run short.
FRICTIONLESS_MAX_SCALE = 1000
QUICK_FRICTIONLESS_MAX_SCALE = 10
#: A method whose warm-up run is slow gets fewer repeats (never fewer than 3), so that its
#: repeats take about this long at one scale.
REPEAT_BUDGET_S = 60.0
MIN_SLOW_REPEATS = 3
#: Subprocess imports are fast and noisy: they get this many times the repeats.
IMPORT_REPEAT_FACTOR = 4
FLOOR_IMPORT = "import json, hashlib, pathlib"

#: Methods timed at every scale, with their labels; ``build`` exists only at scale 1.
METHODS: dict[str, str] = {
    "load_all": "article_data load_all() (sha256 checked)",
    "pyarrow": "bare pyarrow read_table().to_pandas()",
    "pandas_csv": "bare pandas.read_csv()",
    "frictionless_to_pandas": "frictionless TableResource.to_pandas()",
    "validate": "article_data Package.validate()",
    "validate_cli": "article-data validate (process)",
    "frictionless_validate": "frictionless validate (process)",
    "write_package": "write_package (CSV+Parquet+hashes)",
    "build": "scripts/build.py, inputs to package (process)",
}
#: The methods article_data is compared with (dashed in the plot).
BASELINES = ("pyarrow", "pandas_csv", "frictionless_to_pandas", "frictionless_validate")
#: Methods timed only up to the frictionless scale cap.
CAPPED_METHODS = ("frictionless_to_pandas", "frictionless_validate", "validate_cli")
#: Ratios, each the median of per-round ratios numerator/denominator at one scale.
RATIOS: dict[str, tuple[str, str]] = {
    "load_all / pyarrow": ("load_all", "pyarrow"),
    "load_all / pandas_csv": ("load_all", "pandas_csv"),
    "frictionless_to_pandas / load_all": ("frictionless_to_pandas", "load_all"),
    "frictionless_validate / validate": ("frictionless_validate", "validate"),
    "frictionless_validate / validate_cli": ("frictionless_validate", "validate_cli"),
}

# Runs in a fresh interpreter: load_all() of the package at argv[1], after a warm-up load of
# the bundled package so that imports and lazy set-up are not counted. Linux: writing 5 to
# /proc/self/clear_refs resets the peak RSS (VmHWM) to the current RSS just before the load.
MEMORY_PROBE = """
import gc, json, sys
import pyarrow as pa
from article_data._package import Package, default_root

def status(key):
    line = next(l for l in open("/proc/self/status") if l.startswith(key + ":"))
    return int(line.split()[1]) * 1024

Package(default_root()).load_all()
gc.collect()
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")
rss_before = status("VmRSS")
pool = pa.default_memory_pool()
arrow_before = pool.bytes_allocated()
tables = Package(sys.argv[1]).load_all()
print(json.dumps({
    "rss_peak_bytes": status("VmHWM") - rss_before,
    "arrow_peak_bytes": pool.max_memory() - arrow_before,
    "frames_bytes": int(sum(frame.memory_usage(deep=True).sum() for frame in tables.values())),
}))
"""


# -- the synthetic package ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A frame cell as the writer expects it: None for missing, ISO strings for dates."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a frame's rows as plain dicts."""
    return [{str(k): _plain(v) for k, v in record.items()} for record in frame.astype(object).to_dict("records")]


def id_columns(schema: Mapping[str, Any]) -> list[str]:
    """The primary-key and foreign-key columns of a Table Schema."""
    columns = list(schema.get("primaryKey", []))
    columns += [fk["fields"][0] for fk in schema.get("foreignKeys", [])]
    return columns


def offset_steps(text: str, paragraphs: int, schema: Mapping[str, Any]) -> dict[str, int]:
    """How much each copy of the article shifts each positional column of a table."""
    per_name = {"position": paragraphs, "line_number": text.count("\n") + 1}
    steps = {}
    for field in schema["fields"]:
        name = field["name"]
        if name.endswith(("char_start", "char_end")):
            steps[name] = len(text) + 1
        elif name in per_name:
            steps[name] = per_name[name]
    return steps


def replicate(rows: Sequence[Mapping[str, Any]], scale: int, ids: Sequence[str],
              steps: Mapping[str, int]) -> list[dict[str, Any]]:
    """Return ``scale`` copies of the rows; copy k suffixes ids with ``_k`` and shifts offsets."""
    out = [dict(row) for row in rows]
    for k in range(1, scale):
        for row in rows:
            copy = dict(row)
            for column in ids:
                if copy[column] is not None:
                    copy[column] = f"{copy[column]}_{k}"
            for column, step in steps.items():
                copy[column] += k * step
            out.append(copy)
    return out


def package_metadata(source: Package) -> dict[str, Any]:
    """The descriptor properties write_package takes, read back from a package."""
    descriptor = source.descriptor()
    article = next(r for r in descriptor["resources"] if r["name"] == "article")
    metadata = {k: v for k, v in descriptor.items() if k not in ("$schema", "resources")}
    metadata["article"] = {k: article[k] for k in ("title", "description", "licenses") if k in article}
    return metadata


def scaled_inputs(source: Package, scale: int) -> dict[str, Any]:
    """Return write_package's arguments for ``scale`` copies of the source package."""
    text = source.article_text()
    frames = source.load_all()
    schemas = {name: source.table_schema(name) for name in source.tables}
    tables = {
        name: replicate(frame_rows(frames[name]), scale, id_columns(schema),
                        offset_steps(text, len(frames["paragraphs"]), schema))
        for name, schema in schemas.items()
    }
    return {
        "article": "\n".join([text] * scale).encode("utf-8"),
        "tables": tables,
        "schemas": schemas,
        "metadata": package_metadata(source),
    }


def synthesize(dest: Path, scale: int, source: Package | None = None) -> dict[str, Any]:
    """Write the scale-N package into ``dest``; return the inputs it was written from."""
    inputs = scaled_inputs(source or Package(default_root()), scale)
    write_package(dest, **inputs)
    return inputs


# -- timing -----------------------------------------------------------------------------------


def clock(run: Callable[[], Any]) -> float:
    """Seconds one call takes; its result is freed after the clock stops."""
    start = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def repeats_after(warm_up_s: float, repeats: int) -> int:
    """Fewer repeats (at least MIN_SLOW_REPEATS) for a method whose warm-up was slow."""
    if warm_up_s * repeats <= REPEAT_BUDGET_S:
        return repeats
    return max(min(repeats, MIN_SLOW_REPEATS), int(REPEAT_BUDGET_S // warm_up_s))


def time_interleaved(runs: Mapping[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Warm every method up once, then time them round by round (order reversed every other round)."""
    counts = {key: repeats_after(clock(run), repeats) for key, run in runs.items()}
    samples: dict[str, list[float]] = {key: [] for key in runs}
    order = list(runs)
    for round_ in range(max(counts.values(), default=0)):
        for key in order if round_ % 2 == 0 else reversed(order):
            if round_ < counts[key]:
                gc.collect()
                samples[key].append(clock(runs[key]))
    return samples


def command(args: Sequence[str | os.PathLike[str]], cwd: Path, env: Mapping[str, str] | None = None) -> Callable[[], None]:
    """A callable that runs a command and fails loudly if it does not exit 0."""
    def run() -> None:
        done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return run


def summary(samples: Sequence[float]) -> dict[str, Any]:
    """The median of some timings, with the timings."""
    return {"median_s": statistics.median(samples), "runs": len(samples), "samples_s": list(samples)}


def paired_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """The median of the per-round ratios of two methods timed in the same rounds."""
    pairs = min(len(numerator), len(denominator))
    return statistics.median(numerator[i] / denominator[i] for i in range(pairs))


# -- what is measured -----------------------------------------------------------------------


def read_methods(root: Path, capped: bool) -> dict[str, Callable[[], Any]]:
    """The loading and validating methods on the package at ``root`` (with CAPPED_METHODS if ``capped``)."""
    import pyarrow.parquet as pq

    package = Package(root)
    names = package.tables
    parquet_paths = [package.path(n, format="parquet") for n in names]
    csv_paths = [package.path(n, format="csv") for n in names]
    runs: dict[str, Callable[[], Any]] = {
        "load_all": package.load_all,
        "pyarrow": lambda: [pq.read_table(p).to_pandas() for p in parquet_paths],
        "pandas_csv": lambda: [pd.read_csv(p) for p in csv_paths],
        "validate": lambda: Package(root).validate(),
    }
    if capped:
        import frictionless

        fl_package = frictionless.Package(str(root / "datapackage.json"))
        runs["frictionless_to_pandas"] = lambda: {n: fl_package.get_table_resource(n).to_pandas() for n in names}
        runs["validate_cli"] = command([BIN / "article-data", "--root", root, "validate"], ROOT)
        runs["frictionless_validate"] = command([BIN / "frictionless", "validate", "datapackage.json"], root)
    return runs


def cached_bytecode_env(folder: Path) -> dict[str, str]:
    """The environment for import timings: bytecode caches on (in ``folder``), as for an installed package.

    Without it, PYTHONDONTWRITEBYTECODE (set in some sandboxes) makes each process
    recompile the editable package's sources while the standard library has caches.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder)
    return env


def time_imports(repeats: int, scratch: Path) -> dict[str, Any]:
    """Whole-process ``import article_data`` against the standard-library floor."""
    env = cached_bytecode_env(scratch / "pycache")
    samples = time_interleaved({
        "article_data": command([PYTHON, "-c", "import article_data"], ROOT, env),
        "floor": command([PYTHON, "-c", FLOOR_IMPORT], ROOT, env),
    }, repeats)
    return {
        "article_data": summary(samples["article_data"]),
        "floor": {**summary(samples["floor"]), "code": FLOOR_IMPORT},
        "ratio": paired_ratio(samples["article_data"], samples["floor"]),
    }


def time_build(repeats: int, scratch: Path) -> list[float]:
    """Whole-process ``scripts/build.py --out`` into a fresh folder per run."""
    folders = itertools.count()

    def run() -> None:
        command([PYTHON, ROOT / "scripts" / "build.py", "--out", scratch / f"build{next(folders)}"], ROOT)()

    return time_interleaved({"build": run}, repeats)["build"]


def time_writes(inputs: Mapping[str, Any], warm_up_s: float, repeats: int, scratch: Path) -> list[float]:
    """Repeat write_package into a scratch folder (its warm-up write was timed by the caller)."""
    samples = []
    for _ in range(repeats_after(warm_up_s, repeats)):
        shutil.rmtree(scratch, ignore_errors=True)
        samples.append(clock(lambda: write_package(scratch, **inputs)))
    shutil.rmtree(scratch, ignore_errors=True)
    return samples


def measure_memory(root: Path, repeats: int) -> dict[str, Any]:
    """Peak memory of load_all() in fresh processes (median of samples) against the frames' size."""
    samples = []
    for _ in range(min(repeats, MIN_SLOW_REPEATS)):
        done = subprocess.run([PYTHON, "-c", MEMORY_PROBE, str(root)], capture_output=True, text=True, check=True)
        samples.append(json.loads(done.stdout))
    result = {key: int(statistics.median(s[key] for s in samples)) for key in samples[0]}
    result["ratio"] = statistics.median(s["rss_peak_bytes"] / s["frames_bytes"] for s in samples)
    result["arrow_ratio"] = statistics.median(s["arrow_peak_bytes"] / s["frames_bytes"] for s in samples)
    return result


def bench_scale(scale: int, repeats: int, frictionless_max: int, scratch: Path) -> dict[str, Any]:
    """Every method at one scale: write the package (scale > 1), time writing, reading, validating."""
    source = Package(default_root())
    root = source.root if scale == 1 else scratch / f"x{scale}"
    inputs = scaled_inputs(source, scale)
    # The first write is write_package's warm-up; above scale 1 it writes the package measured below.
    write_warm_up_s = clock(lambda: write_package(root if scale > 1 else scratch / "warm-up", **inputs))
    print(f"  wrote the {scale}x package in {write_warm_up_s:.1f} s", flush=True)
    size = {"rows": sum(len(rows) for rows in inputs["tables"].values()),
            "bytes": sum(r["bytes"] for r in Package(root).descriptor()["resources"])}
    timings = {"write_package": time_writes(inputs, write_warm_up_s, repeats, scratch / "write")}
    del inputs
    gc.collect()
    timings.update(time_interleaved(read_methods(root, scale <= frictionless_max), repeats))
    return {"size": size, "timings": timings, "memory": measure_memory(root, repeats)}


# -- results ----------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    """CPU, cores, memory and library versions of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
               platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    versions = {name: importlib.metadata.version(name)
                for name in ("article-data", "pandas", "pyarrow", "numpy", "pandera", "frictionless")}
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        **versions,
    }


def source_state() -> dict[str, Any]:
    """The git commit the library was measured at, and whether the work tree had changes."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD") or None, "changed_files": git("status", "--porcelain").splitlines()}


def scale_ratios(timings: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Every ratio of RATIOS whose two methods were timed at this scale."""
    return {name: paired_ratio(timings[a], timings[b])
            for name, (a, b) in RATIOS.items() if timings.get(a) and timings.get(b)}


def per_row_growth(scales: Mapping[str, Any], small: int, large: int) -> float | None:
    """Validate's median time per row at ``large`` over that at ``small``."""
    if str(small) not in scales or str(large) not in scales:
        return None
    a, b = scales[str(large)], scales[str(small)]
    per_row_large: float = a["timings"]["validate"]["median_s"] / a["size"]["rows"]
    per_row_small: float = b["timings"]["validate"]["median_s"] / b["size"]["rows"]
    return per_row_large / per_row_small


def evaluate_targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with its value from this run and pass, FAIL or not measured."""
    scales = results["scales"]

    def at(scale: int, ratio: str) -> float | None:
        value: float | None = scales.get(str(scale), {}).get("ratios", {}).get(ratio)
        return value

    load_ratios = [s["ratios"]["load_all / pyarrow"] for s in scales.values()]
    memory = scales.get("10000", {}).get("memory", {}).get("ratio")
    targets = [
        ("import article_data / floor", results["import"]["ratio"], "<=", 1.25),
        ("load_all / pyarrow, worst scale", max(load_ratios) if load_ratios else None, "<=", 1.5),
        ("frictionless to_pandas / load_all at 1000x", at(1000, "frictionless_to_pandas / load_all"), ">=", 50),
        ("validate time per row, 10000x / 100x", per_row_growth(scales, 100, 10000), "<=", 2),
        ("frictionless validate / validate() at 1000x", at(1000, "frictionless_validate / validate"), ">=", 10),
        ("load_all peak RSS / frames at 10000x", memory, "<=", 2.5),
    ]
    out = []
    for name, value, op, limit in targets:
        status = "not measured" if value is None else (
            "pass" if (value <= limit if op == "<=" else value >= limit) else "FAIL")
        out.append({"target": name, "value": value, "limit": f"{op} {limit}", "status": status})
    return out


def markdown(results: Mapping[str, Any]) -> str:
    """The results as Markdown tables: timings, ratios, memory, targets."""
    machine = results["machine"]
    scales = results["scales"]
    keys = list(scales)
    header = "| | " + " | ".join(f"{k}x ({scales[k]['size']['rows']:,} rows)" for k in keys) + " |"
    rule = "|---" * (len(keys) + 1) + "|"
    lines = [
        "# Benchmark",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, {machine['os']}; "
        f"Python {machine['python']}, pandas {machine['pandas']}, pyarrow {machine['pyarrow']}, "
        f"pandera {machine['pandera']}, frictionless {machine['frictionless']}, article-data {machine['article-data']}. "
        f"Run {results['settings']['date']}, repeats {results['settings']['repeats']}"
        f"{' (quick mode)' if results['settings']['quick'] else ''}, "
        f"{sum(s['bench_elapsed_s'] for s in scales.values()) / 60:.1f} min in all; "
        f"library at commit {(results['source']['commit'] or 'unknown')[:10]}"
        f" with {len(results['source']['changed_files'])} changed or new files in the work tree.",
        "",
        f"Whole-process `import article_data`: {results['import']['article_data']['median_s'] * 1000:.0f} ms, "
        f"floor `python -c \"{FLOOR_IMPORT}\"`: {results['import']['floor']['median_s'] * 1000:.0f} ms, "
        f"ratio {results['import']['ratio']:.2f} (median of {results['import']['article_data']['runs']} paired runs).",
        "",
        "## Median seconds (runs)",
        "",
        header,
        rule,
    ]
    skipped: dict[str, str] = {}
    for method, label in METHODS.items():
        cells = []
        for k in keys:
            entry = scales[k]["timings"][method]
            if "skipped" in entry:
                skipped[label] = entry["skipped"]
            cells.append("-" if "skipped" in entry else f"{entry['median_s']:.4g} ({entry['runs']})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", *(f"- not timed (-): {label}: {reason}" for label, reason in skipped.items())]
    lines += ["", "## Ratios (median of per-round ratios)", "", header, rule]
    for name in RATIOS:
        cells = [f"{scales[k]['ratios'][name]:.3g}" if name in scales[k]["ratios"] else "-" for k in keys]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Memory of load_all() (fresh process; MiB)", "", header, rule]
    for key, label in (("rss_peak_bytes", "peak RSS growth (reported)"), ("arrow_peak_bytes", "Arrow pool peak"),
                       ("frames_bytes", "frames, memory_usage(deep=True)")):
        lines.append(f"| {label} | " + " | ".join(f"{scales[k]['memory'][key] / 2**20:.3g}" for k in keys) + " |")
    lines.append("| peak RSS / frames | " + " | ".join(f"{scales[k]['memory']['ratio']:.3g}" for k in keys) + " |")
    lines += ["", "## Targets", "", "| target | value | limit | status |", "|---|---|---|---|"]
    for target in results["targets"]:
        value = "-" if target["value"] is None else f"{target['value']:.3g}"
        lines.append(f"| {target['target']} | {value} | {target['limit']} | {target['status']} |")
    return "\n".join(lines) + "\n"


def plot(results: Mapping[str, Any], path: Path) -> None:
    """Write a log-log plot: seconds and memory against rows in the package, one line per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = results["scales"]
    rows = [scales[k]["size"]["rows"] for k in scales]
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 7.5))
    for method, label in METHODS.items():
        points = [(scales[k]["size"]["rows"], scales[k]["timings"][method]["median_s"])
                  for k in scales if "median_s" in scales[k]["timings"][method]]
        if points:
            left.plot(*zip(*points), marker="o", linestyle="--" if method in BASELINES else "-", label=label)
    for key, style in (("article_data", "--"), ("floor", ":")):
        label = "import article_data (process)" if key == "article_data" else f"floor: {FLOOR_IMPORT} (process)"
        left.hlines(results["import"][key]["median_s"], min(rows), max(rows), linestyles=style, colors="grey", label=label)
    left.set(xscale="log", yscale="log", xlabel="rows in the package", ylabel="seconds (median)", title="Time")
    left.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2)
    for key, label in (("rss_peak_bytes", "load_all peak RSS growth"), ("arrow_peak_bytes", "load_all Arrow pool peak"),
                       ("frames_bytes", "frames' own size")):
        right.plot(rows, [max(scales[k]["memory"][key], 1) for k in scales], marker="o", label=label)
    right.set(xscale="log", yscale="log", xlabel="rows in the package", ylabel="bytes", title="Memory of load_all()")
    right.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.1))
    machine = results["machine"]
    figure.suptitle(f"article_data benchmark on {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
                    f"Python {machine['python']}", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def scale_entry(scale: int, measured: Mapping[str, Any], frictionless_max: int) -> dict[str, Any]:
    """One scale's JSON entry: size, a timing or a skip reason per method, ratios, memory."""
    timings: dict[str, Any] = {}
    for method in METHODS:
        samples = measured["timings"].get(method)
        if samples:
            timings[method] = summary(samples)
        elif method in CAPPED_METHODS and scale > frictionless_max:
            timings[method] = {"skipped": f"timed up to {frictionless_max}x"}
        else:  # build
            timings[method] = {"skipped": "the build's inputs exist only at the real size"}
    return {"size": measured["size"], "timings": timings, "ratios": scale_ratios(measured["timings"]),
            "memory": measured["memory"]}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="scales 1,10, one repeat, frictionless up to 10x (CI)")
    parser.add_argument("--scales", help="comma-separated scales (default 1,10,100,1000,10000; quick 1,10)")
    parser.add_argument("--repeats", type=int, help=f"timed runs after the warm-up (default {DEFAULT_REPEATS}; quick 1)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench", help="output folder (default bench/)")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")] if args.scales else list(QUICK_SCALES if args.quick else FULL_SCALES)
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
        "settings": {"scales": args.scales, "repeats": args.repeats, "quick": args.quick,
                     "frictionless_max_scale": frictionless_max,
                     "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                     "memory_reported": "peak RSS growth during load_all() (VmHWM after, reset by clear_refs, minus VmRSS before)",
                     "import_timing": "bytecode caches on (PYTHONPYCACHEPREFIX in a temporary folder)"},
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
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
