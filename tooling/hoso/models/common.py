"""Parts shared by every record: strict base, dates, subject, document references, votes.

Field descriptions are the attribute docstrings, in Vietnamese: ``hoso.schemas`` puts them into
the JSON Schema and so into the editor of whoever writes the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

SENSITIVITY_KEY = "x-hoso-sensitivity"
CONFIDENTIAL: dict[str, Any] = {SENSITIVITY_KEY: "confidential"}
"""Mark for fields never rendered on any page or report (family, health, who flagged a member)."""
PERSONAL: dict[str, Any] = {SENSITIVITY_KEY: "personal"}
"""Mark for personal values: shown to the commission, never on the staff site."""

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)
"""The days a record may name. Every rule counts from and to such days, so calendar and month
arithmetic stays within a few centuries and can neither overflow nor run for long."""


def _parse_day(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        if EARLIEST <= value <= LATEST:
            return value
        raise _out_of_range(value.isoformat())
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_impossible", "ngày không có thật trên lịch: {value}", {"value": value}
            ) from None
        if EARLIEST <= day <= LATEST:
            return day
        raise _out_of_range(value)
    raise PydanticCustomError(
        "date_format",
        "ngày trong tệp viết năm-tháng-ngày, ví dụ 2019-05-02; nhận được {value}{hint}",
        {"value": value, "hint": _as_written(value)},
    )


def _as_written(value: object) -> str:
    """For a day written as people write it (15/08/2024), the same day as the file wants it."""
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", str(value).strip())
    if not found:
        return ""
    try:
        day = date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return ""
    return f"; hãy ghi {day.isoformat()}"


def _out_of_range(written: str) -> PydanticCustomError:
    return PydanticCustomError(
        "date_range",
        "ngày phải trong khoảng từ 01/01/1900 đến 31/12/2099; nhận được {value}",
        {"value": written},
    )


Day = Annotated[date, BeforeValidator(_parse_day)]
"""A calendar day written YYYY-MM-DD; impossible days and other notations are field errors."""

Code = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-._][a-z0-9]+)*$", max_length=64)]
"""A lowercase identifier for units and committees, e.g. ``son-khe`` or ``son-khe.standing``."""

CASE_ID_PATTERN = r"^(KN|RS|KL|CS|MS|TC|XL|KH)-[0-9]{4}-[0-9a-z]{6}$"
CaseId = Annotated[str, Field(pattern=CASE_ID_PATTERN)]
"""Case id: kind prefix, year opened, six random characters (e.g. ``KN-2019-4k7qzm``)."""

Text = Annotated[str, Field(min_length=1, max_length=4000)]

_MARKS = r"\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
_UNPRINTABLE = r"\x00-\x1f" + _MARKS
"""Control characters, line and paragraph separators, zero-width and text-direction marks: a
name on one line never needs them, and they hide or reorder what a reader sees."""
_BUT_LINE_FEED = r"\x00-\x09\x0b-\x1f" + _MARKS
ONE_LINE_PATTERN = f"^[^{_UNPRINTABLE}]+$"
"""Checked by pydantic's own regex engine; ``validate.messages`` says in words what it refuses."""
LINES_PATTERN = f"^[^{_BUT_LINE_FEED}]+$"
"""As ``ONE_LINE_PATTERN``, but line feeds are allowed: a note or a summary may run over several
lines; a carriage return, which sends the terminal back to the start of a line, may not."""

Line = Annotated[str, Field(min_length=1, max_length=4000, pattern=ONE_LINE_PATTERN)]
"""Free text on one line, none of it hidden: a document number, a title, an organisation's
name. A line break or a carriage return there would let a record show one thing and hold
another."""

Lines = Annotated[str, Field(min_length=1, max_length=4000, pattern=LINES_PATTERN)]
"""Free text that may run over several lines (a note, a summary); no other control character
and nothing hidden."""

PersonName = Annotated[
    str,
    Field(min_length=2, max_length=120, pattern=ONE_LINE_PATTERN, json_schema_extra=PERSONAL),
]
"""A person's name: 2 to 120 characters on one line, none of them hidden."""


