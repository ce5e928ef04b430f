"""The `article-data` command line, run as a real subprocess."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import article_data as ad
from article_data._cli import COMMANDS, build_parser, named_command
from helpers import BIN, edit_schema, field, replace_table, run


def cli(*args: str | Path) -> tuple[int, str, str]:
    result = run(BIN / "article-data", *args)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_help_describes_each_command(command: str) -> None:
    """`article-data COMMAND --help` exits 0 and says what the command does."""
    code, out, _ = cli(command, "--help")
    assert code == 0 and f"usage: article-data {command}" in out and len(out.splitlines()) > 3


def _parse(argv: Sequence[str], command: str | None) -> tuple[object, str, str]:
    """What a parser (the whole one, or ``command``'s alone) makes of ``argv``: namespace or exit code, and output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            outcome: object = vars(build_parser(command).parse_args(argv))
        except SystemExit as exc:
            outcome = ("exit", exc.code)
    return outcome, out.getvalue(), err.getvalue()


#: Words a command line is made of: every command, the global options whole, abbreviated and
#: with "=", values, and options of the commands.
_WORDS = (
    *COMMANDS,
    *("--root", "--root=x", "--ro", "--release", "--release=1.0.0", "--rel", "-h", "--help", "--version", "--"),
    *("x", "1.0.0", "people", "spacy", "mentions", "-", "--format", "csv", "json", "-o", "out.csv", "--all"),
    *("--docs", "--width", "5", "--export", "--overwrite", "--raw"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=6))
def test_a_command_parser_alone_parses_its_lines_as_the_whole_parser(argv: list[str]) -> None:
    """Where `named_command` names a command, that command's parser alone gives the same namespace,
    exit code, output and error message as the whole parser (main builds only that one: speed).
    """
    command = named_command(argv)
    if command is not None:
        assert _parse(argv, command) == _parse(argv, None)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["verify"], "verify"),
        (["--root", "verify", "info"], "info"),
        (["--release=1.0.0", "diff", "1.0.0"], "diff"),
        (["--ro", "verify", "info"], None),  # an abbreviation: its value is not known before parsing
        (["--help"], None),
        (["nonsense", "verify"], None),
        ([], None),
    ],
)
def test_named_command_is_the_command_only_when_certain(argv: list[str], command: str | None) -> None:
    """The first word after whole global options, or None (the whole parser answers)."""
    assert named_command(argv) == command


def test_cli_info_lists_version_rows_and_hashes() -> None:
    """`info` prints the version and every resource with its rows and sha256."""
    code, out, _ = cli("info")
    assert code == 0 and f"article-data {ad.__version__}" in out
    for resource in ad.descriptor()["resources"]:
        assert resource["hash"].removeprefix("sha256:") in out
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[3:]}
    for table in ad.TABLES:
        assert rows[table] == rows[f"{table}_parquet"] == str(len(ad.load(table)))


def test_python_dash_m_is_the_same_command() -> None:
    """`python -m article_data verify` behaves like `article-data verify`."""
    result = run(BIN / "python", "-m", "article_data", "verify")
    assert result.returncode == 0 and result.stdout.startswith("ok:")


# Why `run` (the console script) ends as it does. Each pair: what the libraries do, then what the command does.


def test_native_thread_pools_still_run_when_main_returns(tmp_path: Path) -> None:
    """After an export, Arrow's native threads are still running when `main` returns: the state in
    which an interpreter's tear-down can abort ("terminate called without an active exception",
    apache/arrow#34314; 3 runs in 160 ended so on this machine), so `run` ends the process with `os._exit`.
    """
    code = (
        "import os, sys, threading; from article_data._cli import main; "
        f"main(['export', 'people', '-o', {str(tmp_path / 'people.parquet')!r}]); "
        "print(len(os.listdir('/proc/self/task')) - threading.active_count())"
    )
    result = run(BIN / "python", "-c", code, check=True)
    assert int(result.stdout.splitlines()[-1]) > 0, result.stdout


