"""Keeping Python's cyclic garbage collector off what a long run has loaded for good.

Loading a province (tens of thousands of records, each a tree of small objects) makes the
collector walk everything loaded so far again and again: half the time of loading 50,000
records went to it. What a run keeps until its end is set aside instead (``Freezer``), or the
collector is paused for a bounded piece of work (``paused``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class Freezer:
    """Every ``every`` steps of a long walk, set what is alive aside from the cyclic garbage
    collector (after a young collection), so that it stops walking the growing index again
    and again. ``thaw`` gives it back at the end."""

    def __init__(self, every: int = 4096) -> None:
        self.every = every
        self.count = 0

    def step(self, count: int = 1) -> None:
        self.count += count
        if self.count >= self.every:
            self.count = 0
            gc.collect(1)
            gc.freeze()

    @staticmethod
    def thaw() -> None:
        gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for a bounded piece of work that leaves no cyclic garbage worth
    collecting (a site build: records, pages and their figures, freed by reference counts;
    at 50,000 records the peak memory was the same with the collector off, and the build
    took a fifth less time). Back on however the block ends, with what the block left alive
    set aside (``gc.freeze``): otherwise the first young collection after it walks every
    object made in the block, then the older ones walk them again (9 s after a 50,000-record
    site build, in the mkdocs process that goes on to render the pages)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()
