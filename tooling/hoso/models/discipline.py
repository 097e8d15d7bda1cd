"""Discipline of a member, from the violation to the decision and any appeal."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import CaseBase, Day, EventBase, Lines, Strict, no_items

DisciplineState = Literal[
    "opened",
    "cell_concluded",
    "proposed",
    "decided",
    "dismissed",
    "announced",
    "appealed",
    "appeal_answered",
    "card_collected",
]

STATE_LABELS: dict[str, str] = {
    "opened": "Đảng viên đã kiểm điểm, tự nhận hình thức kỷ luật",
    "cell_concluded": "Chi bộ đã họp, kết luận",
    "proposed": "Tổ chức đảng cấp dưới đã đề nghị cấp có thẩm quyền",
    "decided": "Cấp có thẩm quyền đã quyết định kỷ luật",
    "dismissed": "Không thi hành kỷ luật",
    "announced": "Đã công bố quyết định; kỷ luật có hiệu lực",
    "appealed": "Đảng viên khiếu nại quyết định kỷ luật",
    "appeal_answered": "Đã giải quyết khiếu nại kỷ luật",
    "card_collected": "Chi bộ đã thu hồi thẻ đảng viên của người bị khai trừ",
}

Form = Literal["reprimand", "warning", "removal_from_post", "expulsion"]

FORM_LABELS: dict[str, str] = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "removal_from_post": "cách chức",
    "expulsion": "khai trừ",
}


class FormVote(Strict):
    """Số phiếu cho một hình thức kỷ luật trong cuộc bỏ phiếu kín."""

    form: Form
    """Hình thức kỷ luật."""
    votes: Annotated[int, Field(ge=0)]
    """Số phiếu đồng ý hình thức này."""


class Violation(Strict):
    """Hành vi vi phạm bị xem xét."""

    date: Day
    """Ngày xảy ra vi phạm (để tính thời hiệu kỷ luật)."""
    summary: Lines
    """Tóm tắt nội dung vi phạm (không ghi thông tin mật)."""
    category: Literal[
        "quality_ethics_lifestyle",
        "member_duties",
        "assigned_by_higher",
        "internal_political",
        "security_foreign_affairs",
        "forged_diploma",
        "other",
    ]
    """Nhóm vi phạm; quyết định cấp nào có thẩm quyền và thời hiệu áp dụng."""


class DisciplineEvent(EventBase):
    """Một bước trong hồ sơ kỷ luật đảng viên."""

    state: DisciplineState
    """Trạng thái của hồ sơ sau bước này."""
    form: Form | None = None
    """Hình thức kỷ luật đề nghị hoặc quyết định ở bước này."""
    form_votes: list[FormVote] = no_items()
    """Số phiếu cho từng hình thức (bỏ phiếu kín), để cộng dồn từ hình thức nặng nhất."""
    outcome: Literal["upheld", "changed", "annulled"] | None = None
    """Kết quả giải quyết khiếu nại: giữ nguyên, thay đổi hoặc xóa bỏ quyết định."""


class DisciplineCase(CaseBase):
    """Hồ sơ kỷ luật đảng viên."""

    kind: Literal["discipline"]
    """Loại hồ sơ: kỷ luật đảng viên."""
    violation: Violation
    """Vi phạm bị xem xét."""
    status: DisciplineState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[DisciplineEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""
