"""Discipline rules: who may impose which form (Charter art. 36), the heaviest-first count,
expulsion's two thresholds, limitation periods, and the appeal window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hoso.governance import CENTRAL_BODIES, Governance
from hoso.labels import body as body_label
from hoso.labels import day, state_named
from hoso.models import DisciplineCase, OrgDisciplineCase, Record
from hoso.models.discipline import FORM_LABELS, DisciplineEvent
from hoso.rules.competence import Place, place_of
from hoso.rules.dates import add_months
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import RuleSet, Value, in_force
from hoso.rules.votes import ballots, eligible, reaches
from hoso.validate.findings import Severity
from hoso.validate.record import Issue, Loc, register

HEAVIEST_FIRST = ("expulsion", "removal_from_post", "warning", "reprimand")
_NO_LIMIT = {"internal_political", "security_foreign_affairs", "forged_diploma"}
_CELL_MATTERS = {"quality_ethics_lifestyle", "member_duties"}


@register
def violation_before_the_case(record: Record, governance: Governance) -> Iterator[Issue]:
    """A discipline case (of a member or of an organisation) considers a violation that has
    happened: its day cannot come after the case's first step."""
    if not isinstance(record, (DisciplineCase, OrgDisciplineCase)) or not record.history:
        return
    opened = record.history[0].date
    if record.violation.date > opened:
        yield Issue(
            ("violation", "date"),
            "discipline.violation_date",
            f"ngày vi phạm ({day(record.violation.date)}) sau ngày mở hồ sơ ({day(opened)}): "
            "hồ sơ chỉ xem xét vi phạm đã xảy ra; kiểm tra lại ngày",
        )


@register
def discipline_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, DisciplineCase):
        return
    place = place_of(record, governance)
    overrides = overrides_of(governance)
    proposal: DisciplineEvent | None = None
    decided_on: date | None = None
    decider, decided_form = "", None
    answered = ""  # the body that answered the latest appeal: a further one goes above it
    for index, event in enumerate(record.history):
        at: Loc = ("history", index)
        rules = in_force(event.date, overrides)
        if event.state == "appealed" and answered:
            yield from _after_final(governance, decided_form, answered, (*at, "state"))
        if event.state in ("appealed", "appeal_answered") and decider:
            yield from appeal_above(governance, answered or decider, event.body, (*at, "body"))
            yield from _central_instance(governance, decided_form, event.body, (*at, "body"))
        if event.state == "appeal_answered":
            answered = event.body
            if event.outcome == "changed" and event.form is not None:
                decided_form = event.form
                # The form the higher body changes to is imposed on the member that day, by
                # that body, within its competence (a central body is judged by its instance).
                yield from _eligibility(record, event, at, governance)
                if place is not None and event.body not in CENTRAL_BODIES:
                    yield from _competence(record, event, at, place, governance)
        if event.state == "proposed":
            proposal = event
            yield from _count(record, event, at, rules, governance)
        if event.state in _CONSIDERING:
            yield from _young_child(record, event, at, "warning")
        if event.state in ("proposed", "decided") and event.form is None:
            yield Issue(
                (*at, "form"),
                "discipline.form",
                f"bước {state_named('discipline', event.state)} phải ghi hình thức kỷ luật",
            )
        if event.state == "decided":
            decider, decided_form = event.body, event.form
        if event.state == "decided" and event.form is not None:
            decided_on = event.date
            yield from _young_child(record, event, at, "error")
            yield from _eligibility(record, event, at, governance)
            if place is not None:
                yield from _competence(record, event, at, place, governance)
            yield from _count(record, event, at, rules, governance)
            yield from _limitation(record, event, at, rules)
            if event.form == "expulsion" and event.body not in (record.cell,):
                yield from _expulsion_proposed(proposal, event.body, at, rules, governance)
        if event.state in ("appealed",) and decided_on is not None:
            months = rules.amount("appeal_months")
            last = add_months(_received(record, index), months)
            if event.date > last:
                yield Issue(
                    (*at, "date"),
                    "discipline.appeal_late",
                    f"khiếu nại phải gửi trong {months} tháng kể từ khi nhận quyết định "
                    f"{'giải quyết khiếu nại ' if answered else ''}(hạn {last}, "
                    f"{rules['appeal_months'].source}); nhận được "
                    f"{event.date}: không được thụ lý",
                )


