"""README, CHANGELOG, datasheet and data dictionary stay true to the code and the data."""

from __future__ import annotations

import re

from helpers import BIN, ROOT, run

import article_data as ad
from article_data_build.assemble import build
from article_data_build.dictionary import data_dictionary

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    """The first code block of the README is `make` and `make test`."""
    first_block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make", "make test"]


def test_readme_lists_the_public_api() -> None:
    """Every public name in article_data.__all__ appears in the README."""
    for name in ad.__all__:
        assert name in README, name


def test_data_dictionary_is_generated_from_the_schemas() -> None:
    """DATA_DICTIONARY.md is exactly what the build renders from the current schemas and rows."""
    inputs, package = build(ROOT)
    assert not inputs.problems and package is not None
    assert (ROOT / "DATA_DICTIONARY.md").read_text(encoding="utf-8") == data_dictionary(package)


def test_changelog_records_this_version_with_its_row_counts() -> None:
    """CHANGELOG.md has an entry for the current version whose row counts match the data."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog.split(f"## [{ad.__version__}]")[1].split("\n## [")[0]
    counts = dict(re.findall(r"^\s*\| (\w+) \| (\d+) \|$", section, flags=re.M))
    assert counts == {table: str(len(ad.load(table))) for table in ad.TABLES}


def test_datasheet_has_the_seven_sections_and_current_agreement() -> None:
    """DATASHEET.md has the seven Datasheets-for-Datasets sections and an up-to-date agreement table."""
    datasheet = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## \d\. (.+)$", datasheet, flags=re.M)
    assert [s.split(",")[0].split()[0].lower() for s in sections] == [
        "motivation", "composition", "collection", "preprocessing", "uses", "distribution", "maintenance"]
    result = run(BIN / "python", "-m", "article_data_build.agreement", "--check")
    assert result.returncode == 0, result.stderr
