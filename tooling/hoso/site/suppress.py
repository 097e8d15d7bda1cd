"""Complementary (secondary) suppression: hiding a small count as "< 3" is not enough when the
figures beside it add up to a figure that is shown (a total of 3 over three hidden cells means
each is 1). Given every figure the staff see, how they add up and which are hidden because
they are small, this hides more figures, as "x", until no hidden one can be worked out exactly.

The reader is assumed to know every sum (the unit tree, which rows add up), that a figure shown
as "< 3" lies from 1 to ``limit - 1`` and that one shown as "x" is not 0 (only figures other
than 0 are hidden). They narrow each hidden figure's range equation by equation until nothing
changes; a small count whose range shrinks to one value is found out. Then a figure of the
equation that gave it away is hidden as "x": the smallest shown non-zero part, else the total
when it is shown and not 0, else a "< 3" of the equation (the total first): a unit shown
"< 3" over two cells shown "< 3" is 2, and its cells 1 each, whatever else is hidden."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

Key = Hashable

SECONDARY = "x"
"""What stands in place of a figure hidden so that a small one cannot be worked out."""


def withheld_note() -> str:
    """What "x" means, in words, for the note under a table or in a report."""
    return (
        f"“{SECONDARY}” là số liệu không ghi (có thể là bất kỳ số nào từ 1 trở lên) để không "
        "suy ra được các số nhỏ từ tổng hoặc từ các số khác."
    )


@dataclass(frozen=True)
class Sum:
    """``total`` equals the sum of ``parts``: both sides are figures some page or report shows,
    or figures no one shows (``unpublished`` in ``suppress``) such as what a unit holds itself
    beside its units, or a total only its breakdowns show."""

    total: Key
    parts: tuple[Key, ...]


Bounds = tuple[float, float]


class _Ranges:
    """What the reader knows of each figure before reading any sum."""

    def __init__(
        self,
        values: Mapping[Key, int],
        crossed: set[Key],
        primary: set[Key],
        secret: set[Key],
        limit: int,
    ) -> None:
        self.values, self.crossed, self.primary = values, crossed, primary
        self.secret, self.limit = secret, limit

    def __call__(self, key: Key) -> Bounds:
        if key in self.secret:
            return (0, math.inf)
        if key in self.crossed:
            return (1, math.inf)
        if key in self.primary:
            return (1, self.limit - 1)
        value = self.values[key]
        return (value, value)

    def all(self) -> dict[Key, Bounds]:
        return {key: self(key) for key in self.values}


def _narrow(equation: Sum, bounds: dict[Key, Bounds]) -> dict[Key, Bounds]:
    """What one equation says of each of its figures, given the ranges of the others."""
    terms = [(1, equation.total)] + [(-1, p) for p in equation.parts]
    low = sum(c * bounds[k][0] if c > 0 else c * bounds[k][1] for c, k in terms)
    high = sum(c * bounds[k][1] if c > 0 else c * bounds[k][0] for c, k in terms)
    found: dict[Key, Bounds] = {}
    for c, key in terms:
        lo, hi = bounds[key]
        mine_low = c * lo if c > 0 else c * hi
        mine_high = c * hi if c > 0 else c * lo
        # c * x = -(others); others lie in [low - mine_low, high - mine_high]
        rest_low, rest_high = low - mine_low, high - mine_high
        if math.isnan(rest_low) or math.isnan(rest_high):
            continue
        if c > 0:
            new = (max(lo, -rest_high), min(hi, -rest_low))
        else:
            new = (max(lo, rest_low), min(hi, rest_high))
        if new != (lo, hi):
            found[key] = new
    return found


def propagate(sums: list[Sum], bounds: dict[Key, Bounds]) -> dict[Key, Bounds]:
    """The ranges the reader ends with, narrowing equation by equation until nothing changes."""
    bounds = dict(bounds)
    touching: dict[Key, list[int]] = defaultdict(list)
    for n, equation in enumerate(sums):
        for key in (equation.total, *equation.parts):
            touching[key].append(n)
    # An equation of figures all shown teaches nothing until one of them is narrowed.
    queue = [
        n
        for n, equation in enumerate(sums)
        if any(bounds[k][0] != bounds[k][1] for k in (equation.total, *equation.parts))
    ]
    waiting = set(queue)
    while queue:
        n = queue.pop()
        waiting.discard(n)
        for key, new in _narrow(sums[n], bounds).items():
            if new[0] > new[1]:
                continue  # the figures disagree (a record counted twice): nothing to learn
            bounds[key] = new
            for other in touching[key]:
                if other not in waiting:
                    waiting.add(other)
                    queue.append(other)
    return bounds


def _pins(equation: Sum, key: Key, initial: Bounds, bounds: dict[Key, Bounds]) -> bool:
    """Whether ``equation`` alone, with the reader's ranges of the others, fixes ``key``."""
    mine = {k: bounds[k] for k in (equation.total, *equation.parts)}
    lo, hi = _narrow(equation, {**mine, key: initial}).get(key, initial)
    return lo == hi


