"""A package as one zip archive (the Frictionless zipped-package form), read as untrusted input.

``datapackage.json`` lies at the root of the archive, ``data/`` and ``schemas/``
beside it. The archive file is opened once and checked like any package file (a
regular file, within :data:`ARCHIVE_LIMIT`); its directory is checked before any
member is read: every name relative and inside the archive (no absolute path, no
``..``, no backslash, no control character), no duplicate, no symlink, nothing
encrypted, only stored or deflated members. A member is read only when its size in
the directory equals the size the descriptor declares, at most that many bytes are
ever decompressed (a zip bomb stops there), and a member that compresses more than
:data:`MAX_RATIO` to one is refused before it is read.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ._descriptor import check_relative_path
from ._errors import ArticleDataError, DescriptorError, IntegrityError
from ._files import FIX, check_digest, file_kind, integrity_fields

__all__ = ["ARCHIVE_LIMIT", "MAX_RATIO", "ZipSource", "is_archive"]

#: The largest archive opened (bytes), and the largest compression ratio of one member.
ARCHIVE_LIMIT = 1 << 30
MAX_RATIO = 1000
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def is_archive(path: str | os.PathLike[str]) -> bool:
    """Whether a package path names a file (taken to be a zip archive) rather than a folder."""
    return os.path.isfile(path)


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
        raise ArticleDataError(f"{self.show(rel)}: a member of an archive has no path of its own; read it with "
                               "load(), article_text() or export(), or unzip the archive and open the folder")

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
            raise DescriptorError(f"{where}: cannot open the archive ({exc.strerror}); expected a zip of a data "
                                  "package") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > ARCHIVE_LIMIT:
            os.close(fd)
            what = f"a {file_kind(info.st_mode)}" if not stat.S_ISREG(info.st_mode) else f"{info.st_size} bytes"
            raise DescriptorError(f"{where}: {what}; expected a zip archive of at most {ARCHIVE_LIMIT} bytes")
        handle = os.fdopen(fd, "rb")
        try:
            archive = zipfile.ZipFile(handle)
            self._members = _check_directory(archive, where)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            handle.close()
            raise DescriptorError(f"{where}: not a usable zip archive ({exc}); expected the zip of a data package") from None
        except BaseException:
            handle.close()
            raise
        self._zip = archive
        return archive

    def read(self, rel: str, *, size: int | None = None, digest: str | None = None, limit: int | None = None,
             error: type[ArticleDataError] = IntegrityError, missing: str | None = None) -> bytes:
        """A member's bytes after checking its directory entry, its size and (if ``digest``) its sha256."""
        archive = self._open()
        shown = self.show(rel)
        member = self._members.get(PurePosixPath(rel).as_posix())
        if member is None:
            advice = missing or f"expected {size} bytes with {digest}. {FIX}"
            raise error(f"{shown}: missing from the archive; {advice}", **integrity_fields(error, shown, digest, "missing"))
        bound = size if size is not None else limit
        if size is not None and member.file_size != size:
            raise error(f"{shown}: size differs from the descriptor: expected {size} bytes but the archive lists "
                        f"{member.file_size}. {FIX}", **integrity_fields(error, shown, str(size), str(member.file_size)))
        if bound is not None and member.file_size > bound:
            raise error(f"{shown}: {member.file_size} bytes, more than the {bound} accepted for this file; refused")
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            raise error(f"{shown}: compressed {member.file_size / member.compress_size:.0f} to 1, more than "
                        f"{MAX_RATIO} to 1; refused as a possible zip bomb")
        try:
            with archive.open(member) as stream:
                data = stream.read(member.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise error(f"{shown}: cannot be read from the archive ({exc}). {FIX}",
                        **integrity_fields(error, shown, digest, "unreadable")) from None
        if len(data) != member.file_size:
            raise error(f"{shown}: holds {len(data)} bytes where the archive lists {member.file_size}. {FIX}",
                        **integrity_fields(error, shown, str(member.file_size), str(len(data))))
        check_digest(shown, data, digest, error)
        return data


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
    return None


def _check_directory(archive: zipfile.ZipFile, where: str) -> dict[str, zipfile.ZipInfo]:
    """Every member of the archive, by name, after checking the whole directory."""
    members: dict[str, zipfile.ZipInfo] = {}
    entries = archive.infolist()
    if len(entries) > 100_000:
        raise ValueError(f"{len(entries)} members")
    for info in entries:
        name = info.filename
        if info.is_dir():
            continue
        bad = _bad_member(name, info, members)
        if bad is not None:
            raise DescriptorError(f"{where}: the member {name!r:.120} {bad}; refused")
        members[name] = info
    return members
