"""Judging the changes a walk through history found, in this process or on worker processes.

The walk prepares one ``Job`` per commit that touched records: everything sequential about it
(approvals, authors, ids already taken, the governance in force). A ``Judge`` reads the
versions itself, classifies and validates them with the gate's own ``evaluate``, and keeps
each record's last shape, so every version is parsed exactly once. Long walks hand the jobs
to one judge per core; a record's versions always go to the judge that saw its previous
version, and results come back in any order, numbered, for the walk to settle in order.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import multiprocessing.queues  # loaded now, not first when the workers start
import os
import queue
import signal
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from hoso.freezer import Freezer
from hoso.git import Repo
from hoso.review.approvals import Approval, latest
from hoso.review.changes import Shape, is_governance_path, is_record_path, shape
from hoso.review.elsewhere import carried_rejections
from hoso.review.gate import Evidence, Verdict, changed_since, evaluate, standing
from hoso.review.signed import Made
from hoso.review.signed import read as read_signed
from hoso.validate.cache import blob_id
from hoso.validate.governance_files import load_governance_bytes
from hoso.validate.record import parse
from hoso.workers import quiet_signals

from .forge import ForgeKeys, remove_keyrings
from .stream import NO_BLOB, Blobs

Contents = tuple[bytes | None, ...]
"""The governance files' bytes, in ``GOVERNANCE_FILES`` order."""


@dataclass
class Job:
    """One commit's changes to judge, and what the walk knew about them."""

    seq: int
    commit: str
    base: str
    head: str
    changed: list[tuple[str, str]]
    approvals: list[Approval]
    """The merge's trailers (the signed approval commits are among ``brought``)."""
    brought: list[Made]
    """The commits the merge brought (without their raw objects, which the judge reads):
    their signed approvals and their authors."""
    taken: dict[str, list[str]]
    today: date
    """The merge's date on the first-parent line: terms are judged as of it."""
    own_day: date | None = None
    """The day the merge's own date names (None where it cannot be read or lies in the
    future): a merge the forge signed is judged as of it, since the forge's clock wrote it, and
    a date an unsigned commit before it pushed forward (which ``today`` is held to) decides
    nothing about it."""
    shapes: dict[str, Shape] = field(default_factory=dict)
    """Shapes of earlier versions the judge does not hold (from the cached index)."""
    reread: set[str] = field(default_factory=set)
    """Paths whose earlier version the judge must read from git (another judge saw it)."""
    blobs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Blob ids (at ``base``, at ``commit``) of each changed path, as the log gave them."""
    modes: dict[str, str] = field(default_factory=dict)
    """The new mode of each changed path."""
    contents: dict[str, tuple[bytes | None, bytes | None]] = field(default_factory=dict)
    """Old and new contents given by the walk instead of read (a governance change judged
    against the trusted files)."""
    merge: bytes = b""
    """A merge's own object, for the judge to ask whether the forge signed it."""

    def specs(self, path: str) -> tuple[str | None, str | None]:
        """The blob ids of ``path`` at ``base`` and at ``commit``, for ``git cat-file``; None
        where it does not exist, for contents the walk gave, and for files that are neither
        records nor governance (only their blob ids matter)."""
        if path in self.contents or not (is_record_path(path) or is_governance_path(path)):
            return None, None
        before, after = self.blobs[path]
        return (None if before == NO_BLOB else before), (None if after == NO_BLOB else after)

    def base_blob(self, path: str) -> str | None:
        """The blob id of ``path`` at ``base``: what the merge replaced, which a signed
        approval names, even where the walk judges a governance change from the trusted files
        (``contents``)."""
        before = self.blobs[path][0]
        return None if before == NO_BLOB else before

    def head_blob(self, path: str) -> str | None:
        if path in self.contents:
            new = self.contents[path][1]
            return None if new is None else blob_id(new)
        after = self.blobs[path][1]
        return None if after == NO_BLOB else after


@dataclass
class Judged:
    """What the walk records of a judged job; small, to travel back cheaply."""

    seq: int
    mergeable: bool
    approvals: list[str]
    problems: list[tuple[str, str, str]]
    """(rule, message, path) for each error and each unmet approval."""
    forge: bool | None = None
    """Whether the forge signed the merge (None: not a merge, or no forge key to ask)."""
    unverifiable: bool = False
    """Whether its approvals rest on trailers no forge key could vouch for."""


