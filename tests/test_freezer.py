"""The collector pause around a site or report build: what the build leaves alive is set aside,
so no collection after it walks the province again."""

import gc

from hoso.freezer import paused


def test_paused_sets_aside_what_the_block_made_and_turns_the_collector_back_on():
    assert gc.isenabled()
    try:
        with paused():
            assert not gc.isenabled()
            kept = [{"step": n} for n in range(1000)]
        assert gc.isenabled()
        tracked = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        assert id(kept) not in tracked
        assert not any(id(o) in tracked for o in kept)
    finally:
        gc.unfreeze()


def test_paused_turns_the_collector_back_on_when_the_block_fails():
    try:
        try:
            with paused():
                raise ValueError
        except ValueError:
            pass
        assert gc.isenabled()
    finally:
        gc.unfreeze()


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_freezer_keeps_the_collector_off_and_frees_cycles_at_its_own_steps():
    import weakref

    from hoso.freezer import Freezer

    freezer = Freezer(every=2)
    try:
        assert not gc.isenabled()
        gone = weakref.ref(_Node())  # a cycle, garbage at once
        freezer.step()
        assert gone() is not None  # the collector's own runs are off
        freezer.step()
        assert gone() is None  # the walk's young collection freed it
        kept = [_Node()]
        freezer.step(2)
        tracked = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        assert id(kept) not in tracked  # set aside
    finally:
        freezer.thaw()
    assert gc.isenabled()
