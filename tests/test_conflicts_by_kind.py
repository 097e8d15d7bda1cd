"""Who may not approve, whatever the kind of record: a member the ranking ranks, a member of the
organisation under discipline, and a conflict declared for a unit that the record names in its
``organisation`` (rankings and organisation discipline have no ``cell``). Found by an attack on
the gate: each of these was counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gitrepo import GitRepo, committees, make_repo, serving
from hoso.git import Repo
from hoso.review.approvals import ForgeAuthors, github
from hoso.review.gate import Requested, Verdict, review

TODAY = date(2026, 11, 26)
RANKING = "cases/khe-lam/ranking/XL-2025-rk0001.yaml"
ORG_CASE = "cases/khe-lam/org_discipline/TC-2026-own001.yaml"
OPENED = """id: TC-2026-own001
kind: org_discipline
unit: khe-lam
sample: true
organisation: {organisation}
violation:
  date: 2026-01-10
  summary: Buông lỏng lãnh đạo công tác kết nạp (dữ liệu mẫu).
  category: other
status: {status}
history:
- date: 2026-03-01
  state: opened
  body: thu-nghiem.inspection
"""
DISMISSED = """- date: 2026-04-01
  state: dismissed
  body: thu-nghiem.standing
  document:
    number: 12-QĐ/TU
    date: 2026-04-01
    issuer: thu-nghiem.standing
