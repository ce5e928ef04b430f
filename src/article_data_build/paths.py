"""The paths the build reads, locks, swaps and deletes: inside the checkout, never through a symlink.

A contributor's pull request is built by CI, so the build treats the checkout as
untrusted. Every input file is opened by :func:`read_input` one path component at a
time from a directory descriptor with ``O_NOFOLLOW`` (a symlink anywhere on the way
is refused, not followed), must be a regular file, and is read bounded by a size
cap checked before reading. Every folder the build locks, swaps or deletes in goes
through :func:`real_folder`: each component is checked with ``lstat``, so ``.build``
as a symlink to an outside folder is refused and nothing there is touched.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import BuildError, InputFileError

__all__ = ["ARTICLE_CAP", "SCHEMA_CAP", "TEXT_CAP", "YAML_CAP", "read_input", "real_folder"]

#: Size caps of the inputs, checked before a byte is read (the 1.1.0 inputs are 5-100x smaller).
YAML_CAP = 512 * 1024
ARTICLE_CAP = 1024 * 1024
SCHEMA_CAP = 256 * 1024
TEXT_CAP = 4 * 1024 * 1024  # CHANGELOG.md and other Markdown the build reads

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def _parts(rel: str) -> list[str]:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise InputFileError(f"{rel!r}: expected a relative path inside the checkout")
    return parts


def _refusal(rel: str, exc: OSError) -> InputFileError:
    if exc.errno == errno.ENOENT:
        return InputFileError(f"{rel}: missing input file")
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return InputFileError(
            f"{rel}: a symlink (or not a folder) on the way to this input; the build reads only "
            "regular files inside the checkout: replace the symlink with the file itself"
        )
    return InputFileError(f"{rel}: cannot read this input ({exc.strerror})")


def read_input(root: Path, rel: str, cap: int) -> bytes:
    """The bytes of the regular file ``root/rel``, refusing a symlink at any component and a size over ``cap``."""
    parts = _parts(rel)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for part in parts[:-1]:
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                raise _refusal(rel, exc) from None
            os.close(fd)
            fd = child
        try:
            handle = os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
        except OSError as exc:
            raise _refusal(rel, exc) from None
    finally:
        os.close(fd)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{rel}: not a regular file; the build reads only regular files inside the checkout")
        if info.st_size > cap:
            raise InputFileError(
                f"{rel}: {info.st_size} bytes, over the build's cap of {cap} bytes for this input "
                "(SECURITY.md, 'The build's inputs')"
            )
        chunks, size = [], 0
        while size <= cap:
            chunk = os.read(handle, min(1 << 20, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise InputFileError(f"{rel}: grew past the build's cap of {cap} bytes while being read")
        return b"".join(chunks)
    finally:
        os.close(handle)


def real_folder(root: Path, rel: str, *, create: bool = False) -> Path:
    """``root/rel``, checked with ``lstat`` at every component to be a real folder (made if ``create``)."""
    folder = root
    for part in _parts(rel):
        folder = folder / part
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            if not create:
                raise BuildError(f"{folder}: missing folder") from None
            os.mkdir(folder)  # refuses to create through a dangling symlink: the name exists
            info = os.lstat(folder)
        if stat.S_ISLNK(info.st_mode):
            raise BuildError(
                f"{folder} is a symlink; the build locks, swaps and deletes only in real folders "
                f"inside the checkout and follows no symlink: remove {folder} (nothing was touched)"
            )
        if not stat.S_ISDIR(info.st_mode):
            raise BuildError(f"{folder} is not a folder; remove it so that the build can keep its state there")
    return folder
