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
        (APPEALED, "- date: 2020-12-28\n  state: appealed\n  body: central.inspection"),
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
    ("lodged", "answered", "rule", "why"),
    [
        ("ban-mo.inspection", "ban-mo.inspection", None, None),  # the cell decided
        ("ban-mo-x01-cb1", "ban-mo-x01-cb1", "competence.body", "ủy ban kiểm tra"),
        ("ban-mo.standing", "ban-mo.inspection", None, None),  # the cell decided
        ("ban-mo.organisation", "ban-mo.organisation", "competence.body", "ủy ban kiểm tra"),
        ("thu-nghiem.inspection", "central.inspection", None, None),
    ],
)
def test_an_appeal_goes_above_the_body_that_decided(
    repo: TempRepo, lodged: str, answered: str, rule: str | None, why: str | None
) -> None:
    found = _found(
        repo,
        (APPEALED, f"- date: 2020-12-28\n  state: appealed\n  body: {lodged}"),
        *_answered("2021-03-12", answered),
    )
    refused = [m for r, m in found if r in ("competence.appeal", "competence.body")]
    if rule is None:
        assert refused == [], found
    else:
        # One refusal per step, by one rule: the list of who may answer names no
        # organisation commission, and the appeal rule does not say it a second time.
        assert [r for r, _ in found if r.startswith("competence.")] == [rule, rule], found
        assert all(why in m for m in refused), found
        allowed = [m.split("một trong")[-1].split("nhận được")[0].lower() for m in refused]
        assert all("ban tổ chức" not in names for names in allowed), allowed


@pytest.mark.parametrize(
    ("decider", "body", "above"),
    [
        # An appeal against the town's inspection commission may go to the town's standing
        # or executive committee, which elected it (QĐ 22-QĐ/TW)...
        ("ban-mo.inspection", "ban-mo.standing", True),
        ("ban-mo.inspection", "ban-mo.executive", True),
        ("ban-mo.standing", "thu-nghiem.inspection", True),
        ("thu-nghiem.standing", "central.inspection", True),
        # ... but not back down, nor sideways within the same committee.
        ("ban-mo.standing", "ban-mo.inspection", False),
        ("ban-mo.standing", "ban-mo.executive", False),
        ("ban-mo.inspection", "ban-mo.inspection", False),
        ("thu-nghiem.inspection", "ban-mo.standing", False),
        ("central.secretariat", "central.inspection", False),
        # The Secretariat, the final instance for an expulsion, stands above the central
        # inspection commission that answered a first appeal against it.
        ("central.inspection", "central.secretariat", True),
    ],
)
def test_who_stands_above_whom_for_an_appeal(
    repo: TempRepo, decider: str, body: str, above: bool
) -> None:
    from hoso.rules.discipline import appeal_above

    governance, _ = load_governance(repo.root)
    found = list(appeal_above(governance, decider, body, ("history", 0, "body")))
    assert (found == []) is above, found


ORG_CASE = EXAMPLES / "valid/boundary-org-discipline-district-dissolves.yaml"
ORG_ANNOUNCED = "- date: 2023-04-05\n  state: announced\n  body: ban-mo.standing"


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ("central.inspection", False),
        ("thu-nghiem.inspection", False),
        ("ban-mo.inspection", True),  # below the town's standing committee that dissolved
        ("ban-mo.organisation", True),
    ],
)
def test_an_organisation_appeals_above_the_committee_that_disciplined_it(
    repo: TempRepo, body: str, refused: bool
) -> None:
    text = ORG_CASE.read_text(encoding="utf-8")
    assert text.rstrip().endswith(ORG_ANNOUNCED), "the example's last step moved"
    appeal = f"\n- date: 2023-04-20\n  state: appealed\n  body: {body}"
    repo.place(
        ORG_CASE,
        (ORG_ANNOUNCED, ORG_ANNOUNCED + appeal),
        ("status: announced", "status: appealed"),
    )
    found = [(f.rule, f.message) for f in repo.validate().findings if f.severity == "error"]
    if refused:
        assert found and all(r in ("competence.appeal", "org_discipline.body") for r, _ in found)
        assert len(found) == 1, found
    else:
        assert found == []


def test_an_appeal_answered_at_the_centre_gets_the_centre_s_months(repo: TempRepo) -> None:
    """Lodged with the province, passed up and answered by the centre on 28/06/2021: within
    the six months of the level that answered, not late by the province's three."""
    found = _found(
        repo,
        (APPEALED, "- date: 2020-12-28\n  state: appealed\n  body: thu-nghiem.inspection"),
        *_answered("2021-06-28", "central.inspection"),
    )
    assert [m for r, m in found if r == "deadline.late"] == []
    late = _found(
        repo,
        (APPEALED, "- date: 2020-12-28\n  state: appealed\n  body: thu-nghiem.inspection"),
        *_answered("2021-06-28", "thu-nghiem.inspection"),
    )
    assert any("hạn 28/03/2021" in m for r, m in late if r == "deadline.late")


@pytest.mark.parametrize(
    ("form", "body", "refused"),
    [
        ("reprimand", "central.inspection", False),
        ("warning", "central.secretariat", True),
        ("removal_from_post", "central.politburo", True),
        ("expulsion", "central.secretariat", False),
        ("expulsion", "central.inspection", False),
        ("expulsion", "central.executive", True),
        ("reprimand", "thu-nghiem.inspection", False),  # not a central body: other rules judge
    ],
)
def test_a_member_s_appeal_stops_at_the_central_instance_for_its_form(
    repo: TempRepo, form: str, body: str, refused: bool
) -> None:
    """DOMAIN section 4: the final instance is the central inspection commission for the
    lighter forms, and the Secretariat for an expulsion decided at province level or below."""
    from hoso.rules.discipline import _central_instance

    governance, _ = load_governance(repo.root)
    found = list(_central_instance(governance, form, body, ("history", 0, "body")))
    assert bool(found) is refused, found
    assert all(i.rule == "competence.appeal_central" for i in found)


def test_a_district_executive_committee_does_not_decide_an_admission(repo: TempRepo) -> None:
    """DOMAIN section 2: the standing committee of the district decides, or an authorised
    grassroots committee; the district's full executive committee is not named."""
    from hoso.rules.competence import bodies, place_of
    from hoso.rules.workflow import ADMISSION

    governance, _ = load_governance(repo.root)
    repo.place(EXAMPLES / "valid/boundary-vote-exactly-two-thirds.yaml")
    source, data, _ = parse((repo.root / "cases/ban-mo/admission/KN-2022-9xskoq.yaml").read_bytes())
    from hoso.models import AdmissionCase

    case, _ = validate_model(source, data, AdmissionCase)  # type: ignore[arg-type]
    assert case is not None
    place = place_of(case, governance)
    assert place is not None
    deciders = bodies(ADMISSION.steps["decided"].actor, place)
    assert deciders is not None and "ban-mo.standing" in deciders
    assert "ban-mo.executive" not in deciders
