"""Lists of cases and of what is due, from the validator's per-record summaries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from hoso.governance import Governance
from hoso.validate.record import Summary


@dataclass(frozen=True)
class Filter:
    unit: str | None = None
    """A unit code: the case's cell must lie in its subtree."""
    kind: str | None = None
    status: str | None = None
    overdue: bool = False


def select(
    summaries: dict[str, Summary], governance: Governance, wanted: Filter, as_of: date
) -> list[tuple[str, Summary]]:
    today = as_of.isoformat()
    subtree = governance.subtree(wanted.unit) if wanted.unit else None
    out = []
    for rel, s in sorted(summaries.items()):
        if subtree is not None and s.cell not in subtree and s.unit not in subtree:
            continue
        if wanted.kind and s.kind != wanted.kind:
            continue
        if wanted.status and s.status != wanted.status:
            continue
        if wanted.overdue and not any(due < today for due, _ in s.due):
            continue
        out.append((rel, s))
    return out


@dataclass(frozen=True)
class DueItem:
    rel: str
    id: str
    unit: str
    what: str
    due: str
    overdue: bool
    cell: str = ""


def due_within(summaries: dict[str, Summary], as_of: date, days: int) -> dict[str, list[DueItem]]:
    """Pending steps overdue or due within ``days``, grouped by district unit, soonest first."""
    today = as_of.isoformat()
    # Any number of days is a fair question; past the calendar's end it means "everything".
    far = (date.max - as_of).days
    horizon = (as_of + timedelta(days=min(days, far))).isoformat()
    grouped: dict[str, list[DueItem]] = defaultdict(list)
    for rel, s in summaries.items():
        for due, what in s.due:
            if due <= horizon:
                grouped[s.unit].append(DueItem(rel, s.id, s.unit, what, due, due < today, s.cell))
    return {
        unit: sorted(items, key=lambda i: (i.due, i.id)) for unit, items in sorted(grouped.items())
    }
