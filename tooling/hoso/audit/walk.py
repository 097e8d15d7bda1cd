"""Walking the first-parent history of a branch and judging every change that reached it.

One ``git log`` streams the first-parent line oldest first with each commit's files, a second
(cheap, without files) lists the other commits for the merges to claim; judging is handed to
``judge.Judges``. The result is cached inside ``.git`` keyed by the tip commit, so a second
audit reads only the commits added since.
"""

from __future__ import annotations

import contextlib
import pickle
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hoso import yamlio
from hoso.git import Repo
from hoso.governance import GOVERNANCE_FILES
from hoso.review.approvals import Approval, latest
from hoso.review.gate import case_id_paths
from hoso.review.signed import read as read_signed
from hoso.validate.governance_files import load_governance_bytes

from .judge import Freezer, Job, Judged, Judges
from .stream import Blobs, Commit, Diffs, commit_of, everything, mainline

Severity = Literal["high", "medium", "low"]
_FORMAT = 5
_MR = re.compile(r"(?:Merge pull request #(\d+)|See merge request \S*!(\d+)|\(#(\d+)\)$)")
_APPROVED_BY = re.compile(r"^Approved-by:\s*(.*?)\s*<([^>]+)>\s*$", re.MULTILINE)
_HOSO_APPROVED = re.compile(r"^Hoso-Approved-By:\s*(github|gitlab):(\S+)\s*$", re.MULTILINE)
_GOVERNANCE = tuple(rel for rel, _ in GOVERNANCE_FILES.values())


@dataclass(frozen=True)
class AuditFinding:
    """Something an auditor must look at."""

    severity: Severity
    commit: str
    rule: str
    message: str
    path: str = ""
    merge_request: str = ""


@dataclass
class Step:
    """One commit of the branch's first-parent history, as the audit saw it."""

    sha: str
    kind: Literal["root", "merge", "direct"]
    when: str
    author: str
    subject: str
    merge_request: str = ""
    paths: list[str] = field(default_factory=list)
    approvals: list[str] = field(default_factory=list)
    ok: bool = True


@dataclass
class Index:
    """What the audit knows of a branch, up to ``tip``; pickled inside ``.git``."""

    branch: str
    tip: str = ""
    mainline: list[str] = field(default_factory=list)
    steps: dict[str, Step] = field(default_factory=dict)
    merged_by: dict[str, str] = field(default_factory=dict)
    """Every commit that reached the branch through a merge, to that merge."""
    authored: dict[str, tuple[str, str, str, str, list[str]]] = field(default_factory=dict)
    """Commit to (author e-mail, author name, date, subject, paths) for record history."""
    findings: list[AuditFinding] = field(default_factory=list)
    known_paths: set[str] = field(default_factory=set)
    shapes: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each record's last version on the branch, reduced (see ``changes.shape``)."""
    governance: tuple[bytes | None, ...] = ()
    taint: str = ""
    """A governance change in force that reached the branch without valid approval."""
    segments: list[str] = field(default_factory=list)
    complete: bool = True
    """False when only the records of commits added in this run are loaded."""
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    count: int = 0
    """Commits on the first-parent line audited so far."""
    merges: int = 0


