"""Finding cases: every record of the target branch, overlaid with the cases being worked on.

Records of the target branch are read from git by blob id, so each version is parsed once for
the life of the server; a new base commit costs one ``git ls-tree`` and the blobs it changed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from hoso import labels, yamlio
from hoso.forms.workspace import Workspace
from hoso.git import Repo
from hoso.governance import Governance
from hoso.repo import CASES, Unreadable, hidden, holders_of, read_record
from hoso.rules.workflow import WORKFLOWS


@dataclass(frozen=True)
class Entry:
    id: str
    rel: str
    kind: str
    unit: str
    cell: str
    status: str
    name: str
    readable: bool = True
    pending: bool = False
    """Being worked on in the forms (read from its worktree, not from the target branch)."""
    folded: str = ""
    """Id, name, unit and cell codes without diacritics and in lower case, for search."""
    organisation: str = ""
    """The organisation a case about an organisation (not a person) concerns."""


def entry_of(rel: str, raw: bytes) -> Entry:
    """What a list shows of one record; a file that cannot be read is listed as such."""
    stem = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
    parts = rel.split("/")
    unit, kind = (parts[1], parts[2]) if len(parts) == 4 else ("", "")
    try:
        data = yamlio.load_bytes(raw)
    except Exception:  # a broken file is listed, never skipped
        data = None
    if not isinstance(data, dict):
        return Entry(stem, rel, kind, unit, "", "", "", readable=False, folded=stem.lower())
    subject = data.get("subject")
    if not isinstance(subject, dict):
        subject = {}
    case_id, name = str(data.get("id") or stem), str(subject.get("name") or "")
    unit, cell = str(data.get("unit") or unit), str(data.get("cell") or "")
    organisation = str(data.get("organisation") or "")
    return Entry(
        id=case_id,
        rel=rel,
        kind=str(data.get("kind") or kind),
        unit=unit,
        cell=cell,
        status=str(data.get("status") or ""),
        name=name,
        folded=labels.fold(" ".join((case_id, name, unit, cell, organisation))),
        organisation=organisation,
    )


class CaseIndex:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = threading.Lock()
        self._blobs: dict[str, Entry] = {}
        self._base: tuple[str, dict[str, Entry]] = ("", {})

    def entries(self) -> dict[str, Entry]:
        """Every case by id: the target branch's, then the pending ones over them."""
        with self._lock:
            commit = self.workspace.base_commit()
            if self._base[0] != commit:
                self._base = (commit, self._read_base(commit))
            found = dict(self._base[1])
        for case_id, path in self.workspace.pending().items():
            for rel in holders_of(path, case_id):
                try:
                    raw = read_record(path, rel)
                except Unreadable:
                    raw = b""  # listed as a file that cannot be read
                entry = entry_of(rel, raw)
                found[entry.id] = Entry(**{**entry.__dict__, "pending": True})
        return found

    def _read_base(self, commit: str) -> dict[str, Entry]:
        git: Repo = self.workspace.git
        listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", f"{CASES}/")
        files: list[tuple[str, str]] = []
        for item in listing.split(b"\0"):
            if not item:
                continue
            meta, _, name = item.partition(b"\t")
            _, kind, oid = meta.decode().split(" ")
            rel = name.decode("utf-8", "surrogateescape")
            if kind == "blob" and hidden(rel) is None:  # a hidden file is no case to open
                files.append((rel, oid))
        missing = [oid for _, oid in files if oid not in self._blobs]
        contents = git.objects(missing)
        out: dict[str, Entry] = {}
        for rel, oid in files:
            entry = self._blobs.get(oid)
            if entry is None or entry.rel != rel:
                entry = self._blobs[oid] = entry_of(rel, contents.get(oid, b""))
            if not entry.readable or entry.kind in WORKFLOWS:  # cases, not plans or rankings
                out[entry.id] = entry
        return out


def search(
    entries: dict[str, Entry],
    governance: Governance,
    query: str = "",
    kind: str | None = None,
    unit: str | None = None,
    allowed: frozenset[str] | None = None,
    limit: int = 100,
) -> tuple[list[Entry], int]:
    """Cases whose id, name, unit or cell match every word of ``query`` (diacritics optional),
    of ``kind``, within ``unit``'s subtree and the units a person may see; the first
    ``limit`` of them, pending ones first, and how many matched."""
    words = labels.fold(query).split()
    subtree = governance.subtree(unit) if unit else None
    places = {code: labels.fold(u.name) for code, u in governance.units.items()}
    hits = []
    for entry in entries.values():
        if allowed is not None and not visible(entry, governance, allowed):
            continue
        if kind and entry.kind != kind:
            continue
        if subtree is not None and entry.cell not in subtree and entry.unit not in subtree:
            continue
        if words:
            text = f"{entry.folded} {places.get(entry.unit, '')} {places.get(entry.cell, '')}"
            if not all(word in text for word in words):
                continue
        hits.append(entry)
    hits.sort(key=lambda e: (not e.pending, e.id))
    return hits[:limit], len(hits)


def visible(entry: Entry, governance: Governance, allowed: frozenset[str]) -> bool:
    """Whether a person whose committees sit at ``allowed`` units may see the case: its cell or
    its district lies within one of them."""
    return any(
        governance.is_within(code, unit) for code in (entry.cell, entry.unit) if code
        for unit in allowed
    )  # fmt: skip


def read_case(workspace: Workspace, entry: Entry) -> tuple[bytes, Path | None]:
    """The record's bytes as the forms see it now, and the worktree it lives in (None when it
    is read from the target branch)."""
    path = workspace.worktree(entry.id)
    if path is not None and os.path.lexists(path / entry.rel):
        return read_record(path, entry.rel), path
    blob = workspace.git.files_at(workspace.base_commit(), [entry.rel])[entry.rel]
    return blob or b"", None
