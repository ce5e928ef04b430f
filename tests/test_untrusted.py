"""A package folder from someone else, tried as an attacker would: each class of fault, several members each.

The classes are the README's "Reliability" rows for untrusted input; CASES counts the members
each class tries, and test_docs checks the README quotes those counts.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from helpers import BIN, run

import article_data as ad
from article_data import _files
from article_data._formats import csv_bytes

Change = Callable[[dict], object]


def edit_descriptor(root: Path, change: Change) -> None:
    """Rewrite datapackage.json after ``change`` edits its parsed form."""
    descriptor = json.loads((root / "datapackage.json").read_text())
    change(descriptor)
    (root / "datapackage.json").write_text(json.dumps(descriptor))


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def edit_schema(root: Path, table: str, change: Callable[[dict], object], *, rehash: bool = True) -> None:
    """Change a Table Schema file; with ``rehash`` the descriptor declares the new bytes (only the values are hostile)."""
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


def field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def rename_resource(old: str, new: str) -> Change:
    return lambda d: resource(d, old).__setitem__("name", new)


# -- 1. names are data, never code -------------------------------------------------------------

HOSTILE_RESOURCE_NAMES = {
    "SQL injection": "places AS SELECT 1; COPY (SELECT 1) TO '/tmp/owned.csv'; CREATE VIEW x",
    "closing quote": 'places" AS SELECT 42 --',
    "single quote": "places'); DROP TABLE quotes; --",
    "uppercase": "Places",
    "space": "my places",
    "slash": "../places",
    "escape sequence": "places\x1b[2J",
    "newline": "places\nquotes",
    "empty": "",
    "too long": "p" * 129,
}


@pytest.mark.parametrize("case", list(HOSTILE_RESOURCE_NAMES))
def test_hostile_resource_name_is_refused_when_the_descriptor_is_read(package_copy: Path, case: str) -> None:
    """A resource name outside the Data Package rule is a DescriptorError naming the descriptor, before any SQL runs."""
    edit_descriptor(package_copy, rename_resource("places", HOSTILE_RESOURCE_NAMES[case]))
    descriptor_path = str(package_copy / "datapackage.json")
    for call in (lambda p: p.verify(), lambda p: p.load("quotes"), lambda p: p.connect(), lambda p: p.sql("SELECT 1")):
        with pytest.raises(ad.DescriptorError, match="lowercase letters, digits") as info:
            call(ad.Package(package_copy))
        assert descriptor_path in str(info.value)
    with pytest.raises(ad.ValidationError, match="resource names are data"):
        ad.Package(package_copy).validate()
    assert not Path("/tmp/owned.csv").exists()


@pytest.mark.parametrize("name", ["pla-ces.v2", "select", "1places", "places.parquet"])
def test_legal_but_unusual_table_name_is_quoted_in_sql(package_copy: Path, name: str) -> None:
    """Names the rule allows (dots, dashes, SQL keywords, leading digits) are quoted identifiers: the query sees the rows."""
    def rename(descriptor: dict) -> None:
        resource(descriptor, "places")["name"] = name
        resource(descriptor, "places_parquet")["name"] = f"{name}_parquet"

    edit_descriptor(package_copy, rename)
    pkg = ad.Package(package_copy)
    frame = pkg.sql(f'SELECT * FROM "{name}"')
    pd.testing.assert_frame_equal(frame, pkg.load(name))


HOSTILE_FIELD_NAMES = {
    "SQL injection": 'name" FROM places; COPY (SELECT 1) TO \'/tmp/owned2.csv\' --',
    "escape sequence": "name\x1b]0;pwned\x07",
    "space": "place name",
    "empty": "",
    "number": 7,
}


@pytest.mark.parametrize("case", list(HOSTILE_FIELD_NAMES))
def test_hostile_field_name_is_a_descriptor_error_naming_the_schema(package_copy: Path, case: str) -> None:
    """A field name that is not an identifier is refused, naming the schema file."""
    edit_schema(package_copy, "places", lambda s: field(s, "name").__setitem__("name", HOSTILE_FIELD_NAMES[case]))
    schema_path = str(package_copy / "schemas" / "places.schema.json")
    for call in (lambda p: p.load("places"), lambda p: p.connect(), lambda p: p.schema("places"), lambda p: p.verify()):
        with pytest.raises(ad.DescriptorError, match="letters, digits and '_'") as info:
            call(ad.Package(package_copy))
        assert schema_path in str(info.value)
    assert not Path("/tmp/owned2.csv").exists()


TERMINAL_ATTACKS = {
    "clear screen": "\x1b[2J",
    "title change": "\x1b]0;owned\x07",
    "carriage return": "\rfake ok line",
    "C1 control": "\x9b31m",
    "bidi override": "\u202eevil",
}


@pytest.mark.parametrize("case", list(TERMINAL_ATTACKS))
def test_control_characters_are_escaped_in_everything_the_cli_prints(package_copy: Path, tmp_path: Path, case: str) -> None:
    """Control characters from a schema, the data or the folder name reach the terminal only as escapes."""
    attack = TERMINAL_ATTACKS[case]
    edit_schema(package_copy, "quotes", lambda s: field(s, "cue").__setitem__("description", f"cue{attack}"))
    quotes = ad.Package(package_copy).load("quotes")
    quotes.loc[0, "speaker_person_id"] = None
    quotes.loc[0, "speaker_organization_id"] = None
    from helpers import replace_table

    people = ad.Package(package_copy).load("people")
    people.loc[people.person_id == "yan", "label"] = f"Yan{attack}"
    replace_table(package_copy, "people", people)
    folder = tmp_path / f"pkg{attack.replace('/', '')}"
    package_copy.rename(folder)
    outputs = []
    for args in (("schema", "quotes"), ("quotes",), ("verify",), ("info",), ("path",)):
        result = run(BIN / "article-data", "--root", folder, *args)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    (folder / "data" / "people.csv").write_text("damaged")
    outputs.append(run(BIN / "article-data", "--root", folder, "verify").stderr)
    for text in outputs:
        assert attack not in text and "\x1b" not in text and "\x9b" not in text and "\r" not in text
    assert any("\\x1b" in t or "\\x0d" in t or "\\x9b" in t or "\\u202e" in t for t in outputs)


# -- 2. DuckDB reads exactly the verified bytes ---------------------------------------------------

def replace_parquet(root: Path, table: str, other: str) -> None:
    """Put another table's Parquet bytes where ``table``'s file is (a file replaced after connect)."""
    (root / "data" / f"{table}.parquet").write_bytes((root / "data" / f"{other}.parquet").read_bytes())


def swap_symlink(root: Path, table: str, other: str) -> None:
    """Replace the file with a symlink to a file outside the package."""
    outside = root.parent / "outside.parquet"
    outside.write_bytes((root / "data" / f"{other}.parquet").read_bytes())
    (root / "data" / f"{table}.parquet").unlink()
    (root / "data" / f"{table}.parquet").symlink_to(outside)


AFTER_CONNECT = {
    "file replaced": replace_parquet,
    "symlink swapped in": swap_symlink,
    "file deleted": lambda root, table, other: (root / "data" / f"{table}.parquet").unlink(),
    "folder renamed away": lambda root, table, other: (root / "data").rename(root / "gone"),
}


@pytest.mark.parametrize("case", list(AFTER_CONNECT))
def test_queries_see_the_verified_rows_whatever_happens_to_the_files_after_connect(package_copy: Path, case: str) -> None:
    """After connect(), changing the files on disk changes nothing a query returns."""
    pkg = ad.Package(package_copy)
    expected = {t: pkg.load(t) for t in pkg.tables}
    connection = pkg.connect()
    AFTER_CONNECT[case](package_copy, "places", "people")
    for table, frame in expected.items():
        assert connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == len(frame)
    rows = connection.execute("SELECT place_id FROM places ORDER BY place_id").fetchall()
    assert [r[0] for r in rows] == sorted(expected["places"].place_id)


@pytest.mark.parametrize("folder", ["pkg[a-z]", "pkg*", "pkg?", "**", "pkg{a,b}", "pk'g"])
def test_glob_characters_in_the_folder_name_read_only_the_verified_package(tmp_path: Path, package_copy: Path,
                                                                           folder: str) -> None:
    """A package folder named with glob characters is read as itself; a lookalike folder beside it is never read."""
    target = tmp_path / "x" / folder
    target.parent.mkdir()
    package_copy.rename(target)
    decoy = tmp_path / "x" / "pkga"
    decoy.mkdir()
    (decoy / "data").mkdir()
    for name in ("places", "people", "quotes"):
        (decoy / "data" / f"{name}.parquet").write_bytes((target / "data" / "organizations.parquet").read_bytes())
    pkg = ad.Package(target)
    for table in pkg.tables:
        pd.testing.assert_frame_equal(pkg.sql(f"SELECT * FROM {table}"), pkg.load(table))


def test_sql_select_star_has_the_loader_dtypes_for_every_table() -> None:
    """`ad.sql("SELECT * FROM T")` equals `ad.load(T)`, dtypes included, for every table."""
    for table in ad.TABLES:
        pd.testing.assert_frame_equal(ad.sql(f"SELECT * FROM {table}"), ad.load(table))


# -- 3. a file is opened once, and checked before it is read ---------------------------------------

def fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


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


NOT_REGULAR = {"FIFO": (fifo, "not a regular file (a FIFO)"),
               "device": (device, "not a regular file (a character device)"),
               "folder": (folder, "not a regular file (a folder)"),
               "socket": (socket_file, "not a regular file (a socket)"),
               "sparse 8 GiB": (sparse, f"but found {8 * 1024**3}")}


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("case", list(NOT_REGULAR))
@pytest.mark.parametrize("name", ["places.csv", "places.parquet", "article.txt"])
def test_a_file_that_is_not_what_was_declared_is_refused_before_it_is_read(package_copy: Path, case: str,
                                                                           name: str) -> None:
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
    result = subprocess.run([sys.executable, "-c", script, str(package_copy)], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.startswith("IntegrityError") and str(target) in result.stdout and message in result.stdout


def test_a_symlink_swapped_in_between_resolving_and_opening_is_not_followed(package_copy: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_a_folder_swapped_for_a_symlink_while_opening_is_refused(package_copy: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The data folder replaced by a symlink to a copy outside, after resolving: the open file is outside, so refused."""
    outside = package_copy.parent / "elsewhere"
    (package_copy / "data").rename(outside)
    (package_copy / "data").mkdir()
    for item in outside.iterdir():
        (package_copy / "data" / item.name).write_bytes(item.read_bytes())
    real_realpath = os.path.realpath

    def resolve_then_swap(path: str | os.PathLike[str]) -> str:
        resolved = real_realpath(path)
        if str(path).endswith("places.csv") and (package_copy / "data").is_dir() and not (package_copy / "data").is_symlink():
            (package_copy / "data").rename(package_copy / "data.old")
            (package_copy / "data").symlink_to(outside)
        return resolved

    monkeypatch.setattr(_files.os.path, "realpath", resolve_then_swap)
    with pytest.raises(ad.DescriptorError, match="moved out of the package"):
        ad.Package(package_copy).load("places", format="csv")


