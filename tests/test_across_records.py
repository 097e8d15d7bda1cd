"""Rules across records (a removal against a pending expulsion, a ranking against discipline
and screening): the same from the cache, and no claim from the absence of a record unless
every record was read."""

from __future__ import annotations

import shutil
from pathlib import Path

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
