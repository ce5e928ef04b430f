"""The published package: descriptor, files, hashes, and the real `frictionless validate`."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest

import article_data as ad
from helpers import BIN, ROOT, run

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = DESCRIPTOR["resources"]
SEED = ROOT.parent / "shared" / "seed" / "000_3049106739eaf124.txt"
V2 = "https://datapackage.org/profiles/2.0/"


@pytest.mark.parametrize("resource", RESOURCES, ids=[r["name"] for r in RESOURCES])
def test_resource_bytes_and_hash_match_disk(resource: dict) -> None:
    """Every resource, Parquet included, declares the true byte count and sha256 of its file."""
    data = (ROOT / resource["path"]).read_bytes()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert resource["bytes"] == len(data), f"declared={resource['bytes']} disk={len(data)}"
    assert resource["hash"] == digest, f"declared={resource['hash']} disk={digest}"
    for key in ("path", "format", "mediatype", "encoding"):
        assert resource.get(key), f"{resource['name']} lacks {key!r}"


def test_frictionless_validate_command_reports_zero_errors() -> None:
    """The real `frictionless validate datapackage.json` exits 0 and counts no error."""
    result = run(BIN / "frictionless", "validate", "datapackage.json", "--json", cwd=ROOT)
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout[-2000:]
    assert report["valid"] is True
    assert report["stats"]["errors"] == 0
    assert {task["name"] for task in report["tasks"]} == {r["name"] for r in RESOURCES}


def test_frictionless_validate_catches_a_tampered_checksum_file(package_copy: Path) -> None:
    """Frictionless checks the sha256 of SHA256SUMS, which covers the Parquet files and schemas
    (`sha256sum -c` checks those: tests/test_ecosystem.py).
    """
    target = package_copy / "SHA256SUMS"
    data = bytearray(target.read_bytes())
    data[0] = ord("0") if data[0] != ord("0") else ord("1")
    target.write_bytes(bytes(data))
    result = run(BIN / "frictionless", "validate", "datapackage.json", "--json", cwd=package_copy)
    report = json.loads(result.stdout)
    assert result.returncode != 0
    errors = [e for task in report["tasks"] for e in task["errors"] if task["name"] == "checksums"]
    assert [e["type"] for e in errors] == ["hash-count"]


def test_frictionless_validate_catches_a_broken_foreign_key(package_copy: Path) -> None:
    """A speaker id that is not in people fails frictionless's foreign-key check."""
    path = package_copy / "data" / "quotes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",yan,", ",nobody,", 1), encoding="utf-8")
    descriptor = json.loads((package_copy / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == "quotes":
            del resource["hash"], resource["bytes"]
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor))
    result = run(BIN / "frictionless", "validate", "datapackage.json", "--json", cwd=package_copy)
    report = json.loads(result.stdout)
    types = {e["type"] for task in report["tasks"] for e in task["errors"]}
    assert "foreign-key" in types


def test_article_is_the_seed_byte_for_byte() -> None:
    """data/article.txt is the text as received, byte for byte (and the build's input too)."""
    published = (ROOT / "data" / "article.txt").read_bytes()
    assert published == (ROOT / "annotations" / "article.txt").read_bytes()
    if SEED.exists():
        assert published == SEED.read_bytes()


def test_descriptor_is_data_package_v2_with_provenance() -> None:
    """The descriptor declares v2, a lowercase name, semver version, honest licences and both sources."""
    assert DESCRIPTOR["$schema"] == V2 + "datapackage.json"
    assert re.fullmatch(r"[a-z0-9._-]+", DESCRIPTOR["name"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", DESCRIPTOR["version"])
    for key in ("title", "description", "keywords", "licenses", "contributors", "sources"):
        assert DESCRIPTOR.get(key), key
    sources = " ".join(s["title"] for s in DESCRIPTOR["sources"])
    assert "Amie Ferris-Rotman" in sources and "2022-04-08" in sources and "TIME" in sources
    assert "Miss Cherry May Timbol" in sources
    article = next(r for r in RESOURCES if r["name"] == "article")
    assert (
        "TIME" in article["licenses"][0]["title"] and "Not licensed by this project" in article["licenses"][0]["title"]
    )


def test_version_has_one_source_of_truth() -> None:
    """datapackage.json, the library and the installed distribution report the same version."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in pyproject["project"]["dynamic"]
    assert DESCRIPTOR["version"] == ad.__version__ == installed_version("article-data") == ad.descriptor()["version"]


@pytest.mark.parametrize("table", ad.TABLES)
def test_table_schema_is_complete(table: str) -> None:
    """Each Table Schema is v2, describes every field, has a primary key and declares every reference."""
    schema = json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text())
    assert schema["$schema"] == V2 + "tableschema.json"
    assert all(field.get("description") for field in schema["fields"])
    key = schema["fields"][0]["name"]
    assert schema["primaryKey"] == [key] and key.endswith("_id")
    names = {f["name"] for f in schema["fields"]}
    references = {n for n in names if n.endswith("_id") and n != key and n != "wikidata_id"}
    declared = {fk["fields"][0] for fk in schema.get("foreignKeys", [])}
    assert references == declared
    resource = next(r for r in RESOURCES if r["name"] == table)
    assert resource["schema"] == f"schemas/{table}.schema.json"


@pytest.mark.parametrize("table", ad.TABLES)
def test_csv_is_utf8_with_lf_and_a_header(table: str) -> None:
    """Each CSV is UTF-8, ends lines with LF only, and starts with the schema's column names."""
    data = (ROOT / "data" / f"{table}.csv").read_bytes()
    text = data.decode("utf-8")
    assert b"\r\n" not in data and text.endswith("\n")
    schema = json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text())
    assert text.split("\n", 1)[0] == ",".join(f["name"] for f in schema["fields"])
