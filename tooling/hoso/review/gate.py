"""The gate: for each changed record, the rules that apply, the approvals that count, and why
the others do not. Policy and membership always come from the base of the merge request."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hoso.git import FIELD, RECORD, Repo
from hoso.governance import GOVERNANCE_FILES, Governance
from hoso.models.governance import Committee, Member, PolicyFile, Requirement
from hoso.review.approvals import Approval, latest
from hoso.review.changes import Change, classify
from hoso.review.signed import read as read_signed
from hoso.validate.cache import blob_id
from hoso.validate.governance_files import load_governance_bytes
from hoso.validate.run import check_one

ASSURANCE_LABELS = {"forge": "phê duyệt trên nền tảng hoặc có chữ ký", "signed": "có chữ ký SSH"}


@dataclass
class Requested:
    """What the gate was asked to judge."""

    repo: Repo
    base: str
    head: str
    forge_approvals: list[Approval] = field(default_factory=list)
    authors: set[str] = field(default_factory=set)
    """Forge logins of whoever opened or pushed to the merge request."""
    today: date = field(default_factory=date.today)


@dataclass
class Need:
    """One committee's approval that one record needs."""

    rule: str
    description: str
    source: str | None
    committee: str
    committee_name: str
    needed: int
    assurance: str
    counted: list[tuple[Member, Approval]] = field(default_factory=list)
    excluded: list[tuple[Approval, str]] = field(default_factory=list)
    lapsed: list[tuple[Approval, str]] = field(default_factory=list)
    rejections: list[tuple[Member, Approval]] = field(default_factory=list)
    can_still: list[Member] = field(default_factory=list)
    problem: str | None = None

    @property
    def met(self) -> bool:
        return self.problem is None and not self.rejections and len(self.counted) >= self.needed


@dataclass
class Outcome:
    """The gate's word on one changed file."""

    change: Change
    errors: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and all(n.met for n in self.needs)


@dataclass
class Verdict:
    base: str
    head: str
    merge_base: str
    outcomes: list[Outcome]

    @property
    def mergeable(self) -> bool:
        return all(o.ok for o in self.outcomes)


@dataclass
class Evidence:
    """Everything the gate judges, gathered from git: the same for a merge request under
    review and for a merge found in the history by the audit."""

    root: Path
    base: str
    head: str
    merge_base: str
    changed: list[tuple[str, str]]
    old: dict[str, bytes | None]
    new: dict[str, bytes | None]
    governance: Governance
    approvals: list[Approval]
    authors: dict[str, set[str]]
    """Path to the e-mails of the authors of the commits that touched it."""
    head_blobs: dict[str, str | None]
    reviewed: dict[str, str | None]
    """``commit:path`` to the blob id a forge approval saw."""
    taken: dict[str, list[str]]
    """New case path to other paths on the base that already use its id."""
    openers: set[str]
    today: date
    old_shapes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Shapes standing in for old versions the caller did not fetch (see ``changes.shape``)."""
    hints: bool = True
    """Whether to list who can still approve (the merge request page does; the audit not)."""


def review(request: Requested) -> Verdict:
    """Gather the evidence for a merge request from git, then judge it."""
    repo = request.repo
    base, head = repo.rev(request.base), repo.rev(request.head)
    merge_base = repo.merge_base(base, head)
    changed = repo.changed(merge_base, head)
    paths = [p for _, p in changed]
    governance_specs = [f"{base}:{rel}" for rel, _ in GOVERNANCE_FILES.values()]
    contents = repo.blobs(
        [*(f"{merge_base}:{p}" for p in paths), *(f"{head}:{p}" for p in paths), *governance_specs]
    )
    governance, _ = load_governance_bytes(tuple(contents[s] for s in governance_specs))
    approvals = latest(
        [*request.forge_approvals, *read_signed(repo, f"{merge_base}..{head}", governance)]
    )
    new = {p: contents[f"{head}:{p}"] for p in paths}
    evidence = Evidence(
        root=repo.root,
        base=base,
        head=head,
        merge_base=merge_base,
        changed=changed,
        old={p: contents[f"{merge_base}:{p}"] for p in paths},
        new=new,
        governance=governance,
        approvals=approvals,
        authors=_authors(repo, f"{merge_base}..{head}"),
        head_blobs={
            p: b
            for p, b in zip(
                paths, (blob_id(r) if r is not None else None for r in new.values()), strict=True
            )
        },
        reviewed=repo.blob_ids(
            f"{a.commit}:{p}" for a in approvals if a.source != "signed" for p in paths
        ),
        taken=_taken(repo, base, changed, new, governance),
        openers=request.authors,
        today=request.today,
    )
    return evaluate(evidence)


def evaluate(evidence: Evidence) -> Verdict:
    """The gate's judgement on gathered evidence; no git here."""
    policy = evidence.governance.policy or PolicyFile(rules=[])
    outcomes = []
    for status, path in evidence.changed:
        change = classify(
            path,
            status,
            evidence.old.get(path),
            evidence.new.get(path),
            evidence.old_shapes.get(path),
        )
        outcome = Outcome(change)
        outcome.errors += _refusals(change, policy)
        if change.kind in ("new", "steps", "correction", "rewrite"):
            outcome.errors += _invalid(evidence, change)
        outcome.errors += [
            f"mã hồ sơ {change.new.get('id')} đã có trên nhánh đích: {other}"
            for other in evidence.taken.get(path, [])
            if isinstance(change.new, dict)
        ]
        context = _Context(
            evidence, evidence.authors.get(path, set()), evidence.head_blobs.get(path)
        )
        outcome.needs = [
            _judge(req, rule, change, evidence.approvals, context)
            for rule, req in _requirements(change, policy)
        ]
        _quiet_other_committees(outcome)
        outcomes.append(outcome)
    return Verdict(evidence.base, evidence.head, evidence.merge_base, outcomes)


