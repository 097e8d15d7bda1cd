"""A signed approval binds a record to the change it approves: the content it replaced as well
as the content it leaves. An approval signed on a branch that was never merged must not count
toward another change that happens to end at the same content (a stale approval)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES
from gitrepo import (
    GitRepo,
    committees,
    forge_merge,
    make_repo,
    serving,
    with_committees,
    with_forge_key,
)
from hoso.audit import walk
from hoso.audit.index import AuditFinding
from hoso.cli.main import main
from hoso.git import Repo
from hoso.review.approvals import github
from hoso.review.gate import Requested, Verdict, review
from hoso.review.judging import Need
from hoso.review.signed import message

CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
PROVINCE_ORG = "thu-nghiem.organisation"
"""Corrections need two signed approvals of the provincial organisation commission."""
DISTRICT_ORG = "khe-lam.organisation"
KEYS = ("m1", "m2")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """Two serving provincial organisation members with keys, a forge key, and the case at its
    first content A on main."""
    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    org = committees(text)[PROVINCE_ORG]
    for member, key in zip(serving(org), KEYS, strict=False):
        member["ssh_keys"] = [repo.public(key)]
    repo.write("governance/committees.yaml", with_committees(text, {PROVINCE_ORG: org}))
    repo.write("governance/settings.yaml", with_forge_key(repo))
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    repo.commit("Open a sample case", {CASE: GOOD})
    return repo


def signers(repo: GitRepo) -> list[dict[str, Any]]:
    return serving(committees(repo.read("governance/committees.yaml"))[PROVINCE_ORG])[:2]


def ethnicity(repo: GitRepo, value: str) -> dict[str, str | None]:
    text = repo.read(CASE)
    assert "ethnicity: Thái" in text
    return {CASE: text.replace("ethnicity: Thái", f"ethnicity: {value}")}


def approve_with_cli(repo: GitRepo, *extra: str) -> None:
    """Both members sign ``hoso approve`` of the case as it stands on the current branch."""
    for member, key in zip(signers(repo), KEYS, strict=True):
        repo.git("config", "user.name", member["name"])
        repo.git("config", "user.email", member["email"])
        argv = ["approve", CASE, "--key", str(repo.key(key)), "--repo", str(repo.root), *extra]
        assert main(argv) == 0
    repo.git("config", "user.name", "Cán bộ Mẫu")
    repo.git("config", "user.email", "staff@mau.invalid")


def approve_in_earlier_form(repo: GitRepo) -> None:
    """Both members sign approvals in the form written before approvals named what they
    replaced: record and content only."""
    blob = repo.git("rev-parse", f"HEAD:{CASE}")
    for member, key in zip(signers(repo), KEYS, strict=True):
        repo.sign_commit(message(CASE, blob, "approve"), key, (member["name"], member["email"]))


def stage_the_attack(repo: GitRepo, sign: Any) -> None:
    """Branch x corrects A to B (Lào) and both members approve B there; x is never merged.
    Main moves the case on to B' (Mường). Branch mr, from main, merges x (bringing its
    approval commits) and sets the case back to B."""
    repo.git("checkout", "-q", "-b", "x", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    sign(repo)
    repo.git("checkout", "-q", "main")
    repo.commit("Another correction", ethnicity(repo, "Mường"))
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.git("merge", "-q", "-s", "ours", "--no-edit", "x")
    repo.commit("Back to B", {CASE: repo.git("show", f"x:{CASE}") + "\n"})
    assert repo.git("rev-parse", f"mr:{CASE}") == repo.git("rev-parse", f"x:{CASE}")


def district(repo: GitRepo) -> dict[str, Any]:
    """A member of the district organisation commission, whose approval every change needs."""
    return serving(committees(repo.read("governance/committees.yaml"))[DISTRICT_ORG])[0]


def gate(repo: GitRepo) -> Verdict:
    """The gate, with the district member's forge approval of the branch's head: all that is
    left to decide is the provincial commission's signed approvals."""
    login = district(repo)["github"]
    head = repo.git("rev-parse", "mr")
    forge = github([{"id": 1, "user": {"login": login}, "state": "APPROVED", "commit_id": head}],
                   AS_OF)  # fmt: skip
    return review(Requested(Repo(repo.root), "main", "mr", forge, today=AS_OF))


