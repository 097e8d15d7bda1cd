"""The report as a Word document laid out as Hướng dẫn 36-HD/VPTW lays out a party report: A4,
Times New Roman; the superior body, the issuing body in bold, "*" and the number on the left;
"ĐẢNG CỘNG SẢN VIỆT NAM" in bold underlined and the place and date in italics on the right;
"BÁO CÁO" and its summary; numbered sections with the tables inside them; "Nơi nhận" and the
signature block. The commission's version is marked "MẬT" and carries the named annex."""

from __future__ import annotations

import io
import os
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from hoso.labels import place
from hoso.reports import docxparts as parts
from hoso.reports.figures import Report, Row, within_note
from hoso.reports.issuer import Issuer, issuer
from hoso.reports.render import incomplete_note, span

WIDE = 4
"""Figures tables with more unit columns than this go on landscape pages."""
NARRATIVE = "(Phần này do cơ quan soạn thảo viết.)"


def in_words(day: date) -> str:
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


def title(report: Report) -> str:
    return (
        "Kết quả thực hiện Chỉ thị số 28-CT/TW ngày 21/01/2019 của Ban Bí thư, "
        + report.period.name
    )


TEMPLATE_CAP = 64 << 20
"""A unit's template is a few pages of styles; anything larger is not one."""

_NOT_REGULAR = {
    stat.S_IFIFO: "một đường ống FIFO",
    stat.S_IFSOCK: "một socket",
    stat.S_IFCHR: "một thiết bị",
    stat.S_IFBLK: "một thiết bị",
    stat.S_IFDIR: "một thư mục",
}


class TemplateError(ValueError):
    """The template cannot be used; the message says why, in Vietnamese."""


