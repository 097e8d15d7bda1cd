"""The report's figures on district and province pages: the latest half-year that has data
first, every earlier one folded below it; each section under its own heading, "trong đó" rows
explained. The same computation as ``hoso report``."""

from __future__ import annotations

from datetime import date

from hoso import labels
from hoso.models import RankingRecord
from hoso.reports.figures import Period, Report, Row, compute, within_note
from hoso.site import tables
from hoso.site.data import SiteData
from hoso.site.suppress import SECONDARY, withheld_note
from hoso.site.tables import Cell, Column


def periods_with_data(
    halves: set[tuple[int, bool]], rankings: list[RankingRecord], today: date
) -> list[Period]:
    """The half-years in which the cases recorded a step (``halves``: year, and whether the
    second half, up to today) or a ranking was made (at the end of its year), newest first."""
    ends = (date(r.year, 12, 31) for r in rankings)
    found = {Period.half_of(date(year, 12 if second else 6, 1)) for year, second in halves}
    found |= {Period.half_of(end) for end in ends if end <= today}
    return sorted(found, key=lambda p: p.start, reverse=True)


def _halves(data: SiteData, cell: str) -> set[tuple[int, bool]]:
    """The half-years in which the cases of one unit's own (``by_cell``) recorded a step up
    to today, worked out once: a unit's are those of every unit under it."""
    memo: dict[str, set[tuple[int, bool]]] = data.memo.setdefault("halves", {})  # type: ignore[assignment]
    found = memo.get(cell)
    if found is None:
        today = data.today
        found = memo[cell] = {
            (e.date.year, e.date.month > 6)
            for c in data.facts_by_cell().get(cell, ())
            for e in c.history
            if e.date <= today
        }
    return found


def _figure(report: Report, code: str, row: Row, before: bool, staff: bool) -> Cell:
    """A figure as the staff's report shows it ("x" where it would give a small count away,
    sorted as 0 so that its place in a sorted column says nothing), or as it is."""
    value = row.before[code] if before else row.values[code]
    shown = report.shown(code, row, before) if staff else value
    return Cell(str(shown), sort=str(value) if shown == value else "0")


def _tables(report: Report, code: str, indent: str, staff: bool) -> list[str]:
    """Each section under its own heading, its figures in a table left out of the search index
    (numbers are not what people search for)."""
    lines: list[str] = []
    columns = [Column("Chỉ tiêu"), Column("Kỳ này", numeric=True), Column("Kỳ trước", numeric=True)]
    for number, section in enumerate(report.sections, 1):
        rows = [r for r in report.rows if r.section == section]
        values: list[list[tables.Value]] = [
            [
                Cell(r.label.strip(), mark="hoso-trong-do" if r.within else None),
                _figure(report, code, r, False, staff),
                _figure(report, code, r, True, staff),
            ]
            for r in rows
        ]
        lines += [
            f"{indent}**{number}. {section}**",
            "",
            indent + tables.table(columns, values, label=section, filter=False),
            "",
        ]
        if any(r.within for r in rows):
            lines += [f"{indent}*{within_note(section)}*", ""]
        if any(cell.text == SECONDARY for row in values for cell in row[1:]):  # type: ignore[union-attr]
            lines += [f"{indent}*{withheld_note()}*{{ .hoso-ghi-chu }}", ""]
    return lines


def report_of(data: SiteData, code: str, period: Period) -> Report:
    """The staff's report of one unit alone for a period, as ``hoso report`` works it out (what
    it hides, the site hides too), reusing what the site has worked out already."""
    memo: dict[object, object] = data.memo.setdefault("figures", {})  # type: ignore[assignment]
    g = data.governance
    cells = data.facts_by_cell()
    mine = [c for unit in sorted(g.subtree(code)) for c in cells.get(unit, ())]
    return compute(
        mine, data.plan, g, code, period, rankings=data.rankings, children=False, memo=memo
    )


def period_sections(data: SiteData, code: str) -> list[str]:
    g = data.governance
    staff = data.audience == "staff"
    cells = data.facts_by_cell()
    under = sorted(g.subtree(code))
    mine = [c for unit in under for c in cells.get(unit, ())]
    ranked = [r for r in data.rankings if g.is_within(r.organisation, code)]
    halves: set[tuple[int, bool]] = set().union(*(_halves(data, unit) for unit in under))
    periods = periods_with_data(halves, ranked, data.today)
    lines = ["## Số liệu theo kỳ báo cáo", ""]
    if not periods:
        return [*lines, "Chưa có bước nào được ghi trong các hồ sơ của đơn vị.", ""]
    lines += [
        "Cùng số liệu với báo cáo định kỳ (`hoso report`). Kỳ gần nhất có số liệu hiện trước; "
        "bấm vào một kỳ khác để xem.",
        "",
    ]
    # What one period works out, the next reuses; a case's overdue steps, every page.
    memo: dict[object, object] = data.memo.setdefault("figures", {})  # type: ignore[assignment]
    for n, whole in enumerate(periods):
        until = min(whole.end, data.today)
        # The current half-year runs to today: what is overdue is judged today, not at its end.
        period = Period(whole.label, whole.start, until)
        report = compute(
            mine,
            data.plan,
            g,
            code,
            period,
            commission=not staff,
            rankings=data.rankings,
            children=False,
            memo=memo,
        )
        title = (
            f"{period.name[0].upper()}{period.name[1:]} (từ {labels.day(period.start)} "
            f"đến {labels.day(until)})"
        )
        if n == 0:
            lines += [f"### {title}", "", *_tables(report, code, "", staff)]
        else:
            lines += [f'??? note "{title}"', "", *_tables(report, code, "    ", staff)]
    return lines
