"""The quotes task: span detection, speaker attribution and end to end, overall and by quote type.

The gold set is the speech rows (every quote type that is someone's speech).
Span detection: precision, recall and F1 under ``strict`` and ``partial``
(:mod:`._match`). Attribution: over the gold quotations a prediction matched
(``partial``), the share whose predicted speaker is the gold speaker (a
prediction naming no speaker is wrong). End to end: a prediction counts only if
its span matches (``partial``) and its speaker is right.
"""

from __future__ import annotations

from typing import Any

from .._annotations import Annotations
from ._match import SCHEMES, accuracy, match, prf
from ._predictions import Prediction
from ._resolve import resolve

__all__ = ["score_quotes"]


def _right(ann: Annotations, gold: dict[str, Any], prediction: Prediction) -> bool:
    speaker = ann.speaker(gold)
    return speaker is not None and speaker.key in resolve(ann, prediction.get("speaker"), names=True)


def _breakdown(
    ann: Annotations, gold: list[dict[str, Any]], predicted: list[Prediction], matches: dict[str, dict[int, int]]
) -> dict[str, Any]:
    """Per quote type, and ``unclosed`` (lacking the closing mark): recall, attribution, end-to-end recall."""
    groups: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        groups.setdefault(str(g["quote_type"]), []).append(i)
        if g.get("lacks_closing_mark"):
            groups.setdefault("unclosed", []).append(i)
    out: dict[str, Any] = {}
    for kind, rows in groups.items():
        partial = [i for i in rows if i in matches["partial"]]
        right = sum(_right(ann, gold[i], predicted[matches["partial"][i]]) for i in partial)
        out[kind] = {
            "gold": len(rows),
            **{f"span_{s}_recall": sum(i in matches[s] for i in rows) / len(rows) for s in SCHEMES},
            "attribution": accuracy(right, len(partial)),
            "end_to_end_recall": right / len(rows),
        }
    return out


def score_quotes(ann: Annotations, predicted: list[Prediction]) -> dict[str, Any]:
    """Span detection (strict, partial), attribution accuracy and end-to-end scores."""
    gold = ann.speech()
    matches = {scheme: match(gold, predicted, scheme) for scheme in SCHEMES}
    partial = matches["partial"]
    right = sum(_right(ann, gold[g], predicted[p]) for g, p in partial.items())
    return {
        "gold": len(gold),
        "predicted": len(predicted),
        "span": {scheme: prf(len(found), len(gold), len(predicted)) for scheme, found in matches.items()},
        "attribution": accuracy(right, len(partial)),
        "end_to_end": prf(right, len(gold), len(predicted)),
        "by_quote_type": _breakdown(ann, gold, predicted, matches),
    }
