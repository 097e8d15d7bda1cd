"""The fields of the forms: which groups of fields a step shows, generated from the event
model of its kind and the needs the validator finds (``views.nextsteps``). Field names are the
parameter names of the CLI's options (``typed`` reads them as those options)."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from hoso import labels
from hoso.models import RECORD_MODELS

Widget = Literal["text", "day", "number", "select", "checks", "textarea", "checkbox", "rows"]


@dataclass
class Field:
    name: str
    """The form field's name: the CLI option's parameter name (``vote_for``)."""
    label: str
    widget: Widget = "text"
    choices: list[tuple[str, str]] = field(default_factory=list)
    """(code, label) for selects and checkboxes."""
    help: str = ""
    required: bool = False
    value: Any = ""
    error: str = ""
    suggest: str = ""
    """The id of a datalist offering names (units, bodies)."""


@dataclass
class Group:
    key: str
    title: str
    fields: list[Field]
    needed: bool = False
    """Marked: the step cannot be recorded without it."""
    error: str = ""
    open: bool = False
    """Shown unfolded (needed, filled in, or wrong); the others fold under their title."""


def _vocabulary(name: str) -> list[tuple[str, str]]:
    return list(labels.VOCABULARIES[name].labels.items())


def _day(name: str, label: str, required: bool = False, help: str = "") -> Field:
    return Field(name, label, "day", required=required, help=help or "ngày/tháng/năm")


def _whole(name: str, label: str, required: bool = False) -> Field:
    return Field(name, label, "number", required=required)


INTRODUCER_ROWS = 3

EVENT_GROUPS: dict[str, tuple[str, list[Field]]] = {
    "document": (
        "Văn bản",
        [
            Field("doc_number", "Số, ký hiệu văn bản", help="ví dụ 15-NQ/CB"),
            _day("doc_date", "Ngày ký văn bản", help="ngày/tháng/năm; để trống là ngày của bước"),
            Field(
                "doc_issuer",
                "Cơ quan ban hành",
                suggest="to-chuc",
                help="mã hoặc tên; để trống là tổ chức thực hiện",
            ),
        ],
    ),
    "vote": (
        "Biểu quyết",
        [
            _whole("vote_official", "Tổng số đảng viên chính thức (hoặc ủy viên)"),
            _whole("vote_exempted_absent", "Số miễn sinh hoạt vắng mặt"),
            _whole("vote_exempted_present", "Số miễn sinh hoạt có mặt (rà soát: không tính)"),
            _whole("vote_transferred_out", "Số đang chuyển sinh hoạt tạm thời đi"),
            _whole("vote_present", "Số có mặt"),
            _whole("vote_for", "Số tán thành"),
            _whole("vote_against", "Số không tán thành"),
            _whole("vote_abstain", "Số không biểu quyết hoặc phiếu hỏng"),
            Field("vote_method", "Hình thức biểu quyết", "select", _vocabulary("method")),
        ],
    ),
    "form": ("Hình thức kỷ luật", [Field("form", "Hình thức", "select", _vocabulary("form"))]),
    "form_votes": (
        "Số phiếu theo từng hình thức",
        [_whole(f"form_votes_{code}", text) for code, text in _vocabulary("form")],
    ),
    "ground": ("Căn cứ xóa tên", [Field("ground", "Căn cứ", "select", _vocabulary("ground"))]),
    "outcome": (
        "Kết quả giải quyết khiếu nại",
        [Field("outcome", "Kết quả", "select", _vocabulary("outcome"))],
    ),
    "criteria": (
        "Tiêu chí rà soát",
        [Field("criteria", "Tiêu chí", "checks", _vocabulary("criterion"))],
    ),
    "introducers": (
        "Người giới thiệu",
        [
            row
            for n in range(1, INTRODUCER_ROWS + 1)
            for row in (
                Field(f"introducer_name_{n}", f"Họ và tên người thứ {n}"),
                Field(f"introducer_kind_{n}", "Là", "select", _vocabulary("introducer")),
                Field(
                    f"introducer_through_{n}",
                    "Quen biết qua",
                    "select",
                    _vocabulary("known_through"),
                ),
                _day(f"introducer_since_{n}", "Cùng công tác (hoặc cùng cư trú) từ ngày"),
            )
        ],
    ),
    "extended": (
        "Gia hạn",
        [Field("extended", "Quyết định kết nạp đã được gia hạn", "checkbox")],
    ),
    "confirmation": (
        "Văn bản xác nhận tiếp nhận của nơi đến",
        [
            Field("confirmation_number", "Số, ký hiệu văn bản", help="ví dụ 21-CV/ĐU"),
            _day("confirmation_date", "Ngày văn bản"),
            Field("confirmation_issuer", "Cấp ủy nơi đến", help="ví dụ Đảng ủy xã Nà Bó"),
        ],
    ),
    "late_reason": ("Lý do chậm", [Field("late_reason", "Lý do chậm", "textarea")]),
    "note": (
        "Ghi chú",
        [Field("note", "Ghi chú công khai", "textarea", help="không ghi thông tin mật ở đây")],
    ),
}
"""Each group of event fields, by the event field it fills (as ``nextsteps.SUPPLIED`` names
them), in the order a form shows them."""


def event_fields(kind: str) -> set[str]:
    """The fields an event of ``kind`` has, read from its model."""
    history = RECORD_MODELS[kind].model_fields["history"].annotation
    for inner in _walk(history):
        found = getattr(inner, "model_fields", None)
        if isinstance(inner, type) and isinstance(found, dict) and "state" in found:
            return set(found)
    return set()


def _walk(annotation: Any) -> Iterable[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _walk(arg)


def step_groups(kind: str, needs: list[str], vote_rule: str = "none") -> list[Group]:
    """The groups of a step's form: what it needs first and open, then what else the kind's
    events may carry."""
    present = event_fields(kind)
    wanted = set(needs)
    if vote_rule in ("pass", "fail"):
        wanted.add("vote")
    groups = []
    for key, (title, fields) in EVENT_GROUPS.items():
        if key not in present and key not in wanted:
            continue
        copies = [Field(**f.__dict__) for f in fields]
        groups.append(Group(key, title, copies, needed=key in wanted))
    groups.sort(key=lambda g: not g.needed)
    return groups
