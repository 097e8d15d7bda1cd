"""The site's facts kept between builds, by record content (git blob id).

Beside the validation cache, inside ``.git`` (never committed) and sealed with the user's key,
since a pickle is code when loaded; a folder outside git keeps none (the store holds personal
values, which must not outlive the folder in the user's home). The fingerprint covers hoso's
own source, the governance files and the installed holiday calendar (due days count working
days), so a change to any of them discards the store; a record is read and checked again
only when its content changes.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from hoso.governance import Governance
from hoso.site.facts import Facts
from hoso.validate.cache import fingerprint, keep, location, unpickled

_FORMAT = 2

Known = tuple[Facts, tuple[str, ...], tuple[str, ...]]
"""A record's facts, its confidential values and its other personal values."""


def key(root: Path, governance: Governance) -> str:
    """What the facts of every record depend on besides its content: hoso's code, the
    installed holiday calendar, and the governance files as ``governance`` was loaded from
    them (not as they stand now: a pull during the build changes them under it)."""
    found = f"{_FORMAT}:{fingerprint(root, governance)}"
    return hashlib.sha256(found.encode()).hexdigest()


class FactsStore:
    def __init__(self, root: Path, governance: Governance) -> None:
        """The facts kept for ``governance`` (loaded from ``root``'s files), the one that
        works out those this build adds."""
        # It holds each record's confidential and personal values (for the privacy check):
        # inside the repository's git directory only, never copied into the user's home.
        self.path = location(root, "site.pickle")
        self.fingerprint = key(root, governance)
        if not governance.source:  # not loaded from files: nothing to key the facts by
            self.path = None
        self.entries: dict[str, Known] = {}
        self.days: dict[date, date] = {}
        self.used: set[str] = set()
        self.added = False
        stored = unpickled(self.path)
        if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
            entries = stored.get("entries")
            self.entries = entries if isinstance(entries, dict) else {}

    def get(self, blob: str) -> Known | None:
        found = self.entries.get(blob)
        if found is not None:
            self.used.add(blob)
        return found

    def put(self, blob: str, known: Known) -> None:
        facts, confidential, personal = known
        self.entries[blob] = (facts.shared(self.days), confidential, personal)
        self.used.add(blob)
        self.added = True

    def save(self) -> None:
        """Keep what this build used, when it added or left out anything; a read-only
        checkout builds all the same, only without a store."""
        if self.path is None or (not self.added and len(self.used) == len(self.entries)):
            return
        entries = {blob: self.entries[blob] for blob in self.used}
        keep(self.path, {"fingerprint": self.fingerprint, "entries": entries})
