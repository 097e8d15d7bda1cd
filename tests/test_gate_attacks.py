"""The approval gate, attacked as a member or a clerk would attack it, on real repositories
with real SSH keys and signed commits. Each test is one way around the gate that must fail."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES, grassroots_vote
from gatekit import give_keys, head, members, on_main, outcome, person
from gitrepo import GitRepo, committees, former, make_repo, serving, with_committees
from hoso import editing
from hoso.git import Repo
from hoso.review import render
from hoso.review.approvals import Approval, github, gitlab, load_authors
from hoso.review.gate import Requested, Verdict, review
from hoso.review.signed import message

CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}
DISTRICT_APPRAISED = {  # the district organisation commission appraises before the decision
    "date": date(2026, 11, 18),
    "state": "district_appraised",
    "body": "khe-lam.organisation",
    "document": {
        "number": "9-BC/BTC",
        "date": date(2026, 11, 18),
        "issuer": "khe-lam.organisation",
    },
}
DECIDED = {
    "date": date(2026, 11, 20),
    "state": "decided",
    "body": "khe-lam.standing",
    "vote": {
        "official_members": 6,
        "present": 6,
        "in_favour": 5,
        "against": 1,
        "abstain": 0,
        "method": "secret_ballot",
    },
    "document": {"number": "90-QĐ/HU", "date": date(2026, 11, 20), "issuer": "khe-lam.standing"},
}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = make_repo(tmp_path / "repo")
    repo.commit("Open a sample case", {CASE: GOOD})
    repo.git("checkout", "-q", "-b", "mr")
    return repo


def org(repo: GitRepo) -> list[dict[str, Any]]:
    return serving(members(repo, "khe-lam.organisation"))


def review_of(login: str, state: str, commit: str, user_id: int = 0, n: int = 1) -> dict[str, Any]:
    user: dict[str, Any] = {"login": login}
    if user_id:
        user["id"] = user_id
    return {
        "id": n,
        "user": user,
        "state": state,
        "commit_id": commit,
        "submitted_at": "2026-11-25T10:00:00Z",
    }


def gate(
    repo: GitRepo,
    approvals: list[Approval] | None = None,
    authors: tuple[str, ...] = (),
    author_files: tuple[Path, ...] = (),
) -> Verdict:
    people = load_authors(list(author_files), list(authors))
    return review(Requested(Repo(repo.root), "main", "mr", approvals or [], people, AS_OF))


def add_step(repo: GitRepo, event: dict[str, Any] = APPRAISED) -> str:
    editing.record_step(repo.root, repo.root / CASE, event, AS_OF)
    repo.git("add", CASE)
    return repo.commit(f"Record {event['state']}")


def sign(
    repo: GitRepo, key: str, member: dict[str, Any], verdict: str = "approve", at: str = ""
) -> str:
    """A signed approval (or rejection) of the case as it stands, committed at ``at``."""
    blob = repo.git("rev-parse", f"HEAD:{CASE}")
    env = {"GIT_COMMITTER_DATE": at} if at else None
    return repo.sign_commit(message(CASE, blob, verdict), key, person(member), env=env)


# ------------------------------------------------------------- 1. default deny


@pytest.mark.parametrize(
    "path",
    [
        "tooling/hoso/review/gate.py",
        "site_src/hooks.py",
        "noxfile.py",
        ".github/workflows/hoso.yml",
        "pyproject.toml",
        ".gitattributes",
        "anything/new/nobody-named.txt",
        "cases/.gitattributes",
    ],
)
def test_every_path_needs_an_owner_s_approval(repo: GitRepo, path: str) -> None:
    """A change outside the records is never "nothing needed": code, CI, site hooks and any
    new path fall to the code rule or, unnamed, to the governance rule."""
    repo.commit(
        "Change a file outside the records", {path: "*.yaml working-tree-encoding=UTF-16\n"}
    )
    member = org(repo)[0]
    verdict = gate(repo, github([review_of(member["github"], "APPROVED", head(repo))], AS_OF))
    result = outcome(verdict, path)
    assert not verdict.mergeable
    assert result.needs, path
    assert {n.committee for n in result.needs} == {"thu-nghiem.standing"}
    assert all(n.assurance == "signed" and not n.met for n in result.needs)


def test_unnamed_path_falls_to_the_governance_rule(repo: GitRepo) -> None:
    repo.commit("A new top-level file", {"notes.txt": "x\n"})
    (need,) = outcome(gate(repo), "notes.txt").needs
    assert need.rule == "governance"


def test_without_any_owning_rule_a_path_is_refused(repo: GitRepo) -> None:
    policy = repo.read("governance/policy.yaml")
    cut = policy.index("- id: governance")
    on_main(
        repo, "No governance rule", {"governance/policy.yaml": policy[:cut] + "conflicts: []\n"}
    )
    repo.commit("A new file", {"tooling/evil.py": "print('x')\n"})
    result = outcome(gate(repo), "tooling/evil.py")
    assert result.errors == [
        "không quy tắc nào trong governance/policy.yaml (nhánh gốc) chịu trách nhiệm "
        "tooling/evil.py, kể cả quy tắc mặc định của tệp quản trị: mặc định từ chối"
    ]


def test_code_change_merges_with_three_signed_standing_approvals(repo: GitRepo) -> None:
    signers = give_keys(repo, "thu-nghiem.standing", ["s1", "s2", "s3"])
    repo.commit("Improve the gate", {"tooling/hoso/extra.py": "VALUE = 1\n"})
    blob = repo.git("rev-parse", "HEAD:tooling/hoso/extra.py")
    for key, member in zip(["s1", "s2"], signers[:2], strict=True):
        repo.sign_commit(message("tooling/hoso/extra.py", blob, "approve"), key, person(member))
    assert not gate(repo).mergeable
    # The third signs with the command, naming the file by its path.
    from hoso.cli.main import main

    repo.git("config", "user.name", signers[2]["name"])
    repo.git("config", "user.email", signers[2]["email"])
    approve = ["approve", "tooling/hoso/extra.py", "--key", str(repo.key("s3"))]
    assert main([*approve, "--repo", str(repo.root)]) == 0
    assert gate(repo).mergeable


def test_a_symlink_as_a_record_is_refused(repo: GitRepo) -> None:
    link = repo.root / "cases/khe-lam/admission/KN-2024-link01.yaml"
    link.symlink_to("/etc/passwd")
    repo.git("add", str(link))
    repo.commit("A link")
    errors = outcome(gate(repo), "cases/khe-lam/admission/KN-2024-link01.yaml").errors
    assert (
        "không phải tệp thường (một liên kết tượng trưng, chế độ 120000): hồ sơ và tệp quản trị "
        "chỉ là tệp thường"
    ) in errors


def test_a_symlink_anywhere_is_refused_whoever_approves_it(repo: GitRepo) -> None:
    """A page of the site that is a link to a case file would publish the record where only
    the approvers of site_src/ looked, never those of the case."""
    (repo.root / "site_src/docs").mkdir(parents=True, exist_ok=True)
    link = repo.root / "site_src/docs/ho-so.md"
    link.symlink_to("../../cases/khe-lam/admission/KN-2024-test01.yaml")
    repo.git("add", str(link))
    repo.commit("A page that is a link")
    verdict = gate(repo)
    assert (
        "không phải tệp thường (một liên kết tượng trưng, chế độ 120000): kho chỉ chứa tệp "
        "thường; một liên kết đưa nội dung của tệp khác (hồ sơ, tệp quản trị) vào chỗ này mà "
        "người duyệt chỗ này không thấy"
    ) in outcome(verdict, "site_src/docs/ho-so.md").errors
    assert not verdict.mergeable


# ------------------------------------------------------------- 2. people, not approvals


def test_one_person_counts_once_however_many_ways_they_approve(repo: GitRepo) -> None:
    policy = repo.read("governance/policy.yaml").replace(
        "    of: case_unit\n    count: 1", "    of: case_unit\n    count: 2"
    )
    on_main(repo, "Two organisation approvals", {"governance/policy.yaml": policy})
    (a,) = give_keys(repo, "khe-lam.organisation", ["a"])
    add_step(repo)
    sign(repo, "a", a)
    tip = head(repo)
    forge = github(
        [
            review_of(a["github"], "APPROVED", tip, n=1),
            review_of(a["github"].upper(), "APPROVED", tip, n=2),
        ],
        AS_OF,
    ) + gitlab({"rules": [{"approved_by": [{"username": a["gitlab"], "id": 5}]}]}, tip, AS_OF)
    need = outcome(gate(repo, forge)).needs[0]
    assert [m["name"] for m in [a]] == [m.name for m, _ in need.counted]
    assert len(need.also) >= 2
    assert not need.met and need.needed == 2


def test_two_entries_of_one_person_are_one_person(repo: GitRepo) -> None:
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    first = serving(found)[0]
    again = {**first, "github": "second-account", "gitlab": "second-account"}
    again["email"] = "second@mau.invalid"
    found["members"].append(again)
    policy = repo.read("governance/policy.yaml").replace(
        "    of: case_unit\n    count: 1", "    of: case_unit\n    count: 2"
    )
    on_main(
        repo,
        "A member listed twice",
        {
            "governance/committees.yaml": with_committees(text, {"khe-lam.organisation": found}),
            "governance/policy.yaml": policy,
        },
    )
    tip = add_step(repo)
    reviews = [review_of(first["github"], "APPROVED", tip, n=1)]
    reviews.append(review_of("second-account", "APPROVED", tip, n=2))
    need = outcome(gate(repo, github(reviews, AS_OF))).needs[0]
    assert len(need.counted) == 1 and not need.met


def test_a_pinned_forge_id_refuses_a_renamed_or_recycled_account(repo: GitRepo) -> None:
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    member = serving(found)[0]
    member["github_id"] = 4242
    on_main(
        repo,
        "Pin an id",
        {"governance/committees.yaml": with_committees(text, {"khe-lam.organisation": found})},
    )
    tip = add_step(repo)
    wrong = github([review_of(member["github"], "APPROVED", tip, user_id=999)], AS_OF)
    need = outcome(gate(repo, wrong)).needs[0]
    assert need.counted == [] and "khác mã số 4242" in need.excluded[0][1]
    right = github([review_of(member["github"], "APPROVED", tip, user_id=4242)], AS_OF)
    assert gate(repo, right).mergeable


def test_the_author_comes_from_the_merge_request_data_and_the_pushers(
    repo: GitRepo, tmp_path: Path
) -> None:
    """On GitLab the author is read from the merge request itself, and every account that
    pushed a commit to it counts as an author too."""
    opener, pusher, outsider = org(repo)[:3]
    tip = add_step(repo)
    state = {
        "rules": [{"approved_by": [{"username": m["gitlab"], "id": 1} for m in (opener, pusher)]}]
    }
    mr = tmp_path / "mr.json"
    mr.write_text(json.dumps({"iid": 3, "author": {"username": opener["gitlab"], "id": 1}}))
    notes = tmp_path / "notes.json"
    notes.write_text(
        json.dumps(
            [
                {
                    "system": True,
                    "body": "added 1 commit",
                    "author": {"username": pusher["gitlab"]},
                },
                {"system": False, "body": "LGTM", "author": {"username": outsider["gitlab"]}},
            ]
        )
    )
    need = outcome(gate(repo, gitlab(state, tip, AS_OF), author_files=(mr, notes))).needs[0]
    assert need.counted == []
    assert [why for _, why in need.excluded] == [
        "là tác giả của thay đổi này (không tự phê duyệt)"
    ] * 2


def test_gitlab_pipeline_does_not_take_the_trigger_as_the_author() -> None:
    ci = (Path(__file__).parent.parent / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "GITLAB_USER_LOGIN" not in ci
    assert "--authors-from" in ci


def test_gitlab_gate_takes_its_code_and_base_from_the_target_branch_not_a_tag(
    tmp_path: Path,
) -> None:
    """A clerk pushes a tag named ``origin/main`` at the head of the merge request: the gate
    job's own git lines (run here as the job runs them) still check out the target branch's
    code and judge against its commit."""
    import subprocess

    import yaml

    ci = yaml.safe_load((Path(__file__).parent.parent / ".gitlab-ci.yml").read_text("utf-8"))
    lines = []
    for line in ci["gate"]["script"]:
        if "pip install" in line:
            break
        lines.append(line)
    assert any(line.startswith("BASE=") for line in lines)
    server = tmp_path / "server.git"
    clerk = make_repo(tmp_path / "clerk")
    target = clerk.git("rev-parse", "HEAD")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(server)], check=True)
    clerk.git("push", "-q", str(server), "HEAD:refs/heads/main")
    clerk.git("checkout", "-q", "-b", "evil")
    clerk.commit("Change the gate", {"tooling/evil.py": "print()\n"})
    clerk.git("tag", "origin/main", "HEAD")
    clerk.git("push", "-q", str(server), "evil", "refs/tags/origin/main")
    job = tmp_path / "job"
    subprocess.run(["git", "clone", "-q", str(server), str(job)], check=True)
    head = clerk.git("rev-parse", "evil")
    subprocess.run(["git", "-C", str(job), "checkout", "-q", "--detach", head], check=True)
    script = "set -e\n" + "\n".join(lines) + '\necho "$BASE $GATE"\n'
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=job,
        env={**__import__("os").environ, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"},
        capture_output=True,
        text=True,
        check=True,
    )
    base, gate = done.stdout.split()[-2:]
    assert base == target
    gate_code = subprocess.run(
        ["git", "-C", gate, "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert gate_code.stdout.strip() == target


def test_gitlab_jobs_never_import_from_the_merge_requests_folder() -> None:
    """Jobs run in the merge request's checkout: Python must not put the working folder on its
    import path (a pip/ or json.py there would run instead), and the job that installs the
    merge request's own code gets no token."""
    import yaml

    ci = yaml.safe_load((Path(__file__).parent.parent / ".gitlab-ci.yml").read_text("utf-8"))
    assert ci["variables"]["PYTHONSAFEPATH"] == "1"
    gate_python = [line for line in ci["gate"]["script"] if "python " in line or "python\n" in line]
    assert gate_python and all("python -P " in line for line in gate_python)
    assert ci["validate"]["script"][0] == "unset HOSO_API_TOKEN"


