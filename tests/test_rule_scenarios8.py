"""Party-rule scenarios written from DOMAIN.md alone (boundary days, working days, votes),
kept as tests. Built from the acceptance examples (fictional)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso.models import AdmissionCase
from hoso.rules.deadlines import pending
from hoso.validate.governance_files import load_governance
from hoso.validate.record import parse, validate_model

ADMITTED = EXAMPLES / "valid/boundary-decision-last-workday.yaml"
STRUCK_OFF = EXAMPLES / "valid/boundary-exit-card-collected.yaml"
TRANSFER = EXAMPLES / "valid/boundary-transfer-received-confirmed.yaml"


def _found(repo: TempRepo, example: Path, *edits: tuple[str, str]) -> list[tuple[str, str]]:
    repo.place(example, *edits)
    return [(f.rule, f.message) for f in repo.validate().findings]


def _recognition_meeting(day: str) -> tuple[tuple[str, str], ...]:
    """The example's probation ends on Saturday 25/05/2024; its 30 working days to meet end
    on Friday 05/07/2024. The cell meets on ``day``, the later steps follow."""
    return (
        ("- date: 2024-05-30\n  state: recognition_cell_voted", f"- date: {day}\n  state: "
         "recognition_cell_voted"),
        ("    date: 2024-05-30\n", f"    date: {day}\n"),
        ("- date: 2024-06-04\n", "- date: 2024-07-10\n"),
        ("    date: 2024-06-04\n", "    date: 2024-07-10\n"),
        ("- date: 2024-06-11\n", "- date: 2024-07-11\n"),
        ("    date: 2024-06-11\n", "    date: 2024-07-11\n"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "late"),
    [("2024-07-05", None), ("2024-07-06", None), ("2024-07-07", None), ("2024-07-08", 1)],
)
def test_a_step_on_the_days_off_after_the_last_working_day_is_in_time(
    repo: TempRepo, day: str, late: int | None
) -> None:
    """DOMAIN §2: the cell meets "within 30 working days after the 12 months end". A meeting
    on the Saturday or Sunday after the 30th working day has let no 31st pass: in time, never
    "late by 0 working days"; on the Monday it is one working day late."""
    found = _found(repo, ADMITTED, *_recognition_meeting(day))
    said = [m for r, m in found if r == "deadline.late"]
    assert said == (
        []
        if late is None
        else [
            f"Chi bộ xét công nhận đảng viên chính thức chậm {late} ngày làm việc so với hạn "
            "05/07/2024 (Thời gian dự bị: 12 tháng, Điều lệ Đảng (2011); Hạn chi bộ xét công "
            "nhận chính thức sau khi hết dự bị: 30 ngày làm việc, QĐ 24-QĐ/TW, 30/07/2021)"
        ]
    )


@pytest.mark.parametrize(("day", "late"), [("2025-03-08", False), ("2025-03-10", True)])
def test_a_complaint_lodged_on_the_days_off_after_the_last_working_day_is_heard(
    repo: TempRepo, day: str, late: bool
) -> None:
    """DOMAIN §3: the member may complain "within 30 working days". Struck off on Friday
    17/01/2025, the 30th working day is Friday 07/03/2025 (Tết in between): a complaint
    lodged on Saturday 08/03 is within them, one on Monday 10/03 is not."""
    found = _found(
        repo,
        STRUCK_OFF,
        ("- date: 2025-01-16\n  state: struck_off", "- date: 2025-01-17\n  state: struck_off"),
        ("    date: 2025-01-16\n", "    date: 2025-01-17\n"),
        ("- date: 2025-01-21\n  state: complaint_lodged", f"- date: {day}\n  state: "
         "complaint_lodged"),
    )  # fmt: skip
    refused = [m for r, m in found if r == "screening.complaint_late"]
    assert refused == (
        [
            "khiếu nại xóa tên phải gửi trong 30 ngày làm việc (hạn 07/03/2025, HD 12-HD/BTCTW, "
            "18/01/2022, cần kiểm tra); nhận được 10/03/2025: không được thụ lý"
        ]
        if late
        else []
    )


@pytest.mark.parametrize(("day", "late"), [("2022-09-24", False), ("2022-09-26", True)])
def test_a_letter_presented_on_the_days_off_after_the_last_working_day_needs_no_reason(
    repo: TempRepo, day: str, late: bool
) -> None:
    """DOMAIN §5: the letter is presented "within 30 working days of its date". Signed on
    10/08/2022, the 30th working day is Friday 23/09/2022 (2/9 in between): presented on
    Saturday 24/09 it is in time and needs no reason for a delay; on Monday 26/09 it does."""
    found = _found(
        repo,
        TRANSFER,
        ("- date: 2022-08-05\n  state: letter_issued", "- date: 2022-08-10\n  state: "
         "letter_issued"),
        ("    date: 2022-08-05\n", "    date: 2022-08-10\n"),
        ("- date: 2022-08-15\n  state: presented", f"- date: {day}\n  state: presented"),
        ("- date: 2022-09-05\n  state: received", "- date: 2022-09-27\n  state: received"),
        ("    date: 2022-08-15\n    issuer: Đảng ủy", f"    date: {day}\n    issuer: Đảng ủy"),
    )  # fmt: skip
    rules = sorted(r for r, _ in found)
    assert rules == (["deadline.late", "transfer.late_reason"] if late else []), found


def _refused(day: str, extended: bool = False) -> str:
    """The example admission, its district appraisal followed by a decision not to admit on
    ``day`` instead of the admission (the cell resolved on 13/02/2023; its 60th working day
    is 11/05/2023)."""
    text = ADMITTED.read_text(encoding="utf-8")
    text = text[: text.index("- date: 2023-05-11\n  state: decided")]
    return text.replace("status: recognised", "status: not_admitted") + (
        f"- date: {day}\n  state: not_admitted\n  body: ban-mo.standing\n"
        + ("  extended: true\n" if extended else "")
        + f"  document:\n    number: 81-TB/HU\n    date: {day}\n    issuer: ban-mo.standing\n"
    )


@pytest.mark.parametrize(
    ("day", "extended", "late"),
    [("2023-05-11", False, None), ("2023-05-12", False, 1), ("2023-05-12", True, None)],
)
def test_a_decision_not_to_admit_is_due_as_the_decision_to_admit(
    repo: TempRepo, day: str, extended: bool, late: int | None
) -> None:
    """DOMAIN §2: the competent body decides "≤ 60 working days after the cell resolution,
    extendable once by ≤ 30 working days"; deciding not to admit is that decision too."""
    repo.write("cases/ban-mo/admission/KN-2022-9xskoq.yaml", _refused(day, extended))
    said = [f.message for f in repo.validate().findings if f.rule == "deadline.late"]
    assert len(said) == (0 if late is None else 1), said
    if late is not None:
        assert said[0].startswith(
            f"Ra quyết định không kết nạp chậm {late} ngày làm việc so với hạn 11/05/2023 ("
        ), said


