"""Deadlines: when each timed step is due, late steps in a history, and what is due next.

A deadline runs from the step that starts its clock and is counted with the rule set in force
on that day. A step taken late is a warning (the record stays valid); so is a step still
pending after its due date (computed against "today", outside the cache).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from hoso.governance import CENTRAL_BODIES, Governance
from hoso.labels import body as body_label
from hoso.models import Case, PlanRecord, RankingRecord, Record
from hoso.rules.calendar import Calendar
from hoso.rules.dates import add_months
from hoso.rules.others import calendar_of
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import Override, in_force
from hoso.rules.workflow import WORKFLOWS, awaiting_answer
from hoso.validate.record import DueItems, Issue, register_due, register_warning


@dataclass(frozen=True)
class Deadline:
    """``state`` is due a time after the latest ``start`` (a state, or ``move_date``)."""

    kind: str
    state: str
    start: str
    what: str
    months: str | None = None
    workdays: str | None = None
    extension: str | None = None
    """A rule value added when the step records ``extended: true``."""
    central: str | None = None
    """The rule value that stands for ``months`` or ``workdays`` when the step that started
    the clock was taken by a body above the province (an appeal lodged with the centre)."""
    late_is_warning: bool = True
    """False for a review date: reaching it late breaks no rule."""
    from_document: bool = False
    """The clock runs from the date of the document the starting step records (a letter of
    introduction counts from its own date), when it records one."""
    official_only: bool = False
    """Only for an official transfer of activity, not a temporary one."""


DEADLINES: tuple[Deadline, ...] = (
    Deadline(
        "admission",
        "decided",
        "cell_voted",
        "Ra quyết định kết nạp",
        workdays="decision_workdays",
        extension="decision_extension_workdays",
    ),
    Deadline(
        "admission",
        "not_admitted",
        "cell_voted",
        "Ra quyết định không kết nạp",
        workdays="decision_workdays",
        extension="decision_extension_workdays",
    ),
    Deadline(
        "admission", "ceremony_held", "decided", "Tổ chức lễ kết nạp", workdays="ceremony_workdays"
    ),
    Deadline(
        "admission",
        "recognition_cell_voted",
        "ceremony_held",
        "Chi bộ xét công nhận đảng viên chính thức",
        months="probation_months",
        workdays="recognition_meeting_workdays",
    ),
    Deadline(
        "admission",
        "recognised",
        "recognition_cell_voted",
        "Ra quyết định công nhận đảng viên chính thức",
        workdays="recognition_decision_workdays",
    ),
    Deadline(
        "admission",
        "struck_from_probation",
        "recognition_cell_voted",
        "Ra quyết định xóa tên khỏi danh sách đảng viên dự bị",
        workdays="recognition_decision_workdays",
    ),
    Deadline(
        "screening",
        "cleared",
        "listed",
        "Đánh giá lại sau thời gian giáo dục, giúp đỡ",
        months="help_period_months",
        late_is_warning=False,
    ),
    Deadline(
        "screening",
        "complaint_answered",
        "complaint_lodged",
        "Trả lời khiếu nại xóa tên",
        workdays="complaint_answer_workdays",
        central="complaint_answer_workdays_central",
    ),
    Deadline(
        "discipline",
        "appeal_answered",
        "appealed",
        "Giải quyết khiếu nại kỷ luật",
        months="appeal_answer_months",
        central="appeal_answer_months_central",
    ),
    Deadline(
        "org_discipline",
        "appeal_answered",
        "appealed",
        "Giải quyết khiếu nại kỷ luật tổ chức đảng",
        months="appeal_answer_months",
        central="appeal_answer_months_central",
    ),
    Deadline(
        "transfer",
        "requested",
        "move_date",
        "Đảng viên đề nghị chuyển sinh hoạt",
        workdays="transfer_start_workdays",
        official_only=True,
    ),
    Deadline(
        "transfer",
        "presented",
        "letter_issued",
        "Nộp giấy giới thiệu cho nơi đến",
        workdays="transfer_present_workdays",
        from_document=True,
    ),
)
BY_STATE = {(d.kind, d.state): d for d in DEADLINES}


@dataclass(frozen=True)
class Due:
    """A step that is due: what, by when, reaching which state, and who acts."""

    what: str
    due: date
    state: str
    actor: str


def started(case: Case, deadline: Deadline, upto: int) -> date | None:
    """The day ``deadline`` starts to run: the latest start among the first ``upto`` events;
    None when it does not run for this case."""
    if deadline.official_only and getattr(case, "transfer_type", "official") != "official":
        return None
    if deadline.start == "move_date":
        return getattr(case, "move_date", None)
    event = _start(case, deadline, upto)
    if event is None:
        return None
    document = getattr(event, "document", None) if deadline.from_document else None
    day: date = document.date if document is not None else event.date
    return day


def _start(case: Case, deadline: Deadline, upto: int) -> Any:
    """The latest event among the first ``upto`` that starts ``deadline``'s clock."""
    found = None
    for event in case.history[:upto]:
        if event.state == deadline.start:
            found = event
    return found


