"""Other tools read the published package right the first time, on the repository and on a new release zip.

The real tools, run as a new user would: check-datapackage (Data Package v2, strict),
frictionless, ``sha256sum -c``, the npm ``datapackage`` library under node, plain
``pandas.read_parquet`` and ``polars.read_parquet``, and Hugging Face ``datasets`` offline.
check-datapackage lives in ``.venv-v2`` (``make v2tools``: it needs Python 3.12) and the
npm library in ``tests/npm/node_modules`` (``make npm``); without them those tests skip,
or fail under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import article_data as ad
from article_data._types import enum_of

ROOT = Path(__file__).resolve().parent.parent
CHECK_DATAPACKAGE = ROOT / ".venv-v2" / "bin" / "check-datapackage"
NPM = ROOT / "tests" / "npm"


def _needs(path: Path, how: str) -> None:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing under CI: run `{how}` first (.ci/run does)")
        pytest.skip(f"{path} is missing: run `{how}`")


@pytest.fixture(scope="module")
def release_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new release zip of the current package, made by the release code and extracted."""
    from article_data_build.release import release_members, zip_bytes

    folder = tmp_path_factory.mktemp("release")
    archive = folder / f"article-data-{ad.__version__}.zip"
    archive.write_bytes(zip_bytes(release_members(ROOT)))
    out = folder / "extracted"
    with zipfile.ZipFile(archive) as members:
        members.extractall(out)
    return out


@pytest.fixture(params=["repository", "release zip"])
def package_root(request: pytest.FixtureRequest, release_folder: Path) -> Path:
    return ROOT if request.param == "repository" else release_folder


