"""Reading a package's files as untrusted input: each file opened once, checked, then read.

A path from a descriptor is resolved, refused if it leads out of the package,
opened once without following a symlink swapped in since, and checked on the
open descriptor (``fstat``): a FIFO, a device or a folder is refused, and so is a
size other than the declared ``bytes``, before a byte is read. The bytes read are
the bytes hashed and parsed; nothing is opened a second time.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ._errors import ArticleDataError, DescriptorError, IntegrityError
from ._hashes import sha256
from ._names import STATE_DIR, SWAP_JOURNAL, VERSION

__all__ = ["FIX", "FolderSource", "Source", "check_digest", "file_kind", "integrity_fields"]

FIX = (
    "Restore the file from the release it came from (reinstall the pinned article-data "
    "version, or `git checkout` it); article_data never repairs or re-downloads data."
)
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


def file_kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "special file")


def _kind_at(path: str) -> str | None:
    """What a path that cannot be opened is, if it is not a regular file or a symlink (a socket, say)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISLNK(mode) else file_kind(mode)


class Source(Protocol):
    """Where a package's files come from: a folder (:class:`FolderSource`) or a zip archive."""

    root: Path

    def show(self, rel: str) -> str: ...

    def path(self, rel: str) -> Path: ...

    def swap_in_progress(self) -> str: ...

    def read(
        self,
        rel: str,
        *,
        size: int | None = None,
        digest: str | None = None,
        limit: int | None = None,
        error: type[ArticleDataError] = IntegrityError,
        missing: str | None = None,
    ) -> bytes: ...


class FolderSource:
    """The files of a package in a folder on disk."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        real = os.path.realpath(self.root)  # compared as text: pathlib costs more than the rest of a verify
        self._real = real
        self._prefix = real if real.endswith(os.sep) else real + os.sep

    def show(self, rel: str) -> str:
        """The path of a member as messages and :attr:`IntegrityError.path` give it."""
        return str(self.root / rel)

    def path(self, rel: str) -> Path:
        """The path of a member on disk, refused if it leads out of the package."""
        self._resolve(rel)
        return self.root / rel

    def _resolve(self, rel: str) -> str:
        real = os.path.realpath(os.path.join(self._real, rel))
        if not self._within(real):
            raise DescriptorError(
                f"{self.show(rel)}: {rel!r} leads through a symlink out of the package; refused. "
                f"Expected a relative path inside {self.root}"
            )
        return real

    def _inside(self, fd: int, real: str) -> bool:
        """Whether the open file really lies in the package (a folder may have been swapped since resolving)."""
        try:
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # no /proc: the file must still be the one the resolved path names
            try:
                now, then = os.fstat(fd), os.stat(real, follow_symlinks=False)
            except OSError:
                return False
            return (now.st_dev, now.st_ino) == (then.st_dev, then.st_ino)
        return self._within(opened)

    def _within(self, real: str) -> bool:
        """Whether a resolved absolute path is the package's folder or lies inside it."""
        return real == self._real or real.startswith(self._prefix)

    def swap_in_progress(self) -> str:
        """A sentence for integrity errors when a build's swap journal lies in this folder, else ''."""
        return swap_hint(self.root)

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
        """Return a member's bytes after checking its kind, size and (if ``digest`` is given) sha256.

        ``size`` and ``digest`` are what the descriptor declares; ``limit`` bounds a file
        whose size is not declared (a descriptor or schema). Failures raise ``error``
        (an :class:`IntegrityError` for data files) naming the file; ``missing`` replaces
        the advice given when the file does not exist.
        """
        shown = self.show(rel)
        expected = f"{size} bytes with {digest}" if size is not None and digest else "a regular file"
        real = self._resolve(rel)
        try:
            fd = os.open(real, _FLAGS)
        except FileNotFoundError:
            advice = missing or f"expected {expected}. {FIX}"
            raise error(
                f"{shown}: missing; {advice}{self.swap_in_progress()}",
                **integrity_fields(error, shown, digest, "missing"),
            ) from None
        except OSError as exc:
            kind = _kind_at(real)
            if kind is not None:
                raise error(
                    f"{shown}: not a regular file (a {kind}); refused. {FIX}",
                    **integrity_fields(error, shown, digest, kind),
                ) from None
            raise error(
                f"{shown}: cannot be opened ({exc.strerror}); a symlink swapped in or a file that cannot "
                f"be read. {FIX}",
                **integrity_fields(error, shown, digest, "unreadable"),
            ) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise error(
                    f"{shown}: not a regular file (a {file_kind(info.st_mode)}); refused. {FIX}",
                    **integrity_fields(error, shown, digest, file_kind(info.st_mode)),
                )
            if not self._inside(fd, real):
                raise DescriptorError(f"{shown}: {rel!r} was moved out of the package while being opened; refused")
            if size is not None and info.st_size != size:
                raise error(
                    f"{shown}: size differs from the descriptor: expected {size} bytes but found {info.st_size}. "
                    f"The file was truncated, extended or replaced. {FIX}{self.swap_in_progress()}",
                    **integrity_fields(error, shown, str(size), str(info.st_size)),
                )
            if limit is not None and info.st_size > limit:
                raise error(f"{shown}: {info.st_size} bytes, more than the {limit} accepted for this file; refused")
            data = _read_exactly(fd, info.st_size)
        finally:
            os.close(fd)
        if len(data) != info.st_size:
            raise error(
                f"{shown}: changed while it was read (expected {info.st_size} bytes, read {len(data)}). {FIX}",
                **integrity_fields(error, shown, str(info.st_size), str(len(data))),
            )
        check_digest(shown, data, digest, error, hint=self.swap_in_progress)
        return data


