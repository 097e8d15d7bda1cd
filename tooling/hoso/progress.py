"""Progress on the terminal for work that can take more than a few seconds.

Shown on standard error, and only when it is a terminal and the user did not ask for quiet:
piped output, CI logs and ``--quiet`` get nothing. ``rich`` draws it.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import Any


def wanted(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty() and not os.environ.get("HOSO_QUIET")


class Progress:
    """A bar with a count (``total`` when known), advanced by the work as it goes."""

    def __init__(self, description: str, total: int | None = None, enabled: bool = True) -> None:
        self.description = description
        self.total = total
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None
        self._pending = 0
        self._last = 0.0

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("đã chạy"),
                TimeElapsedColumn(),
                TextColumn("còn"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def set_total(self, total: int) -> None:
        self.total = total
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def advance(self, count: int = 1) -> None:
        if self._bar is None:
            return
        self._pending += count
        now = time.monotonic()
        if now - self._last > 0.1:
            self._bar.advance(self._task, self._pending)
            self._pending, self._last = 0, now

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)
