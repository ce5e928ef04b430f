"""The SQLite export: types, keys, 0/1 booleans, NULLs, FTS5, Datasette's metadata.json, and Datasette serving it."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import article_data as ad
from article_data._sqlite import SQLITE_TYPES, fts_columns
from helpers import BIN, run

PKG = ad.Package(ad.path())


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`article-data export -o article.sqlite`, run in a fresh folder."""
    base = tmp_path_factory.mktemp("sqlite")
    result = run(BIN / "article-data", "export", "-o", "article.sqlite", cwd=base)
    assert result.returncode == 0, result.stderr
    return base / "article.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


@pytest.mark.parametrize("table", ad.TABLES)
def test_every_table_has_its_sql_types_keys_and_values(database: Path, table: str) -> None:
    """Columns typed from the Table Schema, the primary key, every foreign key, and the rows of ad.load."""
    schema = PKG.table_schema(table)
    with connect(database) as con:
        columns = con.execute(f'PRAGMA table_info("{table}")').fetchall()
        assert [(c[1], c[2]) for c in columns] == [(f["name"], SQLITE_TYPES[f["type"]]) for f in schema["fields"]]
        assert [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]] == schema.get("primaryKey", [])
        foreign = {(row[3], row[2], row[4]) for row in con.execute(f'PRAGMA foreign_key_list("{table}")')}
        assert foreign == {
            (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in schema.get("foreignKeys", [])
        }
        rows = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
    frame = PKG.load(table)
    assert len(rows) == len(frame)
    for index, field in enumerate(schema["fields"]):
        got = [row[index] for row in rows]
        want = [v if isinstance(v, list) or not pd.isna(v) else None for v in frame[field["name"]].astype(object)]
        if field["type"] == "array":  # JSON array text, e.g. '["Putin"]'
            got = [None if v is None else json.loads(v) for v in got]
        if field["type"] == "boolean":
            want = [None if v is None else int(v) for v in want]
            assert set(got) <= {0, 1, None}
        if field["type"] == "date":
            want = [None if v is None else v.isoformat() for v in want]
        assert got == want, field["name"]


def test_missing_values_are_null_never_empty_text(database: Path) -> None:
    """A quote without a speaker organisation has NULL there, and no text cell is ''."""
    with connect(database) as con:
        assert con.execute("SELECT count(*) FROM quotes WHERE speaker_organization_id IS NULL").fetchone()[0] == int(
            PKG.load("quotes").speaker_organization_id.isna().sum()
        )
        for table in ad.TABLES:
            for name in (f["name"] for f in PKG.table_schema(table)["fields"] if f["type"] == "string"):
                assert con.execute(f'SELECT count(*) FROM "{table}" WHERE "{name}" = \'\'').fetchone()[0] == 0


def test_the_database_enforces_what_the_schemas_say(database: Path, tmp_path: Path) -> None:
    """Foreign keys hold; a boolean other than 0/1 and a value outside an enum are refused by CHECK constraints."""
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(database.read_bytes())
    with sqlite3.connect(copy) as con:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for statement in (
            "UPDATE quotes SET is_speech = 2",
            "UPDATE quotes SET quote_type = 'invented'",
            "UPDATE images SET date_taken = 'April'",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                con.execute(statement)


def test_full_text_search_covers_the_text_columns(database: Path) -> None:
    """Each table's free-text columns have an FTS5 index that finds the rows containing a word."""
    with connect(database) as con:
        assert fts_columns(ad.Package(ad.path())._reader.schema("quotes")) == ["text", "cue"]
        found = {
            r[0]
            for r in con.execute(
                "SELECT q.quote_id FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid "
                "WHERE quotes_fts MATCH 'Putin'"
            )
        }
        quotes = PKG.load("quotes")
        assert found == set(
            quotes[quotes.text.str.contains("Putin") | quotes.cue.fillna("").str.contains("Putin")].quote_id
        )
        assert con.execute("SELECT count(*) FROM article_fts WHERE article_fts MATCH 'Ukraine'").fetchone()[0] == 1
        assert con.execute("SELECT text FROM article").fetchone()[0] == PKG.article_text()


def test_metadata_json_is_datasette_s_format_from_the_descriptor(database: Path) -> None:
    """metadata.json beside the database: title, licence and source from the descriptor, every table and column described."""
    metadata = json.loads((database.parent / "metadata.json").read_text(encoding="utf-8"))
    descriptor = PKG.descriptor()
    assert metadata["title"] == descriptor["title"]
    assert (metadata["license"], metadata["license_url"]) == (
        descriptor["licenses"][0]["name"],
        descriptor["licenses"][0]["path"],
    )
    assert metadata["source_url"] in [s.get("path") for s in descriptor["sources"]]
    tables = metadata["databases"]["article"]["tables"]
    for table in ad.TABLES:
        schema = PKG.table_schema(table)
        assert tables[table]["description"] == schema["description"]
        assert tables[table]["columns"] == {f["name"]: f["description"] for f in schema["fields"]}
    assert "LicenseRef-TIME-Article-Third-Party" in tables["quotes"]["license"]
    assert "LicenseRef-TIME-Article-Third-Party" not in tables["places"]["license"]


def test_the_cli_refuses_sqlite_for_one_table_and_other_formats_for_the_package(tmp_path: Path) -> None:
    """`export quotes -o q.sqlite` and `export -o all.csv` exit 1 saying what to do; `-o -` is refused for SQLite."""
    for args in (("quotes", "-o", "q.sqlite"), ("-o", "all.csv"), ("-o", "-", "--format", "sqlite")):
        result = run(BIN / "article-data", "export", *args, cwd=tmp_path)
        assert result.returncode == 1 and "article-data: error:" in result.stderr, args
    assert list(tmp_path.iterdir()) == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def datasette(database: Path) -> Iterator[str]:
    """Datasette serving the export with its metadata.json on 127.0.0.1 (a free port), stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(database),
            "-m",
            str(database.parent / "metadata.json"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                assert time.monotonic() < deadline, "Datasette did not start within 60 s"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_datasette_serves_a_table_and_follows_a_foreign_key(datasette: str) -> None:
    """Over HTTP: a quote's row, its speaker's foreign-key link to people, and that person's row."""
    page = get(datasette + "/article/quotes.json?_shape=objects&_labels=on&quote_id=q01")
    [row] = page["rows"]
    quote = PKG.load("quotes").set_index("quote_id").loc["q01"]
    assert row["text"] == quote.text and row["is_speech"] == 1
    link = row["speaker_person_id"]
    assert (
        link["value"] == quote.speaker_person_id
        and link["label"] == PKG.load("people").set_index("person_id").loc[link["value"]].label
    )
    expandable = {e[0]["column"]: e[0]["other_table"] for e in page["expandable_columns"]}
    assert expandable["speaker_person_id"] == "people"
    person = get(f"{datasette}/article/people/{urllib.parse.quote(link['value'])}.json?_shape=objects")
    assert person["rows"][0]["person_id"] == link["value"]
    searched = get(datasette + "/article/quotes.json?_search=Putin&_shape=objects")
    assert {r["quote_id"] for r in searched["rows"]} and all(
        "Putin" in (r["text"] + (r["cue"] or "")) for r in searched["rows"]
    )
    described = get(datasette + "/-/metadata.json")
    assert (
        described["databases"]["article"]["tables"]["quotes"]["description"]
        == PKG.table_schema("quotes")["description"]
    )
