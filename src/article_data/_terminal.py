"""What the command line prints: nothing from a package reaches the terminal unescaped.

Paths, cells, values and messages come from copies of the package that anyone may
have made; a newline in a folder name could forge a line (``ok: ...``), a bidi mark
reorder one, an escape sequence rewrite the screen. :func:`escape` shows every such
character as an escape; :class:`Parser` does the same for argparse's usage errors.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any, NoReturn

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


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` gives it, without importing shutil (and bz2, lzma)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, its width read as shutil would (argparse makes one per argument it adds)."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class Parser(argparse.ArgumentParser):
    """argparse, with the arguments it quotes in a usage error escaped like everything else printed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {escape(message, newlines=False)}\n")
