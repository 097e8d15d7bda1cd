"""Validation outcomes cached by file content (git blob id) and by what judged them.

The cache lives inside ``.git`` (never committed); a folder outside git has none. Its
fingerprint covers hoso's own source, the governance files and the installed holiday calendar,
so a change to any discards it; a record is re-checked only when its content changes.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import astuple
from functools import cache
from pathlib import Path
from typing import Any

from hoso import yamlio
from hoso.audit import store
from hoso.governance import Governance
from hoso.validate.findings import Finding
from hoso.validate.record import Checked, Summary

_Row = tuple[tuple[Any, ...] | None, list[tuple[Any, ...]]]

_FORMAT = 5


def blob_id(raw: bytes) -> str:
    """The id git gives a file with this content (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


@cache
def _code_hash() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        code = path.read_bytes()
        digest.update(b"%s\0%d\0" % (path.relative_to(package).as_posix().encode(), len(code)))
        digest.update(code)
    return digest.hexdigest()


def fingerprint(root: Path, governance: Governance | None = None) -> str:
    """What every outcome depends on besides the record: hoso's code, the governance files,
    and the installed holiday calendar (deadlines count working days). With ``governance``,
    of the files as it was loaded from (what the outcomes it judged depend on), else as they
    stand now."""
    from hoso.rules.public_holidays import library_key

    if governance is not None:
        files = governance.source
    else:
        from hoso.validate.governance_files import contents_key, governance_contents

        files = contents_key(governance_contents(root)[0])
    found = f"{_FORMAT}:{_code_hash()}:{library_key()}:{files}"
    return hashlib.sha256(found.encode()).hexdigest()


def location(root: Path, name: str = "validate.pickle") -> Path | None:
    """Inside the git directory, which no commit can write (a pickle is code when loaded). A
    worktree's ``.git`` file names its directory; a folder inside a repository without being
    its top (``find_root`` stops at the nearest governance/ or cases/) uses the repository's.
    A folder outside git (an export, a downloaded archive) keeps no store, neither in anything
    it brought nor in the user's home: the stores hold the records' and committees' personal
    values (names, party cards), which must not outlive the folder where its owner would not
    think to look. Nor does a ``.git`` that names nothing readable."""
    for folder in (root, *root.resolve().parents):
        git = folder / ".git"
        if git.exists() or git.is_symlink():
            return _in_git_directory(folder, name)
    return None


def _in_git_directory(root: Path, name: str) -> Path | None:
    git = root / ".git"
    if git.is_file():
        try:
            line = git.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        git = root / line.removeprefix("gitdir:").strip()
        return git / "hoso" / name if line.startswith("gitdir:") and git.is_dir() else None
    return git / "hoso" / name if git.is_dir() else None


def stored_governance(root: Path, contents: tuple[bytes | None, ...]) -> tuple[Any, str]:
    """What an earlier run made of these governance files with this code (None if nothing
    usable is stored), and the key to store it under."""
    digest = hashlib.sha256(f"{_FORMAT}:{_code_hash()}".encode())
    for raw in contents:
        digest.update(b"-" if raw is None else b"%d:" % len(raw) + raw)
    key = digest.hexdigest()
    stored = unpickled(location(root, "governance.pickle"))
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1], key
    return None, key


def unpickled(path: Path | None) -> Any:
    """What is stored at ``path``, only if sealed with this user's key (``audit.store``): a
    pickle is code when loaded, and a folder can bring its own ``.git``."""
    return store.unseal(store.read(path)) if path is not None else None


def keep(path: Path | None, value: Any) -> None:
    sealed = store.seal(value) if path is not None else None
    if path is not None and sealed is not None:
        with contextlib.suppress(OSError):
            yamlio.write_bytes_atomic(path, sealed)


def store_governance(root: Path, key: str, value: Any) -> None:
    keep(location(root, "governance.pickle"), (key, value))


class Cache:
    """A blob-id keyed store of ``Checked`` outcomes for one fingerprint.

    Outcomes are pickled as plain tuples, which load several times faster than dataclasses.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = location(root)
        self.fingerprint = fingerprint(root)
        self.entries: dict[str, _Row] = {}
        self.used: set[str] = set()
        self.governance_findings: list[Finding] | None = None
        stored = unpickled(self.path)
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            self.entries = stored["entries"]
            self.governance_findings = [Finding(*row) for row in stored["governance"]]

    def get(self, blob: str) -> Checked | None:
        row = self.entries.get(blob)
        if row is None:
            return None
        self.used.add(blob)
        summary, findings = row
        return Checked([Finding(*f) for f in findings], Summary(*summary) if summary else None)

    def put(self, blob: str, checked: Checked) -> None:
        summary = astuple(checked.summary) if checked.summary else None
        self.entries[blob] = (summary, [astuple(f) for f in checked.findings])
        self.used.add(blob)

    def stale(self) -> bool:
        """True when entries exist that this run did not use (files changed or removed)."""
        return len(self.entries) != len(self.used)

    def judged_by(self, governance: Governance) -> bool:
        """Whether the outcomes kept are those of ``governance``: not when the files changed
        between the cache's reading and the governance's (a pull during the run)."""
        return fingerprint(self.root, governance) == self.fingerprint

    def save(self, governance: Governance, prune: bool) -> None:
        """Keep the outcomes, judged by ``governance``, under its own files' fingerprint: a
        run during which the files changed (A, then B, then A again) keeps nothing under
        the fingerprint of files that did not judge it. A read-only checkout validates all
        the same, only without a cache."""
        if self.path is None or not self.judged_by(governance):
            return
        entries = {b: self.entries[b] for b in self.used} if prune else self.entries
        payload = {
            "fingerprint": self.fingerprint,
            "entries": entries,
            "governance": [astuple(f) for f in self.governance_findings or []],
        }
        keep(self.path, payload)
