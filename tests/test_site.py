"""The site: pure renderers, audiences, and a build that refuses to leak."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT
from hoso.site import privacy, render
from hoso.site.data import SiteData, load
from hoso.site.pages import render_all

CASE_FILES = sum(
    1 for p in (ROOT / "cases").glob("*/*/*.yaml") if p.parent.name not in ("plan", "ranking")
)
"""The sample's cases: every record but the plan and the rankings."""


@pytest.fixture(scope="module")
def staff() -> SiteData:
    return load(ROOT, "staff", AS_OF)


def test_dashboard_counts_every_case_by_kind_and_status(staff: SiteData) -> None:
    page = render.dashboard(staff)
    counts = Counter((c.kind, c.status) for _, c in staff.cases)
    assert len(staff.cases) == CASE_FILES
    recognised = counts[("admission", "recognised")]
    assert f"| Đã được công nhận đảng viên chính thức | {recognised} |" in page
    totals = Counter(c.kind for _, c in staff.cases)
    assert f"| **Tổng** | **{totals['transfer']}** |" in page


def test_unit_pages_show_ranking_counts_and_no_member(staff: SiteData) -> None:
    page = render.unit_page(staff, "khe-lam")
    rows = [r for r in staff.rankings if r.year == 2024]
    total = sum(m.level == "good" for r in rows for m in r.members)
    assert rows and "## Xếp loại chất lượng đảng viên" in page
    assert f"| 2024 | {len(rows)} | " in page and f" | {total} | " in page
    assert not any(m.name in page or m.party_card in page for r in rows for m in r.members)
    assert len(staff.rankings) >= 4


def test_staff_pages_show_no_case_and_no_person(staff: SiteData) -> None:
    _, pages = render_all(ROOT, "staff", AS_OF)
    assert not any(path.startswith("ho-so/") for path in pages)
    text = "\n".join(pages.values())
    assert not any(case.id in text for _, case in staff.cases)
    assert not any(value in text for value in staff.personal | staff.confidential)


def test_commission_sees_cases_but_never_confidential_values() -> None:
    data, pages = render_all(ROOT, "commission", AS_OF)
    assert sum(path.startswith("ho-so/") for path in pages) == CASE_FILES
    rel, case = data.cases[0]
    page = pages[f"ho-so/{case.id}.md"]
    assert case.subject.name in page and rel in page
    text = "\n".join(pages.values())
    assert data.confidential and not any(value in text for value in data.confidential)
    unit = pages[f"don-vi/{case.unit}.md"]
    assert f"[{case.id}](../ho-so/{case.id}.md)" in unit


def test_charts_are_plain_svg_without_scripts(staff: SiteData) -> None:
    _, pages = render_all(ROOT, "staff", AS_OF)
    for path in ("bieu-do/trang-thai-theo-don-vi.svg", "bieu-do/ket-nap-theo-nua-nam.svg"):
        svg = pages[path]
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
        assert "<title>" in svg


def test_leak_check_finds_planted_values(staff: SiteData, tmp_path: Path) -> None:
    secret = sorted(staff.confidential)[0]
    person = sorted(staff.personal)[0]
    (tmp_path / "a.html").write_text(f"<p>{secret}</p>", encoding="utf-8")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.json").write_text(json.dumps({"t": person}))
    found = privacy.leaks(tmp_path, staff)
    assert found == [f"a.html: {secret!r}", f"search/index.json: {person!r}"]


def _build(root: Path, out: Path, audience: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HOSO_AUDIENCE": audience},
    )


@pytest.mark.parametrize("audience", ["staff", "commission"])
def test_site_builds_strict_and_offline(audience: str, tmp_path: Path) -> None:
    done = _build(ROOT, tmp_path / "site", audience)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'name="robots" content="noindex, nofollow"' in html
    assert "fonts.googleapis" not in html and "cdn." not in html
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "Tổng quan" in pages
    assert ('href="../ho-so/' in pages) == (audience != "staff")


def test_build_fails_when_a_page_would_leak(tmp_path: Path, staff: SiteData) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("mkdocs.yml", "site_src", "cases", "governance"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    secret = sorted(staff.confidential)[0]
    with (copy / "site_src/docs/huong-dan.md").open("a", encoding="utf-8") as page:
        page.write(f"\n\nGhi nhầm: {secret}\n")
    done = _build(copy, tmp_path / "site", "commission")
    assert done.returncode != 0
    assert "giá trị không được công bố" in done.stderr and secret in done.stderr
