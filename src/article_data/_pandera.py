"""pandera schemas generated from the Table Schemas, plus the guide's row rules.

Each Table Schema field becomes a :class:`pandera.pandas.Column` with the
loader's dtype, ``nullable`` from ``required``, ``unique``, and checks for
``enum``, ``pattern``, ``minimum``, ``maximum`` and ``minLength``. The rules a
Table Schema cannot state, but that one table can check on its own rows, are
added as DataFrame-level checks (see :data:`ROW_RULES`). Rules that need other
tables or the article text live in :mod:`article_data._validate`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._tableschema import TableSchema, anchored
from ._types import enum_of, is_required, pandas_dtype
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
    import pandera.pandas as pa

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
ROW_RULES: dict[str, list[tuple[str, Callable[[pd.DataFrame], pd.Series], str]]] = {
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


def _re2_full_match(pattern: str) -> Callable[[pd.Series], pd.Series]:
    """A check that every value matches ``pattern`` whole, run by RE2 (Arrow compute: linear time)."""
    expression = anchored(pattern)

    def check(series: pd.Series) -> pd.Series:
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.array(series.astype("string[pyarrow]").array, type=pa.string())
        matched = pc.match_substring_regex(values, expression).fill_null(True)
        return pd.Series(matched.to_numpy(zero_copy_only=False), index=series.index)

    return check


def _array_items(series: pd.Series) -> pd.Series:
    """A check that every value of an ``array`` column is a non-empty list of non-empty strings.

    A row with no item is null, never ``[]``, so CSV (an empty cell) and Parquet agree.
    """
    import pandas as pd

    def fits(value: object) -> bool:
        return isinstance(value, list) and len(value) > 0 and all(isinstance(item, str) and item for item in value)

    return pd.Series([fits(v) for v in series], index=series.index, dtype=bool)


def _where_columns_exist(rule: Rule) -> Rule:
    """A row rule that holds for a table lacking a column it declares (:func:`reads`: a package older than the column).

    Only the declared columns are looked at: any error inside the rule (a misspelt
    column, a bug) propagates, so no rule can silently pass for every row.
    """
    needed: tuple[str, ...] = rule.columns  # type: ignore[attr-defined]

    def check(frame: pd.DataFrame) -> pd.Series:
        import pandas as pd

        if not set(needed) <= set(frame.columns):
            return pd.Series(True, index=frame.index)
        return rule(frame)

    return check


def column_checks(field: Mapping[str, Any]) -> list[pa.Check]:
    """Return the pandera checks for a field's Table Schema constraints (already checked as safe)."""
    import pandera.pandas as pa

    constraints = field.get("constraints", {})
    checks: list[pa.Check] = []
    enum = enum_of(field)
    if enum is not None:
        checks.append(pa.Check.isin(enum))
    if field.get("type") == "array":
        checks.append(pa.Check(_array_items, name="array_items", error="a non-empty list of non-empty strings"))
    if "pattern" in constraints:
        checks.append(
            pa.Check(_re2_full_match(constraints["pattern"]), name="pattern", error=f"pattern {constraints['pattern']}")
        )
    if "minLength" in constraints or "maxLength" in constraints:
        checks.append(
            pa.Check.str_length(min_value=constraints.get("minLength"), max_value=constraints.get("maxLength"))
        )
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"]))
    return checks


def _build(name: str, table_schema: TableSchema) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {
        field["name"]: pa.Column(
            pandas_dtype(field),
            checks=column_checks(field),
            nullable=not is_required(field),
            unique=bool(field.get("constraints", {}).get("unique", False)),
            description=field.get("description"),
            title=field.get("title"),
        )
        for field in table_schema.fields
    }
    primary_key = list(table_schema.primary_key)
    rules = ROW_RULES.get(name, [])
    checks = [
        pa.Check(_where_columns_exist(function), name=check_name, error=f"{check_name}: {error}")
        for check_name, function, error in rules
    ]
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        strict=True,
        ordered=True,
        unique=primary_key if len(primary_key) > 1 else None,
        name=name,
        description=table_schema.data.get("description"),
        metadata={"primary_key": primary_key},
    )


#: Built schemas by (table, the Table Schema's JSON): building one costs milliseconds, so each is built once.
_BUILT: dict[tuple[str, str], pa.DataFrameSchema] = {}
_MAX_BUILT = 64


def pandera_schema(name: str, table_schema: TableSchema) -> pa.DataFrameSchema:
    """Return the pandera schema of table ``name`` generated from its checked Table Schema."""
    import json

    key = (name, json.dumps(table_schema.data, sort_keys=True))
    if key not in _BUILT:
        if len(_BUILT) >= _MAX_BUILT:
            _BUILT.pop(next(iter(_BUILT)))
        _BUILT[key] = _build(name, table_schema)
    return _BUILT[key]
