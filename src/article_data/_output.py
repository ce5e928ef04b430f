"""Files the command line writes (``export``, ``render``): atomic, regular, and like any other file.

An output goes to a hidden temporary file beside the target (``.NAME.XXXXXXXX``,
made by ``mkstemp``) and is renamed into place only when complete and synced, so an
existing file is never half-written. The temporary file is removed on every exit
path, SIGTERM, SIGINT and SIGHUP included; only SIGKILL, which no process can
catch, can leave it behind (the target is intact then too). The new file's mode follows the umask, like a file the shell creates;
``-`` means standard output; a target that exists but is not a regular file (a
folder, a device, a FIFO) is refused.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ._errors import OutputError

__all__ = ["OutputError", "write_output"]

STDOUT = "-"


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while writing, so cleanup runs (main thread only)."""

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    saved = {}
    try:
        for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is not None:
                saved[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main thread: signals keep their handlers
        pass
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def _target(path: str) -> Path:
    """The file to replace: symlinks followed (like the shell's ``>``), its folder checked."""
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputError(f"{path}: is {kind}; refused. Give a file name (a new one, or a regular file to replace)")
    if not target.parent.is_dir():
        raise OutputError(f"{path}: the folder {target.parent} does not exist; create it first")
    return target


def _write_named(folder: Path, target: Path, data: bytes) -> None:
    umask = os.umask(0)
    os.umask(umask)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, 0o666 & ~umask)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def write_output(path: str, data: bytes) -> str:
    """Write ``data`` to ``path`` atomically (or to standard output for ``-``); return how it was named."""
    if path == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "standard output"
    target = _target(path)
    try:
        with _signals_raise():
            _write_named(target.parent, target, data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc}); nothing was changed") from None
    return path