def the_need(verdict: Verdict) -> Need:
    (outcome,) = [o for o in verdict.outcomes if o.change.path == CASE]
    assert outcome.change.kind == "correction"
    (need,) = [n for n in outcome.needs if n.committee == PROVINCE_ORG]
    return need


def both_refused(verdict: Verdict) -> Need:
    """The provincial commission's need, both members' approvals left out: not mergeable."""
    need = the_need(verdict)
    assert need.counted == []
    assert not verdict.mergeable
    assert len(need.excluded) == 2
    return need


@pytest.mark.parametrize("sign", [approve_with_cli, approve_in_earlier_form])
def test_an_approval_of_another_change_to_the_same_content_is_stale(
    repo: GitRepo, sign: Any
) -> None:
    stage_the_attack(repo, sign)
    need = both_refused(gate(repo))
    old = repo.git("rev-parse", f"main:{CASE}")
    for (approval, why), member in zip(need.excluded, signers(repo), strict=True):
        assert approval.who == member["email"]
        assert why.startswith("phê duyệt cũ")
        assert approval.commit[:10] in why  # where
        assert CASE in why  # what
        if sign is approve_with_cli:
            assert old[:10] in why  # why: it replaced another content than this change does
            assert "người ký chưa xem xét thay đổi này" in why


def _merged_on_the_forge(repo: GitRepo) -> str:
    """The merge request ``mr`` merged by the forge, the district member's forge approval in
    its message; its commit."""
    repo.git("checkout", "-q", "main")
    member = district(repo)
    text = (
        "Merge branch 'mr' into 'main'\n\nSee merge request mau/ho-so!7\n\n"
        f"Approved-by: {member['name']} <{member['email']}>\n"
    )
    return forge_merge(repo, text, "mr")


def _audited_merge(repo: GitRepo) -> list[AuditFinding]:
    """The audit's findings on the merge request ``mr``, merged by the forge."""
    sha = _merged_on_the_forge(repo)
    found = walk.build(Repo(repo.root), "main", use_cache=False).findings
    return [f for f in found if f.commit == sha]


def test_the_audit_names_the_stale_approvals_of_a_merge(repo: GitRepo) -> None:
    stage_the_attack(repo, approve_with_cli)
    mine = _audited_merge(repo)
    assert [f.rule for f in mine] == ["history.approvals"]
    assert "cần 2 phê duyệt của Ban Tổ chức tỉnh Thử Nghiệm, có 0" in mine[0].message
    assert mine[0].message.count("phê duyệt cũ") == 2


def test_an_approval_of_the_change_itself_counts_and_names_what_it_replaced(
    repo: GitRepo,
) -> None:
    before = repo.git("rev-parse", f"main:{CASE}")
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    approve_with_cli(repo)
    after = repo.git("rev-parse", f"mr:{CASE}")
    text = repo.git("log", "-1", "--format=%B", "mr")
    assert f"Hoso-Blob: {after}" in text
    assert f"Hoso-Base: {before}" in text
    verdict = gate(repo)
    assert len(the_need(verdict).counted) == 2
    assert verdict.mergeable


