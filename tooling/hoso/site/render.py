"""Pure page renderers: site data in, Markdown out. Tested without mkdocs."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from hoso import labels
from hoso.models import KIND_LABELS, STATE_LABELS, Case, OrgDisciplineCase
from hoso.models.common import CaseBase
from hoso.models.ranking import LEVEL_LABELS, LEVELS
from hoso.rules.competence import bodies, place_of
from hoso.rules.deadlines import pending
from hoso.rules.standing import standing_of
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS
from hoso.site.data import SiteData
from hoso.views.timeline import describe_event

CASE_KINDS = [k for k in KIND_LABELS if k not in ("plan", "ranking")]


def _district(case: Case) -> str:
    return case.unit


def _overdue(data: SiteData, case: Case) -> list[str]:
    return data.overdue(case)


def dashboard(data: SiteData) -> str:
    by_kind = Counter((c.kind, c.status) for _, c in data.cases)
    lines = [
        "# Tổng quan",
        "",
        f"Số liệu đến ngày {data.today:%d/%m/%Y}, tính từ {len(data.cases)} hồ sơ vụ việc. "
        "Trang này chỉ có số liệu tổng hợp, không có thông tin cá nhân.",
        "",
        *(
            [
                f"**Số liệu chưa đầy đủ: {len(data.unread)} tệp hồ sơ không đọc được nên không "
                "được tính trên trang này.**",
                "",
            ]
            if data.unread
            else []
        ),
        "![Hồ sơ theo trạng thái ở từng đơn vị](bieu-do/trang-thai-theo-don-vi.svg)",
        "",
        "![Kết nạp và đưa ra khỏi Đảng theo nửa năm](bieu-do/ket-nap-theo-nua-nam.svg)",
        "",
    ]
    lines += ["## Theo loại và trạng thái", ""]
    for kind in CASE_KINDS:
        rows = sorted((status, n) for (k, status), n in by_kind.items() if k == kind)
        if not rows:
            continue
        lines += [f"### {KIND_LABELS[kind]}", "", "| Trạng thái | Số hồ sơ |", "|---|---:|"]
        lines += [f"| {STATE_LABELS[kind].get(s, s)} | {n} |" for s, n in rows]
        lines += [f"| **Tổng** | **{sum(n for _, n in rows)}** |", ""]
    lines += ["## Theo đơn vị", "", _unit_table(data, _districts(data)), ""]
    if data.audience == "audit":
        lines += ["## Kiểm toán", "", "[Kết quả kiểm toán lịch sử Git](kiem-toan.md)", ""]
    lines += ["## Kế hoạch 63-KH/TU: tiến độ", "", plan_table(data, None), ""]
    return "\n".join(lines)


def _districts(data: SiteData) -> list[str]:
    return sorted(u.code for u in data.governance.units.values() if u.level == "district")


def _unit_table(data: SiteData, units: Iterable[str]) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    overdue: Counter[str] = Counter()
    for _, case in data.cases:
        for unit in units:
            if data.governance.is_within(case.cell, unit):
                counts[unit][case.kind] += 1
                overdue[unit] += bool(_overdue(data, case))
    head = "| Đơn vị | " + " | ".join(KIND_LABELS[k] for k in CASE_KINDS) + " | Quá hạn |"
    lines = [head, "|---|" + "---:|" * (len(CASE_KINDS) + 1)]
    for unit in units:
        name = data.governance.units[unit].name
        cells = " | ".join(str(counts[unit][k]) for k in CASE_KINDS)
        lines.append(f"| [{name}](don-vi/{unit}.md) | {cells} | {overdue[unit]} |")
    return "\n".join(lines)


def plan_table(data: SiteData, unit: str | None) -> str:
    plan = data.plan
    if plan is None:
        return "Chưa có hồ sơ kế hoạch."
    districts = [unit] if unit else _districts(data)
    done = {(r.unit, r.task): r for r in plan.reports if r.status == "done"}
    lines = [
        "| Nhiệm vụ | Hạn | " + " | ".join(_unit_name(data, d) for d in districts) + " |",
        "|---|---|" + "---|" * len(districts),
    ]
    for task in plan.tasks:
        if task.applies_to != "district":
            continue
        cells = []
        for code in districts:
            report = done.get((code, task.id))
            if report is None:
                late = task.deadline is not None and task.deadline < data.today
                cells.append("quá hạn" if late else "chưa xong")
            elif task.deadline and report.date > task.deadline:
                cells.append(f"xong muộn ({report.date:%d/%m/%Y})")
            else:
                cells.append("xong")
        deadline = f"{task.deadline:%d/%m/%Y}" if task.deadline else task.recurrence
        lines.append(f"| {task.title} | {deadline} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def unit_page(data: SiteData, code: str) -> str:
    unit = data.governance.units[code]
    mine = [(rel, c) for rel, c in data.cases if data.governance.is_within(c.cell, code)]
    children = sorted(u.code for u in data.governance.units.values() if u.parent == code)
    lines = [
        f"# {unit.name}",
        "",
        f"Mã đơn vị `{code}`; {len(mine)} hồ sơ trong đơn vị và các đơn vị trực thuộc.",
        "",
    ]
    counts = Counter((c.kind, c.status) for _, c in mine)
    if counts:
        lines += ["| Loại | Trạng thái | Số hồ sơ |", "|---|---|---:|"]
        lines += [
            f"| {KIND_LABELS[k]} | {STATE_LABELS[k].get(s, s)} | {n} |"
            for (k, s), n in sorted(counts.items())
        ]
        lines.append("")
    if children:
        lines += ["## Đơn vị trực thuộc", ""]
        lines += [f"- [{data.governance.units[c].name}]({c}.md)" for c in children]
        lines.append("")
    late = [(rel, c, _overdue(data, c)) for rel, c in mine]
    late = [item for item in late if item[2]]
    lines += ["## Việc quá hạn", ""]
    if not late:
        lines.append("Không có việc quá hạn.")
    elif data.audience == "staff":
        by_kind = Counter(c.kind for _, c, _ in late)
        lines += [
            f"- {KIND_LABELS[k]}: {n} hồ sơ có bước quá hạn" for k, n in sorted(by_kind.items())
        ]
    else:
        lines += [f"- [{c.id}](../ho-so/{c.id}.md): {'; '.join(items)}" for _, c, items in late]
    lines += ["", *ranking_table(data, code)]
    if unit.level == "district":
        lines += ["", "## Tiến độ kế hoạch", "", plan_table(data, code)]
        lines += ["", *period_figures(data, code)]
    if data.audience != "staff" and mine:
        lines += ["", "## Hồ sơ", "", "| Mã | Loại | Trạng thái |", "|---|---|---|"]
        lines += [
            f"| [{c.id}](../ho-so/{c.id}.md) | {KIND_LABELS[c.kind]} | "
            f"{STATE_LABELS[c.kind][c.status]} |"
            for _, c in sorted(mine, key=_key)
        ]
    return "\n".join(lines) + "\n"


def ranking_table(data: SiteData, code: str) -> list[str]:
    """Members ranked at each level per year in the unit: counts only, for every audience."""
    mine = [r for r in data.rankings if data.governance.is_within(r.organisation, code)]
    lines = ["## Xếp loại chất lượng đảng viên", ""]
    if not mine:
        return [*lines, "Chưa có kết quả xếp loại."]
    head = " | ".join(LEVEL_LABELS[k] for k in LEVELS)
    lines += [f"| Năm | Tổ chức cơ sở | {head} |", "|---:|---:|" + "---:|" * len(LEVELS)]
    for year in sorted({r.year for r in mine}):
        those = [r for r in mine if r.year == year]
        counts: Counter[str] = Counter(str(m.level) for r in those for m in r.members)
        cells = " | ".join(str(counts[k]) for k in LEVELS)
        lines.append(f"| {year} | {len({r.organisation for r in those})} | {cells} |")
    return lines


def period_figures(data: SiteData, code: str) -> list[str]:
    """The last complete half-year's report figures: the same computation as ``hoso report``."""
    from hoso.reports.figures import Period, compute

    half = "H1" if data.today.month > 6 else "H2"
    year = data.today.year if half == "H1" else data.today.year - 1
    period = Period.parse(f"{year}-{half}")
    report = compute(
        [c for _, c in data.cases], data.plan, data.governance, code, period, rankings=data.rankings
    )
    lines = [
        f"## Số liệu {period.name}",
        "",
        f"Cùng số liệu với báo cáo định kỳ (`hoso report --period {period.label} --unit {code}`).",
        "",
        "| Mục | Chỉ tiêu | Kỳ này | Kỳ trước |",
        "|---|---|---:|---:|",
    ]
    lines += [
        f"| {r.section} | {r.label.strip()} | {r.values[code]} | {r.previous} |"
        for r in report.rows
    ]
    return lines


