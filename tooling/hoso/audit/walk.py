"""Walking the first-parent history of a branch and judging every change that reached it.

One ``git log`` streams the first-parent line oldest first with each commit's files, a second
(cheap, without files) lists the other commits for the merges to claim; judging is handed to
``judge.Judges``. The result is cached inside ``.git`` keyed by the tip commit, so a second
audit reads only the commits added since.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from hoso import clock
from hoso.freezer import Freezer
from hoso.git import NO_OBJECT, REGULAR_MODES, Repo
from hoso.governance import GOVERNANCE_FILES
from hoso.progress import Progress
from hoso.review.approvals import Approval
from hoso.review.gate import case_id_paths
from hoso.review.signed import Made
from hoso.validate.governance_files import (
    load_governance_bytes,
    not_regular,
    not_regular_mode,
)

from . import store
from .index import (
    SEGMENT,
    AuditFinding,
    Index,
    Step,
    cache_path,
    carried,
    load,
    save_segment,
    unverifiable,
)
from .judge import Job, Judged, Judges
from .stream import Blobs, Commit, Diffs, commit_of, read_history

Severity = Literal["high", "medium", "low"]
_FORMAT = 7
_MR = re.compile(r"(?:Merge pull request #(\d+)|See merge request \S*!(\d+)|\(#(\d+)\)$)")
_HOSO_APPROVED = re.compile(r"(github|gitlab):([A-Za-z0-9][A-Za-z0-9._-]{0,254})(?:#(\d{1,18}))?")


def _approved_by(block: str) -> list[str]:
    """The e-mails of ``Approved-by: Name <email>`` lines, read line by line."""
    out = []
    for line in block.split("\n"):
        if line.startswith("Approved-by:"):
            value = line[len("Approved-by:") :].strip()
            start = value.rfind("<")
            if start != -1 and value.endswith(">") and ">" not in value[start:-1]:
                out.append(value[start + 1 : -1])
    return out


def _hoso_approved(block: str) -> list[tuple[str, str, str]]:
    """(forge, login, id) of ``Hoso-Approved-By: github:login#id`` lines."""
    out = []
    for line in block.split("\n"):
        if line.startswith("Hoso-Approved-By:"):
            match = _HOSO_APPROVED.fullmatch(line[len("Hoso-Approved-By:") :].strip())
            if match:
                out.append((match[1], match[2], match[3] or ""))
    return out


_GOVERNANCE = tuple(rel for rel, _ in GOVERNANCE_FILES.values())
_DELETED = "000000"
"""The mode git's raw diff gives a path that does not exist on that side."""


