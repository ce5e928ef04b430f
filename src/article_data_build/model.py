"""What the build produces: a typed value, written by the writer and described by the describers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BuiltPackage", "MutableRow", "Row"]

from article_data._formats import Row  # one row of a table: column -> value

#: A row while the build computes it (its values are filled in place).
MutableRow = dict[str, Any]


@dataclass(frozen=True)
class BuiltPackage:
    """A package ready to write: the text, the tables (in published order), their schemas and the metadata.

    ``metadata`` holds the descriptor's top-level properties (``name`` first, ``version``
    set by the build) and an ``article`` entry for the text resource; ``responsible_ai``
    goes into croissant.json only; ``released`` is the release date CHANGELOG.md gives
    this version (None while unreleased).
    """

    article: bytes
    tables: Mapping[str, Sequence[Row]]
    schemas: Mapping[str, Mapping[str, Any]]
    metadata: Mapping[str, Any]
    responsible_ai: Mapping[str, Any] = field(default_factory=dict)
    released: str | None = None

    @property
    def version(self) -> str:
        return str(self.metadata["version"])
