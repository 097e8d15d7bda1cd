"""Reports: figures against hand counts on a small fixed set, four formats that agree, zeros for
an empty period, and names only in the commission's annex."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES, ROOT, TempRepo
from hoso import yamlio
from hoso.errors import UsageError
from hoso.governance import Governance
from hoso.models.ranking import LEVEL_LABELS
from hoso.reports import render
from hoso.reports.figures import Period, Report, compute
from hoso.site.data import load

FILES = [
    "valid/admission-cell-voted.yaml",
    "valid/boundary-age-exactly-18.yaml",
    "valid/boundary-discipline-last-day-of-limitation.yaml",
]


def _report(repo: TempRepo, unit: str, period: str, commission: bool = False) -> Report:
    for name in FILES:
        repo.place(EXAMPLES / name)
    data = load(repo.root, "staff", AS_OF, models=True)
    return compute(
        [c for _, c in data.cases],
        data.plan,
        data.governance,
        unit,
        Period.parse(period),
        commission,
    )


def _figure(report: Report, label: str, unit: str | None = None) -> int:
    row = next(r for r in report.rows if r.label.strip() == label)
    return row.values[unit or report.unit]


def test_periods() -> None:
    assert Period.parse("2023-H1").previous() == Period.parse("2022-H2")
    assert Period.parse("2023-H2").previous() == Period.parse("2023-H1")
    assert [Period.parse(p).name for p in ("2023", "2023-H1", "2023-H2")] == [
        "năm 2023",
        "6 tháng đầu năm 2023",
        "6 tháng cuối năm 2023",
    ]
    assert Period.parse("2023").previous().label == "2022"
    with pytest.raises(Exception, match="6 tháng đầu năm 2026"):
        Period.parse("2023-Q1")


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("2026-H2", "2026-H2"),
        ("2026-h1", "2026-H1"),
        ("2026", "2026"),
        ("6 tháng đầu năm 2026", "2026-H1"),
        ("6 tháng cuối năm 2026", "2026-H2"),
        ("6 thang cuoi nam 2026", "2026-H2"),
        ("6T đầu 2026", "2026-H1"),
        ("năm 2026", "2026"),
        ("Nam 2026", "2026"),
    ],
)
def test_periods_are_taken_as_people_write_them(typed: str, label: str) -> None:
    assert Period.parse(typed).label == label
    assert Period.parse(Period.parse(typed).name).label == label  # the report's own wording


@pytest.mark.parametrize("typed", ["06/2026", "6 tháng giữa năm 2026", "quý 1 năm 2026", "2026-H3"])
def test_other_periods_are_refused_with_the_forms_people_write(typed: str) -> None:
    with pytest.raises(UsageError, match="“6 tháng đầu năm 2026”, “6 tháng cuối năm 2026”"):
        Period.parse(typed)


def test_figures_match_hand_counts(repo: TempRepo) -> None:
    h1 = _report(repo, "thu-nghiem", "2023-H1")
    # The admission example: cell vote 13/02/2023, decision 21/03, ceremony 25/04 (ban-mo).
    assert (
        _figure(h1, "Chi bộ đề nghị kết nạp"),
        _figure(h1, "Quyết định kết nạp"),
        _figure(h1, "Tổ chức lễ kết nạp"),
        _figure(h1, "Công nhận đảng viên chính thức"),
    ) == (1, 1, 1, 0)
    assert _figure(h1, "Quyết định kết nạp", "ban-mo") == 1
    assert _figure(h1, "Quyết định kết nạp", "khe-lam") == 0
    h2 = _report(repo, "thu-nghiem", "2023-H2")
    row = next(r for r in h2.rows if r.label == "Quyết định kết nạp")
    assert (row.values["thu-nghiem"], row.previous) == (0, 1)
    assert _figure(_report(repo, "thu-nghiem", "2024-H1"), "Công nhận đảng viên chính thức") == 1
    # The discipline example: a reprimand by the cell on 02/12/2020, appealed on 28/12/2020,
    # answered on 12/03/2021; the other admission example's cell vote is on 20/10/2026.
    d = _report(repo, "thu-nghiem", "2020-H2")
    assert (
        _figure(d, "Kỷ luật khiển trách"),
        _figure(d, "Do chi bộ quyết định"),
        _figure(d, "Khiếu nại kỷ luật nhận được"),
    ) == (1, 1, 1)
    assert _figure(_report(repo, "thu-nghiem", "2021"), "Khiếu nại kỷ luật đã giải quyết") == 1
    assert _figure(_report(repo, "khe-lam", "2026-H2"), "Chi bộ đề nghị kết nạp") == 1


def test_a_period_with_no_cases_gives_zeros(repo: TempRepo) -> None:
    report = _report(repo, "khe-lam", "2015")
    assert report.rows and all(v == 0 for r in report.rows for v in r.values.values())


def test_all_formats_agree(repo: TempRepo, tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    report = _report(repo, "thu-nghiem", "2023-H1")
    expected = [[str(v) for v in row] for row in render.rows(report)]
    text = render.as_csv(report)
    assert text.startswith(render.BOM)
    from_csv = list(csv.reader(io.StringIO(text.removeprefix(render.BOM))))
    assert from_csv[0] == render.HEAD and from_csv[1:] == expected
    render.as_xlsx(report, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["Số liệu"]
    from_xlsx = [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(min_row=4, values_only=True)
    ]
    figures = [[str(v) for v in row[1:]] for row in render.figure_rows(report)]
    assert from_xlsx[: len(figures)] == figures  # the note on "< 3" and "x" comes after them
    assert [row for row in expected if row[1] != "Ghi chú"] == [
        [str(v) for v in row] for row in render.figure_rows(report)
    ]
    render.as_docx(report, tmp_path / "r.docx")
    doc = Document(str(tmp_path / "r.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "1. Kết nạp đảng viên" in text
    header = doc.tables[0].rows[0].cells
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1].text and "Số …-BC/…" in header[0].text
    assert "Nơi nhận:" in doc.tables[-1].rows[0].cells[0].text
    docx_rows = {
        (r.cells[0].text, c): r.cells[i + 1].text
        for t in doc.tables[1:-1]
        for r in t.rows[1:]
        for i, (c, _) in enumerate(report.columns)
    }
    md = render.markdown(report)
    for _period, _section, label, code, _, value, _ in render.figure_rows(report):
        assert docx_rows[(label, code)] == str(value)
    decided = next(r for r in report.rows if r.label == "Quyết định kết nạp")
    cells = " | ".join(str(report.shown(c, decided)) for c, _ in report.columns)
    previous = report.shown(report.unit, decided, before=True)
    assert f"| Quyết định kết nạp | {cells} | {previous} |" in md


def test_csv_states_the_period_and_the_previous_figure_of_every_unit(repo: TempRepo) -> None:
    report = _report(repo, "thu-nghiem", "2023-H2")
    lines = list(csv.reader(io.StringIO(render.as_csv(report).removeprefix(render.BOM))))
    assert lines[0] == [
        "Kỳ báo cáo", "Mục", "Chỉ tiêu", "Mã đơn vị", "Đơn vị", "Kỳ này", "Kỳ trước"
    ]  # fmt: skip
    decided = {row[3]: row for row in lines[1:] if row[2] == "Quyết định kết nạp"}
    assert decided["thu-nghiem"][0] == "6 tháng cuối năm 2023 (từ 01/07/2023 đến 31/12/2023)"
    assert decided["thu-nghiem"][1] == "1. Kết nạp đảng viên"
    # The admission example was decided in 2023-H1 in ban-mo: every unit has its own figure,
    # ban-mo's 1 shown "x", since it would give away the "< 3" of its grassroots unit.
    assert (decided["ban-mo"][5], decided["ban-mo"][6]) == ("0", "x")
    row = next(r for r in report.rows if r.label == "Quyết định kết nạp")
    assert row.before["ban-mo"] == 1
    assert (decided["khe-lam"][5], decided["khe-lam"][6]) == ("0", "0")


def test_workbook_opens_right(repo: TempRepo, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = _report(repo, "thu-nghiem", "2023-H2", commission=True)
    render.as_xlsx(report, tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Số liệu", "Phụ lục (mật)"]
    sheet = book["Số liệu"]
    assert sheet["A1"].value == (
        "Số liệu thực hiện Chỉ thị 28-CT/TW: Đảng bộ tỉnh Thử Nghiệm (dữ liệu mẫu), "
        "6 tháng cuối năm 2023 (từ 01/07/2023 đến 31/12/2023) (MẬT)"
    )
    # The commission's figures are not masked: every sheet is secret, on screen and in print.
    assert [each.oddHeader.center.text for each in book.worksheets] == ["MẬT", "MẬT"]
    staff = _report(repo, "thu-nghiem", "2023-H2")
    render.as_xlsx(staff, tmp_path / "s.xlsx")
    opened = load_workbook(tmp_path / "s.xlsx")
    assert not opened["Số liệu"]["A1"].value.endswith("(MẬT)")
    assert opened["Số liệu"].oddHeader.center.text is None
    assert [c.value for c in sheet[3]] == render.HEAD[1:] and sheet["A3"].font.b
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == f"A3:F{sheet.max_row}"
    assert sheet.column_dimensions["B"].width >= 40
    assert all(row[5] is not None for row in sheet.iter_rows(min_row=4, values_only=True))


def test_names_only_in_the_commissions_annex(repo: TempRepo) -> None:
    struck = next(  # a sample screening case struck off in 2025
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "cases").glob("*/screening/*.yaml"))
        if any(
            e["state"] == "struck_off" and e["date"].startswith("2025-")
            for e in yamlio.load_bytes(p.read_bytes())["history"]  # type: ignore[index]
        )
    )
    case_id = struck.rsplit("/", 1)[1].removesuffix(".yaml")
    repo.write(struck, (ROOT / struck).read_text(encoding="utf-8"))
    data = load(repo.root, "staff", AS_OF, models=True)
    name = next(c.subject.name for _, c in data.cases if c.id == case_id)
    staff = _report(repo, "thu-nghiem", "2025")
    assert _figure(staff, "Xóa tên") == 1 and staff.annex == []
    assert all(name not in text for text in (render.markdown(staff), render.as_csv(staff)))
    commission = _report(repo, "thu-nghiem", "2025", commission=True)
    assert [(a.case_id, a.name, a.what) for a in commission.annex] == [(case_id, name, "xóa tên")]
    assert commission.annex[0].unit.startswith("Chi bộ")
    day = commission.annex[0].day
    assert len(day) == 10 and day[2] == day[5] == "/", day  # dd/mm/yyyy
    text = render.markdown(commission)
    annex_at = text.index("## Phụ lục")
    assert name in text[annex_at:] and name not in text[:annex_at]


def test_the_commissions_markdown_is_marked_secret_at_its_head(repo: TempRepo) -> None:
    """The Word file and the workbook's annex say "MẬT"; the Markdown with the same names
    said it only as "(mật)" in the annex's heading, at the bottom."""
    commission = render.markdown(_report(repo, "thu-nghiem", "2025", commission=True))
    assert commission.startswith("**MẬT**\n\n# Báo cáo"), commission[:60]
    staff = render.markdown(_report(repo, "thu-nghiem", "2025"))
    assert "MẬT" not in staff and staff.startswith("# Báo cáo")


