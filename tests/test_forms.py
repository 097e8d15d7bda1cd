"""``hoso forms`` without a browser: the form handlers through a WSGI test client, on a clone
whose origin is a local bare repository (the browser test does the same in chromium)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from werkzeug.test import Client

from conftest import AS_OF, EXAMPLES, TempRepo
from formsrepo import (
    CLERK,
    CLI_NEW,
    CLI_STEPS,
    HOST,
    STEPS,
    Browser,
    case_id_of,
    clone_with_remote,
    field_error,
    forms_app,
    text,
)
from gitrepo import GitRepo, make_repo
from hoso import editing
from hoso.cli.main import main
from test_editing import APPRAISED


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[GitRepo, Path]:
    for key, value in CLERK.items():
        monkeypatch.setenv(key, value)
    return clone_with_remote(tmp_path)


@pytest.fixture
def browser(clone: tuple[GitRepo, Path]) -> Browser:
    return Browser(Client(forms_app(clone[0].root, AS_OF)))


def worktree_file(repo: GitRepo, case_id: str) -> Path:
    [path] = (repo.root / ".git" / "hoso-forms" / case_id / "cases").glob(f"*/*/{case_id}.yaml")
    return path


def cli_version(tmp_path: Path, case_id: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The README's walkthrough run by the command line in another clone, the random id
    swapped for ``case_id``: what the forms must have written."""
    other = make_repo(tmp_path / "cli")
    monkeypatch.chdir(other.root)
    assert main(CLI_NEW) == 0
    [made] = (other.root / "cases").glob("*/*/*.yaml")
    path = made.with_name(f"{case_id}.yaml")
    path.write_bytes(made.read_bytes().replace(made.stem.encode(), case_id.encode()))
    made.unlink()
    for step in CLI_STEPS:
        assert main(["transition", str(path), *step]) == 0
    return path.read_bytes()


def open_case(browser: Browser) -> str:
    page = browser.new_case()
    assert page.status_code == 303, text(page)
    return case_id_of(page)


# Recording a case by the forms alone --------------------------------------------------------


