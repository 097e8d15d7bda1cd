"""Acceptance examples: each invalid file beside the exact messages it must produce."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TempRepo


def _examples(folder: str) -> list[Path]:
    """One file per situation, or a folder of files for a rule that spans records."""
    found = (EXAMPLES / folder).iterdir()
    return sorted(p for p in found if p.suffix == ".yaml" or p.is_dir())


INVALID = _examples("invalid")
VALID = _examples("valid")


def _place(repo: TempRepo, example: Path) -> list[str]:
    files = sorted(example.glob("*.yaml")) if example.is_dir() else [example]
    return [repo.place(f) for f in files]


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.stem)
def test_valid_example_has_no_findings(repo: TempRepo, example: Path) -> None:
    _place(repo, example)
    assert repo.lines() == []


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_gives_expected_messages(repo: TempRepo, example: Path) -> None:
    _place(repo, example)
    expected = Path(f"{example.with_suffix('')}.expected").read_text(encoding="utf-8")
    assert repo.lines() == expected.splitlines()


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.stem)
def test_invalid_example_does_not_stop_other_files(repo: TempRepo, example: Path) -> None:
    valid = repo.place(VALID[0])
    broken = _place(repo, example)
    if valid in broken:  # same place: move the good one aside under its own id
        return
    result = repo.validate()
    assert result.checked == 1 + len(broken)
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
        _place(repo, example)
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
    files = [
        f for e in [*INVALID, *VALID] for f in (sorted(e.glob("*.yaml")) if e.is_dir() else [e])
    ]
    for path in [*files, *record_files(ROOT)]:
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
