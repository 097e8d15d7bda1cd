"""What the audit knows of a branch, and how it is kept in ``.git/hoso``.

The state (tip, findings, the governance in force and trusted, dates) is small and read on
every run. What the audit saw of each first-parent commit (its kind, day, merge request,
counted approvals, verdict, and the records it changed) is kept in segments, written every
``SEGMENT`` commits of a long first audit (so an interrupted one resumes where it stopped)
and read only by those who need it (``hoso history``, the site). A segment is stored by
columns (ids as bytes, days as numbers, repeated approval names once), so the index of a
province's decade stays a few tens of megabytes. Everything is sealed (``store``).
"""

from __future__ import annotations

import errno
import hashlib
import re
from array import array
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from hoso import yamlio
from hoso.review.changes import Shape

from . import store

Severity = Literal["high", "medium", "low"]
FORMAT = 14
"""10: merges are judged with signed approvals bound to the content they replace (an index
made before judged stale approvals as counted, so it is worked out again). 11: an approval
in the earlier form counts where the target's line, at the newest commit the approval holds,
had the content the merge replaced (10 judged it stale once its branch took in the target).
12: an approval signed on a branch that has not taken in the target since counts only where
the target's line has not changed the file after the newest commit of it the approval holds
(11 counted an approval again once the file came back to the content it replaced). 13: a
merge of that line that took the file from a parent the approval holds is no such change, for
an approval naming the content replaced (12 judged stale an approval on a branch stacked on
another, signed after the other was merged). 14: a merge's day is Vietnam's day, whatever zone
its commit is written in; a commit dated in the future holds no later commit to the day of the
audit that read it; a merge the forge signed is judged on the day the forge wrote (13 judged
terms on the day in the commit's own zone, every commit after a future-dated one on the
audit's day, and a signed merge on a day an unsigned commit before it had pushed forward)."""
SEGMENT = 10_000
"""First-parent commits between two saves of a long first audit."""
_KINDS = {"root": b"r", "merge": b"m", "direct": b"d", "unsigned": b"u"}
_NAMES = {v[0]: k for k, v in _KINDS.items()}


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
    kind: Literal["root", "merge", "direct", "unsigned"]
    """``unsigned``: a merge the forge's keys did not sign (a direct push in all but name)."""
    when: str
    """The commit's date on the first-parent line: its committer date, but never earlier than
    its first parent's (a date that runs backwards is a finding) nor later than the audit."""
    author: str = ""
    """The author's e-mail, while the walk runs (not kept in the index)."""
    subject: str = ""
    merge_request: str = ""
    paths: list[str] = field(default_factory=list)
    approvals: list[str] = field(default_factory=list)
    ok: bool = True


@dataclass
class Index:
    """What the audit knows of a branch, up to ``tip``."""

    branch: str
    tip: str = ""
    mainline: list[str] = field(default_factory=list)
    """The first-parent line, oldest first (read from the segments when ``complete``)."""
    steps: dict[str, Step] = field(default_factory=dict)
    findings: list[AuditFinding] = field(default_factory=list)
    known_paths: set[str] = field(default_factory=set)
    """Case files on the branch as the walk goes (worked out, never stored)."""
    shapes: dict[str, Shape] = field(default_factory=dict)
    """Each record's last version on the branch, reduced (see ``changes.shape``): what the
    walk's judges held at the end (never stored: a later run reads a version it lacks)."""
    governance: tuple[bytes | None, ...] = ()
    taint: str = ""
    """A governance change in force that reached the branch without valid approval."""
    trusted: tuple[bytes | None, ...] = ()
    """The governance files as they last stood with valid approval: every change is judged by
    these, never by what an unapproved change wrote (which might approve itself)."""
    segments: list[str] = field(default_factory=list)
    complete: bool = False
    """Whether ``mainline`` and ``steps`` hold the whole history (else only this run's)."""
    count: int = 0
    """Commits on the first-parent line audited so far."""
    merges: int = 0
    last_when: str = ""
    """The date of the newest commit audited, on the first-parent line (see ``Step.when``)."""
    unverifiable: int = 0
    """Merges whose approvals rested on trailers that no forge key could vouch for."""
    checkpoints: dict[str, str] = field(default_factory=dict)
    """Each checkpoint tag object seen, to the day the audit first saw it."""
    sealed: dict[str, str] = field(default_factory=dict)
    """Each segment's name to the digest of its sealed bytes: the state (sealed itself) says
    which segment belongs where, so one cannot stand in for another."""
    unsaved: str = ""
    """Why what this run saw could not be kept (never stored): said as a finding."""
    root: str = ""
    """The first commit of the line, where the history starts (never stored: read from the
    first segment), for the auditor to compare with a copy kept elsewhere."""


