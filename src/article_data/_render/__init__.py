"""The annotated page: the article as one self-contained HTML file.

Every quotation is tinted in its speaker's colour, every mention links to its
entity, figures and dates are boxed and defects carry a red wavy underline; a
side panel lists the speakers with their quotations. The page needs no network:
the CSS and the little JavaScript it uses (``page.css``, ``page.js`` beside these
modules) are inline, and it loads no fonts, scripts or images.

One module per step:

- :mod:`.content`: the package's rows, entities and speakers, loaded once;
- :mod:`.marks`: the rows as spans over the text, with their titles;
- :mod:`.segments`: overlapping spans → a tree of nested fragments → HTML;
- :mod:`.sections`: notice, legend, article, speakers, entities, defects, footer;
- :mod:`.page`: the document around them, and :func:`render_html`;
- :mod:`.markup`: the escaping element builders all of them use.
"""

from __future__ import annotations

from .content import PALETTE
from .page import render_html

__all__ = ["PALETTE", "render_html"]
