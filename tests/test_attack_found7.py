"""Attacks on the approval gate, seventh round (path ownership, default deny, conflicts, terms):
each succeeded against the code as it stood, and each test asserts the secure behaviour, so it
fails while the attack works."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import make_repo
from hoso.validate.governance_files import load_governance

SERVING_CARD = "86989725"
"""A provincial executive member serving now in the sample governance."""


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