def cache_path(root: Path, branch: str) -> Path:
    """The index of ``branch``. A name with other characters than letters, digits, ``_.-``
    (``origin/main``, ``chính``) also carries a digest of itself, so that two such names never
    share an index (``chính`` and ``chỉnh``, ``origin/main`` and ``origin_main``). A worktree
    keeps its own, in the git directory its ``.git`` file names."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", branch)
    if safe != branch:
        safe += "-" + hashlib.sha256(branch.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = f"audit-{safe}.idx"
    # In the git directory (a worktree's own, which its .git file names), as the validation
    # cache is; where none can be found, a place that cannot be written (nothing is kept).
    from hoso.validate.cache import location

    return location(root, name) or root / ".git" / "hoso" / name


_STATE = (
    "tip",
    "findings",
    "governance",
    "taint",
    "trusted",
    "segments",
    "count",
    "merges",
    "last_when",
    "unverifiable",
    "checkpoints",
    "sealed",
)


def _state(stored: Any, branch: str) -> bool:
    """Whether an unsealed value is a state of this format for ``branch`` (not another
    branch's, not a segment or another of hoso's sealed files put in its place)."""
    return (
        isinstance(stored, dict)
        and stored.get("format") == FORMAT
        and stored.get("branch") == branch
        and all(key in stored for key in _STATE)
    )


def _earlier(stored: Any, branch: str) -> bool:
    """Whether an unsealed value is a state an earlier version of hoso wrote for ``branch``
    (before format 9 a state did not name its branch)."""
    return (
        isinstance(stored, dict)
        and isinstance(stored.get("format"), int)
        and stored["format"] < FORMAT
        and stored.get("branch", branch) == branch
        and "tip" in stored
        and isinstance(stored.get("findings"), list)
    )


def load(root: Path, branch: str, complete: bool) -> Index | None:
    """The stored index: its state, and with ``complete`` every segment (None when there is
    none, or any part is missing, stale or does not verify)."""
    path = cache_path(root, branch)
    raw = store.read(path)
    if not _as_noted(path, raw):
        return None  # not the state this machine last wrote: ``unverifiable`` says so
    stored = store.unseal(raw)
    if not _state(stored, branch):
        return None  # ``unverifiable`` says when something else stands in its place
    index = Index(branch, **{key: stored[key] for key in _STATE})
    if complete:
        for name in index.segments:
            raw = store.read(path.parent / name)
            if raw is None or hashlib.sha256(raw).hexdigest() != index.sealed.get(name):
                return None  # missing, or another segment in its place
            segment = store.unseal(raw)
            if not isinstance(segment, dict) or segment.get("format") != FORMAT:
                return None
            if segment.get("branch") != branch:
                return None
            _unpack(segment, index)
        if len(index.mainline) != index.count or (index.count and index.mainline[-1] != index.tip):
            return None  # a segment left out, or one of an earlier state
        index.complete = True
    return index


def first_commit(root: Path, index: Index) -> str:
    """The oldest commit of the line: this run's first where nothing was kept before, else the
    first of the first segment (verified as ``load`` verifies it); "" where it cannot be read."""
    if not index.segments or index.complete:
        return index.mainline[0] if index.mainline else ""
    name = index.segments[0]
    raw = store.read(cache_path(root, index.branch).parent / name)
    if raw is None or hashlib.sha256(raw).hexdigest() != index.sealed.get(name):
        return ""
    segment = store.unseal(raw)
    if not isinstance(segment, dict) or segment.get("branch") != index.branch:
        return ""
    shas = segment.get("shas")
    return shas[:20].hex() if isinstance(shas, bytes) and len(shas) >= 20 else ""


def unverifiable(root: Path, branch: str) -> str | None:
    """What stands where the state should be, when it is not a state of this branch: a file
    whose seal does not verify (edited, damaged, made on another machine, or this auditor's
    key gone), another branch's state, another sealed file put in its place, or no state at
    all beside this branch's segments (deleted); None otherwise."""
    path = cache_path(root, branch)
    raw = store.read(path)
    if not _as_noted(path, raw):
        if raw is None:
            return f"{path} (đã bị xóa; máy này đã lưu nó ở lần kiểm toán trước)"
        return (
            f"{path} (không phải bản máy này lưu lần cuối: một bản cũ hơn hoặc của nơi khác "
            "đã được đặt vào chỗ của nó)"
        )
    if raw is None:
        own = re.compile(re.escape(path.stem) + r"-[0-9a-f]{16}\.seg")
        try:
            left = any(own.fullmatch(p.name) for p in path.parent.iterdir())
        except OSError:  # no folder yet (a first audit), or one that cannot be listed
            left = False
        if left:
            return f"{path} (đã bị xóa, còn các phần của nó)"
        return None
    stored = store.unseal(raw)
    if _state(stored, branch) or _earlier(stored, branch):
        return None
    return str(path)


def _as_noted(path: Path, raw: bytes | None) -> bool:
    """Whether ``raw`` (None: no file) is the state this machine last wrote at ``path``, as
    its state folder noted (anything goes where nothing was noted): an older state sealed
    with the same key, put back after the history it saw was rewritten, would otherwise let
    the rewrite pass unseen, and so would deleting the whole index."""
    noted = store.noted(path)
    if noted is None:
        return True
    return raw is not None and hashlib.sha256(raw).hexdigest() == noted


