"""The ``article-data`` command line (also ``python -m article_data``): its parser, :func:`main` and :func:`run`.

What each command does is in :mod:`._commands`.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence

from . import _commands
from ._commands import say
from ._errors import ArticleDataError, ValidationError
from ._names import CONVERT_FORMATS, EXPORT_FORMATS, FORMATS, SCORE_TASKS
from ._terminal import Parser
from ._version import __version__

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Callable

    #: Adds one command's subparser (its name given): ``sub.add_parser`` with the name bound.
    _Add = Callable[..., argparse.ArgumentParser]


def _info_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="version, tables, rows, bytes and hashes",
        description="Print the version and every file with its rows, bytes and sha256 (verifies first); "
        "with --docs, where the datasheet, data dictionary, guide and changelog are.",
        parents=[common],
    )
    p.add_argument(
        "--docs", action="store_true", help="list the documents that ship with the package, with their paths"
    )
    p.set_defaults(run=_commands.info)


def _verify_parser(add: _Add, common: Parser) -> None:
    add(
        help="check size and sha256 of every file",
        description="Check every file's size and sha256 against datapackage.json; exit 1 naming the first that differs.",
        parents=[common],
    ).set_defaults(run=_commands.verify)


def _validate_parser(add: _Add, common: Parser) -> None:
    add(
        help="full validation: hashes, schemas, keys, annotation rules",
        description="Validate hashes, Table Schema constraints, keys and the annotation guide's rules; exit 1 listing every problem.",
        parents=[common],
    ).set_defaults(run=_commands.validate)


def _path_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="print the path of a table's file, or of the package",
        description="Print the path of TABLE's file ('article' for the text), or the package root.",
        parents=[common],
    )
    p.add_argument("table", nargs="?", help="a table name (see `article-data info`), or 'article' for the text")
    p.add_argument(
        "--format", choices=FORMATS, default=FORMATS[0], help=f"which copy of a table (default: {FORMATS[0]})"
    )
    p.set_defaults(run=_commands.path)


def _schema_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="columns, types and descriptions of a table",
        description="Print TABLE's columns with Table Schema type, pandas dtype, nullability and description.",
        parents=[common],
    )
    p.add_argument("table", help="a table name (see `article-data info`)")
    p.set_defaults(run=_commands.schema)


def _export_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="write a table as csv, parquet or json, or the whole package as SQLite",
        description="Write TABLE to a file, atomically (or to standard output with -o -). The format "
        "comes from the file's extension (.csv, .parquet, .json) or --format; a mismatch "
        "is refused. With no TABLE and -o NAME.sqlite, the whole package as one SQLite "
        "database for Datasette (types, keys, foreign keys, FTS5), metadata.json beside it. "
        "CSV cells that a spreadsheet would run as a formula (starting with "
        "= + - @, a tab or a carriage return) are prefixed with ' unless --raw is given.",
        parents=[common],
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
    p.set_defaults(run=_commands.export)


def _quotes_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="who said what: speaker, type, text",
        description="List the speech quotations with their speakers (all quotation rows with --all).",
        parents=[common],
    )
    p.add_argument("--all", action="store_true", help="include name and scare quotes")
    p.add_argument("--width", type=int, default=100, help="cut quotations to this many characters (0: never)")
    p.set_defaults(run=_commands.quotes)


def _diff_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="what changed between two versions, and the version bump it needs",
        description="Compare two packages (folders, zip archives, or released versions such as 1.0.0, "
        "kept in releases/): per table the rows added, removed and changed (keyed by the "
        "primary key, each changed cell as old → new), columns added, removed or retyped, "
        "whether the text changed, and the bump the README's policy requires, with why. "
        "Exit 0 when the packages are the same, 1 when they differ, 2 on an error.",
        parents=[common],
    )
    p.add_argument("old", help="a package folder, a zip archive, or a released version (e.g. 1.0.0)")
    p.add_argument("new", nargs="?", help="the same kinds (default: the current package, or --root)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="readable text (default) or JSON")
    p.set_defaults(run=_commands.diff)


def _render_parser(add: _Add, common: Parser) -> None:
    p = add(
        help="write the article as one annotated, self-contained HTML page",
        description="Write one self-contained HTML file (no network): quotes coloured by speaker, "
        "mentions linked to their entities, figures, dates and defects marked, and a "
        "side panel of speakers with their quotes.",
        parents=[common],
    )
    p.add_argument("-o", "--output", required=True, help="the HTML file to write, or - for standard output")
    p.set_defaults(run=_commands.render)


def _releases_parser(add: _Add, _common: Parser) -> None:
    p = add(
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
    p.set_defaults(run=_commands.releases)


def _convert_parser(add: _Add, _common: Parser) -> None:
    p = add(
        help="write the annotations for NLP tools: spacy, brat, conll, webanno",
        description="Write the article's annotations in a format NLP tools read: "
        + "; ".join(f"{name}: {what}" for name, what in CONVERT_FORMATS.items())
        + ". spacy and conll need the extra article-data[spacy].",
    )
    p.add_argument("format", choices=list(CONVERT_FORMATS), help="the output format")
    p.add_argument(
        "-o", "--output", required=True, help="the file (the folder for brat) to write, or - for standard output"
    )
    p.set_defaults(run=_commands.convert)


def _score_parser(add: _Add, _common: Parser) -> None:
    p = add(
        help="score a system's predictions against the tables",
        description="Score PREDICTIONS (JSON Lines, or CSV by extension: char_start, char_end in code "
        "points of the article text, end exclusive, and the task's fields) for TASK. "
        "mentions needs the extra article-data[score]. What counts as a match: README.md, "
        "'For NLP work'.",
    )
    p.add_argument("task", choices=SCORE_TASKS, help="what the system predicted")
    p.add_argument("predictions", help="a .jsonl (JSON Lines) or .csv file of predictions")
    p.add_argument("--format", choices=("table", "json"), default="table", help="readable text (default) or JSON")
    p.set_defaults(run=_commands.score)


#: Every command, in the order ``--help`` lists them, with the function that adds its parser.
COMMANDS: dict[str, Callable[[_Add, Parser], None]] = {
    "info": _info_parser,
    "verify": _verify_parser,
    "validate": _validate_parser,
    "path": _path_parser,
    "schema": _schema_parser,
    "export": _export_parser,
    "quotes": _quotes_parser,
    "diff": _diff_parser,
    "render": _render_parser,
    "releases": _releases_parser,
    "convert": _convert_parser,
    "score": _score_parser,
}
#: The options before the command that take a value (given whole; an abbreviation is not read ahead).
_VALUED_OPTIONS = ("--root", "--release")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the ``article-data`` command.

    With ``command``, the parser holds that command alone: it parses that command's
    lines exactly as the whole parser does, in a twelfth of the building (all twelve
    were a sixth of what ``article-data verify`` adds to the interpreter's start-up).
    :func:`named_command` says when a line allows it.
    """
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
    for name, define in COMMANDS.items():
        if command in (None, name):
            define(functools.partial(sub.add_parser, name), common)
    return parser


