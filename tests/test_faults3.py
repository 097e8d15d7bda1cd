"""What a third fault-injection round found: git missing from PATH, and a repository that
cannot be read taken for a name that does not exist."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hoso.cli.main import main


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hoso.sample.history import generate_history

    root = tmp_path_factory.mktemp("faults") / "h"
    generate_history(root, 8, 5)
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["review", "--base", "main", "--head", "HEAD"],
        ["submit", "--dry-run"],
        ["sample", "--history", "--out", "{tmp}/made"],
    ],
    ids=["review", "submit", "sample"],
)
def test_without_git_on_the_path_each_command_says_so(
    history: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.chdir(history)
    code = main([a.replace("{tmp}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err
    assert code == 3 and "không chạy được git" in err and "Traceback" not in err
    assert not (tmp_path / "made").exists()


def test_a_missing_pack_is_a_broken_repository_for_the_gate_not_a_missing_name(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "h"
    shutil.copytree(history, root)
    subprocess.run(["git", "repack", "-adq"], cwd=root, check=True)
    shutil.rmtree(root / ".git" / "objects" / "pack")
    (root / ".git" / "objects" / "pack").mkdir()
    for base in ("HEAD~3", "main"):
        code = main(["review", "--repo", str(root), "--base", base, "--head", "HEAD"])
        err = capsys.readouterr().err
        assert code == 3 and "hỏng" in err and "không tìm thấy" not in err, base


def test_a_full_commit_id_that_is_not_there_is_not_found_not_broken(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo, or an id from another clone: a usage error, not a broken repository."""
    absent = "0123456789abcdef0123456789abcdef01234567"
    code = main(["review", "--repo", str(history), "--base", absent, "--head", "HEAD"])
    err = capsys.readouterr().err
    assert code == 2 and "không tìm thấy" in err and "hỏng" not in err