def test_the_decision_either_way_is_one_thing_due(repo: TempRepo) -> None:
    """What is due next after the district's appraisal is one decision, listed once."""
    text = _refused("2023-05-11")
    text = text[: text.index("- date: 2023-05-11\n  state: not_admitted")]
    text = text.replace("status: not_admitted", "status: district_appraised")
    governance, _ = load_governance(repo.root)
    source, data, problems = parse(text.encode())
    assert data is not None and source is not None and not problems
    case, errors = validate_model(source, data, AdmissionCase)
    assert case is not None, errors
    due = pending(case, governance)
    assert [(d.what, d.due.isoformat()) for d in due] == [("Ra quyết định kết nạp", "2023-05-11")]


def _struck(day: str) -> str:
    """The example admission, the grassroots committee's proposal to recognise (04/06/2024,
    after the cell's resolution of 30/05/2024, whose 30th working day is 11/07/2024) followed
    by a decision striking the name from the probationary list on ``day`` instead."""
    text = ADMITTED.read_text(encoding="utf-8")
    text = text[: text.index("- date: 2024-06-11\n  state: recognised")]
    return text.replace("status: recognised", "status: struck_from_probation") + (
        f"- date: {day}\n  state: struck_from_probation\n  body: ban-mo.standing\n"
        f"  document:\n    number: 90-QĐ/HU\n    date: {day}\n    issuer: ban-mo.standing\n"
    )