def cache_path(root: Path, branch: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", branch)
    return root / ".git" / "hoso" / f"audit-{safe}.pickle"


_RECORDS = ("mainline", "steps", "merged_by", "authored", "shapes")


def _load(root: Path, branch: str, complete: bool) -> Index | None:
    """The cached index. The state (tip, findings, governance) is small and always read; the
    per-commit records are kept in one segment per run and read only when ``complete``."""
    path = cache_path(root, branch)
    try:
        stored = pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        return None
    if not (isinstance(stored, dict) and stored.get("format") == _FORMAT):
        return None
    index = Index(
        branch,
        stored["tip"],
        findings=stored["findings"],
        governance=stored["governance"],
        taint=stored["taint"],
        segments=stored["segments"],
        complete=False,
        count=stored["count"],
        merges=stored["merges"],
    )
    if complete:
        for name in index.segments:
            try:
                segment = pickle.loads((path.parent / name).read_bytes())
            except (OSError, pickle.PickleError, EOFError, ValueError, TypeError):
                return None
            index.mainline += segment["mainline"]
            for key in _RECORDS[1:]:
                getattr(index, key).update(segment[key])
            index.known_paths |= segment["added"]
            index.known_paths -= segment["removed"]
        index.complete = True
    return index


def _save(root: Path, index: Index, new_mainline: list[str]) -> None:
    """Write this run's records as a new segment, then the state that names all segments."""
    folder = cache_path(root, index.branch).parent
    segment = {key: getattr(index, key) for key in _RECORDS[1:]}
    segment.update(mainline=new_mainline, added=index.added, removed=index.removed)
    name = f"{cache_path(root, index.branch).stem}-{index.tip[:16]}.pickle"
    state = {
        "format": _FORMAT,
        "tip": index.tip,
        "findings": index.findings,
        "governance": index.governance,
        "taint": index.taint,
        "segments": [*index.segments, name],
        "count": index.count,
        "merges": index.merges,
    }
    with contextlib.suppress(OSError):
        yamlio.write_bytes_atomic(folder / name, pickle.dumps(segment, protocol=5))
        yamlio.write_bytes_atomic(cache_path(root, index.branch), pickle.dumps(state, protocol=5))


def build(repo: Repo, branch: str, use_cache: bool = True, complete: bool = False) -> Index:
    """The index of ``branch`` up to its tip, extending the cached one when it still applies.

    Unless ``complete``, an index extended from the cache holds the per-commit records of the
    new commits only (enough to audit them); ``complete`` also reads the earlier ones."""
    tip = repo.rev(branch)
    if complete and use_cache:
        build(repo, branch)  # extend the cache first, then read every segment
        return _load(repo.root, branch, True) or build(repo, branch, use_cache=False)
    index = _load(repo.root, branch, False) if use_cache else None
    rewritten: AuditFinding | None = None
    if index is not None and index.tip == tip:
        return index
    if index is not None and not _is_ancestor(repo, index.tip, tip):
        rewritten = AuditFinding(
            "high",
            index.tip,
            "history.rewritten",
            f"đỉnh nhánh {branch} đã kiểm toán lần trước ({index.tip[:10]}) không còn trong "
            "lịch sử: lịch sử đã bị viết lại; kiểm toán lại từ đầu",
        )
        index = None
    index = index or Index(branch)
    if rewritten:
        index.findings.append(rewritten)
    revs = [tip, *([f"^{index.tip}"] if index.tip else [])]
    walk = _Walk(repo, index)
    with (
        Blobs(repo.root) as walk.blobs,
        Diffs(repo.root) as walk.diffs,
        Judges(repo.root, walk.blobs) as walk.judges,
    ):
        walk.run(revs)
    index.tip = tip
    if use_cache:
        _save(repo.root, index, walk.chain)
    return index


def _is_ancestor(repo: Repo, old: str, new: str) -> bool:
    return repo.succeeds("merge-base", "--is-ancestor", old, new)


def _changes_governance(commit: Commit) -> bool:
    return any(path in _GOVERNANCE for _, path in commit.files or [])


_SETTLE_EVERY = 64
"""Commits waiting to be settled before the walk collects what the judges returned."""


class _Walk:
    """One pass over the new commits: the first-parent line in order, with every other commit
    looked up as the merges bring it; judging handed to ``Judges``, settled in order."""

    blobs: Blobs
    diffs: Diffs
    judges: Judges

    def __init__(self, repo: Repo, index: Index) -> None:
        self.repo = repo
        self.index = index
        self.chain: list[str] = []
        self.mainline: set[str] = set(index.mainline)
        self.unread: dict[str, str] = {}
        """Commits the second log listed and the walk has not needed yet, by id, unparsed."""
        self.fresh: dict[str, Commit] = {}
        """Commits brought by merges, parsed."""
        self.merges = 0
        self.pending: deque[tuple[int, Commit, Step]] = deque()
        self.judged: dict[int, Judged] = {}
        self.seq = 0

    def run(self, revs: list[str]) -> None:
        index = self.index
        if index.governance:
            self.judges.govern(index.governance)
        freezer = Freezer()
        try:
            self._walk(revs, freezer)
        finally:
            freezer.thaw()
        index.shapes.update(self.judges.close())
        self._settle(self.judges.results())
        assert not self.pending
        index.mainline += self.chain
        index.count += len(self.chain)
        index.merges += self.merges

    def _walk(self, revs: list[str], freezer: Freezer) -> None:
        others = everything(self.repo.root, revs)
        for commit in mainline(self.repo.root, revs):
            freezer.step()
            while self.unread.pop(commit.sha, None) is None:
                sha, record = next(others)
                self.unread[sha] = record
            self.merges += len(commit.parents) > 1
            self.mainline.add(commit.sha)
            self.chain.append(commit.sha)
            self._prepare(commit)
            if len(self.pending) >= _SETTLE_EVERY:
                self._settle(self.judges.results())
        for _ in others:
            pass

    def _prepare(self, commit: Commit) -> None:
        """Everything sequential about one first-parent commit: its kind, the commits it
        brought, their approvals, and the job to judge (none when there is nothing to judge)."""
        index = self.index
        files = commit.files or []
        records = [(s, p) for s, p in files if p.startswith(("cases/", "governance/"))]
        merge = len(commit.parents) > 1
        step = Step(
            commit.sha,
            "merge" if merge else "direct",
            commit.when.date().isoformat(),
            commit.email,
            commit.subject,
            _merge_request(commit.message),
            [p for _, p in records],
        )
        if not merge:
            self._authored(commit)
        self.seq += 1
        job = None
        if not commit.parents:
            step.kind = "root"
            index.governance = self._governance_at(commit.sha)
            self.judges.govern(index.governance)
        elif records:
            brought = self._range(commit) if merge else set()
            approvals = self._approvals(commit, brought) if merge else []
            job = self._job(commit, approvals, records, brought)
        self.pending.append((self.seq if job else 0, commit, step))
        if job is not None:
            self.judges.submit(job)
            if _changes_governance(commit):
                index.governance = self._governance_at(commit.sha)
                self.judges.govern(index.governance)
        for status, path in records:
            if path.startswith("cases/"):
                if status == "D":
                    index.known_paths.discard(path)
                    index.added.discard(path)
                    index.removed.add(path)
                else:
                    index.known_paths.add(path)
                    index.added.add(path)
                    index.removed.discard(path)

    def _governance_at(self, sha: str) -> tuple[bytes | None, ...]:
        contents = self.blobs.get_many([f"{sha}:{rel}" for rel in _GOVERNANCE])
        return tuple(contents[f"{sha}:{rel}"] for rel in _GOVERNANCE)

    def _authored(self, commit: Commit) -> None:
        self.index.authored[commit.sha] = (
            commit.email,
            commit.name,
            commit.when.isoformat(),
            commit.subject,
            [p for _, p in commit.files or []],
        )

    def _range(self, merge: Commit) -> set[str]:
        """The commits a merge brought: reachable from its second parent, not already on the
        branch (through the first-parent line or an earlier merge). Their files are known
        without asking git when the merge brought one commit whose tree it took as it is."""
        index, fresh = self.index, self.fresh
        found: set[str] = set()
        todo = [merge.parents[1]]
        while todo:
            sha = todo.pop()
            if sha in found or sha in self.mainline or sha in index.merged_by:
                continue
            record = self.unread.pop(sha, None)
            if record is None:
                continue  # before the commits this walk reads
            found.add(sha)
            index.merged_by[sha] = merge.sha
            fresh[sha] = commit_of(record)
            todo.extend(fresh[sha].parents)
        commits = [fresh[sha] for sha in found]
        if len(commits) == 1:
            only = commits[0]
            if only.parents == merge.parents[:1] and only.tree == merge.tree:
                only.files, only.blobs = merge.files, merge.blobs
        self.diffs.files([c for c in commits if c.files is None])
        for commit in commits:
            if len(commit.parents) < 2:
                self._authored(commit)
        return found

    def _approvals(self, merge: Commit, brought: set[str]) -> list[Approval]:
        """Approvals a merge carried: trailers in its message, and signed approval commits in
        the branch it merged, verified against the keys as of its base."""
        when = merge.when.date()
        head = merge.sha
        found = [
            Approval(email, "approve", "trailer", when, head)
            for _, email in _APPROVED_BY.findall(merge.message)
        ]
        found += [
            Approval(login, "approve", source, when, head)
            for source, login in _HOSO_APPROVED.findall(merge.message)
        ]
        if any("Hoso-Approval:" in self.fresh[s].message for s in brought):
            governance, _ = load_governance_bytes(self.index.governance)
            signed = read_signed(self.repo, f"{merge.parents[0]}..{merge.parents[1]}", governance)
            found += [a for a in signed if a.commit in brought]
        return latest(found)

    def _job(
        self,
        commit: Commit,
        approvals: list[Approval],
        records: list[tuple[str, str]],
        brought: set[str],
    ) -> Job:
        index = self.index
        governance, _ = load_governance_bytes(index.governance)
        base = commit.parents[0]
        authors: dict[str, set[str]] = {}
        for sha in brought:
            entry = index.authored.get(sha)
            if entry:
                for path in entry[4]:
                    authors.setdefault(path, set()).add(entry[0])
        taken = {
            p: [q for q in case_id_paths(p, governance) if self._on_branch(q, base)]
            for s, p in records
            if s == "A"
        }
        return Job(
            self.seq,
            commit.sha,
            base,
            commit.parents[1] if len(commit.parents) > 1 else commit.sha,
            records,
            approvals,
            authors,
            taken,
            commit.when.date(),
            shapes={p: index.shapes.pop(p) for _, p in records if p in index.shapes},
            blobs={p: (commit.blobs or {})[p] for _, p in records},
        )

    def _on_branch(self, path: str, base: str) -> bool:
        """Whether ``path`` exists at ``base``: from the index when it knows every path, else
        from git."""
        index = self.index
        if index.complete or path in index.known_paths:
            return path in index.known_paths
        return self.blobs.get(f"{base}:{path}") is not None

    def _settle(self, results: list[Judged]) -> None:
        """Record judged commits, and those with nothing to judge, in history order."""
        for judged in results:
            self.judged[judged.seq] = judged
        index = self.index
        while self.pending:
            seq, commit, step = self.pending[0]
            if seq and seq not in self.judged:
                return
            self.pending.popleft()
            if step.kind == "direct" and step.paths:
                index.findings.append(
                    AuditFinding(
                        "high",
                        commit.sha,
                        "history.direct_push",
                        f"thay đổi {_some(step.paths)} lên thẳng nhánh chính, không qua yêu "
                        f"cầu hợp nhất (tác giả {commit.email}, {step.when})",
                    )
                )
            if seq:
                judged = self.judged.pop(seq)
                step.approvals = judged.approvals
                step.ok = step.kind == "merge" and judged.mergeable
                _findings(index, commit, judged, step.merge_request)
                if _changes_governance(commit):
                    approved = judged.mergeable and len(commit.parents) > 1
                    index.taint = "" if approved else commit.sha
            index.steps[commit.sha] = step


def _some(paths: list[str], shown: int = 5) -> str:
    more = f" và {len(paths) - shown} tệp khác" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def _findings(index: Index, commit: Commit, judged: Judged, mr: str) -> None:
    if index.taint and judged.records:
        index.findings.append(
            AuditFinding(
                "high",
                commit.sha,
                "history.tainted_governance",
                f"thay đổi này được xét theo quy tắc hoặc danh sách thành viên do commit "
                f"{index.taint[:10]} đưa vào mà không được phê duyệt hợp lệ",
                merge_request=mr,
            )
        )
    index.findings += [
        AuditFinding("high", commit.sha, rule, message, path, mr)
        for rule, message, path in judged.problems
    ]


def _merge_request(message: str) -> str:
    match = _MR.search(message.split("\n", 1)[0]) or _MR.search(message)
    return next((g for g in match.groups() if g), "") if match else ""
