"""A small count hidden as "< 3" must not be recoverable by subtraction: from a shown total and
the figures beside it (a district's 3 over three grassroots units shown "< 3" makes each 1), from
the halves of a year and the year, from two breakdowns of one total. The attacker here reads
every staff report of every unit of random fictional provinces, writes down every relation it
knows between the figures, and asks an integer solver for the least and the greatest value
each hidden count can take: a count whose least and greatest agree is found out."""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import date
from pathlib import Path

import pytest

from hoso.models.discipline import FORM_LABELS
from hoso.reports import render
from hoso.reports.bodies import BODY_CLASS_LABELS
from hoso.reports.figures import SECTIONS, Period, compute
from hoso.rules.competence import is_cell
from hoso.sample.write import generate
from hoso.site.data import SiteData, load
from hoso.site.suppress import SECONDARY, Sum, found_out, suppress

TODAY = date(2026, 11, 26)
LIMIT = 3
Key = Hashable
Range = tuple[float, float]


def _narrowed(
    rows: list[tuple[dict[Key, int], float]], ranges: dict[Key, Range]
) -> dict[Key, Range] | None:
    """The ranges once every equation (sum of coefficient times figure = constant) has said
    all it can about each figure, until nothing changes; None when they cannot all hold."""
    ranges = dict(ranges)
    changed = True
    while changed:
        changed = False
        for coefficients, constant in rows:
            low = sum(
                c * ranges[k][0] if c > 0 else c * ranges[k][1] for k, c in coefficients.items()
            )
            high = sum(
                c * ranges[k][1] if c > 0 else c * ranges[k][0] for k, c in coefficients.items()
            )
            for k, c in coefficients.items():
                lo, hi = ranges[k]
                others_low = low - (c * lo if c > 0 else c * hi)
                others_high = high - (c * hi if c > 0 else c * lo)
                if math.isnan(others_low) or math.isnan(others_high):
                    continue
                # c * x = constant - others
                a, b = (constant - others_high) / c, (constant - others_low) / c
                least, most = min(a, b), max(a, b)
                new = (
                    max(lo, math.ceil(least) if math.isfinite(least) else least),
                    min(hi, math.floor(most) if math.isfinite(most) else most),
                )
                if new[0] > new[1]:
                    return None
                if new != (lo, hi):
                    ranges[k] = new
                    changed = True
    return ranges


