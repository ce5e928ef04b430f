"""A score as text for people: the headline numbers as a table, the breakdowns below."""

from __future__ import annotations

from typing import Any

__all__ = ["format_score"]


def _number(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _prf_rows(scores: dict[str, dict[str, Any]], names: list[str], prefix: str = "") -> list[str]:
    return [
        f"{prefix + name:<26}{_number(scores[name]['precision']):>10}{_number(scores[name]['recall']):>10}"
        f"{_number(scores[name]['f1']):>10}"
        for name in names
    ]


def _accuracy(name: str, result: dict[str, Any]) -> str:
    return f"{name:<26}{_number(result['accuracy']):>10}  ({result['right']} right of {result['evaluated']})"


def format_score(result: dict[str, Any]) -> str:
    """The readable form of :func:`article_data._score.score`'s result."""
    task = result["task"]
    lines = [
        f"{task}: {result['predicted']} predicted, {result['gold']} gold (article-data {result['version']})",
        f"{'':<26}{'precision':>10}{'recall':>10}{'f1':>10}",
    ]
    if task == "mentions":
        lines += _prf_rows(result, ["strict", "exact", "partial", "type"])
        for kind, scores in result["by_type"].items():
            lines += _prf_rows(scores, ["strict", "partial"], f"{kind} ")
        lines.append(_accuracy("linking accuracy", result["linking"]))
        return "\n".join(lines)
    lines += _prf_rows(result["span"], ["strict", "partial"], "span ")
    if task == "quotes":
        lines += _prf_rows({"end to end": result["end_to_end"]}, ["end to end"])
        lines.append(_accuracy("attribution accuracy", result["attribution"]))
        lines.append(f"\n{'by quote type':<14}{'gold':>6}{'strict R':>10}{'partial R':>10}{'speaker':>9}{'e2e R':>8}")
        for kind, row in result["by_quote_type"].items():
            lines.append(
                f"{kind:<14}{row['gold']:>6}{_number(row['span_strict_recall']):>10}"
                f"{_number(row['span_partial_recall']):>10}{_number(row['attribution']['accuracy']):>9}"
                f"{_number(row['end_to_end_recall']):>8}"
            )
        return "\n".join(lines)
    lines += [_accuracy(f"{field} accuracy", result[field]) for field in ("value", "unit", "date")]
    lines.append(f"\n{'by kind':<14}{'gold':>6}{'strict R':>10}{'partial R':>10}")
    for kind, row in result["by_kind"].items():
        lines.append(
            f"{kind:<14}{row['gold']:>6}{_number(row['span_strict_recall']):>10}"
            f"{_number(row['span_partial_recall']):>10}"
        )
    return "\n".join(lines)