def test_an_approval_of_a_new_file_names_none(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.commit("A new module", {"tooling/hoso/extra.py": "EXTRA = 1\n"})
    assert main(["approve", "tooling/hoso/extra.py", "--key", str(repo.key("m1")),
                 "--repo", str(repo.root)]) == 0  # fmt: skip
    assert "\nHoso-Base: none\n" in repo.git("log", "-1", "--format=%B", "mr") + "\n"


def test_an_approval_signed_before_main_moved_on_is_stale(repo: GitRepo) -> None:
    """The branch approved, then the target branch changed the record under it, and the branch
    was updated: its record now replaces other content than the members approved replacing."""
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    approve_with_cli(repo)
    repo.git("checkout", "-q", "main")
    repo.commit("Correct the party card", {CASE: repo.read(CASE).replace("Thái", "Mường", 1)})
    repo.git("checkout", "-q", "mr")
    repo.git("merge", "-q", "-s", "ours", "--no-edit", "main")
    need = the_need(gate(repo))
    assert need.counted == []
    assert all(why.startswith("phê duyệt cũ") for _, why in need.excluded)


def test_a_tag_named_like_the_target_does_not_choose_the_content_replaced(
    repo: GitRepo,
) -> None:
    """A tag named origin/HEAD (anyone who may push tags can add one, and 'git fetch' brings
    it along) pointing into the branch must not make the approval name the branch's own
    earlier content as the content replaced: the target is main, as the remote has it."""
    before = repo.git("rev-parse", f"main:{CASE}")
    repo.git("update-ref", "refs/remotes/origin/main", "main")
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.commit("An intermediate content", ethnicity(repo, "Mường"))
    repo.git("tag", "origin/HEAD")
    repo.commit("Correct the ethnicity", {CASE: repo.read(CASE).replace("Mường", "Lào")})
    approve_with_cli(repo)
    assert f"Hoso-Base: {before}\n" in repo.git("log", "-1", "--format=%B", "mr") + "\n"
    assert len(the_need(gate(repo)).counted) == 2


OTHER = "cases/khe-lam/admission/KN-2024-test02.yaml"


def approve_then_main_moves_on_another_record(repo: GitRepo, sign: Any) -> None:
    """The README's flow: branch, approve, main merges a change of another record, the branch
    is brought up to date (GitHub's "Update branch" merges main into it)."""
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    sign(repo)
    repo.git("checkout", "-q", "main")
    repo.commit(
        "Another case", {OTHER: repo.read(CASE).replace("KN-2024-test01", "KN-2024-test02")}
    )
    repo.git("checkout", "-q", "mr")
    repo.git("merge", "-q", "--no-edit", "main")


@pytest.mark.parametrize("sign", [approve_with_cli, approve_in_earlier_form])
def test_an_approval_counts_after_main_moved_on_another_record(repo: GitRepo, sign: Any) -> None:
    """Main did not touch the record since the branch last took it in, so the change the
    members approved (in either form) is the change the gate sees."""
    approve_then_main_moves_on_another_record(repo, sign)
    need = the_need(gate(repo))
    assert need.excluded == []
    assert len(need.counted) == 2


@pytest.mark.parametrize("sign", [approve_with_cli, approve_in_earlier_form])
def test_the_audit_counts_an_approval_after_main_moved_on_another_record(
    repo: GitRepo, sign: Any
) -> None:
    """History made before Hoso-Base existed is judged again: a merge whose branch was brought
    up to date after its approvals was approved, and is no finding."""
    approve_then_main_moves_on_another_record(repo, sign)
    assert [f.message for f in _audited_merge(repo)] == []


def test_an_earlier_form_approval_from_a_branch_stacked_on_another_is_stale(
    repo: GitRepo,
) -> None:
    """The branch was built on another branch y (not yet merged) that changed the record: the
    members saw the change from main's content. Once y is merged, the branch replaces y's
    content, which they never saw replaced: stale, though the approval holds y's commit
    (the newest commit of main's own line that it holds is the one before y's merge)."""
    repo.git("checkout", "-q", "-b", "y", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Mường"))
    repo.git("checkout", "-q", "-b", "mr", "y")
    repo.commit("Correct it again", {CASE: repo.read(CASE).replace("Mường", "Lào")})
    approve_in_earlier_form(repo)
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "y")
    repo.git("checkout", "-q", "mr")
    repo.git("merge", "-q", "--no-edit", "main")
    need = the_need(gate(repo))
    assert need.counted == []
    assert [why[:12] for _, why in need.excluded] == ["phê duyệt cũ"] * 2


def stage_the_replay(repo: GitRepo, sign: Any) -> None:
    """Branch x corrects A to B (Lào) and both members approve it there; x is never merged.
    Main changes the case to Z (Mường) and back to A, as when a change is undone. Branch mr,
    from main, merges x (bringing its approval commits) and sets the case to B again: the
    same two contents the members once approved, after the target undid the record's
    change in between."""
    before = repo.git("rev-parse", f"main:{CASE}")
    repo.git("checkout", "-q", "-b", "x", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    sign(repo)
    repo.git("checkout", "-q", "main")
    first = repo.read(CASE)
    repo.commit("Another correction", ethnicity(repo, "Mường"))
    repo.commit("Undo it", {CASE: first})
    assert repo.git("rev-parse", f"main:{CASE}") == before
    repo.git("checkout", "-q", "-b", "mr", "main")
    repo.git("merge", "-q", "-s", "ours", "--no-edit", "x")
    repo.commit("B again", {CASE: repo.git("show", f"x:{CASE}") + "\n"})
    assert repo.git("rev-parse", f"mr:{CASE}") == repo.git("rev-parse", f"x:{CASE}")


@pytest.mark.parametrize("sign", [approve_with_cli, approve_in_earlier_form])
def test_an_approval_signed_before_the_target_changed_the_record_and_back_is_stale(
    repo: GitRepo, sign: Any
) -> None:
    stage_the_replay(repo, sign)
    for _, why in both_refused(gate(repo)).excluded:
        assert why.startswith("phê duyệt cũ")
        if sign is approve_with_cli:
            assert "nhánh đích đã sửa tệp này" in why


def test_the_audit_names_an_approval_brought_back_after_the_target_changed_the_record(
    repo: GitRepo,
) -> None:
    stage_the_replay(repo, approve_with_cli)
    mine = _audited_merge(repo)
    assert [f.rule for f in mine] == ["history.approvals"]
    assert mine[0].message.count("phê duyệt cũ") == 2
    assert "nhánh đích đã sửa tệp này" in mine[0].message


def approve_on_a_branch_stacked_on_one_merged(repo: GitRepo, sign: Any) -> None:
    """Branch y corrects A to Mường and is merged; branch mr, made from y before, corrects it
    on to Lào and both members approve it there before mr is brought up to date: the content
    the approval names as replaced (y's, at the commit mr shares with main) is main's."""
    repo.git("checkout", "-q", "-b", "y", "main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Mường"))
    repo.git("checkout", "-q", "-b", "mr", "y")
    repo.commit("Correct it again", {CASE: repo.read(CASE).replace("Mường", "Lào")})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "y")
    repo.git("checkout", "-q", "mr")
    sign(repo)


