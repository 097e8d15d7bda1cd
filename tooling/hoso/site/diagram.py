"""A state diagram laid out in layers from top to bottom (a small Sugiyama layout): each state
one row below its furthest predecessor, long arrows routed through empty slots, the order within
each row chosen to cross as few arrows as it can, Vietnamese labels wrapped inside the boxes.
Plain SVG: no script, nothing fetched."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from html import escape
from itertools import pairwise

BOX_W, LINE_H, PAD = 190, 15, 8
GAP_X, GAP_Y, SLOT_W = 26, 44, 18
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _layers(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering; an edge that closes a cycle is left out of it."""
    order = {n: i for i, n in enumerate(nodes)}
    forward = [(a, b) for a, b in edges if a != b]
    acyclic: list[tuple[str, str]] = []
    reach: dict[str, set[str]] = {n: {n} for n in nodes}
    for a, b in sorted(forward, key=lambda e: (order[e[0]], order[e[1]])):
        if a in reach[b]:
            continue  # b already leads to a: this edge would close a cycle
        acyclic.append((a, b))
        for n in nodes:
            if a in reach[n]:
                reach[n] |= reach[b]
    layer = dict.fromkeys(nodes, 0)
    for _ in nodes:
        for a, b in acyclic:
            layer[b] = max(layer[b], layer[a] + 1)
    return layer


def _crossings(rows: list[list[str]], links: list[tuple[str, str]]) -> int:
    where = {n: (r, i) for r, row in enumerate(rows) for i, n in enumerate(row)}
    by_row: dict[int, list[tuple[int, int]]] = {}
    for a, b in links:
        (ra, ia), (rb, ib) = where[a], where[b]
        if rb == ra + 1:
            by_row.setdefault(ra, []).append((ia, ib))
    count = 0
    for pairs in by_row.values():
        for n, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[n + 1 :]:
                count += (a1 - a2) * (b1 - b2) < 0
    return count


def _centre(
    node: str, position: dict[str, int], links_of: dict[str, list[str]], row: list[str]
) -> float:
    """The mean position of the node's neighbours in the row next to it (its own if none)."""
    around = [position[m] for m in links_of.get(node, []) if m in position]
    return sum(around) / len(around) if around else row.index(node)


def _order(rows: list[list[str]], links: list[tuple[str, str]]) -> list[list[str]]:
    """Barycentre sweeps down and up; the best order seen is kept."""
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for a, b in links:
        down.setdefault(a, []).append(b)
        up.setdefault(b, []).append(a)
    best, best_count = [list(r) for r in rows], _crossings(rows, links)
    for sweep in range(12):
        indices = range(1, len(rows)) if sweep % 2 == 0 else range(len(rows) - 2, -1, -1)
        for r in indices:
            neighbour = rows[r - 1] if sweep % 2 == 0 else rows[r + 1]
            position = {n: i for i, n in enumerate(neighbour)}
            links_of = up if sweep % 2 == 0 else down
            row = rows[r]
            centres = {n: _centre(n, position, links_of, row) for n in row}
            rows[r] = sorted(row, key=centres.__getitem__)
        count = _crossings(rows, links)
        if count < best_count:
            best, best_count = [list(r) for r in rows], count
    return best


def _lines(label: str) -> list[str]:
    return textwrap.wrap(label, 27) or [label]


