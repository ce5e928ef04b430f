"""What is measured: loading, validating, writing, building, importing and memory, at one scale."""

from __future__ import annotations

import gc
import importlib.metadata
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from article_data import Package
from article_data._package import default_root
from article_data_build.layout import ROOT
from article_data_build.model import BuiltPackage
from article_data_build.synthetic import scaled_package
from article_data_build.writer import write_package

from .harness import (
    clock,
    command,
    paired_ratio,
    repeats_after,
    summary,
    time_interleaved,
)
from .settings import BIN, FLOOR_IMPORT, MEMORY_PROBE, MIN_SLOW_REPEATS, PYTHON


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
        "verify_and_read": lambda: (
            Package(root).verify(),
            [pq.read_table(p).to_pandas() for p in parquet_paths],
            [pd.read_csv(p) for p in csv_paths],
        ),
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
    """Whole-process ``import article_data`` and ``article-data verify`` against the standard-library floor."""
    env = cached_bytecode_env(scratch / "pycache")
    samples = time_interleaved(
        {
            "article_data": command([PYTHON, "-c", "import article_data"], ROOT, env),
            "verify_cli": command([BIN / "article-data", "verify"], ROOT, env),
            "floor": command([PYTHON, "-c", FLOOR_IMPORT], ROOT, env),
        },
        repeats,
    )
    return {
        "article_data": summary(samples["article_data"]),
        "verify_cli": summary(samples["verify_cli"]),
        "floor": {**summary(samples["floor"]), "code": FLOOR_IMPORT},
        "ratio": paired_ratio(samples["article_data"], samples["floor"]),
        "verify_ratio": paired_ratio(samples["verify_cli"], samples["floor"]),
    }


def time_build(repeats: int, scratch: Path) -> list[float]:
    """Whole-process ``python -m article_data_build --out`` into a fresh folder per run."""
    folders = itertools.count()

    def run() -> None:
        command([PYTHON, "-m", "article_data_build", "--out", scratch / f"build{next(folders)}"], ROOT)()

    return time_interleaved({"build": run}, repeats)["build"]


def time_writes(inputs: BuiltPackage, warm_up_s: float, repeats: int, scratch: Path) -> list[float]:
    """Repeat write_package into a scratch folder (its warm-up write was timed by the caller)."""
    samples = []
    for _ in range(repeats_after(warm_up_s, repeats)):
        shutil.rmtree(scratch, ignore_errors=True)
        samples.append(clock(lambda: write_package(scratch, inputs)))
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
    inputs = scaled_package(source, scale)
    # The first write is write_package's warm-up; above scale 1 it writes the package measured below.
    write_warm_up_s = clock(lambda: write_package(root if scale > 1 else scratch / "warm-up", inputs))  # noqa: F821  (called before the del below)
    print(f"  wrote the {scale}x package in {write_warm_up_s:.1f} s", flush=True)
    size = {
        "rows": sum(len(rows) for rows in inputs.tables.values()),
        "bytes": sum(r["bytes"] for r in Package(root).descriptor()["resources"]),
    }
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
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    mem_kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    versions = {
        name: importlib.metadata.version(name)
        for name in ("article-data", "pandas", "pyarrow", "numpy", "pandera", "frictionless")
    }
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
