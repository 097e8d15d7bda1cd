"""What the site is built from: the records, the governance, and for auditors the audit, loaded
once; plus the personal and confidential values the build must not leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from hoso import labels
from hoso.governance import Governance
from hoso.models import Case, OrgDisciplineCase, PlanRecord, RankingRecord
from hoso.repo import NOT_YAML, Unreadable, hidden, read_record, record_entries
from hoso.site.facts import Facts, facts_of
from hoso.site.reading import Read, read_all
from hoso.site.store import FactsStore, Known
from hoso.validate.cache import blob_id
from hoso.validate.governance_files import sound_governance

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
    _info: dict[int, tuple[Facts, CaseInfo]] = field(default_factory=dict, repr=False)
    """Each case's standing, by its facts (the object: two records may share an id)."""
    _facts: dict[int, Facts] = field(default_factory=dict, repr=False)
    """The facts of each case read in full, by the case (the object)."""
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    """What pages work out from these data once (counts per unit, the cases of each cell)."""

    def add(self, rel: str, known: Known, case: Case | None) -> None:
        facts, confidential, personal = known
        self.facts.append(facts)
        self.confidential.update(confidential)
        self.personal.update(personal)
        if case is not None:
            self.cases.append((rel, case))
            self._facts[id(case)] = facts

    def info(self, case: Case | Facts) -> CaseInfo:
        """Where the case stands today, worked out once per case."""
        if isinstance(case, Facts):
            facts = case
        else:  # a case these data did not read (a page made of a changed copy): its own
            facts = self._facts.get(id(case)) or facts_of(case, self.governance)
        found = self._info.get(id(facts))
        if found is None or found[0] is not facts:
            # Kept with its facts, so that no other object can come to have their id.
            found = self._info[id(facts)] = (facts, _info(self, facts))
        return found[1]

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
    from hoso.rules.workflow import settled

    is_open = not settled(case.kind, [e.state for e in case.history])
    dues = case.dues
    today, horizon = data.today, data.today + timedelta(days=SOON_DAYS)
    return CaseInfo(
        _state_label(case.kind, case.status),
        case.history[-1].date,
        is_open,
        [f"{what} (hạn {labels.day(due)})" for what, due in dues if due < today],
        [f"{what} (hạn {labels.day(due)})" for what, due in dues if today <= due <= horizon],
        is_open and _awaits(case.kind, case.status),
    )


@cache
def _state_label(kind: str, state: str) -> str:
    return labels.state(kind, state)


@cache
def _awaits(kind: str, state: str) -> bool:
    """Whether a next step of a case standing at ``state`` is a competent higher body's."""
    from hoso.rules.workflow import WORKFLOWS

    workflow = WORKFLOWS[kind]
    return any(workflow.steps[s].actor in AWAITING for s in workflow.next_states(state))


def load(root: Path, audience: Audience, today: date, models: bool | None = None) -> SiteData:
    """The site's data. With ``models`` (by default, for every audience but the staff) each
    case is also read in full (``cases``); without, a case whose content an earlier build saw
    is not read again: its facts come from the store."""
    # Names, the privacy threshold and deadlines all come from the governance files: while
    # one has an error, no figure or page is made from defaults.
    governance = sound_governance(root, "không làm trang web hay báo cáo")
    data = SiteData(root, audience, today, governance)
    store = FactsStore(root, governance)
    full = audience != "staff" if models is None else models
    # Each file in the listing's order: why it is no record, or its blob and what the store
    # knew of it; then the files to read, each read once, on workers when there are many.
    listed: list[tuple[str, str | None, str, Known | None]] = []
    unknown: list[tuple[bytes, bool]] = []
    for rel, regular in record_entries(root):
        not_record = hidden(rel)
        if not_record is None and not rel.endswith((".yaml", "/")):
            not_record = NOT_YAML
        if not_record is not None:
            # No record, yet under cases/: left out of every figure, and said to be.
            listed.append((rel, not_record, "", None))
            continue
        try:
            raw = read_record(root, rel, regular)
        except Unreadable as exc:
            listed.append((exc.rel, exc.message, "", None))
            continue
        blob = blob_id(raw)
        known = store.get(blob)
        listed.append((rel, None, blob, known))
        if known is None or full:
            unknown.append((raw, known is None))
    reads = read_all(unknown, governance, full)
    for rel, why, blob, known in listed:
        if why is not None:
            data.unread.append((rel, why))
        elif known is not None and not full:
            data.add(rel, known, None)
        else:
            _take(data, store, rel, blob, known, next(reads))
    store.save()
    return data


def _take(
    data: SiteData, store: FactsStore, rel: str, blob: str, known: Known | None, found: Read
) -> None:
    """Add what was read of one file to ``data``, and a case's facts to the store."""
    record = found.record
    if found.why is not None:
        data.unread.append((rel, found.why))
        return
    if isinstance(record, (PlanRecord, RankingRecord)):
        data.confidential.update(found.confidential)
        data.personal.update(found.personal)
        if isinstance(record, PlanRecord):
            data.plan = record
        else:
            data.rankings.append(record)
        return
    if found.facts is not None:
        known = (found.facts, found.confidential, found.personal)
        store.put(blob, known)
    assert known is not None  # facts are worked out for every case the store did not know
    data.add(rel, known, record)


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