def _recover(
    ranges: dict[Key, Range],
    equations: Iterable[tuple[Key, tuple[Key, ...]]],
    targets: Iterable[Key],
) -> dict[Key, int]:
    """Each target whose value the equations and ranges fix, with that value. For each hidden
    count, one connected group of unknowns at a time: narrow every range equation by equation,
    then try each value the count may take and keep those that do not contradict the rest."""
    unknown = {k for k, (lo, hi) in ranges.items() if lo != hi}
    parent: dict[Key, Key] = {k: k for k in unknown}

    def root(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    rows: list[tuple[dict[Key, int], float]] = []
    for total, parts in equations:
        coefficients: dict[Key, int] = defaultdict(int)
        constant = 0.0
        for sign, key in [(1, total), *((-1, p) for p in parts)]:
            if key in unknown:
                coefficients[key] += sign
            else:
                constant -= sign * ranges[key][0]
        coefficients = {k: c for k, c in coefficients.items() if c}
        if coefficients:
            rows.append((coefficients, constant))
            first, *rest = coefficients
            for other in rest:
                parent[root(other)] = root(first)
        else:
            assert constant == 0, (total, parts)  # what is shown adds up
    groups: dict[Key, list[tuple[dict[Key, int], float]]] = defaultdict(list)
    for row in rows:
        groups[root(next(iter(row[0])))].append(row)
    found = {}
    for key in targets:
        if key not in unknown:
            continue
        mine = groups.get(root(key), [])
        local = {k: ranges[k] for c, _ in mine for k in c} | {key: ranges[key]}
        narrowed = _narrowed(mine, local)
        assert narrowed is not None, key  # the true figures satisfy every equation
        lo, hi = narrowed[key]
        possible = [
            v for v in range(int(lo), int(hi) + 1) if _narrowed(mine, {**narrowed, key: (v, v)})
        ]
        if len(possible) == 1:
            found[key] = possible[0]
    return found


def _province(tmp: Path, seed: int, cases: int) -> SiteData:
    generate(tmp, cases, seed)
    return load(tmp, "staff", TODAY)


def _periods(data: SiteData) -> list[Period]:
    years = sorted({e.date.year for f in data.facts for e in f.history} | {TODAY.year})
    out = []
    for year in range(years[0], years[-1] + 1):
        out += [Period.parse(f"{year}-H1"), Period.parse(f"{year}-H2"), Period.parse(str(year))]
    return [p for p in out if p.start <= TODAY]


def _key(code: str, label: str, section: str, period: Period) -> tuple[object, ...]:
    """The figure a report shows, by what it is: a ranking or a count at the end of a period
    is one figure in a year's report and in its second half's."""
    if section.endswith(SECTIONS["overdue"]):
        return (code, "end", period.end, label)
    if section.endswith(SECTIONS["ranking"]) and not period.label.endswith("H1"):
        return (code, "rank", period.start.year, label)
    return (code, period.label, label)


def _read_reports(
    data: SiteData, periods: list[Period]
) -> tuple[dict[Key, set[str]], dict[str, str]]:
    """Everything the staff's reports show, each figure with every way it was shown: the CSV
    of every unit that has units under it, and of some that have none, for every period; and
    each row's label with its numbered section."""
    g = data.governance
    parents = {u.parent for u in g.units.values() if u.parent}
    leaves = sorted(c for c in g.units if c not in parents)[::7]
    seen: dict[Key, set[str]] = defaultdict(set)
    sections: dict[str, str] = {}
    memo: dict[object, object] = {}
    for code in sorted(parents) + leaves:
        for period in periods:
            report = compute(
                data.facts, data.plan, g, code, period, rankings=data.rankings, memo=memo
            )
            text = render.as_csv(report).removeprefix(render.BOM)
            for row in list(csv.reader(io.StringIO(text)))[1:]:
                if row[1] == "Ghi chú" or row[1].endswith(SECTIONS["plan"]):
                    continue
                if row[2] == "Tổ chức cơ sở đảng đã xếp loại đảng viên":
                    continue  # a grassroots unit ranks its own members: 0 or 1, no secret
                sections[row[2]] = row[1]
                seen[_key(row[3], row[2], row[1], period)].add(row[5])
                seen[_key(row[3], row[2], row[1], period.previous())].add(row[6])
    return seen, sections


def _relations(data: SiteData, periods: list[Period], labels: dict[str, str]) -> list[Sum]:
    """What any reader knows adds up: the units under a unit (and what the unit holds itself,
    where it may hold cases or rankings), the two halves of a year, a screening criterion and
    the transfers overdue within their row, the forms of discipline and the deciding bodies."""
    g = data.governance
    under: dict[str, list[str]] = defaultdict(list)
    for unit in g.units.values():
        if unit.parent:
            under[unit.parent].append(unit.code)
    out: list[Sum] = []
    for period in periods:
        for label, section in labels.items():
            org = label.startswith("Kỷ luật tổ chức đảng")
            ranking = section.endswith(SECTIONS["ranking"])
            for code, children in under.items():
                parts = tuple(_key(c, label, section, period) for c in children)
                level = g.units[code].level
                if org or (level == "grassroots" if ranking else is_cell(g, code)):
                    parts += (("own", code, period.label, label),)
                out.append(Sum(_key(code, label, section, period), parts))
            for code in g.units:
                here = _key(code, label, section, period)
                if label.startswith("trong đó"):
                    whole = (
                        "Hồ sơ có bước quá hạn"
                        if section.endswith(SECTIONS["overdue"])
                        else "Đưa vào danh sách giáo dục, giúp đỡ"
                    )
                    slack = ("slack", code, period.label, label)
                    out.append(Sum(_key(code, whole, section, period), (here, slack)))
                if period.label.isdigit() and not (
                    section.endswith(SECTIONS["overdue"]) or ranking
                ):
                    halves = [Period.parse(f"{period.label}-H{n}") for n in (1, 2)]
                    parts = tuple(_key(code, label, section, h) for h in halves)
                    out.append(Sum(here, parts))
        discipline = next(s for s in labels.values() if s.endswith(SECTIONS["discipline"]))
        screening = next(s for s in labels.values() if s.endswith(SECTIONS["screening"]))
        for code in g.units:
            decided = ("decided", code, period.label)
            forms = tuple(
                _key(code, f"Kỷ luật {f}", discipline, period) for f in FORM_LABELS.values()
            )
            bodies = tuple(
                _key(code, f"Do {b} quyết định", discipline, period)
                for b in BODY_CLASS_LABELS.values()
            )
            out += [Sum(decided, forms), Sum(decided, bodies)]
            out.append(
                Sum(
                    _key(code, "Khai trừ", screening, period),
                    (_key(code, "Kỷ luật khai trừ", discipline, period),),
                )
            )
    return out


def _attack(data: SiteData) -> dict[Key, int]:
    """Every small count a staff report hides that the attacker works out, with its value."""
    periods = _periods(data)
    seen, sections = _read_reports(data, periods)
    mixed = {k: v for k, v in seen.items() if len(v) > 1}
    assert mixed == {}, list(mixed.items())[:5]  # one figure, shown alike everywhere
    every = {p for when in periods for p in (when, when.previous())}
    equations = _relations(data, sorted(every, key=lambda p: (p.start, p.end)), sections)
    ranges: dict[Key, Range] = {}
    for key, (shown,) in seen.items():
        if shown == f"< {LIMIT}":
            ranges[key] = (1, LIMIT - 1)
        elif shown == SECONDARY:
            ranges[key] = (1, math.inf)
        else:
            ranges[key] = (int(shown), int(shown))
    for equation in equations:
        for key in (equation.total, *equation.parts):
            ranges.setdefault(key, (0, math.inf))
    hidden = [k for k, (shown,) in seen.items() if shown == f"< {LIMIT}"]
    return _recover(ranges, [(e.total, e.parts) for e in equations], hidden)


@pytest.mark.parametrize("seed", [3, 11])
def test_no_hidden_count_in_the_reports_can_be_worked_out(tmp_path: Path, seed: int) -> None:
    data = _province(tmp_path, seed, 60)
    found = _attack(data)
    assert found == {}, sorted(found.items(), key=repr)[:10]


def test_a_total_over_hidden_counts_is_withheld() -> None:
    """The brief's cases: 3 over three "< 3" gives each away; 5 over "< 3", 2 and 2 too; and a
    unit "< 3" over two cells "< 3" is 2, each cell 1."""
    three = {"huyện": 3, "a": 1, "b": 1, "c": 1}
    sums = [Sum("huyện", ("a", "b", "c"))]
    small = {"a", "b", "c"}
    assert found_out(three, set(), small, sums, LIMIT) == small
    crossed = suppress(three, small, sums, LIMIT)
    assert crossed == {"huyện"} and not found_out(three, crossed, small, sums, LIMIT)
    five = {"huyện": 5, "a": 1, "b": 2, "c": 2}
    assert found_out(five, set(), {"a"}, sums, LIMIT) == {"a"}
    crossed = suppress(five, {"a"}, sums, LIMIT)
    assert crossed == {"b"} and not found_out(five, crossed, {"a"}, sums, LIMIT)
    two = {"xã": 2, "cb1": 0, "cb2": 1, "cb3": 1}
    cells = [Sum("xã", ("cb1", "cb2", "cb3"))]
    small = {"xã", "cb2", "cb3"}
    assert found_out(two, set(), small, cells, LIMIT) == small
    crossed = suppress(two, small, cells, LIMIT)
    assert crossed == {"xã"} and not found_out(two, crossed, small, cells, LIMIT)


_SPAN = re.compile(r'<span data-hoso-so="([^"]+)">([^<]*)</span>')
_SENTENCE = re.compile(
    r"có <span data-hoso-so=\"([^\"]+)\">([^<]*)</span> hồ sơ, trong đó "
    r"<span[^>]*>([^<]*)</span> đang xử lý, <span[^>]*>([^<]*)</span> có bước quá hạn, "
    r"<span[^>]*>([^<]*)</span> có bước đến hạn"
)


def _read_site(pages: dict[str, str]) -> tuple[dict[Key, set[str]], set[str]]:
    """Every count of today the staff's unit pages, overview and home page show: (unit,
    measure) with every way it was shown; and the kinds and states seen."""
    from hoso import labels
    from hoso.models import STATE_LABELS
    from hoso.site.units import CASE_KINDS

    kinds = {labels.kind(k): k for k in CASE_KINDS}
    states = {(labels.kind(k), labels.state(k, s)): s for k in CASE_KINDS for s in STATE_LABELS[k]}
    measures = [("kind", k) for k in CASE_KINDS] + ["open", "overdue"]
    seen: dict[Key, set[str]] = defaultdict(set)
    for path, page in pages.items():
        if not path.startswith("don-vi/"):
            continue
        for code, *values in _SENTENCE.findall(page):
            for measure, value in zip(("total", "open", "overdue", "soon"), values, strict=True):
                seen[(code, measure)].add(value.replace("&lt;", "<"))
        for table in page.split("<table")[1:]:
            label = re.search(r'aria-label="([^"]+)"', table)
            rows = table.split("<tr>")[2:]
            if label and label[1] == "Đơn vị trực thuộc":
                for row in rows:
                    spans = _SPAN.findall(row)
                    for (code, value), measure in zip(spans, measures, strict=True):
                        seen[(code, measure)].add(value.replace("&lt;", "<"))
            elif label and label[1] == "Hồ sơ theo loại và trạng thái":
                for row in rows:
                    kind, state = re.findall(r"<td>([^<]*)</td>", row)[:2]
                    ((code, value),) = _SPAN.findall(row)
                    key = (code, ("state", kinds[kind], states[(kind, state)]))
                    seen[key].add(value.replace("&lt;", "<"))
    return seen, set(kinds.values())


def _attack_site(data: SiteData, pages: dict[str, str]) -> dict[Key, int]:
    """Every small count of today a staff page hides that the attacker works out."""
    from hoso.models import STATE_LABELS

    g = data.governance
    seen, kinds = _read_site(pages)
    mixed = {k: v for k, v in seen.items() if len(v) > 1}
    assert mixed == {}, list(mixed.items())[:5]  # one figure, shown alike everywhere
    measures: list[Key] = ["total", "open", "overdue", "soon"]
    measures += [("kind", k) for k in sorted(kinds)]
    measures += [("state", k, s) for k in sorted(kinds) for s in STATE_LABELS[k]]
    equations: list[Sum] = []
    for unit in g.units.values():
        code = unit.code
        children = [u.code for u in g.units.values() if u.parent == code]
        if children:
            for measure in measures:
                parts: tuple[Key, ...] = tuple((c, measure) for c in children)
                if (
                    is_cell(g, code)
                    or measure in ("total", "open", "overdue", "soon")
                    or (isinstance(measure, tuple) and measure[1] == "org_discipline")
                ):
                    parts += (("own", code, measure),)
                equations.append(Sum((code, measure), parts))
        equations.append(Sum((code, "total"), tuple((code, ("kind", k)) for k in sorted(kinds))))
        for k in sorted(kinds):
            states = tuple((code, ("state", k, s)) for s in STATE_LABELS[k])
            equations.append(Sum((code, ("kind", k)), states))
        for measure in ("overdue", "soon"):
            equations.append(Sum((code, "open"), ((code, measure), ("rest", code, measure))))
    ranges: dict[Key, Range] = {}
    for key, (shown,) in seen.items():
        if shown == f"< {LIMIT}":
            ranges[key] = (1, LIMIT - 1)
        elif shown == SECONDARY:
            ranges[key] = (1, math.inf)
        else:
            ranges[key] = (int(shown), int(shown))
    # A state the unit's table does not list has no case there.
    for equation in equations:
        for key in (equation.total, *equation.parts):
            if isinstance(key[1], tuple) and key[1][0] == "state" and key[0] in g.units:
                ranges.setdefault(key, (0, 0))
            ranges.setdefault(key, (0, math.inf))
    hidden = [k for k, (shown,) in seen.items() if shown == f"< {LIMIT}"]
    return _recover(ranges, [(e.total, e.parts) for e in equations], hidden)


@pytest.mark.parametrize("seed", [3, 11])
def test_no_hidden_count_on_the_staff_site_can_be_worked_out(tmp_path: Path, seed: int) -> None:
    from hoso.site.pages import render_all

    generate(tmp_path, 60, seed)
    data, pages = render_all(tmp_path, "staff", TODAY)
    found = _attack_site(data, pages)
    assert found == {}, sorted(found.items(), key=repr)[:10]


@pytest.mark.parametrize("seed", [3, 11])
def test_the_site_hides_what_the_reports_hide(tmp_path: Path, seed: int) -> None:
    """A ranking, a district's admissions in the plan's table: the same figure on a unit page
    and in a report is shown alike, "x" on both or on neither."""
    from hoso.models.ranking import LEVEL_LABELS, LEVELS
    from hoso.site.pages import render_all
    from hoso.site.tree import unit_path

    generate(tmp_path, 60, seed)
    data, pages = render_all(tmp_path, "staff", TODAY)
    g = data.governance
    compared = 0
    for code in g.units:
        page = pages[unit_path(g, code)]
        table = page.split('aria-label="Xếp loại chất lượng đảng viên"')[1:]
        body = table[0].split("</table>")[0] if table else ""
        for row in body.split("<tr>")[2:]:
            year = re.match(r"<td>(\d{4})</td>", row)
            assert year
            shown = [v.replace("&lt;", "<") for _, v in _SPAN.findall(row)]
            report = compute(
                data.facts, data.plan, g, code, Period.parse(year[1]), rankings=data.rankings
            )
            rows = {r.label: r for r in report.rows}
            said = [
                str(report.shown(code, rows[f"Đảng viên {LEVEL_LABELS[k].lower()}"]))
                for k in LEVELS
            ]
            assert shown == said, (code, year[1])
            compared += 1
    assert compared
    plan = pages["tong-hop.md"]
    report = compute(
        data.facts,
        data.plan,
        g,
        "thu-nghiem",
        Period.parse(str(TODAY.year)),
        rankings=data.rankings,
    )
    decided = next(r for r in report.rows if r.label == "Quyết định kết nạp")
    for code, _ in report.columns[1:]:
        if g.units[code].level == "district":
            assert f"({report.shown(code, decided)}/" in plan