_RANK = {"cell": 0, "partial": 1, "grassroots": 2, "district": 3, "province": 4}
"""How high a unit stands: an appeal goes to a body higher than the one that decided."""


_ANSWERING = ("executive", "standing", "inspection")
"""The committees that may answer an appeal (with the central bodies); any other body is
refused by the step's competence, which lists those that may."""


def _rank(governance: Governance, body: str) -> int | None:
    """How high ``body`` (a unit, one of its committees, or a central body) stands. Within one
    unit the inspection commission stands below the committee that elected it: an appeal
    against the commission's decision may go to its own standing or executive committee."""
    if body in CENTRAL_BODIES:  # the central inspection commission below the Secretariat
        return 2 * len(_RANK) + (0 if body == "central.inspection" else 1)
    committee = governance.committees.get(body)
    unit = governance.units.get(committee.unit if committee is not None else body)
    level = None if unit is None else _RANK.get(unit.level)
    if level is None:
        return None
    return 2 * level + (0 if committee is not None and committee.kind == "inspection" else 1)


def _unit_of(governance: Governance, body: str) -> str:
    """The unit ``body`` is, or whose committee it is."""
    committee = governance.committees.get(body)
    return committee.unit if committee is not None else body


def _unit_level(governance: Governance, body: str) -> int | None:
    """The level of the unit ``body`` belongs to (a unit, or one of its committees), by
    ``_RANK``; None for a body the unit tree does not hold."""
    committee = governance.committees.get(body)
    unit = governance.units.get(committee.unit if committee is not None else body)
    return None if unit is None else _RANK.get(unit.level)


def appeal_above(governance: Governance, decider: str, body: str, at: Loc) -> Iterator[Issue]:
    """An appeal is lodged with, and answered by, a body above the one that decided: the
    higher committee or inspection commission, or the committee above an inspection
    commission of its own unit. (That no organisation commission answers one is the step's
    competence, ``competence.appeal_higher``, checked with the rest of the path.)"""
    committee = governance.committees.get(body)
    if body not in CENTRAL_BODIES and (committee is None or committee.kind not in _ANSWERING):
        return  # refused by the step's competence, with the bodies that may answer
    below, above = _rank(governance, decider), _rank(governance, body)
    if below is None or above is None or above > below:
        return
    yield Issue(
        at,
        "competence.appeal",
        "khiếu nại kỷ luật phải gửi và do cơ quan đứng trên cơ quan đã quyết định giải quyết "
        "(cấp ủy, ban thường vụ hoặc ủy ban kiểm tra cấp trên; quyết định của ủy ban kiểm tra "
        "thì cả cấp ủy cùng cấp); quyết định do "
        f"{body_label(governance, decider)} ra, hồ sơ ghi: {body_label(governance, body)} "
        "(Điều lệ Đảng, điều 36)",
    )


_FINAL_INSTANCE = {"expulsion": ("central.inspection", "central.secretariat")}
"""The central bodies a member's appeal may go to, by the form decided at province level or
below: the central inspection commission, the final instance for the lighter forms, and for an
expulsion the Secretariat above it (DOMAIN section 4)."""


def _central_instance(
    governance: Governance, form: str | None, body: str, at: Loc
) -> Iterator[Issue]:
    if body not in CENTRAL_BODIES or form is None:
        return
    allowed = _FINAL_INSTANCE.get(form, ("central.inspection",))
    if body in allowed:
        return
    names = " hoặc ".join(body_label(governance, b) for b in allowed)
    yield Issue(
        at,
        "competence.appeal_central",
        f"khiếu nại quyết định {FORM_LABELS.get(form, form)} lên Trung ương do {names} giải "
        f"quyết (cấp giải quyết cuối cùng: Ủy ban Kiểm tra Trung ương với khiển trách, cảnh "
        f"cáo, cách chức; Ban Bí thư với khai trừ); hồ sơ ghi: {body_label(governance, body)}",
    )


