"""The ``article-data`` command line (also ``python -m article_data``)."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from ._errors import ArticleDataError, ValidationError
from ._hashes import hex_digest
from ._names import CONVERT_FORMATS, EXPORT_FORMATS, FORMATS, SCORE_TASKS, table_resource
from ._package import Package, default_root
from ._terminal import Parser, escape
from ._version import __version__

#: Output formats of ``export``, by file extension (SQLite: the whole package, for Datasette).
EXPORT_EXTENSIONS = {**{f".{fmt}": fmt for fmt in EXPORT_FORMATS}, ".sqlite3": "sqlite", ".db": "sqlite"}


def _say(text: object, *, file: Any = None) -> None:
    """Print one line: every hidden character in it escaped, line breaks included."""
    print(escape(text, newlines=False), file=file or sys.stdout)


def _package(args: argparse.Namespace) -> Package:
    if args.release:
        return Package.release(args.release, root=args.root)
    return Package(args.root) if args.root else Package(default_root())


#: The documents that ship with the package (in the wheel too), by what they answer.
DOCUMENTS = (
    ("README.md", "what the dataset is, the library, versioning, licence, citing"),
    ("DATASHEET.md", "how it was made, what the text is, its limits and known defects"),
    ("DATA_DICTIONARY.md", "every column, type and constraint"),
    ("SECURITY.md", "what holds for a copy from anyone, and the tests that try it"),
    ("ANNOTATION_GUIDE.md", "the annotation contract"),
    ("CHANGELOG.md", "what changed in each version"),
    ("CITATION.cff", "how to cite it"),
)


def _docs(pkg: Package) -> int:
    root = pkg.root if pkg.root.is_dir() else default_root()
    for name, what in DOCUMENTS:
        path = root / name
        _say(f"{str(path) if path.is_file() else name + ' (not in this copy)':<60}  {what}")
    return 0


def _info(args: argparse.Namespace) -> int:
    pkg = _package(args)
    if args.docs:
        return _docs(pkg)
    pkg.verify()
    descriptor = pkg.descriptor()
    _say(f"article-data {pkg.version} (library {__version__})")
    _say(f"root: {pkg.root}")
    _say(f"trust: {'release ' + pkg.known_release if pkg.known_release else 'no known release (an untrusted copy)'}")
    _say(f"{'resource':<24}{'rows':>6}{'bytes':>9}  sha256")
    rows: dict[str, int] = {n: len(pkg.load(n)) for n in pkg.tables}
    for resource in [*descriptor["resources"], *descriptor.get("files", [])]:  # 2.0.0 on: Parquet under "files"
        table = next((t for t in rows if resource["name"] == table_resource(t, resource["format"])), None)
        count = str(rows[table]) if table is not None else "-"
        _say(f"{resource['name']:<24}{count:>6}{resource['bytes']:>9}  {hex_digest(resource['hash'])}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    pkg = _package(args)
    _say(f"ok: {pkg.verify()} ({pkg.root})")
    return 0


def _validate(args: argparse.Namespace) -> int:
    pkg = _package(args)
    pkg.validate()
    _say(f"valid: article-data {pkg.version}, {len(pkg.tables)} tables, every check passed ({pkg.root})")
    return 0


def _path(args: argparse.Namespace) -> int:
    _say(_package(args).path(args.table, format=args.format))
    return 0


def _schema(args: argparse.Namespace) -> int:
    pkg = _package(args)
    schema = pkg.table_schema(args.table)
    from ._types import pandas_dtype

    _say(f"{args.table}: {schema.get('description', '')}")
    for field in schema["fields"]:
        required = "required" if field.get("constraints", {}).get("required") else "nullable"
        dtype = pandas_dtype(field)
        _say(
            f"  {field['name']:<26}{field['type']:<9}{dtype!s:<22}{required:<9}"
            f"{escape(field.get('description', ''), newlines=False)}"
        )
    return 0


def _export_format(args: argparse.Namespace) -> str:
    """The output format: ``--format``, else the extension of ``-o``; a mismatch is refused."""
    suffix = PurePath(args.output).suffix.lower() if args.output != "-" else ""
    implied = EXPORT_EXTENSIONS.get(suffix)
    if args.format and implied and args.format != implied:
        raise ArticleDataError(
            f"{args.output}: --format {args.format} does not match the extension {suffix!r}; "
            f"use a {args.format} file name or --format {implied}"
        )
    if args.format:
        return str(args.format)
    if implied:
        return implied
    if args.output == "-":
        return "csv"
    raise ArticleDataError(
        f"{args.output}: cannot tell the format from the extension {suffix or '(none)'!r}; "
        f"name a {', '.join(EXPORT_EXTENSIONS)} file or give --format"
    )


def _export(args: argparse.Namespace) -> int:
    from ._output import write_output

    fmt = _export_format(args)
    pkg = _package(args)
    if fmt == "sqlite" or args.table is None:
        return _export_sqlite(args, pkg, fmt)
    data = pkg.export(args.table, fmt, protect_formulas=not args.raw)
    where = write_output(args.output, data)
    if args.output != "-":
        _say(f"wrote {len(pkg.load(args.table))} rows of {args.table} to {where} ({fmt})")
    return 0


def _export_sqlite(args: argparse.Namespace, pkg: Package, fmt: str) -> int:
    """``export -o article.sqlite``: the whole package as one database, with Datasette's metadata.json beside it."""
    if fmt != "sqlite":
        raise ArticleDataError(
            f"{args.output}: name a table to write it as {fmt}, or write the whole package "
            "to a .sqlite file (no table named)"
        )
    if args.table is not None:
        raise ArticleDataError(
            f"{args.output}: a SQLite export holds the whole package (its foreign keys join the "
            f"tables); leave out the table name {args.table!r}"
        )
    beside = pkg.export_sqlite(args.output)
    _say(
        f"wrote {len(pkg.tables)} tables of article-data {pkg.version} to {args.output} (sqlite) and {beside}; "
        f"serve them with `datasette {args.output} -m {beside}`"
    )
    return 0


