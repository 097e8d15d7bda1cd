"""What a fourth fault-injection round found: messages about the file's own notation kept in
that notation."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso.cli.main import main

CELL_VOTED = EXAMPLES / "valid" / "admission-cell-voted.yaml"


def _no_links(*_: object, **__: object) -> None:
    """``os.link`` on a file system without hard links (Linux's vfat says EPERM)."""
    raise OSError(errno.EPERM, os.strerror(errno.EPERM))


def test_a_day_written_by_hand_in_the_wrong_form_is_corrected_in_the_files_form(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal tells the clerk what to write in the file (2026-08-20), not the day as
    they wrote it (20/08/2026): a message that says to write what is already there is no help."""
    rel = repo.place(CELL_VOTED, ("- date: 2026-08-20", "- date: 20/08/2026"))
    before = (repo.root / rel).read_bytes()
    args = ["transition", str(repo.root / rel), "--to", "partial_appraised", "--date"]
    args += ["27/10/2026", "--body", "khe-lam-x02-bp", "--repo", str(repo.root)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "ví dụ 2019-05-02; nhận được 20/08/2026; hãy ghi 2026-08-20" in err, err
    assert (repo.root / rel).read_bytes() == before


@pytest.mark.parametrize("args", [["validate"], ["list"], ["new", "--help"]])
def test_a_working_folder_deleted_under_the_shell_is_said_not_a_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    """A terminal left open in a folder that was deleted (a clone removed and made again)."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    code = main(args)
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    assert "thư mục đang làm việc không còn tồn tại" in err, err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["validate"], ["list"], ["explain", "admission"]], ids=["validate", "list", "explain"]
)
def test_output_to_a_full_disk_is_said_not_a_traceback(repo: TempRepo, args: list[str]) -> None:
    """``hoso audit --format csv > audit.csv`` on a full disk: the output is lost, which must be
    said (and never exit 0), without a traceback."""
    repo.place(CELL_VOTED)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "hoso.cli.main", *args],
            cwd=repo.root,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert "không ghi được kết quả của lệnh: đĩa đã đầy" in done.stderr, done.stderr


