"""Saying why a step is refused, and which steps can be taken, in the words of the options."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hoso import editing, labels
from hoso.cli.event_options import option_for
from hoso.errors import HosoError
from hoso.governance import Governance
from hoso.rules.workflow import ACTOR_LABELS
from hoso.validate.findings import Finding
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
    message = labels.days_in_text(finding.message)
    if finding.severity == "warning":
        message = f"cảnh báo: {message}"
    return f"  - {where}: {message}" if where else f"  - {message}"


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


def _bodies(governance: Governance, codes: list[str]) -> str:
    return "; ".join(labels.body_with_code(governance, c) for c in codes)


def describe(
    steps: list[NextStep], kind: str, case_id: str, governance: Governance, hints: bool = True
) -> list[str]:
    """The steps possible now, each with who acts, what to give and the command; then the
    steps the workflow allows that cannot be taken now, each with why."""
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
        lines.append(f"  - {step.state}: {labels.state(kind, step.state)}")
        lines.append(f"      do: {_bodies(governance, step.bodies)}")
        needs = [NEEDS.get(n, n) for n in step.needs]
        if needs:
            lines.append(f"      cần: {'; '.join(needs)}")
        if hints:
            body = f" --body {step.bodies[0]}" if len(step.bodies) > 0 else ""
            typed = " ".join(NEEDS.get(n, n).split(" (")[0] for n in step.needs)
            lines.append(
                f"      lệnh: hoso transition {case_id} --to {step.state}{body} "
                f"--date NGÀY {typed}".rstrip()
            )
    if later:
        lines += ["", "Chưa thể ghi bây giờ:"]
    for step in later:
        lines.append(f"  - {step.state}: {labels.state(kind, step.state)}")
        reasons = step.blockers or step.refusals
        if reasons:
            lines += [f"      vì: {labels.days_in_text(f.message)}" for f in reasons]
        else:
            lines.append(f"      vì: hồ sơ này không có {ACTOR_LABELS[step.actor]} nào")
    return lines
