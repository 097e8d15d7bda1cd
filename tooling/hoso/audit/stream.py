"""Reading history from a fixed set of git processes, never one per commit: the first-parent
line with its files (``mainline``), every other commit without files (``everything``), the files
of the few commits the main line cannot vouch for (``Diffs``) and blob contents (``Blobs``)."""

from __future__ import annotations

import contextlib
import queue
import subprocess
import threading
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Self

from hoso.commits import parse as parse_commit
from hoso.git import (
    BrokenRepository,
    altered_object,
    check_hash,
    environment,
    hashing,
    missing_object,
)
from hoso.git import _explain as explain
from hoso.yamlio import GOVERNANCE_MAX_BYTES, MAX_BYTES, Oversized

FORMAT = "--format=%H %T %P"
"""Hex only: a commit's id, tree and parents, which no message can imitate; everything else
is read from the commit object (``hoso.commits``)."""
_DIFF_TREE = [
    "git",
    "diff-tree",
    "--stdin",
    "-r",
    "--root",
    "--always",
]


@dataclass
class Commit:
    """One commit as the audit needs it."""

    sha: str
    parents: list[str]
    tree: str
    email: str = ""
    """The author's e-mail, as the commit states it (filled from the object)."""
    name: str = ""
    when: datetime | None = None
    """The committer's date, as written by whoever made the commit (never trusted alone)."""
    committer: str = ""
    message: str = ""
    files: list[tuple[str, str]] | None = None
    """(status, path) against the first parent; None until known."""
    blobs: dict[str, tuple[str, str]] | None = None
    """Each file's blob ids (before, after) against the first parent; ``NO_BLOB`` where the
    file is absent. Reading a blob by its id spares git a walk through the trees."""
    modes: dict[str, str] | None = None
    """Each file's mode after the commit ("000000" where it is deleted)."""
    raw: bytes = b""
    """The commit object, where it was read (the main line's commits)."""
    changed: bool | None = None
    """Whether its tree differs from its first parent's, where the walk could tell without
    its files."""

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    def read_body(self, raw: bytes) -> None:
        """Everything else from the commit object itself, tree and parents included."""
        self.raw = raw
        body = parse_commit(raw)
        self.tree, self.parents = body.tree, list(body.parents)
        self.email, self.name = body.author_email, body.author_name
        self.when, self.committer, self.message = (
            body.committer_when,
            body.committer_email,
            body.message,
        )


SPAN = 1_000
"""First-parent commits read by one pair of git processes. git keeps what it has read until it
exits: a fresh pair for each span holds their memory to a span's worth, however long the
history. At 50,000 cases the whole audit peaked at about 430 MB with spans of 5,000, 401 MB
with 2,000 and 380 MB with 1,000, in the same time; starting git costs milliseconds."""


@dataclass
class History:
    """What an audit reads: ``count`` first-parent commits, the line itself (``mainline``)
    and every commit (``everything``)."""

    count: int
    mainline: Iterator[Commit]
    everything: Iterator[tuple[str, str]]


def read_history(root: Path, revs: Sequence[str]) -> History:
    """The first-parent line of ``revs`` and every commit of ``revs``, read span by span: git
    holds one span's worth, however long the history."""
    line = _first_parent_line(root, revs)
    count = len(line) // 40
    ends = range(count, 0, -SPAN)
    # The newest commit of each span: the line runs newest first.
    tips = [line[max(end - SPAN, 0) * 40 :][:20].hex() for end in ends]
    return History(count, mainline(root, line, ends), everything(root, revs, tips))


def mainline(root: Path, line: bytes, ends: range) -> Iterator[Commit]:
    """The first-parent line, oldest first, each commit with its files against its first
    parent and its body read from the object: the walk an auditor would do by hand.

    The line is listed newest first (``git rev-list`` streams it, keeping nothing), kept as
    40 bytes a commit and read back oldest first, span by span (``ends``), by a ``git
    diff-tree`` and a ``git cat-file`` working side by side (``git log --reverse`` would hold
    every commit it lists in memory until it has found the first)."""
    for end in ends:
        first = max(end - SPAN, 0)
        yield from _span(root, [line[n * 40 : n * 40 + 40] for n in range(end - 1, first - 1, -1)])