class Judge:
    """Judges jobs against the governance in force, remembering each record's last shape."""

    def __init__(self, root: Path, blobs: Blobs) -> None:
        self.root = root
        self.blobs = blobs
        self.contents: Contents = ()
        self.shapes: dict[str, Shape] = {}
        self.ready: dict[str, bytes | None] = {}
        """Versions read ahead for the jobs at hand."""
        self._forge_keys: ForgeKeys | None = None
        self.keyrings: str | None = None
        """Where the forge's keyrings are made (the walk's folder, which it removes)."""
        self._forge_of: Contents = ()

    def govern(self, contents: Contents) -> None:
        self.contents = contents

    def judge_all(self, jobs: list[Job]) -> list[Judged]:
        """Judge jobs in order, reading their new versions and the commits their merges
        brought from git in one round trip."""
        news = [(p, j.specs(p)[1]) for j in jobs for _, p in j.changed]
        wanted = [s for _, s in news if s] + [c.sha for j in jobs for c in j.brought]
        large = {s for p, s in news if s and is_governance_path(p)}
        self.ready = self.blobs.get_many(wanted, large=large)
        return [self.judge(job) for job in jobs]

    def judge(self, job: Job) -> Judged:
        paths = [p for _, p in job.changed]
        known = {}  # earlier versions' shapes, standing in for their text
        for status, path in job.changed:
            if status == "M" and is_record_path(path) and path not in job.reread:
                found = self.shapes.get(path) or job.shapes.get(path)
                if found is not None:
                    known[path] = found
        specs = {p: job.specs(p) for p in paths}
        wanted = [s for p in paths for s in (specs[p][1], None if p in known else specs[p][0])]
        wanted += [c.sha for c in job.brought]
        contents = {s: self.ready.pop(s) for s in wanted if s in self.ready}
        large = {s for p in paths if is_governance_path(p) for s in specs[p] if s}
        asked = [s for s in wanted if s and s not in contents]
        contents.update(self.blobs.get_many(asked, large=large))
        new = {p: contents.get(specs[p][1] or "") for p in paths}
        old = {p: contents.get(specs[p][0] or "") for p in paths}
        for path, (before, after) in job.contents.items():
            old[path], new[path] = before, after
            known.pop(path, None)
        head_blobs = {p: job.head_blob(p) for p in paths}
        governance = load_governance_bytes(self.contents)[0]
        made = [replace(c, raw=contents[c.sha] or b"") for c in job.brought]
        forge = self._forge(governance, job) if job.merge else None
        today = job.own_day if forge and job.own_day is not None else job.today
        signed, authors = read_signed(made, governance, today)
        trailers = [
            replace(a, when=today) if forge is not False else replace(a, verified=False)
            for a in job.approvals
        ]
        repo = Repo(self.root)
        evidence = Evidence(
            root=self.root,
            base=job.base,
            head=job.head,
            merge_base=job.base,
            changed=job.changed,
            old=old,
            new=new,
            governance=governance,
            approvals=latest(trailers + signed),
            authors=authors,
            head_blobs=head_blobs,
            base_blobs={p: job.base_blob(p) for p in paths},
            reviewed={f"{job.commit}:{p}": head_blobs[p] for p in paths},
            taken=job.taken,
            today=today,
            modes=job.modes,
            old_shapes=known,
            hints=False,
            ancestor=_ancestor(job, repo),
            changed_since=changed_since(repo, job.base),
        )
        verdict = evaluate(evidence)
        shaped = {o.change.path: o.change.shape for o in verdict.outcomes if o.change.shape}
        for path, raw in new.items():
            if path in shaped:
                self.shapes[path] = shaped[path]
                continue
            data = parse(raw)[1] if raw is not None and path.startswith("cases/") else None
            if isinstance(data, dict):
                self.shapes[path] = shape(data)
            else:
                self.shapes.pop(path, None)
        judged = _summary(job.seq, verdict)
        carried = carried_rejections(repo, signed, set(paths), job.base, standing(repo, evidence))
        judged.problems += [("history.rejection_carried", text, "") for text in carried]
        judged.mergeable = judged.mergeable and not carried
        judged.forge = forge
        judged.unverifiable = forge is None and bool(job.merge) and bool(job.approvals)
        return judged

    def own_keyring(self) -> None:
        """In a new process: the forge's keyring inherited is the parent's to remove; this
        one makes its own when it needs one."""
        self._forge_keys, self._forge_of = None, ()

    def close(self) -> None:
        """Let go of the forge's keyring (and its gpg agent)."""
        if self._forge_keys is not None:
            self._forge_keys.close()
            self._forge_keys, self._forge_of = None, ()

    def _forge(self, governance: Any, job: Job) -> bool | None:
        """Whether the forge's key (as the trusted governance lists it) signed the merge."""
        if self._forge_keys is None or self._forge_of is not self.contents:
            if self._forge_keys is not None:
                self._forge_keys.close()
            self._forge_keys, self._forge_of = (
                ForgeKeys(self.root, governance, self.keyrings),
                self.contents,
            )
        if not self._forge_keys.configured:
            return None
        return self._forge_keys.made_by_forge(job.commit, job.merge)


