"""Reading history with one git process, and blob contents with one more."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hoso.git import GitError

_START, _FIELD, _BODY_END = "\x1e", "\x1f", "\x1d"
FORMAT = f"--format={_START}%H{_FIELD}%P{_FIELD}%ae{_FIELD}%an{_FIELD}%cI{_FIELD}%B{_BODY_END}"


@dataclass
class Commit:
    """One commit as the audit needs it."""

    sha: str
    parents: list[str]
    email: str
    name: str
    when: datetime
    message: str
    files: list[tuple[str, str]] = field(default_factory=list)
    """(status, path) against the first parent."""

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


def commits(root: Path, revs: Sequence[str]) -> Iterator[Commit]:
    """Every commit reachable from ``revs`` (newest first), its files against its first
    parent, streamed from a single ``git log``."""
    command = [
        "git",
        "log",
        "--diff-merges=first-parent",
        "--name-status",
        "--no-renames",
        FORMAT,
        *revs,
        "--",
    ]
    with subprocess.Popen(
        command,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        yield from _parse(proc.stdout)
        error = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, None):
        raise GitError(f"lệnh git thất bại ({proc.returncode}): {' '.join(command)}\n{error}")


def _parse(lines: Iterator[str]) -> Iterator[Commit]:
    current: Commit | None = None
    header: list[str] = []
    for line in lines:
        if line.startswith(_START) or header:
            header.append(line.lstrip(_START) if not header else line)
            if _BODY_END not in line:
                continue
            text = "".join(header)
            header = []
            head, _, _ = text.partition(_BODY_END)
            sha, parents, email, name, when, message = head.split(_FIELD, 5)
            if current is not None:
                yield current
            current = Commit(
                sha, parents.split(), email, name, datetime.fromisoformat(when), message.strip()
            )
            continue
        line = line.rstrip("\n")
        if current is not None and "\t" in line:
            status, path = line.split("\t", 1)
            current.files.append((status[0], path))
    if current is not None:
        yield current


class Blobs:
    """``git cat-file --batch`` kept open: contents of ``rev:path`` specs on demand."""

    def __init__(self, root: Path) -> None:
        self._proc = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def get(self, spec: str) -> bytes | None:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(spec.encode() + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().decode().rstrip("\n")
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            return None
        size = int(header.split()[2])
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)
        return data

    def get_many(self, specs: list[str]) -> dict[str, bytes | None]:
        """Several specs in one round trip: all requests written, then all answers read."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(b"".join(s.encode() + b"\n" for s in specs))
        self._proc.stdin.flush()
        found: dict[str, bytes | None] = {}
        for spec in specs:
            header = self._proc.stdout.readline().decode().rstrip("\n")
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                found[spec] = None
                continue
            size = int(header.split()[2])
            found[spec] = self._proc.stdout.read(size)
            self._proc.stdout.read(1)
        return found

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
