"""Leaving the party: the card is collected on every exit, and a member whose breach calls for
expulsion is expelled, never struck off or released instead (xóa tên is no way round khai trừ).

The second rule spans records: a discipline case tells, per member (party card), from when to
when it calls for expulsion; a screening case tells when it struck off or released the member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from hoso.governance import Governance
from hoso.labels import state_named
from hoso.models import DisciplineCase, Record, ScreeningCase
from hoso.rules.dates import holding
from hoso.validate.record import (
    CrossIssue,
    Issue,
    Loc,
    Summary,
    register,
    register_cross,
    register_facts,
    register_warning,
)

_EXITS = ("struck_off", "released")
_SETTLED = ("decided", "dismissed")
"""Where a discipline case has concluded on the violation (decided a form, or dismissed it)."""


def expulsion_in_force(record: DisciplineCase) -> bool:
    """The case ends in an expulsion that stands: decided, and not annulled or changed."""
    form = None
    for event in record.history:
        if event.state == "decided":
            form = event.form
        if event.state == "appeal_answered" and event.outcome in ("annulled", "changed"):
            form = None if event.outcome == "annulled" else event.form
    return form == "expulsion"


@register
def card_collected_only_on_exit(record: Record, governance: Governance) -> Iterator[Issue]:
    if isinstance(record, ScreeningCase):
        yield from _card_after_annulment(record)
    if not isinstance(record, DisciplineCase):
        return
    for index, event in enumerate(record.history):
        if event.state == "card_collected" and not expulsion_in_force(
            record.model_copy(update={"history": record.history[:index]})
        ):
            yield Issue(
                ("history", index, "state"),
                "discipline.card",
                "chỉ thu hồi thẻ đảng viên khi quyết định khai trừ có hiệu lực; hồ sơ này không "
                "(hoặc không còn) có quyết định khai trừ",
            )


def _card_after_annulment(record: ScreeningCase) -> Iterator[Issue]:
    """A complaint answered by annulling the decision to strike the member off (or release
    them) leaves no exit: the card is not collected after that answer."""
    annulled = None
    for index, event in enumerate(record.history):
        if event.state in _EXITS:
            annulled = None
        if event.state == "complaint_answered" and event.outcome == "annulled":
            annulled = event.date
        if event.state == "card_collected" and annulled is not None:
            yield Issue(
                ("history", index, "state"),
                "screening.card",
                "chỉ thu hồi thẻ đảng viên khi quyết định xóa tên hoặc cho ra khỏi Đảng có "
                f"hiệu lực; quyết định đã bị hủy bỏ khi giải quyết khiếu nại ({annulled})",
            )


@register_warning
def card_collected_on_exit(record: Record, governance: Governance) -> Iterator[Issue]:
    """Every exit (struck off, released, expelled) ends with the cell collecting the card."""
    if isinstance(record, ScreeningCase):
        states = [e.state for e in record.history]
        left = any(s in _EXITS for s in states)
        annulled = any(e.outcome == "annulled" for e in record.history)
        if left and not annulled and "card_collected" not in states:
            yield Issue(
                ("status",),
                "exit.card",
                "đảng viên đã bị xóa tên hoặc cho ra khỏi Đảng: chi bộ phải thu hồi thẻ đảng "
                f"viên và ghi bước {state_named('screening', 'card_collected')}",
                "warning",
            )
    elif isinstance(record, DisciplineCase):
        steps = [e.state for e in record.history]
        announced = "announced" in steps or "appeal_answered" in steps
        if announced and expulsion_in_force(record) and "card_collected" not in steps:
            yield Issue(
                ("status",),
                "exit.card",
                "đảng viên đã bị khai trừ: chi bộ phải thu hồi thẻ đảng viên và ghi bước "
                f"{state_named('discipline', 'card_collected')}",
                "warning",
            )


@register_facts
def exit_facts(record: Record, governance: Governance) -> Iterator[tuple[str, str, str, str, Loc]]:
    """For a discipline case, the span in which it calls for expulsion ("expulsion", from, to
    or "" while it stands) and the span in which the member's violation is being considered
    ("considered", from its opening to its decision or dismissal, or "" while open); for a
    screening case, each removal ("removal", day)."""
    if isinstance(record, DisciplineCase) and record.subject.party_card:
        card = record.subject.party_card
        closed = next((e.date for e in record.history if e.state in _SETTLED), None)
        until = closed.isoformat() if closed else ""
        opened = record.history[0].date.isoformat()
        yield "considered", card, opened, f"{record.id}|{until}", ("id",)
        since = None
        for event in record.history:
            calls = event.form == "expulsion" if event.form is not None else None
            if event.state == "dismissed" or (
                event.state == "appeal_answered" and event.outcome == "annulled"
            ):
                calls = False
            if calls and since is None:
                since = event.date
            elif calls is False and since is not None:
                yield "expulsion", card, since.isoformat(), f"{record.id}|{event.date}", ("id",)
                since = None
        if since is not None:
            yield "expulsion", card, since.isoformat(), f"{record.id}|", ("id",)
    if isinstance(record, ScreeningCase) and record.subject.party_card:
        for index, step in enumerate(record.history):
            if step.state in _EXITS:
                at: Loc = ("history", index, "state")
                yield "removal", record.subject.party_card, step.date.isoformat(), step.state, at


@register_cross
def no_removal_instead_of_expulsion(
    known: list[tuple[str, Summary]], as_of: str, whole: bool
) -> Iterable[CrossIssue]:
    spans: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    considered: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for _, summary in known:
        for what, card, day, detail, _ in summary.facts:
            if what in ("expulsion", "considered"):
                case, _, until = detail.partition("|")
                (spans if what == "expulsion" else considered)[card].append((day, until, case))
    if not spans and not considered:
        return
    for rel, summary in known:
        for what, card, day, detail, at in summary.facts:
            if what != "removal":
                continue
            expelling = holding(spans.get(card, ()), day)
            breach = holding(considered.get(card, ()), day) if detail == "released" else None
            if expelling is not None:
                since, _, case = expelling
                how = "xóa tên" if detail == "struck_off" else "cho ra khỏi Đảng"
                yield (
                    rel,
                    at,
                    "exit.expulsion_pending",
                    f"đảng viên này (cùng số thẻ đảng viên) đang bị xem xét kỷ luật khai "
                    f"trừ trong hồ sơ {case} (từ {since}): vi phạm đến mức khai trừ thì "
                    f"phải khai trừ, không {how} ({day})",
                    "error",
                )
            elif breach is not None:
                since, _, case = breach
                yield (
                    rel,
                    at,
                    "exit.release_in_breach",
                    f"đảng viên này (cùng số thẻ đảng viên) đang bị xem xét kỷ luật "
                    f"trong hồ sơ {case} (từ {since}): chỉ cho ra khỏi Đảng khi không vi "
                    f"phạm; xem xét, kết luận vi phạm trước ({day})",
                    "error",
                )
