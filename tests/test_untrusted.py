"""A copy from anyone: each class of hostile copy, tried with generated members in a bounded child process.

Every case rewrites the descriptor's sizes and hashes to match what it changed (so the
hash check passes) and marks the copy a fork (no release), unless the case is about a
copy that claims a release. The child (``tests/untrusted_child.py``) runs the entry
points under an address-space limit and a timeout: only ``ArticleDataError`` may
escape, a bomb must be refused before it is decoded, and nothing may take the machine.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bounded import GIB, run_bounded
from helpers import BIN, ROOT, as_fork, declare, edit_descriptor, edit_schema, resource, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from article_data._archive import MAX_MEMBERS, MEMBER_LIMIT
from article_data_build.release import zip_bytes

#: The child's budget: the address space of Python with pandas, pyarrow and DuckDB loaded is about 1.3 GiB
#: (virtual; the resident size of a normal run is about 200 MB), so 2 GiB leaves no room for a bomb.
MEMORY = 2 * GIB
TIMEOUT = 120
SETTINGS = settings(max_examples=5, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CHILD = Path(__file__).with_name("untrusted_child.py")
RELEASE = ROOT / "releases" / "article-data-1.1.0.zip"


def attempt(root: Path, *actions: str) -> list[str]:
    """Run the actions over ``root`` in a bounded child; return its lines, failing on a traceback or a kill."""
    done = run_bounded([BIN / "python", CHILD, root, *actions], memory_bytes=MEMORY, timeout=TIMEOUT)
    assert not done.timed_out, f"{actions} ran past {TIMEOUT} s"
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines if line.split()[1] in ("ok", "refused")] == list(actions), lines
    return lines


def refused(lines: list[str]) -> list[str]:
    return [line for line in lines if " refused " in line]


# -- zip archives -------------------------------------------------------------------------------------------


def release_members() -> dict[str, bytes]:
    with zipfile.ZipFile(RELEASE) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def forked_members(**changed: bytes) -> dict[str, bytes]:
    """The release's members with some replaced, the descriptor declaring them, as a fork."""
    members = release_members()
    descriptor = json.loads(members["datapackage.json"])
    for rel, data in changed.items():
        members[rel] = data
        entry = next((r for r in descriptor["resources"] if r["path"] == rel), None)
        if entry is not None:
            from article_data._hashes import sha256

            entry["bytes"], entry["hash"] = len(data), sha256(data)
    members["datapackage.json"] = json.dumps(as_fork(descriptor)).encode()
    return members


def central_entries(data: bytes) -> list[int]:
    """The offsets of the central-directory entries of a zip."""
    at, found = data.rfind(b"PK\x05\x06"), []
    _, _, _, _, count, _, offset, _ = struct.unpack_from("<4s4H2LH", data, at)
    for _ in range(count):
        found.append(offset)
        name, extra, comment = struct.unpack_from("<3H", data, offset + 28)
        offset += 46 + name + extra + comment
    return found


@SETTINGS
@given(size=st.integers(MEMBER_LIMIT + 1, 2**32 - 2), member=st.integers(0, 28))
def test_a_member_declaring_a_huge_size_is_refused_before_it_is_read(tmp_path: Path, size: int, member: int) -> None:
    """A central directory that declares gigabytes for a member is refused when the archive is opened."""
    data = bytearray(RELEASE.read_bytes())
    struct.pack_into("<L", data, central_entries(bytes(data))[member] + 24, size)
    path = tmp_path / "huge.zip"
    path.write_bytes(bytes(data))
    lines = attempt(path, "verify", "text", "load", "diff")
    assert len(refused(lines)) == 4 and all("DescriptorError" in line or "IntegrityError" in line for line in lines)


@SETTINGS
@given(mebibytes=st.integers(8, 96))
def test_a_member_inflating_past_the_ratio_is_refused_unread(tmp_path: Path, mebibytes: int) -> None:
    """A deflated member that would inflate 100:1 or more (its hash declared) is refused before it is inflated."""
    bomb = b"\0" * (mebibytes << 20)
    members = forked_members(**{"data/places.csv": bomb})
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    (tmp_path / "bomb.zip").write_bytes(sink.getvalue())
    lines = attempt(tmp_path / "bomb.zip", "verify", "load")
    assert all("possible zip bomb" in line for line in refused(lines)) and len(refused(lines)) == 2


