"""Discipline of a party organisation (a cell, a grassroots or district organisation, or one of
their committees): reprimand, warning or dissolution, decided by a body above it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import CaseId, Code, EventBase, Strict, no_items
from hoso.models.discipline import Violation

OrgDisciplineState = Literal[
    "opened",
    "self_reviewed",
    "proposed",
    "decided",
    "dismissed",
    "announced",
    "appealed",
    "appeal_answered",
]

STATE_LABELS: dict[str, str] = {
    "opened": "Cấp trên đã xác định vi phạm của tổ chức đảng, xem xét kỷ luật",
    "self_reviewed": "Tổ chức đảng vi phạm đã kiểm điểm, tự nhận hình thức kỷ luật",
    "proposed": "Cấp ủy cấp trên trực tiếp đã đề nghị cấp có thẩm quyền",
    "decided": "Cấp có thẩm quyền đã quyết định kỷ luật tổ chức đảng",
    "dismissed": "Không thi hành kỷ luật",
    "announced": "Đã công bố quyết định; kỷ luật có hiệu lực",
    "appealed": "Tổ chức đảng khiếu nại quyết định kỷ luật",
    "appeal_answered": "Đã giải quyết khiếu nại kỷ luật",
}

OrgForm = Literal["reprimand", "warning", "dissolution"]

ORG_FORM_LABELS: dict[str, str] = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "dissolution": "giải tán",
}


class OrgFormVote(Strict):
    """Số phiếu cho một hình thức kỷ luật tổ chức đảng trong cuộc bỏ phiếu kín."""

    form: OrgForm
    """Hình thức kỷ luật."""
    votes: Annotated[int, Field(ge=0)]
    """Số phiếu đồng ý hình thức này."""


class OrgDisciplineEvent(EventBase):
    """Một bước trong hồ sơ kỷ luật tổ chức đảng."""

    state: OrgDisciplineState
    """Trạng thái của hồ sơ sau bước này."""
    form: OrgForm | None = None
    """Hình thức kỷ luật tự nhận, đề nghị hoặc quyết định ở bước này."""
    form_votes: list[OrgFormVote] = no_items()
    """Số phiếu cho từng hình thức (bỏ phiếu kín), để cộng dồn từ hình thức nặng nhất."""
    outcome: Literal["upheld", "changed", "annulled"] | None = None
    """Kết quả giải quyết khiếu nại: giữ nguyên, thay đổi hoặc xóa bỏ quyết định."""


class OrgDisciplineCase(Strict):
    """Hồ sơ kỷ luật một tổ chức đảng."""

    id: CaseId
    """Mã hồ sơ (tiền tố TC), không bao giờ thay đổi; trùng với tên tệp."""
    kind: Literal["org_discipline"]
    """Loại hồ sơ: kỷ luật tổ chức đảng."""
    unit: Code
    """Mã đảng bộ cấp huyện (hoặc tỉnh) quản lý hồ sơ; trùng với thư mục cases/<đơn vị>/."""
    sample: bool = False
    """true nếu đây là dữ liệu mẫu hư cấu, không phải hồ sơ thật."""
    organisation: Code
    """Tổ chức đảng bị xem xét: mã đơn vị (chi bộ, đảng bộ) hoặc mã tập thể (ví dụ
    "son-khe-x01.executive" là đảng ủy xã)."""
    violation: Violation
    """Vi phạm bị xem xét."""
    related: list[CaseId] = no_items()
    """Mã các hồ sơ liên quan (ví dụ hồ sơ kỷ luật cá nhân người đứng đầu)."""
    status: OrgDisciplineState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[OrgDisciplineEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""

    @property
    def cell(self) -> str:
        """The unit the organisation is (for a committee, the unit it leads)."""
        return (
            self.organisation.rsplit(".", 1)[0] if "." in self.organisation else self.organisation
        )
