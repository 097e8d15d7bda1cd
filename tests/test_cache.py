"""Validation results are reused by content (blob id) and recomputed when anything that judged
them changes."""

from __future__ import annotations

import pickle
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso.validate import cache as cache_module
from hoso.validate import record
from hoso.validate import run as run_module
from hoso.workers import given

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"


@pytest.fixture
def repo(repo: TempRepo) -> TempRepo:
    """The records repository, a git repository: the cache lives in its git directory (a
    folder outside git keeps none)."""
    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    return repo


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []

    def counting(raw: bytes, governance):  # type: ignore[no-untyped-def]
        seen.append(raw)
        return record.check_content(raw, governance)

    monkeypatch.setattr(run_module, "check_content", counting)
    return seen


def _three(repo: TempRepo) -> None:
    text = GOOD.read_text(encoding="utf-8")
    for n in (1, 2, 3):
        repo.write(
            f"cases/khe-lam/admission/KN-2024-test0{n}.yaml",
            text.replace("KN-2024-test01", f"KN-2024-test0{n}"),
        )


def test_blob_id_is_gits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.yaml"
    path.write_bytes(b"id: x\n")
    git = subprocess.run(
        ["git", "hash-object", str(path)], capture_output=True, text=True, check=True
    )
    assert cache_module.blob_id(b"id: x\n") == git.stdout.strip()


def test_warm_run_checks_nothing_again(repo: TempRepo, calls: list[bytes]) -> None:
    _three(repo)
    first = repo.validate(use_cache=True)
    assert len(calls) == 3
    second = repo.validate(use_cache=True)
    assert len(calls) == 3
    assert second.findings == first.findings and second.checked == 3


def test_changed_file_is_checked_again_and_its_new_problem_found(
    repo: TempRepo, calls: list[bytes]
) -> None:
    _three(repo)
    repo.validate(use_cache=True)
    path = repo.root / "cases/khe-lam/admission/KN-2024-test02.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sex: female", "sex: nu"))
    result = repo.validate(use_cache=True)
    assert len(calls) == 4
    assert [f.field for f in result.findings] == ["subject.sex"]


def test_governance_change_discards_the_cache(repo: TempRepo, calls: list[bytes]) -> None:
    _three(repo)
    repo.validate(use_cache=True)
    units = repo.root / "governance/units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace("code: khe-lam-x02-cb1", "code: khe-lam-x02-cb9")
    )
    result = repo.validate(use_cache=True)
    assert len(calls) == 6
    assert {f.field for f in result.findings} >= {"cell"}


def test_corrupt_cache_is_ignored(repo: TempRepo, calls: list[bytes]) -> None:
    _three(repo)
    repo.validate(use_cache=True)
    cache_module.location(repo.root).write_bytes(b"not a pickle")
    assert repo.validate(use_cache=True).findings == []
    assert len(calls) == 6


def test_cache_of_another_format_is_ignored(repo: TempRepo, calls: list[bytes]) -> None:
    _three(repo)
    cache_module.location(repo.root).parent.mkdir(parents=True, exist_ok=True)
    cache_module.location(repo.root).write_bytes(pickle.dumps(["old"]))
    repo.validate(use_cache=True)
    assert len(calls) == 3


def test_parallel_run_finds_what_a_serial_run_finds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import AS_OF
    from hoso.sample.write import generate

    generate(tmp_path, 260, 5)
    broken = sorted((tmp_path / "cases").rglob("KN-*.yaml"))[3]
    broken.write_text(broken.read_text(encoding="utf-8").replace("sex: ", "sex: x"))
    serial = run_module.run(run_module.Options(tmp_path, None, AS_OF, use_cache=False, jobs=1))
    parallel = run_module.run(run_module.Options(tmp_path, None, AS_OF, use_cache=False, jobs=2))
    written = len(list((tmp_path / "cases").rglob("*.yaml")))
    assert serial.checked == parallel.checked == written > 261
    assert parallel.sorted() == serial.sorted()
    assert [f.file for f in serial.errors] == [broken.relative_to(tmp_path).as_posix()]


_DYING: list[Path] = []
"""A flag file: the first worker to check a record while it is absent creates it and dies."""


def _dying_check(raw: bytes) -> record.Checked:
    import os

    if not _DYING[0].exists():
        _DYING[0].touch()
        os._exit(1)  # as a worker the kernel kills (out of memory) ends: without a word
    return record.check_content(raw, given())


