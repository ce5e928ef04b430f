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

# No `from __future__ import annotations` here: a NamedTuple compiles each string annotation
# (typing.ForwardRef) when its class is made, about 0.3 ms a field on the start-up of `article-data verify`.

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple, NoReturn

from ._descriptor import Descriptor, parse_descriptor
from ._errors import DescriptorError, IntegrityError
from ._hashes import sha256
from ._names import DESCRIPTOR

__all__ = [
    "DESCRIPTOR",
    "RECORD",
    "Release",
    "Trust",
    "claimed_release",
    "match_release",
    "refuse_claim",
    "released_versions",
    "trust",
]

#: The record's file name, a resource of this package.
RECORD = "releases.json"


class Release(NamedTuple):
    """One kept release as the library records it: every file's size and sha256, by path."""

    version: str
    files: Mapping[str, tuple[int, str]]

    def expect(self, rel: str, shown: str) -> tuple[int, str]:
        """The size and sha256 label this release has for ``rel``; a path it lacks is refused."""
        try:
            return self.files[rel]
        except KeyError:
            raise IntegrityError(
                f"{shown}: not a file of release {self.version}, which this copy's descriptor "
                f"is; refused. Restore the copy from that release",
                path=shown,
                expected="absent",
                actual="present",
            ) from None


_RECORDS: dict[str, Release] | None = None


def _records() -> dict[str, Release]:
    """The record, read once from the library's own files (part of the installed library, so trusted)."""
    global _RECORDS
    if _RECORDS is None:
        # beside this module, as the bundled package is (importlib.resources would cost a zipfile import)
        data = json.loads(Path(__file__).with_name(RECORD).read_bytes())
        _RECORDS = {
            version: Release(
                version, {rel: (int(f["bytes"]), str(f["hash"])) for rel, f in sorted(files.items(), key=_data_first)}
            )
            for version, files in sorted(data["releases"].items(), key=lambda kv: _version_key(kv[0]))
        }
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
    digest = sha256(descriptor)
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
    claim = (
        f"this copy's datapackage.json claims release {release.version}, so it is checked against the "
        f"library's record of that release, not against its own hashes"
    )
    for rel, (size, digest) in release.files.items():
        if rel != DESCRIPTOR:
            try:
                check(rel, size, digest)
            except IntegrityError as exc:
                raise IntegrityError(
                    f"{exc} ({claim})", path=exc.path, expected=exc.expected, actual=exc.actual
                ) from None
    size, expected = release.files[DESCRIPTOR]
    actual = sha256(descriptor)
    raise IntegrityError(
        f"{shown}: claims release {release.version}, but is not that release's datapackage.json (expected {size} "
        f"bytes with {expected}, found {len(descriptor)} bytes with {actual}). A copy of a released version must "
        f"be that release byte for byte: restore it from the release, or give a changed copy another version",
        path=shown,
        expected=expected,
        actual=actual,
    )


class Trust(NamedTuple):
    """A copy's checked descriptor and what vouches for its files: a kept release, or only the descriptor."""

    descriptor: Descriptor
    release: Release | None

    def files(self) -> tuple[str, ...]:
        """Every file to verify besides the descriptor: the release's, or the descriptor's resources and schemas."""
        if self.release is not None:
            return tuple(rel for rel in self.release.files if rel != DESCRIPTOR)
        descriptor = self.descriptor
        return tuple(dict.fromkeys([*(r.path for r in descriptor.resources.values()), *descriptor.schema_paths]))

    def expected(self, rel: str, shown: str) -> tuple[int, str]:
        """The size and sha256 a file must have; one that nothing vouches for is refused."""
        if self.release is not None:
            return self.release.expect(rel, shown)
        declared = self.descriptor.paths.get(rel)
        if declared is None:
            raise DescriptorError(
                f"{shown}: the descriptor names this file but declares no resource with its bytes and sha256, "
                f"and this copy is no release the library knows, so nothing vouches for it; refused. Declare it "
                f"as a resource (as every package built since 1.1.0 does)"
            )
        return declared.bytes, declared.hash


def trust(raw: bytes, shown: str, check: Callable[[str, int, str], None]) -> Trust:
    """Parse a copy's descriptor bytes and decide what vouches for its files.

    An exact release is recognised from the bytes before they are parsed; a descriptor
    that claims a released version with other bytes is refused (:func:`refuse_claim`,
    which reads the copy's files through ``check``).
    """
    release = match_release(raw)
    descriptor = parse_descriptor(raw, shown)
    claimed = claimed_release(descriptor.version) if release is None else None
    if claimed is not None:
        refuse_claim(claimed, raw, shown, check)
    return Trust(descriptor, release)
