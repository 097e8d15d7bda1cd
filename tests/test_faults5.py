"""What a fifth fault-injection round found: git history the site could not read, and paths
the file system refuses (too long, not readable, not writable) said in Vietnamese."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import TempRepo
from hoso.cli.main import main


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample province whose history went through merge requests."""
    from hoso.sample.history import generate_history

    root = tmp_path_factory.mktemp("province") / "h"
    generate_history(root, 6, 3)
    return root


@pytest.mark.parametrize("audience", ["commission", "audit"])
def test_case_pages_say_the_git_history_could_not_be_read(
    province: Path, tmp_path: Path, audience: str
) -> None:
    """A shallow clone's history cannot be walked: a case page must say its merges and
    approvals are unknown, not show the case as if nothing had ever been merged (a direct push
    then vanishes from the commission's view without a word)."""
    from hoso.site.pages import render_all

    shown = _case_pages(render_all(province, audience)[1])
    assert any("## Phê duyệt trong lịch sử Git" in page for page in shown)
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{province}", str(clone)], check=True
    )
    cases = _case_pages(render_all(clone, audience)[1])
    assert cases
    for page in cases:
        assert "## Phê duyệt trong lịch sử Git" in page, page
        assert "Không đọc được lịch sử Git của kho" in page and "bản sao nông" in page, page


def _case_pages(pages: dict[str, str]) -> list[str]:
    return [page for rel, page in pages.items() if rel.startswith("ho-so/") and rel.endswith(".md")]


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--repo", "/tmp/" + "b" * 300],
        ["list", "--repo", "/tmp/" + "b" * 300],
        ["validate", "cases/" + "b" * 300 + ".yaml"],
        ["validate", "b" * 300],
    ],
    ids=["validate-repo", "list-repo", "validate-file", "validate-word"],
)
def test_a_name_too_long_for_the_file_system_is_said_not_a_traceback(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    """A path pasted twice, or a name over 255 bytes: the system refuses to look it up
    (ENAMETOOLONG), which is no reason for a traceback."""
    monkeypatch.chdir(repo.root)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "quá dài" in err, err


def test_a_repository_folder_that_cannot_be_looked_into_is_said_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--repo under a folder the user may not enter (EACCES): said in Vietnamese."""
    import errno
    import os

    real = os.stat
    shut = str(tmp_path / "shut")

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(shut + "/"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    assert main(["list", "--repo", f"{shut}/records"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "không có quyền đọc" in err, err


@pytest.mark.parametrize("check", [False, True], ids=["write", "check"])
@pytest.mark.parametrize("how", ["folder", "not-utf8"])
def test_a_codeowners_file_that_cannot_be_read_is_said_not_a_traceback(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], check: bool, how: str
) -> None:
    """A CODEOWNERS that is a folder, or saved in another encoding: refused (or written over,
    the file being generated) in Vietnamese, never a traceback."""
    target = repo.root / ".github" / "CODEOWNERS"
    if how == "folder":
        target.mkdir(parents=True)
    else:
        target.parent.mkdir(parents=True)
        target.write_bytes(b"\xff\xfe* @x\n")
    code = main(["codeowners", "--repo", str(repo.root), *(["--check"] if check else [])])
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    if check or how == "folder":
        assert code == 1, err
    else:
        assert code == 0 and target.read_text(encoding="utf-8").startswith("#")
    if how == "folder" and not check:
        assert "không ghi được .github/CODEOWNERS: đó là một thư mục" in err, err


def test_codeowners_and_schemas_in_a_folder_that_cannot_be_written_are_said(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only clone (or one owned by another user): nothing can be written, which is
    said in Vietnamese with the file it was, not an OSError traceback."""
    import errno
    import os

    def refused(*_: object, **__: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "mkdir", refused)
    for args in (["codeowners"], ["schemas"]):
        assert main([*args, "--repo", str(repo.root)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and "không ghi được" in err, err
        assert "không có quyền ghi" in err, err


def test_a_schema_file_that_is_not_utf8_is_stale_not_a_traceback(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schemas", "--repo", str(repo.root)]) == 0
    first = sorted((repo.root / "schemas").iterdir())[0]
    first.write_bytes(b"\xff" + first.read_bytes())
    capsys.readouterr()
    assert main(["schemas", "--check", "--repo", str(repo.root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "1 tệp schema đã cũ" in err, err


def test_two_samples_into_one_new_folder_at_once_make_one_province(tmp_path: Path) -> None:
    """The folder must be new or empty: checked and taken as one step, so a second run at the
    same moment waits and finds it full, instead of both writing and mixing two provinces."""
    import os
    import sys

    out = tmp_path / "mau"
    env = {**os.environ, "HOSO_QUIET": "1"}
    sample = [sys.executable, "-m", "hoso.cli.main", "sample", "--out", str(out), "--cases"]
    runs = [
        subprocess.Popen(
            [*sample, "1500", "--seed", str(seed)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    done = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert sorted(code for code, _, _ in done) == [0, 2], done
    refused = next(err for code, _, err in done if code == 2)
    assert refused == f"hoso: {out}: thư mục đã có nội dung; chọn một thư mục trống\n"
    assert main(["validate", "--repo", str(out)]) == 0
