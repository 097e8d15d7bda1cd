"""What a sixth fault-injection round found: interruptions, broken repositories and broken
inputs that left a clerk somewhere unexpected or ended in a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TempRepo
from gitrepo import GitRepo
from hoso import submit
from test_submit import _new_case, clerk  # noqa: F401  (clerk is a fixture)


@pytest.mark.parametrize("stop", [KeyboardInterrupt, "Terminated"])
def test_submit_stopped_after_its_commit_before_the_push_returns_to_main(
    clerk: tuple[GitRepo, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stop: type[BaseException] | str,
) -> None:
    """Ctrl+C or SIGTERM while submit asks the gate who must approve (after the commit, before
    the push): the clerk is taken back to main, as when the push itself is stopped, not left on
    the case's branch where the next case opened would join this merge request unseen."""
    from hoso.cli.main import main
    from hoso.errors import Terminated

    raised = Terminated if stop == "Terminated" else stop
    assert isinstance(raised, type)
    repo, _ = clerk
    rel = _new_case(capsys)

    def stopped(*_: object, **__: object) -> object:
        raise raised()

    monkeypatch.setattr(submit, "verdict", stopped)
    assert main(["submit"]) == (130 if raised is KeyboardInterrupt else 143)
    capsys.readouterr()
    branch = f"ho-so/{Path(rel).stem}"
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    assert repo.git("branch", "--list", branch).strip(), "the committed work is kept"


