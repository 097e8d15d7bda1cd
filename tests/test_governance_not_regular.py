"""A governance file turned into a symlink, a folder or a submodule (gitlink) by one commit.

Such a commit is a finding like any other: the audit names it and carries on, the gate refuses
it, and a branch whose base holds it is refused with the reason, never stopped with exit 3 (a
single push would otherwise blind every later audit). A tree or blob git cannot read is still
a broken repository (exit 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF
from gitrepo import GitRepo, serving
from hoso.audit import checkpoints
from hoso.audit.run import audit
from hoso.cli.main import main
from hoso.git import Repo
from test_attack_found import ATTACKER, CASE, GOOD, audited, gate, members

POLICY = "governance/policy.yaml"
COMMITTEES = "governance/committees.yaml"
OTHER = "cases/khe-lam/admission/KN-2024-other1.yaml"


def _symlink(repo: GitRepo) -> str:
    repo.git("mv", POLICY, "governance/policy-real.yaml")
    (repo.root / POLICY).symlink_to("policy-real.yaml")
    repo.git("add", "-A")
    return POLICY


def _folder(repo: GitRepo) -> str:
    repo.git("rm", "-q", COMMITTEES)
    repo.write(f"{COMMITTEES}/x.yaml", "a: 1\n")
    repo.git("add", "-A")
    return COMMITTEES


def _gitlink(repo: GitRepo) -> str:
    repo.git("rm", "-q", "--cached", POLICY)
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'ab' * 20},{POLICY}")
    return POLICY


ATTACKS = {
    "symlink": (_symlink, "một liên kết tượng trưng"),
    "folder": (_folder, "một thư mục"),
    "gitlink": (_gitlink, "một kho con (submodule)"),
}


def _attack(repo: GitRepo, how: str) -> tuple[str, str]:
    """The attack committed on the current branch: (the governance path, the commit)."""
    rel = ATTACKS[how][0](repo)
    repo.git("commit", "-q", "-m", f"Governance file made a {how}", author=ATTACKER)
    return rel, repo.git("rev-parse", "HEAD")


@pytest.mark.parametrize("how", list(ATTACKS))
def test_audit_reports_a_governance_file_that_is_not_a_regular_file(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = audited(tmp_path)
    before = repo.commit("An earlier direct push", {OTHER: GOOD.replace("test01", "other1")})
    rel, pushed = _attack(repo, how)
    after = repo.commit("A later direct push", {CASE: GOOD + "# later\n"}, author=ATTACKER)
    code = main(["audit", "--repo", str(repo.root), "--no-cache", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1, err[-600:]
    _, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    rules = {(f.rule, f.commit) for f in found}
    # The earlier finding, the push itself, and what came after are all still reported.
    assert ("history.direct_push", before) in rules
    assert ("history.direct_push", pushed) in rules
    assert ("history.direct_push", after) in rules
    assert ("history.tainted_governance", after) in rules
    odd = [f for f in found if f.commit == pushed and f.rule == "history.invalid_change"]
    (odd,) = [f for f in odd if f.path == rel]
    assert odd.path == rel
    assert ATTACKS[how][1] in odd.message
    assert odd.message.endswith("tệp quản trị chỉ là tệp thường")
    assert pushed[:10] in out and rel in out


@pytest.mark.parametrize("how", list(ATTACKS))
def test_gate_refuses_a_change_that_makes_a_governance_file_not_regular(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = audited(tmp_path)
    repo.git("checkout", "-q", "-b", "mr")
    rel, _ = _attack(repo, how)
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "mr"])
    out, err = capsys.readouterr()
    assert code == 1, err[-600:]
    verdict = gate(repo)
    errors = [e for o in verdict.outcomes for e in o.errors]
    ours = [e for o in verdict.outcomes if o.change.path == rel for e in o.errors]
    assert any(ATTACKS[how][1] in e for e in ours), errors
    assert all(e.endswith("chỉ là tệp thường") for e in errors if "không phải tệp thường" in e)
    assert ATTACKS[how][1] in out


@pytest.mark.parametrize("how", list(ATTACKS))
def test_gate_fails_closed_on_a_base_whose_governance_file_is_not_regular(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack pushed straight to main: every later merge request is refused, saying why,
    and a member's approval does not change that."""
    repo = audited(tmp_path)
    rel, _ = _attack(repo, how)
    repo.git("checkout", "-q", "-b", "mr")
    repo.commit("Another case", {OTHER: GOOD.replace("test01", "other1")})
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "mr"])
    out, err = capsys.readouterr()
    assert code == 1, err[-600:]
    verdict = gate(repo)
    assert not verdict.mergeable
    errors = [e for o in verdict.outcomes for e in o.errors]
    assert any("tệp quản trị trên nhánh gốc có lỗi" in e and rel in e for e in errors), errors
    assert any(ATTACKS[how][1] in e for e in errors), errors
    assert ATTACKS[how][1] in out


