"""What the site is built from: the records, the governance, and for auditors the audit, loaded
once; plus the personal and confidential values the build must not leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from hoso import labels
from hoso.governance import Governance
from hoso.models import Case, OrgDisciplineCase, PlanRecord, RankingRecord
from hoso.models.sensitivity import leaf_strings, sensitive_fields, values_at
from hoso.repo import NOT_YAML, Unreadable, hidden, read_record, record_entries
from hoso.validate.findings import Finding
from hoso.validate.governance_files import sound_governance
from hoso.validate.record import model_of, parse, validate_model

Audience = Literal["staff", "commission", "audit"]
AUDIENCES: tuple[Audience, ...] = ("staff", "commission", "audit")


@dataclass
class SiteData:
    root: Path
    audience: Audience
    today: date
    governance: Governance
    cases: list[tuple[str, Case]] = field(default_factory=list)
    plan: PlanRecord | None = None
    rankings: list[RankingRecord] = field(default_factory=list)
    confidential: set[str] = field(default_factory=set)
    """Values never to appear in any output."""
    personal: set[str] = field(default_factory=set)
    """Values never to appear in the staff site."""
    unread: list[tuple[str, str]] = field(default_factory=list)
    """(path, why) of each record file that could not be read as a record: left out of every
    figure, so whoever asks for figures must be told."""
    _info: dict[str, CaseInfo] = field(default_factory=dict, repr=False)
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    """What pages work out from these data once (counts per unit, the cases of each cell)."""

    def info(self, case: Case) -> CaseInfo:
        """Where the case stands today, worked out once per case."""
        found = self._info.get(case.id)
        if found is None:
            found = self._info[case.id] = _info(self, case)
        return found

    def who(self, case: Case) -> str:
        """Whom the case is about: the person's name, or the organisation's."""
        if isinstance(case, OrgDisciplineCase):
            return labels.body(self.governance, case.organisation)
        return case.subject.name

    def by_cell(self) -> dict[str, list[Case]]:
        """Each unit's own cases: those whose members meet in it."""
        found = self.memo.get("by_cell")
        if found is None:
            cells: dict[str, list[Case]] = {}
            for _, case in self.cases:
                cells.setdefault(case.cell, []).append(case)
            found = self.memo["by_cell"] = cells
        return found  # type: ignore[return-value]


SOON_DAYS = 30
"""A step due within this many days is "due soon"."""
AWAITING = frozenset(
    {
        "admission_decider",
        "district_office",
        "letter_issuer",
        "higher",
        "appeal_higher",
        "discipline_competent",
    }
)
"""Actors above the cell and the grassroots: a case whose next step is theirs awaits a decision
of a competent body."""


@dataclass(frozen=True)
class CaseInfo:
    last_step: str
    """The label of the latest step."""
    last_day: date
    open: bool
    """No final state reached yet."""
    overdue: list[str]
    """Each step past its due date: what, and the due day dd/mm/yyyy."""
    soon: list[str]
    """Each step due within ``SOON_DAYS`` days."""
    awaiting: bool
    """Open, and a next step is a competent higher body's decision."""


def _info(data: SiteData, case: Case) -> CaseInfo:
    from hoso.rules.deadlines import pending
    from hoso.rules.workflow import WORKFLOWS, settled

    workflow = WORKFLOWS[case.kind]
    last = case.history[-1]
    is_open = not settled(case.kind, [e.state for e in case.history])
    dues = pending(case, data.governance)
    horizon = data.today + timedelta(days=SOON_DAYS)
    return CaseInfo(
        labels.state(case.kind, case.status),
        last.date,
        is_open,
        [f"{d.what} (hạn {labels.day(d.due)})" for d in dues if d.due < data.today],
        [f"{d.what} (hạn {labels.day(d.due)})" for d in dues if data.today <= d.due <= horizon],
        is_open
        and any(workflow.steps[s].actor in AWAITING for s in workflow.next_states(case.status)),
    )


def load(root: Path, audience: Audience, today: date) -> SiteData:
    # Names, the privacy threshold and deadlines all come from the governance files: while
    # one has an error, no figure or page is made from defaults.
    governance = sound_governance(root, "không làm trang web hay báo cáo")
    data = SiteData(root, audience, today, governance)
    for rel, regular in record_entries(root):
        not_record = hidden(rel)
        if not_record is None and not rel.endswith((".yaml", "/")):
            not_record = NOT_YAML
        if not_record is not None:
            # No record, yet under cases/: left out of every figure, and said to be.
            data.unread.append((rel, not_record))
            continue
        try:
            text, raw, problems = parse(read_record(root, rel, regular))
        except Unreadable as exc:
            data.unread.append((exc.rel, exc.message))
            continue
        model = model_of(raw) if isinstance(raw, dict) and text is not None else None
        if model is None or text is None:
            why = problems[0] if problems else None
            data.unread.append((rel, _said(why) if why else "không rõ loại hồ sơ (trường kind)"))
            continue
        record, problems = validate_model(text, raw, model)
        if record is None:
            more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
            data.unread.append((rel, _said(problems[0]) + more))
            continue
        _collect(data, model, raw)
        if isinstance(record, PlanRecord):
            data.plan = record
        elif isinstance(record, RankingRecord):
            data.rankings.append(record)
        else:
            data.cases.append((rel, record))
    return data


def _said(f: Finding) -> str:
    where = f"dòng {f.line}, cột {f.column}"
    return f"{where}: {f.field}: {f.message}" if f.field else f"{where}: {f.message}"


def left_out(data: SiteData) -> list[str]:
    """The lines a page with figures opens with when record files were left out (the user
    asked for the site anyway): how many, in bold; none when every record was read."""
    if not data.unread:
        return []
    return [
        f"**Số liệu chưa đầy đủ: {len(data.unread)} tệp hồ sơ không đọc được nên không được "
        "tính trên trang này.**",
        "",
    ]


def incomplete(unread: list[tuple[str, str]], what: str, flag: str) -> str:
    """Why figures from an incomplete set of records are refused, naming each record left
    out and how to go on anyway."""
    lines = [
        f"không {what} vì {len(unread)} tệp hồ sơ không đọc được; số liệu sẽ thiếu các hồ sơ "
        f"này. Hãy sửa chúng (xem 'hoso validate'), hoặc dùng {flag} để vẫn {what} mà không "
        "có chúng:",
        *(f"  {rel}: {why}" for rel, why in unread),
    ]
    return "\n".join(lines)


def _collect(data: SiteData, model: type, raw: dict[str, object]) -> None:
    for path, level in sensitive_fields(model).items():
        for value in values_at(raw, path):
            # Short categorical values (a sex, an ethnicity) are not identifying on their own.
            found = {s for s in leaf_strings(value) if len(s) >= 6}
            (data.confidential if level == "confidential" else data.personal).update(found)
