"""What the site is built from: the records, the governance, and for auditors the audit, loaded
once; plus the personal and confidential values the build must not leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from hoso import labels
from hoso.governance import Governance
from hoso.models import Case, PlanRecord, RankingRecord
from hoso.models.sensitivity import leaf_strings, sensitive_fields, values_at
from hoso.repo import Unreadable, read_record, record_entries
from hoso.validate.findings import Finding
from hoso.validate.governance_files import load_governance
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
    for rel, regular in record_entries(root):
        if not rel.endswith(".yaml"):
            continue  # not a record; hoso validate names it
        try:
            text, raw, problems = parse(read_record(root, rel, regular))
        except Unreadable as exc:
            data.unread.append((rel, exc.message))
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
