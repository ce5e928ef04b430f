"""Files the command line writes (article_data._output, _export, _formats): atomic, safe, like any other file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import article_data as ad
from article_data._formats import csv_bytes
from helpers import BIN, replace_table, run

FORMULAS = ["\r=1+1", "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "ok\r=1+1", "ok\n=1+1", 'say "=1"']


def test_the_package_csv_writer_quotes_every_line_break() -> None:
    """No cell of the package's CSV writer can split a row: CR, LF and CRLF are quoted, rows read back whole."""
    import csv
    import io

    rows = [{"a": value, "b": "x"} for value in FORMULAS]
    data = csv_bytes([{"name": "a"}, {"name": "b"}], rows).decode()
    back = list(csv.DictReader(io.StringIO(data, newline="")))
    assert [r["a"] for r in back] == FORMULAS and all(r["b"] == "x" for r in back)
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(pa.BufferReader(data.encode()), parse_options=pacsv.ParseOptions(newlines_in_values=True))
    assert table.column("a").to_pylist() == FORMULAS


def test_export_protects_every_formula_cell_even_after_a_carriage_return(package_copy: Path, tmp_path: Path) -> None:
    """Exported CSV: each cell a spreadsheet would run starts with ', and no row splits at a CR."""
    import csv

    people = ad.Package(package_copy).load("people")
    for i, value in enumerate(FORMULAS[: len(people)]):
        people.loc[i, "description"] = value
    replace_table(package_copy, "people", people)
    output = tmp_path / "people.csv"
    assert run(BIN / "article-data", "--root", package_copy, "export", "people", "-o", output).returncode == 0
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(people)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def export(*args: str | Path, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run `article-data ARGS`, under a shell that sets ``umask`` first when given."""
    command = [str(BIN / "article-data"), *map(str, args)]
    if umask is not None:
        command = ["sh", "-c", f'umask {umask:03o} && exec "$@"', "sh", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


BAD_TARGETS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing folder": (lambda tmp: tmp / "no" / "such" / "q.csv", "does not exist; create it first"),
    "existing folder": (lambda tmp: (tmp / "dir.csv").mkdir() or tmp / "dir.csv", "is a folder; refused"),
    "FIFO": (lambda tmp: os.mkfifo(tmp / "fifo.csv") or tmp / "fifo.csv", "is not a regular file; refused"),
    "device": (
        lambda tmp: os.mknod(tmp / "null.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3)) or tmp / "null.csv",
        "is not a regular file; refused",
    ),
    "read-only folder": (lambda tmp: (tmp / "ro").mkdir(mode=0o500) or tmp / "ro" / "q.csv", "cannot be written"),
}


@pytest.mark.parametrize("command", ["export", "render"])
@pytest.mark.parametrize("case", list(BAD_TARGETS))
def test_a_bad_output_target_is_one_line_naming_the_path(tmp_path: Path, case: str, command: str) -> None:
    """Missing folders, folders, FIFOs and devices: exit 1, one line naming the path, the target untouched."""
    if case == "read-only folder" and os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    make, message = BAD_TARGETS[case]
    target = make(tmp_path)
    before = target.lstat() if target.exists() else None
    args = ("export", "quotes", "-o", target) if command == "export" else ("render", "-o", target)
    result = export(*args)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and str(target) in lines[0] and message in lines[0], result.stderr
    after = target.lstat() if target.exists() else None
    assert (before is None and after is None) or (
        before and after and stat.S_IFMT(before.st_mode) == stat.S_IFMT(after.st_mode)
    )


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
@pytest.mark.parametrize("command", ["export", "render"])
def test_outputs_follow_the_umask(tmp_path: Path, umask: int, command: str) -> None:
    """A new output file has mode 0666 & ~umask, like one the shell creates."""
    target = tmp_path / ("q.csv" if command == "export" else "a.html")
    args = ("export", "quotes", "-o", target) if command == "export" else ("render", "-o", target)
    assert export(*args, umask=umask).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_output_to_a_symlink_writes_its_target(tmp_path: Path) -> None:
    """Like the shell's `>`, writing to a symlink replaces the file it points to and keeps the link."""
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert export("export", "places", "-o", link).returncode == 0
    assert link.is_symlink() and real.read_text().startswith("place_id,")


KILLS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL]


@pytest.mark.parametrize("sig", KILLS, ids=[signal.Signals(s).name for s in KILLS])
def test_a_killed_output_leaves_no_temporary_file_and_the_old_file_intact(tmp_path: Path, sig: int) -> None:
    """Killed while its temporary file holds the new bytes: the previous file stays, nothing else is left.

    SIGTERM, SIGINT and SIGHUP remove the temporary file; SIGKILL, which nothing catches, may
    leave the hidden temporary beside it, never a half-written target.
    """
    output = tmp_path / "render.html"
    output.write_text("previous")
    script = textwrap.dedent("""
        import os, sys, time
        from article_data import _output
        real_fsync = os.fsync
        def slow_fsync(fd):
            print("written, not yet renamed", flush=True)
            time.sleep(60)
            real_fsync(fd)
        os.fsync = slow_fsync
        from article_data._cli import main
        sys.exit(main(["render", "-o", sys.argv[1]]))
    """)
    child = subprocess.Popen([sys.executable, "-c", script, str(output)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "written, not yet renamed\n"
    child.send_signal(sig)
    child.wait(timeout=60)
    assert child.returncode != 0
    assert output.read_text() == "previous"
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "render.html")
    assert left == [] if sig != signal.SIGKILL else all(n.startswith(".render.html.") for n in left)


def test_dash_writes_to_standard_output() -> None:
    """`-o -` writes the export to standard output and creates no file named '-'."""
    result = run(BIN / "article-data", "export", "places", "-o", "-")
    assert result.returncode == 0 and result.stdout.startswith("place_id,name")
    assert len(result.stdout.splitlines()) == len(ad.load("places")) + 1 and not Path("-").exists()
