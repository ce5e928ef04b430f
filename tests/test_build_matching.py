"""Mention matching (article_data_build.matching): what a per-form regex finds, in one linear scan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from article_data_build.matching import longest_first, whole_word_starts
from bounded import GIB, run_bounded

alphabet = st.sampled_from(list("ab yK-'é_1"))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet, max_size=60),
    forms=st.lists(st.text(alphabet, min_size=1, max_size=5), unique=True, max_size=8),
)
def test_whole_word_starts_equal_the_regex_per_form(text: str, forms: list[str]) -> None:
    """For any text and forms, the one scan finds exactly the starts re.finditer finds for each form."""
    expected = [[m.start() for m in re.finditer(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text)] for f in forms]
    assert whole_word_starts(text, forms) == expected


@settings(max_examples=300, deadline=None)
@given(
    spans=st.lists(
        st.tuples(st.integers(0, 30), st.integers(1, 8)).map(lambda t: (t[0], t[0] + t[1])), unique=True, max_size=20
    )
)
def test_longest_first_equals_the_quadratic_choice(spans: list[tuple[int, int]]) -> None:
    """The mask-based choice keeps the same spans as comparing each candidate with every kept one."""
    chosen: list[tuple[int, int]] = []
    for cand in sorted(spans, key=lambda c: (c[0] - c[1], c[0])):
        if all(cand[1] <= c[0] or c[1] <= cand[0] for c in chosen):
            chosen.append(cand)
    assert sorted(spans[i] for i in longest_first(spans, 40)) == sorted(chosen)


def test_a_line_of_forty_thousand_names_is_matched_in_seconds() -> None:
    """'Kyiv ' x 40,000 (80 s when each candidate was compared with every chosen one) takes seconds, bounded memory."""

    def work() -> int:
        text = "Kyiv " * 40_000
        starts = whole_word_starts(text, ["Kyiv", "Kyiv Kyiv", "yiv"])
        kept = longest_first([(s, s + n) for form, n in ((0, 4), (1, 9)) for s in starts[form]], len(text))
        return 0 if len(kept) == 20_000 and starts[2] == [] else 3

    done = run_bounded(work, memory_bytes=3 * GIB // 2, timeout=20)
    assert done.returncode == 0 and not done.timed_out, done.stderr
    assert done.seconds < 20
