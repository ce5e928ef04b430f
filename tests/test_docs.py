"""README, CHANGELOG, datasheet and data dictionary stay true to the code and the data."""

from __future__ import annotations

import doctest
import re

import pytest
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
    """Every public name in article_data.__all__ appears in the README's library section."""
    section = README.split("## The library")[1].split("\n## ")[0]
    for name in ad.__all__:
        assert re.search(rf"\b{re.escape(name)}\b", section), name


def test_data_dictionary_is_generated_from_the_schemas() -> None:
    """DATA_DICTIONARY.md is exactly what the build renders from the current schemas and rows."""
    inputs, package = build(ROOT)
    assert not inputs.problems and package is not None
    assert (ROOT / "DATA_DICTIONARY.md").read_text(encoding="utf-8") == data_dictionary(package)


def test_changelog_and_datasheet_blocks_generated_from_the_diff_are_fresh() -> None:
    """The generated parts of CHANGELOG.md and DATASHEET.md are what the diff with the last release gives."""
    result = run(BIN / "python", "-m", "article_data_build.changelog", "--check")
    assert result.returncode == 0, result.stderr


def test_changelog_records_this_version_with_its_row_counts() -> None:
    """CHANGELOG.md has a dated entry for the current version whose generated row counts match the data."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(ad.__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, flags=re.M)
    section = changelog.split(f"## [{ad.__version__}]")[1].split("\n## [")[0]
    counts = dict(re.findall(r"^\| (\w+) \| [\d-]+ \| (\d+) \|", section, flags=re.M))
    assert counts == {table: str(len(ad.load(table))) for table in ad.TABLES}


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_every_python_block_of_the_readme_runs_and_shows_its_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ```python block of the README is a doctest: run in order in one namespace, every shown output must match."""
    monkeypatch.chdir(ROOT)
    blocks = python_blocks(README)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    parser = doctest.DocTestParser()
    for index, block in enumerate(blocks):
        assert ">>> " in block, f"README python block {index + 1} is not a doctest:\n{block}"
        test = parser.get_doctest(block, namespace, f"README.md python block {index + 1}", "README.md", 0)
        output: list[str] = []
        runner.run(test, out=output.append, clear_globs=False)
        assert not output, "".join(output)
        namespace.update(test.globs)  # a DocTest works on a copy: carry its names to the next block
    assert runner.summarize(verbose=False).failed == 0


def test_readme_upgrading_section_quotes_the_real_changes() -> None:
    """"Upgrading from 1.0.0" quotes row counts and the number of corrected rows that the diff computes."""
    section = README.split("### Upgrading from 1.0.0")[1].split("\n## ")[0]
    diff = ad.diff("1.0.0", ROOT)
    old = ad.Package(ROOT / "releases" / "article-data-1.0.0.zip")
    for table in ("mentions", "defects"):
        assert f"`{table}` {len(old.load(table))} → {len(ad.load(table))}" in section, table
    corrected = sum(len(t.changed) for t in diff.tables)
    assert f"**Corrected values** in {corrected} rows" in section
    added = [c for t in diff.tables for c in t.columns_added]
    assert f"**{['No', 'One', 'Two', 'Three'][len(added)]} new columns**" in section or len(added) > 3
    assert all(f"`{c}`" in section for c in added)


def test_readme_sections_a_user_needs_are_there() -> None:
    """Quick start, the library, versioning with upgrading, how it is built, where to change what, licence, citing."""
    headings = re.findall(r"^#{2,3} (.+)$", README, flags=re.M)
    for wanted in ("Quick start", "The library", "A package folder is untrusted input", "Pinning a version",
                   "Versioning", "Comparing two versions", "Upgrading from 1.0.0", "How the package is built",
                   "Where to change what", "Reliability", "Benchmark", "Licence", "Citing", "Reporting an error",
                   "Development"):
        assert wanted in headings, wanted


def test_readme_limits_are_the_library_s() -> None:
    """The limits table quotes the bounds the library enforces."""
    from article_data._descriptor import LIMITS

    section = README.split("### A package folder is untrusted input")[1].split("\n### ")[0]
    assert f"{LIMITS['descriptor_bytes'] // 2**20} MiB, JSON nested at most {LIMITS['json_depth']} levels, at most " \
           f"{LIMITS['resources']:,} resources" in section
    assert f"{LIMITS['schema_bytes'] // 2**20} MiB, at most {LIMITS['fields']:,} fields, {LIMITS['enum_values']:,} " \
           f"enum values, patterns of {LIMITS['pattern_chars']:,} characters" in section
    assert f"{LIMITS['path_chars']:,} characters" in section


def test_datasheet_has_the_seven_sections_and_current_agreement() -> None:
    """DATASHEET.md has the seven Datasheets-for-Datasets sections and an up-to-date agreement table."""
    datasheet = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## \d\. (.+)$", datasheet, flags=re.M)
    assert [s.split(",")[0].split()[0].lower() for s in sections] == [
        "motivation", "composition", "collection", "preprocessing", "uses", "distribution", "maintenance"]
    result = run(BIN / "python", "-m", "article_data_build.agreement", "--check")
    assert result.returncode == 0, result.stderr