def no_items() -> Any:
    """The default of a list field: a new empty list per record, made rather than deep-copied
    from a shared ``[]`` (pydantic copies mutable defaults on every validation); the schema
    still says ``"default": []``."""
    return Field(default_factory=list, json_schema_extra={"default": []})


class Strict(BaseModel):
    """Base of every record model: unknown fields are errors, no silent type coercion."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        validate_default=False,
        defer_build=True,
    )


class DocumentRef(Strict):
    """Văn bản làm căn cứ cho một bước: số, ngày và cơ quan ban hành."""

    number: Annotated[str, Field(min_length=1, max_length=80, pattern=ONE_LINE_PATTERN)]
    """Số và ký hiệu văn bản, ví dụ "15-NQ/CB" hoặc "203-QĐ/HU"."""
    date: Day
    """Ngày ký văn bản (NNNN-TT-NN)."""
    issuer: Code
    """Mã tổ chức hoặc cơ quan ban hành (mã đơn vị hoặc mã ban, ví dụ "son-khe.standing")."""


class Vote(Strict):
    """Kết quả biểu quyết; công cụ tự tính lại các ngưỡng từ các con số này."""

    official_members: Annotated[int, Field(ge=0)]
    """Tổng số đảng viên chính thức (hoặc ủy viên) của tổ chức biểu quyết."""
    exempted_absent: Annotated[int, Field(ge=0)] = 0
    """Số đảng viên được miễn sinh hoạt và vắng mặt (không tính vào mẫu số)."""
    transferred_out: Annotated[int, Field(ge=0)] = 0
    """Số đảng viên đang chuyển sinh hoạt tạm thời đi nơi khác (không tính vào mẫu số)."""
    exempted_present: Annotated[int, Field(ge=0)] = 0
    """Số đảng viên được miễn sinh hoạt nhưng có mặt: khi chi bộ biểu quyết đưa vào danh sách
    giáo dục, giúp đỡ (rà soát), mọi đảng viên miễn sinh hoạt đều không tính vào mẫu số; các
    lần biểu quyết khác vẫn tính người có mặt."""
    present: Annotated[int, Field(ge=0)]
    """Số người có mặt tại cuộc họp."""
    in_favour: Annotated[int, Field(ge=0)]
    """Số phiếu (hoặc thẻ) tán thành."""
    against: Annotated[int, Field(ge=0)] = 0
    """Số phiếu không tán thành."""
    abstain: Annotated[int, Field(ge=0)] = 0
    """Số phiếu không biểu quyết hoặc phiếu không hợp lệ."""
    method: Literal["secret_ballot", "show_of_cards"]
    """Hình thức biểu quyết: bỏ phiếu kín (secret_ballot) hoặc giơ thẻ (show_of_cards)."""
    passed: bool | None = None
    """Kết quả "đạt" hay "không đạt" như biên bản ghi (không bắt buộc). Công cụ không dựa vào
    trường này: kết quả luôn được tính lại từ các con số trên; ghi trái với kết quả tính được
    thì bị báo."""


class Post(Strict):
    """Một chức vụ đảng mà người đó đang hoặc đã giữ."""

    title: Line
    """Tên chức vụ, ví dụ "Bí thư chi bộ", "Ủy viên Ban Thường vụ"."""
    committee: Code
    """Mã cấp ủy hoặc ban nơi giữ chức vụ (theo governance/committees.yaml)."""
    since: Day
    """Ngày bắt đầu giữ chức vụ."""
    until: Day | None = None
    """Ngày thôi giữ chức vụ; để trống nếu đang giữ."""


Standing = Literal["candidate", "probationary", "official"]
"""Quần chúng (candidate), đảng viên dự bị (probationary), đảng viên chính thức (official)."""


class Subject(Strict):
    """Người được xem xét trong hồ sơ (quần chúng hoặc đảng viên)."""

    name: PersonName
    """Họ và tên, viết đủ dấu tiếng Việt."""
    birth_date: Annotated[Day, Field(json_schema_extra=PERSONAL)]
    """Ngày sinh (NNNN-TT-NN); dùng để tính tuổi khi chi bộ xét kết nạp."""
    sex: Literal["male", "female"]
    """Giới tính: nam (male) hoặc nữ (female)."""
    ethnicity: Annotated[
        str,
        Field(min_length=1, max_length=60, pattern=ONE_LINE_PATTERN, json_schema_extra=PERSONAL),
    ]
    """Dân tộc."""
    standing: Standing
    """Tư cách đảng viên: đảng viên dự bị (probationary) hoặc chính thức (official); phải đúng
    với ngày công nhận chính thức nếu có ghi."""
    party_card: Annotated[str | None, Field(json_schema_extra=PERSONAL)] = None
    """Số thẻ đảng viên, ghi trong dấu ngoặc kép; mẫu số thẻ được cấu hình trong
    governance/settings.yaml."""
    admitted_on: Day | None = None
    """Ngày quyết định kết nạp (tuổi đảng tính từ ngày này)."""
    recognised_on: Day | None = None
    """Ngày được công nhận đảng viên chính thức."""
    posts: list[Post] = no_items()
    """Các chức vụ đảng đã và đang giữ (cần để xét thẩm quyền và hình thức cách chức)."""
    managed_by: Code | None = None
    """Mã cấp ủy quản lý người này theo phân cấp quản lý cán bộ, nếu có."""
    youngest_child_born: Annotated[Day | None, Field(json_schema_extra=PERSONAL)] = None
    """Ngày sinh của con nhỏ nhất, nếu đảng viên đang nuôi con nhỏ (chưa xem xét kỷ luật khi
    con dưới 12 tháng tuổi)."""


class Confidential(Strict):
    """Thông tin mật: không bao giờ hiển thị trên trang web hay báo cáo nào."""

    family_background: Lines | None = None
    """Tóm tắt lý lịch gia đình cần cho thẩm tra."""
    health: Lines | None = None
    """Lý do sức khỏe, hồ sơ bệnh án."""
    treatment_months: Annotated[int, Field(ge=0, le=1200)] | None = None
    """Số tháng đã điều trị theo bệnh án, khi xin miễn sinh hoạt vì sức khỏe yếu (cần từ 3
    tháng)."""
    flagged_by: Line | None = None
    """Người hoặc tổ chức đã phản ánh về đảng viên."""
    notes: Lines | None = None
    """Ghi chú mật khác của cấp ủy."""


class EventBase(Strict):
    """Phần chung của mọi sự kiện trong lịch sử hồ sơ."""

    date: Day
    """Ngày diễn ra bước này (ngày họp, ngày ký quyết định...)."""
    body: Code
    """Tổ chức thực hiện bước này: mã đơn vị (ví dụ chi bộ họp toàn thể) hoặc mã ban/cấp ủy
    trong governance/committees.yaml."""
    document: DocumentRef | None = None
    """Văn bản ghi nhận bước này (nghị quyết, quyết định, tờ trình...)."""
    vote: Vote | None = None
    """Kết quả biểu quyết, bắt buộc với các bước là nghị quyết hoặc quyết định tập thể."""
    note: Lines | None = None
    """Ghi chú công khai cho bước này (không ghi thông tin mật ở đây)."""


class CaseBase(Strict):
    """Phần chung của mọi hồ sơ vụ việc."""

    id: CaseId
    """Mã hồ sơ, không bao giờ thay đổi; trùng với tên tệp."""
    unit: Code
    """Mã đảng bộ cấp huyện quản lý hồ sơ; trùng với thư mục cases/<đơn vị>/."""
    cell: Code
    """Mã chi bộ (hoặc tổ chức cơ sở) nơi người đó sinh hoạt."""
    sample: bool = False
    """true nếu đây là dữ liệu mẫu hư cấu, không phải hồ sơ thật."""
    subject: Subject
    """Người được xem xét."""
    related: list[CaseId] = no_items()
    """Mã các hồ sơ liên quan (ví dụ hồ sơ kỷ luật phát sinh từ rà soát)."""
    confidential: Annotated[Confidential | None, Field(json_schema_extra=CONFIDENTIAL)] = None
    """Thông tin mật; không bao giờ được hiển thị trên trang web hay báo cáo."""
