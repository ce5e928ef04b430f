"""Shared by the page's tests: a small DOM model, the rendered page, and headless Chromium.

Chromium is Debian's ``/usr/bin/chromium``, driven through scripts/screenshot.py (the
script the README's screenshots come from). ``make browser`` installs it, and
``.ci/run`` does so before the tests; when it is missing the browser tests are
skipped with that command, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import struct
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

import article_data as ad
from article_data import render_html

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = (1280, 2000)
PHONE = (390, 2400)
ROW_IDS = {"quotes": "quote_id", "mentions": "mention_id", "figures": "figure_id", "defects": "defect_id"}
ATTRIBUTES = {
    "quotes": "data-quote-id",
    "mentions": "data-mention-id",
    "figures": "data-figure-id",
    "defects": "data-defect-id",
}
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
        return any(
            (id is not None and a.attrs.get("id") == id) or (cls is not None and cls in a.classes())
            for a in self.ancestors
        )


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


INSTALL_BROWSER = "make browser"  # = apt-get update && apt-get install -y chromium


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's headless Chromium; a missing one skips the test, or fails it under CI=true."""
    found = shots.find_chromium()
    if found is None:
        message = (
            f"no Chromium at {shots.DEBIAN_CHROMIUM} or on PATH: install it with `{INSTALL_BROWSER}` "
            "(apt-get update && apt-get install -y chromium)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return Path(found)


@pytest.fixture(scope="session")
def browser_dom(chromium: Path, page_file: Path) -> Dom:
    """The page's DOM as headless Chromium serialises it after the page's scripts ran."""
    dumped = shots.dump_dom(chromium, page_file, *DESKTOP)
    assert "</html>" in dumped, dumped[-500:]
    return Dom(dumped)


LAYOUT_PROBE = """
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


def probe(chromium: Path, page_html: str, folder: Path, width: int, height: int, script: str) -> dict[str, str]:
    """Run ``script`` (which sets ``probe``) after the page's own script at a window size; return ``probe``."""
    wrapped = (
        "<script>\n(function () {\n  var probe = {};\n" + script + "  var root = document.documentElement;\n"
        "  for (var key in probe) root.setAttribute('data-probe-' + key, String(probe[key]));\n"
        "  if (window.parent !== window) window.parent.postMessage({probe: probe}, '*');\n})();\n</script>\n</body>"
    )
    probed = folder / f"probe-{width}.html"
    probed.write_text(page_html.replace("</body>", wrapped, 1), encoding="utf-8")
    root = next(e for e in Dom(shots.dump_dom(chromium, probed, width, height)).elements if e.tag == "html")
    values = {k.removeprefix("data-probe-"): v for k, v in root.attrs.items() if k.startswith("data-probe-")}
    assert values, "the probe script did not run"
    return values


def layout(chromium: Path, page_html: str, folder: Path, width: int, height: int) -> dict[str, Any]:
    """Lay the page out at a window size and return the boxes and type measurements."""
    values = probe(chromium, page_html, folder, width, height, LAYOUT_PROBE)
    boxes = {k: tuple(int(n) for n in values[k].split(",")) for k in ("text", "body", "speakers")}
    return {**boxes, **{k: float(values[k]) for k in ("scroll-width", "client-width", "font-size", "line-height")}}


# -- helpers -----------------------------------------------------------------------


def speaker_labels(tables: ad.Tables) -> dict[str, str]:
    people = dict(zip(tables.people["person_id"], tables.people["label"]))
    orgs = dict(zip(tables.organizations["organization_id"], tables.organizations["name"]))
    return {**people, **orgs}


def speaker_of(row: Any) -> str | None:
    for column in ("speaker_person_id", "speaker_organization_id"):
        value = row[column]
        if not pd.isna(value):
            return str(value)
    return None


def check_rows(dom: Dom, tables: ad.Tables) -> None:
    for table, attribute in ATTRIBUTES.items():
        expected = set(tables[table][ROW_IDS[table]])
        found = {e.attrs[attribute] for e in dom.select(attribute, within="text")}
        assert found == expected, f"{table}: missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"
        anchors = {e.attrs["id"] for e in dom.select(attribute, within="text") if "id" in e.attrs}
        prefix = table.removesuffix("s")
        assert anchors == {f"{prefix}-{i}" for i in expected}, f"{table}: one anchor per row expected"


def check_quote_titles(dom: Dom, tables: ad.Tables) -> None:
    labels = speaker_labels(tables)
    quotes = tables.quotes.set_index("quote_id")
    elements = dom.select("data-quote-id", within="text")
    assert elements
    for element in elements:
        row = quotes.loc[element.attrs["data-quote-id"]]
        title = element.attrs.get("title", "")
        first_line = title.split("\n")[0]
        assert str(row["quote_type"]) in first_line.lower(), (first_line, row["quote_type"])
        speaker = speaker_of(row)
        if speaker is None:
            assert "data-speaker-id" not in element.attrs
        else:
            assert labels[speaker] in first_line, (first_line, labels[speaker])
            assert element.attrs["data-speaker-id"] == speaker


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# -- the HTML as text (no browser) --------------------------------------------------


def check_self_contained(dom: Dom) -> None:
    for element in dom.elements:
        for name in ("src", "href", "srcset", "action", "data", "poster"):
            value = element.attrs.get(name, "").strip().lower()
            assert not re.match(r"^(https?:|//|ftp:|data:|file:)", value), (element.tag, name, value)
        assert element.tag not in {"link", "img", "iframe", "object", "embed", "video", "audio", "source"}, element.tag
        if element.tag == "script":
            assert "src" not in element.attrs
        if "href" in element.attrs:
            assert element.attrs["href"].startswith("#"), element.attrs


# -- axe-core, the accessibility engine -------------------------------------------

#: The WCAG 2.0 and 2.1 A and AA rules.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_AXE_RUN = """
(function () {
  function report(probe) {
    var root = document.documentElement;
    for (var key in probe) root.setAttribute("data-probe-" + key, String(probe[key]));
    if (window.parent !== window) window.parent.postMessage({probe: probe}, "*");
  }
  axe.run(document, {runOnly: {type: "tag", values: TAGS}, resultTypes: ["violations"]}).then(function (results) {
    report({axe: JSON.stringify({version: axe.version, violations: results.violations.map(function (rule) {
      return {id: rule.id, help: rule.help, nodes: rule.nodes.map(function (node) {
        return {target: node.target.join(" "), summary: node.failureSummary, html: node.html.slice(0, 200)};
      })};
    })})});
  }, function (error) { report({axe: JSON.stringify({error: String(error)})}); });
})();
"""


def axe_script() -> str:
    """axe.min.js as pinned in requirements.lock (the PyPI package axe-core-python ships it)."""
    try:
        return resources.files("axe_core_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        message = "axe-core-python is missing: `make test` installs it from requirements.lock"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def axe_audit(chromium: Path, page_html: str, folder: Path, width: int, height: int) -> dict[str, Any]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page laid out ``width`` CSS pixels wide; return its report."""
    run = _AXE_RUN.replace("TAGS", json.dumps(list(AXE_TAGS)))
    audited = folder / f"axe-{width}.html"
    audited.write_text(
        page_html.replace("</body>", f"<script>{axe_script()}</script>\n<script>{run}</script>\n</body>", 1),
        encoding="utf-8",
    )
    dumped = shots.dump_dom(chromium, audited, width, height, budget_ms=30000)
    root = next(e for e in Dom(dumped).elements if e.tag == "html")
    assert "data-probe-axe" in root.attrs, "axe-core did not report (did it run?)"
    report: dict[str, Any] = json.loads(root.attrs["data-probe-axe"])
    assert "error" not in report, report
    return report


def describe_violations(report: dict[str, Any]) -> str:
    """One line per failing rule, then one per failing element with axe's summary."""
    lines = [f"axe-core {report['version']}:"]
    for rule in report["violations"]:
        lines.append(f"{rule['id']} ({len(rule['nodes'])} elements): {rule['help']}")
        lines.extend(
            f"  {node['target']}: {' '.join(node['summary'].split())}  {node['html']}" for node in rule["nodes"]
        )
    return "\n".join(lines)