def _first_parent_line(root: Path, revs: Sequence[str]) -> bytes:
    """Each first-parent commit's id and its first parent's (zeros for a root), newest first."""
    command = ["git", "rev-list", "--first-parent", "--parents", *revs, "--"]
    line = bytearray()
    errors: list[bytes] = []
    with subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment()
    ) as proc:
        stdout, stderr = proc.stdout, proc.stderr
        assert stdout is not None and stderr is not None
        reader = threading.Thread(target=_read_into, args=(stderr, errors), daemon=True)
        reader.start()
        for raw in stdout:
            ids = raw.split()
            line += bytes.fromhex(ids[0].decode()) + (
                bytes.fromhex(ids[1].decode()) if len(ids) > 1 else bytes(20)
            )
        proc.wait()
        reader.join()
    if proc.returncode != 0:
        error = b"".join(errors).decode("utf-8", "replace").strip()
        raise explain(error, proc.returncode, command)
    return bytes(line)


def _read_into(stream: IO[bytes], out: list[bytes]) -> None:
    """What ``stream`` holds, appended to ``out``; nothing when it is closed under the
    reader (the audit stopped by a signal)."""
    with contextlib.suppress(OSError, ValueError):
        out.append(stream.read())


def _span(root: Path, ids: list[bytes]) -> Iterator[Commit]:
    """``ids`` (each a commit's and its first parent's, oldest first) as commits with files
    and bodies, from one ``git diff-tree`` and one ``git cat-file``, each fed by a thread."""
    diffs = [
        (ids_[:20].hex() + (f" {ids_[20:].hex()}" if any(ids_[20:]) else "") + "\n").encode()
        for ids_ in ids
    ]
    # The first commit against itself: a header with no files after the last commit, which
    # marks its end. (End of input cannot: a worker forked meanwhile holds the pipe open.)
    diffs.append(f"{ids[0][:20].hex()} {ids[0][:20].hex()}\n".encode())
    objects = [ids_[:20].hex().encode() + b"\n" for ids_ in ids]
    with (
        _fed(root, [*_DIFF_TREE, "--no-renames"], diffs) as differ,
        _fed(root, ["git", "cat-file", "--batch"], objects) as reader,
    ):
        assert differ.stdout is not None and reader.stdout is not None
        changes = _diff_records(differ.stdout)
        for sha, parent in ((i[:20].hex(), i[20:]) for i in ids):
            header, files = next(changes, ("", []))
            if header != sha:
                raise _stopped("diff-tree")
            raw = _answer(reader.stdout, sha)
            assert raw is not None  # strict: a missing object raised
            commit = Commit(sha, [], "")
            commit.read_body(raw)
            if commit.parents[:1] != ([parent.hex()] if any(parent) else []):
                raise _lied(sha)
            _read_raw(commit, files)
            yield commit


@contextlib.contextmanager
def _fed(
    root: Path, command: list[str], requests: list[bytes]
) -> Iterator[subprocess.Popen[bytes]]:
    """A git process whose standard input a thread writes, then closes; git writes each
    answer out as it is done."""
    proc = subprocess.Popen(
        command,
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**environment(), "GIT_FLUSH": "1"},
    )
    stdin = proc.stdin
    assert stdin is not None

    def feed() -> None:
        with contextlib.suppress(OSError, ValueError):  # git stopped: the reader will say so
            for request in requests:
                stdin.write(request)
            stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()
        feeder.join()


def _diff_records(stream: IO[bytes]) -> Iterator[tuple[str, list[str]]]:
    """Each commit ``git diff-tree --stdin`` printed: its id line, then its raw diff lines."""
    header: str | None = None
    files: list[str] = []
    for raw in stream:
        line = raw.decode("utf-8", "surrogateescape").rstrip("\n")
        if line.startswith(":"):
            files.append(line)
            continue
        if header is not None:
            yield header, files
        header, files = line, []
    if header is not None:
        yield header, files


def _stopped(command: str) -> BrokenRepository:
    """git stopped answering: it could not read an object it needed (exit status 3)."""
    return BrokenRepository(f"git {command} dừng giữa chừng: kho có thể hỏng (chạy 'git fsck')")


def _lied(sha: str) -> BrokenRepository:
    """git listed a first parent that the commit object does not name: something in the
    clone (a commit-graph file written by hand) tells git other parents than the objects."""
    return BrokenRepository(
        f"commit {sha}: cha thứ nhất git liệt kê khác với cha ghi trong chính đối tượng commit "
        "(tệp .git/objects/info/commit-graph bị sửa?); kho không đọc được như nó vốn có "
        "(chạy 'git fsck')"
    )


def _answer(
    stream: IO[bytes], spec: str, strict: bool = True, blob_cap: int = MAX_BYTES
) -> bytes | None:
    """One answer of ``git cat-file --batch``: the object's bytes. git's "missing" is a broken
    repository when ``strict`` (an object id, which must exist), else None (a ``rev:path``
    that may be absent)."""
    header = stream.readline().decode("ascii", "replace").rstrip("\n")
    if not header:
        raise _stopped("cat-file")
    if header.endswith((" missing", " ambiguous")):
        if strict:
            raise missing_object(spec)
        return None
    oid, kind, size_text = header.split()
    size = int(size_text)
    if size > (blob_cap if kind == "blob" else _CAP.get(kind, MAX_BYTES)):
        return _skipped(stream, oid, kind, size)
    raw = stream.read(size)
    stream.read(1)
    if len(raw) != size:
        raise _stopped("cat-file")
    check_hash(oid, kind, raw)
    return raw


