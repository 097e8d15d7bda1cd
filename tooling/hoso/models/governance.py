"""The organisation tree, the committees and their members, and the approval policy."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from hoso.models.common import PERSONAL, Code, Day, PersonName, Strict, Text

LOGIN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,254})$"
"""A forge login: letters, digits, dot, hyphen, underscore (GitHub and GitLab both fit)."""
SSH_KEY = r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( .*)?$"
"""An OpenSSH public key line of a type hoso verifies."""

UnitLevel = Literal["province", "district", "grassroots", "partial", "cell"]
CommitteeKind = Literal[
    "executive", "standing", "organisation", "inspection", "propaganda", "cell_committee"
]


class Unit(Strict):
    """Một tổ chức đảng trong cây tổ chức."""

    code: Code
    """Mã đơn vị, duy nhất trong tỉnh; mã cấp huyện là tên thư mục trong cases/."""
    name: Text
    """Tên đầy đủ, ví dụ "Đảng bộ xã Nà Khê"."""
    level: UnitLevel
    """Cấp: tỉnh, huyện (cấp trên cơ sở), cơ sở, đảng ủy bộ phận (partial), chi bộ (cell)."""
    parent: Code | None = None
    """Mã đơn vị cấp trên trực tiếp; để trống với cấp tỉnh."""
    grassroots_type: Literal["committee", "cell"] | None = None
    """Với cấp cơ sở: đảng bộ cơ sở có đảng ủy (committee) hay chi bộ cơ sở (cell)."""
    authorised_to_admit: bool = False
    """true nếu đảng ủy cơ sở được ủy quyền quyết định kết nạp đảng viên."""
    official_members: Annotated[int, Field(ge=0)] | None = None
    """Số đảng viên chính thức (dùng cho số liệu tổng hợp)."""


class UnitsFile(Strict):
    """Cây tổ chức đảng của tỉnh (governance/units.yaml)."""

    sample: bool = False
    """true nếu đây là dữ liệu mẫu hư cấu."""
    units: Annotated[list[Unit], Field(min_length=1)]
    """Danh sách đơn vị, từ tỉnh xuống chi bộ."""


class Member(Strict):
    """Một thành viên của cấp ủy, ban hoặc ủy ban kiểm tra."""

    name: PersonName
    """Họ và tên."""
    role: Literal[
        "secretary", "deputy_secretary", "chair", "deputy_chair", "head", "deputy_head", "member"
    ]
    """Chức danh trong tập thể."""
    party_card: Annotated[str | None, Field(json_schema_extra=PERSONAL)] = None
    """Số thẻ đảng viên (để nhận biết người là đối tượng của hồ sơ)."""
    term_from: Day
    """Ngày bắt đầu nhiệm kỳ hoặc ngày được bổ sung."""
    term_until: Day | None = None
    """Ngày kết thúc nhiệm kỳ hoặc thôi tham gia; để trống nếu đang làm."""
    github: Annotated[str, Field(pattern=LOGIN)] | None = None
    """Tên tài khoản GitHub dùng để phê duyệt (không phân biệt chữ hoa, chữ thường)."""
    github_id: Annotated[int, Field(ge=1)] | None = None
    """Mã số tài khoản GitHub (user id); nếu ghi, chỉ tài khoản có đúng mã số này được tính, kể cả
    khi tên tài khoản đổi hoặc được người khác dùng lại."""
    gitlab: Annotated[str, Field(pattern=LOGIN)] | None = None
    """Tên tài khoản GitLab dùng để phê duyệt (không phân biệt chữ hoa, chữ thường)."""
    gitlab_id: Annotated[int, Field(ge=1)] | None = None
    """Mã số tài khoản GitLab (user id); nếu ghi, chỉ tài khoản có đúng mã số này được tính."""
    email: str | None = None
    """Địa chỉ email của người này trong các commit (để nhận ra tác giả của thay đổi)."""
    ssh_keys: list[Annotated[str, Field(pattern=SSH_KEY)]] = []
    """Khóa công khai SSH dùng để ký phê duyệt (định dạng OpenSSH). Người ký được nhận ra qua
    khóa, không qua email ghi trong commit."""


class Committee(Strict):
    """Một cấp ủy, ban thường vụ, ban tổ chức hay ủy ban kiểm tra."""

    id: Code
    """Mã tập thể, theo dạng <mã đơn vị>.<loại>, ví dụ "son-khe.standing"."""
    unit: Code
    """Mã đơn vị mà tập thể này thuộc về."""
    kind: CommitteeKind
    """Loại: cấp ủy (executive), ban thường vụ (standing), ban tổ chức (organisation), ủy ban kiểm
    tra (inspection), ban tuyên giáo (propaganda), chi ủy (cell_committee)."""
    name: Text
    """Tên đầy đủ."""
    members: list[Member] = []
    """Thành viên, kể cả người đã hết nhiệm kỳ (để kiểm tra lịch sử)."""


class CommitteesFile(Strict):
    """Các tập thể lãnh đạo và thành viên (governance/committees.yaml)."""

    sample: bool = False
    """true nếu đây là dữ liệu mẫu hư cấu."""
    committees: list[Committee]
    """Danh sách tập thể."""


class Requirement(Strict):
    """Một tập thể phải phê duyệt, và cần bao nhiêu người."""

    committee: CommitteeKind
    """Loại tập thể phải phê duyệt."""
    of: Literal["case_unit", "case_grassroots", "province", "repository"]
    """Tập thể của cấp nào: đảng bộ huyện của hồ sơ, tổ chức cơ sở của hồ sơ, tỉnh, hoặc kho."""
    count: Annotated[int, Field(ge=1)] | None = None
    """Số người phê duyệt tối thiểu."""
    fraction: Annotated[float, Field(gt=0, le=1)] | None = None
    """Tỷ lệ tối thiểu trên số thành viên tại thời điểm xem xét (ví dụ 0.5)."""
    assurance: Literal["forge", "signed"] = "forge"
    """Mức bảo đảm: phê duyệt trên nền tảng (forge) hoặc commit có chữ ký SSH (signed)."""


class Match(Strict):
    """Điều kiện để một quy tắc áp dụng cho một thay đổi."""

    kinds: list[
        Literal[
            "admission",
            "screening",
            "discipline",
            "transfer",
            "exemption",
            "org_discipline",
            "ranking",
            "plan",
            "governance",
        ]
    ] = []
    """Loại hồ sơ; để trống là mọi loại."""
    from_states: list[str] = []
    """Trạng thái của hồ sơ trước thay đổi; để trống là mọi trạng thái (kể cả hồ sơ mới)."""
    to_states: list[str] = []
    """Trạng thái mới mà thay đổi đưa hồ sơ tới; để trống là mọi trạng thái."""
    forms: list[
        Literal["reprimand", "warning", "removal_from_post", "expulsion", "dissolution"]
    ] = []
    """Hình thức kỷ luật; để trống là mọi hình thức. Một bước khớp khi hình thức của nó (ở
    bước đề nghị, quyết định, giải quyết khiếu nại) hoặc hình thức các bước như thế trước nó ghi
    nằm trong danh sách, nên quy tắc cho khai trừ cũng áp dụng khi công bố, khiếu nại, thay đổi
    hay xóa bỏ quyết định khai trừ."""
    paths: list[Annotated[str, Field(min_length=1, pattern=r"^[^\s]+$")]] = []
    """Với tệp không phải hồ sơ (mã nguồn, cấu hình, trang web): mẫu đường dẫn, ví dụ
    "tooling/**", "noxfile.py", ".github/"; "*" khớp trong một thư mục, "**" khớp mọi thư mục,
    mẫu kết thúc bằng "/" là cả thư mục. Tệp không quy tắc nào nêu thuộc quy tắc của tệp quản trị
    (hoặc quy tắc ghi ở unowned)."""
    unit_levels: list[Literal["province", "district"]] = []
    """Cấp của đơn vị hồ sơ; để trống là mọi cấp."""


class PolicyRule(Strict):
    """Một quy tắc phê duyệt."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    """Mã quy tắc."""
    description: Text
    """Mô tả bằng tiếng Việt, hiển thị trong giải thích của cổng kiểm duyệt."""
    source: Text | None = None
    """Văn bản quy định làm căn cứ (số và ngày)."""
    match: Match
    """Thay đổi nào chịu quy tắc này."""
    require: Annotated[list[Requirement], Field(min_length=1)]
    """Các tập thể phải phê duyệt (tất cả đều phải đạt)."""


class Conflict(Strict):
    """Một trường hợp xung đột lợi ích đã khai báo: người này không được phê duyệt các hồ sơ
    nêu ở đây."""

    party_card: Annotated[str, Field(json_schema_extra=PERSONAL)]
    """Số thẻ đảng viên của người có xung đột lợi ích."""
    cases: list[str] = []
    """Mã các hồ sơ người này không được phê duyệt."""
    units: list[Code] = []
    """Mã các đơn vị (kể cả cấp dưới) mà người này không được phê duyệt hồ sơ."""
    reason: Text
    """Lý do (ví dụ: là người thân, là người giới thiệu)."""


class PolicyFile(Strict):
    """Quy tắc phê duyệt yêu cầu hợp nhất (governance/policy.yaml)."""

    sample: bool = False
    """true nếu đây là dữ liệu mẫu."""
    rules: list[PolicyRule]
    """Các quy tắc; mọi quy tắc khớp với một thay đổi đều phải được đáp ứng."""
    corrections: list[Requirement] = []
    """Ai phải phê duyệt việc đính chính trường đã ghi hoặc sửa một bước cũ trong lịch sử;
    để trống thì mọi việc sửa như vậy đều bị từ chối."""
    conflicts: list[Conflict] = []
    """Các trường hợp xung đột lợi ích đã khai báo."""
    unowned: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    """Mã quy tắc chịu trách nhiệm mọi tệp không quy tắc nào nêu tên; để trống là các quy tắc
    của tệp quản trị (kinds: governance). Không bao giờ là "không cần ai"."""


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise PydanticCustomError(
            "pattern_invalid", "biểu thức chính quy không hợp lệ: {why}", {"why": str(exc)}
        ) from None
    return pattern


class ForgeKey(Strict):
    """Khóa mà nền tảng (GitHub, GitLab) dùng để ký các commit hợp nhất do nó tạo ra: chỉ hợp
    nhất có chữ ký này mới được coi là đã qua yêu cầu hợp nhất trên nền tảng."""

    forge: Literal["github", "gitlab"]
    """Nền tảng."""
    format: Literal["ssh", "openpgp"]
    """Loại khóa: SSH (GitLab tự quản có thể ký bằng khóa SSH) hoặc OpenPGP (GitHub)."""
    key: Annotated[str, Field(min_length=20)]
    """Khóa công khai: một dòng OpenSSH, hoặc khối "-----BEGIN PGP PUBLIC KEY BLOCK-----"."""
    note: Text | None = None
    """Ghi chú: lấy khóa ở đâu, dùng từ ngày nào."""

    @model_validator(mode="after")
    def _key_fits_format(self) -> ForgeKey:
        ssh = re.match(SSH_KEY, self.key) is not None
        pgp = self.key.lstrip().startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
        if (self.format == "ssh" and not ssh) or (self.format == "openpgp" and not pgp):
            raise PydanticCustomError(
                "forge_key", "khóa không đúng định dạng {format}", {"format": self.format}
            )
        return self


class SettingsFile(Strict):
    """Các giá trị cấu hình của tỉnh (governance/settings.yaml)."""

    sample: bool = False
    """true nếu đây là dữ liệu mẫu."""
    province: Code
    """Mã đơn vị cấp tỉnh."""
    party_card_pattern: Annotated[str, AfterValidator(_compiles)] = r"^[0-9]{8}$"
    """Biểu thức chính quy cho số thẻ đảng viên."""
    extra_holidays: list[Day] = []
    """Ngày nghỉ bù, nghỉ thêm do Chính phủ công bố hằng năm mà lịch có sẵn chưa có (lịch có
    sẵn đã gồm các ngày lễ, Tết và những lần hoán đổi ngày nghỉ mà thư viện holidays biết)."""
    extra_workdays: list[Day] = []
    """Ngày làm việc bù (thứ Bảy, Chủ nhật phải đi làm) mà lịch có sẵn chưa có, ví dụ khi
    Chính phủ công bố một lần hoán đổi ngày nghỉ mới."""
    initial_import: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None
    """Mã commit gốc của kho, khi commit đó đưa vào hồ sơ hoặc mã nguồn (bản nhập ban đầu) và
    đã được kiểm tra: kiểm toán không báo lại; một gốc khác thì vẫn báo."""
    forge_keys: list[ForgeKey] = []
    """Khóa ký của nền tảng cho các commit hợp nhất; để trống thì kiểm toán báo rằng phê duyệt
    ghi trong commit hợp nhất không kiểm chứng được."""
    rule_overrides: dict[
        str,
        Annotated[int, Field(ge=0, le=3650)]
        | Annotated[str, Field(pattern=r"^[0-9]+/[1-9][0-9]*$")],
    ] = {}
    """Giá trị thay cho các quy định chưa chắc chắn (đánh dấu "cần kiểm tra" trên trang hướng
    dẫn), ví dụ complaint_answer_workdays: 90 (số ngày làm việc hoặc số tháng, từ 0 đến 3650),
    hoặc một tỷ lệ viết dạng "2/3". Quy định chắc chắn không thay được."""
    small_count: Annotated[int, Field(ge=1, le=100)] = 3
    """Ngưỡng số nhỏ: trên trang cho cán bộ, số liệu của tổ chức cơ sở đảng, đảng ủy bộ phận và
    chi bộ nhỏ hơn ngưỡng này (trừ số 0) hiện là "< 3" thay cho con số, để không ai nhận ra một
    đảng viên qua số liệu của đơn vị nhỏ. 1 là tắt quy tắc này."""
