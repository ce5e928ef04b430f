"""Escaping HTML builders: every text and attribute value is escaped, once.

Text is escaped unless it is :class:`Markup`, the type every builder here
returns, so an element can hold other elements without double escaping:

>>> element("p", "a < b ", element("strong", "& c"), class_="note")
'<p class="note">a &lt; b <strong>&amp; c</strong></p>'
>>> attrs([("data-id", 'x"y')], hidden=True, title=None)
' data-id="x&quot;y" hidden'
"""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["AttrValue", "Markup", "attrs", "element", "escape", "join", "void"]

#: An attribute's value: text (escaped), True for a bare attribute, None or False to leave it out.
AttrValue = str | int | bool | None


class Markup(str):
    """A string of HTML that is already escaped; the builders insert it as is."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """Escape text for HTML (``&``, ``<``, ``>``, both quotes); :class:`Markup` passes unchanged."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def _name(keyword: str) -> str:
    # class_ -> class, data_quote_id -> data-quote-id, aria_hidden -> aria-hidden
    return keyword.rstrip("_").replace("_", "-")


def attrs(pairs: Iterable[tuple[str, AttrValue]] = (), /, **named: AttrValue) -> Markup:
    """The attributes as `` name="value"`` each, in order: ``pairs`` first, then the keywords."""
    out: list[str] = []
    for name, value in [*pairs, *((_name(k), v) for k, v in named.items())]:
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{html.escape(str(value), quote=True)}"')
    return Markup("".join(out))


def join(parts: Iterable[object], separator: str = "") -> Markup:
    """Escape each part that is not :class:`Markup` and join them."""
    return Markup(escape(separator).join(escape(part) for part in parts))


def element(
    tag: str, /, *content: object, attributes: Iterable[tuple[str, AttrValue]] = (), **named: AttrValue
) -> Markup:
    """``<tag attributes>content</tag>``; keyword ``class_`` gives ``class``, ``data_x`` gives ``data-x``."""
    return Markup(f"<{tag}{attrs(attributes, **named)}>{join(content)}</{tag}>")


def void(tag: str, /, **named: AttrValue) -> Markup:
    """A void element (``meta``, ``br``, ...): ``<tag attributes>`` with no end tag."""
    return Markup(f"<{tag}{attrs(**named)}>")
