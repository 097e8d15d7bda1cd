"""Where each unit's and each case's page lives, how pages link to each other, and the
breadcrumb from the province down to a unit. Units sit in folders by district so that the
navigation can show the tree down to grassroots level while cells are reached from their pages."""

from __future__ import annotations

import posixpath

from hoso.governance import Governance

SMALL_LEVELS = ("grassroots", "partial", "cell")
"""Units small enough that a count of a few could point at a member (see ``counts``)."""


def unit_path(governance: Governance, code: str) -> str:
    """The page of a unit: the province ``don-vi/index.md``, a district ``don-vi/<d>/index.md``,
    anything below ``don-vi/<d>/<code>.md``."""
    unit = governance.units[code]
    if unit.level == "province" or unit.parent is None:
        return "don-vi/index.md" if unit.level == "province" else f"don-vi/{code}.md"
    if unit.level == "district":
        return f"don-vi/{code}/index.md"
    district = governance.ancestor_at(code, "district")
    return f"don-vi/{district.code}/{code}.md" if district else f"don-vi/{code}.md"


def case_path(case_id: str) -> str:
    return f"ho-so/{case_id}.md"


def link(source: str, target: str) -> str:
    """The relative link from one page to another, both given from the docs folder."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def html_link(source: str, target: str) -> str:
    """The same link as a built page's address (for raw HTML, which mkdocs does not rewrite)."""
    return link(source, target).removesuffix(".md") + ".html"


def children(governance: Governance, code: str) -> list[str]:
    """The units directly under ``code``, in the order governance lists them."""
    return [u.code for u in governance.units.values() if u.parent == code]


def breadcrumb(governance: Governance, code: str, source: str) -> str:
    """The units from the province down to ``code``, each linked from ``source``, as one line."""
    line = list(reversed(list(governance.lineage(code))))
    parts = [f"[{u.name}]({link(source, unit_path(governance, u.code))})" for u in line]
    return " › ".join(parts) + "\n{ .hoso-duong }"


def is_small(governance: Governance, code: str) -> bool:
    unit = governance.units.get(code)
    return unit is not None and unit.level in SMALL_LEVELS


def province(governance: Governance) -> str:
    """The code of the province, the root of the tree."""
    found = next((u.code for u in governance.units.values() if u.level == "province"), None)
    if found is None:
        from hoso.errors import HosoError

        raise HosoError(
            "governance/units.yaml không có đơn vị cấp tỉnh (level: province), gốc của cây đơn "
            "vị; trang không dựng được (hoso validate chỉ ra lỗi của tệp)"
        )
    return found
