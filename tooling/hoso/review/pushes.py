"""What each push to a merge request says about its pusher, and which earlier heads it
dropped.

Pushing makes a person an author of the change, except a push that added only approval
commits (one parent, no file changed: a member pushing their own ``hoso approve``). A push
whose commits cannot be told (not in this clone, not listed) makes its pusher an author. A
force-push, a deletion of the branch (pushed again later under the same name), and any
earlier head that the current head does not contain, may have dropped a signed rejection:
those heads are read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hoso.git import NO_OBJECT, Repo
from hoso.review.approvals import ForgeAuthors, Push
from hoso.review.signed import commits_by_id, is_approval


@dataclass(frozen=True)
class Dropped:
    """An earlier head the current one does not contain, and when it was replaced."""

    head: str
    when: datetime | None
    forge: str


def settle(
    repo: Repo, facts: ForgeAuthors, base: str, head: str
) -> tuple[ForgeAuthors, list[Dropped]]:
    """The accounts that count as authors (openers, commit authors, and every pusher but those
    who pushed approvals only, or nothing new), and the earlier heads to look for dropped
    rejections."""
    authors = ForgeAuthors(set(facts.logins), set(facts.ids))
    dropped: list[Dropped] = []
    for push in facts.pushes:
        if (push.forced or push.deleted) and push.before:
            dropped.append(Dropped(push.before, push.when, push.forge))
        if push.deleted:
            continue  # deleting a branch writes nothing: it makes nobody an author
        if push.forced or not _only_approvals(repo, push, base):
            authors.add(push.forge, push.login, push.user_id)
    for earlier in facts.heads:
        dropped.append(Dropped(earlier, None, "gitlab"))
    kept = [d for d in dropped if d.head != head and not _contains(repo, head, d.head)]
    return authors, kept


def _contains(repo: Repo, head: str, earlier: str) -> bool:
    return repo.has_commit(earlier) and repo.is_ancestor(earlier, head)


def _resolve(repo: Repo, short: str) -> str | None:
    """A full commit id from a (perhaps shortened) one; None when absent or ambiguous."""
    spec = f"{short}^{{commit}}"
    found = repo.text("rev-parse", "--verify", "--quiet", "--end-of-options", spec, ok=(0, 1, 128))
    return found.strip() or None


def _only_approvals(repo: Repo, push: Push, base: str) -> bool:
    """Whether everything the push added is approval commits (judged from those commits
    themselves, so a later rebase changes nothing), or nothing new at all."""
    if push.shas:
        pushed = [_resolve(repo, s) for s in push.shas]
        if any(p is None for p in pushed):
            return False
        shas = [p for p in pushed if p is not None]
    else:
        if not push.after or not repo.has_commit(push.after):
            return False
        stops = [f"^{base}"]
        if push.before and push.before != NO_OBJECT:
            if not repo.has_commit(push.before):
                return False
            stops.append(f"^{push.before}")
        shas = repo.text("rev-list", push.after, *stops).split()
        if not shas:
            return True  # it added nothing this merge request does not already have
    return all(is_approval(commit) for commit in commits_by_id(repo, shas))