def test_report_columns_follow_the_unit_tree_as_the_site_does() -> None:
    """Units in the order governance lists them (as on the site), not by their codes: the
    province's own bloc (dk-nong-truong) came second, between Bản Mơ and Hoa Sơn."""
    from hoso.site.tree import children

    data = load(ROOT, "staff", AS_OF, models=True)
    g = data.governance
    report = compute([c for _, c in data.cases], data.plan, g, "thu-nghiem", Period.parse("2025"))
    assert [code for code, _ in report.columns] == ["thu-nghiem", *children(g, "thu-nghiem")]
    assert [code for code, _ in report.columns] != [
        "thu-nghiem",
        *sorted(children(g, "thu-nghiem")),
    ]


def test_the_site_shows_the_same_figures_as_the_report() -> None:
    from hoso.site.units import unit_page

    data = load(ROOT, "staff", AS_OF, models=True)
    report = compute(
        [c for _, c in data.cases], data.plan, data.governance, "khe-lam", Period.parse("2025-H2")
    )
    page = unit_page(data, "khe-lam")
    latest = page[page.index("### 6 tháng cuối năm 2025") : page.index('??? note "')]
    assert report.withheld  # khe-lam's figures that would give a "< 3" away: "x" on both
    for row in report.rows:
        now, before = row.values["khe-lam"], row.previous
        shown = report.shown("khe-lam", row), report.shown("khe-lam", row, before=True)
        sort = [v if v == s else 0 for v, s in zip((now, before), shown, strict=True)]
        assert (
            f'>{row.label.strip()}</td><td data-sort="{sort[0]}" class="hoso-so">{shown[0]}</td>'
            f'<td data-sort="{sort[1]}" class="hoso-so">{shown[1]}</td>'
        ) in latest


