"""Run hostile input in a child process under an address-space limit and a timeout.

A regression that decodes a bomb then fails its test (``MemoryError`` or a kill in
the child, or the timeout) instead of taking the machine's memory.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GIB", "Outcome", "run_bounded"]

GIB = 1024**3


@dataclass(frozen=True)
class Outcome:
    """How a bounded child ended: its exit code (negative: killed by that signal), output, and whether it timed out."""

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    seconds: float


def _limit(memory_bytes: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return apply


def _in_fork(target: Callable[[], object], memory_bytes: int, out: int, err: int) -> None:
    """The child's side: limit, redirect, run, exit with the target's int result (1 on an exception)."""
    code = 70
    try:
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115  # pytest replaced the streams
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        _limit(memory_bytes)()
        result = target()
        code = result if isinstance(result, int) else 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # the parent sees the traceback on stderr
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), True
        time.sleep(0.02)


def run_bounded(
    argv_or_callable: Sequence[str | Path] | Callable[[], object],
    *,
    memory_bytes: int,
    timeout: float,
    env: dict[str, str] | None = None,
) -> Outcome:
    """Run a command (a list of arguments) or a callable (in a forked child) with at most ``memory_bytes`` of
    address space (``RLIMIT_AS``) and ``timeout`` seconds; a child still running then is killed.
    """
    start = time.monotonic()
    if not callable(argv_or_callable):
        try:
            done = subprocess.run(
                [str(a) for a in argv_or_callable],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                preexec_fn=_limit(memory_bytes),
            )  # no threads started here
        except subprocess.TimeoutExpired as exc:
            return Outcome(
                -signal.SIGKILL, str(exc.stdout or ""), str(exc.stderr or ""), True, time.monotonic() - start
            )
        return Outcome(done.returncode, done.stdout, done.stderr, False, time.monotonic() - start)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            if env is not None:
                os.environ.clear()
                os.environ.update(env)
            _in_fork(argv_or_callable, memory_bytes, out.fileno(), err.fileno())
        code, timed_out = _wait(pid, timeout)
        out.seek(0)
        err.seek(0)
        return Outcome(
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            timed_out,
            time.monotonic() - start,
        )
