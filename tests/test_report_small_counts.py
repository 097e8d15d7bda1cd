"""The staff's report hides a small count of a small unit (grassroots organisation, partial
committee, cell) as the staff site does, in every format, and says what "< 3" means; the
commission's report shows every figure. One admission decided in 2023-H1 in a cell of ban-mo-x02
is the planted count of 1."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES, TempRepo
from hoso.reports import render
from hoso.reports.figures import Period, Report, compute
from hoso.site.data import load

PLANTED = "valid/boundary-age-exactly-18.yaml"
"""An admission decided on a day of 2023-H1 in cell ban-mo-x02-cb3."""
SMALL = ("1", "2")


def _report(repo: TempRepo, unit: str, commission: bool = False, period: str = "2023-H1") -> Report:
    repo.place(EXAMPLES / PLANTED)
    data = load(repo.root, "staff", AS_OF, models=True)
    cases = [c for _, c in data.cases]
    return compute(cases, data.plan, data.governance, unit, Period.parse(period), commission)


def _markdown(report: Report) -> list[tuple[str, str]]:
    """(unit code, figure) of every figure in the Markdown tables ("Kỳ trước" is the report's
    unit)."""
    codes = [code for code, _ in report.columns] + [report.unit]
    found = []
    for line in render.markdown(report).splitlines():
        if line.startswith("| ") and not line.startswith("| Chỉ tiêu"):
            cells = [c.strip() for c in line.strip("|").split("|")][1:]
            found += list(zip(codes, cells, strict=True))
    return found


def _csv(report: Report) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(render.as_csv(report).removeprefix(render.BOM))))
    figures = [r for r in rows[1:] if r[1] != "Ghi chú"]
    return [(r[3], r[5]) for r in figures] + [(r[3], r[6]) for r in figures]


def _xlsx(report: Report, path: Path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    render.as_xlsx(report, path)
    sheet = load_workbook(path)["Số liệu"]
    rows = [[str(v) for v in row] for row in sheet.iter_rows(min_row=4, values_only=True)]
    rows = [r for r in rows if r[4] != "None"]  # the note under the figures
    return [(r[2], r[4]) for r in rows] + [(r[2], r[5]) for r in rows]


def _docx(report: Report, path: Path) -> tuple[list[tuple[str, str]], str]:
    from docx import Document

    render.as_docx(report, path)
    doc = Document(str(path))
    codes = [code for code, _ in report.columns] + [report.unit]
    found = [
        (code, cell.text)
        for table in doc.tables[1:-1]  # between the masthead and the signature
        for row in table.rows[1:]
        for code, cell in zip(codes, row.cells[1:], strict=True)
    ]
    return found, "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.parametrize("unit", ["ban-mo", "ban-mo-x02"])
def test_a_planted_count_of_one_never_reaches_the_staff(
    repo: TempRepo, tmp_path: Path, unit: str
) -> None:
    report = _report(repo, unit)
    decided = next(r for r in report.rows if r.label == "Quyết định kết nạp")
    assert decided.values["ban-mo-x02"] == 1  # the planted count is there to hide
    small = {code for code, _ in report.columns if code != "ban-mo"}
    docx_figures, docx_text = _docx(report, tmp_path / "r.docx")
    formats = {
        "md": _markdown(report),
        "csv": _csv(report),
        "xlsx": _xlsx(report, tmp_path / "r.xlsx"),
        "docx": docx_figures,
    }
    for name, figures in formats.items():
        assert figures, name
        shown = [(code, value) for code, value in figures if code in small]
        assert ("ban-mo-x02", "< 3") in shown, name
        assert [f for f in shown if f[1] in SMALL] == [], name
    note = "“< 3” là có 1 hoặc 2"
    assert note in render.markdown(report) and note in render.as_csv(report)
    assert note in docx_text
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx")["Số liệu"]
    assert note in sheet.cell(sheet.max_row, 1).value
    assert sheet.auto_filter.ref.endswith(str(sheet.max_row - 2))  # the note is not filtered
    if unit == "ban-mo-x02":
        # The report of a small unit: no figure of its own in the sentences either.
        assert "quyết định kết nạp: < 3 (kỳ trước 0)" in docx_text
        assert not re.search(r": [12] \(kỳ trước|kỳ trước [12]\)", docx_text)
        assert not re.search(r"\| [12] \|", render.markdown(report))


def test_the_commission_sees_every_figure_and_no_note(repo: TempRepo, tmp_path: Path) -> None:
    report = _report(repo, "ban-mo-x02", commission=True)
    assert ("ban-mo-x02", "1") in _markdown(report)
    assert "< 3" not in render.markdown(report) and "< 3" not in render.as_csv(report)


def test_no_note_where_nothing_is_hidden(repo: TempRepo) -> None:
    report = _report(repo, "thu-nghiem", period="2015")  # districts only, nothing small
    assert not report.hides and "< 3" not in render.markdown(report)
    assert "“x”" not in render.markdown(report)


def test_a_district_figure_that_gives_a_small_count_away_is_withheld(repo: TempRepo) -> None:
    """The planted 1 is ban-mo's only admission decided in 2023-H1: its district's 1, shown
    beside units shown 0, would say that the "< 3" of ban-mo-x02 is 1."""
    report = _report(repo, "thu-nghiem")
    decided = next(r for r in report.rows if r.label == "Quyết định kết nạp")
    assert decided.values["ban-mo"] == 1 and report.shown("ban-mo", decided) == "x"
    text = render.markdown(report)
    assert "< 3" not in text and "“x” là số liệu không ghi" in text
    assert "“x” là số liệu không ghi" in render.as_csv(report)


def test_notes_an_unfinished_period_and_the_overdue_rows(repo: TempRepo) -> None:
    from hoso.reports.figures import CRITERIA_NOTE, SECTIONS, within_note

    report = _report(repo, "ban-mo")
    report.as_of = Period.parse("2023-H1").start.replace(month=5, day=2)
    text = render.markdown(report)
    assert "từ 01/01/2023 đến 30/06/2023; số liệu đến ngày 02/05/2023" in text
    assert "số liệu đến ngày 02/05/2023" in render.as_csv(report)
    overdue = text[text.index("Việc quá hạn cuối kỳ") :]
    overdue = overdue[: overdue.index("\n## ")]
    assert "nhiều tiêu chí" not in overdue and CRITERIA_NOTE.strip() in text
    assert within_note(SECTIONS["screening"]).endswith(CRITERIA_NOTE)


def test_a_half_years_admissions_are_set_against_half_the_yearly_target(tmp_path: Path) -> None:
    from docx import Document

    from conftest import ROOT

    data = load(ROOT, "staff", AS_OF, models=True)
    cases = [c for _, c in data.cases]
    report = compute(cases, data.plan, data.governance, "khe-lam", Period.parse("2026-H2"))
    render.as_docx(report, tmp_path / "r.docx")
    text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "kỳ này theo kế hoạch (một nửa chỉ tiêu cả năm)" in text
