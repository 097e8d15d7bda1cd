"""The user-facing error base and the exit-code policy.

Domain code raises these and never prints or exits; the CLI turns them into a clean message.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_OK = 0
EXIT_FAIL = 1
"""The records (or the merge request) do not pass."""
EXIT_USAGE = 2
"""The command was called wrongly: a bad option, a path outside the repository."""
EXIT_UNEXPECTED = 3
"""A bug or an environment failure; the traceback is kept."""
EXIT_TERMINATED = 143
"""Stopped by SIGTERM (128 + 15), as the shell reports a process the signal ended."""


class Terminated(BaseException):
    """SIGTERM (a timeout, a cancelled CI job, a service stopped), raised where the program is
    so that what it holds (a half-written file, locks, temporary folders, worker processes) is
    let go on the way out. Not an ``Exception``: no handler of ordinary errors swallows it."""


class HosoError(Exception):
    """An expected failure, said in Vietnamese, that ends the command with exit status 1."""

    exit_code = EXIT_FAIL


class UsageError(HosoError):
    """The command was called wrongly (exit status 2)."""

    exit_code = EXIT_USAGE


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While the block runs, SIGTERM raises ``Terminated`` where the program is (once: a second
    request during the cleanup is ignored). Processes forked meanwhile inherit the handler:
    there it ends the process, as SIGTERM would, instead of printing a traceback; their parent
    cleans up after them. Workers that wait in C (validation and audit workers) set SIGTERM
    back to the kernel's default as they start, since a handler in Python is never run while a
    process waits there. Outside the main thread, where no handler can be set, nothing
    changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, _: object) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
