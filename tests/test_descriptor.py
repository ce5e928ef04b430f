"""datapackage.json parsed as untrusted input (article_data._descriptor): names, strict JSON, bounds."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import article_data as ad
from helpers import edit_descriptor, fifo, rename_resource, resource

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


def raw_descriptor(root: Path, text: str) -> None:
    (root / "datapackage.json").write_text(text)


def many_resources(root: Path, total: int) -> None:
    """Add copies of the article resource until the descriptor lists ``total`` resources and files."""

    def add(descriptor: dict) -> None:
        article = resource(descriptor, "article")
        listed = len(descriptor["resources"]) + len(descriptor.get("files", []))
        descriptor["resources"] += [dict(article, name=f"copy{i}") for i in range(total - listed)]

    edit_descriptor(root, add)


BAD_JSON: dict[str, tuple[Callable[[Path], None], str]] = {
    "nested 100,000 levels": (
        lambda root: raw_descriptor(root, "[" * 100_000 + "]" * 100_000),
        "nested deeper than 64",
    ),
    "nested 65 levels": (
        lambda root: raw_descriptor(root, '{"resources": ' + "[" * 65 + "]" * 65 + "}"),
        "nested deeper than 64",
    ),
    "duplicate key": (
        lambda root: raw_descriptor(
            root, (root / "datapackage.json").read_text().replace('"version":', '"version": "9.9.9", "version":', 1)
        ),
        "duplicate key 'version'",
    ),
    "NaN": (
        lambda root: raw_descriptor(
            root, (root / "datapackage.json").read_text().replace('"bytes": ', '"bytes": NaN, "x": ', 1)
        ),
        "NaN is not a JSON number",
    ),
    "Infinity": (
        lambda root: raw_descriptor(
            root, (root / "datapackage.json").read_text().replace('"bytes": ', '"bytes": Infinity, "x": ', 1)
        ),
        "Infinity is not a JSON number",
    ),
    "1e999": (
        lambda root: raw_descriptor(
            root, (root / "datapackage.json").read_text().replace('"bytes": ', '"bytes": 1e999, "x": ', 1)
        ),
        "too large for a double",
    ),
    "huge integer": (
        lambda root: raw_descriptor(
            root, (root / "datapackage.json").read_text().replace('"bytes": ', '"bytes": ' + "9" * 5000 + ', "x": ', 1)
        ),
        "not valid UTF-8 JSON",
    ),
    "17 MiB": (
        lambda root: raw_descriptor(root, '{"x": "' + "a" * (17 * 1024 * 1024) + '"}'),
        "more than the 16777216",
    ),
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
    result = subprocess.run(
        [sys.executable, "-c", script, str(package_copy)], capture_output=True, text=True, timeout=120
    )
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