def amounts(case: Case, deadline: Deadline, upto: int) -> tuple[str | None, str | None]:
    """The rule values (months, working days) that set ``deadline``: the central level's where
    a body above the province took the step that started it, or answered it (the step at
    ``upto``, when it is the one the deadline is for)."""
    if deadline.central and _central(case, deadline, upto):
        if deadline.months:
            return deadline.central, deadline.workdays
        return deadline.months, deadline.central
    return deadline.months, deadline.workdays


def _central(case: Case, deadline: Deadline, upto: int) -> bool:
    event = _start(case, deadline, upto)
    if event is not None and event.body in CENTRAL_BODIES:
        return True
    answer = case.history[upto] if upto < len(case.history) else None
    return answer is not None and answer.state == deadline.state and answer.body in CENTRAL_BODIES


def due_date(
    case: Case,
    deadline: Deadline,
    upto: int,
    calendar: Calendar,
    overrides: Mapping[str, Override],
    extended: bool = False,
) -> date | None:
    """When ``deadline`` falls, counted with the rule set in force on the day it starts."""
    start = started(case, deadline, upto)
    if start is None:
        return None
    rules = in_force(start, overrides)
    months, workdays = amounts(case, deadline, upto)
    due = add_months(start, rules.amount(months)) if months else start
    if workdays:
        days = rules.amount(workdays)
        if extended and deadline.extension:
            days += rules.amount(deadline.extension)
        due = calendar.add_workdays(due, days)
    return due


@register_warning
def late_steps(record: Record, governance: Governance) -> Iterator[Issue]:
    if isinstance(record, PlanRecord):
        yield from _late_reports(record, governance)
        return
    if isinstance(record, RankingRecord):
        return
    calendar = calendar_of(governance)
    overrides = overrides_of(governance)
    for index, event in enumerate(record.history):
        deadline = BY_STATE.get((record.kind, str(getattr(event, "state", ""))))
        if deadline is None or not deadline.late_is_warning:
            continue
        extended = bool(getattr(event, "extended", False))
        due = due_date(record, deadline, index, calendar, overrides, extended)
        if due is None:
            continue
        # Counted in working days, a step on the days off right after the last one is in time.
        if calendar.past(due, event.date) if deadline.workdays else event.date > due:
            # Late by the unit the deadline counts in: working days, or days of the calendar.
            late = (
                f"{calendar.workdays_between(due, event.date)} ngày làm việc"
                if deadline.workdays
                else f"{(event.date - due).days} ngày"
            )
            keys = amounts(record, deadline, index)
            on = started(record, deadline, index)
            rule = _rule_text(deadline, keys, on, overrides, extended)
            yield Issue(
                ("history", index, "date"),
                "deadline.late",
                f"{deadline.what} chậm {late} so với hạn {due} ({rule})",
                "warning",
            )


@register_due
def due_items(record: Record, governance: Governance) -> DueItems:
    return tuple((d.due.isoformat(), d.what) for d in pending(record, governance))


