"""Charts drawn at build time as plain SVG, put inline in the page so that their tooltips work:
a title, axes with ticks, every value written, a legend; horizontal bars, whose labels sit above
them, so the chart reads on a phone as on a desk. No script, no web font, nothing fetched."""

from __future__ import annotations

from collections import Counter
from datetime import date
from html import escape

from hoso.reports.figures import Period, removal
from hoso.site.aggregate import tallies
from hoso.site.data import SiteData
from hoso.site.suppress import SECONDARY
from hoso.site.tree import children, province
from hoso.site.withheld import withheld

_COLOURS = {
    "open": "#b45309",
    "late": "#b91c1c",
    "done": "#15803d",
    "in": "#1d4ed8",
    "out": "#6b7280",
}
WIDTH = 480
_LEFT, _RIGHT = 12, 40
_FONT = 'font-family="system-ui, sans-serif" font-size="13" fill="#111827"'
_SMALL = 'font-family="system-ui, sans-serif" font-size="11" fill="#374151"'


def _ticks(top: int) -> list[int]:
    """Round steps from 0 past ``top``: about five of them."""
    top = max(top, 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            return list(range(0, top + step, step)) if top % step else list(range(0, top + 1, step))
    step = 10 ** len(str(top))
    return [0, step]


def _svg(height: int, body: list[str], title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="t d" class="hoso-svg">'
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _legend(items: list[tuple[str, str]], y: int) -> tuple[list[str], int]:
    """Legend entries, wrapped onto as many lines as the width needs."""
    out, x = [], _LEFT
    for key, label in items:
        width = 22 + int(len(label) * 6.6)
        if x + width > WIDTH - _RIGHT and x > _LEFT:
            x, y = _LEFT, y + 20
        out.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{_COLOURS[key]}"/>'
            f'<text x="{x + 16}" y="{y}" {_SMALL}>{escape(label)}</text>'
        )
        x += width
    return out, y + 24


def _axis(top: int, y0: int, y1: int, title: str) -> list[str]:
    """Vertical grid lines with their values under the bars, and the axis title."""
    ticks = _ticks(top)
    scale = (WIDTH - _LEFT - _RIGHT) / ticks[-1]
    out = []
    for tick in ticks:
        x = _LEFT + tick * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}" stroke="#e5e7eb"/>'
            f'<text x="{x:.1f}" y="{y1 + 14}" text-anchor="middle" {_SMALL}>{tick}</text>'
        )
    out.append(
        f'<line x1="{_LEFT}" y1="{y1}" x2="{WIDTH - _RIGHT}" y2="{y1}" stroke="#374151"/>'
        f'<text x="{WIDTH - _RIGHT}" y="{y1 + 30}" text-anchor="end" {_SMALL}>'
        f"{escape(title)}</text>"
    )
    return out


def _bars(
    rows: list[tuple[str, list[tuple[str, int, str]]]],
    legend: list[tuple[str, str]],
    title: str,
    axis: str,
    stacked: bool,
) -> str:
    """Horizontal bars, one group per row: the row's label above, then its bars (stacked into
    one, or one bar per series), each value written on or beside its bar."""
    legend_parts, y = _legend(legend, 20)
    body: list[str] = []
    top = max(
        [
            sum(v for _, v, _ in series) if stacked else max((v for _, v, _ in series), default=0)
            for _, series in rows
        ]
        + [1]
    )
    scale = (WIDTH - _LEFT - _RIGHT) / _ticks(top)[-1]
    start = y - 8
    bar = 16
    for label, series in rows:
        body.append(f'<text x="{_LEFT}" y="{y + 6}" {_FONT}>{escape(label)}</text>')
        y += 12
        x = float(_LEFT)
        for key, value, tip in series:
            width = value * scale
            if width:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar}" '
                    f'fill="{_COLOURS[key]}"><title>{escape(tip)}</title></rect>'
                )
            if stacked:
                if width >= 8 * len(str(value)) + 4:
                    body.append(
                        f'<text x="{x + width / 2:.1f}" y="{y + 12}" text-anchor="middle" '
                        f'font-family="system-ui, sans-serif" font-size="11" fill="#fff">'
                        f"{value}</text>"
                    )
                x += width
            else:
                body.append(f'<text x="{x + width + 4:.1f}" y="{y + 12}" {_SMALL}>{value}</text>')
                y += bar + 2
        if stacked:
            total = sum(v for _, v, _ in series)
            said = str(total) if series else SECONDARY  # a row withheld: no bar, no figure
            body.append(f'<text x="{x + 4:.1f}" y="{y + 12}" {_FONT}>{said}</text>')
            y += bar + 2
        y += 12
    # The grid goes under the bars and their values.
    return _svg(
        y + 40, legend_parts + _axis(top, start, y, axis) + body, title, f"{title}; {axis}."
    )


