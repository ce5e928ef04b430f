"""The whole document: head, the sections in their places, the CSS and the JavaScript inline."""

from __future__ import annotations

from importlib import resources

from .._errors import ArticleDataError
from .._package import Package
from . import sections
from .content import Content, load_content
from .marks import all_spans
from .markup import Markup, element, void

__all__ = ["document", "render_html", "speaker_colours"]


def _resource(name: str) -> str:
    """A file shipped beside this module (``page.css``, ``page.js``), without its final newline."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8").rstrip("\n")


def _tint(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def speaker_colours(content: Content) -> str:
    """One CSS rule per speaker class setting its colour ``--c`` and tints ``--tint``, ``--tint-light``."""
    rules = []
    for speaker in content.speakers.values():
        alpha = round(0.26 + 0.2 * _luminance(speaker.colour), 2)  # pale colours need a denser tint
        rules.append(
            f".{speaker.css}{{--c:{speaker.colour};--tint:{_tint(speaker.colour, alpha)};"
            f"--tint-light:{_tint(speaker.colour, alpha / 2)}}}"
        )
    return "\n".join(rules)


def _head(content: Content) -> Markup:
    title = str(content.descriptor.get("title") or "Annotated article")
    return Markup(
        '<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f"{void('meta', name='generator', content=f'article-data {content.version}')}\n"
        f"{element('title', title)}\n"
        f"<style>\n{_resource('page.css')}\n{speaker_colours(content)}\n</style>\n</head>"
    )


#: The most marks one page draws (the package has about 230; a page of 50,000 is already tens of MB).
MAX_SPANS = 50_000


def document(content: Content) -> Markup:
    """The complete HTML5 document of ``content``; a package of more than :data:`MAX_SPANS` marks is refused."""
    spans = all_spans(content)
    if len(spans) > MAX_SPANS:
        raise ArticleDataError(
            f"the package has {len(spans)} quotations, mentions, figures, defects and credits; "
            f"a page draws at most {MAX_SPANS}. Query the tables instead (load, sql)"
        )
    article = sections.article(content, spans)
    parts = [
        element("a", "Skip to the article", class_="skip", href="#text"),
        element(
            "div",
            "\n",
            element("header", sections.notice(content), class_="top"),
            "\n",
            element("aside", sections.legend(content), class_="side-legend"),
            "\n",
            element("main", element("article", "\n", article, "\n", id="text", class_="text"), class_="main"),
            "\n",
            element(
                "aside",
                sections.speaker_panel(content),
                class_="side-speakers",
                aria_label="Speakers and their quotations",
            ),
            "\n",
            element("div", sections.entity_list(content), "\n", sections.defect_list(content), class_="below"),
            "\n",
            sections.footer(content),
            "\n",
            class_="page",
        ),
        element("div", id="tip", class_="tip", role="status", aria_live="polite", hidden=True),
        Markup(f"<script>\n{_resource('page.js')}\n</script>"),
    ]
    return Markup(
        f'<!DOCTYPE html>\n<html lang="en">\n{_head(content)}\n<body>\n'
        + "".join(f"{part}\n" for part in parts)
        + "</body>\n</html>\n"
    )


def render_html(pkg: Package) -> str:
    """Render the article as one self-contained, annotated HTML page.

    Every quotation is tinted in its speaker's colour (Okabe-Ito palette; names
    and scare quotes in neutral grey) with the speaker and quotation type in its
    ``title``; every mention is underlined and links to its entry in the list of
    people, organizations and places; figures and dates are boxed; defects get
    a red wavy underline with their kind and correction. A legend and a panel of
    speakers with their quotations sit beside the text, and below it at phone
    width. The page loads nothing from the network.

    Parameters
    ----------
    pkg
        The data package to render; its tables and text are loaded (and their
        hashes verified) with :meth:`Package.load` and :meth:`Package.article_text`.

    Returns
    -------
    str
        A complete HTML5 document. Each annotated element carries the row's id
        as ``data-quote-id``, ``data-mention-id``, ``data-figure-id`` or
        ``data-defect-id``; a row cut into several fragments by overlapping
        spans repeats its id on each fragment, and only the first fragment has
        the anchor ``id`` (``quote-q01``, ``mention-m0022``, ...).

    Examples
    --------
    >>> import article_data as ad
    >>> page = ad.render_html(ad.Package(ad.path()))
    >>> page.startswith("<!DOCTYPE html>") and "<html" in page
    True
    >>> 'data-quote-id="q01"' in page and 'href="#entity-yan"' in page
    True
    """
    return str(document(load_content(pkg)))
