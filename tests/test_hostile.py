"""Hostile input: damaged data files, untrusted descriptors, unsafe paths, failed exports."""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import article_data as ad
from article_data import _cli
from helpers import BIN, ROOT, edit_descriptor, resource, run

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
FILES = {r["name"]: r["path"] for r in [*DESCRIPTOR["resources"], *DESCRIPTOR.get("files", [])]}
CSV_TABLES = tuple(r["name"] for r in DESCRIPTOR["resources"] if r["format"] == "csv")


def swap_partner(name: str) -> str:
    """Another file of the same format, to swap with."""
    suffix = Path(FILES[name]).suffix
    return (
        next(n for n, p in FILES.items() if n != name and Path(p).suffix == suffix)
        if suffix not in (".txt", "")
        else "places"
    )


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))


FAULTS: dict[str, Callable[[Path, Path], None]] = {
    "flipped byte": lambda root, path: flip(path),
    "truncated": lambda root, path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
    "appended bytes": lambda root, path: path.write_bytes(path.read_bytes() + b"\n"),
    "missing": lambda root, path: path.unlink(),
}


def swap(root: Path, name: str) -> Path:
    target = root / FILES[name]
    other = root / FILES[swap_partner(name)]
    temporary = target.with_suffix(".swap")
    os.replace(target, temporary)
    os.replace(other, target)
    os.replace(temporary, other)
    return target


@pytest.mark.parametrize("fault", [*FAULTS, "swapped file"])
@pytest.mark.parametrize("name", list(FILES))
def test_damaged_file_is_always_caught(package_copy: Path, name: str, fault: str) -> None:
    """Every kind of damage to every file fails verify(), load() and `article-data verify`, naming the file."""
    target = package_copy / FILES[name]
    if fault == "swapped file":
        swap(package_copy, name)
    else:
        FAULTS[fault](package_copy, target)
    pkg = ad.Package(package_copy)
    with pytest.raises(ad.IntegrityError) as info:
        pkg.verify()
    message = str(info.value)
    if info.value.path == str(target):  # a swap damages two files; verify names the first it meets
        assert "expected" in message and ("found" in message or "missing" in message)
        assert "Restore the file" in message
    table = name.removesuffix("_parquet").removesuffix("_schema")
    named = str(target) if (name, fault) != ("checksums", "swapped file") else "places.csv|SHA256SUMS"
    with pytest.raises(ad.IntegrityError, match=named):
        if name == "checksums":  # SHA256SUMS is read by sha256sum and verify(), by no loader
            pkg.verify()
        elif name == "article":
            pkg.article_text()
        elif name.endswith("_schema"):
            pkg.schema(table)
        else:
            pkg.load(table, format="parquet" if name.endswith("_parquet") else "csv")
    result = run(BIN / "article-data", "--root", package_copy, "verify")
    assert result.returncode == 1 and "error:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("table", CSV_TABLES)
def test_damaged_csv_with_verify_false_still_raises_article_data_error(
    package_copy: Path, table: str, fault: str
) -> None:
    """Skipping the hash never lets a truncated, extended or missing file through as rows."""
    target = package_copy / FILES[table]
    FAULTS[fault](package_copy, target)
    try:
        frame = ad.Package(package_copy).load(table, format="csv", verify=False)
    except ad.ArticleDataError as exc:
        assert str(target) in str(exc)
    else:  # only a flipped byte inside a cell can parse; the hash is what catches that
        assert fault == "flipped byte" and len(frame) == len(ad.load(table))


write_descriptor = edit_descriptor


def set_key(name: str, key: str, value: object) -> Callable[[dict], object]:
    return lambda d: resource(d, name).__setitem__(key, value)


