"""``hoso forms`` attacked: a clerk of one unit probing another's cases, a stranger flushing
the login lock, careless double submits, and what reaches git."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest
from werkzeug.test import Client, TestResponse

from conftest import AS_OF
from formsrepo import (
    CLERK,
    HOST,
    PERSON,
    STEPS,
    Browser,
    case_id_of,
    clone_with_remote,
    forms_app,
    text,
)
from gitrepo import GitRepo
from hoso import editing
from hoso.forms import auth
from hoso.review.approvals import github
from test_gate_attacks import APPRAISED, CASE

PASSWORD = "mat-khau-mau-dai"
KHE_LAM = "khe-lam-org-6"
HOA_SON = "hoa-son-org-4"


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[GitRepo, Path]:
    for key, value in CLERK.items():
        monkeypatch.setenv(key, value)
    return clone_with_remote(tmp_path)


@pytest.fixture
def users(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "forms-users.json"
    for login in (KHE_LAM, HOA_SON):
        auth.Users(path).set(login, PASSWORD)
    return path


def network_app(root: Path, users: Path) -> Client:
    return Client(forms_app(root, AS_OF, host="0.0.0.0", users_file=users))


def logged_in(client: Client, login: str, password: str = PASSWORD) -> Browser:
    browser = Browser(client)
    browser.get("/dang-nhap")
    browser.post("/dang-nhap", {"login": login, "password": password})
    return browser


def test_another_units_case_id_cannot_be_learnt_by_reusing_its_token(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    """A new-case form names its case by the token it carries; a clerk of another unit who
    sends an existing case's token (with a cell of their own) learns nothing about that case
    and opens nothing under its id."""
    repo, _ = clone
    client = network_app(repo.root, users)
    clerk = logged_in(client, KHE_LAM)
    case_id = case_id_of(clerk.new_case())
    token = case_id.rsplit("-", 1)[1]

    other = logged_in(client, HOA_SON)
    other.get("/mo-ho-so/admission")
    probe = other.post("/mo-ho-so/admission", {**PERSON, "cell": "hoa-son-x01-cb1", "token": token})
    assert probe.headers.get("Location") != f"/ho-so/{case_id}", text(probe)
    assert case_id not in probe.text
    assert probe.status_code == 400 and "mở lại trang" in text(probe)
    [written] = (repo.root / ".git" / "hoso-forms" / case_id / "cases").glob("*/*/*.yaml")
    assert "hoa-son" not in written.read_text(encoding="utf-8")


def test_guesses_at_many_other_logins_do_not_lift_a_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table of wrong passwords is bounded; a stranger who fills it with guesses at made-up
    logins must not empty it, and with it the lock on the login they are guessing."""
    monkeypatch.setattr(auth, "MAX_SESSIONS", 50)
    sessions = auth.Sessions()
    for _ in range(auth.FAILURES):
        assert sessions.attempt(KHE_LAM)
    assert not sessions.attempt(KHE_LAM)
    for n in range(3 * auth.MAX_SESSIONS):
        sessions.attempt(f"khong-co-{n}")
    assert not sessions.attempt(KHE_LAM)


