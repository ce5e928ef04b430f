"""The mentions task: SemEval-2013 task 9.1's four schemes, as ``nervaluate`` computes them, and linking.

``strict``: same offsets and same type; ``exact``: same offsets, any type;
``partial``: overlapping offsets, half credit unless they are the same; ``type``:
overlapping offsets and the same type. Linking accuracy is over the gold mentions
whose exact offsets a prediction found and named an entity for.
"""

from __future__ import annotations

from typing import Any

from .._annotations import Annotations, mention_entity_type
from .._extras import require
from ._match import accuracy
from ._predictions import ENTITY_TYPES, Prediction
from ._resolve import resolve

__all__ = ["NERVALUATE_SCHEMES", "score_mentions"]

#: Our scheme name -> nervaluate's.
NERVALUATE_SCHEMES: dict[str, str] = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
_COUNTS = ("correct", "incorrect", "partial", "missed", "spurious", "possible", "actual")


def _spans(rows: list[dict[str, Any]], label: Any) -> list[dict[str, Any]]:
    """Nervaluate's dict form: label, start and end, end inclusive."""
    return [{"label": label(r), "start": int(r["char_start"]), "end": int(r["char_end"]) - 1} for r in rows]


def _result(result: Any) -> dict[str, Any]:
    out = {"precision": float(result.precision), "recall": float(result.recall), "f1": float(result.f1)}
    out.update({name: int(getattr(result, name)) for name in _COUNTS})
    return out


def _linking(ann: Annotations, gold: list[dict[str, Any]], predicted: list[Prediction]) -> dict[str, Any]:
    by_span = {(p["char_start"], p["char_end"]): p for p in predicted if p.get("entity")}
    right = evaluated = 0
    for row in gold:
        prediction = by_span.get((int(row["char_start"]), int(row["char_end"])))
        if prediction is None:
            continue
        evaluated += 1
        right += ann.mention_entity(row).key in resolve(ann, prediction["entity"], names=False)
    return accuracy(right, evaluated)


def score_mentions(ann: Annotations, predicted: list[Prediction]) -> dict[str, Any]:
    """The four schemes overall and per entity type, and the linking accuracy."""
    nervaluate = require("nervaluate", "score", "scoring mentions")
    gold = ann.rows("mentions")
    evaluator = nervaluate.Evaluator(
        [_spans(gold, mention_entity_type)],
        [_spans(predicted, lambda p: p["type"])],
        tags=list(ENTITY_TYPES),
        loader="dict",
    )
    results = evaluator.evaluate()
    out: dict[str, Any] = {"gold": len(gold), "predicted": len(predicted)}
    for ours, theirs in NERVALUATE_SCHEMES.items():
        out[ours] = _result(results["overall"][theirs])
    out["by_type"] = {
        tag: {ours: _result(results["entities"][tag][theirs]) for ours, theirs in NERVALUATE_SCHEMES.items()}
        for tag in ENTITY_TYPES
        if tag in results["entities"]
    }
    out["linking"] = _linking(ann, gold, predicted)
    return out
