"""The figures of a periodic report, computed once from the records; every format renders these."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from hoso import labels
from hoso.errors import UsageError
from hoso.governance import Governance
from hoso.models import Case, OrgDisciplineCase, PlanRecord, RankingRecord
from hoso.models.common import EARLIEST, LATEST
from hoso.models.discipline import FORM_LABELS
from hoso.models.org_discipline import ORG_FORM_LABELS
from hoso.models.ranking import LEVEL_LABELS, LEVELS
from hoso.models.screening import CRITERION_LABELS, Criterion
from hoso.rules.deadlines import pending

CRITERIA: tuple[str, ...] = Criterion.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Period:
    """A half-year (``2019-H1``) or a year (``2019``)."""

    label: str
    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> Period:
        match = re.fullmatch(r"(\d{4})(?:-H([12]))?", text)
        if not match:
            raise UsageError(
                f"kỳ báo cáo phải có dạng NNNN-H1, NNNN-H2 hoặc NNNN; nhận được {text!r}"
            )
        year, half = int(match[1]), match[2]
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
    label: str
    values: dict[str, int]
    """Unit code to its figure (the report's unit first, then each unit under it)."""
    previous: int
    """The report unit's figure in the previous period."""


@dataclass
class Report:
    unit: str
    unit_name: str
    period: Period
    columns: list[tuple[str, str]]
    """(unit code, name) of the report's unit and of each unit directly under it."""
    rows: list[Row] = field(default_factory=list)
    annex: list[tuple[str, str, str, str]] = field(default_factory=list)
    """For the commission only: (case id, name, what, date) of each removal in the period."""
    left_out: int = 0
    """Record files that could not be read and so count in no figure (the user asked for the
    report anyway); every format says how many."""


SECTIONS = {
    "admission": "1. Kết nạp đảng viên",
    "screening": "2. Rà soát, sàng lọc đảng viên",
    "discipline": "3. Kỷ luật đảng viên",
    "transfer": "4. Chuyển sinh hoạt, miễn sinh hoạt",
    "plan": "5. Thực hiện kế hoạch",
    "ranking": "6. Đánh giá, xếp loại chất lượng đảng viên",
}


def _events(cases: list[Case], period: Period, kind: str, state: str) -> list[tuple[Case, object]]:
    return [
        (c, e)
        for c in cases
        if c.kind == kind
        for e in c.history
        if getattr(e, "state", None) == state and e.date in period
    ]


def _count(cases: list[Case], period: Period) -> dict[tuple[str, str], int]:
    """Every figure for one set of cases and one period, keyed by (section, label)."""
    out: dict[tuple[str, str], int] = {}
    a, s, d, t = (SECTIONS[k] for k in ("admission", "screening", "discipline", "transfer"))

    def n(kind: str, state: str) -> int:
        return len(_events(cases, period, kind, state))

    out[(a, "Chi bộ đề nghị kết nạp")] = n("admission", "cell_voted")
    out[(a, "Quyết định kết nạp")] = n("admission", "decided")
    out[(a, "Tổ chức lễ kết nạp")] = n("admission", "ceremony_held")
    out[(a, "Công nhận đảng viên chính thức")] = n("admission", "recognised")
    out[(a, "Xóa tên khỏi danh sách đảng viên dự bị")] = n("admission", "struck_from_probation")
    out[(s, "Đảng viên được rà soát")] = n("screening", "flagged")
    listed = _events(cases, period, "screening", "listed")
    out[(s, "Đưa vào danh sách giáo dục, giúp đỡ")] = len(listed)
    by_criterion: Counter[str] = Counter(
        str(c) for _, e in listed for c in getattr(e, "criteria", [])
    )
    for criterion in CRITERIA:
        out[(s, f"  trong đó: {CRITERION_LABELS[criterion]}")] = by_criterion[criterion]
    out[(s, "Tiến bộ, đưa ra khỏi danh sách")] = n("screening", "cleared")
    out[(s, "Xóa tên")] = n("screening", "struck_off")
    out[(s, "Cho ra khỏi Đảng")] = n("screening", "released")
    decided = _events(cases, period, "discipline", "decided")
    forms = Counter(str(getattr(e, "form", "")) for _, e in decided)
    out[(s, "Khai trừ")] = forms["expulsion"]
    for form, label in FORM_LABELS.items():
        out[(d, f"Kỷ luật {label}")] = forms[form]
    bodies: Counter[str] = Counter(_body_level(str(getattr(e, "body", ""))) for _, e in decided)
    for level, label in _BODY_LABELS.items():
        out[(d, f"Do {label} quyết định")] = bodies[level]
    org_forms = Counter(
        str(getattr(e, "form", "")) for _, e in _events(cases, period, "org_discipline", "decided")
    )
    for form, label in ORG_FORM_LABELS.items():
        out[(d, f"Kỷ luật tổ chức đảng: {label}")] = org_forms[form]
    out[(d, "Khiếu nại kỷ luật nhận được")] = n("discipline", "appealed")
    out[(d, "Khiếu nại kỷ luật đã giải quyết")] = n("discipline", "appeal_answered")
    out[(t, "Chuyển sinh hoạt hoàn thành")] = n("transfer", "received")
    out[(t, "Miễn sinh hoạt được chấp thuận")] = n("exemption", "granted")
    return out


_BODY_LABELS = {
    "cell": "chi bộ",
    "grassroots": "đảng ủy cơ sở",
    "inspection": "ủy ban kiểm tra",
    "committee": "cấp ủy, ban thường vụ cấp trên",
}


def _body_level(body: str) -> str:
    if body.endswith(".inspection"):
        return "inspection"
    if body.endswith((".standing", ".executive")) and body.count("-x") == 0:
        return "committee"
    if body.endswith(".executive"):
        return "grassroots"
    return "cell"


def _as_of_end(cases: list[Case], governance: Governance, period: Period) -> dict[str, int]:
    """Transfers overdue and cases with a step overdue at the end of the period, judged on each
    case's history as it stood then."""
    overdue_transfers = overdue_steps = 0
    for case in cases:
        events = [e for e in case.history if e.date <= period.end]
        if not events:
            continue
        then = case.model_copy(
            update={"history": events, "status": getattr(events[-1], "state", case.status)}
        )
        late = [d for d in pending(then, governance) if d.due < period.end]
        overdue_steps += bool(late)
        overdue_transfers += bool(late) and case.kind == "transfer"
    return {
        "Chuyển sinh hoạt quá hạn cuối kỳ": overdue_transfers,
        "Hồ sơ có bước quá hạn cuối kỳ": overdue_steps,
    }


def ranked(rankings: Iterable[RankingRecord], period: Period) -> dict[str, int]:
    """Members ranked at each level, and organisations that ranked them, in the rankings of
    the years that end within the period (a ranking is made at the end of its year)."""
    years = [r for r in rankings if period.start <= date(r.year, 12, 31) <= period.end]
    levels: Counter[str] = Counter(str(m.level) for r in years for m in r.members)
    out = {f"Đảng viên {LEVEL_LABELS[k].lower()}": levels[k] for k in LEVELS}
    out["Tổ chức cơ sở đảng đã xếp loại đảng viên"] = len({r.organisation for r in years})
    return out


def _plan(plan: PlanRecord | None, units: list[str], period: Period) -> dict[str, int]:
    """Tasks due by the end of the period, for each district: done on time, late, or open;
    and the admissions the plan targets for the period (a yearly target, halved for a half)."""
    if plan is None:
        return {
            "Nhiệm vụ xong đúng hạn": 0,
            "Nhiệm vụ xong muộn": 0,
            "Nhiệm vụ chưa xong": 0,
            "Chỉ tiêu kết nạp theo kế hoạch": 0,
        }
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
    return {
        "Nhiệm vụ xong đúng hạn": on_time,
        "Nhiệm vụ xong muộn": late,
        "Nhiệm vụ chưa xong": open_,
        "Chỉ tiêu kết nạp theo kế hoạch": target,
    }


def compute(
    cases: list[Case],
    plan: PlanRecord | None,
    governance: Governance,
    unit: str,
    period: Period,
    commission: bool = False,
    rankings: Iterable[RankingRecord] = (),
) -> Report:
    if unit not in governance.units:
        raise UsageError(f"không có đơn vị {unit!r} trong governance/units.yaml")
    children = sorted(u.code for u in governance.units.values() if u.parent == unit)
    columns = [(code, governance.units[code].name) for code in [unit, *children]]
    report = Report(unit, governance.units[unit].name, period, columns)
    mine = {code: [c for c in cases if governance.is_within(c.cell, code)] for code, _ in columns}
    ranks = {
        code: [r for r in rankings if governance.is_within(r.organisation, code)]
        for code, _ in columns
    }
    districts = {
        code: sorted(u for u in governance.subtree(code) if governance.units[u].level == "district")
        for code, _ in columns
    }
    previous = period.previous()

    def table(fn: object) -> list[dict[tuple[str, str], int]]:
        return [fn(code) for code, _ in columns]  # type: ignore[operator]

    now = table(
        lambda code: {
            **_count(mine[code], period),
            **{
                (SECTIONS["transfer"], k): v
                for k, v in _as_of_end(mine[code], governance, period).items()
            },
            **{(SECTIONS["plan"], k): v for k, v in _plan(plan, districts[code], period).items()},
            **{(SECTIONS["ranking"], k): v for k, v in ranked(ranks[code], period).items()},
        }
    )
    before = {
        **_count(mine[unit], previous),
        **{
            (SECTIONS["transfer"], k): v
            for k, v in _as_of_end(mine[unit], governance, previous).items()
        },
        **{(SECTIONS["plan"], k): v for k, v in _plan(plan, districts[unit], previous).items()},
        **{(SECTIONS["ranking"], k): v for k, v in ranked(ranks[unit], previous).items()},
    }
    for key in now[0]:
        values = {code: figures[key] for (code, _), figures in zip(columns, now, strict=True)}
        report.rows.append(Row(key[0], key[1], values, before[key]))
    if commission:
        report.annex = _annex(mine[unit], period)
    return report


def _annex(cases: list[Case], period: Period) -> list[tuple[str, str, str, str]]:
    removals = {
        ("screening", "struck_off"): "xóa tên",
        ("screening", "released"): "cho ra khỏi Đảng",
        ("admission", "struck_from_probation"): "xóa tên dự bị",
    }
    out = []
    for case in cases:
        for event in case.history:
            state = str(getattr(event, "state", ""))
            what = removals.get((case.kind, state))
            if (
                case.kind == "discipline"
                and state == "decided"
                and getattr(event, "form", None) == "expulsion"
            ):
                what = "khai trừ"
            if what and event.date in period and not isinstance(case, OrgDisciplineCase):
                out.append((case.id, case.subject.name, what, event.date))
    return [(i, n, w, labels.day(d)) for i, n, w, d in sorted(out, key=lambda r: (r[3], r[0]))]
