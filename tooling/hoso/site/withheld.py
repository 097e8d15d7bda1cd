"""Which of the staff site's counts of today (cases by kind and state, open, overdue, due soon,
per unit) are shown as "x" so that no "< 3" can be worked out from them: a unit's count is the
sum of its units' (and of what it holds itself), a unit's cases are the sum of its kinds and a
kind the sum of its states, a district's bar in the chart gives its finished and its open cases
on time. Worked out once per site, for every page that shows these counts."""

from __future__ import annotations

from collections.abc import Hashable

from hoso.rules.competence import is_cell
from hoso.site.aggregate import tallies
from hoso.site.counts import few, threshold
from hoso.site.data import SiteData
from hoso.site.suppress import Sum, suppress
from hoso.site.tree import is_small

Measure = Hashable
"""``"total"``, ``"open"``, ``"overdue"``, ``"soon"``, ``("kind", kind)``,
``("state", kind, state)``, and for districts ``"done"`` and ``"on_time"`` (the chart's)."""


def withheld(data: SiteData) -> frozenset[tuple[str, Measure]]:
    """(unit code, measure) of every count of today the staff site shows as "x"."""
    found = data.memo.get("withheld")
    if isinstance(found, frozenset):
        return found
    g = data.governance
    counts = tallies(data)
    kinds = sorted({k for t in counts.values() for k in t.kinds})
    states = sorted({s for t in counts.values() for s in t.states})
    values: dict[Hashable, int] = {}
    for code, t in counts.items():
        values[(code, "total")] = t.total
        values[(code, "open")] = t.open
        values[(code, "overdue")] = t.overdue
        values[(code, "soon")] = t.soon
        for kind in kinds:
            values[(code, ("kind", kind))] = t.kinds[kind]
        for state in states:
            values[(code, ("state", *state))] = t.states[state]
        if g.units[code].level == "district":
            values[(code, "done")] = t.total - t.open
            values[(code, "on_time")] = t.open - t.overdue
    under: dict[str, list[str]] = {}
    for unit in g.units.values():
        if unit.parent in g.units:
            under.setdefault(unit.parent, []).append(unit.code)
    measures: list[Measure] = ["total", "open", "overdue", "soon"]
    measures += [("kind", k) for k in kinds] + [("state", *s) for s in states]
    sums: list[Sum] = []
    unpublished: set[Hashable] = set()
    for code, children in under.items():
        # A cell (or a chi bộ cơ sở) holds its members' cases; any unit may be disciplined as
        # an organisation, so hold an organisation's case.
        holds = is_cell(g, code)
        mine = [m for m in measures if _own(m, holds)]
        for measure in measures:
            parts: tuple[Hashable, ...] = tuple((c, measure) for c in children)
            if measure in mine:
                own = ("own", code, measure)
                values[own] = values[(code, measure)] - sum(values[p] for p in parts)
                unpublished.add(own)
                parts += (own,)
            sums.append(Sum((code, measure), parts))
        kinds_own = tuple(("own", code, m) for m in mine if isinstance(m, tuple) and m[0] == "kind")
        sums.append(Sum(("own", code, "total"), kinds_own))
    for code in g.units:
        sums.append(Sum((code, "total"), tuple((code, ("kind", k)) for k in kinds)))
        for kind in kinds:
            of_kind = tuple((code, ("state", *s)) for s in states if s[0] == kind)
            sums.append(Sum((code, ("kind", kind)), of_kind))
        for measure in ("overdue", "soon"):
            # A case with a step overdue or due soon is open.
            rest = ("rest", code, measure)
            values[rest] = values[(code, "open")] - values[(code, measure)]
            unpublished.add(rest)
            sums.append(Sum((code, "open"), ((code, measure), rest)))
        if g.units[code].level == "district":
            sums.append(Sum((code, "total"), ((code, "done"), (code, "open"))))
            sums.append(Sum((code, "open"), ((code, "on_time"), (code, "overdue"))))
    sums = [e for e in sums if values[e.total] or any(values[p] for p in e.parts)]
    limit = threshold(g)
    primary = {
        key
        for key, value in values.items()
        if key not in unpublished and is_small(g, str(key[0])) and few(value, limit)  # type: ignore[index,unused-ignore]
    }
    crossed = suppress(values, primary, sums, limit, unpublished)
    found = frozenset((str(k[0]), k[1]) for k in crossed)  # type: ignore[index]
    data.memo["withheld"] = found
    return found


def _own(measure: Measure, holds: bool) -> bool:
    """Whether a unit may hold cases of its own in this count (beside its units'): a cell
    holds its members' cases, any unit an organisation's discipline."""
    if holds or measure in ("total", "open", "overdue", "soon"):
        return True
    return isinstance(measure, tuple) and measure[1] == "org_discipline"
