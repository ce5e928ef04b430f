"""The caps the library puts on untrusted input, written into README.md from the library's own constants.

    python -m article_data_build.limits          # rewrite the generated block of README.md
    python -m article_data_build.limits --check  # exit 1 if it is stale

A cap that a legitimate future release could exceed has to be stated with its number;
stated by hand it falls behind the code, so the README's table is the block between
``<!-- generated: limits -->`` and ``<!-- end generated -->``, computed here from
``article_data._descriptor.LIMITS``, ``article_data._archive``, ``article_data._bounds``
and the page's caps (a test fails while it is stale).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from article_data import _archive, _bounds
from article_data._descriptor import LIMITS
from article_data._render import page, sections, segments

from .blocks import replace_block, run_generator
from .layout import README

__all__ = ["MARKERS", "limits_block", "regenerate"]

MARKERS = ("<!-- generated: limits -->", "<!-- end generated -->")


def _size(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n:,} bytes"


def limits_block() -> str:
    """The Markdown table of every cap, from the library's constants."""
    rows = [
        (
            "`datapackage.json`",
            f"{_size(LIMITS['descriptor_bytes'])}, JSON nested at most {LIMITS['json_depth']} "
            f"levels, at most {LIMITS['resources']:,} resources",
        ),
        (
            "a Table Schema",
            f"{_size(LIMITS['schema_bytes'])}, at most {LIMITS['fields']:,} fields, "
            f"{LIMITS['enum_values']:,} enum values, patterns of {LIMITS['pattern_chars']:,} characters",
        ),
        ("a path in the descriptor", f"{LIMITS['path_chars']:,} characters, no control characters"),
        ("JSON", "no duplicate keys, no `NaN`/`Infinity`, no number too large for a double"),
        (
            "a zip archive",
            f"{_size(_archive.ARCHIVE_LIMIT)}, at most {_archive.MAX_MEMBERS:,} members (read from "
            "the end record before the directory is parsed)",
        ),
        (
            "a zip member",
            f"{_size(_archive.MEMBER_LIMIT)} uncompressed, at most {_archive.MAX_RATIO}:1 compressed, "
            "no two members sharing bytes",
        ),
        (
            "a Parquet file",
            "footer and every page header checked before a page is decoded; decodes (pages, "
            f"dictionaries expanded, {_bounds.VALUE_BYTES} bytes per value of every row) to at most "
            f"{_bounds.DECODED_PER_BYTE} times its size or {_size(_bounds.DECODED_FLOOR)}, whichever "
            "is more",
        ),
        ("values", "valid UTF-8, no null in a required column, dates in the years 1-9999, finite numbers"),
        (
            "the page",
            f"at most {page.MAX_SPANS:,} marks, nested at most {segments.MAX_DEPTH} deep, crossing at most "
            f"{sections.CROSSINGS_PER_ITEM} paragraph boundaries per mark and paragraph",
        ),
    ]
    lines = ["| input | limit |", "|---|---|", *(f"| {what} | {limit} |" for what, limit in rows)]
    return "\n".join(lines)


def regenerate(root: Path) -> dict[Path, str]:
    """The README with its block of caps computed anew."""
    path = root / README
    return {path: replace_block(path.read_text(encoding="utf-8"), *MARKERS, limits_block(), path)}


def main(argv: Sequence[str] | None = None) -> int:
    return run_generator("limits", "Write the caps on untrusted input into README.md.", regenerate, argv)


if __name__ == "__main__":
    sys.exit(main())
