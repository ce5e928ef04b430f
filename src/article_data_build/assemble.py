"""Every input read and every table computed into one :class:`BuiltPackage`."""

from __future__ import annotations

import os
from pathlib import Path

from article_data._version import __version__

from .changelog import release_date
from .croissant import rai_problems
from .entities import build_entities
from .errors import InputFileError
from .inputs import Inputs, TooManyProblems, strip_lines
from .layout import CHANGELOG, METADATA
from .model import BuiltPackage
from .paths import TEXT_CAP, read_input
from .tables import (
    build_defects,
    build_figures,
    build_images,
    build_paragraphs,
    build_quotes,
)
from .text import Article

__all__ = ["build"]


def _released(inputs: Inputs, root: Path, version: str) -> str | None:
    """The release date CHANGELOG.md gives ``version`` (None when there is no changelog or no date)."""
    if not os.path.lexists(root / CHANGELOG):
        return None
    try:
        return release_date(read_input(root, CHANGELOG, TEXT_CAP).decode("utf-8"), version)
    except InputFileError as exc:
        inputs.problem(CHANGELOG, None, str(exc).removeprefix(f"{CHANGELOG}: "))
    except UnicodeDecodeError as exc:
        inputs.problem(CHANGELOG, None, f"not UTF-8 ({exc})")
    return None


def build(root: Path) -> tuple[Inputs, BuiltPackage | None]:
    """Read every input under ``root`` and compute every table; problems are collected in the Inputs.

    The package is None when the inputs cannot even be read far enough to build it, or
    have too many problems to list (:data:`article_data_build.inputs.MAX_PROBLEMS`).
    """
    inputs = Inputs(root)
    try:
        return inputs, _build(inputs, root)
    except TooManyProblems:
        return inputs, None


def _build(inputs: Inputs, root: Path) -> BuiltPackage | None:
    article_file = inputs.article()
    metadata = inputs.metadata()
    names = inputs.table_names(metadata)
    schemas = inputs.schemas(names)
    if article_file is None or not names or len(schemas) != len(names):
        return None
    article_bytes, text = article_file
    paragraphs = build_paragraphs(inputs, text, schemas)
    article = Article(text, paragraphs)
    entities, known = build_entities(inputs, article, schemas)
    computed = {
        "paragraphs": paragraphs,
        **entities,
        "quotes": build_quotes(inputs, article, schemas, known),
        "figures": build_figures(inputs, article, schemas),
        "images": build_images(inputs, article, known),
        "defects": build_defects(inputs, article, schemas),
    }
    missing = [name for name in names if name not in computed]
    for name in missing:
        inputs.problem(
            METADATA,
            None,
            f"table {name!r} is listed but the build has no builder for it; add one in "
            "src/article_data_build/tables.py",
        )
    unlisted = sorted(set(computed) - set(names))
    if unlisted:
        inputs.problem(METADATA, None, f"'tables' does not list {unlisted}")
    rai = metadata.pop("responsible_ai", {})
    for problem in rai_problems(rai):
        inputs.problem(METADATA, rai.get("__line__") if isinstance(rai, dict) else None, problem)
    metadata = strip_lines(metadata)
    metadata.pop("tables", None)
    return BuiltPackage(
        article=article_bytes,
        tables={name: computed[name] for name in names if name in computed},
        schemas={name: schemas[name] for name in names},
        metadata={"name": metadata.pop("name", None), "version": __version__, **metadata},
        responsible_ai=strip_lines(rai) if isinstance(rai, dict) else {},
        released=_released(inputs, root, __version__),
    )
