"""Discipline of party organisations: who may take each step, who may impose which form, the
heaviest-first count, limitation and the appeal window.

The competence follows QĐ 22-QĐ/TW as secondary sources report it (DOMAIN states only the
forms, so the guidance marks these rules "cần kiểm tra"): the executive or standing committee
of a higher organisation imposes a reprimand or a warning on an organisation below it, the
inspection commission of a higher level only a reprimand or a warning, and only a district or
province committee dissolves an organisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hoso import labels
from hoso.governance import CENTRAL_BODIES, Governance
from hoso.labels import body as body_label
from hoso.models import OrgDisciplineCase, Record
from hoso.models.org_discipline import ORG_FORM_LABELS, OrgDisciplineEvent
from hoso.rules.dates import add_months
from hoso.rules.discipline import appeal_above
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import RuleSet, in_force
from hoso.rules.votes import ballots, eligible, reaches
from hoso.rules.workflow import ORG_DISCIPLINE
from hoso.validate.record import Issue, Loc, register

HEAVIEST_FIRST = ("dissolution", "warning", "reprimand")
_NO_LIMIT = {"internal_political", "security_foreign_affairs", "forged_diploma"}
_LEADING = ("executive", "standing")


@register
def org_discipline_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, OrgDisciplineCase):
        return
    overrides = overrides_of(governance)
    decided_on: date | None = None
    decider = ""
    for index, event in enumerate(record.history):
        at: Loc = ("history", index)
        rules = in_force(event.date, overrides)
        if governance.units:
            yield from _who_acts(record, event, at, governance)
        if event.state in ("proposed", "decided") and event.form is None:
            yield Issue(
                (*at, "form"),
                "org_discipline.form",
                f"bước {labels.state_named(record.kind, event.state)} phải ghi hình thức",
            )
        if event.state in ("proposed", "decided") and event.form is not None:
            yield from _count(event, at, rules)
        if event.state == "decided":
            decider = event.body
        if event.state in ("appealed", "appeal_answered") and decider:
            yield from appeal_above(governance, decider, event.body, (*at, "body"))
        if event.state == "decided" and event.form is not None:
            decided_on = event.date
            yield from _limitation(record, event, at, rules)
        if event.state == "appealed" and decided_on is not None:
            received = next(
                (e.date for e in reversed(record.history[:index]) if e.state == "announced"),
                decided_on,
            )
            months = rules.amount("appeal_months")
            last = add_months(received, months)
            if event.date > last:
                yield Issue(
                    (*at, "date"),
                    "org_discipline.appeal_late",
                    f"khiếu nại phải gửi trong {months} tháng kể từ khi nhận quyết định (hạn "
                    f"{last}, {rules['appeal_months'].source}); nhận được {event.date}: không "
                    "được thụ lý",
                )


def target_unit(record: OrgDisciplineCase) -> str:
    return record.cell


def _above(body: str, record: OrgDisciplineCase, governance: Governance) -> bool:
    """The body belongs to an organisation strictly above the one disciplined."""
    committee = governance.committees.get(body)
    unit = committee.unit if committee else body
    target = target_unit(record)
    return unit != target and governance.is_within(target, unit)


def _who_acts(
    record: OrgDisciplineCase, event: OrgDisciplineEvent, at: Loc, governance: Governance
) -> Iterator[Issue]:
    body = event.body
    committee = governance.committees.get(body)
    if event.state == "self_reviewed":
        own = (committee.unit if committee else body) == target_unit(record)
        if not own:
            yield Issue(
                (*at, "body"),
                "org_discipline.body",
                "bước kiểm điểm do chính tổ chức đảng vi phạm "
                f"({labels.body(governance, record.organisation)}) thực hiện; nhận được "
                f"{labels.body(governance, body)} ({body})",
            )
        return
    step = ORG_DISCIPLINE.steps.get(event.state)
    if body in CENTRAL_BODIES and step is not None and step.central:
        return  # an appeal against the province's decision goes to the central level
    kinds = (*_LEADING, "inspection")
    if committee is None or committee.kind not in kinds or not _above(body, record, governance):
        yield Issue(
            (*at, "body"),
            "org_discipline.body",
            f"bước {labels.state_named(record.kind, event.state)} do cấp ủy, ban thường vụ "
            "hoặc ủy ban kiểm tra của tổ chức đảng cấp trên của "
            f"{labels.body(governance, record.organisation)} thực hiện; nhận được "
            f"{labels.body(governance, body)} ({body})",
        )
        return
    # A form changed on appeal is imposed by the body that answers, within its competence.
    changed = event.state == "appeal_answered" and event.outcome == "changed"
    if (event.state == "decided" or changed) and event.form is not None:
        yield from _competence(record, event, at, governance)


def _competence(
    record: OrgDisciplineCase, event: OrgDisciplineEvent, at: Loc, governance: Governance
) -> Iterator[Issue]:
    committee = governance.committees[event.body]
    unit = governance.units.get(committee.unit)
    label = ORG_FORM_LABELS[str(event.form)]
    why = None
    if committee.kind == "inspection" and event.form == "dissolution":
        why = "ủy ban kiểm tra chỉ khiển trách, cảnh cáo tổ chức đảng cấp dưới"
    elif event.form == "dissolution" and (
        unit is None or unit.level not in ("district", "province")
    ):
        why = "chỉ cấp ủy, ban thường vụ cấp huyện, cấp tỉnh quyết định giải tán tổ chức đảng"
    if why:
        yield Issue(
            (*at, "body"),
            "org_discipline.competence",
            f"{why} (QĐ 22-QĐ/TW, cần kiểm tra); hồ sơ ghi: {label} do "
            f"{body_label(governance, event.body)} quyết định",
        )


def _count(event: OrgDisciplineEvent, at: Loc, rules: RuleSet) -> Iterator[Issue]:
    vote = event.vote
    if vote is None or not event.form_votes:
        return
    rule = rules["org_discipline_vote"]
    of = eligible(vote)
    cast, problems = ballots(vote.present, event.form_votes, ORG_FORM_LABELS)
    for why in problems:
        yield Issue((*at, "form_votes"), "vote.counts", f"số liệu biểu quyết không khớp: {why}")
    if problems:
        return
    total, reached = 0, None
    for form in HEAVIEST_FIRST:
        total += cast.get(form, 0)
        if reaches(total, of, rule):
            reached = form
            break
    if reached is None:
        yield Issue(
            (*at, "form_votes"),
            "org_discipline.no_form",
            f"cộng phiếu từ hình thức nặng nhất, không hình thức nào đạt {rule.describe()} "
            f"của {of} ({rule.source}): không đủ căn cứ thi hành kỷ luật",
        )
    elif reached != event.form:
        yield Issue(
            (*at, "form"),
            "org_discipline.heaviest_first",
            f"cộng phiếu từ hình thức nặng nhất, hình thức đạt {rule.describe()} của {of} "
            f"đầu tiên là {ORG_FORM_LABELS[reached]} ({rule.source}); nhận được "
            f"{ORG_FORM_LABELS[str(event.form)]}",
        )


def _limitation(
    record: OrgDisciplineCase, event: OrgDisciplineEvent, at: Loc, rules: RuleSet
) -> Iterator[Issue]:
    if event.form == "dissolution" or record.violation.category in _NO_LIMIT:
        return
    key = (
        "org_limitation_reprimand_years"
        if event.form == "reprimand"
        else "org_limitation_warning_years"
    )
    years = rules.amount(key)
    last = add_months(record.violation.date, 12 * years)
    if event.date > last:
        yield Issue(
            (*at, "date"),
            "org_discipline.limitation",
            f"đã hết thời hiệu {years} năm cho {ORG_FORM_LABELS[str(event.form)]} (vi phạm ngày "
            f"{record.violation.date}, thời hiệu hết sau ngày {last}, {rules[key].source}, "
            "cần kiểm tra)",
        )
