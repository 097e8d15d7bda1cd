"""``hoso submit`` against a local bare repository whose hook records what each push carried."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo, make_repo
from hoso import submit
from hoso.cli.main import main

HOOK = """#!/bin/sh
# Records the push options and the refs of each push (the forge's side of 'git push -o').
{
  echo "count=${GIT_PUSH_OPTION_COUNT:-0}"
  i=0
  while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
    eval "printf '%s\\n' \\"\\$GIT_PUSH_OPTION_$i\\""
    i=$((i + 1))
  done
} >> "$GIT_DIR/push-options.log"
cat >> "$GIT_DIR/refs.log"
"""

PERSON = ["--name", "Lò Văn Thử", "--birth-date", "02/01/2000", "--sex", "nam"]
CLERK = {"GIT_AUTHOR_NAME": "Văn thư Mẫu", "GIT_AUTHOR_EMAIL": "van-thu@mau.invalid"}


def _remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    subprocess.run(
        ["git", "-C", str(bare), "config", "receive.advertisePushOptions", "true"], check=True
    )
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    return bare


@pytest.fixture
def clerk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[GitRepo, Path]:
    """A records repository with the sample governance, pushed to a bare remote."""
    bare = _remote(tmp_path)
    repo = make_repo(tmp_path / "ho-so")
    repo.git("remote", "add", "origin", str(bare))
    repo.git("push", "-q", "origin", "main")
    (bare / "push-options.log").unlink()
    for key, value in {**CLERK, "GIT_COMMITTER_NAME": CLERK["GIT_AUTHOR_NAME"]}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", CLERK["GIT_AUTHOR_EMAIL"])
    monkeypatch.chdir(repo.root)
    return repo, bare


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _new_case(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code, out, err = _hoso(
        capsys,
        "new",
        "admission",
        "--cell",
        "khe-lam-x03-cb1",
        *PERSON,
        "--ethnicity",
        "Thái",
        "--date",
        "02/11/2026",
        *extra,
    )
    assert code == 0, err
    return out.strip()


def _git(bare: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(bare), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_submit_opens_a_gitlab_merge_request_with_push_options(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, bare = clerk
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    code, out, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 0, err
    branch = f"ho-so/{case_id}"
    title = f"Hồ sơ {case_id}: mở hồ sơ kết nạp đảng viên"
    assert _git(bare, "log", "-1", "--format=%B%an", branch).splitlines() == [
        title,
        "",
        "- 02/11/2026: đã vào danh sách cảm tình, có đảng viên giúp đỡ",
        "Văn thư Mẫu",
    ]
    assert _git(bare, "diff", "--name-only", "main", branch).split() == [rel]
    options = (bare / "push-options.log").read_text(encoding="utf-8").splitlines()
    assert options[:4] == [
        "count=4",
        "merge_request.create",
        "merge_request.target=main",
        f"merge_request.title={title}",
    ]
    description = options[4]
    assert description.startswith("merge_request.description=Gửi bằng `hoso submit`.<br>")
    assert f"- Hồ sơ {case_id}: mở hồ sơ kết nạp đảng viên" in description
    assert "Cổng kiểm duyệt hoso" in description  # the gate's summary
    assert f"refs/heads/{branch}" in (bare / "refs.log").read_text(encoding="utf-8")
    # Back on main, where the case is not yet (it waits for the merge).
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    assert not (repo.root / rel).exists()
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch} lên origin)" in out
    assert "GitLab đã mở yêu cầu hợp nhất vào main" in out
    assert "Đã gửi lên kho chung.\n" in out and "Đã mở yêu cầu phê duyệt với tiêu đề" in out


def test_a_step_is_described_by_its_label(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, bare = clerk
    rel = _new_case(capsys)
    repo.git("add", rel)
    repo.git("commit", "-q", "-m", "Case opened")
    repo.git("push", "-q", "origin", "main")
    case_id = Path(rel).stem
    code, _, err = _hoso(
        capsys,
        "transition",
        case_id,
        "--to",
        "course_completed",
        "--date",
        "20/11/2026",
        "--body",
        "khe-lam.propaganda",
        "--doc-number",
        "12-GCN/TTCT",
    )
    assert code == 0, err
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 0, err
    assert _git(bare, "log", "-1", "--format=%B", f"ho-so/{case_id}").strip().splitlines() == [
        f"Hồ sơ {case_id}: đã học lớp bồi dưỡng nhận thức về Đảng, có giấy chứng nhận",
        "",
        "- 20/11/2026: đã học lớp bồi dưỡng nhận thức về Đảng, có giấy chứng nhận",
    ]


def test_github_gets_the_compare_address(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, bare = clerk
    repo.git("remote", "set-url", "origin", "https://github.com/tinh-mau/ho-so.git")
    repo.git("remote", "set-url", "--push", "origin", str(bare))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no gh
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    code, out, err = _hoso(capsys, "submit")
    assert code == 0, err
    assert "count=0" in (bare / "push-options.log").read_text(encoding="utf-8")
    link = next(line for line in out.splitlines() if line.startswith("Mở pull request tại: "))
    assert link.startswith(
        f"Mở pull request tại: https://github.com/tinh-mau/ho-so/compare/main...ho-so/{case_id}"
        "?expand=1&title=H%E1%BB%93+s%C6%A1+"
    )


def test_github_with_gh_opens_the_pull_request(
    clerk: tuple[GitRepo, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    repo, bare = clerk
    repo.git("remote", "set-url", "origin", "git@github.com:tinh-mau/ho-so.git")
    repo.git("remote", "set-url", "--push", "origin", str(bare))
    tools = tmp_path / "bin"
    tools.mkdir()
    gh = tools / "gh"
    gh.write_text(
        '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/gh-args"\n'
        'echo "https://github.com/tinh-mau/ho-so/pull/7"\n',
        encoding="utf-8",
    )
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    rel = _new_case(capsys)
    code, out, err = _hoso(capsys, "submit")
    assert code == 0, err
    assert "Đã mở pull request: https://github.com/tinh-mau/ho-so/pull/7" in out
    args = (tools / "gh-args").read_text(encoding="utf-8").splitlines()
    assert args[:6] == ["pr", "create", "--base", "main", "--head", f"ho-so/{Path(rel).stem}"]
    assert args[6:8] == ["--title", f"Hồ sơ {Path(rel).stem}: mở hồ sơ kết nạp đảng viên"]


def test_nothing_to_send(clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _hoso(capsys, "submit")
    assert code == 1
    assert "không có hồ sơ nào thay đổi" in err


def test_an_invalid_record_is_not_sent(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, bare = clerk
    rel = _new_case(capsys)
    path = repo.root / rel
    path.write_text(path.read_text(encoding="utf-8").replace("sex: male", "sex: nu"))
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 1
    assert "hồ sơ chưa hợp lệ; hãy sửa trước khi gửi" in err and "subject.sex" in err
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    assert repo.git("branch", "--list", "ho-so/*") == ""
    assert not (bare / "push-options.log").exists()


def test_a_deleted_record_is_refused(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = clerk
    rel = _new_case(capsys)
    repo.git("add", rel)
    repo.git("commit", "-q", "-m", "Case opened")
    (repo.root / rel).unlink()
    code, _, err = _hoso(capsys, "submit")
    assert code == 1 and "không bao giờ bị xóa" in err and rel in err


def test_several_records_and_a_work_branch(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, bare = clerk
    first, second = _new_case(capsys), _new_case(capsys, "--again")  # two cases of one person
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab", "--stay")
    assert code == 0, err
    branch = repo.git("symbolic-ref", "--short", "HEAD")
    assert branch.startswith("ho-so/") and branch.endswith("-2-ho-so")
    message = _git(bare, "log", "-1", "--format=%B", branch)
    ids = sorted(Path(r).stem for r in (first, second))
    assert message.startswith(
        f"Cập nhật 2 hồ sơ: {ids[0]}, {ids[1]}\n\nHồ sơ {ids[0]}: mở hồ sơ kết nạp đảng viên\n"
        "- 02/11/2026: đã vào danh sách cảm tình, có đảng viên giúp đỡ\n"
        f"Hồ sơ {ids[1]}: mở"
    )
    # A later change on the work branch goes to the same branch (the same merge request).
    code, _, err = _hoso(
        capsys,
        "transition",
        ids[0],
        "--to",
        "withdrawn",
        "--date",
        "20/11/2026",
    )
    assert code == 0, err
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    assert repo.git("symbolic-ref", "--short", "HEAD") == branch
    assert f"Bạn vẫn ở nhánh {branch}: hồ sơ mở hay sửa tiếp ở đây" in out
    assert "git switch main" in out
    assert _git(bare, "log", "-1", "--format=%s", branch).strip() == (
        f"Hồ sơ {ids[0]}: dừng xem xét (người đề nghị rút đơn hoặc không đủ điều kiện)"
    )


def test_without_a_remote_nothing_changes(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = clerk
    repo.git("remote", "remove", "origin")
    _new_case(capsys)
    code, _, err = _hoso(capsys, "submit")
    assert code == 1 and "kho không có remote 'origin'" in err
    assert repo.git("branch", "--list", "ho-so/*") == ""


def test_dry_run_changes_nothing(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = clerk
    rel = _new_case(capsys)
    code, out, _ = _hoso(capsys, "submit", "--dry-run")
    assert code == 0 and "Sẽ gửi 1 hồ sơ để phê duyệt:" in out
    assert f"(chi tiết kỹ thuật: nhánh ho-so/{Path(rel).stem}; tệp {rel})" in out
    assert repo.git("branch", "--list", "ho-so/*") == ""
    assert repo.git("status", "--porcelain").startswith("?? cases/")


def test_a_failed_push_is_sent_again_by_the_next_submit(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The network fails after the commit: the next submit finds the branch the remote never
    received and pushes it (the merge request opened then), with no second branch."""
    repo, bare = clerk
    rel = _new_case(capsys)
    branch = f"ho-so/{Path(rel).stem}"
    repo.git("remote", "set-url", "origin", str(tmp_path / "unreachable.git"))
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 1 and f"không đẩy được nhánh {branch} lên origin" in err
    assert "gửi lại bằng 'hoso submit'" in err
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    repo.git("remote", "set-url", "origin", str(bare))
    code, out, err = _hoso(capsys, "submit", "--forge", "gitlab", "--dry-run")
    assert code == 0, err
    assert "1 nhánh đã commit nhưng chưa đẩy lên origin, sẽ gửi lại:" in out
    assert _git(bare, "branch", "--list", "ho-so/*") == ""
    code, out, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 0, err
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch} lên origin)" in out
    assert repo.git("branch", "--list", "--format=%(refname:short)", "ho-so/*") == branch
    assert _git(bare, "rev-parse", branch).strip() == repo.git("rev-parse", branch)
    options = (bare / "push-options.log").read_text(encoding="utf-8").splitlines()
    title = f"merge_request.title=Hồ sơ {Path(rel).stem}: mở hồ sơ kết nạp đảng viên"
    assert options[:4] == ["count=4", "merge_request.create", "merge_request.target=main", title]
    assert "Cổng kiểm duyệt hoso" in options[4]
    # Sent now: a third submit has nothing to send, and says so.
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 1 and "không có hồ sơ nào thay đổi" in err


