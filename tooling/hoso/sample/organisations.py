"""Fictional records about organisations: discipline of a party organisation, and the annual
ranking of a grassroots organisation's members (with the screening that two "not completed"
years call for)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from hoso.rules.dates import add_months
from hoso.rules.rulesets import in_force
from hoso.sample.org import PROVINCE, Org
from hoso.sample.people import People
from hoso.sample.timeline import Timeline

if TYPE_CHECKING:
    from hoso.sample.cases import CaseMaker

RANKING_YEARS = (2023, 2024)
RANKING_DISTRICT = "khe-lam"


def org_discipline(
    maker: CaseMaker,
    case: dict[str, Any],
    line: Timeline,
    path: list[str],
    district: str,
    cell: str,
) -> None:
    """A cell disciplined by its grassroots committee (or the district, for a grassroots
    cell), or, on the path with a proposal, a grassroots organisation proposed by the district
    inspection commission and decided by the district standing committee."""
    rng, org = maker.rng, maker.org
    grassroots = org.grassroots_of[cell]
    proposed = "proposed" in path
    target = grassroots if proposed else cell
    above = f"{district}.standing" if target == grassroots else f"{grassroots}.executive"
    del case["cell"]
    case["organisation"] = target
    case["violation"] = {
        "date": line.day - timedelta(days=rng.randrange(30, 500)),
        "summary": "Không duy trì sinh hoạt định kỳ ba kỳ liên tiếp (dữ liệu mẫu).",
        "category": "other",
    }
    form = (
        rng.choice(["warning", "dissolution"]) if proposed else rng.choice(["reprimand", "warning"])
    )
    inspection = f"{district}.inspection"
    # An appeal goes above the body that decided: the district's inspection commission over a
    # grassroots committee, the province's over the district's standing committee.
    appeals = f"{PROVINCE}.inspection" if above == f"{district}.standing" else inspection
    for state in path:
        if state == "opened":
            line.add(state, inspection if proposed else above)
        elif state == "self_reviewed":
            line.wait_days(7, 30)
            line.add(state, target, form=form, document=line.document("BB/KĐ", target))
        elif state == "proposed":
            line.wait_workdays(5, 20)
            vote = maker._committee_vote(line, inspection, threshold=0.5)
            line.add(
                state,
                inspection,
                form=form,
                vote=vote,
                document=line.document("TTr/UBKT", inspection),
            )
        elif state == "decided":
            line.wait_workdays(5, 20)
            vote = maker._committee_vote(line, above, threshold=0.5)
            line.add(state, above, form=form, vote=vote, document=line.document("QĐ/KL", above))
        elif state == "dismissed":
            line.wait_days(7, 30)
            line.add(state, above, document=line.document("TB/KL", above))
        elif state == "announced":
            line.wait_workdays(2, 10)
            line.add(state, above)
        elif state == "appealed":
            months = in_force(line.day).amount("appeal_months")
            line.wait_days_until(5, 25, add_months(line.day, months))
            line.add(state, appeals, note="Tổ chức đảng gửi đơn khiếu nại.")
        elif state == "appeal_answered":
            line.wait_days(20, 80)
            line.add(
                state,
                appeals,
                outcome="upheld",
                document=line.document("TB/UBKT", appeals),
            )


def rankings(
    seed: int, org: Org, maker: CaseMaker
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rankings of one district's grassroots committees in two years, and a screening
    case for each member ranked "not completed" both years (opened after the second ranking).
    Drawn from their own generator, so that the other records do not move."""
    rng = random.Random(seed * 31 + 7)
    people = People(rng)
    made: list[dict[str, Any]] = []
    follow: list[dict[str, Any]] = []
    grassroots = sorted(
        {g for c, g in org.grassroots_of.items() if c in org.cells[RANKING_DISTRICT] and g != c}
    )
    for code in grassroots:
        cells = [c for c, g in org.grassroots_of.items() if g == code and c != code]
        roster = [
            {"name": people.name(sex), "party_card": people.card(), "cell": cell}
            for cell in sorted(cells)
            for sex in (people.sex() for _ in range(min(org.sizes[cell], 10)))
        ]
        twice = rng.choice(roster)  # ranked "not completed" both years
        for year in RANKING_YEARS:
            day = date(year, 12, rng.randrange(10, 28))
            members = []
            for person in roster:
                level = "not_completed" if person is twice else _level(rng)
                members.append({**person, "level": level})
            _cap(members)
            made.append(
                {
                    "id": f"XL-{year}-{''.join(rng.choice('abcdefghjk') for _ in range(6))}",
                    "kind": "ranking",
                    "unit": RANKING_DISTRICT,
                    "sample": True,
                    "organisation": code,
                    "year": year,
                    "document": {
                        "number": f"{rng.randrange(20, 90)}-QĐ/ĐU",
                        "date": day,
                        "issuer": f"{code}.executive",
                    },
                    "members": members,
                    "cells": _cap(
                        [{"organisation": c, "level": _level(rng)} for c in sorted(cells)]
                    ),
                }
            )
        screening = maker.make("screening", "listed", twice["cell"], after=day + timedelta(days=14))
        screening["subject"].update(name=twice["name"], party_card=twice["party_card"])
        for event in screening["history"]:
            if "criteria" in event:
                event["criteria"] = ["not_completed_two_years"]
        follow.append(screening)
    return made, follow


def _level(rng: random.Random) -> str:
    return rng.choices(["excellent", "good", "completed", "not_completed"], [10, 55, 32, 3])[0]


def _cap(ranked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No more ranked "excellent" than a fifth of those ranked "good": the rest are "good"."""
    excellent = [m for m in ranked if m["level"] == "excellent"]
    while len(excellent) * 5 > sum(m["level"] == "good" for m in ranked):
        excellent.pop()["level"] = "good"
    return ranked