# ------------------------------------------------------------- 3. union of touched rules


def test_a_decision_bundled_with_an_old_edit_keeps_the_decision_rule(repo: GitRepo) -> None:
    add_step(repo)
    editing.record_step(repo.root, repo.root / CASE, grassroots_vote(), AS_OF)
    editing.record_step(repo.root, repo.root / CASE, DISTRICT_APPRAISED, AS_OF)
    editing.record_step(repo.root, repo.root / CASE, DECIDED, AS_OF)
    text = repo.read(CASE).replace("number: 61-GCN/TTCT", "number: 61-GCN/TTCX")
    repo.commit("Decide, and touch an old step", {CASE: text})
    result = outcome(gate(repo))
    assert result.change.kind == "rewrite"
    committees_needed = {n.committee for n in result.needs}
    assert {"khe-lam.standing", "thu-nghiem.organisation"} <= committees_needed
    assert "admission-decision" in {n.rule for n in result.needs}


def test_rewriting_a_decision_needs_the_rule_of_its_old_and_new_form(repo: GitRepo) -> None:
    """A rewrite that changes an old event is judged at that event's old and new state."""
    add_step(repo)
    editing.record_step(repo.root, repo.root / CASE, grassroots_vote(), AS_OF)
    editing.record_step(repo.root, repo.root / CASE, DISTRICT_APPRAISED, AS_OF)
    editing.record_step(repo.root, repo.root / CASE, DECIDED, AS_OF)
    repo.git("add", CASE)
    repo.commit("Decide")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "mr")
    repo.git("checkout", "-q", "mr")
    text = repo.read(CASE).replace("number: 90-QĐ/HU", "number: 91-QĐ/HU")
    repo.commit("Rewrite the decision's number", {CASE: text})
    result = outcome(gate(repo))
    assert "admission-decision" in {n.rule for n in result.needs}


