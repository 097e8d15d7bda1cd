"""Screening, transfer and exemption rules beyond the path."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from hoso.governance import Governance
from hoso.labels import GROUND_LABELS, REASON_LABELS, state_named
from hoso.models import ExemptionCase, Record, ScreeningCase, TransferCase
from hoso.models.screening import CRITERION_LABELS
from hoso.models.transfer import TransferEvent
from hoso.rules.calendar import Calendar
from hoso.rules.dates import add_months, full_months, holding
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import HD02, RuleSet, in_force
from hoso.validate.record import (
    CrossIssue,
    Issue,
    Loc,
    Summary,
    register,
    register_cross,
    register_facts,
)

HD02_CRITERIA = {
    "not_completed_two_years",
    "reoffended_under_discipline",
    "degraded",
    "example_rules_broken",
}
_DATED = ("treatment_away", "abroad", "maternity", "mobile_work")


def calendar_of(governance: Governance) -> Calendar:
    """The province's working-day calendar, made once per governance (it remembers what it
    has counted)."""
    found = governance.memo.get("calendar")
    if found is None:
        settings = governance.settings
        found = governance.memo["calendar"] = (
            Calendar()
            if settings is None
            else Calendar(settings.extra_holidays, settings.extra_workdays)
        )
    return found


@register
def screening_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, ScreeningCase):
        return
    overrides = overrides_of(governance)
    calendar = calendar_of(governance)
    listed = None
    struck = None
    proposed = None
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
                    f"tiêu chí “{CRITERION_LABELS[criterion]}” ({criterion}) chỉ áp dụng từ "
                    f"{HD02.effective} ({HD02.name}); "
                    f"bước này ngày {event.date}",
                )
        if event.state == "listed":
            listed = event.date
        if event.state in ("strike_off_proposed", "struck_off"):
            if event.ground is None:
                yield Issue(
                    (*at, "ground"),
                    "screening.ground",
                    f"bước {state_named('screening', event.state)} phải ghi căn cứ xóa tên",
                )
            elif event.ground == "no_progress_after_help" and listed is None:
                yield Issue(
                    (*at, "ground"),
                    "screening.help_period",
                    "căn cứ “không tiến bộ sau 12 tháng giáo dục, giúp đỡ” chỉ dùng khi chi bộ đã "
                    f"đưa đảng viên vào danh sách giáo dục, giúp đỡ (bước "
                    f"{state_named('screening', 'listed')})",
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
        if event.state == "strike_off_proposed":
            proposed = event.ground
        if event.state == "struck_off" and proposed and event.ground and event.ground != proposed:
            yield Issue(
                (*at, "ground"),
                "screening.ground",
                "xóa tên theo căn cứ chi bộ đã đề nghị: chi bộ đề nghị "
                f"“{GROUND_LABELS[proposed]}”; nhận được “{GROUND_LABELS[event.ground]}”",
            )
        if event.state == "struck_off":
            struck = event.date
        if event.state == "complaint_lodged" and struck is not None:
            days = rules.amount("complaint_workdays")
            last = calendar.add_workdays(struck, days)
            if calendar.past(last, event.date):
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
    if temporary:
        low = rules.amount("temporary_min_months")
        high_key = (
            "study_max_months"
            if record.transfer_type == "temporary_study"
            else "temporary_max_months"
        )
        high = rules.amount(high_key)
        bound = f"đến {high} tháng" if high_key == "study_max_months" else f"đến dưới {high} tháng"
    if temporary and record.until is None:
        yield Issue(
            ("transfer_type",),
            "transfer.temporary_period",
            f"sinh hoạt tạm thời phải ghi ngày kết thúc (until): thời gian từ {low} tháng "
            f"{bound} ({rules[high_key].source})",
        )
    elif temporary and record.until is not None and record.until <= record.move_date:
        yield Issue(
            ("until",),
            "transfer.temporary_period",
            f"ngày kết thúc sinh hoạt tạm thời ({record.until}) phải sau ngày chuyển "
            f"({record.move_date})",
        )
    elif temporary and record.until is not None:
        months = full_months(record.move_date, record.until)
        # By the calendar, not by whole months: 2 years and 20 days is more than 2 years.
        limit = add_months(record.move_date, high)
        too_long = record.until > limit if high_key == "study_max_months" else record.until >= limit
        if record.until < add_months(record.move_date, low) or too_long:
            days = (record.until - add_months(record.move_date, months)).days
            span = f"{months} tháng" + (f" {days} ngày" if days else "")
            yield Issue(
                ("until",),
                "transfer.temporary_period",
                f"sinh hoạt tạm thời phải từ {low} tháng {bound} ({rules[high_key].source}); "
                f"từ {record.move_date} đến {record.until} là {span}",
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
            # Counted from the letter's own date, as the deadline it owes is (``deadlines``).
            letter = event.document.date if event.document else event.date
        if event.state == "presented":
            presented = event.date
        if event.state == "received":
            yield from _confirmation(at, event, presented)
        if event.state == "presented" and letter is not None:
            days = in_force(letter, overrides_of(governance)).amount("transfer_present_workdays")
            last = calendar.add_workdays(letter, days)
            if calendar.past(last, event.date) and not event.late_reason:
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
        # Over the age by the calendar: from the day after that birthday.
        if age >= 0 and first.date <= add_months(record.subject.birth_date, limit * 12):
            yield Issue(
                ("reason",),
                "exemption.age",
                f"{rules[key].label}: trên {limit} tuổi ({rules[key].source}, cần kiểm "
                f"tra); khi có đơn người này {age // 12} tuổi",
            )
    if record.reason == "health":
        yield from _health(record, rules)
    reason = REASON_LABELS[record.reason]
    if record.reason in _DATED and record.period_until is None:
        yield Issue(
            ("period_until",),
            "exemption.period",
            f"miễn sinh hoạt vì lý do {reason} phải ghi thời hạn (period_until)",
        )
    granted = _granted_on(record)
    if record.period_until is not None and record.period_until <= first.date:
        yield Issue(
            ("period_until",),
            "exemption.period_order",
            f"thời hạn miễn sinh hoạt ({record.period_until}) phải sau ngày có đơn ({first.date})",
        )
    elif record.period_until is not None and granted and record.period_until < granted:
        yield Issue(
            ("period_until",),
            "exemption.period_order",
            f"thời hạn miễn sinh hoạt ({record.period_until}) đã qua khi chi bộ quyết định cho "
            f"miễn ({granted}): kiểm tra lại thời hạn",
        )
    if record.reason == "maternity" and record.subject.sex == "male":
        yield Issue(
            ("reason",),
            "exemption.maternity",
            "miễn sinh hoạt vì thai sản dành cho đảng viên nữ; đảng viên này ghi giới tính nam "
            "(cần kiểm tra)",
            "warning",
        )


def _health(record: ExemptionCase, rules: RuleSet) -> Iterator[Issue]:
    """Weak health: a medical record and treatment of at least ``exemption_treatment_months``,
    both kept in the confidential part (never shown)."""
    months = rules.amount("exemption_treatment_months")
    value = rules["exemption_treatment_months"]
    secret = record.confidential
    if secret is None or not secret.health:
        yield Issue(
            ("reason",),
            "exemption.health_record",
            "miễn sinh hoạt vì sức khỏe yếu cần có bệnh án: ghi tóm tắt bệnh án ở mục thông tin "
            "mật (confidential.health), không hiện trên trang hay báo cáo nào",
            "warning",
        )
    treated = secret.treatment_months if secret is not None else None
    if treated is None:
        yield Issue(
            ("reason",),
            "exemption.treatment",
            f"miễn sinh hoạt vì sức khỏe yếu cần điều trị từ {months} tháng trở lên "
            f"({value.source}, cần kiểm tra): ghi số tháng đã điều trị ở mục thông tin mật "
            "(confidential.treatment_months)",
            "warning",
        )
    elif treated < months:
        yield Issue(
            ("confidential", "treatment_months"),
            "exemption.treatment",
            f"miễn sinh hoạt vì sức khỏe yếu cần điều trị từ {months} tháng trở lên "
            f"({value.source}, cần kiểm tra); số tháng ghi ở mục thông tin mật chưa đủ",
        )


def _granted_on(record: ExemptionCase) -> date | None:
    """When the cell's decision to exempt took effect: its resolution's date, or the step's
    if that is earlier."""
    step = next((e for e in record.history if e.state == "granted"), None)
    if step is None:
        return None
    return min(step.date, step.document.date) if step.document else step.date


@register_facts
def exemption_facts(
    record: Record, governance: Governance
) -> Iterator[tuple[str, str, str, str, Loc]]:
    """An exemption asked for ("exemption", day of the request, "until|case id") and, once
    granted, in force ("exempt", day granted, "until|case id"). ``until`` is the first day it
    no longer holds ("" while open): the day it was refused or ended, or the day after the
    last of its period."""
    if not isinstance(record, ExemptionCase) or not record.subject.party_card:
        return
    card = record.subject.party_card
    closed = next((e.date for e in record.history if e.state in ("refused", "ended")), None)
    after = record.period_until + timedelta(days=1) if record.period_until else None
    ends = [d for d in (closed, after) if d is not None]
    detail = f"{min(ends).isoformat() if ends else ''}|{record.id}"
    yield "exemption", card, record.history[0].date.isoformat(), detail, ("id",)
    granted = _granted_on(record)
    if granted is not None:
        yield "exempt", card, granted.isoformat(), detail, ("id",)


_Span = tuple[str, str, str, str, Loc]
"""(since, until or "", case id, file, where) of one member's exemption."""


