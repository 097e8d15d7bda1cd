"""Counts per unit, over the unit and everything under it, in one pass over the cases."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hoso.site.data import SiteData


@dataclass
class Tally:
    kinds: Counter[str] = field(default_factory=Counter)
    states: Counter[tuple[str, str]] = field(default_factory=Counter)
    open: int = 0
    overdue: int = 0
    """Cases with a step past its due date."""
    soon: int = 0
    """Cases with a step due within 30 days."""
    awaiting: int = 0

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def tallies(data: SiteData) -> dict[str, Tally]:
    """Each unit's tally over its subtree (worked out once per site data)."""
    cached = data.memo.get("tallies")
    if isinstance(cached, dict):
        return cached
    out = {code: Tally() for code in data.governance.units}
    for case in data.facts:
        info = data.info(case)
        for unit in data.governance.lineage(case.cell):
            tally = out[unit.code]
            tally.kinds[case.kind] += 1
            tally.states[(case.kind, case.status)] += 1
            tally.open += info.open
            tally.overdue += bool(info.overdue)
            tally.soon += bool(info.soon)
            tally.awaiting += info.awaiting
    data.memo["tallies"] = out
    return out
