"""Signed rejections that stand outside the branch under review: in a head a force-push
dropped, or on another branch of the repository. Reopening a merge request from a commit
before someone's rejection must not leave the rejection behind.

A rejection found there stands as if dropped (``Approval.dropped``): only that person's own
approval of the final content, given after it, answers it (see ``judging``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from hoso.git import Repo
from hoso.governance import Governance
from hoso.review.approvals import Approval
from hoso.review.pushes import Dropped
from hoso.review.signed import commits_by_id, range_commits, record_approved
from hoso.review.signed import read as read_signed


def dropped_rejections(
    repo: Repo,
    dropped: list[Dropped],
    merge_base: str,
    head: str,
    governance: Governance,
    today: date,
) -> tuple[list[Approval], list[str]]:
    """Signed rejections in heads the branch had before a force-push: they still stand. A
    head this clone cannot read is a refusal, never "no rejection there"."""
    found: list[Approval] = []
    unreadable: list[str] = []
    for earlier in dropped:
        if not repo.has_commit(earlier.head):
            unreadable.append(
                f"nhánh từng có đầu {earlier.head[:10]} mà một lần đẩy đè (force-push) đã bỏ; "
                "bản sao này không có commit đó nên không biết trong đó có yêu cầu sửa nào bị "
                f"xóa hay không. Lấy về ('git fetch origin {earlier.head}') rồi chạy lại"
            )
            continue
        old = range_commits(repo, merge_base, earlier.head, head)
        rejections, _ = read_signed(old, governance, today)
        # Its rejections stand; its approvals count for nothing, but one after a rejection in
        # that same history answers it.
        found += [
            replace(r, dropped=earlier.head, dropped_at=earlier.when)
            for r in rejections
            if r.signature == "G"
        ]
    return found, unreadable


def other_branches(
    repo: Repo, base: str, head: str, paths: list[str], governance: Governance, today: date
) -> list[Approval]:
    """Good signed rejections of the records at ``paths`` on any branch of this clone (its own
    or fetched from a remote) that neither ``base`` nor ``head`` holds, unless the same signer
    approved the same record after it in that history. Each stands at the signer's own
    (signed) time."""
    wanted = set(paths)
    if not wanted:
        return []
    shas = repo.text("rev-list", "--branches", "--remotes", f"^{base}", f"^{head}").split()
    commits = [c for c in commits_by_id(repo, shas) if record_approved(c) in wanted]
    signed = [a for a in read_signed(commits, governance, today)[0] if a.signature == "G"]
    return [
        replace(r, dropped=r.commit, dropped_at=r.at, elsewhere=True)
        for r in signed
        if r.verdict == "reject" and not any(_answered(repo, r, a) for a in signed)
    ]


def _answered(repo: Repo, rejection: Approval, approval: Approval) -> bool:
    if not (
        approval.verdict == "approve"
        and approval.who == rejection.who
        and approval.path == rejection.path
        and approval.commit != rejection.commit
    ):
        return False
    if rejection.dropped and approval.dropped != rejection.dropped:
        # Not in one history: one person's two signed words, in their own (signed) order.
        return approval.at is not None and rejection.at is not None and approval.at > rejection.at
    return repo.is_ancestor(rejection.commit, approval.commit)


def carried_rejections(
    repo: Repo,
    signed: list[Approval],
    changed: set[str],
    merge_base: str,
    stands: Callable[[Approval], bool],
) -> list[str]:
    """Good signed rejections of a change the branch made to a file and then undid (reverted,
    or dropped by a force-push), in its own commits or in a head it dropped, unless their
    maker approved the same file after them: merged, such a rejection would sit in the
    target's history (or in no branch at all), which the gate never reads again, and would no
    longer block the change it objects to. A rejection of a file the branch never changed
    before it objects to nothing here, nor does one that ``stands`` says would not have
    counted against the change it objected to (by someone with no say over the file)."""
    good = [a for a in signed if a.signature == "G"]
    return [
        f"commit {r.commit[:10]} là yêu cầu sửa có chữ ký của {r.who} đối với {r.path}, tệp mà "
        "yêu cầu hợp nhất này đã sửa rồi bỏ, nay không thay đổi: hợp nhất nó sẽ đưa yêu cầu sửa "
        "ra khỏi mọi nhánh mà cổng còn đọc, nên nó không còn chặn thay đổi sau này của tệp đó. "
        "Yêu cầu sửa chỉ được giải quyết khi chính người này ký phê duyệt tệp đó sau nó (hoso "
        "approve) trong nhánh này"
        for r in good
        if r.verdict == "reject"
        and r.path
        and r.path not in changed
        and not any(_answered(repo, r, a) for a in good)
        and _changed_before(repo, r.commit, r.path, merge_base)
        and stands(r)
    ]


def _changed_before(repo: Repo, commit: str, path: str, merge_base: str) -> bool:
    """Whether a commit after the merge base, in ``commit``'s own history, changed ``path``."""
    found = repo.text("rev-list", "-n", "1", commit, f"^{merge_base}", "--", path)
    return bool(found.strip())
