"""The site's facts are kept between builds by record content: a build reads again only what
changed, and makes the same pages as a build that reads everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF
from hoso.rules import public_holidays
from hoso.sample.write import generate
from hoso.site import reading as data_module
from hoso.site.pages import render_all
from hoso.validate.cache import location
from hoso.workers import given


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    generate(root, 150, 11)
    return root


@pytest.fixture
def province(sample: Path, tmp_path: Path) -> Path:
    """A fresh copy of the sample province, with no store yet."""
    import shutil
    import subprocess

    shutil.copytree(sample, tmp_path / "p")
    root = tmp_path / "p"
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    who = ["-c", "user.name=Mẫu", "-c", "user.email=mau@mau.invalid"]
    subprocess.run(["git", "-C", str(root), *who, "commit", "-qm", "Sample"], check=True)
    return root


@pytest.fixture
def derived(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The id of each case whose facts a build works out (rather than takes from the store)."""
    seen: list[str] = []
    real = data_module.facts_of

    def counting(case, governance):  # type: ignore[no-untyped-def]
        seen.append(case.id)
        return real(case, governance)

    monkeypatch.setattr(data_module, "facts_of", counting)
    return seen


def _cases(root: Path) -> list[Path]:
    return sorted(p for p in (root / "cases").rglob("*.yaml") if p.name[:2] in ("KN", "RS", "KL"))


def test_a_second_staff_build_reads_no_record_again(
    province: Path, derived: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, first = render_all(province, "staff", AS_OF)
    assert len(derived) == len(data.facts) > 100

    read = data_module.parse
    kinds: list[bytes] = []

    def reading(raw: bytes):  # type: ignore[no-untyped-def]
        kinds.append(next(w for w in raw.split(b"\n") if w.startswith(b"kind:")))
        return read(raw)

    monkeypatch.setattr(data_module, "parse", reading)
    again, second = render_all(province, "staff", AS_OF)
    assert second == first
    assert set(kinds) <= {b"kind: plan", b"kind: ranking"}  # a few, and no case
    assert len(derived) == len(data.facts)
    assert again.confidential == data.confidential and again.personal == data.personal


def test_a_folder_outside_git_keeps_no_personal_values_in_the_users_home(
    sample: Path, tmp_path: Path, derived: list[str]
) -> None:
    """The store holds every record's confidential and personal values: a folder outside git
    (an export on a shared computer) keeps none, so none outlives the folder."""
    import os
    import shutil

    shutil.copytree(sample, tmp_path / "export")
    before = {p for p in Path(os.environ["XDG_CACHE_HOME"]).rglob("*")}
    data, first = render_all(tmp_path / "export", "staff", AS_OF)
    _, second = render_all(tmp_path / "export", "staff", AS_OF)
    assert second == first and len(derived) == 2 * len(data.facts)
    added = {p for p in Path(os.environ["XDG_CACHE_HOME"]).rglob("*")} - before
    assert not [p for p in added if p.name == "site.pickle"]
    some = sorted(data.personal)[:20]
    assert some and not [
        p for p in added if p.is_file() and any(v.encode() in p.read_bytes() for v in some)
    ]


def test_pages_from_the_store_are_those_of_a_build_without_one(province: Path) -> None:
    for audience in ("staff", "commission"):
        render_all(province, audience, AS_OF)  # fills the store
        kept = render_all(province, audience, AS_OF)
        path = location(province, "site.pickle")
        assert path is not None and path.is_file()
        path.unlink()
        fresh = render_all(province, audience, AS_OF)
        assert kept[1] == fresh[1]
        assert kept[0].facts == fresh[0].facts
        assert kept[0].confidential == fresh[0].confidential
        assert kept[0].personal == fresh[0].personal


def test_a_changed_record_is_read_again_and_a_removed_one_counted_no_more(
    province: Path, derived: list[str]
) -> None:
    data, _ = render_all(province, "staff", AS_OF)
    changed, removed = _cases(province)[:2]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "# sửa lại\n", encoding="utf-8")
    removed.unlink()
    derived.clear()
    after, _ = render_all(province, "staff", AS_OF)
    assert derived == [changed.stem]
    assert len(after.facts) == len(data.facts) - 1
    assert removed.stem not in {f.id for f in after.facts}


def test_a_changed_record_is_counted_as_it_now_stands(province: Path) -> None:
    """The facts of a record whose content changed are its new ones, not the stored ones."""
    render_all(province, "staff", AS_OF)
    path = next(p for p in _cases(province) if "status: cell_voted" in p.read_text("utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: cell_voted", "status: decided", 1), encoding="utf-8")
    data, _ = render_all(province, "staff", AS_OF)
    assert next(f.status for f in data.facts if f.id == path.stem) == "decided"


