"""Calendar arithmetic in months and years, as the rules count them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    raise ValueError(day)


def full_months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a birthday counts on its day)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day and add_months(start, months) > end else months


Span = TypeVar("Span", bound=tuple[Any, ...])


def holding(spans: Iterable[Span], day: str) -> Span | None:
    """The earliest span ``(since, until, …)`` of ISO days that holds ``day``: since <= day and
    day < until, ``until`` "" while the span is open."""
    return next((s for s in sorted(spans) if s[0] <= day and (not s[1] or day < s[1])), None)
