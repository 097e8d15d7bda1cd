"""``hoso forms`` on a network: logins tied to committee members, what each may see, the
author of what they send; and the rest of what reaches git (push options, tidying up)."""

from __future__ import annotations

import io
import os
import stat
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from conftest import AS_OF, EXAMPLES
from formsrepo import (
    CLERK,
    HOST,
    STEPS,
    Browser,
    case_id_of,
    clone_with_remote,
    field_error,
    forms_app,
    text,
)
from gitrepo import GitRepo
from hoso import editing
from hoso.cli.main import main
from hoso.forms import auth

PASSWORD = "mat-khau-mau-dai"
PERSON_BIRTH, PERSON_OPENED = date(2000, 1, 2), date(2025, 3, 3)
KHE_LAM = "khe-lam-org-6"
"""Sùng Đức Pao, serving on the Khê Lam organisation commission (sample data)."""
HOA_SON = "hoa-son-org-4"
"""Tòng Thanh Sua, serving on the Hòa Sơn organisation commission: another district."""
FORMER = "khe-lam-org-1"
"""Tòng Ngọc Lan, whose term on the Khê Lam organisation commission ended in 2020."""


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[GitRepo, Path]:
    for key, value in CLERK.items():
        monkeypatch.setenv(key, value)
    return clone_with_remote(tmp_path)