def test_removing_a_recorded_decision_needs_the_decision_rule(repo: GitRepo) -> None:
    """The old version of a removed event is touched too: dropping a decision is judged as
    the decision was."""
    add_step(repo)
    editing.record_step(repo.root, repo.root / CASE, grassroots_vote(), AS_OF)
    editing.record_step(repo.root, repo.root / CASE, DISTRICT_APPRAISED, AS_OF)
    editing.record_step(repo.root, repo.root / CASE, DECIDED, AS_OF)
    repo.git("add", CASE)
    decided = repo.read(CASE)
    repo.commit("Decide")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "mr")
    repo.git("checkout", "-q", "mr")
    cut = decided.index("  - date: 2026-11-20")
    undone = decided[:cut].replace("status: decided", "status: district_appraised")
    repo.commit("Drop the decision", {CASE: undone})
    result = outcome(gate(repo))
    assert result.change.kind == "rewrite"
    assert "admission-decision" in {n.rule for n in result.needs}


# ------------------------------------------------------------- 4. backdated signatures


def test_a_former_member_signing_today_with_a_backdated_commit(repo: GitRepo) -> None:
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    gone = former(found)[0]
    gone["ssh_keys"] = [repo.public("gone")]
    on_main(
        repo,
        "Old key",
        {"governance/committees.yaml": with_committees(text, {"khe-lam.organisation": found})},
    )
    add_step(repo)
    blob = repo.git("rev-parse", f"HEAD:{CASE}")
    repo.sign_commit(
        message(CASE, blob, "approve"),
        "gone",
        person(gone),
        env={"GIT_COMMITTER_DATE": "2020-09-01T10:00:00+07:00"},
    )
    need = outcome(gate(repo)).needs[0]
    assert need.counted == []
    assert need.excluded[0][1].startswith("ngoài nhiệm kỳ vào ngày 26/11/2026")


