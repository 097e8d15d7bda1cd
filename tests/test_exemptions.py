"""Exemptions across records: when a member counts as exempted for the ranking, and when two
exemption cases overlap. Built from the acceptance examples (fictional members), each changed
only where the situation differs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo

EXEMPT = EXAMPLES / "invalid/cross-ranking-exempt"
EXEMPTION = EXEMPT / "exemption.yaml"
RANKING = EXEMPT / "ranking.yaml"


def _place(repo: TempRepo, example: Path, *edits: tuple[str, str]) -> str:
    text = example.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    rel = text.splitlines()[0].removeprefix("# place: ").strip()
    repo.write(rel, text)
    return rel


def _rules(repo: TempRepo) -> list[str]:
    return [f.rule for f in repo.validate().findings]


def _ranked_on(day: str, year: str = "2023") -> tuple[tuple[str, str], ...]:
    return (("  date: 2023-12-20", f"  date: {day}"), ("year: 2023", f"year: {year}"))


def test_a_member_exempted_in_the_ranked_year_is_not_ranked(repo: TempRepo) -> None:
    _place(repo, EXEMPTION)
    _place(repo, RANKING)
    assert _rules(repo) == ["ranking.exempt"]


def test_an_exemption_granted_after_the_year_does_not_bar_its_ranking(repo: TempRepo) -> None:
    """The 2023 ranking signed on 10/01/2024; the member exempted from 05/01/2024."""
    _place(
        repo,
        EXEMPTION,
        ("- date: 2023-02-14", "- date: 2023-12-28"),
        ("- date: 2023-03-10", "- date: 2024-01-05"),
        ("  date: 2023-03-10", "  date: 2024-01-05"),
    )
    _place(repo, RANKING, ("  date: 2023-12-20", "  date: 2024-01-10"))
    assert _rules(repo) == []


def test_the_resolution_date_counts_when_the_step_is_recorded_later(repo: TempRepo) -> None:
    """The cell resolved on 15/12/2023 (its document), the step dated 22/12/2023; the
    ranking on 20/12/2023 lists an exempted member."""
    _place(
        repo,
        EXEMPTION,
        ("- date: 2023-02-14", "- date: 2023-12-01"),
        ("- date: 2023-03-10", "- date: 2023-12-22"),
        ("  date: 2023-03-10", "  date: 2023-12-15"),
    )
    _place(repo, RANKING)
    assert _rules(repo) == ["ranking.exempt"]


@pytest.mark.parametrize(("until", "barred"), [("2023-12-20", True), ("2023-12-19", False)])
def test_the_last_day_of_a_period_is_still_exempted(
    repo: TempRepo, until: str, barred: bool
) -> None:
    _place(
        repo,
        EXEMPTION,
        ("reason: age", f"reason: treatment_away\nperiod_until: {until}"),
    )
    _place(repo, RANKING)
    assert _rules(repo) == (["ranking.exempt"] if barred else [])


def test_an_exemption_ended_before_the_ranking_does_not_bar_it(repo: TempRepo) -> None:
    _place(
        repo,
        EXEMPTION,
        ("status: granted", "status: ended"),
        ("    issuer: ban-mo-x02-cb3\n", "    issuer: ban-mo-x02-cb3\n- date: 2023-12-20\n"
         "  state: ended\n  body: ban-mo-x02-cb3\n"),
    )  # fmt: skip
    _place(repo, RANKING)
    assert _rules(repo) == []


def test_a_period_over_before_the_cell_decides_is_an_error(repo: TempRepo) -> None:
    _place(repo, EXEMPTION, ("reason: age", "reason: abroad\nperiod_until: 2023-03-01"))
    found = [f for f in repo.validate().findings if f.rule == "exemption.period_order"]
    assert [f.message for f in found] == [
        "thời hạn miễn sinh hoạt (01/03/2023) đã qua khi chi bộ quyết định cho miễn "
        "(10/03/2023): kiểm tra lại thời hạn"
    ]


def test_overlapping_exemptions_are_a_warning_and_closed_ones_are_not(repo: TempRepo) -> None:
    first = _place(repo, EXAMPLES / "invalid/cross-exemption-duplicate/first.yaml")
    _place(repo, EXAMPLES / "invalid/cross-exemption-duplicate/second.yaml")
    (found,) = [f for f in repo.validate().findings if f.rule == "exemption.duplicate"]
    assert found.severity == "warning"
    text = (repo.root / first).read_text(encoding="utf-8")
    closed = text.replace("status: granted", "status: ended") + (
        "- date: 2024-01-15\n  state: ended\n  body: ban-mo-x02-cb3\n"
    )
    repo.write(first, closed)
    assert _rules(repo) == []


HEALTH = EXAMPLES / "valid/cross-exemption-ended/second.yaml"
NO_SECRET = "reason: health\n"
SECRET = (
    "confidential:\n  health: Điều trị dài ngày tại bệnh viện huyện, bệnh án số 00417 (dữ liệu "
    "hư cấu)\n  treatment_months: 6\n"
)


@pytest.mark.parametrize(
    ("secret", "errors", "warnings"),
    [
        # Neither a medical record nor the months of treatment: both asked for.
        ("", [], ["exemption.health_record", "exemption.treatment"]),
        ("confidential:\n  health: Bệnh án số 00001 (hư cấu)\n  treatment_months: 3\n", [], []),
        (
            "confidential:\n  health: Bệnh án số 00001 (hư cấu)\n  treatment_months: 2\n",
            ["exemption.treatment"],
            [],
        ),
        ("confidential:\n  treatment_months: 7\n", [], ["exemption.health_record"]),
    ],
)
def test_weak_health_needs_a_medical_record_and_three_months_of_treatment(
    repo: TempRepo, secret: str, errors: list[str], warnings: list[str]
) -> None:
    _place(repo, HEALTH, (SECRET, secret))
    found = repo.validate().findings
    assert sorted(f.rule for f in found if f.severity == "error") == errors
    assert sorted(f.rule for f in found if f.severity == "warning") == sorted(warnings)
    # What the confidential part holds is never repeated in a message.
    assert all("Bệnh án" not in f.message for f in found)


def test_other_reasons_ask_for_no_medical_record(repo: TempRepo) -> None:
    _place(
        repo,
        HEALTH,
        (SECRET, ""),
        (NO_SECRET, "reason: mobile_work\nperiod_until: 2025-01-01\n"),
    )
    assert [f.rule for f in repo.validate().findings] == []
