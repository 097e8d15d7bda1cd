"""Vietnam's public holidays by year, from the ``holidays`` library, kept on disk.

Importing the library loads every country it knows, about a sixth of a second that a one-file
check in a pre-commit hook would pay each time. What it says of a year never changes for one
installed copy of the library, so the days are kept in the user's cache folder under a key
naming that copy (where it is, and its version file's size and time). JSON, not pickle: the
file is data, and whatever is in it is read as dates or not at all.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import re
from datetime import MAXYEAR, MINYEAR, date
from functools import cache
from pathlib import Path
from typing import Any

from hoso import user_cache
from hoso.repo import Unreadable, read_record

SPAN = 10
"""Years either side of the one asked for, worked out with it."""


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The days off of ``year``: public holidays, and weekdays off given in exchange for a
    weekend day worked (``make_up_days``)."""
    return frozenset(date.fromisoformat(day) for day in _year(year)["years"])


@cache
def make_up_days(year: int) -> frozenset[date]:
    """The weekend days of ``year`` worked in exchange for a weekday off (the government moves
    a day off next to a holiday: Monday 29/04/2024 off, Saturday 04/05/2024 worked)."""
    return frozenset(date.fromisoformat(day) for day in _year(year)["workdays"])


def _year(year: int) -> dict[str, list[str]]:
    stored = _stored()
    if str(year) not in stored["years"]:
        years = range(max(MINYEAR, year - SPAN), min(MAXYEAR, year + SPAN) + 1)
        off, worked = _computed(years)
        stored["years"].update(off)
        stored["workdays"].update(worked)
        _save(stored)
    return {
        "years": stored["years"][str(year)],
        "workdays": stored["workdays"].get(str(year), []),
    }


_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")
"""How the library names a weekday off given for a weekend day worked (in English)."""


def _computed(years: range) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Days off and make-up working days by year, as the library knows them."""
    import holidays

    off: dict[str, list[str]] = {str(year): [] for year in years}
    worked: dict[str, list[str]] = {str(year): [] for year in years}
    # A year wider each side: a day off at the end of one year can be made up in the next.
    wider = range(max(MINYEAR, years.start - 1), min(MAXYEAR, years.stop) + 1)
    found = holidays.country_holidays("VN", years=list(wider), language="en_US")
    for day in sorted(found):
        if str(day.year) in off:
            off[str(day.year)].append(day.isoformat())
        for month, dom, year in _SUBSTITUTED.findall(found[day]):
            with contextlib.suppress(ValueError):
                made_up = date(int(year), int(month), int(dom))
                if made_up.weekday() >= 5 and str(made_up.year) in worked:
                    worked[str(made_up.year)].append(made_up.isoformat())
    return off, {year: sorted(set(days)) for year, days in worked.items()}


def cache_file() -> Path | None:
    found = user_cache.folder()
    return found / "vn-holidays.json" if found else None


_FORMAT = 2
"""What the stored file holds: 2 adds the make-up working days, read from a span one year
wider than the days off."""

_CAP = 4 << 20
"""Far more than every year there is; a larger file is not one this module wrote."""


def library_key() -> str:
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return ""
    version = Path(spec.origin).with_name("version.py")
    try:
        info = version.stat()
    except OSError:
        return ""
    return f"{version}:{info.st_size}:{info.st_mtime_ns}"


@cache
def _stored() -> dict[str, Any]:
    key = library_key()
    blank: dict[str, Any] = {"key": key, "format": _FORMAT, "years": {}, "workdays": {}}
    path = cache_file()
    try:
        # Read as a record is: only a regular file, never through a link, at most _CAP bytes
        # (a FIFO would wait, a device never end).
        stored = json.loads(read_record(path.parent, path.name, cap=_CAP)) if path else None
    except (Unreadable, ValueError, RecursionError):
        return blank
    if not key or not isinstance(stored, dict) or stored.get("key") != key:
        return blank
    if stored.get("format") != _FORMAT:  # written by an earlier hoso: worked out again
        return blank
    years, workdays = stored.get("years"), stored.get("workdays")
    if not isinstance(years, dict) or not isinstance(workdays, dict):
        return blank
    try:
        checked = {name: _days(found) for name, found in (("years", years), ("workdays", workdays))}
    except ValueError:
        return blank
    if set(checked["workdays"]) != set(checked["years"]):
        return blank
    return {"key": key, "format": _FORMAT, **checked}


def _days(years: dict[Any, Any]) -> dict[str, list[str]]:
    """Days by year as stored, each read back as a day (a ``ValueError`` otherwise)."""
    return {
        str(int(year)): [date.fromisoformat(day).isoformat() for day in days]
        for year, days in years.items()
        if isinstance(days, list) and all(isinstance(day, str) for day in days)
    }


def _save(stored: dict[str, Any]) -> None:
    path = cache_file()
    if not stored["key"] or path is None:
        return
    from hoso.yamlio import write_bytes_atomic

    data = json.dumps(stored, separators=(",", ":")).encode()
    with contextlib.suppress(OSError):
        write_bytes_atomic(path, data)
