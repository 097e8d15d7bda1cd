"""Screening: the education-and-help list and its outcomes (cleared, struck off, released)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import CaseBase, EventBase

ScreeningState = Literal[
    "flagged",
    "listed",
    "not_listed",
    "cleared",
    "strike_off_proposed",
    "struck_off",
    "complaint_lodged",
    "complaint_answered",
    "release_requested",
    "released",
    "referred_to_discipline",
    "card_collected",
]

STATE_LABELS: dict[str, str] = {
    "flagged": "Chi ủy đã rà soát, đưa vào danh sách dự kiến",
    "listed": "Chi bộ đã bỏ phiếu đưa vào danh sách giáo dục, giúp đỡ",
    "not_listed": "Chi bộ không đưa vào danh sách giáo dục, giúp đỡ",
    "cleared": "Đã tiến bộ, đưa ra khỏi danh sách giáo dục, giúp đỡ",
    "strike_off_proposed": "Chi bộ đề nghị xóa tên",
    "struck_off": "Đã có quyết định xóa tên",
    "complaint_lodged": "Đảng viên khiếu nại quyết định xóa tên",
    "complaint_answered": "Đã trả lời khiếu nại",
    "release_requested": "Đảng viên tự nguyện xin ra khỏi Đảng",
    "released": "Đã có quyết định cho ra khỏi Đảng",
    "referred_to_discipline": "Chuyển sang xem xét kỷ luật",
    "card_collected": "Chi bộ đã thu hồi thẻ đảng viên",
}

Criterion = Literal[
    "duties_not_completed",
    "transfer_not_completed",
    "discipline_or_law_violation",
    "assignment_refused",
    "disunity",
    "not_exemplary",
    "not_completed_two_years",
    "reoffended_under_discipline",
    "degraded",
    "example_rules_broken",
]

CRITERION_LABELS: dict[str, str] = {
    "duties_not_completed": "không hoàn thành nhiệm vụ",
    "transfer_not_completed": "không chuyển sinh hoạt hoặc không nộp hồ sơ",
    "discipline_or_law_violation": "vi phạm kỷ luật đảng, pháp luật",
    "assignment_refused": "không chấp hành sự phân công",
    "disunity": "gây mất đoàn kết",
    "not_exemplary": "thiếu gương mẫu, uy tín thấp",
    "not_completed_two_years": "hai năm liền không hoàn thành nhiệm vụ",
    "reoffended_under_discipline": "tái phạm khi đang chịu kỷ luật",
    "degraded": "suy thoái chính trị, đạo đức, lối sống",
    "example_rules_broken": "vi phạm quy định nêu gương",
}

StrikeOffGround = Literal[
    "missed_activity_or_dues",
    "card_returned_or_destroyed",
    "no_progress_after_help",
    "violated_standing_two_years",
    "political_standard_failed",
]


class ScreeningEvent(EventBase):
    """Một bước trong hồ sơ rà soát, sàng lọc đảng viên."""

    state: ScreeningState
    """Trạng thái của hồ sơ sau bước này."""
    criteria: list[Criterion] = []
    """Tiêu chí rà soát áp dụng (ghi ở bước rà soát hoặc đưa vào danh sách)."""
    ground: StrikeOffGround | None = None
    """Căn cứ xóa tên (ghi ở bước đề nghị và quyết định xóa tên)."""
    outcome: Literal["upheld", "changed", "annulled"] | None = None
    """Kết quả giải quyết khiếu nại: giữ nguyên, thay đổi hoặc hủy quyết định."""


class ScreeningCase(CaseBase):
    """Hồ sơ rà soát, sàng lọc một đảng viên."""

    kind: Literal["screening"]
    """Loại hồ sơ: rà soát, sàng lọc đảng viên."""
    status: ScreeningState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[ScreeningEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""
