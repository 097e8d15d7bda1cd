"""One report, four formats. All read the same ``Report``; none computes a figure."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from hoso.reports.figures import Report


def _header(report: Report) -> list[str]:
    return ["Chỉ tiêu", *(name for _, name in report.columns), "Kỳ trước (toàn đơn vị)"]


def markdown(report: Report) -> str:
    lines = [
        f"# Báo cáo kết quả thực hiện Chỉ thị 28-CT/TW, {report.period.name}",
        "",
        f"{report.unit_name}, từ {report.period.start:%d/%m/%Y} đến "
        f"{report.period.end:%d/%m/%Y}. Số liệu tính từ hồ sơ trong kho.",
        "",
        *([f"**{incomplete_note(report)}**", ""] if report.left_out else []),
    ]
    section = ""
    for row in report.rows:
        if row.section != section:
            section = row.section
            lines += [
                "",
                f"## {section}",
                "",
                "| " + " | ".join(_header(report)) + " |",
                "|---" + "|---:" * (len(report.columns) + 1) + "|",
            ]
        values = " | ".join(str(row.values[code]) for code, _ in report.columns)
        lines.append(f"| {row.label.strip()} | {values} | {row.previous} |")
    if report.annex:
        lines += [
            "",
            "## Phụ lục: danh sách đưa ra khỏi Đảng trong kỳ (mật)",
            "",
            "| Mã hồ sơ | Họ tên | Hình thức | Ngày |",
            "|---|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in report.annex]
    return "\n".join(lines) + "\n"


def incomplete_note(report: Report) -> str:
    return (
        f"Số liệu chưa đầy đủ: {report.left_out} tệp hồ sơ không đọc được nên không được tính "
        "trong báo cáo này."
    )


def rows(report: Report) -> list[list[str | int]]:
    """The figures as flat rows: section, figure, unit, this period, previous period; first,
    when records were left out, a row that says how many."""
    out: list[list[str | int]] = []
    if report.left_out:
        name = report.unit_name
        out.append(["Ghi chú", incomplete_note(report), report.unit, name, report.left_out, ""])
    for row in report.rows:
        for code, name in report.columns:
            previous: str | int = row.previous if code == report.unit else ""
            out.append([row.section, row.label.strip(), code, name, row.values[code], previous])
    return out


HEAD = ["muc", "chi_tieu", "ma_don_vi", "don_vi", "ky_nay", "ky_truoc"]


def as_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEAD)
    writer.writerows(rows(report))
    return buffer.getvalue()


def as_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "So lieu"
    sheet.append(HEAD)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(report):
        sheet.append(row)
    if report.annex:
        annex = book.create_sheet("Phu luc (mat)")
        annex.append(["ma_ho_so", "ho_ten", "hinh_thuc", "ngay"])
        for item in report.annex:
            annex.append(list(item))
    book.save(path)


def as_docx(
    report: Report,
    path: Path,
    template: Path | None = None,
    number: str = "…-BC/…",
    place: str = "…",
    today: date | None = None,
) -> None:
    """A Vietnamese party administrative report: issuing body and "ĐẢNG CỘNG SẢN VIỆT NAM"
    header block, number and symbol, place-and-date line, title, numbered sections, "Nơi nhận"
    and the signature block. ``template`` supplies the styles an organisation prefers."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    day = today or date.today()
    doc = Document(str(template)) if template else Document()
    page = doc.sections[0]
    if not template:
        # Landscape: a column per unit under the report's unit.
        page.orientation = WD_ORIENT.LANDSCAPE
        page.page_width, page.page_height = page.page_height, page.page_width
    usable = (page.page_width or Cm(29.7)) - (page.left_margin or 0) - (page.right_margin or 0)
    first = Cm(7)
    other = int((usable - first) / (len(report.columns) + 1))
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = f"{report.unit_name.upper()}\n*\nSố {number}"
    right.text = (
        f"ĐẢNG CỘNG SẢN VIỆT NAM\n\n{place}, ngày {day.day} tháng {day.month} năm {day.year}"
    )
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("BÁO CÁO").bold = True
    subtitle = doc.add_paragraph(
        f"kết quả thực hiện Chỉ thị số 28-CT/TW ngày 21/01/2019 của Ban "
        f"Bí thư, {report.period.name} (từ {report.period.start:%d/%m/%Y}"
        f" đến {report.period.end:%d/%m/%Y})"
    )
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.left_out:
        doc.add_paragraph().add_run(incomplete_note(report)).bold = True
    section = ""
    table = None
    for row in report.rows:
        if row.section != section:
            section = row.section
            doc.add_paragraph().add_run(section).bold = True
            table = doc.add_table(rows=1, cols=len(report.columns) + 2)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, _header(report), strict=True):
                cell.text = text
        assert table is not None
        cells = table.add_row().cells
        for n, cell in enumerate(table.rows[0].cells + cells):
            cell.width = first if n % len(cells) == 0 else other
        cells[0].text = row.label.strip()
        for cell, (code, _) in zip(cells[1:], report.columns, strict=False):
            cell.text = str(row.values[code])
        cells[-1].text = str(row.previous)
    if report.annex:
        doc.add_page_break()  # type: ignore[no-untyped-call]
        doc.add_paragraph().add_run(
            "PHỤ LỤC: DANH SÁCH ĐƯA RA KHỎI ĐẢNG TRONG KỲ (MẬT)"
        ).bold = True
        annex = doc.add_table(rows=1, cols=4)
        annex.style = "Table Grid"
        for cell, text in zip(
            annex.rows[0].cells, ["Mã hồ sơ", "Họ tên", "Hình thức", "Ngày"], strict=True
        ):
            cell.text = text
        for item in report.annex:
            for cell, text in zip(annex.add_row().cells, item, strict=True):
                cell.text = text
    sign = doc.add_table(rows=1, cols=2)
    receivers, signer = sign.rows[0].cells
    receivers.text = "Nơi nhận:\n- Ban Thường vụ Tỉnh ủy (b/c),\n- Ban Tổ chức Tỉnh ủy,\n- Lưu."
    signer.text = "T/M BAN THƯỜNG VỤ\n\n\n\n(ký, ghi rõ họ tên)"
    for paragraph in signer.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.save(str(path))
