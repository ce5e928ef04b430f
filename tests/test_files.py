"""Files read as untrusted input (article_data._files): opened once, regular files of the declared size only."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import article_data as ad
from article_data import _files
from helpers import BIN, OPEN_COUNTER, fifo, run


def device(path: Path) -> None:
    path.unlink()
    os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # like /dev/zero: endless bytes


def folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def sparse(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(8 * 1024**3)  # 8 GiB of holes: reading it would take minutes and memory


def socket_file(path: Path) -> None:
    import socket

    path.unlink()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


#: The files the not-a-regular-file cases replace, and the calls the open-once audit watches.
REPLACED_FILES = ("places.csv", "places.parquet", "article.txt")
OPENED_ONCE = ("verify", "validate", "connect", "load_all")
NOT_REGULAR = {
    "FIFO": (fifo, "not a regular file (a FIFO)"),
    "device": (device, "not a regular file (a character device)"),
    "folder": (folder, "not a regular file (a folder)"),
    "socket": (socket_file, "not a regular file (a socket)"),
    "sparse 8 GiB": (sparse, f"but found {8 * 1024**3}"),
}


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("case", list(NOT_REGULAR))
@pytest.mark.parametrize("name", REPLACED_FILES)
def test_a_file_that_is_not_what_was_declared_is_refused_before_it_is_read(
    package_copy: Path, case: str, name: str
) -> None:
    """FIFOs, devices, folders, sockets and oversized files fail at once (in a child with a deadline) naming the file."""
    make, message = NOT_REGULAR[case]
    target = package_copy / "data" / name
    make(target)
    script = textwrap.dedent("""
        import sys, article_data as ad
        try:
            ad.Package(sys.argv[1]).verify()
        except ad.IntegrityError as exc:
            print(type(exc).__name__, exc)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script, str(package_copy)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("IntegrityError") and str(target) in result.stdout and message in result.stdout


def test_a_symlink_swapped_in_between_resolving_and_opening_is_not_followed(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real race: the file becomes a symlink out of the package right after the path is resolved."""
    secret = package_copy.parent / "secret.csv"
    secret.write_bytes((package_copy / "data" / "places.csv").read_bytes())
    target = package_copy / "data" / "places.csv"
    real_realpath = os.path.realpath

    def resolve_then_swap(path: str | os.PathLike[str]) -> str:
        resolved = real_realpath(path)
        if str(path).endswith("places.csv"):
            target.unlink()
            target.symlink_to(secret)
        return resolved

    monkeypatch.setattr(_files.os.path, "realpath", resolve_then_swap)
    with pytest.raises(ad.IntegrityError, match="cannot be opened") as info:
        ad.Package(package_copy).load("places", format="csv")
    assert info.value.path == str(target)


def test_a_folder_swapped_for_a_symlink_while_opening_is_refused(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data folder replaced by a symlink to a copy outside, after resolving: the open file is outside, so refused."""
    outside = package_copy.parent / "elsewhere"
    (package_copy / "data").rename(outside)
    (package_copy / "data").mkdir()
    for item in outside.iterdir():
        (package_copy / "data" / item.name).write_bytes(item.read_bytes())
    real_realpath = os.path.realpath

    def resolve_then_swap(path: str | os.PathLike[str]) -> str:
        resolved = real_realpath(path)
        if (
            str(path).endswith("places.csv")
            and (package_copy / "data").is_dir()
            and not (package_copy / "data").is_symlink()
        ):
            (package_copy / "data").rename(package_copy / "data.old")
            (package_copy / "data").symlink_to(outside)
        return resolved

    monkeypatch.setattr(_files.os.path, "realpath", resolve_then_swap)
    with pytest.raises(ad.DescriptorError, match="moved out of the package"):
        ad.Package(package_copy).load("places", format="csv")


AUDIT = OPEN_COUNTER + textwrap.dedent("""
    import pandas, pyarrow, pyarrow.parquet, pyarrow.csv, pandera.pandas, numpy, duckdb
    import article_data as ad
    from article_data import _validate, _pandera, _spans, _sql
    sys.addaudithook(hook)
    getattr(ad.Package(sys.argv[1]), sys.argv[2])()
    print(json.dumps(opened))
""")


@pytest.mark.parametrize("method", OPENED_ONCE)
def test_each_file_is_opened_exactly_once(package_copy: Path, tmp_path: Path, method: str) -> None:
    """An audit hook counts every open(): each file the call needs is opened once, never twice."""
    script = tmp_path / "audit.py"
    script.write_text(AUDIT)
    opened = json.loads(run(BIN / "python", script, package_copy, method, check=True).stdout)
    assert opened and set(opened.values()) == {1}, opened
    if method in ("verify", "validate"):
        declared = {r["path"] for r in ad.Package(package_copy).descriptor()["resources"]}
        assert declared <= set(opened)
