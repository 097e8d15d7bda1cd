"""Two commands editing at the same moment: never both "done" with a step or a case lost."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES, TempRepo, grassroots_vote
from hoso import editing, yamlio
from hoso.errors import HosoError

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
TRIALS = 60
"""Before the lock, 34 of 200 trials lost a step: 60 trials miss that with odds below 1e-4."""
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}
FORK = multiprocessing.get_context("fork")


def _race(action: Callable[[int], Any]) -> list[int]:
    """Run ``action(0)`` and ``action(1)`` in two processes released at the same instant;
    the exit code of each: 0 done, 1 refused with a message, 3 anything else. (Call it after
    the governance is loaded once, so that the forked processes find it parsed.)"""
    start = FORK.Barrier(2)

    def run(n: int) -> None:
        start.wait()
        try:
            action(n)
        except HosoError:
            os._exit(1)
        except BaseException:
            os._exit(3)
        os._exit(0)

    workers = [FORK.Process(target=run, args=(n,)) for n in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return [worker.exitcode or 0 for worker in workers]


def _history(path: Path) -> list[dict[str, Any]]:
    data = yamlio.load_text(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return list(data["history"])


def test_two_transitions_at_once_never_lose_a_step(repo: TempRepo) -> None:
    rel = repo.place(GOOD)
    path = repo.root / rel
    original = path.read_bytes()
    known = len(_history(path))
    assert repo.validate().errors == []  # and the governance is parsed before the forks
    notes = ("bước ghi bởi lệnh thứ nhất", "bước ghi bởi lệnh thứ hai")
    outcomes = []
    for _ in range(TRIALS):
        path.write_bytes(original)

        def record(n: int) -> None:
            editing.record_step(repo.root, path, {**APPRAISED, "note": notes[n]}, AS_OF)

        codes = _race(record)
        assert 3 not in codes
        added = _history(path)[known:]
        # Both steps are the same state, so the second in line is refused, never silently lost.
        assert len(added) == codes.count(0) == 1, (codes, added)
        assert added[0]["note"] == notes[codes.index(0)]
        outcomes.append(tuple(codes))
    assert repo.validate().errors == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert len(set(outcomes)) == 2  # either command may be first


def test_the_second_transition_records_its_step_after_the_first(repo: TempRepo) -> None:
    """Two legal steps in a row, sent at once: both recorded, in whichever order they ran."""
    rel = repo.place(GOOD)
    path = repo.root / rel
    original = path.read_bytes()
    known = len(_history(path))
    assert repo.validate().errors == []  # and the governance is parsed before the forks
    vote = grassroots_vote()
    both = 0
    for _ in range(TRIALS // 2):
        path.write_bytes(original)
        codes = _race(lambda n: editing.record_step(repo.root, path, [APPRAISED, vote][n], AS_OF))
        assert 3 not in codes
        states = [e["state"] for e in _history(path)[known:]]
        # The vote is legal only after the appraisal: recorded after it, or refused.
        assert codes[0] == 0, codes
        assert states == ["partial_appraised"] + ["grassroots_voted"] * (codes[1] == 0), codes
        both += codes == [0, 0]
    assert both > 0


def test_two_new_cases_at_once_never_share_an_id(repo: TempRepo) -> None:
    fields = {
        "unit": "khe-lam",
        "cell": "khe-lam-x03-cb1",
        "subject": {
            "name": "Lò Văn Thử",
            "birth_date": date(2000, 1, 2),
            "sex": "male",
            "ethnicity": "Thái",
            "standing": "candidate",
        },
    }
    opening = {"date": date(2026, 11, 2), "state": "sympathiser", "body": "khe-lam-x03-cb1"}
    folder = repo.root / "cases" / "khe-lam" / "admission"
    assert repo.validate().errors == []
    for trial in range(TRIALS // 2):
        token = f"race{trial:02d}"

        def create(_: int, token: str = token) -> None:
            editing.create(repo.root, "admission", fields, opening, AS_OF, token)

        codes = _race(create)
        assert sorted(codes) == [0, 1], codes
        assert (folder / f"KN-2026-{token}.yaml").is_file()
    assert len(list(folder.iterdir())) == TRIALS // 2
    assert repo.validate().errors == []


def test_validation_workers_are_ended_by_the_kernel_not_by_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pool stopping sends SIGTERM to its workers; one that had just started waiting for a
    task (in C) never ran the command's Python handler and the pool waited for ever. Workers
    take the kernel's default for SIGTERM, and leave Ctrl+C to their parent."""
    import signal

    from hoso.errors import sigterm_unwinds
    from hoso.governance import Governance
    from hoso.validate import run

    monkeypatch.setattr(run, "_check_in_worker", _disposition)
    with sigterm_unwinds():
        found = set(run._check_all([b"x"] * 400, 400, Governance(), 2))
    assert found == {(signal.SIG_DFL, signal.SIG_IGN)}


def _disposition(raw: bytes) -> tuple[object, object]:
    """What a worker does on SIGTERM and on Ctrl+C (a module-level function: pickled by name)."""
    import signal

    return signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)


def test_a_record_removed_while_its_step_is_checked_is_said_removed_not_immutable(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record taken away under a waiting edit (``git switch`` after ``hoso submit`` removes a
    case that is not on the branch switched to) is refused as gone, and not made again."""
    rel = repo.place(GOOD)
    path = repo.root / rel
    checked = editing.check_one

    def check_then_remove(*args: Any, **kwargs: Any) -> Any:
        found = checked(*args, **kwargs)
        path.unlink(missing_ok=True)
        return found

    monkeypatch.setattr(editing, "check_one", check_then_remove)
    with pytest.raises(HosoError) as refused:
        editing.record_step(repo.root, path, APPRAISED, AS_OF)
    said = str(refused.value)
    assert "bất biến" not in said and "không có quyền" not in said, said
    assert "không còn" in said, said
    assert not path.exists()
