"""Vectorised checks that span columns equal their slices of the article.

Offsets count Unicode code points; the comparison runs on UTF-8 bytes with
NumPy, so its cost grows with the bytes compared and never loops over rows in
Python. The code-point-to-byte map needs only the positions of the article's
few multi-byte characters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_CHUNK_BYTES = 1 << 24


class ArticleIndex:
    """The article as UTF-8 bytes plus a code-point-to-byte offset map."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.bytes = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        continuation = np.flatnonzero((self.bytes & 0xC0) == 0x80)
        # The k-th continuation byte (0-based) at byte p belongs to code point p - k - 1.
        self._owners = continuation - np.arange(len(continuation)) - 1

    def byte_offsets(self, codepoints: np.ndarray) -> np.ndarray:
        """Map code point offsets (0..len) to UTF-8 byte offsets."""
        return codepoints + np.searchsorted(self._owners, codepoints, side="left")


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
    offsets_buffer = arrow_texts.buffers()[1]
    text_offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[arrow_texts.offset : arrow_texts.offset + n + 1]
    data_buffer = arrow_texts.buffers()[2]
    text_bytes = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    text_lengths = np.diff(text_offsets)
    span_lengths = byte_ends - byte_starts
    bad |= text_lengths != span_lengths
    candidates = np.flatnonzero(~bad)
    # Compare contents in chunks of rows whose bytes add up to about _CHUNK_BYTES.
    position = 0
    while position < len(candidates):
        lengths = text_lengths[candidates[position:]]
        cumulative = np.cumsum(lengths)
        stop = max(1, int(np.searchsorted(cumulative, _CHUNK_BYTES, side="right")))
        rows = candidates[position : position + stop]
        position += stop
        row_lengths = text_lengths[rows]
        total = int(row_lengths.sum())
        if total == 0:
            continue
        row_firsts = np.cumsum(row_lengths) - row_lengths
        if rows[-1] - rows[0] + 1 == len(rows):
            # Consecutive rows (the usual case): their texts are one slice of the text buffer,
            # and each byte's article position is its buffer position plus its row's shift.
            first, last = text_offsets[rows[0]], text_offsets[rows[-1] + 1]
            shift = np.repeat(byte_starts[rows] - text_offsets[rows], row_lengths)
            differs = index.bytes[np.arange(first, last, dtype=np.int64) + shift] != text_bytes[first:last]
        else:
            within = np.arange(total, dtype=np.int64) - np.repeat(row_firsts, row_lengths)
            article_idx = np.repeat(byte_starts[rows], row_lengths) + within
            text_idx = np.repeat(text_offsets[rows], row_lengths) + within
            differs = index.bytes[article_idx] != text_bytes[text_idx]
        if differs.any():
            nonempty = row_lengths > 0
            per_row = np.add.reduceat(differs, row_firsts[nonempty])
            bad[rows[nonempty][per_row > 0]] = True
    return np.flatnonzero(bad)