# ------------------------------------------------------------- 6. self-approval, hidden


def test_a_member_who_writes_the_change_inside_a_merge_commit_is_its_author(
    repo: GitRepo,
) -> None:
    member = org(repo)[0]
    repo.git("checkout", "-q", "-b", "side", "main")
    side = "cases/khe-lam/admission/KN-2024-side01.yaml"
    repo.commit("Another case", {side: GOOD.replace("KN-2024-test01", "KN-2024-side01")})
    repo.git("checkout", "-q", "mr")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side", author=person(member))
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    repo.git("commit", "-q", "-m", "Merge side", author=person(member))
    tip = head(repo)
    need = outcome(gate(repo, github([review_of(member["github"], "APPROVED", tip)], AS_OF)))
    assert need.needs[0].counted == []
    assert need.needs[0].excluded[0][1] == "là tác giả của thay đổi này (không tự phê duyệt)"


def test_an_approval_commit_that_changes_the_record_is_no_approval(repo: GitRepo) -> None:
    (a,) = give_keys(repo, "khe-lam.organisation", ["a"])
    add_step(repo)
    text = repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")
    repo.write(CASE, text)
    repo.git("add", CASE)
    blob = repo.git("rev-parse", f":{CASE}")  # the staged record, committed with the approval
    repo.sign_commit(message(CASE, blob, "approve"), "a", ("Ai Đó", "someone@mau.invalid"))
    forge = github([review_of(a["github"], "APPROVED", head(repo))], AS_OF)
    need = outcome(gate(repo, forge)).needs
    org_need = next(n for n in need if n.committee == "khe-lam.organisation")
    assert org_need.counted == []
    reasons = [why for _, why in org_need.excluded]
    assert "commit phê duyệt có thay đổi tệp hoặc là commit hợp nhất: không phải phê duyệt" in (
        reasons
    )
    # The signer wrote part of the change: their own forge approval does not count either.
    assert "là tác giả của thay đổi này (không tự phê duyệt)" in reasons


