"""The home page: tiles with the numbers a commission member starts the day with (open cases,
overdue steps, steps due within 30 days, cases awaiting a competent body's decision), each
leading to its list; then the hand-written introduction. The staff's tiles lead to figures."""

from __future__ import annotations

from dataclasses import dataclass

from hoso.models import Case
from hoso.site.aggregate import tallies
from hoso.site.caselist import case_table
from hoso.site.data import SOON_DAYS, CaseInfo, SiteData, left_out
from hoso.site.suppress import SECONDARY
from hoso.site.tree import province
from hoso.site.withheld import withheld


@dataclass(frozen=True)
class Tile:
    slug: str
    title: str
    """What the number counts, in words."""
    explain: str

    def count(self, data: SiteData) -> int:
        return len(self.cases(data))

    def cases(self, data: SiteData) -> list[Case]:
        return [c for _, c in data.cases if self.counts(data.info(c))]

    def counts(self, info: CaseInfo) -> bool:
        """Whether the tile counts a case that stands so."""
        if self.slug == "dang-xu-ly":
            return info.open
        if self.slug == "qua-han":
            return bool(info.overdue)
        if self.slug == "sap-den-han":
            return bool(info.soon)
        return info.awaiting


TILES = (
    Tile("dang-xu-ly", "hồ sơ đang xử lý", "Hồ sơ chưa đến bước kết thúc."),
    Tile(
        "qua-han",
        "hồ sơ có bước quá hạn",
        "Hồ sơ có ít nhất một bước đã quá thời hạn quy định tính đến hôm nay.",
    ),
    Tile(
        "sap-den-han",
        f"hồ sơ có bước đến hạn trong {SOON_DAYS} ngày",
        f"Hồ sơ có bước phải làm trong {SOON_DAYS} ngày tới.",
    ),
    Tile(
        "cho-quyet-dinh",
        "hồ sơ chờ cấp có thẩm quyền quyết định",
        "Hồ sơ mà bước tiếp theo là của ban thường vụ, ủy ban kiểm tra, ban tổ chức cấp trên "
        "hoặc tổ chức có thẩm quyền thi hành kỷ luật.",
    ),
)


def _tiles(data: SiteData, commission: bool) -> str:
    top = tallies(data)[province(data.governance)]
    numbers = {
        "dang-xu-ly": top.open,
        "qua-han": top.overdue,
        "sap-den-han": top.soon,
        "cho-quyet-dinh": top.awaiting,
    }
    measures = {"dang-xu-ly": "open", "qua-han": "overdue", "sap-den-han": "soon"}
    crossed = frozenset() if commission else withheld(data)
    top_code = province(data.governance)
    items = []
    for tile in TILES:
        href = f"danh-sach/{tile.slug}.html" if commission else "tong-hop.html"
        number = (
            SECONDARY if (top_code, measures.get(tile.slug)) in crossed else str(numbers[tile.slug])
        )
        items.append(
            f'<a class="hoso-o" href="{href}"><span class="hoso-o__so">{number}</span>'
            f'<span class="hoso-o__ten">{tile.title}</span></a>'
        )
    return '<div class="hoso-o-luoi" data-search-exclude>' + "".join(items) + "</div>"


def home(data: SiteData, intro: str) -> str:
    """The hand-written home page with the tiles under its title."""
    commission = data.audience != "staff"
    title, _, rest = intro.partition("\n")
    note = (
        "Số hồ sơ đến hôm nay; bấm vào một ô để xem danh sách."
        if commission
        else "Số hồ sơ đến hôm nay, toàn tỉnh; trang cho cán bộ không có danh sách hồ sơ."
    )
    lines = [title, "", *left_out(data), _tiles(data, commission), "", note, rest]
    return "\n".join(lines) + "\n"


def list_page(data: SiteData, tile: Tile) -> str:
    """The cases a tile counts, for the commission."""
    source = f"danh-sach/{tile.slug}.md"
    cases = tile.cases(data)
    lines = [
        "---",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# {len(cases)} {tile.title}",
        "",
        *left_out(data),
        f"{tile.explain} Lọc theo chi bộ, loại hoặc bước bằng các ô phía trên bảng; bấm vào "
        "tiêu đề cột để sắp xếp.",
        "",
        case_table(data, cases, source, tile.title, unit=True),
        "",
    ]
    return "\n".join(lines)
