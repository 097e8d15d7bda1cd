"""Attacks on the approval gate and the audit, sixth round: each succeeded against the code as
it stood, and each test asserts the secure behaviour, so it fails while the attack works."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AS_OF
from gatekit import give_keys, head, outcome
from gitrepo import GitRepo, committees, make_repo, serving, with_committees
from hoso import editing
from hoso.audit.run import audit
from hoso.git import Repo
from hoso.review import render
from hoso.review.approvals import github, gitlab
from test_attack_found import APPRAISED, CASE, GOOD, gate, review_of
from test_attack_found3 import EXPEL, EXPEL_TEXT, _gate
from test_audit_attacks import make, merged, org, trailers
from test_gate_attacks import add_step, sign

CLERK = ("Cán bộ Văn thư", "clerk@mau.invalid")


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


@pytest.mark.parametrize(
    "in_record",
    [
        "L\u043e\u0300 Thị Hòa",  # a Cyrillic "о" under the grave accent
        "Lò Th\u0456\u0323 Hòa",  # a Cyrillic "і"
        "L\u03bf\u0300 Thị Hòa",  # a Greek omicron
        "Lò Thị Hòa\u00ad",  # a soft hyphen, which no one sees
        "Lò Thị\u034f Hòa",  # a combining grapheme joiner (combining class 0)
    ],
)
def test_the_subject_written_with_look_alike_letters_cannot_approve(
    tmp_path: Path, in_record: str
) -> None:
    """A case written without the subject's card is matched to a member by name: a name that
    looks the same on every screen but holds a Cyrillic or Greek letter, or an invisible
    character validation lets through, was another name, and the member approved their own
    discipline case."""
    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    found = committees(text)["ban-mo.organisation"]
    me = serving(found)[0]
    me["name"] = "Lò Thị Hòa"
    changed = with_committees(text, {"ban-mo.organisation": found})
    repo.commit("Rename", {"governance/committees.yaml": changed})
    case = EXPEL_TEXT.replace("name: Quàng Hữu Dính", f"name: {in_record}")
    case = case.replace("  party_card: '30127893'\n", "")
    repo.commit("Case", {EXPEL: case})
    repo.git("checkout", "-q", "-b", "mr")
    step = "- date: 2023-04-28\n  state: announced\n  body: ban-mo-x02-cb3\n"
    head = repo.commit(
        "Announce", {EXPEL: case.replace("status: decided", "status: announced") + step}
    )
    found_outcome = outcome(_gate(repo, [me], head), EXPEL)
    assert not found_outcome.errors  # the record is valid: only the name tells
    need = next(n for n in found_outcome.needs if n.rule == "any-case")
    assert not need.counted
    assert [why for _, why in need.excluded] == [
        "có thể là người được xem xét trong hồ sơ (họ tên trùng; hồ sơ không ghi số thẻ đảng viên)"
    ]


@pytest.mark.parametrize(
    ("in_record", "member"),
    [
        ("\u039dguyễn Văn An", "Nguyễn Văn An"),  # a Greek capital Nu, drawn as N
        ("Hoàng Thị \u03a5ến", "Hoàng Thị Yến"),  # a Greek capital Upsilon, drawn as Y
        ("\u03d2ến", "Yến"),  # the upsilon with hook symbol, NFKC's capital Upsilon
        ("\u041dà", "Hà"),  # a Cyrillic capital En, drawn as H
        ("\u0397à", "Hà"),  # a Greek capital Eta, drawn as H
        ("Lâ\u03b7", "Lân"),  # a Greek small eta, drawn as n
        ("\u039cai", "Mai"),  # a Greek capital Mu, drawn as M
        ("H\u03bcng", "Hưng".replace("ư", "u")),  # a Greek small mu, drawn as u
        ("Lò Thị\u3164 Hòa", "Lò Thị Hòa"),  # a Hangul filler, drawn as nothing
        ("Lò\u2800 Thị Hòa", "Lò Thị Hòa"),  # a blank Braille pattern
    ],
)
def test_a_capital_look_alike_is_read_as_the_latin_capital_it_looks_like(
    in_record: str, member: str
) -> None:
    """Casefolding first made a Greek capital Nu (drawn as N) the small nu (drawn as v), and
    a capital Upsilon (drawn as Y) the small upsilon (u): 'Nguyễn' written with it was
    another name, as the look-alike rule is meant to prevent."""
    from hoso.review.people import same_name

    assert same_name(in_record, member)


def test_a_gitlab_approval_does_not_answer_a_rejection_on_another_branch(mr: GitRepo) -> None:
    """GitLab's approval state gives no time: an approval there is known to be later only than
    a push to the merge request, which resets approvals. A member's approval on GitLab, given
    before they signed a rejection of the same change on another branch, answered it."""
    (b,) = give_keys(mr, "khe-lam.organisation", ["b"])
    add_step(mr)
    mr.git("checkout", "-q", "-b", "first-try")
    sign(mr, "b", b, "reject", at="2026-11-25T10:00:00+07:00")
    mr.git("checkout", "-q", "mr")
    forge = gitlab({"rules": [{"approved_by": [{"username": b["gitlab"]}]}]}, head(mr), AS_OF)
    verdict = gate(mr, forge)
    need = outcome(verdict).needs[0]
    assert [m.name for m, _ in need.rejections] == [b["name"]]
    assert not verdict.mergeable
    assert "ký phê duyệt bằng hoso approve" in render.text(verdict)
    # Their own signed approval after the rejection answers it.
    sign(mr, "b", b, at="2026-11-25T11:00:00+07:00")
    assert gate(mr, forge).mergeable


def test_a_rejection_on_another_branch_speaks_of_gitlab_only_when_gitlab_approved(
    mr: GitRepo,
) -> None:
    """The hint that a GitLab approval gives no time is for the member who approved on
    GitLab; with no forge approval at all (a GitHub repository, no forge), it is untrue."""
    (b,) = give_keys(mr, "khe-lam.organisation", ["b"])
    add_step(mr)
    mr.git("checkout", "-q", "-b", "first-try")
    sign(mr, "b", b, "reject", at="2026-11-25T10:00:00+07:00")
    mr.git("checkout", "-q", "mr")
    verdict = gate(mr, [])
    assert not verdict.mergeable
    said = render.text(verdict)
    assert f"{b['name']} yêu cầu sửa" in said
    assert "GitLab" not in said