@pytest.mark.parametrize(("day", "late"), [("2024-07-11", None), ("2024-07-12", 1)])
def test_striking_from_probation_after_the_cells_resolution_is_due_as_the_recognition(
    repo: TempRepo, day: str, late: int | None
) -> None:
    """DOMAIN §2: the recognition decision is due "≤ 30 working days after the cell
    resolution"; the competent body deciding instead to strike the name from the probationary
    list decides on that resolution too, by the same day."""
    repo.write("cases/ban-mo/admission/KN-2022-9xskoq.yaml", _struck(day))
    said = [f.message for f in repo.validate().findings if f.rule == "deadline.late"]
    assert len(said) == (0 if late is None else 1), said
    if late is not None:
        assert said[0].startswith(
            f"Ra quyết định xóa tên khỏi danh sách đảng viên dự bị chậm {late} ngày làm việc so "
            "với hạn 11/07/2024 ("
        ), said


@pytest.mark.parametrize(("outcome", "refused"), [("upheld", False), ("annulled", True)])
def test_the_card_is_not_collected_once_striking_off_is_annulled(
    repo: TempRepo, outcome: str, refused: bool
) -> None:
    """DOMAIN §3: "on any exit the cell collects the party card". A complaint answered by
    annulling the decision to strike the member off leaves no exit: collecting the card after
    that answer is refused, as it is for an expulsion annulled on appeal."""
    found = _found(repo, STRUCK_OFF, ("outcome: upheld", f"outcome: {outcome}"))
    said = [m for r, m in found if r == "screening.card"]
    assert said == (
        [
            "chỉ thu hồi thẻ đảng viên khi quyết định xóa tên hoặc cho ra khỏi Đảng có hiệu "
            "lực; quyết định đã bị hủy bỏ khi giải quyết khiếu nại (26/05/2025)"
        ]
        if refused
        else []
    )
    assert [r for r, _ in found] == (["screening.card"] if refused else [])


REMOVED = EXAMPLES / "valid/boundary-discipline-just-over-half.yaml"
APPEAL_CHANGES = """- date: 2022-03-10
  state: appealed
  body: ban-mo.inspection
- date: 2022-05-10
  state: appeal_answered
  body: ban-mo.inspection
  outcome: changed
  form: {form}
  vote:
    official_members: 7
    present: 7
    in_favour: 7
    against: 0
    abstain: 0
    method: secret_ballot
  document:
    number: 40-QĐ/UBKT
    date: 2022-05-10
    issuer: ban-mo.inspection
"""


def _appeal_changes(form: str, *edits: tuple[str, str]) -> str:
    """The example's removal from post (decided 01/03/2022 by the grassroots committee),
    appealed to the district inspection commission, which changes the form to ``form``."""
    text = REMOVED.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("status: decided", "status: appeal_answered")
    return text + APPEAL_CHANGES.format(form=form)


PROBATIONARY = (
    (
        "  standing: official\n  party_card: '30127893'\n  admitted_on: 2010-02-07\n"
        "  recognised_on: 2011-02-08\n",
        "  standing: probationary\n  party_card: '30127893'\n  admitted_on: 2021-06-01\n",
    ),
    ("  form: removal_from_post\n  vote:\n    official_members: 13\n    exempted_absent: 0\n"
     "    transferred_out: 0\n    present: 13\n", "  form: warning\n  vote:\n"
     "    official_members: 13\n    exempted_absent: 0\n    transferred_out: 0\n    present: 13\n"),
    ("  - form: removal_from_post\n    votes: 7", "  - form: warning\n    votes: 7"),
)  # fmt: skip
LEFT_POST = (("    since: 2020-01-28\n", "    since: 2020-01-28\n    until: 2022-04-01\n"),)


@pytest.mark.parametrize(
    ("form", "edits", "rule"),
    [
        ("reprimand", PROBATIONARY, None),
        ("expulsion", PROBATIONARY, "discipline.probationary"),
        ("warning", LEFT_POST, None),
        ("removal_from_post", LEFT_POST, "discipline.no_post"),
    ],
)
def test_a_form_changed_on_appeal_is_one_the_member_can_be_given(
    repo: TempRepo, form: str, edits: tuple[tuple[str, str], ...], rule: str | None
) -> None:
    """DOMAIN §4: a probationary member can only be reprimanded or warned, and removal from
    post is only for a member who holds one; a higher body that changes the form on appeal
    imposes that form, so the same limits hold on the day of its answer."""
    repo.write("cases/ban-mo/discipline/KL-2021-0vc3vk.yaml", _appeal_changes(form, *edits))
    found = [(f.rule, f.severity) for f in repo.validate().findings if f.severity == "error"]
    assert found == ([] if rule is None else [(rule, "error")])


