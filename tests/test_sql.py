"""SQL through DuckDB: the README's three questions agree with the same joins in pandas."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import article_data as ad
from helpers import BIN, ROOT, edit_descriptor, resource

README = (ROOT / "README.md").read_text(encoding="utf-8")
QUERIES = re.findall(r"```sql\n(.*?)```", README.split("## SQL")[1].split("\n## ")[0], flags=re.DOTALL)


def loose(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Rows as plain Python values (None for missing), to compare DuckDB's dtypes with the loader's."""
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.astype(object).itertuples(index=False)]


def test_readme_has_three_sql_questions() -> None:
    """The README's SQL section shows the three questions the tests check."""
    assert len(QUERIES) == 3


def test_sql_who_said_what_matches_pandas() -> None:
    """Speaker, type and text of every speech quotation, by SQL and by pandas merge."""
    quotes, people, orgs = ad.load("quotes"), ad.load("people"), ad.load("organizations")
    speech = quotes[quotes.is_speech].sort_values(["char_start", "quote_id"])
    speaker = speech.speaker_person_id.map(people.set_index("person_id").label).fillna(
        speech.speaker_organization_id.map(orgs.set_index("organization_id").name)
    )
    expected = pd.DataFrame(
        {
            "quote_id": speech.quote_id,
            "speaker": speaker,
            "quote_type": speech.quote_type.astype("string"),
            "text": speech.text,
        }
    )
    result = ad.sql(QUERIES[0])
    assert list(result.columns) == list(expected.columns)
    assert loose(result) == loose(expected) and result.speaker.notna().all()


def test_sql_people_mentioned_most_matches_pandas() -> None:
    """Mention counts per person, by SQL and by pandas groupby."""
    mentions, people = ad.load("mentions"), ad.load("people")
    counts = (
        mentions.dropna(subset=["person_id"])
        .merge(people, on="person_id")
        .groupby(["person_id", "label"], observed=True)
        .size()
        .rename("mentions")
        .reset_index()
    )
    expected = counts.sort_values(["mentions", "person_id"], ascending=[False, True])
    assert loose(ad.sql(QUERIES[1])) == loose(expected)


def test_sql_figures_with_their_paragraph_match_pandas() -> None:
    """Every figure joined to its paragraph, by SQL and by pandas merge."""
    figures, paragraphs = ad.load("figures"), ad.load("paragraphs")
    joined = figures.merge(paragraphs, on="paragraph_id", suffixes=("", "_paragraph")).sort_values(
        ["char_start", "figure_id"]
    )
    expected = pd.DataFrame(
        {
            "figure_id": joined.figure_id,
            "figure": joined.text,
            "kind": joined.kind.astype("string"),
            "value": joined.value,
            "unit": joined.unit,
            "date": joined.date,
            "paragraph_position": joined.position,
            "paragraph_kind": joined.kind_paragraph.astype("string"),
            "paragraph": joined.text_paragraph,
        }
    )
    result = ad.sql(QUERIES[2])
    assert len(result) == len(figures)
    assert loose(result) == loose(expected)


def test_sql_spans_are_substrings_of_the_article() -> None:
    """DuckDB's substring over the article table reproduces every quotation's text."""
    result = ad.sql(
        "SELECT q.text = substring(a.text, q.char_start + 1, q.char_end - q.char_start) AS same "
        "FROM quotes AS q, article AS a"
    )
    assert len(result) == len(ad.load("quotes")) and result.same.all()


def test_sql_refuses_a_tampered_file(package_copy: Path) -> None:
    """connect() checks the hashes first: a flipped byte is an IntegrityError, not a query result."""
    target = package_copy / "data" / "people.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(ad.IntegrityError, match="people.parquet"):
        ad.Package(package_copy).sql("SELECT 1")


def test_sql_bad_query_is_an_article_data_error() -> None:
    """A query DuckDB rejects raises ArticleDataError with DuckDB's message."""
    with pytest.raises(ad.ArticleDataError, match="the SQL query failed"):
        ad.sql("SELECT nope FROM quotes")


def test_sql_without_duckdb_says_how_to_install_it(tmp_path: Path) -> None:
    """With duckdb unimportable, sql() raises ArticleDataError naming the extra to install."""
    blocker = tmp_path / "duckdb.py"
    blocker.write_text("raise ImportError('duckdb is not installed')\n")
    code = "import article_data as ad\ntry:\n    ad.sql('SELECT 1')\nexcept ad.ArticleDataError as e:\n    print(e)"
    result = subprocess.run(
        [str(BIN / "python"), "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)}, check=True
    )
    assert "pip install 'article-data[sql]'" in result.stdout


#: Resource names the Data Package rule allows that SQL would misread unquoted.
LEGAL_NAMES = ("pla-ces.v2", "select", "1places", "places.parquet")
#: Package folder names with glob characters (DuckDB expands them in read_parquet paths).
GLOB_FOLDERS = ("pkg[a-z]", "pkg*", "pkg?", "**", "pkg{a,b}", "pk'g")


@pytest.mark.parametrize("name", LEGAL_NAMES)
def test_legal_but_unusual_table_name_is_quoted_in_sql(package_copy: Path, name: str) -> None:
    """Names the rule allows (dots, dashes, SQL keywords, leading digits) are quoted identifiers: the query sees the rows.

    The table is a second copy of ``places`` under the unusual name (every package also has ``places``).
    """

    def add(descriptor: dict) -> None:
        descriptor["resources"] += [
            dict(resource(descriptor, "places"), name=name),
            dict(resource(descriptor, "places_parquet"), name=f"{name}_parquet"),
        ]

    edit_descriptor(package_copy, add)
    pkg = ad.Package(package_copy)
    frame = pkg.sql(f'SELECT * FROM "{name}"')
    pd.testing.assert_frame_equal(frame, pkg.load(name))


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
def test_queries_see_the_verified_rows_whatever_happens_to_the_files_after_connect(
    package_copy: Path, case: str
) -> None:
    """After connect(), changing the files on disk changes nothing a query returns."""
    pkg = ad.Package(package_copy)
    expected = {t: pkg.load(t) for t in pkg.tables}
    connection = pkg.connect()
    AFTER_CONNECT[case](package_copy, "places", "people")
    for table, frame in expected.items():
        assert connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == len(frame)
    rows = connection.execute("SELECT place_id FROM places ORDER BY place_id").fetchall()
    assert [r[0] for r in rows] == sorted(expected["places"].place_id)


@pytest.mark.parametrize("folder", GLOB_FOLDERS)
def test_glob_characters_in_the_folder_name_read_only_the_verified_package(
    tmp_path: Path, package_copy: Path, folder: str
) -> None:
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
