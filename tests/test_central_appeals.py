"""Appeals and complaints that go above the province (DOMAIN.md section 4: answered within 6
months at the central level, 3 below; section 3: 180 working days against 90): the central
bodies may be named at those steps only, and the deadline follows the level the appeal went to."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLES, TempRepo
from hoso import labels
from hoso.cli.values import resolve_body
from hoso.governance import CENTRAL_BODIES
from hoso.models import DisciplineCase
from hoso.rules.deadlines import pending
from hoso.validate.governance_files import load_governance
from hoso.validate.record import parse, validate_model

APPEAL = EXAMPLES / "valid/boundary-discipline-last-day-of-limitation.yaml"
APPEALED = "- date: 2020-12-28\n  state: appealed\n  body: ban-mo.inspection"
ANSWERED = (
    "- date: 2021-03-12\n  state: appeal_answered\n  body: ban-mo.inspection",
    "    date: 2021-03-12\n    issuer: ban-mo.inspection",
)


def _found(repo: TempRepo, *edits: tuple[str, str]) -> list[tuple[str, str]]:
    repo.place(APPEAL, *edits)
    return [(f.rule, f.message) for f in repo.validate().findings]


def _answered(day: str, body: str) -> list[tuple[str, str]]:
    return [
        (ANSWERED[0], f"- date: {day}\n  state: appeal_answered\n  body: {body}"),
        (ANSWERED[1], f"    date: {day}\n    issuer: {body}"),
    ]


@pytest.mark.parametrize(
    ("lodged", "answered", "late"),
    [
        # Lodged with the centre on 28/12/2020: six months, to 28/06/2021.
        ("central.inspection", "2021-06-28", None),
        ("central.inspection", "2021-06-30", "chậm 2 ngày so với hạn 28/06/2021"),
        # Lodged with the district: three months, to 28/03/2021.
        ("ban-mo.inspection", "2021-06-28", "chậm 92 ngày so với hạn 28/03/2021"),
    ],
)
def test_an_appeal_is_answered_within_the_months_of_the_level_it_went_to(
    repo: TempRepo, lodged: str, answered: str, late: str | None
) -> None:
    body = "central.inspection" if lodged.startswith("central") else "ban-mo.inspection"
    found = _found(
        repo,
        (APPEALED, f"- date: 2020-12-28\n  state: appealed\n  body: {lodged}"),
        *_answered(answered, body),
    )
    assert [r for r, _ in found if r.startswith(("record.", "competence."))] == []
    lates = [m for r, m in found if r == "deadline.late"]
    if late is None:
        assert lates == []
    else:
        (message,) = lates
        assert late in message
        if lodged.startswith("central"):
            assert "Hạn giải quyết khiếu nại kỷ luật (cấp Trung ương): 6 tháng" in message


def test_a_central_body_is_refused_where_no_appeal_goes(repo: TempRepo) -> None:
    found = _found(
        repo,
        ("- date: 2020-12-16\n  state: announced\n  body: ban-mo-x01-cb1", "- date: 2020-12-16\n"
         "  state: announced\n  body: central.inspection"),
    )  # fmt: skip
    rules = [r for r, _ in found]
    assert "record.unknown_reference" in rules or "competence.body" in rules
    assert any("central.inspection" in m for _, m in found)


def test_a_code_that_only_looks_central_is_unknown(repo: TempRepo) -> None:
    found = _found(repo, (APPEALED, "- date: 2020-12-28\n  state: appealed\n  body: central.x"))
    assert any("central.x" in m for _, m in found)


def test_the_answer_due_follows_the_level_the_appeal_went_to(repo: TempRepo) -> None:
    rel = repo.place(
        APPEAL,
        (APPEALED, "- date: 2020-12-28\n  state: appealed\n  body: central.secretariat"),
    )
    text = (repo.root / rel).read_text(encoding="utf-8")
    cut = text.index("- date: 2021-03-12\n  state: appeal_answered")
    text = text[:cut].replace("status: appeal_answered", "status: appealed")
    (repo.root / rel).write_text(text, encoding="utf-8")
    governance, _ = load_governance(repo.root)
    source, data, problems = parse(text.encode())
    assert data is not None and source is not None and not problems
    case, errors = validate_model(source, data, DisciplineCase)
    assert case is not None, errors
    (due,) = pending(case, governance)
    assert due.due == date(2021, 6, 28)
    assert [f.rule for f in repo.validate().findings if f.severity == "error"] == []


def test_clerks_name_the_central_bodies_in_words(repo: TempRepo) -> None:
    governance, _ = load_governance(repo.root)
    assert resolve_body(governance, "UBKT Trung ương", "--body") == "central.inspection"
    assert resolve_body(governance, "Ban Bí thư", "--body") == "central.secretariat"
    for code, name in CENTRAL_BODIES.items():
        assert labels.body(governance, code) == name


def test_a_complaint_lodged_with_the_centre_counts_its_own_working_days() -> None:
    from types import SimpleNamespace

    from hoso.rules.deadlines import BY_STATE, amounts

    deadline = BY_STATE[("screening", "complaint_answered")]
    for body, wanted in (
        ("central.inspection", (None, "complaint_answer_workdays_central")),
        ("ban-mo.standing", (None, "complaint_answer_workdays")),
    ):
        event = SimpleNamespace(state="complaint_lodged", body=body, date=date(2024, 1, 2))
        case = SimpleNamespace(history=[event])
        assert amounts(case, deadline, 1) == wanted  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lodged", "answered", "why"),
    [
        ("ban-mo.inspection", "ban-mo.inspection", None),  # the cell decided: the town is above
        ("ban-mo-x01-cb1", "ban-mo-x01-cb1", "cấp trên"),  # the cell answers its own decision
        ("ban-mo.organisation", "ban-mo.organisation", "ban tổ chức"),
        ("thu-nghiem.inspection", "central.inspection", None),
    ],
)
def test_an_appeal_goes_above_the_body_that_decided(
    repo: TempRepo, lodged: str, answered: str, why: str | None
) -> None:
    found = _found(
        repo,
        (APPEALED, f"- date: 2020-12-28\n  state: appealed\n  body: {lodged}"),
        *_answered("2021-03-12", answered),
    )
    appeal = [m for r, m in found if r == "competence.appeal"]
    if why is None:
        assert appeal == []
    else:
        assert len(appeal) == 2 and all(why in m for m in appeal), found
