"""The guide's row rules: what one table can check on its own rows that a Table Schema cannot state.

Each rule is a vectorised function of a table's DataFrame (the loader's dtypes) that
returns a boolean Series, true where the row keeps the rule, and declares the columns
it reads (:func:`reads`). :func:`holds` is the one way to run a rule: a table lacking
a declared column (a package older than the column) keeps it, and any other error
propagates, so a misspelt column can never make a rule pass for every row. Both the
pandera schemas (:mod:`article_data._pandera`) and ``validate()``
(:mod:`article_data._validate`) run the rules through it. Rules that need other tables
or the article text live in :mod:`article_data._article_rules`.
"""

from __future__ import annotations

from collections.abc import Callable

from ._vocabulary import (
    DATE_PRECISIONS,
    ENTITY_ID_COLUMNS,
    ENTITY_TYPES,
    MARKED_TYPES,
    SPEECH_TYPES,
    UNMARKED_TYPES,
)
from ._vocabulary import SPEAKER_COLUMNS as SPEAKER_COLUMN_MAP

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd

SPEAKER_COLUMNS = tuple(SPEAKER_COLUMN_MAP.values())
ENTITY_COLUMNS = tuple(ENTITY_ID_COLUMNS.values())


Rule = Callable[["pd.DataFrame"], "pd.Series"]


def reads(*columns: str) -> Callable[[Rule], Rule]:
    """Declare the columns a row rule reads: it is skipped only for a table that lacks one of them."""

    def declare(rule: Rule) -> Rule:
        rule.columns = columns  # type: ignore[attr-defined]
        return rule

    return declare


