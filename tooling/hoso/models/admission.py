"""Admission: sympathiser list through probation to recognition, or struck from probation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import PERSONAL, CaseBase, Day, DocumentRef, EventBase, Strict, no_items

AdmissionState = Literal[
    "sympathiser",
    "course_completed",
    "applied",
    "verified",
    "cell_voted",
    "cell_vote_failed",
    "referred_up",
    "partial_appraised",
    "grassroots_voted",
    "decided",
    "ceremony_held",
    "recognition_cell_voted",
    "recognition_grassroots_voted",
    "recognised",
    "struck_from_probation",
    "not_admitted",
    "withdrawn",
]

STATE_LABELS: dict[str, str] = {
    "sympathiser": "Đã vào danh sách cảm tình, có đảng viên giúp đỡ",
    "course_completed": "Đã học lớp bồi dưỡng nhận thức về Đảng, có giấy chứng nhận",
    "applied": "Đã nộp đơn xin vào Đảng, lý lịch và giấy giới thiệu",
    "verified": "Đã thẩm tra lý lịch và lấy ý kiến đoàn thể, chi ủy nơi cư trú",
    "cell_voted": "Chi bộ đã ra nghị quyết đề nghị kết nạp",
    "cell_vote_failed": "Chi bộ biểu quyết không đạt 2/3",
    "referred_up": "Chuyển cấp ủy cấp trên xem xét sau ba lần biểu quyết không đạt",
    "partial_appraised": "Đảng ủy bộ phận đã thẩm định",
    "grassroots_voted": "Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp",
    "decided": "Đã có quyết định kết nạp",
    "ceremony_held": "Đã tổ chức lễ kết nạp; đang trong thời gian dự bị",
    "recognition_cell_voted": "Chi bộ đã ra nghị quyết đề nghị công nhận chính thức",
    "recognition_grassroots_voted": "Đảng ủy cơ sở đã đề nghị công nhận chính thức",
    "recognised": "Đã được công nhận đảng viên chính thức",
    "struck_from_probation": "Đã bị xóa tên khỏi danh sách đảng viên dự bị",
    "not_admitted": "Cấp có thẩm quyền không kết nạp",
    "withdrawn": "Dừng xem xét (người đề nghị rút đơn hoặc không đủ điều kiện)",
}


class Introducer(Strict):
    """Người giới thiệu vào Đảng."""

    name: Annotated[str, Field(min_length=2, max_length=120, json_schema_extra=PERSONAL)]
    """Họ và tên người giới thiệu."""
    kind: Literal["member", "youth_union", "trade_union"]
    """Đảng viên chính thức (member), đại diện Ban Chấp hành Đoàn (youth_union) hoặc Công đoàn
    (trade_union)."""
    known_since: Day
    """Ngày bắt đầu cùng công tác (hoặc cùng cư trú) với người vào Đảng."""


class Readmission(Strict):
    """Thông tin khi xét kết nạp lại người đã từng ra khỏi Đảng."""

    left_on: Day
    """Ngày ra khỏi Đảng lần trước."""
    exit: Literal["struck_off", "released", "struck_from_probation", "expelled"]
    """Hình thức ra khỏi Đảng: xóa tên, cho ra khỏi Đảng, xóa tên dự bị, khai trừ."""
    reason: Literal["abandoned_activity", "serious_disunity", "corruption_conviction", "other"]
    """Lý do ra khỏi Đảng: tự bỏ sinh hoạt, gây mất đoàn kết nghiêm trọng, bị kết án về tham
    nhũng, hoặc lý do khác."""
    readmitted_before: bool = False
    """true nếu người này đã từng được kết nạp lại một lần."""
    consent: DocumentRef
    """Văn bản đồng ý của ban thường vụ tỉnh ủy."""


class AdmissionEvent(EventBase):
    """Một bước trong hồ sơ kết nạp đảng viên."""

    state: AdmissionState
    """Trạng thái của hồ sơ sau bước này."""
    introducers: list[Introducer] = no_items()
    """Người giới thiệu (ghi ở bước nộp đơn): hai đảng viên chính thức, hoặc đại diện Đoàn/Công
    đoàn và một đảng viên chính thức."""
    extended: bool = False
    """true nếu thời hạn ra quyết định kết nạp đã được gia hạn (tối đa 30 ngày làm việc)."""


class AdmissionCase(CaseBase):
    """Hồ sơ kết nạp đảng viên, từ danh sách cảm tình đến công nhận chính thức."""

    kind: Literal["admission"]
    """Loại hồ sơ: kết nạp đảng viên."""
    readmission: Readmission | None = None
    """Chỉ ghi khi xét kết nạp lại người đã từng ra khỏi Đảng."""
    status: AdmissionState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[AdmissionEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""
