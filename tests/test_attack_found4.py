"""What a fourth attack found in the third round's fixes: a lighter form set on appeal that
shed the expulsion rule (and a member's own proposed form that asked for it too early), names
written with other tone marks or look-alike letters, cards that are no cards, an object
rewritten on disk, the clone's fsmonitor run by the audit, and a long merge message taken for
an unsigned merge."""

from __future__ import annotations

import stat
import zlib
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from gatekit import CASE, GOOD, members, outcome
from gitrepo import FORGE, committees, make_repo, serving, with_committees
from hoso.audit.run import audit
from hoso.git import BrokenRepository, Repo
from test_attack_found3 import EXPEL, EXPEL_TEXT, _a_step_on_mr, _gate, _governance_rules
from test_audit_attacks import make, merged, org, rules, trailers

ANSWER = (
    "- date: 2023-06-20\n  state: appeal_answered\n  body: thu-nghiem.inspection\n"
    "  outcome: {outcome}\n{form}  document:\n    number: 5-QĐ/UBKTTU\n    date: 2023-06-20\n"
    "    issuer: thu-nghiem.inspection\n"
)


def _needs(tmp_path: Path, path: str, base: str, head_text: str) -> set[str]:
    repo = make_repo(tmp_path / "repo")
    repo.commit("Base", {path: base})
    repo.git("checkout", "-q", "-b", "mr")
    head = repo.commit("Change", {path: head_text})
    one = serving(members(repo, "ban-mo.organisation"))[:1]
    found = outcome(_gate(repo, one, head), path)
    assert not found.errors
    return {n.rule for n in found.needs}


@pytest.mark.parametrize(
    ("appealed_form", "outcome_", "answer_form"),
    [("", "changed", "warning"), ("  form: reprimand\n", "annulled", "")],
)
def test_an_appeal_answer_on_an_expulsion_needs_the_expulsion_rule_whatever_form_it_sets(
    tmp_path: Path, appealed_form: str, outcome_: str, answer_form: str
) -> None:
    """The appeal already on main; the answer alone in the merge request, changing the
    expulsion to a warning, or annulling it after an appeal that wrote a lighter form."""
    appealed = (
        f"- date: 2023-05-10\n  state: appealed\n  body: thu-nghiem.inspection\n{appealed_form}"
    )
    form = f"  form: {answer_form}\n" if answer_form else ""
    answer = ANSWER.format(outcome=outcome_, form=form)
    base = EXPEL_TEXT.replace("status: decided", "status: appealed") + appealed
    head = EXPEL_TEXT.replace("status: decided", "status: appeal_answered") + appealed + answer
    assert "expulsion" in _needs(tmp_path, EXPEL, base, head)


def test_an_appeal_against_a_dissolution_needs_the_dissolution_rule(tmp_path: Path) -> None:
    path = "cases/ban-mo/org_discipline/TC-2023-ok0002.yaml"
    text = (EXAMPLES / "valid" / "boundary-org-discipline-district-dissolves.yaml").read_text(
        encoding="utf-8"
    )
    # The district's standing committee dissolved: the appeal goes to the province.
    appealed = (
        "- date: 2023-04-20\n  state: appealed\n  body: thu-nghiem.inspection\n  form: warning\n"
    )
    answered = (
        "- date: 2023-06-20\n  state: appeal_answered\n  body: thu-nghiem.inspection\n"
        "  outcome: annulled\n  document:\n    number: 5-QĐ/HU\n    date: 2023-06-20\n"
        "    issuer: thu-nghiem.inspection\n"
    )
    base = text.replace("status: announced", "status: appealed") + appealed
    head = text.replace("status: announced", "status: appeal_answered") + appealed + answered
    assert "dissolution" in _needs(tmp_path, path, base, head)


def test_a_members_own_proposed_form_asks_nothing_of_the_cells_conclusion(tmp_path: Path) -> None:
    head = EXPEL_TEXT.split("- date: 2023-04-03")[0].replace(
        "status: decided", "status: cell_concluded"
    )
    base = head.split("- date: 2023-03-20")[0].replace("status: cell_concluded", "status: opened")
    assert "expulsion" not in _needs(tmp_path, EXPEL, base, head)


