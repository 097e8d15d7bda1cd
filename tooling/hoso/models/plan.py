"""A directive's implementation plan: its tasks, who carries them out, and each unit's reports."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from hoso.models.common import CaseId, Code, Day, DocumentRef, Line, Lines, Strict, no_items

Level = Literal["province", "district", "grassroots", "cell"]


class Task(Strict):
    """Một nhiệm vụ của kế hoạch."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$", max_length=40)]
    """Mã nhiệm vụ trong kế hoạch, ví dụ "hoc-tap-quan-triet"."""
    title: Lines
    """Tóm tắt nhiệm vụ (tự viết, không chép nguyên văn)."""
    responsible: Annotated[list[Line], Field(min_length=1)]
    """Các cơ quan chủ trì, phối hợp."""
    applies_to: Level
    """Cấp phải thực hiện và báo cáo: mỗi đơn vị ở cấp này có một dòng tiến độ."""
    deadline: Day | None = None
    """Hạn hoàn thành; để trống với nhiệm vụ thường xuyên."""
    recurrence: Literal["once", "monthly", "half_yearly", "yearly", "continuous"] = "once"
    """Tần suất: một lần, hằng tháng, 6 tháng, hằng năm hoặc thường xuyên."""
    target: Annotated[int, Field(ge=0)] | None = None
    """Chỉ tiêu số lượng nếu kế hoạch đặt ra (ví dụ số đảng viên kết nạp mới)."""


class ProgressReport(Strict):
    """Báo cáo tiến độ của một đơn vị về một nhiệm vụ."""

    unit: Code
    """Mã đơn vị báo cáo."""
    task: Annotated[str, Field(pattern=r"^[a-z0-9-]+$", max_length=40)]
    """Mã nhiệm vụ được báo cáo."""
    date: Day
    """Ngày báo cáo."""
    status: Literal["not_started", "in_progress", "done"]
    """Tình trạng: chưa bắt đầu, đang thực hiện, đã hoàn thành."""
    document: DocumentRef | None = None
    """Văn bản báo cáo."""
    value: Annotated[int, Field(ge=0)] | None = None
    """Kết quả bằng số, so với chỉ tiêu của nhiệm vụ nếu có."""


class PlanRecord(Strict):
    """Kế hoạch thực hiện một chỉ thị, nghị quyết, với các nhiệm vụ và tiến độ của từng đơn vị."""

    id: CaseId
    """Mã hồ sơ kế hoạch (tiền tố KH), trùng với tên tệp."""
    kind: Literal["plan"]
    """Loại hồ sơ: kế hoạch."""
    unit: Code
    """Mã đơn vị ban hành kế hoạch; trùng với thư mục cases/<đơn vị>/."""
    sample: bool = False
    """true nếu đây là dữ liệu mẫu."""
    document: DocumentRef
    """Số, ngày và cơ quan ban hành kế hoạch."""
    title: Line
    """Tên kế hoạch."""
    implements: list[DocumentRef] = no_items()
    """Các văn bản cấp trên mà kế hoạch này triển khai (ghi cả số và ngày)."""
    summary: Lines
    """Tóm tắt mục đích, yêu cầu của kế hoạch bằng lời của người ghi."""
    tasks: Annotated[list[Task], Field(min_length=1)]
    """Các nhiệm vụ."""
    reports: list[ProgressReport] = no_items()
    """Báo cáo tiến độ của các đơn vị, chỉ thêm vào cuối."""
