"""Scenarios written from DOMAIN.md by testers who had not read the rules' code (readmission
consent, study transfers), kept as tests. Built from the acceptance examples (fictional)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo
from hoso.labels import GROUND_LABELS

READMISSION = EXAMPLES / "invalid/rule-readmission.yaml"
TRANSFER = EXAMPLES / "valid/boundary-transfer-received-confirmed.yaml"


def _found(repo: TempRepo, example: Path, *edits: tuple[str, str]) -> list[tuple[str, str]]:
    text = example.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    repo.write(text.splitlines()[0].removeprefix("# place: ").strip(), text)
    return [(f.rule, f.message) for f in repo.validate().findings]


@pytest.mark.parametrize(("day", "late"), [("2022-12-01", False), ("2026-06-01", True)])
def test_the_province_consents_to_a_readmission_before_the_decision(
    repo: TempRepo, day: str, late: bool
) -> None:
    found = _found(
        repo,
        READMISSION,
        ("    date: 2022-12-01\n    issuer: ban-mo.standing", f"    date: {day}\n    issuer: "
         "thu-nghiem.standing"),
    )  # fmt: skip
    consent = [m for r, m in found if r == "admission.readmission_consent"]
    assert consent == (
        ["kết nạp lại cần văn bản đồng ý của Ban Thường vụ Tỉnh ủy trước khi quyết định kết nạp "
         "(21/03/2023); văn bản ghi ngày 01/06/2026"] if late else []
    )  # fmt: skip


@pytest.mark.parametrize(
    ("until", "span"),
    [("2024-03-01", None), ("2024-03-02", "24 tháng 1 ngày"), ("2024-03-21", "24 tháng 20 ngày")],
)
def test_a_study_transfer_lasts_two_years_at_most_counted_in_days(
    repo: TempRepo, until: str, span: str | None
) -> None:
    found = _found(
        repo,
        TRANSFER,
        ("transfer_type: official", "transfer_type: temporary_study"),
        ("move_date: 2022-03-01", f"move_date: 2022-03-01\nuntil: {until}"),
    )
    periods = [m for r, m in found if r == "transfer.temporary_period"]
    assert periods == ([] if span is None else [
        f"sinh hoạt tạm thời phải từ 3 tháng đến 24 tháng (QĐ 24-QĐ/TW, 30/07/2021); từ "
        f"01/03/2022 đến {until[8:]}/{until[5:7]}/{until[:4]} là {span}"
    ])  # fmt: skip


def test_a_decision_late_after_an_extension_cites_the_extension(repo: TempRepo) -> None:
    """The cell resolved on 13/02/2023: 60 working days and 30 more (extended: true) end on
    22/06/2023; a decision on 23/06/2023 is one working day late against both values."""
    found = _found(
        repo,
        EXAMPLES / "invalid/rule-decision-late.yaml",
        ("- date: 2023-05-12\n  state: decided\n", "- date: 2023-06-23\n  state: decided\n"
         "  extended: true\n"),
    )  # fmt: skip
    late = [m for r, m in found if r == "deadline.late"]
    assert late == [
        "Ra quyết định kết nạp chậm 1 ngày làm việc so với hạn 22/06/2023 (Hạn ra quyết định "
        "kết nạp, tính từ ngày chi bộ ra nghị quyết: 60 ngày làm việc, QĐ 24-QĐ/TW, 30/07/2021; "
        "Gia hạn tối đa (một lần) cho quyết định kết nạp: 30 ngày làm việc, QĐ 24-QĐ/TW, "
        "30/07/2021)"
    ]


def test_an_answer_late_against_months_is_late_by_days_of_the_calendar(repo: TempRepo) -> None:
    """Appealed on 28/12/2020, answered within 3 months: by 28/03/2021 (a Sunday); an answer
    on 30/03/2021 is 2 days late, not 1 working day."""
    found = _found(
        repo,
        EXAMPLES / "valid/boundary-discipline-last-day-of-limitation.yaml",
        ("- date: 2021-03-12\n  state: appeal_answered", "- date: 2021-03-30\n  state: "
         "appeal_answered"),
    )  # fmt: skip
    (late,) = [m for r, m in found if r == "deadline.late"]
    assert late.startswith("Giải quyết khiếu nại kỷ luật chậm 2 ngày so với hạn 28/03/2021 (")


STRUCK_OFF = EXAMPLES / "valid/boundary-exit-card-collected.yaml"
LISTED = """- date: 2023-10-18
  state: listed
  body: ban-mo-x04-cb3
  criteria:
  - transfer_not_completed
  - disunity
  vote:
    official_members: 25
    exempted_absent: 2
    transferred_out: 1
    present: 21
    in_favour: 20
    against: 1
    abstain: 0
    method: secret_ballot
  document:
    number: 78-NQ/CB
    date: 2023-10-18
    issuer: ban-mo-x04-cb3
