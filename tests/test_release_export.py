"""Many versions, one table: `releases --export DIR` read by DuckDB, Polars, Dask, Spark and pandas with every column.

Every engine call shown in the README's "SQL, and beyond one machine" is in ENGINE_CALLS,
and each is run here on a real export.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import article_data as ad
from article_data._release_export import union_fields
from article_data._types import enum_of, pandas_dtype
from helpers import BIN, ROOT, copy_paths, run

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## SQL, and beyond one machine")[1].split("\n## ")[0]
#: The README's calls, per engine, over an export in ./versions (the table: quotes).
ENGINE_CALLS = {
    "duckdb": "duckdb.sql(\"SELECT * FROM read_parquet('versions/quotes/*/*.parquet', "
    'hive_partitioning = true, union_by_name = true)")',
    "polars": 'polars.scan_parquet("versions/quotes/**/*.parquet", hive_partitioning=True)',
    "dask": 'dask.dataframe.read_parquet("versions/quotes")',
    "pandas": 'pandas.read_parquet("versions/quotes")',
    "spark": 'spark.read.parquet("versions/quotes")',
}
EXPORT_COMMAND = "article-data releases --export versions"
#: Table Schema type -> the type each engine reports (enums: the engine's categorical type, or its string).
POLARS = {"string": "String", "integer": "Int64", "number": "Float64", "boolean": "Boolean", "date": "Date"}
DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}
SPARK = {"string": "string", "integer": "bigint", "number": "double", "boolean": "boolean", "date": "date"}


def packages() -> list[ad.Package]:
    kept = [ad.Package.release(r.version) for r in ad.releases()]
    current = ad.Package(ad.path())
    return kept + ([current] if current.version not in {p.version for p in kept} else [])


def expected_fields(table: str) -> list[dict[str, Any]]:
    return union_fields([p.table_schema(table) for p in packages() if table in p.tables])


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `article-data releases --export versions` writes, run in a fresh folder."""
    base = tmp_path_factory.mktemp("export")
    result = run(BIN / "article-data", *EXPORT_COMMAND.split()[1:], cwd=base)
    assert result.returncode == 0, result.stderr
    return base


def plain(values: Any, delimiter: str | None = None) -> list[Any]:
    """Plain Python values; a list column's NumPy arrays (pyarrow's) as lists and, with ``delimiter``,
    a 1.x string split the way the export documents.
    """
    out = []
    for v in list(values):
        if hasattr(v, "tolist") and not isinstance(v, str):
            v = v.tolist()
        elif isinstance(v, str) and delimiter is not None:
            v = v.split(delimiter)
        out.append(v if isinstance(v, list) or not pd.isna(v) else None)
    return out


def test_the_readme_shows_exactly_the_calls_tested_here() -> None:
    """The scale-out section shows the export command and each engine's call that this module runs."""
    assert EXPORT_COMMAND in SECTION
    for engine, call in ENGINE_CALLS.items():
        assert call.replace('\\"', '"') in SECTION, engine
    assert "packages/*/data" not in SECTION  # the old recipes, wrong across versions, are gone


def test_the_export_has_one_partition_per_version_per_table(exported: Path) -> None:
    """DIR/<table>/version=<v>/part-0.parquet exists for every table of every version, and nothing else."""
    expected = {f"{t}/version={p.version}/part-0.parquet" for p in packages() for t in p.tables}
    found = {str(p.relative_to(exported / "versions")) for p in (exported / "versions").rglob("*") if p.is_file()}
    assert found == expected


def test_union_fields_keep_every_column_and_widen_changed_types() -> None:
    """The union keeps the newest order, appends removed columns, merges enums and widens a changed type."""
    old = {
        "fields": [
            {"name": "a", "type": "integer", "constraints": {"required": True}},
            {"name": "gone", "type": "string"},
            {"name": "k", "type": "string", "constraints": {"enum": ["x"]}},
        ]
    }
    new = {
        "fields": [
            {"name": "k", "type": "string", "constraints": {"enum": ["y", "x"]}},
            {"name": "a", "type": "number"},
        ]
    }
    merged = union_fields([old, new])
    assert [(f["name"], f["type"], enum_of(f)) for f in merged] == [
        ("k", "string", ["y", "x"]),
        ("a", "number", None),
        ("gone", "string", None),
    ]
    assert not any(f.get("constraints", {}).get("required") for f in merged)


