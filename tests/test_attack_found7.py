"""Attacks on the approval gate, seventh round (path ownership, default deny, conflicts, terms):
each succeeded against the code as it stood, and each test asserts the secure behaviour, so it
fails while the attack works."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF
from gatekit import CASE, GOOD, outcome
from gitrepo import committees, make_repo, serving, with_committees
from hoso import editing
from hoso.git import Repo
from hoso.review.approvals import ForgeAuthors, github
from hoso.review.gate import Requested
from hoso.review.gate import review as review_gate
from hoso.validate.governance_files import load_governance
from test_attack_found3 import APPRAISED, _gate

SERVING_CARD = "86989725"
"""A provincial executive member serving now in the sample governance."""
ORGANISATION = "thu-nghiem.organisation"


@pytest.mark.parametrize(
    ("declared", "field"),
    [
        ("  units:\n  - khe-lam-x09-cb9\n", "conflicts[0].units[0]"),  # no such unit
        ("  units:\n  - khe-lam.standing\n", "conflicts[0].units[0]"),  # a committee, no unit
        ("  cases:\n  - kn-2024-test01\n", "conflicts[0].cases[0]"),  # never an id
        ("  cases:\n  - KN-2024-test01.yaml\n", "conflicts[0].cases[0]"),
        ("", "conflicts[0]"),  # neither cases nor units: bars the member from nothing
    ],
)
def test_a_declared_conflict_that_names_nothing_real_is_a_governance_error(
    tmp_path: Path, declared: str, field: str
) -> None:
    """A conflict is matched by a case id as records write it or by a unit of units.yaml: a
    unit that is not one (a typo, a committee id), a case id that no record can have, or a
    conflict naming neither bars the member from nothing, silently, as a mistyped card did."""
    repo = make_repo(tmp_path / "repo")
    policy = repo.read("governance/policy.yaml").replace(
        "conflicts: []",
        f"conflicts:\n- party_card: '{SERVING_CARD}'\n{declared}  reason: con đẻ",
    )
    repo.commit("Declare a conflict", {"governance/policy.yaml": policy})
    found = [p for p in load_governance(repo.root)[1] if p.rule == "governance.conflict"]
    assert [(p.file, p.field) for p in found] == [("governance/policy.yaml", field)]


PLAN = "cases/thu-nghiem/plan/KH-2019-dhbdfh.yaml"
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("reporter", "barred"), [("khe-lam", True), ("pa-vang", False)])
def test_a_conflict_declared_for_a_unit_holds_for_that_units_plan_report(
    tmp_path: Path, reporter: str, barred: bool
) -> None:
    """A member barred from the records of a district may not approve that district's progress
    report on a plan: a plan names the units it concerns by ``unit`` and by each report's
    ``unit`` (it has no cell or organisation, which were all that was looked at). Another
    district's report, in the same plan, the member may approve."""
    repo = make_repo(tmp_path / "repo")
    approver = serving(committees(repo.read("governance/committees.yaml"))[ORGANISATION])[0]
    policy = repo.read("governance/policy.yaml").replace(
        "conflicts: []",
        f"conflicts:\n- party_card: '{approver['party_card']}'\n  units:\n  - khe-lam\n"
        "  reason: vợ là bí thư huyện ủy",
    )
    text = (ROOT / PLAN).read_text(encoding="utf-8")
    repo.commit("A plan and a declared conflict", {PLAN: text, "governance/policy.yaml": policy})
    repo.git("checkout", "-q", "-b", "mr")
    report = f"- unit: {reporter}\n  task: ket-nap-moi\n  date: 2025-12-29\n  status: done\n"
    head = repo.commit("A district reports", {PLAN: text + report})
    verdict = _gate(repo, [approver], head)
    found = outcome(verdict, PLAN)
    assert not found.errors
    assert verdict.mergeable is not barred
    said = [why for n in found.needs for _, why in n.excluded]
    assert any("xung đột lợi ích đã khai báo" in why for why in said) is barred


@pytest.mark.parametrize(
    ("submitted", "counted"), [("2026-11-19T16:59:00Z", False), ("2026-11-19T17:00:00Z", True)]
)
def test_a_github_approval_given_before_the_approvers_term_began_does_not_count(
    tmp_path: Path, submitted: str, counted: bool
) -> None:
    """A member elected to take office on 20/11 approves on GitHub on 19/11 (the forge's own
    time, not one the approver wrote); re-run after the term began, the gate counted it, as
    if made by a member. It counts only from midnight of the first day in Vietnam (UTC+7)."""
    repo = make_repo(tmp_path / "repo")
    repo.commit("Open a sample case", {CASE: GOOD})
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    newcomer = serving(found)[0]
    newcomer["term_from"] = date(2026, 11, 20)
    repo.commit(
        "Elected", {"governance/committees.yaml": with_committees(text, {found["id"]: found})}
    )
    repo.git("checkout", "-q", "-b", "mr")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    tip = repo.commit("Record the appraisal")
    review = {
        "id": 1,
        "user": {"login": newcomer["github"]},
        "state": "APPROVED",
        "commit_id": tip,
        "submitted_at": submitted,
    }
    verdict = review_gate(
        Requested(Repo(repo.root), "main", "mr", github([review], AS_OF), ForgeAuthors(), AS_OF)
    )
    need = next(n for n in outcome(verdict, CASE).needs if n.committee == "khe-lam.organisation")
    assert bool(need.counted) is counted
    assert verdict.mergeable is counted
    if not counted:
        assert any("ngoài nhiệm kỳ" in why for _, why in need.excluded)
