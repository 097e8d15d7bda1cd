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
    """For a long walk: the collector's own runs off, and every ``every`` steps a young
    collection (the cycles the last steps left) after which what is alive is set aside, so
    that the collector never walks the growing index again. Left to run by itself, the
    collector took a third of a first audit's time even so: each young collection walked
    what the steps since the last set-aside had kept. ``thaw`` gives everything back and
    turns the collector on again if it was on."""

    def __init__(self, every: int = 4096) -> None:
        self.every = every
        self.count = 0
        self.was = gc.isenabled()
        gc.disable()

    def step(self, count: int = 1) -> None:
        self.count += count
        if self.count >= self.every:
            self.count = 0
            gc.collect(1)
            gc.freeze()

    def thaw(self) -> None:
        gc.unfreeze()
        if self.was:
            gc.enable()


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
