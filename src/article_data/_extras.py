"""Optional dependencies: import one, or say which extra of article-data brings it."""

from __future__ import annotations

import importlib
from types import ModuleType

from ._errors import ArticleDataError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(ArticleDataError, ImportError):
    """A feature needs a package that comes with an extra of article-data, and it is not installed."""


def require(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` naming the extra that installs it.

    >>> require("json", "none", "a test").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{feature} needs the Python package {module.split('.', maxsplit=1)[0]!r}, which is not installed "
            f"({exc}); install it with: pip install 'article-data[{extra}]'"
        ) from None
