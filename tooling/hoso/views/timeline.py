"""One case as a person reads it: timeline, where it stands, what comes next and by when."""

from __future__ import annotations

from datetime import date

from hoso.governance import Governance
from hoso.models import KIND_LABELS, STATE_LABELS, Case
from hoso.models.common import EventBase
from hoso.rules.competence import bodies, place_of
from hoso.rules.deadlines import pending
from hoso.rules.votes import eligible
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS


def describe_event(kind: str, event: EventBase) -> str:
    state = str(getattr(event, "state", ""))
    parts = [
        f"{event.date}  {STATE_LABELS[kind].get(state, state)} ({state})",
        f"    thực hiện: {event.body}",
    ]
    if event.document:
        doc = event.document
        parts.append(f"    văn bản: {doc.number} ngày {doc.date} ({doc.issuer})")
    if event.vote:
        v = event.vote
        method = "bỏ phiếu kín" if v.method == "secret_ballot" else "giơ thẻ"
        parts.append(
            f"    biểu quyết ({method}): {v.in_favour}/{eligible(v)} tán thành, "
            f"{v.against} không tán thành, {v.abstain} không biểu quyết; "
            f"có mặt {v.present}"
        )
    form = getattr(event, "form", None)
    if form:
        parts.append(f"    hình thức: {form}")
    if event.note:
        parts.append(f"    ghi chú: {event.note}")
    return "\n".join(parts)


def render(case: Case, governance: Governance, as_of: date) -> str:
    """The case for ``hoso show``; personal values yes (the reader is staff), confidential no."""
    kind = case.kind
    workflow = WORKFLOWS[kind]
    lines = [
        f"{case.id}: {KIND_LABELS[kind]}",
        f"Người: {case.subject.name}; đơn vị: {case.unit}; chi bộ: {case.cell}",
        "",
        "Diễn biến:",
    ]
    lines += [describe_event(kind, event) for event in case.history]
    lines += ["", f"Trạng thái hiện tại: {STATE_LABELS[kind][case.status]} ({case.status})"]
    place = place_of(case, governance)
    following = workflow.next_states(case.status)
    if not following:
        lines.append("Hồ sơ đã kết thúc.")
    else:
        lines.append("Bước tiếp theo có thể:")
        for state in following:
            step = workflow.steps[state]
            who = bodies(step.actor, place) if place else None
            named = f": {', '.join(sorted(who))}" if who else ""
            lines.append(
                f"  - {state}: {STATE_LABELS[kind][state]} (do {ACTOR_LABELS[step.actor]}{named})"
            )
    dues = pending(case, governance)
    if dues:
        lines.append("Thời hạn:")
        for due in dues:
            left = (due.due - as_of).days
            when = f"quá hạn {-left} ngày" if left < 0 else f"còn {left} ngày"
            lines.append(f"  - {due.what}: trước {due.due} ({when})")
    return "\n".join(lines) + "\n"
