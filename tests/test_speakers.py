"""Who said what: each quotation's speaker resolved across people and organizations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import article_data as ad
from article_data._speakers import SPEAKER_NAME, quotes_with_speakers
from article_data._vocabulary import SPEECH_TYPES
from helpers import replace_table

ADDED = ["speaker", "speaker_id", "speaker_kind"]
#: The README's "who said what" query.
WHO_SAID_WHAT = """
SELECT q.quote_id, coalesce(p.label, o.name) AS speaker, q.quote_type, q.text
FROM quotes AS q
LEFT JOIN people AS p ON p.person_id = q.speaker_person_id
LEFT JOIN organizations AS o ON o.organization_id = q.speaker_organization_id
WHERE q.is_speech
ORDER BY q.char_start, q.quote_id
"""


@pytest.fixture(scope="module")
def who() -> pd.DataFrame:
    return ad.quotes_with_speakers()


@pytest.fixture(scope="module")
def everyone() -> pd.DataFrame:
    return ad.quotes_with_speakers(speech_only=False)


def test_speakers_columns_come_right_after_quote_id(who: pd.DataFrame) -> None:
    """speaker, speaker_id and speaker_kind follow quote_id, and the quotes columns keep their order after them."""
    quotes = ad.load("quotes")
    assert list(who.columns) == ["quote_id", *ADDED, *[c for c in quotes.columns if c != "quote_id"]]


def test_speakers_every_speech_row_has_a_speaker(who: pd.DataFrame) -> None:
    """The default keeps exactly the speech rows, in table order, and each has a speaker, an id and a kind."""
    quotes = ad.load("quotes")
    assert who.quote_id.tolist() == quotes.quote_id[quotes.is_speech.astype(bool)].tolist()
    assert set(who.quote_type) <= set(SPEECH_TYPES)
    assert who[ADDED].notna().all().all()
    assert list(who.index) == list(range(len(who)))


def test_speakers_names_are_person_labels_and_organization_names(who: pd.DataFrame) -> None:
    """A person speaker is people.label, an organization speaker organizations.name, of the row's id."""
    people = ad.load("people").set_index("person_id")
    organizations = ad.load("organizations").set_index("organization_id")
    kinds = set()
    for row in who.itertuples():
        if pd.notna(row.speaker_person_id):
            assert (row.speaker_kind, row.speaker_id) == ("person", row.speaker_person_id), row.quote_id
            assert row.speaker == people.label[row.speaker_person_id], row.quote_id
        else:
            assert (row.speaker_kind, row.speaker_id) == ("organization", row.speaker_organization_id), row.quote_id
            assert row.speaker == organizations.name[row.speaker_organization_id], row.quote_id
        kinds.add(row.speaker_kind)
    assert kinds == {"person", "organization"}, "the data should hold speakers of both kinds"


def test_speakers_use_label_not_name_for_people(package_copy: Path) -> None:
    """Where a person's label differs from their name, the speaker is the label."""
    people = ad.Package(package_copy).load("people")
    i = people.index[people.person_id == "yan"][0]
    people.loc[i, "label"] = "Yan the volunteer"
    assert people.loc[i, "name"] != people.loc[i, "label"]
    replace_table(package_copy, "people", people)
    who = ad.Package(package_copy).quotes_with_speakers()
    spoken = who[who.speaker_person_id == "yan"]
    assert len(spoken) > 0
    assert spoken.speaker.unique().tolist() == ["Yan the volunteer"]


def test_speakers_dtypes(who: pd.DataFrame) -> None:
    """Speaker and speaker_id are string[pyarrow]; speaker_kind a category of person and organization."""
    assert who.speaker.dtype == pd.StringDtype("pyarrow") and who.speaker_id.dtype == pd.StringDtype("pyarrow")
    assert isinstance(who.speaker_kind.dtype, pd.CategoricalDtype)
    assert list(who.speaker_kind.cat.categories) == [word for _, word in SPEAKER_NAME.values()]
    assert list(who.speaker_kind.cat.categories) == ["person", "organization"]


def test_speakers_all_rows_keep_non_speech_with_missing_speaker(everyone: pd.DataFrame) -> None:
    """speech_only=False keeps every quotes row unchanged; non-speech rows have no speaker, id or kind."""
    quotes = ad.load("quotes")
    pd.testing.assert_frame_equal(everyone.drop(columns=ADDED), quotes)
    speech = quotes.is_speech.astype(bool).to_numpy()
    assert (~speech).any()
    assert everyone.loc[~speech, ADDED].isna().all().all()
    assert everyone.loc[speech, ADDED].notna().all().all()


def test_speakers_agree_with_the_sql_join(who: pd.DataFrame) -> None:
    """The README's LEFT JOIN query gives the same speaker for the same quotations."""
    joined = ad.sql(WHO_SAID_WHAT)
    assert sorted(joined.quote_id) == sorted(who.quote_id)
    assert dict(zip(joined.quote_id, joined.speaker)) == dict(zip(who.quote_id, who.speaker))


def small_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    string = "string[pyarrow]"
    quotes = pd.DataFrame(
        {
            "text": ["a", "b", "c", "d", "e"],
            "quote_id": ["q1", "q2", "q3", "q4", "q5"],
            "is_speech": pd.array([True, True, False, None, True], dtype="boolean"),
            "speaker_person_id": pd.array(["ann", None, None, "ann", "ghost"], dtype=string),
            "speaker_organization_id": pd.array([None, "un", None, None, None], dtype=string),
        },
        index=[10, 20, 30, 40, 50],
    )
    people = pd.DataFrame(
        {"person_id": pd.array(["ann"], dtype=string), "name": ["Ann Smith"], "label": pd.array(["Ann"], dtype=string)}
    )
    organizations = pd.DataFrame(
        {"organization_id": pd.array(["un"], dtype=string), "name": pd.array(["United Nations"], dtype=string)}
    )
    return quotes, people, organizations


def test_speakers_function_on_small_frames() -> None:
    """On hand-made frames: columns after quote_id wherever it is, missing is_speech dropped, an unknown id has no name."""
    quotes, people, organizations = small_tables()
    out = quotes_with_speakers(quotes, people, organizations)
    assert list(out.columns) == [
        "text",
        "quote_id",
        *ADDED,
        "is_speech",
        "speaker_person_id",
        "speaker_organization_id",
    ]
    assert out.quote_id.tolist() == ["q1", "q2", "q5"] and list(out.index) == [0, 1, 2]
    assert out.speaker.tolist()[:2] == ["Ann", "United Nations"] and pd.isna(out.speaker[2])
    assert out.speaker_id.tolist() == ["ann", "un", "ghost"]
    assert out.speaker_kind.astype(str).tolist() == ["person", "organization", "person"]
    assert list(quotes.columns) == ["text", "quote_id", "is_speech", "speaker_person_id", "speaker_organization_id"]


def test_speakers_function_keeps_the_index_of_all_rows() -> None:
    """With speech_only=False every row stays, under its own index, and unspoken rows have no speaker."""
    quotes, people, organizations = small_tables()
    out = quotes_with_speakers(quotes, people, organizations, speech_only=False)
    assert list(out.index) == [10, 20, 30, 40, 50]
    assert out.speaker.tolist()[:2] == ["Ann", "United Nations"]
    assert out.speaker[40] == "Ann" and pd.isna(out.speaker[30]) and pd.isna(out.speaker_kind[30])