def _quiet_other_committees(outcome: Outcome) -> None:
    """An approval that counts for one committee of this record is not news for the others."""
    used = {id(a) for need in outcome.needs for _, a in (*need.counted, *need.rejections)}
    for need in outcome.needs:
        need.excluded = [
            (a, why)
            for a, why in need.excluded
            if not (id(a) in used and why.startswith("không phải thành viên"))
        ]


def _refusals(change: Change, policy: PolicyFile) -> list[str]:
    if change.kind == "deletion":
        return [
            "không được xóa tệp hồ sơ: hồ sơ kết thúc bằng một trạng thái cuối, tệp được giữ mãi"
        ]
    if change.kind in ("rewrite", "correction") and not policy.corrections:
        what = "sửa bước đã ghi" if change.kind == "rewrite" else "đính chính trường đã ghi"
        return [
            f"không được {what} ({', '.join(change.fields)}): quy tắc đính chính trong "
            "governance/policy.yaml (nhánh gốc) chưa cho phép"
        ]
    return []


def _invalid(evidence: Evidence, change: Change) -> list[str]:
    raw = evidence.new.get(change.path)
    if raw is None:
        return []
    findings = check_one(
        evidence.root, change.path, raw, evidence.today, evidence.governance, warnings=False
    )
    return [
        f"không hợp lệ: {f.line}:{f.column}: {f.field + ': ' if f.field else ''}{f.message}"
        for f in findings
        if f.severity == "error"
    ]


def case_id_paths(path: str, governance: Governance) -> list[str]:
    """Every path under which the case at ``path`` could already exist: its id in each
    district, for the same kind (``cases/<unit>/<kind>/<id>.yaml``)."""
    parts = path.split("/")
    if len(parts) != 4 or parts[0] != "cases":
        return []
    return [f"cases/{unit}/{parts[2]}/{parts[3]}" for unit in governance.districts]


def _taken(
    repo: Repo,
    base: str,
    changed: list[tuple[str, str]],
    new: dict[str, bytes | None],
    governance: Governance,
) -> dict[str, list[str]]:
    """New cases whose id is already on the target branch, under any district."""
    added = [p for status, p in changed if status == "A" and new.get(p) is not None]
    specs = {p: [f"{base}:{q}" for q in case_id_paths(p, governance)] for p in added}
    blobs = repo.blob_ids(spec for group in specs.values() for spec in group)
    return {
        p: [spec.split(":", 1)[1] for spec in group if blobs.get(spec)]
        for p, group in specs.items()
    }


