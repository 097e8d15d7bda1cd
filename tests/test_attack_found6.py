"""Attacks on the approval gate and the audit, sixth round: each succeeded against the code as
it stood, and each test asserts the secure behaviour, so it fails while the attack works."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF
from gatekit import outcome
from gitrepo import GitRepo, make_repo
from hoso import editing
from hoso.audit.run import audit
from hoso.git import Repo
from hoso.review.approvals import github
from test_attack_found import APPRAISED, CASE, GOOD, gate, review_of
from test_audit_attacks import make, merged, org, trailers

CLERK = ("Cán bộ Văn thư", "clerk@mau.invalid")


@pytest.fixture
def mr(tmp_path: Path) -> GitRepo:
    """A repository with one case on main and a merge-request branch ``mr`` checked out."""
    repo = make_repo(tmp_path / "repo")
    repo.commit("Open a sample case", {CASE: GOOD})
    repo.git("checkout", "-q", "-b", "mr")
    return repo


def _co_written(repo: GitRepo, member: dict[str, str], line: str = "Co-authored-by") -> str:
    """A step committed by a clerk, naming ``member`` as its co-author."""
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    said = f"Record the appraisal\n\n{line}: {member['name']} <{member['email'].upper()}>"
    return repo.commit(said, author=CLERK)


@pytest.mark.parametrize("line", ["Co-authored-by", "co-authored-by"])
def test_gate_a_co_author_of_the_change_cannot_approve_it(mr: GitRepo, line: str) -> None:
    """A commit written by a clerk and a member together (``Co-authored-by:``, which the forges
    show as that member's authorship) made only the clerk its author: the member's own review
    then counted for the change they co-wrote."""
    member = org(mr)[0]
    sha = _co_written(mr, member, line)
    verdict = gate(mr, github([review_of(member["github"], "APPROVED", sha)], AS_OF))
    need = next(n for n in outcome(verdict).needs if n.committee == "khe-lam.organisation")
    assert not need.counted
    assert [why for _, why in need.excluded] == ["là tác giả của thay đổi này (không tự phê duyệt)"]
    assert not verdict.mergeable


def test_audit_a_co_author_of_the_change_cannot_approve_it(tmp_path: Path) -> None:
    repo = make(tmp_path)
    member = org(repo)[0]
    merged(repo, 1, {CASE: GOOD}, trailers(org(repo)[1]))
    sha = merged(repo, 2, {}, trailers(member), work=lambda: _co_written(repo, member))
    _, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    mine = [f for f in found if f.commit == sha and f.path == CASE]
    assert [f.rule for f in mine] == ["history.approvals"]
    assert "là tác giả của thay đổi này" in mine[0].message