def _unit_name(data: SiteData, code: str) -> str:
    unit = data.governance.units.get(code)
    return unit.name if unit else code


def _body_name(data: SiteData, code: str) -> str:
    committee = data.governance.committees.get(code)
    return committee.name if committee else _unit_name(data, code)


def _key(item: tuple[str, Case]) -> str:
    return item[1].id


def case_page(data: SiteData, rel: str, case: Case, approvals: dict[str, str]) -> str:
    """One case for the commission and auditors: personal values yes, confidential never."""
    workflow = WORKFLOWS[case.kind]
    if isinstance(case, OrgDisciplineCase):
        about = f"- Tổ chức đảng: {_body_name(data, case.organisation)}"
        where = f"- Đơn vị: {_unit_name(data, case.unit)}"
    else:
        s = case.subject
        about = (
            f"- Người: {s.name}, sinh ngày {labels.day(s.birth_date)}, "
            f"{labels.label('sex', s.sex)}, dân tộc {s.ethnicity}, "
            f"{labels.label('standing', str(standing_of(case)))}"
        )
        where = f"- Đơn vị: {_unit_name(data, case.unit)}; {_unit_name(data, case.cell)}"
    lines = [
        f"# {case.id}: {KIND_LABELS[case.kind]}",
        "",
        about,
        where,
        f"- Trạng thái: **{STATE_LABELS[case.kind][case.status]}**",
        f"- Tệp: `{rel}`",
        "",
        "## Diễn biến",
        "",
    ]
    for event in case.history:
        # The same words as `hoso show`, as a list: a monospace block would misplace the
        # Vietnamese diacritics in fonts that lack precomposed letters.
        first, *details = describe_event(
            case.kind, event, data.governance, codes=False
        ).splitlines()
        day, _, what = first.partition("  ")
        lines.append(f"- **{day}**: {what}")
        lines += [f"    - {detail.strip()}" for detail in details]
    following = workflow.next_states(case.status)
    lines += ["", "## Bước tiếp theo", ""]
    if not following:
        lines.append("Hồ sơ đã kết thúc.")
    place = place_of(case, data.governance) if isinstance(case, CaseBase) else None
    for state in following:
        actor = workflow.steps[state].actor
        who = bodies(actor, place) if place else None
        named = (
            "; ".join(labels.body(data.governance, b) for b in sorted(who))
            if who
            else ACTOR_LABELS[actor]
        )
        lines.append(f"- {STATE_LABELS[case.kind][state]} (do {named})")
    dues = pending(case, data.governance)
    if dues:
        lines += ["", "## Thời hạn", ""]
        for due in dues:
            flag = " (quá hạn)" if due.due < data.today else ""
            lines.append(f"- {due.what}: trước {labels.day(due.due)}{flag}")
    if approvals:
        lines += ["", "## Phê duyệt trong lịch sử Git", ""]
        lines += [f"- {line}" for line in approvals.values()]
    return "\n".join(lines) + "\n"
