"""Rules across records (a removal against a pending expulsion, a ranking against discipline
and screening): the same from the cache, and no claim from the absence of a record unless
every record was read."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo

NO_SCREENING = EXAMPLES / "invalid/cross-ranking-two-years-no-screening"
REMOVAL = EXAMPLES / "invalid/cross-removal-instead-of-expulsion"


def _place(repo: TempRepo, folder: Path) -> list[str]:
    return [repo.place(f) for f in sorted(folder.glob("*.yaml"))]


def test_findings_across_records_are_the_same_from_the_cache(repo: TempRepo) -> None:
    _place(repo, REMOVAL)
    _place(repo, EXAMPLES / "invalid/cross-ranking-disciplined")
    cold = repo.validate(use_cache=True).sorted()
    warm = repo.validate(use_cache=True).sorted()
    assert warm == cold
    assert {f.rule for f in cold} >= {"exit.expulsion_pending", "ranking.disciplined"}


def test_a_run_on_named_files_claims_nothing_from_an_absent_record(repo: TempRepo) -> None:
    """Named alone, the second ranking cannot tell whether a screening case exists elsewhere;
    two named records still meet each other."""
    rankings = _place(repo, NO_SCREENING)
    assert not [f for f in repo.validate(*rankings).findings if f.rule.startswith("ranking.")]
    removal = _place(repo, REMOVAL)
    assert [f.rule for f in repo.validate(*removal).findings] == ["exit.expulsion_pending"]


def test_a_screening_case_opened_before_the_second_ranking_does_not_count(
    repo: TempRepo, tmp_path: Path
) -> None:
    folder = tmp_path / "early"
    shutil.copytree(EXAMPLES / "valid/cross-ranking-two-years-screened", folder)
    screening = folder / "screening.yaml"
    # The screening opened 2023-09-28; moving the second ranking after it leaves it behind.
    ranking = folder / "ranking-2022.yaml"
    ranking.write_text(
        ranking.read_text(encoding="utf-8").replace("date: 2022-12-20", "date: 2023-10-02"),
        encoding="utf-8",
    )
    assert screening.exists()
    _place(repo, folder)
    assert [f.rule for f in repo.validate().findings] == ["ranking.screening_overdue"]


READMISSION = EXAMPLES / "invalid/rule-readmission.yaml"
STRUCK_OFF = EXAMPLES / "valid/boundary-exit-card-collected.yaml"


def _years_earlier(text: str, years: int) -> str:
    """Every day of a record moved ``years`` back (the examples hold no 29 February)."""
    return re.sub(r"\b(\d{4})-(\d\d-\d\d)\b", lambda m: f"{int(m[1]) - years}-{m[2]}", text)


def _readmitting(
    repo: TempRepo, left_on: str, case: str = "KN-2022-9xskoq", years: int = 0
) -> None:
    """The readmission example made lawful on its own (cell vote 13/02/2023, decided
    21/03/2023, card 72880957), ``years`` earlier under the id ``case``."""
    text = READMISSION.read_text(encoding="utf-8")
    for old, new in [
        ("  ethnicity: Mông\n", "  ethnicity: Mông\n  party_card: '72880957'\n"),
        ("left_on: 2021-01-04", f"left_on: {left_on}"),
        ("reason: abandoned_activity", "reason: other"),
        ("readmitted_before: true", "readmitted_before: false"),
        ("2022-12-01\n    issuer: ban-mo.standing", "2022-12-01\n    issuer: thu-nghiem.standing"),
    ]:  # fmt: skip
        assert old in text, old
        text = text.replace(old, new)
    text = _years_earlier(text.replace("KN-2022-9xskoq", case), years)
    repo.write(f"cases/ban-mo/admission/{case}.yaml", text)


def _readmission_rules(repo: TempRepo) -> list[tuple[str, str]]:
    found = repo.validate().findings
    return sorted((f.rule, f.message) for f in found if f.rule.startswith("admission.readmission"))


def test_a_member_is_readmitted_only_once_whatever_the_record_claims(repo: TempRepo) -> None:
    _readmitting(repo, "2019-01-01")
    assert _readmission_rules(repo) == []
    _readmitting(repo, "2013-01-01", case="KN-2016-again1", years=6)
    assert _readmission_rules(repo) == [
        (
            "admission.readmission_once",
            "người này (cùng số thẻ đảng viên) đã được kết nạp lại theo hồ sơ KN-2016-again1 "
            "(quyết định ngày 21/03/2017): chỉ được kết nạp lại một lần",
        )
    ]


@pytest.mark.parametrize(
    ("years", "said"),
    [
        (8, None),  # struck off 16/01/2017, before the day claimed
        (6, "warning"),  # 16/01/2019: later than claimed, still 36 months before the vote
        (4, "error"),  # 16/01/2021: 25 months before the vote
    ],
)
def test_the_wait_before_readmission_counts_from_the_leaving_on_record(
    repo: TempRepo, years: int, said: str | None
) -> None:
    _readmitting(repo, "2019-01-01")
    text = _years_earlier(STRUCK_OFF.read_text(encoding="utf-8"), years)
    repo.write("cases/ban-mo/screening/RS-2023-card01.yaml", text)
    found = [f for f in repo.validate().findings if f.rule.startswith("admission.readmission")]
    assert [f.severity for f in found] == ([said] if said else [])
    if said:
        day = f"16/01/{2025 - years}"
        assert (
            f"hồ sơ RS-2023-card01 ghi người này (cùng số thẻ đảng viên) bị xóa tên ngày {day}"
            in found[0].message
        )
        assert found[0].field == "readmission.left_on"


TRANSFERRED = EXAMPLES / "valid/boundary-transfer-received-confirmed.yaml"


@pytest.mark.parametrize(("screened", "said"), [(False, True), (True, False)])
def test_a_transfer_left_unfinished_calls_for_screening(
    repo: TempRepo, screened: bool, said: bool
) -> None:
    """The letter of 05/08/2022 was never presented (due 20/09/2022, 30 working days): the
    member must be considered in screening; a screening case for the same card opened since
    answers it. Said only of the whole repository."""
    text = TRANSFERRED.read_text(encoding="utf-8")
    text = text.split("- date: 2022-08-15\n")[0].replace(
        "status: received", "status: letter_issued"
    )
    transfer = "cases/ban-mo/transfer/CS-2022-rcv001.yaml"
    repo.write(transfer, text)
    if screened:
        screening = STRUCK_OFF.read_text(encoding="utf-8").replace("'72880957'", "'71113843'")
        repo.write("cases/ban-mo/screening/RS-2023-card01.yaml", screening)
    found = [f for f in repo.validate().findings if f.rule == "transfer.screening_due"]
    assert [f.severity for f in found] == (["warning"] if said else [])
    if said:
        assert "chậm nhất ngày 20/09/2022" in found[0].message
    named = repo.validate(transfer).findings
    assert not [f for f in named if f.rule == "transfer.screening_due"]