def test_a_signing_key_makes_its_owner_an_author(repo: GitRepo) -> None:
    (a,) = give_keys(repo, "khe-lam.organisation", ["a"])
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    repo.sign_commit("Record a step\n", "a", ("Người Khác", "other@mau.invalid"))
    tip = head(repo)
    need = outcome(gate(repo, github([review_of(a["github"], "APPROVED", tip)], AS_OF))).needs[0]
    assert need.counted == []
    assert need.excluded[0][1] == "là tác giả của thay đổi này (không tự phê duyệt)"


# ------------------------------------------------------------- 7. subject read from both sides


def test_the_subject_cannot_approve_after_editing_their_own_card_out(repo: GitRepo) -> None:
    member = org(repo)[0]
    own = GOOD.replace(
        "  standing: candidate\n",
        f"  standing: candidate\n  party_card: '{member['party_card']}'\n",
    )
    on_main(repo, "A case about a member", {CASE: own})
    repo.commit(
        "Change the card number",
        {CASE: own.replace(f"party_card: '{member['party_card']}'", "party_card: '11111111'")},
    )
    tip = head(repo)
    verdict = gate(repo, github([review_of(member["github"], "APPROVED", tip)], AS_OF))
    reasons = [why for n in outcome(verdict).needs for _, why in n.excluded]
    assert "là người được xem xét trong hồ sơ" in reasons
    assert not verdict.mergeable


