"""A unit's page: where it sits, its counts over everything under it, the units directly under
it (linked), its own cases (commission), the plan's progress and the report figures by period
(districts and the province). Staff pages show counts only, small ones as "< 3"."""

from __future__ import annotations

import json
from html import escape

from hoso import labels
from hoso.governance import Governance
from hoso.models import KIND_LABELS
from hoso.reports.figures import Period
from hoso.site import tables
from hoso.site.aggregate import Tally, tallies
from hoso.site.caselist import case_table
from hoso.site.counts import hidden, masked, note, shown, threshold
from hoso.site.data import SiteData, left_out
from hoso.site.periods import period_sections, report_of
from hoso.site.plan import plan_table
from hoso.site.suppress import SECONDARY, withheld_note
from hoso.site.tables import Cell, Column
from hoso.site.tree import breadcrumb, children, html_link, is_small, unit_path
from hoso.site.withheld import Measure, withheld

CASE_KINDS = [k for k in KIND_LABELS if k not in ("plan", "ranking")]


def count_cell(g: Governance, unit: str, value: int, staff: bool, crossed: bool = False) -> Cell:
    """A table cell of a unit's count, "< 3" where it is hidden and "x" where it is
    ``crossed`` out; a hidden count sorts as any other hidden one, so that neither the page's
    source nor the order of a sorted column tells 1 from 2."""
    if staff and crossed:
        return Cell(SECONDARY, raw=shown(g, unit, value, staff, True), sort="0.5")
    if hidden(g, unit, value, staff):
        return Cell(masked(threshold(g)), raw=shown(g, unit, value, staff), sort="0.5")
    return Cell(str(value), raw=shown(g, unit, value, staff), sort=str(value))


def _explained(data: SiteData, lines: list[str]) -> list[str]:
    """``lines`` with the note on what "< 3" means under each table that shows it (and at the
    end when only a sentence does)."""
    hidden = f">{escape(masked(threshold(data.governance)))}<"
    crossed = f">{SECONDARY}</span>"
    out: list[str] = []
    for line in lines:
        out.append(line)
        if line.startswith('<div class="hoso-bang"') and hidden in line:
            out += ["", f"*{note(data.governance)}*{{ .hoso-ghi-chu }}"]
        if line.startswith('<div class="hoso-bang"') and crossed in line:
            out += ["", f"*{withheld_note()}*{{ .hoso-ghi-chu }}"]
    if any(hidden in line for line in lines) and not any(note(data.governance) in x for x in out):
        out += ["", f"*{note(data.governance)}*{{ .hoso-ghi-chu }}", ""]
    if any(crossed in line for line in lines) and not any(withheld_note() in x for x in out):
        out += ["", f"*{withheld_note()}*{{ .hoso-ghi-chu }}", ""]
    return out


def unit_page(data: SiteData, code: str) -> str:
    g = data.governance
    unit = g.units[code]
    here = unit_path(g, code)
    staff = data.audience == "staff"
    tally = tallies(data)[code]

    crossed = withheld(data) if staff else frozenset()

    def n(value: int, measure: str) -> str:
        return shown(g, code, value, staff, (code, measure) in crossed)

    lines = []
    if unit.parent and unit.parent in g.units:
        lines += [breadcrumb(g, unit.parent, here), ""]
    lines += [
        f"# {unit.name}",
        "",
        *left_out(data),
        f"{labels.label('level', unit.level).capitalize()}; trong đơn vị và các đơn vị trực "
        f"thuộc có {n(tally.total, 'total')} hồ sơ, trong đó {n(tally.open, 'open')} đang xử "
        f"lý, {n(tally.overdue, 'overdue')} có bước quá hạn, {n(tally.soon, 'soon')} có bước "
        "đến hạn trong 30 ngày tới.",
        "",
    ]
    under = children(g, code)
    if under:
        lines += ["## Đơn vị trực thuộc", "", _children(data, here, under), ""]
    if staff:
        lines += _states(data, code, tally)
    else:
        lines += _cases(data, code, here, bool(under))
    lines += _ranking(data, code)
    if unit.level in ("district", "province"):
        lines += ["## Tiến độ kế hoạch", "", plan_table(data, code, here), ""]
        lines += period_sections(data, code)
    if staff:
        lines = _explained(data, lines)
    front = f"---\ntitle: {json.dumps(unit.name, ensure_ascii=False)}\n---\n\n"
    return front + "\n".join(lines) + "\n"


