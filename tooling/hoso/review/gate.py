"""The gate: for each changed file, the rules that apply, the people whose approvals count, and
why the others do not. Policy and membership always come from the base of the merge request.

Default deny: every path is owned by a rule of the policy; a path that no rule names falls to
the governance rules (or the rule ``unowned`` names), never to nobody. A change needs the rules
of every event it touches, in both versions. A quorum counts people, not approvals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from hoso import clock, labels
from hoso.git import GITLINK, NO_OBJECT, REGULAR_MODES, Repo, kind_of
from hoso.governance import GOVERNANCE_FILES, Governance
from hoso.models import RECORD_MODELS
from hoso.models.governance import PolicyFile
from hoso.review.approvals import Approval, ForgeAuthors, latest
from hoso.review.changes import Change, Shape, classify, is_governance_path, is_record_path
from hoso.review.elsewhere import carried_rejections, dropped_rejections, other_branches
from hoso.review.judging import ASSURANCE_LABELS, UNREADABLE, Need, judge_need, needed_count
from hoso.review.people import Authors
from hoso.review.pushes import settle
from hoso.review.requirements import committees_for, requirements
from hoso.review.signed import range_commits
from hoso.review.signed import read as read_signed
from hoso.validate.cache import blob_id
from hoso.validate.findings import Finding
from hoso.validate.governance_files import governance_at
from hoso.validate.run import check_one

__all__ = [
    "ASSURANCE_LABELS",
    "Evidence",
    "Need",
    "Outcome",
    "Requested",
    "Verdict",
    "evaluate",
    "needed_count",
    "review",
]


@dataclass
class Requested:
    """What the gate was asked to judge."""

    repo: Repo
    base: str
    head: str
    forge_approvals: list[Approval] = field(default_factory=list)
    authors: ForgeAuthors = field(default_factory=ForgeAuthors)
    """The forge accounts that opened the merge request or pushed to it."""
    today: date = field(default_factory=clock.today)


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
    errors: list[str] = field(default_factory=list)
    """Problems with the merge request as a whole (a branch behind its target)."""

    @property
    def mergeable(self) -> bool:
        return not self.errors and all(o.ok for o in self.outcomes)


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
    """Old versions of records and governance files (other files are not read)."""
    new: dict[str, bytes | None]
    governance: Governance
    approvals: list[Approval]
    authors: Authors
    """Everyone who wrote any commit of the change, and who opened or pushed it."""
    head_blobs: dict[str, str | None]
    base_blobs: dict[str, str | None]
    """The blob id of each changed path at the merge base (None where the change adds it):
    the content a signed approval must name as replaced."""
    reviewed: dict[str, str | None]
    """``commit:path`` to the blob id a forge approval saw (``UNREADABLE`` where the commit is
    not in this clone)."""
    taken: dict[str, list[str]]
    """New case path to other paths on the base that already use its id."""
    today: date
    modes: dict[str, str] = field(default_factory=dict)
    """The new mode of each changed path (for the regular-file check)."""
    governance_errors: list[str] = field(default_factory=list)
    """Problems with the base's governance files: while any stands, nothing is mergeable."""
    old_shapes: dict[str, Shape] = field(default_factory=dict)
    """Shapes standing in for old versions the caller did not fetch (see ``changes.shape``)."""
    hints: bool = True
    """Whether to list who can still approve (the merge request page does; the audit not)."""
    ancestor: Callable[[str, str], bool] | None = None
    """Whether the first commit is an ancestor of (or is) the second: orders a rejection and a
    later approval by the commit graph, never by a date someone wrote."""
    changed_since: Callable[[str, str, bool], bool | None] | None = None
    """Whether a path changed on the merge base's first-parent line after the newest commit
    of that line a commit holds (None where it holds none, or git cannot tell): whether the
    target changed the file since an approval signed on a branch that has not taken it in.
    With the last argument true, a merge of that line that took the file as a parent the
    commit holds has it is no change (see ``Repo.changed_on_line``)."""


