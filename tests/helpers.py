"""Helpers shared by the tests: the repository's paths and a subprocess runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGE_FILES = ("datapackage.json", "data", "schemas")


def run(*args: str | Path, cwd: Path | None = None, check: bool = False,
        env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run a command and capture its output as text."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def replace_table(root: Path, table: str, frame: Any) -> None:
    """Rewrite a table of the package in root from a DataFrame, with a matching descriptor.

    The result has consistent hashes, so only the rules of the guide can object to it.
    """
    import pandas as pd

    from article_data import Package
    from article_data._writer import csv_bytes, parquet_bytes, sha256

    rows = [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in frame.to_dict("records")]
    fields = Package(root).table_schema(table)["fields"]
    descriptor = json.loads((root / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] in (table, f"{table}_parquet"):
            data = csv_bytes(fields, rows) if resource["format"] == "csv" else parquet_bytes(fields, rows)
            (root / resource["path"]).write_bytes(data)
            resource["bytes"], resource["hash"] = len(data), sha256(data)
    (root / "datapackage.json").write_text(json.dumps(descriptor))
