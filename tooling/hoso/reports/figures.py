"""The figures of a periodic report, computed once from the records; every format renders these."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from hoso import labels
from hoso.errors import HosoError, UsageError
from hoso.governance import Governance
from hoso.models import Case, MemberCase, OrgDisciplineCase, PlanRecord, RankingRecord
from hoso.models.common import EARLIEST, LATEST
from hoso.models.discipline import FORM_LABELS
from hoso.models.org_discipline import ORG_FORM_LABELS
from hoso.models.ranking import LEVEL_LABELS, LEVELS
from hoso.models.screening import CRITERION_LABELS, Criterion
from hoso.reports.bodies import BODY_CLASS_LABELS, deciding_class
from hoso.site.counts import few, masked, meaning, threshold
from hoso.site.facts import Facts, facts_of
from hoso.site.suppress import SECONDARY, Sum, suppress, withheld_note
from hoso.site.tree import is_small

CRITERIA: tuple[str, ...] = Criterion.__args__  # type: ignore[attr-defined]


_PERIOD_CODE = re.compile(r"(\d{4})(?: h([12]))?")
"""``2026-H1`` (folded: "2026 h1") or ``2026``."""
_PERIOD_WORDS = re.compile(r"(?:6 ?t(?:hang)? (dau|cuoi) (?:nam )?|nam )(\d{4})")
""""6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "6T đầu 2026", "năm 2026" (folded)."""