def review(request: Requested) -> Verdict:
    """Gather the evidence for a merge request from git, then judge it."""
    repo = request.repo
    repo.whole_history()
    base, head = repo.rev(request.base), repo.rev(request.head)
    merge_base = repo.merge_base(base, head)
    changes = repo.changed(merge_base, head)
    read = [
        c._replace(
            old_blob=c.old_blob if c.old_mode != GITLINK else NO_OBJECT,
            new_blob=c.new_blob if c.new_mode != GITLINK else NO_OBJECT,
        )
        for c in changes
        if is_record_path(c.path) or is_governance_path(c.path)
    ]
    contents = repo.objects(b for c in read for b in (c.old_blob, c.new_blob) if _real(b))
    governance, problems = governance_at(repo, base)
    commits = range_commits(repo, merge_base, head)
    signed, authors = read_signed(commits, governance, request.today)
    authors.forge, dropped = settle(repo, request.authors, merge_base, head)
    today = request.today
    lost, unreadable = dropped_rejections(repo, dropped, merge_base, head, governance, today)
    records = [c.path for c in read if is_record_path(c.path)]
    lost += other_branches(repo, base, head, records, governance, today)
    approvals = latest([*request.forge_approvals, *signed, *lost])
    paths = [c.path for c in changes]
    evidence = Evidence(
        root=repo.root,
        base=base,
        head=head,
        merge_base=merge_base,
        changed=[(c.status, c.path) for c in changes],
        old={c.path: contents.get(c.old_blob) for c in read},
        new={c.path: contents.get(c.new_blob) for c in read},
        governance=governance,
        approvals=approvals,
        authors=authors,
        head_blobs={c.path: c.new_blob if _real(c.new_blob) else None for c in changes},
        base_blobs={c.path: c.old_blob if _real(c.old_blob) else None for c in changes},
        reviewed=_reviewed(repo, approvals, paths),
        taken=_taken(repo, base, changes, governance),
        today=request.today,
        modes={c.path: c.new_mode for c in changes},
        governance_errors=_governance_errors(problems),
        ancestor=repo.is_ancestor,
        changed_since=changed_since(repo, merge_base),
    )
    verdict = evaluate(evidence)
    verdict.errors += unreadable
    carried = carried_rejections(
        repo, [*signed, *lost], set(paths), merge_base, standing(repo, evidence)
    )
    verdict.errors += carried
    if merge_base != base:
        verdict.errors.append(
            f"nhánh chưa cập nhật theo nhánh đích: đầu nhánh {head[:10]} không chứa "
            f"{base[:10]}, nên cổng không xét được kết quả thật của việc hợp nhất (một lần hợp "
            "nhất chéo có thể sửa hồ sơ mà không hiện ra ở đây). Cập nhật nhánh (rebase, hoặc "
            "hợp nhất nhánh đích vào nhánh) rồi chạy lại"
        )
    return verdict


def standing(repo: Repo, evidence: Evidence) -> Callable[[Approval], bool]:
    """For ``carried_rejections``: whether a signed rejection would have counted against the
    change it objected to, judged as that change alone (the file at the merge base to the
    content it rejected) with the rejection as the only word on it. One by someone with no say
    over the file (another unit's committee, out of term, the case's subject, a declared
    conflict) stands for nothing, and holds up nothing."""

    def stands(rejection: Approval) -> bool:
        path = rejection.path or ""
        old = repo.regular_files_at(evidence.merge_base, [path])[0].get(path)
        blob = rejection.blob if rejection.blob and rejection.blob != NO_OBJECT else None
        new = repo.objects([blob]).get(blob) if blob else None
        trial = replace(
            evidence,
            changed=[("M" if old is not None else "A", path)],
            old={path: old},
            new={path: new},
            approvals=[rejection],
            head_blobs={path: blob},
            base_blobs={path: blob_id(old) if old is not None else None},
            reviewed={},
            taken={},
            modes={},
            old_shapes={},
            governance_errors=[],
        )
        judged = evaluate(trial)
        return any(
            a is rejection for o in judged.outcomes for n in o.needs for _, a in n.rejections
        )

    return stands


