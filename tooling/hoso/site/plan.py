"""The plan's progress: each task a district must do, its deadline or rhythm in words, and for
each district a status that follows the figures (a target is met only by the count it sets)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hoso import labels
from hoso.models import PlanRecord
from hoso.models.plan import Task
from hoso.site.data import SiteData
from hoso.site.tree import children

RECURRENCE_WORDS = {
    "once": "một lần",
    "monthly": "hằng tháng",
    "half_yearly": "6 tháng một lần",
    "yearly": "hằng năm",
    "continuous": "thường xuyên",
}
REPORT_STATUS_WORDS = {
    "not_started": "chưa bắt đầu",
    "in_progress": "đang thực hiện",
    "done": "đã xong",
}


def _districts(data: SiteData, unit: str | None) -> list[str]:
    g = data.governance
    if unit is not None and g.units[unit].level == "district":
        return [unit]
    return [
        c
        for c in children(g, unit or data.governance.settings.province)  # type: ignore[union-attr]
        if g.units[c].level == "district"
    ]


def _admitted(data: SiteData, district: str, year: int) -> int:
    """Admission decisions in the district in the year: the figure the plan's target counts
    (the plan model names no figure; the only target it sets is new members admitted)."""
    found = data.memo.get("admitted")
    if not isinstance(found, Counter):
        found = data.memo["admitted"] = Counter(
            (unit.code, e.date.year)
            for case in data.facts
            if case.kind == "admission"
            for e in case.history
            if e.state == "decided"
            for unit in data.governance.lineage(case.cell)
        )
    return found[(district, year)]


def task_status(data: SiteData, plan: PlanRecord, task: Task, district: str) -> str:
    reports = [r for r in plan.reports if r.unit == district and r.task == task.id]
    done = next((r for r in reports if r.status == "done"), None)
    if task.target is not None:
        year = data.today.year
        count = _admitted(data, district, year)
        said: int | str = count
        if data.audience == "staff":
            # The year's report shows this figure: hidden there ("x"), hidden here.
            from hoso.reports.figures import Period
            from hoso.site.periods import report_of

            report = report_of(data, district, Period.parse(str(year)))
            row = next(r for r in report.rows if r.label == "Quyết định kết nạp")
            said = report.shown(district, row)
        if count >= task.target:
            return f"đạt chỉ tiêu năm {year} ({said}/{task.target})"
        return f"chưa đạt chỉ tiêu năm {year} ({said}/{task.target})"
    if task.deadline is not None:
        if done is None:
            return "quá hạn, chưa xong" if task.deadline < data.today else "chưa đến hạn"
        if done.date > task.deadline:
            return f"xong muộn ({labels.day(done.date)})"
        return f"xong đúng hạn ({labels.day(done.date)})"
    if not reports:
        return "chưa có báo cáo"
    latest = max(reports, key=lambda r: r.date)
    said = f"{REPORT_STATUS_WORDS[latest.status]}, báo cáo ngày {labels.day(latest.date)}"
    start = _current_round(task, data.today)
    if start is not None and latest.date < start:
        return f"chưa báo cáo kỳ này (lần gần nhất: {said})"
    return said


def _current_round(task: Task, today: date) -> date | None:
    """The first day of the round a recurring task is in today (this month, half-year, year)."""
    if task.recurrence == "monthly":
        return today.replace(day=1)
    if task.recurrence == "half_yearly":
        return date(today.year, 1 if today.month <= 6 else 7, 1)
    if task.recurrence == "yearly":
        return date(today.year, 1, 1)
    return None


def plan_table(data: SiteData, unit: str | None, source: str = "") -> str:
    """The district tasks of the plan: a column for each district under ``unit`` (or the one
    district ``unit`` is), named in words."""
    plan = data.plan
    if plan is None:
        return "Chưa có hồ sơ kế hoạch."
    districts = _districts(data, unit)
    g = data.governance
    head = " | ".join(labels.place(g.units[d].name) for d in districts)
    lines = [
        f"Kế hoạch {plan.document.number} ngày {labels.day(plan.document.date)}: các nhiệm vụ "
        "giao cho cấp huyện. Nhiệm vụ có chỉ tiêu được tính theo số quyết định kết nạp trong năm.",
        "",
        f"| Nhiệm vụ | Hạn | {head} |",
        "|---|---|" + "---|" * len(districts),
    ]
    for task in plan.tasks:
        if task.applies_to != "district":
            continue
        deadline = labels.day(task.deadline) if task.deadline else RECURRENCE_WORDS[task.recurrence]
        cells = " | ".join(task_status(data, plan, task, d) for d in districts)
        lines.append(f"| {task.title} | {deadline} | {cells} |")
    return "\n".join(lines)
