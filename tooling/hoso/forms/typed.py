"""Typed values to the options of ``hoso new`` and ``hoso transition``, and refusals back to
the fields they belong to.

A form's values are turned into exactly the keyword arguments the CLI's options give
(``on``, ``doc_number``, ``vote_for``, ...) and handed to the same builders (``build_event``,
``build_case``), so the event a form writes is the event the command would write.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from hoso import labels
from hoso.cli.event_options import FIELD_OPTIONS
from hoso.cli.refusals import CASE_OPTIONS
from hoso.cli.values import parse_day, refusal
from hoso.forms.fields import INTRODUCER_ROWS
from hoso.validate.findings import Finding
from hoso.views.nextsteps import field_in_event

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
        ("vote_exempted_present", 0),
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
    given["confirmation"] = _confirmation(form, errors)
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
    found = labels.VOCABULARIES[vocabulary].lookup(text)
    if found is None:
        errors[name] = refusal(labels.VOCABULARIES[vocabulary], text)
    return found


def _form_votes(form: Mapping[str, str], errors: dict[str, str]) -> str | None:
    parts = []
    for code in labels.VOCABULARIES["form"].labels:
        votes = _whole_value(form, f"form_votes_{code}", None, errors)
        if votes is not None:
            parts.append(f"{code}={votes}")
    return ",".join(parts) or None


def _confirmation(form: Mapping[str, str], errors: dict[str, str]) -> str | None:
    """The receiving committee's confirmation as ``--confirmation`` takes it."""
    number = (form.get("confirmation_number") or "").strip()
    day = typed_day(form, "confirmation_date")
    issuer = (form.get("confirmation_issuer") or "").strip()
    if not (number or day or issuer):
        return None
    if "|" in number + issuer:
        errors["confirmation"] = "số và nơi xác nhận không được có dấu '|'"
        return None
    for name, value, why in (
        ("confirmation_number", number, "hãy ghi số văn bản"),
        ("confirmation_date", day, "hãy ghi ngày văn bản"),
        ("confirmation_issuer", issuer, "hãy ghi cấp ủy nơi đến"),
    ):
        if not value:
            errors[name] = why
    return f"{number}|{day}|{issuer}"


def _introducers(form: Mapping[str, str], errors: dict[str, str]) -> tuple[str, ...]:
    rows = []
    for n in range(1, INTRODUCER_ROWS + 1):
        name = (form.get(f"introducer_name_{n}") or "").strip()
        kind = (form.get(f"introducer_kind_{n}") or "").strip() or "member"
        through = (form.get(f"introducer_through_{n}") or "").strip() or "work"
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
            errors[f"introducer_since_{n}"] = (
                "hãy ghi ngày bắt đầu cùng công tác (hoặc cùng cư trú)"
            )
            continue
        if kind not in labels.VOCABULARIES["introducer"].labels:
            errors[f"introducer_kind_{n}"] = f"không có loại người giới thiệu {kind!r}"
            continue
        if through not in labels.VOCABULARIES["known_through"].labels:
            errors[f"introducer_through_{n}"] = f"không có cách quen biết {through!r}"
            continue
        rows.append(f"{name}|{kind}|{since}" + ("|residence" if through == "residence" else ""))
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
            part = {"known_since": "since", "kind": "kind", "known_through": "through"}.get(
                leaf, "name"
            )
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


def click_said(exc: click.ClickException) -> str:
    """What a click error from the builders says, for the field it is shown beside: without
    "Giá trị không hợp lệ cho '--cell':" (an option the form does not show)."""
    if isinstance(exc, click.BadParameter) and click_field(exc):
        return exc.message
    return exc.format_message()


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
    text = labels.finding_days(finding.rule, finding.message)
    for code, label in labels.states(kind).labels.items():
        text = text.replace(f"'{code}'", f"“{label}”").replace(f" ({code})", "")
    return f"cảnh báo: {text}" if finding.severity == "warning" else text