@pytest.mark.parametrize("table", ad.TABLES)
def test_pandas_reads_every_version_with_the_loader_s_types_and_values(
    exported: Path, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pandas.read_parquet of a table folder: every column of every version, ad.load's dtypes, each version's rows."""
    monkeypatch.chdir(exported)
    frame = eval(ENGINE_CALLS["pandas"].replace("quotes", table), {"pandas": pd})  # noqa: S307 (the README's call)
    fields = expected_fields(table)
    assert list(frame.columns) == [f["name"] for f in fields] + ["version"]
    for field in fields:
        assert frame[field["name"]].dtype == pandas_dtype(field), field["name"]
    for pkg in packages():
        rows = frame[frame.version == pkg.version].reset_index(drop=True)
        original = pkg.load(table)
        delimiters = {f["name"]: " | " for f in fields if f["type"] == "array"}  # what 1.x joined aliases with
        for column in original.columns:
            assert plain(rows[column]) == plain(original[column], delimiters.get(column)), (pkg.version, column)
        for absent in set(rows.columns) - set(original.columns) - {"version"}:
            assert rows[absent].isna().all(), (pkg.version, absent)


def test_duckdb_reads_every_column_of_every_version(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's DuckDB call gives every column with its SQL type, and 1.0.0's rows null in 1.1.0's new columns."""
    import duckdb

    monkeypatch.chdir(exported)
    relation = eval(ENGINE_CALLS["duckdb"], {"duckdb": duckdb})  # noqa: S307
    fields = expected_fields("quotes")
    assert dict(zip(relation.columns, map(str, relation.types))) == {
        **{f["name"]: DUCKDB[f["type"]] for f in fields},
        "version": "VARCHAR",
    }
    counts = dict(duckdb.sql("SELECT version, count(lacks_closing_mark) FROM relation GROUP BY version").fetchall())
    assert counts["1.0.0"] == 0 and counts["1.1.0"] == len(ad.Package.release("1.1.0").load("quotes"))


def test_polars_reads_every_column_with_its_type(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Polars call: every column, enums as Categorical holding the union of the enums."""
    import polars

    monkeypatch.chdir(exported)
    frame = eval(ENGINE_CALLS["polars"], {"polars": polars}).collect()  # noqa: S307
    fields = expected_fields("quotes")
    assert {k: str(v) for k, v in frame.schema.items()} == {
        **{f["name"]: "Categorical" if enum_of(f) else POLARS[f["type"]] for f in fields},
        "version": "String",
    }
    assert sorted(frame["version"].unique().to_list()) == sorted(p.version for p in packages())
    assert set(frame["quote_type"].drop_nulls().to_list()) <= set(enum_of(fields[5]) or [])


# Dask's own Parquet reader calls a pandas method pandas 3.1 deprecates: its warning, not ours.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index is deprecated")
def test_dask_reads_every_column_with_the_loader_s_dtypes(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Dask call: every column with ad.load's dtypes, every version's rows."""
    import dask.dataframe

    monkeypatch.chdir(exported)
    frame = eval(ENGINE_CALLS["dask"], {"dask": dask}).compute()  # noqa: S307
    fields = expected_fields("quotes")
    assert {c: frame[c].dtype for c in frame.columns if c != "version"} == {f["name"]: pandas_dtype(f) for f in fields}
    assert frame.version.astype(str).value_counts().to_dict() == {p.version: len(p.load("quotes")) for p in packages()}


SPARK_SCRIPT = """
import json, sys
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
         .config("spark.driver.memory", "1g").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
try:
    frame = eval(sys.argv[1], {"spark": spark})
    counts = {r["version"]: r["count"] for r in frame.groupBy("version").count().collect()}
    print(json.dumps({"types": dict(frame.dtypes), "counts": counts}))
finally:
    spark.stop()
"""


@pytest.mark.slow
def test_spark_reads_every_column_of_every_version(exported: Path) -> None:
    """The README's Spark call (local mode, in a child process with a time limit): every column, typed, every version."""
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    result = run(sys.executable, "-c", SPARK_SCRIPT, ENGINE_CALLS["spark"], cwd=exported, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    document = json.loads(result.stdout.strip().splitlines()[-1])
    fields = expected_fields("quotes")
    assert document["types"] == {**{f["name"]: SPARK[f["type"]] for f in fields}, "version": "string"}
    assert document["counts"] == {p.version: len(p.load("quotes")) for p in packages()}


def test_an_existing_folder_is_refused_unless_it_holds_a_previous_export(tmp_path: Path) -> None:
    """A non-empty DIR is refused; --overwrite replaces a previous export but never a folder of other files."""
    target = tmp_path / "versions"
    ad.export_releases(target)
    stamp = (target / "quotes" / "version=1.0.0" / "part-0.parquet").stat().st_mtime_ns
    with pytest.raises(ad.ArticleDataError, match="exists and is not empty"):
        ad.export_releases(target)
    assert (target / "quotes" / "version=1.0.0" / "part-0.parquet").stat().st_mtime_ns == stamp
    rows = ad.export_releases(target, overwrite=True)
    assert rows["quotes"] == sum(len(p.load("quotes")) for p in packages())
    (target / "notes.txt").write_text("mine")
    with pytest.raises(ad.ArticleDataError, match="notes.txt, which no export writes"):
        ad.export_releases(target, overwrite=True)
    assert (target / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["versions"]  # no temporary folder left behind


def test_an_unreleased_current_package_is_exported_as_its_own_version(tmp_path: Path) -> None:
    """A package whose version is not kept yet is added as version=<its version> after the kept releases."""
    copy = copy_paths(("datapackage.json", "data", "schemas", "releases", "CHANGELOG.md"), tmp_path / "copy")
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "9.0.0"
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = run(BIN / "article-data", "--root", copy, "releases", "--export", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "places").iterdir()) == sorted(
        f"version={v}" for v in [*(r.version for r in ad.releases()), "9.0.0"]
    )
