"""The fields of the forms: which a step shows, how typed values become the options of
``hoso new`` and ``hoso transition``, and where each refusal belongs.

A form's values are turned into exactly the keyword arguments the CLI's options give
(``on``, ``doc_number``, ``vote_for``, ...) and handed to the same builders (``build_event``,
``build_case``), so the event a form writes is the event the command would write.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import click

from hoso import labels
from hoso.cli.event_options import FIELD_OPTIONS
from hoso.cli.refusals import CASE_OPTIONS
from hoso.cli.values import parse_day
from hoso.models import RECORD_MODELS
from hoso.validate.findings import Finding
from hoso.views.nextsteps import field_in_event

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
                _day(f"introducer_since_{n}", "Cùng công tác từ ngày"),
            )
        ],
    ),
    "extended": (
        "Gia hạn",
        [Field("extended", "Quyết định kết nạp đã được gia hạn", "checkbox")],
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


# From typed values to the CLI's option values --------------------------------------------------


class Invalid(Exception):
    """Some values cannot be read; ``errors`` by field name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def typed_day(form: Mapping[str, str], name: str) -> str:
    """A day field's value: the native picker's (ISO) when one was picked, else the text typed
    (dd/mm/yyyy). The picker is empty until a day is picked in it, and the page's script keeps it
    equal to the text, so without the script a day picked still counts."""
    return (form.get(f"{name}__picker") or "").strip() or (form.get(name) or "").strip()


