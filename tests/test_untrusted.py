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
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from article_data._archive import MAX_MEMBERS, MEMBER_LIMIT
from bounded import GIB, run_bounded
from helpers import BIN, PACKAGE_FILES, ROOT, as_fork, declare, edit_descriptor, edit_schema, resource, run

#: The child's budget: the address space of Python with pandas, pyarrow and DuckDB loaded is about 1.3 GiB
#: (virtual; the resident size of a normal run is about 200 MB), so 2 GiB leaves no room for a bomb.
MEMORY = 2 * GIB
TIMEOUT = 120
SETTINGS = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHILD = Path(__file__).with_name("untrusted_child.py")
#: Random header mutations of the release zip tried; the kept releases verified as zip and as folder.
MUTATIONS = 40
KEPT = ("1.0.0", "1.1.0")
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
    for offset in entries[2 : 2 + copies - 1]:
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


@settings(
    max_examples=MUTATIONS, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=6),
    region=st.sampled_from(["local headers", "central directory", "end record"]),
)
def test_random_header_mutations_of_the_release_zip_are_errors(
    tmp_path: Path, flips: list[tuple[int, int]], region: str
) -> None:
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
    for name in PACKAGE_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, dest / name)
    edit_descriptor(dest, lambda d: None)
    return dest


def places_table(rows: int, name: str, padding: int) -> pa.Table:
    """A places table of ``rows`` rows whose names are all ``name``, with ``padding`` random bytes elsewhere."""
    noise = os.urandom(padding).hex()
    return pa.table(
        {
            "place_id": [f"p{i}" for i in range(rows)],
            "name": [name] * rows,
            "aliases": pa.array([None] * rows, type=pa.list_(pa.string())),
            "kind": ["country"] * rows,
            "wikidata_id": [noise] + [None] * (rows - 1),
        }
    )


@SETTINGS
@given(rows=st.integers(60_000, 120_000), length=st.integers(20_000, 60_000))
def test_a_dictionary_column_that_decodes_to_gigabytes_is_refused_unexpanded(
    tmp_path: Path, rows: int, length: int
) -> None:
    """One long string referenced by every row (a few hundred KB on disk, gigabytes expanded) is refused."""
    root = fork_copy(tmp_path)
    sink = io.BytesIO()
    pq.write_table(places_table(rows, "x" * length, rows), sink, compression="zstd", use_dictionary=True)
    declare(root, "data/places.parquet", sink.getvalue())
    lines = attempt(root, "load", "sql", "validate", "render")
    assert all("decode to" in line or "may decode" in line for line in refused(lines)[:2]), lines


@SETTINGS
@given(rows=st.integers(60_000, 120_000), length=st.integers(20_000, 60_000))
def test_a_delta_encoded_column_that_decodes_to_gigabytes_is_refused_unexpanded(
    tmp_path: Path, rows: int, length: int
) -> None:
    """DELTA_BYTE_ARRAY pages (each value the previous one's prefix, a few bytes a row) decoding to gigabytes."""
    root = fork_copy(tmp_path)
    sink, batch = io.BytesIO(), places_table(2_000, "x" * length, 16)
    # Written a batch at a time into one row group, so this process never holds the gigabytes either.
    with pq.ParquetWriter(
        sink, batch.schema, compression="zstd", use_dictionary=False, column_encoding={"name": "DELTA_BYTE_ARRAY"}
    ) as writer:
        for start in range(0, rows, len(batch)):
            ids = pa.array([f"p{start + i}" for i in range(len(batch))])
            writer.write_table(batch.set_column(0, "place_id", ids), row_group_size=1 << 30)
    declare(root, "data/places.parquet", sink.getvalue())
    lines = attempt(root, "load", "sql", "validate")
    assert all("'name' may decode to" in line for line in refused(lines)[:2]), lines


