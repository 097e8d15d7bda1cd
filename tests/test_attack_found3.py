"""What a third attack on the gate and the audit found: a declared conflict bypassed by how a
card is written, an expulsion annulled on one unsigned approval, a clone's own config choosing
the program that checks the forge's signature, a commit-graph that hides a direct push, one
person listed twice counting twice, a namesake approving their own case."""

from __future__ import annotations

import shutil
import stat
import struct
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES
from gatekit import CASE, GOOD, members, outcome
from gitrepo import GitRepo, committees, forge_merge, make_repo, serving, with_committees
from hoso import editing
from hoso.git import Repo
from hoso.review.approvals import ForgeAuthors, github
from hoso.review.gate import Requested, Verdict, review
from hoso.validate.governance_files import load_governance
from test_audit_attacks import _gpg_key, make, merged, org, rules, trailers

EXPEL = "cases/ban-mo/discipline/KL-2023-hu1kt1.yaml"
EXPEL_TEXT = (EXAMPLES / "valid" / "boundary-competence-district-expels-own-cadre.yaml").read_text(
    encoding="utf-8"
)
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}


def _gate(repo: GitRepo, people: list[dict[str, Any]], head: str) -> Verdict:
    reviews = [
        {
            "id": n,
            "user": {"login": m["github"]},
            "state": "APPROVED",
            "commit_id": head,
            "submitted_at": "2026-11-25T10:00:00Z",
        }
        for n, m in enumerate(people, 1)
    ]
    requested = Requested(
        Repo(repo.root), "main", "mr", github(reviews, AS_OF), ForgeAuthors(), AS_OF
    )
    return review(requested)


def _a_step_on_mr(repo: GitRepo) -> str:
    repo.git("checkout", "-q", "-b", "mr")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    return repo.commit("Step")


def _governance_rules(repo: GitRepo) -> list[str]:
    return [p.rule for p in load_governance(repo.root)[1]]


@pytest.mark.parametrize("written", ["{card}", "{card} ", "{a} {b}", "{a}.{b}", "{wide}"])
def test_a_declared_conflict_holds_however_the_card_is_written(
    tmp_path: Path, written: str
) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.commit("Case", {CASE: GOOD})
    member = serving(members(repo, "khe-lam.organisation"))[0]
    card = str(member["party_card"])
    wide = "".join(chr(ord(c) + 0xFEE0) for c in card)
    shown = written.format(card=card, a=card[:4], b=card[4:], wide=wide)
    policy = repo.read("governance/policy.yaml").replace(
        "conflicts: []",
        f"conflicts:\n- party_card: '{shown}'\n  cases:\n  - KN-2024-test01\n  reason: con đẻ",
    )
    repo.commit("Declare a conflict", {"governance/policy.yaml": policy})
    assert _governance_rules(repo) == []
    verdict = _gate(repo, [member], _a_step_on_mr(repo))
    assert not verdict.mergeable
    assert any(
        "xung đột lợi ích đã khai báo" in why for _, why in outcome(verdict).needs[0].excluded
    )


def test_a_declared_conflict_whose_card_is_no_members_is_a_governance_error(
    tmp_path: Path,
) -> None:
    """A mistyped card bars nobody: said, and while it stands nothing merges."""
    repo = make_repo(tmp_path / "repo")
    policy = repo.read("governance/policy.yaml").replace(
        "conflicts: []",
        "conflicts:\n- party_card: '99999999'\n  cases:\n  - KN-2024-test01\n  reason: con đẻ",
    )
    repo.commit("Declare a conflict", {"governance/policy.yaml": policy})
    found = [p for p in load_governance(repo.root)[1] if p.rule == "governance.conflict"]
    assert [(p.file, p.field) for p in found] == [
        ("governance/policy.yaml", "conflicts[0].party_card")
    ]