def read_event(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The ``hoso transition`` option values the form's fields give; ``Invalid`` on any
    value that cannot be read (every problem at once)."""
    errors: dict[str, str] = {}
    given: dict[str, Any] = {}
    _read_day(form, "on", given, errors, required=True)
    _read_day(form, "doc_date", given, errors)
    for name in ("body", "doc_number", "doc_issuer", "late_reason", "note"):
        given[name] = (form.get(name) or "").strip() or None
    for name, default in (
        ("vote_official", None),
        ("vote_exempted_absent", 0),
        ("vote_transferred_out", 0),
        ("vote_present", None),
        ("vote_for", None),
        ("vote_against", 0),
        ("vote_abstain", 0),
    ):
        given[name] = _whole_value(form, name, default, errors)
    counts = ("vote_official", "vote_present", "vote_for")
    if any((form.get(n) or "").strip() for n in counts):
        for name in counts:
            if given.get(name) is None and name not in errors:
                errors[name] = "biểu quyết cần tổng số, số có mặt và số tán thành"
    given["vote_method"] = _code(form, "vote_method", "method", errors) or "secret_ballot"
    for name, vocabulary in (("form", "form"), ("ground", "ground"), ("outcome", "outcome")):
        given[name] = _code(form, name, vocabulary, errors)
    criteria = [c for c in getlist("criteria") if c]
    unknown = [c for c in criteria if c not in labels.VOCABULARIES["criterion"].labels]
    if unknown:
        errors["criteria"] = f"không có tiêu chí {unknown[0]!r}"
    given["criteria"] = tuple(criteria)
    given["form_votes"] = _form_votes(form, errors)
    given["introducers"] = _introducers(form, errors)
    given["extended"] = (form.get("extended") or "") in ("1", "on", "true")
    if errors:
        raise Invalid(errors)
    return given


def _read_day(
    form: Mapping[str, str],
    name: str,
    given: dict[str, Any],
    errors: dict[str, str],
    required: bool = False,
) -> None:
    text = typed_day(form, name)
    given[name] = None
    if not text:
        if required:
            errors[name] = "hãy ghi ngày (ngày/tháng/năm, ví dụ 20/11/2026)"
        return
    try:
        given[name] = parse_day(text)
    except ValueError as exc:
        errors[name] = str(exc)


def _whole_value(
    form: Mapping[str, str], name: str, default: int | None, errors: dict[str, str]
) -> int | None:
    text = (form.get(name) or "").strip()
    if not text:
        return default
    if not text.isdecimal() or not text.isascii() or len(text) > 6:
        errors[name] = f"cần một số nguyên không âm; nhận được {text!r}"
        return default
    return int(text)


def _code(
    form: Mapping[str, str], name: str, vocabulary: str, errors: dict[str, str]
) -> str | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    found = labels.lookup(labels.VOCABULARIES[vocabulary].labels, text)
    if found is None:
        errors[name] = f"không có {labels.VOCABULARIES[vocabulary].name} {text!r}"
    return found


def _form_votes(form: Mapping[str, str], errors: dict[str, str]) -> str | None:
    parts = []
    for code in labels.VOCABULARIES["form"].labels:
        votes = _whole_value(form, f"form_votes_{code}", None, errors)
        if votes is not None:
            parts.append(f"{code}={votes}")
    return ",".join(parts) or None


def _introducers(form: Mapping[str, str], errors: dict[str, str]) -> tuple[str, ...]:
    rows = []
    for n in range(1, INTRODUCER_ROWS + 1):
        name = (form.get(f"introducer_name_{n}") or "").strip()
        kind = (form.get(f"introducer_kind_{n}") or "").strip() or "member"
        since = typed_day(form, f"introducer_since_{n}")
        if not name and not since:
            continue
        if not name:
            errors[f"introducer_name_{n}"] = "hãy ghi họ và tên người giới thiệu"
            continue
        if "|" in name:
            errors[f"introducer_name_{n}"] = "họ tên không được có dấu '|'"
            continue
        if not since:
            errors[f"introducer_since_{n}"] = "hãy ghi ngày bắt đầu cùng công tác"
            continue
        if kind not in labels.VOCABULARIES["introducer"].labels:
            errors[f"introducer_kind_{n}"] = f"không có loại người giới thiệu {kind!r}"
            continue
        rows.append(f"{name}|{kind}|{since}")
    return tuple(rows)


CASE_FIELDS = (
    "cell",
    "name",
    "birth_date",
    "sex",
    "ethnicity",
    "standing",
    "party_card",
    "admitted_on",
    "recognised_on",
    "violation_date",
    "violation_summary",
    "violation_category",
    "transfer_type",
    "direction",
    "counterpart",
    "move_date",
    "until",
    "reason",
    "period_until",
)
CASE_DAYS = (
    "birth_date",
    "admitted_on",
    "recognised_on",
    "violation_date",
    "move_date",
    "until",
    "period_until",
)
CASE_CODES = {
    "sex": "sex",
    "standing": "standing",
    "violation_category": "category",
    "transfer_type": "transfer_type",
    "direction": "direction",
    "reason": "reason",
}


def read_case(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The ``hoso new`` option values of a new-case form (its opening event included)."""
    errors: dict[str, str] = {}
    try:
        given = read_event(form, getlist)
    except Invalid as exc:
        errors.update(exc.errors)
        given = {}
    for name in CASE_FIELDS:
        if name in CASE_DAYS:
            _read_day(form, name, given, errors)
        elif name in CASE_CODES:
            given[name] = _code(form, name, CASE_CODES[name], errors)
        else:
            given[name] = (form.get(name) or "").strip() or None
    for name, why in (
        ("cell", "hãy chọn chi bộ nơi người đó sinh hoạt"),
        ("name", "hãy ghi họ và tên"),
        ("birth_date", "hãy ghi ngày sinh"),
        ("sex", "hãy chọn giới tính"),
        ("ethnicity", "hãy ghi dân tộc"),
    ):
        if given.get(name) is None and name not in errors:
            errors[name] = why
    given["direction"] = given.get("direction") or "outgoing"
    if errors:
        raise Invalid(errors)
    return given


# From refusals back to fields -----------------------------------------------------------------

_OPTION_FIELD = {
    "--date": "on",
    "--criterion": "criteria",
    "--introducer": "introducers",
    "--form-votes": "form_votes",
    "--to": "",
}


def option_field(option: str) -> str:
    """The form field an option (as a click error or a refusal names it) is typed into."""
    option = option.strip("'\" ").split(",")[0].split(" / ")[0].strip()
    if option in _OPTION_FIELD:
        return _OPTION_FIELD[option]
    return option.removeprefix("--").replace("-", "_")


def finding_field(finding: Finding, index: int) -> str:
    """The form field a finding of the would-be record belongs to ("" for the form as a
    whole), by the option ``hoso new``/``transition`` would name."""
    inside = field_in_event(finding, index)
    if inside is not None:
        if inside.startswith("introducers["):
            n = int(inside[len("introducers[") :].split("]", 1)[0]) + 1
            leaf = inside.rsplit(".", 1)[-1]
            part = {"known_since": "since", "kind": "kind"}.get(leaf, "name")
            return f"introducer_{part}_{n}" if n <= INTRODUCER_ROWS else "introducers"
        path = inside
        while path:
            if path in FIELD_OPTIONS:
                return option_field(FIELD_OPTIONS[path])
            path = path.rpartition(".")[0]
        return ""
    option = CASE_OPTIONS.get(finding.field) or CASE_OPTIONS.get(finding.field.rsplit(".", 1)[0])
    return option_field(option) if option else ""


def click_field(exc: click.ClickException) -> str:
    """The form field a click error from the builders names (its ``--option``)."""
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, str):
        return option_field(hint)
    return "vote_for" if "--vote" in exc.format_message() else ""


def placed(refused: Exception, index: int, kind: str) -> dict[str, str]:
    """An editing refusal's findings by the form field each belongs to ("_" for the form as
    a whole), several on one field joined; the refusal's own words when it has no finding."""
    found: dict[str, list[str]] = {}
    for finding in getattr(refused, "findings", []):
        found.setdefault(finding_field(finding, index) or "_", []).append(message(finding, kind))
    if not found:
        return {"_": str(refused)}
    return {name: "; ".join(dict.fromkeys(texts)) for name, texts in found.items()}


def message(finding: Finding, kind: str) -> str:
    """A finding's message as a clerk reads it: days dd/mm/yyyy, steps by their label."""
    text = labels.days_in_text(finding.message)
    for code, label in labels.states(kind).labels.items():
        text = text.replace(f"'{code}'", f"“{label}”").replace(f" ({code})", "")
    return f"cảnh báo: {text}" if finding.severity == "warning" else text
