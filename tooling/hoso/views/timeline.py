"""One case as a person reads it: timeline, where it stands, what comes next and by when."""

from __future__ import annotations

from datetime import date

from hoso import labels
from hoso.governance import Governance
from hoso.models import Case, OrgDisciplineCase
from hoso.models.common import EventBase
from hoso.rules.deadlines import pending
from hoso.rules.standing import standing_of
from hoso.rules.votes import denominator


def describe_event(kind: str, event: EventBase, governance: Governance) -> str:
    """One event: its day and step, then who acted, the document, the vote, the introducers and
    the rest, each by its label."""
    state = str(getattr(event, "state", ""))
    parts = [
        f"{labels.day(event.date)}  {labels.state(kind, state)}",
        f"    thực hiện: {labels.body(governance, event.body)}",
    ]
    if event.document:
        doc = event.document
        issuer = labels.body(governance, doc.issuer)
        parts.append(f"    văn bản: {doc.number} ngày {labels.day(doc.date)} ({issuer})")
    if event.vote:
        v = event.vote
        parts.append(
            f"    biểu quyết ({labels.label('method', v.method)}): "
            f"{v.in_favour}/{denominator(kind, state, v)} "
            f"tán thành, {v.against} không tán thành, {v.abstain} không biểu quyết; "
            f"có mặt {v.present}"
        )
    parts += [f"    {title}: {value}" for title, value in labels.event_facts(event)]
    introducers = getattr(event, "introducers", None) or []
    if introducers:
        parts.append(
            "    người giới thiệu: "
            + "; ".join(
                f"{i.name} ({labels.label('introducer', i.kind)}, "
                f"{labels.label('known_through', i.known_through or 'work')} từ "
                f"{labels.day(i.known_since)})"
                for i in introducers
            )
        )
    for vote in getattr(event, "form_votes", None) or []:
        parts.append(f"    phiếu {labels.label('form', vote.form)}: {vote.votes}")
    if getattr(event, "late_reason", None):
        parts.append(f"    lý do chậm: {event.late_reason}")  # type: ignore[attr-defined]
    if event.note:
        parts.append(f"    ghi chú: {event.note}")
    return "\n".join(parts)


def header(case: Case, governance: Governance) -> list[str]:
    """Who the case is about and where, with the kind's own facts, by their labels."""
    if isinstance(case, OrgDisciplineCase):
        lines = [
            f"{case.id}: {labels.kind(case.kind)}",
            f"Tổ chức đảng: {labels.body(governance, case.organisation)}",
            f"Đơn vị: {labels.unit(governance, case.unit)}",
        ]
    else:
        s = case.subject
        lines = [
            f"{case.id}: {labels.kind(case.kind)}",
            f"Người: {s.name}, sinh ngày {labels.day(s.birth_date)}, "
            f"{labels.label('sex', s.sex)}, dân tộc {s.ethnicity}, "
            f"{labels.label('standing', str(standing_of(case)))}",
            f"Đơn vị: {labels.unit(governance, case.unit)}; "
            f"chi bộ: {labels.unit(governance, case.cell)}",
        ]
    violation = getattr(case, "violation", None)
    if violation is not None:
        lines.append(
            f"Vi phạm ngày {labels.day(violation.date)} "
            f"({labels.label('category', violation.category)}): {violation.summary}"
        )
    transfer_type = getattr(case, "transfer_type", None)
    if transfer_type is not None:
        lines.append(
            f"Chuyển sinh hoạt {labels.label('transfer_type', transfer_type)}, "
            f"{labels.label('direction', case.direction)}: "  # type: ignore[union-attr]
            f"{case.counterpart}; ngày chuyển {labels.day(case.move_date)}"  # type: ignore[union-attr]
        )
    reason = getattr(case, "reason", None)
    if reason is not None and case.kind == "exemption":
        lines.append(f"Lý do miễn sinh hoạt: {labels.label('reason', reason)}")
    return lines


def render(case: Case, governance: Governance, as_of: date, following: list[str]) -> str:
    """The case for ``hoso show``; personal values yes (the reader is staff), confidential no.
    ``following`` are the lines on the next steps (worked out by the validator)."""
    kind = case.kind
    lines = [*header(case, governance), "", "Diễn biến:"]
    lines += [describe_event(kind, event, governance) for event in case.history]
    lines += ["", f"Trạng thái hiện tại: {labels.state(kind, case.status)}"]
    lines += following
    dues = pending(case, governance)
    if dues:
        lines += ["", "Thời hạn:"]
        for due in dues:
            left = (due.due - as_of).days
            when = f"quá hạn {-left} ngày" if left < 0 else f"còn {left} ngày"
            lines.append(f"  - {due.what}: trước {labels.day(due.due)} ({when})")
    return "\n".join(lines) + "\n"