def test_an_approval_on_a_branch_stacked_on_one_merged_counts_after_updating(
    repo: GitRepo,
) -> None:
    """Main's line changed the file after the newest commit of it the approval holds, but by
    merging y, whose change the approval holds: the change approved is the change merged."""
    approve_on_a_branch_stacked_on_one_merged(repo, approve_with_cli)
    repo.git("merge", "-q", "--no-edit", "main")
    need = the_need(gate(repo))
    assert need.excluded == []
    assert len(need.counted) == 2


def test_the_audit_counts_an_approval_on_a_branch_stacked_on_one_merged(
    repo: GitRepo,
) -> None:
    approve_on_a_branch_stacked_on_one_merged(repo, approve_with_cli)
    assert [f.message for f in _audited_merge(repo)] == []


def test_an_earlier_form_approval_on_a_branch_stacked_on_one_merged_is_stale(
    repo: GitRepo,
) -> None:
    """Naming no content replaced, it may have been signed before y was merged, when the
    members saw the change from A."""
    approve_on_a_branch_stacked_on_one_merged(repo, approve_in_earlier_form)
    repo.git("merge", "-q", "--no-edit", "main")
    need = the_need(gate(repo))
    assert need.counted == []
    assert [why[:12] for _, why in need.excluded] == ["phê duyệt cũ"] * 2


def test_a_change_undone_after_the_stacked_branch_merged_still_makes_it_stale(
    repo: GitRepo,
) -> None:
    """After y's merge, main changed the file to Z and back to y's content: the approval is
    of the change from the first time main held it."""
    approve_on_a_branch_stacked_on_one_merged(repo, approve_with_cli)
    repo.git("checkout", "-q", "main")
    merged = repo.read(CASE)
    repo.commit("Another correction", {CASE: merged.replace("Mường", "Thái")})
    repo.commit("Undo it", {CASE: merged})
    repo.git("checkout", "-q", "mr")
    repo.git("merge", "-q", "--no-edit", "main")
    need = the_need(gate(repo))
    assert need.counted == []
    assert all("nhánh đích đã sửa tệp này" in why for _, why in need.excluded)


