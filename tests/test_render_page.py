"""The annotated page: render_html's HTML checked as text, and in Debian's headless Chromium.

The browser tests need ``/usr/bin/chromium``. When it is missing, the session
installs it with ``apt-get update && apt-get install -y chromium`` (as root, or
through ``sudo -n``) and fails if that is impossible; set
``ARTICLE_DATA_SKIP_BROWSER=1`` to skip the browser tests instead. Chromium runs
through scripts/screenshot.py, the script that makes the README's screenshots.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

import article_data as ad
from article_data import render_html

ROOT = Path(__file__).resolve().parent.parent
SKIP_ENV = "ARTICLE_DATA_SKIP_BROWSER"
DESKTOP = (1280, 2000)
PHONE = (390, 2400)
ROW_IDS = {"quotes": "quote_id", "mentions": "mention_id", "figures": "figure_id", "defects": "defect_id"}
ATTRIBUTES = {"quotes": "data-quote-id", "mentions": "data-mention-id", "figures": "data-figure-id", "defects": "data-defect-id"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("article_data_screenshot", ROOT / "scripts" / "screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _load_script()


# -- a small DOM model from html.parser ------------------------------------------


@dataclass
class Element:
    """One element of the parsed page with its ancestors."""

    tag: str
    attrs: dict[str, str]
    ancestors: list[Element] = field(default_factory=list)
    text: str = ""

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def inside(self, *, id: str | None = None, cls: str | None = None) -> bool:
        return any((id is not None and a.attrs.get("id") == id) or (cls is not None and cls in a.classes())
                   for a in self.ancestors)


class Dom(HTMLParser):
    """Every element of a page, and the printed text of each paragraph."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.paragraph_text: dict[str, str] = {}
        self._stack: list[Element] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, list(self._stack))
        self.elements.append(element)
        if tag not in VOID:
            self._stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for open_element in self._stack:
            open_element.text += data
        # Paragraph text, leaving out the paragraph-id marker and the caption's label.
        if any({"pid", "eyebrow"} & e.classes() for e in self._stack):
            return
        for element in reversed(self._stack):
            pid = element.attrs.get("data-paragraph-id")
            if pid is not None:
                self.paragraph_text[pid] = self.paragraph_text.get(pid, "") + data
                return

    def select(self, attribute: str, *, within: str | None = None) -> list[Element]:
        """Elements with ``attribute``, optionally only those inside the element with id ``within``."""
        return [e for e in self.elements if attribute in e.attrs and (within is None or e.inside(id=within))]

    def by_id(self) -> dict[str, Element]:
        return {e.attrs["id"]: e for e in self.elements if "id" in e.attrs}


# -- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def pkg() -> ad.Package:
    """The bundled package."""
    return ad.Package(ad.path())


@pytest.fixture(scope="session")
def tables(pkg: ad.Package) -> ad.Tables:
    """Every table of the bundled package."""
    return pkg.load_all()


@pytest.fixture(scope="session")
def page_html(pkg: ad.Package) -> str:
    """The rendered page."""
    return render_html(pkg)


