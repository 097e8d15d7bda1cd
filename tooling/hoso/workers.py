"""Work shared out to a forked worker per core, its results taken back in order; what a worker
that died (killed, out of memory) never sent back is done again in this process, so that no
command waits for ever on it and nothing is lost."""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 64
"""Items sent to a worker at a time."""


def quiet_signals() -> None:
    """For a worker's initializer: its parent answers signals. SIGTERM ends it at once, by the
    kernel: a handler in Python (inherited from the command) runs only between instructions,
    so one arriving as the worker starts waiting for its next task in C is never run, and the
    pool, stopping, would wait for that worker for ever. Ctrl+C is for the parent alone."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_given: Any = None


def given() -> Any:
    """In a worker: what ``in_order`` was given to share with every worker."""
    return _given


def _setup(value: Any) -> None:
    global _given
    quiet_signals()
    _given = value


def in_order(
    work: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    shared: Any,
    here: Callable[[T], R],
) -> Iterator[R]:
    """``work`` (a module's function, run on workers that find ``shared`` as ``given()``)
    of each item, in order; ``here`` does the same work in this process, for what a dead
    worker held. ``items`` is drawn as the workers need it, so reading can overlap the
    work."""
    import multiprocessing

    source = iter(items)
    sent: deque[list[T]] = deque()

    def chunks() -> Iterator[tuple[Callable[[T], R], list[T]]]:
        while chunk := list(islice(source, CHUNK)):
            sent.append(chunk)  # before the pool has it: a chunk drawn is never lost
            yield work, chunk

    context = multiprocessing.get_context("fork")
    others = set(multiprocessing.active_children())
    with context.Pool(jobs, initializer=_setup, initargs=(shared,)) as pool:
        workers = set(multiprocessing.active_children()) - others
        results = pool.imap(_each, chunks())
        while True:
            try:
                found = results.next(timeout=1)
            except StopIteration:
                return
            except multiprocessing.TimeoutError:
                # A worker that died never sends back what it held: the pool would wait for
                # it for ever.
                if all(worker.is_alive() for worker in workers):
                    continue
                break
            sent.popleft()
            yield from found
    # The pool is stopped (its feeder too): what it did not send back, here, in order.
    while sent:
        yield from map(here, sent.popleft())
    yield from map(here, source)


def _each(task: tuple[Callable[[T], R], list[T]]) -> list[R]:
    work, chunk = task
    return [work(item) for item in chunk]