def _after_final(
    governance: Governance, form: str | None, answered: str, at: Loc
) -> Iterator[Issue]:
    """No appeal lies beyond the final instance: once it has answered, the matter is closed."""
    final = _FINAL_INSTANCE.get(str(form), ("central.inspection",))[-1]
    if answered == final:
        yield Issue(
            at,
            "competence.appeal_central",
            f"{body_label(governance, final)} là cấp giải quyết cuối cùng khiếu nại quyết định "
            f"{FORM_LABELS.get(str(form), str(form))} và đã giải quyết: không khiếu nại tiếp "
            "được (Ủy ban Kiểm tra Trung ương với khiển trách, cảnh cáo, cách chức; Ban Bí thư "
            "với khai trừ)",
        )


def _received(record: DisciplineCase, before: int) -> date:
    """When the member received the decision: its announcement, else the decision itself;
    for a further appeal, the answer to the previous one."""
    for event in reversed(record.history[:before]):
        if event.state in ("announced", "decided", "appeal_answered"):
            return event.date
    return record.history[0].date


_CONSIDERING = ("cell_concluded", "proposed")
"""Steps before the decision at which the member's case is considered (a warning while the
member raises a child too young; an error at the decision)."""


def _young_child(
    record: DisciplineCase, event: DisciplineEvent, at: Loc, severity: Severity
) -> Iterator[Issue]:
    child = record.subject.youngest_child_born
    rules = in_force(event.date)
    months = rules.amount("child_months")
    if child is not None and child <= event.date < add_months(child, months):
        yield Issue(
            (*at, "date"),
            "discipline.young_child",
            f"chưa xem xét kỷ luật đảng viên đang nuôi con dưới {months} tháng tuổi "
            f"({rules['child_months'].source}); con sinh ngày {child}, được xem xét từ "
            f"{add_months(child, months)}",
            severity,
        )


def _eligibility(
    record: DisciplineCase, event: DisciplineEvent, at: Loc, governance: Governance
) -> Iterator[Issue]:
    form = event.form
    if probationary_on(record, event.date) and form not in ("reprimand", "warning"):
        yield Issue(
            (*at, "form"),
            "discipline.probationary",
            f"đảng viên dự bị chỉ bị khiển trách hoặc cảnh cáo; nhận được {FORM_LABELS[str(form)]}",
        )
    if form == "removal_from_post" and not _posts_held(record, event.date, governance):
        yield Issue(
            (*at, "form"),
            "discipline.no_post",
            f"cách chức chỉ áp dụng với người đang giữ chức vụ đảng; ngày {event.date} "
            "người này không giữ chức vụ nào (theo subject.posts và danh sách cấp ủy, ban trong "
            "governance/committees.yaml)",
        )


def probationary_on(record: DisciplineCase, on: date) -> bool:
    """Whether the member was still probationary on ``on``: before the recognition the case
    gives, or, without one, within the months of probation the rules in force at admission
    set (the file's ``standing`` is today's, not the day of the decision's). Probation runs
    from the ceremony, which a discipline case does not record: counted from the admission
    decision, before it, this is the earliest end probation can have."""
    subject = record.subject
    if subject.recognised_on is not None:
        return on < subject.recognised_on
    if subject.standing == "probationary":
        return True
    if subject.admitted_on is None:
        return False
    months = in_force(subject.admitted_on).amount("probation_months")
    return on < add_months(subject.admitted_on, months)


def _posts_held(record: DisciplineCase, on: date, governance: Governance) -> list[str]:
    """The committees the member sits on that day: the posts the case lists, and the seats
    governance/committees.yaml gives the same party card (a post left out of the case file
    does not lift the limits it sets)."""
    card = record.subject.party_card
    terms = [(p.committee, p.since, p.until) for p in record.subject.posts]
    terms += _seats(governance).get(card, []) if card else []
    return sorted(
        {code for code, since, until in terms if since <= on and (until is None or until >= on)}
    )


