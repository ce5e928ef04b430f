"""Property-based fuzzing (hypothesis): random damage to every file and to the descriptor.

Each family runs a fixed number of derandomised examples (see README, "Reliability"); the last
test checks that every family really ran that many distinct cases.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from helpers import PACKAGE_FILES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import article_data as ad

#: Examples per family; the README's reliability table quotes these numbers.
EXAMPLES = {"data file, verify=True": 400, "CSV file, verify=False": 300, "descriptor": 300}


def fuzz_settings(family: str) -> settings:
    """Derandomised, bounded, no example database: the same cases on every run."""
    return settings(max_examples=EXAMPLES[family], derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
FILES = [r["path"] for r in DESCRIPTOR["resources"]]
CSV_TABLES = list(ad.TABLES)
TRIED: dict[str, set[str]] = defaultdict(set)
ORIGINAL = {table: ad.load(table) for table in ad.TABLES}


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
        out = data[:position] + bytes([data[position] ^ mask]) + data[position + 1:]
    elif kind == "overwrite":
        chunk = draw(st.binary(min_size=1, max_size=16))
        out = data[:position] + chunk + data[position + len(chunk):]
    elif kind == "insert":
        out = data[:position] + draw(st.binary(min_size=1, max_size=16)) + data[position:]
    elif kind == "delete":
        out = data[:position] + data[position + draw(st.integers(1, 16)):]
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
def test_fuzz_no_mutated_file_is_ever_loaded(workdir: Path, data: st.DataObject, relative: str) -> None:
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
            if relative.endswith(".txt"):
                pkg.article_text()
            elif relative.endswith(".schema.json"):
                pkg.schema(name)
            else:
                pkg.load(name, format="parquet" if relative.endswith(".parquet") else "csv")
    finally:
        (workdir / relative).write_bytes(original)


@fuzz_settings("CSV file, verify=False")
@given(data=st.data(), table=st.sampled_from(CSV_TABLES))
def test_fuzz_unverified_csv_raises_only_article_data_errors(workdir: Path, data: st.DataObject, table: str) -> None:
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
    st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.text(max_size=30),
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
def test_fuzz_mutated_descriptor_raises_only_article_data_errors(workdir: Path, new: bytes) -> None:
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


def test_fuzz_tried_the_promised_number_of_cases() -> None:
    """Each fuzz family above ran at least 90% of its examples as distinct cases."""
    ran = {family: len(cases) for family, cases in TRIED.items()}
    if not ran:
        pytest.skip("run with the fuzz tests above (the whole module)")
    for family, examples in EXAMPLES.items():
        assert ran.get(family, 0) >= 0.9 * examples, (family, ran.get(family))
    print(json.dumps(ran))
