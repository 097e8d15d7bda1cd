"""The one place that talks to git. Errors show the command and what git said."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hoso.errors import HosoError

FIELD = "\x1f"
RECORD = "\x1e"


class GitError(HosoError):
    """A git command failed."""


@dataclass(frozen=True)
class Repo:
    root: Path

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        ok: Sequence[int] = (0,),
        config: Sequence[str] = (),
    ) -> bytes:
        command = ["git", *(part for c in config for part in ("-c", c)), *args]
        done = subprocess.run(command, cwd=self.root, input=input, capture_output=True, check=False)
        if done.returncode not in ok:
            said = done.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"lệnh git thất bại ({done.returncode}): {' '.join(command)}\n{said}")
        return done.stdout

    def succeeds(self, *args: str) -> bool:
        """Whether a git command exits 0 (for questions git answers by its exit status)."""
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, check=False)
        return done.returncode == 0

    def text(self, *args: str, **kwargs: object) -> str:
        return self.run(*args, **kwargs).decode("utf-8")  # type: ignore[arg-type]

    def rev(self, ref: str) -> str:
        return self.text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()

    def merge_base(self, a: str, b: str) -> str:
        return self.text("merge-base", a, b).strip()

    def changed(self, old: str, new: str) -> list[tuple[str, str]]:
        """(status letter, path) for each file that differs; renames count as delete + add."""
        out = self.text("diff", "--name-status", "--no-renames", "-z", old, new)
        parts = out.split("\0")
        return [(parts[i][0], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]

    def blobs(self, specs: Iterable[str]) -> dict[str, bytes | None]:
        """Contents of ``rev:path`` specs in one ``cat-file --batch`` (None when missing)."""
        wanted = list(dict.fromkeys(specs))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
        found: dict[str, bytes | None] = {}
        at = 0
        for spec in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].decode()
            at = end + 1
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                found[spec] = None
                continue
            size = int(header.split()[2])
            found[spec] = out[at : at + size]
            at += size + 1
        return found

    def blob_ids(self, specs: Iterable[str]) -> dict[str, str | None]:
        """Blob ids of ``rev:path`` specs in one ``cat-file --batch-check``."""
        wanted = list(dict.fromkeys(specs))
        if not wanted:
            return {}
        out = self.text("cat-file", "--batch-check", input=("\n".join(wanted) + "\n").encode())
        ids: dict[str, str | None] = {}
        for spec, line in zip(wanted, out.splitlines(), strict=True):
            ids[spec] = None if line.endswith("missing") else line.split()[0]
        return ids

    def log(
        self, range_: str, fmt: Sequence[str], *args: str, config: Sequence[str] = ()
    ) -> list[list[str]]:
        """One record per commit with the given ``--format`` fields."""
        pretty = "--format=" + FIELD.join(fmt) + RECORD
        out = self.text("log", pretty, range_, *args, config=config)
        return [rec.strip("\n").split(FIELD) for rec in out.split(RECORD) if rec.strip("\n")]