BAD_DESCRIPTORS: dict[str, tuple[Callable[[Path], None], type[ad.ArticleDataError], str]] = {
    "invalid JSON": (
        lambda root: (root / "datapackage.json").write_text('{"resources": [', encoding="utf-8"),
        ad.DescriptorError,
        "not valid UTF-8 JSON",
    ),
    "not an object": (
        lambda root: (root / "datapackage.json").write_text("[]"),
        ad.DescriptorError,
        "expected a JSON object",
    ),
    "no resources": (
        lambda root: write_descriptor(root, lambda d: d.pop("resources")),
        ad.DescriptorError,
        "'resources'",
    ),
    "missing path": (
        lambda root: write_descriptor(root, lambda d: resource(d, "quotes").pop("path")),
        ad.DescriptorError,
        "expected str 'path'",
    ),
    "bytes as a string": (
        lambda root: write_descriptor(root, set_key("quotes", "bytes", "3998")),
        ad.DescriptorError,
        "expected int 'bytes'",
    ),
    "unknown hash algorithm": (
        lambda root: write_descriptor(root, set_key("quotes", "hash", "md5:" + "0" * 32)),
        ad.DescriptorError,
        "only sha256 is accepted",
    ),
    "absolute path": (
        lambda root: write_descriptor(root, set_key("quotes", "path", str(root.parent / "secret.csv"))),
        ad.DescriptorError,
        "is absolute or a URL",
    ),
    "dot-dot path": (
        lambda root: write_descriptor(root, set_key("quotes", "path", "data/../../secret.csv")),
        ad.DescriptorError,
        "contains '..'",
    ),
    "URL path": (
        lambda root: write_descriptor(root, set_key("quotes", "path", "https://example.invalid/quotes.csv")),
        ad.DescriptorError,
        "is absolute or a URL",
    ),
    "NUL in path": (
        lambda root: write_descriptor(root, set_key("quotes", "path", "data/quotes.csv\x00.txt")),
        ad.DescriptorError,
        "NUL byte",
    ),
    "schema outside the root": (
        lambda root: write_descriptor(root, set_key("quotes", "schema", "../secret.csv")),
        ad.DescriptorError,
        "contains '..'",
    ),
    "absolute schema": (
        lambda root: write_descriptor(root, set_key("quotes", "schema", str(root.parent / "secret.csv"))),
        ad.DescriptorError,
        "is absolute or a URL",
    ),
    "schema not JSON": (lambda root: write_schema(root, b"{fields"), ad.DescriptorError, "not valid UTF-8 JSON"),
    "schema with unknown type": (
        lambda root: write_schema(root, b'{"fields": [{"name": "x", "type": "geojson"}]}'),
        ad.DescriptorError,
        "must have a 'type' among",
    ),
    "duplicate resource": (
        lambda root: write_descriptor(root, lambda d: d["resources"].append(dict(resource(d, "quotes")))),
        ad.DescriptorError,
        "duplicate resource name 'quotes'",
    ),
    "symlink out of the root": (lambda root: symlink_out(root), ad.DescriptorError, "symlink out of the package"),
}


def write_schema(root: Path, data: bytes) -> None:
    """Replace the quotes Table Schema and declare its new size and hash: only its content is hostile."""
    from article_data._hashes import sha256

    (root / "schemas" / "quotes.schema.json").write_bytes(data)
    write_descriptor(root, lambda d: resource(d, "quotes_schema").update(bytes=len(data), hash=sha256(data)))


def symlink_out(root: Path) -> None:
    """The quotes Table Schema, which every entry point reads, becomes a symlink to a file outside."""
    (root / "schemas" / "quotes.schema.json").unlink()
    os.symlink(root.parent / "secret.csv", root / "schemas" / "quotes.schema.json")


@pytest.fixture
def hostile_copy(package_copy: Path) -> Path:
    """A package copy with a 'secret' file beside it that no descriptor may make us open."""
    shutil.copy2(package_copy / "data" / "quotes.csv", package_copy.parent / "secret.csv")
    return package_copy


