"""What the site is built from: the records, the governance, and for auditors the audit, loaded
once; plus the personal and confidential values the build must not leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from hoso import labels
from hoso.governance import Governance
from hoso.models import RECORD_MODELS, Case, PlanRecord, RankingRecord
from hoso.models.sensitivity import leaf_strings, sensitive_fields, values_at
from hoso.repo import record_files
from hoso.validate.governance_files import load_governance
from hoso.validate.record import parse

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
    _overdue: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def overdue(self, case: Case) -> list[str]:
        """The case's steps past their due date today, worked out once per case."""
        found = self._overdue.get(case.id)
        if found is None:
            from hoso.rules.deadlines import pending

            found = self._overdue[case.id] = [
                f"{d.what} (hạn {labels.day(d.due)})"
                for d in pending(case, self.governance)
                if d.due < self.today
            ]
        return found


def load(root: Path, audience: Audience, today: date) -> SiteData:
    governance, _ = load_governance(root)
    data = SiteData(root, audience, today, governance)
    for path in record_files(root):
        text, raw, _ = parse(path.read_bytes())
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in RECORD_MODELS or text is None:
            continue
        model = RECORD_MODELS[kind]
        try:
            record = model.model_validate(raw)
        except ValueError:
            continue  # invalid records are hoso validate's business, not the site's
        _collect(data, model, raw)
        rel = path.relative_to(root).as_posix()
        if isinstance(record, PlanRecord):
            data.plan = record
        elif isinstance(record, RankingRecord):
            data.rankings.append(record)
        else:
            data.cases.append((rel, record))
    return data


def _collect(data: SiteData, model: type, raw: dict[str, object]) -> None:
    for path, level in sensitive_fields(model).items():
        for value in values_at(raw, path):
            # Short categorical values (a sex, an ethnicity) are not identifying on their own.
            found = {s for s in leaf_strings(value) if len(s) >= 6}
            (data.confidential if level == "confidential" else data.personal).update(found)