@pytest.mark.parametrize(
    ("in_committee", "in_record"),
    [("Lò Thị Hòa", "Lò Thị Hoà"), ("Vì Văn Thủy", "Vì Văn Thuỷ"), ("Đỗ Văn Quý", "Ðỗ Văn Quý")],
)
def test_a_namesake_written_another_way_is_set_aside(
    tmp_path: Path, in_committee: str, in_record: str
) -> None:
    """Tone marks placed the old or the new way, a look-alike Ð for Đ, and a card one digit
    off in the record: still possibly the subject."""
    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    found = committees(text)["ban-mo.organisation"]
    me = serving(found)[0]
    me["name"] = in_committee
    changed = with_committees(text, {"ban-mo.organisation": found})
    repo.commit("Rename", {"governance/committees.yaml": changed})
    card = str(me["party_card"])
    typo = card[:-1] + str((int(card[-1]) + 1) % 10)
    case = EXPEL_TEXT.replace("name: Quàng Hữu Dính", f"name: {in_record}")
    case = case.replace("party_card: '30127893'", f"party_card: '{typo}'")
    repo.commit("Case", {EXPEL: case})
    repo.git("checkout", "-q", "-b", "mr")
    step = "- date: 2023-04-28\n  state: announced\n  body: ban-mo-x02-cb3\n"
    head = repo.commit(
        "Announce", {EXPEL: case.replace("status: decided", "status: announced") + step}
    )
    needs = outcome(_gate(repo, [me], head), EXPEL).needs
    assert not next(n for n in needs if n.rule == "any-case").counted


@pytest.mark.parametrize(
    ("cards", "names"),
    [(("-", "-"), None), ((None, None), ("Lò Thị Hòa", "Lò Thị Hoà")), (("-", None), None)],
)
def test_one_person_listed_twice_without_a_real_card_is_a_governance_error(
    tmp_path: Path, cards: tuple[str | None, str | None], names: tuple[str, str] | None
) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.commit("Case", {CASE: GOOD})
    text = repo.read("governance/committees.yaml")
    found = committees(text)["khe-lam.organisation"]
    first = serving(found)[0]
    again: dict[str, Any] = {k: v for k, v in first.items() if k != "party_card"}
    again.update(github="second-account", gitlab="second-account", email="second@mau.invalid")
    for entry, card in zip((first, again), cards, strict=True):
        entry.pop("party_card", None)
        if card is not None:
            entry["party_card"] = card
    if names:
        first["name"], again["name"] = names
    found["members"].append(again)
    changed = with_committees(text, {"khe-lam.organisation": found})
    repo.commit("Listed twice", {"governance/committees.yaml": changed})
    assert "governance.identity" in _governance_rules(repo)
    assert not _gate(repo, [first, again], _a_step_on_mr(repo)).mergeable


def test_an_object_rewritten_on_disk_stops_the_audit(tmp_path: Path) -> None:
    """git reads an object without checking its bytes against its id: the audit does."""
    repo = make(tmp_path)
    merged(repo, 1, {CASE: GOOD}, trailers(org(repo)[0]))
    other = CASE.replace("test01", "test02")
    bad = GOOD.replace("test01", "test02").replace("status: cell_voted", "status: decided")
    second = merged(repo, 2, {other: bad}, trailers(org(repo)[0]))
    before = rules(repo)
    assert "history.invalid_change" in before
    blob = repo.git("rev-parse", f"{second}:{other}")
    loose = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    data = GOOD.replace("test01", "test02").encode()
    loose.chmod(0o644)
    loose.write_bytes(zlib.compress(b"blob %d\x00" % len(data) + data))
    with pytest.raises(BrokenRepository, match="không khớp với mã của chính nó"):
        audit(Repo(repo.root), "main", use_cache=False)


def test_the_clones_fsmonitor_is_never_run(tmp_path: Path) -> None:
    repo = make(tmp_path)
    merged(repo, 1, {CASE: GOOD}, trailers(org(repo)[0]))
    ran = tmp_path / "ran"
    script = tmp_path / "monitor"
    script.write_text(f"#!/bin/sh\ntouch {ran}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    repo.git("config", "core.fsmonitor", str(script))
    rules(repo)
    assert not ran.exists()


def test_a_signed_merge_with_a_long_message_is_the_forges(tmp_path: Path) -> None:
    """Over 1 MiB of description: still read whole, still signed, its approvals counted."""
    repo = make(tmp_path)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Change 1", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    body = "Mô tả dài của yêu cầu hợp nhất.\n" * 30_000
    message = repo.root.parent / "message.txt"
    message.write_text(
        f"Merge branch 'mr1' into 'main'\n\n{body}\n{trailers(org(repo)[0]).strip()}\n"
    )
    key = f"user.signingkey={repo.key(FORGE)}"
    repo.git(
        "-c", "gpg.format=ssh", "-c", key, "merge", "-q", "--no-ff", "-S", "-F", str(message),
        "mr1", author=("GitLab", "gitlab@mau.invalid"),
    )  # fmt: skip
    assert rules(repo) == []


def test_codeowners_is_not_written_from_a_broken_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    repo = make_repo(tmp_path / "repo")
    owners = repo.root / ".github" / "CODEOWNERS"
    before = owners.read_bytes() if owners.exists() else None
    (repo.root / "governance" / "policy.yaml").write_text("rules: [\n", encoding="utf-8")
    assert main(["codeowners", "--repo", str(repo.root)]) == 1
    assert "governance/policy.yaml" in capsys.readouterr().err
    assert (owners.read_bytes() if owners.exists() else None) == before