def _seats(governance: Governance) -> dict[str, list[tuple[str, date, date | None]]]:
    """Every committee seat in governance by the holder's party card (worked out once)."""
    if "seats" not in governance.memo:
        seats: dict[str, list[tuple[str, date, date | None]]] = {}
        for code, committee in governance.committees.items():
            for member in committee.members:
                if member.party_card:
                    seats.setdefault(member.party_card, []).append(
                        (code, member.term_from, member.term_until)
                    )
        governance.memo["seats"] = seats
    found: dict[str, list[tuple[str, date, date | None]]] = governance.memo["seats"]
    return found


def _competence(
    record: DisciplineCase, event: DisciplineEvent, at: Loc, place: Place, governance: Governance
) -> Iterator[Issue]:
    form, body = str(event.form), event.body
    posts = _posts_held(record, event.date, governance)
    label = FORM_LABELS[form]
    why = None
    higher_units = (place.district, place.province)
    if body in (place.cell, f"{place.cell}.cell_committee"):
        if body != place.cell:
            why = "chi ủy không thi hành kỷ luật; chi bộ (họp toàn thể) quyết định"
        elif form not in ("reprimand", "warning"):
            why = f"chi bộ chỉ khiển trách, cảnh cáo; không được {label}"
        elif record.violation.category not in _CELL_MATTERS:
            why = (
                "chi bộ chỉ kỷ luật về phẩm chất, đạo đức, lối sống, sinh hoạt đảng và nhiệm "
                "vụ đảng viên; không về nhiệm vụ do cấp trên giao"
            )
    elif body == f"{place.grassroots}.executive":
        own = f"{place.grassroots}.executive"
        if form == "removal_from_post" and not any(
            _below(governance, p, place.grassroots) for p in posts
        ):
            why = "đảng ủy cơ sở chỉ cách chức cấp ủy viên cấp dưới"
        elif form == "expulsion" and not place.authorised:
            why = "đảng ủy cơ sở chỉ khai trừ khi được ủy quyền kết nạp đảng viên"
        elif form == "expulsion" and own in posts:
            why = "đảng ủy cơ sở không khai trừ ủy viên của chính mình"
        elif form == "expulsion" and (above := _seats_above(posts, place.grassroots, governance)):
            why = (
                "đảng ủy cơ sở không khai trừ cấp ủy viên cấp trên (cán bộ do cấp ủy cấp trên "
                f"quản lý); người này là ủy viên "
                f"{', '.join(body_label(governance, s) for s in above)}"
            )
        elif form == "expulsion" and record.subject.managed_by not in (None, own):
            why = "đảng ủy cơ sở không khai trừ cán bộ do cấp ủy cấp trên quản lý"
    elif any(body in (f"{u}.executive", f"{u}.standing") for u in higher_units):
        why = _higher_committee_limits(record, form, body, posts, governance)
    elif any(body == f"{u}.inspection" for u in higher_units):
        unit = body.rsplit(".", 1)[0]
        if any(p in (f"{unit}.executive", f"{unit}.standing") for p in posts):
            why = "ủy ban kiểm tra không kỷ luật cấp ủy viên cùng cấp"
    else:
        why = "tổ chức này không có thẩm quyền kỷ luật đảng viên của hồ sơ"
    if why:
        yield Issue(
            (*at, "body"),
            "competence.discipline",
            f"{why} (Điều lệ Đảng, điều 36); hồ sơ ghi: {label} do {body_label(governance, body)} "
            "quyết định",
        )


def _below(governance: Governance, committee: str, unit: str) -> bool:
    """Whether ``committee`` is the committee of a unit under ``unit`` (not of ``unit`` itself,
    whose own commissions are not "lower"): by the unit tree, never by the letters of codes."""
    found = governance.committees.get(committee)
    return found is not None and found.unit != unit and governance.is_within(found.unit, unit)


def _seats_above(posts: list[str], unit: str, governance: Governance) -> list[str]:
    """The seats among ``posts`` on an elected committee of a unit above ``unit`` (a district
    or province committee): their holders are cadres a higher committee manages, whatever the
    case says of ``managed_by``."""
    return [
        p
        for p in posts
        if _is_committee_seat(p, governance)
        and (found := governance.committees.get(p)) is not None
        and found.unit != unit
        and governance.is_within(unit, found.unit)
    ]


