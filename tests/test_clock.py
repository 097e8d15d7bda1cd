"""Days are Việt Nam's days, whatever zone the machine keeps: a forge's runner on UTC is seven
hours behind the province, and its own date would be yesterday's from midnight to 7 a.m."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from conftest import TempRepo
from hoso import clock

EXAMPLE = Path(__file__).parent / "examples" / "valid" / "admission-cell-voted.yaml"
LATEST = datetime(2026, 10, 20, 0, 30, tzinfo=clock.VIETNAM)
"""Half past midnight in Việt Nam on the example's latest day: 19/10 on a UTC runner."""


def _at(moment: datetime) -> type[datetime]:
    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:  # type: ignore[override]
            found = moment.astimezone(tz) if tz is not None else moment.astimezone(UTC)
            return cls.fromisoformat(found.isoformat())

    return Clock


def test_today_is_the_day_in_vietnam() -> None:
    assert clock.today(datetime(2026, 11, 30, 20, 0, tzinfo=UTC)).isoformat() == "2026-12-01"
    assert clock.today(datetime(2026, 11, 30, 16, 59, tzinfo=UTC)).isoformat() == "2026-11-30"


@pytest.mark.parametrize(("moment", "code"), [(LATEST, 0), (LATEST - timedelta(hours=1), 1)])
def test_validate_reads_a_step_of_today_in_vietnam_as_today(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch, moment: datetime, code: int
) -> None:
    """A step recorded at 00:30 in Việt Nam is dated today there, not in the future, when
    the check runs on a UTC runner (still the day before); an hour earlier it is."""
    from hoso.cli.main import main

    rel = repo.place(EXAMPLE)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(clock, "datetime", _at(moment))
    assert main(["validate", "--repo", str(repo.root), str(repo.root / rel)]) == code


def _local_day_calls(tree: ast.AST) -> list[int]:
    """Lines calling ``date.today()``, ``datetime.today()`` or ``datetime.now()`` with no zone:
    the machine's own day."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        named = owner.id if isinstance(owner, ast.Name) else ""
        if named in ("date", "datetime") and node.func.attr == "today":
            found.append(node.lineno)
        if named == "datetime" and node.func.attr == "now" and not (node.args or node.keywords):
            found.append(node.lineno)
    # ``default_factory=date.today``, ``today=date.today``: the same day, passed uncalled.
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "today"
            and isinstance(node.value, ast.Name)
            and node.value.id in ("date", "datetime")
        ):
            found.append(node.lineno)
    return sorted(set(found))


def test_no_module_takes_the_machines_own_day() -> None:
    tooling = Path(__file__).parent.parent / "tooling" / "hoso"
    offending = {
        str(path.relative_to(tooling)): lines
        for path in sorted(tooling.rglob("*.py"))
        if path.name != "clock.py" and path.name != "bench.py"
        if (lines := _local_day_calls(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offending == {}
