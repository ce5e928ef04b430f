"""Who said what: a quotation's speaker resolved across people and organizations."""

from __future__ import annotations

from ._vocabulary import ENTITY_ID_COLUMNS, ENTITY_TYPES, SPEAKER_COLUMNS

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SPEAKER_NAME", "quotes_with_speakers"]

#: Entity table -> (the column giving a speaker's display name, the kind word).
SPEAKER_NAME: dict[str, tuple[str, str]] = {
    "people": ("label", ENTITY_TYPES["people"]),
    "organizations": ("name", ENTITY_TYPES["organizations"]),
}


def quotes_with_speakers(
    quotes: pd.DataFrame, people: pd.DataFrame, organizations: pd.DataFrame, *, speech_only: bool = True
) -> pd.DataFrame:
    """``quotes`` with ``speaker``, ``speaker_id`` and ``speaker_kind`` after ``quote_id``."""
    import pandas as pd

    tables = {"people": people, "organizations": organizations}
    speaker = pd.Series(pd.NA, index=quotes.index, dtype="string[pyarrow]")
    speaker_id = pd.Series(pd.NA, index=quotes.index, dtype="string[pyarrow]")
    kind = pd.Series(pd.NA, index=quotes.index, dtype="string[pyarrow]")
    for table, column in SPEAKER_COLUMNS.items():
        name_column, word = SPEAKER_NAME[table]
        names = tables[table].set_index(ENTITY_ID_COLUMNS[table])[name_column]
        ids = quotes[column]
        found = ids.notna()
        speaker = speaker.mask(found, ids.map(names).astype("string[pyarrow]"))
        speaker_id = speaker_id.mask(found, ids)
        kind = kind.mask(found, word)
    kinds = pd.CategoricalDtype([SPEAKER_NAME[t][1] for t in SPEAKER_COLUMNS])
    out = quotes.copy()
    position = list(out.columns).index("quote_id") + 1
    for offset, (name, values) in enumerate(
        (("speaker", speaker), ("speaker_id", speaker_id), ("speaker_kind", kind.astype(kinds)))
    ):
        out.insert(position + offset, name, values)
    if speech_only:
        out = out[out["is_speech"].fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
    return out
