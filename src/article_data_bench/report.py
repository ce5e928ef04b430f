"""The results: ratios, targets, the Markdown report and the plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .harness import paired_ratio, summary
from .settings import BASELINES, CAPPED_METHODS, FLOOR_IMPORT, METHODS, RATIOS


def scale_ratios(timings: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Every ratio of RATIOS whose two methods were timed at this scale."""
    return {
        name: paired_ratio(timings[a], timings[b])
        for name, (a, b) in RATIOS.items()
        if timings.get(a) and timings.get(b)
    }


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
        ("article-data verify (process) / floor", results["import"].get("verify_ratio"), "<=", 1.5),
        (
            "validate() / (verify() + reading both formats) at 1000x",
            at(1000, "validate / verify_and_read"),
            "<=",
            2,
        ),
        ("load_all / pyarrow, worst scale", max(load_ratios) if load_ratios else None, "<=", 1.5),
        ("frictionless to_pandas / load_all at 1000x", at(1000, "frictionless_to_pandas / load_all"), ">=", 50),
        ("validate time per row, 10000x / 100x", per_row_growth(scales, 100, 10000), "<=", 2),
        ("frictionless validate / validate() at 1000x", at(1000, "frictionless_validate / validate"), ">=", 10),
        (
            "frictionless validate / article-data validate at 1x",
            at(1, "frictionless_validate / validate_cli"),
            ">=",
            0.8,
        ),
        ("load_all peak RSS / frames at 10000x", memory, "<=", 2.5),
    ]
    out = []
    for name, value, op, limit in targets:
        status = (
            "not measured"
            if value is None
            else ("pass" if (value <= limit if op == "<=" else value >= limit) else "FAIL")
        )
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
        f'floor `python -c "{FLOOR_IMPORT}"`: {results["import"]["floor"]["median_s"] * 1000:.0f} ms, '
        f"ratio {results['import']['ratio']:.2f} (median of {results['import']['article_data']['runs']} paired runs); "
        f"whole-process `article-data verify`: {results['import']['verify_cli']['median_s'] * 1000:.0f} ms, "
        f"ratio {results['import']['verify_ratio']:.2f}.",
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
    for key, label in (
        ("rss_peak_bytes", "peak RSS growth (reported)"),
        ("arrow_peak_bytes", "Arrow pool peak"),
        ("frames_bytes", "frames, memory_usage(deep=True)"),
    ):
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
        points = [
            (scales[k]["size"]["rows"], scales[k]["timings"][method]["median_s"])
            for k in scales
            if "median_s" in scales[k]["timings"][method]
        ]
        if points:
            left.plot(*zip(*points), marker="o", linestyle="--" if method in BASELINES else "-", label=label)
    for key, style in (("article_data", "--"), ("floor", ":")):
        label = "import article_data (process)" if key == "article_data" else f"floor: {FLOOR_IMPORT} (process)"
        left.hlines(
            results["import"][key]["median_s"], min(rows), max(rows), linestyles=style, colors="grey", label=label
        )
    left.set(xscale="log", yscale="log", xlabel="rows in the package", ylabel="seconds (median)", title="Time")
    left.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.1), ncol=2)
    for key, label in (
        ("rss_peak_bytes", "load_all peak RSS growth"),
        ("arrow_peak_bytes", "load_all Arrow pool peak"),
        ("frames_bytes", "frames' own size"),
    ):
        right.plot(rows, [max(scales[k]["memory"][key], 1) for k in scales], marker="o", label=label)
    right.set(xscale="log", yscale="log", xlabel="rows in the package", ylabel="bytes", title="Memory of load_all()")
    right.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.1))
    machine = results["machine"]
    figure.suptitle(
        f"article_data benchmark on {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
        f"Python {machine['python']}",
        fontsize=10,
    )
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
    return {
        "size": measured["size"],
        "timings": timings,
        "ratios": scale_ratios(measured["timings"]),
        "memory": measured["memory"],
    }


def _target_text(target: Mapping[str, Any]) -> str:
    value = "-" if target["value"] is None else f"{target['value']:.3g}"
    return f"{target['target']} {value} ({target['limit']}): {target['status']}"


def readme_block(results: Mapping[str, Any]) -> str:
    """The README's benchmark figures, generated from results.json."""
    scales = results["scales"]
    machine = results["machine"]

    def ratio(scale: str, name: str) -> str:
        value = scales.get(scale, {}).get("ratios", {}).get(name)
        return "-" if value is None else f"{value:.2f}"

    def seconds(scale: str, method: str) -> str:
        entry = scales.get(scale, {}).get("timings", {}).get(method, {})
        return "-" if "median_s" not in entry else f"{entry['median_s']:.3g} s"

    keys = list(scales)
    lines = [
        f"Measured {results['settings']['date']} on {machine['cpu']}, {machine['cores']} cores, Python "
        f"{machine['python']}, at commit {(results['source']['commit'] or 'unknown')[:10]}.",
        "",
        "| | " + " | ".join(f"{k}× ({scales[k]['size']['rows']:,} rows)" for k in keys) + " |",
        "|---" * (len(keys) + 1) + "|",
        "| `load_all()` / bare pyarrow | " + " | ".join(ratio(k, "load_all / pyarrow") for k in keys) + " |",
        "| frictionless `to_pandas` / `load_all()` | "
        + " | ".join(ratio(k, "frictionless_to_pandas / load_all") for k in keys)
        + " |",
        "| `frictionless validate` / `validate()` | "
        + " | ".join(ratio(k, "frictionless_validate / validate") for k in keys)
        + " |",
        "| `frictionless validate` / `article-data validate` | "
        + " | ".join(ratio(k, "frictionless_validate / validate_cli") for k in keys)
        + " |",
        "| `validate()` / (`verify()` + bare reads of both formats) | "
        + " | ".join(ratio(k, "validate / verify_and_read") for k in keys)
        + " |",
        "| `article-data validate` (whole process) | " + " | ".join(seconds(k, "validate_cli") for k in keys) + " |",
        "",
        f"`import article_data` takes {results['import']['article_data']['median_s'] * 1000:.0f} ms, "
        f'{results["import"]["ratio"]:.2f}× the bare `python -c "{FLOOR_IMPORT}"`; `article-data verify` takes '
        f"{results['import']['verify_cli']['median_s'] * 1000:.0f} ms, {results['import']['verify_ratio']:.2f}× it. "
        "Targets: " + "; ".join(_target_text(t) for t in results["targets"]) + ".",
    ]
    return "\n".join(lines)


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def readme_with_figures(readme: str, results: Mapping[str, Any]) -> str:
    """The README with its benchmark block replaced by the figures of ``results``."""
    head, rest = readme.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    return f"{head}{README_START}\n{readme_block(results)}\n{README_END}{tail}"