@register_cross
def exemptions_across_records(
    known: list[tuple[str, Summary]], as_of: str, whole: bool
) -> Iterable[CrossIssue]:
    """One exemption at a time for a member (a warning: an extension may have been opened as a
    new case); a member exempted when the year is ranked is not ranked."""
    asked: dict[str, list[_Span]] = defaultdict(list)
    exempt: dict[str, list[_Span]] = defaultdict(list)
    for rel, summary in known:
        for what, card, day, detail, at in summary.facts:
            if what in ("exemption", "exempt"):
                until, _, case = detail.partition("|")
                (asked if what == "exemption" else exempt)[card].append((day, until, case, rel, at))
    for spans in asked.values():
        spans.sort()
        for n, (since, _, _, rel, at) in enumerate(spans):
            earlier = holding(spans[:n], since)
            if earlier is not None:
                yield (
                    rel,
                    at,
                    "exemption.duplicate",
                    f"đảng viên này (cùng số thẻ đảng viên) đã có hồ sơ miễn sinh hoạt "
                    f"{earlier[2]} (có đơn ngày {earlier[0]}) chưa kết thúc khi có đơn này "
                    f"({since}): ghi bước kết thúc hoặc không đồng ý vào hồ sơ cũ, hoặc ghi tiếp "
                    "vào hồ sơ đó thay vì mở hồ sơ mới",
                    "warning",
                )
    if not exempt:
        return
    for rel, summary in known:
        for what, card, day, detail, at in summary.facts:
            if what != "ranked":
                continue
            # Exempt when the year is ranked: on the day of the ranking, or on the year's last
            # day when the ranking was decided after it.
            year = detail.split("|", 1)[0]
            on = min(day, f"{year}-12-31")
            found = holding(exempt.get(card, ()), on)
            if found is not None:
                since, _, case, _, _ = found
                yield (
                    rel,
                    at,
                    "ranking.exempt",
                    f"đảng viên này được miễn công tác và sinh hoạt đảng (hồ sơ {case}, từ "
                    f"{since}) khi xếp loại năm {year}: đảng viên được miễn không được xếp "
                    "loại; bỏ người này khỏi danh sách xếp loại",
                    "error",
                )
