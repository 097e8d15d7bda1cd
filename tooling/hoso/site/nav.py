"""The site's navigation, as mkdocs.yml would write it: five tabs (Tổng quan, Hồ sơ, Quy trình,
Quy định, Kiểm toán) and the unit tree down to grassroots level. Cells and case pages stay out of
it (reached from their units' pages, the lists and search): the theme renders the navigation into
every page, so a navigation that grew with the cases would make the build grow with their square
(see DESIGN.md, "Scale to plan for")."""

from __future__ import annotations

from typing import Any

from hoso.governance import Governance
from hoso.site.tree import children, province, unit_path

GUIDES = {
    "admission": ("ket-nap", "Kết nạp đảng viên"),
    "screening": ("ra-soat", "Rà soát, sàng lọc"),
    "discipline": ("ky-luat", "Kỷ luật đảng viên"),
    "org_discipline": ("ky-luat-to-chuc", "Kỷ luật tổ chức đảng"),
    "transfer": ("chuyen-sinh-hoat", "Chuyển sinh hoạt"),
    "exemption": ("mien-sinh-hoat", "Miễn sinh hoạt"),
}
"""Each case kind's guidance page: its slug and its name in the navigation."""
NAV_LEVELS = ("province", "district", "grassroots")
"""The unit levels listed in the navigation; deeper units are linked from their parents."""

Nav = list[Any]


def _units(governance: Governance) -> Nav:
    top = province(governance)
    items: Nav = [unit_path(governance, top)]
    for district in children(governance, top):
        under = [
            {governance.units[c].name: unit_path(governance, c)}
            for c in children(governance, district)
            if governance.units[c].level in NAV_LEVELS
        ]
        path = unit_path(governance, district)
        name = governance.units[district].name
        items.append({name: [path, *under]} if under else {name: path})
    return items


def nav(governance: Governance, audience: str, lists: list[tuple[str, str]]) -> Nav:
    """The navigation for one audience; ``lists`` are (title, path) of the case lists."""
    overview: Nav = ["index.md", {"Số liệu tổng hợp": "tong-hop.md"}]
    if audience != "staff":
        overview.append({"Danh sách hồ sơ": [{title: path} for title, path in lists]})
    out: Nav = [
        {"Tổng quan": overview},
        {("Đơn vị" if audience == "staff" else "Hồ sơ"): _units(governance)},
        {
            "Quy trình": [
                {"Hướng dẫn sử dụng": "huong-dan.md"},
                *({name: f"quy-trinh/{slug}.md"} for slug, name in GUIDES.values()),
                {"Xếp loại chất lượng": "quy-trinh/xep-loai.md"},
            ]
        },
        {
            "Quy định": [
                {"Thời hạn, tỷ lệ, độ tuổi": "quy-trinh/quy-dinh.md"},
                {"Kế hoạch 63-KH/TU": "ke-hoach.md"},
                {"Thiết lập kho của tỉnh": "thiet-lap.md"},
            ]
        },
    ]
    if audience == "audit":
        out.append({"Kiểm toán": ["kiem-toan.md"]})
    return out