def read_template(path: Path) -> bytes:
    """The bytes of a Word template, checked to open as one. Opened without waiting on a FIFO
    and only if it is a regular file, so that a wrong path is refused at once."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise TemplateError(f"{path}: không mở được tệp: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = _NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "không rõ loại")
            raise TemplateError(f"{path}: không phải tệp thông thường ({what})")
        if info.st_size > TEMPLATE_CAP:
            raise TemplateError(f"{path}: tệp quá lớn cho một mẫu Word ({info.st_size:,} byte)")
        raw = os.read(fd, TEMPLATE_CAP + 1)
    except OSError as exc:
        raise TemplateError(f"{path}: không đọc được tệp: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    from docx import Document

    try:
        Document(io.BytesIO(raw))
    # A file that is not a Word document fails in many ways (not a zip, no document part,
    # another content type, broken XML); each means the same to the user.
    except Exception:
        raise TemplateError(f"{path}: không phải tệp Word (.docx) đọc được") from None
    return raw


def write(
    report: Report,
    path: Path | BinaryIO,
    template: bytes | None,
    number: str,
    place: str,
    day: date,
    governance: Any = None,
    signer: str = "",
    signer_title: str = "BÍ THƯ",
) -> None:
    from docx import Document

    who = _issuer(report, governance)
    doc = Document(io.BytesIO(template)) if template else Document()
    if not template:
        parts.house_style(doc)
        parts.a4(doc.sections[0])
    parts.page_numbers(doc.sections[0])
    _masthead(doc, report, who, number, place, day)
    if report.left_out:
        _paragraph(doc, incomplete_note(report), bold=True)
    _results(doc, report)
    _shortcomings(doc, report)
    _heading(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    _paragraph(doc, NARRATIVE, italic=True)
    _heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    _paragraph(doc, NARRATIVE, italic=True)
    _signature(doc, who, signer, signer_title)
    if report.confidential:
        _annex(doc, report, who, number, day)
    properties = doc.core_properties
    properties.title = f"Báo cáo {title(report)[0].lower()}{title(report)[1:]}"
    properties.subject = f"{report.unit_name}, {report.period.name}"
    properties.author = properties.last_modified_by = who.author
    properties.category = "Báo cáo" + (" (MẬT)" if report.confidential else "")
    properties.keywords = f"Chỉ thị 28-CT/TW; {number}"
    properties.language = parts.LANGUAGE
    properties.comments = "Lập bằng hoso từ hồ sơ trong kho; số liệu tính từ các bước đã ghi."
    properties.created = properties.modified = datetime(day.year, day.month, day.day)
    doc.save(str(path) if isinstance(path, Path) else path)


def _issuer(report: Report, governance: Any) -> Issuer:
    if governance is not None:
        return issuer(governance, report.unit)
    name = report.unit_name.upper()
    return Issuer(None, name, "T/M BAN THƯỜNG VỤ", ["Lưu."], report.unit_name)


def _masthead(doc: Any, report: Report, who: Issuer, number: str, place: str, day: date) -> None:
    from docx.shared import Cm

    head = doc.add_table(rows=1, cols=2)
    parts.no_borders(head)
    left, right = head.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    for cell in (left, right):
        _clear(cell)
    if who.superior:
        parts.centred(left, who.superior, size=14)
    parts.centred(left, who.name, size=14, bold=True)
    parts.centred(left, "*", size=14)
    parts.centred(left, f"Số {number}", size=14)
    if report.confidential:
        parts.stamp(parts.centred(left, "MẬT", size=14, bold=True))
    parts.centred(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
    parts.centred(right, "")
    parts.centred(right, f"{place}, {in_words(day)}", size=14, italic=True)
    parts.centred(doc, "")
    parts.centred(doc, "BÁO CÁO", size=16, bold=True)
    parts.centred(doc, title(report), size=14, bold=True)
    parts.centred(doc, "-----", size=14)
    parts.centred(doc, "")


def _clear(cell: Any) -> None:
    """A new cell holds one empty paragraph; ours are added after it, so it goes."""
    first = cell.paragraphs[0]._p
    first.getparent().remove(first)


def _heading(doc: Any, text: str) -> None:
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    parts.run(paragraph, text, bold=True)


def _paragraph(doc: Any, text: str, **style: Any) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    parts.run(paragraph, text, **style)
    return paragraph


def _results(doc: Any, report: Report) -> None:
    """Section I: for each group of figures a sentence and its table. Tables too wide for a
    portrait page follow the sentences on landscape pages of their own."""
    from docx.enum.section import WD_SECTION

    wide = len(report.columns) > WIDE
    _heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    _paragraph(
        doc,
        f"Số liệu {span(report)} tính từ hồ sơ của {report.unit_name} và các đơn vị trực thuộc"
        + ("; các bảng số liệu ở các trang sau." if wide else "."),
    )
    if report.hides:
        _paragraph(doc, report.small_note(), italic=True)
    groups = [
        (n, section, [row for row in report.rows if row.section == section])
        for n, section in enumerate(report.sections, 1)
    ]
    for number, section, rows in groups:
        _heading(doc, f"{number}. {section}")
        _paragraph(doc, _summary(report, rows))
        if not wide:
            _table(doc, report, rows)
    if wide:
        parts.a4(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        for number, section, rows in groups:
            _heading(doc, f"Bảng {number}. {section}")
            _table(doc, report, rows)
        parts.a4(doc.add_section(WD_SECTION.NEW_PAGE))


def _table(doc: Any, report: Report, rows: list[Row]) -> None:
    _figures(doc, report, rows)
    if any(row.within for row in rows):
        _paragraph(doc, within_note(rows[0].section), italic=True, size=parts.TABLE_PT)


def _summary(report: Report, rows: list[Row]) -> str:
    """The section's headline figures in a sentence, each beside the previous period's."""
    shown = [row for row in rows if not row.within][:4]
    unit = report.unit
    said = "; ".join(
        f"{row.label.strip().lower()}: {report.shown(unit, row)} "
        f"(kỳ trước {report.shown(unit, row, before=True)})"
        for row in shown
    )
    return f"Trong kỳ, toàn {report.unit_name}: {said}."


def _figures(doc: Any, report: Report, rows: list[Row]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    head = ["Chỉ tiêu", *(place(name) for _, name in report.columns), "Kỳ trước"]
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    section = doc.sections[-1]
    first = Cm(6)
    other = int((parts.usable_width(section) - first) / (len(head) - 1))
    for n, column in enumerate(table.columns):
        column.width = first if n == 0 else other
    parts.row_flags(table.rows[0], header=True)
    for n, (cell, text) in enumerate(zip(table.rows[0].cells, head, strict=True)):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.width = first if n == 0 else other
    for row in rows:
        added = table.add_row()
        parts.row_flags(added)
        label = row.label.strip()
        values = [str(report.shown(code, row)) for code, _ in report.columns]
        values.append(str(report.shown(report.unit, row, before=True)))
        _cell(added.cells[0], label, italic=bool(row.within), indent=bool(row.within))
        added.cells[0].width = first
        for cell, value in zip(added.cells[1:], values, strict=True):
            _cell(cell, value, align=WD_ALIGN_PARAGRAPH.RIGHT)
            cell.width = other


def _cell(cell: Any, text: str, align: Any = None, indent: bool = False, **style: Any) -> None:
    from docx.shared import Cm, Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = 0
    if indent:
        paragraph.paragraph_format.left_indent = Cm(0.5)
    if align is not None:
        paragraph.alignment = align
    parts.run(paragraph, text, size=parts.TABLE_PT, **style)


def _figure(report: Report, label: str) -> int:
    return next((r.values[report.unit] for r in report.rows if r.label.strip() == label), 0)


def _said(report: Report, label: str) -> str:
    """A figure of the report's unit in a sentence, "< 3" or "x" where the tables hide it."""
    row = next((r for r in report.rows if r.label.strip() == label), None)
    return str(report.shown(report.unit, row)) if row is not None else "0"


