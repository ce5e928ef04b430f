"""Property-based fuzzing (hypothesis): random damage to every file, the descriptor, resource names and schemas.

Each family runs a fixed number of derandomised examples (README, "Reliability"), and its test
asserts afterwards that at least 90% of them were distinct cases.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import article_data as ad
from article_data._hashes import sha256
from helpers import PACKAGE_FILES, ROOT, as_fork

#: Examples per family; the README's reliability table quotes these numbers (test_reliability checks it).
EXAMPLES = {
    "data file, verify=True": 400,
    "CSV file, verify=False": 300,
    "descriptor": 300,
    "resource name": 200,
    "schema value": 300,
}


def fuzz_settings(family: str) -> settings:
    """Derandomised, bounded, no example database: the same cases on every run."""
    return settings(
        max_examples=EXAMPLES[family],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
#: Every file the descriptor declares: its resources (text, CSV tables, SHA256SUMS) and ``files`` (Parquet, schemas).
ENTRIES = [*DESCRIPTOR["resources"], *DESCRIPTOR.get("files", [])]
FILES = [r["path"] for r in ENTRIES]
CSV_TABLES = [r["name"] for r in DESCRIPTOR["resources"] if r["format"] == "csv"]
TRIED: dict[str, set[str]] = defaultdict(set)
ORIGINAL: dict[str, pd.DataFrame] = {}


@pytest.fixture(scope="module", autouse=True)
def original() -> None:
    """The published tables, loaded once when the first fuzz test runs (not at collection)."""
    ORIGINAL.update({table: ad.load(table) for table in ad.TABLES})


def ran_distinct(family: str) -> None:
    """Assert the family just ran at least 90% of its examples as distinct cases."""
    assert len(TRIED[family]) >= 0.9 * EXAMPLES[family], (family, len(TRIED[family]))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One package copy for the module; every example restores what it damaged."""
    root = tmp_path_factory.mktemp("fuzz") / "package"
    root.mkdir()
    for name in PACKAGE_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    return root


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """Flip, overwrite, insert, delete or truncate bytes; always returns different bytes."""
    kind = draw(st.sampled_from(["flip", "overwrite", "insert", "delete", "truncate"]))
    position = draw(st.integers(0, len(data) - 1))
    if kind == "flip":
        mask = draw(st.integers(1, 255))
        out = data[:position] + bytes([data[position] ^ mask]) + data[position + 1 :]
    elif kind == "overwrite":
        chunk = draw(st.binary(min_size=1, max_size=16))
        out = data[:position] + chunk + data[position + len(chunk) :]
    elif kind == "insert":
        out = data[:position] + draw(st.binary(min_size=1, max_size=16)) + data[position:]
    elif kind == "delete":
        out = data[:position] + data[position + draw(st.integers(1, 16)) :]
    else:
        out = data[:position]
    if out == data:
        out = data + b"\x00"
    return out


def damaged(workdir: Path, relative: str, new: bytes) -> bytes:
    path = workdir / relative
    old = path.read_bytes()
    path.write_bytes(new)
    return old


@fuzz_settings("data file, verify=True")
@given(data=st.data(), relative=st.sampled_from(FILES))
def _fuzz_no_mutated_file_is_ever_loaded(workdir: Path, data: st.DataObject, relative: str) -> None:
    """Any change to any data file makes verify() and the file's loader raise IntegrityError."""
    original = (workdir / relative).read_bytes()
    new = data.draw(mutation(original))
    TRIED["data file, verify=True"].add(f"{relative}:{hash(new)}")
    damaged(workdir, relative, new)
    try:
        pkg = ad.Package(workdir)
        with pytest.raises(ad.IntegrityError, match=Path(relative).name):
            pkg.verify()
        name = Path(relative).name.split(".")[0]
        with pytest.raises(ad.IntegrityError):
            if relative == "SHA256SUMS":  # read by sha256sum and verify(), by no loader
                pkg.verify()
            elif relative.endswith(".txt"):
                pkg.article_text()
            elif relative.endswith(".schema.json"):
                pkg.schema(name)
            else:
                pkg.load(name, format="parquet" if relative.endswith(".parquet") else "csv")
    finally:
        (workdir / relative).write_bytes(original)


@fuzz_settings("CSV file, verify=False")
@given(data=st.data(), table=st.sampled_from(CSV_TABLES))
def _fuzz_unverified_csv_raises_only_article_data_errors(workdir: Path, data: st.DataObject, table: str) -> None:
    """With verify=False a mutated CSV either raises an ArticleDataError or parses to the same number of rows."""
    relative = f"data/{table}.csv"
    original = (workdir / relative).read_bytes()
    new = data.draw(mutation(original))
    TRIED["CSV file, verify=False"].add(f"{relative}:{hash(new)}")
    damaged(workdir, relative, new)
    try:
        frame = ad.Package(workdir).load(table, format="csv", verify=False)
    except ad.ArticleDataError as exc:
        assert relative.split("/")[1] in str(exc)
    else:
        assert len(new) == len(original)  # only a same-size change can get past the size check
        assert len(frame) == len(ORIGINAL[table])
    finally:
        (workdir / relative).write_bytes(original)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)


def paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a value inside a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


@st.composite
def descriptor_mutation(draw: st.DrawFn) -> bytes:
    """Replace or delete a value anywhere in datapackage.json, or damage its raw bytes."""
    document = json.loads(json.dumps(DESCRIPTOR))
    if draw(st.booleans()):
        return draw(mutation(json.dumps(document).encode()))
    where = draw(st.sampled_from(paths(document)[1:]))
    parent: object = document
    for step in where[:-1]:
        parent = parent[step]  # type: ignore[index]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = draw(json_values)  # type: ignore[index]
    return json.dumps(document).encode()