@SETTINGS
@given(copies=st.integers(2, 19))
def test_members_sharing_one_compressed_block_are_refused(tmp_path: Path, copies: int) -> None:
    """Central-directory entries that point at one member's bytes (overlapping entries) are refused."""
    data = bytearray(RELEASE.read_bytes())
    entries = central_entries(bytes(data))
    target = struct.unpack_from("<L", data, entries[1] + 42)[0]
    for offset in entries[2:2 + copies - 1]:
        struct.pack_into("<L", data, offset + 42, target)
    (tmp_path / "overlap.zip").write_bytes(bytes(data))
    lines = attempt(tmp_path / "overlap.zip", "verify", "load")
    assert all("overlaps" in line for line in refused(lines)) and len(refused(lines)) == 2


@SETTINGS
@given(entries=st.integers(MAX_MEMBERS + 1, 0xFFFF))
def test_a_directory_claiming_too_many_members_is_refused_before_it_is_parsed(tmp_path: Path, entries: int) -> None:
    """The member count is read from the end record and refused before zipfile parses the directory."""
    data = bytearray(RELEASE.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, at + 8, entries, entries)
    (tmp_path / "many.zip").write_bytes(bytes(data))
    (line,) = refused(attempt(tmp_path / "many.zip", "verify"))
    assert f"lists {entries} members" in line


@SETTINGS
@given(member=st.integers(0, 28), version=st.integers(64, 0xFFFF))
def test_a_member_needing_an_unknown_zip_version_is_an_error(tmp_path: Path, member: int, version: int) -> None:
    """A "version needed to extract" that zipfile does not implement is an ArticleDataError, never NotImplementedError."""
    data = bytearray(RELEASE.read_bytes())
    offset = central_entries(bytes(data))[member]
    struct.pack_into("<H", data, offset + 6, version)
    local = struct.unpack_from("<L", data, offset + 42)[0]
    struct.pack_into("<H", data, local + 4, version)
    (tmp_path / "version.zip").write_bytes(bytes(data))
    attempt(tmp_path / "version.zip", "verify", "text", "load", "diff")


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=6),
       region=st.sampled_from(["local headers", "central directory", "end record"]))
def test_random_header_mutations_of_the_release_zip_are_errors(tmp_path: Path, flips: list[tuple[int, int]],
                                                               region: str) -> None:
    """Bytes of the real release zip's headers set at random: the result loads or is refused, never a traceback."""
    data = bytearray(RELEASE.read_bytes())
    entries = central_entries(bytes(data))
    end = data.rfind(b"PK\x05\x06")
    if region == "local headers":
        offsets = [struct.unpack_from("<L", data, e + 42)[0] + i for e in entries for i in range(30)]
    elif region == "central directory":
        offsets = [e + i for e in entries for i in range(46)]
    else:
        offsets = list(range(end, end + 22))
    for where, value in flips:
        data[offsets[where % len(offsets)]] = value
    (tmp_path / "mutated.zip").write_bytes(bytes(data))
    attempt(tmp_path / "mutated.zip", "verify", "load")


# -- Parquet whose hash matches -----------------------------------------------------------------------------


def fork_copy(tmp_path: Path) -> Path:
    """The current package in a new folder under ``tmp_path`` (one per generated example), as a fork (no release)."""
    dest = Path(tempfile.mkdtemp(dir=tmp_path)) / "package"
    dest.mkdir()
    for name in ("datapackage.json", "data", "schemas"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, dest / name)
    edit_descriptor(dest, lambda d: None)
    return dest


def places_table(rows: int, name: str, padding: int) -> pa.Table:
    """A places table of ``rows`` rows whose names are all ``name``, with ``padding`` random bytes elsewhere."""
    noise = os.urandom(padding).hex()
    return pa.table({"place_id": [f"p{i}" for i in range(rows)], "name": [name] * rows,
                     "aliases": [noise] + [None] * (rows - 1), "kind": ["country"] * rows,
                     "wikidata_id": [None] * rows})


@SETTINGS
@given(rows=st.integers(60_000, 200_000), length=st.integers(20_000, 60_000))
def test_a_dictionary_column_that_decodes_to_gigabytes_is_refused_unexpanded(tmp_path: Path, rows: int,
                                                                             length: int) -> None:
    """One long string referenced by every row (a few hundred KB on disk, gigabytes expanded) is refused."""
    root = fork_copy(tmp_path)
    sink = io.BytesIO()
    pq.write_table(places_table(rows, "x" * length, rows), sink, compression="zstd", use_dictionary=True)
    declare(root, "data/places.parquet", sink.getvalue())
    lines = attempt(root, "load", "sql", "validate", "render")
    assert all("decode to" in line or "may decode" in line for line in refused(lines)[:2]), lines