"""


def _members(repo: GitRepo, committee: str) -> list[dict[str, Any]]:
    return serving(committees(repo.read("governance/committees.yaml"))[committee])


def _review(login: str, commit: str, n: int) -> dict[str, Any]:
    return {
        "id": n,
        "user": {"login": login},
        "state": "APPROVED",
        "commit_id": commit,
        "submitted_at": "2026-11-25T10:00:00Z",
    }


def _judge(repo: GitRepo, people: list[dict[str, Any]], head: str) -> Verdict:
    reviews = [_review(m["github"], head, n) for n, m in enumerate(people, 1)]
    forge = github(reviews, TODAY)
    return review(Requested(Repo(repo.root), "main", "mr", forge, ForgeAuthors(), TODAY))


def _excluded(verdict: Verdict) -> list[str]:
    return [why for o in verdict.outcomes for n in o.needs for _, why in n.excluded]


def _ranking(ranked: dict[str, Any]) -> str:
    others = "".join(
        f"- name: Người Mẫu {i}\n  party_card: '6100{i:04d}'\n  cell: khe-lam-x02-cb1\n"
        "  level: good\n"
        for i in range(10)
    )
    return (
        "id: XL-2025-rk0001\nkind: ranking\nunit: khe-lam\nsample: true\n"
        "organisation: khe-lam-x02\nyear: 2025\ndocument:\n  number: 40-QĐ/ĐU\n"
        "  date: 2025-12-20\n  issuer: khe-lam-x02.executive\nmembers:\n"
        f"- name: {ranked['name']}\n  party_card: '{ranked['party_card']}'\n"
        "  cell: khe-lam-x02-cb1\n  level: excellent\n" + others
    )


def test_a_member_ranked_in_a_ranking_may_not_approve_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "mr")
    me = _members(repo, "khe-lam.organisation")[0]
    head = repo.commit("Xếp loại 2025", {RANKING: _ranking(me)})
    verdict = _judge(repo, [me], head)
    assert not verdict.mergeable
    assert any("người được đánh giá, xếp loại trong hồ sơ" in why for why in _excluded(verdict))


def test_members_of_the_organisation_under_discipline_may_not_approve(tmp_path: Path) -> None:
    """The district standing committee under discipline: its own members approving that it is
    not disciplined are not counted; the same change approved by others is."""
    repo = make_repo(tmp_path / "repo")
    opened = OPENED.format(organisation="khe-lam.standing", status="opened")
    repo.commit("Mở hồ sơ", {ORG_CASE: opened})
    repo.git("checkout", "-q", "-b", "mr")
    dismissed = OPENED.format(organisation="khe-lam.standing", status="dismissed") + DISMISSED
    head = repo.commit("Không kỷ luật", {ORG_CASE: dismissed})
    own = _members(repo, "khe-lam.standing")
    verdict = _judge(repo, [*own, _members(repo, "khe-lam.organisation")[0]], head)
    assert not verdict.mergeable
    said = _excluded(verdict)
    assert len([w for w in said if "tổ chức đảng bị xem xét kỷ luật" in w]) == len(own)


def test_a_unit_under_discipline_excludes_its_committees_members(tmp_path: Path) -> None:
    """An organisation named by its unit (the district's party organisation): the members of
    its committees are members of the organisation, the district standing committee's too."""
    repo = make_repo(tmp_path / "repo")
    repo.commit("Mở hồ sơ", {ORG_CASE: OPENED.format(organisation="khe-lam", status="opened")})
    repo.git("checkout", "-q", "-b", "mr")
    dismissed = OPENED.format(organisation="khe-lam", status="dismissed") + DISMISSED
    head = repo.commit("Không kỷ luật", {ORG_CASE: dismissed})
    own = _members(repo, "khe-lam.standing")
    verdict = _judge(repo, own, head)
    assert not verdict.mergeable
    said = _excluded(verdict)
    assert len([w for w in said if "tổ chức đảng bị xem xét kỷ luật" in w]) == len(own)


def _declare(
    repo: GitRepo, unit: str = "khe-lam-x02", reason: str = "vợ là bí thư đảng ủy xã khe-lam-x02"
) -> dict[str, Any]:
    """A conflict declared in policy.yaml for a district organisation commission member and
    ``unit``; then on the merge request's branch."""
    member = _members(repo, "khe-lam.organisation")[0]
    policy = repo.read("governance/policy.yaml").replace(
        "conflicts: []",
        f"conflicts:\n- party_card: '{member['party_card']}'\n  units:\n"
        f"  - {unit}\n  reason: {reason}",
    )
    assert policy != repo.read("governance/policy.yaml")
    repo.commit("Declare a conflict", {"governance/policy.yaml": policy})
    repo.git("checkout", "-q", "-b", "mr")
    return member


def test_a_conflict_declared_for_a_unit_holds_for_its_ranking(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    member = _declare(repo)
    head = repo.commit("Xếp loại", {RANKING: _ranking({"name": "Lò Văn Ngoài", "party_card": "7"})})
    verdict = _judge(repo, [member], head)
    assert not verdict.mergeable
    assert any("xung đột lợi ích đã khai báo" in why for why in _excluded(verdict))


def test_a_conflict_declared_for_a_unit_holds_for_its_discipline(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    member = _declare(repo)
    head = repo.commit(
        "Mở hồ sơ", {ORG_CASE: OPENED.format(organisation="khe-lam-x02", status="opened")}
    )
    verdict = _judge(repo, [member], head)
    assert not verdict.mergeable
    assert any("xung đột lợi ích đã khai báo" in why for why in _excluded(verdict))


def test_a_member_listed_by_name_only_in_the_disciplined_committee_is_still_excluded(
    tmp_path: Path,
) -> None:
    """She sits on the commune's committee under discipline (listed there by name only, as
    committees.yaml allows) and approves through her entry in the district organisation
    commission (with a card): the same person, not counted."""
    from gitrepo import with_committees

    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    approver = _members(repo, "khe-lam.organisation")[0]
    executive = dict(committees(text)["khe-lam-x02.executive"])
    executive["members"] = [
        *executive["members"],
        {"name": approver["name"], "role": "member", "term_from": approver["term_from"]},
    ]
    changed = with_committees(text, {"khe-lam-x02.executive": executive})
    repo.commit("She also sits on the commune committee", {"governance/committees.yaml": changed})
    organisation = "khe-lam-x02.executive"
    opened = OPENED.format(organisation=organisation, status="opened")
    repo.commit("Mở hồ sơ", {ORG_CASE: opened})
    repo.git("checkout", "-q", "-b", "mr")
    dismissed = OPENED.format(organisation=organisation, status="dismissed") + DISMISSED
    head = repo.commit("Không kỷ luật", {ORG_CASE: dismissed})
    verdict = _judge(repo, [approver], head)
    assert any("tổ chức đảng bị xem xét kỷ luật" in why for why in _excluded(verdict))


@pytest.mark.parametrize("written", ["{card} ", "{dotted}", "{wide}"])
def test_a_card_written_another_way_is_the_same_card(tmp_path: Path, written: str) -> None:
    """A ranking lists the approver with his card followed by a space, with a dot between the
    groups, or in full-width digits: the same card, so he may not approve it."""
    repo = make_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "mr")
    me = _members(repo, "khe-lam.organisation")[0]
    card = str(me["party_card"])
    shown = written.format(
        card=card,
        dotted=f"{card[:4]}.{card[4:]}",
        wide="".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in card),
    )
    head = repo.commit("Xếp loại 2025", {RANKING: _ranking({**me, "party_card": shown})})
    verdict = _judge(repo, [me], head)
    assert not verdict.mergeable
    assert any("người được đánh giá, xếp loại trong hồ sơ" in why for why in _excluded(verdict))


def test_a_conflict_declared_for_a_cell_holds_where_a_ranking_ranks_that_cell(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "repo")
    member = _declare(repo, "khe-lam-x02-cb1", "con là bí thư chi bộ khe-lam-x02-cb1")
    text = (
        _ranking({"name": "Lò Văn Ngoài", "party_card": "7"}).replace(
            "khe-lam-x02-cb1", "khe-lam-x02-cb2"
        )
        + "cells:\n- organisation: khe-lam-x02-cb1\n  level: good\n"
    )
    head = repo.commit("Xếp loại", {RANKING: text})
    verdict = _judge(repo, [member], head)
    assert any("xung đột lợi ích đã khai báo" in why for why in _excluded(verdict))