def build(
    repo: Repo,
    branch: str,
    use_cache: bool = True,
    complete: bool = False,
    progress: Progress | None = None,
    keep_shapes: bool = False,
) -> Index:
    """The index of ``branch`` up to its tip, extending the stored one when it still applies
    (a first audit that was interrupted resumes where it last saved).

    Unless ``complete``, an index extended from the store holds what this run saw of the new
    commits only (enough to audit them); ``complete`` also reads the earlier ones."""
    repo.whole_history()
    tip = repo.rev(repo.branch(branch))
    if complete and use_cache:
        state = build(repo, branch, progress=progress)  # extend the store, then read it all
        found = load(repo.root, branch, True)
        if found is not None:
            return found
        # A part of the store that was just there no longer verifies, or nothing could be
        # stored (no key, no writable folder): read the history again, and keep what only
        # the store remembered (rewrites seen by earlier audits). Only the first is an alarm.
        fresh = build(repo, branch, use_cache=False, complete=True, progress=progress)
        fresh.findings += [f for f in state.findings if f.rule in _REMEMBERED]
        if store.read(cache_path(repo.root, branch)) is not None:
            fresh.findings.append(_unverified(str(cache_path(repo.root, branch).parent)))
        fresh.checkpoints = state.checkpoints
        save_segment(repo.root, fresh, fresh.mainline)  # a store that verifies, from scratch
        fresh.unsaved = fresh.unsaved or state.unsaved
        return fresh
    index = load(repo.root, branch, False) if use_cache else None
    alarm: AuditFinding | None = None
    rejected = unverifiable(repo.root, branch) if use_cache and index is None else None
    if rejected:
        alarm = _unverified(rejected)
    if index is not None and index.tip == tip:
        return index
    seen = dict(index.checkpoints) if index is not None else {}
    kept: list[AuditFinding] = []
    if use_cache and index is None and not rejected:
        # A state an earlier version of hoso sealed: what only it remembers is kept.
        kept, seen = carried(repo.root, branch, _REMEMBERED)
    if index is not None and not _is_ancestor(repo, index.tip, tip):
        alarm = _lost_tip(
            branch,
            index.tip,
            "history.rewritten",
            "không còn trong lịch sử: lịch sử đã bị viết lại",
        )
        index = None
    elif index is not None and not _on_first_parent_line(repo, index.tip, tip):
        alarm = _lost_tip(
            branch,
            index.tip,
            "history.first_parent_changed",
            "không còn trên dòng cha thứ nhất của nhánh: một lần hợp nhất đã lấy nhánh khác làm "
            "cha thứ nhất, nên các commit đã kiểm toán nay thành nhánh phụ",
        )
        index = None
    index = index or Index(branch, checkpoints=seen)
    index.findings += kept
    if alarm:
        index.findings.append(alarm)
    index.complete = not index.tip
    if index.tip:
        index.known_paths = set(
            repo.text("ls-tree", "-r", "--name-only", "-z", index.tip, "--", "cases").split("\0")
        ) - {""}
    revs = [tip, *([f"^{index.tip}"] if index.tip else [])]
    walk = _Walk(repo, index, repo.root if use_cache else None, progress, keep_shapes)
    with (
        Blobs(repo.root) as walk.blobs,
        Diffs(repo.root) as walk.diffs,
        Judges(repo.root, walk.blobs) as walk.judges,
    ):
        walk.run(revs)
    index.tip = tip
    if use_cache:
        save_segment(repo.root, index, walk.chain)
    return index


_REMEMBERED = ("history.rewritten", "history.first_parent_changed", "audit.index_unverified")
"""Findings only the stored index can know: a full walk of the history today cannot."""


def _lost_tip(branch: str, tip: str, rule: str, why: str) -> AuditFinding:
    """The tip the last audit reached is no longer where it was (``why``): start again."""
    message = f"đỉnh nhánh {branch} đã kiểm toán lần trước ({tip[:10]}) {why}; kiểm toán lại từ đầu"
    return AuditFinding("high", tip, rule, message)


def _unverified(where: str) -> AuditFinding:
    return AuditFinding(
        "high",
        "",
        "audit.index_unverified",
        f"chỉ mục kiểm toán đã lưu ({where}) không xác minh được bằng khóa kiểm toán của máy "
        "này (bị sửa, hỏng, lập ở máy khác, hoặc khóa đã mất): những gì các lần kiểm toán trước "
        "đã thấy (đỉnh nhánh, ngày thấy các mốc) không dùng được, nên một lần viết lại lịch sử "
        "trước đó có thể không còn hiện ra; kiểm toán lại từ đầu. Đối chiếu với báo cáo kiểm "
        "toán lần trước",
    )


def _is_ancestor(repo: Repo, old: str, new: str) -> bool:
    return repo.has_commit(old) and repo.is_ancestor(old, new)


def _on_first_parent_line(repo: Repo, old: str, new: str) -> bool:
    """Whether ``old`` (an ancestor of ``new``) is on ``new``'s first-parent line: the oldest
    of the first-parent commits since ``old`` has ``old`` as its first parent. A merge that
    took another line as its first parent and ``old`` as its second (a "foxtrot" merge)
    turns the audited line into a side branch."""
    since = repo.text("rev-list", "--first-parent", "--parents", new, f"^{old}", "--")
    lines = since.split("\n")
    oldest = [line for line in lines if line][-1:] or [f"{new} {old}"]
    return oldest[0].split()[1:2] == [old]


