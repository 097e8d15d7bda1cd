"""The Vietnamese working-day calendar: weekends, public holidays (lunar ones included) and the
government's shifted days (a weekday off, a Saturday worked in exchange) as the ``holidays``
library knows them, plus those a province records in ``governance/settings.yaml``.

Counting is arithmetic, not a walk from day to day: weekdays are counted from the day numbers,
then each exception of the years in between (a holiday on a weekday, a make-up Saturday) is
added or taken away. A count costs a step per year spanned, however far apart the days are.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

from hoso.rules.public_holidays import make_up_days, public_holidays

_DAY = timedelta(days=1)
_WALK = 64
"""Up to this many working days, ``add_workdays`` steps day by day (cheaper than searching)."""


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class Calendar:
    """Working days: Monday to Friday, less public holidays and days off, plus make-up days."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._exceptions: dict[int, tuple[list[date], list[int]]] = {}
        self._added: dict[tuple[date, int], date] = {}

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if day.weekday() >= 5:
            return day in make_up_days(day.year)
        return day not in public_holidays(day.year)

    def add_workdays(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted);
        remembered, as many steps of many cases fall on the same days."""
        key = (start, count)
        found = self._added.get(key)
        if found is None:
            found = self._added[key] = self._add_workdays(start, count)
        return found

    def _add_workdays(self, start: date, count: int) -> date:
        if count <= _WALK:
            day, remaining = start, count
            while remaining > 0:
                day += _DAY
                if self.is_workday(day):
                    remaining -= 1
            return day
        # The first day by which ``count`` working days have passed: widen, then halve.
        low, span = 0, count * 7 // 5 + 14
        while self.workdays_between(start, start + timedelta(days=span)) < count:
            low, span = span, span * 2
        while low + 1 < span:
            middle = (low + span) // 2
            if self.workdays_between(start, start + timedelta(days=middle)) < count:
                low = middle
            else:
                span = middle
        return start + timedelta(days=span)

    def past(self, due: date, day: date) -> bool:
        """Whether ``day`` misses a deadline in working days whose last working day is
        ``due``: a working day has passed since. The days off right after ``due`` (a weekend,
        a holiday) add no working day, so a step taken on them is still in time."""
        return self.workdays_between(due, day) > 0

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end`` <= ``start``)."""
        if end <= start:
            return 0
        count = _weekdays_through(end) - _weekdays_through(start)
        for year in range(start.year, end.year + 1):
            days, changes = self._year(year)
            first, last = bisect_right(days, start), bisect_right(days, end)
            count += sum(changes[first:last])
        return count

    def _year(self, year: int) -> tuple[list[date], list[int]]:
        """The days of ``year`` that the weekday rule gets wrong, sorted, each with +1 (a
        working weekend day) or -1 (a weekday off)."""
        found = self._exceptions.get(year)
        if found is None:
            candidates = (
                public_holidays(year)
                | make_up_days(year)
                | {d for d in self.extra_holidays | self.extra_workdays if d.year == year}
            )
            days: list[date] = []
            changes: list[int] = []
            for day in sorted(candidates):
                working, weekday = self.is_workday(day), day.weekday() < 5
                if working != weekday:
                    days.append(day)
                    changes.append(1 if working else -1)
            found = self._exceptions[year] = (days, changes)
        return found
