"""Finding an annotated string in the article: its offsets and its paragraph."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .inputs import Inputs, Row, where

__all__ = ["MAX_HITS", "Article", "Span", "locate"]

#: How many occurrences of the annotated strings the build looks at in all (a cap on the work a hostile input buys).
MAX_HITS = 2_000_000

#: (char_start, char_end, paragraph_id) of a located string.
Span = tuple[int, int, str]


@dataclass
class Article:
    """The text and its paragraphs (the non-empty lines, in text order), as the paragraphs table has them."""

    text: str
    paragraphs: list[Row]
    hits: int = 0  # occurrences looked at so far, capped by MAX_HITS
    _by_id: dict[str, Row] = field(init=False, repr=False)
    _starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {p["paragraph_id"]: p for p in self.paragraphs}
        self._starts = [p["char_start"] for p in self.paragraphs]

    def paragraph(self, pid: object) -> Row | None:
        return self._by_id.get(pid) if isinstance(pid, str) else None

    def containing(self, start: int, end: int) -> Row | None:
        at = bisect.bisect_right(self._starts, start) - 1
        para = self.paragraphs[at] if at >= 0 else None
        return para if para is not None and end <= para["char_end"] else None


def locate(inputs: Inputs, article: Article, row: Row, key: str = "text") -> Span | None:
    """Find row[key] in the article (inside row['paragraph'] if given), or record why not."""
    needle = row.get(key)
    if not isinstance(needle, str) or not needle:
        inputs.problem(*where(row), f"{key!r} must be a non-empty string, found {needle!r:.60}")
        return None
    lo, hi = 0, len(article.text)
    pid = row.get("paragraph")
    if pid is not None:
        para = article.paragraph(pid)
        if para is None:
            inputs.problem(*where(row), f"unknown paragraph {pid!r}; expected p01..p{len(article.paragraphs):02d}")
            return None
        lo, hi = para["char_start"], para["char_end"]
    hits = []
    at = article.text.find(needle, lo, hi)
    while at != -1:
        hits.append(at)
        article.hits += 1
        if article.hits > MAX_HITS:
            inputs.problem(
                *where(row),
                f"the annotated strings occur more than {MAX_HITS} times in the article in all, "
                "over the build's cap (SECURITY.md, 'The build's inputs')",
            )
            return None
        at = article.text.find(needle, at + 1, hi)
    scope = f"paragraph {pid}" if pid else "the article"
    occurrence = row.get("occurrence")
    if not hits:
        inputs.problem(
            *where(row), f"{key} {needle!r:.80} not found in {scope}; copy it exactly from annotations/article.txt"
        )
        return None
    if occurrence is None:
        if len(hits) > 1:
            inputs.problem(
                *where(row),
                f"{key} {needle!r:.80} occurs {len(hits)} times in {scope} (offsets {hits[:8]}); "
                "add `occurrence: N` (1-based) or `paragraph:` to choose one",
            )
            return None
        start = hits[0]
    elif not isinstance(occurrence, int) or isinstance(occurrence, bool) or not 1 <= occurrence <= len(hits):
        inputs.problem(
            *where(row),
            f"occurrence {occurrence!r} is out of range: {needle!r:.60} occurs {len(hits)} time(s) in {scope}",
        )
        return None
    else:
        start = hits[occurrence - 1]
    end = start + len(needle)
    para = article.containing(start, end)
    if para is None:
        inputs.problem(*where(row), f"{key} {needle!r:.60} crosses a line break; a span must lie inside one paragraph")
        return None
    return start, end, para["paragraph_id"]
