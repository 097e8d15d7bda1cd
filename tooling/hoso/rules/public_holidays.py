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
    stored = _stored()
    days = stored["years"].get(str(year))
    if days is None:
        years = range(max(MINYEAR, year - SPAN), min(MAXYEAR, year + SPAN) + 1)
        stored["years"].update(_computed(years))
        _save(stored)
        days = stored["years"][str(year)]
    return frozenset(date.fromisoformat(day) for day in days)


def _computed(years: range) -> dict[str, list[str]]:
    import holidays

    found: dict[str, list[str]] = {str(year): [] for year in years}
    for day in sorted(holidays.country_holidays("VN", years=list(years))):
        found[str(day.year)].append(day.isoformat())
    return found


def cache_file() -> Path | None:
    found = user_cache.folder()
    return found / "vn-holidays.json" if found else None


_CAP = 4 << 20
"""Far more than every year there is; a larger file is not one this module wrote."""


def _library_key() -> str:
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
    key = _library_key()
    blank: dict[str, Any] = {"key": key, "years": {}}
    path = cache_file()
    try:
        # Read as a record is: only a regular file, never through a link, at most _CAP bytes
        # (a FIFO would wait, a device never end).
        stored = json.loads(read_record(path.parent, path.name, cap=_CAP)) if path else None
    except (Unreadable, ValueError, RecursionError):
        return blank
    if not key or not isinstance(stored, dict) or stored.get("key") != key:
        return blank
    years = stored.get("years")
    if not isinstance(years, dict):
        return blank
    try:
        checked = {
            str(int(year)): [date.fromisoformat(day).isoformat() for day in days]
            for year, days in years.items()
            if isinstance(days, list) and all(isinstance(day, str) for day in days)
        }
    except ValueError:
        return blank
    return {"key": key, "years": checked}


def _save(stored: dict[str, Any]) -> None:
    path = cache_file()
    if not stored["key"] or path is None:
        return
    from hoso.yamlio import write_bytes_atomic

    data = json.dumps(stored, separators=(",", ":")).encode()
    with contextlib.suppress(OSError):
        write_bytes_atomic(path, data)
