"""The built site in real headless Chromium (Debian's package, driven by Playwright with its
executable path set; no browser download), at a desk's width (1366×768) and a phone's (390×844):
the tabs, the unit tree and the tiles lead to a case; tables sort and filter; search finds words
typed without diacritics and a case by its id, whole or partly typed; every page says "MẬT";
nothing is requested from any host but this one; wide tables and diagrams scroll inside their
frame on a phone. Screenshots are saved for a person to look at (e2e-screenshots/).

Run by ``nox -s e2e``; the site is built here for the commission audience."""

from __future__ import annotations

import functools
import http.server
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
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "e2e-screenshots"
SIZES = {"ban": (1366, 768), "dien-thoai": (390, 844)}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "HOSO_AUDIENCE": "commission"},
    )
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _page(browser: Any, size: str, hosts: set[str]) -> Any:
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def _shot(page: Any, name: str, size: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=size == "ban")


def _search(page: Any, site: str, typed: str) -> str:
    page.goto(f"{site}/index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.fill("")
    box.type(typed, delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    page.wait_for_timeout(500)
    return str(page.locator(".md-search-result").inner_text())


@pytest.mark.parametrize("size", list(SIZES))
def test_tiles_lists_and_tree_lead_to_a_case(site: str, browser: Any, size: str) -> None:
    hosts: set[str] = set()
    page = _page(browser, size, hosts)
    page.goto(f"{site}/index.html")
    assert page.title() == "Hồ sơ công tác đảng viên"  # the site's name once, no "hoso:"
    assert page.locator("[data-hoso-mat]").first.is_visible()
    _shot(page, "1-trang-chu", size)
    page.emulate_media(media="print")  # on paper too: the mark heads every printed sheet
    mark = page.locator(".hoso-mat-in")
    assert mark.is_visible() and mark.evaluate("e => getComputedStyle(e).position") == "fixed"
    page.emulate_media(media="screen")

    page.locator("a.hoso-o[href$='qua-han.html']").click()
    page.wait_for_load_state()
    assert "có bước quá hạn" in page.locator("h1").inner_text()
    count = page.locator(".hoso-loc__dem").inner_text()
    total = int(count.split("/")[1].split()[0])
    page.locator(".hoso-loc input").fill("khe lam")  # no diacritics: matches Khê Lam's cases
    shown = int(page.locator(".hoso-loc__dem").inner_text().split("/")[0])
    assert 0 < shown < total
    _shot(page, "2-danh-sach-qua-han", size)
    first = page.locator("table[data-hoso-bang] tbody tr:not([hidden]) a").first
    case_id = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(case_id)
    assert "Khê Lam" in page.locator(".hoso-duong").inner_text()  # the breadcrumb
    _shot(page, "3-ho-so", size)

    # The tree: the "Hồ sơ" tab, a district, one of its grassroots units, a cell, a case.
    page.goto(f"{site}/don-vi/khe-lam/index.html")
    assert "Khê Lam" in page.locator("h1").inner_text()
    page.locator("article a[href$='khe-lam-x01.html']").first.click()
    page.wait_for_load_state()
    page.locator("article a[href$='khe-lam-x01-cb1.html']").first.click()
    page.wait_for_load_state()
    _shot(page, "4-chi-bo", size)
    table = page.locator("table[data-hoso-bang]").first
    days = table.locator("tbody tr td:nth-child(5)")  # Mã, Người, Loại, Bước, Ngày
    page.locator("table[data-hoso-bang] th", has_text="Ngày").first.click()
    ascending = [d.get_attribute("data-sort") for d in days.all()]
    assert ascending == sorted(ascending)
    table.locator("tbody a").first.click()
    page.wait_for_load_state()
    assert "Các bước" in page.content()
    assert page.errors == []
    assert hosts == {"127.0.0.1"}


def test_search_fits_vietnamese_and_case_ids(site: str, browser: Any) -> None:
    hosts: set[str] = set()
    page = _page(browser, "ban", hosts)
    found = _search(page, site, "ket nap")
    assert "Kết nạp đảng viên" in found
    _shot(page, "5-tim-khong-dau", "ban")
    page.goto(f"{site}/don-vi/khe-lam/khe-lam-x01-cb1.html")
    case_id = page.locator("table[data-hoso-bang] tbody a").first.inner_text()
    found = _search(page, site, case_id)
    assert case_id in found.splitlines()[1] or case_id in found
    first = page.locator(".md-search-result__item a").first
    assert f"ho-so/{case_id}.html" in first.get_attribute("href")
    _shot(page, "6-tim-ma-ho-so", "ban")
    partial = _search(page, site, case_id[:9])  # "KN-2024-5": partly typed, no error
    assert case_id[:9] in partial
    assert page.errors == []
    assert hosts == {"127.0.0.1"}


def test_wide_tables_and_diagrams_scroll_inside_their_frame_on_a_phone(
    site: str, browser: Any
) -> None:
    hosts: set[str] = set()
    page = _page(browser, "dien-thoai", hosts)
    for path, name in (
        ("quy-trinh/ket-nap.html", "7-quy-trinh"),
        ("tong-hop.html", "8-tong-hop"),
        ("danh-sach/dang-xu-ly.html", "9-dang-xu-ly"),
    ):
        page.goto(f"{site}/{path}")
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
        _shot(page, name, "dien-thoai")
    page.goto(f"{site}/tong-hop.html")
    number = page.locator("table[data-hoso-bang] td.hoso-so").first
    assert number.evaluate("e => getComputedStyle(e).textAlign") == "right"
    page.goto(f"{site}/quy-trinh/ket-nap.html")
    frame = page.locator(".hoso-so-do-khung")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")  # the diagram scrolls sideways
    svg = frame.locator("svg")
    assert svg.evaluate("e => e.getBoundingClientRect().width") >= 400  # not shrunk to a stamp
    assert hosts == {"127.0.0.1"}
