"""What each ``article-data`` command does, given its parsed arguments; :mod:`._cli` parses and runs them.

Each function takes the command's :class:`argparse.Namespace`, prints through :func:`say`
(every hidden character escaped) and returns the exit code.
"""

from __future__ import annotations

import sys
from pathlib import PurePath

from ._errors import ArticleDataError
from ._hashes import hex_digest
from ._names import EXPORT_FORMATS, table_resource
from ._package import Package, default_root
from ._terminal import escape
from ._version import __version__

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import argparse
    from typing import Any

#: Output formats of ``export``, by file extension (SQLite: the whole package, for Datasette).
EXPORT_EXTENSIONS = {**{f".{fmt}": fmt for fmt in EXPORT_FORMATS}, ".sqlite3": "sqlite", ".db": "sqlite"}


def say(text: object, *, file: Any = None) -> None:
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
        say(f"{str(path) if path.is_file() else name + ' (not in this copy)':<60}  {what}")
    return 0


def info(args: argparse.Namespace) -> int:
    pkg = _package(args)
    if args.docs:
        return _docs(pkg)
    pkg.verify()
    descriptor = pkg.descriptor()
    say(f"article-data {pkg.version} (library {__version__})")
    say(f"root: {pkg.root}")
    say(f"trust: {'release ' + pkg.known_release if pkg.known_release else 'no known release (an untrusted copy)'}")
    say(f"{'resource':<24}{'rows':>6}{'bytes':>9}  sha256")
    rows: dict[str, int] = {n: len(pkg.load(n)) for n in pkg.tables}
    for resource in [*descriptor["resources"], *descriptor.get("files", [])]:  # 2.0.0 on: Parquet under "files"
        table = next((t for t in rows if resource["name"] == table_resource(t, resource["format"])), None)
        count = str(rows[table]) if table is not None else "-"
        say(f"{resource['name']:<24}{count:>6}{resource['bytes']:>9}  {hex_digest(resource['hash'])}")
    return 0


def verify(args: argparse.Namespace) -> int:
    pkg = _package(args)
    say(f"ok: {pkg.verify()} ({pkg.root})")
    return 0


def validate(args: argparse.Namespace) -> int:
    pkg = _package(args)
    pkg.validate()
    say(f"valid: article-data {pkg.version}, {len(pkg.tables)} tables, every check passed ({pkg.root})")
    return 0


def path(args: argparse.Namespace) -> int:
    say(_package(args).path(args.table, format=args.format))
    return 0


def schema(args: argparse.Namespace) -> int:
    pkg = _package(args)
    schema = pkg.table_schema(args.table)
    from ._types import pandas_dtype

    say(f"{args.table}: {schema.get('description', '')}")
    for field in schema["fields"]:
        required = "required" if field.get("constraints", {}).get("required") else "nullable"
        dtype = pandas_dtype(field)
        say(
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


def export(args: argparse.Namespace) -> int:
    from ._output import write_output

    fmt = _export_format(args)
    pkg = _package(args)
    if fmt == "sqlite" or args.table is None:
        return _export_sqlite(args, pkg, fmt)
    data = pkg.export(args.table, fmt, protect_formulas=not args.raw)
    where = write_output(args.output, data)
    if args.output != "-":
        say(f"wrote {len(pkg.load(args.table))} rows of {args.table} to {where} ({fmt})")
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
    say(
        f"wrote {len(pkg.tables)} tables of article-data {pkg.version} to {args.output} (sqlite) and {beside}; "
        f"serve them with `datasette {args.output} -m {beside}`"
    )
    return 0


def releases(args: argparse.Namespace) -> int:
    from ._releases import kept_releases

    if args.release:
        raise ArticleDataError("releases lists every kept release; --release VERSION does not apply to it")
    current = _package(args)
    kept = kept_releases(current.root, default_root())
    if args.export:
        from ._release_export import export_versions

        rows = export_versions(args.export, current, [Package(r.checked()) for r in kept], overwrite=args.overwrite)
        versions = [r.version for r in kept] + (
            [current.version] if current.version not in {r.version for r in kept} else []
        )
        say(
            f"wrote {len(rows)} tables × {len(versions)} versions ({', '.join(versions)}) to {args.export}, "
            f"one hive-partitioned Parquet dataset per table ({args.export}/<table>/version=<v>/)"
        )
        return 0
    say(f"{'version':<10}{'date':<12}{'sha256 of the zip':<66}path")
    for release in kept:
        say(
            f"{release.version:<10}{release.date or '-':<12}{release.sha256 or '(not in SHA256SUMS)':<66}{release.path}"
        )
    return 0


def quotes(args: argparse.Namespace) -> int:
    quotes = _package(args).quotes_with_speakers(speech_only=not args.all)
    say(f"{'quote':<6}{'speaker':<36}{'type':<11}text")
    for row in quotes.itertuples(index=False):
        name = _cut(escape(row.speaker if isinstance(row.speaker, str) else "-", newlines=False), 34)
        text = escape(row.text, newlines=False)
        if args.width:
            text = _cut(text, args.width)
        say(f"{escape(row.quote_id, newlines=False):<6}{name:<36}{row.quote_type!s:<11}{text}")
    return 0


def _cut(text: str, width: int) -> str:
    """Text cut to ``width`` characters, an ellipsis showing where."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render(args: argparse.Namespace) -> int:
    from ._output import write_output
    from ._render import render_html

    page = render_html(_package(args))
    where = write_output(args.output, page.encode("utf-8"))
    if args.output != "-":
        say(f"wrote the annotated article to {where} (one self-contained HTML file)")
    return 0


def diff(args: argparse.Namespace) -> int:
    import json

    from ._diff import diff_lines, diff_packages, open_package

    base = _package(args)
    diff = diff_packages(open_package(args.old, base), open_package(args.new, base) if args.new else base)
    if args.format == "json":  # ASCII JSON: every control or hidden character is a \u escape, so always valid
        print(json.dumps(diff.to_dict(), ensure_ascii=True, indent=1, allow_nan=False))
    else:
        for line in diff_lines(diff):
            say(line)
    return 0 if diff.equal else 1


def convert(args: argparse.Namespace) -> int:
    from ._annotations import load_annotations
    from ._convert import convert

    where = convert(load_annotations(_package(args)), args.format, args.output)
    if args.output != "-":
        say(f"wrote the annotations as {args.format} to {where}")
    return 0


def score(args: argparse.Namespace) -> int:
    import json

    from ._annotations import load_annotations
    from ._score import format_score, score

    result = score(load_annotations(_package(args)), args.task, args.predictions)
    if args.format == "json":  # ASCII JSON: always valid, whatever a name in it holds
        print(json.dumps(result, ensure_ascii=True, indent=1, allow_nan=False))
    else:
        for line in format_score(result).splitlines():
            say(line)
    return 0
