"""Helpers shared by the tests: the repository's paths and a subprocess runner."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from article_data_build.layout import OUTPUTS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGE_FILES = ("datapackage.json", "SHA256SUMS", "data", "schemas")


def entries(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file entry of a descriptor: its resources, then (2.0.0 on) its ``files``."""
    return [*descriptor["resources"], *descriptor.get("files", [])]


def copy_paths(names: tuple[str, ...], dest: Path) -> Path:
    """Copy files and folders of the repository, by name, into a new folder ``dest``."""
    import shutil

    dest.mkdir()
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


def run(
    *args: str | Path,
    cwd: Path | None = None,
    check: bool = False,
    env: dict[str, str] | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess[str]:
    """Run a command and capture its output as text."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def replace_table(root: Path, table: str, frame: Any) -> None:
    """Rewrite a table of the package in root from a DataFrame, with a matching descriptor.

    The result has consistent hashes, so only the rules of the guide can object to it.
    """
    from article_data import Package
    from article_data._formats import csv_bytes, parquet_bytes
    from article_data._hashes import sha256
    from article_data._rows import records

    rows = records(frame)
    fields = Package(root).table_schema(table)["fields"]
    descriptor = json.loads((root / "datapackage.json").read_text())
    for resource in entries(descriptor):
        if resource["name"] in (table, f"{table}_parquet"):
            data = csv_bytes(fields, rows) if resource["format"] == "csv" else parquet_bytes(fields, rows)
            (root / resource["path"]).write_bytes(data)
            resource["bytes"], resource["hash"] = len(data), sha256(data)
    (root / "datapackage.json").write_text(json.dumps(as_fork(descriptor)))


#: The version a build of changed inputs publishes under in tests: no release, so the library opens it as a fork.
FORK_VERSION = "99.0.0+fork"


def build(*args: str | Path, env: dict[str, str] | None = None, fork: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the build (``python -m article_data_build ARGS``) in a subprocess; ``fork``: as :data:`FORK_VERSION`."""
    version = ("--version", FORK_VERSION) if fork else ()
    return run(BIN / "python", "-m", "article_data_build", *args, *version, env=env)


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every output file of the build under root, by relative path."""
    files = {}
    for name in OUTPUTS:
        base = root / name
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in paths:
            files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in an input file, failing if the old text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def as_fork(descriptor: dict[str, Any]) -> dict[str, Any]:
    """Mark an edited descriptor as a copy of no release (``+fork``): a changed copy that still claimed a
    released version would be refused as not being that release (article_data._trust).
    """
    version = str(descriptor.get("version", ""))
    if "+" not in version:
        descriptor["version"] = f"{version}+fork"
    return descriptor


def edit_descriptor(root: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Rewrite datapackage.json after ``change`` edits its parsed form, as a fork (see :func:`as_fork`)."""
    descriptor = json.loads((root / "datapackage.json").read_text())
    change(descriptor)
    (root / "datapackage.json").write_text(json.dumps(as_fork(descriptor)))


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in entries(descriptor) if r["name"] == name)


def edit_schema(root: Path, table: str, change: Callable[[dict[str, Any]], object], *, rehash: bool = True) -> None:
    """Callable[[dict[str, Any]], object] a Table Schema file; with ``rehash`` the descriptor declares the new bytes (only the values are hostile)."""
    path = root / "schemas" / f"{table}.schema.json"
    schema = json.loads(path.read_text())
    change(schema)
    data = json.dumps(schema).encode()
    path.write_bytes(data)
    if rehash:
        from article_data._hashes import sha256

        def declare(descriptor: dict) -> None:
            entry = resource(descriptor, f"{table}_schema")
            entry["bytes"], entry["hash"] = len(data), sha256(data)

        edit_descriptor(root, declare)


def field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in schema["fields"] if f["name"] == name)


def rename_resource(old: str, new: str) -> Callable[[dict[str, Any]], object]:
    return lambda d: resource(d, old).__setitem__("name", new)


def fifo(path: Path) -> None:
    """Replace a file with a FIFO of the same name (opening it for reading would block)."""
    path.unlink()
    os.mkfifo(path)


def declare(root: Path, rel: str, data: bytes) -> None:
    """Write a file of the package and declare its new size and sha256, so only its content is wrong."""
    from article_data._hashes import sha256

    (root / rel).write_bytes(data)

    def change(descriptor: dict[str, Any]) -> None:
        entry = next(r for r in entries(descriptor) if r["path"] == rel)
        entry["bytes"], entry["hash"] = len(data), sha256(data)

    edit_descriptor(root, change)


#: The start of a script that counts, with an audit hook, every open() of a file under sys.argv[1].
OPEN_COUNTER = """
import collections, json, os, sys
root = os.path.realpath(sys.argv[1])
opened = collections.Counter()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(root + os.sep):
            opened[os.path.relpath(path, root)] += 1
"""