def _summary(seq: int, verdict: Verdict) -> Judged:
    problems = []
    for outcome in verdict.outcomes:
        path = outcome.change.path
        problems += [("history.invalid_change", error, path) for error in outcome.errors]
        for need in outcome.needs:
            if need.met:
                continue
            missing = need.problem or (
                f"cần {need.needed} phê duyệt của {need.committee_name}, có {len(need.counted)}"
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
            problems.append(("history.approvals", text, path))
    return Judged(
        seq,
        verdict.mergeable,
        sorted(
            {
                f"{m.name} ({a.who}, {a.how})"
                for o in verdict.outcomes
                for n in o.needs
                for m, a in n.counted
            }
        ),
        problems,
    )


ALL = -1
"""Holder of a shape every judge has (it was judged before the workers started)."""


class Judges:
    """The judge in this process, or, for a walk of at least ``parallel_after`` commits, one
    worker per core (``start``).

    ``submit`` hands over a job (and waits for the workers when too many are outstanding);
    ``results`` returns what is judged so far."""

    def __init__(self, root: Path, blobs: Blobs, parallel_after: int = 2048) -> None:
        self.local = Judge(root, blobs)
        self.local.keyrings = tempfile.mkdtemp(prefix="hoso-forge-")
        self.root = root
        self.parallel_after = parallel_after if (os.cpu_count() or 1) > 1 else -1
        self.done: list[Judged] = []
        self.holder: dict[str, int] = {}
        self.workers: list[Any] = []
        self.inboxes: list[Any] = []
        self.outbox: Any = None
        self.buffers: list[list[Job]] = []
        self.outstanding = 0
        """Jobs sent to the workers and not yet returned."""

    def govern(self, contents: Contents) -> None:
        self.local.govern(contents)
        for n, inbox in enumerate(self.inboxes):
            self._flush(n)
            inbox.put(("govern", contents))

    def submit(self, job: Job) -> None:
        paths = [p for _, p in job.changed]
        if not self.workers:
            self.done.append(self.local.judge(job))
            return
        first = next((self.holder[p] for p in paths if self.holder.get(p, ALL) != ALL), None)
        spread = (paths[0] if paths else job.commit).encode()
        worker = first if first is not None else zlib.crc32(spread) % len(self.workers)
        for path in paths:
            held = self.holder.get(path, ALL)
            if held not in (ALL, worker):
                job.reread.add(path)
            self.holder[path] = worker
        self.buffers[worker].append(job)
        if len(self.buffers[worker]) >= _CHUNK:
            self._flush(worker)
        while self.outstanding > _AHEAD:
            self._receive(self._get())

    def results(self) -> list[Judged]:
        if self.workers:
            while True:
                try:
                    self._receive(self.outbox.get_nowait())
                except queue.Empty:
                    break
        done, self.done = self.done, []
        return done

    def drain(self) -> list[Judged]:
        """Everything submitted, judged: waits for the workers."""
        if self.workers:
            for n in range(len(self.workers)):
                self._flush(n)
            while self.outstanding > 0:
                self._receive(self._get())
        return self.results()

    def close(self, collect: bool = False) -> dict[str, Shape]:
        """Stop the workers; with ``collect``, the last shape of every record judged (else
        nothing travels back: a province's shapes are not worth the memory)."""
        if not self.workers:
            return dict(self.local.shapes) if collect else {}
        for n, inbox in enumerate(self.inboxes):
            self._flush(n)
            inbox.put(("stop", collect))
        held: dict[int, dict[str, Shape]] = {}
        while len(held) < len(self.workers):
            message = self._get()
            if message[0] == "shapes":
                held[message[1]] = message[2]
            else:
                self._receive(message)
        for process in self.workers:
            process.join()
        self.workers = []
        shapes = {p: s for p, s in self.local.shapes.items() if self.holder.get(p, ALL) == ALL}
        for path, worker in self.holder.items():
            if worker != ALL and path in held[worker]:
                shapes[path] = held[worker][path]
        return shapes

    def start(self) -> None:
        """One worker per core, from now on."""
        if self.workers or self.parallel_after < 0:
            return
        context = multiprocessing.get_context("fork")
        count = os.cpu_count() or 2
        self.outbox = context.Queue()
        self.holder = dict.fromkeys(self.local.shapes, ALL)
        for n in range(count):
            inbox = context.Queue()
            process = context.Process(
                target=_work, args=(n, self.local, inbox, self.outbox), daemon=True
            )
            process.start()
            self.inboxes.append(inbox)
            self.workers.append(process)
            self.buffers.append([])

    def _get(self) -> tuple[Any, ...]:
        """The next message from the workers; an error if one of them died."""
        while True:
            try:
                message: tuple[Any, ...] = self.outbox.get(timeout=1)
                return message
            except queue.Empty:
                if not all(p.is_alive() for p in self.workers):
                    raise RuntimeError("một tiến trình kiểm toán đã dừng bất thường") from None

    def _flush(self, worker: int) -> None:
        if self.buffers[worker]:
            self.inboxes[worker].put(("jobs", self.buffers[worker]))
            self.outstanding += len(self.buffers[worker])
            self.buffers[worker] = []

    def _receive(self, message: tuple[Any, ...]) -> None:
        if message[0] == "judged":
            self.done += message[1]
            self.outstanding -= len(message[1])
        elif message[0] == "failed":
            raise RuntimeError(f"một tiến trình kiểm toán gặp lỗi:\n{message[1]}")

    def __enter__(self) -> Judges:
        return self

    def __exit__(self, *_: object) -> None:
        self.local.close()
        for process in self.workers:
            process.kill()
            process.join()
        # A worker killed mid-walk never removed its keyring: its folder is in ours.
        if self.local.keyrings is not None:
            remove_keyrings(self.local.keyrings)
        # What is still queued for a killed worker is dropped, or this process would wait
        # at exit for a thread writing into a pipe that no one reads.
        for inbox in self.inboxes:
            inbox.cancel_join_thread()
            inbox.close()
        self.workers, self.inboxes = [], []


_CHUNK = 32
"""Jobs sent to a worker at a time."""


_AHEAD = 512
"""Jobs handed out and not yet judged before the walk waits for the workers."""


def _die_with(walk: int) -> None:
    """Ask the kernel (Linux) to kill this worker when the walk dies, however it dies (killed,
    out of memory): a worker can be waiting in the middle of a message the walk never ends,
    and would otherwise wait for ever, holding its memory and whoever reads the output."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != walk:  # already gone before that took effect
        os._exit(0)


_PR_SET_PDEATHSIG = 1


def _work(number: int, judge: Judge, inbox: Any, outbox: Any) -> None:
    """A worker: its own ``git cat-file``, the governance and shapes it inherited."""
    import traceback

    gc.freeze()  # what the worker inherited stays: the collector need not walk it again
    # Ctrl+C reaches the whole process group: the walk stops its workers, which say nothing.
    # SIGTERM ends a worker at once: the walk's own handler, inherited, would print a
    # traceback; the walk removes what its workers leave.
    quiet_signals()
    walk = os.getppid()
    _die_with(walk)
    freezer = Freezer()
    judge.blobs = Blobs(judge.root)
    judge.own_keyring()
    collected = False
    try:
        while True:
            try:
                what, payload = inbox.get(timeout=1)
            except queue.Empty:
                if os.getppid() != walk:  # the walk was killed: nobody waits for this work
                    return
                continue
            if what == "stop":
                collected = bool(payload)
                break
            if what == "govern":
                judge.govern(payload)
            else:
                outbox.put(("judged", judge.judge_all(payload)))
                freezer.step(len(payload))
        outbox.put(("shapes", number, judge.shapes if collected else {}))
    except Exception:
        outbox.put(("failed", traceback.format_exc()))
    finally:
        judge.close()
        judge.blobs.close()


def _ancestor(job: Job, repo: Repo) -> Callable[[str, str], bool]:
    """``Evidence.ancestor`` for a merge: whether a commit it brought holds its first parent
    is read from the brought commits' parents, without git (each signed approval asks). A
    parent the merge did not bring is already on the branch, so an ancestor of the first
    parent: it holds the first parent only by being it. Anything else is asked of git."""
    parents = {c.sha: c.parents for c in job.brought}
    held: dict[str, bool] = {}

    def reaches(commit: str) -> bool:
        todo, seen = [commit], set()
        while todo:
            sha = todo.pop()
            if sha == job.base:
                return True
            if sha in seen or sha not in parents:
                continue
            seen.add(sha)
            todo.extend(parents[sha])
        return False

    def ancestor(old: str, new: str) -> bool:
        if old != job.base or new not in parents:
            return repo.is_ancestor(old, new)
        if new not in held:
            held[new] = reaches(new)
        return held[new]

    return ancestor
