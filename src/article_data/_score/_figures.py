"""The figures task: span detection (strict, partial) and, on matched spans, value, unit and date accuracy.

A value is right when it equals the gold value (to 1e-9); a unit when it equals
the gold unit without regard to case; a date when it is the gold ISO date at the
same precision. Each accuracy is over the gold figures matched (``partial``) that
have that field.
"""

from __future__ import annotations

import math
from typing import Any

from .._annotations import Annotations
from ._match import SCHEMES, accuracy, match, prf
from ._predictions import Prediction

__all__ = ["score_figures"]


def _same(field: str, gold: object, predicted: object) -> bool:
    if predicted is None:
        return False
    if field == "value":
        return math.isclose(float(str(gold)), float(str(predicted)), rel_tol=0, abs_tol=1e-9)
    if field == "unit":
        return str(gold).casefold() == str(predicted).casefold()
    return str(gold) == str(predicted)


def score_figures(ann: Annotations, predicted: list[Prediction]) -> dict[str, Any]:
    """Span scores, field accuracies, and recall by figure kind."""
    gold = ann.rows("figures")
    matches = {scheme: match(gold, predicted, scheme) for scheme in SCHEMES}
    out: dict[str, Any] = {
        "gold": len(gold),
        "predicted": len(predicted),
        "span": {s: prf(len(found), len(gold), len(predicted)) for s, found in matches.items()},
    }
    for field in ("value", "unit", "date"):
        pairs = [
            (gold[g][field], predicted[p][field])
            for g, p in matches["partial"].items()
            if gold[g].get(field) is not None
        ]
        out[field] = accuracy(sum(_same(field, g, p) for g, p in pairs), len(pairs))
    kinds = dict.fromkeys(str(g["kind"]) for g in gold)
    out["by_kind"] = {
        kind: {
            "gold": sum(str(g["kind"]) == kind for g in gold),
            **{
                f"span_{s}_recall": sum(str(gold[i]["kind"]) == kind for i in matches[s])
                / sum(str(g["kind"]) == kind for g in gold)
                for s in SCHEMES
            },
        }
        for kind in kinds
    }
    return out