def test_a_worker_that_dies_leaves_no_run_waiting_and_no_file_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    from conftest import AS_OF
    from hoso.sample.write import generate

    generate(tmp_path / "p", 120, 5)
    broken = sorted((tmp_path / "p" / "cases").rglob("KN-*.yaml"))[-1]
    broken.write_text(broken.read_text(encoding="utf-8").replace("sex: ", "sex: x"))
    serial = run_module.run(run_module.Options(tmp_path / "p", None, AS_OF, False, jobs=1))

    def late(signum: int, frame: object) -> None:
        raise TimeoutError("validation waits for a worker that is gone")

    monkeypatch.setattr(run_module, "PARALLEL_FROM", 20)
    monkeypatch.setattr(run_module, "_check_in_worker", _dying_check)
    _DYING[:] = [tmp_path / "died"]
    before = signal.signal(signal.SIGALRM, late)
    signal.alarm(30)
    try:
        parallel = run_module.run(run_module.Options(tmp_path / "p", None, AS_OF, False, jobs=2))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert (tmp_path / "died").exists()  # a worker did die
    assert parallel.checked == serial.checked > 120
    assert parallel.sorted() == serial.sorted()
    assert [f.file for f in parallel.errors] == [broken.relative_to(tmp_path / "p").as_posix()]


def test_governance_changed_during_a_run_keeps_nothing_under_the_old_files(
    repo: TempRepo, calls: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outcomes judged with governance files that changed after the run began (a pull during
    it) are not kept under the fingerprint of the files as they were: the same files back
    again would take them for their own."""
    _three(repo)
    units = repo.root / "governance/units.yaml"
    before = units.read_text(encoding="utf-8")
    after = before.replace("code: khe-lam-x02-cb1", "code: khe-lam-x02-cb9")
    real = run_module.load_governance

    def pulled_meanwhile(root):  # type: ignore[no-untyped-def]
        units.write_text(after, encoding="utf-8")
        return real(root)

    monkeypatch.setattr(run_module, "load_governance", pulled_meanwhile)
    assert {f.field for f in repo.validate(use_cache=True).findings} >= {"cell"}
    monkeypatch.setattr(run_module, "load_governance", real)
    units.write_text(before, encoding="utf-8")  # the files as the run began
    assert repo.validate(use_cache=True).findings == []
    assert len(calls) == 6  # judged again, not taken from the run that raced


@pytest.mark.parametrize("warm", [False, True])
def test_governance_changed_and_changed_back_during_a_run_keeps_nothing(
    repo: TempRepo, calls: list[bytes], monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    """Files that change and change back while a run reads them (A when the cache is read, B
    when the governance is, A again when the outcomes are kept) judged its outcomes by B:
    none is kept under A's fingerprint, and none of A's is reported as B's."""
    _three(repo)
    units = repo.root / "governance/units.yaml"
    before = units.read_text(encoding="utf-8")
    after = before.replace("code: khe-lam-x02-cb1", "code: khe-lam-x02-cb9")
    if warm:
        assert repo.validate(use_cache=True).findings == []
        calls.clear()
    real = run_module.load_governance

    def there_and_back(root):  # type: ignore[no-untyped-def]
        units.write_text(after, encoding="utf-8")
        try:
            return real(root)
        finally:
            units.write_text(before, encoding="utf-8")

    monkeypatch.setattr(run_module, "load_governance", there_and_back)
    assert {f.field for f in repo.validate(use_cache=True).findings} >= {"cell"}
    monkeypatch.setattr(run_module, "load_governance", real)
    calls.clear()
    assert repo.validate(use_cache=True).findings == []
    # Judged again, not taken from the run that raced; or taken from the run before it,
    # judged by the same files.
    assert len(calls) == (0 if warm else 3)


def test_bytes_moved_between_governance_files_change_the_fingerprint() -> None:
    from hoso.validate.governance_files import contents_key

    assert contents_key((b"ab", b"c")) != contents_key((b"a", b"bc"))
    assert contents_key((None, b"x")) != contents_key((b"", b"x"))


def test_another_copy_of_the_holiday_calendar_discards_the_cache(
    repo: TempRepo, calls: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deadlines count working days from the installed ``holidays`` library: outcomes judged
    with another copy of it (an upgrade) are judged again."""
    from hoso.rules import public_holidays

    _three(repo)
    repo.validate(use_cache=True)
    monkeypatch.setattr(public_holidays, "library_key", lambda: "another copy of holidays")
    repo.validate(use_cache=True)
    assert len(calls) == 6


def test_a_folder_outside_git_keeps_no_cache_anywhere(
    tmp_path: Path, calls: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache holds the records' party cards and the committees' members: a folder outside
    git (an export) is checked in full every time, and leaves nothing in the user's home."""
    import shutil

    from conftest import AS_OF, ROOT

    export = tmp_path / "export"
    shutil.copytree(ROOT / "governance", export / "governance")
    text = GOOD.read_text(encoding="utf-8")
    place = text.splitlines()[0].removeprefix("# place: ").strip()
    (export / place).parent.mkdir(parents=True)
    (export / place).write_text(text, encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    for _ in range(2):
        done = run_module.run(run_module.Options(export, None, AS_OF, True, jobs=1))
        assert not done.errors
    assert len(calls) == 2
    assert not [p for p in (tmp_path / "home-cache").rglob("*") if p.suffix == ".pickle"]
    assert not [p for p in export.rglob("*") if p.suffix == ".pickle"]