def test_overturning_an_expulsion_on_appeal_needs_what_the_expulsion_needs(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.commit("Expulsion decided", {EXPEL: EXPEL_TEXT})
    repo.git("checkout", "-q", "-b", "mr")
    text = EXPEL_TEXT.replace("status: decided", "status: appeal_answered") + (
        "- date: 2023-05-10\n  state: appealed\n  body: thu-nghiem.inspection\n"
        "- date: 2023-06-20\n  state: appeal_answered\n  body: thu-nghiem.inspection\n"
        "  outcome: annulled\n  document:\n    number: 5-QĐ/UBKTTU\n    date: 2023-06-20\n"
        "    issuer: thu-nghiem.inspection\n"
    )
    head = repo.commit("Appeal answered: expulsion annulled", {EXPEL: text})
    one = serving(members(repo, "ban-mo.organisation"))[:1]
    verdict = _gate(repo, one, head)
    found = outcome(verdict, EXPEL)
    assert not found.errors
    assert "expulsion" in {n.rule for n in found.needs}
    assert not verdict.mergeable


def test_answering_a_complaint_about_a_removal_needs_the_standing_committee() -> None:
    from hoso.governance import Governance
    from hoso.review.changes import Change, Touched
    from hoso.review.requirements import requirements

    governance = load_governance(Path(__file__).resolve().parents[1])[0]
    assert isinstance(governance, Governance) and governance.policy is not None
    change = Change(
        "cases/ban-mo/screening/SL-2024-abcdef.yaml", "record", new={"kind": "screening"}
    )
    change.touched = [Touched("complaint_lodged", "complaint_answered", ())]
    found, _ = requirements(change, governance.policy, governance)
    assert "removal" in {rule.id for rule, _ in found if rule is not None}


@pytest.mark.skipif(shutil.which("gpg") is None, reason="needs gpg")
def test_a_clones_own_gpg_program_cannot_sign_for_the_forge(tmp_path: Path) -> None:
    repo = make(tmp_path, forge=False)
    fingerprint, armored = _gpg_key(tmp_path / "gpg-forge", "web-flow")
    indented = "\n".join(f"    {line}" if line else "" for line in armored.splitlines())
    settings = repo.read("governance/settings.yaml")
    settings += f"forge_keys:\n- forge: github\n  format: openpgp\n  key: |\n{indented}\n"
    repo.write("governance/settings.yaml", settings)
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance with the forge's key")
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    tree = repo.git("rev-parse", "mr1^{tree}")
    message = f"Merge pull request #1\n\nHoso-Approved-By: github:{org(repo)[0]['github']}"
    made = repo.git("commit-tree", tree, "-p", "main", "-p", "mr1", "-m", message)
    head, _, body = repo.git("cat-file", "commit", made).partition("\n\n")
    fake = (
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    )
    forged = f"{head}\n{fake}\n\n{body}\n"
    repo.git(
        "reset",
        "-q",
        "--hard",
        repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=forged),
    )
    before = rules(repo)
    assert "history.unsigned_merge" in before
    script = tmp_path / "fakegpg"
    script.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        "echo '[GNUPG:] GOODSIG 0000000000000000 web-flow'\n"
        f"echo '[GNUPG:] VALIDSIG {fingerprint} 2026-01-01 0 4 0 1 10 00 {fingerprint}'\n"
        "exit 0\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    for key in ("gpg.program", "gpg.openpgp.program"):
        repo.git("config", key, str(script))
    assert rules(repo) == before


