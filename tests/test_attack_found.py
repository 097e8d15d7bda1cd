"""Attacks on the approval gate and the audit that succeeded against the code as it stood
(each test asserts the secure behaviour, so it fails while the attack works)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES
from gatekit import give_keys, head, members, on_main, outcome, person
from gitrepo import (
    GitRepo,
    committees,
    forge_merge,
    make_repo,
    serving,
    with_committees,
    with_forge_key,
)
from hoso import editing
from hoso.audit.run import audit
from hoso.git import Repo
from hoso.review.approvals import Approval, github, load_authors
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
ATTACKER = ("Kẻ Tấn Công", "attacker@mau.invalid")


# ------------------------------------------------------------- helpers


def gate(
    repo: GitRepo, approvals: list[Approval] | None = None, authors: tuple[str, ...] = ()
) -> Verdict:
    people = load_authors([], list(authors))
    return review(Requested(Repo(repo.root), "main", "mr", approvals or [], people, AS_OF))


def add_step(repo: GitRepo, event: dict[str, Any] = APPRAISED) -> str:
    editing.record_step(repo.root, repo.root / CASE, event, AS_OF)
    repo.git("add", CASE)
    return repo.commit(f"Record {event['state']}", author=ATTACKER)


def review_of(login: str, state: str, commit: str, n: int = 1) -> dict[str, Any]:
    return {
        "id": n,
        "user": {"login": login},
        "state": state,
        "commit_id": commit,
        "submitted_at": "2026-11-25T10:00:00Z",
    }


# ------------------------------------------------------------- 1. log record injection (gate)


def test_gate_a_commit_message_cannot_forge_a_signed_approval(mr: GitRepo) -> None:
    """``range_commits`` parses ``git log`` output split on \\x1e/\\x1f, characters a commit
    message may hold. A message carrying a fake record that names a real commit signed by a
    member (any earlier ``hoso approve`` commit of theirs will do) with invented trailers
    becomes that member's signed approval of whatever the attacker wants."""
    (a,) = give_keys(mr, "khe-lam.organisation", ["a"])
    # Somewhere in the repository: any commit the member once signed (here an approval of
    # another case, on a branch of its own).
    mr.git("checkout", "-q", "-b", "elsewhere", "main")
    other = "cases/khe-lam/admission/KN-2024-other1.yaml"
    mr.commit("Another case", {other: GOOD.replace("KN-2024-test01", "KN-2024-other1")})
    blob = mr.git("rev-parse", f"HEAD:{other}")
    signed = mr.sign_commit(message(other, blob, "approve"), "a", person(a))
    mr.git("checkout", "-q", "mr")
    # The attacker (no member) records a step, then an empty commit whose message injects a
    # record naming the member's signed commit with trailers for this case.
    add_step(mr)
    target = mr.git("rev-parse", f"HEAD:{CASE}")
    tip = head(mr)
    tree = mr.git("rev-parse", "HEAD^{tree}")
    fake = (
        f"Tidy\x1e{signed}\x1f{tip}\x1f{tree}\x1fx@mau.invalid\x1fx@mau.invalid\x1f"
        f"Hoso-Approval: approve\nHoso-Record: {CASE}\nHoso-Blob: {target}\n"
    )
    mr.git("commit", "-q", "--allow-empty", "-F", "-", input=fake, author=ATTACKER)
    verdict = gate(mr)
    need = outcome(verdict).needs[0]
    assert need.counted == [], [m.name for m, _ in need.counted]
    assert not verdict.mergeable


# ------------------------------------------------------------- 2. log record injection (audit)


def audited(tmp_path: Path) -> GitRepo:
    """Sample governance with the make-believe forge's key; one case merged by the forge with
    an organisation member's approval."""
    repo = make_repo(tmp_path / "repo")
    repo.write("governance/settings.yaml", with_forge_key(repo))
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    member = serving(members(repo, "khe-lam.organisation"))[0]
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open a sample case", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    forge_merge(
        repo,
        f"Merge pull request #1 from mau/mr1\n\nApproved-by: {member['name']} <{member['email']}>",
        "mr1",
    )
    return repo


