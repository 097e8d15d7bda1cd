"""The site: pure renderers, audiences, navigation, and a build that refuses to leak."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT
from hoso.site import privacy, render
from hoso.site.data import SiteData, load
from hoso.site.pages import Site, build, render_all
from hoso.site.tree import case_path, unit_path

CASE_FILES = sum(
    1 for p in (ROOT / "cases").glob("*/*/*.yaml") if p.parent.name not in ("plan", "ranking")
)
"""The sample's cases: every record but the plan and the rankings."""


@pytest.fixture(scope="module")
def staff() -> SiteData:
    return load(ROOT, "staff", AS_OF, models=True)


@pytest.fixture(scope="module")
def commission() -> Site:
    return build(ROOT, "commission", AS_OF)


def test_dashboard_counts_every_case_by_kind_and_status(staff: SiteData) -> None:
    page = render.dashboard(staff)
    counts = Counter((c.kind, c.status) for _, c in staff.cases)
    assert len(staff.cases) == CASE_FILES
    recognised = counts[("admission", "recognised")]
    assert f"| Đã được công nhận đảng viên chính thức | {recognised} |" in page
    totals = Counter(c.kind for _, c in staff.cases)
    assert f"| **Tổng** | **{totals['transfer']}** |" in page


def test_states_are_listed_in_the_order_of_the_workflow_not_of_their_codes(
    staff: SiteData,
) -> None:
    """The reader knows the steps, not their English codes: "Đã vào danh sách cảm tình" comes
    first and "Đã nộp đơn" after "Đã học lớp bồi dưỡng", on the figures page and unit pages."""
    from hoso.models import STATE_LABELS
    from hoso.site.units import unit_page

    def order(text: str, kind: str) -> list[str]:
        found = {label: text.find(label) for label in STATE_LABELS[kind].values()}
        return [label for label, at in sorted(found.items(), key=lambda f: f[1]) if at >= 0]

    dashboard = render.dashboard(staff).split("### ")
    admission = next(part for part in dashboard if part.startswith("Kết nạp đảng viên"))
    kinds = {case.kind for _, case in staff.cases}
    expected = [
        label
        for code, label in STATE_LABELS["admission"].items()
        if any(c.kind == "admission" and c.status == code for _, c in staff.cases)
    ]
    assert order(admission, "admission") == expected
    page = unit_page(staff, "thu-nghiem").split("## Hồ sơ theo loại và trạng thái", 1)[1]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>", page)
    shown_kinds = list(dict.fromkeys(kind for kind, _ in rows))
    assert shown_kinds == [render.KIND_LABELS[k] for k in render.CASE_KINDS if k in kinds]
    first = [state for kind, state in rows if kind == "Kết nạp đảng viên"]
    assert first == expected


def test_unit_pages_show_ranking_counts_and_no_member(staff: SiteData) -> None:
    from hoso.site.units import unit_page

    page = unit_page(staff, "khe-lam")
    rows = [r for r in staff.rankings if r.year == 2024]
    total = sum(m.level == "good" for r in rows for m in r.members)
    assert rows and "## Xếp loại chất lượng đảng viên" in page
    assert f'<tr><td>2024</td><td data-sort="{len(rows)}" class="hoso-so">{len(rows)}</td>' in page
    assert f'<span data-hoso-so="khe-lam">{total}</span>' in page
    assert not any(m.name in page or m.party_card in page for r in rows for m in r.members)
    assert len(staff.rankings) >= 4


def test_staff_pages_show_no_case_and_no_person(staff: SiteData) -> None:
    _, pages = render_all(ROOT, "staff", AS_OF)
    assert not any(path.startswith(("ho-so/", "danh-sach/", "tim-kiem/")) for path in pages)
    text = "\n".join(pages.values())
    assert not any(case.id in text for _, case in staff.cases)
    assert not any(value in text for value in staff.personal | staff.confidential)


def test_commission_sees_cases_but_never_confidential_values(commission: Site) -> None:
    data, pages = commission.data, commission.pages
    assert sum(path.startswith("ho-so/") for path in pages) == CASE_FILES
    rel, case = data.cases[0]
    page = pages[case_path(case.id)]
    assert case.subject.name in page and rel in page
    text = "\n".join(pages.values())
    assert data.confidential and not any(value in text for value in data.confidential)
    cell = pages[unit_path(data.governance, case.cell)]
    assert f'href="../../ho-so/{case.id}.html"' in cell


