"""Admission: sympathiser list through probation to recognition, or struck from probation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import (
    CaseBase,
    Day,
    DocumentRef,
    EventBase,
    PersonName,
    Standing,
    Strict,
    Subject,
    no_items,
)

AdmissionState = Literal[
    "sympathiser",
    "course_completed",
    "applied",
    "verified",
    "over_age_approved",
    "cell_voted",
    "cell_vote_failed",
    "referred_up",
    "partial_appraised",
    "grassroots_voted",
    "district_appraised",
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
    "over_age_approved": "Tỉnh ủy đã quyết định cho xét kết nạp người trên 60 tuổi",
    "cell_voted": "Chi bộ đã ra nghị quyết đề nghị kết nạp",
    "cell_vote_failed": "Chi bộ biểu quyết không đạt 2/3",
    "referred_up": "Chuyển cấp ủy cấp trên xem xét sau ba lần biểu quyết không đạt",
    "partial_appraised": "Đảng ủy bộ phận đã thẩm định",
    "grassroots_voted": "Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp",
    "district_appraised": "Ban tổ chức cấp ủy cấp huyện đã thẩm định",
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

    name: PersonName
    """Họ và tên người giới thiệu."""
    kind: Literal["member", "youth_union", "trade_union"]
    """Đảng viên chính thức (member), đại diện Ban Chấp hành Đoàn (youth_union) hoặc Công đoàn
    (trade_union)."""
    known_since: Day
    """Ngày bắt đầu cùng công tác (hoặc cùng cư trú) với người vào Đảng."""
    known_through: Literal["work", "residence"] | None = None
    """Cùng công tác (work) hay cùng cư trú (residence) với người vào Đảng; cùng cư trú chỉ
    được tính với đơn nộp từ khi QĐ 24-QĐ/TW (30/07/2021) có hiệu lực. Để trống: cùng công
    tác."""


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


class Applicant(Subject):
    """Người vào Đảng: tư cách, ngày kết nạp và ngày công nhận chính thức suy ra từ lịch sử."""

    standing: Standing | None = None  # type: ignore[assignment]
    """Không cần ghi: công cụ suy ra từ lịch sử (quần chúng đến lễ kết nạp, dự bị sau lễ kết
    nạp, chính thức khi có quyết định công nhận). Nếu ghi thì phải đúng tư cách hiện tại."""
    admitted_on: Day | None = None
    """Không cần ghi; nếu ghi phải là ngày quyết định kết nạp (tuổi đảng tính từ ngày này)."""
    recognised_on: Day | None = None
    """Không cần ghi; nếu ghi phải là ngày đủ 12 tháng dự bị kể từ lễ kết nạp (quyết định
    công nhận có hiệu lực từ ngày này, kể cả khi ra muộn)."""


class AdmissionCase(CaseBase):
    """Hồ sơ kết nạp đảng viên, từ danh sách cảm tình đến công nhận chính thức."""

    kind: Literal["admission"]
    """Loại hồ sơ: kết nạp đảng viên."""
    subject: Applicant
    """Người vào Đảng."""
    readmission: Readmission | None = None
    """Chỉ ghi khi xét kết nạp lại người đã từng ra khỏi Đảng."""
    status: AdmissionState
    """Trạng thái hiện tại; phải trùng với trạng thái của sự kiện cuối cùng trong lịch sử."""
    history: Annotated[list[AdmissionEvent], Field(min_length=1)]
    """Lịch sử các bước, theo thứ tự thời gian; chỉ được thêm vào cuối, không sửa bước cũ."""