def _cases(data: SiteData, code: str, here: str, has_children: bool) -> list[str]:
    """The commission's part: the unit's own cases, and links to the lists of everything under
    it that needs attention."""
    unit = data.governance.units[code]
    tally = tallies(data)[code]
    own = data.by_cell().get(code, [])
    lines = ["## Hồ sơ của đơn vị", ""]
    if own:
        lines += [case_table(data, own, here, f"Hồ sơ của {unit.name}"), ""]
    elif not has_children:
        lines += ["Không có hồ sơ nào của đảng viên sinh hoạt ở đơn vị này.", ""]
    if has_children:
        lines += ["Hồ sơ của các đơn vị trực thuộc nằm ở trang của từng đơn vị; các danh sách:", ""]
        for slug, count, words in (
            ("dang-xu-ly", tally.open, "đang xử lý"),
            ("qua-han", tally.overdue, "có bước quá hạn"),
            ("sap-den-han", tally.soon, "có bước đến hạn trong 30 ngày"),
            ("cho-quyet-dinh", tally.awaiting, "chờ cấp có thẩm quyền quyết định"),
        ):
            target = html_link(here, f"danh-sach/{slug}.md")
            lines.append(
                f'- <a href="{target}?loc={_query(unit.name)}">{count} hồ sơ {words}</a> '
                "trong toàn đơn vị"
            )
        lines.append("")
    return lines


def _ranking(data: SiteData, code: str) -> list[str]:
    """Members ranked at each level per year in the unit: counts only, for every audience (a
    small unit's small counts masked on the staff site)."""
    from collections import Counter

    from hoso.models.ranking import LEVEL_LABELS, LEVELS

    g = data.governance
    staff = data.audience == "staff"
    mine = [r for r in data.rankings if g.is_within(r.organisation, code)]
    lines = ["## Xếp loại chất lượng đảng viên", ""]
    if not mine:
        return [*lines, "Chưa có kết quả xếp loại.", ""]
    # A small unit ranks its own members: how many organisations did is no news there.
    several = not is_small(g, code)
    columns = [
        Column("Năm"),
        *([Column("Tổ chức cơ sở", numeric=True)] if several else []),
        *(Column(LEVEL_LABELS[k], numeric=True) for k in LEVELS),
    ]
    rows: list[list[tables.Value]] = []
    for year in sorted({r.year for r in mine}, reverse=True):
        those = [r for r in mine if r.year == year]
        counts: Counter[str] = Counter(str(m.level) for r in those for m in r.members)
        organisations = len({r.organisation for r in those})
        # The year's report shows these figures too: each is hidden as the report hides it.
        crossed = set()
        if staff:
            report = report_of(data, code, Period.parse(str(year)))
            for row in report.rows:
                if report.shown(code, row) == SECONDARY:
                    crossed.add(row.label)
        rows.append(
            [
                str(year),
                *([Cell(str(organisations), sort=str(organisations))] if several else []),
                *(
                    count_cell(
                        g, code, counts[k], staff, f"Đảng viên {LEVEL_LABELS[k].lower()}" in crossed
                    )
                    for k in LEVELS
                ),
            ]
        )
    table = tables.table(columns, rows, label="Xếp loại chất lượng đảng viên", filter=False)
    return [*lines, table, ""]


def _query(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _children(data: SiteData, here: str, under: list[str]) -> str:
    g = data.governance
    staff = data.audience == "staff"
    all_tallies = tallies(data)
    columns = [
        Column("Đơn vị"),
        *(Column(KIND_LABELS[k], numeric=True) for k in CASE_KINDS),
        Column("Đang xử lý", numeric=True),
        Column("Có bước quá hạn", numeric=True),
    ]
    rows: list[list[tables.Value]] = []
    crossed = withheld(data) if staff else frozenset()
    measures: list[Measure] = [("kind", k) for k in CASE_KINDS] + ["open", "overdue"]
    for child in under:
        t = all_tallies[child]
        counts = [t.kinds[k] for k in CASE_KINDS] + [t.open, t.overdue]
        rows.append(
            [
                Cell(g.units[child].name, href=html_link(here, unit_path(g, child))),
                *(
                    count_cell(g, child, v, staff, (child, m) in crossed)
                    for v, m in zip(counts, measures, strict=True)
                ),
            ]
        )
    return tables.table(columns, rows, label="Đơn vị trực thuộc", filter=len(rows) > 8)


def _kind_order(kind: str) -> int:
    return CASE_KINDS.index(kind) if kind in CASE_KINDS else len(CASE_KINDS)


def _states(data: SiteData, code: str, tally: Tally) -> list[str]:
    """The staff's view of a unit's cases: how many in each state, no case named."""
    g = data.governance
    if not tally.total:
        return []
    columns = [Column("Loại", choice=True), Column("Trạng thái"), Column("Số hồ sơ", numeric=True)]
    crossed = withheld(data)
    rows: list[list[tables.Value]] = [
        [
            labels.kind(kind),
            labels.state(kind, state),
            count_cell(g, code, count, True, (code, ("state", kind, state)) in crossed),
        ]
        for (kind, state), count in sorted(
            tally.states.items(),
            key=lambda item: (_kind_order(item[0][0]), labels.state_order(*item[0])),
        )
    ]
    return [
        "## Hồ sơ theo loại và trạng thái",
        "",
        tables.table(columns, rows, label="Hồ sơ theo loại và trạng thái", filter=False),
        "",
    ]