@pytest.fixture
def users(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "forms-users.json"
    for login in (KHE_LAM, HOA_SON, FORMER):
        auth.Users(path).set(login, PASSWORD)
    return path


def network_app(root: Path, users: Path, **settings: object) -> Client:
    return Client(forms_app(root, AS_OF, host="0.0.0.0", users_file=users, **settings))


def logged_in(client: Client, login: str, password: str = PASSWORD) -> Browser:
    browser = Browser(client)
    browser.get("/dang-nhap")
    browser.post("/dang-nhap", {"login": login, "password": password})
    return browser


def test_the_password_file_keeps_scrypt_hashes_only_readable_by_its_owner(users: Path) -> None:
    content = users.read_text(encoding="utf-8")
    assert PASSWORD not in content and '"n": 32768' in content
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    assert auth.Users(users).verify(KHE_LAM.upper(), PASSWORD)
    assert not auth.Users(users).verify(KHE_LAM, PASSWORD + "x")
    assert not auth.Users(users).verify("nobody", PASSWORD)


def test_on_a_network_every_page_asks_for_a_login_of_a_serving_member(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    client = network_app(clone[0].root, users)
    assert client.get("/", headers=HOST).headers["Location"] == "/dang-nhap"
    assert client.get("/mo-ho-so/admission", headers=HOST).status_code == 303
    wrong = logged_in(client, KHE_LAM, "sai-mat-khau")
    assert wrong.page is not None and wrong.page.status_code == 401
    assert "không đúng" in text(wrong.page)
    former = logged_in(client, FORMER)
    assert former.page is not None and former.page.status_code == 401
    assert "đang trong nhiệm kỳ" in text(former.page)
    member = logged_in(client, KHE_LAM)
    assert member.page is not None and member.page.status_code == 303
    assert '<span class="who">Sùng Đức Pao</span>' in member.get("/").text


def test_repeated_wrong_passwords_lock_the_login_for_a_while(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    client = network_app(clone[0].root, users)
    for _ in range(auth.FAILURES):
        logged_in(client, KHE_LAM, "sai")
    locked = logged_in(client, KHE_LAM)
    assert locked.page is not None and locked.page.status_code == 401
    assert "quá nhiều lần" in text(locked.page)


def test_a_member_sees_only_the_cases_of_their_units_and_sends_as_the_author(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    repo, bare = clone
    client = network_app(repo.root, users, forge="gitlab")
    clerk = logged_in(client, KHE_LAM)
    case_id = case_id_of(clerk.new_case())
    for state, fields in STEPS[:2]:
        assert clerk.step(case_id, state, fields).status_code == 303

    other = logged_in(network_app(repo.root, users), HOA_SON)
    assert other.get(f"/ho-so/{case_id}").status_code == 404
    assert case_id not in other.get("/?q=Lo+Van+Mau").text
    refused = other.new_case()
    assert "không phụ trách chi bộ này" in field_error(refused, "cell")
    assert case_id in clerk.get("/?q=lo van mau").text

    clerk.get(f"/ho-so/{case_id}")
    sent = clerk.post(f"/ho-so/{case_id}/gui", {})
    assert sent.status_code == 200, text(sent)
    author = repo.git("log", "-1", "--format=%an <%ae>|%cn", f"ho-so/{case_id}")
    assert author == "Sùng Đức Pao <khe-lam-org-6@mau.invalid>|Văn thư Mẫu"
    options = (bare / "push-options.log").read_text(encoding="utf-8")
    assert "merge_request.create" in options
    assert f"merge_request.title=Hồ sơ {case_id}: mở hồ sơ kết nạp đảng viên" in options
    assert "Gửi bằng biểu mẫu `hoso forms` (Sùng Đức Pao)" in options
    assert "Đã gửi lên kho chung và mở yêu cầu phê duyệt" in text(sent)


def test_confidential_values_are_never_shown_nor_searched(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    repo, _ = clone
    fields = {
        "unit": "khe-lam",
        "cell": "khe-lam-x03-cb1",
        "subject": {"name": "Lò Văn Kín", "birth_date": PERSON_BIRTH, "sex": "male",
                    "ethnicity": "Thái", "standing": "candidate"},
        "confidential": {"family_background": "BÍ MẬT GIA ĐÌNH", "notes": "GHI CHÚ MẬT"},
    }  # fmt: skip
    opening = {"date": PERSON_OPENED, "state": "sympathiser", "body": "khe-lam-x03-cb1"}
    written = editing.create(repo.root, "admission", fields, opening, AS_OF)
    repo.git("add", "cases")
    repo.git("commit", "-q", "-m", "A case with confidential values")
    repo.git("push", "-q", "origin", "main")
    repo.git("fetch", "-q", "origin")
    case_id = Path(written.rel).stem
    clerk = logged_in(network_app(repo.root, users), KHE_LAM)
    page = clerk.get(f"/ho-so/{case_id}")
    assert page.status_code == 200 and "Lò Văn Kín" in page.text
    assert (
        "BÍ MẬT" not in page.text and "MẬT GIA" not in page.text and "GHI CHÚ MẬT" not in page.text
    )
    step = clerk.get(f"/ho-so/{case_id}/buoc/course_completed")
    assert "BÍ MẬT" not in step.text
    assert case_id not in clerk.get("/?q=bi+mat+gia+dinh").text


def test_work_merged_upstream_is_tidied_and_read_from_the_target(
    clone: tuple[GitRepo, Path],
) -> None:
    repo, _ = clone
    browser = Browser(Client(forms_app(repo.root, AS_OF)))
    case_id = case_id_of(browser.new_case())
    browser.get(f"/ho-so/{case_id}")
    assert browser.post(f"/ho-so/{case_id}/gui", {}).status_code == 200
    work = repo.root / ".git" / "hoso-forms" / case_id
    assert work.is_dir()
    repo.git("merge", "-q", "--no-ff", "-m", "Merge", f"ho-so/{case_id}")  # the forge merges
    repo.git("push", "-q", "origin", "main")
    browser.get("/")
    assert browser.post("/cap-nhat", {}).status_code == 303
    assert not work.exists()
    assert f"ho-so/{case_id}" not in repo.git("branch", "--list")
    page = browser.get(f"/ho-so/{case_id}")
    assert page.status_code == 200 and "Gửi phê duyệt" not in page.text
    assert browser.step(case_id, *STEPS[0]).status_code == 303  # new work, a fresh branch
    assert work.is_dir()


def test_the_command_refuses_a_network_address_without_logins(
    clone: tuple[GitRepo, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["forms", "--host", "0.0.0.0", "--repo", str(clone[0].root)])
    assert code == 2
    assert "bắt buộc đăng nhập" in capsys.readouterr().err


def test_the_command_sets_a_password_without_echoing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", _Terminal())
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("click.termui.visible_prompt_func", lambda _: next(answers))
    monkeypatch.setattr("click.termui.hidden_prompt_func", lambda _: next(answers))
    code = main(["forms", "--users", str(path), "--set-password", KHE_LAM])
    assert code == 0, capsys.readouterr()
    assert auth.Users(path).verify(KHE_LAM, PASSWORD)
    assert PASSWORD not in capsys.readouterr().out
    assert os.path.exists(path)
    short = iter(["ngan", "ngan"])
    monkeypatch.setattr("click.termui.hidden_prompt_func", lambda _: next(short))
    assert main(["forms", "--users", str(path), "--set-password", HOA_SON]) == 2
    assert not auth.Users(path).verify(HOA_SON, "ngan")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_password_piped_in_is_read_without_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """From a script or a file: one line, no confirmation, and none of Python's English
    warnings about echoing."""
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["forms", "--users", str(path), "--set-password", KHE_LAM]) == 0
    assert auth.Users(path).verify(KHE_LAM, PASSWORD)
    out, err = capfd.readouterr()
    assert PASSWORD not in out + err and "Warning" not in out + err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["forms", "--users", str(path), "--set-password", HOA_SON]) == 2
    assert "không đọc được mật khẩu: đầu vào trống" in capfd.readouterr().err


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (b"\xef\xbb\xbf" + PASSWORD.encode() + b"\r\n", ""),  # a mark and a Windows line end
        (PASSWORD.encode("cp1258", "replace") + b"\xe1\n", "không phải UTF-8"),
        (b"y" * 1001 + b"\n", "mật khẩu dài quá 1000 ký tự"),
        ("ậ".encode() * 1400 + b"\n", "mật khẩu dài quá 1000 ký tự"),  # cut inside a letter
    ],
)
def test_a_password_from_a_file_is_read_as_it_was_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    given: bytes,
    said: str,
) -> None:
    """A file saved by Notepad (with its byte order mark, CRLF) sets the password typed at
    login; a file in another encoding, or a password the login form could never take, is
    refused in words, not with a traceback."""
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(given)))
    code = main(["forms", "--users", str(path), "--set-password", KHE_LAM])
    err = capfd.readouterr().err
    assert "Traceback" not in err
    if not said:
        assert code == 0, err
        assert auth.Users(path).verify(KHE_LAM, PASSWORD)
    else:
        assert code == 2 and said in err
        assert not path.exists()