def _set_count(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    return frame[list(columns)].notna().sum(axis=1)


@reads("quote_type", *SPEAKER_COLUMNS)
def _speech_has_one_speaker(frame: pd.DataFrame) -> pd.Series:
    speech = frame["quote_type"].isin(SPEECH_TYPES)
    count = _set_count(frame, SPEAKER_COLUMNS)
    return (speech & (count == 1)) | (~speech & (count == 0))


@reads("is_speech", "quote_type")
def _is_speech_matches_type(frame: pd.DataFrame) -> pd.Series:
    return frame["is_speech"] == frame["quote_type"].isin(SPEECH_TYPES)


@reads("has_closing_mark", "quote_type")
def _closing_mark_null_exactly_unmarked(frame: pd.DataFrame) -> pd.Series:
    """2.0.0 on: null exactly for the unmarked types. A 1.x table (no null at all) has them false instead."""
    unmarked = frame["quote_type"].isin(UNMARKED_TYPES)
    if not frame["has_closing_mark"].isna().any():  # the 1.x convention, which kept releases follow
        return ~(unmarked & frame["has_closing_mark"].astype(bool))
    return frame["has_closing_mark"].isna() == unmarked


@reads("quote_type", "has_closing_mark", "lacks_closing_mark")
def _lacks_closing_mark_matches(frame: pd.DataFrame) -> pd.Series:
    marked = frame["quote_type"].isin(MARKED_TYPES)
    unclosed = (frame["has_closing_mark"] == False).fillna(False)  # noqa: E712 (null is not false)
    return frame["lacks_closing_mark"] == (marked & unclosed)


@reads("cue_altered", "cue")
def _cue_altered_needs_a_cue(frame: pd.DataFrame) -> pd.Series:
    return ~(frame["cue_altered"].notna() & frame["cue"].isna())


@reads(*ENTITY_COLUMNS)
def _mention_has_one_entity(frame: pd.DataFrame) -> pd.Series:
    return _set_count(frame, ENTITY_COLUMNS) == 1


@reads(*ENTITY_COLUMNS, "entity_type")
def _entity_type_matches_id(frame: pd.DataFrame) -> pd.Series:
    import pandas as pd

    matches = pd.Series(False, index=frame.index)
    for table, column in ENTITY_ID_COLUMNS.items():
        matches |= (frame[column].notna() & (frame["entity_type"] == ENTITY_TYPES[table])).fillna(False)
    return matches


@reads("kind", "date", "value")
def _figure_value_or_date(frame: pd.DataFrame) -> pd.Series:
    is_date = frame["kind"] == "date"
    has_date = frame["date"].notna()
    has_value = frame["value"].notna()
    return (is_date == has_date) & (has_value != has_date)


@reads("date", "date_precision")
def _figure_date_precision(frame: pd.DataFrame) -> pd.Series:
    length = frame["date"].str.len()
    expected = length.map(DATE_PRECISIONS)
    return (expected.astype("string") == frame["date_precision"].astype("string")).fillna(
        frame["date"].isna() & frame["date_precision"].isna()
    )


@reads("char_start", "char_end")
def _span_not_reversed(frame: pd.DataFrame) -> pd.Series:
    return frame["char_start"] < frame["char_end"]


@reads("caption_char_start", "caption_char_end", "credit_char_start", "credit_char_end")
def _caption_before_credit(frame: pd.DataFrame) -> pd.Series:
    return (
        (frame["caption_char_start"] < frame["caption_char_end"])
        & (frame["caption_char_end"] <= frame["credit_char_start"])
        & (frame["credit_char_start"] < frame["credit_char_end"])
    )


#: Row rules per table: (check name, function returning a boolean Series, error text).
ROW_RULES: dict[str, list[tuple[str, Rule, str]]] = {
    "paragraphs": [("span_not_reversed", _span_not_reversed, "char_start must be < char_end")],
    "quotes": [
        ("span_not_reversed", _span_not_reversed, "char_start must be < char_end"),
        (
            "speech_has_one_speaker",
            _speech_has_one_speaker,
            "a speech row sets exactly one of speaker_person_id, speaker_organization_id; a non-speech row neither",
        ),
        (
            "is_speech_matches_type",
            _is_speech_matches_type,
            f"is_speech must be true exactly for {', '.join(SPEECH_TYPES)}",
        ),
        (
            "closing_mark_null_exactly_unmarked",
            _closing_mark_null_exactly_unmarked,
            f"has_closing_mark is null exactly for {' and '.join(UNMARKED_TYPES)} rows (they have no marks)",
        ),
        (
            "lacks_closing_mark_matches",
            _lacks_closing_mark_matches,
            f"lacks_closing_mark must be true exactly for {', '.join(MARKED_TYPES)} rows without a closing mark",
        ),
        ("cue_altered_needs_a_cue", _cue_altered_needs_a_cue, "cue_altered is null where cue is null"),
    ],
    "mentions": [
        ("span_not_reversed", _span_not_reversed, "char_start must be < char_end"),
        (
            "mention_has_one_entity",
            _mention_has_one_entity,
            "a mention sets exactly one of person_id, organization_id, place_id",
        ),
        (
            "entity_type_matches_id",
            _entity_type_matches_id,
            "entity_type is "
            + ", ".join(f"{ENTITY_TYPES[t]} exactly when {c} is set" for t, c in ENTITY_ID_COLUMNS.items()),
        ),
    ],
    "figures": [
        ("span_not_reversed", _span_not_reversed, "char_start must be < char_end"),
        (
            "figure_value_or_date",
            _figure_value_or_date,
            "a figure has a value or a date (not both), and kind = date exactly when it has a date",
        ),
        (
            "figure_date_precision",
            _figure_date_precision,
            "date_precision must be "
            + ", ".join(f"{p} for a date of {n} characters" for n, p in DATE_PRECISIONS.items()),
        ),
    ],
    "images": [
        ("caption_before_credit", _caption_before_credit, "caption and credit spans must be non-empty, caption first")
    ],
    "defects": [("span_not_reversed", _span_not_reversed, "char_start must be < char_end")],
}


def holds(rule: Rule, frame: pd.DataFrame) -> pd.Series:
    """Where ``frame``'s rows keep ``rule`` (a missing result counts as broken); all rows for a table lacking a declared column."""
    import pandas as pd

    needed: tuple[str, ...] = rule.columns  # type: ignore[attr-defined]
    if not set(needed) <= set(frame.columns):
        return pd.Series(True, index=frame.index)
    return rule(frame).fillna(False).astype(bool)