def test_the_audit_reads_which_brought_commits_hold_the_first_parent_as_git_does(
    repo: GitRepo,
) -> None:
    """Whether an approval commit holds the merge's first parent is read from the parents of
    the commits the merge brought; it must answer as git does, for each of them."""
    from hoso.audit.judge import Job, _ancestor
    from hoso.review.signed import Made

    approve_then_main_moves_on_another_record(repo, approve_with_cli)
    repo.commit("After the update", {CASE: repo.read(CASE).replace("Lào", "Mường")})
    approve_with_cli(repo)
    merge = _merged_on_the_forge(repo)
    git = Repo(repo.root)
    base, head = repo.git("rev-parse", f"{merge}^1"), repo.git("rev-parse", f"{merge}^2")
    brought = repo.git("rev-list", head, "--not", base).split()
    made = [Made(sha, repo.git("rev-parse", f"{sha}^@").split(), True, b"") for sha in brought]
    job = Job(1, merge, base, head, [], [], made, {}, AS_OF)
    ancestor = _ancestor(job, git)
    answers = {sha: ancestor(base, sha) for sha in brought}
    assert answers == {sha: git.is_ancestor(base, sha) for sha in brought}
    assert set(answers.values()) == {True, False}  # some hold it, some were made before


def test_approving_against_a_copy_of_the_target_fetched_long_ago_warns(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The approval names what this clone's copy of the target holds as replaced; a copy
    fetched days ago may be behind the server, and the gate would then call it stale."""
    import os
    import time

    repo.git("clone", "-q", "--bare", str(repo.root), str(tmp_path / "server.git"))
    repo.git("remote", "add", "origin", str(tmp_path / "server.git"))
    repo.git("fetch", "-q", "origin")
    repo.git("checkout", "-q", "--no-track", "-b", "mr", "origin/main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    capsys.readouterr()
    approve_with_cli(repo)
    assert "git fetch" not in capsys.readouterr().err
    fetched = repo.root / ".git" / "FETCH_HEAD"
    days_ago = time.time() - 3 * 86400
    os.utime(fetched, (days_ago, days_ago))
    # The fetch moved origin/main then too: its log says so.
    _logged_at(repo.root / ".git" / "logs" / "refs" / "remotes" / "origin" / "main", int(days_ago))
    repo.commit("Correct it again", {CASE: repo.read(CASE).replace("Lào", "Mường")})
    approve_with_cli(repo)
    said = capsys.readouterr().err
    assert "bản sao này lấy nhánh đích origin/main từ máy chủ lần cuối lúc" in said
    assert time.strftime("%d/%m/%Y", time.localtime(days_ago)) in said
    assert "chạy 'git fetch'" in said


@pytest.mark.parametrize("fooled_by", ["another remote", "a time to come"])
def test_a_fetch_of_another_remote_or_a_time_to_come_is_no_recent_fetch(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], fooled_by: str
) -> None:
    """FETCH_HEAD is written by a fetch of any remote, and its time is a file's: a fetch
    from elsewhere says nothing of the target's server, and a time after now (a clock set
    wrong, a file touched) is believed by no one."""
    import os
    import time

    repo.git("clone", "-q", "--bare", str(repo.root), str(tmp_path / "server.git"))
    repo.git("clone", "-q", "--bare", str(repo.root), str(tmp_path / "mirror.git"))
    repo.git("remote", "add", "origin", str(tmp_path / "server.git"))
    repo.git("remote", "add", "mirror", str(tmp_path / "mirror.git") + "/")
    repo.git("fetch", "-q", "origin")
    repo.git("checkout", "-q", "--no-track", "-b", "mr", "origin/main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    days_ago = time.time() - 3 * 86400
    _logged_at(repo.root / ".git" / "logs" / "refs" / "remotes" / "origin" / "main", int(days_ago))
    fetched = repo.root / ".git" / "FETCH_HEAD"
    if fooled_by == "another remote":
        repo.git("fetch", "-q", "mirror")
        assert "mirror" in fetched.read_text(encoding="utf-8")
    else:
        later = time.time() + 30 * 86400
        os.utime(fetched, (later, later))
    capsys.readouterr()
    approve_with_cli(repo)
    said = capsys.readouterr().err
    assert "bản sao này lấy nhánh đích origin/main từ máy chủ lần cuối lúc" in said
    assert time.strftime("%d/%m/%Y", time.localtime(days_ago)) in said


def test_a_recent_fetch_through_an_insteadof_address_counts(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A remote written with a short name git rewrites (url.<base>.insteadOf): git fetches,
    and writes into FETCH_HEAD, the rewritten address; a fetch just made that moved nothing
    is still a recent fetch, whatever the old log of origin/main says."""
    import time

    repo.git("clone", "-q", "--bare", str(repo.root), str(tmp_path / "server.git"))
    repo.git("config", f"url.{tmp_path}/.insteadOf", "may-chu:")
    repo.git("remote", "add", "origin", "may-chu:server.git")
    repo.git("fetch", "-q", "origin")
    repo.git("checkout", "-q", "--no-track", "-b", "mr", "origin/main")
    repo.commit("Correct the ethnicity", ethnicity(repo, "Lào"))
    days_ago = time.time() - 3 * 86400
    _logged_at(repo.root / ".git" / "logs" / "refs" / "remotes" / "origin" / "main", int(days_ago))
    repo.git("fetch", "-q", "origin")  # nothing new: FETCH_HEAD alone says it was just now
    capsys.readouterr()
    approve_with_cli(repo)
    assert "git fetch" not in capsys.readouterr().err


