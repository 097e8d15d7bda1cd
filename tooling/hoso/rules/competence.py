"""Who may act: the symbolic actors of the workflow tables resolved to concrete bodies."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hoso.governance import Governance
from hoso.models.common import CaseBase

_HIGHER_KINDS = ("executive", "standing", "inspection", "organisation")


@dataclass(frozen=True)
class Place:
    """Where a case sits in the unit tree."""

    cell: str
    grassroots: str
    partial: str | None
    district: str
    province: str
    grassroots_is_cell: bool
    authorised: bool


def place_of(case: CaseBase, governance: Governance) -> Place | None:
    """The case's position, or None when the unit tree does not place it (reported elsewhere)."""
    key = ("place", case.cell, case.unit)
    if key not in governance.memo:
        governance.memo[key] = _place(case.cell, case.unit, governance)
    place: Place | None = governance.memo[key]
    return place


def is_cell(governance: Governance, code: str) -> bool:
    """Whether a unit is where members meet: a cell, or a grassroots organisation that is
    itself a cell (chi bộ cơ sở)."""
    unit = governance.units.get(code)
    return unit is not None and (
        unit.level == "cell" or (unit.level == "grassroots" and unit.grassroots_type == "cell")
    )


def _place(cell: str, unit: str, governance: Governance) -> Place | None:
    if not is_cell(governance, cell):
        return None  # the record's cell is wrong (reported by the references rule)
    lineage = {u.level: u for u in governance.lineage(cell)}
    grassroots, district = lineage.get("grassroots"), lineage.get("district")
    province = lineage.get("province")
    if grassroots is None or district is None or province is None or district.code != unit:
        return None
    partial = lineage.get("partial")
    return Place(
        cell=cell,
        grassroots=grassroots.code,
        partial=partial.code if partial else None,
        district=district.code,
        province=province.code,
        grassroots_is_cell=grassroots.grassroots_type == "cell",
        authorised=grassroots.authorised_to_admit,
    )


@lru_cache(maxsize=4096)
def bodies(actor: str, place: Place) -> frozenset[str] | None:
    """The bodies that may take a step of ``actor``; None when another rule decides."""
    found = _bodies(actor, place)
    return None if found is None else frozenset(found)


def _bodies(actor: str, place: Place) -> set[str] | None:
    cell = {place.cell, f"{place.cell}.cell_committee"}
    grassroots = {place.grassroots, f"{place.grassroots}.executive"}
    higher = {
        f"{unit}.{kind}" for unit in (place.district, place.province) for kind in _HIGHER_KINDS
    }
    if actor == "cell":
        return cell
    if actor == "cell_meeting":
        return {place.cell}
    if actor == "partial":
        return {place.partial, f"{place.partial}.executive"} if place.partial else set()
    if actor == "grassroots":
        return grassroots
    if actor == "admission_decider":
        deciders = {f"{place.district}.standing"}
        if place.authorised:
            deciders.add(f"{place.grassroots}.executive")
        return deciders
    if actor == "district_office":
        return {
            f"{place.district}.organisation",
            f"{place.district}.standing",
            f"{place.province}.organisation",
        }
    if actor == "letter_issuer":
        # The member's own district-level committee. (The provincial organisation commission
        # issues them for grassroots organisations directly under the province, which the
        # unit tree does not hold: every grassroots organisation is under a district.)
        return {f"{place.district}.organisation", f"{place.district}.standing"}
    if actor == "district_organisation":
        return {f"{place.district}.organisation"}
    if actor == "province_committee":
        return {f"{place.province}.standing", f"{place.province}.executive"}
    if actor == "propaganda":
        return {f"{place.district}.propaganda", f"{place.province}.propaganda"}
    if actor == "higher":
        return higher
    if actor == "appeal_higher":  # an organisation commission decides no discipline appeal
        return {body for body in higher if not body.endswith(".organisation")}
    if actor == "discipline_any":
        return (
            cell
            | grassroots
            | higher
            | ({place.partial, f"{place.partial}.executive"} if place.partial else set())
        )
    return None
