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


def test_rules_the_gate_skips_only_ever_warn() -> None:
    """The review gate and the audit skip ``WARNING_CHECKS``: on every example and sample
    record they give warnings and nothing else, and one of them does warn."""
    from hoso.repo import record_files
    from hoso.validate.governance_files import load_governance
    from hoso.validate.record import RECORD_MODELS, WARNING_CHECKS, parse

    governance, _ = load_governance(ROOT)
    severities = set()
    for path in [*INVALID, *VALID, *record_files(ROOT)]:
        data = parse(path.read_bytes())[1]
        if not isinstance(data, dict) or data.get("kind") not in RECORD_MODELS:
            continue
        try:
            record = RECORD_MODELS[data["kind"]].model_validate(data)
        except ValueError:
            continue
        severities |= {i.severity for check in WARNING_CHECKS for i in check(record, governance)}
    assert WARNING_CHECKS
    assert severities == {"warning"}