def carried(root: Path, branch: str, rules: tuple[str, ...]) -> tuple[list[Any], dict[str, str]]:
    """What a state sealed by an earlier version of hoso for this branch remembers that a walk
    of the history cannot find again (the findings of ``rules``, the days checkpoints were
    first seen): kept when the index is made again in the new format."""
    stored = store.unseal(store.read(cache_path(root, branch)))
    if not _earlier(stored, branch):
        return [], {}
    kept = [f for f in stored["findings"] if isinstance(f, AuditFinding) and f.rule in rules]
    seen = stored.get("checkpoints")
    days = {str(k): str(v) for k, v in seen.items()} if isinstance(seen, dict) else {}
    return kept, days


def save_segment(root: Path, index: Index, chain: list[str]) -> None:
    """Keep what the walk saw of ``chain`` (the first-parent commits since the last save) as a
    new segment, then the state that names every segment."""
    if chain:
        name = f"{cache_path(root, index.branch).stem}-{chain[-1][:16]}.seg"
        sealed = _written(root, index, name, {**_pack(index, chain), "branch": index.branch})
        if sealed is None:
            return  # the state keeps naming what is there
        index.segments = [*index.segments, name]
        index.sealed = {**index.sealed, name: hashlib.sha256(sealed).hexdigest()}
    save_state(root, index)


def save_state(root: Path, index: Index) -> None:
    """Write the small state of the index (tip, findings, segments, checkpoints seen)."""
    state = {"format": FORMAT, "branch": index.branch}
    state.update((key, getattr(index, key)) for key in _STATE)
    path = cache_path(root, index.branch)
    sealed = _written(root, index, path.name, state)
    if sealed is None:
        return
    try:
        store.note(path, sealed)
    except OSError as exc:
        index.unsaved = f"không ghi được dấu của chỉ mục bên cạnh khóa kiểm toán: {_said(exc)}"


def _written(root: Path, index: Index, name: str, value: dict[str, Any]) -> bytes | None:
    """``value`` sealed and written as ``name`` beside the index; None, with the reason in
    ``index.unsaved``, when it could not be."""
    sealed = store.seal(value)
    if sealed is None:
        try:
            where = f" ({store.key_path()})"
        except RuntimeError:  # no home folder
            where = " (không có thư mục nhà để giữ khóa)"
        index.unsaved = f"không có khóa kiểm toán{where} và không tạo được"
        return None
    where_file = cache_path(root, index.branch).parent / name
    try:
        yamlio.write_bytes_atomic(where_file, sealed)
    except OSError as exc:
        index.unsaved = f"không ghi được {where_file}: {_said(exc)}"
        return None
    return sealed


_ERRNO = {
    errno.ENOSPC: "đĩa đầy",
    errno.EDQUOT: "hết hạn mức đĩa",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.ENOTDIR: "đường dẫn không phải thư mục",
    errno.EISDIR: "đã có một thư mục trùng tên",
}


def _said(exc: OSError) -> str:
    """What went wrong, in Vietnamese (the system's own words after it, for whoever fixes it)."""
    words = _ERRNO.get(exc.errno or 0, "lỗi hệ thống")
    return f"{words} ({exc.strerror or exc})"


def _pack(index: Index, chain: list[str]) -> dict[str, Any]:
    steps = [index.steps[sha] for sha in chain]
    names: dict[tuple[str, ...], tuple[str, ...]] = {}
    touched: dict[str, list[int]] = {}
    for n, step in enumerate(steps):
        for path in step.paths:
            touched.setdefault(path, []).append(n)
    return {
        "format": FORMAT,
        "shas": b"".join(bytes.fromhex(s) for s in chain),
        "kinds": b"".join(_KINDS[s.kind] for s in steps),
        "days": array("I", (date.fromisoformat(s.when).toordinal() for s in steps)),
        "requests": [s.merge_request for s in steps],
        "ok": bytes(s.ok for s in steps),
        # The same approvals recur: each distinct tuple is pickled once, then referenced.
        "approvals": [names.setdefault(tuple(s.approvals), tuple(s.approvals)) for s in steps],
        "touched": {p: array("I", ns) for p, ns in touched.items()},
    }


def _unpack(segment: dict[str, Any], index: Index) -> None:
    raw = segment["shas"]
    chain = [raw[i : i + 20].hex() for i in range(0, len(raw), 20)]
    steps = [
        Step(
            sha,
            _NAMES[segment["kinds"][n]],  # type: ignore[arg-type]
            date.fromordinal(segment["days"][n]).isoformat(),
            merge_request=segment["requests"][n],
            approvals=list(segment["approvals"][n]),
            ok=bool(segment["ok"][n]),
        )
        for n, sha in enumerate(chain)
    ]
    for path, positions in segment["touched"].items():
        for n in positions:
            steps[n].paths.append(path)
    index.mainline += chain
    index.steps.update((s.sha, s) for s in steps)