@pytest.mark.parametrize("stop", [KeyboardInterrupt, "Terminated"])
def test_a_stop_while_pydantic_builds_a_model_is_an_orderly_stop(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stop: type[BaseException] | str,
) -> None:
    """Ctrl+C or SIGTERM in the first half second of a command, while the models are built:
    pydantic-core reports the interruption as a ``SchemaError`` of its own, naming it only in
    its message. That is the stop the clerk asked for (exit 130 or 143), not a traceback
    asking them to write to the developers."""
    from pydantic_core import SchemaValidator, core_schema

    from hoso.cli import validate as validate_verb
    from hoso.cli.main import main
    from hoso.errors import Terminated

    raised = Terminated if stop == "Terminated" else stop
    assert isinstance(raised, type)

    class Pressed:
        """A value whose description, asked for by pydantic-core, is where the signal comes."""

        def __repr__(self) -> str:
            raise raised()

    def building(*_: object, **__: object) -> object:
        return SchemaValidator(core_schema.literal_schema([Pressed()]))

    monkeypatch.setattr(validate_verb, "run", building)
    monkeypatch.chdir(repo.root)
    code = main(["validate"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "lỗi ngoài dự kiến" not in err, err
    assert code == (130 if raised is KeyboardInterrupt else 143), err


MKDOCS_CRASH = """\
ERROR    -  Error building page 'don-vi/khe-lam.md': [Errno 28] No space left on device
Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "/venv/lib/python3.11/site-packages/mkdocs/commands/build.py", line 230, in _build_page
    utils.write_file(
  File "/venv/lib/python3.11/site-packages/mkdocs/utils/__init__.py", line 130, in write_file
    with open(output_path, 'wb') as f:
         ^^^^^^^^^^^^^^^^^^^^^^^
OSError: [Errno 28] No space left on device
"""
"""What mkdocs wrote when the disk filled while it wrote the pages (it catches no OSError)."""


def test_a_crash_of_mkdocs_reaches_the_clerk_without_its_traceback() -> None:
    """A full disk while mkdocs writes the pages: mkdocs dies with a Python traceback, which
    ``hoso site`` passed on line for line. The clerk reads why, in Vietnamese, not the
    frames of a program they never called."""
    from hoso.cli.site import relayed

    said = relayed(MKDOCS_CRASH)
    assert "Traceback" not in said and "File " not in said and "^^^" not in said, said
    assert "đĩa đã đầy" in said, said
    assert said.split("\n")[0].startswith("Lỗi: Error building page 'don-vi/khe-lam.md'")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1258"])
def test_output_where_the_locale_cannot_write_vietnamese_is_utf8_not_a_traceback(
    repo: TempRepo, encoding: str
) -> None:
    """A server left in a legacy locale (Latin-1, or Windows' Vietnamese code page, which has
    no precomposed "ộ"): Python's output cannot write Vietnamese. Every command died at its
    first accented letter with a traceback; the output is UTF-8 there instead, as click already
    makes it for an ASCII one."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    command = [sys.executable, "-m", "hoso.cli.main", "explain", "admission"]
    done = subprocess.run(command, cwd=repo.root, env=env, capture_output=True, timeout=120)
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0
    assert "KẾT NẠP ĐẢNG VIÊN" in done.stdout.decode("utf-8")


@pytest.mark.parametrize(
    "args",
    [["review", "--base", "HEAD~1", "--head", "HEAD"], ["submit", "--dry-run"], ["audit"]],
    ids=["review", "submit", "audit"],
)
def test_a_clone_git_will_not_read_for_its_owner_is_said_so(
    clerk: tuple[GitRepo, Path],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    """A clone owned by another account (a CI container whose checkout belongs to another user,
    a shared folder on the province server): git refuses to read it ("dubious ownership").
    The review said the repository had no commit at all, submit that it was no repository,
    the audit only git's English: each now says why in Vietnamese and how it is allowed."""
    from hoso.cli.main import main

    repo, _ = clerk
    repo.commit("Second commit")
    # git's own switch for "this repository belongs to someone else" (its test suite's)
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    code = main(args)
    err = capsys.readouterr().err
    assert code != 0
    assert "kho rỗng" not in err and "không phải kho git" not in err, err
    assert "thuộc một tài khoản khác" in err and "safe.directory" in err, err


@pytest.mark.parametrize("what", ["file", "link"])
def test_a_cases_that_is_no_folder_is_named_never_read_as_no_records(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    what: str,
) -> None:
    """``cases`` a plain file (a link committed where the checkout makes links plain files
    holding their target, or a file saved under that name): validation said "0 records, all
    valid" and a report counted nothing, as though the province had no case; ``cases`` a
    link: validation named it, but list and due said "0 records" and exited 0. Each names it
    and fails."""
    from hoso.cli.main import main

    (repo.root / "cases").rmdir()
    if what == "file":
        repo.write("cases", "../records/cases\n")
    else:
        (repo.root / "cases").symlink_to(tmp_path_factory.mktemp("elsewhere"))
    root = ["--repo", str(repo.root)]
    assert main(["validate", "--no-cache", *root]) == 1
    out = capsys.readouterr().out
    assert "cases:" in out and "tất cả hợp lệ" not in out, out
    for verb in ("list", "due"):
        assert main([verb, *root]) == 1
        assert "cases:" in capsys.readouterr().err
    assert main(["report", "--period", "2026", "--unit", "khe-lam", *root]) != 0


NEW = ["new", "admission", "--cell", "khe-lam-x03-cb1", "--name", "Lò Văn Mẫu"]
NEW += ["--birth-date", "02/01/2000", "--sex", "nam", "--ethnicity", "Thái", "--date", "03/03/2025"]


def test_a_new_case_where_cases_is_no_folder_is_refused_not_a_traceback(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """``cases`` a plain file: ``hoso new`` died with a traceback (FileExistsError) where it
    takes the lock of the folder of cases. It is refused, saying what is there."""
    from hoso.cli.main import main

    (repo.root / "cases").rmdir()
    repo.write("cases", "../records/cases\n")
    code = main([*NEW, "--repo", str(repo.root)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "lỗi ngoài dự kiến" not in err, err
    assert code == 1, err
    assert "cases" in err and "không phải thư mục" in err, err
    assert (repo.root / "cases").read_text(encoding="utf-8") == "../records/cases\n"


def test_a_repository_git_cannot_read_is_not_called_empty(
    mr: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clone whose ``.git/config`` was broken by hand: git reads nothing, and the review
    said the repository had no commit at all, sending whoever repairs it the wrong way. It
    says git's reason instead."""
    from hoso.cli.main import main

    mr.commit("A step")
    with (mr.root / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write("[core\n garbage = \n")
    monkeypatch.chdir(mr.root)
    code = main(["review", "--base", "HEAD~1", "--head", "HEAD"])
    err = capsys.readouterr().err
    assert code != 0
    assert "kho rỗng" not in err and "bad config line" in err, err