def found_out(
    values: Mapping[Key, int],
    crossed: set[Key],
    primary: set[Key],
    sums: list[Sum],
    limit: int,
    unpublished: Iterable[Key] = (),
) -> set[Key]:
    """The small counts (``primary``) that the reader can still work out exactly when those
    not ``crossed`` out ("x") are shown as "< 3"."""
    ranges = _Ranges(values, crossed, primary, set(unpublished), limit)
    bounds = propagate(sums, ranges.all())
    return {key for key in primary if bounds[key][0] == bounds[key][1]}


def suppress(
    values: Mapping[Key, int],
    primary: set[Key],
    sums: list[Sum],
    limit: int,
    unpublished: Iterable[Key] = (),
) -> set[Key]:
    """The figures to show as "x" (``primary``, the small counts, are otherwise shown as
    "< 3") so that no small count can be worked out; ``values`` holds every figure, shown or
    not."""
    secret = set(unpublished)
    crossed: set[Key] = set()
    if not primary:
        return crossed
    ranges = _Ranges(values, crossed, primary, secret, limit)
    touching: dict[Key, list[Sum]] = defaultdict(list)
    for equation in sums:
        for key in (equation.total, *equation.parts):
            touching[key].append(equation)

    def candidate(equation: Sum) -> Key | None:
        """The smallest shown non-zero part, else the total when it is shown and not 0, else
        a "< 3" of the equation, the total first."""
        parts = sorted(
            (values[p], repr(p), p)
            for p in equation.parts
            if p not in primary and p not in crossed and p not in secret and values[p] > 0
        )
        if parts:
            return parts[0][2]
        total = equation.total
        if total not in crossed and total not in secret and values[total] > 0:
            return total  # shown, or "< 3"
        small = sorted((repr(p), p) for p in equation.parts if p in primary and p not in crossed)
        return small[0][1] if small else None

    # First each equation on its own, as the reader would start (cheap, and most of the work).
    queue = [e for e in sums if primary & {e.total, *e.parts}]
    while queue:
        equation = queue.pop()
        keys = (equation.total, *equation.parts)
        narrowed = _narrow(equation, {k: ranges(k) for k in keys})
        if any(k in primary and lo == hi for k, (lo, hi) in narrowed.items()):
            pick = candidate(equation)
            if pick is not None:
                crossed.add(pick)
                queue += [e for e in touching[pick] if e is not equation] + [equation]
    # Then every equation together, as the reader would go on.
    while True:
        bounds = propagate(sums, ranges.all())
        caught = sorted((repr(k), k) for k in primary if bounds[k][0] == bounds[k][1])
        if not caught:
            return crossed
        added = False
        for _, key in caught:
            # The equations the figure is in, those that fix it first; then those of the
            # figures hidden beside it (one that gave a neighbour away).
            seen: set[int] = set()
            frontier = [key]
            pick = None
            initial = ranges(key)
            while frontier and pick is None:
                later: list[Key] = []
                for figure in frontier:
                    mine = touching[figure]
                    if figure == key:
                        mine = sorted(mine, key=lambda e: not _pins(e, key, initial, bounds))
                    for equation in mine:
                        if id(equation) in seen:
                            continue
                        seen.add(id(equation))
                        pick = pick if pick is not None else candidate(equation)
                        later += [
                            k
                            for k in (equation.total, *equation.parts)
                            if k in primary or k in crossed or k in secret
                        ]
                frontier = later
            if pick is not None:
                crossed.add(pick)
                added = True
        if not added:
            return crossed  # nothing left to hide: the caller's check says so
