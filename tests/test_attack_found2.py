"""Attacks on the approval gate and the audit, second round: each succeeded against the code
as it stood (a first-round fix included), and each test asserts the secure behaviour, so it
fails while the attack works. Sample data only: the people are the sample committees'."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES
from gatekit import give_keys, head, on_main, outcome, person
from gitrepo import GitRepo, committees, make_repo, serving, with_committees
from hoso import editing
from hoso.cli.main import main
from hoso.git import Repo
from hoso.review.approvals import Approval, github, load_authors
from hoso.review.gate import Requested, Verdict, review
from hoso.review.signed import message

ROOT = Path(__file__).resolve().parent.parent
CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}
CLERK = ("Cán bộ Mẫu", "staff@mau.invalid")
SIGNED_ORG = (
    "    of: case_unit\n    count: 1",
    "    of: case_unit\n    count: 1\n    assurance: signed",
)


# ------------------------------------------------------------- helpers


def signed_org_rule(repo: GitRepo) -> None:
    policy = repo.read("governance/policy.yaml").replace(*SIGNED_ORG)
    assert policy != repo.read("governance/policy.yaml")
    on_main(repo, "Signed organisation approvals", {"governance/policy.yaml": policy})


def add_step(repo: GitRepo) -> str:
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    return repo.commit("Record partial_appraised")


def sign(repo: GitRepo, key: str, member: dict[str, Any], verdict: str = "approve") -> str:
    blob = repo.git("rev-parse", f"HEAD:{CASE}")
    return repo.sign_commit(message(CASE, blob, verdict), key, person(member))


def main_moves(repo: GitRepo) -> None:
    """Someone else's change lands on main; the clerk rebases ``mr`` on it (a force-push)."""
    repo.git("checkout", "-q", "main")
    repo.commit(
        "Another case", {CASE.replace("test01", "test02"): GOOD.replace("test01", "test02")}
    )
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")


def push(
    before: str | None, after: str, login: str, user_id: int, n: int, forced: bool = False
) -> dict[str, Any]:
    """One entry of GitHub's repository activity for the branch."""
    return {
        "id": n,
        "before": before or "0" * 40,
        "after": after,
        "ref": "refs/heads/mr",
        "timestamp": f"2026-11-25T{n:02d}:00:00Z",
        "activity_type": "force_push" if forced else ("push" if before else "branch_creation"),
        "actor": {"login": login, "id": user_id},
    }


def gate(
    repo: GitRepo, approvals: list[Approval] | None = None, author_files: tuple[Path, ...] = ()
) -> Verdict:
    people = load_authors(list(author_files), [])
    return review(Requested(Repo(repo.root), "main", "mr", approvals or [], people, AS_OF))


def review_of(login: str, state: str, commit: str, at: str, n: int = 1) -> dict[str, Any]:
    return {
        "id": n,
        "user": {"login": login},
        "state": state,
        "commit_id": commit,
        "submitted_at": at,
    }


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# ------------------------------------------------------------- 1. hostile forge JSON


@pytest.mark.parametrize(
    "state",
    [{"rules": 5}, {"rules": True}, {"rules": [{"approved_by": 7}]}],
    ids=["rules-int", "rules-bool", "approved_by-int"],
)
def test_gitlab_approval_state_of_a_wrong_shape_is_no_crash(
    mr: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], state: dict[str, Any]
) -> None:
    """``gitlab()`` iterates ``state.get("rules") or []`` and each rule's ``approved_by``
    without checking they are lists: an integer there is a TypeError, exit 3 with a
    traceback, from input."""
    add_step(mr)
    approvals = tmp_path / "approval_state.json"
    approvals.write_text(json.dumps(state), encoding="utf-8")
    code, said = run_cli(
        ["review", "--repo", str(mr.root), "--base", "main", "--head", "mr",
         "--approvals", str(approvals)],
        capsys,
    )  # fmt: skip
    assert code in (1, 2)
    assert "Traceback" not in said