def patch_rows(data: bytes, old: int, new: int) -> bytes:
    """A Parquet file whose footer declares ``new`` rows where it held ``old`` (every varint of the count)."""
    def varint(value: int) -> bytes:
        value, out = (value << 1) ^ (value >> 63), bytearray()
        while True:
            byte = value & 0x7F
            value >>= 7
            if value:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                return bytes(out)

    length = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - length:-8].replace(varint(old), varint(new))
    return data[:-8 - length] + footer + struct.pack("<I", len(footer)) + b"PAR1"


@SETTINGS
@given(rows=st.integers(2**20, 2**50))
def test_a_footer_declaring_more_rows_than_the_file_can_hold_is_refused(tmp_path: Path, rows: int) -> None:
    """Footer row counts patched up to 2^50 in a small file are refused before a page is read."""
    root = fork_copy(tmp_path)
    sink = io.BytesIO()
    pq.write_table(places_table(777, "Kyiv", 16), sink)
    declare(root, "data/places.parquet", patch_rows(sink.getvalue(), 777, rows))
    lines = attempt(root, "load", "sql")
    assert len(refused(lines)) == 2 and all("rows" in line for line in refused(lines)), lines


def table_with(table: str, column: str, value: Any, kind: pa.DataType) -> bytes:
    """The current Parquet file of ``table`` with ``column`` of its first row set to ``value`` (as ``kind``)."""
    current = pq.read_table(ROOT / "data" / f"{table}.parquet")
    values = current.column(column).to_pylist()
    values[0] = value
    index = current.schema.get_field_index(column)
    changed = current.set_column(index, pa.field(column, kind), pa.array(values, type=kind))
    sink = io.BytesIO()
    pq.write_table(changed, sink, use_dictionary=False, compression="none")
    return sink.getvalue()


@SETTINGS
@given(bad=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]),
       table=st.sampled_from(["quotes", "people", "defects"]))
def test_invalid_utf8_in_a_string_column_is_refused_at_load(tmp_path: Path, bad: bytes, table: str) -> None:
    """Bytes that are not UTF-8 in a string column (stored as binary, its hash declared) never reach a frame."""
    root = fork_copy(tmp_path)
    column = {"quotes": "text", "people": "description", "defects": "note"}[table]
    current = pq.read_table(ROOT / "data" / f"{table}.parquet")
    values = [v.encode() if v is not None else None for v in current.column(column).to_pylist()]
    values[0] = values[0] + bad
    index = current.schema.get_field_index(column)
    changed = current.set_column(index, pa.field(column, pa.binary()), pa.array(values, type=pa.binary()))
    sink = io.BytesIO()
    pq.write_table(changed, sink)
    raw = sink.getvalue()
    # Re-label the column as UTF-8 text in the footer, as a hand-edited file would be.
    declare(root, f"data/{table}.parquet", raw)
    lines = attempt(root, "load", "export", "render", "diff")
    assert len(refused(lines)) == 4, lines


@SETTINGS
@given(days=st.one_of(st.integers(2_932_897, 2**31 - 1), st.integers(-(2**31), -719_163)))
def test_a_date_python_cannot_hold_is_refused_at_load(tmp_path: Path, days: int) -> None:
    """A date32 of year 5,881,580 (or before year 1) is refused, not an OverflowError in export, page or diff."""
    root = fork_copy(tmp_path)
    declare(root, "data/images.parquet", table_with("images", "date_taken", days, pa.date32()))
    lines = attempt(root, "load", "export", "render", "diff")
    assert len(refused(lines)) == 4 and all("1-9999" in line for line in refused(lines)), lines


@SETTINGS
@given(value=st.sampled_from([float("nan"), float("inf"), float("-inf")]))
def test_nan_or_infinity_in_a_number_is_refused_so_json_stays_json(tmp_path: Path, value: float) -> None:
    """NaN or infinity in figures.value is refused at load, so export(..., "json") never writes invalid JSON."""
    root = fork_copy(tmp_path)
    declare(root, "data/figures.parquet", table_with("figures", "value", value, pa.float64()))
    lines = attempt(root, "load", "export")
    assert len(refused(lines)) == 2 and all("NaN or infinite" in line for line in refused(lines)), lines
