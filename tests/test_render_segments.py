"""The page's segmentation (article_data._render.segments): overlapping spans → nested fragments → HTML."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from article_data._render.segments import RANK, Node, Span, emit, segment_tree

TEXT = "0123456789"


def span(kind: str, row_id: str, start: int, end: int, title: str = "") -> Span:
    """A span drawn as ``<span class="<kind>">``."""
    return Span(kind, row_id, start, end, "span", kind, (), title)


def fragments(node: Node, found: dict[str, list[tuple[int, int]]]) -> str:
    """Collect each span's fragments under ``node`` into ``found``; return the node's text."""
    text = ""
    for child in node.children:
        if isinstance(child, str):
            text += child
        else:
            assert node.start <= child.start < child.end <= node.end
            assert child.span is not None
            found.setdefault(child.span.row_id, []).append((child.start, child.end))
            text += fragments(child, found)
    return text


def test_segment_tree_without_spans_is_the_text() -> None:
    """With no spans the paragraph is its text, escaped."""
    assert emit(segment_tree("a < b & c", 0, 9, [])) == "a &lt; b &amp; c"


def test_segment_tree_nests_contained_span() -> None:
    """A span inside another becomes its child, and neither is split."""
    html = emit(segment_tree(TEXT, 0, 10, [span("quote", "a", 1, 8), span("mention", "b", 3, 5)]))
    assert html == (
        '0<span class="quote first last" id="quote-a">12<span class="mention first last" id="mention-b">34</span>'
        "567</span>89"
    )


def test_segment_tree_splits_crossing_spans_once() -> None:
    """Two spans that cross are nested as outer, inner, and the rest of the inner one (anchor on the first only)."""
    html = emit(segment_tree(TEXT, 0, 10, [span("quote", "a", 0, 6), span("defect", "b", 3, 9)]))
    assert html == (
        '<span class="quote first last" id="quote-a">012<span class="defect first" id="defect-b">345</span></span>'
        '<span class="defect last">678</span>9'
    )


def test_segment_tree_nests_same_extent_by_rank() -> None:
    """Spans over the same characters nest by rank: credit, quote, defect, figure, mention from outside in."""
    spans = [span(kind, kind, 2, 5) for kind in ("mention", "figure", "quote", "defect")]
    html = emit(segment_tree(TEXT, 0, 10, spans))
    assert [html.index(f'class="{k}') for k in ("quote", "defect", "figure", "mention")] == sorted(
        html.index(f'class="{k}') for k in ("quote", "defect", "figure", "mention")
    )


def test_segment_tree_puts_longer_span_outside() -> None:
    """Of two spans opening at the same offset, the longer one wraps the shorter whatever their ranks."""
    html = emit(segment_tree(TEXT, 0, 10, [span("mention", "long", 0, 8), span("quote", "short", 0, 3)]))
    assert html.startswith('<span class="mention first last" id="mention-long"><span class="quote first last"')


def test_segment_tree_drops_empty_and_outside_spans() -> None:
    """Empty spans and spans outside the paragraph produce no element; spans over its edge are clipped."""
    spans = [span("quote", "empty", 4, 4), span("defect", "before", 0, 2), span("figure", "over", 3, 7)]
    html = emit(segment_tree(TEXT, 2, 6, spans))
    assert html == '2<span class="figure first" id="figure-over">345</span>'


def test_emit_titles_add_the_context_of_enclosing_spans() -> None:
    """An inner fragment's title is its own line, then the titles of the spans around it."""
    html = emit(
        segment_tree(TEXT, 0, 10, [span("quote", "a", 0, 9, "Yan — quote"), span("mention", "b", 2, 4, "Kyiv")])
    )
    assert 'id="mention-b" tabindex="0" title="Kyiv\nYan — quote"' in html


def test_emit_escapes_text_and_attributes() -> None:
    """Text and attribute values are escaped, so markup in the data never becomes HTML."""
    hostile = Span("quote", '"x', 0, 3, "span", 'q"><b', (("data-note", "<i>"),), "<script>")
    html = emit(segment_tree("<b>", 0, 3, [hostile]))
    assert html == (
        '<span class="q&quot;&gt;&lt;b first last" id="quote-&quot;x" data-note="&lt;i&gt;" tabindex="0" '
        'title="&lt;script&gt;">&lt;b&gt;</span>'
    )


def test_emit_makes_first_fragment_of_titled_span_focusable() -> None:
    """Only the first fragment of a span with a title gets tabindex="0"; links and untitled spans get none."""
    spans = [
        span("quote", "a", 0, 6, "Yan"),
        span("defect", "b", 3, 9, "typo"),
        span("figure", "c", 7, 8),
        Span("mention", "d", 8, 10, "a", "m", (("href", "#entity-kyiv"),), "Kyiv"),
    ]
    html = emit(segment_tree(TEXT, 0, 10, spans))
    assert html.count('tabindex="0"') == 2
    assert 'id="quote-a" tabindex="0"' in html and 'id="defect-b" tabindex="0"' in html
    assert '<span class="defect last" title="typo">' in html and 'id="figure-c" title="typo">' in html


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12), st.sampled_from(sorted(RANK))), max_size=12))
@settings(max_examples=300, deadline=None)
def test_segment_tree_covers_each_span_exactly(raw: list[tuple[int, int, str]]) -> None:
    """The fragments of every non-empty span tile its extent exactly, the text survives, and uncrossed spans stay whole."""
    text = "abcdefghijklmnopqrstuvwxyz0123456789"
    spans = [span(kind, f"s{i}", a, min(a + n, len(text))) for i, (a, n, kind) in enumerate(raw)]
    root = segment_tree(text, 0, len(text), spans)
    found: dict[str, list[tuple[int, int]]] = {}
    assert fragments(root, found) == text
    for each in spans:
        if each.start == each.end:
            assert each.row_id not in found
            continue
        pieces = sorted(found[each.row_id])
        assert pieces[0][0] == each.start and pieces[-1][1] == each.end
        assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces)), pieces
        crossed = any(o.start < each.start < o.end < each.end or each.start < o.start < each.end < o.end for o in spans)
        if not crossed:
            assert len(pieces) == 1, (each, pieces)
