"""A package as one zip archive (the Frictionless zipped-package form), read as untrusted input.

``datapackage.json`` lies at the root of the archive, ``data/`` and ``schemas/``
beside it. The archive file is opened once and checked like any package file (a
regular file, within :data:`ARCHIVE_LIMIT`); its directory is checked before any
member is read: every name relative and inside the archive (no absolute path, no
``..``, no backslash, no control character), no duplicate, no symlink, nothing
encrypted, only stored or deflated members. Every decode is bounded before it starts:
the number of members is read from the end-of-central-directory record (and its
zip64 form) and refused above :data:`MAX_MEMBERS` before :mod:`zipfile` parses the
directory; a member larger than :data:`MEMBER_LIMIT`, one that compresses more
than :data:`MAX_RATIO` to one, or one whose bytes overlap another member's (many
entries sharing one compressed block) is refused before it is read. A member is
read only when its size in the directory equals the size the descriptor (or the
release record) declares, in chunks, and never past that size.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from ._descriptor import check_relative_path
from ._errors import ArticleDataError, DescriptorError, IntegrityError
from ._files import FIX, check_digest, file_kind, integrity_fields

__all__ = ["ARCHIVE_LIMIT", "MAX_MEMBERS", "MAX_RATIO", "MEMBER_LIMIT", "ZipSource"]

#: The largest archive opened (bytes), the most members, the largest member (bytes, uncompressed)
#: and the largest compression ratio of one member. The real package: 29 stored members under 20 KB.
ARCHIVE_LIMIT = 1 << 30
MAX_MEMBERS = 20_000
MEMBER_LIMIT = 256 << 20
MAX_RATIO = 100
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
#: What zipfile raises on a damaged or hostile archive (a header mutation can reach any of them).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
    struct.error,
    OverflowError,
    IndexError,
    KeyError,
)
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CHUNK = 1 << 20


class ZipSource:
    """The files of a package inside one zip archive."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.root = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, zipfile.ZipInfo] = {}

    def show(self, rel: str) -> str:
        """A member as messages name it: ``archive.zip!/data/quotes.csv``."""
        return f"{self.root}!/{rel}" if rel else str(self.root)

    def path(self, rel: str) -> Path:
        raise ArticleDataError(
            f"{self.show(rel)}: a member of an archive has no path of its own; read it with "
            "load(), article_text() or export(), or unzip the archive and open the folder"
        )

    def swap_in_progress(self) -> str:
        return ""

    def _open(self) -> zipfile.ZipFile:
        if self._zip is not None:
            return self._zip
        where = str(self.root)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.root, flags)
        except OSError as exc:
            raise DescriptorError(
                f"{where}: cannot open the archive ({exc.strerror}); expected a zip of a data package"
            ) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > ARCHIVE_LIMIT:
            os.close(fd)
            what = f"a {file_kind(info.st_mode)}" if not stat.S_ISREG(info.st_mode) else f"{info.st_size} bytes"
            raise DescriptorError(f"{where}: {what}; expected a zip archive of at most {ARCHIVE_LIMIT} bytes")
        handle = os.fdopen(fd, "rb")
        try:
            _check_end_record(handle, info.st_size, where)
            archive = zipfile.ZipFile(handle)
            self._members = _check_directory(archive, where, info.st_size)
        except _ZIP_ERRORS as exc:
            handle.close()
            raise DescriptorError(
                f"{where}: not a usable zip archive ({exc}); expected the zip of a data package"
            ) from None
        except BaseException:
            handle.close()
            raise
        self._zip = archive
        return archive

    def read(
        self,
        rel: str,
        *,
        size: int | None = None,
        digest: str | None = None,
        limit: int | None = None,
        error: type[ArticleDataError] = IntegrityError,
        missing: str | None = None,
    ) -> bytes:
        """A member's bytes after checking its directory entry, its size and (if ``digest``) its sha256."""
        archive = self._open()
        shown = self.show(rel)
        member = self._members.get(PurePosixPath(rel).as_posix())
        if member is None:
            advice = missing or f"expected {size} bytes with {digest}. {FIX}"
            raise error(
                f"{shown}: missing from the archive; {advice}", **integrity_fields(error, shown, digest, "missing")
            )
        bound = size if size is not None else limit
        if size is not None and member.file_size != size:
            raise error(
                f"{shown}: size differs from the descriptor: expected {size} bytes but the archive lists "
                f"{member.file_size}. {FIX}",
                **integrity_fields(error, shown, str(size), str(member.file_size)),
            )
        if bound is not None and member.file_size > bound:
            raise error(f"{shown}: {member.file_size} bytes, more than the {bound} accepted for this file; refused")
        try:
            with archive.open(member) as stream:
                data = _read_bounded(stream, member.file_size)
        except _ZIP_ERRORS as exc:
            raise error(
                f"{shown}: cannot be read from the archive ({exc}). {FIX}",
                **integrity_fields(error, shown, digest, "unreadable"),
            ) from None
        if len(data) != member.file_size:
            raise error(
                f"{shown}: holds {len(data)} bytes where the archive lists {member.file_size}. {FIX}",
                **integrity_fields(error, shown, str(member.file_size), str(len(data))),
            )
        check_digest(shown, data, digest, error)
        return data