@SETTINGS
@given(rows=st.integers(20_000, 60_000), items=st.integers(5, 20), length=st.integers(10_000, 40_000))
def test_a_list_column_that_decodes_to_gigabytes_is_refused_before_a_page_is_decoded(
    tmp_path: Path, rows: int, items: int, length: int
) -> None:
    """Aliases lists whose every item points at one long dictionary value: no reader may expand them, so refused."""
    root = fork_copy(tmp_path)
    table = places_table(rows, "Kyiv", rows)
    # The items are one dictionary value, so this process never expands them either.
    item = pa.DictionaryArray.from_arrays(pa.array([0] * (rows * items), pa.int32()), pa.array(["y" * length]))
    aliases = pa.ListArray.from_arrays(pa.array(range(0, rows * items + 1, items), pa.int32()), item)
    table = table.set_column(table.schema.get_field_index("aliases"), "aliases", aliases)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", use_dictionary=True, store_schema=False)
    declare(root, "data/places.parquet", sink.getvalue())
    lines = attempt(root, "load", "sql", "validate")
    assert all("'aliases' may decode to" in line for line in refused(lines)[:2]), lines


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
    footer = data[-8 - length : -8].replace(varint(old), varint(new))
    return data[: -8 - length] + footer + struct.pack("<I", len(footer)) + b"PAR1"


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
@given(
    bad=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]),
    table=st.sampled_from(["quotes", "people", "defects"]),
)
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


# -- structure nobody checked ----------------------------------------------------------------------------


def drop_table(root: Path, table: str) -> None:
    edit_descriptor(
        root,
        lambda d: d.__setitem__(
            "resources", [r for r in d["resources"] if r["name"] not in (table, f"{table}_parquet", f"{table}_schema")]
        ),
    )


def drop_column(root: Path, table: str, column: str) -> None:
    import article_data as ad
    from helpers import replace_table

    frame = ad.Package(root).load(table)
    edit_schema(root, table, lambda s: s.__setitem__("fields", [f for f in s["fields"] if f["name"] != column]))
    replace_table(root, table, frame.drop(columns=[column]))


def nullable(root: Path, table: str, column: str) -> None:
    def change(schema: dict[str, Any]) -> None:
        field = next(f for f in schema["fields"] if f["name"] == column)
        field.setdefault("constraints", {})["required"] = False

    edit_schema(root, table, change)


STRUCTURE = {
    "no images table": (lambda root: drop_table(root, "images"), "no table 'images'"),
    "no defects table": (lambda root: drop_table(root, "defects"), "no table 'defects'"),
    "figures without qualifier": (lambda root: drop_column(root, "figures", "qualifier"), "no column 'qualifier'"),
    "mentions without text": (lambda root: drop_column(root, "mentions", "text"), "no column 'text'"),
    "nullable char_start": (lambda root: nullable(root, "quotes", "char_start"), "quotes.char_start may be null"),
    "another primary key": (
        lambda root: edit_schema(root, "quotes", lambda s: s.__setitem__("primaryKey", ["text"])),
        "expected the primary key",
    ),
}


@pytest.mark.parametrize("case", list(STRUCTURE))
def test_a_copy_breaking_the_contract_is_refused_before_render_export_and_sql(tmp_path: Path, case: str) -> None:
    """A missing table or column, a nullable offset, another key: one DescriptorError, before any consumer runs."""
    change, message = STRUCTURE[case]
    root = fork_copy(tmp_path)
    change(root)
    lines = attempt(root, "render", "export", "sql")
    assert len(refused(lines)) == 3 and all(message in line for line in refused(lines)), lines


def spans(root: Path, table: str, rows: list[dict[str, Any]]) -> None:
    import pandas as pd

    import article_data as ad
    from helpers import replace_table

    frame = ad.Package(root).load(table)
    replace_table(root, table, pd.concat([frame, pd.DataFrame(rows).astype(frame.dtypes.to_dict())], ignore_index=True))


@SETTINGS
@given(depth=st.integers(30, 1_500))
def test_quotations_nested_deeper_than_the_page_draws_are_refused(tmp_path: Path, depth: int) -> None:
    """Hundreds of nested quotations (a page of hundreds of MB, or a RecursionError) are one ArticleDataError."""
    import article_data as ad

    root = fork_copy(tmp_path)
    first = ad.Package(root).load("paragraphs").iloc[5]
    template = ad.Package(root).load("quotes").iloc[0].to_dict()
    rows = [
        dict(
            template,
            quote_id=f"n{i}",
            paragraph_id=first.paragraph_id,
            char_start=int(first.char_start) + 0,
            char_end=int(first.char_end) - 0,
            text=first.text,
        )
        for i in range(depth)
    ]
    spans(root, "quotes", rows)
    (line,) = refused(attempt(root, "render"))
    assert "spans nest" in line


