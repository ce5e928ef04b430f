"""CHANGELOG.md and DATASHEET.md: release dates, and the parts of both that the diff generates.

    python -m article_data_build.changelog          # rewrite the generated blocks
    python -m article_data_build.changelog --check  # exit 1 if one is stale

A release's CHANGELOG entry has a hand-written "why" and a block between
``<!-- generated: diff OLD..NEW -->`` and ``<!-- end generated -->`` computed from the
diff with the previous kept release (rows per table, what changed, row ids); the
datasheet's table of what the previous release had wrong is computed the same way.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from article_data import Package
from article_data._diff import PackageDiff, RowChange, TableDiff, diff_packages

from .blocks import replace_block
from .layout import ROOT
from .release import kept_releases

__all__ = ["changelog_block", "datasheet_block", "regenerate", "release_date"]


_RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def release_date(changelog: str, version: str) -> str | None:
    """Return the date CHANGELOG.md gives a released version, or None.

    Parameters
    ----------
    changelog : str
        The text of a Keep a Changelog file (headings ``## [1.0.0] - 2024-05-01``).
    version : str
        The version to look for.

    Returns
    -------
    str or None
        The ISO date of the release, or None when the version has no dated heading
        (not released yet).

    Examples
    --------
    >>> release_date("## [Unreleased]\\n\\n## [1.0.0] - 2024-05-01\\n", "1.0.0")
    '2024-05-01'
    >>> release_date("## [Unreleased]\\n", "1.0.0") is None
    True
    """
    for match in _RELEASE.finditer(changelog):
        if match["version"] == version:
            return match["date"]
    return None


# -- the parts of CHANGELOG.md and DATASHEET.md generated from the diff --------------------------


def _rows(pkg: Package) -> dict[str, int]:
    return {name: len(pkg.load(name)) for name in pkg.tables}


def _nulled_columns(old: Package, new: Package, name: str) -> set[str]:
    """Columns required in ``old`` and not in ``new``: a new convention that leaves some of them null."""

    def required(pkg: Package) -> set[str]:
        return {f["name"] for f in pkg.table_schema(name)["fields"] if f.get("constraints", {}).get("required")}

    return required(old) - required(new) if name in old.tables else set()


def _split(old: Package, new: Package, table: TableDiff) -> tuple[list[RowChange], dict[str, list[str]]]:
    """A table's changed rows as corrections, and by column the rows only nulled by a new convention.

    A row whose every changed cell is a value become null in a column no longer required
    (``has_closing_mark`` in 2.0.0) was not wrong: the convention changed, and the
    CHANGELOG says so by hand.
    """
    nulled = _nulled_columns(old, new, table.name)
    corrected: list[RowChange] = []
    by_convention: dict[str, list[str]] = {}
    for row in table.changed:
        if all(c.column in nulled and c.new is None for c in row.cells):
            for cell in row.cells:
                by_convention.setdefault(cell.column, []).append(row.key)
        else:
            corrected.append(row)
    return corrected, by_convention


def _ids(ids: Sequence[str], limit: int = 40) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def changelog_block(old: Package, new: Package, diff: PackageDiff | None = None) -> str:
    """The generated part of a release's CHANGELOG entry: bump, rows per table, what changed, row ids."""
    diff = diff or diff_packages(old, new)
    before, after = _rows(old), _rows(new)
    lines = [
        f"Generated from `article-data diff {old.version} {new.version}`: a **{diff.bump.upper()}** change.",
        "",
        f"| table | rows in {old.version} | rows in {new.version} | added | corrected | removed |",
        "|---|---|---|---|---|---|",
    ]
    for name in new.tables:
        table = diff.table(name)
        counts = (len(table.added), len(_split(old, new, table)[0]), len(table.removed)) if table else (0, 0, 0)
        lines.append(f"| {name} | {before.get(name, '-')} | {after[name]} | {counts[0]} | {counts[1]} | {counts[2]} |")
    lines.append("")
    for table in diff.tables:
        items = []
        corrected, by_convention = _split(old, new, table)
        if table.columns_added:
            items.append(f"columns added: {', '.join(f'`{c}`' for c in table.columns_added)}")
        if table.columns_retyped:
            items.append("columns retyped: " + ", ".join(f"`{c}` {a} → {b}" for c, a, b in table.columns_retyped))
        if table.parquet_retyped:
            items.append(
                "Parquet storage types changed: " + ", ".join(f"`{c}` {a} → {b}" for c, a, b in table.parquet_retyped)
            )
        if table.enum_values_added:
            items.append("enum values added: " + ", ".join(f"`{c}` `{v}`" for c, v in table.enum_values_added))
        if table.added:
            items.append(f"rows added: {_ids(table.added)}")
        if corrected:
            columns = sorted({cell.column for row in corrected for cell in row.cells})
            items.append(
                f"rows corrected: {_ids([r.key for r in corrected])} (columns {', '.join(f'`{c}`' for c in columns)})"
            )
        for column, keys in sorted(by_convention.items()):
            items.append(f"`{column}` null (no longer required) in {len(keys)} rows: {_ids(keys)}")
        if table.removed:
            items.append(f"rows removed: {_ids(table.removed)}")
        if table.schema_metadata_changed:
            items.append("schema descriptions or constraints changed")
        lines.append(f"- **{table.name}**: " + "; ".join(items) + ".")
    if diff.metadata_changed:
        lines.append(f"- **datapackage.json**: {', '.join(f'`{m}`' for m in diff.metadata_changed)} changed.")
    lines.append(f"- **the text**: {'changed' if diff.text_changed else 'unchanged'}.")
    return "\n".join(lines)


def datasheet_block(old: Package, new: Package, diff: PackageDiff | None = None) -> str:
    """The datasheet's table of what was wrong in the previous release, by table."""
    diff = diff or diff_packages(old, new)
    before = _rows(old)
    lines = [
        f"| table | rows in {old.version} | rows corrected | rows missing (added) | rows removed |",
        "|---|---|---|---|---|",
    ]
    for name in new.tables:
        table = diff.table(name)
        counts = (len(_split(old, new, table)[0]), len(table.added), len(table.removed)) if table else (0, 0, 0)
        lines.append(f"| {name} | {before.get(name, '-')} | {counts[0]} | {counts[1]} | {counts[2]} |")
    return "\n".join(lines)


def regenerate(root: Path) -> dict[Path, str]:
    """CHANGELOG.md and DATASHEET.md with their generated blocks for the current version, by path."""
    kept = kept_releases(root)
    new = Package(root)
    previous = [v for v in kept if v != new.version]
    if not previous:
        return {}
    old = Package(kept[previous[-1]])
    changelog, datasheet = root / "CHANGELOG.md", root / "DATASHEET.md"
    marker = f"diff {old.version}..{new.version}"
    diff = diff_packages(old, new)  # once, for both documents
    return {
        changelog: replace_block(
            changelog.read_text(encoding="utf-8"),
            f"<!-- generated: {marker} -->",
            "<!-- end generated -->",
            changelog_block(old, new, diff),
            changelog,
        ),
        datasheet: replace_block(
            datasheet.read_text(encoding="utf-8"),
            f"<!-- corrections: {marker} -->",
            "<!-- end corrections -->",
            datasheet_block(old, new, diff),
            datasheet,
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m article_data_build.changelog [--check]``: write (or check) the generated blocks."""
    parser = argparse.ArgumentParser(
        prog="python -m article_data_build.changelog",
        description="Regenerate the parts of CHANGELOG.md and DATASHEET.md that the "
        "diff with the previous release computes.",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated block is stale")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    stale = []
    for path, text in regenerate(args.root).items():
        if path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(
            f"stale: {', '.join(str(p) for p in stale)}; run `python -m article_data_build.changelog`", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
