"""The page's HTML builders (article_data._render.markup): every text and attribute escaped exactly once."""

from __future__ import annotations

from article_data._render.markup import Markup, attrs, element, escape, join, void


def test_element_escapes_text_and_attributes() -> None:
    """Text and attribute values are escaped, quotes included, so data can never close a tag or an attribute."""
    html = element("p", "<b>\"x\" & 'y'</b>", title='a"><script>', class_="note")
    assert (
        html
        == '<p title="a&quot;&gt;&lt;script&gt;" class="note">&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;</p>'
    )


def test_element_nests_without_double_escaping() -> None:
    """An element inside another is inserted as markup; only plain strings are escaped."""
    assert (
        element("li", element("a", "A & B", href="#x"), " & more") == '<li><a href="#x">A &amp; B</a> &amp; more</li>'
    )


def test_attrs_names_values_and_order() -> None:
    """Pairs come first in order, then keywords (class_ -> class, data_x_y -> data-x-y); None and False are left out, True is bare."""
    assert attrs([("data-id", "q1")], class_="q", data_quote_type="direct", hidden=True, title=None, open=False) == (
        ' data-id="q1" class="q" data-quote-type="direct" hidden'
    )


def test_escape_passes_markup_unchanged() -> None:
    """escape() escapes text once; a Markup value, already escaped, is returned as it is."""
    once = escape("a < b")
    assert once == "a &lt; b" and isinstance(once, Markup)
    assert escape(once) == "a &lt; b"


def test_join_and_void() -> None:
    """join() escapes its parts and separator; void() writes a start tag with no end tag."""
    assert join(["<a>", element("b", "c")], " & ") == "&lt;a&gt; &amp; <b>c</b>"
    assert void("meta", name="generator", content="x<y") == '<meta name="generator" content="x&lt;y">'