"""


@pytest.mark.parametrize(
    ("ground", "rules"),
    [("card_returned_or_destroyed", []), ("no_progress_after_help", ["screening.help_period"] * 2)],
)
def test_striking_off_on_a_ground_other_than_no_progress_needs_no_help_list(
    repo: TempRepo, ground: str, rules: list[str]
) -> None:
    """Returning the card (a ground of its own) is proposed straight after the screening;
    "no progress after help" needs the help list first."""
    found = _found(
        repo,
        STRUCK_OFF,
        (LISTED, ""),
        ("  ground: no_progress_after_help\n", f"  ground: {ground}\n"),
    )
    assert [r for r, _ in found] == rules


def test_the_decision_strikes_off_on_the_ground_the_cell_proposed(repo: TempRepo) -> None:
    found = _found(
        repo,
        STRUCK_OFF,
        ("  state: struck_off\n  body: ban-mo.standing\n  ground: no_progress_after_help",
         "  state: struck_off\n  body: ban-mo.standing\n  ground: missed_activity_or_dues"),
    )  # fmt: skip
    assert [m for r, m in found if r == "screening.ground"] == [
        "xóa tên theo căn cứ chi bộ đã đề nghị: chi bộ đề nghị “"
        + GROUND_LABELS["no_progress_after_help"]
        + "”; nhận được “"
        + GROUND_LABELS["missed_activity_or_dues"]
        + "”"
    ]


@pytest.mark.parametrize(("category", "limited"), [("other", True), ("forged_diploma", False)])
def test_an_organisations_forged_diploma_violation_has_no_limitation(
    repo: TempRepo, category: str, limited: bool
) -> None:
    """A warning on 30/03/2023 for a violation of 10/01/2003: twenty years on."""
    found = _found(
        repo,
        EXAMPLES / "valid/boundary-org-discipline-just-over-half.yaml",
        ("  date: 2023-01-10\n", "  date: 2003-01-10\n"),
        ("  category: other", f"  category: {category}"),
    )
    assert [r for r, _ in found] == (["org_discipline.limitation"] if limited else [])


@pytest.mark.parametrize(("born", "held"), [("2023-01-10", False), ("2021-06-01", True)])
def test_a_child_born_after_the_steps_does_not_hold_them_back(
    repo: TempRepo, born: str, held: bool
) -> None:
    """The case ran from January to March 2022: a child born in 2023 was not yet there; one
    born in June 2021 was under 12 months at the decision."""
    _found(
        repo,
        EXAMPLES / "valid/boundary-discipline-just-over-half.yaml",
        ("  sex: male\n", f"  sex: male\n  youngest_child_born: {born}\n"),
    )
    young = [f.severity for f in repo.validate().findings if f.rule == "discipline.young_child"]
    assert ("error" in young) is held
    assert bool(young) is held


def test_no_more_present_than_could_attend(repo: TempRepo) -> None:
    """12 official members, 2 of them exempted and absent: at most 10 can be present. A record
    saying 11 were present contradicts itself (and 8 votes would then wrongly reach 2/3 of
    10): refused, naming the field. 10 present is fine."""
    cell_voted = EXAMPLES / "valid/admission-cell-voted.yaml"
    found = _found(repo, cell_voted, ("official_members: 12\n", "official_members: 12\n"
                                      "      exempted_absent: 2\n"))  # fmt: skip
    counts = [m for r, m in found if r == "vote.counts"]
    assert counts == [
        "số liệu biểu quyết không khớp: số có mặt (11) vượt số có thể có mặt (10: 12 đảng viên "
        "chính thức, trừ người chuyển đi tạm thời và người miễn sinh hoạt vắng mặt)"
    ]
    fine = _found(
        repo,
        cell_voted,
        ("official_members: 12\n", "official_members: 12\n      exempted_absent: 2\n"),
        ("present: 11", "present: 10"),
        ("abstain: 1\n", ""),
    )
    assert [r for r, _ in fine if r.startswith("vote")] == []


def test_a_transfer_letter_comes_from_the_members_own_district(repo: TempRepo) -> None:
    """DOMAIN §5: the district-level committee issues the letter (the provincial organisation
    commission only for grassroots organisations directly under the province): a letter for
    a member of Bản Mơ issued by the province's organisation commission, or by another
    district's, is refused; Bản Mơ's own standing committee may issue it."""
    for issuer, refused in (
        ("thu-nghiem.organisation", True),
        ("khe-lam.organisation", True),
        ("ban-mo.standing", False),
    ):
        found = _found(
            repo,
            TRANSFER,
            ("  state: letter_issued\n  body: ban-mo.organisation", "  state: letter_issued\n"
             f"  body: {issuer}"),
        )  # fmt: skip
        bodies = [m for r, m in found if r == "competence.body"]
        assert bool(bodies) == refused, (issuer, found)
        if refused:
            assert "cấp ủy cấp huyện nơi đảng viên sinh hoạt" in bodies[0]
    # A member coming in: the letter is the sending committee's, outside this unit tree.
    incoming = _found(
        repo,
        TRANSFER,
        ("direction: outgoing", "direction: incoming"),
        ("  state: letter_issued\n  body: ban-mo.organisation", "  state: letter_issued\n"
         "  body: thu-nghiem.organisation"),
    )  # fmt: skip
    assert [m for r, m in incoming if r == "competence.body"] == []


EXPELS = EXAMPLES / "valid/boundary-competence-district-expels-own-cadre.yaml"


@pytest.mark.parametrize(
    ("title", "committee", "protected"),
    [
        ("Bí thư chi bộ", "ban-mo-x02-cb3.cell_committee", True),
        ("Ủy viên Đảng ủy bộ phận", "ban-mo-x02-bp.executive", True),
        ("Đảng ủy viên", "ban-mo-x02.executive", True),
        ("Bí thư chi bộ", "ban-mo-x02-cb3.cell_committee\n    until: 2022-12-31", False),
    ],
)
def test_a_district_standing_committee_only_reprimands_or_warns_committee_members(
    repo: TempRepo, title: str, committee: str, protected: bool
) -> None:
    """ "Reprimand, warning on committee members of all levels": the cell's committee (chi
    ủy) and a đảng ủy bộ phận are elected party committees too; a seat left before the
    decision no longer protects."""
    found = _found(
        repo,
        EXPELS,
        ("  - title: Bí thư chi bộ\n    committee: ban-mo-x02-cb3.cell_committee\n"
         "    since: 2020-10-01\n    until: 2022-12-31",
         f"  - title: {title}\n    committee: {committee}\n    since: 2020-10-01"),
    )  # fmt: skip
    assert ("competence.discipline" in {r for r, _ in found}) == protected


EXEMPTED = EXAMPLES / "valid/cross-exemption-ended/first.yaml"


@pytest.mark.parametrize(
    ("sex", "born", "refused"),
    [
        ("male", "1963-02-14", True),  # 60 on the day of the request (14/02/2023)
        ("male", "1963-02-13", False),  # 60 and one day: over 60
        ("female", "1968-02-14", True),
        ("female", "1968-02-13", False),
    ],
)
def test_exemption_for_age_is_over_the_age_from_the_day_after_the_birthday(
    repo: TempRepo, sex: str, born: str, refused: bool
) -> None:
    """ "Men over 60, women over 55": over by the calendar, not after a further whole month."""
    found = _found(
        repo,
        EXEMPTED,
        ("birth_date: 1958-02-03", f"birth_date: {born}"),
        ("sex: male", f"sex: {sex}"),
    )
    assert ("exemption.age" in {r for r, _ in found}) == refused


SCREENED = EXAMPLES / "valid/boundary-exit-card-collected.yaml"


def _screened(
    repo: TempRepo, exempted_present: int, in_favour: int, against: int
) -> list[tuple[str, str]]:
    """The listing vote of 25 members, 1 transferred out, 22 present of whom
    ``exempted_present`` are exempted."""
    return _found(
        repo,
        SCREENED,
        ("    exempted_absent: 2\n    transferred_out: 1\n    present: 21\n    in_favour: 20\n"
         "    against: 1\n",
         f"    exempted_absent: 0\n    exempted_present: {exempted_present}\n"
         f"    transferred_out: 1\n    present: 22\n    in_favour: {in_favour}\n"
         f"    against: {against}\n"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("exempted_present", "in_favour", "against", "short"),
    [
        (0, 14, 8, True),  # 25 - 1 transferred = 24: 2/3 needs 16
        (3, 14, 8, False),  # three exempted came: 21 count, 2/3 needs 14
        (3, 13, 9, True),
    ],
)
def test_the_screening_vote_leaves_out_every_exempted_member(
    repo: TempRepo, exempted_present: int, in_favour: int, against: int, short: bool
) -> None:
    """ "≥ 2/3 of official members (exempted members excluded)": those who attend too."""
    found = _screened(repo, exempted_present, in_favour, against)
    assert [r for r, _ in found if r.startswith("vote.")] == (["vote.threshold"] if short else [])


def test_a_screening_vote_is_shown_against_the_count_it_is_judged_by(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    found = _screened(repo, 3, 14, 8)
    assert not [r for r, _ in found if r.startswith("vote.")]
    main(["show", "--repo", str(repo.root), "RS-2023-card01"])
    assert "14/21 tán thành" in capsys.readouterr().out


TWO_THIRDS = EXAMPLES / "valid/boundary-vote-exactly-two-thirds.yaml"
CELL_VOTE = """    official_members: 15
    exempted_absent: 0
    transferred_out: 0
    present: 15
    in_favour: 10
    against: 5
    abstain: 0
