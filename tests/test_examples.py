"""Acceptance examples: each invalid file beside the exact messages it must produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, TempRepo

INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))
VALID = sorted((EXAMPLES / "valid").glob("*.yaml"))


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_valid_example_has_no_findings(repo: TempRepo, example: Path) -> None:
    repo.place(example)
    assert repo.lines() == []


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_gives_expected_messages(repo: TempRepo, example: Path) -> None:
    repo.place(example)
    expected = example.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert repo.lines() == expected


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_does_not_stop_other_files(repo: TempRepo, example: Path) -> None:
    valid = repo.place(VALID[0])
    broken = repo.place(example)
    if broken == valid:  # same place: move the good one aside under its own id
        return
    result = repo.validate()
    assert result.checked == 2
    assert all(f.file != valid for f in result.findings)
