"""One record's life in Git: each version, what changed in it, who, when, through which merge
and with whose approval.

The versions are read from git when asked (every commit that changed the record, on the main
line or in a branch a merge brought), so the audit's index keeps nothing per commit for this;
the merge that brought each version is the first main-line commit that changed the record and
has the version in its history.
"""

from __future__ import annotations

from datetime import date

from hoso import labels
from hoso.commits import parse as parse_commit
from hoso.git import Repo
from hoso.review.changes import KIND_LABELS, classify
from hoso.validate.findings import one_line, quoted
from hoso.validate.record import parse

from .index import Index


def _day(value: date | str | None) -> str:
    if value is None:
        return "?"
    day = value if isinstance(value, date) else date.fromisoformat(value[:10])
    return day.strftime("%d/%m/%Y")


def render(index: Index, rel: str, repo: Repo) -> str:
    """Each version of ``rel``, read from git (a version git cannot read stops the command;
    it is never shown as a deleted file)."""
    listed = repo.text(
        "rev-list", "--full-history", "--topo-order", "--reverse", index.tip, "--", rel,
    ).split()  # fmt: skip
    bodies = repo.objects(listed)
    listed = _versions(repo, rel, listed, bodies)
    touching = [sha for sha in index.mainline if rel in index.steps[sha].paths]
    lines = [f"Lịch sử của {quoted(rel)} trên nhánh {index.branch}:"]
    previous: bytes | None = None
    order = _by_merge(repo, listed, touching, index.mainline)
    for sha in sorted(listed, key=order.__getitem__):
        body = parse_commit(bodies[sha])
        current = repo.files_at(sha, [rel])[rel]
        status = "A" if previous is None else ("D" if current is None else "M")
        change = classify(rel, status, previous, current)
        what = KIND_LABELS[change.kind]
        steps = labels.steps(change.record_kind, change.transitions)
        unread = _unreadable(current)
        if unread:
            what += f"; phiên bản này không đọc được: {unread}"
        elif change.kind == "new":
            what += f", các bước: {steps}"
        elif change.transitions:
            what += f": {steps}"
        if change.fields and not unread:
            what += f" [{', '.join(labels.field(f) for f in change.fields)}]"
        # The committer's own words: a carriage return or a terminal's escape sequence in
        # them could redraw the line as another version by another person.
        who = one_line(f"{body.author_name} <{body.author_email}>")
        subject = one_line(body.subject)
        lines.append(f"- {_day(body.committer_when)} {sha[:10]} {who}: {what} ({subject})")
        lines.append(_arrival(index, order[sha][1]))
        previous = current
    if not listed:
        lines.append("  (không có phiên bản nào trong lịch sử)")
    return "\n".join(lines) + "\n"


def _versions(repo: Repo, rel: str, listed: list[str], bodies: dict[str, bytes]) -> list[str]:
    """The commits of ``listed`` that made a version of ``rel``: every commit with one parent,
    and a merge only where it wrote content none of its parents had (an edit slipped into a
    conflict resolution is a version, by whoever made the merge; a merge that took one side's
    content as it was is not)."""
    parents = {sha: parse_commit(bodies[sha]).parents for sha in listed}
    merges = [sha for sha in listed if len(parents[sha]) > 1]
    held = {sha: repo.entries(sha, [rel]).get(rel) for m in merges for sha in (m, *parents[m])}
    return [
        sha
        for sha in listed
        if len(parents[sha]) < 2 or all(held[sha] != held[p] for p in parents[sha])
    ]


def _unreadable(raw: bytes | None) -> str:
    """Why a version cannot be read as a record ("" when it can, or is absent)."""
    if raw is None:
        return ""
    _, _, problems = parse(raw)
    return "; ".join(f"dòng {p.line}, cột {p.column}: {one_line(p.message)}" for p in problems)


def _by_merge(
    repo: Repo, versions: list[str], touching: list[str], chain: list[str]
) -> dict[str, tuple[int, str]]:
    """Each version's place: the position of the main-line commit that brought it (the first
    one that changed the record and has it in its history), and that commit."""
    position = {sha: n for n, sha in enumerate(chain)}
    out: dict[str, tuple[int, str]] = {}
    for n, sha in enumerate(versions):
        found = next(
            (m for m in touching if m == sha or repo.is_ancestor(sha, m)),
            "",
        )
        out[sha] = (position.get(found, len(chain)) * len(versions) + n, found)
    return out


def _arrival(index: Index, merge: str) -> str:
    step = index.steps.get(merge) if merge else None
    if step is None:
        return "    chưa vào nhánh chính"
    if step.kind == "merge":
        mr = f" yêu cầu hợp nhất #{step.merge_request}" if step.merge_request else ""
        approved = "; ".join(step.approvals) or "không có phê duyệt được tính"
        mark = "" if step.ok else " (KHÔNG đủ phê duyệt theo quy tắc lúc đó)"
        return (
            f"    vào nhánh qua hợp nhất {step.sha[:10]} ngày {_day(step.when)}{mr}"
            f"{mark}; phê duyệt: {approved}"
        )
    if step.kind == "unsigned":
        return (
            f"    vào nhánh qua hợp nhất {step.sha[:10]} ngày {_day(step.when)} không có chữ "
            "ký của nền tảng: coi như đẩy thẳng, không chứng minh được đã qua xét duyệt"
        )
    return f"    đẩy thẳng lên nhánh chính ngày {_day(step.when)}, không qua hợp nhất"