WARNED = EXAMPLES / "valid/boundary-competence-district-warns-committee-member.yaml"
PROVINCE_CHANGES = """- date: 2023-05-10
  state: appealed
  body: {body}
- date: 2023-07-10
  state: appeal_answered
  body: {body}
  outcome: changed
  form: {form}
  document:
    number: 12-QĐ/TU
    date: 2023-07-10
    issuer: {body}
"""


@pytest.mark.parametrize(
    ("body", "form", "refused"),
    [
        ("thu-nghiem.standing", "warning", False),
        ("thu-nghiem.standing", "expulsion", True),
        ("thu-nghiem.inspection", "expulsion", False),
    ],
)
def test_a_form_changed_on_appeal_is_within_the_competence_of_the_body_changing_it(
    repo: TempRepo, body: str, form: str, refused: bool
) -> None:
    """DOMAIN §4: a district or province committee (or its standing committee) only
    reprimands or warns committee members of any level; the province's standing committee
    answering the appeal of a district committee member cannot change a warning into an
    expulsion, where the province's inspection commission (not of the same level) may."""
    text = WARNED.read_text(encoding="utf-8").replace("status: decided", "status: appeal_answered")
    text += PROVINCE_CHANGES.format(body=body, form=form)
    repo.write("cases/ban-mo/discipline/KL-2023-hu1cc0.yaml", text)
    found = [f.rule for f in repo.validate().findings if f.severity == "error"]
    assert found == (["competence.discipline"] if refused else [])


WARNED_CELL = EXAMPLES / "valid/boundary-org-discipline-just-over-half.yaml"
CELL_APPEAL = """- date: 2023-04-20
  state: appealed
  body: ban-mo.inspection
- date: 2023-06-20
  state: appeal_answered
  body: {body}
  outcome: changed
  form: {form}
  document:
    number: 20-QĐ/HU
    date: 2023-06-20
    issuer: {body}
"""


@pytest.mark.parametrize(
    ("body", "form", "refused"),
    [
        ("ban-mo.inspection", "reprimand", False),
        ("ban-mo.inspection", "dissolution", True),
        ("ban-mo.standing", "dissolution", False),
    ],
)
def test_an_organisations_form_changed_on_appeal_is_within_the_competence_of_the_body(
    repo: TempRepo, body: str, form: str, refused: bool
) -> None:
    """DOMAIN §4 lists dissolution among the forms for organisations; the tool holds (from
    QĐ 22-QĐ/TW, marked "cần kiểm tra") that an inspection commission only reprimands or
    warns an organisation: it cannot dissolve the cell by changing the form on appeal
    either, where the district's standing committee may."""
    text = WARNED_CELL.read_text(encoding="utf-8").replace(
        "status: announced", "status: appeal_answered"
    )
    text += CELL_APPEAL.format(body=body, form=form)
    repo.write("cases/ban-mo/org_discipline/TC-2023-ok0001.yaml", text)
    found = [f.rule for f in repo.validate().findings if f.severity == "error"]
    assert found == (["org_discipline.competence"] if refused else [])


@pytest.mark.parametrize(
    ("kind", "until", "late"),
    [("official", None, True), ("temporary", "2022-12-01", False)],
)
def test_only_an_official_transfer_is_started_within_60_working_days_of_the_move(
    repo: TempRepo, kind: str, until: str | None, late: bool
) -> None:
    """DOMAIN §5: "Official transfer: start within 60 working days of the move". A temporary
    transfer (3 months to under a year) has no such deadline: asked for on the 61st working
    day after the move, only the official one is late."""
    found = _found(
        repo,
        EXAMPLES / "invalid/rule-transfer-request-late.yaml",
        ("transfer_type: official", f"transfer_type: {kind}"),
        ("move_date: 2022-03-01", "move_date: 2022-03-01" + (f"\nuntil: {until}" if until else "")),
    )
    said = [m for r, m in found if r == "deadline.late"]
    assert [m.startswith("Đảng viên đề nghị chuyển sinh hoạt chậm 1 ngày") for m in said] == (
        [True] if late else []
    ), found
