"""The annotated page as HTML text (article_data._render.page and .sections): every row marked, text kept, escaped."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

import article_data as ad
from article_data import render_html
from render_support import (
    Dom,
    check_rows,
    check_self_contained,
    speaker_of,
)


def test_render_html_is_self_contained(page_html: str) -> None:
    """The page loads nothing: no remote src or href, no external stylesheet, script, font or image."""
    check_self_contained(Dom(page_html))
    assert "@import" not in page_html and "url(" not in page_html and "@font-face" not in page_html


def test_render_html_marks_every_row(page_html: str, tables: ad.Tables) -> None:
    """Every quote, mention, figure and defect row has an element carrying its id, and only those rows."""
    check_rows(Dom(page_html), tables)


def test_render_html_keeps_paragraph_text(page_html: str, tables: ad.Tables) -> None:
    """Each paragraph's text content, annotations and all, equals the paragraph exactly as printed."""
    dom = Dom(page_html)
    expected = dict(zip(tables.paragraphs["paragraph_id"], tables.paragraphs["text"]))
    assert dom.paragraph_text == expected


def test_render_html_states_provenance(page_html: str, pkg: ad.Package) -> None:
    """The page names the original TIME article and its author, taken from the descriptor."""
    notice = Dom(page_html).by_id()["provenance"].text
    for source in pkg.descriptor()["sources"]:
        assert source["title"] in notice
    assert "Amie Ferris-Rotman" in notice and "paraphrased" in notice and "TIME" in notice


def test_render_html_escapes_table_text(pkg: ad.Package) -> None:
    """Markup inside a table value is printed as text, never run as HTML."""

    class Hostile(ad.Package):
        def load(self, name: str, **kwargs: Any) -> pd.DataFrame:
            frame = super().load(name, **kwargs)
            if name == "people":
                frame.loc[frame["person_id"] == "yan", "label"] = '<script>alert("x")</script>'
            if name == "defects":
                frame["note"] = frame["note"].astype("string") + ' "><img src=x onerror=alert(1)>'
            return frame

    page = render_html(Hostile(pkg.root))
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert len(re.findall(r"<script>", page)) == 1


def test_render_html_colours_speakers_apart(page_html: str, tables: ad.Tables) -> None:
    """Each speaker gets a distinct colour class, the same on all their quotes."""
    dom = Dom(page_html)
    colours: dict[str, set[str]] = {}
    for element in dom.select("data-speaker-id", within="text"):
        spk = {c for c in element.classes() if c.startswith("spk")}
        colours.setdefault(element.attrs["data-speaker-id"], set()).update(spk)
    speakers = {s for s in (speaker_of(r) for _, r in tables.quotes.iterrows()) if s}
    assert set(colours) == speakers
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({next(iter(c)) for c in colours.values()}) == len(speakers)


def test_render_html_inlines_the_packaged_css_and_js(page_html: str) -> None:
    """The page's style and script are the package's page.css and page.js, inline."""
    from importlib import resources

    folder = resources.files("article_data._render")
    assert folder.joinpath("page.css").read_text(encoding="utf-8").strip() in page_html
    assert folder.joinpath("page.js").read_text(encoding="utf-8").strip() in page_html


def test_render_html_makes_every_titled_passage_focusable(page_html: str) -> None:
    """The first fragment of every quote, figure and defect carries tabindex="0", so its details reach the keyboard."""
    for element in Dom(page_html).select("id", within="text"):
        if element.attrs["id"].split("-")[0] in ("quote", "figure", "defect"):
            assert element.attrs.get("tabindex") == "0", element.attrs