def pending(record: Record, governance: Governance) -> list[Due]:
    """What the organisation must do next on this case, with due dates where the rules set one."""
    if isinstance(record, PlanRecord):
        return _plan_pending(record, governance)
    if isinstance(record, RankingRecord):
        return []
    calendar = calendar_of(governance)
    overrides = overrides_of(governance)
    workflow = WORKFLOWS[record.kind]
    states = [e.state for e in record.history]
    if workflow.steps[record.status].final and not awaiting_answer(states):
        return []
    out = []
    clocks = set()
    for state in workflow.next_states(record.status):
        deadline = BY_STATE.get((record.kind, state))
        if deadline is None:
            continue
        due = due_date(record, deadline, len(record.history), calendar, overrides)
        # One thing is due per clock: the decision to admit or not is one decision, listed once.
        if due is not None and (deadline.start, due) not in clocks:
            clocks.add((deadline.start, due))
            out.append(Due(deadline.what, due, state, workflow.steps[state].actor))
    return out


def _rule_text(
    deadline: Deadline,
    amounts: tuple[str | None, str | None],
    on: date | None,
    overrides: Mapping[str, Override],
    extended: bool = False,
) -> str:
    """The values that set the deadline (``amounts``: its months and working days), cited
    from the rule set in force when it started (with the extension, when the step records
    one)."""
    if on is None:
        return ""
    rules = in_force(on, overrides)
    keys = list(amounts)
    if extended:
        keys.append(deadline.extension)
    parts = [rules[k] for k in keys if k]
    return "; ".join(f"{v.label}: {v.describe()}, {v.source}" for v in parts)


def _late_reports(plan: PlanRecord, governance: Governance) -> Iterator[Issue]:
    deadlines = {t.id: t.deadline for t in plan.tasks if t.deadline}
    titles = {t.id: t.title for t in plan.tasks}
    for index, report in enumerate(plan.reports):
        due = deadlines.get(report.task)
        if due is not None and report.status == "done" and report.date > due:
            yield Issue(
                ("reports", index, "date"),
                "deadline.late",
                f"{body_label(governance, report.unit)} hoàn thành nhiệm vụ "
                f"“{titles[report.task]}” ngày {report.date}, sau hạn {due}",
                "warning",
            )


def _plan_pending(plan: PlanRecord, governance: Governance) -> list[Due]:
    done = {(r.unit, r.task) for r in plan.reports if r.status == "done"}
    out = []
    for task in plan.tasks:
        units = [u.code for u in governance.units.values() if u.level == task.applies_to]
        if task.recurrence == "half_yearly":
            out += _half_years_unreported(plan, task.id, task.title, units, governance)
            continue
        if task.deadline is None:
            continue
        for unit in units:
            if (unit, task.id) not in done:
                what = f"{task.title} – {body_label(governance, unit)}"
                out.append(Due(what, task.deadline, task.id, "higher"))
    return out


def _half_year(day: date) -> tuple[int, int]:
    """The half-year ``day`` falls in: (year, 1) for January to June, (year, 2) after."""
    return day.year, 1 if day.month <= 6 else 2


def _half_years_unreported(
    plan: PlanRecord, task: str, title: str, units: list[str], governance: Governance
) -> list[Due]:
    """A task done every 6 months (the plan's reports, the higher committee's checks of each
    cell) is reported by each unit in every half-year from the plan's own: each half-year
    without a report is due by its last day, up to the one after the unit's latest report."""
    out = []
    for unit in units:
        reported = {_half_year(r.date) for r in plan.reports if r.unit == unit and r.task == task}
        rounds = [_half_year(plan.document.date)]
        while rounds[-1] < max(reported, default=rounds[0]) or rounds[-1] in reported:
            year, half = rounds[-1]
            rounds.append((year, 2) if half == 1 else (year + 1, 1))
        for year, half in rounds:
            if (year, half) not in reported:
                end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
                period = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
                what = f"{title} – {body_label(governance, unit)}, {period}"
                out.append(Due(what, end, task, "higher"))
    return out
