"""The working-day calendar counts by arithmetic exactly as a day-by-day walk would."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from hoso.rules.calendar import Calendar

_DAY = timedelta(days=1)


def _walked_between(calendar: Calendar, start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += _DAY
        count += calendar.is_workday(day)
    return count


def _walked_add(calendar: Calendar, start: date, count: int) -> date:
    day = start
    while count > 0:
        day += _DAY
        count -= calendar.is_workday(day)
    return day


CALENDARS = [
    Calendar(),
    Calendar(
        extra_holidays=[date(2025, 5, 2), date(2024, 4, 29), date(2026, 1, 2)],
        extra_workdays=[date(2025, 4, 26), date(2024, 5, 4), date(2026, 1, 10)],
    ),
]


@pytest.mark.parametrize("calendar", CALENDARS)
def test_counts_agree_with_a_day_by_day_walk(calendar: Calendar) -> None:
    rng = random.Random(13)
    for _ in range(300):
        start = date(2018, 1, 1) + timedelta(days=rng.randrange(3650))
        end = start + timedelta(days=rng.randrange(-30, 900))
        assert calendar.workdays_between(start, end) == _walked_between(calendar, start, end)
        count = rng.choice([0, 1, 5, 30, 60, 64, 65, 90, 250, 700])
        assert calendar.add_workdays(start, count) == _walked_add(calendar, start, count)


def test_far_apart_days_cost_a_step_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the earliest to the latest day a record may name: no day-by-day walk."""
    calendar = Calendar()
    asked: list[date] = []
    original = Calendar.is_workday

    def counting(self: Calendar, day: date) -> bool:
        asked.append(day)
        return original(self, day)

    monkeypatch.setattr(Calendar, "is_workday", counting)
    total = calendar.workdays_between(date(1900, 1, 1), date(2099, 12, 31))
    assert 49_000 < total < 52_200
    assert len(asked) < 200 * 25  # the public holidays of each year, not its 365 days
    asked.clear()
    assert calendar.add_workdays(date(2099, 12, 31), 7300) > date(2127, 1, 1)
    assert len(asked) < 60 * 25


def test_a_saturday_worked_for_a_day_off_is_a_working_day() -> None:
    """29/04/2024 (a Monday) was given off for Saturday 04/05/2024, worked; 02/05/2025 for
    26/04/2025. A decision counted from a cell resolution of 01/03/2024 reaches its 60th
    working day on 29/05/2024, not on 30/05/2024."""
    calendar = Calendar()
    assert calendar.is_workday(date(2024, 5, 4))
    assert not calendar.is_workday(date(2024, 4, 29))
    assert calendar.is_workday(date(2025, 4, 26))
    assert not calendar.is_workday(date(2024, 5, 11))  # an ordinary Saturday
    assert calendar.workdays_between(date(2024, 4, 26), date(2024, 5, 6)) == 4
    assert calendar.add_workdays(date(2024, 3, 1), 60) == date(2024, 5, 29)
    assert Calendar(extra_holidays=[date(2024, 5, 4)]).is_workday(date(2024, 5, 4)) is False