def test_a_change_to_governance_or_to_the_calendar_discards_the_store(
    province: Path, derived: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, _ = render_all(province, "staff", AS_OF)
    units = province / "governance" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "# sửa lại\n", encoding="utf-8")
    derived.clear()
    render_all(province, "staff", AS_OF)
    assert len(derived) == len(data.facts)
    derived.clear()
    render_all(province, "staff", AS_OF)
    assert derived == []
    monkeypatch.setattr(public_holidays, "library_key", lambda: "another copy of holidays")
    render_all(province, "staff", AS_OF)
    assert len(derived) == len(data.facts)


@pytest.mark.parametrize("content", [b"not a pickle", b""])
def test_a_broken_store_is_read_as_none(province: Path, derived: list[str], content: bytes) -> None:
    data, first = render_all(province, "staff", AS_OF)
    path = location(province, "site.pickle")
    assert path is not None
    path.write_bytes(content)
    derived.clear()
    assert render_all(province, "staff", AS_OF)[1] == first
    assert len(derived) == len(data.facts)


def test_a_store_sealed_under_another_key_is_not_loaded(
    province: Path, derived: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A pickle is code when loaded: one this user's key did not seal (planted, or another
    user's) is never unpickled."""
    data, first = render_all(province, "staff", AS_OF)
    monkeypatch.setenv("HOSO_AUDIT_KEY", str(tmp_path / "other.key"))
    derived.clear()
    assert render_all(province, "staff", AS_OF)[1] == first
    assert len(derived) == len(data.facts)


def test_a_store_that_cannot_be_written_leaves_the_build_whole(province: Path) -> None:
    path = location(province, "site.pickle")
    assert path is not None
    path.mkdir(parents=True)  # a folder where the store would go: no file can be put there
    data, pages = render_all(province, "staff", AS_OF)
    assert len(data.facts) > 100 and pages
    assert path.is_dir()


def test_many_unknown_records_are_read_on_workers_only_in_a_process_of_one_thread(
    province: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers are forked: never from a process running other threads (``mkdocs serve``),
    where one could hold a lock the worker would wait on for ever."""
    import multiprocessing
    import threading

    from hoso.site import reading

    monkeypatch.setattr(reading, "PARALLEL_FROM", 10)
    forked: list[str] = []
    real = multiprocessing.get_context

    def counting(method=None):  # type: ignore[no-untyped-def]
        forked.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", counting)
    counted = threading.active_count
    # What other tests of this run left (a queue's feeder thread) is no thread of a build's.
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    alone = render_all(province, "staff", AS_OF)
    assert forked == ["fork"]
    path = location(province, "site.pickle")
    assert path is not None
    path.unlink()
    monkeypatch.setattr(threading, "active_count", counted)
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait)
    watcher.start()
    try:
        served = render_all(province, "staff", AS_OF)
    finally:
        stop.set()
        watcher.join()
    assert forked == ["fork"]  # not again
    assert served[1] == alone[1] and served[0].facts == alone[0].facts


_DYING: list[Path] = []
"""A flag file: the first worker to read a record while it is absent creates it and dies."""


def _dying_read(item: tuple[bytes, bool]) -> data_module.Read:
    import os

    flag = _DYING[0]
    if not flag.exists():
        flag.touch()
        os._exit(1)  # as a worker the kernel kills (out of memory) ends: without a word
    return data_module.read(item[0], given(), False, item[1])


def test_a_worker_that_dies_leaves_no_build_waiting_and_loses_no_record(
    province: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import signal

    def late(signum: int, frame: object) -> None:
        raise TimeoutError("the build waits for a worker that is gone")

    monkeypatch.setattr(data_module, "PARALLEL_FROM", 20)
    monkeypatch.setattr("os.cpu_count", lambda: 2)  # workers, even on one core
    monkeypatch.setattr("threading.active_count", lambda: 1)  # whatever other tests left
    monkeypatch.setattr(data_module, "_read_in_worker", _dying_read)
    _DYING[:] = [tmp_path / "died"]
    before = signal.signal(signal.SIGALRM, late)
    signal.alarm(30)
    try:
        data, pages = render_all(province, "staff", AS_OF)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert (tmp_path / "died").exists()  # a worker did die
    path = location(province, "site.pickle")
    assert path is not None
    path.unlink()
    monkeypatch.undo()
    fresh, again = render_all(province, "staff", AS_OF)
    assert pages == again
    assert data.facts == fresh.facts and data.unread == fresh.unread
    assert data.confidential == fresh.confidential and data.personal == fresh.personal


def test_governance_changed_while_a_build_reads_it_leaves_no_stale_facts(
    province: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts worked out with the governance as it was when the build read it are never kept
    under the fingerprint of the governance as it is after (a pull during a build)."""
    from datetime import date, timedelta

    from hoso.site import data as site_data

    settings = province / "governance" / "settings.yaml"
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(3 * 366)]
    off = "".join(f"  - {d.isoformat()}\n" for d in days if d.weekday() < 5)
    changed = settings.read_text(encoding="utf-8").replace(
        "extra_holidays: []\n", "extra_holidays:\n" + off
    )
    assert changed != settings.read_text(encoding="utf-8")
    real = site_data.sound_governance

    def pulled_meanwhile(root: Path, what: str):  # type: ignore[no-untyped-def]
        governance = real(root, what)
        settings.write_text(changed, encoding="utf-8")
        return governance

    monkeypatch.setattr(site_data, "sound_governance", pulled_meanwhile)
    render_all(province, "staff", AS_OF)
    monkeypatch.undo()
    kept, pages = render_all(province, "staff", AS_OF)
    path = location(province, "site.pickle")
    assert path is not None
    path.unlink(missing_ok=True)
    fresh, again = render_all(province, "staff", AS_OF)
    assert kept.facts == fresh.facts
    assert pages == again


def test_governance_changed_and_back_while_a_build_reads_it_leaves_no_stale_facts(
    province: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files that are B when the build reads them and A again when it keeps its facts (a
    pull, then another): the facts B judged are never kept under A's fingerprint."""
    from datetime import date, timedelta

    from hoso.validate import governance_files

    settings = province / "governance" / "settings.yaml"
    before = settings.read_text(encoding="utf-8")
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(3 * 366)]
    off = "".join(f"  - {d.isoformat()}\n" for d in days if d.weekday() < 5)
    changed = before.replace("extra_holidays: []\n", "extra_holidays:\n" + off)
    assert changed != before
    real = governance_files.load_governance

    def there_and_back(root: Path):  # type: ignore[no-untyped-def]
        settings.write_text(changed, encoding="utf-8")
        try:
            return real(root)
        finally:
            settings.write_text(before, encoding="utf-8")

    monkeypatch.setattr(governance_files, "load_governance", there_and_back)
    raced, _ = render_all(province, "staff", AS_OF)
    monkeypatch.undo()
    kept, pages = render_all(province, "staff", AS_OF)
    path = location(province, "site.pickle")
    assert path is not None
    path.unlink(missing_ok=True)
    fresh, again = render_all(province, "staff", AS_OF)
    assert raced.facts != fresh.facts  # the race did judge by other files
    assert kept.facts == fresh.facts
    assert pages == again


def test_what_a_case_owed_on_its_last_day_is_judged_on_its_steps_as_on_every_other_day(
    province: Path,
) -> None:
    """The report counts a step overdue at a period's end on the case's history as it stood
    then, its latest step standing for its state; a status that disagrees with the history
    (an error 'hoso validate' names) changes that no more on its last day than on others."""
    from hoso.site.data import load
    from hoso.site.facts import facts_of

    path = next(p for p in _cases(province) if "status: cell_voted" in p.read_text("utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: cell_voted", "status: decided", 1), encoding="utf-8")
    data = load(province, "staff", AS_OF, models=True)
    case = next(c for _, c in data.cases if c.id == path.stem)
    assert case.history[-1].state == "cell_voted"
    agreeing = case.model_copy(update={"status": "cell_voted"})
    owed = facts_of(case, data.governance).owed
    assert owed == facts_of(agreeing, data.governance).owed
    assert owed[-1][1] is not None  # the decision on admission is due


def test_two_records_under_one_id_each_count_as_they_stand(province: Path) -> None:
    """A second record with the id of another (a copy, an error validation reports) is
    counted as it stands, not as the other one does."""
    from hoso.rules.workflow import settled
    from hoso.site.aggregate import tallies
    from hoso.site.tree import province as top

    data, _ = render_all(province, "staff", AS_OF)

    def ended(f):  # type: ignore[no-untyped-def]
        return settled(f.kind, [s.state for s in f.history])

    closed = next(f for f in data.facts if f.kind == "admission" and ended(f))
    still = next(f for f in data.facts if f.kind == "admission" and not ended(f))
    source = next(p for p in _cases(province) if p.stem == closed.id)
    copy = source.with_name(f"{still.id}-copy.yaml")
    copy.write_text(source.read_text("utf-8").replace(closed.id, still.id), encoding="utf-8")
    again, _ = render_all(province, "staff", AS_OF)
    tally = tallies(again)[top(again.governance)]
    assert tally.open == sum(not ended(f) for f in again.facts)
    assert tally.total == len(data.facts) + 1