def test_gitlab_note_with_a_huge_commit_count_is_no_crash(
    mr: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note body "added 999…9 commits" (5,000 digits) matches ``^added \\d+``, then
    ``int(body.split()[1])`` exceeds Python's 4,300-digit limit: ValueError, exit 3."""
    add_step(mr)
    notes = tmp_path / "notes.json"
    body = "added " + "9" * 5000 + " commits\n\n<ul><li>abcdef12 - x</li></ul>"
    notes.write_text(
        json.dumps([{"system": True, "body": body, "author": {"username": "clerk", "id": 8}}]),
        encoding="utf-8",
    )
    code, said = run_cli(
        ["review", "--repo", str(mr.root), "--base", "main", "--head", "mr",
         "--authors-from", str(notes)],
        capsys,
    )  # fmt: skip
    assert code in (1, 2)
    assert "Traceback" not in said


def test_a_review_time_without_a_zone_is_no_crash(
    mr: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dropped rejection is weighed against a GitHub review by comparing the review's
    ``submitted_at`` with the force-push's ``timestamp``. One written without a zone
    ("2026-11-25T11:00:00") is a naive datetime, the other aware: comparing them is a
    TypeError, exit 3."""
    (b,) = give_keys(mr, "khe-lam.organisation", ["b"])
    stepped = add_step(mr)
    rejected = sign(mr, "b", b, "reject")
    mr.git("reset", "-q", "--hard", stepped)
    pushes = tmp_path / "pushes.json"
    pushes.write_text(json.dumps([push(rejected, stepped, "clerk", 8, 9, forced=True)]))
    reviews = tmp_path / "reviews.json"
    reviews.write_text(
        json.dumps([review_of(b["github"], "APPROVED", stepped, "2026-11-25T11:00:00")])
    )
    code, said = run_cli(
        ["review", "--repo", str(mr.root), "--base", "main", "--head", "mr",
         "--approvals", str(reviews), "--authors-from", str(pushes)],
        capsys,
    )  # fmt: skip
    assert code in (0, 1, 2)
    assert "Traceback" not in said


# ------------------------------------------------------------- 2. a repository read as clean


def test_audit_of_a_sha256_repository_is_not_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``stream._is_commit_line`` knows only 40-hex ids (``line[40] == " "``): in a
    repository made with ``git init --object-format=sha256`` no line of the log is a commit,
    so the audit reads no commit at all and says "0 commits, 0 findings", exit 0, for a
    history of direct pushes. It must audit it, or refuse it (never call it clean)."""
    root = tmp_path / "repo"
    root.mkdir()
    repo = GitRepo(root)
    repo.git("init", "-q", "--object-format=sha256", "-b", "main")
    shutil.copytree(ROOT / "governance", root / "governance")
    repo.git("add", "governance")
    repo.git("commit", "-q", "-m", "Governance of the sample province")
    repo.commit("Pushed straight to main", {CASE: GOOD})
    code, said = run_cli(["audit", "--repo", str(root), "--no-cache"], capsys)
    assert code != 0
    assert "Traceback" not in said


# ------------------------------------------------------------- 3. false refusals after a rebase


def test_a_member_who_pushed_a_signed_approval_is_no_author_after_a_rebase(
    mr: GitRepo, tmp_path: Path
) -> None:
    """The gate refuses a branch behind main, so the clerk rebases it (a force-push). The
    member's earlier push of their own approval commit is then judged by ``_only_approvals``
    against the commits of the *current* range, which hold only the rebased copy: the old
    approval commit is "not an approval", so the push made its member an author. The member
    signs again on the new head, and is refused as "là tác giả": no signature of theirs can
    count on this merge request any more."""
    (a,) = give_keys(mr, "khe-lam.organisation", ["a"])
    stepped = add_step(mr)
    approved = sign(mr, "a", a)
    main_moves(mr)  # the clerk rebases: the approval commit is copied, its signature lost
    rebased = head(mr)
    again = sign(mr, "a", a)  # the member signs the rebased content
    pushes = tmp_path / "pushes.json"
    pushes.write_text(
        json.dumps(
            [
                push(None, stepped, "clerk", 8, 1),
                push(stepped, approved, a["github"], 11, 2),
                push(approved, rebased, "clerk", 8, 3, forced=True),
                push(rebased, again, a["github"], 11, 4),
            ]
        )
    )
    need = outcome(gate(mr, author_files=(pushes,))).needs[0]
    assert [why for _, why in need.excluded if "tác giả" in why] == []
    assert [m["name"] for m in [a]] == [m.name for m, _ in need.counted]


def test_a_rejection_answered_then_dropped_by_a_rebase_can_be_lifted_under_a_signed_rule(
    mr: GitRepo, tmp_path: Path
) -> None:
    """A member rejects (signed), is satisfied and approves (signed) in a later commit; then
    main moves and the clerk rebases. The old head holds the rejection, so it is read as a
    "dropped" rejection, which only a forge approval after the push may lift (the approval
    that already answered it in that head is not looked at). Where the rule asks for
    signatures, a forge approval never counts, so it never lifts anything either, and a new
    signed approval cannot lift a dropped rejection at all: the merge request is blocked for
    good, whatever the member does."""
    signed_org_rule(mr)
    (b,) = give_keys(mr, "khe-lam.organisation", ["b"])
    stepped = add_step(mr)
    rejected = sign(mr, "b", b, "reject")
    answered = sign(mr, "b", b)  # the same member approves the same content later on
    main_moves(mr)
    rebased = head(mr)
    again = sign(mr, "b", b)
    pushes = tmp_path / "pushes.json"
    # Only the force-push is listed: the member's own pushes would make them an author
    # after the rebase (the test above), which would hide this refusal behind that one.
    pushes.write_text(json.dumps([push(answered, rebased, "clerk", 8, 3, forced=True)]))
    assert rejected != answered and stepped != rebased
    forge = github([review_of(b["github"], "APPROVED", again, "2026-11-25T05:00:00Z")], AS_OF)
    verdict = gate(mr, forge, author_files=(pushes,))
    need = next(n for n in outcome(verdict).needs if n.committee == "khe-lam.organisation")
    assert need.rejections == []
    assert [m.name for m, _ in need.counted] == [b["name"]]


# ------------------------------------------------------------- 4. rejections that vanish


@pytest.mark.parametrize("how", ["signed", "github"])
def test_a_rejection_cannot_be_hidden_by_writing_the_rejecter_in_as_an_author(
    mr: GitRepo, tmp_path: Path, how: str
) -> None:
    """``_weigh`` keeps a rejection only when ``_why_not`` finds nothing against it, and
    ``_why_not`` reports a conflict for an author: a rejecting member who is "an author" has
    their rejection silently dropped (not even listed). Authorship comes from the e-mails a
    commit claims, which whoever writes the commit chooses: the clerk adds a commit (and its
    revert) with the objecting member's e-mail as author, and the rejection is gone; another
    member's approval then merges the change."""
    a, b = give_keys(mr, "khe-lam.organisation", ["a", "b"])
    add_step(mr)
    reviews: list[dict[str, Any]] = []
    if how == "signed":
        sign(mr, "b", b, "reject")
    else:
        reviews.append(
            review_of(b["github"], "CHANGES_REQUESTED", head(mr), "2026-11-25T01:00:00Z")
        )
    # Written "by" the objecting member: a note added, then removed (no net change).
    mr.commit("Add a note", {"cases/khe-lam/admission/note.txt": "x\n"}, author=person(b))
    mr.commit("Remove the note", {"cases/khe-lam/admission/note.txt": None})
    reviews.append(review_of(a["github"], "APPROVED", head(mr), "2026-11-25T02:00:00Z", n=2))
    verdict = gate(mr, github(reviews, AS_OF))
    need = outcome(verdict).needs[0]
    assert [m.name for m, _ in need.rejections] == [b["name"]]
    assert not verdict.mergeable


# ------------------------------------------------------------- 5. pushers the CI never hands over


def _workflow_push_filter() -> str:
    text = (ROOT / ".github" / "workflows" / "gate.yml").read_text(encoding="utf-8")
    found = re.search(r"> pushes\.json", text)
    assert found is not None
    programs = re.findall(r"jq '([^']*)'", text[: found.start()])
    program: str = programs[-1]
    return program


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq")
def test_github_workflow_keeps_the_push_that_created_the_branch(
    mr: GitRepo, tmp_path: Path
) -> None:
    """GitHub records the first push of a branch as ``activity_type: branch_creation`` (the
    first-round test of pushed approvals uses exactly that). The workflow keeps only
    ``push`` and ``force_push``, so whoever created the branch with the change is never a
    pusher: a member who pushes the change on a new branch under a borrowed commit e-mail,
    and lets a clerk open the pull request, approves it as a non-author."""
    a = serving(committees(mr.read("governance/committees.yaml"))["khe-lam.organisation"])[0]
    tip = add_step(mr)  # committed under the clerk's e-mail, pushed by the member
    activity = [push(None, tip, a["github"], 11, 1)]
    assert activity[0]["activity_type"] == "branch_creation"
    raw = json.dumps([activity])  # gh --paginate --slurp: a list of pages
    done = subprocess.run(
        ["jq", _workflow_push_filter()], input=raw, capture_output=True, text=True, check=True
    )
    pushes = tmp_path / "pushes.json"
    pushes.write_text(done.stdout, encoding="utf-8")
    forge = github([review_of(a["github"], "APPROVED", tip, "2026-11-25T05:00:00Z")], AS_OF)
    verdict = gate(mr, forge, author_files=(pushes,))
    need = outcome(verdict).needs[0]
    assert need.counted == []
    assert not verdict.mergeable


def test_gitlab_pipeline_reads_every_page_of_notes_and_versions() -> None:
    """The pipeline fetches ``notes?per_page=100`` and ``versions?per_page=100`` once. The
    101st note on a merge request (comments, "approved", "requested review"... are notes
    too) is never read: a push noted after it makes its pusher no author, and a head
    listed after the first 100 versions is never searched for a dropped rejection. Nothing
    tells the gate the list was cut. The pipeline must follow the pages (``X-Next-Page``,
    ``page=``) or refuse."""
    ci = (ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8")
    for endpoint in ("notes", "versions"):
        calls = [line for line in ci.splitlines() if f"/{endpoint}?" in line]
        assert calls, endpoint
        for line in calls:
            assert re.search(r"page=\$|next.page|--paginate", line, re.IGNORECASE), line


# ------------------------------------------------------------- 6. audit: findings that never clear


def test_audit_an_initial_import_named_by_an_approved_governance_is_no_finding(
    tmp_path: Path,
) -> None:
    """The finding for a root commit that imports records says: write this commit's id into
    ``initial_import`` in governance/settings.yaml. ``_root_import`` reads that setting from
    the governance *of the root commit itself*, which can never hold its own id; a later,
    approved governance change naming it is never consulted. Every province that starts
    from an import carries the finding for ever."""
    from gitrepo import FORGE, forge_merge, with_forge_key

    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    standing = committees(text)["thu-nghiem.standing"]
    signers = serving(standing)[:3]
    for n, member in enumerate(signers):
        member["ssh_keys"] = [repo.public(f"s{n}")]
    repo.write(
        "governance/committees.yaml", with_committees(text, {"thu-nghiem.standing": standing})
    )
    repo.write("governance/settings.yaml", with_forge_key(repo))
    repo.write(CASE, GOOD)
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "-m", "Initial import of the province's records")
    root = head(repo)
    assert repo.key(FORGE)
    repo.git("checkout", "-q", "-b", "mr1")
    settings = repo.read("governance/settings.yaml") + f"initial_import: {root}\n"
    repo.commit("Name the initial import", {"governance/settings.yaml": settings})
    blob = repo.git("rev-parse", "HEAD:governance/settings.yaml")
    for n, member in enumerate(signers):
        repo.sign_commit(
            message("governance/settings.yaml", blob, "approve"), f"s{n}", person(member)
        )
    repo.git("checkout", "-q", "main")
    merged = forge_merge(repo, "Merge pull request #1 from mau/mr1", "mr1")
    from hoso.audit.run import audit

    _, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    rules = [(f.rule, f.commit) for f in found]
    assert not [r for r in rules if r[1] == merged], rules  # the naming merge itself is clean
    assert ("history.root_import", root) not in rules


# ------------------------------------------------------------- 7. messages that hang the audit


def _audit_within(root: Path, seconds: int) -> subprocess.CompletedProcess[str] | None:
    """``hoso audit --no-cache`` in a child process; None when it ran past ``seconds``."""
    import sys

    command = [sys.executable, "-m", "hoso.cli.main", "audit", "--repo", str(root), "--no-cache"]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        return None


def _merged_directly(tmp_path: Path, merge_message: str, branch_message: str) -> GitRepo:
    """A merge made on someone's machine and pushed straight to main (no forge signature):
    exactly what the audit must report."""
    repo = make_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(CASE, GOOD)
    repo.git("add", CASE)
    (tmp_path / "branch.txt").write_text(branch_message, encoding="utf-8")
    repo.git("commit", "-q", "-F", str(tmp_path / "branch.txt"))
    repo.git("checkout", "-q", "main")
    (tmp_path / "merge.txt").write_text(merge_message, encoding="utf-8")
    repo.git("merge", "-q", "--no-ff", "-F", str(tmp_path / "merge.txt"), "side")
    return repo


def test_audit_a_long_approved_by_line_does_not_hang_it(tmp_path: Path) -> None:
    """``_APPROVED_BY`` (``^Approved-by:\\s*(.*?)\\s*<([^>]+)>\\s*$``) backtracks in cubic
    time on an "Approved-by:" trailer of blanks with no "<": 800 blanks take 0.6 s, 1,600
    take 5 s, 3,200 take 32 s. A merge message of 20 KB (on GitHub the person merging writes
    it) stops every fresh audit for hours. (Bounded here by a generous timeout: a hang, not a
    measurement.)"""
    message_ = "Merge branch 'side'\n\nApproved-by:" + " " * 20_000 + "x\n"
    repo = _merged_directly(tmp_path, message_, "Open a sample case")
    done = _audit_within(repo.root, 60)
    assert done is not None, "hoso audit ran for more than 60 s on one merge message"
    assert done.returncode == 1, done.stderr[-400:]


def test_audit_a_long_approval_trailer_in_a_brought_commit_does_not_hang_it(
    tmp_path: Path,
) -> None:
    """``signed._trailer`` (``^Key:[ \\t]*(.*?)[ \\t]*$``) is quadratic on a trailer line of
    blanks with a letter at the end: 20,000 blanks take 4 s, so a commit message of 1 MB
    (git takes it) takes hours, in the audit (every commit a merge brings) and in the gate
    alike."""
    message_ = "Open a sample case\n\nHoso-Approval: x" + " " * 1_000_000 + "y\n"
    repo = _merged_directly(tmp_path, "Merge branch 'side'\n", message_)
    done = _audit_within(repo.root, 60)
    assert done is not None, "hoso audit ran for more than 60 s on one commit message"
    assert done.returncode == 1, done.stderr[-400:]


# ------------------------------------------------------------- 8. more false refusals and misses


def test_a_push_to_an_earlier_branch_of_the_same_name_makes_no_author(
    mr: GitRepo, tmp_path: Path
) -> None:
    """GitHub's activity is asked for by ref name (``ref=refs/heads/$HEAD_REF``), so it also
    lists pushes to an earlier branch of that name, long merged. Such a push added nothing to
    this change (its commits are all in the base), yet ``_only_approvals`` finds no commit in
    it and calls its pusher an author: a member who once pushed their signed approval to a
    branch called ``mr`` can never approve a later pull request from a branch of that name."""
    a, _ = give_keys(mr, "khe-lam.organisation", ["a", "b"])
    # An earlier pull request from a branch also called "mr", approved and merged.
    mr.git("checkout", "-q", "-b", "old", "main")
    old_step = add_step(mr)
    old_approval = sign(mr, "a", a)
    mr.git("checkout", "-q", "main")
    mr.git("merge", "-q", "--no-ff", "-m", "Merge pull request #1 from mau/mr", "old")
    mr.git("branch", "-q", "-D", "mr")
    mr.git("checkout", "-q", "-b", "mr")  # a new branch, the same name
    text = mr.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")
    assert text != mr.read(CASE)
    tip = mr.commit("Correct a field", {CASE: text})
    pushes = tmp_path / "pushes.json"
    pushes.write_text(
        json.dumps(
            [
                push(None, old_step, "clerk", 8, 1),
                push(old_step, old_approval, a["github"], 11, 2),
                push(None, tip, "clerk", 8, 3),
            ]
        )
    )
    forge = github([review_of(a["github"], "APPROVED", tip, "2026-11-25T05:00:00Z")], AS_OF)
    verdict = gate(mr, forge, author_files=(pushes,))
    for need in outcome(verdict).needs:
        assert [why for _, why in need.excluded if "tác giả" in why] == [], need.committee


def test_a_member_listed_without_a_card_is_matched_to_a_subject_by_name(mr: GitRepo) -> None:
    """``party_card`` is optional in committees.yaml. For a member listed without one, the
    card comparison is skipped, and the name comparison runs only when the *record* has no
    card: a member listed without a card approves the case about themselves (same name,
    the record carrying the card number)."""
    source = EXAMPLES / "valid" / "boundary-discipline-just-over-half.yaml"
    case = "cases/ban-mo/discipline/KL-2021-0vc3vk.yaml"
    record = source.read_text(encoding="utf-8")
    text = mr.read("governance/committees.yaml")
    found = committees(text)["ban-mo.organisation"]
    member = serving(found)[0]
    del member["party_card"]
    member["name"] = "Quàng Hữu Dính"  # the subject of the case, whose card the record gives
    assert "name: Quàng Hữu Dính" in record and "party_card: '30127893'" in record
    on_main(
        mr,
        "A member listed without a card",
        {"governance/committees.yaml": with_committees(text, {"ban-mo.organisation": found})},
    )
    tip = mr.commit("Open a discipline case", {case: record})
    forge = github([review_of(member["github"], "APPROVED", tip, "2026-11-25T05:00:00Z")], AS_OF)
    verdict = gate(mr, forge)
    need = next(n for n in outcome(verdict, case).needs if n.committee == "ban-mo.organisation")
    assert need.counted == [], "the subject counted as an approver of their own case"
