"""The auditors' page: the findings counted by kind and severity first, then listed kind by
kind in tables that scroll inside their frame; what a clone cannot prove, last. The findings
are the audit's own (``hoso.audit``); this module only lays them out."""

from __future__ import annotations

from collections import Counter

from hoso import labels
from hoso.audit.index import AuditFinding, Index
from hoso.audit.report import ANCHOR_NOTE, LIMITS, SEVERITY, anchors, kind_of
from hoso.site import tables
from hoso.site.tables import Cell, Column

_ORDER = {"high": 0, "medium": 1, "low": 2}


def page(index: Index, findings: list[AuditFinding]) -> str:
    lines = [
        "# Kiểm toán",
        "",
        f"Nhánh `{index.branch}`, đỉnh `{index.tip[:10]}`: {index.count} commit trên nhánh chính "
        f"({index.merges} lần hợp nhất), {len(findings)} phát hiện.",
        "",
    ]
    if findings:
        counted = Counter((kind_of(f), f.severity) for f in findings)
        rows: list[list[tables.Value]] = [
            [kind, SEVERITY[severity], Cell(str(n), sort=str(n))]
            for (kind, severity), n in sorted(
                counted.items(), key=lambda item: (_ORDER[item[0][1]], -item[1], item[0][0])
            )
        ]
        lines += [
            "## Tóm tắt theo loại và mức",
            "",
            tables.table(
                [Column("Loại phát hiện"), Column("Mức", choice=True), Column("Số", numeric=True)],
                rows,
                label="Phát hiện theo loại và mức",
                filter=False,
                search=True,
            ),
            "",
        ]
        by_kind: dict[str, list[AuditFinding]] = {}
        for f in sorted(findings, key=lambda f: _ORDER[f.severity]):
            by_kind.setdefault(kind_of(f), []).append(f)
        for kind, found in by_kind.items():
            lines += [f"## {kind}", "", f"{len(found)} phát hiện.", "", _table(kind, found), ""]
    else:
        lines += ["Không có phát hiện nào.", ""]
    lines += ["## Gốc của lịch sử", ""]
    lines += [f"- {line}" for line in anchors(index)]
    lines += ["", ANCHOR_NOTE, ""]
    lines += ["## Những điều kiểm toán không biết được", ""]
    lines += [f"- {limit}" for limit in LIMITS]
    return "\n".join(lines) + "\n"


def _table(kind: str, found: list[AuditFinding]) -> str:
    rows: list[list[tables.Value]] = [
        [
            SEVERITY[f.severity],
            f.commit[:10],
            f.merge_request or "—",
            f.path or "—",
            labels.days_in_text(f.message),
        ]
        for f in found
    ]
    columns = [
        Column("Mức", choice=True),
        Column("Commit"),
        Column("Yêu cầu hợp nhất"),
        Column("Tệp"),
        Column("Phát hiện"),
    ]
    return tables.table(columns, rows, label=kind, filter=len(rows) > 10, search=True)
