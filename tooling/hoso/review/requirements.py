"""Which rules of the policy a change needs, and which committees they name.

A rule applies when the file's path, the record's kind and unit level, and at least one event
the change touches (in its old or its new version) fit the rule's match. When no rule applies,
the rule named by ``unowned`` (by default every governance rule) does: default deny.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from hoso.governance import Governance
from hoso.models.governance import PolicyFile, PolicyRule, Requirement
from hoso.review.changes import Change, Touched

CORRECTIONS = "corrections"


@lru_cache(maxsize=512)
def _pattern(glob: str) -> re.Pattern[str]:
    """A path pattern as a regular expression: ``**`` any folders, ``*`` within one name,
    ``?`` one character; a pattern ending in ``/`` is the whole folder; a leading ``/`` is
    the repository root (as it is anyway)."""
    text = glob.lstrip("/")
    folder = text.endswith("/")
    out = []
    i = 0
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(out) + (".*" if folder else "") + r"\Z", re.DOTALL)


def path_matches(glob: str, path: str) -> bool:
    return _pattern(glob).match(path) is not None


def _levels(change: Change, governance: Governance) -> set[str]:
    out: set[str] = set()
    for data in change.versions:
        unit = governance.units.get(str(data.get("unit", "")))
        if unit is not None:
            out.add(unit.level)
    return out


def _event_fits(rule: PolicyRule, event: Touched) -> bool:
    m = rule.match
    return (
        (not m.to_states or event.state in m.to_states)
        and (not m.from_states or event.before in m.from_states)
        and (not m.forms or any(form in m.forms for form in event.forms))
    )


def _applies(rule: PolicyRule, change: Change, levels: set[str]) -> bool:
    m = rule.match
    if m.paths and not any(path_matches(p, change.path) for p in m.paths):
        return False
    if m.kinds and change.record_kind not in m.kinds:
        return False
    if m.unit_levels and not (levels & set(m.unit_levels)):
        return False
    if m.to_states or m.from_states or m.forms:
        return any(_event_fits(rule, e) for e in change.touched)
    return True


def _unowned(policy: PolicyFile) -> list[PolicyRule]:
    if policy.unowned:
        return [r for r in policy.rules if r.id == policy.unowned]
    return [r for r in policy.rules if "governance" in r.match.kinds]


def requirements(
    change: Change, policy: PolicyFile, governance: Governance
) -> tuple[list[tuple[PolicyRule | None, Requirement]], list[str]]:
    """(rule, requirement) for everything the change needs, and the refusal where no rule at
    all can own it. ``None`` stands for the correction rule."""
    levels = _levels(change, governance)
    rules = [r for r in policy.rules if _applies(r, change, levels)]
    if not rules:
        rules = _unowned(policy)
    found: list[tuple[PolicyRule | None, Requirement]] = [
        (rule, req) for rule in rules for req in rule.require
    ]
    if change.kind in ("rewrite", "correction"):
        found += [(None, req) for req in policy.corrections]
    if not found:
        return [], [
            f"không quy tắc nào trong governance/policy.yaml (nhánh gốc) chịu trách nhiệm "
            f"{change.path}, kể cả quy tắc mặc định của tệp quản trị: mặc định từ chối"
        ]
    return found, []


def committees_for(req: Requirement, change: Change, governance: Governance) -> list[str]:
    """The committee ids a requirement names for this change: one per distinct unit of the
    record's old and new versions (a change that moves a record needs both)."""
    province = (
        governance.settings.province
        if governance.settings
        else next((u.code for u in governance.units.values() if u.level == "province"), "")
    )
    units: list[str] = []
    versions: list[Any] = change.versions or [{}]
    for data in versions:
        unit = province
        if req.of == "case_unit" and data.get("unit"):
            unit = str(data["unit"])
        elif req.of == "case_grassroots" and data.get("cell"):
            found = governance.ancestor_at(str(data["cell"]), "grassroots")
            unit = found.code if found else str(data["cell"])
        units.append(unit)
    return [f"{unit}.{req.committee}" for unit in dict.fromkeys(units)]