def _changes_governance(commit: Commit) -> bool:
    return any(path.startswith("governance/") for _, path in commit.files or [])


def _changes_rules(commit: Commit) -> bool:
    """Whether ``commit`` changed a file the rules, members or keys are read from (or put
    something in its place, a folder say)."""
    return any(
        path == rel or path.startswith(f"{rel}/")
        for _, path in commit.files or []
        for rel in _GOVERNANCE
    )


_TREES = 4096
"""First-parent commits whose trees the walk keeps (a branch that starts from an older one
has its first commit's files read from git)."""
_SETTLE_EVERY = 64
"""Commits waiting to be settled before the walk collects what the judges returned."""


class _Walk:
    """One pass over the new commits: the first-parent line in order, with every other commit
    looked up as the merges bring it; judging handed to ``Judges``, settled in order."""

    blobs: Blobs
    diffs: Diffs
    judges: Judges

    def __init__(
        self,
        repo: Repo,
        index: Index,
        store_in: Path | None,
        progress: Progress | None,
        keep_shapes: bool = False,
    ) -> None:
        self.repo = repo
        self.index = index
        self.store_in = store_in
        """Where to save every ``SEGMENT`` commits (None: keep nothing)."""
        self.progress = progress
        self.keep_shapes = keep_shapes
        """Whether the index should end with every record's last shape (for tests)."""
        self.chain: list[str] = []
        """First-parent commits since the last save."""
        self.unread: dict[str, str] = {}
        """Commits the second log listed and the walk has not needed yet, by id, unparsed."""
        self.fresh: dict[str, Commit] = {}
        """Commits brought by merges, parsed."""
        self.merges = 0
        self.pending: deque[tuple[int, Commit, Step]] = deque()
        self.judged: dict[int, Judged] = {}
        self.seq = 0
        self.now = datetime.now(UTC)
        self.last = datetime.fromisoformat(index.last_when) if index.last_when else None
        self.trees: dict[str, str] = {}
        """The trees of the latest first-parent commits (``_TREES`` of them), which the
        branches merged next most likely start from."""

    def run(self, revs: list[str]) -> None:
        index = self.index
        if index.trusted:
            self.judges.govern(index.trusted)
        freezer = Freezer()
        try:
            self._walk(revs, freezer)
        finally:
            freezer.thaw()
        index.shapes.update(self.judges.close(self.keep_shapes))
        self._settle(self.judges.results())
        assert not self.pending
        self._account()

    def _account(self) -> None:
        """Move what this run saw since the last save into the index's counts."""
        index = self.index
        index.mainline += self.chain
        index.count += len(self.chain)
        index.merges += self.merges
        self.merges = 0
        if self.last is not None:
            index.last_when = self.last.isoformat()

    def _save(self) -> None:
        """A save point of a long walk: everything judged and settled, then what it saw kept
        as a segment and the state as at the last commit read, so that an interrupted audit
        resumes here. What was saved leaves memory."""
        self._settle(self.judges.drain())
        assert not self.pending and self.store_in is not None
        chain = self.chain
        self._account()
        self.index.tip = chain[-1]
        save_segment(self.store_in, self.index, chain)
        for sha in chain:
            self.index.steps.pop(sha, None)
        self.index.mainline = [m for m in self.index.mainline if m in self.index.steps]
        self.chain = []

    def _walk(self, revs: list[str], freezer: Freezer) -> None:
        history = read_history(self.repo.root, revs)
        others = history.everything
        if self.progress is not None:
            self.progress.set_total(history.count)
        if history.count >= self.judges.parallel_after > 0:
            # Forked now, while this process is small: a worker forked later carries a copy
            # of all this process has read by then.
            self.judges.start()
        for commit in history.mainline:
            freezer.step()
            while self.unread.pop(commit.sha, None) is None:
                sha, record = next(others)
                self.unread[sha] = record
            self.merges += len(commit.parents) > 1
            self.chain.append(commit.sha)
            self._prepare(commit)
            if len(self.pending) >= _SETTLE_EVERY:
                self._settle(self.judges.results())
            if self.progress is not None:
                self.progress.advance()
            if self.store_in is not None and len(self.chain) >= SEGMENT:
                self._save()
        for _ in others:
            pass

    def _when(self, commit: Commit) -> datetime:
        """The commit's date on the first-parent line, and a finding where its own date runs
        backwards or lies in the future."""
        if commit.when is None:
            self.index.findings.append(
                AuditFinding(
                    "medium",
                    commit.sha,
                    "history.date_unreadable",
                    "ngày ghi trong commit không đọc được (dòng committer hỏng, hoặc múi giờ, "
                    "năm ngoài khoảng có thật): kiểm toán tính theo ngày của commit trước trên "
                    "nhánh chính (với commit đầu tiên: ngày kiểm toán)",
                )
            )
        written = commit.when or self.last or self.now
        if self.last is not None and written < self.last:
            self.index.findings.append(
                AuditFinding(
                    "medium",
                    commit.sha,
                    "history.date_backwards",
                    f"ngày ghi trong commit ({written:%d/%m/%Y %H:%M}) sớm hơn commit trước nó "
                    f"trên nhánh chính ({self.last:%d/%m/%Y %H:%M}): ngày đã bị ghi lùi (hoặc "
                    "commit trước ghi ngày về sau); kiểm toán xếp commit này theo ngày của commit "
                    "trước, còn hợp nhất có chữ ký của nền tảng được xét theo ngày nền tảng ghi",
                )
            )
            written = self.last
        if written > self.now + timedelta(days=1):
            self.index.findings.append(
                AuditFinding(
                    "medium",
                    commit.sha,
                    "history.date_future",
                    f"ngày ghi trong commit ({written:%d/%m/%Y}) ở sau ngày kiểm toán: kiểm toán "
                    "tính theo ngày của commit trước trên nhánh chính (với commit đầu tiên: ngày "
                    "kiểm toán), và không lấy ngày ghi đó làm mốc cho các commit sau",
                )
            )
            # A date no clock has reached yet proves nothing: the commit is dated no later than
            # the one before it, and the commits after it are held to that date, never to the
            # audit's day (which would judge every later merge's terms as of today).
            if self.last is None:
                return self.now
            written = self.last
        self.last = written
        return written

    def _prepare(self, commit: Commit) -> None:
        """Everything sequential about one first-parent commit: its kind, its date, the commits
        it brought, their approvals, and the job to judge (none when there is nothing)."""
        index = self.index
        files = commit.files or []
        merge = len(commit.parents) > 1
        # Terms begin and end on Vietnam's days, whatever zone the commit is written in.
        day = self._when(commit).astimezone(clock.VIETNAM).date()
        step = Step(
            commit.sha,
            "merge" if merge else "direct",
            day.isoformat(),
            commit.email,
            commit.subject,
            _merge_request(commit.message),
            [p for _, p in files],
        )
        self.seq += 1
        self.trees[commit.sha] = commit.tree
        if len(self.trees) > _TREES:
            del self.trees[next(iter(self.trees))]
        job = None
        if not commit.parents:
            step.kind = "root"
            self._follow_governance(commit)
            index.trusted = index.governance
            self.judges.govern(index.trusted)
            self._root_import(commit, step)
        elif files or merge:
            # A merge that changes no file still puts its branch's commits into the history
            # (their authors, their signed rejections are then no later merge's): whether the
            # forge made it is asked all the same.
            brought = self._range(commit) if merge else set()
            approvals, made = self._approvals(commit, brought, day) if merge else ([], [])
            for sha in brought:
                self.fresh.pop(sha, None)  # claimed once: never needed again
            job = self._job(commit, approvals, made, files, day)
            if merge and commit.when is not None and commit.when <= self.now + timedelta(days=1):
                job.own_day = commit.when.astimezone(clock.VIETNAM).date()
        self.pending.append((self.seq if job else 0, commit, step))
        if job is not None:
            governs = _changes_governance(commit)
            if governs:
                self._follow_governance(commit)
                self._against_trusted(job)
            self.judges.submit(job)
            if governs:
                # Later changes are judged by the governance this one leaves only if it was
                # approved: wait for its verdict (governance changes are rare).
                self._settle(self.judges.drain())
                self.judges.govern(index.trusted)
        for status, path in files:
            if path.startswith("cases/"):
                if status == "D":
                    index.known_paths.discard(path)
                else:
                    index.known_paths.add(path)

    def _follow_governance(self, commit: Commit) -> None:
        """The governance files after ``commit``, from the blob ids its diff gives (read by id:
        an object git cannot read stops the audit, never reads as an absent file). A path
        that is a symlink, a submodule or a folder there is a broken file (``not_regular``),
        as an invalid one is."""
        blobs = commit.blobs or {}
        modes = commit.modes or {}
        held = self.index.governance or (None,) * len(_GOVERNANCE)
        current = dict(zip(_GOVERNANCE, held, strict=True))
        odd = {
            rel: modes[rel]
            for rel in _GOVERNANCE
            if rel in blobs and modes.get(rel, _DELETED) not in (*REGULAR_MODES, _DELETED)
        }
        wanted = {rel: blobs[rel][1] for rel in _GOVERNANCE if rel in blobs and rel not in odd}
        ids = [b for b in wanted.values() if b != NO_OBJECT]
        contents = self.blobs.get_many(ids, large=ids)
        for rel, blob in wanted.items():
            current[rel] = None if blob == NO_OBJECT else contents[blob]
        # A diff of files shows a folder only by the files under it: ask git what the path is.
        folders = [rel for rel in _GOVERNANCE if any(p.startswith(f"{rel}/") for p in blobs)]
        if folders:
            entries = self.repo.entries(commit.sha, folders)
            for rel in folders:
                mode = entries[rel][0] if rel in entries else _DELETED
                if mode not in REGULAR_MODES:
                    current[rel] = None if mode == _DELETED else not_regular(mode)
        for rel, mode in odd.items():
            current[rel] = not_regular(mode)
        self.index.governance = tuple(current[rel] for rel in _GOVERNANCE)

    def _against_trusted(self, job: Job) -> None:
        """While the governance in force came from an unapproved change, a governance change is
        judged as the whole step from the trusted files to the new ones."""
        index = self.index
        if not index.taint:
            return
        changed = dict((p, s) for s, p in job.changed)
        for rel, old, new in zip(_GOVERNANCE, index.trusted, index.governance, strict=True):
            if old == new and rel not in changed:
                continue
            job.contents[rel] = (old, new)
            mode = not_regular_mode(new)
            if mode is not None:
                job.modes[rel] = mode  # refused as what it is, not for its stand-in's bytes
            if rel not in changed:
                status = "A" if old is None else ("D" if new is None else "M")
                job.changed.append((status, rel))
                job.blobs[rel] = (NO_OBJECT, NO_OBJECT)

    def _root_import(self, commit: Commit, step: Step) -> None:
        """A root commit is judged by nobody: what it brings beyond the governance files is an
        initial import, reported until an approved governance names it (``initial_import``)."""
        brought = [p for p in step.paths if not p.startswith("governance/")]
        governance, _ = load_governance_bytes(self.index.governance)
        settings = governance.settings
        if not brought or (settings is not None and settings.initial_import == commit.sha):
            return
        self.index.findings.append(
            AuditFinding(
                "medium",
                commit.sha,
                "history.root_import",
                f"commit gốc đưa vào {len(brought)} tệp ngoài tệp quản trị ({_some(brought)}) "
                "mà không qua xét duyệt nào: bản nhập ban đầu, hoặc lịch sử đã bị thay bằng một "
                "gốc mới. Kiểm tra một lần với bản gốc giấy và mốc kiểm toán; khi đã đúng, ghi "
                "mã commit này vào initial_import trong governance/settings.yaml",
            )
        )

    def _range(self, merge: Commit) -> set[str]:
        """The commits a merge brought: reachable from its second parent, not already on the
        branch (through the first-parent line or an earlier merge). Their files are known
        without asking git when the merge brought one commit whose tree it took as it is."""
        fresh = self.fresh
        found: set[str] = set()
        todo = list(merge.parents[1:])
        while todo:
            sha = todo.pop()
            if sha in found:
                continue
            record = self.unread.pop(sha, None)
            if record is None:
                continue  # before the commits this walk reads
            found.add(sha)
            fresh[sha] = commit_of(record)
            todo.extend(fresh[sha].parents)
        commits = [fresh[sha] for sha in found]
        for commit in commits:
            # Whether it changed files is all the judge asks of a brought commit: its tree
            # against its parent's, where this walk knows both, else git's diff.
            parent = commit.parents[0] if len(commit.parents) == 1 else ""
            before = fresh[parent].tree if parent in fresh else self.trees.get(parent)
            if before is not None:
                commit.changed = commit.tree != before
        self.diffs.files([c for c in commits if c.files is None and c.changed is None])
        return found

    def _approvals(
        self, merge: Commit, brought: set[str], when: date
    ) -> tuple[list[Approval], list[Made]]:
        """Approvals in a merge's message (trailers, counted only when the forge signed it),
        and the commits it brought, for the judge to read their signed approvals (verified
        against the keys as of its base) and their authors."""
        head = merge.sha
        block = trailer_block(merge.message)
        found = [Approval(email, "approve", "trailer", when, head) for email in _approved_by(block)]
        found += [
            Approval(
                login,
                "approve",
                "trailer",
                when,
                head,
                user_id=int(user_id) if user_id else None,
                forge=source,
            )
            for source, login, user_id in _hoso_approved(block)
        ]
        commits = [self.fresh[s] for s in _oldest_first(brought, self.fresh)]
        made = [Made(c.sha, c.parents, _changes_files(c), b"") for c in commits]
        return found, made

    def _job(
        self,
        commit: Commit,
        approvals: list[Approval],
        made: list[Made],
        files: list[tuple[str, str]],
        when: date,
    ) -> Job:
        index = self.index
        governance, _ = load_governance_bytes(index.trusted)
        base = commit.parents[0]
        taken = {
            p: [q for q in case_id_paths(p, governance) if q in index.known_paths]
            for s, p in files
            if s == "A" and p.startswith("cases/")
        }
        return Job(
            self.seq,
            commit.sha,
            base,
            commit.parents[1] if len(commit.parents) > 1 else commit.sha,
            files,
            approvals,
            made,
            taken,
            when,
            shapes={p: index.shapes.pop(p) for _, p in files if p in index.shapes},
            blobs={p: (commit.blobs or {})[p] for _, p in files},
            modes=dict(commit.modes or {}),
            merge=commit.raw if len(commit.parents) > 1 else b"",
        )

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
            if seq and self.judged[seq].forge is False:
                step.kind = "unsigned"
            if seq and self.judged[seq].unverifiable:
                index.unverifiable += 1
            if step.kind == "direct" and step.paths:
                index.findings.append(
                    AuditFinding(
                        "high",
                        commit.sha,
                        "history.direct_push",
                        f"thay đổi {_some(step.paths)} lên thẳng nhánh chính, không qua yêu "
                        f"cầu hợp nhất (tác giả {commit.email}, {_day(step.when)})",
                    )
                )
            if step.kind == "unsigned":
                what = (
                    f"thay đổi {_some(step.paths)}"
                    if step.paths
                    else "không thay đổi tệp nào nhưng đưa các commit của nhánh khác vào lịch "
                    "sử nhánh chính (các yêu cầu hợp nhất sau không còn mang chúng: tác giả, "
                    "yêu cầu sửa có chữ ký trong đó không còn được đọc),"
                )
                index.findings.append(
                    AuditFinding(
                        "high",
                        commit.sha,
                        "history.unsigned_merge",
                        f"hợp nhất {what} không có chữ ký của nền tảng "
                        "(khóa trong governance/settings.yaml): không chứng minh được đã qua yêu "
                        "cầu hợp nhất, coi như đẩy thẳng; các dòng phê duyệt trong lời commit "
                        f"không được tính (người tạo {commit.email}, {_day(step.when)})",
                        merge_request=step.merge_request,
                    )
                )
            if seq:
                judged = self.judged.pop(seq)
                step.approvals = judged.approvals
                step.ok = step.kind == "merge" and judged.mergeable
                _findings(index, commit, judged, step.merge_request)
                if _changes_governance(commit):
                    # Settled as soon as it is judged (see _prepare): index.governance is
                    # what this commit left.
                    if judged.mergeable and step.kind == "merge":
                        index.taint, index.trusted = "", index.governance
                        _acknowledge_root(index)
                    elif _changes_rules(commit):
                        # A note beside the governance files changes no rule: nothing
                        # after it is judged by what it brought.
                        index.taint = commit.sha
            index.steps[commit.sha] = step


