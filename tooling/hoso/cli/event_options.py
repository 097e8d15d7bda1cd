"""Options that describe one event, shared by ``hoso new`` and ``hoso transition``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from hoso import clock, labels
from hoso.cli.values import DAY, WHOLE, coded, complete_body, parse_day, resolve, resolve_body
from hoso.governance import Governance

F = TypeVar("F", bound=Callable[..., Any])

FIELD_OPTIONS: dict[str, str] = {
    "date": "--date",
    "body": "--body",
    "document": "--doc-number",
    "document.number": "--doc-number",
    "document.date": "--doc-date",
    "document.issuer": "--doc-issuer",
    "vote": "--vote-official, --vote-present, --vote-for",
    "vote.official_members": "--vote-official",
    "vote.exempted_absent": "--vote-exempted-absent",
    "vote.exempted_present": "--vote-exempted-present",
    "vote.transferred_out": "--vote-transferred-out",
    "vote.present": "--vote-present",
    "vote.in_favour": "--vote-for",
    "vote.against": "--vote-against",
    "vote.abstain": "--vote-abstain",
    "vote.method": "--vote-method",
    "form": "--form",
    "form_votes": "--form-votes",
    "ground": "--ground",
    "outcome": "--outcome",
    "criteria": "--criterion",
    "introducers": "--introducer",
    "extended": "--extended",
    "confirmation": "--confirmation",
    "late_reason": "--late-reason",
    "note": "--note",
    "state": "--to",
}
"""The option that sets each field of an event (by its path inside the event), so that a
refusal names what the user types, not the YAML field."""


def option_for(field: str) -> str | None:
    """The option for an event field path such as ``vote.in_favour`` or ``introducers[0].kind``
    (the nearest named parent when the leaf has none)."""
    path = field.split("[", 1)[0] if "[" in field.split(".", 1)[0] else field
    while path:
        if path in FIELD_OPTIONS:
            return FIELD_OPTIONS[path]
        path = path.rpartition(".")[0]
    return None


def event_options(func: F) -> F:
    options = [
        click.option(
            "--date",
            "on",
            type=DAY,
            help="Ngày của bước (ngày/tháng/năm, ví dụ 20/11/2026); mặc định hôm nay.",
        ),
        click.option(
            "--body",
            metavar="TỔ_CHỨC",
            shell_complete=complete_body,
            help="Tổ chức thực hiện bước: mã hoặc tên đơn vị, ban (ví dụ khe-lam.standing, "
            "'Ban Thường vụ huyện Khê Lam'); mặc định chi bộ. 'hoso show' nêu tổ chức phải "
            "thực hiện bước tiếp theo.",
        ),
        click.option(
            "--doc-number", metavar="SỐ_HIỆU", help="Số và ký hiệu văn bản, ví dụ 15-NQ/CB."
        ),
        click.option("--doc-date", type=DAY, help="Ngày ký văn bản; mặc định ngày của bước."),
        click.option(
            "--doc-issuer",
            metavar="TỔ_CHỨC",
            shell_complete=complete_body,
            help="Cơ quan ban hành văn bản (mã hoặc tên); mặc định --body.",
        ),
        click.option(
            "--vote-official",
            type=WHOLE,
            help="Biểu quyết: tổng số đảng viên chính thức (hoặc ủy viên) của tổ chức biểu quyết.",
        ),
        click.option(
            "--vote-exempted-absent",
            type=WHOLE,
            default=0,
            show_default=True,
            help="Biểu quyết: số miễn sinh hoạt vắng mặt.",
        ),
        click.option(
            "--vote-exempted-present",
            type=WHOLE,
            default=0,
            show_default=True,
            help="Biểu quyết: số miễn sinh hoạt có mặt (khi rà soát, không tính vào mẫu số).",
        ),
        click.option(
            "--vote-transferred-out",
            type=WHOLE,
            default=0,
            show_default=True,
            help="Biểu quyết: số đang chuyển sinh hoạt tạm thời đi.",
        ),
        click.option("--vote-present", type=WHOLE, metavar="SỐ", help="Biểu quyết: số có mặt."),
        click.option("--vote-for", type=WHOLE, metavar="SỐ", help="Biểu quyết: số tán thành."),
        click.option(
            "--vote-against",
            type=WHOLE,
            default=0,
            show_default=True,
            help="Biểu quyết: số không tán thành.",
        ),
        click.option(
            "--vote-abstain",
            type=WHOLE,
            default=0,
            show_default=True,
            help="Biểu quyết: số không biểu quyết hoặc phiếu hỏng.",
        ),
        click.option(
            "--vote-method",
            type=coded("method", "HÌNH_THỨC"),
            default="secret_ballot",
            help="Biểu quyết: bỏ phiếu kín hoặc giơ thẻ (giơ tay); mặc định bỏ phiếu kín.",
        ),
        click.option(
            "--form",
            type=coded("form", "HÌNH_THỨC"),
            help="Hình thức kỷ luật: khiển trách, cảnh cáo, cách chức, khai trừ "
            "(mã hoặc tên, có dấu hay không dấu).",
        ),
        click.option(
            "--form-votes",
            metavar="HÌNH_THỨC=SỐ,...",
            help="Phiếu theo hình thức, ví dụ 'khai trừ=3,cảnh cáo=9'.",
        ),
        click.option(
            "--ground",
            type=coded("ground", "CĂN_CỨ"),
            help="Căn cứ xóa tên (xem 'hoso explain screening').",
        ),
        click.option(
            "--outcome",
            type=coded("outcome", "KẾT_QUẢ"),
            help="Kết quả giải quyết khiếu nại: giữ nguyên, thay đổi, xóa bỏ.",
        ),
        click.option(
            "--criterion",
            "criteria",
            type=coded("criterion", "TIÊU_CHÍ"),
            multiple=True,
            help="Tiêu chí rà soát (lặp lại được; xem 'hoso explain screening').",
        ),
        click.option(
            "--introducer",
            "introducers",
            multiple=True,
            metavar="'HỌ TÊN|LOẠI|NGÀY'",
            help="Người giới thiệu: họ tên, loại (đảng viên, đoàn viên hay Đoàn Thanh niên, công "
            "đoàn viên hay Công đoàn), ngày bắt đầu cùng công tác, ngăn bằng '|' hoặc dấu phẩy; "
            "ví dụ 'Lò Văn B|đảng viên|01/03/2024' hay 'Lò Văn B, đảng viên, 01/03/2024' (lặp "
            "lại được). Đảng viên cùng cư trú (tính từ 30/07/2021): thêm '|cư trú', ví dụ "
            "'Lò Văn B|đảng viên|01/03/2024|cư trú'.",
        ),
        click.option("--extended", is_flag=True, help="Quyết định kết nạp đã được gia hạn."),
        click.option(
            "--late-reason", metavar="LÝ_DO", help="Lý do chậm (nộp giấy giới thiệu quá hạn)."
        ),
        click.option(
            "--confirmation",
            metavar="'SỐ|NGÀY|NƠI XÁC NHẬN'",
            help="Văn bản xác nhận tiếp nhận của nơi đến (bước “Nơi đến đã xác nhận tiếp "
            "nhận”): số, ngày, cấp ủy nơi đến; ví dụ '21-CV/ĐU|02/11/2026|Đảng ủy xã Nà Bó'.",
        ),
        click.option(
            "--note", metavar="GHI_CHÚ", help="Ghi chú công khai (không ghi thông tin mật)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_event(
    state: str, default_body: str, governance: Governance | None = None, **given: Any
) -> dict[str, Any]:
    """The event mapping in the house key order, leaving out what was not given. Bodies typed
    by name are resolved to their codes when ``governance`` is given."""
    on: date = given.get("on") or clock.today()
    body = given.get("body") or default_body
    issuer = given.get("doc_issuer")
    if governance is not None and governance.units:
        body = resolve_body(governance, body, "--body")
        if issuer:
            issuer = resolve_body(governance, issuer, "--doc-issuer")
    event: dict[str, Any] = {"date": on, "state": state, "body": body}
    if given.get("doc_number"):
        event["document"] = {
            "number": given["doc_number"],
            "date": given.get("doc_date") or on,
            "issuer": issuer or body,
        }
    if given.get("vote_for") is not None:
        present = given.get("vote_present")
        official = given.get("vote_official")
        if present is None or official is None:
            raise click.UsageError("biểu quyết cần --vote-official, --vote-present và --vote-for")
        event["vote"] = {
            "official_members": official,
            "exempted_absent": given["vote_exempted_absent"],
            **(
                {"exempted_present": given["vote_exempted_present"]}
                if given.get("vote_exempted_present")
                else {}
            ),
            "transferred_out": given["vote_transferred_out"],
            "present": present,
            "in_favour": given["vote_for"],
            "against": given["vote_against"],
            "abstain": given["vote_abstain"],
            "method": given["vote_method"],
        }
    for key in ("form", "ground", "outcome", "late_reason", "note"):
        if given.get(key):
            event[key] = given[key]
    if given.get("form_votes"):
        event["form_votes"] = [_form_vote(part) for part in given["form_votes"].split(",")]
    if given.get("criteria"):
        event["criteria"] = list(given["criteria"])
    if given.get("introducers"):
        event["introducers"] = [_introducer(text) for text in given["introducers"]]
    if given.get("extended"):
        event["extended"] = True
    if given.get("confirmation"):
        event["confirmation"] = _confirmation(given["confirmation"])
    return event


def _confirmation(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3 or not all(parts):
        raise click.BadParameter(
            f"cần 'số|ngày|nơi xác nhận', ví dụ '21-CV/ĐU|02/11/2026|Đảng ủy xã Nà Bó'; nhận "
            f"được {text!r}",
            param_hint="'--confirmation'",
        )
    try:
        day = parse_day(parts[1])
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--confirmation'") from None
    return {"number": parts[0], "date": day, "issuer": parts[2]}


def _form_vote(part: str) -> dict[str, Any]:
    form, _, votes = part.partition("=")
    if not votes.strip().isdecimal() or len(votes.strip()) > 6:
        raise click.BadParameter(
            f"cần dạng hình_thức=số, ví dụ 'khai trừ=3'; nhận được {part!r}",
            param_hint="'--form-votes'",
        )
    code = resolve(labels.VOCABULARIES["form"], form.strip(), "--form-votes")
    return {"form": code, "votes": int(votes)}


def _introducer(text: str) -> dict[str, Any]:
    # A name never holds a comma, so commas part the three as well as '|' (what people type).
    parts = [p.strip() for p in text.split("|" if "|" in text else ",")]
    if len(parts) not in (3, 4):
        raise click.BadParameter(
            f"cần 'Họ tên|loại|ngày' hoặc 'Họ tên, loại, ngày' (thêm '|cư trú' cho người cùng "
            f"cư trú), ví dụ 'Lò Văn B|đảng viên|01/03/2024'; nhận được {text!r}",
            param_hint="'--introducer'",
        )
    kind = resolve(labels.VOCABULARIES["introducer"], parts[1], "--introducer")
    try:
        since = parse_day(parts[2])
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--introducer'") from None
    introducer = {"name": parts[0], "kind": kind, "known_since": since}
    if len(parts) == 4:
        how = labels.VOCABULARIES["known_through"]
        introducer["known_through"] = resolve(how, parts[3], "--introducer")
    return introducer