def test_a_unit_page_lists_its_own_cases_and_links_its_children(commission: Site) -> None:
    data, pages = commission.data, commission.pages
    g = data.governance
    for code in ("khe-lam-x01", "khe-lam-x01-cb1", "khe-lam"):
        page = pages[unit_path(g, code)]
        own = {c.id for _, c in data.cases if c.cell == code}
        listed = set(re.findall(r"ho-so/([A-Z]{2}-\d{4}-[0-9a-z]{6})\.html", page))
        assert listed == own, code
        for child in (u.code for u in g.units.values() if u.parent == code):
            target = unit_path(g, child).rsplit("/", 1)[-1].replace(".md", ".html")
            assert f"{target}" in page and g.units[child].name in page
    district = pages[unit_path(g, "khe-lam")]
    assert "[Đảng bộ tỉnh Thử Nghiệm (dữ liệu mẫu)](../index.md)" in district  # breadcrumb
    assert "../../danh-sach/qua-han.html?loc=" in district


def test_case_pages_are_titled_by_their_id_and_kind_never_by_the_person(
    commission: Site,
) -> None:
    """mkdocs would otherwise title a case page from its file name ("KN 2019 805pi3"), the
    id with its hyphens gone, in the browser's tab, history and the printed page's header."""
    for _, case in commission.data.cases:
        page = commission.pages[case_path(case.id)]
        kind = render.KIND_LABELS[case.kind]
        assert page.startswith(f'---\ntitle: "{case.id}: {kind}"\n'), page[:80]


def test_next_steps_name_only_bodies_that_exist_by_their_names(commission: Site) -> None:
    """A chi bộ cơ sở has no executive committee: the rules' "grassroots executive" of such a
    unit is no body, and was shown by its code ("pa-vang-x05.executive")."""
    code = re.compile(
        r"\b[a-z0-9-]+\.(?:executive|standing|inspection|organisation|propaganda"
        r"|cell_committee|secretariat|politburo)\b"
    )
    seen = 0
    for _, case in commission.data.cases:
        page = commission.pages[case_path(case.id)]
        following = page.split("## Bước tiếp theo", 1)[1].split("\n## ", 1)[0]
        assert not code.search(following), (case.id, code.findall(following))
        seen += "(do " in following
    assert seen > 100


def test_case_pages_carry_the_substance_of_their_kind(commission: Site) -> None:
    data, pages = commission.data, commission.pages
    seen = set()
    for _, case in data.cases:
        page = pages[case_path(case.id)]
        if case.kind == "discipline" and "discipline" not in seen:
            v = case.violation  # type: ignore[union-attr]
            assert v.summary in page and f"**Ngày vi phạm**: {v.date:%d/%m/%Y}" in page
            assert "**Nhóm vi phạm**" in page and "**Thời hiệu**" in page
            assert "## Hình thức kỷ luật" in page and "## Khiếu nại" in page
        elif case.kind == "screening" and case.history[0].criteria:  # type: ignore[union-attr]
            from hoso.models.screening import CRITERION_LABELS

            for criterion in case.history[0].criteria:  # type: ignore[union-attr]
                assert CRITERION_LABELS[criterion] in page
            assert "**Nguồn**" in page
        elif case.kind == "transfer":
            assert case.counterpart in page  # type: ignore[union-attr]
            assert f"**Ngày chuyển**: {case.move_date:%d/%m/%Y}" in page  # type: ignore[union-attr]
        elif case.kind == "exemption":
            assert "**Lý do**" in page and "**Miễn đến ngày**" in page
        elif case.kind == "admission":
            for event in case.history:
                for introducer in event.introducers:  # type: ignore[union-attr]
                    assert introducer.name in page
        else:
            continue
        seen.add(case.kind)
        assert "## Các bước" in page and "search:\n  exclude: true" in page
    assert seen == {"discipline", "screening", "transfer", "exemption", "admission"}


