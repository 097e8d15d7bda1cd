"""Who the subject is, by the steps: standing, the date of admission (party age counts from the
decision) and of recognition (12 months of probation after the ceremony, even if decided late).

An applicant's standing follows the admission history and need not be written; where it is
written it must match. A member's standing in the other kinds must agree with the dates given.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from hoso.governance import Governance
from hoso.labels import kind as kind_label
from hoso.labels import state_named
from hoso.models import (
    AdmissionCase,
    DisciplineCase,
    ExemptionCase,
    Record,
    ScreeningCase,
    TransferCase,
)
from hoso.models.admission import AdmissionEvent
from hoso.models.common import CaseBase, Standing
from hoso.rules.dates import add_months
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import in_force
from hoso.validate.record import Issue, register

STANDING_LABELS: dict[str, str] = {
    "candidate": "quần chúng",
    "probationary": "đảng viên dự bị",
    "official": "đảng viên chính thức",
}

_PROBATION = ("ceremony_held", "recognition_cell_voted", "recognition_grassroots_voted")


def admission_standings(states: Sequence[str]) -> tuple[Standing, ...]:
    """The standings an applicant may have after these steps: a non-member until the
    ceremony (either on the day of the decision), probationary from the ceremony, official
    once recognised, a non-member again once struck from the probationary list."""
    last = states[-1] if states else ""
    if last == "recognised":
        return ("official",)
    if last in _PROBATION:
        return ("probationary",)
    if last == "decided":
        return ("candidate", "probationary")
    return ("candidate",)


def standing_of(record: CaseBase) -> Standing | None:
    """The subject's standing now: derived for an applicant, as written for a member."""
    if isinstance(record, AdmissionCase):
        return admission_standings([e.state for e in record.history])[0]
    return record.subject.standing


@register
def subject_follows_history(record: Record, governance: Governance) -> Iterator[Issue]:
    if isinstance(record, AdmissionCase):
        yield from _applicant(record, governance)
    elif isinstance(record, (ScreeningCase, DisciplineCase, TransferCase, ExemptionCase)):
        yield from _member(record)


def _applicant(record: AdmissionCase, governance: Governance) -> Iterator[Issue]:
    subject = record.subject
    history = record.history
    allowed = admission_standings([e.state for e in history])
    if subject.standing is not None and subject.standing not in allowed:
        yield Issue(
            ("subject", "standing"),
            "record.standing",
            f"theo lịch sử (bước cuối {state_named('admission', history[-1].state)}) người này là "
            f"{' hoặc '.join(STANDING_LABELS[s] for s in allowed)} "
            f"({', '.join(allowed)}); nhận được {STANDING_LABELS[subject.standing]} "
            f"({subject.standing}). Có thể bỏ trường này: "
            "công cụ tự suy ra tư cách từ lịch sử",
        )
    decision = _last(history, "decided")
    if subject.admitted_on is not None:
        yield from _admitted(subject.admitted_on, decision)
    if subject.recognised_on is not None:
        yield from _recognised(record, subject.recognised_on, governance)


def _admitted(admitted_on: date, decision: AdmissionEvent | None) -> Iterator[Issue]:
    if decision is None:
        yield Issue(
            ("subject", "admitted_on"),
            "record.admitted_on",
            f"chưa có bước {state_named('admission', 'decided')}: không ghi ngày kết nạp",
        )
        return
    days = {decision.date, *([decision.document.date] if decision.document else [])}
    if admitted_on not in days:
        yield Issue(
            ("subject", "admitted_on"),
            "record.admitted_on",
            f"tuổi đảng tính từ ngày quyết định kết nạp ({min(days)}); nhận được {admitted_on}",
        )


def _recognised(
    record: AdmissionCase, recognised_on: date, governance: Governance
) -> Iterator[Issue]:
    ceremony = _last(record.history, "ceremony_held")
    if _last(record.history, "recognised") is None or ceremony is None:
        yield Issue(
            ("subject", "recognised_on"),
            "record.recognised_on",
            f"chưa có bước {state_named('admission', 'recognised')}: không ghi ngày công nhận",
        )
        return
    rules = in_force(ceremony.date, overrides_of(governance))
    months = rules.amount("probation_months")
    due = add_months(ceremony.date, months)
    if recognised_on != due:
        yield Issue(
            ("subject", "recognised_on"),
            "record.recognised_on",
            f"ngày công nhận chính thức là ngày đủ {months} tháng dự bị kể từ lễ kết nạp "
            f"({ceremony.date}): {due}, kể cả khi quyết định ra muộn "
            f"({rules['probation_months'].source}); nhận được {recognised_on}",
        )


def _member(
    record: ScreeningCase | DisciplineCase | TransferCase | ExemptionCase,
) -> Iterator[Issue]:
    subject = record.subject
    if subject.standing == "candidate":
        yield Issue(
            ("subject", "standing"),
            "record.standing",
            f"hồ sơ {kind_label(record.kind).lower()} chỉ dành cho đảng viên (dự bị: "
            "probationary, chính thức: official); nhận được quần chúng (candidate)",
        )
    opened = record.history[0].date
    recognised = subject.recognised_on
    if recognised is not None and recognised <= opened and subject.standing == "probationary":
        yield Issue(
            ("subject", "standing"),
            "record.standing",
            f"đã công nhận chính thức ngày {recognised}, trước khi mở hồ sơ: tư cách là "
            "'official'; nhận được 'probationary'",
        )
    if subject.admitted_on is not None and subject.recognised_on is not None:
        rules = in_force(subject.admitted_on)
        months = rules.amount("probation_months")
        earliest = add_months(subject.admitted_on, months)
        if subject.recognised_on < earliest:
            yield Issue(
                ("subject", "recognised_on"),
                "record.recognised_on",
                f"công nhận chính thức sớm nhất {months} tháng sau ngày kết nạp "
                f"({subject.admitted_on}): từ {earliest}; nhận được {subject.recognised_on}",
            )


def _last(history: Sequence[AdmissionEvent], state: str) -> AdmissionEvent | None:
    return next((e for e in reversed(history) if e.state == state), None)
