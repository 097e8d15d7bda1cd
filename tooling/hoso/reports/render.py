"""One report, four formats. All read the same ``Report``; none computes a figure. Markdown and
CSV are here; the workbook is ``xlsx.py``, the Word document ``docx.py``."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import BinaryIO

from hoso import clock, labels
from hoso.reports.figures import Report, within_note


def _header(report: Report) -> list[str]:
    return ["Chỉ tiêu", *(name for _, name in report.columns), "Kỳ trước (toàn đơn vị)"]


def span(report: Report) -> str:
    """The period's days: "từ 01/01/2025 đến 30/06/2025", and for a period not yet over
    "…; số liệu đến ngày 02/12/2026"."""
    days = f"từ {labels.day(report.period.start)} đến {labels.day(report.period.end)}"
    if report.as_of is not None and report.as_of < report.period.end:
        days += f"; số liệu đến ngày {labels.day(report.as_of)}"
    return days


def markdown(report: Report) -> str:
    lines = [
        *(["**MẬT**", ""] if report.confidential else []),
        f"# Báo cáo kết quả thực hiện Chỉ thị 28-CT/TW, {report.period.name}",
        "",
        f"{report.unit_name}, {span(report)}. Số liệu tính từ hồ sơ trong kho.",
        "",
        *([f"**{incomplete_note(report)}**", ""] if report.left_out else []),
        *([f"*{report.small_note()}*", ""] if report.hides else []),
    ]
    for number, section in enumerate(report.sections, 1):
        lines += [
            "",
            f"## {number}. {section}",
            "",
            "| " + " | ".join(_header(report)) + " |",
            "|---" + "|---:" * (len(report.columns) + 1) + "|",
        ]
        rows = [row for row in report.rows if row.section == section]
        for row in rows:
            values = " | ".join(str(report.shown(code, row)) for code, _ in report.columns)
            previous = report.shown(report.unit, row, before=True)
            lines.append(f"| {row.label.strip()} | {values} | {previous} |")
        if any(row.within for row in rows):
            lines += ["", within_note(section)]
    if report.confidential and not report.annex:
        lines += [
            "",
            "## Phụ lục (mật)",
            "",
            "Trong kỳ không có đảng viên nào bị đưa ra khỏi Đảng.",
        ]
    if report.annex:
        lines += [
            "",
            "## Phụ lục: danh sách đưa ra khỏi Đảng trong kỳ (mật)",
            "",
            "| Mã hồ sơ | Họ tên | Chi bộ | Hình thức | Ngày |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {a.case_id} | {a.name} | {a.unit} | {a.what} | {a.day} |" for a in report.annex
        ]
    return "\n".join(lines) + "\n"


def incomplete_note(report: Report) -> str:
    """What every format says when record files were left out of the figures."""
    return (
        f"Số liệu chưa đầy đủ: {report.left_out} tệp hồ sơ không đọc được nên không được tính "
        "trong báo cáo này."
    )


SECRET_NOTE = "MẬT: số liệu của ủy ban, không che số nhỏ; không sao chép hay chuyển cho người khác."
"""The first note of the commission's flat table, where the other formats print "MẬT"."""


HEAD = ["Kỳ báo cáo", "Mục", "Chỉ tiêu", "Mã đơn vị", "Đơn vị", "Kỳ này", "Kỳ trước"]
"""The columns of the flat table (CSV and the workbook)."""


def rows(report: Report) -> list[list[str | int]]:
    """The flat table of the CSV file: first, for the commission, a row marked "MẬT"; when
    records were left out, a row that says how many, and when a small count is hidden, a row
    that says what "< 3" means; then the figures (``figure_rows``)."""
    out: list[list[str | int]] = []
    period = f"{report.period.name} ({span(report)})"
    if report.confidential:
        # As the other formats made for the commission: its figures hide no small count.
        out.append([period, "Ghi chú", SECRET_NOTE, report.unit, report.unit_name, "", ""])
    if report.left_out:
        note = incomplete_note(report)
        out.append([period, "Ghi chú", note, report.unit, report.unit_name, report.left_out, ""])
    if report.hides:
        out.append([period, "Ghi chú", report.small_note(), report.unit, report.unit_name, "", ""])
    return out + figure_rows(report)


def figure_rows(report: Report) -> list[list[str | int]]:
    """The figures as flat rows: period, section, figure, unit code and name, this period and
    the previous one (for every unit; a hidden small count as "< 3")."""
    period = f"{report.period.name} ({span(report)})"
    out: list[list[str | int]] = []
    numbers = {section: n for n, section in enumerate(report.sections, 1)}
    for row in report.rows:
        section = f"{numbers[row.section]}. {row.section}"
        for code, name in report.columns:
            now = report.shown(code, row)
            before = report.shown(code, row, before=True)
            out.append([period, section, row.label.strip(), code, name, now, before])
    return out


BOM = "\ufeff"
"""Excel on Windows reads a CSV file as UTF-8 only when it starts with this mark."""


def as_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEAD)
    writer.writerows(rows(report))
    return BOM + buffer.getvalue()


def as_xlsx(report: Report, path: Path | BinaryIO) -> None:
    from hoso.reports import xlsx

    xlsx.write(report, path)


def as_docx(
    report: Report,
    path: Path | BinaryIO,
    template: bytes | None = None,
    number: str = "…-BC/…",
    place: str = "…",
    today: date | None = None,
    **details: object,
) -> None:
    from hoso.reports import docx

    docx.write(report, path, template, number, place, today or clock.today(), **details)  # type: ignore[arg-type]
