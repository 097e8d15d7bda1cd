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
    # Cases that stand alike in one cell first, then each such group once up the tree.
    alike: Counter[tuple[str, str, str, bool, bool, bool, bool]] = Counter()
    for case in data.facts:
        info = data.info(case)
        alike[
            (
                case.cell,
                case.kind,
                case.status,
                info.open,
                bool(info.overdue),
                bool(info.soon),
                info.awaiting,
            )
        ] += 1
    for (cell, kind, status, is_open, overdue, soon, awaiting), count in alike.items():
        for unit in data.governance.lineage(cell):
            tally = out[unit.code]
            tally.kinds[kind] += count
            tally.states[(kind, status)] += count
            tally.open += is_open * count
            tally.overdue += overdue * count
            tally.soon += soon * count
            tally.awaiting += awaiting * count
    data.memo["tallies"] = out
    return out
