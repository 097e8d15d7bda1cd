"""Saying why a step is refused, and which steps can be taken, in the words of the options."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import click

from hoso import editing, labels
from hoso.cli.event_options import option_for
from hoso.cli.values import resolve_body
from hoso.errors import HosoError
from hoso.governance import Governance
from hoso.rules.workflow import ACTOR_LABELS
from hoso.validate.findings import Finding, one_line
from hoso.views.nextsteps import NextStep, field_in_event

CASE_OPTIONS = {
    "cell": "--cell",
    "subject.name": "--name",
    "subject.birth_date": "--birth-date",
    "subject.sex": "--sex",
    "subject.ethnicity": "--ethnicity",
    "subject.standing": "--standing",
    "subject.party_card": "--party-card",
    "subject.admitted_on": "--admitted-on",
    "subject.recognised_on": "--recognised-on",
    "violation": "--violation-date, --violation-summary, --violation-category",
    "violation.date": "--violation-date",
    "violation.summary": "--violation-summary",
    "violation.category": "--violation-category",
    "transfer_type": "--transfer-type",
    "direction": "--direction",
    "counterpart": "--counterpart",
    "move_date": "--move-date",
    "until": "--until",
    "reason": "--reason",
    "period_until": "--period-until",
}
"""The ``hoso new`` option that sets each case field."""

NEEDS = {
    "document": "--doc-number SỐ_HIỆU",
    "vote": "--vote-official SỐ --vote-present SỐ --vote-for SỐ",
    "form": "--form HÌNH_THỨC",
    "form_votes": "--form-votes HÌNH_THỨC=SỐ,...",
    "ground": "--ground CĂN_CỨ",
    "outcome": "--outcome KẾT_QUẢ",
    "criteria": "--criterion TIÊU_CHÍ",
    "introducers": "--introducer 'HỌ TÊN|LOẠI|NGÀY' (hai lần)",
    "late_reason": "--late-reason LÝ_DO",
    "extended": "--extended",
}
"""What to type for each field a step needs."""


def option_line(finding: Finding, index: int) -> str:
    """A finding of a would-be record, led by the option to fix when there is one."""
    inside = field_in_event(finding, index)
    option = option_for(inside) if inside else None
    if inside is None:
        option = CASE_OPTIONS.get(finding.field) or CASE_OPTIONS.get(
            finding.field.rsplit(".", 1)[0]
        )
    where = option or finding.field
    message = labels.finding_days(finding.rule, finding.message)
    if finding.severity == "warning":
        message = f"cảnh báo: {message}"
    return f"  - {where}: {message}" if where else f"  - {message}"


def _field_words(field: str) -> str:
    """A field as a clerk reads it: “trạng thái” (status) for a top-level field with a name in
    words, else its path as the file writes it."""
    words = labels.FIELD_LABELS.get(field)
    return f"“{words}” ({field})" if words else field


def problem_line(problem: Finding) -> str:
    """One problem of a file that cannot be read as a record: its line, the field it is about
    (in words where it has a name in words) and what is wrong."""
    message = one_line(problem.message)
    if not problem.field:
        text = message
    elif problem.rule == "schema.missing":
        text = f"{message} {_field_words(problem.field)}"
    else:
        text = f"{_field_words(problem.field)}: {message}"
    return f"dòng {problem.line}: {text}"


@contextmanager
def explained(index: int) -> Iterator[None]:
    """Turn an editing refusal into lines that name the options, for event ``index``."""
    try:
        yield
    except editing.Refused as exc:
        if not exc.findings:
            raise
        lines = [exc.why, *(option_line(f, index) for f in exc.findings)]
        raise HosoError("\n".join(lines)) from None


NEED_WORDS = {
    "document": "số và ngày văn bản",
    "vote": "số liệu biểu quyết",
    "form": "hình thức kỷ luật",
    "form_votes": "số phiếu theo từng hình thức",
    "ground": "căn cứ xóa tên",
    "outcome": "kết quả giải quyết",
    "criteria": "tiêu chí rà soát",
    "introducers": "hai người giới thiệu",
    "late_reason": "lý do chậm",
    "extended": "đã gia hạn",
    "confirmation": "văn bản xác nhận của nơi đến",
}
"""What each field a step needs is, in words; the option comes after it in parentheses."""

_CODE_AFTER_LABEL = re.compile(r"”\s*\([a-z][a-z0-9_]*\)")
_UNSAFE = re.compile(r'["$`\\!]')


def plain(message: str) -> str:
    """A message as read beside labels: days dd/mm/yyyy, and no state code after a quoted
    label (“Chi bộ đã …” (cell_voted) → “Chi bộ đã …”)."""
    return _CODE_AFTER_LABEL.sub("”", labels.days_in_text(message))


def _need(name: str) -> str:
    option = NEEDS.get(name, name).split(" (")[0]
    words = NEED_WORDS.get(name)
    return f"{words} ({option})" if words else option


def _quoted(text: str) -> str | None:
    """``text`` as typed on a command line (in double quotes), None when the shell would read
    more into it than the text."""
    return None if _UNSAFE.search(text) else f'"{text}"'


def typed_state(kind: str, state: str) -> str:
    """What to type after ``--to``: the step's label when it names the step, else its code."""
    label = labels.state(kind, state)
    quoted = _quoted(label)
    if quoted is not None and labels.lookup(labels.states(kind).labels, label) == state:
        return quoted
    return state


