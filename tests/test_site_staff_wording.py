"""The staff site in plain Vietnamese: no rule, state or option code on the guidance pages, ages
in "tuổi", "< 3" explained under the tables that show it (and never given away by the value a
column sorts by), the theme's search wording and the 404 page put right."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT
from hoso.models import STATE_LABELS
from hoso.site import privacy
from hoso.site.data import SiteData, load
from hoso.site.pages import render_all
from hoso.site.tree import is_small

NOTE = "“< 3”: có 1 hoặc 2 hồ sơ; không ghi số cụ thể để bảo vệ thông tin cá nhân."


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_all(ROOT, "staff", date(2026, 11, 26))[1]


def test_rules_page_has_no_codes_says_ages_in_years_of_age_and_explains_its_levels(
    pages: dict[str, str],
) -> None:
    page = pages["quy-trinh/quy-dinh.md"]
    assert "`" not in page and "probation_months" not in page
    assert "| 18 tuổi |" in page and "| 60 tuổi |" in page and "18 năm" not in page
    assert "- **chắc chắn**: văn bản của Đảng ghi rõ con số này" in page


def test_rules_page_counts_living_together_only_from_qd24(pages: dict[str, str]) -> None:
    """An introducer who lives with the applicant counts from QĐ 24-QĐ/TW (30/07/2021) only,
    as the validator judges: the rule sets before it say "cùng công tác" alone."""
    page = pages["quy-trinh/quy-dinh.md"]
    sets = dict(re.findall(r"## Từ ngày (\d\d/\d\d/\d{4})\n(.*?)(?=\n## |\Z)", page, re.S))
    rows = {
        day: re.search(r"\| Thời gian người giới thiệu ([^|]*) \|", text)
        for day, text in sets.items()
    }
    assert rows["25/07/2016"] and rows["30/07/2021"] and rows["28/07/2021"]
    assert rows["25/07/2016"][1] == rows["28/07/2021"][1] == "cùng công tác với người vào Đảng"
    assert rows["30/07/2021"][1] == "cùng công tác hoặc cùng cư trú với người vào Đảng"


def test_guidance_pages_speak_in_labels_not_codes_or_options(pages: dict[str, str]) -> None:
    states = {code for labels in STATE_LABELS.values() for code in labels}
    guides = {p: t for p, t in pages.items() if p.startswith("quy-trinh/")}
    assert len(guides) >= 8
    for path, text in guides.items():
        assert not re.search(r"--[a-z]", text), (path, re.findall(r"--[a-z-]+", text)[:3])
        assert "`" not in text, (path, re.findall(r"`[^`]*`", text)[:3])
        assert not [s for s in states if f"({s})" in text], path
    admission = guides["quy-trinh/ket-nap.md"]
    assert "| số, ngày văn bản; số liệu biểu quyết: biểu quyết đạt ít nhất 2/3" in admission


def test_the_guide_says_the_threshold_in_words(pages: dict[str, str]) -> None:
    guide = (ROOT / "site_src/docs/huong-dan.md").read_text(encoding="utf-8")
    assert "small_count" not in guide and "là 1 hoặc 2" in guide


def test_the_hand_written_pages_name_steps_by_their_labels_not_their_codes() -> None:
    """The guide's example of what the gate reports is what the gate prints: state labels."""
    states = {code for labels in STATE_LABELS.values() for code in labels}
    for page in sorted((ROOT / "site_src/docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for quoted in re.findall(r"`([^`]*)`", text):
            codes = set(re.findall(r"[a-z_]+", quoted)) & states
            assert not codes, (page.name, quoted)
    guide = (ROOT / "site_src/docs/huong-dan.md").read_text(encoding="utf-8")
    example = "“Chi bộ đã ra nghị quyết đề nghị kết nạp → Đã có quyết định kết nạp”"
    assert example in " ".join(guide.split())


def test_unit_pages_explain_the_masked_count_and_hide_it_from_sorting(
    pages: dict[str, str],
) -> None:
    staff = load(ROOT, "staff", date(2026, 11, 26))
    page = pages["don-vi/khe-lam/khe-lam-x03.md"]
    assert page.startswith('---\ntitle: "Đảng bộ xã Phiêng Lếch"\n---\n')
    table_then_note = re.search(r"&lt; 3.*</table></div>\n\n\*(.+)\*\{ \.hoso-ghi-chu \}", page)
    assert table_then_note and table_then_note[1] == NOTE
    for path, text in pages.items():
        if not path.startswith("don-vi/"):
            continue
        assert ("&lt; 3" in text) == (NOTE in text), path
        for value, unit in re.findall(
            r'data-sort="([^"]+)"[^>]*><span data-hoso-so="([^"]+)"', text
        ):
            small = is_small(staff.governance, unit)
            assert not (small and value in ("1", "2")), (path, unit, value)


def test_the_privacy_check_catches_a_count_given_away_by_its_sort_value(
    tmp_path: Path,
) -> None:
    staff: SiteData = load(ROOT, "staff", date(2026, 11, 26))
    page = tmp_path / "don-vi" / "khe-lam" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<td data-sort="1" class="hoso-so"><span data-hoso-so="khe-lam-x01">&lt; 3</span></td>'
    )
    assert privacy.small_counts(tmp_path, staff) == [
        "don-vi/khe-lam/index.html: số nhỏ 1 của đơn vị nhỏ khe-lam-x01 trong data-sort"
    ]


def test_theme_search_wording_and_the_404_page_are_ours() -> None:
    ours = (ROOT / "site_src/overrides/partials/languages/custom.html").read_text(encoding="utf-8")
    assert '"search.result.more.other": "còn # kết quả khác trong trang này"' in ours
    missing = (ROOT / "site_src/overrides/404.html").read_text(encoding="utf-8")
    assert "<h1>Không tìm thấy trang</h1>" in missing and "Về trang chủ</a>" in missing