def test_twelve_thousand_paragraphs_render_within_the_timeout(tmp_path: Path) -> None:
    """The page is linear in spans and paragraphs: 12,000 more paragraphs (lines of the text) render at once."""
    import article_data as ad

    root = fork_copy(tmp_path)
    text = ad.article_text()
    lines = [f"line {i}." for i in range(12_000)]
    extended = text + "\n" + "\n".join(lines)
    declare(root, "data/article.txt", extended.encode("utf-8"))
    template = ad.load("paragraphs").iloc[-1].to_dict()
    rows, start = [], len(text) + 1
    for i, line in enumerate(lines):
        rows.append(
            dict(
                template,
                paragraph_id=f"x{i}",
                position=100 + i,
                line_number=1000 + i,
                char_start=start,
                char_end=start + len(line),
                text=line,
                kind="body",
            )
        )
        start += len(line) + 1
    spans(root, "paragraphs", rows)
    assert attempt(root, "render") == ["render ok"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.__setitem__("licenses", 5), "'licenses' to be a list of objects"),
        (lambda d: d.__setitem__("title", ["a"]), "'title' to be a string"),
        (lambda d: d.__setitem__("sources", [{"title": 7}]), "sources[0].title to be a string"),
        (lambda d: resource(d, "article").__setitem__("licenses", [{"name": None}]), "licenses[0].name to be a string"),
    ],
)
def test_descriptor_properties_of_the_wrong_type_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    """``licenses: 5`` and the like are a DescriptorError naming the property, before export or the page."""
    root = fork_copy(tmp_path)
    edit_descriptor(root, change)
    lines = attempt(root, "export", "render")
    assert len(refused(lines)) == 2 and all(message in line for line in refused(lines)), lines


def test_a_primary_key_listing_one_field_many_times_is_refused_at_once(tmp_path: Path) -> None:
    """A primaryKey of 300,000 names (one field, repeated; 560,000 pass the 4 MiB cap) is refused in linear time."""
    root = fork_copy(tmp_path)
    edit_schema(root, "quotes", lambda s: s.__setitem__("primaryKey", ["quote_id"] * 300_000))
    (line,) = refused(attempt(root, "load"))
    assert "primaryKey" in line


def test_diff_against_a_copy_whose_key_changed_reports_it(tmp_path: Path) -> None:
    """A new primary key the old table lacks makes every row new (a MAJOR change), never a KeyError."""
    import article_data as ad

    root = fork_copy(tmp_path)
    edit_schema(root, "places", lambda s: s.__setitem__("primaryKey", ["name"]))
    diff = ad.diff(ad.Package(), ad.Package(root))
    places = diff.table("places")
    assert places is not None and len(places.added) == len(places.removed) == len(ad.load("places"))
    assert diff.bump == "major"


# -- trust anchored in the library ---------------------------------------------------------------------------


def test_every_kept_release_verifies_as_that_release_folder_or_zip(tmp_path: Path) -> None:
    """1.0.0 and 1.1.0, as the kept zip and unzipped, verify against the library's record, schema files included."""
    import article_data as ad

    for version in KEPT:
        archive = ROOT / "releases" / f"article-data-{version}.zip"
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(tmp_path / version)
        for copy in (archive, tmp_path / version):
            ad.Package(copy).validate()  # every guide rule holds for the conventions of its version
            verified = ad.Package(copy).verify()
            assert (verified.release, verified.trusted) == (version, True)
            assert f"release {version}:" in str(verified)
            schemas = [rel for rel in ad.Package(copy)._reader.trust.files() if rel.startswith("schemas/")]
            assert len(schemas) == 9


