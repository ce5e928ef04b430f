"""Publishing all or nothing: staging, a lock, a journal and a swap that the next build can finish or undo.

A build writes the whole package into ``.build/staging-*``, validates it, and only
then swaps it into place, ``datapackage.json`` last (the commit point). Around the
swap:

- **a lock** (``.build/lock``, ``flock``): builds run one at a time; a second one
  says the first is running and waits for it;
- **a journal** (``.build/swap.json``), written atomically before the first move,
  naming the staging and backup folders *relative to* ``.build``; the next build
  reads it to roll an interrupted swap back (or to clean up after a committed one).
  A journal that is malformed, truncated or names anything but a ``staging-*`` or
  ``backup-*`` folder directly inside ``.build`` is set aside, never obeyed: nothing
  outside ``.build`` is ever deleted;
- **debris**: staging and backup folders no journal names are removed;
- **no symlink**: ``.build`` and the lock must be a real folder and a regular file
  inside the checkout (:func:`article_data_build.paths.real_folder`); a symlink is
  refused before anything is locked, swapped or deleted.

Between a kill mid-swap and the next build, a reader of the folder sees a mix of
two versions; ``article_data`` notices the journal and says so in its integrity
error (see :mod:`article_data._files`), and the next build restores the old one.

Tests stop a build at a named stage with the environment variable
``ARTICLE_DATA_BUILD_HOOK``: ``STAGE=kill`` (SIGKILL itself there) or
``STAGE=wait:PATH`` (wait there until PATH exists). :data:`STAGES` lists them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from article_data._names import SWAP_JOURNAL

from .errors import BuildError
from .layout import OUTPUTS, STATE
from .paths import real_folder

__all__ = ["JOURNAL", "STAGES", "build_lock", "publish", "recover", "stage"]

JOURNAL = SWAP_JOURNAL
_FOLDER = re.compile(r"(staging|backup)-[A-Za-z0-9_]{1,64}")
_HOOK = "ARTICLE_DATA_BUILD_HOOK"
#: Every stage a test can stop the build at, in the order the build passes them.
STAGES: tuple[str, ...] = (
    "locked",
    "inputs read",
    "staging written",
    "staging validated",
    "journal written",
    *(f"{verb} {name}" for name in OUTPUTS if name != "datapackage.json" for verb in ("moved out", "moved in")),
    "committed",
    "cleaned",
)


def stage(name: str) -> None:
    """Mark a stage of the build; a test's hook may kill the build or hold it here."""
    if name not in STAGES:
        raise ValueError(f"unknown build stage {name!r}")
    hook = os.environ.get(_HOOK, "")
    wanted, _, action = hook.partition("=")
    if wanted != name:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action.startswith("wait:"):
        release = Path(action.removeprefix("wait:"))
        print(f"build: held at stage {name!r} until {release} exists", file=sys.stderr, flush=True)
        while not release.exists():
            time.sleep(0.05)


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold ``.build/lock`` for the whole build; a second build waits, saying who holds it."""
    state = real_folder(root, STATE, create=True)
    try:
        fd = os.open(
            state / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0), 0o644
        )
    except OSError as exc:
        raise BuildError(
            f"{state / 'lock'}: cannot open the build's lock ({exc.strerror}); it must be a regular "
            "file, not a symlink: remove it"
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BuildError(f"{state / 'lock'}: not a regular file; remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            print(
                f"build: another build (pid {holder}) is running in {root}; waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(state: Path, entry: dict[str, Any]) -> None:
    """Write the journal atomically: a complete file or none."""
    handle, temporary = tempfile.mkstemp(prefix=".swap-", suffix=".tmp", dir=state)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(entry, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, state / JOURNAL)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(state)


def _folder(state: Path, value: object) -> Path | None:
    """A journal's folder name, if it is a staging-/backup- folder directly inside ``state``."""
    if not isinstance(value, str) or not _FOLDER.fullmatch(value):
        return None
    folder = state / value
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return None
    return folder