@pytest.mark.parametrize("case", list(BAD_DESCRIPTORS))
def test_untrusted_descriptor_gets_a_clear_error(hostile_copy: Path, case: str) -> None:
    """Each broken or unsafe descriptor raises the named ArticleDataError from every entry point."""
    damage, error, message = BAD_DESCRIPTORS[case]
    damage(hostile_copy)
    for call in (
        lambda p: p.export("quotes", "csv"),
        lambda p: p.load("quotes"),
        lambda p: p.load_all(),
        lambda p: p.schema("quotes"),
    ):
        with pytest.raises(error, match=message):
            call(ad.Package(hostile_copy))
    with pytest.raises(ad.ValidationError, match=message):
        ad.Package(hostile_copy).validate()
    result = run(BIN / "article-data", "--root", hostile_copy, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_undeclared_table_is_refused(package_copy: Path) -> None:
    """A table name the descriptor does not declare is an UnknownTableError, even if a file exists."""
    (package_copy / "data" / "speeches.csv").write_text("speech_id\ns1\n")
    with pytest.raises(ad.UnknownTableError, match="unknown table 'speeches'"):
        ad.Package(package_copy).load("speeches")
    with pytest.raises(ad.UnknownTableError):
        ad.Package(package_copy).path("../datapackage")


AUDIT = textwrap.dedent("""
    import json, os, sys
    root, secret = sys.argv[1], os.path.realpath(sys.argv[2])
    import pandas, pyarrow, pyarrow.parquet, pyarrow.csv, pandera.pandas, numpy  # imports open files: not ours
    import article_data as ad
    from article_data import _validate, _pandera, _spans
    opened = []
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            opened.append(os.path.realpath(os.fsdecode(args[0])))
    sys.addaudithook(hook)
    pkg = ad.Package(root)
    for call in (pkg.verify, lambda: pkg.load("quotes"), lambda: pkg.load("quotes", format="parquet"),
                 pkg.validate, lambda: pkg.schema("quotes"), pkg.article_text):
        try:
            call()
        except ad.ArticleDataError:
            pass
    print(json.dumps(sorted(set(opened))))
""")


@pytest.mark.parametrize(
    "case", ["absolute path", "dot-dot path", "schema outside the root", "absolute schema", "symlink out of the root"]
)
def test_nothing_outside_the_root_is_ever_opened(hostile_copy: Path, tmp_path: Path, case: str) -> None:
    """An audit hook sees every file the library opens: none lies outside the package root."""
    BAD_DESCRIPTORS[case][0](hostile_copy)
    script = tmp_path / "audit.py"
    script.write_text(AUDIT)
    result = run(BIN / "python", script, hostile_copy, hostile_copy.parent / "secret.csv", check=True)
    opened = [Path(p) for p in json.loads(result.stdout)]
    real_root = hostile_copy.resolve()
    outside = [p for p in opened if not p.is_relative_to(real_root) and p.suffix not in (".py", ".pyc", ".so")]
    assert (hostile_copy.parent / "secret.csv").resolve() not in opened
    assert not [p for p in outside if p.is_relative_to(real_root.parent)], outside
    assert any(p.is_relative_to(real_root) for p in opened)  # the hook did see the library at work


def test_failed_export_leaves_the_existing_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export whose disk fills up halfway exits 1 naming the file; the previous file is untouched, no temporary left."""
    output = tmp_path / "quotes.csv"
    output.write_text("previous export\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    assert _cli.main(["export", "quotes", "-o", str(output)]) == 1
    assert f"{output}: cannot be written (No space left on device)" in capsys.readouterr().err
    assert output.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["quotes.csv"]


def readme_flip_outcomes() -> tuple[int, int]:
    """The CSV outcomes SECURITY.md's reliability table quotes: (flips that raise, flips that load changed cells)."""
    readme = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    found = re.search(r"CSV ([\d,]+) raise, ([\d,]+) load changed cells", readme)
    assert found, "SECURITY.md's reliability table quotes the CSV flip outcomes"
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_single_byte_flip_of_a_table_is_caught(package_copy: Path, fmt: str) -> None:
    """Flipping each byte of places in turn: the hash catches all; unhashed CSV gives SECURITY.md's outcome counts."""
    target = package_copy / "data" / f"places.{fmt}"
    original = target.read_bytes()
    reference = ad.load("places")
    caught = raised = changed = 0
    for position in range(len(original)):
        data = bytearray(original)
        data[position] ^= 0x10
        target.write_bytes(bytes(data))
        pkg = ad.Package(package_copy)
        with pytest.raises(ad.IntegrityError):
            pkg.load("places", format=fmt)  # type: ignore[arg-type]
        caught += 1
        try:
            frame = pkg.load("places", format=fmt, verify=False)  # type: ignore[arg-type]
        except ad.ArticleDataError:
            raised += 1
        else:
            assert fmt == "csv" and len(frame) == len(reference) and not frame.equals(reference)
            changed += 1
    assert caught == len(original) == raised + changed
    if fmt == "parquet":
        assert changed == 0  # Parquet is always hashed
    else:
        assert (raised, changed) == readme_flip_outcomes()
