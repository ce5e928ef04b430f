"""What the benchmark measures and how often: methods, ratios, scales, repeats."""

from __future__ import annotations

import sys
from pathlib import Path

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
    "verify_and_read": "article_data verify() + bare pyarrow and pandas reads of both formats",
    "validate_cli": "article-data validate (process)",
    "frictionless_validate": "frictionless validate (process)",
    "write_package": "write_package (CSV+Parquet+hashes)",
    "build": "python -m article_data_build, inputs to package (process)",
}
#: The methods article_data is compared with (dashed in the plot).
BASELINES = ("pyarrow", "pandas_csv", "frictionless_to_pandas", "frictionless_validate", "verify_and_read")
#: Methods timed only up to the frictionless scale cap.
CAPPED_METHODS = ("frictionless_to_pandas", "frictionless_validate", "validate_cli")
#: Ratios, each the median of per-round ratios numerator/denominator at one scale.
RATIOS: dict[str, tuple[str, str]] = {
    "load_all / pyarrow": ("load_all", "pyarrow"),
    "load_all / pandas_csv": ("load_all", "pandas_csv"),
    "frictionless_to_pandas / load_all": ("frictionless_to_pandas", "load_all"),
    "frictionless_validate / validate": ("frictionless_validate", "validate"),
    "frictionless_validate / validate_cli": ("frictionless_validate", "validate_cli"),
    # validate() does verify()'s byte checks and reads both formats; what it adds is the checking
    "validate / verify_and_read": ("validate", "verify_and_read"),
}

# Runs in a fresh interpreter: load_all() of the package at argv[1], after a warm-up load of
# the bundled package's smallest table, so that imports and lazy set-up are not counted (not a
# whole load: Arrow's pool peak cannot be reset, and a warm-up as large as the load measured
# would leave it at 0). Linux: writing 5 to
# /proc/self/clear_refs resets the peak RSS (VmHWM) to the current RSS just before the load.
MEMORY_PROBE = """
import gc, json, sys
import pyarrow as pa
from article_data._package import Package, default_root

def status(key):
    line = next(l for l in open("/proc/self/status") if l.startswith(key + ":"))
    return int(line.split()[1]) * 1024

Package(default_root()).load("images")
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