def test_a_branch_merged_and_deleted_on_the_forge_is_not_sent_again(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, bare = clerk
    rel = _new_case(capsys)
    branch = f"ho-so/{Path(rel).stem}"
    assert _hoso(capsys, "submit", "--forge", "none")[0] == 0
    _git(bare, "update-ref", "refs/heads/main", branch)
    _git(bare, "branch", "-D", branch)
    repo.git("fetch", "-q", "--prune", "origin")
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1 and "không có hồ sơ nào thay đổi" in err


def test_a_sent_case_is_found_on_its_branch(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Back on main after submit, the case is not there yet: show shows it as sent, saying on
    which branch it waits and how to go on; transition says the same instead of "not found";
    a lower-case id is the same id."""
    repo, _ = clerk
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    assert _hoso(capsys, "submit", "--forge", "none")[0] == 0
    # Many branches made by earlier submits, merged long ago, sorting before this one.
    refs = "".join(f"create refs/heads/ho-so/AA-{n:03d} HEAD\n" for n in range(300))
    subprocess.run(["git", "update-ref", "--stdin"], input=refs.encode(), cwd=repo.root, check=True)
    for typed in (case_id, case_id.lower()):
        code, out, err = _hoso(capsys, "show", typed)
        assert code == 0, err
        head = f"Hồ sơ đã gửi phê duyệt, đang chờ hợp nhất (nhánh ho-so/{case_id})"
        assert out.startswith(head)
        assert case_id in out.split("\n\n", 1)[1] and "Lò Văn Thử" in out
    code, _, err = _hoso(capsys, "transition", case_id, "--to", "withdrawn", "--date", "20/11/2026")
    assert code == 2 and f"nhánh ho-so/{case_id}" in err


def test_a_sent_case_whose_object_is_lost_is_a_broken_repository(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The branch names the file but git cannot read its content (a lost loose object): said
    as a broken repository with what to do, not as git's own English after 'git failed'."""
    repo, _ = clerk
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    assert _hoso(capsys, "submit", "--forge", "none")[0] == 0
    blob = repo.git("rev-parse", f"ho-so/{case_id}:{rel}")
    loose = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.unlink()
    code, out, err = _hoso(capsys, "show", case_id)
    assert code == 3 and not out, out
    assert "kho git hỏng hoặc thiếu đối tượng" in err and "git fsck" in err, err


def test_a_remote_that_is_not_gitlab_says_so_and_the_work_is_sent_later(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--forge gitlab against a remote that takes no push options: said in words (not git's
    command with the whole description), and 'hoso submit --forge none' then sends it."""
    _, bare = clerk
    _git(bare, "config", "receive.advertisePushOptions", "false")
    rel = _new_case(capsys)
    branch = f"ho-so/{Path(rel).stem}"
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 1
    assert "origin không nhận tùy chọn đẩy (push options)" in err
    assert f"Commit vẫn còn trên nhánh {branch}" in err and "'hoso submit --forge none'" in err
    assert "merge_request" not in err and "fatal:" not in err
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch} lên origin)" in out


def test_a_branch_already_on_the_remote_is_not_said_to_open_a_merge_request(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Pushed by hand (without -u): the next submit resends it, finds nothing new, and says
    so instead of claiming GitLab opened a merge request."""
    repo, _ = clerk
    rel = _new_case(capsys)
    branch = f"ho-so/{Path(rel).stem}"
    assert _hoso(capsys, "submit", "--forge", "gitlab", "--no-push")[0] == 0
    repo.git("push", "-q", "origin", branch)
    code, out, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 0, err
    assert f"nhánh {branch} trên origin đã có đủ các commit này" in out
    assert "Kho chung đã có đủ các thay đổi này" in out
    assert "GitLab đã mở" not in out


def _rebase_on_the_forge(bare: Path, branch: str, tmp: Path, merge: bool = False) -> None:
    """What GitLab's Rebase button does: main moves on, the branch is rebased onto it (new
    commit ids, the same changes); with ``merge``, main then takes it by fast-forward."""
    tree = _git(bare, "rev-parse", "main^{tree}").strip()
    moved = _git(bare, "commit-tree", tree, "-p", "main", "-m", "Another merge").strip()
    _git(bare, "update-ref", "refs/heads/main", moved)
    forge = tmp / "forge-side"
    subprocess.run(["git", "clone", "-q", "-b", branch, str(bare), str(forge)], check=True)
    subprocess.run(["git", "-C", str(forge), "rebase", "-q", "origin/main"], check=True)
    subprocess.run(["git", "-C", str(forge), "push", "-q", "-f", "origin", branch], check=True)
    if merge:
        _git(bare, "update-ref", "refs/heads/main", f"refs/heads/{branch}")


def test_a_branch_the_forge_rebased_is_the_clerks_own(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """After the forge's rebase, the clerk's next step is not sent as a second merge request:
    the clerk is told to take the rebased branch in, and then it goes to the same one."""
    repo, bare = clerk
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    assert _hoso(capsys, "submit", "--forge", "none", "--stay")[0] == 0
    branch = repo.git("symbolic-ref", "--short", "HEAD")
    _rebase_on_the_forge(bare, branch, tmp_path)
    code, _, err = _hoso(capsys, "transition", case_id, "--to", "withdrawn", "--date", "20/11/2026")
    assert code == 0, err
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1 and f"git pull --rebase origin {branch}" in err
    assert "một lần gửi khác" not in out
    assert repo.git("branch", "--list", "--format=%(refname:short)", "ho-so/*") == branch
    repo.git("pull", "-q", "--rebase", "origin", branch)
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch} lên origin)" in out
    assert _git(bare, "branch", "--list", "ho-so/*").split() == [branch]


@pytest.mark.parametrize("merged", [False, True])
def test_a_rebased_branch_is_not_sent_again(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, merged: bool
) -> None:
    """Rebased by the forge (and perhaps merged by fast-forward, its branch kept): nothing is
    left to send, so submit says so and opens no second merge request."""
    repo, bare = clerk
    _new_case(capsys)
    assert _hoso(capsys, "submit", "--forge", "gitlab")[0] == 0
    branch = repo.git("branch", "--list", "--format=%(refname:short)", "ho-so/*")
    _rebase_on_the_forge(bare, branch, tmp_path, merge=merged)
    repo.git("fetch", "-q", "origin")
    code, _, err = _hoso(capsys, "submit", "--forge", "gitlab")
    assert code == 1 and "không có hồ sơ nào thay đổi" in err
    assert _git(bare, "branch", "--list", "ho-so/*").split() == [branch]


def _foreign_commit(bare: Path, branch: str) -> str:
    """Someone else's commit on ``branch`` of the remote (made there, unknown to the clerk)."""
    parent = _git(bare, "rev-parse", branch if _has(bare, branch) else "main").strip()
    sha = _git(bare, "commit-tree", f"{parent}^{{tree}}", "-p", parent, "-m", "Reviewer note")
    _git(bare, "update-ref", f"refs/heads/{branch}", sha.strip())
    return sha.strip()


def _has(bare: Path, branch: str) -> bool:
    done = subprocess.run(["git", "-C", str(bare), "rev-parse", "--verify", "--quiet", branch])
    return done.returncode == 0


def test_a_name_taken_on_the_remote_sends_on_a_new_branch(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Another submit of the same case (from another machine) took ho-so/<id> first: the
    clerk's new commit goes to a free name, and nobody's branch is overwritten."""
    repo, bare = clerk
    rel = _new_case(capsys)
    branch = f"ho-so/{Path(rel).stem}"
    theirs = _foreign_commit(bare, branch)
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    assert f"Trên origin đã có nhánh {branch} của một lần gửi khác" in out
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch}-2 lên origin)" in out
    assert _git(bare, "rev-parse", branch).strip() == theirs
    assert _git(bare, "diff", "--name-only", "main", f"{branch}-2").split() == [rel]
    assert repo.git("branch", "--list", "--format=%(refname:short)", "ho-so/*") == f"{branch}-2"
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"


def test_a_branch_someone_pushed_to_is_not_overwritten(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The reviewer pushed to the clerk's merge request branch: the clerk's next submit is
    refused with the commands that take the reviewer's commit in, in Vietnamese, and following
    them sends the work."""
    repo, bare = clerk
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    assert _hoso(capsys, "submit", "--forge", "none", "--stay")[0] == 0
    branch = repo.git("symbolic-ref", "--short", "HEAD")
    theirs = _foreign_commit(bare, branch)
    code, _, err = _hoso(capsys, "transition", case_id, "--to", "withdrawn", "--date", "20/11/2026")
    assert code == 0, err
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1
    assert f"nhánh {branch} trên origin đã có commit mà máy này chưa có" in err
    assert f"git pull --rebase origin {branch}" in err
    assert "hint:" not in err and "Traceback" not in err
    assert _git(bare, "rev-parse", branch).strip() == theirs
    mine = repo.git("rev-parse", "HEAD")
    assert repo.git("log", "-1", "--format=%s").startswith(f"Hồ sơ {case_id}: dừng xem xét")
    # Following the advice sends the work on top of the reviewer's commit.
    repo.git("pull", "-q", "--rebase", "origin", branch)
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch} lên origin)" in out
    assert _git(bare, "rev-parse", f"{branch}~1").strip() == theirs
    assert (
        _git(bare, "log", "-1", "--format=%s", branch)
        == repo.git("log", "-1", "--format=%s", mine) + "\n"
    )


def test_a_branch_the_forge_refuses_says_why(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, bare = clerk
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(
        "#!/bin/sh\necho 'GitLab: You are not allowed to push to this branch' >&2\nexit 1\n",
        encoding="utf-8",
    )
    rel = _new_case(capsys)
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1
    assert (
        f"origin từ chối nhận nhánh ho-so/{Path(rel).stem}; GitLab/GitHub báo: GitLab: You are not "
        "allowed to push to this branch. Commit vẫn còn trên nhánh đó"
    ) in err


def test_a_local_hook_that_stops_the_push_says_why(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = clerk
    hook = repo.root / ".git" / "hooks" / "pre-push"
    hook.write_text("#!/bin/sh\necho 'máy chủ tệp lớn không trả lời' >&2\nexit 1\n")
    hook.chmod(0o755)
    _new_case(capsys)
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1
    assert "git báo: máy chủ tệp lớn không trả lời" in err
    assert "hint:" not in err and "git push -o" not in err


@pytest.mark.parametrize("where", ["hooks", "core.hooksPath"])
def test_a_local_hook_that_stops_the_commit_says_so_and_nothing_is_lost(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A pre-commit hook's refusal is the repository's own check speaking: named as such,
    with what it said, exit 1 (not "unexpected"), and the record and branch as they were."""
    repo, _ = clerk
    folder = repo.root / ".git" / "hooks"
    if where == "core.hooksPath":
        folder = repo.root / "kiem-tra"
        folder.mkdir()
        repo.git("config", "core.hooksPath", "kiem-tra")
    hook = folder / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'thiếu chữ ký của văn thư' >&2\nexit 1\n")
    hook.chmod(0o755)
    _new_case(capsys)
    (record,) = repo.root.glob("cases/*/*/*.yaml")
    written = record.read_bytes()
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1, err
    assert "(pre-commit hook) của kho không cho commit; nó báo:\nthiếu chữ ký của văn thư" in err
    assert "Chưa commit gì" in err and "lệnh git thất bại" not in err
    assert repo.git("branch", "--show-current").strip() == "main"
    assert "ho-so/" not in repo.git("branch", "--list")
    assert record.read_bytes() == written


def test_a_hook_folder_under_the_home_folder_is_found(
    clerk: tuple[GitRepo, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """core.hooksPath = ~/hooks is where git runs the hook from (git expands '~'): its
    refusal is named as the repository's check, exit 1, not 'git failed'."""
    repo, _ = clerk
    home = tmp_path / "nha"
    (home / "hooks").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    repo.git("config", "core.hooksPath", "~/hooks")
    hook = home / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'thiếu chữ ký của văn thư' >&2\nexit 1\n")
    hook.chmod(0o755)
    _new_case(capsys)
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1, err
    assert "(pre-commit hook) của kho không cho commit; nó báo:\nthiếu chữ ký của văn thư" in err


def test_a_hook_that_lets_the_commit_through_is_not_blamed_for_gits_own_failure(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-commit hook is installed and passes; git then stops on its own (no identity):
    that is git's failure (exit 3, git's words), not the hook's refusal."""
    repo, _ = clerk
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    hook.chmod(0o755)
    _new_case(capsys)
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(repo.root.parent / "khong-co"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo.git("config", "user.useConfigOnly", "true")
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 3, err
    assert "hook" not in err and "identity unknown" in err
    assert "Chưa commit gì" in err


def test_a_branch_that_tracks_main_is_still_renamed_when_its_name_is_taken(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """With branch.autoSetupMerge=always the new branch tracks main: having an upstream does
    not make someone else's branch of the same name the clerk's own."""
    repo, bare = clerk
    repo.git("config", "branch.autoSetupMerge", "always")
    rel = _new_case(capsys)
    branch = f"ho-so/{Path(rel).stem}"
    theirs = _foreign_commit(bare, branch)
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    assert f"(chi tiết kỹ thuật: đã đẩy nhánh {branch}-2 lên origin)" in out
    assert _git(bare, "rev-parse", branch).strip() == theirs


def test_a_branch_pushed_by_hand_and_added_to_is_not_renamed(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Pushed without -u (no upstream), then the reviewer added a commit: the remote branch
    holds the clerk's own commit, so the clerk is told to take the reviewer's in, not given a
    second merge request."""
    repo, bare = clerk
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    assert _hoso(capsys, "submit", "--forge", "none", "--no-push", "--stay")[0] == 0
    branch = repo.git("symbolic-ref", "--short", "HEAD")
    repo.git("push", "-q", "origin", branch)
    theirs = _foreign_commit(bare, branch)
    code, _, err = _hoso(capsys, "transition", case_id, "--to", "withdrawn", "--date", "20/11/2026")
    assert code == 0, err
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1 and f"git pull --rebase origin {branch}" in err
    assert repo.git("symbolic-ref", "--short", "HEAD") == branch
    assert _git(bare, "rev-parse", branch).strip() == theirs
    assert _git(bare, "branch", "--list", f"{branch}-2") == ""


@pytest.mark.parametrize(
    ("url", "forge"),
    [
        ("git@gitlab.com:tinh/ho-so.git", "gitlab"),
        ("https://gitlab.tinh.vn/to-chuc/ho-so.git", "gitlab"),
        ("ssh://git@gitlab.example:2222/x/y.git", "gitlab"),
        ("https://github.com/tinh/ho-so", "github"),
        ("git@github.com:tinh/ho-so.git", "github"),
        ("/srv/git/ho-so.git", "none"),
        ("https://git.tinh.vn/ho-so.git", "none"),
    ],
)
def test_forge_from_the_remote_address(url: str, forge: str) -> None:
    assert submit.forge_of(url) == forge


def test_a_target_the_repository_lacks_is_refused_before_any_commit(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A repository whose main branch is master: nothing is committed onto master."""
    repo, _ = clerk
    repo.git("branch", "-q", "-m", "main", "master")
    repo.git("update-ref", "-d", "refs/remotes/origin/main")
    _new_case(capsys)
    tip = repo.git("rev-parse", "HEAD")
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1
    assert "kho không có nhánh main để gửi vào" in err and "--target" in err
    assert repo.git("rev-parse", "HEAD") == tip
    assert repo.git("branch", "--list", "ho-so/*") == ""


def test_submit_speaks_plainly_and_says_who_must_approve(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A clerk reads what happened in plain words first (saved, sent, who must approve); the
    branch and the commit follow as technical detail; no "commit", "đẩy" or "origin" leads."""
    rel = _new_case(capsys)
    case_id = Path(rel).stem
    branch = f"ho-so/{case_id}"
    code, out, _ = _hoso(capsys, "submit", "--dry-run")
    assert code == 0
    assert out.splitlines()[:3] == [
        "Sẽ gửi 1 hồ sơ để phê duyệt:",
        f"  - {case_id}: mở hồ sơ kết nạp đảng viên",
        f"Nội dung ghi kèm: Hồ sơ {case_id}: mở hồ sơ kết nạp đảng viên",
    ]
    code, out, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[4].startswith("Đã lưu thay đổi (mã ") and lines[4].endswith(").")
    assert lines[5].startswith("  (chi tiết kỹ thuật: commit ")
    assert lines[6:8] == [
        "Đã gửi lên kho chung.",
        f"  (chi tiết kỹ thuật: đã đẩy nhánh {branch} lên origin)",
    ]
    assert lines[8].startswith("Chưa có yêu cầu phê duyệt trên trang của kho chung: hãy báo")
    assert lines[9] == f"Hồ sơ {case_id} đang chờ phê duyệt:"
    assert lines[10].startswith("  - cần thêm 1 người của Ban Tổ chức huyện Khê Lam phê duyệt")
    plain = [line for line in lines if not line.startswith("  (chi tiết kỹ thuật")]
    for jargon in ("Đã commit", "Đã đẩy", "Lời mô tả commit", "origin"):
        assert not any(line.startswith(jargon) or jargon in line for line in plain[:10]), jargon
    code, _, err = _hoso(capsys, "submit")
    assert code == 1
    assert "không có hồ sơ nào thay đổi so với lần lưu gần nhất" in err


def test_submit_under_broken_governance_says_so_and_sends_nothing(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = clerk
    _new_case(capsys)
    (repo.root / "governance" / "units.yaml").write_text("units: [\n", encoding="utf-8")
    head = repo.git("rev-parse", "HEAD")
    code, _, err = _hoso(capsys, "submit", "--forge", "none")
    assert code == 1
    assert "tệp quản trị (governance/) có lỗi nên không gửi gì" in err
    assert "hồ sơ chưa hợp lệ" not in err
    assert repo.git("rev-parse", "HEAD") == head and "ho-so/" not in repo.git("branch")


LOCKED_SAID = (
    "một lệnh git khác đang chạy trong kho này, hoặc tệp {lock} còn sót lại sau một lệnh bị "
    "ngắt; hãy thử lại sau, hoặc xóa tệp đó nếu chắc không còn lệnh git nào chạy"
)


def test_a_stale_index_lock_stops_submit_in_vietnamese_and_a_rerun_finishes(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock left by a git command that was stopped: the clerk reads why in Vietnamese, the
    exit status says "refused" (1), not "broken" (3), and the clerk is back where they were,
    on main with the case not committed, so that the same command finishes once it is gone."""
    from hoso import git

    monkeypatch.setattr(git, "LOCK_WAIT", 0.3)
    repo, _ = clerk
    rel = _new_case(capsys)
    lock = repo.root / ".git" / "index.lock"
    lock.touch()
    code, _, err = _hoso(capsys, "submit", "--no-push")
    assert code == 1, err
    assert LOCKED_SAID.format(lock=lock) in err
    assert "Chưa commit gì; các hồ sơ đã sửa vẫn còn nguyên, vẫn ở nhánh main." in err
    assert "Chạy lại 'hoso submit'" in err
    assert "Unable to create" not in err and "lệnh git thất bại" not in err
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    assert repo.git("branch", "--list", "ho-so/*") == ""
    assert repo.git("status", "--porcelain", "--untracked-files=all") == f"?? {rel}"
    lock.unlink()
    code, _, err = _hoso(capsys, "submit", "--no-push")
    assert code == 0, err
    assert repo.git("branch", "--list", "--format=%(refname:short)", "ho-so/*") == (
        f"ho-so/{Path(rel).stem}"
    )


@pytest.mark.parametrize("held", ["HEAD.lock", "refs/heads/ho-so.lock"])
def test_a_lock_on_head_or_on_the_new_branch_leaves_no_branch_behind(
    clerk: tuple[GitRepo, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    held: str,
) -> None:
    """``git switch -c`` made the branch and then failed to move HEAD, so trying it again
    found the branch there ("already exists", exit 3) and left it behind: the branch is made
    and entered one ref at a time, each safe to try again, and undone when the send fails."""
    from hoso import git

    monkeypatch.setattr(git, "LOCK_WAIT", 0.3)
    repo, _ = clerk
    rel = _new_case(capsys)
    lock = repo.root / ".git" / held
    lock.parent.mkdir(parents=True, exist_ok=True)
    if held.startswith("refs/heads/"):
        lock = repo.root / ".git" / "refs" / "heads" / "ho-so" / f"{Path(rel).stem}.lock"
        lock.parent.mkdir(parents=True, exist_ok=True)
    lock.touch()
    code, _, err = _hoso(capsys, "submit", "--no-push")
    assert code == 1, err
    assert "already exists" not in err and "lệnh git thất bại" not in err
    assert "vẫn ở nhánh main" in err
    assert repo.git("symbolic-ref", "--short", "HEAD") == "main"
    assert repo.git("branch", "--list", "ho-so/*") == ""
    lock.unlink()
    code, _, err = _hoso(capsys, "submit", "--no-push")
    assert code == 0, err
    assert repo.git("branch", "--list", "--format=%(refname:short)", "ho-so/*") == (
        f"ho-so/{Path(rel).stem}"
    )


def test_submit_waits_for_a_lock_another_git_command_lets_go(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import threading

    repo, _ = clerk
    rel = _new_case(capsys)
    lock = repo.root / ".git" / "index.lock"
    lock.touch()
    timer = threading.Timer(0.5, lock.unlink)
    timer.start()
    try:
        code, out, err = _hoso(capsys, "submit", "--no-push")
    finally:
        timer.join()
    assert code == 0, err
    assert f"commit {repo.git('rev-parse', '--short=10', f'ho-so/{Path(rel).stem}')}" in out


def test_approve_under_a_stale_lock_says_so_and_writes_nothing(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoso import git

    monkeypatch.setattr(git, "LOCK_WAIT", 0.3)
    repo, _ = clerk
    rel = _new_case(capsys)
    repo.git("switch", "-q", "-c", "ho-so/review")
    repo.git("add", rel)
    repo.git("commit", "-q", "-m", "A case")
    before = repo.git("rev-parse", "HEAD")
    lock = repo.root / ".git" / "index.lock"
    lock.touch()
    code, _, err = _hoso(capsys, "approve", rel, "--key", str(repo.key("a")))
    assert code == 1, err
    assert LOCKED_SAID.format(lock=lock) in err
    assert "Chưa ghi commit nào; chạy lại 'hoso approve' sau." in err
    assert "Unable to create" not in err and "lệnh git thất bại" not in err
    assert repo.git("rev-parse", "HEAD") == before
    lock.unlink()
    code, out, err = _hoso(capsys, "approve", rel, "--key", str(repo.key("a")))
    assert code == 0 and out.startswith(f"Đã ký phê duyệt {rel}"), err


def test_an_edit_s_temporary_file_left_beside_a_record_is_not_sent_nor_refused(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A record edit killed mid-write leaves its temporary file beside the record: it is not
    the clerk's, so submit neither refuses over it nor sends it (the next edit removes it)."""
    repo, bare = clerk
    rel = _new_case(capsys)
    record = repo.root / rel
    left = record.with_name(f".{record.name}.0123456789ab.tmp")
    left.write_bytes(record.read_bytes())
    code, _, err = _hoso(capsys, "submit")
    assert code == 0, err
    branch = f"ho-so/{record.stem}"
    sent = _git(bare, "ls-tree", "-r", "--name-only", branch, "--", "cases").split()
    assert rel in sent and not any(name.endswith(".tmp") for name in sent)
    assert left.is_file()  # not the clerk's to remove either


def test_a_step_recorded_while_submit_commits_is_not_sent_under_a_message_that_omits_it(
    clerk: tuple[GitRepo, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ``hoso transition`` that lands after submit checked and described a record, but
    before the commit, must not ride along unchecked and unnamed in the commit: the two
    commands take turns, and the step is kept in the file for the next submit."""
    repo, _ = clerk
    rel = _new_case(capsys)
    step = [
        "transition",
        rel,
        "--to",
        "course_completed",
        "--date",
        "20/11/2026",
        "--body",
        "Ban Tuyên giáo huyện Khê Lam",
        "--doc-number",
        "12-GCN/TTCT",
    ]

    editor: list[subprocess.Popen[bytes]] = []
    described = submit.message_for

    def describe_then_edit(changes: list[submit.Change]) -> tuple[str, str]:
        said = described(changes)
        # Another process (not a fork, which would share submit's open files and their locks).
        worker = subprocess.Popen([sys.executable, "-m", "hoso.cli.main", *step])
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(3)  # the step lands now, unless submit holds the record
        editor.append(worker)
        return said

    monkeypatch.setattr(submit, "message_for", describe_then_edit)
    code, _, err = _hoso(capsys, "submit", "--no-push", "--stay")
    assert code == 0, err
    assert editor[0].wait(30) == 0
    branch = f"ho-so/{Path(rel).stem}"
    sent = repo.git("show", f"{branch}:{rel}")
    assert "course_completed" not in sent, "a step no one checked nor named was committed"
    assert "course_completed" in (repo.root / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("stop", [KeyboardInterrupt, "Terminated"])
def test_submit_stopped_between_making_its_branch_and_entering_it_leaves_no_branch(
    clerk: tuple[GitRepo, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stop: type[BaseException] | str,
) -> None:
    """Ctrl+C or SIGTERM right after submit made its branch, before it moved onto it: the
    empty branch is removed, so the next submit takes the case's own name, not ``-2``."""
    from hoso import git
    from hoso.errors import Terminated

    raised = Terminated if stop == "Terminated" else stop
    assert isinstance(raised, type)
    repo, _ = clerk
    rel = _new_case(capsys)
    run = git.Repo.run

    def stopped_at_symbolic_ref(self: git.Repo, *args: str, **kwargs: object) -> bytes:
        if args[:2] == ("symbolic-ref", "HEAD") and len(args) == 3:
            raise raised()  # the moment after 'update-ref' made the branch
        return run(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(git.Repo, "run", stopped_at_symbolic_ref)
    assert main(["submit", "--no-push"]) == (130 if raised is KeyboardInterrupt else 143)
    monkeypatch.setattr(git.Repo, "run", run)
    capsys.readouterr()
    assert repo.git("branch", "--list", "ho-so/*").strip() == ""
    assert repo.git("symbolic-ref", "--short", "HEAD").strip() == "main"
    code, out, err = _hoso(capsys, "submit", "--no-push")
    assert code == 0, err
    assert f"nhánh ho-so/{Path(rel).stem};" in out


FAKE_GIT = """#!/bin/sh
# 'git add' that holds the index lock as git does, and removes it when asked to stop (SIGTERM),
# as git does; SIGKILL leaves it behind. The trap is set before the lock exists: a SIGTERM
# between the two would otherwise end the script by default and leave the lock.
if [ "$1" = "add" ]; then
  trap 'rm -f .git/index.lock; exit 143' TERM
  touch .git/index.lock
  while :; do sleep 0.05; done
fi
exec {git} "$@"
"""


def test_submit_stopped_by_sigterm_during_a_git_command_leaves_no_lock_behind(
    clerk: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """SIGTERM while git runs: git is asked to stop as hoso was (it removes its lock files),
    not killed outright, which would leave ``.git/index.lock`` and refuse the next submit."""
    import shutil
    import signal
    import time

    repo, _ = clerk
    _new_case(capsys)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(FAKE_GIT.format(git=shutil.which("git")), encoding="utf-8")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    command = [sys.executable, "-m", "hoso.cli.main", "submit", "--no-push"]
    hoso = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = repo.root / ".git" / "index.lock"
    deadline = time.monotonic() + 30
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert lock.exists(), hoso.communicate()
    hoso.send_signal(signal.SIGTERM)
    _, err = hoso.communicate(timeout=30)
    assert hoso.returncode == 143, err
    assert b"Traceback" not in err
    assert not lock.exists(), "a lock file left behind by a git killed outright"
    code, _, err2 = _hoso(capsys, "submit", "--no-push")
    assert code == 0, err2
