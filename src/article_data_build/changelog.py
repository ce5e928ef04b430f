"""CHANGELOG.md: the release dates it gives (and, for a release, the section the diff generates)."""

from __future__ import annotations

import re

__all__ = ["release_date"]

_RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def release_date(changelog: str, version: str) -> str | None:
    """Return the date CHANGELOG.md gives a released version, or None.

    Parameters
    ----------
    changelog : str
        The text of a Keep a Changelog file (headings ``## [1.0.0] - 2024-05-01``).
    version : str
        The version to look for.

    Returns
    -------
    str or None
        The ISO date of the release, or None when the version has no dated heading
        (not released yet).

    Examples
    --------
    >>> release_date("## [Unreleased]\\n\\n## [1.0.0] - 2024-05-01\\n", "1.0.0")
    '2024-05-01'
    >>> release_date("## [Unreleased]\\n", "1.0.0") is None
    True
    """
    for match in _RELEASE.finditer(changelog):
        if match["version"] == version:
            return match["date"]
    return None
