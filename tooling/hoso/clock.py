"""Today's date where the rules are kept: Việt Nam (UTC+7, no daylight saving), whatever zone
the machine runs in.

A forge's runner keeps UTC, seven hours behind: from midnight to 7 a.m. in the province its own
date is still yesterday's, so a step recorded that morning would read as dated in the future, a
deadline would fall due a day late, and a term that ended the evening before would still run."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
"""The zone in which days begin and end for the rules (terms, deadlines, dates of steps)."""


def today(now: datetime | None = None) -> date:
    """The day it is in Việt Nam (at ``now``, an aware time; at this moment by default)."""
    return (now or datetime.now(VIETNAM)).astimezone(VIETNAM).date()
