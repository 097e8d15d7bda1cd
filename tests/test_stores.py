"""What one command keeps for the next: the parsed governance in the git directory, the
holiday calendar in the user's cache folder. Each is used only when it answers for exactly
what is there now, and a store that a commit could write is never loaded."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso.rules import public_holidays as holidays_module
from hoso.validate import governance_files
from hoso.validate.cache import location

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _committed(repo: TempRepo) -> None:
    _git(repo.root, "init", "-q", "-b", "main")
    _git(repo.root, "add", "-A")
    _git(repo.root, "-c", "user.name=t", "-c", "user.email=t@x.invalid", "commit", "-qm", "x")


class _Planted:
    """Loading this pickle leaves a mark: proof that a store was unpickled."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.mark,))


def _fresh() -> None:
    governance_files._remembered.cache_clear()
    governance_files._load.cache_clear()


def test_the_next_run_reads_the_governance_from_the_git_directory(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    _committed(repo)
    _fresh()
    first = governance_files.load_governance(repo.root)
    assert (repo.root / ".git" / "hoso" / "governance.pickle").is_file()
    _fresh()

    def unexpected(contents):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(governance_files, "_load", unexpected)
    again = governance_files.load_governance(repo.root)
    assert again[1] == first[1]
    assert again[0].units == first[0].units and again[0].committees == first[0].committees


def test_changed_governance_is_parsed_again(repo: TempRepo) -> None:
    _committed(repo)
    _fresh()
    governance_files.load_governance(repo.root)
    units = repo.root / "governance" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    _fresh()
    findings = governance_files.load_governance(repo.root)[1]
    assert any(f.file == "governance/units.yaml" for f in findings)


def test_a_store_brought_by_a_commit_is_never_loaded(repo: TempRepo, tmp_path: Path) -> None:
    mark = tmp_path / "unpickled"
    planted = pickle.dumps(_Planted(mark))
    repo.write(".hoso-cache/governance.pickle", planted)
    repo.write(".hoso-cache/validate.pickle", planted)
    rel = repo.place(GOOD)
    _committed(repo)
    _fresh()
    assert not repo.validate(rel, use_cache=True).errors
    assert not repo.validate(use_cache=True).errors
    assert not mark.exists()


def test_a_worktree_keeps_its_stores_in_its_own_git_directory(
    repo: TempRepo, tmp_path: Path
) -> None:
    _committed(repo)
    mark = tmp_path / "unpickled"
    tree = tmp_path / "tree"
    _git(repo.root, "worktree", "add", "-q", str(tree))
    planted = pickle.dumps(_Planted(mark))
    (tree / ".hoso-cache").mkdir()
    (tree / ".hoso-cache" / "governance.pickle").write_bytes(planted)
    _fresh()
    governance_files.load_governance(tree)
    stored = location(tree, "governance.pickle")
    assert stored is not None and stored.is_file()
    assert stored.parent.parent == repo.root / ".git" / "worktrees" / "tree"
    assert not mark.exists()


def test_a_dot_git_naming_nothing_gets_no_store(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("gitdir: /nowhere\n", encoding="utf-8")
    assert location(tmp_path) is None


def _library(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


def test_holidays_are_the_librarys_and_kept(calendar_store: Path) -> None:
    for year in (2019, 2024, 2026):
        assert holidays_module.public_holidays(year) == _library(year)
    stored = json.loads(calendar_store.read_bytes())
    assert stored["years"]["2024"] == sorted(d.isoformat() for d in _library(2024))


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"key": 1, "years": {}}'])
def test_a_broken_or_foreign_calendar_store_is_worked_out_again(
    calendar_store: Path, content: bytes
) -> None:
    calendar_store.parent.mkdir(parents=True)
    calendar_store.write_bytes(content)
    assert holidays_module.public_holidays(2025) == _library(2025)
    assert "2025" in json.loads(calendar_store.read_bytes())["years"]


def test_a_calendar_store_for_another_copy_of_the_library_is_not_used(
    calendar_store: Path,
) -> None:
    holidays_module.public_holidays(2024)
    stored = json.loads(calendar_store.read_bytes())
    stored["key"] = "elsewhere"
    stored["years"]["2024"] = ["2024-03-05"]
    calendar_store.write_text(json.dumps(stored), encoding="utf-8")
    holidays_module.public_holidays.cache_clear()
    holidays_module.make_up_days.cache_clear()
    holidays_module._stored.cache_clear()
    assert holidays_module.public_holidays(2024) == _library(2024)


def test_a_second_process_does_not_load_the_holiday_library(calendar_store: Path) -> None:
    code = (
        "import sys; from datetime import date\n"
        "from hoso.rules.calendar import Calendar\n"
        "Calendar().add_workdays(date(2026, 4, 24), 5)\n"
        "print('holidays' in sys.modules)\n"
    )
    env = {**os.environ}

    def loaded() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert loaded() == "True"
    assert loaded() == "False"


@pytest.mark.parametrize("variable", ["XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"])
def test_a_relative_xdg_folder_is_ignored_for_the_home_one(
    variable: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG says a relative path is invalid: the audit's key, the forms' users and the caches
    go under the home folder, never into the folder the command runs in (a repository)."""
    from hoso import user_cache
    from hoso.audit.store import key_path
    from hoso.forms.auth import default_users_file

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HOSO_AUDIT_KEY", raising=False)
    monkeypatch.setenv(variable, "relative/folder")
    where = {
        "XDG_STATE_HOME": key_path(),
        "XDG_CONFIG_HOME": default_users_file(),
        "XDG_CACHE_HOME": user_cache.folder(),
    }[variable]
    assert where is not None and where.is_absolute()
    assert where.is_relative_to(tmp_path / "home") and "relative" not in where.parts
    monkeypatch.setenv(variable, str(tmp_path / "chosen"))
    chosen = {"XDG_STATE_HOME": key_path, "XDG_CONFIG_HOME": default_users_file}.get(
        variable, user_cache.folder
    )()
    assert chosen is not None and chosen.is_relative_to(tmp_path / "chosen")


def test_a_relative_home_keeps_nothing_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HOME set to a relative path: no cache, no audit key, and the forms ask for --users,
    rather than files written under whatever folder the command runs in."""
    from hoso import user_cache
    from hoso.audit import store
    from hoso.errors import HosoError
    from hoso.forms.auth import default_users_file

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", "relhome")
    for variable in ("HOSO_AUDIT_KEY", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    assert user_cache.folder() is None
    assert store.seal({"kept": True}) is None
    with pytest.raises(HosoError, match="--users"):
        default_users_file()
    assert not (tmp_path / "relhome").exists()


def test_an_unsealed_store_in_the_git_directory_is_never_loaded(
    repo: TempRepo, tmp_path: Path
) -> None:
    """A folder can bring its own ``.git`` (an archive, a ``.git`` file naming any folder):
    only stores sealed with this user's key are loaded, so a planted pickle never runs."""
    mark = tmp_path / "unpickled"
    rel = repo.place(GOOD)
    _committed(repo)
    for name in ("governance.pickle", "validate.pickle"):
        where = location(repo.root, name)
        assert where is not None
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_bytes(pickle.dumps(_Planted(mark)))
    _fresh()
    assert not repo.validate(rel, use_cache=True).errors
    assert not repo.validate(use_cache=True).errors
    assert not mark.exists()


def test_a_fifo_in_place_of_a_store_is_passed_over(repo: TempRepo) -> None:
    rel = repo.place(GOOD)
    _committed(repo)
    for name in ("governance.pickle", "validate.pickle"):
        where = location(repo.root, name)
        assert where is not None
        where.parent.mkdir(parents=True, exist_ok=True)
        where.unlink(missing_ok=True)
        os.mkfifo(where)
    done = subprocess.run(
        [sys.executable, "-m", "hoso.cli.main", "validate", rel],
        cwd=repo.root,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_saturday_made_up_in_the_next_year_is_kept_whichever_year_comes_first(
    calendar_store: Path,
) -> None:
    """31/12/2018 was given off for Saturday 05/01/2019: the same whether 2019 is asked for
    first or at the edge of another year's span (2029 - 10)."""
    holidays_module.public_holidays(2029)
    assert date(2019, 1, 5) in holidays_module.make_up_days(2019)


def test_a_calendar_store_written_before_make_up_days_is_worked_out_again(
    calendar_store: Path,
) -> None:
    """A file of an earlier hoso (same library, no "format"): its days are not trusted."""
    holidays_module.public_holidays(2024)
    stored = json.loads(calendar_store.read_bytes())
    del stored["format"]
    stored["workdays"]["2024"] = []
    calendar_store.write_text(json.dumps(stored), encoding="utf-8")
    holidays_module.public_holidays.cache_clear()
    holidays_module.make_up_days.cache_clear()
    holidays_module._stored.cache_clear()
    assert date(2024, 5, 4) in holidays_module.make_up_days(2024)
