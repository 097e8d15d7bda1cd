"""The built site in real headless Chromium (Debian's package, driven by Playwright with its
executable path set; no browser download): navigation, search, Vietnamese text, and no request
to any host but this one. Screenshots are saved for a person to look at.

Run by ``nox -s e2e`` after the site is built for the commission audience."""

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
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "e2e-screenshots"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")


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
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def test_navigate_search_and_stay_local(site: str, browser: object) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))

    page.goto(f"{site}/index.html")
    assert "hồ sơ công tác đảng viên" in page.title()
    page.screenshot(path=str(SHOTS / "1-trang-chu.png"), full_page=True)

    page.goto(f"{site}/tong-hop.html")
    assert page.locator("h1").inner_text().startswith("Tổng quan")
    page.screenshot(path=str(SHOTS / "2-tong-quan.png"), full_page=True)

    page.locator("a[href*='don-vi/khe-lam']").first.click()
    page.wait_for_load_state()
    assert "Khê Lam" in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / "3-don-vi.png"), full_page=True)

    case_link = page.locator("a[href*='ho-so/']").first
    case_id = case_link.inner_text()
    case_link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(case_id)
    assert "Diễn biến" in page.content()
    page.screenshot(path=str(SHOTS / "4-ho-so.png"), full_page=True)

    page.goto(f"{site}/index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").fill(case_id)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    assert case_id in page.locator(".md-search-result").inner_text()
    page.screenshot(path=str(SHOTS / "5-tim-kiem.png"))

    assert hosts == {"127.0.0.1"}
