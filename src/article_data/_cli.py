"""The ``article-data`` command line (also ``python -m article_data``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._errors import ArticleDataError, ValidationError
from ._package import Package, default_root
from ._version import __version__

#: Cells starting with these run as formulas in spreadsheet programs (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _package(args: argparse.Namespace) -> Package:
    return Package(args.root) if args.root else Package(default_root())


def _info(args: argparse.Namespace) -> int:
    pkg = _package(args)
    pkg.verify()
    descriptor = pkg.descriptor()
    print(f"article-data {pkg.version} (library {__version__})")
    print(f"root: {pkg.root}")
    print(f"{'resource':<24}{'rows':>6}{'bytes':>9}  sha256")
    rows: dict[str, int] = {n: len(pkg.load(n)) for n in pkg.tables}
    for resource in descriptor["resources"]:
        table = resource["name"].removesuffix("_parquet")
        count = str(rows[table]) if table in rows else "-"
        print(f"{resource['name']:<24}{count:>6}{resource['bytes']:>9}  {resource['hash'].removeprefix('sha256:')}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    pkg = _package(args)
    pkg.verify()
    print(f"ok: {len(pkg.descriptor()['resources'])} files match their size and sha256 ({pkg.root})")
    return 0


def _validate(args: argparse.Namespace) -> int:
    pkg = _package(args)
    pkg.validate()
    print(f"valid: article-data {pkg.version}, {len(pkg.tables)} tables, every check passed ({pkg.root})")
    return 0


def _path(args: argparse.Namespace) -> int:
    print(_package(args).path(args.table, format=args.format))
    return 0


def _schema(args: argparse.Namespace) -> int:
    pkg = _package(args)
    schema = pkg.table_schema(args.table)
    from ._tableschema import pandas_dtype

    print(f"{args.table}: {schema.get('description', '')}")
    for field in schema["fields"]:
        required = "required" if field.get("constraints", {}).get("required") else "nullable"
        dtype = pandas_dtype(field)
        print(f"  {field['name']:<26}{field['type']:<9}{str(dtype):<22}{required:<9}{field.get('description', '')}")
    return 0


def _neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _write_atomically(target: Path, write: Any) -> None:
    """Write through a temporary file in the target's folder, then rename it into place."""
    target = target.resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _export(args: argparse.Namespace) -> int:
    frame = _package(args).load(args.table)
    fmt = args.format
    if fmt == "csv" and not args.raw:
        text_columns = [c for c in frame.columns if frame[c].dtype.kind == "O" or str(frame[c].dtype) in ("string", "category")]
        frame = frame.astype({c: "object" for c in text_columns})
        for column in text_columns:
            frame[column] = frame[column].map(_neutralise)

    def write(path: Path) -> None:
        if fmt == "csv":
            frame.to_csv(path, index=False, lineterminator="\n")
        elif fmt == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_json(path, orient="records", force_ascii=False, indent=1, date_format="iso")

    _write_atomically(Path(args.output), write)
    print(f"wrote {len(frame)} rows of {args.table} to {args.output} ({fmt})")
    return 0


def _quotes(args: argparse.Namespace) -> int:
    pkg = _package(args)
    quotes = pkg.load("quotes")
    people = pkg.load("people").set_index("person_id")["label"]
    orgs = pkg.load("organizations").set_index("organization_id")["name"]
    if not args.all:
        quotes = quotes[quotes["is_speech"]]
    speakers = (
        quotes["speaker_person_id"].map(people).fillna(quotes["speaker_organization_id"].map(orgs)).fillna("-")
    )
    for row, speaker in zip(quotes.itertuples(index=False), speakers):
        speaker = str(speaker)
        text = str(row.text)
        if args.width and len(text) > args.width:
            text = text[: args.width - 1] + "…"
        print(f"{row.quote_id}  {speaker[:34]:<34}  {str(row.quote_type):<9}  {text}")
    return 0


def _render(args: argparse.Namespace) -> int:
    from ._render import render_html

    page = render_html(_package(args))
    _write_atomically(Path(args.output), lambda path: path.write_text(page, encoding="utf-8"))
    print(f"wrote the annotated article to {args.output} (one self-contained HTML file)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``article-data`` command."""
    parser = argparse.ArgumentParser(
        prog="article-data",
        description="The article 'The Russians Fighting Putin in Ukraine' as a verified data package.",
    )
    parser.add_argument("--version", action="version", version=f"article-data {__version__}")
    parser.add_argument("--root", help="a folder holding another copy of the package (default: the bundled one)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("info", help="version, tables, rows, bytes and hashes",
                   description="Print the version and every file with its rows, bytes and sha256 (verifies first).").set_defaults(run=_info)
    sub.add_parser("verify", help="check size and sha256 of every file",
                   description="Check every file's size and sha256 against datapackage.json; exit 1 naming the first that differs.").set_defaults(run=_verify)
    sub.add_parser("validate", help="full validation: hashes, schemas, keys, annotation rules",
                   description="Validate hashes, Table Schemas (pandera), keys and the annotation guide's rules; exit 1 listing every problem.").set_defaults(run=_validate)
    p = sub.add_parser("path", help="print the path of a table's file, or of the package",
                       description="Print the path of TABLE's file ('article' for the text), or the package root.")
    p.add_argument("table", nargs="?")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv")
    p.set_defaults(run=_path)
    p = sub.add_parser("schema", help="columns, types and descriptions of a table",
                       description="Print TABLE's columns with Table Schema type, pandas dtype, nullability and description.")
    p.add_argument("table")
    p.set_defaults(run=_schema)
    p = sub.add_parser("export", help="write a table as csv, parquet or json",
                       description="Write TABLE to a file, atomically. CSV cells that a spreadsheet would run as a formula "
                                   "(starting with = + - @) are prefixed with ' unless --raw is given.")
    p.add_argument("table")
    p.add_argument("--format", choices=("csv", "parquet", "json"), default="csv")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--raw", action="store_true", help="write CSV cells exactly, without formula protection")
    p.set_defaults(run=_export)
    p = sub.add_parser("quotes", help="who said what: speaker, type, text",
                       description="List the speech quotations with their speakers (all quotation rows with --all).")
    p.add_argument("--all", action="store_true", help="include name and scare quotes")
    p.add_argument("--width", type=int, default=100, help="cut quotations to this many characters (0: never)")
    p.set_defaults(run=_quotes)
    p = sub.add_parser("render", help="write the article as one annotated, self-contained HTML page",
                       description="Write one self-contained HTML file (no network): quotes coloured by speaker, "
                                   "mentions linked to their entities, figures, dates and defects marked, and a "
                                   "side panel of speakers with their quotes.")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=_render)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ValidationError as exc:
        print(f"article-data: {exc}", file=sys.stderr)
        return 1
    except ArticleDataError as exc:
        print(f"article-data: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
