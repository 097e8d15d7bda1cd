"""The annual quality ranking: four levels from 2018 (QĐ 132-QĐ/TW, then QĐ 124-QĐ/TW of
04/10/2023); "excellent" capped at a share of those ranked "good" in each grassroots
organisation, among its members and among its cells; a member disciplined in the year ranked
"not completed"; two consecutive "not completed" years followed by a screening case for that
member (warned, then overdue).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from fractions import Fraction
from pathlib import PurePosixPath

from hoso.governance import Governance
from hoso.models import DisciplineCase, RankingRecord, Record, ScreeningCase
from hoso.models.ranking import LEVEL_LABELS
from hoso.rules.dates import add_months
from hoso.rules.path import overrides_of
from hoso.rules.rulesets import QD132, in_force
from hoso.validate.record import (
    CrossIssue,
    Issue,
    Loc,
    Summary,
    register,
    register_cross,
    register_facts,
)

FIRST_YEAR = QD132.effective.year


@register
def ranking_rules(record: Record, governance: Governance) -> Iterator[Issue]:
    if not isinstance(record, RankingRecord):
        return
    rules = in_force(record.document.date, overrides_of(governance))
    if record.year < FIRST_YEAR:
        yield Issue(
            ("year",),
            "ranking.year",
            f"xếp loại bốn mức áp dụng từ năm {FIRST_YEAR} ({QD132.name}); nhận được năm "
            f"{record.year}",
        )
    if record.document.date.year not in (record.year, record.year + 1):
        yield Issue(
            ("document", "date"),
            "ranking.date",
            f"kết quả xếp loại năm {record.year} được quyết định cuối năm {record.year} hoặc đầu "
            f"năm {record.year + 1}; nhận được {record.document.date}",
        )
    yield from _organisation(record, governance)
    seen: dict[str, int] = {}
    for index, member in enumerate(record.members):
        if member.party_card in seen:
            yield Issue(
                ("members", index, "party_card"),
                "ranking.duplicate",
                f"đảng viên này đã được xếp loại ở members[{seen[member.party_card]}]",
            )
        seen.setdefault(member.party_card, index)
    share = rules["excellent_share"]
    for field, who in (("members", "đảng viên"), ("cells", "chi bộ")):
        counts = Counter(r.level for r in getattr(record, field))
        if counts["excellent"] > Fraction(share.amount) * counts["good"]:
            yield Issue(
                (field,),
                "ranking.excellent_share",
                f"{share.label}: {counts['excellent']} {who} hoàn thành xuất sắc, vượt "
                f"{share.amount} của {counts['good']} {who} hoàn thành tốt ({share.source})",
            )


def _organisation(record: RankingRecord, governance: Governance) -> Iterator[Issue]:
    unit = governance.units.get(record.organisation)
    if unit is None:
        return  # an unknown code is reported by the reference check
    if unit.level != "grassroots":
        yield Issue(
            ("organisation",),
            "ranking.organisation",
            f"xếp loại đảng viên ghi theo tổ chức cơ sở đảng; {record.organisation!r} là cấp "
            f"{unit.level}",
        )
        return
    issuers = {record.organisation, f"{record.organisation}.executive"}
    if record.document.issuer not in issuers:
        yield Issue(
            ("document", "issuer"),
            "ranking.issuer",
            f"kết quả xếp loại do cấp ủy cơ sở quyết định: một trong {', '.join(sorted(issuers))}; "
            f"nhận được {record.document.issuer!r}",
        )
    places = [("members", i, "cell", m.cell) for i, m in enumerate(record.members)]
    places += [("cells", i, "organisation", c.organisation) for i, c in enumerate(record.cells)]
    for field, index, key, code in places:
        if code in governance.units and not governance.is_within(code, record.organisation):
            yield Issue(
                (field, index, key),
                "ranking.cell",
                f"{code!r} không thuộc tổ chức cơ sở đảng {record.organisation!r}",
            )


@register_facts
def ranking_facts(
    record: Record, governance: Governance
) -> Iterator[tuple[str, str, str, str, Loc]]:
    """A ranked member ("ranked", day of the ranking, "year|level"); a discipline decided in a
    year and not annulled ("disciplined", day, case id); a screening case opened ("screening",
    day, case id)."""
    if isinstance(record, RankingRecord):
        day = record.document.date.isoformat()
        # When a screening must follow, should this be the second "not completed" year.
        rules = in_force(record.document.date, overrides_of(governance))
        due = add_months(record.document.date, rules.amount("screening_after_ranking_months"))
        for index, member in enumerate(record.members):
            at: Loc = ("members", index, "level")
            detail = f"{record.year}|{member.level}|{due}"
            yield "ranked", member.party_card, day, detail, at
    card = getattr(getattr(record, "subject", None), "party_card", None)
    if isinstance(record, DisciplineCase) and card:
        decided = [e for e in record.history if e.state == "decided"]
        annulled = any(
            e.state == "appeal_answered" and e.outcome == "annulled" for e in record.history
        )
        if decided and not annulled:
            yield "disciplined", card, decided[-1].date.isoformat(), record.id, ("id",)
    if isinstance(record, ScreeningCase) and card:
        yield "screening", card, record.history[0].date.isoformat(), record.id, ("id",)


_Ranked = tuple[int, str, str, str, str, Loc]
"""(year, level, screening due day, ranking day, file, where) of one member's ranking."""


