"""A write that cannot be done (read-only or immutable file, full disk, file-size limit) ends in
a Vietnamese error with exit 1, and leaves the record and its folder exactly as they were."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso import writing
from hoso.cli.main import main

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
STEP = [
    "transition",
    "KN-2024-test01",
    "--to",
    "partial_appraised",
    "--date",
    "2026-10-27",
    "--body",
    "khe-lam-x02-bp",
    "--doc-number",
    "3-BC/ĐUBP",
]


def _placed(repo: TempRepo) -> tuple[Path, bytes]:
    path = repo.root / repo.place(GOOD)
    return path, path.read_bytes()


def _same_folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def _transition(capsys: pytest.CaptureFixture[str], repo: TempRepo) -> tuple[int, str]:
    code = main([*STEP, "--repo", str(repo.root)])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, err


def test_a_read_only_file_is_refused(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    path, before = _placed(repo)
    path.chmod(0o444)
    code, err = _transition(capsys, repo)
    assert code == 1
    assert err.startswith(
        "hoso: tệp cases/khe-lam/admission/KN-2024-test01.yaml chỉ cho phép đọc (quyền 0444); "
        "không ghi gì."
    )
    assert path.read_bytes() == before and (path.stat().st_mode & 0o777) == 0o444


@pytest.fixture
def immutable(repo: TempRepo) -> Iterator[tuple[Path, bytes]]:
    path, before = _placed(repo)
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("this file system or user cannot set the immutable flag")
    yield path, before
    subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_immutable_file(
    repo: TempRepo, immutable: tuple[Path, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    path, before = immutable
    code, err = _transition(capsys, repo)
    assert code == 1
    assert err == (
        "hoso: không được phép ghi tệp cases/khe-lam/admission/KN-2024-test01.yaml (tệp bị khóa "
        "bất biến, hoặc không có quyền); không ghi gì.\n"
    )
    assert path.read_bytes() == before
    assert _same_folder(path) == [path.name]


def test_an_immutable_file_found_only_at_the_rename(
    repo: TempRepo,
    immutable: tuple[Path, bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should the check before writing miss it, the rename fails and is reported the same."""
    path, before = immutable
    monkeypatch.setattr(os, "access", lambda *_: True)
    code, err = _transition(capsys, repo)
    assert code == 1
    assert err == (
        "hoso: không ghi được cases/khe-lam/admission/KN-2024-test01.yaml: không được phép ghi "
        "(tệp hoặc thư mục bị khóa bất biến, hoặc không có quyền). Tệp vẫn giữ nguyên như trước.\n"
    )
    assert path.read_bytes() == before
    assert _same_folder(path) == [path.name]


def test_a_full_disk(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = _placed(repo)
    real = os.write

    def full(fd: int, data: bytes) -> int:
        if len(data) > 100:
            real(fd, bytes(data)[:100])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(writing.os, "write", full)
    code, err = _transition(capsys, repo)
    assert code == 1
    assert err == (
        "hoso: không ghi được cases/khe-lam/admission/KN-2024-test01.yaml: đĩa đã đầy. "
        "Tệp vẫn giữ nguyên như trước.\n"
    )
    assert path.read_bytes() == before
    assert _same_folder(path) == [path.name]


def test_the_file_size_limit(repo: TempRepo) -> None:
    """``ulimit -f`` below the new file's size: SIGXFSZ would kill the process mid-write."""
    path, before = _placed(repo)
    limit = len(before) - 200

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "hoso.cli.main", *STEP, "--repo", str(repo.root)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == (
        "hoso: không ghi được cases/khe-lam/admission/KN-2024-test01.yaml: tệp vượt quá giới hạn "
        "kích thước tệp của tiến trình (ulimit -f). Tệp vẫn giữ nguyên như trước.\n"
    )
    assert path.read_bytes() == before
    assert _same_folder(path) == [path.name]


def test_a_read_only_folder_for_new(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    from test_editing import NEW_ARGS

    folder = repo.root / "cases" / "khe-lam" / "admission"
    folder.mkdir(parents=True)
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    if subprocess.run(["chattr", "+i", str(folder)], check=False).returncode != 0:
        pytest.skip("cannot set the immutable flag")
    try:
        code = main(["new", "admission", *NEW_ARGS, "--repo", str(repo.root)])
        _, err = capsys.readouterr()
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert code == 1
    assert err.startswith("hoso: không ghi được cases/khe-lam/admission/KN-2026-")
    assert "không được phép ghi" in err
    assert list(folder.iterdir()) == []