def audit_rules(repo: GitRepo) -> list[tuple[str, str]]:
    _, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    return [(f.rule, f.commit) for f in found]


def test_audit_a_commit_message_cannot_hide_a_direct_push(tmp_path: Path) -> None:
    """The audit's stream starts each commit at \\x1e and ends its message at \\x1d; a direct
    push whose message holds \\x1e and a fake record with no parents gives its diff to a
    made-up "root" commit, and the push itself is seen with no files: no finding at all."""
    from datetime import UTC, datetime

    repo = audited(tmp_path)
    assert audit_rules(repo) == []
    tree = repo.git("rev-parse", "HEAD^{tree}")
    when = datetime.now(UTC).replace(microsecond=0).isoformat()
    fake = f"Tidy\x1e{'1' * 40}\x1f\x1f{tree}\x1fx@mau.invalid\x1fx\x1f{when}\x1fx@mau.invalid\x1fx"
    repo.write(CASE, repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào"))
    repo.git("add", CASE)
    repo.git("commit", "-q", "-F", "-", input=fake, author=ATTACKER)
    pushed = head(repo)
    assert ("history.direct_push", pushed) in audit_rules(repo)


@pytest.mark.parametrize("command", ["audit", "review"])
def test_a_control_character_in_a_message_does_not_crash(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A commit message holding \\x1e (record separator) crashes both with a traceback."""
    from hoso.cli.main import main

    repo = audited(tmp_path)
    repo.git("checkout", "-q", "-b", "mr")
    repo.write(CASE, repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào"))
    repo.git("add", CASE)
    repo.git("commit", "-q", "-F", "-", input="Fix\x1eoops\n", author=ATTACKER)
    if command == "audit":
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--ff-only", "mr")
        args = ["audit", "--repo", str(repo.root), "--no-cache"]
    else:
        args = ["review", "--repo", str(repo.root), "--base", "main", "--head", "mr"]
    code = main(args)
    err = capsys.readouterr().err
    assert code in (0, 1), err[-600:]
    assert "Traceback" not in err


# ------------------------------------------------------------- 3. false refusals


def test_a_re_elected_member_listed_once_per_term_can_approve(mr: GitRepo) -> None:
    """committees.yaml keeps former members, one entry per term. A member re-elected for the
    current term has two entries (same card, login, e-mail): ``member_for`` takes the first,
    the former term, and refuses the approval as "out of term"."""
    text = mr.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    old = next(m for m in found["members"] if "term_until" in m)
    again = {k: v for k, v in old.items() if k != "term_until"}
    again["term_from"] = date(2020, 10, 1)
    found["members"].append(again)
    on_main(
        mr,
        "Re-elected for the current term",
        {"governance/committees.yaml": with_committees(text, {"khe-lam.organisation": found})},
    )
    tip = add_step(mr)
    verdict = gate(mr, github([review_of(old["github"], "APPROVED", tip)], AS_OF))
    need = outcome(verdict).needs[0]
    assert [why for _, why in need.excluded] == []
    assert verdict.mergeable


def test_a_member_who_pushes_their_own_signed_approval_still_counts(
    mr: GitRepo, tmp_path: Path
) -> None:
    """The guide says: sign with ``hoso approve``, then ``git push``. The workflow then hands
    the gate GitHub's push activity, and everyone who pushed counts as an author: the
    member's own push of the empty approval commit makes their signature "self-approval", so
    a rule that asks for signatures can never be met on GitHub that way."""
    import json

    (a,) = give_keys(mr, "khe-lam.organisation", ["a"])
    before = add_step(mr)
    blob = mr.git("rev-parse", f"HEAD:{CASE}")
    signed = mr.sign_commit(message(CASE, blob, "approve"), "a", person(a))
    pushes = tmp_path / "pushes.json"
    pushes.write_text(
        json.dumps(
            [
                {
                    "id": 2,
                    "before": before,
                    "after": signed,
                    "ref": "refs/heads/mr",
                    "activity_type": "push",
                    "actor": {"login": a["github"], "id": 7},
                },
                {
                    "id": 1,
                    "before": "0" * 40,
                    "after": before,
                    "ref": "refs/heads/mr",
                    "activity_type": "branch_creation",
                    "actor": {"login": "clerk", "id": 8},
                },
            ]
        ),
        encoding="utf-8",
    )
    people = load_authors([pushes], [])
    verdict = review(Requested(Repo(mr.root), "main", "mr", [], people, AS_OF))
    need = outcome(verdict).needs[0]
    assert [why for _, why in need.excluded] == []
    assert verdict.mergeable


def test_deleting_a_code_file_can_be_approved(mr: GitRepo) -> None:
    """Deleting (or moving: renames are delete + add) any file under a signed rule can never
    be approved: ``hoso approve`` refuses a path absent at HEAD, and a signed approval's blob
    never equals the "no blob" of a deleted file."""
    from hoso.cli.main import main

    on_main(mr, "An old module", {"tooling/hoso/old.py": "OLD = 1\n"})
    text = mr.read("governance/committees.yaml")
    found = committees(text)["thu-nghiem.standing"]
    signers = serving(found)[:3]
    for member, key in zip(signers, ["s1", "s2", "s3"], strict=True):
        member["ssh_keys"] = [mr.public(key)]
    on_main(
        mr,
        "Signing keys",
        {"governance/committees.yaml": with_committees(text, {"thu-nghiem.standing": found})},
    )
    mr.commit("Remove the old module", {"tooling/hoso/old.py": None}, author=ATTACKER)
    for member, key in zip(signers, ["s1", "s2", "s3"], strict=True):
        mr.git("config", "user.name", member["name"])
        mr.git("config", "user.email", member["email"])
        approve = ["approve", "tooling/hoso/old.py", "--key", str(mr.key(key))]
        assert main([*approve, "--repo", str(mr.root)]) == 0
    assert gate(mr).mergeable


# ------------------------------------------------------------- 4. policy edge cases


def _org_policy(repo: GitRepo, require: str) -> None:
    policy = repo.read("governance/policy.yaml").replace(
        "  - committee: organisation\n    of: case_unit\n    count: 1\n", require
    )
    assert policy != repo.read("governance/policy.yaml")
    on_main(repo, "Another organisation requirement", {"governance/policy.yaml": policy})


def test_a_fraction_is_not_rounded_up_by_floating_point() -> None:
    """``fraction: 0.56`` of 25 serving members is exactly 14 people; ``ceil(0.56 * 25)`` is
    15 (14.000000000000002). Rare (0.28 and 0.56 of 25 below 100 members x 2 decimals), but a
    quorum must be exact."""
    from hoso.models.governance import Requirement
    from hoso.review.gate import needed_count

    assert needed_count(Requirement(committee="standing", of="case_unit", fraction=0.56), 25) == 14
    assert needed_count(Requirement(committee="standing", of="case_unit", fraction=0.28), 25) == 7


def test_count_and_fraction_together_both_hold(mr: GitRepo) -> None:
    """Both are "minimums" (số người tối thiểu, tỷ lệ tối thiểu); with both written, the gate
    silently takes the fraction and drops the count."""
    _org_policy(
        mr, "  - committee: organisation\n    of: case_unit\n    count: 3\n    fraction: 0.1\n"
    )
    first = serving(members(mr, "khe-lam.organisation"))[0]
    tip = add_step(mr)
    verdict = gate(mr, github([review_of(first["github"], "APPROVED", tip)], AS_OF))
    need = next(n for n in outcome(verdict).needs if n.committee == "khe-lam.organisation")
    assert need.needed >= 3
    assert not verdict.mergeable


# ------------------------------------------------------------- 5. hostile signatures


def _with_signature(repo: GitRepo, public: bytes, namespace: bytes = b"git") -> str:
    """HEAD rewritten to carry an SSHSIG (well-formed, not valid) whose key is ``public``."""
    import base64
    import struct

    def s(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b

    sig = b"SSHSIG" + struct.pack(">I", 1) + s(public) + s(namespace) + s(b"") + s(b"sha512")
    sig += s(s(b"ssh-foo") + s(b"x" * 64))
    armored = base64.b64encode(sig).decode()
    lines = ["-----BEGIN SSH SIGNATURE-----", armored, "-----END SSH SIGNATURE-----"]
    raw = repo.git("cat-file", "commit", "HEAD")
    headers, _, body = raw.partition("\n\n")
    signed = headers + "\ngpgsig " + "\n ".join(lines) + "\n\n" + body + "\n"
    sha = repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=signed)
    repo.git("reset", "-q", "--hard", sha)
    return sha


def _unknown_key() -> bytes:
    import struct

    def s(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b

    return s(b"ssh-foo") + s(b"x" * 32)


def test_gate_a_signature_with_an_unknown_key_type_does_not_crash(
    mr: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """``_verify`` catches ValueError and friends, not cryptography's UnsupportedAlgorithm,
    which ``load_ssh_public_key`` raises for a key type it does not know: anyone who can push
    a branch crashes the gate (exit 3, traceback) with one crafted commit."""
    from hoso.cli.main import main

    add_step(mr)
    _with_signature(mr, _unknown_key())
    code = main(["review", "--repo", str(mr.root), "--base", "main", "--head", "mr"])
    err = capsys.readouterr().err
    assert code in (0, 1), err[-400:]
    assert "Traceback" not in err


def test_audit_a_signature_with_an_unknown_key_type_does_not_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    repo = audited(tmp_path)
    repo.git("checkout", "-q", "-b", "mr2", "main")
    repo.commit("Correct", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")})
    _with_signature(repo, _unknown_key())
    repo.git("checkout", "-q", "main")
    forge_merge(repo, "Merge pull request #2 from mau/mr2", "mr2")
    code = main(["audit", "--repo", str(repo.root), "--no-cache"])
    err = capsys.readouterr().err
    assert code in (0, 1), err[-400:]
    assert "Traceback" not in err


def test_audit_a_checkpoint_with_an_unknown_key_type_does_not_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every audit verifies every ``hoso-checkpoint/*`` tag: one pushed tag crashes them all."""
    import base64
    import struct

    from hoso.cli.main import main

    def s(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b

    repo = audited(tmp_path)
    sig = b"SSHSIG" + struct.pack(">I", 1) + s(_unknown_key()) + s(b"git") + s(b"")
    sig += s(b"sha512") + s(s(b"ssh-foo") + s(b"x" * 64))
    body = (
        f"object {head(repo)}\ntype commit\ntag hoso-checkpoint/x\n"
        "tagger Kẻ Tấn Công <attacker@mau.invalid> 1790000000 +0700\n\ncheckpoint\n"
        "-----BEGIN SSH SIGNATURE-----\n"
        f"{base64.b64encode(sig).decode()}\n-----END SSH SIGNATURE-----\n"
    )
    tag = repo.git("mktag", input=body)
    repo.git("update-ref", "refs/tags/hoso-checkpoint/x", tag)
    code = main(["audit", "--repo", str(repo.root), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 1, err[-400:]
    assert "Traceback" not in err


# ------------------------------------------------------------- 6. laundering a tainted governance


def _signed_merge(
    repo: GitRepo,
    number: int,
    files: dict[str, str],
    signers: list[tuple[str, dict[str, Any]]],
    trailer: str = "",
) -> str:
    repo.git("checkout", "-q", "-b", f"mr{number}", "main")
    repo.commit(f"Change {number}", files, author=ATTACKER)
    for path in files:
        blob = repo.git("rev-parse", f"HEAD:{path}")
        for key, member in signers:
            repo.sign_commit(message(path, blob, "approve"), key, person(member))
    repo.git("checkout", "-q", "main")
    return forge_merge(
        repo, f"Merge pull request #{number} from mau/mr{number}\n{trailer}", f"mr{number}"
    )


def test_audit_a_tainted_governance_cannot_approve_its_own_laundering(tmp_path: Path) -> None:
    """A governance change that reached main without approval taints what is judged under it,
    but ``taint`` is cleared by the next governance merge that is "approved" — judged under
    the tainted governance itself, by the people it added. After that, every change the
    invented members approve is clean; with ``--since`` after the first push, the whole
    abuse is invisible. (Code-only merges are never flagged as tainted either.)"""
    repo = audited(tmp_path)
    text = repo.read("governance/committees.yaml")
    standing = committees(text)["thu-nghiem.standing"]
    org = committees(text)["khe-lam.organisation"]
    fakes = []
    for n in range(3):
        fake = {
            "name": f"Người Bịa {n}",
            "role": "member",
            "party_card": f"7777777{n}",
            "term_from": date(2026, 1, 1),
            "email": f"fake{n}@mau.invalid",
            "ssh_keys": [repo.public(f"fake{n}")],
        }
        standing["members"].append(fake)
        fakes.append((f"fake{n}", fake))
    org["members"].append(fakes[0][1])
    widened = with_committees(text, {"thu-nghiem.standing": standing, "khe-lam.organisation": org})
    pushed = repo.commit("Members", {"governance/committees.yaml": widened}, author=ATTACKER)
    # A governance merge signed by the invented members: judged under their own governance.
    settings = repo.read("governance/settings.yaml") + "# ghi chú\n"
    launder = _signed_merge(repo, 2, {"governance/settings.yaml": settings}, fakes)
    # Then a step recorded, approved by an invented organisation member.
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    stepped = repo.read(CASE)
    repo.git("checkout", "-q", "--", CASE)
    later = _signed_merge(repo, 3, {CASE: stepped}, [fakes[0]])
    found = audit_rules(repo)
    assert ("history.direct_push", pushed) in found
    flagged = {commit for _, commit in found}
    assert launder in flagged, found
    assert later in flagged, found


# ------------------------------------------------------------- 7. rejections that vanish


def test_a_signed_rejection_dropped_by_a_force_push_still_stands(
    mr: GitRepo, tmp_path: Path
) -> None:
    """A signed ``hoso approve --reject`` lives only in the branch: whoever can push the
    branch drops it with a force-push, and the gate never knew it. The workflow already
    hands the gate GitHub's push activity, whose force-push entry names the commit that held
    the rejection (here still in the clone): the rejection must still block."""
    import json

    a, b = give_keys(mr, "khe-lam.organisation", ["a", "b"])
    policy = mr.read("governance/policy.yaml").replace(
        "    of: case_unit\n    count: 1", "    of: case_unit\n    count: 1\n    assurance: signed"
    )
    on_main(mr, "Signed organisation approvals", {"governance/policy.yaml": policy})
    stepped = add_step(mr)
    blob = mr.git("rev-parse", f"HEAD:{CASE}")
    rejected = mr.sign_commit(message(CASE, blob, "reject"), "b", person(b))
    # The clerk drops the rejection and force-pushes; a signs the same content.
    mr.git("reset", "-q", "--hard", stepped)
    approved = mr.sign_commit(message(CASE, blob, "approve"), "a", person(a))
    pushes = tmp_path / "pushes.json"
    pushes.write_text(
        json.dumps(
            [
                {"id": 3, "before": stepped, "after": approved, "ref": "refs/heads/mr",
                 "activity_type": "push", "actor": {"login": "signer-a", "id": 11}},
                {"id": 2, "before": rejected, "after": stepped, "ref": "refs/heads/mr",
                 "activity_type": "force_push", "actor": {"login": "clerk", "id": 8}},
                {"id": 1, "before": stepped, "after": rejected, "ref": "refs/heads/mr",
                 "activity_type": "push", "actor": {"login": "signer-b", "id": 12}},
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    people = load_authors([pushes], [])
    verdict = review(Requested(Repo(mr.root), "main", "mr", [], people, AS_OF))
    need = next(n for n in outcome(verdict).needs if n.committee == "khe-lam.organisation")
    assert [m.name for m, _ in need.rejections] == [b["name"]]
    assert not verdict.mergeable


# ------------------------------------------------------------- 8. history the audit takes on trust


def test_audit_a_history_replaced_by_one_root_commit_is_not_clean(tmp_path: Path) -> None:
    """A root commit is never judged: a main force-pushed to one fresh root holding every
    record (and code) audits as "1 commit, 0 findings" in any fresh clone."""
    repo = make_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "--orphan", "fresh")
    repo.commit("Everything", {CASE: GOOD, "tooling/hoso/review/gate.py": "MERGEABLE = True\n"})
    repo.git("branch", "-q", "-f", "main", "fresh")
    repo.git("checkout", "-q", "main")
    index, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    assert index.count == 1
    assert found != []


def test_audit_a_tampered_index_cannot_hide_a_finding(tmp_path: Path) -> None:
    """The index in ``.git/hoso`` is a pickle trusted as it is: anyone who can write the
    working copy an auditor runs in (a shared office server, a copied folder) empties its
    findings, and the next audit of the same tip reports "clean" (or runs their code: it is
    a pickle)."""
    import pickle

    from hoso.audit.index import cache_path

    repo = audited(tmp_path)
    pushed = repo.commit(
        "Quietly", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")}
    )
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert ("history.direct_push", pushed) in [(f.rule, f.commit) for f in found]
    path = cache_path(repo.root, "main")
    raw = path.read_bytes()
    head, data = raw[:40], raw[40:]  # the magic and the seal, then the pickle
    state = pickle.loads(data)
    state["findings"] = []
    path.write_bytes(head + pickle.dumps(state))  # the old seal no longer fits
    _, again = audit(Repo(repo.root), "main", today=AS_OF)
    assert ("history.direct_push", pushed) in [(f.rule, f.commit) for f in again]


# ------------------------------------------------------------- 9. judged vs merged


def test_gate_criss_cross_merge_cannot_undo_a_step_unseen(mr: GitRepo) -> None:
    """The gate judges ``merge-base..head`` with one merge base. In a criss-cross history (two
    merge bases) the real merge uses their virtual merge, so a branch can revert a step that
    is on main while the gate's diff shows nothing for that record. The guide asks the forge
    to require branches up to date with main; the gate itself does not check it."""
    mr.git("checkout", "-q", "main")
    mr.git("branch", "-q", "-D", "mr")
    root = head(mr)
    mr.git("checkout", "-q", "-b", "b2", root)
    editing.record_step(mr.root, mr.root / CASE, APPRAISED, AS_OF)
    mr.git("add", CASE)
    b2 = mr.commit("Record the appraisal (approved)")
    mr.git("checkout", "-q", "-b", "b1", root)
    other = "cases/khe-lam/admission/KN-2024-other1.yaml"
    mr.write(other, GOOD.replace("KN-2024-test01", "KN-2024-other1"))
    mr.git("add", other)
    later = {"GIT_COMMITTER_DATE": "2030-01-01T00:00:00+07:00"}  # git reports the newer base
    mr.git("commit", "-q", "-m", "Unrelated case", env=later)
    b1 = head(mr)
    # main = merge(b1, b2): the step is on main.
    mr.git("checkout", "-q", "main")
    mr.git("reset", "-q", "--hard", b1)
    mr.git("merge", "-q", "--no-ff", "-m", "Merge b2", b2)
    # mr = merge(b2, b1), resolved to drop the step.
    mr.git("checkout", "-q", "-b", "mr", b2)
    mr.git("merge", "-q", "--no-ff", "--no-commit", b1)
    mr.write(CASE, GOOD)
    mr.git("add", CASE)
    mr.git("commit", "-q", "-m", "Merge b1", author=ATTACKER)
    bases = mr.git("merge-base", "--all", "main", "mr").split()
    assert sorted(bases) == sorted([b1, b2])
    # What merging mr into main would do to the record:
    mr.git("checkout", "-q", "-b", "result", "main")
    mr.git("merge", "-q", "--no-ff", "-m", "Merge mr", "mr")
    assert mr.read(CASE) == GOOD  # the step is gone
    mr.git("checkout", "-q", "mr")
    verdict = gate(mr)
    paths = [o.change.path for o in verdict.outcomes]
    assert CASE in paths or not verdict.mergeable, paths


# ------------------------------------------------------------- 10. gitlinks


GITLINK = "cases/khe-lam/admission/KN-2024-sub001.yaml"


def _add_gitlink(repo: GitRepo) -> str:
    """A submodule entry (mode 160000) under cases/, pointing at a commit of another
    repository (absent here, as submodule commits always are)."""
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'ab' * 20},{GITLINK}")
    repo.git("commit", "-q", "-m", "A submodule where a record goes", author=ATTACKER)
    return head(repo)


def test_gate_a_gitlink_under_cases_is_refused_not_a_broken_repository(
    mr: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gate reads the "blob" of every changed record path; a gitlink's id is a commit of
    another repository, so the gate stops with exit 3 "kho thiếu hoặc hỏng đối tượng" — a
    broken-repository error for a perfectly sound repository and a bad merge request."""
    from hoso.cli.main import main

    _add_gitlink(mr)
    code = main(["review", "--repo", str(mr.root), "--base", "main", "--head", "mr"])
    err = capsys.readouterr().err
    assert code == 1, err[-400:]


def test_audit_a_gitlink_pushed_under_cases_is_a_finding_not_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pushed straight to main, the same entry makes every later audit stop with exit 3
    instead of reporting the push."""
    from hoso.cli.main import main

    repo = audited(tmp_path)
    _add_gitlink(repo)
    code = main(["audit", "--repo", str(repo.root), "--no-cache"])
    err = capsys.readouterr().err
    assert code == 1, err[-400:]


# ------------------------------------------------------------- 11. the subject, unnamed


def test_a_member_cannot_approve_a_case_about_themselves_without_a_card(mr: GitRepo) -> None:
    """The subject is recognised only by ``subject.party_card``, which the model leaves
    optional even for an official member. A discipline case about a serving organisation
    member, written without the card (same name), is approved by that member."""
    example = EXAMPLES / "valid" / "boundary-discipline-just-over-half.yaml"
    text = example.read_text(encoding="utf-8")
    path = text.splitlines()[0].removeprefix("# place: ").strip()
    member = serving(members(mr, "ban-mo.organisation"))[0]
    text = text.replace("  party_card: '30127893'\n", "").replace("Quàng Hữu Dính", member["name"])
    tip = mr.commit("A discipline case", {path: text}, author=ATTACKER)
    verdict = gate(mr, github([review_of(member["github"], "APPROVED", tip)], AS_OF))
    result = outcome(verdict, path)
    assert result.errors == [], result.errors  # the record itself is valid
    assert not verdict.mergeable, [
        (n.committee, [m.name for m, _ in n.counted]) for n in result.needs
    ]


# ------------------------------------------------------------- 12. the reader's own git config


def test_gate_reads_history_whatever_log_show_signature_says(
    mr: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """``log.showSignature=true`` (a common setting for people who care about signatures)
    makes ``git log --format`` print the verification result into standard output; the gate
    parses it as part of a commit id and calls the repository broken (exit 3)."""
    from hoso.cli.main import main

    (member,) = give_keys(mr, "khe-lam.organisation", ["a"])
    add_step(mr)
    blob = mr.git("rev-parse", f"HEAD:{CASE}")
    mr.sign_commit(message(CASE, blob, "approve"), "a", person(member))
    mr.git("config", "log.showSignature", "true")
    code = main(["review", "--repo", str(mr.root), "--base", "main", "--head", "mr"])
    err = capsys.readouterr().err
    assert code == 0, err[-400:]  # the member's signed approval meets the rule