def test_wrong_passwords_are_forgotten_once_their_window_has_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The table does not grow for ever: tries older than the lock's window are dropped when
    it is full."""
    monkeypatch.setattr(auth, "MAX_SESSIONS", 50)
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    sessions = auth.Sessions()
    for n in range(auth.MAX_SESSIONS):
        sessions.attempt(f"cu-{n}")
    clock[0] += auth.LOCKOUT
    for n in range(2):
        sessions.attempt(f"moi-{n}")
    assert len(sessions._failures) <= 2


def test_a_member_whose_email_is_not_known_writes_nothing_in_someone_elses_name(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    """The gate knows the author of a change by the e-mail of the commit; a member who logs in
    with their forge account but has no e-mail in committees.yaml would commit as the server's
    own identity, and could then approve their own work. Nothing is written or sent for them."""
    repo, _ = clone
    rel = "governance/committees.yaml"
    repo.commit(
        "No e-mail for one member", {rel: repo.edit(rel, f"    email: {KHE_LAM}@mau.invalid\n", "")}
    )
    repo.git("push", "-q", "origin", "main")
    repo.git("fetch", "-q", "origin")
    clerk = logged_in(network_app(repo.root, users), KHE_LAM)
    assert clerk.get("/").status_code == 200
    csrf = clerk.hidden("csrf")
    form = clerk.get("/mo-ho-so/admission")
    assert form.status_code == 403 and "email" in text(form)
    sent = clerk.client.post(
        "/mo-ho-so/admission", data={**PERSON, "csrf": csrf, "token": "abc123"}, headers=HOST
    )
    assert sent.status_code == 403 and "email" in text(sent)
    assert "ho-so/" not in repo.git("branch", "--list")


def test_an_update_from_the_shared_repository_does_not_remove_a_case_being_written(
    clone: tuple[GitRepo, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One clerk opens a case; while its new worktree is being written, another clerk presses
    "Cập nhật từ kho chung", which tidies the worktrees that hold no work. The case being
    written is not among them: it is opened, listed and sent, not lost."""
    app = forms_app(clone[0].root, AS_OF)
    clerk, other = Browser(Client(app)), Browser(Client(app))
    other.get("/")
    create = editing.create

    def meanwhile(*args: object, **kwargs: object) -> object:
        assert other.post("/cap-nhat", {}).status_code == 303
        return create(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(editing, "create", meanwhile)
    opened = clerk.new_case()
    assert opened.status_code == 303, text(opened)
    case_id = case_id_of(opened)
    monkeypatch.setattr(editing, "create", create)
    page = clerk.get(f"/ho-so/{case_id}")
    assert page.status_code == 200, text(page)
    assert "Gửi phê duyệt" in page.text


def test_a_new_case_form_used_twice_for_two_people_says_the_second_was_not_opened(
    clone: tuple[GitRepo, Path],
) -> None:
    """A clerk duplicates the tab of a new-case form (or goes back to it) and fills it in for
    a second person: the form's token already opened the first person's case. The second is
    not opened, and the clerk is told so, not shown the first case as if it were theirs."""
    clerk = Browser(Client(forms_app(clone[0].root, AS_OF)))
    clerk.get("/mo-ho-so/admission")
    form = {"csrf": clerk.hidden("csrf"), "token": clerk.hidden("token")}
    first = clerk.client.post("/mo-ho-so/admission", data={**form, **PERSON}, headers=HOST)
    case_id = case_id_of(first)
    assert "Đã mở hồ sơ" in text(clerk.get(f"/ho-so/{case_id}"))
    second = {**form, **PERSON, "name": "Quàng Thị Khác", "birth_date": "05/06/2001"}
    again = clerk.client.post("/mo-ho-so/admission", data=second, headers=HOST)
    assert again.status_code == 303
    assert len(list((clone[0].root / ".git" / "hoso-forms").glob("*-*-*/"))) == 1
    page = text(clerk.get(again.headers["Location"]))
    assert "chưa mở hồ sơ nào cho lần gửi này" in page


def test_a_member_listed_twice_is_the_author_under_either_entry(mr: GitRepo) -> None:
    """One person (one party card) listed twice, under two e-mails and two accounts: they
    commit the change under the first and approve it under the second. The gate knows authors
    by people, not by entries: the approval is their own and does not count."""
    from gatekit import members, on_main, outcome
    from gitrepo import serving, with_committees
    from test_gate_attacks import gate, review_of

    text = mr.read("governance/committees.yaml")
    found = members(mr, "khe-lam.organisation")
    first = serving(found)[0]
    again = {**first, "github": "second-account", "gitlab": "second-account"}
    again["email"] = "second@mau.invalid"
    found["members"].append(again)
    on_main(
        mr,
        "A member listed twice",
        {"governance/committees.yaml": with_committees(text, {"khe-lam.organisation": found})},
    )
    editing.record_step(mr.root, mr.root / CASE, APPRAISED, AS_OF)
    mr.git("add", CASE)
    tip = mr.commit("Record a step", author=(first["name"], first["email"]))
    verdict = gate(mr, github([review_of("second-account", "APPROVED", tip)], AS_OF))
    need = outcome(verdict).needs[0]
    assert need.counted == []
    assert need.excluded[0][1] == "là tác giả của thay đổi này (không tự phê duyệt)"


def test_a_member_listed_first_without_an_email_writes_under_the_email_of_another_entry(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    """One person listed twice, the first time without an e-mail: the forms name them by the
    e-mail of the other entry (the gate knows both entries for one person), not refuse them."""
    from gatekit import members
    from gitrepo import with_committees

    repo, _ = clone
    rel = "governance/committees.yaml"
    found = members(repo, "khe-lam.organisation")
    entry = next(m for m in found["members"] if m.get("github") == KHE_LAM)
    found["members"].insert(0, {k: v for k, v in entry.items() if k != "email"})
    changed = with_committees(repo.read(rel), {"khe-lam.organisation": found})
    repo.commit("A member listed twice", {rel: changed})
    repo.git("push", "-q", "origin", "main")
    repo.git("fetch", "-q", "origin")
    clerk = logged_in(network_app(repo.root, users), KHE_LAM)
    opened = clerk.new_case()
    assert opened.status_code == 303, text(opened)
    case_id = case_id_of(opened)
    clerk.get(f"/ho-so/{case_id}")
    assert clerk.post(f"/ho-so/{case_id}/gui", {}).status_code == 200
    author = repo.git("log", "-1", "--format=%ae", f"ho-so/{case_id}")
    assert author == f"{KHE_LAM}@mau.invalid"


def test_work_committed_but_not_pushed_can_be_sent_again_from_its_page(
    clone: tuple[GitRepo, Path],
) -> None:
    """The remote refused the push once (a hook, the network): the commit stays on the case's
    branch. Once the remote takes pushes again, the case's page offers to send it again, and
    sending pushes the commit already made (nothing new is committed)."""
    repo, bare = clone
    clerk = Browser(Client(forms_app(repo.root, AS_OF)))
    case_id = case_id_of(clerk.new_case())
    hook = bare / "hooks" / "pre-receive"
    kept = hook.read_text(encoding="utf-8")
    hook.write_text("#!/bin/sh\necho 'tạm thời không nhận' >&2\nexit 1\n", encoding="utf-8")
    clerk.get(f"/ho-so/{case_id}")
    failed = clerk.post(f"/ho-so/{case_id}/gui", {})
    assert "chưa gửi được" in text(failed)
    commit = repo.git("rev-parse", f"ho-so/{case_id}")
    hook.write_text(kept, encoding="utf-8")
    page = clerk.get(f"/ho-so/{case_id}")
    assert "chưa đẩy lên kho chung" in text(page)
    assert f'action="/ho-so/{case_id}/gui"' in page.text
    sent = clerk.post(f"/ho-so/{case_id}/gui", {})
    assert sent.status_code == 200, text(sent)
    assert "Đã gửi phê duyệt" in text(sent)
    assert repo.git("rev-parse", f"ho-so/{case_id}") == commit
    remote = subprocess.run(
        ["git", "-C", str(bare), "rev-parse", f"ho-so/{case_id}"], capture_output=True, text=True
    )
    assert remote.stdout.strip() == commit


def test_a_new_case_form_sent_twice_at_once_opens_one_case_and_says_so_both_times(
    clone: tuple[GitRepo, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double click without the page's script: the second request arrives while the first
    is still writing the case. Both lead to the case opened, neither to a form saying that
    nothing was opened because the id is taken."""
    clerk = Browser(Client(forms_app(clone[0].root, AS_OF)))
    clerk.get("/mo-ho-so/admission")
    data = {**PERSON, "csrf": clerk.hidden("csrf"), "token": clerk.hidden("token")}
    create = editing.create

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.5)
        return create(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(editing, "create", slow)
    done: list[TestResponse] = []

    def send() -> None:
        done.append(clerk.client.post("/mo-ho-so/admission", data=data, headers=HOST))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in done] == [303, 303], [text(r) for r in done]
    assert len({r.headers["Location"] for r in done}) == 1


def test_a_step_sent_twice_is_not_said_to_be_someone_elses_change(
    clone: tuple[GitRepo, Path],
) -> None:
    """The same step form sent again (a double click, or the browser's back and send): the
    first recorded the step. The second records nothing more and says so; it does not tell
    the clerk that someone else changed the case and that their step was not recorded."""
    clerk = Browser(Client(forms_app(clone[0].root, AS_OF)))
    case_id = case_id_of(clerk.new_case())
    state, fields = STEPS[0]
    clerk.get(f"/ho-so/{case_id}/buoc/{state}")
    data = {**fields, "csrf": clerk.hidden("csrf"), "version": clerk.hidden("version")}
    first = clerk.client.post(f"/ho-so/{case_id}/buoc/{state}", data=data, headers=HOST)
    assert first.status_code == 303, text(first)
    again = clerk.client.post(f"/ho-so/{case_id}/buoc/{state}", data=data, headers=HOST)
    assert again.status_code == 303, text(again)
    page = text(clerk.get(again.headers["Location"]))
    assert "người khác" not in page
    assert "đã được ghi từ lần gửi trước" in page
    written = (clone[0].root / ".git" / "hoso-forms" / case_id).glob("cases/*/*/*.yaml")
    assert next(written).read_text(encoding="utf-8").count(f"state: {state}") == 1
    # Other values on the same old version (another tab): not taken for the same form.
    other = {**data, "csrf": clerk.hidden("csrf"), "doc_number": "13-GCN/TTCT"}
    late = clerk.client.post(f"/ho-so/{case_id}/buoc/{state}", data=other, headers=HOST)
    assert late.status_code == 409 and "chưa được ghi" in text(late)