def _read_journal(state: Path) -> tuple[Path, Path, list[str]] | None:
    """The staging and backup folders and the outputs new with the build, or None (with a warning)."""
    path = state / JOURNAL
    if not path.exists() and not path.is_symlink():
        return None
    problem = None
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 * 1024:
            raise ValueError("not a small regular file")
        entry = json.loads(path.read_text(encoding="utf-8"))
        staging, backup = _folder(state, entry.get("staging")), _folder(state, entry.get("backup"))
        absent = entry.get("absent", [])
        if staging is None or backup is None:
            raise ValueError(
                f"it names {entry.get('staging')!r:.60} and {entry.get('backup')!r:.60}, not "
                f"staging-*/backup-* folders inside {state}"
            )
        if not isinstance(absent, list) or not set(absent) <= set(OUTPUTS):
            raise ValueError(f"'absent' must list outputs among {OUTPUTS}")
    except (OSError, ValueError, AttributeError) as exc:  # JSONDecodeError is a ValueError
        problem = str(exc)
    if problem is not None:
        aside = state / f"{JOURNAL}.rejected"
        os.replace(path, aside)
        print(
            f"build: ignored the swap journal {path}: {problem}; nothing it names was touched "
            f"(set aside as {aside.name})",
            file=sys.stderr,
        )
        return None
    return staging, backup, absent  # type: ignore[return-value]


def _move(source: Path, target: Path) -> None:
    """Move a file or folder into place, replacing what is there."""
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    os.replace(source, target)


def _roll_back(root: Path, staging: Path, backup: Path, absent: list[str]) -> None:
    """Put every backed-up output back; take out outputs that are new with the interrupted build."""
    staging.mkdir(exist_ok=True)
    for name in OUTPUTS:
        if (backup / name).exists():
            if (root / name).exists():
                _move(root / name, staging / f"{name}.discarded")
            os.replace(backup / name, root / name)
        elif name in absent and (root / name).exists():
            _move(root / name, staging / f"{name}.discarded")


def recover(root: Path) -> None:
    """Finish or undo a swap that a killed build left, then remove the build's debris (hold the lock)."""
    if not os.path.lexists(root / STATE):
        return
    state = real_folder(root, STATE)
    found = _read_journal(state)
    if found is not None:
        staging, backup, absent = found
        if (staging / "datapackage.json").exists():  # the commit point was not reached: roll back
            _roll_back(root, staging, backup, absent)
            print(
                "build: rolled back a build that was interrupted while swapping files; the previous package is intact",
                file=sys.stderr,
            )
        (state / JOURNAL).unlink()
        _fsync_folder(state)
    for debris in state.iterdir():
        if _FOLDER.fullmatch(debris.name) and debris.is_dir() and not debris.is_symlink():
            shutil.rmtree(debris, ignore_errors=True)
        elif debris.name.startswith(".swap-") and debris.name.endswith(".tmp") and not debris.is_dir():
            debris.unlink(missing_ok=True)


def publish(root: Path, staging: Path, *, old_version: str | None, new_version: str) -> None:
    """Move the validated staging folder's outputs into ``root``; ``datapackage.json`` last (the commit point)."""
    state = real_folder(root, STATE)
    backup = Path(tempfile.mkdtemp(prefix="backup-", dir=state))
    absent = [name for name in OUTPUTS if not (root / name).exists()]
    _write_journal(
        state,
        {
            "staging": staging.name,
            "backup": backup.name,
            "absent": absent,
            "old_version": old_version,
            "new_version": new_version,
        },
    )
    stage("journal written")
    for name in OUTPUTS:
        if name == "datapackage.json":
            continue
        if (root / name).exists():
            os.replace(root / name, backup / name)
        stage(f"moved out {name}")
        os.replace(staging / name, root / name)
        stage(f"moved in {name}")
    if (root / "datapackage.json").exists():
        shutil.copy2(root / "datapackage.json", backup / "datapackage.json")
    os.replace(staging / "datapackage.json", root / "datapackage.json")
    _fsync_folder(root)
    stage("committed")
    (state / JOURNAL).unlink()
    shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    stage("cleaned")