def _read_bounded(stream: IO[bytes], size: int) -> bytes:
    """At most ``size`` bytes and one more, read in chunks, so a member that inflates past its size stops there."""
    chunks, remaining = [], size + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _check_end_record(handle: BinaryIO, size: int, where: str) -> None:
    """Read the member count and directory size from the end record (zip64 too) and bound them.

    This runs before :mod:`zipfile` parses the central directory, which it does in
    full (a million entries cost it seconds and hundreds of MB) before anything
    could be checked.
    """
    tail_size = min(size, _EOCD.size + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        raise zipfile.BadZipFile("no end-of-central-directory record")
    _, disk, cd_disk, _, entries, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, at)
    locator_at = at - _EOCD64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at : locator_at + 4] == b"PK\x06\x07":
        _, _, record_at, _ = _EOCD64_LOCATOR.unpack_from(tail, locator_at)
        if record_at + _EOCD64.size > size:
            raise zipfile.BadZipFile("the zip64 end record lies outside the archive")
        handle.seek(record_at)
        record = handle.read(_EOCD64.size)
        if record[:4] != b"PK\x06\x06":
            raise zipfile.BadZipFile("no zip64 end-of-central-directory record where the locator points")
        _, _, _, _, disk, cd_disk, _, entries, cd_size, cd_offset = _EOCD64.unpack(record)
    if disk or cd_disk:
        raise zipfile.BadZipFile("a multi-disk archive")
    if entries > MAX_MEMBERS:
        raise DescriptorError(f"{where}: the archive lists {entries} members; at most {MAX_MEMBERS} are accepted")
    if cd_offset + cd_size > size:
        raise zipfile.BadZipFile(
            f"the central directory ({cd_size} bytes at {cd_offset}) lies outside the archive of {size} bytes"
        )


def _bad_member(name: str, info: zipfile.ZipInfo, seen: dict[str, zipfile.ZipInfo]) -> str | None:
    """Why a member may not be read, or None."""
    try:  # a member name follows the rule for a path in the descriptor
        check_relative_path(name, name)
    except DescriptorError:
        return "is absolute, escapes the archive or holds a control character"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.compress_type not in _METHODS:
        return f"uses compression method {info.compress_type}, not stored or deflated"
    if name in seen:
        return "appears twice"
    if info.file_size > MEMBER_LIMIT:
        return f"declares {info.file_size} bytes, more than the {MEMBER_LIMIT} accepted for one member"
    if info.file_size > max(info.compress_size, 1) * MAX_RATIO:
        return (
            f"inflates {info.file_size} bytes from {info.compress_size}, more than {MAX_RATIO} to 1 "
            "(a possible zip bomb)"
        )
    return None


def _check_directory(archive: zipfile.ZipFile, where: str, size: int) -> dict[str, zipfile.ZipInfo]:
    """Every member of the archive, by name, after checking the whole directory.

    Each member's bytes (its local header, at least as long as its name, and its
    compressed data) must lie in the archive before the central directory and
    overlap no other member's: entries that share one compressed block are refused.
    """
    members: dict[str, zipfile.ZipInfo] = {}
    entries = archive.infolist()
    if len(entries) > MAX_MEMBERS:
        raise DescriptorError(f"{where}: the archive lists {len(entries)} members; at most {MAX_MEMBERS} are accepted")
    end = 0
    for info in sorted(entries, key=lambda i: i.header_offset):
        if info.header_offset < end:
            raise DescriptorError(
                f"{where}: the member {info.filename!r:.120} overlaps the member before it; "
                "refused (entries sharing bytes are a zip bomb's trick)"
            )
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        end = info.header_offset + 30 + len(info.orig_filename.encode(encoding, "replace")) + info.compress_size
    start_dir = int(getattr(archive, "start_dir", size))
    if end > start_dir or start_dir > size:
        raise DescriptorError(f"{where}: members extend past the start of the central directory; refused")
    for info in entries:
        name = info.filename
        if info.is_dir():
            continue
        bad = _bad_member(name, info, members)
        if bad is not None:
            raise DescriptorError(f"{where}: the member {name!r:.120} {bad}; refused")
        members[name] = info
    return members