def _lie_about_first_parent(git_dir: Path, commit: str, parent: str) -> None:
    """Make ``.git/objects/info/commit-graph`` say ``commit``'s first parent is ``parent``."""
    path = git_dir / "objects" / "info" / "commit-graph"
    data = bytearray(path.read_bytes())
    assert data[:4] == b"CGPH"
    table = {}
    for n in range(data[6] + 1):
        chunk, offset = struct.unpack(">4sQ", data[8 + 12 * n : 20 + 12 * n])
        table[chunk] = offset
    oidl, cdat = table[b"OIDL"], table[b"CDAT"]
    ids = [
        bytes(data[oidl + 20 * k : oidl + 20 * k + 20]).hex() for k in range((cdat - oidl) // 20)
    ]
    at = cdat + 36 * ids.index(commit) + 20
    data[at : at + 4] = struct.pack(">I", ids.index(parent))
    path.chmod(0o644)
    path.write_bytes(bytes(data))


def test_a_commit_graph_that_lies_hides_no_direct_push(tmp_path: Path) -> None:
    repo = make(tmp_path)
    first = merged(repo, 1, {CASE: GOOD}, trailers(org(repo)[0]))
    repo.git("checkout", "-q", "-b", "mr2", "main")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    repo.commit("Step")
    repo.git("checkout", "-q", "main")
    other = CASE.replace("test01", "test02")
    repo.commit("Pushed straight", {other: GOOD.replace("test01", "test02")})
    second = forge_merge(
        repo, f"Merge pull request #2 from mau/mr2\n{trailers(org(repo)[0])}", "mr2"
    )
    before = rules(repo)
    assert "history.direct_push" in before
    repo.git("commit-graph", "write", "--reachable")
    _lie_about_first_parent(repo.root / ".git", second, first)
    assert first in repo.git("rev-list", "--first-parent", "-n", "2", "main")  # git believes it
    assert rules(repo) == before


@pytest.mark.parametrize("card", [None, "spaced"])
def test_one_person_listed_twice_counts_once_or_is_a_governance_error(
    tmp_path: Path, card: str | None
) -> None:
    """Listed again under other accounts: with the card written another way, one person; with
    no card on one entry, a governance error (only cards tell namesakes apart), so nothing
    merges while it stands."""
    repo = make_repo(tmp_path / "repo")
    repo.commit("Case", {CASE: GOOD})
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    first = serving(found)[0]
    again = {k: v for k, v in first.items() if k != "party_card"}
    if card:
        number = str(first["party_card"])
        again["party_card"] = f"{number[:4]} {number[4:]}"
    again.update(github="second-account", gitlab="second-account", email="second@mau.invalid")
    found["members"].append(again)
    policy = repo.read("governance/policy.yaml").replace(
        "    of: case_unit\n    count: 1", "    of: case_unit\n    count: 2"
    )
    changed = with_committees(text, {"khe-lam.organisation": found})
    repo.commit(
        "Listed twice", {"governance/committees.yaml": changed, "governance/policy.yaml": policy}
    )
    said = _governance_rules(repo)
    verdict = _gate(repo, [first, again], _a_step_on_mr(repo))
    assert not verdict.mergeable
    if card:
        assert said == [] and len(outcome(verdict).needs[0].counted) == 1
    else:
        assert said == ["governance.identity"]


def test_a_namesake_of_the_subject_with_another_card_is_set_aside(tmp_path: Path) -> None:
    """A card mistyped by one digit in the record must not let its subject approve the case."""
    repo = make_repo(tmp_path / "repo")
    me = serving(members(repo, "ban-mo.organisation"))[0]
    card = str(me["party_card"])
    typo = card[:-1] + str((int(card[-1]) + 1) % 10)
    text = EXPEL_TEXT.replace("name: Quàng Hữu Dính", f"name: {me['name']}")
    text = text.replace("party_card: '30127893'", f"party_card: '{typo}'")
    assert typo in text and me["name"] in text
    repo.commit("Case", {EXPEL: text})
    repo.git("checkout", "-q", "-b", "mr")
    step = "- date: 2023-04-28\n  state: announced\n  body: ban-mo-x02-cb3\n"
    head = repo.commit(
        "Announce", {EXPEL: text.replace("status: decided", "status: announced") + step}
    )
    verdict = _gate(repo, [me], head)
    found = outcome(verdict, EXPEL)
    assert not verdict.mergeable
    assert any("họ tên trùng" in why for n in found.needs for _, why in n.excluded)


def test_the_report_names_the_first_commit_and_says_another_history(
    repo_with_history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh clone trusts the history's own first commit: the report names it, and an
    auditor who knows it from elsewhere is told when a history starts anywhere else."""
    from hoso.cli.main import main

    first = _first_commit(repo_with_history)
    for cache in ("--no-cache", None):  # read whole, then from the kept segments
        args = ["audit", "--repo", str(repo_with_history), "--quiet", *([cache] if cache else [])]
        main(args)
        assert f"Gốc lịch sử (commit đầu tiên trên nhánh chính): {first}" in capsys.readouterr().out
        main([*args, "--expect-root", first])
        assert "history.root_unexpected" not in capsys.readouterr().out
    main(
        [
            "audit",
            "--repo",
            str(repo_with_history),
            "--quiet",
            "--format",
            "csv",
            "--expect-root",
            "0" * 40,
        ]
    )
    assert "history.root_unexpected" in capsys.readouterr().out
    # A prefix is refused: one of 7 or 10 digits could be matched by a history made up for it.
    args = ["audit", "--repo", str(repo_with_history), "--quiet", "--expect-root", first[:10]]
    assert main(args) == 2


def _first_commit(root: Path) -> str:
    done = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "main"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def repo_with_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hoso.sample.history import generate_history

    root = tmp_path_factory.mktemp("rooted") / "h"
    generate_history(root, 6, 3)
    return root


@pytest.mark.skipif(shutil.which("gpg") is None, reason="needs gpg")
def test_an_openpgp_fingerprint_is_the_one_gpg_prints(tmp_path: Path) -> None:
    from hoso.signatures import openpgp_fingerprint

    fingerprint, armored = _gpg_key(tmp_path / "gpg", "web-flow")
    assert openpgp_fingerprint(armored) == fingerprint.upper()
    assert openpgp_fingerprint("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64\n") is None


def test_the_auditors_page_names_the_first_commit(repo_with_history: Path) -> None:
    from hoso.site.pages import render_all

    first = _first_commit(repo_with_history)
    page = render_all(repo_with_history, "audit")[1]["kiem-toan.md"]
    assert f"- Gốc lịch sử (commit đầu tiên trên nhánh chính): {first}\n" in page
