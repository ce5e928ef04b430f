"""The vectorised span check: code point to byte offsets, and rows whose text is not their slice."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import article_data as ad
from article_data import _spans
from article_data._spans import ArticleIndex, mismatched_rows

#: 1-, 2-, 3- and 4-byte UTF-8 characters, next to each other and at both ends.
SYNTHETIC = "\U0001f600a\u00e9b\u20acc\U0001f680\u00e9\u00e9\u20ac d\U0001f4a9 \u201cq\u201d \u00fc\U0001f600"


def expected_offsets(text: str) -> list[int]:
    return [len(text[:i].encode("utf-8")) for i in range(len(text) + 1)]


def python_mismatches(text: str, starts: list[int], ends: list[int], texts: list[str | None]) -> list[int]:
    """The reference answer, one row at a time in Python."""
    bad = []
    for row, (start, end, value) in enumerate(zip(starts, ends, texts)):
        if start < 0 or end > len(text) or start > end or text[start:end] != (value or ""):
            bad.append(row)
    return bad


def random_rows(text: str, rng: random.Random, count: int) -> tuple[list[int], list[int], list[str | None]]:
    """Spans of text, most correct, some altered, out of range, reversed, empty or null."""
    starts, ends, texts = [], [], []
    for _ in range(count):
        start = rng.randrange(0, len(text) + 1)
        end = rng.randrange(start, min(len(text), start + 40) + 1)
        value: str | None = text[start:end]
        fault = rng.random()
        if fault < 0.1 and value:
            cut = rng.randrange(len(value))
            replacement = "x" if value[cut] != "x" else "y"
            value = value[:cut] + replacement + value[cut + 1 :]
        elif fault < 0.15:
            start, end = end + 1, start  # reversed
        elif fault < 0.2:
            end = len(text) + rng.randrange(1, 5)  # past the end
        elif fault < 0.25:
            start = -rng.randrange(1, 5)
        elif fault < 0.3:
            end = start
            value = "" if rng.random() < 0.5 else None
        elif fault < 0.33 and value:
            value = value[:-1]  # one character short
        starts.append(start)
        ends.append(end)
        texts.append(value)
    return starts, ends, texts


def test_byte_offsets_match_python_encoding_for_the_article() -> None:
    """Every code point offset of the article, 0..len, maps to the length of its UTF-8 prefix."""
    text = ad.article_text()
    assert len(text.encode("utf-8")) > len(text), "the article should hold multi-byte characters"
    index = ArticleIndex(text)
    got = index.byte_offsets(np.arange(len(text) + 1, dtype=np.int64))
    assert got.tolist() == expected_offsets(text)


def test_byte_offsets_match_python_encoding_for_2_3_and_4_byte_characters() -> None:
    """A text mixing 1- to 4-byte characters maps every offset, including both ends, like Python does."""
    assert {len(c.encode("utf-8")) for c in SYNTHETIC} == {1, 2, 3, 4}
    index = ArticleIndex(SYNTHETIC)
    assert index.length == len(SYNTHETIC)
    assert index.bytes.tobytes() == SYNTHETIC.encode("utf-8")
    got = index.byte_offsets(np.arange(len(SYNTHETIC) + 1, dtype=np.int64))
    assert got.tolist() == expected_offsets(SYNTHETIC)
    shuffled = np.array([len(SYNTHETIC), 0, 3, 1, 3], dtype=np.int64)
    assert index.byte_offsets(shuffled).tolist() == [expected_offsets(SYNTHETIC)[i] for i in shuffled]


def test_byte_offsets_of_ascii_and_empty_text_are_the_identity() -> None:
    """Without multi-byte characters a code point offset is its byte offset; an empty text maps 0 to 0."""
    assert ArticleIndex("plain ascii").byte_offsets(np.arange(12)).tolist() == list(range(12))
    assert ArticleIndex("").byte_offsets(np.array([0])).tolist() == [0]


def test_mismatched_rows_accepts_every_published_span() -> None:
    """The published quotes, mentions and figures all equal their slices of the article."""
    index = ArticleIndex(ad.article_text())
    for table in ("paragraphs", "quotes", "mentions", "figures", "defects"):
        frame = ad.load(table)
        found = mismatched_rows(
            index, frame.char_start.to_numpy(), frame.char_end.to_numpy(), pa.array(frame.text.array, type=pa.string())
        )
        assert found.tolist() == [], table


def test_mismatched_rows_finds_exactly_the_altered_rows() -> None:
    """Rows whose text differs from the slice, by one byte of a multi-byte character or one character, are found."""
    text = SYNTHETIC
    starts = [0, 0, 1, 2, 4, 6, 0]
    ends = [1, 1, 4, 5, 9, 10, len(text)]
    texts = [
        text[0:1],
        "\U0001f601",
        text[1:4],
        text[2:5].replace("\u20ac", "\u20ad"),
        text[4:9],
        text[6:9] + "d",
        text,
    ]
    assert mismatched_rows(ArticleIndex(text), starts, ends, texts).tolist() == [1, 3, 5]


def test_mismatched_rows_counts_out_of_range_and_reversed_rows() -> None:
    """A negative start, an end past the text and a start after the end are mismatches, whatever the text."""
    text = SYNTHETIC
    index = ArticleIndex(text)
    starts = [-1, 0, 5, 3, len(text)]
    ends = [2, len(text) + 1, 4, 3, len(text)]
    texts = [text[0:2], text, "", "", ""]
    assert mismatched_rows(index, starts, ends, texts).tolist() == [0, 1, 2]


def test_mismatched_rows_treats_empty_and_null_texts_as_empty_spans() -> None:
    """An empty or null text matches an empty span and mismatches a non-empty one."""
    index = ArticleIndex(SYNTHETIC)
    texts = pa.array(["", None, "", None, SYNTHETIC[0]], type=pa.string())
    assert mismatched_rows(index, [3, 0, 2, 4, 0], [3, 0, 4, 5, 1], texts).tolist() == [2, 3]
    assert mismatched_rows(index, [], [], pa.array([], type=pa.string())).tolist() == []


def test_mismatched_rows_reads_a_sliced_arrow_array_from_its_offset() -> None:
    """A pyarrow array that is a slice of a bigger one is compared from its own first row."""
    text = SYNTHETIC
    whole = pa.array(["junk", "\U0001f4a9\U0001f4a9", text[0:3], text[5:8], "no"], type=pa.large_string())
    sliced = whole.slice(2, 3)
    assert sliced.offset == 2
    assert mismatched_rows(ArticleIndex(text), [0, 5, 8], [3, 8, 10], sliced).tolist() == [2]


def test_mismatched_rows_agrees_with_python_on_random_rows() -> None:
    """On hundreds of seeded random rows the vectorised answer equals a row-by-row Python comparison."""
    text = ad.article_text()
    starts, ends, texts = random_rows(text, random.Random(20220408), 600)
    expected = python_mismatches(text, starts, ends, texts)
    assert 30 < len(expected) < 400, "the random rows should mix matches and mismatches"
    assert mismatched_rows(ArticleIndex(text), starts, ends, texts).tolist() == expected


@pytest.mark.parametrize("chunk_bytes", [1, 7, 64])
def test_mismatched_rows_gives_the_same_answer_in_many_chunks(chunk_bytes: int) -> None:
    """With a tiny chunk size the rows are compared in many chunks, and the answer equals the one-chunk answer."""
    for text, seed in ((ad.article_text(), 1), (SYNTHETIC * 20, 2)):
        starts, ends, texts = random_rows(text, random.Random(seed), 500)
        index = ArticleIndex(text)
        one_chunk = mismatched_rows(index, starts, ends, texts)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_spans, "_CHUNK_BYTES", chunk_bytes)
            patch.setattr(_spans, "_LAYERS", 0)  # every row byte by byte
            many_chunks = mismatched_rows(index, starts, ends, texts)
        assert one_chunk.tolist() == python_mismatches(text, starts, ends, texts)
        assert many_chunks.tolist() == one_chunk.tolist()
        total = sum(len((t or "").encode()) for t in texts)
        assert total > 20 * chunk_bytes, "the rows should need many chunks"


def test_mismatched_rows_finds_mismatches_in_later_chunks() -> None:
    """With 7-byte chunks a mismatch in the last rows, after empty rows and rows longer than a chunk, is found."""
    text = ad.article_text()
    spans = [(i * 7, i * 7 + 5) for i in range(300)]
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    texts: list[str | None] = [text[s:e] for s, e in spans]
    starts += [10, 10, 100, 200, 300]
    ends += [10, 60, 160, 230, 305]
    texts += ["", text[10:60], text[100:160], text[200:230], text[300:305]]
    # Faults only well past the first chunks: the last byte of a long row, a middle row, the very last row.
    texts[150] = texts[150][:-1] + "#"  # type: ignore[index]
    texts[302] = text[100:159] + "#"
    texts[304] = "#" + text[301:305]
    for row in (150, 302, 304):  # same byte length: only the content comparison can catch them
        assert len(texts[row].encode()) == len(text[starts[row] : ends[row]].encode())  # type: ignore[union-attr]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_spans, "_CHUNK_BYTES", 7)
        patch.setattr(_spans, "_LAYERS", 0)
        found = mismatched_rows(ArticleIndex(text), starts, ends, texts)
    assert found.tolist() == [150, 302, 304]


def test_mismatched_rows_survives_chunks_of_only_empty_rows() -> None:
    """A chunk whose rows are all empty is skipped, and the rows after it are still compared."""
    text = SYNTHETIC
    starts = [0] * 10 + [0, 2]
    ends = [0] * 10 + [2, 4]
    texts = [""] * 10 + [text[0:2], "zzz"]
    assert len(texts[-1].encode()) == len(text[2:4].encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_spans, "_CHUNK_BYTES", 1)
        patch.setattr(_spans, "_LAYERS", 0)
        assert mismatched_rows(ArticleIndex(text), starts, ends, texts).tolist() == [11]


def test_mismatched_rows_accepts_a_chunked_arrow_column() -> None:
    """A table column (a pyarrow ChunkedArray, which pyarrow.array accepts) is compared like a plain array."""
    table = pq.read_table(ad.path("quotes", format="parquet"))
    halves = pa.chunked_array([table.column("text").combine_chunks()[:10], table.column("text").combine_chunks()[10:]])
    assert isinstance(halves, pa.ChunkedArray) and halves.num_chunks == 2
    assert pa.array(halves).to_pylist() == halves.to_pylist()  # the docstring's "anything pyarrow.array accepts"
    starts = table.column("char_start").to_numpy()
    ends = table.column("char_end").to_numpy()
    index = ArticleIndex(ad.article_text())
    assert mismatched_rows(index, starts, ends, halves).tolist() == []
    spoiled = pa.chunked_array([halves.chunk(0), pa.array(["?" + t[1:] for t in halves.chunk(1).to_pylist()])])
    assert mismatched_rows(index, starts, ends, spoiled).tolist() == list(range(10, len(starts)))


@st.composite
def nested_rows(draw: st.DrawFn) -> tuple[str, list[int], list[int], list[str | None]]:
    """Spans over a short text, so that they nest and overlap deeply; some texts altered, some offsets wrong."""
    text = draw(st.text(st.sampled_from("ab\u00e9\u20ac\U0001f600\n"), min_size=0, max_size=12))
    count = draw(st.integers(0, 30))
    starts, ends, texts = [], [], []
    for _ in range(count):
        start = draw(st.integers(-1, len(text) + 1))
        end = draw(st.integers(-1, len(text) + 1))
        value = text[start:end] if 0 <= start <= end <= len(text) else draw(st.text(max_size=3))
        if draw(st.integers(0, 5)) == 0:
            value = draw(st.one_of(st.none(), st.text(st.sampled_from("ab\u00e9"), max_size=4)))
        starts.append(start)
        ends.append(end)
        texts.append(value)
    return text, starts, ends, texts


@settings(max_examples=400, deadline=None)
@given(nested_rows(), st.sampled_from([0, 1, 4]), st.sampled_from([1, 5, 1 << 18]))
def test_mismatched_rows_agrees_with_python_for_nested_spans_layers_and_chunks(
    case: tuple[str, list[int], list[int], list[str | None]], layers: int, chunk_bytes: int
) -> None:
    """Whatever the nesting, the number of slice layers and the chunk size, the answer is Python's, row by row."""
    text, starts, ends, texts = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_spans, "_LAYERS", layers)
        patch.setattr(_spans, "_CHUNK_BYTES", chunk_bytes)
        found = mismatched_rows(ArticleIndex(text), starts, ends, pa.array(texts, type=pa.string()))
    assert found.tolist() == python_mismatches(text, starts, ends, texts)


@given(
    st.text(st.sampled_from("a\u00e9\u201c\u201d\U0001f600\n"), max_size=40),
    st.sampled_from("a\u201c\u201d\n\U0001f600"),
)
def test_positions_are_the_code_point_offsets_python_finds(text: str, char: str) -> None:
    """Every occurrence of a character, as Python counts offsets."""
    assert ArticleIndex(text).positions(char).tolist() == [i for i, c in enumerate(text) if c == char]