def test_a_case_about_an_organisation_is_shown_by_its_name(
    clone: tuple[GitRepo, Path],
) -> None:
    repo, _ = clone
    example = EXAMPLES / "valid" / "boundary-org-discipline-just-over-half.yaml"
    content = example.read_text(encoding="utf-8")
    rel = content.splitlines()[0].removeprefix("# place: ").strip()
    repo.commit("An organisation's discipline case", {rel: content})
    repo.git("push", "-q", "origin", "main")
    repo.git("fetch", "-q", "origin")
    case_id = Path(rel).stem
    browser = Browser(Client(forms_app(repo.root, AS_OF)))
    page = browser.get(f"/ho-so/{case_id}")
    assert page.status_code == 200, text(page)
    assert "Tổ chức" in text(page) and "Diễn biến" in text(page)
    assert case_id in browser.get("/?q=" + case_id).text


def test_a_password_is_the_same_however_its_marks_were_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written with combining marks (NFD, some keyboards and files), typed at login as
    composed letters (NFC): the same password."""
    import unicodedata

    word = "Mậtkhẩu-2026-mẫu"
    path = tmp_path / "users.json"
    typed = unicodedata.normalize("NFD", word) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(typed.encode())))
    assert main(["forms", "--users", str(path), "--set-password", KHE_LAM]) == 0
    assert auth.Users(path).verify(KHE_LAM, unicodedata.normalize("NFC", word))


def test_an_endless_input_is_not_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[: len(buffer)] = b"y" * len(buffer)
            return len(buffer)

    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    assert main(["forms", "--users", str(path), "--set-password", KHE_LAM]) == 2
    assert "mật khẩu dài quá 1000 ký tự" in capfd.readouterr().err


def test_strangers_opening_many_sessions_log_no_member_out(
    clone: tuple[GitRepo, Path], users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request without a cookie gets a session; a stranger sending many such requests
    fills the table, and the sessions dropped to make room are strangers', not a member's."""
    monkeypatch.setattr(auth, "MAX_SESSIONS", 50)
    client = network_app(clone[0].root, users)
    member = logged_in(client, KHE_LAM)
    assert member.get("/").status_code == 200
    for _ in range(3 * auth.MAX_SESSIONS):
        Client(client.application).get("/dang-nhap", headers=HOST)
    assert member.get("/").status_code == 200


