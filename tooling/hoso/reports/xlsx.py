"""The report as an Excel workbook: Vietnamese sheet names, a title row naming the unit and the
period, a frozen header with filters, widths that fit, and the previous period on every row."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from hoso.reports.figures import Report
from hoso.reports.render import HEAD, figure_rows, incomplete_note, span

SHEET = "Số liệu"
ANNEX_SHEET = "Phụ lục (mật)"
FIRST_ROW = 4
"""Row of the first figure: the title, a row that is blank (or says how many record files were
left out of the figures), then the header. What "< 3" means is said under the figures."""
_WIDTHS = [34, 52, 16, 34, 10, 10]


def write(report: Report, path: Path | BinaryIO) -> None:
    """The workbook, saved to the file ``path`` or into the open stream ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    head = HEAD[1:]
    sheet.append(
        [
            f"Số liệu thực hiện Chỉ thị 28-CT/TW: {report.unit_name}, {report.period.name} "
            f"({span(report)})" + (" (MẬT)" if report.confidential else "")
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([incomplete_note(report)] if report.left_out else [])
    sheet["A2"].font = Font(bold=True, color="C00000")
    sheet.append(head)
    for cell in sheet[FIRST_ROW - 1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in figure_rows(report):
        sheet.append(row[1:])
    last = get_column_letter(len(head))
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.auto_filter.ref = f"A{FIRST_ROW - 1}:{last}{sheet.max_row}"
    if report.hides:
        sheet.append([])
        sheet.append([report.small_note()])
        sheet.cell(sheet.max_row, 1).font = Font(italic=True)
    for n, width in enumerate(_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    if report.confidential:
        annex = book.create_sheet(ANNEX_SHEET)
        annex.append(
            [f"Danh sách đưa ra khỏi Đảng, {report.period.name}: {report.unit_name} (MẬT)"]
        )
        annex["A1"].font = Font(bold=True, size=13)
        annex.append([])
        annex.append(["Mã hồ sơ", "Họ và tên", "Chi bộ", "Hình thức", "Ngày"])
        for cell in annex[FIRST_ROW - 1]:
            cell.font = Font(bold=True)
        for item in report.annex:
            annex.append([item.case_id, item.name, item.unit, item.what, item.day])
        if not report.annex:
            annex.append(["Trong kỳ không có đảng viên nào bị đưa ra khỏi Đảng."])
        annex.freeze_panes = f"A{FIRST_ROW}"
        annex.auto_filter.ref = f"A{FIRST_ROW - 1}:E{annex.max_row}"
        for n, width in enumerate([18, 28, 34, 18, 12], 1):
            annex.column_dimensions[get_column_letter(n)].width = width
    if report.confidential:
        # The commission's workbook is secret as a whole, its figures unmasked: each sheet says
        # so at its head, on screen and on every printed page.
        for each in book.worksheets:
            each.oddHeader.center.text = "MẬT"
            each.oddHeader.center.size = 14
            each.oddHeader.center.font = "Times New Roman,Bold"
    book.properties.title = f"Số liệu {report.period.name}: {report.unit_name}"
    book.properties.category = "Báo cáo" + (" (MẬT)" if report.confidential else "")
    book.properties.language = "vi-VN"
    book.save(path)
