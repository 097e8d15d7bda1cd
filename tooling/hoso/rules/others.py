"""Screening, transfer and exemption rules beyond the path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hoso.governance import Governance
from hoso.models import ExemptionCase, Record, ScreeningCase, TransferCase
from hoso.models.transfer import TransferEvent
from hoso.rules.calendar import Calendar
from hoso.rules.dates import add_months, full_months
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import HD02, in_force
from hoso.validate.record import Issue, Loc, register

HD02_CRITERIA = {
    "not_completed_two_years",
    "reoffended_under_discipline",
    "degraded",
    "example_rules_broken",
}
_DATED = ("treatment_away", "abroad", "maternity", "mobile_work")


def calendar_of(governance: Governance) -> Calendar:
    settings = governance.settings
    if settings is None:
        return Calendar()
    return Calendar(settings.extra_holidays, settings.extra_workdays)


@register
def screening_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, ScreeningCase):
        return
    overrides = overrides_of(governance)
    calendar = calendar_of(governance)
    listed = None
    struck = None
    for index, event in enumerate(record.history):
        at = ("history", index)
        rules = in_force(event.date, overrides)
        if event.state == "flagged" and not event.criteria:
            yield Issue(
                (*at, "criteria"),
                "screening.criteria",
                "bước rà soát phải ghi ít nhất một tiêu chí",
            )
        for n, criterion in enumerate(event.criteria):
            if criterion in HD02_CRITERIA and event.date < HD02.effective:
                yield Issue(
                    (*at, "criteria", n),
                    "screening.criteria_date",
                    f"tiêu chí {criterion!r} chỉ áp dụng từ {HD02.effective} ({HD02.name}); "
                    f"bước này ngày {event.date}",
                )
        if event.state == "listed":
            listed = event.date
        if event.state in ("strike_off_proposed", "struck_off"):
            if event.ground is None:
                yield Issue(
                    (*at, "ground"),
                    "screening.ground",
                    f"bước {event.state!r} phải ghi căn cứ xóa tên",
                )
            elif event.ground == "no_progress_after_help" and listed is not None:
                months = rules.amount("help_months")
                if add_months(listed, months) > event.date:
                    yield Issue(
                        (*at, "ground"),
                        "screening.help_period",
                        f"căn cứ 'không tiến bộ' cần đủ {months} tháng giáo dục, giúp đỡ "
                        f"kể từ {listed} ({rules['help_months'].source})",
                    )
        if event.state == "struck_off":
            struck = event.date
        if event.state == "complaint_lodged" and struck is not None:
            days = rules.amount("complaint_workdays")
            last = calendar.add_workdays(struck, days)
            if event.date > last:
                yield Issue(
                    (*at, "date"),
                    "screening.complaint_late",
                    f"khiếu nại xóa tên phải gửi trong {days} ngày làm việc (hạn {last}, "
                    f"{rules['complaint_workdays'].source}, cần kiểm tra); nhận được "
                    f"{event.date}: không được thụ lý",
                )
        if event.state == "complaint_answered" and event.outcome is None:
            yield Issue(
                (*at, "outcome"),
                "screening.outcome",
                "bước trả lời khiếu nại phải ghi kết quả (outcome)",
            )


@register
def transfer_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, TransferCase):
        return
    calendar = calendar_of(governance)
    rules = in_force(record.move_date, overrides_of(governance))
    temporary = record.transfer_type != "official"
    if record.until is not None and temporary:
        months = full_months(record.move_date, record.until)
        low = rules.amount("temporary_min_months")
        high_key = (
            "study_max_months"
            if record.transfer_type == "temporary_study"
            else "temporary_max_months"
        )
        high = rules.amount(high_key)
        too_long = months > high if high_key == "study_max_months" else months >= high
        if months < low or too_long:
            bound = (
                f"đến {high} tháng" if high_key == "study_max_months" else f"đến dưới {high} tháng"
            )
            yield Issue(
                ("until",),
                "transfer.temporary_period",
                f"sinh hoạt tạm thời phải từ {low} tháng {bound} ({rules[high_key].source}); "
                f"từ {record.move_date} đến {record.until} là {months} tháng",
            )
    letter = None
    presented = None
    for index, event in enumerate(record.history):
        at = ("history", index)
        if event.state == "returned" and not temporary:
            yield Issue(
                (*at, "state"),
                "transfer.returned_official",
                "chỉ sinh hoạt tạm thời mới có bước trở về (returned)",
            )
        if event.state == "letter_issued":
            letter = event.document.date if event.document else event.date
        if event.state == "presented":
            presented = event.date
        if event.state == "received":
            yield from _confirmation(at, event, presented)
        if event.state == "presented" and letter is not None:
            days = in_force(letter, overrides_of(governance)).amount("transfer_present_workdays")
            last = calendar.add_workdays(letter, days)
            if event.date > last and not event.late_reason:
                yield Issue(
                    (*at, "late_reason"),
                    "transfer.late_reason",
                    f"nộp giấy giới thiệu sau hạn {last} ({days} ngày làm việc): phải "
                    "ghi lý do chậm (late_reason)",
                )


def _confirmation(at: Loc, event: TransferEvent, presented: date | None) -> Iterator[Issue]:
    """The receiving committee confirms in writing: its document, dated between the member
    presenting the letter and the day the receipt is recorded."""
    found = event.confirmation
    if found is None:
        yield Issue(
            (*at, "confirmation"),
            "transfer.confirmation",
            "bước 'received' phải ghi văn bản xác nhận tiếp nhận của nơi đến (confirmation: số, "
            "ngày, nơi xác nhận)",
        )
    elif found.date > event.date or (presented is not None and found.date < presented):
        after = f"từ ngày nộp giấy giới thiệu ({presented}) " if presented else ""
        yield Issue(
            (*at, "confirmation", "date"),
            "transfer.confirmation",
            f"văn bản xác nhận phải ký {after}đến ngày ghi bước này ({event.date}); nhận được "
            f"{found.date}",
        )


@register
def exemption_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, ExemptionCase):
        return
    first = record.history[0]
    rules = in_force(first.date, overrides_of(governance))
    if record.reason == "age":
        key = "exemption_age_male" if record.subject.sex == "male" else "exemption_age_female"
        limit = rules.amount(key)
        age = full_months(record.subject.birth_date, first.date)
        if age <= limit * 12:
            yield Issue(
                ("reason",),
                "exemption.age",
                f"{rules[key].label}: trên {limit} tuổi ({rules[key].source}, cần kiểm "
                f"tra); khi có đơn người này {age // 12} tuổi",
            )
    if record.reason in _DATED and record.period_until is None:
        yield Issue(
            ("period_until",),
            "exemption.period",
            f"miễn sinh hoạt vì lý do {record.reason!r} phải ghi thời hạn (period_until)",
        )
