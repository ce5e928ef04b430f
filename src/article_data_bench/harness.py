"""Timing primitives: a clock, interleaved rounds, subprocess commands, medians and paired ratios."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .settings import MIN_SLOW_REPEATS, REPEAT_BUDGET_S


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


def command(
    args: Sequence[str | os.PathLike[str]], cwd: Path, env: Mapping[str, str] | None = None
) -> Callable[[], None]:
    """A callable that runs a command and fails loudly if it does not exit 0."""

    def run() -> None:
        done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
            )

    return run


def summary(samples: Sequence[float]) -> dict[str, Any]:
    """The median of some timings, with the timings."""
    return {"median_s": statistics.median(samples), "runs": len(samples), "samples_s": list(samples)}


def paired_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """The median of the per-round ratios of two methods timed in the same rounds."""
    pairs = min(len(numerator), len(denominator))
    return statistics.median(numerator[i] / denominator[i] for i in range(pairs))
