"""Overlapping spans → a tree of nested fragments → HTML.

Spans overlap and nest (an indirect quotation holds a partial one, mentions and
figures lie inside quotations, defects overlap anything), so a paragraph is cut
at every span boundary and rebuilt as a tree of elements; a span that crosses
another's end is split into fragments that share its ``data-*-id``. Only the
first fragment carries the ``id`` anchor (``quote-q01``, ``mention-m0022``, ...).

>>> spans = [Span("quote", "a", 0, 6, "span", "q", (), ""), Span("defect", "b", 3, 9, "span", "d", (), "")]
>>> emit(segment_tree("0123456789", 0, 10, spans))
'<span class="q first last" id="quote-a">012<span class="d first" id="defect-b">345</span></span><span class="d last">678</span>9'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .._errors import ArticleDataError
from .markup import AttrValue, Markup, attrs, escape

__all__ = ["MAX_DEPTH", "RANK", "Node", "Span", "emit", "segment_tree"]

#: The deepest nesting of spans a page draws (the real package nests at most 4 deep): past it the
#: input is refused, so no loop or recursion runs as deep as a hostile package says.
MAX_DEPTH = 24

#: Nesting order for spans with the same extent: lower ranks wrap higher ones.
RANK = {"credit": 0, "quote": 1, "defect": 2, "figure": 3, "mention": 4}


@dataclass(frozen=True)
class Span:
    """One annotation over ``[start, end)`` and how to draw it."""

    kind: str
    row_id: str
    start: int
    end: int
    tag: str
    classes: str
    attrs: tuple[tuple[str, str], ...]
    title: str

    @property
    def rank(self) -> int:
        return RANK[self.kind]


@dataclass
class Node:
    """A fragment of a span (or the paragraph root) holding text and child fragments."""

    span: Span | None
    start: int
    end: int = -1
    children: list[Node | str] = field(default_factory=list)


def segment_tree(text: str, start: int, end: int, spans: Sequence[Span]) -> Node:
    """Nest the spans over ``text[start:end]``, splitting those that cross another's end.

    Spans opening at the same offset nest longest-outermost, then by rank. When a
    span ends while spans opened after it are still open, those are closed with
    it and reopened as new fragments. Spans outside the range, or empty, are left out.
    """
    clipped = [s for s in spans if max(s.start, start) < min(s.end, end)]
    bounds = sorted({start, end} | {max(s.start, start) for s in clipped} | {min(s.end, end) for s in clipped})
    opening: dict[int, list[Span]] = {}
    for span in clipped:
        opening.setdefault(max(span.start, start), []).append(span)
    root = Node(None, start)
    stack: list[Node] = [root]

    def order(span: Span) -> tuple[int, int, int, str]:
        return (-min(span.end, end), span.rank, span.start, span.row_id)

    for index, pos in enumerate(bounds):
        ending = [i for i, node in enumerate(stack) if node.span is not None and min(node.span.end, end) <= pos]
        reopen: list[Span] = []
        if ending:
            low = min(ending)
            for node in stack[low:]:
                node.end = pos
                if node.span is not None and min(node.span.end, end) > pos:
                    reopen.append(node.span)
            del stack[low:]
        for span in sorted(reopen + opening.get(pos, []), key=order):
            node = Node(span, pos)
            stack[-1].children.append(node)
            stack.append(node)
        if len(stack) > MAX_DEPTH + 1:
            raise ArticleDataError(
                f"spans nest {len(stack) - 1} deep at offset {pos}; a page draws at most "
                f"{MAX_DEPTH} (the package nests a few: a quotation, a mention, a figure)"
            )
        if index + 1 < len(bounds):
            stack[-1].children.append(text[pos : bounds[index + 1]])
    root.end = end
    return root


def _open_tag(node: Node, span: Span, context: tuple[str, ...]) -> Markup:
    """The start tag of a fragment: classes ``first``/``last``, the anchor on the first, the title.

    The first fragment of a span with a title is focusable, so its details reach
    keyboard users as well as the mouse (the page's script shows the title on focus).
    """
    first = node.start == span.start
    last = node.end == span.end
    pairs: list[tuple[str, AttrValue]] = [
        ("class", span.classes + (" first" if first else "") + (" last" if last else ""))
    ]
    if first and span.kind != "credit":
        pairs.append(("id", f"{span.kind}-{span.row_id}"))
    pairs.extend(span.attrs)
    if first and span.title and span.tag != "a":
        pairs.append(("tabindex", "0"))  # links are focusable already; the details show on focus
    if context:
        pairs.append(("title", "\n".join(context)))
    return Markup(f"<{span.tag}{attrs(pairs)}>")


def _emit(node: Node, context: tuple[str, ...], out: list[str]) -> None:
    span = node.span
    inner_context = context
    if span is not None:
        inner_context = (span.title, *context) if span.title else context
        out.append(_open_tag(node, span, inner_context))
    for child in node.children:
        if isinstance(child, str):
            out.append(escape(child))
        else:
            _emit(child, inner_context, out)
    if span is not None:
        out.append(f"</{span.tag}>")


def emit(root: Node) -> Markup:
    """The HTML of a fragment tree; each element's title adds those of the spans around it."""
    out: list[str] = []
    _emit(root, (), out)
    return Markup("".join(out))
