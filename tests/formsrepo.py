"""A records clone with a bare remote, the forms app on it, and a client that fills forms as
a browser would (its CSRF token and the record's version come from the page it was shown)."""

from __future__ import annotations

import re
import stat
import subprocess
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

from werkzeug.test import Client, TestResponse

from gitrepo import GitRepo, make_repo
from hoso.forms.pages import Forms
from hoso.forms.run import Settings, build

HOST = {"Host": "127.0.0.1:8765"}
CLERK = {
    "GIT_AUTHOR_NAME": "Văn thư Mẫu",
    "GIT_AUTHOR_EMAIL": "van-thu@mau.invalid",
    "GIT_COMMITTER_NAME": "Văn thư Mẫu",
    "GIT_COMMITTER_EMAIL": "van-thu@mau.invalid",
}
HOOK = """#!/bin/sh
{
  echo "count=${GIT_PUSH_OPTION_COUNT:-0}"
  i=0
  while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
    eval "printf '%s\\n' \\"\\$GIT_PUSH_OPTION_$i\\""
    i=$((i + 1))
  done
} >> "$GIT_DIR/push-options.log"
"""
PERSON = {
    "cell": "khe-lam-x03-cb1",
    "name": "Lò Văn Mẫu",
    "birth_date": "02/01/2000",
    "sex": "male",
    "ethnicity": "Thái",
    "on": "03/03/2025",
}
"""The README's walkthrough case, as the new-case form takes it."""
STEPS: list[tuple[str, dict[str, str]]] = [
    ("course_completed", {"on": "20/05/2025", "body": "khe-lam.propaganda",
                          "doc_number": "12-GCN/TTCT"}),
    ("applied", {"on": "10/06/2025", "introducer_name_1": "Lò Văn Bốn",
                 "introducer_kind_1": "member", "introducer_since_1": "01/03/2023",
                 "introducer_name_2": "Quàng Thị Năm", "introducer_kind_2": "member",
                 "introducer_since_2": "15/01/2024"}),
    ("verified", {"on": "25/07/2025"}),
    ("cell_voted", {"on": "12/08/2025", "vote_official": "15", "vote_present": "14",
                    "vote_for": "11", "vote_against": "3", "vote_method": "show_of_cards",
                    "doc_number": "5-NQ/CB"}),
]  # fmt: skip
"""The README's walkthrough steps as forms take them."""
CLI_NEW = ["new", "admission", "--cell", "khe-lam-x03-cb1", "--name", "Lò Văn Mẫu",
           "--birth-date", "02/01/2000", "--sex", "nam", "--ethnicity", "Thái",
           "--date", "03/03/2025"]  # fmt: skip
CLI_STEPS = [
    ["--to", "course_completed", "--date", "20/05/2025", "--body",
     "Ban Tuyên giáo huyện Khê Lam", "--doc-number", "12-GCN/TTCT"],
    ["--to", "applied", "--date", "10/06/2025", "--introducer",
     "Lò Văn Bốn|đảng viên|01/03/2023", "--introducer", "Quàng Thị Năm|đảng viên|15/01/2024"],
    ["--to", "verified", "--date", "25/07/2025"],
    ["--to", "chi bộ đã ra nghị quyết đề nghị kết nạp", "--date", "12/08/2025",
     "--vote-official", "15", "--vote-present", "14", "--vote-for", "11", "--vote-against", "3",
     "--vote-method", "giơ thẻ", "--doc-number", "5-NQ/CB"],
]  # fmt: skip
"""The same, typed as the README's walkthrough types them on the command line."""


def bare_remote(path: Path) -> Path:
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    subprocess.run(
        ["git", "-C", str(path), "config", "receive.advertisePushOptions", "true"], check=True
    )
    hook = path / "hooks" / "pre-receive"
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    return path


def clone_with_remote(tmp_path: Path) -> tuple[GitRepo, Path]:
    """The sample governance committed in a clone whose origin is a bare repository."""
    bare = bare_remote(tmp_path / "remote.git")
    repo = make_repo(tmp_path / "ho-so")
    repo.git("remote", "add", "origin", str(bare))
    repo.git("push", "-q", "origin", "main")
    repo.git("fetch", "-q", "origin")
    return repo, bare


def forms_app(root: Path, today: date, **settings: object) -> Forms:
    app = build(Settings(root, port=8765, **settings))  # type: ignore[arg-type]
    app.today = lambda: today
    return app


@dataclass
class Browser:
    """Fills the forms as a person would: every POST carries what the page it came from held."""

    client: Client
    page: TestResponse | None = None

    def get(self, url: str) -> TestResponse:
        self.page = self.client.get(url, headers=HOST)
        return self.page

    def hidden(self, name: str) -> str:
        assert self.page is not None
        found = re.search(rf'name="{name}" value="([^"]*)"', self.page.text)
        assert found, f"no hidden {name} on the page"
        return unescape(found[1])

    def post(self, url: str, fields: dict[str, str], keep: tuple[str, ...] = ()) -> TestResponse:
        data = {"csrf": self.hidden("csrf"), **{k: self.hidden(k) for k in keep}, **fields}
        self.page = self.client.post(url, data=data, headers=HOST)
        return self.page

    def new_case(self, kind: str = "admission", **fields: str) -> TestResponse:
        self.get(f"/mo-ho-so/{kind}")
        return self.post(f"/mo-ho-so/{kind}", {**PERSON, **fields}, keep=("token",))

    def step(self, case_id: str, state: str, fields: dict[str, str]) -> TestResponse:
        page = self.get(f"/ho-so/{case_id}/buoc/{state}")
        assert page.status_code == 200, text(page)
        data = dict(fields)
        data.setdefault("body", self.first_body())
        return self.post(f"/ho-so/{case_id}/buoc/{state}", data, keep=("version",))

    def first_body(self) -> str:
        assert self.page is not None
        block = self.page.text.split('name="body"', 1)[1].split("</select>", 1)[0]
        found = re.search(r'<option value="([^"]+)"', block)
        assert found
        return found[1]


def text(page: TestResponse) -> str:
    """A page's words, tags left out."""
    body = page.text.split("<main>", 1)[-1]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()


def field_error(page: TestResponse, name: str) -> str:
    found = re.search(rf'id="e-{name}">([^<]*)<', page.text)
    return unescape(found[1]) if found else ""


def case_id_of(page: TestResponse) -> str:
    location = page.headers["Location"]
    assert location.startswith("/ho-so/"), location
    return location.removeprefix("/ho-so/")
