"""README, CHANGELOG, datasheet and data dictionary stay true to the code and the data."""

from __future__ import annotations

import doctest
import re

import pytest

import article_data as ad
from article_data_build.assemble import build
from article_data_build.dictionary import data_dictionary
from helpers import BIN, ROOT, run

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
    """CHANGELOG.md has an entry for the current version (dated, or "unreleased" until `make release`) whose
    generated row counts match the data.
    """
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(
        rf"^## \[{re.escape(ad.__version__)}\] - (\d{{4}}-\d{{2}}-\d{{2}}|unreleased)$", changelog, flags=re.MULTILINE
    )
    section = changelog.split(f"## [{ad.__version__}]")[1].split("\n## [")[0]
    counts = dict(re.findall(r"^\| (\w+) \| [\d-]+ \| (\d+) \|", section, flags=re.MULTILINE))
    assert counts == {table: str(len(ad.load(table))) for table in ad.TABLES}


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


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
    """The section "Upgrading from 1.0.0" (to 1.1.0) quotes row counts and the number of corrected rows that the diff computes."""
    section = README.split("### Upgrading from 1.0.0")[1].split("\n## ")[0].split("\n### ")[0]
    diff = ad.diff("1.0.0", "1.1.0")
    old, new = (ad.Package(ROOT / "releases" / f"article-data-{v}.zip") for v in ("1.0.0", "1.1.0"))
    for table in ("mentions", "defects"):
        assert f"`{table}` {len(old.load(table))} → {len(new.load(table))}" in section, table
    corrected = sum(len(t.changed) for t in diff.tables)
    assert f"**Corrected values** in {corrected} rows" in section
    added = [c for t in diff.tables for c in t.columns_added]
    assert f"**{['No', 'One', 'Two', 'Three'][len(added)]} new columns**" in section or len(added) > 3
    assert all(f"`{c}`" in section for c in added)


def section(text: str, title: str) -> str:
    """The body of the ## section whose heading is ``title`` (case ignored), up to the next ## heading."""
    match = re.search(
        rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL | re.IGNORECASE
    )
    assert match, f"no section {title!r}"
    return match[1]


def test_readme_is_for_users_first() -> None:
    """After the two contributor commands, a user finds in order: what it is, install, a Quick start that runs,
    the tables; the versions, the licence and how to report an error come later, "Where to go next" last.
    """
    headings = [h.lower() for h in re.findall(r"^## (.+)$", README, flags=re.MULTILINE)]
    wanted = [
        "install",
        "quick start",
        "the tables",
        "the library",
        "versioning",
        "licence",
        "citing",
        "reporting an error",
        "where to go next",
    ]
    assert [h for h in headings if h in wanted] == wanted, headings
    assert headings[-1] == "where to go next"
    intro = README.split("\n## ", 1)[0]
    assert "CONTRIBUTING.md" in intro and "defects" in intro  # contributors pointed away; what it is, its caveat
    assert "```python\n>>> import article_data" in section(README, "quick start")


def test_readme_install_names_every_extra() -> None:
    """The install section shows `pip install article-data` and every extra pyproject.toml declares."""
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    install = section(README, "install")
    assert "pip install article-data\n" in install
    assert set(re.findall(r"^\| `(\w+)` \|", install, flags=re.MULTILINE)) == set(extras)


def test_readme_tables_section_lists_every_table() -> None:
    """The section "The tables" has one row per table of the package, in the package's order."""
    rows = re.findall(r"^\| `(\w+)` \|", section(README, "the tables").split("\n### ")[0], flags=re.MULTILINE)
    assert tuple(rows) == ad.TABLES


def test_readme_where_to_go_next_links_every_document() -> None:
    """The last section links the datasheet, the dictionary, SECURITY, CONTRIBUTING and the changelog."""
    links = re.findall(r"\]\(([^)#]+)\)", section(README, "where to go next"))
    assert {"DATASHEET.md", "DATA_DICTIONARY.md", "SECURITY.md", "CONTRIBUTING.md", "CHANGELOG.md"} <= set(links)
    assert all((ROOT / link).is_file() for link in links), links


def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("document", ["README.md", "DATASHEET.md", "CONTRIBUTING.md", "SECURITY.md"])
def test_every_link_to_a_section_of_a_document_resolves(document: str) -> None:
    """A text lives in one document and the others link to it: every link `X.md#anchor` names a heading of X.md."""
    text = (ROOT / document).read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([\w./-]*\.md)?#([^)]+)\)", text):
        linked = (ROOT / (target or document)).read_text(encoding="utf-8")
        anchors = {slug(h) for h in re.findall(r"^#{1,6} (.+)$", linked, flags=re.MULTILINE)}
        assert anchor in anchors, f"{document}: {target or document}#{anchor} is no heading"


def test_readme_limits_are_the_library_s() -> None:
    """The README's table of caps is the one generated from the library's constants (article_data_build.limits)."""
    from article_data_build.limits import MARKERS, limits_block

    assert f"{MARKERS[0]}\n{limits_block()}\n{MARKERS[1]}" in README