@dataclass(frozen=True)
class Period:
    """A half-year (``2019-H1``) or a year (``2019``)."""

    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period as people write it: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026",
        "năm 2026" (diacritics and case optional, "6T đầu 2026" too), or ``2026-H1``,
        ``2026-h2``, ``2026``."""
        folded = labels.fold(text)
        if match := _PERIOD_CODE.fullmatch(folded):
            written, half = match[1], match[2]
        elif match := _PERIOD_WORDS.fullmatch(folded):
            written, half = match[2], {"dau": "1", "cuoi": "2"}.get(match[1] or "")
        else:
            raise UsageError(
                f"kỳ báo cáo phải viết dạng “6 tháng đầu năm 2026”, “6 tháng cuối năm 2026” "
                f"hoặc “năm 2026” (hoặc 2026-H1, 2026-H2, 2026); nhận được {text!r}"
            )
        year = int(written)
        if not EARLIEST.year < year <= LATEST.year:
            raise UsageError(
                f"năm của kỳ báo cáo phải từ {EARLIEST.year + 1} đến {LATEST.year}; "
                f"nhận được {text!r}"
            )
        return cls._of(year, half)

    @classmethod
    def _of(cls, year: int, half: str | None) -> Period:
        if half is None:
            return cls(f"{year:04d}", date(year, 1, 1), date(year, 12, 31))
        if half == "1":
            return cls(f"{year:04d}-H1", date(year, 1, 1), date(year, 6, 30))
        return cls(f"{year:04d}-H2", date(year, 7, 1), date(year, 12, 31))

    @classmethod
    def half_of(cls, day: date) -> Period:
        """The half-year that holds ``day`` (any day a record may name, 1900 included, which
        ``parse`` refuses as a report period)."""
        return cls._of(day.year, "1" if day.month <= 6 else "2")

    def previous(self) -> Period:
        """The period before (a report shows its figures beside this one's); the earliest
        year a report may cover is 1901, so this is never before 1900."""
        year = self.start.year
        if "-H" not in self.label:
            return Period._of(year - 1, None)
        return Period._of(year - 1, "2") if self.label.endswith("H1") else Period._of(year, "1")

    @property
    def name(self) -> str:
        """The period as a report names it: "năm 2025", "6 tháng đầu năm 2025"."""
        if self.label.endswith("-H1"):
            return f"6 tháng đầu năm {self.start.year}"
        if self.label.endswith("-H2"):
            return f"6 tháng cuối năm {self.start.year}"
        return f"năm {self.start.year}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Row:
    section: str
    """The section's title, unnumbered ("Kết nạp đảng viên"); renderers number the sections."""
    label: str
    values: dict[str, int]
    """Unit code to its figure (the report's unit first, then each unit under it)."""
    previous: int
    """The report unit's figure in the previous period."""
    before: dict[str, int] = field(default_factory=dict)
    """Unit code to its figure in the previous period, for every column."""
    within: str | None = None
    """The label of the row this one is part of ("trong đó"), if any."""


@dataclass(frozen=True)
class AnnexRow:
    """One removal in the period, for the commission's confidential annex."""

    case_id: str
    name: str
    unit: str
    """The cell's name, in words."""
    what: str
    day: str
    """The day, dd/mm/yyyy."""


@dataclass
class Report:
    unit: str
    unit_name: str
    period: Period
    columns: list[tuple[str, str]]
    """(unit code, name) of the report's unit and of each unit directly under it."""
    rows: list[Row] = field(default_factory=list)
    annex: list[AnnexRow] = field(default_factory=list)
    """For the commission only: each removal from the Party in the period, with the name."""
    confidential: bool = False
    """The commission's version (names in the annex): marked "MẬT"."""
    left_out: int = 0
    """Record files that could not be read and so count in no figure (the user asked for the
    report anyway); every format says how many."""
    as_of: date | None = None
    """The day the report was made, when the period had not ended by then: its figures run to
    that day only, and every format says so."""
    masked: frozenset[str] = frozenset()
    """Units whose small counts the staff's report hides, as the staff site does: grassroots
    organisations, partial committees and cells (none in the commission's report)."""
    small_count: int = 3
    """A count of a masked unit from 1 to below this is shown as "< 3"."""
    withheld: frozenset[tuple[str, str, bool]] = frozenset()
    """(unit code, row label, previous period?) of the figures shown as "x" so that no "< 3"
    can be worked out from the others (``hoso.site.suppress``)."""

    def shown(self, code: str, row: Row, before: bool = False) -> int | str:
        """The figure of ``code`` in ``row`` (this period's, or the previous one's) as every
        format shows it: "< 3" in place of a small count of a masked unit, "x" in place of
        one withheld; the renderers never print a figure any other way."""
        value = row.before[code] if before else row.values[code]
        if (code, row.label, before) in self.withheld:
            return SECONDARY
        if code in self.masked and few(value, self.small_count):
            return masked(self.small_count)
        return value

    @property
    def hides(self) -> bool:
        """True when some figure (of this period or the previous) is shown as "< 3" or "x"."""
        return any(
            isinstance(self.shown(code, row, before), str)
            for row in self.rows
            for before in (False, True)
            for code in row.values
        )

    def small_note(self) -> str:
        """What "< 3" and "x" mean in a report (each where the report shows it), and why."""
        limit = self.small_count
        marks = {
            self.shown(code, row, before)
            for row in self.rows
            for before in (False, True)
            for code in row.values
        }
        notes = []
        if masked(limit) in marks:
            notes.append(
                f"“{masked(limit)}” là có {meaning(limit)}: số liệu nhỏ hơn {limit} của tổ chức "
                "cơ sở đảng, đảng ủy bộ phận và chi bộ không ghi cụ thể để bảo vệ thông tin cá "
                "nhân, như trên trang của cán bộ."
            )
        if SECONDARY in marks:
            notes.append(withheld_note())
        return " ".join(notes)

    @property
    def sections(self) -> list[str]:
        """The sections in order, each once."""
        return list(dict.fromkeys(row.section for row in self.rows))


SECTIONS = {
    "admission": "Kết nạp đảng viên",
    "screening": "Rà soát, sàng lọc đảng viên",
    "discipline": "Kỷ luật đảng viên",
    "transfer": "Chuyển sinh hoạt, miễn sinh hoạt",
    "overdue": "Việc quá hạn cuối kỳ",
    "plan": "Thực hiện kế hoạch",
    "ranking": "Đánh giá, xếp loại chất lượng đảng viên",
}
WITHIN_NOTE = "Các dòng “trong đó” là một phần của dòng ngay trên chúng, không cộng thêm vào tổng."
"""What a reader needs to know about the "trong đó" rows."""
CRITERIA_NOTE = (
    " Một đảng viên có thể thuộc nhiều tiêu chí nên tổng các dòng “trong đó” có thể lớn hơn "
    "dòng trên."
)


def within_note(section: str) -> str:
    """The note under a section with "trong đó" rows: only the screening criteria overlap (the
    overdue rows count cases, each once)."""
    return WITHIN_NOTE + (CRITERIA_NOTE if section == SECTIONS["screening"] else "")


LISTED = "Đưa vào danh sách giáo dục, giúp đỡ"

Figures = dict[tuple[str, str], int]


@dataclass(frozen=True)
class _Dated:
    """A set of cases' events by half-year, and each case's span: what every period's figures
    are read from, worked out once for all the periods."""

    halves: dict[tuple[int, bool], list[tuple[date, tuple[str, str], object]]]
    """(year, second half) to each event of that half-year: its day, (kind, state), itself."""
    starts: list[date]
    """Each case's first day, in order."""
    spans: list[tuple[Facts, date]]
    """Each case in the order of ``starts``, with the day from which it owes nothing (its
    latest day when its last step is final, else ``date.max``)."""


def _dated(cases: list[Facts]) -> _Dated:
    from hoso.rules.workflow import WORKFLOWS, settled

    halves: dict[tuple[int, bool], list[tuple[date, tuple[str, str], object]]] = {}
    spans = []
    for case in cases:
        if not case.history:
            continue
        kind = case.kind
        for event in case.history:
            day = event.date
            entry = (day, (kind, str(getattr(event, "state", ""))), event)
            halves.setdefault((day.year, day.month > 6), []).append(entry)
        days = [e.date for e in case.history]
        states = [str(getattr(e, "state", "")) for e in case.history]
        done = kind in WORKFLOWS and settled(kind, states)
        spans.append((min(days), case, max(days) if done else date.max))
    spans.sort(key=lambda item: item[0])
    return _Dated(
        halves,
        [first for first, _, _ in spans],
        [(case, settled) for _, case, settled in spans],
    )


def _by_step(dated: _Dated, period: Period) -> dict[tuple[str, str], list[object]]:
    """Every event in the period, by (kind, state), from the half-years it spans."""
    found: dict[tuple[str, str], list[object]] = defaultdict(list)
    start, end = period.start, period.end
    for year in range(start.year, end.year + 1):
        for second in (False, True):
            for day, key, event in dated.halves.get((year, second), ()):
                if start <= day <= end:
                    found[key].append(event)
    return found


def _count(dated: _Dated, period: Period, governance: Governance) -> Figures:
    """Every event figure for one set of cases and one period, keyed by (section, label)."""
    out: Figures = {}
    a, s, d, t = (SECTIONS[k] for k in ("admission", "screening", "discipline", "transfer"))
    steps = _by_step(dated, period)

    def n(kind: str, state: str) -> int:
        return len(steps.get((kind, state), []))

    out[(a, "Chi bộ đề nghị kết nạp")] = n("admission", "cell_voted")
    out[(a, "Quyết định kết nạp")] = n("admission", "decided")
    out[(a, "Tổ chức lễ kết nạp")] = n("admission", "ceremony_held")
    out[(a, "Công nhận đảng viên chính thức")] = n("admission", "recognised")
    out[(a, "Xóa tên khỏi danh sách đảng viên dự bị")] = n("admission", "struck_from_probation")
    out[(s, "Đảng viên chi ủy đưa vào danh sách dự kiến xem xét")] = n("screening", "flagged")
    listed = steps.get(("screening", "listed"), [])
    out[(s, LISTED)] = len(listed)
    by_criterion: Counter[str] = Counter(str(c) for e in listed for c in getattr(e, "criteria", []))
    for criterion in CRITERIA:
        out[(s, f"  trong đó: {CRITERION_LABELS[criterion]}")] = by_criterion[criterion]
    out[(s, "Tiến bộ, đưa ra khỏi danh sách")] = n("screening", "cleared")
    out[(s, "Xóa tên")] = n("screening", "struck_off")
    out[(s, "Cho ra khỏi Đảng")] = n("screening", "released")
    decided = steps.get(("discipline", "decided"), [])
    forms = Counter(str(getattr(e, "form", "")) for e in decided)
    out[(s, "Khai trừ")] = forms["expulsion"]
    for form, label in FORM_LABELS.items():
        out[(d, f"Kỷ luật {label}")] = forms[form]
    classes = Counter(_deciding(governance, str(getattr(e, "body", ""))) for e in decided)
    for key, label in BODY_CLASS_LABELS.items():
        out[(d, f"Do {label} quyết định")] = classes[key]
    org_forms = Counter(
        str(getattr(e, "form", "")) for e in steps.get(("org_discipline", "decided"), [])
    )
    for form, label in ORG_FORM_LABELS.items():
        out[(d, f"Kỷ luật tổ chức đảng: {label}")] = org_forms[form]
    out[(d, "Khiếu nại kỷ luật nhận được")] = n("discipline", "appealed")
    out[(d, "Khiếu nại kỷ luật đã giải quyết")] = n("discipline", "appeal_answered")
    out[(t, "Chuyển sinh hoạt hoàn thành")] = n("transfer", "received")
    out[(t, "Miễn sinh hoạt được chấp thuận")] = n("exemption", "granted")
    return out


def _deciding(governance: Governance, body: str) -> str:
    found = deciding_class(governance, body)
    if found is None:
        raise HosoError(
            f"không xếp được cấp đã quyết định kỷ luật: {body!r} không là chi bộ, tổ chức cơ sở, "
            "ủy ban kiểm tra hay cấp ủy trong governance/; sửa hồ sơ (hoso validate chỉ ra chỗ "
            "sai) rồi lập lại báo cáo"
        )
    return found


def _as_of_end(dated: _Dated, period: Period) -> Figures:
    """Transfers overdue and cases with a step overdue at the end of the period, judged on each
    case's history as it stood then: the cases begun by then and not yet settled."""
    overdue_transfers = overdue_steps = 0
    end = period.end
    for case, settled in dated.spans[: bisect_right(dated.starts, end)]:
        if settled <= end:
            continue  # ended by then: owes nothing
        first_due = case.first_due(end)
        late = first_due is not None and first_due < period.end
        overdue_steps += late
        overdue_transfers += late and case.kind == "transfer"
    section = SECTIONS["overdue"]
    return {
        (section, "Hồ sơ có bước quá hạn"): overdue_steps,
        (section, "  trong đó: chuyển sinh hoạt quá hạn"): overdue_transfers,
    }


def ranked(rankings: Iterable[RankingRecord], period: Period) -> dict[str, int]:
    """Members ranked at each level, and organisations that ranked them, in the rankings of
    the years that end within the period (a ranking is made at the end of its year)."""
    years = [r for r in rankings if period.start <= date(r.year, 12, 31) <= period.end]
    levels: Counter[str] = Counter(str(m.level) for r in years for m in r.members)
    out = {f"Đảng viên {LEVEL_LABELS[k].lower()}": levels[k] for k in LEVELS}
    out["Tổ chức cơ sở đảng đã xếp loại đảng viên"] = len({r.organisation for r in years})
    return out


def _plan(plan: PlanRecord | None, units: list[str], period: Period) -> Figures:
    """Tasks due by the end of the period, for each district: done on time, late, or open;
    and the admissions the plan targets for the period (a yearly target, halved for a half)."""
    section = SECTIONS["plan"]
    names = (
        "Nhiệm vụ xong đúng hạn",
        "Nhiệm vụ xong muộn",
        "Nhiệm vụ chưa xong",
        "Chỉ tiêu kết nạp theo kế hoạch",
    )
    if plan is None:
        return {(section, name): 0 for name in names}
    share = 0.5 if "-H" in period.label else 1.0
    target = sum(
        round(t.target * share)
        for t in plan.tasks
        if t.target is not None and t.recurrence == "yearly" and t.applies_to == "district"
    ) * len(units)
    done = {(r.unit, r.task): r.date for r in plan.reports if r.status == "done"}
    on_time = late = open_ = 0
    for task in plan.tasks:
        if task.deadline is None or task.deadline > period.end or task.applies_to != "district":
            continue
        for unit in units:
            finished = done.get((unit, task.id))
            if finished is None or finished > period.end:
                open_ += 1
            elif finished <= task.deadline:
                on_time += 1
            else:
                late += 1
    values = (on_time, late, open_, target)
    return {(section, name): value for name, value in zip(names, values, strict=True)}


def compute(
    cases: Sequence[Case | Facts],
    plan: PlanRecord | None,
    governance: Governance,
    unit: str,
    period: Period,
    commission: bool = False,
    rankings: Iterable[RankingRecord] = (),
    children: bool = True,
    memo: dict[object, object] | None = None,
    people: Sequence[Case] | None = None,
) -> Report:
    """The report of ``unit`` for ``period``: a column for the unit and, with ``children``, one
    for each unit directly under it; each figure beside the previous period's. ``cases`` may
    be facts (``hoso.site.facts``); the ``commission``'s annex, which names people, lists
    those of ``people`` (by default, the cases read in full among ``cases``).

    ``memo`` keeps what is worked out from one call to the next, for calls over the same
    records (the site computes every half-year of every unit: each period is the previous one
    of the next)."""
    memo = {} if memo is None else memo
    if unit not in governance.units:
        raise UsageError(f"không có đơn vị {unit!r} trong governance/units.yaml")
    # In the order governance lists them, as the site shows them; never by their codes.
    under = [u.code for u in governance.units.values() if u.parent == unit]
    codes = [unit, *under] if children else [unit]
    columns = [(code, governance.units[code].name) for code in codes]
    report = Report(unit, governance.units[unit].name, period, columns)
    grouped: dict[str, list[Facts]] = {}

    def own_cases(cell: str) -> _Dated:
        """The cases whose members meet in ``cell`` (a unit's own), by half-year: the same
        records each call, so each unit's once."""
        if ("own", cell) not in memo:
            if not grouped:
                for case in cases:
                    facts = case if isinstance(case, Facts) else facts_of(case, governance)
                    grouped.setdefault(facts.cell, []).append(facts)
            memo[("own", cell)] = _dated(grouped.get(cell, []))
        found: _Dated = memo[("own", cell)]  # type: ignore[assignment]
        return found

    def events(cell: str, when: Period) -> Figures:
        key = ("events", cell, when)
        if key not in memo:
            dated = own_cases(cell)
            memo[key] = {**_count(dated, when, governance), **_as_of_end(dated, when)}
        found: Figures = memo[key]  # type: ignore[assignment]
        return found

    ranks = {
        code: [r for r in rankings if governance.is_within(r.organisation, code)] for code in codes
    }
    districts = {
        code: sorted(u for u in governance.subtree(code) if governance.units[u].level == "district")
        for code in codes
    }

    def figures(code: str, when: Period) -> Figures:
        key = ("figures", code, when)
        if key not in memo:
            # Counts add up: a unit's are those of its own cases and of every unit under it.
            counted = dict(events(code, when))
            for other in sorted(governance.subtree(code) - {code}):
                for label, value in events(other, when).items():
                    counted[label] += value
            memo[key] = {
                **counted,
                **_plan(plan, districts[code], when),
                **{(SECTIONS["ranking"], k): v for k, v in ranked(ranks[code], when).items()},
            }
        found: Figures = memo[key]  # type: ignore[assignment]
        return found

    now = {code: figures(code, period) for code in codes}
    before = {code: figures(code, period.previous()) for code in codes}
    parent = ""
    for key in now[unit]:
        label = key[1]
        if not label.startswith(" "):
            parent = label.strip()
        report.rows.append(
            Row(
                key[0],
                label,
                {code: now[code][key] for code in codes},
                before[unit][key],
                {code: before[code][key] for code in codes},
                parent if label.startswith(" ") else None,
            )
        )
    if not commission:
        limit = threshold(governance)

        hidden: set[tuple[str, str, bool]] = set()
        for when in {period, period.previous()}:
            found = withheld(
                events, governance, rankings, when.start.year, _until(when), limit, memo
            )
            for row in report.rows:
                for code in codes:
                    if _key(code, row.section, row.label, when) in found:
                        hidden.add((code, row.label, when != period))
        report.withheld = frozenset(hidden)
    if commission:
        report.confidential = True
        named = [c for c in cases if not isinstance(c, Facts)] if people is None else people
        own = [c for c in named if governance.is_within(c.cell, unit)]
        report.annex = _annex(own, period, governance)
    else:
        report.masked = frozenset(code for code in codes if is_small(governance, code))
        report.small_count = threshold(governance)
    return report


def _until(period: Period) -> date | None:
    """The day a period cut short ends on (the site's current half-year runs to today)."""
    whole = Period._of(period.start.year, None if "-H" not in period.label else period.label[-1])
    return period.end if period.end < whole.end else None


def _key(code: str, section: str, label: str, period: Period) -> tuple[object, ...] | None:
    """What identifies a figure wherever it is shown: a count of events by unit, row and
    period; a count at the end of a period by its last day (a year's is its second half's);
    a ranking by its year (a year's and its second half's are one). None for the figures that
    count no member (the plan's, the organisations that ranked their members)."""
    if section == SECTIONS["plan"] or label == _RANKED_ORGANISATIONS:
        return None
    if section == SECTIONS["overdue"]:
        return (code, "end", period.end, label)
    if section == SECTIONS["ranking"] and not period.label.endswith("H1"):
        return (code, "rank", period.start.year, label)
    return (code, period.label, label)


_RANKED_ORGANISATIONS = "Tổ chức cơ sở đảng đã xếp loại đảng viên"


def _figure_key(code: str, section: str, label: str, period: Period) -> tuple[object, ...]:
    found = _key(code, section, label, period)
    assert found is not None
    return found


def withheld(
    events: object,
    governance: Governance,
    rankings: Iterable[RankingRecord],
    year: int,
    until: date | None,
    limit: int,
    memo: dict[object, object],
) -> set[object]:
    """The figures of a calendar year (its halves and the whole, of every unit) that the
    staff's reports and site show as "x", so that no "< 3" can be worked out from the figures
    beside it: the units under a unit add up to it, the halves to the year, the forms of
    discipline to the deciding bodies, "Khai trừ" is the same figure in two sections. Worked
    out once per year for every report, so that a figure is hidden alike wherever it is."""
    memo_key = ("withheld", year, until)
    if memo_key in memo:
        found: set[object] = memo[memo_key]  # type: ignore[assignment]
        return found
    from hoso.rules.competence import is_cell

    count = events  # (cell, Period) -> Figures of the unit's own cases
    halves = [Period._of(year, "1"), Period._of(year, "2")]
    whole = Period._of(year, None)
    if until is not None:
        halves = [Period(p.label, p.start, min(p.end, until)) for p in halves if p.start <= until]
        whole = Period(whole.label, whole.start, min(whole.end, until))
    periods = [*halves, whole]
    units = governance.units
    under: dict[str, list[str]] = defaultdict(list)
    for unit in units.values():
        if unit.parent in units:
            under[unit.parent].append(unit.code)
    order = sorted(units, key=lambda c: -len(list(governance.lineage(c))))  # leaves first
    by_org: dict[str, list[RankingRecord]] = defaultdict(list)
    for r in rankings:
        by_org[r.organisation].append(r)
    values: dict[Hashable, int] = {}
    own: dict[Hashable, int] = {}
    rows: dict[tuple[str, str], None] = {}
    for when in periods:
        totals: dict[str, dict[tuple[str, str], int]] = {}
        for code in order:
            mine = dict(count(code, when))  # type: ignore[operator]
            mine.update(
                {(SECTIONS["ranking"], k): v for k, v in ranked(by_org[code], when).items()}
            )
            total = dict(mine)
            for child in under[code]:
                for figure, value in totals[child].items():
                    total[figure] = total.get(figure, 0) + value
            totals[code] = total
            for (section, label), value in total.items():
                key = _key(code, section, label, when)
                if key is None:
                    continue
                rows[(section, label)] = None
                values[key] = value
                own[("own", *key)] = mine.get((section, label), 0)
    sums: list[Sum] = []
    unpublished: set[Hashable] = set()
    for when in periods:
        for section, label in rows:
            org = label.startswith("Kỷ luật tổ chức đảng")
            for code, children in under.items():
                key = _figure_key(code, section, label, when)
                parts = tuple(_figure_key(c, section, label, when) for c in children)
                level = units[code].level
                may_hold = (
                    org
                    or (section == SECTIONS["ranking"] and level == "grassroots")
                    or (section != SECTIONS["ranking"] and is_cell(governance, code))
                )
                if may_hold or own.get(("own", *key), 0):
                    parts += (("own", *key),)
                    values[("own", *key)] = own[("own", *key)]
                    unpublished.add(("own", *key))
                sums.append(Sum(key, parts))
    events_rows = [
        (section, label)
        for section, label in rows
        if section not in (SECTIONS["overdue"], SECTIONS["ranking"])
    ]
    d = SECTIONS["discipline"]
    forms = [f"Kỷ luật {label}" for label in FORM_LABELS.values()]
    bodies = [f"Do {label} quyết định" for label in BODY_CLASS_LABELS.values()]
    within = {
        SECTIONS["screening"]: LISTED,
        SECTIONS["overdue"]: "Hồ sơ có bước quá hạn",
    }
    for code in units:
        for when in periods:
            # A "trong đó" row is at most the row it is part of.
            for section, label in rows:
                if label.startswith(" ") and section in within:
                    part = _figure_key(code, section, label, when)
                    slack = ("within", *part)
                    entire = _figure_key(code, section, within[section], when)
                    values[slack] = values[entire] - values[part]
                    unpublished.add(slack)
                    sums.append(Sum(entire, (part, slack)))
        for section, label in events_rows:
            parts = tuple(_figure_key(code, section, label, h) for h in halves)
            sums.append(Sum(_figure_key(code, section, label, whole), parts))
        for when in periods:
            decided = ("decided", code, when)
            values[decided] = sum(values[_figure_key(code, d, f, when)] for f in forms)
            unpublished.add(decided)
            sums.append(Sum(decided, tuple(_figure_key(code, d, f, when) for f in forms)))
            sums.append(Sum(decided, tuple(_figure_key(code, d, b, when) for b in bodies)))
            expelled = _figure_key(code, SECTIONS["screening"], "Khai trừ", when)
            sums.append(Sum(expelled, (_figure_key(code, d, "Kỷ luật khai trừ", when),)))
    # Figures that are all 0 give nothing away and take no part in what does.
    sums = [e for e in sums if values[e.total] or any(values[p] for p in e.parts)]
    primary = {
        key
        for key, value in values.items()
        if key not in unpublished and is_small(governance, str(key[0])) and few(value, limit)  # type: ignore[index]
    }
    found = suppress(values, primary, sums, limit, unpublished)
    memo[memo_key] = found
    return found


def has_data(cases: Sequence[Case | Facts], period: Period) -> bool:
    """True when any case records a step in the period."""
    return any(e.date in period for c in cases for e in c.history)


_REMOVALS = {
    ("screening", "struck_off"): "xóa tên",
    ("screening", "released"): "cho ra khỏi Đảng",
    ("admission", "struck_from_probation"): "xóa tên dự bị",
}


def removal(kind: str, event: object) -> str | None:
    """How an event takes a member out of the Party, in words, or None."""
    state = str(getattr(event, "state", ""))
    if kind == "discipline" and state == "decided" and getattr(event, "form", None) == "expulsion":
        return "khai trừ"
    return _REMOVALS.get((kind, state))


def _annex(cases: list[Case], period: Period, governance: Governance) -> list[AnnexRow]:
    out: list[tuple[date, MemberCase, str]] = []
    for case in cases:
        if isinstance(case, OrgDisciplineCase):
            continue  # an organisation, not a person: no name to list
        for event in case.history:
            what = removal(case.kind, event)
            if what and event.date in period:
                out.append((event.date, case, what))
    out.sort(key=lambda item: (item[0], item[1].id))
    return [
        AnnexRow(c.id, c.subject.name, labels.unit(governance, c.cell), what, labels.day(day))
        for day, c, what in out
    ]
