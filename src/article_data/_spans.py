"""Vectorised checks that span columns equal their slices of the article.

Offsets count Unicode code points; the comparison runs on UTF-8 bytes, so its cost
grows with the bytes compared and never loops over rows in Python. Disjoint spans are
compared as Arrow slices of the article, a layer at a time; spans nested deeper are
compared byte by byte with NumPy. The code-point-to-byte map needs only the positions
of the article's few multi-byte characters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_CHUNK_BYTES = (
    1 << 18
)  # small enough to stay in cache: fresh 16 MiB index arrays cost more in page faults than the compare


class ArticleIndex:
    """The article as UTF-8 bytes plus a code-point-to-byte offset map."""

    def __init__(self, text: str, encoded: bytes | None = None) -> None:
        """Index ``text``; ``encoded`` is its UTF-8, when the caller has it already (not encoded again)."""
        self.text = text
        self.length = len(text)
        self.bytes = np.frombuffer(text.encode("utf-8") if encoded is None else encoded, dtype=np.uint8)
        self._continuation = np.flatnonzero((self.bytes & 0xC0) == 0x80)
        # The k-th continuation byte (0-based) at byte p belongs to code point p - k - 1.
        self._owners = self._continuation - np.arange(len(self._continuation)) - 1

    def byte_offsets(self, codepoints: np.ndarray) -> np.ndarray:
        """Map code point offsets (0..len) to UTF-8 byte offsets."""
        return codepoints + np.searchsorted(self._owners, codepoints, side="left")

    def positions(self, char: str) -> np.ndarray:
        """Code point offsets of every occurrence of one character in the article, ascending."""
        pattern = char.encode("utf-8")
        data = self.bytes
        # Each occurrence starts at a byte equal to the first; the others are checked only there.
        hits = np.flatnonzero(data[: max(len(data) - len(pattern) + 1, 0)] == pattern[0])
        for i, byte in enumerate(pattern[1:], 1):
            hits = hits[data[hits + i] == byte]
        return hits - np.searchsorted(self._continuation, hits, side="left")


def mismatched_rows(index: ArticleIndex, starts: Any, ends: Any, texts: Any) -> np.ndarray:
    """Return the positions of rows whose text is not ``article[start:end]``.

    ``starts`` and ``ends`` are integer arrays; ``texts`` is a pyarrow string
    array (or anything ``pyarrow.array`` accepts). Rows whose offsets fall
    outside the article, or are reversed, count as mismatched.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    arrow_texts = pa.array(texts, type=pa.large_string()) if not isinstance(texts, pa.Array) else texts
    arrow_texts = pc.cast(arrow_texts, pa.large_string()).fill_null("")
    n = len(starts)
    bad = (starts < 0) | (ends > index.length) | (starts > ends)
    safe_starts = np.where(bad, 0, starts)
    safe_ends = np.where(bad, 0, ends)
    byte_starts = index.byte_offsets(safe_starts)
    byte_ends = index.byte_offsets(safe_ends)
    text_offsets = np.frombuffer(arrow_texts.buffers()[1], dtype=np.int64)[
        arrow_texts.offset : arrow_texts.offset + n + 1
    ]
    bad |= np.diff(text_offsets) != byte_ends - byte_starts
    rows = np.flatnonzero(~bad & (byte_ends > byte_starts))  # an empty span equals its empty text
    rows = rows[np.argsort(byte_starts[rows], kind="stable")]
    # Each layer is the rows whose spans start after every earlier span ends: disjoint and in
    # order, so one offsets buffer over the article's bytes holds them all. Nested spans go to
    # the next layer; what is left after _LAYERS (spans nested deeper) is compared byte by byte.
    for _ in range(_LAYERS):
        if len(rows) == 0:
            break
        ends_before = np.maximum.accumulate(np.concatenate([[0], byte_ends[rows][:-1]]))
        fits = byte_starts[rows] >= ends_before
        bad[_differing(index, rows[fits], byte_starts, byte_ends, arrow_texts)] = True
        rows = rows[~fits]
    bad[_differing_bytes(index, rows, byte_starts, text_offsets, arrow_texts)] = True
    return np.flatnonzero(bad)


#: How many layers of disjoint spans are compared as slices; deeper nesting is compared byte by byte.
_LAYERS = 4


def _differing(index: ArticleIndex, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, texts: Any) -> np.ndarray:
    """Of ``rows`` (spans disjoint and ascending), those whose text differs from the article's bytes there."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(rows) == 0:
        return rows
    bounds = np.empty(2 * len(rows), dtype=np.int64)
    bounds[0::2], bounds[1::2] = starts[rows], ends[rows]
    # Element 2i is row i's span of the article, element 2i + 1 the gap before the next span.
    article = pa.Array.from_buffers(
        pa.large_binary(), len(bounds) - 1, [None, pa.py_buffer(bounds), pa.py_buffer(index.bytes)]
    )
    expected = article.take(pa.array(np.arange(0, len(bounds) - 1, 2, dtype=np.int64)))
    found = texts.cast(pa.large_binary()).take(pa.array(rows))
    differs: np.ndarray = rows[~np.asarray(pc.equal(expected, found), dtype=bool)]
    return differs


def _differing_bytes(
    index: ArticleIndex, rows: np.ndarray, byte_starts: np.ndarray, text_offsets: np.ndarray, texts: Any
) -> np.ndarray:
    """Of ``rows`` (any spans), those whose text differs from the article, compared in chunks of about _CHUNK_BYTES."""
    data = texts.buffers()[2]
    text_bytes = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    lengths = np.diff(text_offsets)[rows]
    # Chunk boundaries: a row ends a chunk where the bytes so far pass the next multiple of _CHUNK_BYTES.
    ends = np.cumsum(lengths)
    cuts = np.searchsorted(ends, np.arange(_CHUNK_BYTES, int(ends[-1]) if len(ends) else 0, _CHUNK_BYTES), side="left")
    differing = []
    for chunk, row_lengths in zip(np.split(rows, cuts + 1), np.split(lengths, cuts + 1), strict=True):
        total = int(row_lengths.sum())
        if total == 0:
            continue
        row_firsts = np.cumsum(row_lengths) - row_lengths
        within = np.arange(total, dtype=np.int64) - np.repeat(row_firsts, row_lengths)
        article_idx = np.repeat(byte_starts[chunk], row_lengths) + within
        text_idx = np.repeat(text_offsets[chunk], row_lengths) + within
        differs = index.bytes[article_idx] != text_bytes[text_idx]
        if not differs.any():
            continue
        nonempty = row_lengths > 0
        per_row = np.add.reduceat(differs, row_firsts[nonempty])
        differing.append(chunk[nonempty][per_row > 0])
    return np.concatenate(differing) if differing else rows[:0]