_CAP = {"blob": MAX_BYTES, "commit": 64 * MAX_BYTES}
"""The most of an object read whole: a record is refused past ``MAX_BYTES`` (a governance
file, asked for as ``large``, past ``GOVERNANCE_MAX_BYTES``); a commit (a merge with a long
message and its signature) is read whole up to far more."""


def _skipped(stream: IO[bytes], oid: str, kind: str, size: int) -> Oversized:
    """An object larger than it may be: its first bytes kept, the rest read past in pieces
    (hashed on the way, so that it too must be the object its id names), so memory never
    holds it (a 200 MB file under ``cases/`` is refused all the same, for its size)."""
    found = hashing(oid, kind, size)
    head = stream.read(MAX_BYTES + 1)
    found.update(head)
    left = size - len(head)
    while left > 0:
        piece = stream.read(min(left, MAX_BYTES))
        if not piece:
            raise _stopped("cat-file")
        found.update(piece)
        left -= len(piece)
    stream.read(1)
    if len(head) != MAX_BYTES + 1:
        raise _stopped("cat-file")
    if found.hexdigest() != oid:
        raise altered_object(oid)
    return Oversized.of(head, size)


def everything(root: Path, revs: Sequence[str], tips: list[str]) -> Iterator[tuple[str, str]]:
    """Every commit of ``revs``, parents before children, without files or bodies (cheap): its
    id and its line, for ``commit_of`` to parse when it is needed. One ``git log`` a span
    (``tips``: the last first-parent commit of each), each from that tip down to the last:
    a span's commits come after everything the span before it reached."""
    excluded = [rev for rev in revs if rev.startswith("^")]
    below = excluded
    for tip in tips:
        for record in _log(root, ["--topo-order", "--reverse"], [tip, *below]):
            yield record[:40], record
        # What ``revs`` excludes stays excluded in every span: a span's tip need not reach it
        # (a merge whose first parent is another line).
        below = [*excluded, f"^{tip}"]


def _log(root: Path, options: list[str], revs: Sequence[str]) -> Iterator[str]:
    command = ["git", "log", *options, FORMAT, *revs, "--"]
    with subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment()
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        yield from _records(proc.stdout)
        error = proc.stderr.read().decode("utf-8", "replace")
    if proc.returncode not in (0, None):
        raise explain(error.strip(), proc.returncode, command)


_HEX = frozenset("0123456789abcdef")


def _is_commit_line(line: str) -> bool:
    """A line of ``FORMAT``: ids only (a raw diff line starts with a colon)."""
    return len(line) >= 81 and line[40] == " " and set(line.replace(" ", "")) <= _HEX


def _records(stream: IO[bytes]) -> Iterator[str]:
    """One string per commit of ``stream``: its ``FORMAT`` line and its raw diff lines, read
    ahead by a thread so that git never waits on a full pipe while this process is busy."""
    # Bounded: git waits on its pipe rather than the whole log piling up in memory.
    chunks: queue.Queue[bytes] = queue.Queue(maxsize=16)

    def pump() -> None:
        with contextlib.suppress(OSError, ValueError):  # closed early: the reader stopped
            while chunk := stream.read1(1 << 20):  # type: ignore[attr-defined]
                chunks.put(chunk)
        chunks.put(b"")

    threading.Thread(target=pump, daemon=True).start()
    rest = b""
    current: list[str] = []
    while True:
        chunk = chunks.get()
        if chunk:
            rest += chunk
            lines = rest.split(b"\n")
            rest = lines.pop()
        else:
            lines, rest = ([rest] if rest else []), b""
        for raw in lines:
            line = raw.decode("utf-8", "surrogateescape")
            if _is_commit_line(line):
                if current:
                    yield "\n".join(current)
                current = [line]
            elif line and current:
                current.append(line)
        if not chunk:
            break
    if current:
        yield "\n".join(current)


GITLINK = "160000"
"""The mode git gives a submodule."""
NO_BLOB = "0" * 40
"""The blob id git's raw diff gives a file that does not exist on that side."""


def commit_of(record: str) -> Commit:
    """A commit from its ``FORMAT`` line, then its ``--raw`` diff lines if any (its body is
    read from the object separately)."""
    first, _, after = record.partition("\n")
    sha, tree, *parents = first.split()
    commit = Commit(sha, parents, tree)
    if after:
        _read_raw(commit, [line for line in after.split("\n") if "\t" in line])
    return commit


