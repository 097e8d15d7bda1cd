"""Reading history from a fixed set of git processes, never one per commit: the first-parent
line with its files (``mainline``), every other commit without files (``everything``), the files
of the few commits the main line cannot vouch for (``Diffs``) and blob contents (``Blobs``)."""

from __future__ import annotations

import contextlib
import queue
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Self

from hoso.commits import parse as parse_commit
from hoso.git import GitError, environment, missing_object
from hoso.git import _explain as explain

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

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    def read_body(self, raw: bytes) -> None:
        self.raw = raw
        body = parse_commit(raw)
        self.email, self.name = body.author_email, body.author_name
        self.when, self.committer, self.message = (
            body.committer_when,
            body.committer_email,
            body.message,
        )


def mainline(root: Path, revs: Sequence[str]) -> Iterator[Commit]:
    """The first-parent line of ``revs``, oldest first, each commit with its files against its
    first parent and its body read from the object: the walk an auditor would do by hand, in
    one ``git log`` and one ``git cat-file`` working side by side."""
    options = ["--first-parent", "--reverse", "--diff-merges=first-parent", "--raw"]
    records = (commit_of(r) for r in _log(root, [*options, "--no-abbrev", "--no-renames"], revs))
    for commit, raw in _with_objects(root, records):
        commit.read_body(raw)
        if commit.files is None:
            commit.files, commit.blobs, commit.modes = [], {}, {}
        yield commit


def everything(root: Path, revs: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Every commit of ``revs``, parents before children, without files or bodies (cheap): its
    id and its line, for ``commit_of`` to parse when it is needed."""
    for record in _log(root, ["--topo-order", "--reverse"], revs):
        yield record[:40], record


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


def _with_objects(root: Path, commits: Iterator[Commit]) -> Iterator[tuple[Commit, bytes]]:
    """Each commit with its object, read by one ``git cat-file --batch`` that a thread feeds
    while this one reads, so that the log, the objects and the caller all work at once."""
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**environment(), "GIT_FLUSH": "1"},
    )
    assert proc.stdin is not None and proc.stdout is not None
    pending: queue.SimpleQueue[Commit | BaseException | None] = queue.SimpleQueue()
    stdin = proc.stdin

    def feed() -> None:
        try:
            for commit in commits:
                pending.put(commit)
                stdin.write(commit.sha.encode() + b"\n")
                stdin.flush()
        except BaseException as exc:  # the log failed: hand its error to the reader
            pending.put(exc)
        finally:
            pending.put(None)
            with contextlib.suppress(OSError):
                stdin.close()

    threading.Thread(target=feed, daemon=True).start()
    try:
        while (item := pending.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            header = proc.stdout.readline().decode("ascii", "replace").rstrip("\n")
            if not header or header.endswith((" missing", " ambiguous")):
                raise missing_object(item.sha)
            size = int(header.split()[2])
            raw = proc.stdout.read(size)
            proc.stdout.read(1)
            yield item, raw
    finally:
        proc.kill()
        proc.wait()


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
    """A git process kept open, fed requests on its standard input; closed on leaving."""

    def __init__(self, root: Path, command: list[str]) -> None:
        self._proc = subprocess.Popen(
            command,
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**environment(), "GIT_FLUSH": "1"},
        )

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
        requests = [f"{c.sha} {c.parents[0]}" if c.parents else c.sha for c in commits]
        requests.append(f"{commits[0].sha} {commits[0].sha}")
        self._proc.stdin.write("".join(f"{r}\n" for r in requests).encode())
        self._proc.stdin.flush()
        headers = 0
        current: list[str] = []
        while headers <= len(commits):
            line = self._proc.stdout.readline().decode("utf-8", "replace").rstrip("\n")
            if not line:
                raise GitError("git diff-tree dừng giữa chừng: kho có thể hỏng (chạy 'git fsck')")
            if "\t" in line:
                current.append(line)
                continue
            if headers:
                _read_raw(commits[headers - 1], current)
            current = []
            headers += 1


class Blobs(_Kept):
    """``git cat-file --batch`` kept open: contents of ``rev:path`` specs or blob ids on
    demand."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, ["git", "cat-file", "--batch"])

    def get(self, spec: str, strict: bool = True) -> bytes | None:
        return self.get_many([spec], strict)[spec]

    def get_many(self, specs: list[str], strict: bool = True) -> dict[str, bytes | None]:
        """Several specs in one round trip: all requests written, then all answers read.

        ``strict`` (object ids, which must exist): git's "missing" is a broken repository.
        Otherwise (``rev:path``) it is None, for a path that may be absent."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(b"".join(s.encode() + b"\n" for s in specs))
        self._proc.stdin.flush()
        found: dict[str, bytes | None] = {}
        for spec in specs:
            header = self._proc.stdout.readline().decode().rstrip("\n")
            if not header:
                raise GitError("git cat-file dừng giữa chừng: kho có thể hỏng (chạy 'git fsck')")
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                if strict:
                    raise missing_object(spec)
                found[spec] = None
                continue
            size = int(header.split()[2])
            found[spec] = self._proc.stdout.read(size)
            self._proc.stdout.read(1)
        return found
