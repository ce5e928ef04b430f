"""The scorer: a system run on ``ad.article_text()``, scored against the tables with fixed matching rules.

Three tasks (``mentions``, ``quotes``, ``figures``); predictions are JSON Lines or
CSV (:mod:`._predictions`, ``predictions.schema.json``); what counts as a match is
in each task's module and in the README ("For NLP work"). ``mentions`` needs the
extra ``article-data[score]`` (nervaluate).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .._annotations import Annotations
from .._errors import ArticleDataError
from .._names import SCORE_TASKS
from ._figures import score_figures
from ._mentions import score_mentions
from ._predictions import PredictionError, predictions_schema_path, read_predictions
from ._quotes import score_quotes
from ._report import format_score

__all__ = ["TASKS", "PredictionError", "format_score", "predictions_schema_path", "score"]

#: Task -> its scorer (the tasks, in order, are :data:`article_data._names.SCORE_TASKS`).
TASKS: dict[str, Callable[[Annotations, list[dict[str, Any]]], dict[str, Any]]] = dict(
    zip(SCORE_TASKS, (score_mentions, score_quotes, score_figures), strict=True)
)


def score(
    ann: Annotations, task: str, predictions: str | os.PathLike[str] | Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Score ``predictions`` (a file, or dicts) for ``task`` against the annotations."""
    if task not in TASKS:
        raise ArticleDataError(f"unknown task {task!r}: expected one of {', '.join(TASKS)}")
    predicted = read_predictions(predictions, task, len(ann.text))
    result = TASKS[task](ann, predicted)
    return {"task": task, "version": ann.version, **result}