@pytest.fixture(scope="session")
def page_file(page_html: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rendered page written to a file, as ``article-data render -o article.html`` does."""
    path = tmp_path_factory.mktemp("page") / "article.html"
    path.write_text(page_html, encoding="utf-8")
    return path


def _install_chromium() -> None:
    """Install Debian's chromium with apt-get, or fail the session saying why."""
    how = f"Install it (`apt-get install -y chromium`) or set {SKIP_ENV}=1 to skip the browser tests."
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.fail(f"/usr/bin/chromium is missing and there is no apt-get to install it. {how}", pytrace=False)
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None:
            pytest.fail(f"/usr/bin/chromium is missing and installing it needs root (no sudo found). {how}", pytrace=False)
        prefix = [sudo, "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in ([*prefix, apt, "update"], [*prefix, apt, "install", "-y", "chromium"]):
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.fail(f"`{' '.join(command)}` failed: {exc}. {how}", pytrace=False)
        if result.returncode != 0:
            pytest.fail(f"`{' '.join(command)}` exited {result.returncode}:\n{result.stderr[-2000:]}\n{how}", pytrace=False)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's headless Chromium, installed with apt-get on first use if missing."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: browser tests skipped")
    found = shots.find_chromium()
    if found is None:
        _install_chromium()
        found = shots.find_chromium()
    if found is None:
        pytest.fail(f"apt-get installed chromium but no chromium is on PATH or at {shots.DEBIAN_CHROMIUM}", pytrace=False)
    return Path(found)


@pytest.fixture(scope="session")
def browser_dom(chromium: Path, page_file: Path) -> Dom:
    """The page's DOM as headless Chromium serialises it after the page's scripts ran."""
    dumped = shots.dump_dom(chromium, page_file, *DESKTOP)
    assert "</html>" in dumped, dumped[-500:]
    return Dom(dumped)


_LAYOUT_PROBE = """
  function box(selector) {
    var r = document.querySelector(selector).getBoundingClientRect();
    return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY].map(Math.round).join(",");
  }
  var root = document.documentElement, body = getComputedStyle(document.querySelector(".para.body"));
  probe = {
    "scroll-width": root.scrollWidth, "client-width": root.clientWidth,
    "text": box("#text"), "body": box(".para.body"), "speakers": box("#speakers"),
    "font-size": parseFloat(body.fontSize), "line-height": parseFloat(body.lineHeight)
  };
"""

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


def _probe(chromium: Path, page_html: str, folder: Path, width: int, height: int, script: str) -> dict[str, str]:
    """Run ``script`` (which sets ``probe``) after the page's own script at a window size; return ``probe``."""
    wrapped = (
        "<script>\n(function () {\n  var probe = {};\n" + script
        + "  var root = document.documentElement;\n"
        "  for (var key in probe) root.setAttribute('data-probe-' + key, String(probe[key]));\n"
        "  if (window.parent !== window) window.parent.postMessage({probe: probe}, '*');\n})();\n</script>\n</body>"
    )
    probed = folder / f"probe-{width}.html"
    probed.write_text(page_html.replace("</body>", wrapped, 1), encoding="utf-8")
    root = next(e for e in Dom(shots.dump_dom(chromium, probed, width, height)).elements if e.tag == "html")
    values = {k.removeprefix("data-probe-"): v for k, v in root.attrs.items() if k.startswith("data-probe-")}
    assert values, "the probe script did not run"
    return values


def _layout(chromium: Path, page_html: str, folder: Path, width: int, height: int) -> dict[str, Any]:
    """Lay the page out at a window size and return the boxes and type measurements."""
    values = _probe(chromium, page_html, folder, width, height, _LAYOUT_PROBE)
    boxes = {k: tuple(int(n) for n in values[k].split(",")) for k in ("text", "body", "speakers")}
    return {**boxes, **{k: float(values[k]) for k in ("scroll-width", "client-width", "font-size", "line-height")}}


# -- helpers -----------------------------------------------------------------------


def _speaker_labels(tables: ad.Tables) -> dict[str, str]:
    people = dict(zip(tables.people["person_id"], tables.people["label"]))
    orgs = dict(zip(tables.organizations["organization_id"], tables.organizations["name"]))
    return {**people, **orgs}


def _speaker_of(row: Any) -> str | None:
    for column in ("speaker_person_id", "speaker_organization_id"):
        value = row[column]
        if not pd.isna(value):
            return str(value)
    return None


def _check_rows(dom: Dom, tables: ad.Tables) -> None:
    for table, attribute in ATTRIBUTES.items():
        expected = set(tables[table][ROW_IDS[table]])
        found = {e.attrs[attribute] for e in dom.select(attribute, within="text")}
        assert found == expected, f"{table}: missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"
        anchors = {e.attrs["id"] for e in dom.select(attribute, within="text") if "id" in e.attrs}
        prefix = table.removesuffix("s")
        assert anchors == {f"{prefix}-{i}" for i in expected}, f"{table}: one anchor per row expected"


def _check_quote_titles(dom: Dom, tables: ad.Tables) -> None:
    labels = _speaker_labels(tables)
    quotes = tables.quotes.set_index("quote_id")
    elements = dom.select("data-quote-id", within="text")
    assert elements
    for element in elements:
        row = quotes.loc[element.attrs["data-quote-id"]]
        title = element.attrs.get("title", "")
        first_line = title.split("\n")[0]
        assert str(row["quote_type"]) in first_line.lower(), (first_line, row["quote_type"])
        speaker = _speaker_of(row)
        if speaker is None:
            assert "data-speaker-id" not in element.attrs
        else:
            assert labels[speaker] in first_line, (first_line, labels[speaker])
            assert element.attrs["data-speaker-id"] == speaker


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# -- the HTML as text (no browser) --------------------------------------------------


def _check_self_contained(dom: Dom) -> None:
    for element in dom.elements:
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = element.attrs.get(name, "").strip().lower()
            assert not re.match(r"^(https?:|//|ftp:|data:|file:)", value), (element.tag, name, value)
        assert element.tag not in {"link", "img", "iframe", "object", "embed", "video", "audio", "source"}, element.tag
        if element.tag == "script":
            assert "src" not in element.attrs
        if "href" in element.attrs:
            assert element.attrs["href"].startswith("#"), element.attrs


def test_render_html_is_self_contained(page_html: str) -> None:
    """The page loads nothing: no remote src or href, no external stylesheet, script, font or image."""
    _check_self_contained(Dom(page_html))
    assert "@import" not in page_html and "url(" not in page_html and "@font-face" not in page_html


def test_render_html_marks_every_row(page_html: str, tables: ad.Tables) -> None:
    """Every quote, mention, figure and defect row has an element carrying its id, and only those rows."""
    _check_rows(Dom(page_html), tables)


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
    speakers = {s for s in (_speaker_of(r) for _, r in tables.quotes.iterrows()) if s}
    assert set(colours) == speakers
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({next(iter(c)) for c in colours.values()}) == len(speakers)


# -- the page in Chromium ---------------------------------------------------------


def test_dom_has_every_row_id(browser_dom: Dom, tables: ad.Tables) -> None:
    """After the page's scripts ran, the DOM holds an element for every quote, mention, figure and defect row."""
    _check_rows(browser_dom, tables)


def test_dom_references_no_remote_urls(browser_dom: Dom) -> None:
    """After the page's scripts ran, no src or href points outside the page."""
    _check_self_contained(browser_dom)


def test_dom_quote_titles_name_speakers(browser_dom: Dom, tables: ad.Tables) -> None:
    """Every quote element's title names its type and the speaker's label from the tables."""
    _check_quote_titles(browser_dom, tables)


def test_dom_mentions_link_to_entities(browser_dom: Dom, tables: ad.Tables) -> None:
    """Every mention is a link to the entry of the person, organisation or place it names."""
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
    labels = _speaker_labels(tables)
    ids = browser_dom.by_id()
    sections = {e.attrs["data-speaker-id"]: e for e in browser_dom.select("data-speaker-id", within="speakers")}
    speech = tables.quotes[tables.quotes["is_speech"]]
    assert set(sections) == {s for s in (_speaker_of(r) for _, r in speech.iterrows()) if s}
    for speaker, section in sections.items():
        assert labels[speaker] in section.text, (speaker, section.text[:80])
    links = {e.attrs["href"]: e for e in browser_dom.elements if "qref" in e.classes()}
    for _, row in speech.iterrows():
        link = links[f"#quote-{row['quote_id']}"]
        assert link.inside(id=f"speaker-{_speaker_of(row)}"), row["quote_id"]
        target = ids[f"quote-{row['quote_id']}"]
        assert target.inside(id="text") and target.attrs["data-quote-id"] == row["quote_id"]


def test_dom_has_legend(browser_dom: Dom) -> None:
    """The legend exists and shows a sample of every mark: speech, reported, non-speech, mention, figure, date, defect."""
    ids = browser_dom.by_id()
    assert "legend" in ids
    samples = [e.classes() for e in browser_dom.elements if e.inside(id="legend")]
    for needed in ({"q", "q-speech"}, {"q", "q-reported"}, {"q", "q-plain"}, {"m", "m-name"}, {"m", "m-descriptive"},
                   {"f", "f-number"}, {"f", "f-date"}, {"d"}):
        assert any(needed <= classes for classes in samples), needed


def test_layout_puts_panel_beside_text_on_desktop(chromium: Path, page_html: str, tmp_path: Path) -> None:
    """At 1280px the speakers sit right of the text, and body type is at least 17px with a readable measure."""
    layout = _layout(chromium, page_html, tmp_path, *DESKTOP)
    assert layout["speakers"][0] >= layout["text"][2]
    assert layout["scroll-width"] <= layout["client-width"]
    assert layout["font-size"] >= 17 and layout["line-height"] >= 1.5 * layout["font-size"]
    body_width = layout["body"][2] - layout["body"][0]
    assert body_width <= 40 * layout["font-size"], body_width  # at most ~80 characters a line


def test_layout_stacks_panel_below_text_on_phone(chromium: Path, page_html: str, tmp_path: Path) -> None:
    """At 390px the page fits the width, the speakers come after the text and body type stays at least 16px."""
    layout = _layout(chromium, page_html, tmp_path, *PHONE)
    assert layout["scroll-width"] <= layout["client-width"] <= PHONE[0]
    assert layout["speakers"][1] >= layout["text"][3]
    assert layout["font-size"] >= 16 and layout["line-height"] >= 1.5 * layout["font-size"]


def test_script_highlights_quote_and_explains_tap(chromium: Path, page_html: str, tables: ad.Tables, tmp_path: Path) -> None:
    """Hovering a quote (q13, inside q12) lights it and its panel entry; tapping it shows speaker and type in the tip box."""
    values = _probe(chromium, page_html, tmp_path, *PHONE, _BEHAVIOUR_PROBE)
    assert values["hot"] == "q13 ref:q13"
    row = tables.quotes.set_index("quote_id").loc["q13"]
    speaker = _speaker_labels(tables)[str(_speaker_of(row))]
    first, second = values["tip"].split("\n")[:2]
    assert first.startswith(f"{speaker} — {row['quote_type']}") and "q12" in second


@pytest.mark.parametrize(("name", "width", "height"), shots.SHOTS, ids=[s[0] for s in shots.SHOTS])
def test_screenshot_script_writes_png(chromium: Path, page_file: Path, tmp_path: Path, name: str, width: int, height: int) -> None:
    """scripts/screenshot.py's commands photograph the page at desktop and phone width (the README's images)."""
    png = shots.screenshot(chromium, page_file, tmp_path / name, width, height)
    assert _png_size(png) == (width, height)
    assert png.stat().st_size > 20_000  # a blank page compresses to a few kilobytes
