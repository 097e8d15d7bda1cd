"""What the site's figures read of a case, worked out once per record content.

A case's ``Facts`` hold its steps (the fields the figures count by), what it owes now, and what
it owed after each day it recorded a step: everything the counts, the tiles and the report's
figures need, and nothing personal. They are plain values, kept between builds by blob id
(``hoso.site.store``), so that a build reads and checks again only the records that changed.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from hoso.governance import Governance
from hoso.models import Case

_DAY = itemgetter(0)


class Step(NamedTuple):
    """One step of a case, as the figures count it."""

    state: str
    date: date
    criteria: tuple[str, ...] = ()
    """A screening listing's criteria."""
    form: str | None = None
    """A discipline decision's form."""
    body: str | None = None
    """The body that decided a discipline."""


class Facts(NamedTuple):
    """A case as the figures count it. Tuples: a store of 50,000 loads in a fraction of the
    time dataclasses take."""

    id: str
    kind: str
    cell: str
    status: str
    history: tuple[Step, ...]
    dues: tuple[tuple[str, date], ...]
    """What the case owes now: each step's description and due day."""
    owed: tuple[tuple[date, date | None], ...]
    """For each day the case recorded a step, in order: that day, and the earliest due day of
    what it owed with the steps dated up to then (None when it owed nothing)."""

    def first_due(self, end: date) -> date | None:
        """The earliest due day of what the case owed with the steps it had by ``end``."""
        found = bisect_right(self.owed, end, key=_DAY)
        return self.owed[found - 1][1] if found else None

    def shared(self, days: dict[date, date]) -> Facts:
        """The same facts, each code and day one object shared with every other case's
        (``days``), which a store keeps once."""
        text = sys.intern
        day = days.setdefault
        steps = tuple(
            Step(text(s.state), day(s.date, s.date), s.criteria, s.form, s.body)
            for s in self.history
        )
        dues = tuple((text(what), day(due, due)) for what, due in self.dues)
        owed = tuple(
            (day(then, then), None if due is None else day(due, due)) for then, due in self.owed
        )
        return Facts(
            self.id, text(self.kind), text(self.cell), text(self.status), steps, dues, owed
        )


def facts_of(case: Case, governance: Governance) -> Facts:
    from hoso.rules.deadlines import pending

    history = tuple(_step(e) for e in case.history)
    dues = tuple((d.what, d.due) for d in pending(case, governance))
    owed = []
    days = sorted({s.date for s in history})
    # Every step: the case as it stands, when its status is its latest step's (as
    # 'hoso validate' requires); else judged on its steps, as on every other day.
    agrees = str(case.status) == history[-1].state if history else False
    for n, day in enumerate(days):
        if n == len(days) - 1 and agrees:
            owed.append((day, min((due for _, due in dues), default=None)))
        else:
            owed.append((day, _owed_then(case, day, governance)))
    return Facts(case.id, case.kind, case.cell, str(case.status), history, dues, tuple(owed))


def _step(event: Any) -> Step:
    # The fields as the model holds them: a step without criteria, a form or a body has
    # none, and asking the model for an absent attribute is slow.
    fields = event.__dict__
    criteria = fields.get("criteria") or ()
    form, body = fields.get("form"), fields.get("body")
    return Step(
        str(fields.get("state", "")),
        fields["date"],
        tuple(str(c) for c in criteria),
        None if form is None else str(form),
        None if body is None else str(body),
    )


def _owed_then(case: Case, end: date, governance: Governance) -> date | None:
    """The earliest due day of what ``case`` owed with only its steps dated up to ``end``; a
    case that had ended (or had not begun) owes no step."""
    from hoso.rules.deadlines import pending
    from hoso.rules.workflow import settled

    events = [e for e in case.history if e.date <= end]
    if not events or settled(case.kind, [str(getattr(e, "state", "")) for e in events]):
        return None
    then = case.model_copy(
        update={"history": events, "status": getattr(events[-1], "state", case.status)}
    )
    return min((d.due for d in pending(then, governance)), default=None)
