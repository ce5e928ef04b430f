"""Exercises the public API under `mypy --strict` (tests/test_typing.py runs it); not a test module."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import article_data as ad


def typed_use() -> None:
    frame: pd.DataFrame = ad.load("quotes", verify=True, format="csv")
    tables: ad.Tables = ad.load_all()
    quotes: pd.DataFrame = tables["quotes"]
    text: str = ad.article_text()
    root: Path = ad.path()
    version: str = ad.__version__
    names: tuple[str, ...] = ad.TABLES
    package: ad.Package = ad.Package(root)
    descriptor: dict[str, object] = package.descriptor()
    try:
        ad.verify()
        ad.validate()
    except ad.IntegrityError as exc:
        print(exc.path, exc.expected, exc.actual)
    except ad.ValidationError as exc:
        problems: tuple[ad.Problem, ...] = exc.problems
        print(problems, frame, quotes, text, version, names, descriptor)
