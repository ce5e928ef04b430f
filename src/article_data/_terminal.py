"""What the command line prints: nothing from a package reaches the terminal unescaped.

Paths, cells, values and messages come from copies of the package that anyone may
have made; a newline in a folder name could forge a line (``ok: ...``), a bidi mark
reorder one, an escape sequence rewrite the screen. :func:`escape` shows every such
character as an escape; :class:`Parser` does the same for argparse's usage errors.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

__all__ = ["Parser", "escape"]

#: The Unicode categories never printed as they are: controls, format characters (bidi marks, zero-width
#: characters, U+FEFF, U+00AD, tags), line and paragraph separators, private use and surrogates.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
#: Everything that is not printable ASCII is looked at; printable ASCII and kept line breaks never are.
_SUSPECT = re.compile("[^\x20-\x7e\n]")
_SUSPECT_OR_NEWLINE = re.compile("[^\x20-\x7e]")


def _escape_one(match: re.Match[str]) -> str:
    import unicodedata

    char = match.group()
    if unicodedata.category(char) not in _HIDDEN:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: object, *, newlines: bool = True) -> str:
    r"""Text safe to print on a terminal: every character of categories Cc, Cf, Zl, Zp, Co and Cs escaped.

    Line breaks are kept when ``newlines`` (the lines of a message this command composed),
    escaped otherwise (a path, a cell, a value: nothing from a package can start a line).

    >>> escape("ok\x1b[2J\r")
    'ok\\x1b[2J\\x0d'
    >>> escape("a\nb\u2028c\u202ed", newlines=False)
    'a\\x0ab\\u2028c\\u202ed'
    >>> escape("Kyiv, Україна")
    'Kyiv, Україна'
    """
    pattern = _SUSPECT if newlines else _SUSPECT_OR_NEWLINE
    return pattern.sub(_escape_one, str(text))


class Parser(argparse.ArgumentParser):
    """argparse, with the arguments it quotes in a usage error escaped like everything else printed."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {escape(message, newlines=False)}\n")