def test_plan_target_for_admissions() -> None:
    data = load(ROOT, "staff", AS_OF, models=True)
    year = compute(
        [c for _, c in data.cases], data.plan, data.governance, "thu-nghiem", Period.parse("2024")
    )
    half = compute(
        [c for _, c in data.cases], data.plan, data.governance, "khe-lam", Period.parse("2024-H1")
    )
    assert _figure(year, "Chỉ tiêu kết nạp theo kế hoạch") == 60 * 7  # 7 districts, 60 a year
    assert _figure(half, "Chỉ tiêu kết nạp theo kế hoạch") == 30


def test_ranking_and_organisation_discipline_rows() -> None:
    """Members by level in the rankings of the period's year, per unit, and organisations
    disciplined by form; the half-year before the rankings are made shows none."""
    data = load(ROOT, "staff", AS_OF, models=True)
    cases = [c for _, c in data.cases]

    def report(period: str) -> Report:
        return compute(
            cases,
            data.plan,
            data.governance,
            "khe-lam",
            Period.parse(period),
            rankings=data.rankings,
        )

    year = report("2024")
    ranked = [r for r in data.rankings if r.year == 2024]
    for level in ("good", "not_completed"):
        count = sum(m.level == level for r in ranked for m in r.members)
        assert count and _figure(year, f"Đảng viên {LEVEL_LABELS[level].lower()}") == count
    assert _figure(year, "Tổ chức cơ sở đảng đã xếp loại đảng viên") == len(ranked)
    assert _figure(year, "Đảng viên hoàn thành tốt nhiệm vụ", "khe-lam-x05") == 0
    assert _figure(report("2024-H1"), "Tổ chức cơ sở đảng đã xếp loại đảng viên") == 0
    org = [
        e
        for c in cases
        if c.kind == "org_discipline" and data.governance.is_within(c.cell, "khe-lam")
        for e in c.history
        if e.state == "decided" and e.date.year == 2024 and getattr(e, "form", "") == "warning"
    ]
    assert _figure(year, "Kỷ luật tổ chức đảng: cảnh cáo") == len(org)