@fuzz_settings("descriptor")
@given(new=descriptor_mutation())
def _fuzz_mutated_descriptor_raises_only_article_data_errors(workdir: Path, new: bytes) -> None:
    """A mutated descriptor gives ArticleDataError or, if it still loads, exactly the original rows."""
    TRIED["descriptor"].add(str(hash(new)))
    original = damaged(workdir, "datapackage.json", new)
    try:
        pkg = ad.Package(workdir)
        try:
            pkg.verify()
            tables = pkg.load_all()
        except ad.ArticleDataError:
            return
        for name, frame in tables.items():
            pd.testing.assert_frame_equal(frame, ORIGINAL[name])
    finally:
        (workdir / "datapackage.json").write_bytes(original)


def test_fuzz_no_mutated_file_is_ever_loaded(workdir: Path) -> None:
    """Any change to any file (data, text, schema) makes verify() and the file's loader raise IntegrityError."""
    _fuzz_no_mutated_file_is_ever_loaded(workdir)
    ran_distinct("data file, verify=True")


def test_fuzz_unverified_csv_raises_only_article_data_errors(workdir: Path) -> None:
    """With verify=False a mutated CSV either raises an ArticleDataError or parses to the same number of rows."""
    _fuzz_unverified_csv_raises_only_article_data_errors(workdir)
    ran_distinct("CSV file, verify=False")


def test_fuzz_mutated_descriptor_raises_only_article_data_errors(workdir: Path) -> None:
    """A mutated descriptor gives ArticleDataError or, if it still loads, exactly the original rows."""
    _fuzz_mutated_descriptor_raises_only_article_data_errors(workdir)
    ran_distinct("descriptor")


@fuzz_settings("resource name")
@given(name=st.text(min_size=0, max_size=40) | st.from_regex(r"[a-z0-9._-]{1,20}", fullmatch=True))
def _fuzz_resource_names(workdir: Path, name: str) -> None:
    TRIED["resource name"].add(name)
    descriptor = as_fork(json.loads(json.dumps(DESCRIPTOR)))
    for resource in [*descriptor["resources"], *descriptor.get("files", [])]:
        if resource["name"] in ("places", "places_parquet"):
            resource["name"] = resource["name"].replace("places", name, 1)
    original = damaged(workdir, "datapackage.json", json.dumps(descriptor).encode())
    try:
        pkg = ad.Package(workdir)
        try:
            pkg.verify()
        except ad.DescriptorError as exc:
            taken = {r["name"] for r in ENTRIES}
            assert not re.fullmatch(r"[a-z0-9._-]{1,128}", name) or name in taken or f"{name}_parquet" in taken
            assert "datapackage.json" in str(exc)
            return
        assert re.fullmatch(r"[a-z0-9._-]{1,128}", name)
        if name in pkg.tables:  # (SQL needs every table of the contract, places among them: tests/test_sql.py)
            pd.testing.assert_frame_equal(pkg.load(name), ORIGINAL["places"])
    finally:
        (workdir / "datapackage.json").write_bytes(original)


def test_fuzz_resource_names_are_data(workdir: Path) -> None:
    """Any string as a resource name: refused unless it follows the Data Package rule, and then only data."""
    _fuzz_resource_names(workdir)
    ran_distinct("resource name")


constraint_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.text(max_size=6), max_size=4),
    st.sampled_from(["(?=a)", r"(a)\1", "(a", r"^(\w+\s?)+$", "[a-z]+", ".*"]),
)
SCHEMA_KEYS = [
    "required",
    "unique",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
]


@fuzz_settings("schema value")
@given(
    field_index=st.integers(0, 4),
    key=st.sampled_from([*SCHEMA_KEYS, "type", "name", "format"]),
    value=constraint_values,
)
def _fuzz_schema_values(workdir: Path, field_index: int, key: str, value: object) -> None:
    TRIED["schema value"].add(repr((field_index, key, value)))
    path = workdir / "schemas" / "places.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    field = schema["fields"][field_index]
    if key in ("type", "name", "format"):
        field[key] = value
    else:
        field.setdefault("constraints", {})[key] = value
    data = json.dumps(schema).encode()
    descriptor = json.loads(json.dumps(DESCRIPTOR))
    for resource in descriptor["resources"]:
        if resource["name"] == "places_schema":
            resource["bytes"], resource["hash"] = len(data), sha256(data)
    original_schema = damaged(workdir, "schemas/places.schema.json", data)
    original_descriptor = damaged(workdir, "datapackage.json", json.dumps(descriptor).encode())
    try:
        try:
            pkg = ad.Package(workdir)
            frame = pkg.load("places")
            pkg.schema("places")
        except ad.DescriptorError as exc:
            assert "places.schema.json" in str(exc)
            return
        except ad.ArticleDataError:
            return  # accepted as a schema, but the rows do not fit it (a changed type, an enum)
        assert list(frame["place_id"]) == list(ORIGINAL["places"]["place_id"])
        try:
            pkg.validate()
        except ad.ValidationError:
            pass  # a tighter constraint the rows break is a listed problem, never a crash
    finally:
        (workdir / "schemas" / "places.schema.json").write_bytes(original_schema)
        (workdir / "datapackage.json").write_bytes(original_descriptor)


def test_fuzz_schema_values_are_checked_or_refused(workdir: Path) -> None:
    """Any value for a field's type, name, format or constraint: a DescriptorError naming the schema, or a working schema."""
    _fuzz_schema_values(workdir)
    ran_distinct("schema value")
