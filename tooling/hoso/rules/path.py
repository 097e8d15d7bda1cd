"""The checks every case kind shares: a legal path, dates in order, competence, documents and
votes, each judged by the rule set in force on the event's date."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from hoso import labels
from hoso.governance import CENTRAL_BODIES, Governance
from hoso.models import PlanRecord, RankingRecord, Record
from hoso.models.common import CaseBase, EventBase
from hoso.models.discipline import DisciplineEvent
from hoso.rules.competence import bodies, place_of
from hoso.rules.rulesets import Override, RuleSet, in_force
from hoso.rules.votes import eligible, inconsistencies, needed, reaches
from hoso.rules.workflow import (
    ACTOR_LABELS,
    ANSWERED,
    EXPULSION_THRESHOLDS,
    WORKFLOWS,
    Step,
    awaiting_answer,
)
from hoso.validate.record import Issue, register

_named = labels.state_named


def _states(kind: str, codes: Iterable[str]) -> str:
    return ", ".join(_named(kind, code) for code in codes)


def _bodies(governance: Governance, codes: Iterable[str]) -> str:
    return ", ".join(labels.body_with_code(governance, code) for code in codes)


def overrides_of(governance: Governance) -> Mapping[str, Override]:
    return governance.settings.rule_overrides if governance.settings else {}


@register
def legal_path(record: Record, governance: Governance) -> Iterator[Issue]:
    if isinstance(record, (PlanRecord, RankingRecord)):
        return
    kind = record.kind
    workflow = WORKFLOWS[kind]
    place = place_of(record, governance) if isinstance(record, CaseBase) else None
    overrides = overrides_of(governance)
    previous: EventBase | None = None
    previous_state = ""
    states: list[str] = []
    for index, event in enumerate(record.history):
        state: str = event.state  # type: ignore[attr-defined]
        step = workflow.steps[state]
        at = ("history", index)
        if previous is not None and event.date < previous.date:
            yield Issue(
                (*at, "date"),
                "workflow.date_order",
                f"các bước phải theo thứ tự thời gian: {event.date} trước bước liền "
                f"trước ({previous.date})",
            )
        if previous is None and step.after:
            yield Issue(
                (*at, "state"),
                "workflow.opening",
                f"hồ sơ phải bắt đầu bằng: {_states(kind, workflow.opening())}; nhận được "
                f"{_named(kind, state)}",
            )
        elif previous is not None and previous_state not in step.after:
            legal = _states(kind, workflow.next_states(previous_state)) or "(không có, đã kết thúc)"
            yield Issue(
                (*at, "state"),
                "workflow.transition",
                f"không thể chuyển từ {_named(kind, previous_state)} sang {_named(kind, state)}; "
                f"bước hợp lệ tiếp theo: {legal}",
            )
        elif state in ANSWERED and not awaiting_answer(states):
            yield Issue(
                (*at, "state"),
                "workflow.transition",
                f"không thể ghi {_named(kind, state)}: chưa có khiếu nại nào đang chờ giải quyết",
            )
        if place is not None:
            actor = step.actor
            if actor == "letter_issuer" and getattr(record, "direction", "") == "incoming":
                actor = "district_office"  # the sending committee is outside the unit tree
            allowed = bodies(actor, place)
            if allowed is not None and step.central:
                allowed = allowed | frozenset(CENTRAL_BODIES)
            if allowed is not None and event.body not in allowed:
                yield Issue(
                    (*at, "body"),
                    "competence.body",
                    f"bước {_named(kind, state)} do {ACTOR_LABELS[actor]} thực hiện: một "
                    f"trong {_bodies(governance, sorted(allowed))}; nhận được "
                    f"{labels.body_with_code(governance, event.body)}",
                )
        if step.document and event.document is None:
            yield Issue(
                (*at, "document"),
                "workflow.document",
                f"bước {_named(kind, state)} phải ghi văn bản (số, ngày, cơ quan ban hành)",
            )
        yield from _vote(at, kind, step, event, in_force(event.date, overrides))
        yield from _roster(at, event, governance)
        previous, previous_state = event, state
        states.append(state)


def serving(governance: Governance, committee: str, on: date) -> int | None:
    """How many members ``committee`` has on ``on`` by governance/committees.yaml; None when the
    body is not a committee with its members listed (a cell's roll is not in governance)."""
    key = ("serving", committee, on)
    if key not in governance.memo:
        found = governance.committees.get(committee)
        governance.memo[key] = (
            sum(
                1
                for m in found.members
                if m.term_from <= on and (m.term_until is None or on <= m.term_until)
            )
            if found is not None and found.members
            else None
        )
    count: int | None = governance.memo[key]
    return count


def _roster(at: tuple[str | int, ...], event: EventBase, governance: Governance) -> Iterator[Issue]:
    """A committee's vote counts its members serving that day, as governance lists them."""
    if event.vote is None:
        return
    count = serving(governance, event.body, event.date)
    if count is not None and event.vote.official_members != count:
        yield Issue(
            (*at, "vote", "official_members"),
            "vote.roster",
            f"{labels.body(governance, event.body)} có {count} thành viên đương nhiệm ngày "
            f"{event.date} theo governance/committees.yaml; nhận được "
            f"{event.vote.official_members}",
        )


def _vote(
    at: tuple[str | int, ...], kind: str, step: Step, event: EventBase, rules: RuleSet
) -> Iterator[Issue]:
    vote = event.vote
    if vote is None:
        if step.vote in ("pass", "fail"):
            yield Issue(
                (*at, "vote"),
                "vote.missing",
                f"bước {_named(kind, step.state)} phải ghi kết quả biểu quyết",
            )
        return
    wrong = list(inconsistencies(vote))
    for field, why in wrong:
        yield Issue((*at, "vote", field), "vote.counts", f"số liệu biểu quyết không khớp: {why}")
    if step.secret and vote.method != "secret_ballot":
        yield Issue(
            (*at, "vote", "method"),
            "vote.secret",
            f"bước {_named(kind, step.state)} phải bỏ phiếu kín (secret_ballot); nhận được "
            f"{labels.VOCABULARIES['method'].label(str(vote.method))} ({vote.method})",
        )
    key = step.threshold
    discipline = event if isinstance(event, DisciplineEvent) else None  # the steps with a form
    if discipline and discipline.form == "expulsion" and step.state in EXPULSION_THRESHOLDS:
        key = EXPULSION_THRESHOLDS[step.state]
    if getattr(event, "form_votes", None):
        return  # votes per form: counted heaviest first by the discipline rules
    if key is None or step.vote not in ("pass", "fail"):
        return
    rule = rules[key]
    of = eligible(vote, key)
    passed = reaches(vote.in_favour, of, rule)
    if vote.passed is not None and vote.passed != passed and not wrong:
        stated, worked = ("đạt", "không đạt") if vote.passed else ("không đạt", "đạt")
        yield Issue(
            (*at, "vote", "passed"),
            "vote.passed_stated",
            f"biên bản ghi “{stated}”, nhưng tính lại từ số phiếu thì {worked}: "
            f"{vote.in_favour} phiếu tán thành, cần {rule.describe()} của {of} = "
            f"{needed(of, rule)} ({rule.source}); công cụ theo kết quả tính lại",
            "warning",
        )
    if step.vote == "pass" and of < 0 and wrong:
        return  # counts that cannot be true: said above, no share of them is worked out
    if step.vote == "pass" and not passed and of <= 0:
        yield Issue(
            (*at, "vote", "official_members"),
            "vote.threshold",
            f"{rule.label}: {vote.official_members} đảng viên chính thức, trừ những người không "
            f"được tính (miễn sinh hoạt, chuyển sinh hoạt tạm thời đi), không còn ai để biểu "
            f"quyết, nên không thể có nghị quyết ({rule.source})",
        )
    elif step.vote == "pass" and not passed:
        yield Issue(
            (*at, "vote", "in_favour"),
            "vote.threshold",
            f"{rule.label}: cần {rule.describe()} của {of} = {needed(of, rule)} phiếu "
            f"tán thành ({rule.source}); nhận được {vote.in_favour}",
        )
    elif step.vote == "fail" and passed:
        yield Issue(
            (*at, "vote", "in_favour"),
            "vote.threshold_reached",
            f"bước {labels.state_named(kind, step.state)} ghi biểu quyết không đạt, nhưng "
            f"{vote.in_favour} phiếu "
            f"đã đạt {rule.describe()} của {of} ({rule.source})",
        )
