"""The annual quality ranking of a grassroots organisation's members (four levels, 2018 on)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import PERSONAL, CaseId, Code, DocumentRef, PersonName, Strict, no_items

Level = Literal["excellent", "good", "completed", "not_completed"]

LEVEL_LABELS: dict[str, str] = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "completed": "Hoàn thành nhiệm vụ",
    "not_completed": "Không hoàn thành nhiệm vụ",
}
LEVELS: tuple[str, ...] = tuple(LEVEL_LABELS)
"""Highest first."""


class RankedMember(Strict):
    """Mức xếp loại của một đảng viên."""

    name: PersonName
    """Họ và tên."""
    party_card: Annotated[str, Field(min_length=1, json_schema_extra=PERSONAL)]
    """Số thẻ đảng viên (để đối chiếu với hồ sơ kỷ luật, rà soát của cùng người)."""
    cell: Code
    """Mã chi bộ nơi đảng viên sinh hoạt."""
    level: Level
    """Mức xếp loại: hoàn thành xuất sắc (excellent), tốt (good), hoàn thành (completed),
    không hoàn thành nhiệm vụ (not_completed)."""


class RankedOrganisation(Strict):
    """Mức xếp loại của một chi bộ (hoặc đảng ủy bộ phận) trực thuộc."""

    organisation: Code
    """Mã chi bộ hoặc đảng ủy bộ phận."""
    level: Level
    """Mức xếp loại, bốn mức như với đảng viên."""


class RankingRecord(Strict):
    """Kết quả đánh giá, xếp loại chất lượng hằng năm của một tổ chức cơ sở đảng."""

    id: CaseId
    """Mã hồ sơ (tiền tố XL), trùng với tên tệp."""
    kind: Literal["ranking"]
    """Loại hồ sơ: đánh giá, xếp loại chất lượng."""
    unit: Code
    """Mã đảng bộ cấp huyện; trùng với thư mục cases/<đơn vị>/."""
    sample: bool = False
    """true nếu đây là dữ liệu mẫu hư cấu."""
    organisation: Code
    """Mã tổ chức cơ sở đảng (đảng bộ cơ sở hoặc chi bộ cơ sở) được xếp loại đảng viên."""
    year: Annotated[int, Field(ge=2000, le=2100)]
    """Năm đánh giá."""
    document: DocumentRef
    """Quyết định (thông báo) kết quả xếp loại của cấp ủy cơ sở."""
    members: Annotated[list[RankedMember], Field(min_length=1)]
    """Mức xếp loại của từng đảng viên (đảng viên miễn sinh hoạt không xếp loại)."""
    cells: list[RankedOrganisation] = no_items()
    """Mức xếp loại của các chi bộ trực thuộc."""

    @property
    def cell(self) -> str:
        """Where the record sits in the unit tree: the grassroots organisation."""
        return self.organisation