@register_cross
def rankings_across_records(
    known: list[tuple[str, Summary]], as_of: str, whole: bool
) -> Iterable[CrossIssue]:
    ranked: dict[str, list[_Ranked]] = defaultdict(list)
    disciplined: dict[str, list[tuple[str, str]]] = defaultdict(list)
    screened: dict[str, list[str]] = defaultdict(list)
    for rel, summary in known:
        for what, card, day, detail, at in summary.facts:
            if what == "ranked":
                year_text, level, due = detail.split("|")
                ranked[card].append((int(year_text), level, due, day, rel, at))
            elif what == "disciplined":
                disciplined[card].append((day, detail))
            elif what == "screening":
                screened[card].append(day)
    for card, rows in sorted(ranked.items()):
        yield from _ranked_twice(rows)
        for year, level, _, _, rel, at in rows:
            case = next((c for d, c in disciplined[card] if d[:4] == str(year)), None)
            if case and level != "not_completed":
                yield (
                    rel,
                    at,
                    "ranking.disciplined",
                    f"đảng viên bị kỷ luật trong năm {year} (hồ sơ {case}) xếp loại không hoàn "
                    f"thành nhiệm vụ; nhận được {LEVEL_LABELS[level].lower()}",
                    "error",
                )
        if whole:
            yield from _screening_due(card, rows, screened[card], as_of)


def _ranked_twice(rows: list[_Ranked]) -> Iterator[CrossIssue]:
    """A member is ranked once a year: a second record ranking the same party card for the
    same year (the first by file path keeps it) is an error, or the cap on "excellent" could
    be met by counting the same members twice."""
    first: dict[int, str] = {}
    for year, _, _, _, rel, at in sorted(rows, key=lambda row: (row[0], row[4])):
        kept = first.setdefault(year, rel)
        if kept != rel:
            yield (
                rel,
                at,
                "ranking.duplicate",
                f"đảng viên này (cùng số thẻ đảng viên) đã được xếp loại năm {year} trong hồ "
                f"sơ {PurePosixPath(kept).stem}: mỗi đảng viên chỉ được xếp loại một lần trong "
                "năm",
                "error",
            )


def _screening_due(
    card: str,
    rows: list[_Ranked],
    screened: list[str],
    as_of: str,
) -> Iterator[CrossIssue]:
    """Two consecutive "not completed" years: a screening case must follow the second ranking;
    a warning until it is due, then overdue, until one exists (read only when every record
    was, since only then does its absence prove anything)."""
    failed = {
        year: (due, day, rel, place)
        for year, level, due, day, rel, place in rows
        if level == "not_completed"
    }
    for year in sorted(failed):
        if year - 1 not in failed:
            continue
        due, day, rel, at = failed[year]
        if any(opened >= day for opened in screened):
            continue
        value = in_force(date.fromisoformat(day))["screening_after_ranking_months"]
        late = due < as_of
        yield (
            rel,
            at,
            "ranking.screening_overdue" if late else "ranking.screening_due",
            f"{'quá hạn: ' if late else ''}hai năm liền ({year - 1}, {year}) không hoàn thành "
            f"nhiệm vụ: phải mở hồ sơ rà soát đảng viên này trước {due} ({value.label}, "
            f"{value.source}, cần kiểm tra)",
            "warning",
        )
