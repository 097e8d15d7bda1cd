"""Acceptance examples: each invalid file beside the exact messages it must produce."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TempRepo

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


def _rule_ids_in_source() -> set[str]:
    """Every rule id that a check in ``hoso.rules`` can report (the second argument of Issue)."""
    ids = set()
    for path in (ROOT / "tooling/hoso/rules").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Issue"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                ids.add(node.args[1].value)
    return ids


def test_every_rule_has_an_invalid_example(tmp_path_factory: pytest.TempPathFactory) -> None:
    seen: set[str] = set()
    for example in INVALID:
        root = tmp_path_factory.mktemp("ex")
        shutil.copytree(ROOT / "governance", root / "governance")
        repo = TempRepo(root)
        repo.place(example)
        seen |= {f.rule for f in repo.validate().findings}
    source = _rule_ids_in_source()
    assert len(source) > 40
    assert sorted(source - seen) == []