def _requirements(change: Change, policy: PolicyFile) -> list[tuple[Any, Requirement]]:
    found: list[tuple[Any, Requirement]] = []
    if change.kind in ("deletion", "other"):
        return found
    kind = change.record_kind
    for rule in policy.rules:
        m = rule.match
        if m.kinds and kind not in m.kinds:
            continue
        if m.to_states and not any(to in m.to_states for _, to in change.transitions):
            continue
        if m.from_states and not any(fr in m.from_states for fr, _ in change.transitions):
            continue
        if m.forms and not (change.forms & set(m.forms)):
            continue
        found += [(rule, req) for req in rule.require]
    if change.kind in ("rewrite", "correction"):
        found += [(None, req) for req in policy.corrections]
    return found


@dataclass
class _Context:
    evidence: Evidence
    authors: set[str]
    head_blob: str | None

    @property
    def governance(self) -> Governance:
        return self.evidence.governance


def _committee_for(req: Requirement, change: Change, governance: Governance) -> str:
    data = change.new if isinstance(change.new, dict) else change.old
    data = data if isinstance(data, dict) else {}
    province = (
        governance.settings.province
        if governance.settings
        else next((u.code for u in governance.units.values() if u.level == "province"), "")
    )
    unit = province
    if req.of == "case_unit" and data.get("unit"):
        unit = str(data["unit"])
    elif req.of == "case_grassroots" and data.get("cell"):
        found = governance.ancestor_at(str(data["cell"]), "grassroots")
        unit = found.code if found else str(data["cell"])
    return f"{unit}.{req.committee}"


def _judge(
    req: Requirement, rule: Any, change: Change, approvals: list[Approval], ctx: _Context
) -> Need:
    committee_id = _committee_for(req, change, ctx.governance)
    committee = ctx.governance.committees.get(committee_id)
    need = Need(
        rule=rule.id if rule else "corrections",
        description=rule.description if rule else "Đính chính hồ sơ đã ghi",
        source=rule.source if rule else None,
        committee=committee_id,
        committee_name=committee.name if committee else committee_id,
        needed=req.count or 1,
        assurance=req.assurance,
    )
    if committee is None:
        need.problem = (
            f"không có tập thể {committee_id} trong governance/committees.yaml của nhánh gốc"
        )
        return need
    wanted = req.fraction is not None or ctx.evidence.hints
    serving = _serving(committee, ctx.evidence.today) if wanted else []
    if req.fraction is not None:
        need.needed = max(1, math.ceil(req.fraction * len(serving)))
    decided: set[str] = set()
    for approval in approvals:
        if approval.path is not None and approval.path != change.path:
            continue
        member = _member(committee, approval)
        why = _why_not(approval, member, committee, req, change, ctx)
        if member is not None and approval.verdict == "reject" and why in (None, "lapsed"):
            need.rejections.append((member, approval))
            decided.add(_identity(member))
            continue
        if why == "lapsed":
            need.lapsed.append((approval, _lapse_reason(approval, ctx)))
        elif why is not None:
            need.excluded.append((approval, why))
        elif member is not None:
            need.counted.append((member, approval))
            decided.add(_identity(member))
    need.can_still = [
        m
        for m in (serving if ctx.evidence.hints else [])
        if _identity(m) not in decided
        and _conflict(m, change, ctx) is None
        and (req.assurance != "signed" or m.ssh_keys)
    ]
    return need