def _expulsion_proposed(
    proposal: DisciplineEvent | None,
    decider: str,
    at: Loc,
    rules: RuleSet,
    governance: Governance,
) -> Iterator[Issue]:
    """Expulsion needs the lower organisation's proposal of expulsion (its own 2/3 is judged
    at that step), besides the competent body's majority: a proposal made by the deciding
    body itself, by another body of its level or above, or by one elsewhere in the tree (not
    under the deciding body's organisation) is no lower organisation's; nor is one made by a
    cell's committee (chi ủy), which is no organisation: the cell itself proposes."""
    rule = rules["expulsion_proposal_vote"]
    proposer = governance.committees.get(proposal.body) if proposal is not None else None
    if (
        proposal is not None
        and proposal.form == "expulsion"
        and proposer is not None
        and (proposer.kind == "cell_committee")
    ):
        yield Issue(
            (*at, "state"),
            "discipline.expulsion_proposal",
            f"khai trừ cần đề nghị khai trừ của tổ chức đảng cấp dưới ({rule.describe()}) "
            f"trước khi cấp có thẩm quyền quyết định ({rule.source}); đề nghị do "
            f"{body_label(governance, proposal.body)}: chi ủy không phải tổ chức đảng, đề "
            "nghị khai trừ do chi bộ (họp toàn thể) biểu quyết",
        )
        return
    if proposal is not None and proposal.form == "expulsion":
        below, above = _unit_level(governance, proposal.body), _unit_level(governance, decider)
        elsewhere = (
            below is not None
            and above is not None
            and not governance.is_within(
                _unit_of(governance, proposal.body), _unit_of(governance, decider)
            )
        )
        if below is not None and above is not None and (below >= above or elsewhere):
            yield Issue(
                (*at, "state"),
                "discipline.expulsion_proposal",
                f"khai trừ cần đề nghị khai trừ của tổ chức đảng cấp dưới ({rule.describe()}) "
                f"trước khi cấp có thẩm quyền quyết định ({rule.source}); đề nghị do "
                f"{body_label(governance, proposal.body)}, không phải tổ chức cấp dưới của "
                f"{body_label(governance, decider)}",
            )
        return
    if proposal is None or proposal.form != "expulsion":
        got = (
            f"không có bước {state_named('discipline', 'proposed')}"
            if proposal is None
            else (
                f"đề nghị ghi {FORM_LABELS[str(proposal.form)]}"
                if proposal.form
                else "đề nghị không ghi hình thức"
            )
        )
        yield Issue(
            (*at, "state"),
            "discipline.expulsion_proposal",
            f"khai trừ cần đề nghị khai trừ của tổ chức đảng cấp dưới ({rule.describe()}) "
            f"trước khi cấp có thẩm quyền quyết định ({rule.source}); {got}",
        )


def threshold(step: str, form: str, rules: RuleSet) -> Value:
    """The share a form needs at a step: expulsion proposed by the lower organisation needs
    its own (2/3); every decision, and every other proposal, more than half."""
    if step == "proposed" and form == "expulsion":
        return rules["expulsion_proposal_vote"]
    return rules["discipline_vote"]


_LIGHTER = ("reprimand", "warning")


def _higher_committee_limits(
    record: DisciplineCase, form: str, body: str, posts: list[str], governance: Governance
) -> str | None:
    """A district or province committee (or its standing committee) imposes every form on
    members, but only a reprimand or a warning on committee members of any level (the cell
    committee, chi ủy, up) and on cadres managed by a higher committee."""
    if form in _LIGHTER:
        return None
    seats = [p for p in posts if _is_committee_seat(p, governance)]
    if seats:
        return (
            "cấp ủy, ban thường vụ cấp huyện, cấp tỉnh chỉ khiển trách, cảnh cáo cấp ủy viên "
            f"các cấp; người này là ủy viên {', '.join(body_label(governance, s) for s in seats)}"
        )
    managed = record.subject.managed_by
    unit = body.rsplit(".", 1)[0]
    manager = governance.committees.get(managed) if managed else None
    if manager is not None and manager.unit != unit and governance.is_within(unit, manager.unit):
        return (
            "cấp ủy, ban thường vụ cấp huyện, cấp tỉnh chỉ khiển trách, cảnh cáo cán bộ thuộc "
            f"diện cấp ủy cấp trên quản lý ({body_label(governance, str(managed))})"
        )
    return None