def test_check_datapackage_strict_reports_nothing(package_root: Path) -> None:
    """`check-datapackage check --strict` passes on the descriptor (Data Package v2, with an id)."""
    _needs(CHECK_DATAPACKAGE, "make v2tools")
    done = subprocess.run(
        [str(CHECK_DATAPACKAGE), "check", "--strict", str(package_root / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All checks passed" in done.stdout


def test_check_datapackage_finds_a_file_resource(tmp_path: Path) -> None:
    """The checker is real: a resource of type 'file' (the 1.x shape) is an error."""
    _needs(CHECK_DATAPACKAGE, "make v2tools")
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    descriptor["resources"][0]["type"] = "file"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    done = subprocess.run(
        [str(CHECK_DATAPACKAGE), "check", "--strict", str(tmp_path / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "'file' is not one of ['table']" in done.stdout + done.stderr


def test_frictionless_validate_reports_no_error(package_root: Path) -> None:
    """`frictionless validate` finds every resource valid: the CSV tables, the text and SHA256SUMS."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=package_root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    assert report["valid"], done.stdout[:3000]
    checked = {task["name"] for task in report["tasks"]}
    assert checked == {*ad.TABLES, "article", "checksums"}


def test_sha256sum_checks_every_other_file(package_root: Path) -> None:
    """`sha256sum -c SHA256SUMS` covers every file the descriptor names, Parquet and schemas included."""
    done = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=package_root, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listed = {line.split(": ")[0] for line in done.stdout.splitlines() if line.endswith(": OK")}
    descriptor = json.loads((package_root / "datapackage.json").read_text())
    named = {r["path"] for r in [*descriptor["resources"], *descriptor["files"]]} - {"SHA256SUMS"}
    assert listed == named


def test_sha256sum_catches_a_changed_parquet_file(tmp_path: Path) -> None:
    """A Parquet file changed after publishing fails `sha256sum -c`, naming it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copy(ROOT / "SHA256SUMS", tmp_path)
    target = tmp_path / "data" / "places.parquet"
    target.write_bytes(target.read_bytes() + b"x")
    done = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1 and "data/places.parquet: FAILED" in done.stdout


def test_npm_datapackage_loads_every_table(package_root: Path) -> None:
    """The npm `datapackage` library loads all nine tables with the declared dialect, cast by the schemas."""
    _needs(NPM / "node_modules" / "datapackage", "make npm")
    done = subprocess.run(
        ["node", str(NPM / "load.js"), str(package_root / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    tables = json.loads(done.stdout)
    assert list(tables) == list(ad.TABLES)
    for name, got in tables.items():
        frame = ad.load(name)
        assert got["rows"] == len(frame), name
        assert got["fields"] == list(frame.columns), name
    first = ad.load("defects").iloc[0]
    assert tables["defects"]["first"]["defect_id"] == first.defect_id
    assert tables["defects"]["first"]["char_start"] == int(first.char_start)  # cast to a number, not a string


def test_every_csv_resource_declares_its_dialect() -> None:
    """No reader has to sniff a CSV: each table resource states delimiter, quote and header."""
    for resource in ad.descriptor()["resources"]:
        if resource["format"] == "csv":
            dialect = resource["dialect"]
            assert (dialect["delimiter"], dialect["quoteChar"], dialect["header"]) == (",", '"', True)
            assert resource["type"] == "table"


@pytest.mark.parametrize("table", ad.TABLES)
def test_plain_pandas_read_parquet_gives_the_loaders_frame(table: str) -> None:
    """`pandas.read_parquet(path)` with no arguments gives exactly `ad.load`'s frame and dtypes
    (an array column: pyarrow gives each row a NumPy array of strings where `ad.load` gives a Python list).
    """
    plain = pd.read_parquet(ad.path(table))
    typed = ad.load(table)
    fields = ad.Package(ad.path()).table_schema(table)["fields"]
    assert plain.dtypes.to_dict() == typed.dtypes.to_dict()
    for field in fields:
        if field["type"] == "array":
            arrays = plain[field["name"]]
            assert all(v is None or isinstance(v, np.ndarray) for v in arrays), field["name"]
            plain[field["name"]] = arrays.map(lambda v: None if v is None else v.tolist()).astype(object)
    assert plain.equals(typed)
    for field in fields:
        enum = enum_of(field)
        if enum is not None:
            assert list(plain[field["name"]].cat.categories) == enum  # schema order, unused values too


@pytest.mark.parametrize("table", ad.TABLES)
def test_plain_polars_read_parquet_types_enums_and_keeps_descriptions(table: str) -> None:
    """`polars.read_parquet(path)` gives Enum columns in schema order, nullable Int64 and Boolean, dates;
    pyarrow's schema keeps every column's description.
    """
    import polars as pl
    import pyarrow.parquet as pq

    frame = pl.read_parquet(ad.path(table))
    stored = pq.read_schema(ad.path(table))
    expected = {
        "integer": pl.Int64,
        "number": pl.Float64,
        "boolean": pl.Boolean,
        "date": pl.Date,
        "string": pl.String,
        "array": pl.List(pl.String),
    }
    for field in ad.Package(ad.path()).table_schema(table)["fields"]:
        dtype = frame.schema[field["name"]]
        enum = enum_of(field)
        if enum is not None:
            assert dtype == pl.Enum(enum), field["name"]
        else:
            assert dtype == expected[field["type"]], field["name"]
        meta = stored.field(field["name"]).metadata
        assert meta[b"description"].decode() == field["description"]
    assert frame.height == len(ad.load(table))


_HF_SCRIPT = """
import json, sys
import datasets
out = {}
for name in sys.argv[2:]:
    ds = datasets.load_dataset(sys.argv[1], name, split="train")
    out[name] = {"rows": ds.num_rows, "columns": ds.column_names,
                 "labels": {k: v.names for k, v in ds.features.items() if isinstance(v, datasets.ClassLabel)},
                 "dtypes": {k: getattr(v, "dtype", None) for k, v in ds.features.items()},
                 "first": {k: str(v) for k, v in ds[0].items()}}
print(json.dumps(out))
"""


def test_hugging_face_load_dataset_gives_one_config_per_table(package_root: Path, tmp_path: Path) -> None:
    """`datasets.load_dataset(folder, table)` (offline) gives each table's rows, ClassLabel enums in schema order."""
    env = dict(
        os.environ,
        HF_DATASETS_OFFLINE="1",
        HF_HUB_OFFLINE="1",
        HF_HOME=str(tmp_path / "hf"),
        HF_DATASETS_CACHE=str(tmp_path / "hf" / "datasets"),
    )
    done = subprocess.run(
        [sys.executable, "-c", _HF_SCRIPT, str(package_root), *ad.TABLES],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.splitlines()[-1])
    pkg = ad.Package(ad.path())
    for name in ad.TABLES:
        frame = ad.load(name)
        got = loaded[name]
        assert (got["rows"], got["columns"]) == (len(frame), list(frame.columns)), name
        enums = {f["name"]: enum_of(f) for f in pkg.table_schema(name)["fields"] if enum_of(f) is not None}
        assert got["labels"] == enums, name
        for field in pkg.table_schema(name)["fields"]:
            if field["type"] == "integer":
                assert got["dtypes"][field["name"]] == "int64", (name, field["name"])
            if field["type"] == "boolean":
                assert got["dtypes"][field["name"]] == "bool", (name, field["name"])
    assert loaded["quotes"]["first"]["quote_id"] == ad.load("quotes").quote_id[0]


def test_the_readme_header_is_the_card_of_the_package() -> None:
    """README.md's YAML header is what `python -m article_data_build.card` computes (stale fails)."""
    from article_data_build.card import regenerate

    assert regenerate(ROOT, check=True) == []


def test_mentions_entity_type_names_the_table_of_the_id_set() -> None:
    """`mentions.entity_type` is person, organization or place exactly as the id column set says."""
    mentions = ad.load("mentions")
    expected = (
        mentions.person_id.notna().map({True: "person", False: ""})
        + mentions.organization_id.notna().map({True: "organization", False: ""})
        + mentions.place_id.notna().map({True: "place", False: ""})
    )
    assert (mentions.entity_type.astype(str) == expected.astype(str)).all()
    assert set(mentions.entity_type) == {"person", "organization", "place"}


def test_the_diff_calls_the_new_parquet_types_major() -> None:
    """From 1.1.0, enum columns stored as dictionaries are a changed type for plain readers: MAJOR."""
    diff = ad.diff("1.1.0")
    assert diff.bump == "major"
    assert any("quote_type stored in Parquet as dictionary" in reason for reason in diff.reasons)


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_every_1x_release_still_loads_by_number(version: str) -> None:
    """The library reads the 1.x descriptor shape (Parquet and schemas as resources of type 'file')."""
    old = ad.Package(ROOT / "releases" / f"article-data-{version}.zip")
    old.verify()
    assert old.version == version and len(old.load("quotes")) == 32
