"""Walking the first-parent history of a branch and judging every change that reached it.

One ``git log`` streams the commits, one ``git cat-file --batch`` serves the record versions;
the result is cached inside ``.git`` keyed by the tip commit, so a second audit reads only the
commits added since.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hoso import yamlio
from hoso.git import Repo
from hoso.governance import GOVERNANCE_FILES
from hoso.review.approvals import Approval, latest
from hoso.review.changes import shape
from hoso.review.gate import Evidence, Verdict, case_id_paths, evaluate
from hoso.review.signed import read as read_signed
from hoso.validate.cache import blob_id
from hoso.validate.governance_files import load_governance_bytes
from hoso.validate.record import parse

from .stream import Blobs, Commit, commits

Severity = Literal["high", "medium", "low"]
_FORMAT = 3
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
    fresh = {c.sha: c for c in commits(repo.root, revs)}
    chain = []
    sha: str | None = tip
    while sha is not None and sha in fresh:
        chain.append(sha)
        parents = fresh[sha].parents
        sha = parents[0] if parents else None
    chain.reverse()
    mainline = set(index.mainline) | set(chain)
    for commit in fresh.values():
        if len(commit.parents) < 2:
            paths = [p for _, p in commit.files]
            index.authored[commit.sha] = (
                commit.email,
                commit.name,
                commit.when.isoformat(),
                commit.subject,
                paths,
            )
    with Blobs(repo.root) as blobs, _Judges(len(chain)) as judges:
        batch: list[tuple[Commit, Step, Evidence | None]] = []
        touched: set[str] = set()
        for sha in chain:
            commit = fresh[sha]
            step, evidence = _prepare(repo, index, fresh, commit, mainline, blobs, touched)
            batch.append((commit, step, evidence))
            if evidence is not None and (len(batch) >= _BATCH or _changes_governance(commit)):
                _settle(index, batch, judges, blobs)
                batch, touched = [], set()
        _settle(index, batch, judges, blobs)
    index.mainline += chain
    index.count += len(chain)
    index.merges += sum(1 for sha in chain if len(fresh[sha].parents) > 1)
    index.tip = tip
    if use_cache:
        _save(repo.root, index, chain)
    return index


def _is_ancestor(repo: Repo, old: str, new: str) -> bool:
    return repo.succeeds("merge-base", "--is-ancestor", old, new)


_BATCH = 512
"""Merges judged together: gathered in order, judged in parallel, settled in order."""


def _changes_governance(commit: Commit) -> bool:
    return any(path in _GOVERNANCE for _, path in commit.files)


def _prepare(
    repo: Repo,
    index: Index,
    fresh: dict[str, Commit],
    commit: Commit,
    mainline: set[str],
    blobs: Blobs,
    touched: set[str],
) -> tuple[Step, Evidence | None]:
    """Everything sequential about one first-parent commit: its kind, the commits it brought,
    their approvals, and the evidence to judge (None when there is nothing to judge)."""
    records = [(s, p) for s, p in commit.files if p.startswith(("cases/", "governance/"))]
    step = Step(
        commit.sha,
        "merge" if len(commit.parents) > 1 else "direct",
        commit.when.date().isoformat(),
        commit.email,
        commit.subject,
        _merge_request(commit.message),
        [p for _, p in records],
    )
    evidence = None
    if not commit.parents:
        step.kind = "root"
        index.governance = tuple(blobs.get(f"{commit.sha}:{rel}") for rel in _GOVERNANCE)
    elif records:
        if step.kind == "direct":
            evidence = _gather(
                repo, index, commit, commit.parents[0], [], records, blobs, set(), touched
            )
        else:
            range_ = _range(commit, fresh, mainline, index)
            approvals = _approvals(repo, index, commit, range_, fresh)
            evidence = _gather(
                repo, index, commit, commit.parents[1], approvals, records, blobs, range_, touched
            )
    for status, path in records:
        touched.add(path)
        if path.startswith("cases/"):
            if status == "D":
                index.known_paths.discard(path)
                index.added.discard(path)
                index.removed.add(path)
            else:
                index.known_paths.add(path)
                index.added.add(path)
                index.removed.discard(path)
    return step, evidence


def _settle(
    index: Index, batch: list[tuple[Commit, Step, Evidence | None]], judges: _Judges, blobs: Blobs
) -> None:
    """Judge a batch (in parallel when large), then record the results in history order."""
    verdicts = judges.run(index.governance, [e for _, _, e in batch if e is not None])
    for commit, step, evidence in batch:
        if step.kind == "direct" and step.paths:
            index.findings.append(
                AuditFinding(
                    "high",
                    commit.sha,
                    "history.direct_push",
                    f"thay đổi {_some(step.paths)} lên thẳng nhánh chính, không qua yêu cầu "
                    f"hợp nhất (tác giả {commit.email}, {step.when})",
                )
            )
        if evidence is not None:
            verdict, shapes = next(verdicts)
            step.approvals = sorted(
                {
                    f"{m.name} ({a.label})"
                    for o in verdict.outcomes
                    for n in o.needs
                    for m, a in n.counted
                }
            )
            step.ok = step.kind == "merge" and verdict.mergeable
            _findings(index, commit, verdict, step.merge_request)
            _governance(index, commit, [(s, p) for s, p in commit.files], verdict, blobs)
            for path in step.paths:
                if path in shapes:
                    index.shapes[path] = shapes[path]
                else:
                    index.shapes.pop(path, None)
        index.steps[commit.sha] = step


def _judge_one(evidence: Evidence) -> tuple[Verdict, dict[str, dict[str, Any]]]:
    """The pure part, run in a worker: judge, and reduce each new version to its shape. The
    parsed records are dropped before the verdict travels back."""
    verdict = evaluate(evidence)
    shapes = {}
    for path, raw in evidence.new.items():
        data = parse(raw)[1] if raw is not None else None
        if isinstance(data, dict):
            shapes[path] = shape(data)
    for outcome in verdict.outcomes:
        outcome.change.old = outcome.change.new = None
    return verdict, shapes


_worker_governance: Any = None


def _init_judge(contents: tuple[bytes | None, ...]) -> None:
    global _worker_governance
    _worker_governance = load_governance_bytes(contents)[0]


def _judge_remote(evidence: Evidence) -> tuple[Verdict, dict[str, dict[str, Any]]]:
    evidence.governance = _worker_governance
    return _judge_one(evidence)


class _Judges:
    """A pool of worker processes for long histories, one per version of the governance."""

    def __init__(self, commits: int) -> None:
        self.parallel = commits >= 4 * _BATCH and (os.cpu_count() or 1) > 1
        self.pool: Any = None
        self.contents: tuple[bytes | None, ...] | None = None

    def run(
        self, contents: tuple[bytes | None, ...], evidences: list[Evidence]
    ) -> Iterator[tuple[Verdict, dict[str, dict[str, Any]]]]:
        if not self.parallel or len(evidences) < 2:
            return iter([_judge_one(e) for e in evidences])
        if self.pool is None or self.contents != contents:
            self.close()
            context = multiprocessing.get_context("fork")
            self.pool = context.Pool(os.cpu_count(), initializer=_init_judge, initargs=(contents,))
            self.contents = contents
        for evidence in evidences:
            evidence.governance = None  # type: ignore[assignment]  # the workers hold it
        return iter(self.pool.map(_judge_remote, evidences, chunksize=16))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def __enter__(self) -> _Judges:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _some(paths: list[str], shown: int = 5) -> str:
    more = f" và {len(paths) - shown} tệp khác" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def _range(merge: Commit, fresh: dict[str, Commit], mainline: set[str], index: Index) -> set[str]:
    """The commits a merge brought: reachable from its second parent, not already on the
    branch (through the first-parent line or an earlier merge)."""
    found: set[str] = set()
    todo = [merge.parents[1]]
    while todo:
        sha = todo.pop()
        if sha in found or sha in mainline or sha in index.merged_by or sha not in fresh:
            continue
        found.add(sha)
        index.merged_by[sha] = merge.sha
        todo.extend(fresh[sha].parents)
    return found


def _approvals(
    repo: Repo, index: Index, merge: Commit, range_: set[str], fresh: dict[str, Commit]
) -> list[Approval]:
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
    if any("Hoso-Approval:" in fresh[s].message for s in range_):
        governance, _ = load_governance_bytes(index.governance)
        signed = read_signed(repo, f"{merge.parents[0]}..{merge.parents[1]}", governance)
        found += [a for a in signed if a.commit in range_]
    return latest(found)


def _gather(
    repo: Repo,
    index: Index,
    commit: Commit,
    head: str,
    approvals: list[Approval],
    records: list[tuple[str, str]],
    blobs: Blobs,
    range_: Iterable[str],
    touched: set[str],
) -> Evidence:
    governance, _ = load_governance_bytes(index.governance)
    base = commit.parents[0]
    paths = [p for _, p in records]
    # An earlier version's shape stands in for its text, unless that version is still being
    # judged in this batch (then its text is read again).
    shaped = {
        p: index.shapes[p]
        for s, p in records
        if s == "M" and p in index.shapes and p not in touched
    }
    wanted = [f"{base}:{p}" for p in paths if p not in shaped]
    wanted += [f"{commit.sha}:{p}" for p in paths]
    contents = blobs.get_many(wanted)
    old = {p: contents.get(f"{base}:{p}") for p in paths}
    new = {p: contents[f"{commit.sha}:{p}"] for p in paths}
    head_blobs = {p: blob_id(raw) if raw is not None else None for p, raw in new.items()}
    authors: dict[str, set[str]] = {}
    for sha in range_:
        entry = index.authored.get(sha)
        if entry:
            for path in entry[4]:
                authors.setdefault(path, set()).add(entry[0])
    taken = {
        p: [q for q in case_id_paths(p, governance) if _on_branch(q, base, index, blobs)]
        for s, p in records
        if s == "A"
    }
    return Evidence(
        root=repo.root,
        base=base,
        head=head,
        merge_base=base,
        changed=records,
        old=old,
        new=new,
        governance=governance,
        approvals=approvals,
        authors=authors,
        head_blobs=head_blobs,
        reviewed={f"{commit.sha}:{p}": head_blobs[p] for p in paths},
        taken=taken,
        openers=set(),
        today=commit.when.date(),
        old_shapes=shaped,
    )


def _on_branch(path: str, base: str, index: Index, blobs: Blobs) -> bool:
    """Whether ``path`` exists at ``base``: from the index when it knows every path, else
    from git."""
    if index.complete or path in index.known_paths:
        return path in index.known_paths
    return blobs.get_many([f"{base}:{path}"])[f"{base}:{path}"] is not None


def _findings(index: Index, commit: Commit, verdict: Verdict, mr: str) -> None:
    if index.taint and any(o.change.kind != "governance" for o in verdict.outcomes):
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
    for outcome in verdict.outcomes:
        path = outcome.change.path
        for error in outcome.errors:
            index.findings.append(
                AuditFinding("high", commit.sha, "history.invalid_change", error, path, mr)
            )
        for need in outcome.needs:
            if need.met:
                continue
            missing = need.problem or (
                f"cần {need.needed} phê duyệt của {need.committee}, có {len(need.counted)}"
                + (
                    f"; bị phản đối bởi {', '.join(m.name for m, _ in need.rejections)}"
                    if need.rejections
                    else ""
                )
            )
            excluded = "; ".join(f"{a.label}: {why}" for a, why in need.excluded)
            text = f"{need.description.rstrip('.')}: {missing}" + (
                f" (không tính: {excluded})" if excluded else ""
            )
            index.findings.append(
                AuditFinding("high", commit.sha, "history.approvals", text, path, mr)
            )


def _governance(
    index: Index, commit: Commit, records: list[tuple[str, str]], verdict: Verdict, blobs: Blobs
) -> None:
    changed = [p for _, p in records if p in _GOVERNANCE]
    if not changed:
        return
    index.governance = tuple(blobs.get(f"{commit.sha}:{rel}") for rel in _GOVERNANCE)
    approved = verdict.mergeable and len(commit.parents) > 1
    index.taint = "" if approved else commit.sha


def _merge_request(message: str) -> str:
    match = _MR.search(message.split("\n", 1)[0]) or _MR.search(message)
    return next((g for g in match.groups() if g), "") if match else ""