def _unquote(path: str) -> str:
    """A path as git quotes one with special characters ("a\\tb", octal bytes)."""
    if not (len(path) >= 2 and path[0] == '"' and path[-1] == '"'):
        return path
    data = path[1:-1].encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    simple = {ord(k): v for k, v in {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12,
                                        "r": 13, '"': 34, "\\": 92}.items()}  # fmt: skip
    while i < len(data):
        byte = data[i]
        if byte == 92 and i + 1 < len(data):
            nxt = data[i + 1]
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            if 48 <= nxt <= 55 and i + 3 < len(data) + 1:
                out.append(int(data[i + 1 : i + 4], 8) & 0xFF)
                i += 4
                continue
        out.append(byte)
        i += 1
    return out.decode("utf-8", "surrogateescape")


def _read_raw(commit: Commit, lines: list[str]) -> None:
    """``files`` and ``blobs`` from raw diff lines (``:mode mode before after status\tpath``)."""
    commit.files, commit.blobs, commit.modes = [], {}, {}
    for line in lines:
        meta, quoted = line.split("\t", 1)
        path = _unquote(quoted)
        old_mode, mode, before, after, status = meta.split(" ", 4)
        commit.files.append((status[0], path))
        # A submodule's id names a commit of another repository: there is nothing to read.
        before = NO_BLOB if old_mode.endswith(GITLINK) else before
        after = NO_BLOB if mode == GITLINK else after
        commit.blobs[path] = (before, after)
        commit.modes[path] = mode


class _Kept:
    """A git process kept open, fed requests on its standard input; closed on leaving.

    git keeps what it has read until it exits, so after ``RENEW`` requests the process is
    replaced by a fresh one: its memory stays what that many requests need, however long
    the walk."""

    RENEW = 1_000

    def __init__(self, root: Path, command: list[str]) -> None:
        self._root, self._command = root, command
        self._served = 0
        self._proc = self._open()

    def _open(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self._command,
            cwd=self._root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**environment(), "GIT_FLUSH": "1"},
        )

    def _renewed(self, requests: int) -> None:
        """Count ``requests`` about to be made, first replacing a process that has served
        its share."""
        if self._served + requests > self.RENEW and self._served:
            # Killed, not closed: every answer asked for is read, and a worker forked since
            # this process started holds its input open, so it would never see the end.
            self._proc.kill()
            self._proc.wait()
            self._proc = self._open()
            self._served = 0
        self._served += requests

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Diffs(_Kept):
    """``git diff-tree --stdin`` kept open: the files of commits the main line does not show."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, [*_DIFF_TREE, "--no-renames"])

    def files(self, commits: list[Commit]) -> None:
        """Fill in ``files`` and ``blobs`` of each commit (against its first parent), in one
        round trip.

        Each request prints one header line, then its files; a last request comparing the
        first commit with itself prints a header and nothing else, and marks the end."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        if not commits:
            return
        self._renewed(len(commits))
        requests = [f"{c.sha} {c.parents[0]}" if c.parents else c.sha for c in commits]
        requests.append(f"{commits[0].sha} {commits[0].sha}")
        self._proc.stdin.write("".join(f"{r}\n" for r in requests).encode())
        self._proc.stdin.flush()
        changes = _diff_records(self._proc.stdout)
        for commit in commits:
            header, files = next(changes, ("", []))
            if header != commit.sha:
                raise _stopped("diff-tree")
            _read_raw(commit, files)


class Blobs(_Kept):
    """``git cat-file --batch`` kept open: contents of ``rev:path`` specs or blob ids on
    demand."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, ["git", "cat-file", "--batch"])

    def get(self, spec: str, strict: bool = True) -> bytes | None:
        return self.get_many([spec], strict)[spec]

    def get_many(
        self, specs: list[str], strict: bool = True, large: Collection[str] = ()
    ) -> dict[str, bytes | None]:
        """Several specs in one round trip: all requests written, then all answers read.

        ``strict`` (object ids, which must exist): git's "missing" is a broken repository.
        Otherwise (``rev:path``) it is None, for a path that may be absent. Those in ``large``
        (governance files) are read whole up to ``GOVERNANCE_MAX_BYTES``, the others up to a
        record's ``MAX_BYTES``."""
        self._renewed(len(specs))
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(b"".join(s.encode() + b"\n" for s in specs))
        self._proc.stdin.flush()
        return {
            spec: _answer(
                self._proc.stdout,
                spec,
                strict,
                GOVERNANCE_MAX_BYTES if spec in large else MAX_BYTES,
            )
            for spec in specs
        }