def _decided_by(repo: TempRepo, body: str) -> Report:
    """The discipline example with its decision made by ``body``."""
    repo.place(EXAMPLES / "valid/boundary-discipline-last-day-of-limitation.yaml")
    data = load(repo.root, "staff", AS_OF, models=True)
    _grassroots_standing(data.governance)
    cases = []
    for _, case in data.cases:
        history = [
            e.model_copy(update={"body": body}) if e.state == "decided" else e  # type: ignore[union-attr]
            for e in case.history
        ]
        cases.append(case.model_copy(update={"history": history}))
    return compute(cases, data.plan, data.governance, "thu-nghiem", Period.parse("2020-H2"))


def _grassroots_standing(governance: Governance) -> None:
    """A standing committee for a grassroots committee (its code ends like a district's)."""
    executive = governance.committees["khe-lam-x01.executive"]
    governance.committees["khe-lam-x01.standing"] = executive.model_copy(
        update={"id": "khe-lam-x01.standing", "kind": "standing"}
    )


def test_discipline_is_classed_by_the_deciding_bodys_place_in_the_tree(repo: TempRepo) -> None:
    from hoso.reports.bodies import deciding_class

    governance = load(ROOT, "staff", AS_OF).governance
    assert deciding_class(governance, "khe-lam-x01-cb1") == "cell"
    assert deciding_class(governance, "khe-lam-x01-cb1.cell_committee") == "cell"
    assert deciding_class(governance, "khe-lam-x01.executive") == "grassroots"
    assert deciding_class(governance, "khe-lam-x02-bp.executive") == "grassroots"
    assert deciding_class(governance, "khe-lam-x01.inspection") == "inspection"
    assert deciding_class(governance, "khe-lam.standing") == "committee"
    assert deciding_class(governance, "thu-nghiem.executive") == "committee"
    assert deciding_class(governance, "khe-lam.organisation") is None
    assert deciding_class(governance, "khong-co.standing") is None
    _grassroots_standing(governance)
    assert deciding_class(governance, "khe-lam-x01.standing") == "grassroots"
    report = _decided_by(repo, "khe-lam-x01.standing")
    assert _figure(report, "Do đảng ủy cơ sở quyết định") == 1
    assert _figure(report, "Do chi bộ quyết định") == 0
    assert _figure(_decided_by(repo, "khe-lam.inspection"), "Do ủy ban kiểm tra quyết định") == 1


