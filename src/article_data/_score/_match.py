"""Span matching and the counts behind precision, recall and F1 (the quote and figure tasks).

``strict``: a prediction matches a gold span with the same offsets. ``partial``: it
matches a gold span it overlaps by at least one character. Matching is one to one:
overlapping pairs are taken largest overlap first (then nearest start), so one
prediction never matches two gold spans nor two predictions one gold span.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["SCHEMES", "accuracy", "match", "prf"]

#: The span matching schemes of the quote and figure tasks.
SCHEMES: tuple[str, ...] = ("strict", "partial")


def _span(row: dict[str, Any]) -> tuple[int, int]:
    return int(row["char_start"]), int(row["char_end"])


def match(gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]], scheme: str) -> dict[int, int]:
    """Gold index -> predicted index of the matched pairs under ``scheme``.

    >>> match([{"char_start": 0, "char_end": 4}], [{"char_start": 2, "char_end": 9}], "partial")
    {0: 0}
    >>> match([{"char_start": 0, "char_end": 4}], [{"char_start": 2, "char_end": 9}], "strict")
    {}
    """
    pairs = []
    for g, gold_row in enumerate(gold):
        gs, ge = _span(gold_row)
        for p, predicted_row in enumerate(predicted):
            ps, pe = _span(predicted_row)
            if scheme == "strict" and (gs, ge) != (ps, pe):
                continue
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append((-overlap, abs(gs - ps), g, p))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, _, g, p in sorted(pairs):
        if g not in matched and p not in used:
            matched[g] = p
            used.add(p)
    return matched


def prf(correct: int, gold: int, predicted: int) -> dict[str, Any]:
    """Precision, recall and F1 from counts (0.0 where a denominator is 0), with the counts.

    >>> prf(3, 4, 6)["f1"]
    0.6
    """
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "correct": correct,
        "gold": gold,
        "predicted": predicted,
    }


def accuracy(right: int, evaluated: int) -> dict[str, Any]:
    """The share right of the cases evaluated (None when there are none).

    >>> accuracy(1, 4)
    {'accuracy': 0.25, 'right': 1, 'evaluated': 4}
    """
    return {"accuracy": right / evaluated if evaluated else None, "right": right, "evaluated": evaluated}
