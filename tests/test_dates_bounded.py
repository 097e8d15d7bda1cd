"""Dates far outside what the rules know are findings, found before any calendar arithmetic."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TempRepo
from hoso.cli.main import main
from hoso.rules.calendar import Calendar

_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _first(kind: str) -> Path:
    return sorted((ROOT / "cases").glob(f"*/{kind}/*.yaml"))[0]


def _dated(text: str, year: int) -> str:
    """Every day in the text moved to ``year`` (29 February to the 28th)."""

    def moved(m: re.Match[str]) -> str:
        day = "28" if (m[2], m[3]) == ("02", "29") else m[3]
        return f"{year:04d}-{m[2]}-{day}"

    return _DAY.sub(moved, text)


@pytest.fixture
def workdays_asked(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    asked: list[date] = []
    original = Calendar.is_workday

    def counting(self: Calendar, day: date) -> bool:
        asked.append(day)
        return original(self, day)

    monkeypatch.setattr(Calendar, "is_workday", counting)
    return asked


@pytest.mark.parametrize("kind", ["admission", "screening", "discipline", "transfer", "exemption"])
def test_a_record_dated_in_year_9999(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    workdays_asked: list[date],
) -> None:
    source = _first(kind)
    rel = source.relative_to(ROOT).as_posix()
    text = _dated(source.read_text(encoding="utf-8"), 9999)
    repo.write(rel, text)
    code = main(["validate", "--no-cache", "--repo", str(repo.root), "--as-of", "2026-11-26"])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    days = len(_DAY.findall(text))
    ranged = [
        line for line in out.splitlines() if "trong khoảng từ 01/01/1900 đến 31/12/2099" in line
    ]
    assert len(ranged) == days, out
    assert ranged[0].startswith(f"{rel}:")
    assert ranged[0].endswith(
        "ngày phải trong khoảng từ 01/01/1900 đến 31/12/2099; nhận được 9999-"
        + ranged[0].rsplit("9999-", 1)[1]
    )
    assert len(workdays_asked) < 100  # no calendar walk over thousands of years


def test_rules_count_quickly_across_the_whole_range(
    repo: TempRepo, workdays_asked: list[date]
) -> None:
    """The earliest and latest days allowed, in one transfer: counting the late steps between
    them costs a step per year, not per day."""
    # An official transfer: the clock from the move runs for it alone.
    source = next(
        p
        for p in sorted((ROOT / "cases").glob("*/transfer/*.yaml"))
        if "\ntransfer_type: official\n" in p.read_text(encoding="utf-8")
    )
    rel = source.relative_to(ROOT).as_posix()
    text = source.read_text(encoding="utf-8")
    move = re.search(r"^move_date: (\S+)", text, re.MULTILINE)
    assert move is not None
    text = text.replace(f"move_date: {move[1]}", "move_date: 1900-01-01")
    repo.write(rel, _shift_history(text, 2099))
    lines = repo.lines()
    late = [int(m[1]) for line in lines if (m := re.search(r" chậm ([0-9]+) ngày làm việc", line))]
    assert late and max(late) > 50_000, lines
    assert len(workdays_asked) < 200 * 40


def _shift_history(text: str, year: int) -> str:
    head, _, history = text.partition("\nhistory:")
    return head + "\nhistory:" + _dated(history, year)


def test_birth_date_in_year_one(repo: TempRepo) -> None:
    text = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    rel = repo.place(EXAMPLES / "valid" / "admission-cell-voted.yaml")
    repo.write(rel, text.replace("birth_date: 1999-12-12", "birth_date: 0001-12-12"))
    assert repo.lines() == [
        f"{rel}:11:15: subject.birth_date: ngày phải trong khoảng từ 01/01/1900 đến 31/12/2099; "
        "nhận được 0001-12-12"
    ]


def test_huge_rule_override_is_a_governance_finding(repo: TempRepo) -> None:
    settings = repo.root / "governance" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    if "rule_overrides:" in text:
        text = re.sub(r"rule_overrides:.*?(?=^\S|\Z)", "", text, flags=re.MULTILINE | re.DOTALL)
    settings.write_text(text + "rule_overrides:\n  complaint_answer_workdays: 999999999\n")
    repo.place(EXAMPLES / "valid" / "admission-cell-voted.yaml")
    lines = repo.lines()
    assert any(
        line.startswith("governance/settings.yaml:")
        and "rule_overrides.complaint_answer_workdays: phải ≤ 3650" in line
        for line in lines
    ), lines


def test_due_within_any_number_of_days(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shutil.copytree(ROOT / "governance", tmp_path / "governance")
    shutil.copytree(ROOT / "cases" / "khe-lam", tmp_path / "cases" / "khe-lam")
    code = main(["due", "--within", "99999999", "--as-of", "2026-11-26", "--repo", str(tmp_path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].endswith("trong 99999999 ngày tới (tính từ 26/11/2026).")


@pytest.mark.parametrize("period", ["0000", "0001-H1", "1900", "2100-H2", "9999"])
def test_report_period_outside_the_years_records_may_name(
    capsys: pytest.CaptureFixture[str], period: str
) -> None:
    code = main(["report", "--period", period, "--unit", "thu-nghiem", "--repo", str(ROOT)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == (f"hoso: năm của kỳ báo cáo phải từ 1901 đến 2099; nhận được {period!r}\n")


def test_site_builds_from_steps_in_the_first_year_records_may_name(repo: TempRepo) -> None:
    """1900 is a day a record may name but not a report period (1901-2099): the site's
    half-years and charts must still place such a step, not refuse the whole build."""
    from hoso.site.pages import build

    good = EXAMPLES / "valid" / "admission-cell-voted.yaml"
    rel = repo.place(good)
    text = good.read_text(encoding="utf-8")
    repo.write(rel, text.replace("- date: 2026-03-16", "- date: 1900-03-16"))
    site = build(repo.root, "staff", date(2026, 11, 26))
    assert [case.history[0].date for case in site.data.facts] == [date(1900, 3, 16)]
    assert "6 tháng đầu năm 1900" in "\n".join(site.pages.values())
