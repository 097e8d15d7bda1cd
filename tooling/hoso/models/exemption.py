"""Exemption from party activity and work."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import CaseBase, Day, EventBase

ExemptionState = Literal["requested", "granted", "reported", "refused", "ended"]

STATE_LABELS: dict[str, str] = {
    "requested": "Đảng viên có đơn xin miễn sinh hoạt",
    "granted": "Chi bộ đã quyết định cho miễn sinh hoạt",
    "reported": "Đã báo cáo cấp ủy cấp trên trực tiếp",
    "refused": "Chi bộ không đồng ý",
    "ended": "Đã kết thúc miễn sinh hoạt theo đề nghị của đảng viên",
}


class ExemptionEvent(EventBase):
    """Một bước trong hồ sơ miễn sinh hoạt đảng."""

    state: ExemptionState
    """Trạng thái của hồ sơ sau bước này."""


class ExemptionCase(CaseBase):
    """Hồ sơ miễn công tác và sinh hoạt đảng."""

    kind: Literal["exemption"]
    """Loại hồ sơ: miễn công tác và sinh hoạt đảng."""
    reason: Literal["age", "health", "treatment_away", "abroad", "maternity", "mobile_work"]
    """Lý do: tuổi cao, sức khỏe yếu, điều trị xa, ở nước ngoài, thai sản, công tác lưu động.
    Chi tiết về sức khỏe chỉ ghi trong mục confidential."""
    period_until: Day | None = None
    """Hạn miễn sinh hoạt đối với các trường hợp có thời hạn."""
    status: ExemptionState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[ExemptionEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""
