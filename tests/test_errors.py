"""The exceptions: one base class, standard bases where callers expect them, messages that say what and where."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

import article_data as ad
from article_data._errors import (
    ArticleDataError,
    DescriptorError,
    FormatError,
    IntegrityError,
    UnknownTableError,
    ValidationError,
)
from article_data._problem import Problem


def test_errors_all_derive_from_article_data_error() -> None:
    """Every exception the package raises on purpose is an ArticleDataError, and the public names are these classes."""
    for cls in (DescriptorError, FormatError, IntegrityError, UnknownTableError, ValidationError):
        assert issubclass(cls, ArticleDataError), cls
        assert getattr(ad, cls.__name__) is cls
    assert issubclass(ArticleDataError, Exception) and ad.Problem is Problem


def test_problem_str_names_table_row_and_column() -> None:
    """A Problem prints as table[row].column: message."""
    assert str(Problem("quotes", "q07", "speaker_person_id", "not found")) == "quotes[q07].speaker_person_id: not found"


def test_problem_str_leaves_out_a_missing_row_or_column() -> None:
    """Without a row id the brackets go, without a column the dot goes."""
    assert str(Problem("quotes", None, "char_start", "bad")) == "quotes.char_start: bad"
    assert str(Problem("quotes", "q01", None, "bad")) == "quotes[q01]: bad"
    assert str(Problem("datapackage.json", None, None, "unreadable")) == "datapackage.json: unreadable"


def test_problem_str_keeps_an_empty_row_id_or_column() -> None:
    """An empty string is a value, not a missing one: it still shows its brackets or dot."""
    assert str(Problem("t", "", "", "m")) == "t[].: m"


def test_problem_is_a_frozen_value() -> None:
    """Problems compare and hash by value, cannot be changed, and survive pickling."""
    first = Problem("quotes", "q01", "text", "differs")
    same = Problem("quotes", "q01", "text", "differs")
    other = Problem("quotes", "q02", "text", "differs")
    assert first == same and hash(first) == hash(same)
    assert first != other and len({first, same, other}) == 2
    assert first != Problem("quotes", "q01", None, "differs")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.message = "changed"  # type: ignore[misc]
    assert dataclasses.is_dataclass(first)
    assert [f.name for f in dataclasses.fields(Problem)] == ["table", "row_id", "column", "message"]
    assert pickle.loads(pickle.dumps(first)) == first


def test_unknown_table_error_is_a_key_error_listing_valid_names() -> None:
    """UnknownTableError is a KeyError whose str is the plain message (no quotes) listing every valid name."""
    error = UnknownTableError("speakers", ["quotes", "people"])
    assert isinstance(error, KeyError) and isinstance(error, ArticleDataError)
    assert str(error) == "unknown table 'speakers': expected one of quotes, people"
    assert error.name == "speakers" and error.valid == ("quotes", "people")
    with pytest.raises(KeyError):
        raise error


def test_unknown_table_error_from_the_loader_names_every_table() -> None:
    """Loading an unknown table raises UnknownTableError whose message lists all tables and no repr quotes around it."""
    with pytest.raises(UnknownTableError) as info:
        ad.load("speakers")
    message = str(info.value)
    assert message.startswith("unknown table 'speakers'") and not message.startswith('"')
    assert message.endswith(", ".join(ad.TABLES))


def test_format_error_is_a_value_error_listing_valid_formats() -> None:
    """FormatError is a ValueError and an ArticleDataError, keeps the format and names the valid ones."""
    error = FormatError("xlsx", ("csv", "parquet"))
    assert isinstance(error, ValueError) and isinstance(error, ArticleDataError)
    assert error.format == "xlsx" and error.valid == ("csv", "parquet")
    assert str(error) == "unknown format 'xlsx': expected one of csv, parquet"
    with pytest.raises(ValueError, match="unknown format 'xlsx'"):
        ad.load("quotes", format="xlsx")  # type: ignore[arg-type]


def test_integrity_error_keeps_path_expected_and_actual() -> None:
    """IntegrityError carries the file, the declared and the found value, and its message."""
    error = IntegrityError("data/quotes.csv differs", path="data/quotes.csv", expected="sha256:aa", actual="sha256:bb")
    assert (error.path, error.expected, error.actual) == ("data/quotes.csv", "sha256:aa", "sha256:bb")
    assert str(error) == "data/quotes.csv differs"
    assert not isinstance(error, (KeyError, ValueError))
    bare = IntegrityError("gone")
    assert (bare.path, bare.expected, bare.actual) == ("", "", "")


def test_validation_error_lists_every_problem_with_its_count() -> None:
    """The message counts the problems, names the folder and lists each one on its own line."""
    problems = [Problem("quotes", "q01", "text", "differs"), Problem("people", None, None, "missing")]
    error = ValidationError(problems, root="/pkg")
    assert error.problems == tuple(problems)
    assert str(error) == ("2 validation problem(s) in /pkg:\n  - quotes[q01].text: differs\n  - people: missing")
    assert str(ValidationError(problems)).startswith("2 validation problem(s):\n")


def test_validation_error_shows_at_most_200_problems_and_counts_the_rest() -> None:
    """With 250 problems the message lists the first 200 and says 50 more; with exactly 200 it adds nothing."""
    many = [Problem("quotes", f"q{i:03d}", None, "bad") for i in range(250)]
    message = str(ValidationError(many))
    lines = message.splitlines()
    assert lines[0] == "250 validation problem(s):"
    listed = [line for line in lines if line.startswith("  - ")]
    assert len(listed) == 200
    assert listed[0] == "  - quotes[q000]: bad" and listed[-1] == "  - quotes[q199]: bad"
    assert "q200" not in message
    assert lines[-1] == "  ... and 50 more"
    assert len(ValidationError(many).problems) == 250
    exact = str(ValidationError(many[:200]))
    assert "more" not in exact and exact.count("\n  - ") == 200
    assert str(ValidationError(many[:201])).endswith("\n  ... and 1 more")
