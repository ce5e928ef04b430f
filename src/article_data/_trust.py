"""The library's own record of every kept release: the anchor of trust for a copy that claims one.

The record (``releases.json`` beside this module, written by ``make release``) lists
the size and sha256 of every file of every kept release, ``datapackage.json`` and
the Table Schemas included. A copy whose descriptor is byte for byte a release's is
*that release*: each of its files is then checked against the record, never
against the copy's own descriptor, so a copy whose author rewrote the descriptor's
hashes to match an edit is refused at the first file that differs. A copy whose
descriptor claims a released version with other bytes is refused before anything
in it is parsed. Any other copy (a local build, a fork, a build's staging folder)
is *untrusted*: its own descriptor's hashes are all there is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources

from ._errors import IntegrityError

TYPE_CHECKING = False  # typing costs import time; mypy reads this block as true
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import NoReturn

__all__ = ["DESCRIPTOR", "RECORD", "Release", "claimed_release", "match_release", "refuse_claim", "released_versions"]

#: The record's file name, a resource of this package.
RECORD = "releases.json"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Release:
    """One kept release as the library records it: every file's size and sha256, by path."""

    version: str
    files: Mapping[str, tuple[int, str]]

    def expect(self, rel: str, shown: str) -> tuple[int, str]:
        """The size and sha256 label this release has for ``rel``; a path it lacks is refused."""
        try:
            return self.files[rel]
        except KeyError:
            raise IntegrityError(f"{shown}: not a file of release {self.version}, which this copy's descriptor "
                                 f"is; refused. Restore the copy from that release",
                                 path=shown, expected="absent", actual="present") from None


_RECORDS: dict[str, Release] | None = None


def _records() -> dict[str, Release]:
    """The record, read once from the library's own files (part of the installed library, so trusted)."""
    global _RECORDS
    if _RECORDS is None:
        data = json.loads(resources.files(__package__).joinpath(RECORD).read_bytes())
        _RECORDS = {version: Release(version, {rel: (int(f["bytes"]), str(f["hash"]))
                                               for rel, f in sorted(files.items(), key=_data_first)})
                    for version, files in sorted(data["releases"].items(), key=lambda kv: _version_key(kv[0]))}
    return _RECORDS


def _data_first(item: tuple[str, object]) -> tuple[bool, str]:
    return item[0] == DESCRIPTOR, item[0]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def released_versions() -> tuple[str, ...]:
    """The versions the library has a record of, oldest first."""
    return tuple(_records())


def match_release(descriptor: bytes) -> Release | None:
    """The release whose ``datapackage.json`` is exactly these bytes, or None."""
    digest = "sha256:" + hashlib.sha256(descriptor).hexdigest()
    return next((r for r in _records().values() if r.files["datapackage.json"] == (len(descriptor), digest)), None)


def claimed_release(version: str) -> Release | None:
    """The release a descriptor claims by its ``version``, if the library has a record of it."""
    return _records().get(version)


def refuse_claim(release: Release, descriptor: bytes, shown: str, check: Callable[[str, int, str], None]) -> NoReturn:
    """Refuse a copy that claims ``release`` but whose descriptor is not that release's.

    ``check(rel, size, digest)`` reads one file of the copy bounded by the record's size
    and raises :class:`IntegrityError` when it differs: the files are checked in the
    record's order, so the error names the first file that differs from the release
    (an edited table whose hash was rewritten in the descriptor, say), and the
    descriptor itself when every other file matches.
    """
    claim = (f"this copy's datapackage.json claims release {release.version}, so it is checked against the "
             f"library's record of that release, not against its own hashes")
    for rel, (size, digest) in release.files.items():
        if rel != DESCRIPTOR:
            try:
                check(rel, size, digest)
            except IntegrityError as exc:
                raise IntegrityError(f"{exc} ({claim})", path=exc.path, expected=exc.expected,
                                     actual=exc.actual) from None
    size, expected = release.files[DESCRIPTOR]
    actual = "sha256:" + hashlib.sha256(descriptor).hexdigest()
    raise IntegrityError(
        f"{shown}: claims release {release.version}, but is not that release's datapackage.json (expected {size} "
        f"bytes with {expected}, found {len(descriptor)} bytes with {actual}). A copy of a released version must "
        f"be that release byte for byte: restore it from the release, or give a changed copy another version",
        path=shown, expected=expected, actual=actual)
