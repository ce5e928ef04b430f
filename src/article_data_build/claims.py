"""The claims DATASHEET.md makes about the rows, generated from the rows.

    python -m article_data_build.claims          # rewrite the generated blocks of DATASHEET.md
    python -m article_data_build.claims --check  # exit 1 if one is stale

A document that lists the kinds of defect, with examples and counts, by hand falls behind
the first correction (1.1.0 made d04 ``broken_grammar`` while the datasheet still called it
a duplicated word). So the datasheet's list is a block between
``<!-- claims: defect kinds -->`` and ``<!-- end claims -->``, computed from the published
``defects`` table and its Table Schema: every kind in schema order, its number of rows and
examples taken from the rows (a test fails while it is stale).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from article_data import Package

from .blocks import replace_block, run_generator

__all__ = ["DEFECT_KINDS", "defect_kinds_block", "regenerate"]

DEFECT_KINDS = ("<!-- claims: defect kinds -->", "<!-- end claims -->")
EXAMPLES = 2  # examples shown per kind
SHORTEN = 60  # code points of a span shown before it is cut with an ellipsis


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHORTEN else flat[:SHORTEN].rstrip() + "…"


def defect_kinds_block(kinds: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """The datasheet's table of defect kinds: rows per kind and examples from the rows.

    Parameters
    ----------
    kinds : Sequence[str]
        The enum of ``defects.kind``, in schema order.
    rows : Sequence[Mapping]
        The ``defects`` rows (``defect_id``, ``kind``, ``text``), in table order.

    Returns
    -------
    str
        A Markdown table, one line per kind; a kind without rows says "none in this release".

    Examples
    --------
    >>> print(defect_kinds_block(["duplicated_word", "stray_text"],
    ...                          [{"defect_id": "d07", "kind": "duplicated_word", "text": "now now"}]))
    1 defect in 1 of the 2 kinds:
    <BLANKLINE>
    | kind | rows | for example |
    |---|---|---|
    | `duplicated_word` | 1 | "now now" (d07) |
    | `stray_text` | 0 | none in this release |
    """
    used = {str(row["kind"]) for row in rows}
    lines = [
        f"{len(rows)} defect{'s' if len(rows) != 1 else ''} in {len(used & set(kinds))} of the {len(kinds)} kinds:",
        "",
        "| kind | rows | for example |",
        "|---|---|---|",
    ]
    for kind in kinds:
        of_kind = [row for row in rows if row["kind"] == kind]
        examples = ", ".join(f'"{_shown(str(row["text"]))}" ({row["defect_id"]})' for row in of_kind[:EXAMPLES])
        lines.append(f"| `{kind}` | {len(of_kind)} | {examples or 'none in this release'} |")
    return "\n".join(lines)


def regenerate(root: Path) -> dict[Path, str]:
    """DATASHEET.md with its generated claims for the package in ``root``, by path."""
    defects = Package(root).load("defects")
    kinds = [str(kind) for kind in defects["kind"].cat.categories]  # the schema's enum, in its order
    rows = [
        {"defect_id": str(d), "kind": str(k), "text": str(t)}
        for d, k, t in zip(defects["defect_id"], defects["kind"], defects["text"], strict=True)
    ]
    datasheet = root / "DATASHEET.md"
    return {
        datasheet: replace_block(
            datasheet.read_text(encoding="utf-8"), *DEFECT_KINDS, defect_kinds_block(kinds, rows), datasheet
        )
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m article_data_build.claims [--check]``: write (or check) the generated claims."""
    return run_generator("claims", "Regenerate the claims DATASHEET.md makes about the rows.", regenerate, argv)


if __name__ == "__main__":
    sys.exit(main())
