"""The case table shared by unit pages and the home tiles' lists: subject, kind, state, latest
step and its day, overdue flag; sortable and filterable in the browser."""

from __future__ import annotations

from collections.abc import Iterable

from hoso import labels
from hoso.models import Case
from hoso.site import tables
from hoso.site.data import SiteData
from hoso.site.tables import Cell, Column
from hoso.site.tree import case_path, html_link


def case_table(
    data: SiteData, cases: Iterable[Case], source: str, label: str, unit: bool = False
) -> str:
    """A table of cases linked from the page at ``source``; ``unit`` adds the cell's name."""
    g = data.governance
    columns = [
        Column("Mã hồ sơ"),
        Column("Người (tổ chức)"),
        *([Column("Chi bộ", choice=True)] if unit else []),
        Column("Loại", choice=True),
        Column("Bước gần nhất", choice=True),
        Column("Ngày"),
        Column("Quá hạn", choice=True),
    ]
    rows: list[list[tables.Value]] = []
    keys = []
    for case in sorted(cases, key=lambda c: (data.info(c).last_day, c.id), reverse=True):
        info = data.info(case)
        late = "; ".join(info.overdue)
        rows.append(
            [
                Cell(case.id, href=html_link(source, case_path(case.id))),
                data.who(case),
                *([labels.unit(g, case.cell)] if unit else []),
                labels.kind(case.kind),
                info.last_step,
                Cell(labels.day(info.last_day), sort=f"{info.last_day:%Y%m%d}"),
                Cell("có" if late else "không", mark="hoso-tre" if late else None, sort=late),
            ]
        )
        keys.append(" ".join(u.name for u in g.lineage(case.cell)))
    return tables.table(columns, rows, label=label, keys=keys)