def _is_committee_seat(committee: str, governance: Governance) -> bool:
    """A seat on an elected party committee (cấp ủy) of any level, the cell's (chi ủy) up:
    its executive, standing or cell committee; commissions are not."""
    found = governance.committees.get(committee)
    if found is None or found.kind not in ("executive", "standing", "cell_committee"):
        return False
    return governance.units.get(found.unit) is not None


def _count(
    record: DisciplineCase,
    event: DisciplineEvent,
    at: Loc,
    rules: RuleSet,
    governance: Governance,
) -> Iterator[Issue]:
    """Votes per form, added from the heaviest form down until one the member can be given
    reaches its threshold; the form recorded must be that one. (The votes for a form the
    member cannot be given, removal from a post they do not hold or anything heavier than a
    warning for a probationary member, pass on to the next form.) One count for one form is
    judged by the shared vote check."""
    vote = event.vote
    if vote is None or not event.form_votes:
        return
    of = eligible(vote)
    cast, problems = ballots(vote.present, event.form_votes, FORM_LABELS)
    for why in problems:
        yield Issue((*at, "form_votes"), "vote.counts", f"số liệu biểu quyết không khớp: {why}")
    if problems:
        return
    total = 0
    reached = None
    barred = _barred_forms(record, event.date, governance)
    for form in HEAVIEST_FIRST:
        total += cast.get(form, 0)
        if form not in barred and reaches(total, of, threshold(event.state, form, rules)):
            reached = form
            break
    if reached is None:
        rule = threshold(event.state, "reprimand", rules)
        yield Issue(
            (*at, "form_votes"),
            "discipline.no_form",
            f"cộng phiếu từ hình thức nặng nhất, không hình thức nào đạt ngưỡng của nó "
            f"({rule.describe()} của {of}, {_expulsion_note(event.state, of, rules)}"
            f"{rule.source}): không đủ căn cứ thi hành kỷ luật",
        )
    elif reached != event.form:
        rule = threshold(event.state, reached, rules)
        yield Issue(
            (*at, "form"),
            "discipline.heaviest_first",
            f"cộng phiếu từ hình thức nặng nhất, hình thức đạt ngưỡng đầu tiên là "
            f"{FORM_LABELS[reached]} ({rule.describe()} của {of}, "
            f"{_expulsion_note(event.state, of, rules)}{rule.source}); nhận được "
            f"{FORM_LABELS[str(event.form)]}",
        )


def _barred_forms(record: DisciplineCase, on: date, governance: Governance) -> set[str]:
    """The forms this member cannot be given that day."""
    barred = set()
    if probationary_on(record, on):
        barred |= {"removal_from_post", "expulsion"}
    if not _posts_held(record, on, governance):
        barred.add("removal_from_post")
    return barred


def _expulsion_note(step: str, of: int, rules: RuleSet) -> str:
    if step != "proposed":
        return ""
    return f"đề nghị khai trừ cần {threshold(step, 'expulsion', rules).describe()} của {of}; "


def _limitation(
    record: DisciplineCase, event: DisciplineEvent, at: Loc, rules: RuleSet
) -> Iterator[Issue]:
    if event.form == "expulsion" or record.violation.category in _NO_LIMIT:
        return
    key = "limitation_reprimand_years" if event.form == "reprimand" else "limitation_warning_years"
    years = rules.amount(key)
    last = add_months(record.violation.date, 12 * years)
    if event.date > last:
        yield Issue(
            (*at, "date"),
            "discipline.limitation",
            f"đã hết thời hiệu {years} năm cho {FORM_LABELS[str(event.form)]} (vi phạm "
            f"ngày {record.violation.date}, thời hiệu hết sau ngày {last}, "
            f"{rules[key].source})",
        )