def _shortcomings(doc: Any, report: Report) -> None:
    _heading(doc, "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN")
    found = []
    late = _figure(report, "Hồ sơ có bước quá hạn")
    if late:
        said = _said(report, "Hồ sơ có bước quá hạn")
        found.append(f"cuối kỳ còn {said} hồ sơ có bước quá thời hạn quy định")
    open_tasks = _figure(report, "Nhiệm vụ chưa xong")
    late_tasks = _figure(report, "Nhiệm vụ xong muộn")
    if open_tasks or late_tasks:
        found.append(
            f"{_said(report, 'Nhiệm vụ chưa xong')} nhiệm vụ của kế hoạch đến hạn chưa xong, "
            f"{_said(report, 'Nhiệm vụ xong muộn')} nhiệm vụ xong muộn"
        )
    target = _figure(report, "Chỉ tiêu kết nạp theo kế hoạch")
    admitted = _figure(report, "Quyết định kết nạp")
    if target and admitted < target:
        whose = (
            "kỳ này theo kế hoạch (một nửa chỉ tiêu cả năm)"
            if "-H" in report.period.label
            else "cả năm của kế hoạch"
        )
        said = _said(report, "Quyết định kết nạp")
        found.append(f"kết nạp {said} đảng viên, chưa đạt chỉ tiêu {target} {whose}")
    if found:
        _paragraph(doc, "Theo số liệu trong kỳ: " + "; ".join(found) + ".")
    else:
        _paragraph(doc, "Số liệu trong kỳ không cho thấy việc quá hạn hay chỉ tiêu chưa đạt.")
    _paragraph(doc, "Nguyên nhân: " + NARRATIVE, italic=True)


def _signature(doc: Any, who: Issuer, signer: str, signer_title: str) -> None:
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=2)
    parts.no_borders(table)
    receivers, sign = table.rows[0].cells
    receivers.width, sign.width = Cm(8), Cm(8.5)
    for cell in (receivers, sign):
        _clear(cell)
    heading = receivers.add_paragraph()
    heading.paragraph_format.space_after = Pt(0)
    parts.run(heading, "Nơi nhận:", size=parts.RECEIVERS_PT, bold=True, italic=True, underline=True)
    for line in who.receivers:
        item = receivers.add_paragraph()
        item.paragraph_format.space_after = Pt(0)
        parts.run(item, f"- {line}", size=parts.RECEIVERS_PT)
    parts.centred(sign, who.authority, size=14, bold=True)
    parts.centred(sign, signer_title.upper(), size=14, bold=True)
    for _ in range(4):
        parts.centred(sign, "")
    parts.centred(sign, signer or "………………………………", size=14, bold=True)


def _annex(doc: Any, report: Report, who: Issuer, number: str, day: date) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc.add_page_break()
    parts.stamp(parts.centred(doc, "MẬT", size=14, bold=True))
    parts.centred(doc, "PHỤ LỤC", size=14, bold=True)
    parts.centred(
        doc,
        f"Danh sách đảng viên đưa ra khỏi Đảng {report.period.name} "
        f"({span(report)}) của {report.unit_name}",
        size=14,
        bold=True,
    )
    parts.centred(
        doc,
        f"(Kèm theo Báo cáo số {number}, {in_words(day)} của {who.author})",
        size=14,
        italic=True,
    )
    parts.centred(doc, "")
    if not report.annex:
        _paragraph(doc, "Trong kỳ không có đảng viên nào bị đưa ra khỏi Đảng.")
        return
    head = ["STT", "Mã hồ sơ", "Họ và tên", "Chi bộ", "Hình thức", "Ngày"]
    # 16.5 cm, the text width of a portrait page; "STT", an id and a day each on one line.
    widths = [Cm(w) for w in (1.4, 3.6, 3.5, 3.3, 2.2, 2.5)]
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    parts.row_flags(table.rows[0], header=True)
    for cell, text, width in zip(table.rows[0].cells, head, widths, strict=True):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.width = width
    for n, item in enumerate(report.annex, 1):
        row = table.add_row()
        parts.row_flags(row)
        values = [str(n), item.case_id, item.name, item.unit, item.what, item.day]
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            _cell(cell, value, align=WD_ALIGN_PARAGRAPH.RIGHT if value.isdigit() else None)
            cell.width = width
