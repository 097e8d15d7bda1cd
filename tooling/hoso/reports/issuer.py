"""Who issues a unit's report and to whom it goes, named as party documents name them
(Hướng dẫn 36-HD/VPTW): "HUYỆN ỦY KHÊ LAM" under "ĐẢNG BỘ TỈNH THỬ NGHIỆM", signed for its
standing committee, sent to the level above and never to itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoso.governance import Governance

_REMARK = re.compile(r"\s*\([^)]*\)\s*$")
_COMMITTEE_OF = (
    ("tỉnh ", "Tỉnh ủy "),
    ("thành phố ", "Thành ủy "),
    ("thị xã ", "Thị ủy "),
    ("huyện ", "Huyện ủy "),
)
"""How the committee of a party organisation at a place is called: Đảng bộ huyện X → Huyện ủy X
(a city or town committee is Thành ủy, Thị ủy); any other is its Đảng ủy."""


def _plain(name: str) -> str:
    return _REMARK.sub("", name).strip()


def committee_name(governance: Governance, code: str) -> str:
    """The name of the unit's committee in words: "Huyện ủy Khê Lam", "Đảng ủy xã Nà Khoang";
    a cell issues as itself ("Chi bộ bản Nà Khoang 1")."""
    unit = governance.units[code]
    name = _plain(unit.name)
    if unit.level == "cell" or (unit.level == "grassroots" and unit.grassroots_type == "cell"):
        return name
    rest = re.sub(r"^Đảng bộ\s+", "", name, flags=re.IGNORECASE)
    if rest == name:
        return name  # already a committee's name, or a name we do not know how to turn
    if unit.level in ("province", "district"):
        for place, committee in _COMMITTEE_OF:
            if rest.casefold().startswith(place):
                return committee + rest[len(place) :]
    return f"Đảng ủy {rest}"


@dataclass(frozen=True)
class Issuer:
    superior: str | None
    """The line above the issuer, upper case (the party organisation one level up)."""
    name: str
    """The issuing body, upper case."""
    authority: str
    """For whom the signer signs: "T/M BAN THƯỜNG VỤ"."""
    receivers: list[str]
    """The "Nơi nhận" list: the level above, then the issuer's own archive."""
    author: str
    """The issuing body in ordinary case, for the document's properties."""


def issuer(governance: Governance, code: str) -> Issuer:
    unit = governance.units[code]
    own = committee_name(governance, code)
    parent = governance.units.get(unit.parent) if unit.parent else None
    if unit.level in ("province", "district"):
        authority = "T/M BAN THƯỜNG VỤ"
    elif unit.level == "cell" or unit.grassroots_type == "cell":
        authority = "T/M CHI BỘ"
    else:
        authority = "T/M ĐẢNG ỦY"
    if parent is None:
        receivers = ["Ban Bí thư Trung ương Đảng (để báo cáo),", "Ban Tổ chức Trung ương,"]
        superior = None
    else:
        above = committee_name(governance, parent.code)
        if parent.level in ("province", "district"):
            receivers = [f"Ban Thường vụ {above} (để báo cáo),", f"Ban Tổ chức {above},"]
        else:
            receivers = [f"{above} (để báo cáo),"]
        superior = _plain(parent.name).upper()
    office = f"Văn phòng {own}" if unit.level in ("province", "district") else own
    receivers.append(f"Lưu {office}.")
    return Issuer(superior, own.upper(), authority, receivers, own)
