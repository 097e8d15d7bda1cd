"""What the site is built from: the records, the governance, and for auditors the audit, loaded
once; plus the personal and confidential values the build must not leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from hoso import labels
from hoso.governance import Governance
from hoso.models import Case, OrgDisciplineCase, PlanRecord, RankingRecord, Record
from hoso.models.sensitivity import leaf_strings, sensitive_fields, values_at
from hoso.repo import NOT_YAML, Unreadable, hidden, read_record, record_entries
from hoso.site.facts import Facts, facts_of
from hoso.site.store import FactsStore, Known
from hoso.validate.cache import blob_id
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
    facts: list[Facts] = field(default_factory=list)
    """What every figure is counted from: each case's facts."""
    cases: list[tuple[str, Case]] = field(default_factory=list)
    """Each case read in full, with its path: for the pages that name people (never the
    staff's)."""
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
    _facts: dict[str, Facts] = field(default_factory=dict, repr=False)
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    """What pages work out from these data once (counts per unit, the cases of each cell)."""

    def add(self, rel: str, known: Known, case: Case | None) -> None:
        facts, confidential, personal = known
        self.facts.append(facts)
        self._facts[facts.id] = facts
        self.confidential.update(confidential)
        self.personal.update(personal)
        if case is not None:
            self.cases.append((rel, case))

    def info(self, case: Case | Facts) -> CaseInfo:
        """Where the case stands today, worked out once per case."""
        found = self._info.get(case.id)
        if found is None:
            found = self._info[case.id] = _info(self, self._facts[case.id])
        return found

    def who(self, case: Case) -> str:
        """Whom the case is about: the person's name, or the organisation's."""
        if isinstance(case, OrgDisciplineCase):
            return labels.body(self.governance, case.organisation)
        return case.subject.name

    def by_cell(self) -> dict[str, list[Case]]:
        """Each unit's own cases read in full: those whose members meet in it."""
        found = self.memo.get("by_cell")
        if found is None:
            cells: dict[str, list[Case]] = {}
            for _, case in self.cases:
                cells.setdefault(case.cell, []).append(case)
            found = self.memo["by_cell"] = cells
        return found  # type: ignore[return-value]

    def facts_by_cell(self) -> dict[str, list[Facts]]:
        """Each unit's own cases' facts."""
        found = self.memo.get("facts_by_cell")
        if found is None:
            cells: dict[str, list[Facts]] = {}
            for facts in self.facts:
                cells.setdefault(facts.cell, []).append(facts)
            found = self.memo["facts_by_cell"] = cells
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


def _info(data: SiteData, case: Facts) -> CaseInfo:
    from hoso.rules.workflow import WORKFLOWS, settled

    workflow = WORKFLOWS[case.kind]
    last = case.history[-1]
    is_open = not settled(case.kind, [e.state for e in case.history])
    dues = case.dues
    today, horizon = data.today, data.today + timedelta(days=SOON_DAYS)
    return CaseInfo(
        labels.state(case.kind, case.status),
        last.date,
        is_open,
        [f"{what} (hạn {labels.day(due)})" for what, due in dues if due < today],
        [f"{what} (hạn {labels.day(due)})" for what, due in dues if today <= due <= horizon],
        is_open
        and any(workflow.steps[s].actor in AWAITING for s in workflow.next_states(case.status)),
    )


def load(root: Path, audience: Audience, today: date, models: bool | None = None) -> SiteData:
    """The site's data. With ``models`` (by default, for every audience but the staff) each
    case is also read in full (``cases``); without, a case whose content an earlier build saw
    is not read again: its facts come from the store."""
    # Names, the privacy threshold and deadlines all come from the governance files: while
    # one has an error, no figure or page is made from defaults.
    governance = sound_governance(root, "không làm trang web hay báo cáo")
    data = SiteData(root, audience, today, governance)
    store = FactsStore(root)
    full = audience != "staff" if models is None else models
    for rel, regular in record_entries(root):
        not_record = hidden(rel)
        if not_record is None and not rel.endswith((".yaml", "/")):
            not_record = NOT_YAML
        if not_record is not None:
            # No record, yet under cases/: left out of every figure, and said to be.
            data.unread.append((rel, not_record))
            continue
        try:
            raw = read_record(root, rel, regular)
        except Unreadable as exc:
            data.unread.append((exc.rel, exc.message))
            continue
        blob = blob_id(raw)
        known = store.get(blob)
        if known is not None and not full:
            data.add(rel, known, None)
            continue
        record, content = _record(data, rel, raw)
        if isinstance(record, PlanRecord):
            data.plan = record
        elif isinstance(record, RankingRecord):
            data.rankings.append(record)
        elif record is not None:
            if known is None or known[0].id != record.id:
                known = (facts_of(record, governance), *_sensitive(type(record), content))
                store.put(blob, known)
            data.add(rel, known, record if full else None)
    store.save()
    return data


def _record(data: SiteData, rel: str, raw: bytes) -> tuple[Record | None, Any]:
    """The record in ``raw`` and its content as written; None, with why, when it cannot be
    read as one. A plan's or a ranking's values kept out of the pages are noted here."""
    text, content, problems = parse(raw)
    model = model_of(content) if isinstance(content, dict) and text is not None else None
    if model is None or text is None:
        why = problems[0] if problems else None
        data.unread.append((rel, _said(why) if why else "không rõ loại hồ sơ (trường kind)"))
        return None, None
    record, problems = validate_model(text, content, model)
    if record is None:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        data.unread.append((rel, _said(problems[0]) + more))
        return None, None
    if isinstance(record, (PlanRecord, RankingRecord)):
        confidential, personal = _sensitive(model, content)
        data.confidential.update(confidential)
        data.personal.update(personal)
    return record, content


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


def _sensitive(model: type, content: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The record's values never to appear in any output, and its other personal values, as
    its file writes them."""
    found: tuple[set[str], set[str]] = (set(), set())
    for path, level in sensitive_fields(model).items():
        for value in values_at(content, path):
            # Short categorical values (a sex, an ethnicity) are not identifying on their own.
            found[level != "confidential"].update(s for s in leaf_strings(value) if len(s) >= 6)
    return tuple(sorted(found[0])), tuple(sorted(found[1]))
