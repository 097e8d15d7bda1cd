"""No one identified by a small count: on the staff site a count of a small unit (grassroots,
partial committee, cell) between 1 and the threshold in ``governance/settings.yaml`` is shown
as "< 3". Every count a staff page shows for a unit goes through ``shown``, which marks it so
that the build's privacy check (``privacy.small_counts``) can find any that slipped through."""

from __future__ import annotations

from html import escape

from hoso.governance import Governance
from hoso.site.tree import is_small

ATTRIBUTE = "data-hoso-so"
"""The mark on a rendered count: the code of the unit it counts."""


def threshold(governance: Governance) -> int:
    return governance.settings.small_count if governance.settings else 3


def hidden(governance: Governance, unit: str, value: int, staff: bool) -> bool:
    """True when ``value`` must not be shown for ``unit`` on this audience's site."""
    return staff and is_small(governance, unit) and 0 < value < threshold(governance)


def shown(governance: Governance, unit: str, value: int, staff: bool) -> str:
    """The count as HTML: marked with its unit, and "< 3" in place of a small one."""
    text = f"&lt; {threshold(governance)}" if hidden(governance, unit, value, staff) else str(value)
    return f'<span {ATTRIBUTE}="{escape(unit)}">{text}</span>'