def _releases(args: argparse.Namespace) -> int:
    from ._releases import kept_releases

    if args.release:
        raise ArticleDataError("releases lists every kept release; --release VERSION does not apply to it")
    current = Package(args.root) if args.root else Package(default_root())
    kept = kept_releases(current.root, default_root())
    if args.export:
        from ._release_export import export_versions

        rows = export_versions(args.export, current, [Package(r.checked()) for r in kept], overwrite=args.overwrite)
        versions = [r.version for r in kept] + (
            [current.version] if current.version not in {r.version for r in kept} else []
        )
        _say(
            f"wrote {len(rows)} tables × {len(versions)} versions ({', '.join(versions)}) to {args.export}, "
            f"one hive-partitioned Parquet dataset per table ({args.export}/<table>/version=<v>/)"
        )
        return 0
    _say(f"{'version':<10}{'date':<12}{'sha256 of the zip':<66}path")
    for release in kept:
        _say(
            f"{release.version:<10}{release.date or '-':<12}{release.sha256 or '(not in SHA256SUMS)':<66}{release.path}"
        )
    return 0


def _quotes(args: argparse.Namespace) -> int:
    quotes = _package(args).quotes_with_speakers(speech_only=not args.all)
    _say(f"{'quote':<6}{'speaker':<36}{'type':<11}text")
    for row in quotes.itertuples(index=False):
        name = _cut(escape(row.speaker if isinstance(row.speaker, str) else "-", newlines=False), 34)
        text = escape(row.text, newlines=False)
        if args.width:
            text = _cut(text, args.width)
        _say(f"{escape(row.quote_id, newlines=False):<6}{name:<36}{row.quote_type!s:<11}{text}")
    return 0


