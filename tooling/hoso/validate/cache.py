"""Validation outcomes cached by file content (git blob id) and by what judged them.

The cache lives inside ``.git`` (never committed). Its fingerprint covers hoso's own source and
the governance files, so a change to either discards it; a record is re-checked only when its
content changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from functools import cache
from pathlib import Path

from hoso import yamlio
from hoso.governance import GOVERNANCE_FILES
from hoso.validate.record import Checked

_FORMAT = 1


def blob_id(raw: bytes) -> str:
    """The id git gives a file with this content (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


@cache
def _code_hash() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"{_FORMAT}:{_code_hash()}".encode())
    for rel, _ in GOVERNANCE_FILES.values():
        path = root / rel
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def location(root: Path) -> Path:
    git = root / ".git"
    folder = git / "hoso" if git.is_dir() else root / ".hoso-cache"
    return folder / "validate.pickle"


class Cache:
    """A blob-id keyed store of ``Checked`` outcomes for one fingerprint."""

    def __init__(self, root: Path) -> None:
        self.path = location(root)
        self.fingerprint = fingerprint(root)
        self.entries: dict[str, Checked] = {}
        self.used: set[str] = set()
        try:
            stored = pickle.loads(self.path.read_bytes())
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
            return
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            self.entries = stored["entries"]

    def get(self, blob: str) -> Checked | None:
        found = self.entries.get(blob)
        if found is not None:
            self.used.add(blob)
        return found

    def put(self, blob: str, checked: Checked) -> None:
        self.entries[blob] = checked
        self.used.add(blob)

    def save(self, prune: bool) -> None:
        entries = {b: self.entries[b] for b in self.used} if prune else self.entries
        payload = {"fingerprint": self.fingerprint, "entries": entries}
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        # A read-only checkout validates all the same, only without a cache.
        with contextlib.suppress(OSError):
            yamlio.write_bytes_atomic(self.path, data)