def _why_not(
    approval: Approval,
    member: Member | None,
    committee: Committee,
    req: Requirement,
    change: Change,
    ctx: _Context,
) -> str | None:
    if approval.source == "signed" and approval.signature != "G":
        status = {
            "U": "khóa ký không thuộc thành viên nào trong nhiệm kỳ theo "
            "governance/committees.yaml (nhánh gốc)",
            "B": "chữ ký không hợp lệ",
            "N": "commit không có chữ ký",
            "E": "không kiểm tra được chữ ký",
            "X": "chữ ký đã hết hạn",
            "Y": "chữ ký bởi khóa đã hết hạn",
            "R": "chữ ký bởi khóa đã bị thu hồi",
        }
        return status.get(approval.signature, f"chữ ký không được công nhận ({approval.signature})")
    if member is None:
        return f"không phải thành viên {committee.id} theo governance/committees.yaml (nhánh gốc)"
    if not _serves(member, approval.when):
        end = member.term_until or member.term_from
        return f"ngoài nhiệm kỳ vào ngày phê duyệt (nhiệm kỳ {member.term_from} đến {end})"
    conflict = _conflict(member, change, ctx)
    if conflict:
        return conflict
    if req.assurance == "signed" and approval.source != "signed" and approval.verdict == "approve":
        return "quy tắc yêu cầu phê duyệt có chữ ký SSH (hoso approve)"
    if approval.verdict == "approve" and not _binds(approval, change, ctx):
        return "lapsed"
    return None


def _conflict(member: Member, change: Change, ctx: _Context) -> str | None:
    identities = {member.email, member.github, member.gitlab} - {None}
    if identities & (ctx.authors | ctx.evidence.openers):
        return "là tác giả của thay đổi này (không tự phê duyệt)"
    data = change.new if isinstance(change.new, dict) else change.old
    data = data if isinstance(data, dict) else {}
    subject = data.get("subject") if isinstance(data.get("subject"), dict) else {}
    if member.party_card and subject and subject.get("party_card") == member.party_card:
        return "là người được xem xét trong hồ sơ"
    policy = ctx.governance.policy
    for declared in policy.conflicts if policy else []:
        if declared.party_card != member.party_card:
            continue
        cell = str(data.get("cell", ""))
        if data.get("id") in declared.cases or any(
            ctx.governance.is_within(cell, unit) for unit in declared.units
        ):
            return f"có xung đột lợi ích đã khai báo: {declared.reason}"
    return None


def _binds(approval: Approval, change: Change, ctx: _Context) -> bool:
    """An approval holds only for the file content it approved."""
    if approval.source == "signed":
        return approval.blob == ctx.head_blob
    return ctx.evidence.reviewed.get(f"{approval.commit}:{change.path}") == ctx.head_blob


def _lapse_reason(approval: Approval, ctx: _Context) -> str:
    if approval.source == "signed":
        return (
            f"tệp đã thay đổi sau khi phê duyệt (phê duyệt nội dung {(approval.blob or '?')[:10]}, "
            f"nay là {(ctx.head_blob or '?')[:10]})"
        )
    return f"tệp đã thay đổi sau commit được phê duyệt ({approval.commit[:10]})"


def _member(committee: Committee, approval: Approval) -> Member | None:
    for member in committee.members:
        if approval.source == "github" and member.github == approval.who:
            return member
        if approval.source == "gitlab" and member.gitlab == approval.who:
            return member
        if approval.source in ("signed", "trailer") and member.email == approval.who:
            return member
    return None


def _serves(member: Member, on: date) -> bool:
    return member.term_from <= on and (member.term_until is None or on <= member.term_until)


def _serving(committee: Committee, on: date) -> list[Member]:
    unique: dict[str, Member] = {}
    for member in committee.members:
        if _serves(member, on):
            unique.setdefault(_identity(member), member)
    return list(unique.values())


def _identity(member: Member) -> str:
    return member.party_card or member.email or member.name


def _authors(repo: Repo, range_: str) -> dict[str, set[str]]:
    """Path to the e-mails of the authors of the commits in ``range_`` that touch it."""
    out = repo.text("log", f"--format={RECORD}%ae{FIELD}%ce", "--name-only", "--no-merges", range_)
    touched: dict[str, set[str]] = defaultdict(set)
    for chunk in out.split(RECORD)[1:]:
        header, _, names = chunk.partition("\n")
        people = set(header.split(FIELD))
        for name in names.split("\n"):
            if name:
                touched[name] |= people
    return touched
