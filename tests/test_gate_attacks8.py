"""Attacks on the approval gate, eighth round: each succeeded against the code as it stood, and
each test asserts the secure behaviour, so it fails while the attack works."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF
from gatekit import CASE, GOOD, give_keys, on_main, person
from gitrepo import GitRepo, committees, serving, with_committees
from hoso import clock, editing
from hoso.git import Repo
from hoso.review.approvals import ForgeAuthors, github, load_authors
from hoso.review.gate import Requested, Verdict, review
from hoso.review.signed import message
from test_attack_found3 import APPRAISED

ORGANISATION = "khe-lam.organisation"
RUN = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
"""The review run: 20:00 UTC on 30/11/2026, already 03:00 on 01/12/2026 in Việt Nam."""


class _Clock(datetime):
    """The clock of a CI runner kept on UTC, at ``RUN``."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Clock:
        moment = RUN.astimezone(tz) if tz is not None else RUN.replace(tzinfo=None)
        return cls.fromisoformat(moment.isoformat())

    @classmethod
    def today(cls) -> _Clock:
        return cls.now()


class _Day(date):
    @classmethod
    def today(cls) -> _Day:
        return cls.fromisoformat(RUN.date().isoformat())


def test_a_term_is_judged_by_the_day_in_vietnam_not_the_runners_day(
    mr: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A member whose term ended on 30/11 may not approve at 03:00 on 01/12 (Việt Nam), which
    is still 30/11 on a runner kept on UTC, as the forges' runners are: terms begin and end
    in Việt Nam's day (as the check of a GitHub approval's own time already reads them)."""
    from hoso.cli.main import main

    text = mr.read("governance/committees.yaml")
    found = committees(text)[ORGANISATION]
    leaving = serving(found)[0]
    leaving["term_until"] = date(2026, 11, 30)
    on_main(
        mr,
        "A member's term ends",
        {"governance/committees.yaml": with_committees(text, {ORGANISATION: found})},
    )
    editing.record_step(mr.root, mr.root / CASE, APPRAISED, AS_OF)
    mr.git("add", CASE)
    head = mr.commit("Step")
    reviews = tmp_path / "reviews.json"
    reviews.write_text(
        json.dumps(
            [
                {
                    "id": 1,
                    "user": {"login": leaving["github"]},
                    "state": "APPROVED",
                    "commit_id": head,
                    "submitted_at": "2026-11-30T08:00:00Z",
                }
            ]
        )
    )
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(clock, "datetime", _Clock)
    args = ["review", "--repo", str(mr.root), "--base", "main", "--head", "mr"]
    code = main([*args, "--approvals", str(reviews), "--format", "json"])
    payload = json.loads(capsys.readouterr().out)
    need = payload["records"][0]["needs"][0]
    assert (code, payload["mergeable"], need["counted"]) == (1, False, [])
    assert "ngoài nhiệm kỳ vào ngày 01/12/2026" in need["excluded"][0]["why"]


def _gate_on(repo: GitRepo, branch: str, people: list[dict[str, Any]]) -> Verdict:
    tip = repo.git("rev-parse", branch)
    reviews = [
        {
            "id": n,
            "user": {"login": m["github"]},
            "state": "APPROVED",
            "commit_id": tip,
            "submitted_at": "2026-11-25T10:00:00Z",
        }
        for n, m in enumerate(people, 1)
    ]
    requested = Requested(
        Repo(repo.root), "main", branch, github(reviews, AS_OF), ForgeAuthors(), AS_OF
    )
    return review(requested)


def test_a_signed_rejection_cannot_be_laundered_into_the_target_by_an_empty_merge(
    mr: GitRepo,
) -> None:
    """A member's signed rejection of a record blocks the merge request that changes it. A
    second merge request that carries the rejection (and the change it objects to, reverted,
    so that it changes nothing) passed with no approval at all; merged, it put the rejection in
    the target's history, which the gate never reads again: the first merge request, brought
    up to date, and any new one making the same change, then merged with one other member's
    approval. A rejection of a file the merge request does not change stands until its maker
    approves that file after it."""
    rejecter, other = give_keys(mr, ORGANISATION, ["r", "o"])
    editing.record_step(mr.root, mr.root / CASE, APPRAISED, AS_OF)
    mr.git("add", CASE)
    step = mr.commit("Step")
    blob, base = (mr.git("rev-parse", f"{rev}:{CASE}") for rev in ("HEAD", "main"))
    refusal = mr.sign_commit(message(CASE, blob, "reject", base), "r", person(rejecter))
    assert not _gate_on(mr, "mr", [other]).mergeable
    mr.git("checkout", "-q", "-b", "launder")
    mr.git("revert", "--no-edit", step)
    verdict = _gate_on(mr, "launder", [])
    assert not verdict.mergeable
    assert any(refusal[:10] in e and CASE in e for e in verdict.errors), verdict.errors
    # Its maker's own approval of the file after it answers it.
    mr.sign_commit(message(CASE, base, "approve", base), "r", person(rejecter))
    assert _gate_on(mr, "launder", []).mergeable


def test_a_signed_rejection_dropped_by_a_force_push_is_not_laundered_either(
    mr: GitRepo, tmp_path: Path
) -> None:
    """The same through a force-push: the branch that held a rejection of a record is pushed
    again without it, now changing another record only. The rejection stands in the dropped
    head for that record (the gate reads dropped heads), yet the record is not changed here, so
    nothing weighed it and the merge request merged; the dropped head is on no branch, so no
    later merge request changing the record would find it. It stands until its maker approves
    that file after it."""
    rejecter, other = give_keys(mr, ORGANISATION, ["r", "o"])
    editing.record_step(mr.root, mr.root / CASE, APPRAISED, AS_OF)
    mr.git("add", CASE)
    mr.commit("Step")
    blob, base = (mr.git("rev-parse", f"{rev}:{CASE}") for rev in ("HEAD", "main"))
    early = {"GIT_COMMITTER_DATE": "2026-11-25T10:00:00+07:00"}
    refusal = mr.sign_commit(message(CASE, blob, "reject", base), "r", person(rejecter), early)
    mr.git("reset", "-q", "--hard", "main")
    new_case = CASE.replace("test01", "test02")
    again = mr.commit("Another case", {new_case: GOOD.replace("test01", "test02")})
    pushes = tmp_path / "pushes.json"
    pushes.write_text(
        json.dumps(
            [
                {"id": 1, "before": refusal, "after": again, "ref": "refs/heads/mr",
                 "activity_type": "force_push", "actor": {"login": "clerk", "id": 8}},
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    people = load_authors([pushes], [])

    def verdict() -> Verdict:
        tip = mr.git("rev-parse", "mr")
        reviews = [{"id": 1, "user": {"login": other["github"]}, "state": "APPROVED",
                    "commit_id": tip, "submitted_at": "2026-11-25T10:00:00Z"}]  # fmt: skip
        forge = github(reviews, AS_OF)
        return review(Requested(Repo(mr.root), "main", "mr", forge, people, AS_OF))

    found = verdict()
    assert not found.mergeable
    assert any(refusal[:10] in e and CASE in e for e in found.errors), found.errors
    later = {"GIT_COMMITTER_DATE": "2026-11-26T10:00:00+07:00"}
    mr.sign_commit(message(CASE, base, "approve", base), "r", person(rejecter), later)
    assert verdict().mergeable


def test_a_rejection_of_a_file_the_branch_never_changed_blocks_nothing(mr: GitRepo) -> None:
    """A member cannot hold up any merge request by pushing into it a signed rejection of a
    file it never changed: only a rejection of a change the branch made and then undid is
    carried as standing."""
    rejecter, other = give_keys(mr, ORGANISATION, ["r", "o"])
    new_case = CASE.replace("test01", "test02")
    mr.commit("Another case", {new_case: GOOD.replace("test01", "test02")})
    base = mr.git("rev-parse", f"main:{CASE}")
    mr.sign_commit(message(CASE, base, "reject", base), "r", person(rejecter))
    assert _gate_on(mr, "mr", [other]).mergeable


def test_a_rejection_by_someone_with_no_say_blocks_no_merge_request(mr: GitRepo) -> None:
    """Anyone holding a key could push a signed rejection of a file the branch changed and
    undid, and so block the merge request until they approved: one by a member with no say over
    the file (here the province's executive committee, for a district's admission step) is set
    aside, as it would have been against the change itself."""
    [outsider] = give_keys(mr, "thu-nghiem.executive", ["x"])
    editing.record_step(mr.root, mr.root / CASE, APPRAISED, AS_OF)
    mr.git("add", CASE)
    step = mr.commit("Step")
    blob, base = (mr.git("rev-parse", f"{rev}:{CASE}") for rev in ("HEAD", "main"))
    mr.sign_commit(message(CASE, blob, "reject", base), "x", person(outsider))
    mr.git("revert", "--no-edit", step)
    verdict = _gate_on(mr, "mr", [])
    assert not [e for e in verdict.errors if "yêu cầu sửa có chữ ký" in e], verdict.errors