def changed_since(repo: Repo, tip: str) -> Callable[[str, str, bool], bool | None]:
    """``Evidence.changed_since`` for a merge base ``tip``, read from git."""

    def read(commit: str, path: str, held: bool) -> bool | None:
        try:
            return repo.changed_on_line(commit, tip, path, held)
        except Exception:  # an unreadable commit shows nothing the signer saw
            return None

    return read


def _real(blob: str) -> bool:
    return bool(blob) and blob != NO_OBJECT


def _governance_errors(problems: list[Finding]) -> list[str]:
    return [
        f"tệp quản trị trên nhánh gốc có lỗi, cổng không xét được: {p.file}:{p.line}: {p.message}"
        for p in problems
        if p.severity == "error"
    ]


def _reviewed(repo: Repo, approvals: list[Approval], paths: list[str]) -> dict[str, str | None]:
    """The blob id of each changed path at each commit a forge approval names."""
    out: dict[str, str | None] = {}
    for commit in {a.commit for a in approvals if a.source != "signed" and a.commit}:
        if not repo.has_commit(commit):
            out.update({f"{commit}:{p}": UNREADABLE for p in paths})
            continue
        entries = repo.entries(commit, paths)
        out.update({f"{commit}:{p}": entries[p][1] if p in entries else None for p in paths})
    return out


def evaluate(evidence: Evidence) -> Verdict:
    """The gate's judgement on gathered evidence; no git here."""
    policy = evidence.governance.policy or PolicyFile(rules=[])
    missing = evidence.governance.policy is None
    outcomes = []
    added = _added_twice(evidence.changed)
    for status, path in evidence.changed:
        change = classify(
            path,
            status,
            evidence.old.get(path),
            evidence.new.get(path),
            evidence.old_shapes.get(path),
        )
        outcome = Outcome(change)
        outcome.errors += evidence.governance_errors
        if missing:
            outcome.errors.append(
                "không có governance/policy.yaml hợp lệ trên nhánh gốc: mọi thay đổi đều bị từ "
                "chối cho đến khi có quy tắc phê duyệt"
            )
        outcome.errors += _refusals(change, policy, evidence.modes.get(path, ""))
        outcome.errors += _in_folder(path, status, evidence.changed)
        if change.kind in ("new", "steps", "correction", "rewrite"):
            outcome.errors += _invalid(evidence, change)
        outcome.errors += [
            f"mã hồ sơ {change.new.get('id')} đã có trên nhánh đích: {other}"
            for other in evidence.taken.get(path, [])
            if isinstance(change.new, dict)
        ]
        outcome.errors += [
            f"mã hồ sơ {Path(path).stem} cũng được thêm ở {other} trong cùng thay đổi này: "
            "mỗi hồ sơ chỉ có một tệp"
            for other in added.get(path, [])
        ]
        found, unowned = requirements(change, policy, evidence.governance)
        outcome.errors += unowned
        outcome.needs = [
            judge_need(req, rule, change, committee, evidence)
            for rule, req in found
            for committee in committees_for(req, change, evidence.governance)
        ]
        _quiet_other_committees(outcome)
        outcomes.append(outcome)
    return Verdict(evidence.base, evidence.head, evidence.merge_base, outcomes)


def _quiet_other_committees(outcome: Outcome) -> None:
    """An approval that counts for one committee of this file is not news for the others."""
    used = {
        id(a) for need in outcome.needs for _, a in (*need.counted, *need.also, *need.rejections)
    }
    for need in outcome.needs:
        need.excluded = [
            (a, why)
            for a, why in need.excluded
            if not (id(a) in used and why.startswith("không phải thành viên"))
        ]


