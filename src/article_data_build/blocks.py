"""Generated blocks in hand-written documents: the text between two markers, rewritten or checked.

The changelog's and datasheet's diff tables, the agreement table, the baseline's scores, the
defect kinds and the README's caps are computed; each lives between a start and an end
marker in its document, and a ``--check`` run (which the tests make) fails while one is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .errors import BuildError
from .layout import ROOT

__all__ = ["replace_block", "run_generator"]


def replace_block(text: str, start: str, end: str, block: str, where: Path | str) -> str:
    """``text`` with what lies between ``start`` and ``end`` replaced by ``block`` (one newline each side)."""
    if start not in text or end not in text:
        raise BuildError(f"{where}: the markers {start} and {end} are missing; add them where the block belongs")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{block}\n{end}{tail}"


def run_generator(
    name: str, description: str, regenerate: Callable[[Path], Mapping[Path, str]], argv: Sequence[str] | None = None
) -> int:
    """The command line of a generator: write every document ``regenerate(root)`` returns, or with
    ``--check`` exit 1 naming those that are stale.
    """
    parser = argparse.ArgumentParser(prog=f"python -m article_data_build.{name}", description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated block is stale")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    args = parser.parse_args(argv)
    try:
        documents = regenerate(args.root)
    except BuildError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    stale = [path for path, text in documents.items() if path.read_text(encoding="utf-8") != text]
    if args.check:
        if stale:
            print(
                f"{name}: stale: {', '.join(str(p) for p in stale)}; run `python -m article_data_build.{name}`",
                file=sys.stderr,
            )
            return 1
        return 0
    for path in stale:
        path.write_text(documents[path], encoding="utf-8")
    return 0