"""


@pytest.mark.parametrize(
    ("official", "exempted", "transferred"), [(0, 0, 0), (15, 15, 0), (15, 0, 15), (15, 9, 6)]
)
def test_a_vote_with_nobody_entitled_to_vote_passes_no_threshold(
    repo: TempRepo, official: int, exempted: int, transferred: int
) -> None:
    """Nought of nought is not two thirds: a resolution needs someone to vote for it."""
    counts = (
        f"    official_members: {official}\n    exempted_absent: {exempted}\n"
        f"    transferred_out: {transferred}\n    present: 0\n    in_favour: 0\n"
        "    against: 0\n    abstain: 0\n"
    )
    found = _found(repo, TWO_THIRDS, (CELL_VOTE, counts))
    assert [r for r, _ in found if r.startswith("vote.")] == ["vote.threshold"], found
    assert "không còn ai để biểu quyết" in dict(found)["vote.threshold"]


OVER_HALF = EXAMPLES / "valid/boundary-discipline-just-over-half.yaml"
CELL_POST = "    committee: ban-mo-x02-cb3.cell_committee\n"


@pytest.mark.parametrize(
    ("committee", "refused"),
    [
        ("ban-mo-x02-cb3.cell_committee", False),  # a cell committee under the grassroots
        ("ban-mo-x02.inspection", True),  # the grassroots' own inspection commission
        ("ban-mo-x02.executive", True),  # the grassroots' own committee
    ],
)
def test_a_grassroots_committee_removes_from_post_only_lower_committee_members(
    repo: TempRepo, committee: str, refused: bool
) -> None:
    found = _found(repo, OVER_HALF, (CELL_POST, f"    committee: {committee}\n"))
    competence = [m for r, m in found if r == "competence.discipline"]
    assert competence == (
        ["đảng ủy cơ sở chỉ cách chức cấp ủy viên cấp dưới (Điều lệ Đảng, điều 36); hồ sơ ghi: "
         "cách chức do Ban Chấp hành Đảng bộ xã Pú Khoang quyết định"] if refused else []
    )  # fmt: skip


@pytest.mark.parametrize(
    ("until", "said"),
    [
        (None, "sinh hoạt tạm thời phải ghi ngày kết thúc (until): thời gian từ 3 tháng đến "
               "dưới 12 tháng (QĐ 24-QĐ/TW, 30/07/2021)"),
        ("2022-01-15", "ngày kết thúc sinh hoạt tạm thời (15/01/2022) phải sau ngày chuyển "
                       "(01/03/2022)"),
        ("2022-06-01", None),
    ],
)  # fmt: skip
def test_a_temporary_transfer_says_when_it_ends_after_it_starts(
    repo: TempRepo, until: str | None, said: str | None
) -> None:
    found = _found(
        repo,
        TRANSFER,
        ("transfer_type: official", "transfer_type: temporary"),
        ("move_date: 2022-03-01", "move_date: 2022-03-01" + (f"\nuntil: {until}" if until else "")),
    )
    periods = [m for r, m in found if r == "transfer.temporary_period"]
    assert periods == ([] if said is None else [said])


def test_a_letter_of_introduction_is_presented_within_days_of_its_own_date(
    repo: TempRepo,
) -> None:
    """DOMAIN §5: the letter is presented "within 30 working days of its date". A letter
    recorded ten days after it was signed: the late warning and the demand for a reason both
    count from the letter's date, and agree."""
    found = _found(
        repo,
        TRANSFER,
        ("    date: 2022-08-05\n", "    date: 2022-07-26\n"),
        ("- date: 2022-08-15\n  state: presented", "- date: 2022-09-09\n  state: presented"),
        ("- date: 2022-09-05\n  state: received", "- date: 2022-09-12\n  state: received"),
        ("    date: 2022-08-15\n    issuer: Đảng ủy", "    date: 2022-09-09\n    issuer: Đảng ủy"),
    )
    rules = [r for r, _ in found]
    assert "transfer.late_reason" in rules, found
    late = [m for r, m in found if r == "deadline.late"]
    assert late and "Nộp giấy giới thiệu cho nơi đến" in late[0], found
    assert "hạn 08/09/2022" in late[0] and "hạn 08/09/2022" in dict(found)["transfer.late_reason"]


EXPELLED = EXAMPLES / "valid/boundary-discipline-expulsion-form-votes-two-thirds.yaml"
ADMITTED = "  admitted_on: 2010-02-07\n  recognised_on: 2011-02-08\n"


@pytest.mark.parametrize(
    ("admission", "probationary"),
    [
        # Recognised after the decision of 01/03/2022: probationary on that day.
        ("  admitted_on: 2021-05-20\n  recognised_on: 2022-06-01\n", True),
        # Official today, no recognition written, admitted nine months before the decision.
        ("  admitted_on: 2021-06-01\n", True),
        ("  admitted_on: 2020-05-20\n  recognised_on: 2021-06-01\n", False),
    ],
)
def test_a_member_probationary_on_the_day_of_the_decision_is_not_expelled(
    repo: TempRepo, admission: str, probationary: bool
) -> None:
    """The file's standing is today's: the decision is judged by the standing on its day."""
    found = _found(repo, EXPELLED, (ADMITTED, admission))
    rules = {r for r, _ in found}
    assert ("discipline.probationary" in rules) == probationary, found


