"""Approvals from the forges' recorded JSON and from SSH-signed approval commits.

A forge review approves the merge request at one commit: it binds to each file as that file
was at that commit. A signed approval commit names one record and its blob id in trailers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from hoso.errors import UsageError

Source = Literal["github", "gitlab", "signed", "trailer"]
Verdict = Literal["approve", "reject", "withdraw"]
TRAILER_KIND = "Hoso-Approval"
TRAILER_RECORD = "Hoso-Record"
TRAILER_BLOB = "Hoso-Blob"


@dataclass(frozen=True)
class Approval:
    """One approval or rejection by one person."""

    who: str
    """Forge login, or for a signed approval the principal (e-mail) the key belongs to."""
    verdict: Verdict
    source: Source
    when: date
    commit: str
    """The commit reviewed (forge), or the approval commit itself (signed)."""
    path: str | None = None
    """Signed approvals name one record; forge approvals cover the whole merge request."""
    blob: str | None = None
    """Signed approvals: the record's blob id they approve."""
    signature: str = ""
    """Signed approvals: git's signature check (G good, U unknown key, B bad, N none...)."""

    @property
    def label(self) -> str:
        how = {
            "github": "GitHub",
            "gitlab": "GitLab",
            "signed": "chữ ký SSH",
            "trailer": "ghi trong commit hợp nhất",
        }[self.source]
        return f"{self.who} ({how}, {self.when})"


def load_file(path: Path, head: str, today: date) -> list[Approval]:
    """Approvals from a recorded forge response: GitHub's list of reviews, or GitLab's
    approval state (whose approvals hold for ``head``, the commit the state was read at)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: không đọc được tệp phê duyệt JSON: {exc}") from None
    if isinstance(data, list):
        return github(data)
    if isinstance(data, dict) and "rules" in data:
        return gitlab(data, head, today)
    raise UsageError(
        f"{path}: không nhận ra định dạng (cần danh sách review của GitHub hoặc "
        "approval_state của GitLab)"
    )


_GITHUB_STATES: dict[str, Verdict] = {
    "APPROVED": "approve",
    "CHANGES_REQUESTED": "reject",
    "DISMISSED": "withdraw",
}


def github(reviews: list[dict[str, Any]]) -> list[Approval]:
    """GitHub's ``GET /repos/{owner}/{repo}/pulls/{n}/reviews``: comments change nothing,
    a dismissal withdraws the reviewer's earlier verdict."""
    out = []
    for review in reviews:
        verdict = _GITHUB_STATES.get(str(review.get("state")))
        user = (review.get("user") or {}).get("login")
        if verdict is None or not user or not review.get("commit_id"):
            continue
        when = datetime.fromisoformat(str(review["submitted_at"]).replace("Z", "+00:00")).date()
        out.append(Approval(user, verdict, "github", when, str(review["commit_id"])))
    return out


def gitlab(state: dict[str, Any], head: str, today: date) -> list[Approval]:
    """GitLab's ``GET /projects/:id/merge_requests/:iid/approval_state``: the users who approved
    under any rule, each approval holding for the head commit the state was read at."""
    users = {
        str(u["username"])
        for rule in state.get("rules", [])
        for u in rule.get("approved_by") or []
        if u.get("username")
    }
    return [Approval(user, "approve", "gitlab", today, head) for user in sorted(users)]


def latest(approvals: list[Approval]) -> list[Approval]:
    """Each person's last word: per record for signed approvals, per merge request otherwise."""
    last: dict[tuple[str, str, str | None], Approval] = {}
    for approval in approvals:
        key = (approval.source, approval.who, approval.path)
        last[key] = approval
    return [a for a in last.values() if a.verdict != "withdraw"]