def test_a_case_recorded_by_forms_is_what_the_cli_writes_and_is_sent_as_a_merge_request(
    clone: tuple[GitRepo, Path],
    browser: Browser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, bare = clone
    case_id = open_case(browser)
    for state, fields in STEPS:
        page = browser.step(case_id, state, fields)
        assert page.status_code == 303, text(page)
    written = worktree_file(repo, case_id).read_bytes()
    assert written == cli_version(tmp_path, case_id, monkeypatch)
    assert repo.git("status", "--porcelain") == ""  # the clone itself is never edited

    page = browser.get(f"/ho-so/{case_id}")
    assert "chưa gửi phê duyệt" in text(page)
    page = browser.post(f"/ho-so/{case_id}/gui", {})
    assert page.status_code == 200, text(page)
    words = text(page)
    assert "Đã gửi phê duyệt" in words
    assert f"ho-so/{case_id}" in words
    assert "Còn có thể phê duyệt" in words  # the gate's verdict: who must still approve

    branch = f"refs/heads/ho-so/{case_id}"
    rel = f"cases/khe-lam/admission/{case_id}.yaml"
    sent = subprocess.run(
        ["git", "-C", str(bare), "show", f"{branch}:{rel}"], capture_output=True, check=True
    ).stdout
    assert sent == written
    title = subprocess.run(
        ["git", "-C", str(bare), "log", "-1", "--format=%s", branch],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert title == (
        f"Hồ sơ {case_id}: mở hồ sơ kết nạp đảng viên, đến bước: chi bộ đã ra nghị quyết "
        "đề nghị kết nạp"
    )


@pytest.mark.parametrize("fault", ["taken", "refused"])
def test_a_push_the_remote_refuses_leaves_the_commit_and_says_why(
    clone: tuple[GitRepo, Path], browser: Browser, fault: str
) -> None:
    """Another submission took the branch's name on the remote, or a hook refuses it: the
    clerk gets the "committed, not sent" page in Vietnamese, and nobody's branch changes."""
    repo, bare = clone
    case_id = open_case(browser)
    branch = f"ho-so/{case_id}"
    if fault == "taken":
        tree = subprocess.run(
            ["git", "-C", str(bare), "rev-parse", "main^{tree}"], capture_output=True, text=True
        ).stdout.strip()
        theirs = subprocess.run(
            ["git", "-C", str(bare), "commit-tree", tree, "-p", "main", "-m", "Other"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        subprocess.run(["git", "-C", str(bare), "update-ref", f"refs/heads/{branch}", theirs])
    else:
        hook = bare / "hooks" / "pre-receive"
        hook.write_text("#!/bin/sh\necho 'nhánh được bảo vệ' >&2\nexit 1\n")
        hook.chmod(0o755)
    browser.get(f"/ho-so/{case_id}")
    page = browser.post(f"/ho-so/{case_id}/gui", {})
    assert page.status_code == 200, text(page)
    words = text(page)
    assert "Đã lưu thay đổi, chưa gửi được" in words
    said = {
        "taken": "đã có commit mà máy này chưa có",
        "refused": "GitLab/GitHub báo: nhánh được bảo vệ",
    }
    assert said[fault] in words
    assert "Traceback" not in words and "hint:" not in words
    assert repo.git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    if fault == "taken":
        done = subprocess.run(
            ["git", "-C", str(bare), "rev-parse", branch], capture_output=True, text=True
        )
        assert done.stdout.strip() == theirs


def test_only_the_legal_next_steps_are_offered_and_others_are_refused(
    browser: Browser, clone: tuple[GitRepo, Path]
) -> None:
    case_id = open_case(browser)
    page = browser.get(f"/ho-so/{case_id}")
    offered = set(re.findall(rf"/ho-so/{case_id}/buoc/(\w+)", page.text))
    assert offered == {"course_completed", "withdrawn"}
    assert browser.get(f"/ho-so/{case_id}/buoc/decided").status_code == 404
    before = worktree_file(clone[0], case_id).read_bytes()
    browser.get(f"/ho-so/{case_id}")
    forged = {"on": "20/05/2025", "body": "khe-lam", "version": editing.version(before)}
    page = browser.post(f"/ho-so/{case_id}/buoc/decided", forged)
    assert page.status_code == 404
    assert "Không thể ghi bước" in text(page)
    assert worktree_file(clone[0], case_id).read_bytes() == before


def test_a_broken_rule_is_shown_at_its_field_and_nothing_is_written(
    browser: Browser, clone: tuple[GitRepo, Path]
) -> None:
    case_id = open_case(browser)
    for state, fields in STEPS[:3]:
        assert browser.step(case_id, state, fields).status_code == 303
    before = worktree_file(clone[0], case_id).read_bytes()
    too_few = {**STEPS[3][1], "vote_for": "8", "vote_against": "6"}
    page = browser.step(case_id, "cell_voted", too_few)
    assert page.status_code == 422
    assert "cần ít nhất 2/3 của 15 = 10 phiếu tán thành" in field_error(page, "vote_for")
    assert "Chưa ghi gì" in text(page)
    assert 'value="8"' in page.text  # what was typed stays in the form
    assert worktree_file(clone[0], case_id).read_bytes() == before


def test_unreadable_values_are_named_at_their_fields(browser: Browser) -> None:
    case_id = open_case(browser)
    page = browser.step(case_id, "course_completed", {"on": "31/02/2025", "doc_date": "hôm qua"})
    assert page.status_code == 422
    assert "không có trên lịch" in field_error(page, "on")
    assert "ngày phải viết dạng" in field_error(page, "doc_date")
    # Days with dashes are read as the command line reads them; a two-digit year is not.
    page = browser.step(case_id, "course_completed", {"on": "31-02-2025", "doc_date": "5/5/25"})
    assert "ngày 31/02/2025 không có trên lịch" in field_error(page, "on")
    assert "năm phải ghi đủ 4 chữ số" in field_error(page, "doc_date")
    page = browser.step(case_id, "withdrawn", {"on": "20/05/2025", "vote_for": "mười"})
    assert "số nguyên không âm" in field_error(page, "vote_for")


def test_a_new_case_with_bad_values_is_refused_at_its_fields_and_leaves_nothing(
    browser: Browser, clone: tuple[GitRepo, Path]
) -> None:
    page = browser.new_case(cell="khe lam", birth_date="", ethnicity="")
    assert page.status_code == 422
    assert "hãy ghi ngày sinh" in field_error(page, "birth_date")
    assert "hãy ghi dân tộc" in field_error(page, "ethnicity")
    page = browser.new_case(cell="Chi bo ban khong co")
    assert page.status_code == 422
    assert "không có chi bộ" in field_error(page, "cell")
    assert "--cell" not in field_error(page, "cell")  # no option the form does not show
    page = browser.new_case(cell="Chi bo ban khong co", birth_date="")  # all at once
    assert "không có chi bộ" in field_error(page, "cell")
    assert "hãy ghi ngày sinh" in field_error(page, "birth_date")
    page = browser.new_case(cell="khe-lam", birth_date="02/01/1950")
    assert "không phải chi bộ" in field_error(page, "cell")
    page = browser.new_case(on="01/01/2027")  # after today
    assert page.status_code == 422
    assert "không được ở sau hôm nay (26/11/2026)" in field_error(page, "on")
    assert not (clone[0].root / ".git" / "hoso-forms").exists() or not any(
        (clone[0].root / ".git" / "hoso-forms").iterdir()
    )
    assert "ho-so/" not in clone[0].git("branch", "--list")


def test_the_same_new_case_form_sent_twice_opens_one_case(
    browser: Browser, clone: tuple[GitRepo, Path]
) -> None:
    browser.get("/mo-ho-so/admission")
    sent = {**PERSON_FIELDS, "token": browser.hidden("token"), "csrf": browser.hidden("csrf")}
    first = browser.client.post("/mo-ho-so/admission", data=sent, headers=HOST)
    second = browser.client.post("/mo-ho-so/admission", data=sent, headers=HOST)
    assert case_id_of(first) == case_id_of(second)
    assert len(list((clone[0].root / ".git" / "hoso-forms").iterdir())) == 1


# Several clerks at once ---------------------------------------------------------------------


def test_two_clerks_on_one_case_lose_no_step(clone: tuple[GitRepo, Path], browser: Browser) -> None:
    """One clerk records that the cell's vote failed while another, who opened the case
    before, records a passed vote: the second is not appended as if it were a later meeting;
    it is refused, and its clerk sees the new state with what they typed kept."""
    case_id = open_case(browser)
    for state, fields in STEPS[:3]:
        assert browser.step(case_id, state, fields).status_code == 303
    app = browser.client.application
    first, second = Browser(Client(app)), Browser(Client(app))
    failed = f"/ho-so/{case_id}/buoc/cell_vote_failed"
    passed = f"/ho-so/{case_id}/buoc/cell_voted"
    first.get(failed)
    second.get(passed)  # both see the case at "verified" before either writes
    vote = {"on": "12/08/2025", "body": "khe-lam-x03-cb1", "doc_number": "5-NQ/CB"}
    vote |= {"vote_official": "15", "vote_present": "14", "vote_method": "show_of_cards"}
    done = first.post(failed, {**vote, "vote_for": "8", "vote_against": "6"}, keep=("version",))
    assert done.status_code == 303, text(done)
    late = second.post(passed, {**vote, "vote_for": "11", "vote_against": "3"}, keep=("version",))
    assert late.status_code == 409
    words = text(late)
    assert "đã được người khác cập nhật" in words
    assert "Tình trạng hiện tại: Chi bộ biểu quyết không đạt 2/3" in words
    assert 'value="11"' in late.text
    written = worktree_file(clone[0], case_id).read_text(encoding="utf-8")
    assert "state: cell_vote_failed" in written
    assert "state: cell_voted" not in written


def test_a_step_against_an_older_version_is_refused_by_the_editor_itself(
    repo: TempRepo,
) -> None:
    """The check the forms rely on sits in ``editing.record_step`` (under its lock once
    records are locked), so it holds against a write that lands after the page's own check."""
    rel = repo.place(EXAMPLES / "valid" / "admission-cell-voted.yaml")
    path = repo.root / rel
    before = path.read_bytes()
    older = editing.version(before.replace(b"status: cell_voted", b"status: verified"))
    with pytest.raises(editing.Changed):
        editing.record_step(repo.root, path, APPRAISED, AS_OF, older)
    assert path.read_bytes() == before
    editing.record_step(repo.root, path, APPRAISED, AS_OF, editing.version(before))
    assert b"state: partial_appraised" in path.read_bytes()


# Access ---------------------------------------------------------------------------------------


def test_posts_need_this_pages_csrf_token_and_origin(
    browser: Browser, clone: tuple[GitRepo, Path]
) -> None:
    browser.get("/mo-ho-so/admission")
    token = browser.hidden("token")
    forged = browser.client.post(
        "/mo-ho-so/admission", data={**PERSON_FIELDS, "token": token, "csrf": "x"}, headers=HOST
    )
    assert forged.status_code == 403
    other_site = browser.client.post(
        "/mo-ho-so/admission",
        data={**PERSON_FIELDS, "token": token, "csrf": browser.hidden("csrf")},
        headers={**HOST, "Origin": "http://evil.example"},
    )
    assert other_site.status_code == 403
    fresh = Client(browser.client.application)  # no session: a page on another site posting
    blind = fresh.post("/mo-ho-so/admission", data={**PERSON_FIELDS, "token": token}, headers=HOST)
    assert blind.status_code == 403
    assert "ho-so/" not in clone[0].git("branch", "--list")


def test_on_loopback_only_this_machines_names_are_served(browser: Browser) -> None:
    assert browser.client.get("/", headers={"Host": "rebound.example:8765"}).status_code == 400
    page = browser.get("/")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


PERSON_FIELDS = {
    "cell": "khe-lam-x03-cb1",
    "name": "Lò Văn Mẫu",
    "birth_date": "02/01/2000",
    "sex": "male",
    "ethnicity": "Thái",
    "on": "03/03/2025",
}


def test_the_case_index_lists_no_hidden_file(tmp_path: Path) -> None:
    """A hidden copy of a record committed on the target branch is no case to open: validate
    names it as no record, and the forms' index leaves it out."""
    from types import SimpleNamespace

    from hoso.forms.index import CaseIndex
    from hoso.git import Repo

    text = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    rel = "cases/khe-lam/admission/KN-2024-test01.yaml"
    repo = make_repo(tmp_path / "repo")
    other = text.replace("KN-2024-test01", "KN-2024-test02")
    head = repo.commit(
        "Cases", {rel: text, rel.replace("/KN-2024-test01", "/.KN-2024-test02"): other}
    )
    workspace = SimpleNamespace(git=Repo(repo.root), base_commit=lambda: head, pending=dict)
    entries = CaseIndex(workspace).entries()  # type: ignore[arg-type]
    assert [e.rel for e in entries.values()] == [rel]
