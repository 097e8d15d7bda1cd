"""The summary page and the rules page: site data in, Markdown out. Tested without mkdocs."""

from __future__ import annotations

from collections.abc import Mapping

from hoso import labels
from hoso.models import KIND_LABELS
from hoso.rules.rulesets import RULE_SETS, Override, Value, in_force
from hoso.site import charts, tables
from hoso.site.aggregate import tallies
from hoso.site.data import SiteData, left_out
from hoso.site.plan import plan_table
from hoso.site.suppress import SECONDARY, withheld_note
from hoso.site.tables import Cell, Column
from hoso.site.tree import children, html_link, province, unit_path
from hoso.site.withheld import Measure, withheld

CASE_KINDS = [k for k in KIND_LABELS if k not in ("plan", "ranking")]


def dashboard(data: SiteData) -> str:
    g = data.governance
    top = tallies(data)[province(g)]
    here = "tong-hop.md"
    crossed = withheld(data) if data.audience == "staff" else frozenset()

    def n(value: int, measure: Measure, code: str = province(g)) -> str:
        return SECONDARY if (code, measure) in crossed else str(value)

    lines = [
        "# Số liệu tổng hợp",
        "",
        f"Số liệu đến ngày {labels.day(data.today)}, tính từ {n(top.total, 'total')} hồ sơ vụ "
        "việc của toàn tỉnh. Trang này chỉ có số liệu tổng hợp, không có thông tin cá nhân.",
        "",
        *left_out(data),
        "## Hồ sơ theo trạng thái ở từng đơn vị",
        "",
        charts.inline(charts.status_by_unit(data)),
        "",
        "## Kết nạp và đưa ra khỏi Đảng theo nửa năm",
        "",
        charts.inline(charts.flows_by_half_year(data)),
        "",
        "## Theo đơn vị",
        "",
        _districts(data, here),
        "",
        "## Theo loại và trạng thái",
        "",
    ]
    for kind in CASE_KINDS:
        rows = sorted(
            ((state, n) for (k, state), n in top.states.items() if k == kind),
            key=lambda row: labels.state_order(kind, row[0]),
        )
        if not rows:
            continue
        lines += [f"### {KIND_LABELS[kind]}", "", "| Trạng thái | Số hồ sơ |", "|---|---:|"]
        lines += [f"| {labels.state(kind, s)} | {n(v, ('state', kind, s))} |" for s, v in rows]
        total = n(sum(v for _, v in rows), ("kind", kind))
        lines += [f"| **Tổng** | **{total}** |", ""]
    lines += [
        *([f"*{withheld_note()}*", ""] if _crosses(data, crossed) else []),
        "## Kế hoạch 63-KH/TU: tiến độ",
        "",
        plan_table(data, None, here),
        "",
        f"Số liệu theo từng kỳ báo cáo ở trang [{g.units[province(g)].name}]"
        f"({unit_path(g, province(g))}).",
        "",
    ]
    return "\n".join(lines)


def _crosses(data: SiteData, crossed: frozenset[tuple[str, Measure]]) -> bool:
    """Whether a figure of the province or of a district is shown as "x" on the page."""
    top = province(data.governance)
    return any(code == top or code in children(data.governance, top) for code, _ in crossed)


def _districts(data: SiteData, here: str) -> str:
    g = data.governance
    all_tallies = tallies(data)
    columns = [
        Column("Đơn vị"),
        *(Column(KIND_LABELS[k], numeric=True) for k in CASE_KINDS),
        Column("Đang xử lý", numeric=True),
        Column("Có bước quá hạn", numeric=True),
    ]
    rows: list[list[tables.Value]] = []
    crossed = withheld(data) if data.audience == "staff" else frozenset()
    measures: list[Measure] = [("kind", k) for k in CASE_KINDS] + ["open", "overdue"]
    for code in children(g, province(g)):
        t = all_tallies[code]
        values = [t.kinds[k] for k in CASE_KINDS] + [t.open, t.overdue]
        rows.append(
            [
                Cell(g.units[code].name, href=html_link(here, unit_path(g, code))),
                *(
                    Cell(SECONDARY, sort="0") if (code, m) in crossed else Cell(str(v), sort=str(v))
                    for v, m in zip(values, measures, strict=True)
                ),
            ]
        )
    return tables.table(columns, rows, label="Hồ sơ theo đơn vị", filter=False, search=True)


def _amount(key: str, value: Value) -> str:
    """The value as people say it: an age in "tuổi", anything else as the rule set says."""
    if "_age_" in key and value.unit == "years":
        return f"{value.amount} tuổi"
    return value.describe()


def render_rules(overrides: Mapping[str, Override] | None = None) -> str:
    """Every rule value, per rule set, with its source and whether a province may change it.
    The rule's code (what ``rule_overrides`` names) is left out: a province's administrator
    finds it in ``hoso.rules.rulesets``, staff need only the rule in words."""
    lines = [
        "# Các quy định về thời hạn, tỷ lệ và độ tuổi",
        "",
        "Công cụ kiểm tra hồ sơ theo bộ quy định có hiệu lực vào ngày của từng bước. "
        "Cột “Mức” cho biết giá trị chắc đến đâu:",
        "",
        "- **chắc chắn**: văn bản của Đảng ghi rõ con số này; tỉnh không thay được.",
        "- **cần kiểm tra**: con số lấy từ tài liệu hướng dẫn, chưa đối chiếu được với văn bản "
        "gốc; nếu văn bản áp dụng ở tỉnh ghi khác, cán bộ quản trị kho của tỉnh sửa lại trong "
        "tệp cài đặt của tỉnh.",
        "",
    ]
    for national in RULE_SETS:
        rule_set = in_force(national.effective, overrides)
        lines += [
            f"## Từ ngày {labels.day(rule_set.effective)}",
            "",
            "Văn bản: " + "; ".join(rule_set.texts) + ".",
            "",
            "| Quy định | Giá trị | Căn cứ | Mức |",
            "|---|---|---|---|",
        ]
        for key, value in rule_set.values.items():
            level = "chắc chắn" if value.firmness == "firm" else "cần kiểm tra"
            stated = national.values[key]
            if value.amount != stated.amount:  # the province's own value
                level += f"; tỉnh đã quy định, tài liệu ghi {_amount(key, stated)}"
            lines.append(f"| {value.label} | {_amount(key, value)} | {value.source} | {level} |")
        lines.append("")
    return "\n".join(lines)
