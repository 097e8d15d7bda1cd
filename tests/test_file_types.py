"""Only regular files are read: FIFOs, links and oversize files are named, never followed,
waited on or read whole; a case id is matched literally."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso import repo as repo_module
from hoso import yamlio
from hoso.cli.main import main

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
PLACE = "cases/khe-lam/admission/KN-2024-test01.yaml"
FIFO = "cases/khe-lam/admission/KN-2024-fifo01.yaml"


def _hoso(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: a hang fails the test instead of stopping it."""
    return subprocess.run(
        [sys.executable, "-m", "hoso.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def with_fifo(repo: TempRepo) -> TempRepo:
    repo.place(GOOD)
    os.mkfifo(repo.root / FIFO)
    return repo


def test_validate_names_a_fifo_and_does_not_wait_on_it(with_fifo: TempRepo) -> None:
    done = _hoso("validate", "--no-cache", "--as-of", "2026-11-26", "--repo", str(with_fifo.root))
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"{FIFO}:1:1: không phải tệp hồ sơ thông thường: một đường ống (FIFO)"
    )


def test_validate_of_a_named_fifo(with_fifo: TempRepo) -> None:
    done = _hoso(
        "validate", "--no-cache", "--repo", str(with_fifo.root), str(with_fifo.root / FIFO)
    )
    assert done.returncode == 1, done.stderr
    assert "một đường ống (FIFO)" in done.stdout


def test_list_and_show_do_not_wait_on_a_fifo(with_fifo: TempRepo) -> None:
    listed = _hoso("list", "--as-of", "2026-11-26", "--repo", str(with_fifo.root))
    assert "KN-2024-test01" in listed.stdout
    assert "KN-2024-fifo01.yaml" in listed.stderr
    shown = _hoso("show", "KN-2024-fifo01", "--repo", str(with_fifo.root))
    assert shown.returncode == 1
    assert (
        shown.stderr == f"hoso: {FIFO}: không phải tệp hồ sơ thông thường: một đường ống (FIFO)\n"
    )


def test_a_fifo_in_place_of_a_governance_file(repo: TempRepo) -> None:
    repo.place(GOOD)
    (repo.root / "governance" / "settings.yaml").unlink()
    os.mkfifo(repo.root / "governance" / "settings.yaml")
    done = _hoso("validate", "--no-cache", "--as-of", "2026-11-26", "--repo", str(repo.root))
    assert done.returncode == 1, done.stderr
    assert (
        "governance/settings.yaml:1:1: không phải tệp quản trị thông thường: một đường ống (FIFO)"
        in done.stdout.splitlines()
    )


@pytest.fixture
def linked_out(repo: TempRepo, tmp_path_factory: pytest.TempPathFactory) -> tuple[TempRepo, Path]:
    outside = tmp_path_factory.mktemp("elsewhere") / "passwd"
    outside.write_text("root:x:0:0:MẬT KHẨU:/root:/bin/bash\n", encoding="utf-8")
    link = repo.root / "cases/khe-lam/admission/KN-2024-link01.yaml"
    link.parent.mkdir(parents=True)
    os.symlink(outside, link)
    return repo, outside


@pytest.mark.parametrize("verb", ["show", "transition"])
def test_show_and_transition_do_not_follow_a_link_out(
    linked_out: tuple[TempRepo, Path], capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    repo, outside = linked_out
    extra = ["--to", "course_completed", "--date", "2026-11-20"] if verb == "transition" else []
    for named in ("KN-2024-link01", str(repo.root / "cases/khe-lam/admission/KN-2024-link01.yaml")):
        code, out, err = _in_process(capsys, verb, named, *extra, "--repo", str(repo.root))
        assert code == 1
        assert "MẬT KHẨU" not in out + err
        assert err == (
            "hoso: cases/khe-lam/admission/KN-2024-link01.yaml: liên kết tượng trưng trỏ ra "
            f"ngoài kho hồ sơ: {outside}\n"
        )
    assert outside.read_text(encoding="utf-8").startswith("root:x:0:0:MẬT KHẨU")


def test_a_linked_folder_inside_cases_is_named(
    repo: TempRepo, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "KN-2024-test01.yaml").write_text(GOOD.read_text(encoding="utf-8"))
    (repo.root / "cases" / "khe-lam").mkdir()
    os.symlink(elsewhere, repo.root / "cases" / "khe-lam" / "admission")
    assert repo.lines() == [
        f"cases/khe-lam/admission:1:1: liên kết tượng trưng trỏ ra ngoài kho hồ sơ: {elsewhere}"
    ]
    named = str(repo.root / PLACE)
    code, _, err = _in_process(capsys, "show", named, "--repo", str(repo.root))
    assert code == 1
    assert err == (
        f"hoso: {PLACE}: thư mục chứa tệp là liên kết tượng trưng trỏ ra ngoài kho hồ sơ: "
        f"{elsewhere}\n"
    )


@pytest.mark.parametrize("case", ["KN-2024-test0[1]", "KN-2024-tes?01", "*", "KN-*", "[K]*"])
def test_case_ids_are_matched_literally(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    repo.place(GOOD)
    before = (repo.root / PLACE).read_bytes()
    for verb, extra in (
        ("show", []),
        ("transition", ["--to", "partial_appraised", "--body", "khe-lam-x02-bp"]),
    ):
        code, _, err = _in_process(capsys, verb, case, *extra, "--repo", str(repo.root))
        assert code == 2, err
        assert err.startswith("hoso: mã hồ sơ phải có dạng KN-2026-abc123")
    assert (repo.root / PLACE).read_bytes() == before


def test_an_id_that_looks_like_a_path_stays_inside(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _in_process(capsys, "show", "../../../etc/passwd", "--repo", str(repo.root))
    assert code == 2
    assert "tệp nằm ngoài kho hồ sơ" in err


def test_an_oversize_file_is_refused_before_it_is_read(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo.write(PLACE, GOOD.read_text(encoding="utf-8"))
    os.truncate(path, 100 * 1024 * 1024)  # sparse: 100 MB that cost no disk
    read: list[int] = []
    original = os.read

    def counting(fd: int, size: int) -> bytes:
        data = original(fd, size)
        if os.fstat(fd).st_size > yamlio.MAX_BYTES:
            read.append(len(data))
        return data

    monkeypatch.setattr(repo_module.os, "read", counting)
    expected = f"{PLACE}:1:1: tệp quá lớn: 104,857,600 byte, tối đa 1,048,576 byte"
    assert expected in repo.lines()
    assert expected in repo.lines(PLACE)
    code, _, err = _in_process(capsys, "show", "KN-2024-test01", "--repo", str(repo.root))
    assert (code, err) == (1, f"hoso: {expected.replace(':1:1:', ':')}\n")
    assert read == []