def test_probation_without_a_recognition_lasts_as_the_rules_in_force_say(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a recognition written, the months of probation are the rule set's, never a
    number of the code's own: a rule set saying 24 keeps a member admitted 21 months before
    the decision probationary."""
    from hoso.rules import discipline

    admitted = "  admitted_on: 2020-06-01\n"
    found = {r for r, _ in _found(repo, EXPELLED, (ADMITTED, admitted))}
    assert "discipline.probationary" not in found
    real = discipline.in_force

    class Longer:
        def __init__(self, rules):  # type: ignore[no-untyped-def]
            self.rules = rules

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.rules, name)

        def __getitem__(self, name: str):  # type: ignore[no-untyped-def]
            return self.rules[name]

        def amount(self, name: str):  # type: ignore[no-untyped-def]
            return 24 if name == "probation_months" else self.rules.amount(name)

    monkeypatch.setattr(discipline, "in_force", lambda on, *a: Longer(real(on, *a)))
    found = {r for r, _ in _found(repo, EXPELLED, (ADMITTED, admitted))}
    assert "discipline.probationary" in found


def test_a_birth_after_the_first_step_is_a_wrong_date_not_a_negative_age(repo: TempRepo) -> None:
    text = TWO_THIRDS.read_text(encoding="utf-8")
    born = next(line for line in text.splitlines() if line.startswith("  birth_date: "))
    found = _found(repo, TWO_THIRDS, (born, "  birth_date: 2023-03-01"))
    assert [r for r, _ in found if r in ("record.birth_date", "admission.age")] == [
        "record.birth_date"
    ], found
    assert not any("-1 tuổi" in m or "tuổi -" in m for _, m in found)


APPEALED = """- date: 2022-03-07
  state: announced
  body: ban-mo.inspection
- date: 2022-03-20
  state: appealed
  body: thu-nghiem.inspection
"""
CARD = """- date: 2022-03-25
  state: card_collected
  body: ban-mo-x02-cb3
"""
ANSWER = """- date: 2022-05-10
  state: appeal_answered
  body: thu-nghiem.inspection
  outcome: upheld
  document:
    number: 12-TB/UBKT
    date: 2022-05-10
    issuer: thu-nghiem.inspection
"""


def _expelled(repo: TempRepo, steps: str, status: str) -> list[tuple[str, str]]:
    return _found(
        repo,
        EXPELLED,
        ("status: decided", f"status: {status}"),
        ("    issuer: ban-mo.inspection\n", "    issuer: ban-mo.inspection\n" + steps),
    )


def test_the_card_of_an_expelled_member_is_collected_while_the_appeal_is_pending(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """DOMAIN §4: "the decision applies while the appeal is pending": the expelled member
    appeals on 20/03, the cell collects the card at its meeting on 25/03, and the province's
    inspection commission answers on 10/05; the order in which the member appealed and the
    cell met does not matter. Until the answer, the case still owes it, by its deadline."""
    from hoso.cli.main import main

    pending = _expelled(repo, APPEALED + CARD, "card_collected")
    assert [r for r, _ in pending if r != "deadline.overdue"] == [], pending
    main(["show", "--repo", str(repo.root), "KL-2021-fv14of"])
    shown = capsys.readouterr().out
    assert "Giải quyết khiếu nại kỷ luật: trước 20/06/2022" in shown, shown
    answered = _expelled(repo, APPEALED + CARD + ANSWER, "appeal_answered")
    assert answered == [], answered


def test_an_appeal_is_answered_only_when_one_was_lodged(repo: TempRepo) -> None:
    found = _expelled(
        repo, APPEALED.split("- date: 2022-03-20")[0] + CARD + ANSWER, "appeal_answered"
    )
    assert [r for r, _ in found] == ["workflow.transition"], found


RANKED = EXAMPLES / "valid/boundary-ranking-excellent-share.yaml"


@pytest.mark.parametrize(("year", "twice"), [("2024", True), ("2025", False)])
def test_a_member_is_ranked_once_a_year(repo: TempRepo, year: str, twice: bool) -> None:
    """DOMAIN §7: each member's annual ranking, "excellent" capped at 20 % of "good" in each
    grassroots organisation. The same fourteen members ranked again for 2024 in a second record
    (each record at 2 of 10 "good") would make 4 "excellent" for 10 "good": a member is ranked
    once a year, whichever record ranks them. Ranked again for 2025 is another year."""
    repo.place(RANKED)
    repo.place(
        RANKED,
        ("XL-2024-rk0001", f"XL-{year}-rk0002"),
        ("year: 2024", f"year: {year}"),
        ("  date: 2024-12-20", f"  date: {year}-12-20"),
    )
    found = [(f.rule, f.message) for f in repo.validate().findings]
    duplicates = [m for r, m in found if r == "ranking.duplicate"]
    assert len(duplicates) == (14 if twice else 0), found
    if twice:
        assert duplicates[0] == (
            "đảng viên này (cùng số thẻ đảng viên) đã được xếp loại năm 2024 trong hồ sơ "
            "XL-2024-rk0001: mỗi đảng viên chỉ được xếp loại một lần trong năm"
        )


def test_the_guidance_shows_the_values_the_province_set(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DOMAIN legend: a "check" value is configurable, and the guidance says so. A province
    that sets the help period to 6 months and the answer to a complaint to 60 working days is
    judged by them; `hoso explain` in its repository and its site's guidance must say 6 and
    60, not the 12 and 90 it no longer applies."""
    from hoso.cli.main import main
    from hoso.site.pages import render_all

    settings = repo.root / "governance/settings.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "rule_overrides:\n  help_period_months: 6\n  complaint_answer_workdays: 60\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(repo.root)
    main(["explain", "screening"])
    said = capsys.readouterr().out
    assert "thời hạn: 6 tháng kể từ: chi bộ đã bỏ phiếu" in said, said
    assert "thời hạn: 60 ngày làm việc kể từ: đảng viên khiếu nại" in said, said
    assert "90 ngày làm việc" not in said and "12 tháng kể từ" not in said
    pages = render_all(repo.root, "staff", date(2026, 11, 26))[1]
    guide = pages["quy-trinh/ra-soat.md"]
    assert "| 6 tháng kể từ: chi bộ đã bỏ phiếu" in guide
    assert "| 60 ngày làm việc kể từ: đảng viên khiếu nại" in guide
    assert "90 ngày làm việc" not in guide
    rules = pages["quy-trinh/quy-dinh.md"]
    assert "đánh giá lại (tỉnh có thể quy định khác) | 6 tháng |" in rules, rules
    assert "tỉnh đã quy định, tài liệu ghi 12 tháng" in rules


def _to_cell_vote(repo: TempRepo, cell: str, capsys: pytest.CaptureFixture[str]) -> str:
    """An admission case in ``cell`` taken, as a clerk would, up to the cell's resolution of
    12/08/2025."""
    from hoso.cli.main import main

    at = ["--repo", str(repo.root)]
    capsys.readouterr()
    assert main(["new", "admission", *at, "--cell", cell, "--name", "Lò Văn Mẫu",
                 "--birth-date", "02/01/2000", "--sex", "nam", "--ethnicity", "Thái",
                 "--date", "03/03/2025"]) == 0  # fmt: skip
    case = capsys.readouterr().out.strip()
    for step in (
        ["--to", "course_completed", "--date", "20/05/2025", "--body", "khe-lam.propaganda",
         "--doc-number", "12-GCN/TTCT"],
        ["--to", "applied", "--date", "10/06/2025", "--introducer", "Lò Văn Bốn|đảng viên|"
         "01/03/2023", "--introducer", "Quàng Thị Năm|đảng viên|15/01/2024"],
        ["--to", "verified", "--date", "25/07/2025"],
        ["--to", "cell_voted", "--date", "12/08/2025", "--vote-official", "15",
         "--vote-present", "15", "--vote-for", "12", "--vote-against", "3",
         "--doc-number", "5-NQ/CB"],
    ):  # fmt: skip
        assert main(["transition", *at, case, *step]) == 0, capsys.readouterr()
    capsys.readouterr()
    return case


def _decide(repo: TempRepo, case: str, body: str, members: int) -> int:
    from hoso.cli.main import main

    return main(["transition", "--repo", str(repo.root), case, "--to", "decided",
                 "--date", "01/09/2025", "--body", body, "--vote-official", str(members),
                 "--vote-present", str(members), "--vote-for", str(members),
                 "--doc-number", "9-QĐ/ĐU"])  # fmt: skip


def test_an_authorised_grassroots_committee_decides_on_the_cells_resolution(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """DOMAIN §2: the decision is the district standing committee's "or an authorised
    grassroots committee (its collective, ≥ 2/3)". A grassroots resolution (8-KNĐ) proposes
    admission to the level above; the authorised committee decides itself in one collective
    vote, straight after the cell's resolution. A committee not authorised still proposes,
    and the district standing committee still needs it."""
    case = _to_cell_vote(repo, "khe-lam-x01-cb1", capsys)
    assert _decide(repo, case, "khe-lam-x01.executive", 11) == 0, capsys.readouterr()
    assert [f.rule for f in repo.validate().findings if f.severity == "error"] == []
    other = _to_cell_vote(repo, "khe-lam-x03-cb1", capsys)
    assert _decide(repo, other, "khe-lam.standing", 6) == 1
    assert "đảng ủy cơ sở phải xét" in capsys.readouterr().err


def test_an_authorised_grassroots_committee_decides_after_its_partial_committee(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the cell sits under a đảng ủy bộ phận, its appraisal (7-KNĐ) comes before the
    authorised grassroots committee decides."""
    from hoso.cli.main import main

    units = repo.root / "governance/units.yaml"
    text = units.read_text(encoding="utf-8")
    old = (
        "- code: khe-lam-x02\n  name: Đảng bộ xã Huổi Mạ\n  level: grassroots\n  parent: khe-lam\n"
    )
    assert old in text
    units.write_text(text.replace(old, old + "  authorised_to_admit: true\n"), encoding="utf-8")
    case = _to_cell_vote(repo, "khe-lam-x02-cb1", capsys)
    assert _decide(repo, case, "khe-lam-x02.executive", 15) == 1
    assert "Đảng ủy bộ phận đã thẩm định" in capsys.readouterr().err
    assert main(["transition", "--repo", str(repo.root), case, "--to", "partial_appraised",
                 "--date", "20/08/2025", "--body", "khe-lam-x02-bp",
                 "--doc-number", "7-BC/ĐUBP"]) == 0  # fmt: skip
    assert _decide(repo, case, "khe-lam-x02.executive", 15) == 0, capsys.readouterr()
    assert [f.rule for f in repo.validate().findings if f.severity == "error"] == []


RECOGNITION_GRASSROOTS = """- date: 2024-06-04
  state: recognition_grassroots_voted
  body: ban-mo-x02.executive
  vote:
    official_members: 13
    exempted_absent: 0
    transferred_out: 0
    present: 13
    in_favour: 10
    against: 1
    abstain: 2
    method: secret_ballot
  document:
    number: 88-NQ/ĐU
    date: 2024-06-04
    issuer: ban-mo-x02.executive
"""


def test_the_grassroots_committee_proposes_recognition_before_the_district_decides(
    repo: TempRepo,
) -> None:
    """DOMAIN §2, firm steps: cell resolution (13-KNĐ) → grassroots resolution (15-KNĐ) →
    recognition decision. The district standing committee recognising a member of Pú
    Khoang's cell on the cell's resolution alone skips the grassroots committee."""
    found = _found(repo, EXAMPLES / "valid/boundary-decision-last-workday.yaml",
                   (RECOGNITION_GRASSROOTS, ""))  # fmt: skip
    assert [m for r, m in found if r == "admission.grassroots"] == [
        "chi bộ thuộc Đảng bộ xã Pú Khoang: đảng ủy cơ sở phải xét, đề nghị "
        "công nhận chính thức (“Đảng ủy cơ sở đã đề nghị công nhận chính thức” "
        "(recognition_grassroots_voted)) trước khi cấp trên quyết định"
    ], found


def test_an_authorised_grassroots_committee_recognises_on_the_cells_resolution(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    case = _to_cell_vote(repo, "khe-lam-x01-cb1", capsys)
    assert _decide(repo, case, "khe-lam-x01.executive", 11) == 0
    at = ["transition", "--repo", str(repo.root), case]
    assert main([*at, "--to", "ceremony_held", "--date", "10/09/2025"]) == 0
    assert main([*at, "--to", "recognition_cell_voted", "--date", "15/09/2026",
                 "--vote-official", "15", "--vote-present", "15", "--vote-for", "12",
                 "--vote-against", "3", "--doc-number", "13-NQ/CB"]) == 0  # fmt: skip
    recognised = main([*at, "--to", "recognised", "--date", "22/09/2026", "--body",
                       "khe-lam-x01.executive", "--vote-official", "11", "--vote-present",
                       "11", "--vote-for", "11", "--doc-number", "15-QĐ/ĐU"])  # fmt: skip
    assert recognised == 0, capsys.readouterr()
    assert [f.rule for f in repo.validate().findings if f.severity == "error"] == []


EXPULSION = EXAMPLES / "valid/boundary-discipline-expulsion-form-votes-two-thirds.yaml"
_CELL_PROPOSES = """  state: proposed
  body: ban-mo-x02-cb3
  form: expulsion
  vote:
    official_members: 22
    exempted_absent: 1
    transferred_out: 0
    present: 21
    in_favour: 21
    against: 0
    abstain: 0
    method: secret_ballot
  form_votes:
  - form: expulsion
    votes: 14
  - form: warning
    votes: 7
  document:
    number: 95-NQ/CB
    date: 2022-02-08
    issuer: ban-mo-x02-cb3
"""


def _proposed_by(proposer: str, members: int) -> tuple[str, str]:
    """The edit making ``proposer`` (a body of ``members``, all present and in favour, with
    more than 2/3 for expulsion) the one proposing the expulsion instead of the cell."""
    yes = members * 2 // 3 + 1
    edits = {
        "ban-mo-x02-cb3": proposer,
        "official_members: 22\n    exempted_absent: 1": f"official_members: {members}\n"
        "    exempted_absent: 0",
        "present: 21\n    in_favour: 21": f"present: {members}\n    in_favour: {members}",
        "votes: 14": f"votes: {yes}",
        "votes: 7": f"votes: {members - yes}",
    }
    text = _CELL_PROPOSES
    for old, new in edits.items():
        text = text.replace(old, new)
    return _CELL_PROPOSES, text


@pytest.mark.parametrize(
    ("proposer", "members", "refused"),
    [
        ("ban-mo-x02.executive", 13, False),
        ("ban-mo.inspection", 7, True),
        ("ban-mo.standing", 5, True),
    ],
)
def test_an_expulsion_is_proposed_by_an_organisation_below_the_one_deciding(
    repo: TempRepo, proposer: str, members: int, refused: bool
) -> None:
    """Expulsion needs "≥ 2/3 of the lower organisation proposing it and more than 1/2 of the
    competent body": Bản Mơ's inspection commission expels on the proposal of the grassroots
    committee below it, not on one of its own or of its own district's standing committee."""
    found = _found(repo, EXPULSION, _proposed_by(proposer, members))
    proposals = [m for r, m in found if r == "discipline.expulsion_proposal"]
    assert [r for r, _ in found if r != "discipline.expulsion_proposal"] == []
    assert proposals == (
        [
            "khai trừ cần đề nghị khai trừ của tổ chức đảng cấp dưới (ít nhất 2/3) trước khi "
            "cấp có thẩm quyền quyết định (QĐ 22-QĐ/TW, 28/07/2021); đề nghị do "
            f"{'Ủy ban Kiểm tra' if 'inspection' in proposer else 'Ban Thường vụ'} thị xã Bản Mơ, "
            "không phải tổ chức cấp dưới của Ủy ban Kiểm tra thị xã Bản Mơ"
        ]
        if refused
        else []
    )


def test_an_expulsion_is_not_proposed_by_a_lower_organisation_of_another_district(
    repo: TempRepo,
) -> None:
    """A grassroots committee is lower than Bản Mơ's inspection commission only if it is
    under Bản Mơ: one of Khê Lam's proposing is no lower organisation of the deciding body."""
    found = _found(repo, EXPULSION, _proposed_by("khe-lam-x01.executive", 11))
    assert [r for r, _ in found if r == "discipline.expulsion_proposal"], found


def _applied(day: str, known_through: str) -> str:
    """An admission case up to the application of ``day``, one introducer knowing the applicant
    through ``known_through`` since 01/06/2019."""
    return f"""id: KN-2021-rs0001
kind: admission
unit: ban-mo
cell: ban-mo-x02-cb3
sample: true
subject:
  name: Hoàng Diệu Yến
  birth_date: 1987-05-20
  sex: female
  ethnicity: Mông
status: applied
history:
- date: 2021-01-11
  state: sympathiser
  body: ban-mo-x02-cb3
- date: 2021-04-05
  state: course_completed
  body: ban-mo.propaganda
  document:
    number: 61-GCN/TTCT
    date: 2021-04-05
    issuer: ban-mo.propaganda
- date: {day}
  state: applied
  body: ban-mo-x02-cb3
  introducers:
  - name: Cầm Thu Nhung
    kind: member
    known_since: 2019-06-01
    known_through: {known_through}
  - name: Cầm Hữu Sơn
    kind: member
    known_since: 2018-08-31
"""


@pytest.mark.parametrize(
    ("day", "known_through", "refused"),
    [
        ("2021-07-29", "residence", True),
        ("2021-07-29", "work", False),
        ("2021-07-30", "residence", False),
    ],
)
def test_an_introducer_knows_the_applicant_by_residence_only_from_qd_24(
    repo: TempRepo, day: str, known_through: str, refused: bool
) -> None:
    """ "Official members who worked with the applicant ≥ 12 months (from 2021 also: lived in
    the same residence ≥ 12 months)": an application of 29/07/2021, the day before QĐ
    24-QĐ/TW took effect, may not rest on an introducer who only lived near the applicant."""
    repo.write("cases/ban-mo/admission/KN-2021-rs0001.yaml", _applied(day, known_through))
    found = [(f.rule, f.message) for f in repo.validate().findings]
    assert [r for r, _ in found if r != "admission.introducer_residence"] == []
    assert [m for r, m in found if r == "admission.introducer_residence"] == (
        [
            "người giới thiệu phải cùng công tác với người vào Đảng (QĐ 29-QĐ/TW, 25/07/2016); "
            "cùng cư trú chỉ được tính với đơn nộp từ ngày 30/07/2021, khi QĐ 24-QĐ/TW, "
            "30/07/2021 có hiệu lực; đơn này nộp ngày 29/07/2021"
        ]
        if refused
        else []
    )


@pytest.mark.parametrize("kind", ["youth_union", "trade_union"])
def test_an_organisation_that_introduces_is_known_through_no_residence(
    repo: TempRepo, kind: str
) -> None:
    """Living near the applicant is an official member's way of knowing them (QĐ 24); the
    Youth Union or trade-union executive introduces as an organisation: a record saying it
    "lives with" the applicant is refused, at that field, not shown as "cùng cư trú"."""
    text = _applied("2025-07-29", "work").replace(
        "  - name: Cầm Hữu Sơn\n    kind: member\n    known_since: 2018-08-31\n",
        f"  - name: BCH cơ sở\n    kind: {kind}\n    known_since: 2018-08-31\n"
        "    known_through: residence\n",
    )
    assert "known_through: residence" in text
    repo.write("cases/ban-mo/admission/KN-2021-rs0001.yaml", text)
    found = [
        (f.field, f.rule)
        for f in repo.validate().findings
        if f.rule == "admission.introducer_residence"
    ]
    assert found == [("history[2].introducers[1].known_through", "admission.introducer_residence")]


def test_a_clerk_records_an_introducer_known_through_residence_and_reads_it_back(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The residence route (from QĐ 24) is typed as a fourth part of --introducer, with or
    without diacritics, or chosen in the form; the case reads "cùng cư trú", never a code."""
    from hoso.cli.main import main
    from hoso.forms.typed import _introducers

    at = ["--repo", str(repo.root)]
    capsys.readouterr()
    assert main(["new", "admission", *at, "--cell", "khe-lam-x01-cb1", "--name", "Lò Văn Mẫu",
                 "--birth-date", "02/01/2000", "--sex", "nam", "--ethnicity", "Thái",
                 "--date", "03/03/2025"]) == 0  # fmt: skip
    case = capsys.readouterr().out.strip()
    assert main(["transition", *at, case, "--to", "course_completed", "--date", "20/05/2025",
                 "--body", "khe-lam.propaganda", "--doc-number", "12-GCN/TTCT"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["transition", *at, case, "--to", "applied", "--date", "10/06/2025",
                 "--introducer", "Lò Văn Bốn|đảng viên|01/03/2023|cư trú",
                 "--introducer", "Quàng Thị Năm, đảng viên, 15/01/2024, cong tac"],
                ) == 0  # fmt: skip
    (path,) = [p for p in repo.root.glob("cases/*/admission/*.yaml") if p.stem in case]
    text = path.read_text(encoding="utf-8")
    assert text.count("known_through: residence") == 1 and "known_through: work" in text
    assert [f.rule for f in repo.validate().findings if f.severity == "error"] == []
    capsys.readouterr()
    assert main(["show", *at, case]) == 0
    shown = capsys.readouterr().out
    assert "Lò Văn Bốn (đảng viên chính thức, cùng cư trú từ 01/03/2023)" in shown
    assert "Quàng Thị Năm (đảng viên chính thức, cùng công tác từ 15/01/2024)" in shown
    assert "residence" not in shown
    capsys.readouterr()
    assert main(["transition", *at, case, "--to", "verified", "--date", "25/07/2025",
                 "--introducer", "Lò Văn Bốn|đảng viên|01/03/2023|hàng xóm"]) == 2  # fmt: skip
    assert "hàng xóm" in capsys.readouterr().err
    errors: dict[str, str] = {}
    form = {"introducer_name_1": "Lò Văn Bốn", "introducer_kind_1": "member",
            "introducer_through_1": "residence", "introducer_since_1": "01/03/2023",
            "introducer_name_2": "Quàng Thị Năm", "introducer_since_2": "15/01/2024"}  # fmt: skip
    assert _introducers(form, errors) == (
        "Lò Văn Bốn|member|01/03/2023|residence",
        "Quàng Thị Năm|member|15/01/2024",
    )
    assert errors == {}


GRASSROOTS_EXPELS = EXAMPLES / "valid/boundary-competence-authorised-grassroots-expels.yaml"


@pytest.mark.parametrize(
    ("seat", "refused"),
    [
        ("khe-lam-x01-cb2.cell_committee", False),
        ("khe-lam.executive", True),
        ("thu-nghiem.standing", True),
    ],
)
def test_an_authorised_grassroots_committee_expels_no_member_of_a_higher_committee(
    repo: TempRepo, seat: str, refused: bool
) -> None:
    """An authorised grassroots committee never expels its own committee members or cadres
    managed by a higher committee: a member of the district or province committee is one,
    whether or not the case names who manages him (the district committee itself may only
    reprimand or warn him). A seat on a cell committee below it is no bar."""
    found = _found(
        repo,
        GRASSROOTS_EXPELS,
        ("    committee: khe-lam-x01-cb2.cell_committee", f"    committee: {seat}"),
    )
    bars = [m for r, m in found if r == "competence.discipline"]
    names = {
        "khe-lam.executive": "Ban Chấp hành huyện Khê Lam",
        "thu-nghiem.standing": "Ban Thường vụ tỉnh Thử Nghiệm",
    }
    assert bars == ([
        "đảng ủy cơ sở không khai trừ cấp ủy viên cấp trên (cán bộ do cấp ủy cấp trên quản "
        f"lý); người này là ủy viên {names[seat]} (Điều lệ Đảng, điều 36); hồ sơ ghi: khai "
        "trừ do Ban Chấp hành Đảng bộ xã Nà Khoang quyết định"
    ] if refused else [])  # fmt: skip


EXPULSION_TWO_THIRDS = EXAMPLES / "valid/boundary-discipline-expulsion-form-votes-two-thirds.yaml"


def test_an_expulsion_is_proposed_by_the_cell_not_by_its_committee(repo: TempRepo) -> None:
    """Expulsion needs at least 2/3 of the lower organisation proposing it: the cell's
    official members, not its committee (chi ủy), which is no organisation and decides no
    discipline of its own; 3 of the 4 chi ủy members is no proposal of the cell."""
    found = _found(
        repo,
        EXPULSION_TWO_THIRDS,
        ("  state: proposed\n  body: ban-mo-x02-cb3\n",
         "  state: proposed\n  body: ban-mo-x02-cb3.cell_committee\n"),
        ("    official_members: 22\n    exempted_absent: 1\n    transferred_out: 0\n"
         "    present: 21\n    in_favour: 21",
         "    official_members: 4\n    exempted_absent: 0\n    transferred_out: 0\n"
         "    present: 4\n    in_favour: 4"),
        ("    votes: 14\n  - form: warning\n    votes: 7", "    votes: 3\n  - form: warning\n"
         "    votes: 1"),
        ("    date: 2022-02-08\n    issuer: ban-mo-x02-cb3\n",
         "    date: 2022-02-08\n    issuer: ban-mo-x02-cb3.cell_committee\n"),
    )  # fmt: skip
    assert [m for r, m in found if r == "discipline.expulsion_proposal"] == [
        "khai trừ cần đề nghị khai trừ của tổ chức đảng cấp dưới (ít nhất 2/3) trước khi cấp "
        "có thẩm quyền quyết định (QĐ 22-QĐ/TW, 28/07/2021); đề nghị do Chi ủy Chi bộ bản Hin "
        "Cọ 3: chi ủy không phải tổ chức đảng, đề nghị khai trừ do chi bộ (họp toàn thể) biểu "
        "quyết"
    ]


LAST_DAY = EXAMPLES / "valid/boundary-discipline-last-day-of-limitation.yaml"
ANSWERED_BY_DISTRICT = (
    "    number: 59-TB/UBKT\n    date: 2021-03-12\n    issuer: ban-mo.inspection\n"
)


def _appeal(day: str, body: str, answered: str | None = None) -> str:
    steps = f"- date: {day}\n  state: appealed\n  body: {body}\n"
    if answered:
        steps += (
            f"- date: {answered}\n  state: appeal_answered\n  body: {body}\n  outcome: upheld\n"
            f"  document:\n    number: 9-TB/KN\n    date: {answered}\n    issuer: {body}\n"
        )
    return steps


def _appealed_further(repo: TempRepo, *steps: str) -> list[tuple[str, str]]:
    """The cell's reprimand, upheld by the district inspection commission on 12/03/2021,
    appealed further with ``steps``."""
    status = steps[-1].rsplit("  state: ", 1)[1].split("\n", 1)[0]
    further = (ANSWERED_BY_DISTRICT, ANSWERED_BY_DISTRICT + "".join(steps))
    found = _found(repo, LAST_DAY, further, ("status: appeal_answered", f"status: {status}"))
    return [(r, m) for r, m in found if not r.startswith("deadline.")]


def test_a_member_appeals_further_up_to_the_final_instance(repo: TempRepo) -> None:
    """Not satisfied with the district's answer, the member appeals to the province, then to
    the central inspection commission (the final instance for a reprimand), each within a
    month of receiving the previous answer (12/04/2021 is the last day after 12/03/2021)."""
    assert (
        _appealed_further(
            repo,
            _appeal("2021-04-12", "thu-nghiem.inspection", "2021-06-10"),
            _appeal("2021-07-09", "central.inspection", "2021-10-01"),
        )
        == []
    )


def test_a_further_appeal_is_lodged_within_a_month_of_the_answer(repo: TempRepo) -> None:
    assert _appealed_further(repo, _appeal("2021-04-13", "thu-nghiem.inspection")) == [
        ("discipline.appeal_late",
         "khiếu nại phải gửi trong 1 tháng kể từ khi nhận quyết định giải quyết khiếu nại (hạn "
         "12/04/2021, QĐ 30-QĐ/TW, 26/07/2016); nhận được 13/04/2021: không được thụ lý"),
    ]  # fmt: skip


def test_a_further_appeal_goes_above_the_body_that_answered(repo: TempRepo) -> None:
    found = _appealed_further(repo, _appeal("2021-03-20", "ban-mo.inspection"))
    assert [r for r, _ in found] == ["competence.appeal"]


def test_no_appeal_lies_beyond_the_final_instance(repo: TempRepo) -> None:
    found = _appealed_further(
        repo,
        _appeal("2021-03-20", "central.inspection", "2021-06-01"),
        _appeal("2021-06-10", "central.secretariat"),
    )
    assert found == [
        ("competence.appeal_central",
         "Ủy ban Kiểm tra Trung ương là cấp giải quyết cuối cùng khiếu nại quyết định khiển "
         "trách và đã giải quyết: không khiếu nại tiếp được (Ủy ban Kiểm tra Trung ương với "
         "khiển trách, cảnh cáo, cách chức; Ban Bí thư với khai trừ)"),
        ("competence.appeal_central",
         "khiếu nại quyết định khiển trách lên Trung ương do Ủy ban Kiểm tra Trung ương giải "
         "quyết (cấp giải quyết cuối cùng: Ủy ban Kiểm tra Trung ương với khiển trách, cảnh "
         "cáo, cách chức; Ban Bí thư với khai trừ); hồ sơ ghi: Ban Bí thư Trung ương Đảng"),
    ]  # fmt: skip


def test_an_expulsion_is_appealed_to_the_central_inspection_then_the_secretariat(
    repo: TempRepo,
) -> None:
    """For an expulsion the Secretariat, above the central inspection commission, is the
    final instance: an appeal goes on to it."""
    found = _found(
        repo,
        EXPULSION_TWO_THIRDS,
        ("status: decided", "status: appealed"),
        ("    issuer: ban-mo.inspection\n", "    issuer: ban-mo.inspection\n"
         + _appeal("2022-03-15", "central.inspection", "2022-06-01")
         + _appeal("2022-06-20", "central.secretariat")),
    )  # fmt: skip
    assert [r for r, _ in found if not r.startswith(("deadline.", "exit."))] == []


PLAN = EXAMPLES / "invalid/rule-plan-task.yaml"
HALF_YEARLY = """- id: bao-cao-6-thang
  title: Báo cáo 6 tháng
  responsible:
  - Ban Thường vụ cấp ủy cấp huyện
  applies_to: district
  recurrence: half_yearly
reports:
"""


@pytest.mark.parametrize(
    ("days", "missed"),
    [
        ([], ["6 tháng đầu năm 2019 phải xong chậm nhất ngày 30/06/2019"]),
        (["2019-06-20", "2019-12-31", "2020-07-01"], ["6 tháng đầu năm 2020 phải xong chậm "
         "nhất ngày 30/06/2020", "6 tháng đầu năm 2021 phải xong chậm nhất ngày 30/06/2021"]),
        ([f"{y}-{m}-20" for y in range(2019, 2027) for m in ("06", "12")][:-1], []),
    ],
)  # fmt: skip
def test_a_district_reports_on_the_plan_every_six_months(
    repo: TempRepo, days: list[str], missed: list[str]
) -> None:
    """The plan is reported on every 6 months: each half-year from the plan's own (19/04/2019)
    without a report from a district is overdue after its last day, up to the half-year after
    the district's latest report (26/11/2026 is in the second half of 2026, not yet over)."""
    reports = "".join(
        f"- unit: khe-lam\n  task: bao-cao-6-thang\n  date: {day}\n  status: done\n" for day in days
    )
    found = _found(repo, PLAN, ("reports:\n", HALF_YEARLY + reports))
    overdue = [m for r, m in found if r == "deadline.overdue" and "Huyện Khê Lam" in m.title()]
    assert overdue == [
        f"quá hạn: Báo cáo 6 tháng – Đảng bộ huyện Khê Lam, {when} (hôm nay 26/11/2026)"
        for when in missed
    ]
