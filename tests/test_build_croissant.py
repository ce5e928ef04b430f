"""croissant.json: valid Croissant 1.0 that mlcroissant loads, offline, into exactly the rows of the tables."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import logging
import math
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import numpy as np
import pandas as pd
import pytest
import yaml

import article_data as ad
from article_data._types import TYPES
from article_data_build.changelog import release_date
from article_data_build.croissant import RAI_PROPERTIES, croissant_metadata
from helpers import BIN, ROOT, run

CROISSANT = ROOT / "croissant.json"

# Deprecations inside mlcroissant 1.1.1 and the rdflib it calls, not in this project.
pytestmark = [
    pytest.mark.usefixtures("offline"),
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index is deprecated"),
]

# Installed as sitecustomize.py in a subprocess: any network connection fails loudly.
NO_NETWORK = """
import socket
def _refuse(*args, **kwargs):
    raise OSError("network access attempted during an offline test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The committed croissant.json."""
    return json.loads(CROISSANT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def dataset() -> mlc.Dataset:
    """croissant.json read and validated by mlcroissant."""
    return mlc.Dataset(jsonld=CROISSANT)


def _schemas() -> dict[str, dict[str, Any]]:
    return {t: json.loads((ROOT / "schemas" / f"{t}.schema.json").read_text(encoding="utf-8")) for t in ad.TABLES}


def _responsible_ai() -> dict[str, Any]:
    package = yaml.safe_load((ROOT / "annotations" / "package.yaml").read_text(encoding="utf-8"))
    return package["responsible_ai"]  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    """One cell as a plain Python value: bytes decoded, every kind of null None, numpy scalars unwrapped."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list):  # a repeated field (aliases)
        return [_plain(v) for v in value]
    if isinstance(value, pd.Timestamp):
        assert value == value.normalize(), f"a date with a time: {value!r}"
        return value.date()
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def test_croissant_validates_without_errors_or_warnings(dataset: mlc.Dataset, caplog: pytest.LogCaptureFixture) -> None:
    """Mlcroissant reads croissant.json as Croissant 1.0 and reports no error and no warning."""
    with caplog.at_level(logging.WARNING):
        fresh = mlc.Dataset(jsonld=CROISSANT)
    issues = fresh.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, issues.report()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert fresh.metadata.ctx.conforms_to.value == "http://mlcommons.org/croissant/1.0"
    assert [rs.uuid for rs in dataset.metadata.record_sets] == list(ad.TABLES)


def test_croissant_cli_validate_passes_offline(tmp_path: Path) -> None:
    """`mlcroissant validate --jsonld croissant.json` exits 0 and prints no warning, with the network cut off."""
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    env = {"PATH": str(BIN), "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)}
    probe = run(BIN / "python", "-c", "import socket; socket.getaddrinfo('localhost', 80)", cwd=tmp_path, env=env)
    assert "network access attempted" in probe.stderr, "the network guard is not active"
    result = run(BIN / "mlcroissant", "validate", "--jsonld", CROISSANT, cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Done." in output
    assert not [
        line for line in output.splitlines() if line[:1] in ("W", "E") or "WARNING" in line or "ERROR" in line
    ], output


@pytest.mark.parametrize("table", ad.TABLES)
def test_croissant_records_equal_the_table(dataset: mlc.Dataset, table: str) -> None:
    """Every RecordSet loads through mlcroissant to the same rows, value by value, as article_data.load."""
    frame = ad.load(table)
    records = list(dataset.records(record_set=table))
    prefix = f"{table}/"
    assert all(all(k.startswith(prefix) for k in r) for r in records)
    got = [{k.removeprefix(prefix): _plain(v) for k, v in r.items()} for r in records]
    expected = [{c: _plain(v) for c, v in row.items()} for row in frame.astype(object).to_dict("records")]
    assert len(got) == len(expected) == len(frame)
    assert [list(r) for r in got] == [list(frame.columns)] * len(got)
    for position, (mine, theirs) in enumerate(zip(got, expected)):
        for column in frame.columns:
            a, b = mine[column], theirs[column]
            assert a == b and type(a) is type(b), f"{table} row {position} {column}: croissant {a!r} != table {b!r}"


def test_croissant_file_objects_hash_every_file(document: dict[str, Any]) -> None:
    """There is one FileObject per file of the descriptor (text, CSV, SHA256SUMS, and the Parquet and schemas
    under `files`), with its real size and sha256.
    """
    files = {f["contentUrl"]: f for f in document["distribution"]}
    assert all(f["@type"] == "cr:FileObject" for f in files.values())
    descriptor = ad.descriptor()
    assert set(files) == {r["path"] for r in [*descriptor["resources"], *descriptor["files"]]}
    assert {p for p in files if p.endswith(".csv")} == {f"data/{t}.csv" for t in ad.TABLES}
    assert {p for p in files if p.endswith(".parquet")} == {f"data/{t}.parquet" for t in ad.TABLES}
    formats = {"txt": "text/plain", "csv": "text/csv", "parquet": "application/x-parquet", "json": "application/json"}
    for path, node in files.items():
        data = (ROOT / path).read_bytes()
        assert node["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert node["contentSize"] == f"{len(data)} B", path
        assert node["encodingFormat"] == formats[path.rsplit(".", 1)[1] if "." in path else "txt"], path


def test_croissant_references_every_foreign_key(document: dict[str, Any], dataset: mlc.Dataset) -> None:
    """Every foreign key of the Table Schemas is a `references` of its field, and mlcroissant reads it so."""
    fields = {f["@id"]: f for rs in document["recordSet"] for f in rs["field"]}
    parsed = {f.uuid: f for rs in dataset.metadata.record_sets for f in rs.fields}
    expected = {}
    for table, schema in _schemas().items():
        for fk in schema.get("foreignKeys", []):
            for column, target in zip(fk["fields"], fk["reference"]["fields"]):
                expected[f"{table}/{column}"] = f"{fk['reference']['resource']}/{target}"
    assert expected  # the schemas do have foreign keys
    got = {fid: f["references"]["field"]["@id"] for fid, f in fields.items() if "references" in f}
    assert got == expected
    assert {fid: parsed[fid].references.uuid for fid in expected} == expected


def test_croissant_keys_and_types_follow_the_table_schemas(document: dict[str, Any]) -> None:
    """Each RecordSet's key is the primary key and each field's dataType and column follow the Table Schema."""
    record_sets = {rs["@id"]: rs for rs in document["recordSet"]}
    assert list(record_sets) == list(ad.TABLES)
    for table, schema in _schemas().items():
        rs = record_sets[table]
        key = rs["key"] if isinstance(rs["key"], list) else [rs["key"]]
        assert [k["@id"] for k in key] == [f"{table}/{c}" for c in schema["primaryKey"]]
        assert [f["name"] for f in rs["field"]] == [f["name"] for f in schema["fields"]]
        for field, column in zip(rs["field"], schema["fields"]):
            assert field["dataType"] == TYPES[column["type"]][2]
            assert field["source"] == {"fileObject": {"@id": f"{table}.parquet"}, "extract": {"column": column["name"]}}


def test_croissant_carries_the_curated_responsible_ai_fields(document: dict[str, Any]) -> None:
    """The rai: properties are exactly package.yaml's responsible_ai, which stays out of datapackage.json."""
    rai = _responsible_ai()
    assert set(rai) <= set(RAI_PROPERTIES)
    assert {k: v for k, v in document.items() if k.startswith("rai:")} == {f"rai:{k}": v for k, v in rai.items()}
    for key in (
        "dataCollection",
        "dataCollectionType",
        "dataAnnotationProtocol",
        "dataBiases",
        "dataLimitations",
        "dataUseCases",
        "personalSensitiveInformation",
        "dataReleaseMaintenancePlan",
    ):
        assert key in rai
    assert "responsible_ai" not in ad.descriptor()
    assert "http://mlcommons.org/croissant/RAI/1.0" in document["conformsTo"]


def test_croissant_dataset_metadata_comes_from_the_descriptor(document: dict[str, Any]) -> None:
    """Name, description, version, url, licence, creator and release date are the descriptor's and CHANGELOG's."""
    descriptor = ad.descriptor()
    assert document["name"] == descriptor["name"]
    assert document["description"] == descriptor["description"]
    assert document["version"] == descriptor["version"] == ad.__version__
    assert document.get("url") == descriptor.get("homepage")
    assert document["license"] == descriptor["licenses"][0]["path"]
    assert document["creator"] == [{"@type": "sc:Organization", "name": "article-data maintainers"}]
    released = release_date((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), ad.__version__)
    assert document.get("datePublished") == released
    assert f"version = {{{ad.__version__}}}" in document["citeAs"]


def test_croissant_metadata_is_deterministic_and_refuses_what_it_cannot_describe(document: dict[str, Any]) -> None:
    """The generator gives the committed document again, and raises ValueError on an unknown type or RAI key."""
    descriptor, schemas, rai = ad.descriptor(), _schemas(), _responsible_ai()
    released = document.get("datePublished")
    assert croissant_metadata(descriptor, schemas, rai, date_published=released) == document
    broken = copy.deepcopy(schemas)
    broken["figures"]["fields"][0]["type"] = "duration"
    with pytest.raises(ValueError, match="no Croissant dataType for Table Schema type 'duration'"):
        croissant_metadata(descriptor, broken, rai)
    with pytest.raises(ValueError, match="unknown property 'dataBias'"):
        croissant_metadata(descriptor, schemas, {"dataBias": "typo"})
    with pytest.raises(ValueError, match="dataCollection must be a string"):
        croissant_metadata(descriptor, schemas, {"dataCollection": ["one", "two"]})


def test_release_date_reads_only_dated_releases() -> None:
    """release_date finds a version's dated heading in a Keep a Changelog file, and None for an unreleased one."""
    changelog = "## [Unreleased]\n\n## [1.1.0] - 2025-01-02\n\n## [1.0.0] - 2024-05-01\n"
    assert release_date(changelog, "1.0.0") == "2024-05-01"
    assert release_date(changelog, "1.1.0") == "2025-01-02"
    assert release_date(changelog, "2.0.0") is None
    assert isinstance(dt.date.fromisoformat(release_date(changelog, "1.0.0") or ""), dt.date)
