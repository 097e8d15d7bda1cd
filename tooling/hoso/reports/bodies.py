"""Which kind of body decided a discipline, from the body's place in the unit tree and the kind
of committee, never from the spelling of its code."""

from __future__ import annotations

from hoso.governance import Governance

BODY_CLASS_LABELS = {
    "cell": "chi bộ",
    "grassroots": "đảng ủy cơ sở",
    "inspection": "ủy ban kiểm tra",
    "committee": "cấp ủy, ban thường vụ cấp trên cơ sở",
}
"""The classes a report counts discipline decisions by, in order."""

_UNIT_CLASS = {
    "cell": "cell",
    "partial": "grassroots",
    "grassroots": "grassroots",
    "district": "committee",
    "province": "committee",
}


def deciding_class(governance: Governance, body: str) -> str | None:
    """The class of the body that decided: a unit acting as a whole by its level (a grassroots
    cell, chi bộ cơ sở, is a cell), a committee by its kind and its unit's level. None for what
    cannot be placed: an unknown code, or a committee that never decides discipline."""
    unit = governance.units.get(body)
    if unit is not None:
        if unit.level == "grassroots" and unit.grassroots_type == "cell":
            return "cell"
        return _UNIT_CLASS[unit.level]
    committee = governance.committees.get(body)
    if committee is None:
        return None
    owner = governance.units.get(committee.unit)
    if owner is None:
        return None
    if committee.kind == "inspection":
        return "inspection"
    if committee.kind == "cell_committee":
        return "cell"
    if committee.kind in ("executive", "standing"):
        if owner.level == "grassroots" and owner.grassroots_type == "cell":
            return "cell"
        return _UNIT_CLASS[owner.level]
    return None
