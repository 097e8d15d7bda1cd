"""The audit judges a merge for the signed rejections it brings, as the gate does: a merge
that carried a rejection of a change its branch made and then undid put the rejection in the
main line's history, where no later gate reads it, and the rejected change could then merge
with another member's approval."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gitrepo import GitRepo, committees, serving, with_committees
from hoso import editing
from hoso.audit.run import audit
from hoso.git import Repo
from hoso.review.signed import message
from test_audit_attacks import APPRAISED, CASE, GOOD, make, merged, trailers

ORGANISATION = "khe-lam.organisation"


def _keyed(tmp_path: Path) -> tuple[GitRepo, dict[str, Any], dict[str, Any]]:
    """The audit's sample repository, where two serving members of the district's organisation
    commission hold signing keys from its first commit."""
    repo = make(tmp_path)
    text = repo.read("governance/committees.yaml")
    found = committees(text)[ORGANISATION]
    rejecter, other = serving(found)[:2]
    rejecter["ssh_keys"], other["ssh_keys"] = [repo.public("r")], [repo.public("o")]
    repo.write("governance/committees.yaml", with_committees(text, {ORGANISATION: found}))
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    return repo, rejecter, other


def _findings(repo: GitRepo, sha: str) -> list[tuple[str, str]]:
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    return [(f.rule, f.message) for f in found if f.commit == sha]


def _laundered(tmp_path: Path, answered: bool) -> tuple[GitRepo, str, str]:
    """A case opened; then a merge whose branch records a step, has it rejected by a signed
    commit, reverts it (and, ``answered``, has the objector approve the file as it stands):
    the repository, that merge and the rejection."""
    repo, rejecter, other = _keyed(tmp_path)
    merged(repo, 1, {CASE: GOOD}, trailers(other))
    refusal: list[str] = []

    def work() -> None:
        editing.record_step(repo.root, repo.root / CASE, APPRAISED, APPRAISED["date"])
        repo.git("add", CASE)
        step = repo.commit("Step")
        blob, base = (repo.git("rev-parse", f"{rev}:{CASE}") for rev in ("HEAD", "main"))
        who = (rejecter["name"], rejecter["email"])
        refusal.append(repo.sign_commit(message(CASE, blob, "reject", base), "r", who))
        repo.git("revert", "--no-edit", step)
        if answered:
            repo.sign_commit(message(CASE, base, "approve", base), "r", who)

    return repo, merged(repo, 2, {}, work=work), refusal[0]


def test_a_merge_that_carries_a_rejection_out_of_sight_is_a_finding(tmp_path: Path) -> None:
    repo, launder, refusal = _laundered(tmp_path, answered=False)
    found = _findings(repo, launder)
    assert [rule for rule, _ in found] == ["history.rejection_carried"], found
    assert refusal[:10] in found[0][1] and CASE in found[0][1]


def test_a_rejection_answered_by_its_maker_is_not_carried(tmp_path: Path) -> None:
    repo, launder, _ = _laundered(tmp_path, answered=True)
    assert _findings(repo, launder) == []


def test_a_rejection_by_someone_with_no_say_over_the_file_is_not_carried(
    tmp_path: Path,
) -> None:
    """A member of another body (the province's executive committee, with no say over a
    district's admission step) signs a rejection into the branch: it would never have counted
    against the step, so carrying it out of sight loses nothing, and it blocks nothing."""
    repo = make(tmp_path)
    text = repo.read("governance/committees.yaml")
    found = committees(text)
    outsider = serving(found["thu-nghiem.executive"])[0]
    outsider["ssh_keys"] = [repo.public("x")]
    other = serving(found[ORGANISATION])[0]
    changed = {"thu-nghiem.executive": found["thu-nghiem.executive"]}
    repo.write("governance/committees.yaml", with_committees(text, changed))
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    merged(repo, 1, {CASE: GOOD}, trailers(other))

    def work() -> None:
        editing.record_step(repo.root, repo.root / CASE, APPRAISED, APPRAISED["date"])
        repo.git("add", CASE)
        step = repo.commit("Step")
        blob, base = (repo.git("rev-parse", f"{rev}:{CASE}") for rev in ("HEAD", "main"))
        who = (outsider["name"], outsider["email"])
        repo.sign_commit(message(CASE, blob, "reject", base), "x", who)
        repo.git("revert", "--no-edit", step)

    launder = merged(repo, 2, {}, work=work)
    assert _findings(repo, launder) == []
