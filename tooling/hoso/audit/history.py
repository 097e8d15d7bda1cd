"""One record's life in Git: each version, what changed in it, who, when, through which merge
and with whose approval."""

from __future__ import annotations

from datetime import date

from hoso.git import Repo
from hoso.review.changes import KIND_LABELS, classify

from .walk import Index


def _day(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def render(index: Index, rel: str, repo: Repo) -> str:
    """Each version of ``rel``, read from git (a version git cannot read stops the command;
    it is never shown as a deleted file)."""
    position = {sha: n for n, sha in enumerate(index.mainline)}

    def order(version: tuple[str, str, str, str, str]) -> tuple[int, str]:
        """By the merge (or push) that brought a version to the branch, then by date."""
        when, sha = version[0], version[1]
        return position.get(index.merged_by.get(sha, sha), len(position)), when

    versions = sorted(
        (
            (when, sha, email, name, subject)
            for sha, (email, name, when, subject, paths) in index.authored.items()
            if rel in paths
        ),
        key=order,
    )
    lines = [f"Lịch sử của {rel} trên nhánh {index.branch}:"]
    previous: bytes | None = None
    for when, sha, email, name, subject in versions:
        current = repo.files_at(sha, [rel])[rel]
        status = "A" if previous is None else ("D" if current is None else "M")
        change = classify(rel, status, previous, current)
        what = KIND_LABELS[change.kind]
        if change.kind == "new":
            what += ", các bước: " + " → ".join(b for _, b in change.transitions)
        elif change.transitions:
            what += ": " + ", ".join(f"{a} → {b}" for a, b in change.transitions)
        if change.fields:
            what += f" [{', '.join(change.fields)}]"
        lines.append(f"- {_day(when)} {sha[:10]} {name} <{email}>: {what} ({subject})")
        merge = index.merged_by.get(sha)
        step = index.steps.get(merge or sha)
        if step is None:
            lines.append("    chưa vào nhánh chính")
        elif step.kind == "merge":
            mr = f" yêu cầu hợp nhất #{step.merge_request}" if step.merge_request else ""
            approved = "; ".join(step.approvals) or "không có phê duyệt được tính"
            mark = "" if step.ok else " (KHÔNG đủ phê duyệt theo quy tắc lúc đó)"
            lines.append(
                f"    vào nhánh qua hợp nhất {step.sha[:10]} ngày {_day(step.when)}{mr}"
                f"{mark}; phê duyệt: {approved}"
            )
        elif step.kind == "unsigned":
            lines.append(
                f"    vào nhánh qua hợp nhất {step.sha[:10]} ngày {_day(step.when)} không có chữ "
                "ký của nền tảng: coi như đẩy thẳng, không chứng minh được đã qua xét duyệt"
            )
        else:
            lines.append(
                f"    đẩy thẳng lên nhánh chính ngày {_day(step.when)}, không qua hợp nhất"
            )
        previous = current
    if len(versions) == 0:
        lines.append("  (không có phiên bản nào trong lịch sử)")
    return "\n".join(lines) + "\n"