def _changes_files(commit: Commit) -> bool:
    """Whether a commit's tree differs from its first parent's (a merge's or a root's always
    counts as a change)."""
    if len(commit.parents) != 1:
        return True
    return commit.changed if commit.changed is not None else bool(commit.files)


def _oldest_first(shas: set[str], commits: dict[str, Commit]) -> list[str]:
    """Parents before children (a topological order of the commits a merge brought)."""
    order: list[str] = []
    seen: set[str] = set()
    for start in sorted(shas):
        stack = [(start, False)]
        while stack:
            sha, done = stack.pop()
            if done:
                order.append(sha)
                continue
            if sha in seen or sha not in shas:
                continue
            seen.add(sha)
            stack.append((sha, True))
            stack.extend((p, False) for p in commits[sha].parents)
    return order


def _day(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _acknowledge_root(index: Index) -> None:
    """An approved governance that names the root commit as the initial import settles its
    finding (the root's own governance never can: a commit cannot name itself)."""
    governance, _ = load_governance_bytes(index.trusted)
    named = governance.settings.initial_import if governance.settings else None
    if named:
        index.findings = [
            f for f in index.findings if not (f.rule == "history.root_import" and f.commit == named)
        ]


def _some(paths: list[str], shown: int = 5) -> str:
    more = f" và {len(paths) - shown} tệp khác" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more


def _findings(index: Index, commit: Commit, judged: Judged, mr: str) -> None:
    if index.taint and commit.files:
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


_TRAILER_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*:[ \t]")


def trailer_block(message: str) -> str:
    """The message's last paragraph when every line of it is a ``Key: value`` trailer, else
    "": a title or a description written into the message elsewhere (an "Approved-by:" line
    in a merge request's title, say) is never read as an approval."""
    paragraphs = [p for p in message.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return ""
    last = paragraphs[-1].strip("\n")
    lines = last.split("\n")
    return last if all(_TRAILER_LINE.match(line) for line in lines) else ""


def _merge_request(message: str) -> str:
    match = _MR.search(message.split("\n", 1)[0]) or _MR.search(message)
    return next((g for g in match.groups() if g), "") if match else ""
