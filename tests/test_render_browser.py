"""The annotated page in Debian's headless Chromium: DOM, layout, script, screenshots, accessibility.

Needs ``/usr/bin/chromium`` (``make browser``); without it these tests skip, or fail under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import article_data as ad
from render_support import (
    DESKTOP,
    PHONE,
    Dom,
    axe_audit,
    check_quote_titles,
    check_rows,
    check_self_contained,
    describe_violations,
    layout,
    png_size,
    probe,
    shots,
    speaker_labels,
    speaker_of,
)

_BEHAVIOUR_PROBE = """
  var quote = document.querySelector('#text [data-quote-id="q13"]');
  quote.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
  var hot = Array.prototype.map.call(document.querySelectorAll(".hot"), function (e) {
    return e.getAttribute("data-quote-id") || "ref:" + e.getAttribute("data-quote-ref");
  });
  quote.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  var tip = document.getElementById("tip");
  probe = {"hot": hot.sort().join(" "), "tip": tip.hidden ? "" : tip.textContent};
"""


# -- the page in Chromium ---------------------------------------------------------


def test_dom_has_every_row_id(browser_dom: Dom, tables: ad.Tables) -> None:
    """After the page's scripts ran, the DOM holds an element for every quote, mention, figure and defect row."""
    check_rows(browser_dom, tables)


def test_dom_references_no_remote_urls(browser_dom: Dom) -> None:
    """After the page's scripts ran, no src or href points outside the page."""
    check_self_contained(browser_dom)


def test_dom_quote_titles_name_speakers(browser_dom: Dom, tables: ad.Tables) -> None:
    """Every quote element's title names its type and the speaker's label from the tables."""
    check_quote_titles(browser_dom, tables)


def test_dom_mentions_link_to_entities(browser_dom: Dom, tables: ad.Tables) -> None:
    """Every mention is a link to the entry of the person, organization or place it names."""
    ids = browser_dom.by_id()
    mentions = tables.mentions.set_index("mention_id")
    for element in browser_dom.select("data-mention-id", within="text"):
        row = mentions.loc[element.attrs["data-mention-id"]]
        entity = next(str(row[c]) for c in ("person_id", "organization_id", "place_id") if not pd.isna(row[c]))
        assert element.tag == "a" and element.attrs["href"] == f"#entity-{entity}", element.attrs
        assert f"entity-{entity}" in ids and ids[f"entity-{entity}"].inside(id="entities")


def test_dom_figures_and_defects_explain_themselves(browser_dom: Dom, tables: ad.Tables) -> None:
    """Figure titles give the date or value, and defect titles the kind and correction."""
    figures = tables.figures.set_index("figure_id")
    for element in browser_dom.select("data-figure-id", within="text"):
        row = figures.loc[element.attrs["data-figure-id"]]
        title = element.attrs["title"].split("\n")[0]
        assert (str(row["date"]) if row["kind"] == "date" else f"{row['value']:,.0f}") in title, title
    defects = tables.defects.set_index("defect_id")
    for element in browser_dom.select("data-defect-id", within="text"):
        row = defects.loc[element.attrs["data-defect-id"]]
        title = element.attrs["title"].split("\n")[0]
        assert str(row["kind"]).replace("_", " ") in title, title
        if not pd.isna(row["correction"]):
            assert str(row["correction"]) in title, title


def test_dom_side_panel_lists_every_speaker(browser_dom: Dom, tables: ad.Tables) -> None:
    """The speakers panel names every speaker and links to each of their speech quotes, which lead to the text."""
    labels = speaker_labels(tables)
    ids = browser_dom.by_id()
    sections = {e.attrs["data-speaker-id"]: e for e in browser_dom.select("data-speaker-id", within="speakers")}
    speech = tables.quotes[tables.quotes["is_speech"]]
    assert set(sections) == {s for s in (speaker_of(r) for _, r in speech.iterrows()) if s}
    for speaker, section in sections.items():
        assert labels[speaker] in section.text, (speaker, section.text[:80])
    links = {e.attrs["href"]: e for e in browser_dom.elements if "qref" in e.classes()}
    for _, row in speech.iterrows():
        link = links[f"#quote-{row['quote_id']}"]
        assert link.inside(id=f"speaker-{speaker_of(row)}"), row["quote_id"]
        target = ids[f"quote-{row['quote_id']}"]
        assert target.inside(id="text") and target.attrs["data-quote-id"] == row["quote_id"]


def test_dom_has_legend(browser_dom: Dom) -> None:
    """The legend exists and shows a sample of every mark: speech, reported, non-speech, mention, figure, date, defect."""
    ids = browser_dom.by_id()
    assert "legend" in ids
    samples = [e.classes() for e in browser_dom.elements if e.inside(id="legend")]
    for needed in (
        {"q", "q-speech"},
        {"q", "q-reported"},
        {"q", "q-plain"},
        {"m", "m-name"},
        {"m", "m-descriptive"},
        {"f", "f-number"},
        {"f", "f-date"},
        {"d"},
    ):
        assert any(needed <= classes for classes in samples), needed


