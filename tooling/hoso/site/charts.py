"""Charts drawn at build time as plain SVG: no script, no web font, nothing fetched."""

from __future__ import annotations

from collections import Counter
from html import escape

from hoso.rules.workflow import WORKFLOWS
from hoso.site.data import SiteData
from hoso.site.render import _districts, _overdue

_COLOURS = {
    "open": "#d97706",
    "late": "#b91c1c",
    "done": "#15803d",
    "in": "#1d4ed8",
    "out": "#9ca3af",
}
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'
_REMOVALS = {
    ("screening", "struck_off"),
    ("screening", "released"),
    ("admission", "struck_from_probation"),
}


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>\n"
    )


def status_by_unit(data: SiteData) -> str:
    """Per district: cases finished, in progress, and with an overdue step."""
    rows = []
    for code in _districts(data):
        counts: Counter[str] = Counter()
        for _, case in data.cases:
            if case.unit != code:
                continue
            if WORKFLOWS[case.kind].steps[case.status].final:
                counts["done"] += 1
            elif _overdue(data, case):
                counts["late"] += 1
            else:
                counts["open"] += 1
        rows.append((data.governance.units[code].name, counts))
    widest = max((sum(c.values()) for _, c in rows), default=1) or 1
    scale, left, bar = 400 / widest, 330, 18
    body = []
    for n, (name, counts) in enumerate(rows):
        y = 30 + n * (bar + 10)
        body.append(
            f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" {_FONT}>{escape(name)}</text>'
        )
        x = float(left)
        for key in ("done", "open", "late"):
            w = counts[key] * scale
            if w:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                    f'fill="{_COLOURS[key]}"><title>{counts[key]}</title></rect>'
                )
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + 13}" {_FONT}>{sum(counts.values())}</text>')
    legend = [("done", "đã kết thúc"), ("open", "đang xử lý"), ("late", "có bước quá hạn")]
    for i, (key, label) in enumerate(legend):
        body.append(
            f'<rect x="{left + i * 140}" y="6" width="12" height="12" '
            f'fill="{_COLOURS[key]}"/><text x="{left + i * 140 + 16}" y="16" {_FONT}>'
            f"{label}</text>"
        )
    return _svg(780, 40 + len(rows) * (bar + 10), body, "Hồ sơ theo trạng thái ở từng đơn vị")


def flows_by_half_year(data: SiteData) -> str:
    """Admissions decided and members removed, per half-year."""
    admitted: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for _, case in data.cases:
        for event in case.history:
            state = str(getattr(event, "state", ""))
            period = f"{event.date.year}-H{1 if event.date.month <= 6 else 2}"
            if case.kind == "admission" and state == "decided":
                admitted[period] += 1
            if (case.kind, state) in _REMOVALS or (
                case.kind == "discipline"
                and state == "decided"
                and getattr(event, "form", None) == "expulsion"
            ):
                removed[period] += 1
    periods = sorted(set(admitted) | set(removed))
    top = max([*admitted.values(), *removed.values(), 1])
    height, base, step = 290, 220, max(24, 660 // max(len(periods), 1))
    body = [
        f'<line x1="40" y1="{base}" x2="{40 + step * len(periods)}" y2="{base}" stroke="#374151"/>'
    ]
    for n, period in enumerate(periods):
        x = 44 + n * step
        for offset, counts, key in ((0, admitted, "in"), (step / 2 - 2, removed, "out")):
            h = counts[period] / top * 180
            body.append(
                f'<rect x="{x + offset:.1f}" y="{base - h:.1f}" width="{step / 2 - 4:.1f}" '
                f'height="{h:.1f}" fill="{_COLOURS[key]}"><title>{counts[period]}'
                "</title></rect>"
            )
        label_x, label_y = x + step / 2 - 2, base + 14
        body.append(
            f'<text x="{label_x:.1f}" y="{label_y}" text-anchor="end" '
            f'transform="rotate(-45 {label_x:.1f} {label_y})" {_FONT}>{period}</text>'
        )
    body += [
        f'<rect x="40" y="6" width="12" height="12" fill="{_COLOURS["in"]}"/>'
        f'<text x="56" y="16" {_FONT}>quyết định kết nạp</text>',
        f'<rect x="200" y="6" width="12" height="12" fill="{_COLOURS["out"]}"/>'
        f'<text x="216" y="16" {_FONT}>xóa tên, cho ra khỏi Đảng, khai trừ</text>',
    ]
    return _svg(
        max(720, 60 + step * len(periods)), height, body, "Kết nạp và đưa ra khỏi Đảng theo nửa năm"
    )
