"""Admission rules beyond the path: age, introducers, failed votes, the order of appraisals,
probation, and readmission."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from hoso.governance import Governance
from hoso.labels import body as body_label
from hoso.labels import label, state_named
from hoso.models import AdmissionCase, Record
from hoso.rules.competence import place_of
from hoso.rules.dates import add_months, full_months
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import QD24, Override, RuleSet, in_force
from hoso.validate.record import Issue, register

_CELL_VOTES = ("cell_voted", "cell_vote_failed")


@register
def admission_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, AdmissionCase):
        return
    overrides = overrides_of(governance)
    born = record.subject.birth_date
    failures = 0
    over_age = False
    course = None
    ceremony = None
    states = [e.state for e in record.history]
    for index, event in enumerate(record.history):
        at = ("history", index)
        rules = in_force(event.date, overrides)
        if event.state == "course_completed":
            course = event.date
        if event.state == "over_age_approved":
            over_age = True
        if event.state in _CELL_VOTES:
            age = full_months(born, event.date)
            low, high = rules.amount("admission_age_min"), rules.amount("admission_age_max")
            # Over 60 only with the province committee's decision (over_age_approved).
            allowed = low * 12 <= age <= high * 12 or (age > high * 12 and over_age)
            if not allowed and age >= 0:  # born later: ``record.birth_date`` says so
                yield Issue(
                    (*at, "date"),
                    "admission.age",
                    f"tuổi khi chi bộ xét kết nạp: từ đủ {low} đến đủ {high} tuổi, tính theo "
                    f"tháng ({rules['admission_age_min'].source}); khi chi bộ xét người này "
                    f"{age // 12} tuổi {age % 12} tháng"
                    + (
                        f"; trên {high} tuổi cần quyết định của tỉnh ủy trước, bước "
                        f"{state_named('admission', 'over_age_approved')}"
                        if age > high * 12
                        else ""
                    ),
                )
            valid = rules.amount("course_valid_months")
            if course is not None and add_months(course, valid) < event.date:
                yield Issue(
                    (*at, "date"),
                    "admission.course_expired",
                    f"giấy chứng nhận học lớp bồi dưỡng ({course}) chỉ có giá trị {valid} "
                    f"tháng ({rules['course_valid_months'].source}, cần kiểm tra)",
                    "warning",
                )
            if failures >= rules.amount("failed_votes"):
                yield Issue(
                    (*at, "state"),
                    "admission.failed_votes",
                    f"chi bộ đã biểu quyết không đạt {failures} lần: phải chuyển cấp ủy "
                    f"cấp trên, bước {state_named('admission', 'referred_up')}, không biểu quyết "
                    "lại "
                    f"({rules['failed_votes'].source})",
                )
            failures += event.state == "cell_vote_failed"
        if event.state == "referred_up" and failures < rules.amount("failed_votes"):
            yield Issue(
                (*at, "state"),
                "admission.referred_early",
                f"chỉ chuyển cấp trên sau {rules.amount('failed_votes')} lần biểu quyết "
                f"không đạt; mới có {failures} lần",
            )
        if event.state == "applied":
            yield from _introducers(record, index, overrides)
        if event.state == "ceremony_held":
            ceremony = event.date
        if event.state == "recognition_cell_voted" and ceremony is not None:
            end = add_months(ceremony, rules.amount("probation_months"))
            if event.date < end:
                yield Issue(
                    (*at, "date"),
                    "admission.probation",
                    f"chưa hết {rules.amount('probation_months')} tháng dự bị (đến {end}, "
                    f"{rules['probation_months'].source}): chưa được xét công nhận",
                )
    yield from _appraisal_order(record, governance, states)
    yield from _readmission(record, governance)


def _introducers(
    record: AdmissionCase, index: int, overrides: Mapping[str, Override]
) -> Iterator[Issue]:
    event = record.history[index]
    at = ("history", index, "introducers")
    rules = in_force(event.date, overrides)
    people = event.introducers
    if len(people) != 2:
        yield Issue(
            at, "admission.introducers", f"cần đúng hai người giới thiệu; nhận được {len(people)}"
        )
        return
    if sum(p.kind == "member" for p in people) < 1:
        yield Issue(
            at, "admission.introducers", "ít nhất một người giới thiệu phải là đảng viên chính thức"
        )
    else:
        yield from _route(record, index, rules)
    months = rules.amount("introducer_months")
    for n, person in enumerate(people):
        if person.kind != "member" and person.known_through == "residence":
            yield Issue(
                (*at, n, "known_through"),
                "admission.introducer_residence",
                f"chỉ đảng viên chính thức giới thiệu mới có thể là người cùng cư trú với người "
                f"vào Đảng; {label('introducer', person.kind)} giới thiệu với tư cách "
                "tổ chức: bỏ 'cùng cư trú' ở người giới thiệu này",
            )
        if (
            person.kind == "member"
            and person.known_through == "residence"
            and not rules.introducer_residence
        ):
            yield Issue(
                (*at, n, "known_through"),
                "admission.introducer_residence",
                f"người giới thiệu phải cùng công tác với người vào Đảng "
                f"({rules['introducer_months'].source}); cùng cư trú chỉ được tính với đơn "
                f"nộp từ ngày {QD24.effective}, khi {QD24.name} có hiệu lực; đơn này nộp ngày "
                f"{event.date}",
            )
        if person.kind == "member" and add_months(person.known_since, months) > event.date:
            how = (
                "cùng công tác hoặc cùng cư trú" if rules.introducer_residence else "cùng công tác"
            )
            yield Issue(
                (*at, n, "known_since"),
                "admission.introducer_months",
                f"người giới thiệu phải {how} với người vào Đảng ít nhất {months} tháng "
                f"({rules['introducer_months'].source}); từ {person.known_since} đến "
                f"{event.date} chưa đủ",
            )


def _route(record: AdmissionCase, index: int, rules: RuleSet) -> Iterator[Issue]:
    """Which organisation may introduce, by age on the day of the application: in youth age the
    grassroots Youth Union executive, outside it the grassroots trade-union executive, each
    with one official member; two official members always."""
    event = record.history[index]
    low, high = rules.amount("youth_age_min"), rules.amount("youth_age_max")
    age = full_months(record.subject.birth_date, event.date)
    youth = low * 12 <= age < (high + 1) * 12
    aged = f"khi nộp đơn người này {age // 12} tuổi {age % 12} tháng"
    source = rules["youth_age_max"].source
    if age < 0:
        return  # born after the application: ``record.birth_date`` says so
    for n, person in enumerate(event.introducers):
        if person.kind == "youth_union" and not youth:
            yield Issue(
                ("history", index, "introducers", n, "kind"),
                "admission.introducer_route",
                f"Ban Chấp hành Đoàn cơ sở chỉ giới thiệu người trong độ tuổi thanh niên (từ đủ "
                f"{low} đến hết {high} tuổi, {source}); {aged}",
            )
        if person.kind == "trade_union" and youth:
            yield Issue(
                ("history", index, "introducers", n, "kind"),
                "admission.introducer_route",
                f"người trong độ tuổi thanh niên (từ đủ {low} đến hết {high} tuổi) do Ban Chấp "
                f"hành Đoàn cơ sở (hoặc hai đảng viên chính thức) giới thiệu, Công đoàn chỉ giới "
                f"thiệu người ngoài độ tuổi thanh niên ({source}); {aged}",
            )


def _appraisal_order(
    record: AdmissionCase, governance: Governance, states: Sequence[str]
) -> Iterator[Issue]:
    place = place_of(record, governance)
    if place is None:
        return
    for index, state in enumerate(states[1:], start=1):
        before = states[index - 1]
        body = record.history[index].body
        # An authorised grassroots committee decides itself, in one collective vote: no
        # resolution proposing the admission to itself (8-KNĐ) comes first.
        itself = (
            place.authorised
            and state in ("decided", "not_admitted")
            and body == f"{place.grassroots}.executive"
        )
        considers = state == "grassroots_voted" or itself
        if considers and place.partial and before != "partial_appraised":
            yield Issue(
                ("history", index, "state"),
                "admission.partial",
                f"chi bộ thuộc {body_label(governance, place.partial)}: phải có bước "
                f"{state_named('admission', 'partial_appraised')} trước khi đảng ủy cơ sở xét",
            )
        if (
            state in ("decided", "not_admitted", "district_appraised")
            and before in ("cell_voted", "partial_appraised")
            and not place.grassroots_is_cell
            and not itself
        ):
            yield Issue(
                ("history", index, "state"),
                "admission.grassroots",
                f"chi bộ thuộc {body_label(governance, place.grassroots)}: đảng ủy cơ sở phải xét "
                f"({state_named('admission', 'grassroots_voted')}) trước khi cấp trên quyết định",
            )
        if (
            state == "recognised"
            and before == "recognition_cell_voted"
            and not place.grassroots_is_cell
            and not (place.authorised and body == f"{place.grassroots}.executive")
        ):
            yield Issue(
                ("history", index, "state"),
                "admission.grassroots",
                f"chi bộ thuộc {body_label(governance, place.grassroots)}: đảng ủy cơ sở phải xét, "
                "đề nghị công nhận chính thức "
                f"({state_named('admission', 'recognition_grassroots_voted')}) trước khi cấp "
                "trên quyết định",
            )
        district = (f"{place.district}.standing", f"{place.district}.executive")
        if state == "decided" and body in district and before in ("cell_voted", "grassroots_voted"):
            yield Issue(
                ("history", index, "state"),
                "admission.district_appraisal",
                f"{body_label(governance, f'{place.district}.organisation')} phải thẩm định "
                f"hồ sơ, bước {state_named('admission', 'district_appraised')}, trước khi ban "
                "thường vụ quyết định kết nạp",
            )
        if state in ("partial_appraised",) and not place.partial:
            yield Issue(
                ("history", index, "state"),
                "admission.partial",
                "chi bộ không thuộc đảng ủy bộ phận nào: không có bước "
                f"{state_named('admission', 'partial_appraised')}",
            )


_BARRED = {
    "abandoned_activity": "tự bỏ sinh hoạt đảng",
    "serious_disunity": "gây mất đoàn kết nghiêm trọng",
    "corruption_conviction": "bị kết án về tham nhũng",
}


def _readmission(record: AdmissionCase, governance: Governance) -> Iterator[Issue]:
    again = record.readmission
    if again is None:
        return
    at = ("readmission",)
    votes = [e.date for e in record.history if e.state in _CELL_VOTES]
    rules = in_force(votes[0] if votes else record.history[0].date)
    if again.reason in _BARRED:
        yield Issue(
            (*at, "reason"),
            "admission.readmission_barred",
            f"không kết nạp lại người đã ra khỏi Đảng vì {_BARRED[again.reason]} "
            f"({rules['readmission_months'].source})",
        )
    if again.readmitted_before:
        yield Issue(
            (*at, "readmitted_before"), "admission.readmission_once", "chỉ được kết nạp lại một lần"
        )
    months = rules.amount("readmission_months")
    if votes and add_months(again.left_on, months) > votes[0]:
        yield Issue(
            (*at, "left_on"),
            "admission.readmission_wait",
            f"phải ra khỏi Đảng ít nhất {months} tháng trước khi chi bộ xét kết nạp lại "
            f"({rules['readmission_months'].source}); ra ngày {again.left_on}, chi bộ xét "
            f"ngày {votes[0]}",
        )
    province = governance.settings.province if governance.settings else None
    if province and again.consent.issuer != f"{province}.standing":
        yield Issue(
            (*at, "consent", "issuer"),
            "admission.readmission_consent",
            f"văn bản đồng ý phải của Ban Thường vụ Tỉnh ủy ({province}.standing); "
            f"nhận được {body_label(governance, again.consent.issuer)} ({again.consent.issuer})",
        )
    decided = next((e for e in record.history if e.state == "decided"), None)
    if decided is not None and again.consent.date > decided.date:
        yield Issue(
            (*at, "consent", "date"),
            "admission.readmission_consent",
            f"kết nạp lại cần văn bản đồng ý của Ban Thường vụ Tỉnh ủy trước khi quyết định kết "
            f"nạp ({decided.date}); văn bản ghi ngày {again.consent.date}",
        )
