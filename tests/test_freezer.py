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
