"""The fictional province: its unit tree and committees."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hoso.sample.people import People

PROVINCE = "thu-nghiem"
PROVINCE_NAME = "Đảng bộ tỉnh Thử Nghiệm (dữ liệu mẫu)"

DISTRICTS = [
    ("khe-lam", "Đảng bộ huyện Khê Lam"),
    ("pa-vang", "Đảng bộ huyện Pá Vàng"),
    ("nam-suoi", "Đảng bộ huyện Nậm Suối"),
    ("ban-mo", "Đảng bộ thị xã Bản Mơ"),
    ("hoa-son", "Đảng bộ thành phố Hoa Sơn"),
    ("muong-tre", "Đảng bộ huyện Mường Tre"),
    ("dk-nong-truong", "Đảng bộ Khối Nông trường (trực thuộc tỉnh)"),
]
VILLAGES = ["Nà", "Huổi", "Phiêng", "Co", "Pú", "Nậm", "Hin", "Tà", "Lả", "Sen"]
VILLAGE_TAILS = ["Khoang", "Mạ", "Lếch", "Tông", "Xa", "Cọ", "Phát", "Vạc", "Ngàm", "Bó"]
TERMS = [(date(2015, 10, 1), date(2020, 9, 30)), (date(2020, 10, 1), None)]
"""Two committee terms, so that history crosses a change of membership."""


@dataclass
class Org:
    """The generated tree: plain data for units.yaml and committees.yaml, plus lookups."""

    units: list[dict[str, Any]] = field(default_factory=list)
    committees: list[dict[str, Any]] = field(default_factory=list)
    cells: dict[str, list[str]] = field(default_factory=dict)
    """District code to the codes of the units where members meet (cells, cell-grassroots)."""
    grassroots_of: dict[str, str] = field(default_factory=dict)
    partial_of: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    """Official members of each cell, and members of each committee."""

    def unit(self, code: str) -> dict[str, Any]:
        return next(u for u in self.units if u["code"] == code)

    def is_authorised(self, grassroots: str) -> bool:
        return bool(self.unit(grassroots).get("authorised_to_admit"))


def build(rng: random.Random, people: People, grassroots_per_district: int = 5) -> Org:
    org = Org()
    org.units.append({"code": PROVINCE, "name": PROVINCE_NAME, "level": "province"})
    _committees(
        org,
        rng,
        people,
        PROVINCE,
        "tỉnh Thử Nghiệm",
        ["executive", "standing", "organisation", "inspection", "propaganda"],
    )
    for d_index, (district, d_name) in enumerate(DISTRICTS):
        org.units.append(
            {"code": district, "name": d_name, "level": "district", "parent": PROVINCE}
        )
        _committees(
            org,
            rng,
            people,
            district,
            d_name.removeprefix("Đảng bộ "),
            ["executive", "standing", "organisation", "inspection", "propaganda"],
        )
        org.cells[district] = []
        for g_index in range(grassroots_per_district):
            _grassroots(org, rng, people, district, d_index, g_index)
    return org


def _grassroots(
    org: Org, rng: random.Random, people: People, district: str, d: int, g: int
) -> None:
    place = f"{VILLAGES[(d + g) % 10]} {VILLAGE_TAILS[(d * 3 + g) % 10]}"
    code = f"{district}-x{g + 1:02d}"
    is_cell = g == 4
    unit: dict[str, Any] = {
        "code": code,
        "name": f"{'Chi bộ' if is_cell else 'Đảng bộ'} xã {place}",
        "level": "grassroots",
        "parent": district,
        "grassroots_type": "cell" if is_cell else "committee",
    }
    if g == 0 and d % 2 == 0:
        unit["authorised_to_admit"] = True
    org.units.append(unit)
    if is_cell:
        org.cells[district].append(code)
        org.grassroots_of[code] = code
        org.sizes[code] = rng.randrange(12, 30)
        _committees(org, rng, people, code, unit["name"], ["cell_committee"])
        return
    _committees(org, rng, people, code, unit["name"], ["executive", "inspection"])
    parent = code
    if g == 1:
        parent = f"{code}-bp"
        org.units.append(
            {
                "code": parent,
                "name": f"Đảng ủy bộ phận thôn {place}",
                "level": "partial",
                "parent": code,
            }
        )
        _committees(org, rng, people, parent, f"Đảng ủy bộ phận thôn {place}", ["executive"])
    for c in range(3):
        cell = f"{code}-cb{c + 1}"
        org.units.append(
            {
                "code": cell,
                "name": f"Chi bộ bản {VILLAGES[(c + g + d) % 10]} "
                f"{VILLAGE_TAILS[(c * 7 + g) % 10]} {c + 1}",
                "level": "cell",
                "parent": parent,
            }
        )
        org.cells[district].append(cell)
        org.grassroots_of[cell] = code
        if parent != code:
            org.partial_of[cell] = parent
        org.sizes[cell] = rng.randrange(9, 40)
        _committees(org, rng, people, cell, "chi bộ", ["cell_committee"])


_KIND_NAMES = {
    "executive": "Ban Chấp hành",
    "standing": "Ban Thường vụ",
    "organisation": "Ban Tổ chức",
    "inspection": "Ủy ban Kiểm tra",
    "propaganda": "Ban Tuyên giáo",
    "cell_committee": "Chi ủy",
}
_SIZES = {
    "executive": (9, 15),
    "standing": (5, 9),
    "organisation": (3, 6),
    "inspection": (3, 7),
    "propaganda": (3, 5),
    "cell_committee": (3, 4),
}
_LEADERS = {
    "executive": "secretary",
    "standing": "secretary",
    "organisation": "head",
    "inspection": "chair",
    "propaganda": "head",
    "cell_committee": "secretary",
}


def _committees(
    org: Org, rng: random.Random, people: People, unit: str, unit_name: str, kinds: list[str]
) -> None:
    for kind in kinds:
        low, high = _SIZES[kind]
        size = rng.randrange(low, high + 1)
        members: list[dict[str, Any]] = []
        for term_from, term_until in TERMS:
            for index in range(size):
                sex = people.sex()
                member: dict[str, Any] = {
                    "name": people.name(sex),
                    "role": _LEADERS[kind] if index == 0 else "member",
                    "party_card": people.card(),
                    "term_from": term_from,
                }
                if term_until:
                    member["term_until"] = term_until
                if kind in ("standing", "inspection", "organisation", "executive"):
                    handle = f"{unit}-{kind[:3]}-{len(members) + 1}"
                    member["github"] = member["gitlab"] = handle
                    member["email"] = f"{handle}@mau.invalid"
                members.append(member)
        committee_id = f"{unit}.{kind}"
        org.committees.append(
            {
                "id": committee_id,
                "unit": unit,
                "kind": kind,
                "name": f"{_KIND_NAMES[kind]} {unit_name}",
                "members": members,
            }
        )
        org.sizes[committee_id] = size