def test_the_console_script_ends_with_the_status_of_main_and_never_aborts(tmp_path: Path) -> None:
    """Forty exports through `article-data`: each exits 0, its file complete, with nothing on stderr."""
    target = tmp_path / "people.parquet"
    for _ in range(40):
        target.unlink(missing_ok=True)
        code, _, err = cli("export", "people", "-o", target)
        assert (code, err) == (0, "")
        assert len(pd.read_parquet(target)) == len(ad.load("people"))


def test_validation_loads_no_pandera_and_writes_nothing_to_stderr() -> None:
    """`ad.validate()` and `article-data validate` check in Arrow: neither imports pandera (nor, through it,
    hypothesis and PySpark, whose pandas API warns about pandas 3 on stderr), and stderr stays empty.
    """
    loaded = "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandera', 'hypothesis', 'pyspark'}))"
    for call in ("import article_data as ad; ad.validate()", "from article_data._cli import main; main(['validate'])"):
        result = run(BIN / "python", "-c", f"import sys; {call}; {loaded}", check=True)
        assert result.stdout.splitlines()[-1] == "[]", call
        assert result.stderr == "", call
    validated = run(BIN / "article-data", "validate")
    assert validated.returncode == 0 and validated.stdout.startswith("valid:") and validated.stderr == ""


def test_cli_verify_and_validate_pass_on_the_bundled_package() -> None:
    """`verify` and `validate` exit 0 on the published package."""
    assert cli("verify")[0] == 0
    code, out, _ = cli("validate")
    assert code == 0 and out.startswith("valid:")


def test_cli_verify_fails_naming_a_flipped_file(package_copy: Path) -> None:
    """One flipped byte makes `verify` exit 1 with a message naming the file and both hashes."""
    target = package_copy / "data" / "figures.csv"
    data = bytearray(target.read_bytes())
    data[200] ^= 0x01
    target.write_bytes(bytes(data))
    code, _, err = cli("--root", package_copy, "verify")
    assert code == 1 and "figures.csv" in err and "expected sha256:" in err and "but found sha256:" in err


def test_cli_validate_lists_problems_and_exits_non_zero(package_copy: Path) -> None:
    """`validate` on a damaged copy exits 1 and prints a readable list of problems."""
    target = package_copy / "data" / "article.txt"
    target.write_bytes(target.read_bytes().replace(b"Kiev", b"Kyiv"))
    code, _, err = cli("--root", package_copy, "validate")
    assert code == 1 and "validation problem(s)" in err and "  - article:" in err


def test_cli_path_and_schema() -> None:
    """`path TABLE` prints the file's path; `schema TABLE` lists columns, types and descriptions."""
    code, out, _ = cli("path", "mentions", "--format", "parquet")
    assert code == 0 and Path(out.strip()) == ad.path("mentions", format="parquet")
    code, out, _ = cli("schema", "quotes")
    assert code == 0 and "speaker_person_id" in out and "category" in out and "foreign key to people" in out


def test_cli_unknown_table_exits_non_zero_listing_the_tables() -> None:
    """An unknown table name is a clear error, not a traceback."""
    code, _, err = cli("schema", "speeches")
    assert code == 1 and "unknown table 'speeches'" in err and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_cli_export_writes_the_table(tmp_path: Path, fmt: str) -> None:
    """`export` writes every row of a table in the chosen format."""
    output = tmp_path / f"quotes.{fmt}"
    code, out, _ = cli("export", "quotes", "--format", fmt, "-o", output)
    assert code == 0 and output.exists() and not list(tmp_path.glob(".quotes*"))
    if fmt == "csv":
        frame = pd.read_csv(output)
    elif fmt == "parquet":
        frame = pd.read_parquet(output)
    else:
        frame = pd.DataFrame(json.loads(output.read_text(encoding="utf-8")))
    assert list(frame["quote_id"]) == list(ad.load("quotes")["quote_id"])