def test_layout_puts_panel_beside_text_on_desktop(chromium: Path, page_html: str, tmp_path: Path) -> None:
    """At 1280px the speakers sit right of the text, and body type is at least 17px with a readable measure."""
    boxes = layout(chromium, page_html, tmp_path, *DESKTOP)
    assert boxes["speakers"][0] >= boxes["text"][2]
    assert boxes["scroll-width"] <= boxes["client-width"]
    assert boxes["font-size"] >= 17 and boxes["line-height"] >= 1.5 * boxes["font-size"]
    body_width = boxes["body"][2] - boxes["body"][0]
    assert body_width <= 40 * boxes["font-size"], body_width  # at most ~80 characters a line


def test_layout_stacks_panel_below_text_on_phone(chromium: Path, page_html: str, tmp_path: Path) -> None:
    """At 390px the page fits the width, the speakers come after the text and body type stays at least 16px."""
    boxes = layout(chromium, page_html, tmp_path, *PHONE)
    assert boxes["scroll-width"] <= boxes["client-width"] <= PHONE[0]
    assert boxes["speakers"][1] >= boxes["text"][3]
    assert boxes["font-size"] >= 16 and boxes["line-height"] >= 1.5 * boxes["font-size"]


def test_script_highlights_quote_and_explains_tap(
    chromium: Path, page_html: str, tables: ad.Tables, tmp_path: Path
) -> None:
    """Hovering a quote (q13, inside q12) lights it and its panel entry; tapping it shows speaker and type in the tip box."""
    values = probe(chromium, page_html, tmp_path, *PHONE, _BEHAVIOUR_PROBE)
    assert values["hot"] == "q13 ref:q13"
    row = tables.quotes.set_index("quote_id").loc["q13"]
    speaker = speaker_labels(tables)[str(speaker_of(row))]
    first, second = values["tip"].split("\n")[:2]
    assert first.startswith(f"{speaker} — {row['quote_type']}") and "q12" in second


@pytest.mark.parametrize(("name", "width", "height"), shots.SHOTS, ids=[s[0] for s in shots.SHOTS])
def test_screenshot_script_writes_png(
    chromium: Path, page_file: Path, tmp_path: Path, name: str, width: int, height: int
) -> None:
    """scripts/screenshot.py's commands photograph the page at desktop and phone width (the README's images)."""
    png = shots.screenshot(chromium, page_file, tmp_path / name, width, height)
    assert png_size(png) == (width, height)
    assert png.stat().st_size > 20_000  # a blank page compresses to a few kilobytes


# -- accessibility ------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_wcag_violation(chromium: Path, page_html: str, tmp_path: Path, width: int, height: int) -> None:
    """axe-core's WCAG 2.0/2.1 A and AA rules find no violation at desktop (1280px) and phone (390px) width."""
    report = axe_audit(chromium, page_html, tmp_path, width, height)
    assert report["violations"] == [], describe_violations(report)


_KEYBOARD_PROBE = """
  function focusable(el) { return el.tabIndex >= 0 && !el.closest("[hidden]"); }
  var unreachable = [];
  document.querySelectorAll("[title]").forEach(function (el) {
    if (focusable(el)) return;
    // A later fragment of a split span: its details are on the span's first fragment.
    var name = ["data-quote-id", "data-mention-id", "data-figure-id", "data-defect-id"].filter(function (a) {
      return el.hasAttribute(a);
    })[0];
    var first = name && document.querySelector("[" + name + '="' + el.getAttribute(name) + '"].first');
    if (!(first && focusable(first) && first.getAttribute("title").split("\\n")[0] === el.getAttribute("title").split("\\n")[0])) {
      unreachable.push(el.outerHTML.slice(0, 120));
    }
  });
  var quote = document.querySelector('#text [data-quote-id="q13"].first');
  quote.focus();
  var tip = document.getElementById("tip"), style = getComputedStyle(quote);
  probe = {
    "titled": document.querySelectorAll("[title]").length, "unreachable": unreachable.join("\\n"),
    "focused": document.activeElement === quote, "outline": style.outlineStyle + " " + style.outlineWidth,
    "tip": tip.hidden ? "" : tip.textContent, "title": quote.getAttribute("title"),
    "hot": Array.prototype.map.call(document.querySelectorAll(".hot"), function (e) {
      return e.getAttribute("data-quote-id") || "ref:" + e.getAttribute("data-quote-ref");
    }).sort().join(" ")
  };
"""


def test_keyboard_reaches_every_tooltip(chromium: Path, page_html: str, tmp_path: Path) -> None:
    """Every element with a hover title is focusable (or is a later fragment of a focusable span), and focus shows the details."""
    values = probe(chromium, page_html, tmp_path, *DESKTOP, _KEYBOARD_PROBE)
    assert int(values["titled"]) > 100
    assert values["unreachable"] == "", f"titles only a mouse can reach:\n{values['unreachable']}"
    assert values["focused"] == "true"
    assert values["outline"].startswith("solid") and values["outline"] != "solid 0px", values["outline"]
    assert values["tip"] == values["title"] and values["tip"].startswith("Unidentified")
    assert values["hot"] == "q13 ref:q13"


def test_page_names_its_landmarks_and_live_region(browser_dom: Dom) -> None:
    """The tip box is a polite live region (focus details are announced), and the page has main, header and asides."""
    tip = browser_dom.by_id()["tip"]
    assert tip.attrs.get("role") == "status" and tip.attrs.get("aria-live") == "polite"
    tags = {e.tag for e in browser_dom.elements}
    assert {"main", "header", "aside", "footer"} <= tags
