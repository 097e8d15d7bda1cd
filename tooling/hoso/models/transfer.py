"""Transfer of party activity, official or temporary."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import ONE_LINE_PATTERN, CaseBase, Day, EventBase, Line, Lines, Strict

TransferState = Literal[
    "requested", "letter_issued", "presented", "received", "returned", "cancelled"
]

STATE_LABELS: dict[str, str] = {
    "requested": "Đảng viên đề nghị chuyển sinh hoạt",
    "letter_issued": "Đã cấp giấy giới thiệu sinh hoạt đảng",
    "presented": "Đảng viên đã nộp giấy giới thiệu cho nơi đến",
    "received": "Nơi đến đã xác nhận tiếp nhận",
    "returned": "Đã kết thúc sinh hoạt tạm thời, trở về nơi cũ",
    "cancelled": "Hủy việc chuyển sinh hoạt",
}


class Confirmation(Strict):
    """Văn bản của nơi đến xác nhận đã tiếp nhận sinh hoạt đảng (có thể ngoài tỉnh)."""

    number: Annotated[str, Field(min_length=1, max_length=80, pattern=ONE_LINE_PATTERN)]
    """Số và ký hiệu văn bản xác nhận."""
    date: Day
    """Ngày ký văn bản xác nhận."""
    issuer: Line
    """Tên cấp ủy, tổ chức đảng nơi đến đã xác nhận."""


class TransferEvent(EventBase):
    """Một bước trong hồ sơ chuyển sinh hoạt đảng."""

    state: TransferState
    """Trạng thái của hồ sơ sau bước này."""
    late_reason: Lines | None = None
    """Lý do chậm (bắt buộc khi nộp giấy giới thiệu quá hạn)."""
    confirmation: Confirmation | None = None
    """Văn bản xác nhận tiếp nhận của nơi đến (bắt buộc ở bước received)."""


class TransferCase(CaseBase):
    """Hồ sơ chuyển sinh hoạt đảng chính thức hoặc tạm thời."""

    kind: Literal["transfer"]
    """Loại hồ sơ: chuyển sinh hoạt đảng."""
    transfer_type: Literal["official", "temporary", "temporary_study"]
    """Chính thức (official), tạm thời (temporary) hoặc tạm thời để học tập (temporary_study)."""
    direction: Literal["outgoing", "incoming"]
    """Chuyển đi khỏi đảng bộ (outgoing) hay chuyển đến (incoming)."""
    counterpart: Line
    """Tổ chức đảng nơi chuyển đến (hoặc nơi chuyển đi với hồ sơ chuyển đến)."""
    move_date: Day
    """Ngày đảng viên chuyển nơi cư trú hoặc nơi công tác."""
    until: Day | None = None
    """Hạn kết thúc sinh hoạt tạm thời."""
    status: TransferState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[TransferEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""