def test_a_decision_that_cannot_be_placed_is_not_counted(repo: TempRepo) -> None:
    from hoso.errors import HosoError

    with pytest.raises(HosoError, match="không xếp được cấp đã quyết định kỷ luật: 'ban-la'"):
        _decided_by(repo, "ban-la")


def test_figures_shared_between_periods_are_the_figures_of_each_period() -> None:
    """The site computes every half-year over the same records with one memo: each report
    must be the one computed alone, a case's steps out of order included."""
    data = load(ROOT, "staff", AS_OF, models=True)
    cases = [c for _, c in data.cases]
    shuffled = cases[0].model_copy(update={"history": list(reversed(cases[0].history))})
    cases = [shuffled, *cases[1:]]
    memo: dict[object, object] = {}
    for label in ("2019-H1", "2019-H2", "2020-H1", "2021-H2", "2023-H1", "2025-H2", "2026-H1"):
        period = Period.parse(label)
        for unit in ("thu-nghiem", "khe-lam"):
            shared = compute(cases, data.plan, data.governance, unit, period, memo=memo)
            alone = compute(cases, data.plan, data.governance, unit, period)
            assert shared.rows == alone.rows, (label, unit)


def test_overdue_at_the_end_of_a_period_is_counted_on_the_history_as_it_stood() -> None:
    """A case counts as overdue at a period's end when what it owed by then was past due, even
    if it was settled later; one begun after the end, or settled by it, owes nothing. Checked
    against a plain count over every case of the sample, for every half-year."""
    from hoso.rules.deadlines import pending
    from hoso.rules.workflow import WORKFLOWS

    data = load(ROOT, "staff", AS_OF, models=True)
    cases = [c for _, c in data.cases]

    def overdue(end: date) -> tuple[int, int]:
        steps = transfers = 0
        for case in cases:
            events = [e for e in case.history if e.date <= end]
            state = str(getattr(events[-1], "state", "")) if events else ""
            if not events or WORKFLOWS[case.kind].steps[state].final:
                continue
            then = case.model_copy(update={"history": events, "status": state})
            dues = [d.due for d in pending(then, data.governance)]
            late = bool(dues) and min(dues) < end
            steps += late
            transfers += late and case.kind == "transfer"
        return steps, transfers

    counted = 0
    memo: dict[object, object] = {}
    for year in range(2019, 2027):
        for half in ("H1", "H2"):
            period = Period.parse(f"{year}-{half}")
            report = compute(cases, data.plan, data.governance, "thu-nghiem", period, memo=memo)
            figures = (
                _figure(report, "Hồ sơ có bước quá hạn"),
                _figure(report, "trong đó: chuyển sinh hoạt quá hạn"),
            )
            assert figures == overdue(period.end), period.label
            counted += figures[0]
    assert counted > 0


def test_a_period_not_begun_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    from hoso.cli.main import main

    year = date.today().year + 1
    assert main(["report", "--period", str(year), "--unit", "khe-lam", "--repo", str(ROOT)]) == 2
    assert f"bắt đầu ngày 01/01/{year}, chưa đến" in capsys.readouterr().err
