"""A transfer left unfinished feeds screening: a member whose transfer letter was not presented
by its deadline is one the cell must consider in screening (the criterion of not transferring
activity as the rules require). Matched by party card with the screening cases opened since;
said only when every record was read, since only then does a missing case prove anything."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from hoso.governance import Governance
from hoso.models import Record, TransferCase
from hoso.models.screening import CRITERION_LABELS
from hoso.rules.deadlines import pending
from hoso.validate.record import CrossIssue, Loc, Summary, register_cross, register_facts


@register_facts
def unfinished_facts(
    record: Record, governance: Governance
) -> Iterator[tuple[str, str, str, str, Loc]]:
    """("transfer_unfinished", card, the day the letter had to be presented by, case id) for
    a transfer whose letter was issued and not yet presented."""
    if not isinstance(record, TransferCase) or record.status != "letter_issued":
        return
    card = record.subject.party_card
    for due in pending(record, governance):
        if card and due.state == "presented":
            yield "transfer_unfinished", card, due.due.isoformat(), record.id, ("status",)


@register_cross
def unfinished_transfer_screened(
    known: list[tuple[str, Summary]], as_of: str, whole: bool
) -> Iterable[CrossIssue]:
    if not whole:
        return
    screened: dict[str, list[str]] = defaultdict(list)
    for _, summary in known:
        for what, card, day, _, _ in summary.facts:
            if what == "screening":
                screened[card].append(day)
    criterion = CRITERION_LABELS["transfer_not_completed"]
    for rel, summary in known:
        for what, card, due, _, at in summary.facts:
            if what != "transfer_unfinished" or due >= as_of:
                continue
            if any(opened >= due for opened in screened.get(card, [])):
                continue
            yield (
                rel,
                at,
                "transfer.screening_due",
                f"chuyển sinh hoạt bỏ dở: giấy giới thiệu phải nộp cho nơi đến chậm nhất ngày "
                f"{due} mà chưa nộp; đảng viên này phải được xem xét khi rà soát (tiêu chí "
                f"“{criterion}”): mở hồ sơ rà soát cho người này, hoặc ghi bước đã nộp nếu đã nộp",
                "warning",
            )