NEW_ARGS = ["--cell", "khe-lam-x03-cb1", "--name", "Lò Văn Thử", "--birth-date", "02/01/2000"]
NEW_ARGS += ["--sex", "nam", "--ethnicity", "Thái", "--date", "02/11/2026"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP], ids=["EPERM", "EOPNOTSUPP"])
def test_a_case_is_opened_where_the_file_system_has_no_hard_links(
    repo: TempRepo,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
) -> None:
    """A clone on a FAT or exFAT USB stick, or some network shares: os.link fails (EPERM on
    Linux's vfat). Git works there, so hoso new must too."""

    def no_links(*_: object, **__: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    assert main(["new", "admission", *NEW_ARGS, "--repo", str(repo.root)]) == 0
    rel = capsys.readouterr().out.strip()
    assert (repo.root / rel).read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert [p.name for p in (repo.root / rel).parent.iterdir()] == [Path(rel).name]
    assert repo.validate().findings == []


def test_a_new_case_never_overwrites_a_file_where_there_are_no_hard_links(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback still refuses a name already taken (by a copy put there by hand)."""
    from hoso import writing
    from hoso.errors import HosoError

    monkeypatch.setattr(os, "link", _no_links)
    taken = repo.write("cases/khe-lam/admission/KN-2026-aaaaaa.yaml", "đã có\n")
    with pytest.raises(HosoError, match="tệp đã có; không ghi đè"):
        writing.create(repo.root, "cases/khe-lam/admission/KN-2026-aaaaaa.yaml", b"new\n")
    assert taken.read_text(encoding="utf-8") == "đã có\n"
    assert [p.name for p in taken.parent.iterdir()] == [taken.name]


def test_a_new_case_that_cannot_be_written_is_said_not_made(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full disk during hoso new: there was no file before, so none "stays as it was"."""

    def full(_: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert main(["new", "admission", *NEW_ARGS, "--repo", str(repo.root)]) == 1
    err = capsys.readouterr().err
    assert "đĩa đã đầy" in err and "Chưa tạo hồ sơ nào." in err, err
    assert "giữ nguyên" not in err, err
    assert [p for p in (repo.root / "cases").rglob("*") if not p.is_dir()] == []


def test_a_case_file_renamed_in_capitals_is_named_when_its_id_is_not_found(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file renamed KN-2024-TEST01.yaml (copied from paper, or by an editor): show and
    transition by id do not find it under its id's name, and say which file it is."""
    rel = repo.place(CELL_VOTED)
    renamed = repo.root / rel.replace("KN-2024-test01", "KN-2024-TEST01")
    (repo.root / rel).rename(renamed)
    assert main(["show", "KN-2024-test01", "--repo", str(repo.root)]) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy hồ sơ 'KN-2024-test01'" in err, err
    assert "cases/khe-lam/admission/KN-2024-TEST01.yaml" in err, err
    assert "git mv" in err, err


def test_the_same_case_opened_twice_at_once_is_opened_once(
    repo: TempRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two 'hoso new' for one person at the same moment (a double click in the forms, the
    command run in two terminals): the second must see the first one's case. It checked for an
    open case before it took the lock on cases/, so both were opened."""
    import threading
    import time

    from hoso import writing

    args = ["new", "admission", *NEW_ARGS, "--repo", str(repo.root)]
    assert main(args) == 0
    first = repo.root / capsys.readouterr().out.strip()
    aside = tmp_path / "aside.yaml"
    first.rename(aside)
    codes: list[int] = []
    with writing.cases_lock(repo.root):  # the first command, between its check and its write
        second = threading.Thread(target=lambda: codes.append(main(args)))
        second.start()
        time.sleep(1.5)  # the second command has checked and waits for the lock
        aside.rename(first)
    second.join()
    err = capsys.readouterr().err
    assert codes == [1], err
    assert "đang mở cho Lò Văn Thử" in err, err
    assert [p.name for p in first.parent.iterdir()] == [first.name]


def test_a_file_in_place_is_never_said_not_written_when_tidying_after_fails(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the record has its name, a failure to remove the temporary name or to sync the
    folder does not make the write a failure (it was said "Chưa tạo hồ sơ nào" of a file that
    was there): the temporary file left is passed over, and removed by the next edit."""
    from hoso import writing

    real_unlink, real_open = os.unlink, os.open

    def unlink(path: object, *args: object, **kwargs: object) -> None:
        if str(path).endswith(".tmp"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_DIRECTORY:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "open", open_)
    rel = "cases/khe-lam/admission/KN-2026-bbbbbb.yaml"
    writing.create(repo.root, rel, b"new\n")
    assert (repo.root / rel).read_bytes() == b"new\n"
    writing._write_new(rel, str(repo.root / rel), b"newer\n", 0o644, replace=True)
    assert (repo.root / rel).read_bytes() == b"newer\n"


def test_without_hard_links_the_name_is_never_held_by_an_empty_file(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system can rename without replacing (Linux's renameat2, which vfat and exfat
    have), the record takes its name in one step: a kill between two steps cannot leave an
    empty case file. Where it cannot, the empty-file fallback still writes the record."""
    from hoso import writing

    real_open = os.open
    opened: list[str] = []

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", _no_links)
    monkeypatch.setattr(os, "open", open_)
    rel = "cases/khe-lam/admission/KN-2026-cccccc.yaml"
    writing.create(repo.root, rel, b"new\n")
    assert (repo.root / rel).read_bytes() == b"new\n"
    assert str(repo.root / rel) not in opened  # written under its temporary name only
    with pytest.raises(writing.WriteFailed, match="tệp đã có; không ghi đè"):
        writing.create(repo.root, rel, b"other\n")
    assert (repo.root / rel).read_bytes() == b"new\n"
    monkeypatch.setattr(writing, "_rename_new", lambda *_: False)
    other = "cases/khe-lam/admission/KN-2026-dddddd.yaml"
    writing.create(repo.root, other, b"fallback\n")
    assert (repo.root / other).read_bytes() == b"fallback\n"
    assert sorted(p.name for p in (repo.root / other).parent.iterdir()) == [
        "KN-2026-cccccc.yaml",
        "KN-2026-dddddd.yaml",
    ]
