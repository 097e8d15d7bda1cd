"""The build checks its own output: no confidential value anywhere, no personal value in the
staff site, no small count of a small unit on the staff site, and every page carrying its
audience's mark ("MẬT" for the commission and the auditors, "no personal data" for staff)."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import ahocorasick

from hoso.site.counts import ATTRIBUTE, threshold
from hoso.site.data import SiteData
from hoso.site.tree import is_small

_TEXT = (".html", ".json", ".xml", ".svg", ".txt", ".js", ".md")
MARKS = {
    "staff": "data-hoso-khong-ca-nhan",
    "commission": "data-hoso-mat",
    "audit": "data-hoso-mat",
}
"""The attribute every page of each audience's site must carry (site_src/overrides/main.html)."""
_MARKED = re.compile(rf'{ATTRIBUTE}="([^"]+)"[^>]*>([^<]*)<')
_CELL = re.compile(r"<td[^>]*>\s*(\d+)\s*</td>")
_SORTED = re.compile(rf'data-sort="(\d+)"[^>]*>(?:<a [^>]*>)?<span {ATTRIBUTE}="([^"]+)"')
"""A marked count's cell and the value it sorts by, which the page's source shows."""


def check(site_dir: Path, data: SiteData) -> list[str]:
    """Every breach, one line each: ``file: what``."""
    leaked = [f"giá trị không được công bố ở {line}" for line in leaks(site_dir, data)]
    return leaked + marks(site_dir, data) + small_counts(site_dir, data)


def leaks(site_dir: Path, data: SiteData) -> list[str]:
    """``file: value`` for every forbidden value found in any generated file: one pass of an
    Aho–Corasick automaton over each file, whatever the number of values (a regular
    expression of thousands of alternatives costs values × bytes)."""
    forbidden = set(data.confidential)
    if data.audience == "staff":
        forbidden |= data.personal
    forbidden.discard("")
    if not forbidden:
        return []
    automaton = ahocorasick.Automaton()
    for value in forbidden:
        automaton.add_word(value, value)
    automaton.make_automaton()
    found = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in _TEXT:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            # The search index escapes non-ASCII letters; read it as the browser will.
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), ensure_ascii=False)
        values = {value for _, value in automaton.iter(text)}
        found += [f"{path.relative_to(site_dir)}: {value!r}" for value in sorted(values)]
    return found


def marks(site_dir: Path, data: SiteData) -> list[str]:
    """Every page without its audience's mark."""
    mark = MARKS[data.audience]
    return [
        f"{path.relative_to(site_dir)}: thiếu dấu của trang ({mark})"
        for path in sorted(site_dir.rglob("*.html"))
        if mark not in path.read_text(encoding="utf-8", errors="replace")
    ]


def small_counts(site_dir: Path, data: SiteData) -> list[str]:
    """On the staff site: a count between 1 and the threshold shown for a small unit, whether
    marked with its unit or standing in a table cell of a small unit's page."""
    if data.audience != "staff":
        return []
    g = data.governance
    limit = threshold(g)
    found = []
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(site_dir)
        for value, unit in _SORTED.findall(text):
            if is_small(g, unit) and 0 < int(value) < limit:
                found.append(f"{where}: số nhỏ {value} của đơn vị nhỏ {unit} trong data-sort")
        for unit, value in _MARKED.findall(text):
            if is_small(g, unit) and value.strip().isdigit() and 0 < int(value) < limit:
                found.append(
                    f"{where}: số nhỏ {value.strip()} của đơn vị nhỏ {unit} (dưới {limit})"
                )
        if where.parts[0] == "don-vi" and is_small(g, path.stem):
            text = _MARKED.sub("", text)
            for value in _CELL.findall(text):
                if 0 < int(value) < limit:
                    found.append(f"{where}: số nhỏ {value} trong bảng của đơn vị nhỏ {path.stem}")
    return found
