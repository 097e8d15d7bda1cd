"""How a change between two versions of a record is classified, and the record shapes that
stand in for old versions: a history that cannot be lined up is a rewrite, never new steps."""

from __future__ import annotations

import pytest

from conftest import ROOT
from hoso.review.changes import classify, shape
from hoso.validate.record import parse


def _screening() -> tuple[str, bytes]:
    found = sorted((ROOT / "cases").glob("*/screening/*.yaml"))
    assert found
    return found[0].relative_to(ROOT).as_posix(), found[0].read_bytes()


@pytest.mark.parametrize(
    "spoiled", [b"\nhistory:\n", b"\nhistory: x\n", b"\nhistory:\n  state: listed\n"]
)
def test_a_history_that_was_not_a_list_and_becomes_one_is_a_rewrite(spoiled: bytes) -> None:
    """A base whose history is null, text or a mapping, replaced by a whole history: each
    invented step would otherwise pass as a step added, without the corrections rule."""
    path, good = _screening()
    head = good.partition(b"\nhistory:\n")[0]
    assert head != good
    bad = head + spoiled
    for old_shape in (None, shape(parse(bad)[1])):
        for before, after in ((bad, good), (good, bad)):
            change = classify(path, "M", before, after, old_shape if before is bad else None)
            assert change.kind == "rewrite" and "history" in change.fields


def test_steps_added_to_a_list_stay_steps() -> None:
    path, good = _screening()
    data = parse(good)[1]
    assert isinstance(data["history"], list) and len(data["history"]) >= 2
    text = good.decode()
    last = text.rfind("\n- ") if "\n- " in text else text.rfind("\n  - ")
    shorter = text[: last + 1].encode()
    change = classify(path, "M", shorter, good, shape(parse(shorter)[1]))
    assert change.kind == "steps" and not change.fields


def test_a_report_and_a_list_of_that_report_have_different_shapes() -> None:
    assert shape({"reports": {}}) != shape({"reports": [{}]})
    assert shape({"kind": "plan", "reports": 1}) != shape({"kind": "plan", "reports": [1]})


def test_shapes_travel_between_processes_unchanged() -> None:
    import pickle

    _, good = _screening()
    made = shape(parse(good)[1])
    again = pickle.loads(pickle.dumps(made))
    assert again == made and hash(again) == hash(made)
    assert again.history() == made.history() and again.get("status") == made.get("status")


def test_a_new_record_carries_its_shape_for_the_audit_to_keep() -> None:
    """The audit keeps the shape classification made, rather than shaping the record again."""
    path, good = _screening()
    change = classify(path, "A", None, good)
    assert change.kind == "new" and change.shape == shape(parse(good)[1])
    assert classify(path, "A", None, b"- a list\n").shape is None


def test_every_value_and_event_is_compared_by_128_bits() -> None:
    """Versions are compared by digests: at 64 bits two notes whose events digest alike can be
    found by brute force, and a rewritten step would pass as no change. Each slot of a shape
    is 16 bytes, and two values differing in one character differ in their slot."""
    text = (ROOT / "cases").glob("*/admission/*.yaml")
    data = parse(next(iter(sorted(text))).read_bytes())[1]
    made = shape(data)
    slots = len(made.keys) + len(made.history())
    assert len(made.digests) == 16 * slots
    other = dict(data, history=[*data["history"][:-1], {**data["history"][-1], "note": "x"}])
    before, after = made.history()[-1][0], shape(other).history()[-1][0]
    assert len(before) == 16 and before != after