def test_who_recorded_a_step_is_an_author_of_what_another_member_sends(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    """One member records the steps, another sends them: both wrote the change, so the gate
    must count neither's approval; the commit names the one who recorded as a co-author."""
    from hoso.review.signed import co_authors

    repo, _ = clone
    auth.Users(users).set("khe-lam-org-7", PASSWORD)
    client = network_app(repo.root, users)
    writer = logged_in(client, KHE_LAM)
    case_id = case_id_of(writer.new_case())
    assert writer.step(case_id, *STEPS[0]).status_code == 303
    sender = logged_in(client, "khe-lam-org-7")
    sender.get(f"/ho-so/{case_id}")
    assert sender.post(f"/ho-so/{case_id}/gui", {}).status_code == 200
    message = repo.git("log", "-1", "--format=%B", f"ho-so/{case_id}")
    author = repo.git("log", "-1", "--format=%ae", f"ho-so/{case_id}")
    assert author == "khe-lam-org-7@mau.invalid"
    assert co_authors(message) == ["khe-lam-org-6@mau.invalid"]
    # What the sender records and sends next is theirs alone.
    assert sender.step(case_id, *STEPS[1]).status_code == 303
    sender.get(f"/ho-so/{case_id}")
    assert sender.post(f"/ho-so/{case_id}/gui", {}).status_code == 200
    assert co_authors(repo.git("log", "-1", "--format=%B", f"ho-so/{case_id}")) == []


def test_wrong_passwords_sent_at_once_are_no_more_guesses_than_the_lock_allows(
    clone: tuple[GitRepo, Path], users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guesses sent together, each before the others were judged wrong, still count against
    the same five: the lock is checked and the attempt counted in one step."""
    client = network_app(clone[0].root, users)
    checked: list[str] = []
    verify = auth.Users.verify

    def counted(self: auth.Users, login: str, password: str) -> bool:
        checked.append(password)
        return verify(self, login, password)

    monkeypatch.setattr(auth.Users, "verify", counted)
    guessers = []
    for _ in range(3 * auth.FAILURES):
        guesser = Browser(Client(client.application))
        guesser.get("/dang-nhap")
        guessers.append(guesser)
    threads = [
        threading.Thread(target=g.post, args=("/dang-nhap", {"login": KHE_LAM, "password": "x"}))
        for g in guessers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == auth.FAILURES
    assert all(g.page is not None and g.page.status_code == 401 for g in guessers)


def test_a_changed_password_ends_the_sessions_opened_with_the_old_one(
    clone: tuple[GitRepo, Path], users: Path
) -> None:
    """A member who changes a password someone else learnt expects that person to be out: a
    session opened with the old password ends at its next page; one opened with the new
    password goes on."""
    client = network_app(clone[0].root, users)
    old = logged_in(client, KHE_LAM)
    assert old.get("/").status_code == 200
    auth.Users(users).set(KHE_LAM, PASSWORD + "-moi")
    page = old.get("/")
    assert page.status_code == 303 and page.headers["Location"] == "/dang-nhap"
    new = logged_in(client, KHE_LAM, PASSWORD + "-moi")
    assert new.get("/").status_code == 200


def test_a_broken_password_file_is_said_to_the_log_not_to_the_visitor(
    clone: tuple[GitRepo, Path], users: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anyone may send the login form: when the password file cannot be read, the visitor is
    told the server cannot check logins, without its path or the system's words; whoever runs
    the server reads both in its log."""
    client = network_app(clone[0].root, users)
    users.write_text("{hỏng", encoding="utf-8")
    browser = Browser(client)
    browser.get("/dang-nhap")
    page = browser.post("/dang-nhap", {"login": KHE_LAM, "password": PASSWORD})
    assert page.status_code == 503
    assert str(users) not in page.text and "forms-users" not in page.text
    assert "báo người quản trị máy chủ" in text(page)
    assert str(users) in capsys.readouterr().err