def status_by_unit(data: SiteData) -> str:
    """Per district: cases finished, in progress, and with an overdue step."""
    counts = tallies(data)
    crossed = withheld(data) if data.audience == "staff" else frozenset()
    rows: list[tuple[str, list[tuple[str, int, str]]]] = []
    for code in children(data.governance, province(data.governance)):
        t = counts[code]
        name = data.governance.units[code].name
        if any((code, m) in crossed for m in ("total", "open", "overdue", "done", "on_time")):
            rows.append((f"{name} (số liệu không ghi: {SECONDARY})", []))
            continue
        late = t.overdue
        done = t.total - t.open
        rows.append(
            (
                name,
                [
                    ("done", done, f"{name}: {done} hồ sơ đã kết thúc"),
                    ("open", t.open - late, f"{name}: {t.open - late} hồ sơ đang xử lý, đúng hạn"),
                    ("late", late, f"{name}: {late} hồ sơ có bước quá hạn"),
                ],
            )
        )
    legend = [("done", "đã kết thúc"), ("open", "đang xử lý"), ("late", "có bước quá hạn")]
    return _bars(rows, legend, "Hồ sơ theo trạng thái ở từng đơn vị", "Số hồ sơ", stacked=True)


def flows_by_half_year(data: SiteData) -> str:
    """Admissions decided and members taken out of the Party, per half-year."""
    # By (year, second half) first: a Period for each half-year, not for each step.
    ins: Counter[tuple[int, bool]] = Counter()
    outs: Counter[tuple[int, bool]] = Counter()
    for case in data.facts:
        for event in case.history:
            half = (event.date.year, event.date.month > 6)
            if case.kind == "admission" and event.state == "decided":
                ins[half] += 1
            if removal(case.kind, event):
                outs[half] += 1
    admitted: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    names: dict[str, str] = {}
    for year, second in ins + outs:
        period = Period.half_of(date(year, 12 if second else 6, 1))
        names[period.label] = period.name
        admitted[period.label] += ins[(year, second)]
        removed[period.label] += outs[(year, second)]
    rows = []
    for label in sorted(set(admitted) | set(removed), reverse=True):
        name = names[label]
        name = name[0].upper() + name[1:]
        hidden = _withheld(data, label) if data.audience == "staff" else set()
        series = []
        if "in" not in hidden:
            series.append(("in", admitted[label], f"{name}: {admitted[label]} quyết định kết nạp"))
        if "out" not in hidden:
            series.append(("out", removed[label], f"{name}: {removed[label]} người ra khỏi Đảng"))
        if hidden:
            name += f" (số liệu không ghi: {SECONDARY})"
        rows.append((name, series))
    legend = [("in", "quyết định kết nạp"), ("out", "xóa tên, cho ra khỏi Đảng, khai trừ")]
    return _bars(
        rows, legend, "Kết nạp và đưa ra khỏi Đảng theo nửa năm", "Số người", stacked=False
    )


_REMOVAL_ROWS = (
    "Xóa tên",
    "Cho ra khỏi Đảng",
    "Xóa tên khỏi danh sách đảng viên dự bị",
    "Khai trừ",
)
"""The report's rows that ``removal`` counts together."""


def _withheld(data: SiteData, label: str) -> set[str]:
    """The series of a half-year ("in", "out") that the province's report of it hides: a
    figure shown "x" there, or a sum with one, is not drawn here either."""
    from hoso.site.periods import report_of

    top = province(data.governance)
    whole = Period.parse(label)
    period = Period(whole.label, whole.start, min(whole.end, data.today))
    report = report_of(data, top, period)
    crossed = {row.label for row in report.rows if report.shown(top, row) == SECONDARY}
    out = set()
    if "Quyết định kết nạp" in crossed:
        out.add("in")
    if crossed & set(_REMOVAL_ROWS):
        out.add("out")
    return out


def inline(svg: str) -> str:
    """A chart for a Markdown page: one HTML block, left out of the search index."""
    return f'<div class="hoso-bieu-do" data-search-exclude>{svg}</div>'