def test_a_copy_claiming_a_release_with_a_rehashed_edit_is_refused_naming_the_file(tmp_path: Path) -> None:
    """One edited CSV with its hash rewritten in the descriptor: exit 1, naming that file, the release cited."""
    with zipfile.ZipFile(RELEASE) as opened:
        opened.extractall(tmp_path / "copy")
    from article_data._hashes import sha256

    path = tmp_path / "copy" / "data" / "people.csv"
    path.write_bytes(path.read_bytes().replace(b"Putin", b"Patin", 1))
    descriptor = json.loads((tmp_path / "copy" / "datapackage.json").read_text())
    entry = resource(descriptor, "people")
    entry["bytes"], entry["hash"] = path.stat().st_size, sha256(path.read_bytes())
    (tmp_path / "copy" / "datapackage.json").write_text(json.dumps(descriptor))
    done = run(BIN / "article-data", "--root", tmp_path / "copy", "verify")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "data/people.csv: content differs" in done.stderr
    assert "claims release 1.1.0" in done.stderr


def test_the_verify_command_says_which_release_a_copy_is_or_that_it_is_none(tmp_path: Path) -> None:
    """``article-data verify`` names the release of a kept zip, and calls a fork an untrusted copy."""
    kept = run(BIN / "article-data", "--root", RELEASE, "verify")
    assert kept.returncode == 0 and kept.stdout.startswith("ok: release 1.1.0: datapackage.json and 28 files")
    fork = run(BIN / "article-data", "--root", fork_copy(tmp_path), "verify")
    assert fork.returncode == 0 and "no known release" in fork.stdout and "untrusted copy" in fork.stdout


def test_a_build_folder_that_is_a_symlink_out_is_never_read(tmp_path: Path) -> None:
    """With ``.build`` a symlink to an outside folder, an IntegrityError never opens or quotes its swap.json."""
    import article_data as ad

    root = fork_copy(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "swap.json").write_text(json.dumps({"old_version": "SECRET1", "new_version": "SECRET2"}))
    (root / ".build").symlink_to(outside)
    (root / "data" / "places.csv").write_bytes(b"changed")
    with pytest.raises(ad.IntegrityError) as caught:
        ad.Package(root).verify()
    assert "SECRET" not in str(caught.value) and "swapping" not in str(caught.value)


# -- what the command line prints ----------------------------------------------------------------------------

FORGED = "\nok: 28 files match their size and sha256\n"
HIDDEN = [
    "\n",
    "\r",
    "\x1b",
    "\x85",
    "\u061c",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u2060",
    "\u00ad",
    "\U000e0041",
    "\u202e",
    "\ue000",
]


@SETTINGS
@given(hidden=st.lists(st.sampled_from(HIDDEN), min_size=1, max_size=4))
def test_no_hidden_character_from_a_path_reaches_the_terminal(tmp_path: Path, hidden: list[str]) -> None:
    """A folder name with newlines or format characters is printed escaped: every message is one line."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / ("pkg" + "".join(hidden) + FORGED.strip())
    folder.mkdir()
    done = run(BIN / "article-data", "--root", folder, "verify")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert not any(c in done.stderr[:-1] for c in "".join(HIDDEN))


@SETTINGS
@given(hidden=st.lists(st.sampled_from(HIDDEN), min_size=1, max_size=4))
def test_no_hidden_character_from_a_cell_reaches_the_terminal_and_json_stays_json(
    tmp_path: Path, hidden: list[str]
) -> None:
    """A cell holding newlines, C1 or format characters: ``quotes`` prints it escaped, ``diff --format json``
    prints valid ASCII JSON that holds the cell exactly.
    """
    import article_data as ad
    from helpers import replace_table

    root = fork_copy(tmp_path)
    quotes = ad.Package(root).load("quotes")
    cue = "says" + "".join(hidden) + FORGED
    quotes.loc[0, "cue"] = cue
    replace_table(root, "quotes", quotes)
    listed = run(BIN / "article-data", "--root", root, "quotes")
    assert listed.returncode == 0 and not any(c in listed.stdout.replace("\n", "") for c in "".join(HIDDEN))
    assert not any(line.startswith("ok:") for line in listed.stdout.splitlines())
    compared = run(BIN / "article-data", "diff", str(ROOT), str(root), "--format", "json")
    assert compared.returncode == 1 and compared.stdout.isascii()
    cells = [c for t in json.loads(compared.stdout)["tables"] for r in t["changed"] for c in r["cells"]]
    assert {"column": "cue", "old": ad.load("quotes").cue[0], "new": cue}.items() <= cells[0].items()
