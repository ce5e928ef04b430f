"""Every whole-word occurrence of many strings in a text, in one scan (Aho-Corasick), and the longest-first choice.

A contributor controls both the text and the mention forms, so the matching must
not rescan the text once per form, nor compare each candidate with every chosen
mention. :func:`whole_word_starts` walks the text once through a trie of the forms
(time linear in the text, the forms and the occurrences, which are capped);
:func:`longest_first` keeps the longest candidates that overlap nothing chosen
before them, in time linear in the text and the candidates.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence

from .errors import BuildError

__all__ = ["MAX_FORM_CHARS", "MAX_OCCURRENCES", "longest_first", "whole_word_starts"]

#: Caps on the mention forms: their total length, and their occurrences in the text (overlapping ones included).
MAX_FORM_CHARS = 100_000
MAX_OCCURRENCES = 2_000_000
_WORD = re.compile(r"\w")


def _trie(forms: Sequence[str]) -> tuple[list[dict[str, int]], list[int], list[int], list[int]]:
    """The goto table, the form ending at each node (-1: none), the failure and the output links."""
    goto: list[dict[str, int]] = [{}]
    ends = [-1]
    for index, form in enumerate(forms):
        node = 0
        for char in form:
            child = goto[node].get(char)
            if child is None:
                child = len(goto)
                goto[node][char] = child
                goto.append({})
                ends.append(-1)
            node = child
        ends[node] = index
    fail, output = [0] * len(goto), [-1] * len(goto)
    queue = deque(goto[0].values())
    while queue:
        node = queue.popleft()
        for char, child in goto[node].items():
            back = fail[node]
            while back and char not in goto[back]:
                back = fail[back]
            target = goto[back].get(char, 0)
            fail[child] = target if target != child else 0
            output[child] = fail[child] if ends[fail[child]] >= 0 else output[fail[child]]
            queue.append(child)
    return goto, ends, fail, output


def whole_word_starts(text: str, forms: Sequence[str]) -> list[list[int]]:
    r"""Per form, the starts ``re.finditer(r"(?<!\w)FORM(?!\w)", text)`` gives (non-empty, distinct forms)."""
    if sum(map(len, forms)) > MAX_FORM_CHARS:
        raise BuildError(
            f"the mention forms have {sum(map(len, forms))} characters in all, over the build's cap of "
            f"{MAX_FORM_CHARS} (SECURITY.md, 'The build's inputs')"
        )
    goto, ends, fail, output = _trie(forms)
    starts: list[list[int]] = [[] for _ in forms]
    free = [0] * len(forms)  # where the next occurrence of each form may start (finditer does not overlap)
    seen = 0
    node = 0
    for position, char in enumerate(text):
        while node and char not in goto[node]:
            node = fail[node]
        node = goto[node].get(char, 0)
        hit = node if ends[node] >= 0 else output[node]
        end = position + 1
        while hit > 0:
            seen += 1
            if seen > MAX_OCCURRENCES:
                raise BuildError(
                    f"the mention forms occur more than {MAX_OCCURRENCES} times in the text (overlapping "
                    "occurrences counted), over the build's cap (SECURITY.md, 'The build's inputs')"
                )
            index = ends[hit]
            start = end - len(forms[index])
            if (
                start >= free[index]
                and not (start and _WORD.match(text[start - 1]))
                and not (end < len(text) and _WORD.match(text[end]))
            ):
                starts[index].append(start)
                free[index] = end
            hit = output[hit]
    return starts


def longest_first(spans: list[tuple[int, int]], size: int) -> list[int]:
    """The indexes of the spans kept, longest first (then leftmost), each overlapping no span kept before it.

    A span kept earlier is at least as long as the one being tried, so if they overlap
    it covers the tried span's first or last character: two lookups in a mask of the
    text, instead of a comparison with every kept span.
    """
    taken = bytearray(size + 1)
    kept = []
    for index in sorted(range(len(spans)), key=lambda i: (spans[i][0] - spans[i][1], spans[i][0])):
        start, end = spans[index]
        if not taken[start] and not taken[end - 1]:
            taken[start:end] = b"\x01" * (end - start)
            kept.append(index)
    return kept