def test_navigation_is_a_bounded_unit_tree_in_five_tabs(commission: Site) -> None:
    g = commission.data.governance
    tabs = [next(iter(item)) for item in commission.nav]
    assert tabs == ["Tổng quan", "Hồ sơ", "Quy trình", "Quy định"]
    audit = build(ROOT, "audit", AS_OF)
    assert [next(iter(item)) for item in audit.nav][-1] == "Kiểm toán"
    assert [next(iter(item)) for item in build(ROOT, "staff", AS_OF).nav][1] == "Đơn vị"
    listed = json.dumps(commission.nav, ensure_ascii=False)
    assert "ho-so/" not in listed  # no case page in the navigation
    units = set(re.findall(r"don-vi/[^\"]+\.md", listed))
    expected = {
        unit_path(g, u.code)
        for u in g.units.values()
        if u.level in ("province", "district") or (u.level == "grassroots")
    }
    assert units == expected
    assert not any(unit_path(g, u.code) in units for u in g.units.values() if u.level == "cell")


def test_home_tiles_count_what_their_lists_hold(commission: Site) -> None:
    data, pages = commission.data, commission.pages
    infos = [data.info(c) for _, c in data.cases]
    expected = {
        "dang-xu-ly": sum(i.open for i in infos),
        "qua-han": sum(bool(i.overdue) for i in infos),
        "sap-den-han": sum(bool(i.soon) for i in infos),
        "cho-quyet-dinh": sum(i.awaiting for i in infos),
    }
    home = pages["index.md"]
    for slug, count in expected.items():
        assert f'href="danh-sach/{slug}.html"><span class="hoso-o__so">{count}</span>' in home
        listed = re.findall(
            r'<tr data-loc="[^"]*"><td><a href="\.\./ho-so/', pages[f"danh-sach/{slug}.md"]
        )
        assert len(listed) == count, slug
    assert expected["qua-han"] and expected["cho-quyet-dinh"]


def test_case_index_is_split_and_finds_ids_and_names_without_diacritics(
    commission: Site,
) -> None:
    from hoso.site.search import fold

    pages = commission.pages
    contents = json.loads(pages["tim-kiem/muc-luc.json"])
    assert contents["cases"] == CASE_FILES and contents["block"] == 200
    _, case = commission.data.cases[7]
    ident = case.id.lower()
    assert pages[f"tim-kiem/{ident[:2]}.json"]
    shard = json.loads(pages[f"tim-kiem/{ident[:2]}.json"])
    (number,) = shard[ident]
    titles = json.loads(pages[f"tim-kiem/ho-so-{number // 200}.json"])
    assert titles[number % 200][0] == f"ho-so/{case.id}.html"
    word = fold(case.subject.name.split()[-1])
    assert word.isascii() and number in json.loads(pages[f"tim-kiem/{word[:2]}.json"])[word]
    assert "search/search_index.json" not in pages  # the theme's index is built by mkdocs
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    separator = re.search(r"separator: '(.*)'", config)
    assert separator and "-" not in separator[1]


def test_staff_counts_of_small_units_are_masked(staff: SiteData) -> None:
    from hoso.site.units import unit_page

    g = staff.governance
    per_cell = Counter(c.cell for _, c in staff.cases)
    cell = next(code for code, n in per_cell.items() if n == 1 and g.units[code].level == "cell")
    page = unit_page(staff, cell)
    assert f'<span data-hoso-so="{cell}">&lt; 3</span> hồ sơ' in page
    assert not re.search(rf'data-hoso-so="{cell}">[12]<', page)
    parent = g.units[cell].parent
    assert parent is not None
    assert f'<span data-hoso-so="{cell}">&lt; 3</span>' in unit_page(staff, parent)
    commission = load(ROOT, "commission", AS_OF)
    assert f'<span data-hoso-so="{cell}">1</span> hồ sơ' in unit_page(commission, cell)


def test_small_count_check_finds_a_planted_count(staff: SiteData, tmp_path: Path) -> None:
    g = staff.governance
    page = tmp_path / unit_path(g, "khe-lam-x01-cb1").replace(".md", ".html")
    page.parent.mkdir(parents=True)
    page.write_text('<p>có <span data-hoso-so="khe-lam-x01-cb1">&lt; 3</span></p>')
    assert privacy.small_counts(tmp_path, staff) == []
    page.write_text("<table><tr><td>1</td><td>0</td><td>7</td></tr></table>")
    assert privacy.small_counts(tmp_path, staff) == [
        "don-vi/khe-lam/khe-lam-x01-cb1.html: số nhỏ 1 trong bảng của đơn vị nhỏ khe-lam-x01-cb1"
    ]
    district = tmp_path / "don-vi/khe-lam/index.html"
    district.write_text('<td><span data-hoso-so="khe-lam-x01">2</span></td><td>1</td>')
    assert privacy.small_counts(tmp_path, staff)[0] == (
        "don-vi/khe-lam/index.html: số nhỏ 2 của đơn vị nhỏ khe-lam-x01 (dưới 3)"
    )


