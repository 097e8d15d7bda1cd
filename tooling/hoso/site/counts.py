"""No one identified by a small count: on the staff site a count of a small unit (grassroots,
partial committee, cell) between 1 and the threshold in ``governance/settings.yaml`` is shown
as "< 3". Every count a staff page shows for a unit goes through ``shown``, which marks it so
that the build's privacy check (``privacy.small_counts``) can find any that slipped through."""

from __future__ import annotations

from html import escape

from hoso.governance import Governance
from hoso.site.suppress import SECONDARY
from hoso.site.tree import is_small

ATTRIBUTE = "data-hoso-so"
"""The mark on a rendered count: the code of the unit it counts."""


def threshold(governance: Governance) -> int:
    return governance.settings.small_count if governance.settings else 3


def few(value: int, limit: int) -> bool:
    """True for a count small enough to point at someone: from 1 to below ``limit``."""
    return 0 < value < limit


def hidden(governance: Governance, unit: str, value: int, staff: bool) -> bool:
    """True when ``value`` must not be shown for ``unit`` on this audience's site."""
    return staff and is_small(governance, unit) and few(value, threshold(governance))


def masked(limit: int) -> str:
    """What stands in place of a hidden count: "< 3"."""
    return f"< {limit}"


def meaning(limit: int) -> str:
    """The counts "< 3" stands for, in words: "1 hoặc 2"."""
    if limit <= 2:
        return "1"
    if limit == 3:
        return "1 hoặc 2"
    return f"từ 1 đến {limit - 1}"


def note(governance: Governance) -> str:
    """The line under a staff table that may show "< 3", saying what it means and why."""
    limit = threshold(governance)
    return (
        f"“{masked(limit)}”: có {meaning(limit)} hồ sơ; không ghi số cụ thể để bảo vệ thông tin "
        "cá nhân."
    )


def shown(governance: Governance, unit: str, value: int, staff: bool, crossed: bool = False) -> str:
    """The count as HTML: marked with its unit, "< 3" in place of a small one and "x" in place
    of one ``crossed`` out, which would give a small one away (``hoso.site.withheld``)."""
    limit = threshold(governance)
    if staff and crossed:
        text = SECONDARY
    elif hidden(governance, unit, value, staff):
        text = escape(masked(limit))
    else:
        text = str(value)
    return f'<span {ATTRIBUTE}="{escape(unit)}">{text}</span>'