AUDIT = textwrap.dedent('''
    import collections, json, os, sys
    import pandas, pyarrow, pyarrow.parquet, pyarrow.csv, pandera.pandas, numpy, duckdb
    import article_data as ad
    from article_data import _validate, _pandera, _spans, _sql
    root = os.path.realpath(sys.argv[1])
    opened = collections.Counter()
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if path.startswith(root + os.sep):
                opened[os.path.relpath(path, root)] += 1
    sys.addaudithook(hook)
    getattr(ad.Package(sys.argv[1]), sys.argv[2])()
    print(json.dumps(opened))
''')


@pytest.mark.parametrize("method", ["verify", "validate", "connect", "load_all"])
def test_each_file_is_opened_exactly_once(package_copy: Path, tmp_path: Path, method: str) -> None:
    """An audit hook counts every open(): each file the call needs is opened once, never twice."""
    script = tmp_path / "audit.py"
    script.write_text(AUDIT)
    opened = json.loads(run(BIN / "python", script, package_copy, method, check=True).stdout)
    assert opened and set(opened.values()) == {1}, opened
    if method in ("verify", "validate"):
        declared = {r["path"] for r in ad.Package(package_copy).descriptor()["resources"]}
        assert declared <= set(opened)


# -- 4. schemas are untrusted too ------------------------------------------------------------------