def test_unmasked_rendering_would_be_caught(
    staff: SiteData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check sees what the renderer makes: with the mask turned off, the real unit pages of
    the sample fail it."""
    from hoso.site import counts
    from hoso.site.units import unit_page

    monkeypatch.setattr(counts, "hidden", lambda *args: False)
    g = staff.governance
    for code in g.units:
        path = tmp_path / unit_path(g, code).replace(".md", ".html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(unit_page(staff, code), encoding="utf-8")
    assert privacy.small_counts(tmp_path, staff)


def test_leak_check_finds_planted_values(staff: SiteData, tmp_path: Path) -> None:
    secret = sorted(staff.confidential)[0]
    person = sorted(staff.personal)[0]
    (tmp_path / "a.html").write_text(f"<p>{secret}</p>", encoding="utf-8")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.json").write_text(json.dumps({"t": person}))
    found = privacy.leaks(tmp_path, staff)
    assert found == [f"a.html: {secret!r}", f"search/index.json: {person!r}"]


def test_leak_check_finds_a_planted_value_of_each_kind(staff: SiteData, tmp_path: Path) -> None:
    """One value of every confidential field and a personal one, each planted in its own
    page, one inside a longer forbidden value: the one-pass check finds each."""
    kinds = {"Gia đình mẫu": None, "Điều trị": None, "phản ánh": None}
    for value in sorted(staff.confidential):
        for marker in kinds:
            if marker in value and kinds[marker] is None:
                kinds[marker] = value
    planted = [v for v in kinds.values() if v] + [sorted(staff.personal)[0]]
    assert len(planted) == 4 and len(staff.confidential) > 20  # distinct, as real ones are
    for n, value in enumerate(planted):
        (tmp_path / f"p{n}.html").write_text(f"<p>trước {value} sau</p>", encoding="utf-8")
    found = privacy.leaks(tmp_path, staff)
    assert [line.split(": ", 1)[1] for line in found] == [repr(v) for v in planted]


def test_mark_check_wants_every_page_marked(staff: SiteData, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<span data-hoso-khong-ca-nhan>…</span>", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>không dấu</p>", encoding="utf-8")
    assert privacy.marks(tmp_path, staff) == [
        "b.html: thiếu dấu của trang (data-hoso-khong-ca-nhan)"
    ]


def test_charts_are_inline_svg_with_title_axes_values_and_legend(staff: SiteData) -> None:
    from hoso.site import charts

    for svg in (charts.status_by_unit(staff), charts.flows_by_half_year(staff)):
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
        assert "<title" in svg and "<desc" in svg and "\n\n" not in svg
        assert ">0</text>" in svg  # the axis starts at zero with its value written
    status = charts.status_by_unit(staff)
    for label in ("đã kết thúc", "đang xử lý", "có bước quá hạn", "Số hồ sơ"):
        assert label in status
    khe_lam = sum(1 for _, c in staff.cases if staff.governance.is_within(c.cell, "khe-lam"))
    assert f">{khe_lam}</text>" in status  # each district's total is written beside its bar
    page = render.dashboard(staff)
    assert '<div class="hoso-bieu-do" data-search-exclude><svg' in page


def test_state_diagrams_show_labels_not_codes() -> None:
    from hoso import explain
    from hoso.models import STATE_LABELS
    from hoso.rules.workflow import WORKFLOWS

    for kind in WORKFLOWS:
        svg = explain.svg(kind)
        words = " ".join(re.findall(r">([^<>]+)</text>", svg))
        for state, label in STATE_LABELS[kind].items():
            assert all(part in words for part in label.split()), label
            assert f">{state}<" not in svg
        width = int(re.search(r'viewBox="0 0 (\d+)', svg)[1])  # type: ignore[index]
        assert width <= 920, (kind, width)


def test_anchors_keep_vietnamese_letters() -> None:
    from hoso.site.slug import slugify

    assert slugify("Sơ đồ trạng thái", "-") == "so-do-trang-thai"
    assert slugify("Đơn vị trực thuộc", "-") == "don-vi-truc-thuoc"


def test_unit_pages_show_the_latest_period_with_data(staff: SiteData) -> None:
    from datetime import date

    from hoso.reports.figures import WITHIN_NOTE, within_note
    from hoso.site.units import unit_page

    page = unit_page(staff, "khe-lam")  # the sample's steps end in 2025
    latest = page.index("### 6 tháng cuối năm 2025 (từ 01/07/2025 đến 31/12/2025)")
    older = page.index('??? note "6 tháng đầu năm 2025 (từ 01/01/2025 đến 30/06/2025)"')
    assert latest < older
    assert "6 tháng đầu năm 2026" not in page
    # The half-year under way runs to today.
    autumn = unit_page(load(ROOT, "staff", date(2025, 10, 1)), "khe-lam")
    assert "### 6 tháng cuối năm 2025 (từ 01/07/2025 đến 01/10/2025)" in autumn
    assert "**5. Việc quá hạn cuối kỳ**" in page and WITHIN_NOTE in page
    assert within_note("Việc quá hạn cuối kỳ") == WITHIN_NOTE  # cases, each counted once
    assert "Đảng viên chi ủy đưa vào danh sách dự kiến xem xét" in page


def test_plan_status_follows_the_figures(staff: SiteData) -> None:
    from hoso.site.plan import plan_table

    table = plan_table(staff, None)
    assert "| huyện Khê Lam |" in table or "huyện Khê Lam" in table
    assert "hằng năm" in table and "6 tháng một lần" in table and "yearly" not in table
    target_row = next(line for line in table.splitlines() if "Kết nạp đảng viên mới" in line)
    assert "chưa đạt chỉ tiêu năm 2026" in target_row and "xong" not in target_row


def test_audit_page_groups_findings_by_kind_and_severity() -> None:
    from hoso.audit.index import AuditFinding, Index
    from hoso.site import audit

    index = Index(branch="main", tip="a" * 40)
    findings = [
        AuditFinding("high", "b" * 40, "history.direct_push", "đẩy thẳng"),
        AuditFinding("high", "c" * 40, "history.direct_push", "đẩy thẳng ngày 2025-01-02"),
        AuditFinding("medium", "d" * 40, "history.unverifiable_trailers", "không kiểm chứng"),
        AuditFinding("high", "e" * 40, "discipline.limitation", "hết thời hiệu", "cases/x.yaml"),
    ]
    page = audit.page(index, findings)
    summary = page.index("## Tóm tắt theo loại và mức")
    first = page.index("## Đẩy thẳng lên nhánh chính, không qua yêu cầu hợp nhất\n\n2 phát hiện.")
    assert summary < first < page.index("## Hồ sơ trái quy định tại thời điểm hợp nhất\n\n1 phát")
    row = (
        "<td>Đẩy thẳng lên nhánh chính, không qua yêu cầu hợp nhất</td><td>nghiêm trọng</td>"
        '<td data-sort="2" class="hoso-so">2</td>'
    )
    assert row in page
    assert "02/01/2025" in page and "2025-01-02" not in page


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
def test_site_builds_strict_offline_and_marked(audience: str, tmp_path: Path) -> None:
    done = _build(ROOT, tmp_path / "site", audience)
    assert done.returncode == 0, done.stderr[-2000:]
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'name="robots" content="noindex, nofollow"' in html
    assert "fonts.googleapis" not in html and "cdn." not in html
    built = list((tmp_path / "site").rglob("*.html"))
    pages = "\n".join(p.read_text(encoding="utf-8") for p in built)
    assert "Tổng quan" in pages
    assert ('href="../../ho-so/' in pages) == (audience != "staff")
    mark = privacy.MARKS[audience]
    assert all(mark in p.read_text(encoding="utf-8") for p in built)
    assert ("MẬT" in html) == (audience != "staff")
    # Titles: the home page's once, a unit page's its name, the 404 page in Vietnamese.
    assert "<title>Hồ sơ công tác đảng viên</title>" in html and "<h1" in html
    district = (tmp_path / "site/don-vi/khe-lam/index.html").read_text(encoding="utf-8")
    assert "<title>Đảng bộ huyện Khê Lam - Hồ sơ công tác đảng viên</title>" in district
    if audience != "staff":  # a case page's title keeps the case id as it is written
        case = next((tmp_path / "site/ho-so").glob("KN-*.html"))
        title = f"<title>{case.stem}: Kết nạp đảng viên - Hồ sơ công tác đảng viên</title>"
        assert title in case.read_text(encoding="utf-8")
    missing = (tmp_path / "site/404.html").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in missing and "Not found" not in missing
    assert 'id="so-do-trang-thai"' in (tmp_path / "site/quy-trinh/ket-nap.html").read_text(
        encoding="utf-8"
    )
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert not any(doc["location"].startswith(("ho-so/", "danh-sach/")) for doc in index["docs"])
    assert ((tmp_path / "site/tim-kiem/muc-luc.json").exists()) == (audience != "staff")


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("mkdocs.yml", "site_src", "cases", "governance"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    return copy


def test_build_fails_when_a_page_would_leak(tmp_path: Path, staff: SiteData) -> None:
    copy = _copy(tmp_path)
    secret = sorted(staff.confidential)[0]
    with (copy / "site_src/docs/huong-dan.md").open("a", encoding="utf-8") as page:
        page.write(f"\n\nGhi nhầm: {secret}\n")
    done = _build(copy, tmp_path / "site", "commission")
    assert done.returncode != 0
    assert "giá trị không được công bố" in done.stderr and secret in done.stderr


def test_build_fails_when_a_small_count_is_shown(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    with (copy / "site_src/docs/huong-dan.md").open("a", encoding="utf-8") as page:
        page.write('\n\nChi bộ có <span data-hoso-so="khe-lam-x01-cb1">1</span> hồ sơ.\n')
    done = _build(copy, tmp_path / "site", "staff")
    assert done.returncode != 0
    assert "huong-dan.html: số nhỏ 1 của đơn vị nhỏ khe-lam-x01-cb1 (dưới 3)" in done.stderr


def test_free_text_from_a_record_is_not_markup(commission: Site) -> None:
    from hoso.site.cases import case_page

    data = commission.data
    rel, case = next((r, c) for r, c in data.cases if c.kind == "discipline")
    subject = case.subject.model_copy(update={"name": "Lò <script>x()</script> *A*"})
    violation = case.violation.model_copy(update={"summary": "<img src=x onerror=y()>"})  # type: ignore[union-attr]
    page = case_page(
        data, rel, case.model_copy(update={"subject": subject, "violation": violation}), {}
    )
    assert "<script>" not in page and "<img" not in page
    assert "Lò &lt;script&gt;x()&lt;/script&gt; \\*A\\*" in page


def test_organisation_discipline_has_its_page_and_its_row(commission: Site) -> None:
    from hoso import labels

    data, pages = commission.data, commission.pages
    case = next(c for _, c in data.cases if c.kind == "org_discipline")
    page = pages[case_path(case.id)]
    name = labels.body(data.governance, case.organisation)  # type: ignore[union-attr]
    assert f"- **Tổ chức đảng bị xem xét**: {name}" in page
    assert case.violation.summary in page and "## Hình thức kỷ luật" in page  # type: ignore[union-attr]
    assert "**Người**" not in page
    cell = pages[unit_path(data.governance, case.cell)]
    assert f">{case.id}</a></td><td>{name}</td>" in cell


def test_small_units_ranking_counts_are_masked_for_staff(staff: SiteData) -> None:
    from collections import Counter

    from hoso.site.tree import is_small
    from hoso.site.units import unit_page

    g = staff.governance
    found = False
    for ranking in staff.rankings:
        unit = ranking.organisation
        if not is_small(g, unit):
            continue
        counts = Counter(
            str(m.level)
            for r in staff.rankings
            if r.organisation == unit and r.year == ranking.year
            for m in r.members
        )
        page = unit_page(staff, unit)
        for level, n in counts.items():
            if 0 < n < 3:
                found = True
                assert not re.search(rf'data-hoso-so="{unit}">{n}<', page), (unit, level)
                assert f'data-hoso-so="{unit}">&lt; 3<' in page
    assert found