def typed_body(governance: Governance, code: str) -> str:
    """What to type after ``--body``: the body's name when it names it alone, else its code."""
    name = labels.body(governance, code)
    quoted = _quoted(name)
    try:
        if quoted is not None and resolve_body(governance, name, "--body") == code:
            return quoted
    except click.BadParameter:
        pass
    return code


def _bodies(governance: Governance, codes: list[str]) -> str:
    return "; ".join(labels.body(governance, c) for c in codes)


def describe(
    steps: list[NextStep], kind: str, case_id: str, governance: Governance, hints: bool = True
) -> list[str]:
    """The steps possible now, each with who acts, what to give and the command; then the
    steps the workflow allows that cannot be taken now, grouped under each reason (a reason
    that holds back several steps is said once)."""
    possible = [s for s in steps if s.possible]
    later = [s for s in steps if not s.possible]
    lines: list[str] = []
    if not steps:
        return ["", "Hồ sơ đã kết thúc; không còn bước nào."]
    lines.append("")
    if possible:
        lines.append("Bước có thể ghi bây giờ:")
    else:
        lines.append("Chưa có bước nào ghi được bây giờ.")
    for step in possible:
        lines.append(f"  - {labels.state(kind, step.state)}")
        lines.append(f"      Tổ chức thực hiện: {_bodies(governance, step.bodies)}")
        if step.needs:
            lines.append(f"      Cần ghi: {'; '.join(_need(n) for n in step.needs)}")
        if hints:
            body = f" --body {typed_body(governance, step.bodies[0])}" if step.bodies else ""
            typed = " ".join(NEEDS.get(n, n).split(" (")[0] for n in step.needs)
            lines.append(
                f"      Lệnh: hoso transition {case_id} --to {typed_state(kind, step.state)}"
                f"{body} --date NGÀY {typed}".rstrip()
            )
    held: dict[str, list[str]] = {}
    for step in later:
        reasons = [plain(f.message) for f in step.blockers or step.refusals]
        if not reasons:
            reasons = [f"hồ sơ này không có {ACTOR_LABELS[step.actor]} nào"]
        for reason in dict.fromkeys(r.rstrip(". ") for r in reasons):
            held.setdefault(reason, []).append(labels.state(kind, step.state))
    if held:
        lines += ["", "Chưa thể ghi bây giờ:"]
    for reason, names in held.items():
        lines.append(f"  Vì {reason}:")
        lines += [f"    - {name}" for name in names]
    return lines
