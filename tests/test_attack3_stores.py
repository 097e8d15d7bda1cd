"""Attacks on what one command keeps for the next (``hoso.validate.cache`` and the holiday
calendar): stores a commit or an export could bring, stores from another version of hoso,
and calendar files that are not what they seem."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TempRepo
from hoso.rules import public_holidays as holidays_module
from hoso.validate import governance_files
from hoso.validate.cache import location
from test_stores import _fresh, _Planted

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@x.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_a_store_committed_in_a_subfolder_of_a_repository_is_never_loaded(
    tmp_path: Path,
) -> None:
    """``find_root`` takes the nearest folder holding governance/ or cases/: inside a git
    repository that need not be the top, and a folder without its own ``.git`` is not a
    folder outside git. A ``.hoso-cache`` there is whatever a commit put there."""
    outer = tmp_path / "outer"
    data = outer / "data"
    shutil.copytree(ROOT / "governance", data / "governance")
    (data / "cases").mkdir()
    mark = tmp_path / "unpickled"
    planted = pickle.dumps(_Planted(mark))
    (data / ".hoso-cache").mkdir()
    (data / ".hoso-cache" / "governance.pickle").write_bytes(planted)
    (data / ".hoso-cache" / "validate.pickle").write_bytes(planted)
    _git(outer, "init", "-q", "-b", "main")
    _git(outer, "add", "-Af")
    _git(outer, "commit", "-qm", "A store in a subfolder")
    _fresh()
    governance_files.load_governance(data)
    assert not mark.exists()
    stored = location(data, "governance.pickle")
    assert stored is None or outer / ".git" in stored.parents


def test_a_store_brought_by_an_export_is_never_loaded(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(ROOT / "governance", export / "governance")
    (export / "cases").mkdir()
    mark = tmp_path / "unpickled"
    (export / ".hoso-cache").mkdir()
    (export / ".hoso-cache" / "governance.pickle").write_bytes(pickle.dumps(_Planted(mark)))
    _fresh()
    governance_files.load_governance(export)
    assert not mark.exists()
    for name in ("governance.pickle", "validate.pickle", "site.pickle"):
        assert location(export, name) is None  # neither the export nor the user's home


@pytest.mark.parametrize(
    "content",
    [
        b"\x80\x05cno_such_module\nGone\n.",  # a class an earlier hoso had, since moved
        b"\x80\x05choso.governance\nNoSuchName\n)\x81.",
        b"\x80\x05K\x01K\x02\x86\x94\x85\x93.",
        b"\x80\x05}\x94(K\x01]\x94u.",  # a list as a dict key
    ],
)
def test_a_store_an_earlier_hoso_wrote_is_worked_out_again(repo: TempRepo, content: bytes) -> None:
    _git(repo.root, "init", "-q", "-b", "main")
    rel = repo.place(GOOD)
    for name in ("governance.pickle", "validate.pickle"):
        stored = location(repo.root, name)
        assert stored is not None
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(content)
    _fresh()
    assert governance_files.load_governance(repo.root)[0].units
    assert not repo.validate(rel, use_cache=True).errors


_WORKDAYS = (
    "import sys; from datetime import date\n"
    "from hoso.rules.calendar import Calendar\n"
    "print(Calendar().add_workdays(date(2026, 4, 24), 5))\n"
)


def _workdays(env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _WORKDAYS],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout.strip()


def test_a_fifo_in_place_of_the_calendar_store_does_not_hang(
    calendar_store: Path, tmp_path: Path
) -> None:
    calendar_store.parent.mkdir(parents=True)
    os.mkfifo(calendar_store)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    try:
        said = _workdays(env, tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail("a FIFO in the cache folder made the command wait for ever")
    assert said == "2026-05-06"  # past 30/04 and 01/05


def test_a_relative_cache_folder_writes_nothing_where_the_command_runs(tmp_path: Path) -> None:
    here = tmp_path / "repository"
    here.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": "cache", "HOME": str(tmp_path / "home")}
    assert _workdays(env, here) == "2026-05-06"
    assert list(here.iterdir()) == []
    assert (tmp_path / "home" / ".cache" / "hoso" / "vn-holidays.json").is_file()


@pytest.mark.parametrize("year", [1, 2, 1900, 9990, 9999])
def test_years_at_the_ends_of_the_calendar(calendar_store: Path, year: int) -> None:
    import holidays

    expected = frozenset(holidays.country_holidays("VN", years=year))
    assert holidays_module.public_holidays(year) == expected