def test_cli_quotes_shows_who_said_what() -> None:
    """`quotes` prints one line per speech quotation with its speaker's label."""
    code, out, _ = cli("quotes", "--width", "0")
    quotes = ad.load("quotes")
    speech = quotes[quotes.is_speech]
    header, *lines = out.splitlines()
    assert code == 0 and header.split() == ["quote", "speaker", "type", "text"] and len(lines) == len(speech)
    people = ad.load("people").set_index("person_id")["label"]
    first = speech.iloc[0]
    assert lines[0].split()[:2] == [first.quote_id, people[first.speaker_person_id]]


def test_cli_quotes_cuts_long_text_with_an_ellipsis() -> None:
    """`--width N` cuts a quotation to N characters, the last being an ellipsis."""
    code, out, _ = cli("quotes", "--width", "20")
    cut = [line for line in out.splitlines()[1:] if line.endswith("…")]
    text_column = out.splitlines()[0].index("text")
    assert code == 0 and cut and all(len(line[text_column:]) == 20 for line in cut)


def test_cli_export_csv_neutralises_spreadsheet_formulas(package_copy: Path, tmp_path: Path) -> None:
    """Text starting with = + - @ is written with a leading apostrophe unless --raw is given."""
    people = ad.Package(package_copy).load("people")
    people.loc[0, "description"] = '=HYPERLINK("http://example.invalid","x")'
    people.loc[1, "description"] = "@SUM(A1:A2)"
    replace_table(package_copy, "people", people)
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert cli("--root", package_copy, "export", "people", "-o", safe)[0] == 0
    assert cli("--root", package_copy, "export", "people", "-o", raw, "--raw")[0] == 0
    safe_rows = list(csv.DictReader(safe.open(encoding="utf-8")))
    raw_rows = list(csv.DictReader(raw.open(encoding="utf-8")))
    assert safe_rows[0]["description"].startswith("'=") and safe_rows[1]["description"] == "'@SUM(A1:A2)"
    assert raw_rows[0]["description"].startswith("=HYPERLINK")
    assert all(not v.startswith(("=", "+", "-", "@")) for row in safe_rows for v in row.values())


def test_cli_render_writes_a_self_contained_page(tmp_path: Path) -> None:
    """`render -o FILE` writes the annotated HTML page with every quotation in it."""
    output = tmp_path / "article.html"
    code, _, _ = cli("render", "-o", output)
    page = output.read_text(encoding="utf-8")
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    for quote_id in ad.load("quotes")["quote_id"]:
        assert f'data-quote-id="{quote_id}"' in page


TERMINAL_ATTACKS = {
    "clear screen": "\x1b[2J",
    "title change": "\x1b]0;owned\x07",
    "carriage return": "\rfake ok line",
    "C1 control": "\x9b31m",
    "bidi override": "\u202eevil",
}


@pytest.mark.parametrize("case", list(TERMINAL_ATTACKS))
def test_control_characters_are_escaped_in_everything_the_cli_prints(
    package_copy: Path, tmp_path: Path, case: str
) -> None:
    """Control characters from a schema, the data or the folder name reach the terminal only as escapes."""
    attack = TERMINAL_ATTACKS[case]
    edit_schema(package_copy, "quotes", lambda s: field(s, "cue").__setitem__("description", f"cue{attack}"))
    quotes = ad.Package(package_copy).load("quotes")
    quotes.loc[0, "speaker_person_id"] = None
    quotes.loc[0, "speaker_organization_id"] = None
    from helpers import replace_table

    people = ad.Package(package_copy).load("people")
    people.loc[people.person_id == "yan", "label"] = f"Yan{attack}"
    replace_table(package_copy, "people", people)
    folder = tmp_path / f"pkg{attack.replace('/', '')}"
    package_copy.rename(folder)
    outputs = []
    for args in (("schema", "quotes"), ("quotes",), ("verify",), ("info",), ("path",)):
        result = run(BIN / "article-data", "--root", folder, *args)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    (folder / "data" / "people.csv").write_text("damaged")
    outputs.append(run(BIN / "article-data", "--root", folder, "verify").stderr)
    for text in outputs:
        assert attack not in text and "\x1b" not in text and "\x9b" not in text and "\r" not in text
    assert any("\\x1b" in t or "\\x0d" in t or "\\x9b" in t or "\\u202e" in t for t in outputs)
