"""``hoso forms`` in Debian's headless Chromium (driven by Playwright, no browser download):
a case opened and carried through four steps by the forms alone, written as the command line
writes it and sent as a branch to a local bare repository; only legal steps offered; a broken
rule shown at its field with nothing written; two browsers on one case; a form sent with
JavaScript off. Screenshots at desktop and phone widths go to e2e-screenshots/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from formsrepo import CLERK, CLI_NEW, CLI_STEPS, PERSON, STEPS, clone_with_remote  # noqa: E402
from gitrepo import GitRepo, make_repo  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "e2e-screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, GitRepo, Path]]:
    import waitress

    from hoso.forms.run import Settings, build
    from hoso.forms.server import loopback_hosts

    saved = {key: os.environ.get(key) for key in CLERK}
    os.environ.update(CLERK)
    repo, bare = clone_with_remote(tmp_path_factory.mktemp("forms"))
    app = build(Settings(repo.root))
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port  # type: ignore[union-attr]
    app.allowed_hosts = loopback_hosts(int(port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", repo, bare
    server.close()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def fill(page: Any, fields: dict[str, str]) -> None:
    """Type each value where a person would: selects by choosing, details opened first."""
    for name, value in fields.items():
        field = page.locator(f"[name='{name}']").first
        group = page.locator(f"details:has([name='{name}'])")
        if group.count() and not group.first.evaluate("d => d.open"):
            group.first.locator("summary").click()
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def open_case(page: Any, site: str, shots: str = "") -> str:
    page.goto(f"{site}/")
    page.get_by_role("link", name="Mở hồ sơ mới").click()
    page.get_by_role("link", name="Kết nạp đảng viên").click()
    fill(page, {k: v for k, v in PERSON.items() if k != "cell"})
    page.locator("[name='cell']").fill("Chi bo ban Phieng Lech 1")  # a name, no diacritics
    if shots:
        shoot(page, f"{shots}-mo-ho-so.png")
    page.get_by_role("button", name="Mở hồ sơ").click()
    heading = page.locator("h1").inner_text()
    assert heading.endswith(": Kết nạp đảng viên"), heading
    return str(heading.split(":")[0])


def record(page: Any, site: str, case_id: str, state: str, fields: dict[str, str]) -> None:
    page.goto(f"{site}/ho-so/{case_id}")
    page.locator(f"a[href='/ho-so/{case_id}/buoc/{state}']").click()
    fill(page, fields)
    page.get_by_role("button", name="Ghi bước này").click()
    assert page.url.endswith(f"/ho-so/{case_id}"), page.locator("main").inner_text()


def case_file(repo: GitRepo, case_id: str) -> Path:
    work = repo.root / ".git" / "hoso-forms" / case_id
    [path] = work.glob(f"cases/*/*/{case_id}.yaml")
    return path


def cli_file(tmp: Path, case_id: str) -> bytes:
    """The README's walkthrough by the command line, the random id swapped for ``case_id``."""
    other = make_repo(tmp)
    hoso = [sys.executable, "-m", "hoso.cli.main"]
    run = {"cwd": other.root, "check": True, "capture_output": True, "text": True}
    made = Path(subprocess.run([*hoso, *CLI_NEW], **run).stdout.strip())  # type: ignore[call-overload]
    made = other.root / made
    path = made.with_name(f"{case_id}.yaml")
    path.write_bytes(made.read_bytes().replace(made.stem.encode(), case_id.encode()))
    made.unlink()
    for step in CLI_STEPS:
        subprocess.run([*hoso, "transition", str(path), *step], **run)  # type: ignore[call-overload]
    return path.read_bytes()


