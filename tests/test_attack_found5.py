"""Attacks on the approval gate and the audit, fifth round: each succeeded against the code as
it stood, and each test asserts the secure behaviour, so it fails while the attack works."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES
from gatekit import give_keys, outcome
from gitrepo import GitRepo
from hoso.audit.run import audit
from hoso.git import Repo
from hoso.review.approvals import github
from test_attack_found2 import (
    CASE,
    _workflow_push_filter,
    add_step,
    gate,
    push,
    review_of,
    sign,
)


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq")
def test_a_signed_rejection_dropped_by_deleting_and_recreating_the_branch_still_stands(
    mr: GitRepo, tmp_path: Path
) -> None:
    """A force-push that drops a signed rejection is caught; deleting the branch on the forge
    and pushing it again under the same name from before the rejection drops it as well, and
    GitHub records that as ``branch_deletion`` then ``branch_creation``, no force-push. The
    workflow kept neither the deletion nor the head it deleted, so the rejection was gone."""
    a, b = give_keys(mr, "khe-lam.organisation", ["a", "b"])
    stepped = add_step(mr)
    rejected = sign(mr, "b", b, "reject")
    mr.git("reset", "-q", "--hard", stepped)  # the branch deleted, then pushed again
    deletion = {**push(rejected, "0" * 40, "clerk", 8, 3), "activity_type": "branch_deletion"}
    activity = [
        push(None, stepped, "clerk", 8, 1),
        push(stepped, rejected, b["github"], 12, 2),
        deletion,
        push(None, stepped, "clerk", 8, 4),
    ]
    done = subprocess.run(
        ["jq", _workflow_push_filter()],
        input=json.dumps([activity]),
        capture_output=True,
        text=True,
        check=True,
    )
    pushes = tmp_path / "pushes.json"
    pushes.write_text(done.stdout, encoding="utf-8")
    forge = github([review_of(a["github"], "APPROVED", stepped, "2026-11-25T05:00:00Z")], AS_OF)
    verdict = gate(mr, forge, author_files=(pushes,))
    need = next(n for n in outcome(verdict).needs if n.committee == "khe-lam.organisation")
    assert [m.name for m, _ in need.rejections] == [b["name"]]
    assert not verdict.mergeable


def test_a_new_case_cannot_take_an_id_another_kind_already_uses(mr: GitRepo) -> None:
    """Validation names an id used twice whatever the kind (``record.duplicate_id``); the gate
    and the audit looked for the id only in folders of the same kind, so a discipline case
    given a pending admission's id (the id's prefix is not tied to the kind) passed them."""
    text = (EXAMPLES / "valid" / "boundary-discipline-just-over-half.yaml").read_text("utf-8")
    path = "cases/ban-mo/discipline/KN-2024-test01.yaml"
    mr.commit("Open a case", {path: text.replace("KL-2021-0vc3vk", "KN-2024-test01")})
    assert outcome(gate(mr), path).errors == [
        f"mã hồ sơ KN-2024-test01 đã có trên nhánh đích: {CASE}"
    ]
    mr.git("checkout", "-q", "main")
    mr.git("merge", "-q", "--no-ff", "-m", "Merge pull request #2 from mau/mr", "mr")
    _, found = audit(Repo(mr.root), "main", use_cache=False, today=AS_OF)
    assert [f.message for f in found if f.rule == "history.invalid_change" and f.path == path] == [
        f"mã hồ sơ KN-2024-test01 đã có trên nhánh đích: {CASE}"
    ]
