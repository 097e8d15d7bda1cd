"""Fictional cases of every kind, each following a legal path to a chosen state."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import Any

from hoso.models import ID_PREFIX
from hoso.rules.calendar import Calendar
from hoso.rules.dates import add_months, full_months
from hoso.rules.rulesets import in_force
from hoso.sample.org import Org
from hoso.sample.organisations import org_discipline
from hoso.sample.people import People
from hoso.sample.secrets import secret
from hoso.sample.timeline import Timeline

FIRST_DAY = date(2019, 1, 7)
LAST_DAY = date(2025, 12, 19)
_ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"

_APPLIED = ["sympathiser", "course_completed", "applied", "verified"]
_DECIDED = [
    "partial_appraised",
    "grassroots_voted",
    "district_appraised",
    "decided",
    "ceremony_held",
]
ADMISSION_PATHS = [
    [
        *_APPLIED,
        "cell_voted",
        *_DECIDED,
        "recognition_cell_voted",
        "recognition_grassroots_voted",
        "recognised",
    ],
    [*_APPLIED, "cell_vote_failed", "cell_voted", *_DECIDED, "struck_from_probation"],
    [*_APPLIED, "cell_voted", "partial_appraised", "grassroots_voted", "not_admitted"],
    [*_APPLIED, "over_age_approved", "cell_voted", *_DECIDED],
    [*_APPLIED, *["cell_vote_failed"] * 3, "referred_up", "not_admitted"],
    ["sympathiser", "course_completed", "withdrawn"],
]
SCREENING_PATHS = [
    ["flagged", "listed", "cleared"],
    ["flagged", "not_listed"],
    [
        "flagged",
        "listed",
        "strike_off_proposed",
        "struck_off",
        "card_collected",
        "complaint_lodged",
        "complaint_answered",
    ],
    ["flagged", "listed", "release_requested", "released", "card_collected"],
    ["flagged", "listed", "referred_to_discipline"],
]
DISCIPLINE_PATHS = [
    ["opened", "cell_concluded", "decided", "announced", "appealed", "appeal_answered"],
    ["opened", "cell_concluded", "proposed", "decided", "announced", "card_collected"],
    ["opened", "cell_concluded", "dismissed"],
]
TRANSFER_PATHS = [
    ["requested", "letter_issued", "presented", "received", "returned"],
    ["requested", "cancelled"],
]
EXEMPTION_PATHS = [
    ["requested", "granted", "reported", "ended"],
    ["requested", "refused"],
]
ORG_DISCIPLINE_PATHS = [
    ["opened", "self_reviewed", "decided", "announced", "appealed", "appeal_answered"],
    ["opened", "self_reviewed", "proposed", "decided", "announced"],
    ["opened", "self_reviewed", "dismissed"],
]
PATHS = {
    "admission": ADMISSION_PATHS,
    "screening": SCREENING_PATHS,
    "discipline": DISCIPLINE_PATHS,
    "transfer": TRANSFER_PATHS,
    "exemption": EXEMPTION_PATHS,
    "org_discipline": ORG_DISCIPLINE_PATHS,
}
WEIGHTS = {
    "admission": 35,
    "screening": 20,
    "discipline": 15,
    "transfer": 20,
    "exemption": 10,
    "org_discipline": 3,
}


def every_state() -> list[tuple[str, str]]:
    """Each (kind, state) the sample must show at least once."""
    seen: list[tuple[str, str]] = []
    for kind, paths in PATHS.items():
        for path in paths:
            seen.extend((kind, s) for s in path if (kind, s) not in seen)
    return seen


class CaseMaker:
    """Makes one case at a time from a seeded generator."""

    def __init__(self, rng: random.Random, people: People, org: Org, calendar: Calendar) -> None:
        self.rng = rng
        self.people = people
        self.org = org
        self.calendar = calendar
        self._ids: set[str] = set()
        self._builders: dict[str, Callable[..., None]] = {
            "admission": self._admission,
            "screening": self._screening,
            "discipline": self._discipline,
            "transfer": self._transfer,
            "exemption": self._exemption,
            "org_discipline": partial(org_discipline, self),
        }

    def random_target(self) -> tuple[str, str]:
        kind = self.rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        path = self.rng.choice(PATHS[kind])
        tail = len(path) - 1
        index = tail if self.rng.random() < 0.6 else self.rng.randrange(0, len(path))
        return kind, path[min(index, tail)]

    def make(
        self, kind: str, target: str, cell: str | None = None, after: date | None = None
    ) -> dict[str, Any]:
        """A case of ``kind`` that has just reached ``target``; in ``cell`` and opened on or
        after ``after`` when they are given."""
        path = next(p for p in PATHS[kind] if target in p)
        if kind == "discipline" and target in ("proposed",):
            path = DISCIPLINE_PATHS[1]
        if kind == "org_discipline" and target in ("proposed",):
            path = ORG_DISCIPLINE_PATHS[1]
        path = path[: path.index(target) + 1]
        district = self.rng.choice(list(self.org.cells))
        cell = cell or self.rng.choice(self.org.cells[district])
        district = next(d for d, cells in self.org.cells.items() if cell in cells)
        first = after or FIRST_DAY
        for _attempt in range(20):
            start = first + timedelta(days=self.rng.randrange(0, max(1, (LAST_DAY - first).days)))
            line = Timeline(self.rng, self.calendar, self.calendar.add_workdays(start, 1))
            case = self._base(kind, district, cell, line.day)
            self._builders[kind](case, line, path, district, cell)
            if line.events[-1]["date"] <= LAST_DAY:
                break
        case["status"] = line.events[-1]["state"]
        case["history"] = line.events
        return case

    # ------------------------------------------------------------------ shared parts

    def _base(self, kind: str, district: str, cell: str, opened: date) -> dict[str, Any]:
        return {
            "id": self._new_id(kind, opened.year),
            "kind": kind,
            "unit": district,
            "cell": cell,
            "sample": True,
        }

    def _new_id(self, kind: str, year: int) -> str:
        while True:
            suffix = "".join(self.rng.choice(_ID_CHARS) for _ in range(6))
            case_id = f"{ID_PREFIX[kind]}-{year}-{suffix}"
            if case_id not in self._ids:
                self._ids.add(case_id)
                return case_id

    def _subject(
        self,
        opened: date,
        standing: str,
        min_age: int = 19,
        max_age: int = 58,
        sex: str | None = None,
    ) -> dict[str, Any]:
        sex = sex or self.people.sex()
        subject: dict[str, Any] = {
            "name": self.people.name(sex),
            "birth_date": self.people.birth(opened, min_age, max_age),
            "sex": sex,
            "ethnicity": self.people.ethnicity(),
        }
        if standing != "candidate":  # an applicant's standing follows from the history
            subject["standing"] = standing
        if standing != "candidate":
            admitted = opened - timedelta(days=self.rng.randrange(400, 6000))
            subject["party_card"] = self.people.card()
            subject["admitted_on"] = admitted
            if standing == "official":
                subject["recognised_on"] = admitted + timedelta(days=366)
        return subject

    def _decider(self, district: str, cell: str) -> str:
        """Who decides admissions and removals for this cell's members."""
        grassroots = self.org.grassroots_of[cell]
        if self.org.is_authorised(grassroots):
            return f"{grassroots}.executive"
        return f"{district}.standing"

    def _cell_vote(self, cell: str, passed: bool = True, method: str = "show_of_cards") -> Any:
        return lambda line: line.vote(self.org.sizes[cell], passed, method=method)

    def _resolution(self, line: Timeline, state: str, body: str, symbol: str) -> None:
        """A committee's decision: a passing vote of its members and a numbered document."""
        line.add(
            state, body, vote=self._committee_vote(line, body), document=line.document(symbol, body)
        )

    def _committee_vote(
        self, line: Timeline, committee: str, passed: bool = True, threshold: float = 2 / 3
    ) -> dict[str, Any]:
        return line.vote(self.org.sizes[committee], passed, threshold, absent_ok=False)

    # ------------------------------------------------------------------ admission

    def _admission(
        self, case: dict[str, Any], line: Timeline, path: list[str], district: str, cell: str
    ) -> None:
        rng = self.rng
        grassroots = self.org.grassroots_of[cell]
        partial = self.org.partial_of.get(cell)
        cell_grassroots = grassroots == cell
        over_age = "over_age_approved" in path
        low, high = (61, 64) if over_age else (18, 45)
        case["subject"] = self._subject(line.day, "candidate", low, high)
        born = case["subject"]["birth_date"]
        # The cell considers the case at 18 or older: move the start if needed.
        adult = date(born.year + 18, born.month, min(born.day, 28)) + timedelta(days=200)
        if line.day < adult:
            line.day = self.calendar.add_workdays(adult, 1)
        if rng.random() < 0.3:
            case["confidential"] = {"family_background": secret(case["id"], "family_background")}
        decider = self._decider(district, cell)
        failures = 0
        ceremony = line.day
        for state in path:
            if state == "sympathiser":
                line.add(state, cell, note="Đã phân công đảng viên chính thức giúp đỡ.")
            elif state == "course_completed":
                line.wait_days(30, 120)
                line.add(
                    state,
                    f"{district}.propaganda",
                    document=line.document("GCN/TTCT", f"{district}.propaganda"),
                )
            elif state == "applied":
                line.wait_days(20, 80)
                known = line.day - timedelta(days=rng.randrange(400, 2000))
                # The Youth Union introduces only in youth age (to 30), a trade union after it.
                union = "youth_union" if full_months(born, line.day) < 31 * 12 else "trade_union"
                introducers = [
                    {
                        "name": self.people.name(self.people.sex()),
                        "kind": "member",
                        "known_since": known,
                    },
                    {
                        "name": self.people.name(self.people.sex()),
                        "kind": rng.choice(["member", union]),
                        "known_since": known + timedelta(days=rng.randrange(0, 30)),
                    },
                ]
                line.add(state, cell, introducers=introducers)
            elif state == "verified":
                line.wait_days(20, 60)
                line.add(state, cell)
            elif state in ("cell_voted", "cell_vote_failed"):
                line.wait_days(10, 40)
                passed = state == "cell_voted"
                failures += not passed
                line.add(
                    state,
                    cell,
                    vote=self._cell_vote(cell, passed)(line),
                    document=line.document("NQ/CB", cell) if passed else None,
                )
            elif state == "over_age_approved":
                line.wait_workdays(5, 20)
                body = f"{self.org.unit(district)['parent']}.standing"
                line.add(state, body, document=line.document("QĐ/TU", body))
            elif state == "district_appraised":
                if decider != f"{district}.standing":
                    continue
                line.wait_workdays(2, 8)
                body = f"{district}.organisation"
                line.add(state, body, document=line.document("BC/BTC", body))
            elif state == "referred_up":
                line.wait_workdays(5, 20)
                line.add(state, f"{district}.standing")
            elif state == "partial_appraised":
                if partial is None:
                    continue
                line.wait_workdays(3, 10)
                line.add(state, partial, document=line.document("BC/ĐUBP", partial))
            elif state == "grassroots_voted":
                if cell_grassroots:
                    continue
                line.wait_workdays(3, 12)
                body = f"{grassroots}.executive"
                self._resolution(line, state, body, "NQ/ĐU")
            elif state == "decided":
                voted = next(e["date"] for e in reversed(line.events) if e["state"] == "cell_voted")
                line.day = self.calendar.add_workdays(voted, rng.randrange(25, 55))
                if line.day <= line.events[-1]["date"]:
                    line.day = self.calendar.add_workdays(line.events[-1]["date"], 2)
                self._resolution(line, state, decider, "QĐ/HU")
            elif state == "not_admitted":
                line.wait_workdays(10, 40)
                body = f"{district}.standing"
                line.add(
                    state,
                    body,
                    vote=self._committee_vote(line, body, passed=False),
                    document=line.document("TB/HU", body),
                )
            elif state == "ceremony_held":
                line.wait_workdays(5, 25)
                ceremony = line.day
                line.add(state, cell)
            elif state in ("recognition_cell_voted", "struck_from_probation"):
                end = add_months(ceremony, 12)
                line.day = self.calendar.add_workdays(end, rng.randrange(1, 25))
                passed = state == "recognition_cell_voted"
                if passed:
                    line.add(
                        state,
                        cell,
                        vote=self._cell_vote(cell)(line),
                        document=line.document("NQ/CB", cell),
                    )
                else:
                    self._resolution(line, state, decider, "QĐ/HU")
            elif state == "recognition_grassroots_voted":
                if cell_grassroots:
                    continue
                line.wait_workdays(3, 10)
                body = f"{grassroots}.executive"
                self._resolution(line, state, body, "NQ/ĐU")
            elif state == "recognised":
                voted = next(
                    e["date"]
                    for e in reversed(line.events)
                    if e["state"] == "recognition_cell_voted"
                )
                line.day = max(
                    self.calendar.add_workdays(voted, rng.randrange(8, 28)),
                    self.calendar.add_workdays(line.events[-1]["date"], 1),
                )
                self._resolution(line, state, decider, "QĐ/HU")
            elif state == "withdrawn":
                line.wait_days(20, 200)
                line.add(state, cell, note="Người đề nghị rút đơn (dữ liệu mẫu).")

    # ------------------------------------------------------------------ screening

    def _screening(
        self, case: dict[str, Any], line: Timeline, path: list[str], district: str, cell: str
    ) -> None:
        rng = self.rng
        case["subject"] = self._subject(line.day, "official", 25, 60)
        if rng.random() < 0.5:
            case["confidential"] = {"flagged_by": secret(case["id"], "flagged_by")}
        decider = self._decider(district, cell)
        criteria = rng.sample(
            [
                "duties_not_completed",
                "transfer_not_completed",
                "not_exemplary",
                "assignment_refused",
                "disunity",
            ],
            2,
        )
        for state in path:
            if state == "flagged":
                line.add(state, f"{cell}.cell_committee", criteria=criteria)
            elif state in ("listed", "not_listed"):
                line.wait_days(7, 30)
                line.add(
                    state,
                    cell,
                    criteria=criteria,
                    vote=self._cell_vote(cell, state == "listed", "secret_ballot")(line),
                    document=line.document("NQ/CB", cell) if state == "listed" else None,
                )
            elif state == "cleared":
                line.wait_days(180, 330)
                line.add(state, cell, document=line.document("NQ/CB", cell))
            elif state == "strike_off_proposed":
                line.wait_days(370, 420)
                line.add(
                    state,
                    cell,
                    ground="no_progress_after_help",
                    vote=self._cell_vote(cell, True, "secret_ballot")(line),
                    document=line.document("NQ/CB", cell),
                )
            elif state == "struck_off":
                line.wait_workdays(10, 40)
                line.add(
                    state,
                    decider,
                    ground="no_progress_after_help",
                    vote=self._committee_vote(line, decider),
                    document=line.document("QĐ/HU", decider),
                )
            elif state == "complaint_lodged":
                line.wait_workdays(3, 25)
                line.add(state, f"{district}.inspection")
            elif state == "complaint_answered":
                line.wait_workdays(20, 80)
                body = f"{district}.standing"
                line.add(state, body, outcome="upheld", document=line.document("TB/HU", body))
            elif state == "release_requested":
                line.wait_days(60, 200)
                line.add(state, cell, note="Đảng viên có đơn tự nguyện xin ra khỏi Đảng.")
            elif state == "released":
                line.wait_workdays(10, 40)
                self._resolution(line, state, decider, "QĐ/HU")
            elif state == "referred_to_discipline":
                line.wait_days(60, 200)
                line.add(state, cell, document=line.document("NQ/CB", cell))
            elif state == "card_collected":
                line.wait_workdays(1, 4)
                line.add(state, cell)

    # ------------------------------------------------------------------ discipline

    def _discipline(
        self, case: dict[str, Any], line: Timeline, path: list[str], district: str, cell: str
    ) -> None:
        rng = self.rng
        proposed = "proposed" in path
        form = (
            rng.choice(["removal_from_post", "expulsion"])
            if proposed
            else rng.choice(["reprimand", "warning"])
        )
        if "card_collected" in path:  # the card is collected only from an expelled member
            form = "expulsion"
        standing = (
            "probationary"
            if form in ("reprimand", "warning") and rng.random() < 0.2
            else "official"
        )
        case["subject"] = self._subject(line.day, standing, 25, 60)
        if form == "removal_from_post":
            case["subject"]["posts"] = [
                {
                    "title": "Phó Bí thư chi bộ",
                    "committee": f"{cell}.cell_committee",
                    "since": line.day - timedelta(days=700),
                }
            ]
        category = "quality_ethics_lifestyle" if not proposed else "other"
        case["violation"] = {
            "date": line.day - timedelta(days=rng.randrange(30, 700)),
            "summary": "Vi phạm quy định về sinh hoạt đảng (dữ liệu mẫu).",
            "category": category,
        }
        grassroots = self.org.grassroots_of[cell]
        if form == "removal_from_post":
            decider = f"{grassroots}.executive" if grassroots != cell else f"{district}.standing"
        elif form == "expulsion":
            decider = f"{district}.inspection"
        else:
            decider = cell
        proposer = f"{grassroots}.executive" if grassroots != cell else cell
        for state in path:
            if state == "opened":
                line.add(state, cell, form=form, note="Đảng viên đã kiểm điểm, tự nhận hình thức.")
            elif state == "cell_concluded":
                line.wait_days(7, 30)
                line.add(
                    state,
                    cell,
                    vote=self._cell_vote(cell, True, "secret_ballot")(line),
                    document=line.document("BB/CB", cell),
                )
            elif state == "dismissed":
                line.wait_days(7, 30)
                line.add(state, cell, document=line.document("TB/CB", cell))
            elif state == "proposed":
                line.wait_workdays(5, 20)
                vote = (
                    self._committee_vote(line, proposer)
                    if proposer != cell
                    else self._cell_vote(cell, True, "secret_ballot")(line)
                )
                line.add(
                    state,
                    proposer,
                    form=form,
                    vote=vote,
                    document=line.document("TTr/ĐU", proposer),
                )
            elif state == "decided":
                line.wait_workdays(5, 25)
                vote = (
                    self._cell_vote(cell, True, "secret_ballot")(line)
                    if decider == cell
                    else self._committee_vote(line, decider, threshold=0.5)
                )
                form_votes = [{"form": form, "votes": vote["in_favour"]}]
                line.add(
                    state,
                    decider,
                    form=form,
                    vote=vote,
                    form_votes=form_votes,
                    document=line.document("QĐ/KL", decider),
                )
            elif state == "announced":
                line.wait_workdays(2, 10)
                line.add(state, decider)
            elif state == "card_collected":
                line.wait_workdays(1, 10)
                line.add(state, cell)
            elif state == "appealed":
                months = in_force(line.day).amount("appeal_months")
                line.wait_days_until(5, 25, add_months(line.day, months))
                line.add(state, f"{district}.inspection", note="Đảng viên gửi đơn khiếu nại.")
            elif state == "appeal_answered":
                line.wait_days(20, 80)
                body = f"{district}.inspection"
                line.add(state, body, outcome="upheld", document=line.document("TB/UBKT", body))

    # ------------------------------------------------------------------ transfer

    def _transfer(
        self, case: dict[str, Any], line: Timeline, path: list[str], district: str, cell: str
    ) -> None:
        rng = self.rng
        case["subject"] = self._subject(line.day, "official", 22, 55)
        kind = rng.choice(["official", "official", "temporary", "temporary_study"])
        if "returned" in path and kind == "official":
            kind = "temporary"
        case["transfer_type"] = kind
        case["direction"] = "outgoing"
        others = [d for d in self.org.cells if d != district]
        other = self.org.unit(rng.choice(others))["name"]
        case["counterpart"] = f"{other} (dữ liệu mẫu)"
        case["move_date"] = line.day
        if kind != "official":
            # A temporary transfer says when it ends: 6 to 10 months on (a return sets the day
            # it ended). From the id, not the generator: the rest stays as it was.
            months = 6 + zlib.crc32(case["id"].encode()) % 5
            case["until"] = add_months(line.day, months)
        office = f"{district}.organisation"
        for state in path:
            if state == "requested":
                line.wait_days(1, 20)
                line.add(state, cell)
            elif state == "letter_issued":
                line.day = self.calendar.add_workdays(case["move_date"], rng.randrange(15, 55))
                line.add(state, office, document=line.document("GGT/HU", office))
            elif state == "presented":
                line.wait_workdays(3, 28)
                line.add(state, office)
            elif state == "received":
                presented = line.day
                line.wait_workdays(2, 10)
                confirmation = {
                    "number": f"{rng.randrange(10, 99)}-CV/ĐU",
                    "date": presented,
                    "issuer": f"Cấp ủy nơi đến, {case['counterpart']}",
                }
                line.add(state, office, confirmation=confirmation)
            elif state == "returned":
                # A temporary transfer lasts 3 to under 12 months (study: up to 24).
                longest = 23 if kind == "temporary_study" else 11
                earliest = add_months(case["move_date"], 3)
                line.wait_days(100, 300)
                line.day = max(
                    min(line.day, add_months(case["move_date"], longest)),
                    earliest,
                    line.events[-1]["date"],
                )
                case["until"] = line.day
                line.add(state, office)
            elif state == "cancelled":
                line.wait_days(5, 40)
                line.add(state, cell)

    # ------------------------------------------------------------------ exemption

    def _exemption(
        self, case: dict[str, Any], line: Timeline, path: list[str], district: str, cell: str
    ) -> None:
        rng = self.rng
        reason = rng.choice(["age", "health", "treatment_away", "maternity"])
        sex = "female" if reason == "maternity" else self.people.sex()
        if reason == "age":
            low = 61 if sex == "male" else 56
            case["subject"] = self._subject(line.day, "official", low, 75, sex)
        else:
            case["subject"] = self._subject(line.day, "official", 24, 50, sex)
        case["reason"] = reason
        if reason == "health":
            # Months of treatment from the id, not the generator: the rest stays as it was.
            months = 3 + zlib.crc32(case["id"].encode()) % 22
            case["confidential"] = {
                "health": secret(case["id"], "health"),
                "treatment_months": months,
            }
        if reason in ("treatment_away", "maternity"):
            case["period_until"] = line.day + timedelta(days=180)
        for state in path:
            if state == "requested":
                line.add(state, cell)
            elif state in ("granted", "refused"):
                line.wait_days(7, 30)
                line.add(
                    state,
                    cell,
                    vote=self._cell_vote(cell, state == "granted")(line),
                    document=line.document("NQ/CB", cell),
                )
            elif state == "reported":
                line.wait_workdays(2, 10)
                line.add(state, cell, document=line.document("BC/CB", cell))
            elif state == "ended":
                line.wait_days(60, 500)
                line.add(state, cell)