@pytest.mark.parametrize("how", list(ATTACKS))
def test_checkpoints_read_a_tip_whose_governance_file_is_not_regular(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verifying checkpoints reads the tip's governance: a tag signed by a stranger is still a
    finding, not a stop; making a checkpoint there is refused, naming the file, when the file
    is one a checkpoint's signature is checked against."""
    repo = audited(tmp_path)
    member = serving(members(repo, "thu-nghiem.organisation"))[0]
    rel, _ = _attack(repo, how)
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key('stranger')}",
        "tag", "-s", "-m", "checkpoint", "hoso-checkpoint/odd",
    )  # fmt: skip
    found = checkpoints.verify(Repo(repo.root), "main", today=AS_OF)
    assert [f.rule for f in found] == ["checkpoint.signature"]
    repo.git("config", "user.email", member["email"])
    code = main(
        ["checkpoint", "--repo", str(repo.root), "--name", "n", "--key", str(repo.key("x"))]
    )
    err = capsys.readouterr().err
    assert code == 2, err[-600:]
    if rel == COMMITTEES:
        assert rel in err and ATTACKS[how][1] in err, err


def test_a_governance_blob_git_cannot_read_still_stops_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A regular-file entry whose blob is missing is a broken repository, not a finding."""
    repo = audited(tmp_path)
    repo.commit("A policy", {POLICY: repo.read(POLICY) + "# read once\n"}, author=ATTACKER)
    blob = repo.git("rev-parse", f"HEAD:{POLICY}")
    (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    assert main(["audit", "--repo", str(repo.root), "--no-cache", "--quiet"]) == 3
    assert "kho thiếu hoặc hỏng đối tượng" in capsys.readouterr().err
    repo.git("checkout", "-q", "-b", "mr")
    repo.commit("Another case", {OTHER: GOOD.replace("test01", "other1")})
    assert main(["review", "--repo", str(repo.root), "--base", "main", "--head", "mr"]) == 3
    assert "kho thiếu hoặc hỏng đối tượng" in capsys.readouterr().err


def _link_governance(repo: GitRepo) -> None:
    """On a branch ``mr``: ``governance`` made a link to a folder holding the same files."""
    repo.git("checkout", "-q", "-b", "mr")
    repo.git("mv", "governance", "notes")
    (repo.root / "governance").symlink_to("notes")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "Governance folder made a link", author=ATTACKER)


def test_the_governance_folder_made_a_link_is_refused_by_the_gate_and_by_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``governance`` itself a link to a folder of the same files: the gate refuses it, not
    as one more governance change to approve, and validate reads no file through it."""
    repo = audited(tmp_path)
    _link_governance(repo)
    verdict = gate(repo)
    ours = [e for o in verdict.outcomes if o.change.path == "governance" for e in o.errors]
    assert any("governance/ phải là thư mục thường" in e for e in ours), ours
    code = main(["validate", "--repo", str(repo.root), "--no-cache"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "thư mục governance/ là một liên kết tượng trưng" in out


def test_the_audit_names_a_governance_folder_made_a_link(tmp_path: Path) -> None:
    """Merged anyway (the forge let it through): the audit says what the gate would have."""
    from gitrepo import forge_merge

    repo = audited(tmp_path)
    _link_governance(repo)
    repo.git("checkout", "-q", "main")
    forge_merge(repo, "Merge pull request #9 from mau/mr\n", "mr")
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    named = [f for f in found if f.rule == "history.invalid_change"]
    assert any("governance/ phải là thư mục thường" in f.message for f in named), found