# ------------------------------------------------------------- 8. a rejection stands


def test_a_signed_rejection_is_not_replaced_by_merging_in_an_old_approval(repo: GitRepo) -> None:
    a, b = give_keys(repo, "thu-nghiem.organisation", ["a", "b"])
    repo.commit("Correct", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")})
    blob = repo.git("rev-parse", f"HEAD:{CASE}")
    repo.git("checkout", "-q", "-b", "old")
    repo.sign_commit(message(CASE, blob, "approve"), "b", person(b))  # b's earlier approval
    repo.git("checkout", "-q", "mr")
    repo.sign_commit(message(CASE, blob, "approve"), "a", person(a))
    repo.sign_commit(message(CASE, blob, "reject"), "b", person(b))
    repo.git("merge", "-q", "-s", "ours", "--no-edit", "old")
    need = next(n for n in outcome(gate(repo)).needs if n.committee == "thu-nghiem.organisation")
    assert [m.name for m, _ in need.rejections] == [b["name"]]
    assert not need.met
    # Approving the final content in a later commit lifts it.
    repo.sign_commit(message(CASE, blob, "approve"), "b", person(b))
    need = next(n for n in outcome(gate(repo)).needs if n.committee == "thu-nghiem.organisation")
    assert need.rejections == [] and len(need.counted) == 2


# ------------------------------------------------------------- 10. reworded, not changed


def test_an_approval_of_a_reworded_commit_stands_or_says_what_to_do(
    repo: GitRepo, tmp_path: Path
) -> None:
    member = org(repo)[0]
    approved = add_step(repo)
    repo.git("commit", "-q", "--amend", "-m", "Record the appraisal (reworded)")
    reviews = github([review_of(member["github"], "APPROVED", approved)], AS_OF)
    assert gate(repo, reviews).mergeable  # the old commit is still readable: same content
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--no-local", str(repo.root), str(clone))
    fresh = GitRepo(clone)
    fresh.git("checkout", "-q", "mr")
    fresh.git("checkout", "-q", "-B", "main", "origin/main")
    fresh.git("checkout", "-q", "mr")
    verdict = gate(fresh, reviews)
    need = outcome(verdict).needs[0]
    assert not verdict.mergeable
    assert need.lapsed[0][1].startswith(f"không có commit {approved[:10]} (commit được phê duyệt)")
    assert f"git fetch origin {approved}" in need.lapsed[0][1]


# ------------------------------------------------------------- inputs that used to crash


def test_a_record_with_mixed_key_types_is_judged_not_crashed(repo: GitRepo) -> None:
    repo.commit("Odd keys", {CASE: GOOD + "1: one\nodd:\n  2: two\n  b: three\n"})
    result = outcome(gate(repo))
    assert result.errors and not result.ok


def test_a_new_case_whose_history_items_are_not_mappings(repo: GitRepo) -> None:
    path = "cases/khe-lam/admission/KN-2024-odd001.yaml"
    repo.commit("Odd history", {path: "id: KN-2024-odd001\nkind: admission\nhistory:\n- 1\n- x\n"})
    result = outcome(gate(repo), path)
    assert result.errors and not result.ok


def test_one_login_listed_for_two_people_stops_the_gate(repo: GitRepo) -> None:
    """An account that two different people claim cannot be told apart: the governance is
    refused, and so is every merge request judged by it."""
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    one, two = serving(found)[:2]
    two["github"] = one["github"].upper()
    on_main(
        repo,
        "Two people, one login",
        {"governance/committees.yaml": with_committees(text, {"khe-lam.organisation": found})},
    )
    tip = add_step(repo)
    verdict = gate(repo, github([review_of(one["github"], "APPROVED", tip)], AS_OF))
    assert not verdict.mergeable
    assert any(
        "mỗi tài khoản, email, khóa chỉ thuộc một người" in e for e in outcome(verdict).errors
    )


# ------------------------------------------------------------- pushes and replaced heads


def test_gitlab_request_for_changes_blocks(repo: GitRepo, tmp_path: Path) -> None:
    approver, objector = org(repo)[:2]
    tip = add_step(repo)
    state = {"rules": [{"approved_by": [{"username": approver["gitlab"], "id": 1}]}]}
    reviewers = tmp_path / "reviewers.json"
    reviewers.write_text(
        json.dumps(
            [
                {"user": {"username": objector["gitlab"], "id": 2}, "state": "requested_changes"},
                {"user": {"username": approver["gitlab"], "id": 1}, "state": "approved"},
            ]
        )
    )
    from hoso.review.approvals import load_file

    forge = gitlab(state, tip, AS_OF) + load_file(reviewers, tip, AS_OF)
    need = outcome(gate(repo, forge)).needs[0]
    assert [m.name for m, _ in need.rejections] == [objector["name"]]
    assert not need.met


def test_a_gitlab_pusher_of_approval_commits_only_is_no_author(
    repo: GitRepo, tmp_path: Path
) -> None:
    """GitLab lists the commits of each push in its "added N commits" note: a member who
    pushed only their own approval commit has written nothing."""
    policy = repo.read("governance/policy.yaml").replace(
        "    of: case_unit\n    count: 1", "    of: case_unit\n    count: 1\n    assurance: signed"
    )
    on_main(repo, "Signed organisation approvals", {"governance/policy.yaml": policy})
    (a,) = give_keys(repo, "khe-lam.organisation", ["a"])
    stepped = add_step(repo)
    signed = sign(repo, "a", a)
    notes = tmp_path / "notes.json"

    def note(user: str, shas: list[str]) -> dict[str, Any]:
        items = "".join(f"<li>{s[:8]} - x</li>" for s in shas)
        count = f"{len(shas)} commit" + ("s" if len(shas) > 1 else "")
        body = f"added {count}\n\n<ul>{items}</ul>"
        return {"system": True, "body": body, "author": {"username": user}}

    notes.write_text(json.dumps([note("clerk", [stepped]), note(a["gitlab"], [signed])]))
    need = outcome(gate(repo, author_files=(notes,))).needs[0]
    assert [m.name for m, _ in need.counted] == [a["name"]]
    # Had the same push also carried the step, the member would be its author.
    notes.write_text(json.dumps([note(a["gitlab"], [stepped, signed])]))
    need = outcome(gate(repo, author_files=(notes,))).needs[0]
    assert need.counted == []
    assert need.excluded[0][1] == "là tác giả của thay đổi này (không tự phê duyệt)"


def test_a_replaced_head_this_clone_lacks_is_a_refusal(repo: GitRepo, tmp_path: Path) -> None:
    tip = add_step(repo)
    pushes = tmp_path / "pushes.json"
    missing = "ab" * 20
    pushes.write_text(
        json.dumps(
            [
                {
                    "before": missing,
                    "after": tip,
                    "activity_type": "force_push",
                    "actor": {"login": "clerk", "id": 8},
                    "timestamp": "2026-11-25T10:00:00Z",
                },
            ]
        )
    )
    member = org(repo)[0]
    verdict = gate(
        repo,
        github([review_of(member["github"], "APPROVED", tip)], AS_OF),
        author_files=(pushes,),
    )
    assert not verdict.mergeable
    assert any(missing[:10] in error and "force-push" in error for error in verdict.errors)


def test_a_dropped_rejection_is_lifted_by_a_later_forge_approval(
    repo: GitRepo, tmp_path: Path
) -> None:
    _a, b = give_keys(repo, "khe-lam.organisation", ["a", "b"])
    stepped = add_step(repo)
    rejected = sign(repo, "b", b, "reject")
    repo.git("reset", "-q", "--hard", stepped)
    tip = head(repo)
    pushes = tmp_path / "pushes.json"
    pushes.write_text(
        json.dumps(
            [
                {
                    "before": rejected,
                    "after": tip,
                    "activity_type": "force_push",
                    "actor": {"login": "clerk", "id": 8},
                    "timestamp": "2026-11-25T10:00:00Z",
                },
            ]
        )
    )

    def with_review(submitted: str) -> Verdict:
        review = {**review_of(b["github"], "APPROVED", tip), "submitted_at": submitted}
        return gate(repo, github([review], AS_OF), author_files=(pushes,))

    before = next(n for n in outcome(with_review("2026-11-25T09:00:00Z")).needs)
    assert [m.name for m, _ in before.rejections] == [b["name"]]
    after = next(n for n in outcome(with_review("2026-11-25T11:00:00Z")).needs)
    assert after.rejections == [] and [m.name for m, _ in after.counted] == [b["name"]]


# ------------------------------------------------------------- rejections that stand


def test_a_forge_rejection_of_a_signed_approval_commit_blocks(
    repo: GitRepo, tmp_path: Path
) -> None:
    """Asking for changes on the very commit of one's own signed approval comes after it."""
    (a,) = give_keys(repo, "khe-lam.organisation", ["a"])
    add_step(repo)
    approved = sign(repo, "a", a)
    on_github = github([review_of(a["github"], "CHANGES_REQUESTED", approved)], AS_OF)
    need = outcome(gate(repo, on_github)).needs[0]
    assert [m.name for m, _ in need.rejections] == [a["name"]] and not need.met
    reviewers = tmp_path / "reviewers.json"
    reviewers.write_text(
        json.dumps([{"user": {"username": a["gitlab"], "id": 2}, "state": "requested_changes"}])
    )
    from hoso.review.approvals import load_file

    need = outcome(gate(repo, load_file(reviewers, approved, AS_OF))).needs[0]
    assert [m.name for m, _ in need.rejections] == [a["name"]] and not need.met


def test_a_github_rejection_that_names_no_commit_still_blocks(repo: GitRepo) -> None:
    approver, objector = org(repo)[:2]
    tip = add_step(repo)
    reviews = [
        review_of(approver["github"], "APPROVED", tip, n=1),
        {**review_of(objector["github"], "CHANGES_REQUESTED", tip, n=2), "commit_id": None},
    ]
    need = outcome(gate(repo, github(reviews, AS_OF))).needs[0]
    assert [m.name for m, _ in need.rejections] == [objector["name"]] and not need.met


def test_a_rejection_on_another_branch_is_not_left_behind(repo: GitRepo) -> None:
    """Reopening the merge request from the commit before someone's rejection leaves the
    rejection on the old branch: it still stands, with where it is."""
    a, b = give_keys(repo, "khe-lam.organisation", ["a", "b"])
    add_step(repo)
    approved = sign(repo, "a", a, at="2026-11-25T09:00:00+07:00")
    rejected = sign(repo, "b", b, "reject", at="2026-11-25T10:00:00+07:00")
    repo.git("branch", "first-try")
    repo.git("reset", "-q", "--hard", approved)
    need = outcome(gate(repo)).needs[0]
    assert [m.name for m, _ in need.rejections] == [b["name"]] and not need.met
    assert render.text(gate(repo)).count(f"ở commit {rejected[:10]} không còn trong nhánh này")
    # b's own approval of the content, signed after the rejection, answers it.
    sign(repo, "b", b, at="2026-11-25T11:00:00+07:00")
    need = outcome(gate(repo)).needs[0]
    assert need.rejections == [] and need.met


def test_an_approval_given_before_a_rejection_elsewhere_does_not_answer_it(
    repo: GitRepo,
) -> None:
    (b,) = give_keys(repo, "khe-lam.organisation", ["b"])
    add_step(repo)
    early = sign(repo, "b", b, at="2026-11-25T09:00:00+07:00")
    sign(repo, "b", b, "reject", at="2026-11-25T10:00:00+07:00")
    repo.git("branch", "first-try")
    repo.git("reset", "-q", "--hard", early)
    need = outcome(gate(repo)).needs[0]
    assert [m.name for m, _ in need.rejections] == [b["name"]] and need.counted == []


def test_a_rejection_answered_on_its_own_branch_does_not_follow(repo: GitRepo) -> None:
    a, b = give_keys(repo, "khe-lam.organisation", ["a", "b"])
    add_step(repo)
    approved = sign(repo, "a", a, at="2026-11-25T09:00:00+07:00")
    sign(repo, "b", b, "reject", at="2026-11-25T10:00:00+07:00")
    sign(repo, "b", b, at="2026-11-25T11:00:00+07:00")
    repo.git("branch", "first-try")
    repo.git("reset", "-q", "--hard", approved)
    need = outcome(gate(repo)).needs[0]
    assert need.rejections == [] and need.met