def test_datasheet_has_the_seven_sections_and_current_agreement() -> None:
    """DATASHEET.md has the seven Datasheets-for-Datasets sections and an up-to-date agreement table."""
    datasheet = (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## \d\. (.+)$", datasheet, flags=re.MULTILINE)
    assert [s.split(",")[0].split()[0].lower() for s in sections] == [
        "motivation",
        "composition",
        "collection",
        "preprocessing",
        "uses",
        "distribution",
        "maintenance",
    ]
    result = run(BIN / "python", "-m", "article_data_build.agreement", "--check")
    assert result.returncode == 0, result.stderr


# -- claims about the data: examples and file paths ----------------------------------------------

SCHEMAS = sorted((ROOT / "annotations" / "schemas").glob("*.schema.json"))
EXAMPLE = re.compile(r"e\.g\. ([^;)]+)")
ENUM_EXAMPLE = re.compile(r"\b(\w+) \([^()]*?e\.g\. '([^']+)'(?:: value (\d+))?")


def schema_examples() -> list[tuple[str, str, str]]:
    """(table, field, description) for every field description of a Table Schema that gives an example."""
    import json

    found = []
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        table = path.name.removesuffix(".schema.json")
        found += [(table, f["name"], f["description"]) for f in schema["fields"] if "e.g. " in f.get("description", "")]
    return found


@pytest.mark.parametrize(
    "table, field, description", schema_examples(), ids=[f"{t}.{f}" for t, f, _ in schema_examples()]
)
def test_every_example_a_table_schema_description_gives_is_true_of_the_rows(
    table: str, field: str, description: str
) -> None:
    """A quoted example ('in the hundreds') is a cell of the table, and the enum value it illustrates is that
    row's; a bare example (tells, m2995) occurs in the column it describes. DATA_DICTIONARY.md and croissant.json
    carry the same descriptions (generated from the schemas), so this covers them too.
    """
    frame = ad.load(table)
    cells = {str(v) for column in frame.columns for v in frame[column].dropna()}
    categories = getattr(frame[field].dtype, "categories", ())
    for value, example, number in ENUM_EXAMPLE.findall(description):
        assert example in cells, f"{table}.{field}: the example '{example}' is no cell of {table}"
        rows = frame[frame.apply(lambda row: example in {str(v) for v in row.dropna()}, axis=1)]  # noqa: B023  (applied at once)
        if value in categories:
            assert set(rows[field].astype(str)) == {value}, f"{table}.{field}: '{example}' is not {value}"
        if number:
            assert set(rows["value"].astype(float)) == {float(number)}, f"{table}: '{example}' is not value {number}"
    column = [str(v) for v in frame[field].dropna()]
    for examples in EXAMPLE.findall(description):
        quoted = re.findall(r"'([^']+)'", examples)
        for example in quoted:
            assert example in cells, f"{table}.{field}: the example '{example}' is no cell of {table}"
        if not quoted:
            for example in re.split(r", | or ", examples.strip()):
                assert any(example in v for v in column), f"{table}.{field}: the example {example!r} is not in it"


def test_the_examples_of_an_enum_field_illustrate_values_of_its_enum() -> None:
    """In the description of an enum field, each example is attached to a value of the enum
    ("approximate (e.g. 'in the hundreds': value 200)"), so the rows test above checks that value.
    """
    enum_fields = [
        (t, f, d) for t, f, d in schema_examples() if getattr(ad.load(t)[f].dtype, "categories", None) is not None
    ]
    assert {(t, f) for t, f, _ in enum_fields} >= {("figures", "qualifier"), ("mentions", "mention_type")}
    for table, field, description in enum_fields:
        values = [value for value, _, _ in ENUM_EXAMPLE.findall(description)]
        assert values and set(values) <= set(ad.load(table)[field].dtype.categories), (table, field, values)


DOCUMENTS = (
    "README.md",
    "DATASHEET.md",
    "CONTRIBUTING.md",
    "DATA_DICTIONARY.md",
    "CHANGELOG.md",
    "annotations/package.yaml",
    "croissant.json",
    "datapackage.json",
)
CITED_PATH = re.compile(
    r"(?<![\w/.*-])((?:annotations|data|schemas|src|scripts|tests|releases|docs|bench|LICENSES)"
    r"/[\w./*-]*[\w*/])(?![<\w])"
)  # tests/test_<module>.py is a pattern, not a path


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_file_path_a_document_cites_exists(document: str) -> None:
    """Every repository path a document names (scripts/build.py, annotations/review/...) exists, or matches a file
    when it is a glob; the CHANGELOG's sections of earlier releases may name what was there then.
    """
    text = (ROOT / document).read_text(encoding="utf-8")
    if document == "CHANGELOG.md":
        text = text.split(f"## [{ad.__version__}]")[1].split("\n## [")[0]
    cited = set(CITED_PATH.findall(text))
    missing = sorted(p for p in cited if not (list(ROOT.glob(p.rstrip("/"))) if "*" in p else (ROOT / p).exists()))
    assert not missing, f"{document} cites paths that do not exist: {missing}"