def test_a_case_by_the_forms_alone_is_the_clis_file_and_a_merge_request_branch(
    served: tuple[str, GitRepo, Path], browser: Any, tmp_path: Path
) -> None:
    site, repo, bare = served
    page = browser.new_page(viewport=DESKTOP)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    case_id = open_case(page, site, shots="1-desktop")
    shoot(page, "1-desktop-ho-so-moi.png")

    offered = page.locator(f"a[href^='/ho-so/{case_id}/buoc/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/').pop())"
    )
    assert sorted(offered) == ["course_completed", "withdrawn"]
    page.goto(f"{site}/ho-so/{case_id}/buoc/decided")  # not a legal step now: no form
    assert "Không thể ghi bước" in page.locator("main").inner_text()
    assert page.locator("form.step").count() == 0

    for state, fields in STEPS:
        if state == "cell_voted":
            page.goto(f"{site}/ho-so/{case_id}/buoc/{state}")
            fill(page, {**fields, "vote_for": "8", "vote_against": "6"})
            before = case_file(repo, case_id).read_bytes()
            page.get_by_role("button", name="Ghi bước này").click()
            error = page.locator("#e-vote_for").inner_text()
            assert "cần ít nhất 2/3 của 15 = 10 phiếu tán thành" in error
            assert case_file(repo, case_id).read_bytes() == before
            shoot(page, "2-desktop-loi-bieu-quyet.png")
        record(page, site, case_id, state, fields)
    shoot(page, "3-desktop-ho-so.png")

    assert case_file(repo, case_id).read_bytes() == cli_file(tmp_path / "cli", case_id)

    page.get_by_role("button", name="Gửi phê duyệt").click()
    assert page.locator("h1").inner_text() == "Đã gửi phê duyệt"
    assert "Còn có thể phê duyệt" in page.locator("main").inner_text()
    shoot(page, "4-desktop-da-gui.png")
    branches = subprocess.run(
        ["git", "-C", str(bare), "for-each-ref", "--format=%(refname)", "refs/heads/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert f"refs/heads/ho-so/{case_id}" in branches
    assert hosts == {"127.0.0.1"}


def test_two_browsers_on_one_case_lose_nothing_and_forms_work_without_javascript(
    served: tuple[str, GitRepo, Path], browser: Any
) -> None:
    site, repo, _ = served
    first = browser.new_context(viewport=DESKTOP).new_page()
    second = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    case_id = open_case(first, site)
    for state, fields in STEPS[:3]:
        record(first, site, case_id, state, fields)
    vote = {k: v for k, v in STEPS[3][1].items() if k != "vote_for"}

    first.goto(f"{site}/ho-so/{case_id}/buoc/cell_vote_failed")
    second.goto(f"{site}/ho-so/{case_id}")
    shoot(second, "5-phone-ho-so.png")
    second.locator(f"a[href='/ho-so/{case_id}/buoc/cell_voted']").click()
    fill(first, {**vote, "vote_for": "8", "vote_against": "6"})
    fill(second, {**vote, "vote_for": "11"})
    shoot(second, "6-phone-buoc.png")
    first.get_by_role("button", name="Ghi bước này").click()
    assert first.url.endswith(f"/ho-so/{case_id}")
    second.get_by_role("button", name="Ghi bước này").click()
    words = second.locator("main").inner_text()
    assert "đã được người khác cập nhật" in words
    assert "Tình trạng hiện tại: Chi bộ biểu quyết không đạt 2/3" in words
    assert second.locator("[name='vote_for']").input_value() == "11"
    shoot(second, "7-phone-da-thay-doi.png")
    written = case_file(repo, case_id).read_text(encoding="utf-8")
    assert "state: cell_vote_failed" in written and "state: cell_voted" not in written

    second.get_by_role("button", name="Ghi bước này").click()  # sent again, knowingly
    assert second.url.endswith(f"/ho-so/{case_id}")
    written = case_file(repo, case_id).read_text(encoding="utf-8")
    assert written.index("state: cell_vote_failed") < written.index("state: cell_voted")


def test_the_day_picker_fills_in_the_day_as_people_write_it(
    served: tuple[str, GitRepo, Path], browser: Any
) -> None:
    site, _, _ = served
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{site}/mo-ho-so/admission")
    page.locator("[name='birth_date__picker']").fill("2000-01-02")
    page.locator("[name='birth_date__picker']").dispatch_event("change")
    assert page.locator("[name='birth_date']").input_value() == "02/01/2000"
    page.locator("[name='on']").fill("03/03/2025")
    page.locator("[name='on']").dispatch_event("input")
    assert page.locator("[name='on__picker']").input_value() == "2025-03-03"
    shoot(page, "8-phone-mo-ho-so.png")
    page.goto(f"{site}/?q=lo+van+mau")
    shoot(page, "9-phone-tim-kiem.png")
    page.set_viewport_size(DESKTOP)
    shoot(page, "9-desktop-tim-kiem.png")
