"""Building one case's history: dates that keep the party's deadlines, votes that pass or fail."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from hoso.rules.calendar import Calendar


class Timeline:
    """A clock and an event list for one case."""

    def __init__(self, rng: random.Random, calendar: Calendar, start: date) -> None:
        self.rng = rng
        self.calendar = calendar
        self.day = start
        self.events: list[dict[str, Any]] = []
        self._numbers = rng.randrange(1, 90)

    def wait_days(self, low: int, high: int) -> date:
        self.day = self._workday(self.day + timedelta(days=self.rng.randrange(low, high + 1)))
        return self.day

    def wait_days_until(self, low: int, high: int, last: date) -> date:
        """Like ``wait_days``, but never past ``last``: a step with a deadline in calendar
        days (an appeal within a month) lands on the last working day before it if the wait
        would run over (a long holiday such as Tết moves a day forward)."""
        self.wait_days(low, high)
        if self.day > last:
            day = last
            while not self.calendar.is_workday(day):
                day -= timedelta(days=1)
            self.day = day
        return self.day

    def wait_workdays(self, low: int, high: int) -> date:
        self.day = self.calendar.add_workdays(self.day, self.rng.randrange(low, high + 1))
        return self.day

    def _workday(self, day: date) -> date:
        while not self.calendar.is_workday(day):
            day += timedelta(days=1)
        return day

    def add(self, state: str, body: str, **extra: Any) -> dict[str, Any]:
        event: dict[str, Any] = {"date": self.day, "state": state, "body": body}
        event.update({k: v for k, v in extra.items() if v is not None})
        self.events.append(event)
        return event

    def document(self, symbol: str, issuer: str) -> dict[str, Any]:
        self._numbers += self.rng.randrange(1, 7)
        return {"number": f"{self._numbers}-{symbol}", "date": self.day, "issuer": issuer}

    def vote(
        self,
        members: int,
        passed: bool,
        threshold: float = 2 / 3,
        method: str = "secret_ballot",
        absent_ok: bool = True,
    ) -> dict[str, Any]:
        """Counts for a vote of ``members`` reaching (or missing) ``threshold`` of those eligible.

        ``threshold`` 2/3 means at least two thirds; 0.5 means more than half.
        """
        r = self.rng
        exempted = r.randrange(0, 3) if absent_ok and members > 12 else 0
        transferred = r.randrange(0, 2) if absent_ok and members > 12 else 0
        eligible = members - exempted - transferred
        need = math.ceil(eligible * 2 / 3) if threshold > 0.6 else eligible // 2 + 1
        present = eligible - r.randrange(0, min(3, eligible - need) + 1) if passed else eligible
        if passed:
            in_favour = r.randrange(need, present + 1)
        else:
            in_favour = r.randrange(max(0, need - 4), need)
        against = r.randrange(0, present - in_favour + 1)
        vote = {
            "official_members": members,
            "exempted_absent": exempted,
            "transferred_out": transferred,
            "present": present,
            "in_favour": in_favour,
            "against": against,
            "abstain": present - in_favour - against,
            "method": method,
        }
        return vote
