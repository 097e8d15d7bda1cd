"""What each push to a merge request says about its pusher, and which earlier heads it
dropped.

Pushing makes a person an author of the change, except a push that added only approval
commits (one parent, no file changed: a member pushing their own ``hoso approve``). A push
whose commits cannot be told (not in this clone, not listed) makes its pusher an author. A
force-push, and any earlier head that the current head does not contain, may have dropped a
signed rejection: those heads are read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hoso.git import NO_OBJECT, Repo
from hoso.review.approvals import ForgeAuthors, Push
from hoso.review.signed import Made, is_approval


@dataclass(frozen=True)
class Dropped:
    """An earlier head the current one does not contain, and when it was replaced."""

    head: str
    when: datetime | None
    forge: str


def settle(
    repo: Repo, facts: ForgeAuthors, base: str, head: str, commits: list[Made]
) -> tuple[ForgeAuthors, list[Dropped]]:
    """The accounts that count as authors (openers, commit authors, and every pusher but those
    who pushed approvals only), and the earlier heads to look for dropped rejections."""
    authors = ForgeAuthors(set(facts.logins), set(facts.ids))
    approvals_only = {c.sha for c in commits if is_approval(c)}
    in_range = [c.sha for c in commits]
    dropped: list[Dropped] = []
    for push in facts.pushes:
        if push.forced and push.before:
            dropped.append(Dropped(push.before, push.when, push.forge))
        if push.forced or not _only_approvals(repo, push, base, approvals_only, in_range):
            authors.add(push.forge, push.login, push.user_id)
    for earlier in facts.heads:
        dropped.append(Dropped(earlier, None, "gitlab"))
    kept = [d for d in dropped if d.head != head and not _contains(repo, head, d.head)]
    return authors, kept


def _contains(repo: Repo, head: str, earlier: str) -> bool:
    present = repo.succeeds("cat-file", "-e", f"{earlier}^{{commit}}")
    return present and repo.is_ancestor(earlier, head)


def _only_approvals(
    repo: Repo, push: Push, base: str, approvals: set[str], in_range: list[str]
) -> bool:
    if push.shas:
        found = [next((c for c in in_range if c.startswith(s)), None) for s in push.shas]
        return all(c is not None and c in approvals for c in found)
    if not push.after or not repo.succeeds("cat-file", "-e", f"{push.after}^{{commit}}"):
        return False
    stops = [f"^{base}"]
    if push.before and push.before != NO_OBJECT:
        if not repo.succeeds("cat-file", "-e", f"{push.before}^{{commit}}"):
            return False
        stops.append(f"^{push.before}")
    pushed = repo.text("rev-list", push.after, *stops).split()
    return bool(pushed) and all(sha in approvals for sha in pushed)