def swap_hint(root: Path) -> str:
    """A sentence for integrity errors when a build's swap journal lies in this folder, else ''.

    The build (not part of this library) journals its swap in ``.build/swap.json``;
    while that file exists the folder may hold a mix of two versions. The journal is
    untrusted like everything in the folder: ``.build`` is opened relative to the
    folder without following a symlink (one to an outside folder is never read), the
    journal likewise, as a small regular file, and its versions are taken only if
    they look like versions.
    """
    raw = _read_state_file(root, STATE_DIR, SWAP_JOURNAL, limit=4096)
    if raw is None:
        return ""
    journal = root / STATE_DIR / SWAP_JOURNAL
    found = {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if isinstance(data, dict):
        found = {
            k: str(data[f"{k}_version"])
            for k in ("old", "new")
            if isinstance(data.get(f"{k}_version"), str) and VERSION.fullmatch(data[f"{k}_version"])
        }
    old = f" {found['old']}" if "old" in found else ""
    new = f" {found['new']}" if "new" in found else ""
    return (
        f" A build was swapping version{new} into this folder and did not finish ({journal} exists): the "
        f"files are a mix of two versions; the previous version{old} is complete in the build's backup "
        f"folder. Run the build again (`make build`), which finishes or rolls back the swap."
    )


def _read_state_file(root: Path, folder: str, name: str, *, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``root/folder/name``, no component after ``root`` followed through a symlink."""
    directory = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    fds: list[int] = []
    try:
        fds.append(os.open(root, directory))
        fds.append(os.open(folder, directory | getattr(os, "O_NOFOLLOW", 0), dir_fd=fds[-1]))
        fds.append(os.open(name, _FLAGS, dir_fd=fds[-1]))
        return os.read(fds[-1], limit) if stat.S_ISREG(os.fstat(fds[-1]).st_mode) else None
    except OSError:
        return None
    finally:
        for fd in fds:
            os.close(fd)


def check_digest(
    shown: str, data: bytes, digest: str | None, error: type[ArticleDataError], hint: Callable[[], str] = str
) -> None:
    """Raise ``error`` naming ``shown`` when ``data`` does not hash to ``digest`` (None: no check)."""
    if digest is None:
        return
    actual = sha256(data)
    if actual != digest:
        raise error(
            f"{shown}: content differs from the descriptor: expected {digest} but found {actual}. "
            f"The file was changed or damaged. {FIX}{hint()}",
            **integrity_fields(error, shown, digest, actual),
        )


def integrity_fields(error: type[ArticleDataError], path: str, expected: str | None, actual: str) -> dict[str, str]:
    """The keyword arguments of an IntegrityError (others take none)."""
    if issubclass(error, IntegrityError):
        return {"path": path, "expected": expected or "", "actual": actual}
    return {}


def _read_exactly(fd: int, size: int) -> bytes:
    """Read up to ``size`` bytes and one more, so a file that grew is noticed."""
    chunks, remaining = [], size + 1
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
