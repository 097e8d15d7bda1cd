"""The Vietnamese working-day calendar: weekends, public holidays (lunar ones included) and the
government's yearly shifted days, which each province records in ``governance/settings.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


class Calendar:
    """Working days: Monday to Friday, less public holidays and days off, plus make-up days."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day.weekday() >= 5 or day in self.extra_holidays:
            return False
        return day not in _public_holidays(day.year)

    def add_workdays(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += _DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end`` <= ``start``)."""
        count, day = 0, start
        while day < end:
            day += _DAY
            count += self.is_workday(day)
        return count