def draw(
    title: str,
    nodes: list[str],
    edges: Iterable[tuple[str, str]],
    labels: dict[str, str],
    openings: set[str],
    finals: set[str],
) -> str:
    """The diagram of ``nodes`` joined by ``edges``; states shown by their ``labels``."""
    edges = list(dict.fromkeys(edges))
    layer = _layers(nodes, edges)
    rows: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    for n in nodes:
        rows[layer[n]].append(n)
    links: list[tuple[str, str]] = []
    chains: dict[tuple[str, str], list[str]] = {}
    for a, b in edges:
        if a == b:
            continue
        la, lb = layer[a], layer[b]
        if lb <= la:
            chains[(a, b)] = [a, b]  # drawn as a return arrow beside the boxes
            continue
        chain = [a]
        for r in range(la + 1, lb):
            dummy = f"\0{a}>{b}@{r}"
            rows[r].append(dummy)
            chain.append(dummy)
        chain.append(b)
        links += list(pairwise(chain))
        chains[(a, b)] = chain
    rows = _order(rows, links)
    heights = [
        max((len(_lines(labels[n])) * LINE_H + 2 * PAD for n in row if n[0] != "\0"), default=20)
        for row in rows
    ]
    widths = [
        sum(SLOT_W if n[0] == "\0" else BOX_W for n in row) + GAP_X * (len(row) - 1) for row in rows
    ]
    width = max(widths) + 60
    xy: dict[str, tuple[float, float, float, float]] = {}
    y = 20.0
    for r, row in enumerate(rows):
        x = (width - widths[r]) / 2
        for n in row:
            if n[0] == "\0":  # an empty slot an arrow passes through
                xy[n] = (x, y, SLOT_W, heights[r])
                x += SLOT_W + GAP_X
                continue
            box = len(_lines(labels[n])) * LINE_H + 2 * PAD
            xy[n] = (x, y + (heights[r] - box) / 2, BOX_W, box)
            x += BOX_W + GAP_X
        y += heights[r] + GAP_Y
    height = int(y - GAP_Y + 20)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {int(width)} {height}" '
        f'width="{int(width)}" role="img" aria-label="{escape(title)}" class="hoso-so-do" '
        f'style="min-width:{int(width * 0.7)}px">'
        f"<title>{escape(title)}</title>"
        '<defs><marker id="mui" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#4b5563"/></marker></defs>'
    ]
    for (a, b), chain in chains.items():
        parts.append(_edge(chain, xy, back=layer[b] <= layer[a], tip=f"{labels[a]} → {labels[b]}"))
    for a, b in edges:
        if a == b:
            x, top, w, h = xy[a]
            parts.append(
                f'<path d="M{x + w},{top + h * 0.3} C{x + w + 30},{top} {x + w + 30},{top + h} '
                f'{x + w},{top + h * 0.7}" fill="none" stroke="#4b5563" marker-end="url(#mui)">'
                f"<title>{escape(labels[a])}: có thể lặp lại</title></path>"
            )
    for n in nodes:
        x, top, w, h = xy[n]
        fill = "#ecfdf5" if n in finals else "#fef3c7" if n in openings else "#eff6ff"
        parts.append(
            f'<g><title>{escape(labels[n])}</title><rect x="{x:.1f}" y="{top:.1f}" width="{w}" '
            f'height="{h}" rx="8" fill="{fill}" stroke="#374151" '
            f'stroke-width="{2 if n in finals else 1}"/>'
        )
        for i, line in enumerate(_lines(labels[n])):
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{top + PAD + 11 + i * LINE_H:.1f}" '
                f'text-anchor="middle" {_FONT}>{escape(line)}</text>'
            )
        parts.append("</g>")
    return "".join(parts) + "</svg>"


def _edge(
    chain: list[str], xy: dict[str, tuple[float, float, float, float]], back: bool, tip: str
) -> str:
    if back:
        (x1, y1, _, h1), (x2, y2, _, h2) = xy[chain[0]], xy[chain[-1]]
        d = (
            f"M{x1},{y1 + h1 / 2} C{x1 - 40},{y1 + h1 / 2} {x2 - 40},{y2 + h2 / 2} "
            f"{x2},{y2 + h2 / 2}"
        )
        dash = ' stroke-dasharray="5 4"'
    else:
        points = []
        for n, node in enumerate(chain):
            x, y, w, h = xy[node]
            if n == 0:
                points.append((x + w / 2, y + h))
            elif n == len(chain) - 1:
                points.append((x + w / 2, y))
            else:
                points += [(x + w / 2, y), (x + w / 2, y + h)]
        d = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
        for (xa, ya), (xb, yb) in pairwise(points):
            mid = (ya + yb) / 2
            d += f" C{xa:.1f},{mid:.1f} {xb:.1f},{mid:.1f} {xb:.1f},{yb:.1f}"
        dash = ""
    return (
        f'<path d="{d}" fill="none" stroke="#4b5563" stroke-width="1.3"{dash} '
        f'marker-end="url(#mui)"><title>{escape(tip)}</title></path>'
    )
