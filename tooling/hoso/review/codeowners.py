"""CODEOWNERS for GitHub and GitLab from the policy and the committees, so the forge also
enforces the coarse rule natively (who must look at which folder); the gate enforces the rest.

Only rules that depend on nothing but the record's kind and unit can be said as paths; a rule
on a transition or a form is left to the gate.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from hoso.governance import Governance
from hoso.models.governance import PolicyRule, Requirement

HEADER = (
    "# Sinh tự động bởi `hoso codeowners` từ governance/policy.yaml và "
    "governance/committees.yaml.\n# Không sửa tay: chạy lại lệnh sau khi đổi quy tắc hoặc "
    "thành viên.\n"
)
GITHUB_PATH = ".github/CODEOWNERS"
GITLAB_PATH = ".gitlab/CODEOWNERS"


def _plain(rule: PolicyRule) -> bool:
    m = rule.match
    return not (m.to_states or m.from_states or m.forms)


def _paths(rule: PolicyRule, governance: Governance) -> list[tuple[str, str]]:
    """(path pattern, unit the path belongs to) for each folder the rule covers."""
    province = governance.settings.province if governance.settings else ""
    if rule.match.paths:
        return [("/" + p.lstrip("/"), province) for p in rule.match.paths]
    kinds = rule.match.kinds or [
        "admission",
        "screening",
        "discipline",
        "transfer",
        "exemption",
        "plan",
        "governance",
    ]
    levels = rule.match.unit_levels or ["district", "province"]
    units = sorted(u.code for u in governance.units.values() if u.level in levels)
    out = []
    for kind in kinds:
        if kind == "governance":
            out.append(("/governance/", province))
            continue
        out += [(f"/cases/{unit}/{kind}/", unit) for unit in units]
    return out


def _owners(
    req: Requirement, unit: str, governance: Governance, forge: str, today: date
) -> tuple[str, list[str], int] | None:
    if req.of == "case_grassroots":
        return None  # varies within a folder: only the gate can say
    province = governance.settings.province if governance.settings else unit
    owner_unit = unit if req.of == "case_unit" else province
    committee = governance.committees.get(f"{owner_unit}.{req.committee}")
    if committee is None:
        return None
    serving = [
        m
        for m in committee.members
        if m.term_from <= today and (m.term_until is None or today <= m.term_until)
    ]
    handles = sorted({h for m in serving if (h := m.github if forge == "github" else m.gitlab)})
    needed = req.count or max(1, math.ceil((req.fraction or 0) * len(serving)))
    return committee.name, [f"@{h}" for h in handles], needed


def _requirements(governance: Governance) -> Iterator[tuple[PolicyRule, str, str, Requirement]]:
    """(rule, path pattern, unit, requirement) for each rule that depends only on kind and unit."""
    for rule in governance.policy.rules if governance.policy else []:
        if _plain(rule):
            for path, unit in _paths(rule, governance):
                for req in rule.require:
                    yield rule, path, unit, req


def _default(governance: Governance, forge: str, today: date) -> tuple[str, list[str], int] | None:
    """The owners of every path no rule names (default deny): the rule ``unowned`` names,
    else the governance rules."""
    policy = governance.policy
    if policy is None:
        return None
    rules = (
        [r for r in policy.rules if r.id == policy.unowned]
        if policy.unowned
        else [r for r in policy.rules if "governance" in r.match.kinds]
    )
    province = governance.settings.province if governance.settings else ""
    for rule in rules:
        for req in rule.require:
            found = _owners(req, province, governance, forge, today)
            if found and found[1]:
                return found
    return None


def github(governance: Governance, today: date) -> str:
    owners: dict[str, set[str]] = defaultdict(set)
    for _, path, unit, req in _requirements(governance):
        found = _owners(req, unit, governance, "github", today)
        if found:
            owners[path].update(found[1])
    default = _default(governance, "github", today)
    # GitHub applies the last matching line: the catch-all first, every named path after it.
    lines = [f"* {' '.join(default[1])}"] if default else []
    lines += [
        f"{path} {' '.join(sorted(handles))}" for path, handles in sorted(owners.items()) if handles
    ]
    return HEADER + "\n".join(lines) + "\n"


def gitlab(governance: Governance, today: date) -> str:
    sections: dict[tuple[str, int, tuple[str, ...]], list[str]] = defaultdict(list)
    for rule, path, unit, req in _requirements(governance):
        found = _owners(req, unit, governance, "gitlab", today)
        if found and found[1]:
            name, owners, needed = found
            sections[(f"{rule.id}: {name}", needed, tuple(owners))].append(path)
    blocks = []
    default = _default(governance, "gitlab", today)
    if default:
        # GitLab weighs every section that matches a file; inside this one, the exclusions
        # (GitLab 17.10 and later) leave each path another section names to that section.
        named = sorted({p for paths in sections.values() for p in paths})
        title = f"Mặc định, tệp không quy tắc nào nêu: {default[0]}"
        lines = [f"[{title}][{default[2]}] {' '.join(default[1])}", "*"]
        blocks.append("\n".join([*lines, *(f"!{p}" for p in named)]))
    for (title, count, handles), paths in sorted(sections.items()):
        lines = [f"[{title}][{count}] {' '.join(handles)}", *sorted(paths)]
        blocks.append("\n".join(lines))
    return HEADER + "\n" + "\n\n".join(blocks) + "\n"


def render_all(governance: Governance, today: date) -> dict[str, str]:
    return {GITHUB_PATH: github(governance, today), GITLAB_PATH: gitlab(governance, today)}
