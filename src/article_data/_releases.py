"""The kept releases: every released package, as ``releases/article-data-VERSION.zip``, found and opened by number.

The repository keeps each released package in ``releases/`` (listed with its sha256 in
``releases/SHA256SUMS``), and the wheel carries that folder, so an installed library
opens any kept release offline: ``ad.Package.release("1.0.0")``. A release's zip is
checked against ``SHA256SUMS`` before it is opened; its members are then checked
against its own descriptor like any other copy of the package. This module finds
and checks the zips; :meth:`Package.release` opens them (so it imports no Package).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ._errors import ArticleDataError, IntegrityError
from ._files import FIX
from ._names import RELEASE_ZIP, SEMVER

__all__ = ["RELEASES", "Release", "find_release", "is_version", "kept_releases", "releases_folder"]

#: The folder beside the package that keeps the released zips.
RELEASES = "releases"
_SUM_LINE = re.compile(r"(?P<hex>[0-9a-f]{64}) [ *](?P<name>[^\n]+)")
#: A CHANGELOG heading that dates a release: ``## [1.1.0] - 2026-11-26``.
_DATED = re.compile(rf"^## \[(?P<version>{SEMVER})\] - (?P<date>\d{{4}}-\d{{2}}-\d{{2}})", re.MULTILINE)


def is_version(text: str) -> bool:
    """Whether ``text`` reads as a version number such as ``1.0.0``.

    >>> is_version("1.0.0"), is_version("releases/article-data-1.0.0.zip")
    (True, False)
    """
    return re.fullmatch(SEMVER, text) is not None


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version.split("+", maxsplit=1)[0].split("-", maxsplit=1)[0])[:3])


@dataclass(frozen=True)
class Release:
    """One kept release: its version, zip, the sha256 listed for it, and its date (from CHANGELOG.md, if known)."""

    version: str
    path: Path
    sha256: str | None
    date: str | None

    def checked(self) -> Path:
        """The zip's path, once its bytes match the sha256 listed in ``SHA256SUMS`` (an IntegrityError if not)."""
        data = _read_regular(self.path)
        actual = hashlib.sha256(data).hexdigest()
        if self.sha256 is None:
            raise IntegrityError(
                f"{self.path}: not listed in {self.path.parent / 'SHA256SUMS'}, so it cannot be checked. {FIX}",
                path=str(self.path),
                expected="a SHA256SUMS line",
                actual="none",
            )
        if actual != self.sha256:
            raise IntegrityError(
                f"{self.path}: sha256 {actual} differs from {self.sha256} listed in SHA256SUMS. {FIX}",
                path=str(self.path),
                expected=self.sha256,
                actual=actual,
            )
        return self.path


def _read_regular(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise IntegrityError(f"{path}: not a regular file. {FIX}", path=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise IntegrityError(f"{path}: cannot be read ({exc.strerror}). {FIX}", path=str(path)) from None


def releases_folder(*roots: str | os.PathLike[str]) -> Path:
    """The ``releases/`` folder of the first package folder among ``roots`` that keeps one (else of the last)."""
    for root in roots:
        if (Path(root) / RELEASES).is_dir():
            return Path(root) / RELEASES
    return Path(roots[-1]) / RELEASES


def _sums(folder: Path) -> dict[str, str]:
    try:
        text = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {m["name"]: m["hex"] for m in map(_SUM_LINE.fullmatch, text.splitlines()) if m}


def _dates(folder: Path) -> dict[str, str]:
    try:
        text = (folder.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {m["version"]: m["date"] for m in _DATED.finditer(text)}


def kept_releases(*roots: str | os.PathLike[str]) -> tuple[Release, ...]:
    """Every kept release, oldest first, in the ``releases/`` folder that :func:`releases_folder` picks.

    >>> from article_data._package import default_root
    >>> [r.version for r in kept_releases(default_root())][:2]
    ['1.0.0', '1.1.0']
    """
    folder = releases_folder(*roots)
    sums, dates = _sums(folder), _dates(folder)
    found = [
        Release(m["version"], path, sums.get(path.name), dates.get(m["version"]))
        for path in folder.glob("article-data-*.zip")
        if (m := RELEASE_ZIP.fullmatch(path.name))
    ]
    return tuple(sorted(found, key=lambda r: (_numbers(r.version), r.version)))


def find_release(version: str, *roots: str | os.PathLike[str]) -> Release:
    """The kept release of ``version`` (see :func:`kept_releases`); an error listing the kept versions if none."""
    kept = kept_releases(*roots)
    for release in kept:
        if release.version == version:
            return release
    raise ArticleDataError(
        f"no release {version} is kept in {releases_folder(*roots)}: expected one of "
        f"{', '.join(r.version for r in kept) or '(none)'}; `article-data releases` lists them"
    )