def _cut(text: str, width: int) -> str:
    """Text cut to ``width`` characters, an ellipsis showing where."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _render(args: argparse.Namespace) -> int:
    from ._output import write_output
    from ._render import render_html

    page = render_html(_package(args))
    where = write_output(args.output, page.encode("utf-8"))
    if args.output != "-":
        _say(f"wrote the annotated article to {where} (one self-contained HTML file)")
    return 0


def _diff(args: argparse.Namespace) -> int:
    import json

    from ._diff import diff_lines, diff_packages, open_package

    base = _package(args)
    diff = diff_packages(open_package(args.old, base), open_package(args.new, base) if args.new else base)
    if args.format == "json":  # ASCII JSON: every control or hidden character is a \u escape, so always valid
        print(json.dumps(diff.to_dict(), ensure_ascii=True, indent=1, allow_nan=False))
    else:
        for line in diff_lines(diff):
            _say(line)
    return 0 if diff.equal else 1


def _convert(args: argparse.Namespace) -> int:
    from ._annotations import load_annotations
    from ._convert import convert

    where = convert(load_annotations(_package(args)), args.format, args.output)
    if args.output != "-":
        _say(f"wrote the annotations as {args.format} to {where}")
    return 0


def _score(args: argparse.Namespace) -> int:
    import json

    from ._annotations import load_annotations
    from ._score import format_score, score

    result = score(load_annotations(_package(args)), args.task, args.predictions)
    if args.format == "json":  # ASCII JSON: always valid, whatever a name in it holds
        print(json.dumps(result, ensure_ascii=True, indent=1, allow_nan=False))
    else:
        for line in format_score(result).splitlines():
            _say(line)
    return 0


def _add_nlp_commands(sub: Any) -> None:

    p = sub.add_parser(
        "convert",
        help="write the annotations for NLP tools: spacy, brat, conll, webanno",
        description="Write the article's annotations in a format NLP tools read: "
        + "; ".join(f"{name}: {what}" for name, what in CONVERT_FORMATS.items())
        + ". spacy and conll need the extra article-data[spacy].",
    )
    p.add_argument("format", choices=list(CONVERT_FORMATS), help="the output format")
    p.add_argument(
        "-o", "--output", required=True, help="the file (the folder for brat) to write, or - for standard output"
    )
    p.set_defaults(run=_convert)
    p = sub.add_parser(
        "score",
        help="score a system's predictions against the tables",
        description="Score PREDICTIONS (JSON Lines, or CSV by extension: char_start, char_end in code "
        "points of the article text, end exclusive, and the task's fields) for TASK. "
        "mentions needs the extra article-data[score]. What counts as a match: README.md, "
        "'For NLP work'.",
    )
    p.add_argument("task", choices=SCORE_TASKS, help="what the system predicted")
    p.add_argument("predictions", help="a .jsonl (JSON Lines) or .csv file of predictions")
    p.add_argument("--format", choices=("table", "json"), default="table", help="readable text (default) or JSON")
    p.set_defaults(run=_score)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``article-data`` command."""
    parser = Parser(
        prog="article-data",
        description="The article 'The Russians Fighting Putin in Ukraine' as a verified data package.",
    )
    parser.add_argument("--version", action="version", version=f"article-data {__version__}")
    common = Parser(add_help=False)
    for where in (parser, common):
        default = None if where is parser else argparse.SUPPRESS  # given after the command, it still counts
        where.add_argument(
            "--root",
            default=default,
            help="a folder or zip holding another copy of the package (default: the bundled one)",
        )
        where.add_argument(
            "--release",
            metavar="VERSION",
            default=default,
            help="read the kept release VERSION (e.g. 1.0.0; `article-data releases` lists them)",
        )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = functools.partial(sub.add_parser, parents=[common])
    p = add(
        "info",
        help="version, tables, rows, bytes and hashes",
        description="Print the version and every file with its rows, bytes and sha256 (verifies first); "
        "with --docs, where the datasheet, data dictionary, guide and changelog are.",
    )
    p.add_argument(
        "--docs", action="store_true", help="list the documents that ship with the package, with their paths"
    )
    p.set_defaults(run=_info)
    add(
        "verify",
        help="check size and sha256 of every file",
        description="Check every file's size and sha256 against datapackage.json; exit 1 naming the first that differs.",
    ).set_defaults(run=_verify)
    add(
        "validate",
        help="full validation: hashes, schemas, keys, annotation rules",
        description="Validate hashes, Table Schemas (pandera), keys and the annotation guide's rules; exit 1 listing every problem.",
    ).set_defaults(run=_validate)
    p = add(
        "path",
        help="print the path of a table's file, or of the package",
        description="Print the path of TABLE's file ('article' for the text), or the package root.",
    )
    p.add_argument("table", nargs="?", help="a table name (see `article-data info`), or 'article' for the text")
    p.add_argument(
        "--format", choices=FORMATS, default=FORMATS[0], help=f"which copy of a table (default: {FORMATS[0]})"
    )
    p.set_defaults(run=_path)
    p = add(
        "schema",
        help="columns, types and descriptions of a table",
        description="Print TABLE's columns with Table Schema type, pandas dtype, nullability and description.",
    )
    p.add_argument("table", help="a table name (see `article-data info`)")
    p.set_defaults(run=_schema)
    p = add(
        "export",
        help="write a table as csv, parquet or json, or the whole package as SQLite",
        description="Write TABLE to a file, atomically (or to standard output with -o -). The format "
        "comes from the file's extension (.csv, .parquet, .json) or --format; a mismatch "
        "is refused. With no TABLE and -o NAME.sqlite, the whole package as one SQLite "
        "database for Datasette (types, keys, foreign keys, FTS5), metadata.json beside it. "
        "CSV cells that a spreadsheet would run as a formula (starting with "
        "= + - @, a tab or a carriage return) are prefixed with ' unless --raw is given.",
    )
    p.add_argument(
        "table",
        nargs="?",
        help="the table to write (see `article-data info` for the names); none: "
        "the whole package, as a SQLite database (-o article.sqlite)",
    )
    p.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default=None,
        help="the output format (default: from the extension of -o; csv for -o -)",
    )
    p.add_argument("-o", "--output", required=True, help="the file to write, or - for standard output")
    p.add_argument("--raw", action="store_true", help="write CSV cells exactly, without formula protection")
    p.set_defaults(run=_export)
    p = add(
        "quotes",
        help="who said what: speaker, type, text",
        description="List the speech quotations with their speakers (all quotation rows with --all).",
    )
    p.add_argument("--all", action="store_true", help="include name and scare quotes")
    p.add_argument("--width", type=int, default=100, help="cut quotations to this many characters (0: never)")
    p.set_defaults(run=_quotes)
    p = add(
        "diff",
        help="what changed between two versions, and the version bump it needs",
        description="Compare two packages (folders, zip archives, or released versions such as 1.0.0, "
        "kept in releases/): per table the rows added, removed and changed (keyed by the "
        "primary key, each changed cell as old → new), columns added, removed or retyped, "
        "whether the text changed, and the bump the README's policy requires, with why. "
        "Exit 0 when the packages are the same, 1 when they differ, 2 on an error.",
    )
    p.add_argument("old", help="a package folder, a zip archive, or a released version (e.g. 1.0.0)")
    p.add_argument("new", nargs="?", help="the same kinds (default: the current package, or --root)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="readable text (default) or JSON")
    p.set_defaults(run=_diff)
    p = add(
        "render",
        help="write the article as one annotated, self-contained HTML page",
        description="Write one self-contained HTML file (no network): quotes coloured by speaker, "
        "mentions linked to their entities, figures, dates and defects marked, and a "
        "side panel of speakers with their quotes.",
    )
    p.add_argument("-o", "--output", required=True, help="the HTML file to write, or - for standard output")
    p.set_defaults(run=_render)
    _add_releases(sub)
    _add_nlp_commands(sub)
    return parser


def _add_releases(sub: Any) -> None:
    p = sub.add_parser(
        "releases",
        help="list the kept releases, or export them all as one dataset per table",
        description="List every kept release (version, date, sha256 of its zip, path). With --export "
        "DIR, write every kept release, and the current package if its version is not "
        "released yet, as one hive-partitioned Parquet dataset per table, "
        "DIR/<table>/version=<v>/part-0.parquet: every column of every version in every "
        "file (null where a version lacks it), with the types of `ad.load`.",
    )
    p.add_argument("--root", default=argparse.SUPPRESS, help="a folder holding another copy of the package")
    p.add_argument("--export", metavar="DIR", help="the folder to write (new or empty; written atomically)")
    p.add_argument("--overwrite", action="store_true", help="replace DIR when it holds a previous export")
    p.set_defaults(run=_releases)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ValidationError as exc:
        where = f" in {exc.root}" if exc.root else ""
        _say(f"article-data: {len(exc.problems)} validation problem(s){where}:", file=sys.stderr)
        for problem in exc.problems[:200]:
            _say(f"  - {problem}", file=sys.stderr)
        if len(exc.problems) > 200:
            _say(f"  ... and {len(exc.problems) - 200} more", file=sys.stderr)
        return 1
    except ArticleDataError as exc:
        _say(f"article-data: error: {exc}", file=sys.stderr)
        return 2 if args.command == "diff" else 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _say("article-data: interrupted; nothing was written", file=sys.stderr)
        return 130


def run() -> None:
    """The console script: run :func:`main`, flush the output, and end the process at once.

    Arrow's and DuckDB's native thread pools can abort the interpreter while it tears
    itself down, after the work is done and written ("terminate called without an
    active exception", apache/arrow#34314). The command has nothing left to clean up
    by then (outputs are complete and renamed into place), so it exits with
    ``os._exit`` and its real status instead of risking that abort.
    """
    # The command line never draws examples from a pandera schema, but pandera imports
    # hypothesis for that whenever it is installed (about 0.1 s of start-up): in this
    # process alone, mark it unavailable, as pandera handles. Likewise PySpark, whose
    # pandas API pandera imports when installed (and which warns about pandas 3 on
    # stderr): the command line validates pandas frames only.
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    sys.modules.setdefault("pyspark", None)  # type: ignore[arg-type]
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