def _refusals(change: Change, policy: PolicyFile, mode: str) -> list[str]:
    out = []
    if change.kind == "deletion":
        out.append(
            "không được xóa tệp hồ sơ: hồ sơ kết thúc bằng một trạng thái cuối, tệp được giữ mãi"
        )
    if change.kind in ("rewrite", "correction") and not policy.corrections:
        what = "sửa bước đã ghi" if change.kind == "rewrite" else "đính chính trường đã ghi"
        out.append(
            f"không được {what} ({', '.join(labels.field(f) for f in change.fields)}): quy tắc "
            "đính chính trong governance/policy.yaml (nhánh gốc) chưa cho phép"
        )
    if change.path in ("cases", "governance") and mode and mode != NO_OBJECT[:6]:
        out.append(
            f"{change.path}/ phải là thư mục thường; nhận được {kind_of(mode)} (chế độ {mode}) "
            "ở chỗ của nó: tệp hồ sơ và tệp quản trị không được đọc qua liên kết"
        )
    records = is_record_path(change.path) or is_governance_path(change.path)
    odd = bool(mode) and mode != NO_OBJECT[:6] and mode not in REGULAR_MODES
    if records and odd:
        out.append(
            f"không phải tệp thường ({kind_of(mode)}, chế độ {mode}): hồ sơ và tệp quản trị "
            "chỉ là tệp thường"
        )
    elif odd and change.path not in ("cases", "governance"):
        # Anywhere else too: a link in site_src/ or tooling/ would put a record's or a
        # governance file's content where the approvals of that path never looked at it.
        out.append(
            f"không phải tệp thường ({kind_of(mode)}, chế độ {mode}): kho chỉ chứa tệp thường; "
            "một liên kết đưa nội dung của tệp khác (hồ sơ, tệp quản trị) vào chỗ này mà người "
            "duyệt chỗ này không thấy"
        )
    return out


_GOVERNANCE_FILES = tuple(rel for rel, _ in GOVERNANCE_FILES.values())


def _in_folder(path: str, status: str, changed: list[tuple[str, str]]) -> list[str]:
    """A governance file made into a folder: git shows the file deleted and files added under
    its path; both are refused, naming the file (a diff of files never shows the folder)."""
    if status != "D":
        folder = next((g for g in _GOVERNANCE_FILES if path.startswith(f"{g}/")), None)
    elif path in _GOVERNANCE_FILES and any(
        p.startswith(f"{path}/") and s != "D" for s, p in changed
    ):
        folder = path
    else:
        folder = None
    if folder is None:
        return []
    named = "" if folder == path else f"{folder} "
    return [f"{named}không phải tệp thường (một thư mục): hồ sơ và tệp quản trị chỉ là tệp thường"]


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


def _added_twice(changed: list[tuple[str, str]]) -> dict[str, list[str]]:
    """For each case file added, the other files this change adds under the same case id (in
    another district or kind folder): the target holds neither yet, so only the two together
    tell that one id would name two cases."""
    by_id: dict[str, list[str]] = {}
    for status, path in changed:
        if status == "A" and is_record_path(path):
            by_id.setdefault(Path(path).name, []).append(path)
    return {
        path: [other for other in group if other != path]
        for group in by_id.values()
        if len(group) > 1
        for path in group
    }


def case_id_paths(path: str, governance: Governance) -> list[str]:
    """Every path under which the case at ``path`` could already exist: its id in each
    district, for every kind (``cases/<unit>/<kind>/<id>.yaml``): an id's prefix is not tied
    to its kind, and validation names an id used twice whatever the kind."""
    parts = path.split("/")
    if len(parts) != 4 or parts[0] != "cases":
        return []
    return [
        f"cases/{unit}/{kind}/{parts[3]}"
        for unit in governance.districts
        for kind in dict.fromkeys([parts[2], *RECORD_MODELS])
    ]


def _taken(
    repo: Repo, base: str, changes: list[Any], governance: Governance
) -> dict[str, list[str]]:
    """New cases whose id is already on the target branch, under any district."""
    added = [c.path for c in changes if c.status == "A" and is_record_path(c.path)]
    specs = {p: case_id_paths(p, governance) for p in added}
    present = repo.entries(base, [q for group in specs.values() for q in group])
    return {p: [q for q in group if q in present] for p, group in specs.items()}
