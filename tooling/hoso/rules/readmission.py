"""Readmission across records: only once, and at least the firm number of months after the
member left, counted from the leaving the repository itself records (a strike-off, a release,
an expulsion, a removal from probation), not only from the day the readmission record claims.

Records are matched by party card, as the other rules across records are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from hoso.governance import Governance
from hoso.models import AdmissionCase, DisciplineCase, Record, ScreeningCase
from hoso.rules.dates import add_months
from hoso.rules.exits import expulsion_in_force
from hoso.rules.rulesets import in_force
from hoso.validate.record import CrossIssue, Loc, Summary, register_cross, register_facts

_CELL_VOTES = ("cell_voted", "cell_vote_failed")
_HOW = {
    "struck_off": "bị xóa tên",
    "released": "được cho ra khỏi Đảng",
    "expelled": "bị khai trừ",
    "struck_from_probation": "bị xóa tên khỏi danh sách đảng viên dự bị",
}


@register_facts
def leaving_facts(
    record: Record, governance: Governance
) -> Iterator[tuple[str, str, str, str, Loc]]:
    """("left", card, day, "how|case") for each leaving a record decides; for a readmission,
    ("readmitting", card, the cell's vote or the case's first day, "case|claimed leaving day")
    and, once decided, ("readmitted", card, the decision's day, case)."""
    subject = getattr(record, "subject", None)
    card = subject.party_card if subject is not None else None
    if not card:
        return
    if isinstance(record, ScreeningCase):
        annulled = any(e.outcome == "annulled" for e in record.history)
        for step in record.history:
            if step.state in ("struck_off", "released") and not annulled:
                yield "left", card, step.date.isoformat(), f"{step.state}|{record.id}", ("id",)
    elif isinstance(record, DisciplineCase) and expulsion_in_force(record):
        decisions = [e.date for e in record.history if e.state == "decided"]
        yield "left", card, decisions[-1].isoformat(), f"expelled|{record.id}", ("id",)
    elif isinstance(record, AdmissionCase):
        for event in record.history:
            if event.state == "struck_from_probation":
                detail = f"struck_from_probation|{record.id}"
                yield "left", card, event.date.isoformat(), detail, ("id",)
        again = record.readmission
        if again is None:
            return
        votes = [e.date for e in record.history if e.state in _CELL_VOTES]
        day = (votes[0] if votes else record.history[0].date).isoformat()
        at: Loc = ("readmission", "left_on")
        yield "readmitting", card, day, f"{record.id}|{again.left_on.isoformat()}", at
        decided = next((e.date for e in record.history if e.state == "decided"), None)
        if decided is not None:
            yield "readmitted", card, decided.isoformat(), record.id, ("readmission",)


@register_cross
def readmitted_once_after_the_wait(
    known: list[tuple[str, Summary]], as_of: str, whole: bool
) -> Iterable[CrossIssue]:
    left: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    readmitted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for _, summary in known:
        for what, card, day, detail, _ in summary.facts:
            if what == "left":
                how, _, case = detail.partition("|")
                left[card].append((day, how, case))
            elif what == "readmitted":
                readmitted[card].append((day, detail))
    if not left and not readmitted:
        return
    for rel, summary in known:
        for what, card, day, detail, at in summary.facts:
            if what == "readmitting":
                case, _, claimed = detail.partition("|")
                yield from _once(rel, case, day, readmitted.get(card, []))
                yield from _waited(rel, at, day, claimed, left.get(card, []))


def _once(rel: str, case: str, day: str, earlier: list[tuple[str, str]]) -> Iterator[CrossIssue]:
    for decided, other in sorted(earlier):
        if other != case and decided < day:
            yield (
                rel,
                ("readmission", "readmitted_before"),
                "admission.readmission_once",
                f"người này (cùng số thẻ đảng viên) đã được kết nạp lại theo hồ sơ {other} "
                f"(quyết định ngày {decided}): chỉ được kết nạp lại một lần",
                "error",
            )
            return


def _waited(
    rel: str, at: Loc, day: str, claimed: str, leavings: list[tuple[str, str, str]]
) -> Iterator[CrossIssue]:
    """The last leaving on record before the cell's vote, against the day the record claims."""
    before = [item for item in sorted(leavings) if item[0] < day]
    if not before or before[-1][0] <= claimed:
        return
    recorded, how, case = before[-1]
    rules = in_force(date.fromisoformat(day))
    months = rules.amount("readmission_months")
    said = (
        f"hồ sơ {case} ghi người này (cùng số thẻ đảng viên) {_HOW.get(how, how)} ngày "
        f"{recorded}, sau ngày ra khỏi Đảng ghi ở đây ({claimed})"
    )
    if add_months(date.fromisoformat(recorded), months) > date.fromisoformat(day):
        yield (
            rel,
            at,
            "admission.readmission_wait",
            f"{said}: tính từ ngày đó, chưa đủ {months} tháng trước khi chi bộ xét kết nạp lại "
            f"({day}) ({rules['readmission_months'].source})",
            "error",
        )
    else:
        yield rel, at, "admission.readmission_left_on", f"{said}: hãy ghi đúng ngày", "warning"
