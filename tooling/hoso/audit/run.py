"""One audit of a branch: the walk through its history, the checkpoints, and what the audit
cannot know said as findings, for the command and the site alike."""

from __future__ import annotations

from datetime import date

from hoso import clock
from hoso.git import Repo
from hoso.progress import Progress, wanted
from hoso.validate.governance_files import load_governance_bytes

from . import checkpoints
from .index import AuditFinding, Index, first_commit, save_state
from .walk import build


def audit(
    repo: Repo,
    branch: str,
    use_cache: bool = True,
    complete: bool = False,
    today: date | None = None,
    quiet: bool = True,
    expect_root: str | None = None,
) -> tuple[Index, list[AuditFinding]]:
    """The index of ``branch`` and every finding, in history order, then the checkpoints
    (with a progress bar on the terminal unless ``quiet``); with ``expect_root``, whether the
    history starts at the commit the auditor knows from elsewhere."""
    with Progress("Kiểm toán lịch sử", enabled=wanted(quiet)) as progress:
        index = build(repo, branch, use_cache=use_cache, complete=complete, progress=progress)
    index.root = first_commit(repo.root, index)
    before = dict(index.checkpoints)
    # Signers are looked up in the governance as it last stood approved: a key that a
    # direct push added to the committees vouches for nothing.
    trusted = load_governance_bytes(index.trusted)[0] if index.trusted else None
    tags = checkpoints.verify(repo, branch, index.checkpoints, today or clock.today(), trusted)
    if use_cache and index.checkpoints != before:
        save_state(repo.root, index)
    unsaved = [_unsaved(index.unsaved)] if use_cache and index.unsaved else []
    rooted = _rooted(index, expect_root) if expect_root else []
    return index, [*rooted, *index.findings, *_unverifiable(index), *tags, *unsaved]


def _rooted(index: Index, expected: str) -> list[AuditFinding]:
    """A history that does not start where the auditor knows it starts is another history,
    whatever it says of itself: every key and rule in it came from its own first commit."""
    if index.root and index.root == expected.lower():
        return []
    found = index.root or "không đọc được"
    return [
        AuditFinding(
            "high",
            "",  # said whatever --since asks: it is about the whole history
            "history.root_unexpected",
            f"lịch sử bắt đầu từ commit {found}, không phải commit {expected} như đã biết: đây "
            "là một lịch sử khác (làm lại từ đầu, hoặc thay cả kho), nên mọi khóa và quy tắc "
            "trong nó đều do chính nó tự khai",
        )
    ]


def _unsaved(why: str) -> AuditFinding:
    return AuditFinding(
        "medium",
        "",
        "audit.index_unsaved",
        f"không lưu được chỉ mục kiểm toán ({why}): lần kiểm toán sau không biết những gì lần "
        "này đã thấy (đỉnh nhánh, ngày thấy các mốc), nên nếu lịch sử đến đỉnh này bị viết lại "
        "sau đó thì sẽ không hiện ra. Sửa chỗ lưu (quyền ghi, chỗ trống trên đĩa, khóa kiểm "
        "toán) rồi kiểm toán lại; giữ báo cáo này để đối chiếu",
    )


def _unverifiable(index: Index) -> list[AuditFinding]:
    if not index.unverifiable:
        return []
    return [
        AuditFinding(
            "medium",
            "",
            "history.unverifiable_trailers",
            f"governance/settings.yaml chưa khai báo khóa ký của nền tảng (forge_keys): "
            f"{index.unverifiable} lần hợp nhất dựa vào phê duyệt ghi trong lời commit hợp nhất "
            "(Approved-by, Hoso-Approved-By). Một bản sao không phân biệt được hợp nhất do nền "
            "tảng tạo với hợp nhất tự làm trên máy, nên các phê duyệt đó chỉ là lời khai, chưa "
            "kiểm chứng được",
        )
    ]