def _logged_at(log: Path, when: int) -> None:
    """The time of a ref log's last entry set to ``when`` (seconds since 1970)."""
    lines = log.read_text(encoding="utf-8").splitlines()
    who, _, rest = lines[-1].partition("> ")
    lines[-1] = f"{who}> {when} {rest.split(' ', 1)[1]}"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_fetch_in_the_clone_counts_for_its_worktrees_and_a_broken_log_is_no_crash(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Remote branches are shared by every worktree of a clone, though each keeps its own
    FETCH_HEAD: approving in a worktree just after a fetch in the clone warns of nothing,
    whatever the log of origin/HEAD (written once, by the clone) says. A log whose time can
    be no day (hand-edited) makes no traceback after the signing."""
    repo.git("clone", "-q", "--bare", str(repo.root), str(tmp_path / "server.git"))
    repo.git("remote", "add", "origin", str(tmp_path / "server.git"))
    repo.git("fetch", "-q", "origin")
    repo.git("remote", "set-head", "origin", "main")
    logs = repo.root / ".git" / "logs" / "refs" / "remotes" / "origin"
    (logs / "HEAD").write_text((logs / "main").read_text(encoding="utf-8"), encoding="utf-8")
    _logged_at(logs / "HEAD", 1_700_000_000)  # the clone, long ago
    worktree = tmp_path / "wt"
    repo.git("worktree", "add", "-q", "--no-track", "-b", "mr", str(worktree), "origin/main")
    text = (
        (worktree / CASE).read_text(encoding="utf-8").replace("ethnicity: Thái", "ethnicity: Lào")
    )
    (worktree / CASE).write_text(text, encoding="utf-8")
    repo.git("-C", str(worktree), "commit", "-qam", "Correct the ethnicity")
    capsys.readouterr()
    key = str(repo.key(KEYS[0]))
    assert main(["approve", CASE, "--key", key, "--repo", str(worktree)]) == 0
    assert "git fetch" not in capsys.readouterr().err
    (repo.root / ".git" / "FETCH_HEAD").unlink()
    _logged_at(logs / "main", 99_999_999_999_999)
    (worktree / CASE).write_text(text.replace("Lào", "Mường"), encoding="utf-8")
    repo.git("-C", str(worktree), "commit", "-qam", "Correct it again")
    assert main(["approve", CASE, "--key", key, "--repo", str(worktree)]) == 0


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("/srv/ho-so.git/", "/srv/ho-so"),
        ("a.git", "a.git"),  # git keeps ".git" on an address no longer than it and one more
        ("ab.git", "ab"),
        (
            "https://van-thu:mat-khau@git.mau.invalid/tinh/ho-so.git",
            "https://git.mau.invalid/tinh/ho-so",
        ),
        ("git@git.mau.invalid:tinh/ho-so.git", "git.mau.invalid:tinh/ho-so"),
        ("ssh://git@git.mau.invalid:2222/tinh/ho-so", "ssh://git.mau.invalid:2222/tinh/ho-so"),
    ],
)
def test_a_remotes_address_is_matched_as_git_writes_it_into_fetch_head(
    url: str, written: str
) -> None:
    from hoso.cli.approve import _as_git_writes

    assert _as_git_writes(url) == written