def named_command(argv: Sequence[str]) -> str | None:
    """The command a command line names, when that is certain before parsing it; else None.

    It is the first word after global options given whole (``--root X``,
    ``--release=V``). Anything else first (``-h``, ``--version``, an abbreviated
    option, an unknown word) leaves it to the whole parser.
    """
    words = iter(argv)
    for word in words:
        if word in _VALUED_OPTIONS:
            next(words, None)
        elif word.startswith(tuple(f"{option}=" for option in _VALUED_OPTIONS)):
            continue
        else:
            return word if word in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(named_command(argv)).parse_args(argv)
    try:
        return int(args.run(args))
    except ValidationError as exc:
        where = f" in {exc.root}" if exc.root else ""
        say(f"article-data: {len(exc.problems)} validation problem(s){where}:", file=sys.stderr)
        for problem in exc.problems[:200]:
            say(f"  - {problem}", file=sys.stderr)
        if len(exc.problems) > 200:
            say(f"  ... and {len(exc.problems) - 200} more", file=sys.stderr)
        return 1
    except ArticleDataError as exc:
        say(f"article-data: error: {exc}", file=sys.stderr)
        return 2 if args.command == "diff" else 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        say("article-data: interrupted; nothing was written", file=sys.stderr)
        return 130


def run() -> None:
    """The console script: run :func:`main`, flush the output, and end the process at once.

    Arrow's and DuckDB's native thread pools can abort the interpreter while it tears
    itself down, after the work is done and written ("terminate called without an
    active exception", apache/arrow#34314). The command has nothing left to clean up
    by then (outputs are complete and renamed into place), so it exits with
    ``os._exit`` and its real status instead of risking that abort. ``tests/test_cli.py``
    shows why.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
