"""The organisation tree and committees as one queryable object."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from hoso.models.governance import (
    Committee,
    CommitteesFile,
    PolicyFile,
    SettingsFile,
    Unit,
    UnitsFile,
)

GOVERNANCE_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "units": ("governance/units.yaml", UnitsFile),
    "committees": ("governance/committees.yaml", CommitteesFile),
    "policy": ("governance/policy.yaml", PolicyFile),
    "settings": ("governance/settings.yaml", SettingsFile),
}
"""Each governance file: its path in the repository and its model."""


CENTRAL_BODIES: dict[str, str] = {
    "central.inspection": "Ủy ban Kiểm tra Trung ương",
    "central.secretariat": "Ban Bí thư Trung ương Đảng",
    "central.politburo": "Bộ Chính trị",
    "central.executive": "Ban Chấp hành Trung ương Đảng",
}
"""The bodies above the province, by the codes records name them with. They answer appeals and
complaints against the province's own decisions (the Central Inspection Commission, and the
Secretariat for expulsions), so a record may name one at those steps only; a province keeps
no members of theirs in governance/."""


@dataclass
class Governance:
    """Units, committees, policy and settings of one repository (at one commit)."""

    units: dict[str, Unit] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    policy: PolicyFile | None = None
    settings: SettingsFile | None = None
    _lines: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    """Each unit's own code and its ancestors' codes, worked out once (the tree is fixed)."""
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """What rules work out from this governance alone, kept for the next record (the
    governance of one commit never changes)."""
    source: str = field(default="", repr=False, compare=False)
    """A digest of the files' bytes it was loaded from (``load_governance``), "" when not
    loaded from a repository's files: what outcomes judged by it are kept under."""

    @classmethod
    def from_files(
        cls,
        units: UnitsFile | None,
        committees: CommitteesFile | None,
        policy: PolicyFile | None,
        settings: SettingsFile | None,
    ) -> Governance:
        return cls(
            units={u.code: u for u in units.units} if units else {},
            committees={c.id: c for c in committees.committees} if committees else {},
            policy=policy,
            settings=settings,
        )

    def lineage(self, code: str) -> Iterator[Unit]:
        """The unit and its ancestors, nearest first; stops at a missing parent or a cycle."""
        seen: set[str] = set()
        unit = self.units.get(code)
        while unit is not None and unit.code not in seen:
            seen.add(unit.code)
            yield unit
            unit = self.units.get(unit.parent) if unit.parent else None

    def ancestor_at(self, code: str, level: str) -> Unit | None:
        return next((u for u in self.lineage(code) if u.level == level), None)

    def is_within(self, code: str, ancestor: str) -> bool:
        line = self._lines.get(code)
        if line is None:
            line = self._lines[code] = frozenset(u.code for u in self.lineage(code))
        return ancestor in line

    @functools.cached_property
    def districts(self) -> tuple[str, ...]:
        """Codes of the units under which case files are kept: districts and the province."""
        return tuple(u.code for u in self.units.values() if u.level in ("district", "province"))

    def body_exists(self, code: str) -> bool:
        """True for a unit code (the organisation acting as a whole) or a committee id."""
        return code in self.units or code in self.committees

    def subtree(self, code: str) -> set[str]:
        """The codes of the unit and every unit below it."""
        return {c for c in self.units if self.is_within(c, code)}