def test_a_schema_changed_under_verified_data_is_caught(package_copy: Path) -> None:
    """The descriptor hashes each Table Schema: editing one (even a description) fails verify() naming it."""
    path = package_copy / "schemas" / "quotes.schema.json"
    path.write_bytes(path.read_bytes().replace(b'"minLength": 1', b'"minLength": 0'))
    for call in (lambda p: p.verify(), lambda p: p.load("quotes"), lambda p: p.schema("quotes")):
        with pytest.raises(ad.IntegrityError, match="content differs from the descriptor") as info:
            call(ad.Package(package_copy))
        assert info.value.path == str(path)
    with pytest.raises(ad.ValidationError, match="quotes.schema.json: content differs"):
        ad.Package(package_copy).validate()


BAD_SCHEMA_VALUES: dict[str, tuple[Callable[[dict], object], str]] = {
    "lookahead pattern": (lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", "(?=a)a"),
                          "RE2 (linear time) cannot run it"),
    "backreference": (lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", r"(a)\1"),
                      "RE2 (linear time) cannot run it"),
    "unbalanced pattern": (lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", "(a"),
                           "RE2 (linear time) cannot run it"),
    "pattern not a string": (lambda s: field(s, "text").setdefault("constraints", {}).__setitem__("pattern", 5),
                             "expected a string"),
    "required as a string": (lambda s: field(s, "text")["constraints"].__setitem__("required", "yes"),
                             "expected true or false"),
    "minimum as a string": (lambda s: field(s, "char_start")["constraints"].__setitem__("minimum", "0"),
                            "expected a integer bound"),
    "minimum on a string": (lambda s: field(s, "text")["constraints"].__setitem__("minimum", 0),
                            "apply to integer, number and date fields"),
    "enum not a list": (lambda s: field(s, "quote_type")["constraints"].__setitem__("enum", "direct"),
                        "distinct strings"),
    "enum with duplicates": (lambda s: field(s, "quote_type")["constraints"].__setitem__("enum", ["a", "a"]),
                             "distinct strings"),
    "negative maxLength": (lambda s: field(s, "text")["constraints"].__setitem__("maxLength", -1),
                           "expected a whole number >= 0"),
    "minLength above maxLength": (lambda s: field(s, "text")["constraints"].update(minLength=5, maxLength=2),
                                  "greater than maxLength"),
    "unknown constraint": (lambda s: field(s, "text")["constraints"].__setitem__("exclusiveMinimum", 1),
                           "is not supported"),
    "unknown type": (lambda s: field(s, "text").__setitem__("type", "geojson"), "must have a 'type' among"),
    "foreign key without reference": (lambda s: s["foreignKeys"][0].pop("reference"), "expected a 'reference' object"),
    "foreign key to an unknown column": (lambda s: s["foreignKeys"][0].__setitem__("fields", ["nope"]),
                                         "is not a field of this schema"),
    "foreign key to a hostile resource": (
        lambda s: s["foreignKeys"][0]["reference"].__setitem__("resource", "people; DROP TABLE x"),
        "expected a resource name"),
    "primary key not a field": (lambda s: s.__setitem__("primaryKey", ["nope"]), "is not a field of this schema"),
    "duplicate field": (lambda s: s["fields"].append(dict(s["fields"][0])), "is declared twice"),
    "other missing values": (lambda s: s.__setitem__("missingValues", ["", "NA"]), "missingValues must be"),
    "fields not a list": (lambda s: s.__setitem__("fields", {"a": 1}), "expected a 'fields' list"),
}


@pytest.mark.parametrize("case", list(BAD_SCHEMA_VALUES))
def test_a_hostile_schema_value_is_a_descriptor_error_naming_file_and_field(package_copy: Path, case: str) -> None:
    """Each wrong constraint, pattern or key raises DescriptorError naming the schema file (and the field)."""
    change, message = BAD_SCHEMA_VALUES[case]
    edit_schema(package_copy, "quotes", change)
    for call in (lambda p: p.load("quotes"), lambda p: p.schema("quotes"), lambda p: p.verify()):
        with pytest.raises(ad.DescriptorError, match=re.escape(message)) as info:
            call(ad.Package(package_copy))
        assert str(package_copy / "schemas" / "quotes.schema.json") in str(info.value)
    with pytest.raises(ad.ValidationError, match=re.escape(message)):
        ad.Package(package_copy).validate()


CATASTROPHIC = {"nested groups": r"^(\w+\s?)+$", "alternation": r"^(a|a)+$", "nested stars": r"^(a*)*b$",
                "overlapping": r"^(\w|\d)+$"}


@pytest.mark.parametrize("case", list(CATASTROPHIC))
def test_a_catastrophic_backtracking_pattern_runs_in_linear_time(package_copy: Path, case: str) -> None:
    """Patterns that hang Python's re on a 60-character value are run by RE2: validate() returns, in a child with a deadline."""
    from helpers import replace_table

    pattern = CATASTROPHIC[case]
    edit_schema(package_copy, "people", lambda s: field(s, "description")["constraints"].__setitem__("pattern", pattern)
                if "constraints" in field(s, "description") else field(s, "description").__setitem__(
                    "constraints", {"pattern": pattern}))
    people = ad.Package(package_copy).load("people")
    people.loc[0, "description"] = "a" * 60 + "!"
    replace_table(package_copy, "people", people)
    script = "import sys, article_data as ad\ntry:\n ad.Package(sys.argv[1]).validate()\nexcept ad.ValidationError as e:\n print(e)"
    result = subprocess.run([sys.executable, "-c", script, str(package_copy)], capture_output=True, text=True, timeout=120)
    assert "people[" in result.stdout and "pattern" in result.stdout


@pytest.mark.parametrize("constraint, value", [("maxLength", 3), ("minLength", 500)])
def test_string_length_constraints_are_checked(package_copy: Path, constraint: str, value: int) -> None:
    """maxLength and minLength are enforced by validate(), naming the rows."""
    edit_schema(package_copy, "places", lambda s: field(s, "name").setdefault("constraints", {}).__setitem__(constraint, value))
    with pytest.raises(ad.ValidationError, match=r"places\[\w+\]\.name: str_length") as info:
        ad.Package(package_copy).validate()
    assert len(info.value.problems) >= 1


# -- 5. every failure is an ArticleDataError, within bounds -----------------------------------------

def raw_descriptor(root: Path, text: str) -> None:
    (root / "datapackage.json").write_text(text)


def many_resources(root: Path, total: int) -> None:
    """Add copies of the article resource until the descriptor lists ``total`` resources."""
    descriptor = json.loads((root / "datapackage.json").read_text())
    article = resource(descriptor, "article")
    descriptor["resources"] += [dict(article, name=f"copy{i}") for i in range(total - len(descriptor["resources"]))]
    (root / "datapackage.json").write_text(json.dumps(descriptor))


BAD_JSON: dict[str, tuple[Callable[[Path], None], str]] = {
    "nested 100,000 levels": (lambda root: raw_descriptor(root, "[" * 100_000 + "]" * 100_000), "nested deeper than 64"),
    "nested 65 levels": (lambda root: raw_descriptor(root, '{"resources": ' + "[" * 65 + "]" * 65 + "}"),
                         "nested deeper than 64"),
    "duplicate key": (lambda root: raw_descriptor(root, (root / "datapackage.json").read_text().replace(
        '"version":', '"version": "9.9.9", "version":', 1)), "duplicate key 'version'"),
    "NaN": (lambda root: raw_descriptor(root, (root / "datapackage.json").read_text().replace(
        '"bytes": ', '"bytes": NaN, "x": ', 1)), "NaN is not a JSON number"),
    "Infinity": (lambda root: raw_descriptor(root, (root / "datapackage.json").read_text().replace(
        '"bytes": ', '"bytes": Infinity, "x": ', 1)), "Infinity is not a JSON number"),
    "1e999": (lambda root: raw_descriptor(root, (root / "datapackage.json").read_text().replace(
        '"bytes": ', '"bytes": 1e999, "x": ', 1)), "too large for a double"),
    "huge integer": (lambda root: raw_descriptor(root, (root / "datapackage.json").read_text().replace(
        '"bytes": ', '"bytes": ' + "9" * 5000 + ', "x": ', 1)), "not valid UTF-8 JSON"),
    "17 MiB": (lambda root: raw_descriptor(root, '{"x": "' + "a" * (17 * 1024 * 1024) + '"}'), "more than the 16777216"),
    "10,001 resources": (lambda root: many_resources(root, 10_001), "at most 10000 are accepted"),
    "not UTF-8": (lambda root: (root / "datapackage.json").write_bytes(b'{"a": "\xff"}'), "not valid UTF-8 JSON"),
    "descriptor is a FIFO": (lambda root: fifo(root / "datapackage.json"), "not a regular file (a FIFO)"),
}


@pytest.mark.parametrize("case", list(BAD_JSON))
def test_a_malformed_or_oversized_descriptor_is_a_descriptor_error(package_copy: Path, case: str) -> None:
    """Deep nesting, duplicate keys, NaN and oversize are DescriptorError naming datapackage.json, never a crash."""
    make, message = BAD_JSON[case]
    make(package_copy)
    script = textwrap.dedent("""
        import sys, article_data as ad
        for call in ("verify", "load_all", "validate", "connect"):
            try:
                getattr(ad.Package(sys.argv[1]), call)()
            except ad.ArticleDataError as exc:
                print(call, type(exc).__name__, str(exc)[:300].replace("\\n", " "))
    """)
    result = subprocess.run([sys.executable, "-c", script, str(package_copy)], capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 4, result.stderr[-2000:]
    assert all(message in line and "datapackage.json" in line for line in lines), lines
    assert lines[0].split()[1] == "DescriptorError" and lines[2].split()[1] == "ValidationError"


def test_thousands_of_resources_are_verified(package_copy: Path) -> None:
    """10,000 resources, the bound: verify() checks them all (the table list is computed once)."""
    many_resources(package_copy, 10_000)
    pkg = ad.Package(package_copy)
    pkg.verify()
    assert pkg.tables == ad.TABLES


# -- 6. exports are safe and behave like files -------------------------------------------------------

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

    from helpers import replace_table

    people = ad.Package(package_copy).load("people")
    for i, value in enumerate(FORMULAS[:len(people)]):
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
    "device": (lambda tmp: os.mknod(tmp / "null.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3)) or tmp / "null.csv",
               "is not a regular file; refused"),
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
    assert (before is None and after is None) or (before and after and stat.S_IFMT(before.st_mode) == stat.S_IFMT(after.st_mode))


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


KILLS = [(signal.SIGTERM, "unnamed"), (signal.SIGTERM, "named"), (signal.SIGINT, "unnamed"),
         (signal.SIGINT, "named"), (signal.SIGHUP, "named"), (signal.SIGKILL, "unnamed")]


@pytest.mark.parametrize("sig, mode", KILLS, ids=[f"{signal.Signals(s).name}-{m}" for s, m in KILLS])
def test_a_killed_output_leaves_no_temporary_file_and_the_old_file_intact(tmp_path: Path, sig: int, mode: str) -> None:
    """Killed while its temporary file holds the new bytes: the previous file stays, nothing else is left.

    "unnamed" is Linux's O_TMPFILE (even SIGKILL leaves nothing); "named" is the fallback,
    which cleans up on SIGTERM, SIGHUP and SIGINT.
    """
    output = tmp_path / "render.html"
    output.write_text("previous")
    script = textwrap.dedent("""
        import os, sys, time
        from article_data import _output
        if sys.argv[2] == "named":
            _output._write_unnamed = lambda folder, target, data: False
        real_fsync = os.fsync
        def slow_fsync(fd):
            print("written, not yet renamed", flush=True)
            time.sleep(60)
            real_fsync(fd)
        os.fsync = slow_fsync
        from article_data._cli import main
        sys.exit(main(["render", "-o", sys.argv[1]]))
    """)
    child = subprocess.Popen([sys.executable, "-c", script, str(output), mode], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "written, not yet renamed\n"
    child.send_signal(sig)
    child.wait(timeout=60)
    assert child.returncode != 0
    assert output.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["render.html"]


def test_dash_writes_to_standard_output() -> None:
    """`-o -` writes the export to standard output and creates no file named '-'."""
    result = run(BIN / "article-data", "export", "places", "-o", "-")
    assert result.returncode == 0 and result.stdout.startswith("place_id,name")
    assert len(result.stdout.splitlines()) == len(ad.load("places")) + 1 and not Path("-").exists()
