"""The gate's verdict as text, as the Markdown comment on a merge request, or as JSON."""

from __future__ import annotations

import json
from typing import Any

from hoso import labels
from hoso.models.governance import Member
from hoso.review.changes import KIND_LABELS
from hoso.review.gate import ASSURANCE_LABELS, Need, Outcome, Verdict
from hoso.validate.findings import one_line, quoted


def _who(member: Member) -> str:
    handles = [f"@{h}" for h in dict.fromkeys((member.github, member.gitlab)) if h]
    signs = " (ký được)" if member.ssh_keys else ""
    return f"{member.name} {'/'.join(handles)}{signs}".strip()


def _change_line(outcome: Outcome) -> str:
    change = outcome.change
    text = KIND_LABELS[change.kind]
    if change.transitions:
        text += f": {labels.steps(change.record_kind, change.transitions)}"
    if change.fields:
        text += f" [{', '.join(labels.field(f) for f in change.fields)}]"
    return text


def markdown(verdict: Verdict) -> str:
    head = "✅ Có thể hợp nhất" if verdict.mergeable else "⛔ Chưa thể hợp nhất"
    lines = [
        f"## Cổng kiểm duyệt hoso: {head}",
        "",
        f"Quy tắc và danh sách thành viên đọc từ nhánh gốc `{verdict.base[:10]}` "
        f"(điểm rẽ nhánh `{verdict.merge_base[:10]}`, đầu `{verdict.head[:10]}`).",
        "",
    ]
    lines += [f"- ⛔ {one_line(error)}" for error in verdict.errors]
    if verdict.errors:
        lines.append("")
    for outcome in verdict.outcomes:
        mark = "✅" if outcome.ok else "⛔"
        lines += [
            f"### {mark} `{quoted(outcome.change.path)}`",
            "",
            f"Thay đổi: {_change_line(outcome)}.",
            "",
        ]
        lines += [f"- ⛔ {one_line(error)}" for error in outcome.errors]
        if outcome.errors:
            lines.append("")
        for need in outcome.needs:
            lines += _need_markdown(need)
    return "\n".join(lines).rstrip() + "\n"


def _need_markdown(need: Need) -> list[str]:
    mark = "✅" if need.met else "⛔"
    source = f" ({need.source})" if need.source else ""
    lines = [
        f"**{mark} {need.description}**{source}",
        "",
        f"- Cần: {need.needed} phê duyệt của {need.committee_name}, "
        f"{ASSURANCE_LABELS[need.assurance]}; đã có {len(need.counted)}.",
    ]
    if need.problem:
        lines.append(f"- ⛔ {need.problem}")
    if need.counted:
        lines.append("- Được tính: " + "; ".join(f"{m.name} ({a.label})" for m, a in need.counted))
    for member, approval in need.also:
        lines.append(
            f"- Không tính thêm: {approval.label}: {member.name} đã được tính một lần "
            "(đếm người, không đếm lượt phê duyệt)"
        )
    for member, approval in need.rejections:
        gone = approval.dropped
        where = f", ở commit {approval.commit[:10]} không còn trong nhánh này" if gone else ""
        lines.append(
            f"- ⛔ {member.name} yêu cầu sửa ({approval.label}{where}): chặn cho đến khi chính "
            "người này phê duyệt nội dung cuối cùng sau đó"
        )
    for approval, why in need.lapsed:
        lines.append(f"- Hết hiệu lực: {approval.label}: {why}")
    for approval, why in need.excluded:
        lines.append(f"- Không tính: {approval.label}: {why}")
    if not need.met and need.can_still:
        lines.append("- Còn có thể phê duyệt: " + "; ".join(_who(m) for m in need.can_still))
    return [*lines, ""]


def text(verdict: Verdict) -> str:
    plain = markdown(verdict)
    for token in ("### ", "## ", "**"):
        plain = plain.replace(token, "")
    return plain.replace("`", "")


def as_json(verdict: Verdict) -> str:
    def need(n: Need) -> dict[str, Any]:
        return {
            "rule": n.rule,
            "committee": n.committee,
            "needed": n.needed,
            "assurance": n.assurance,
            "met": n.met,
            "problem": n.problem,
            "counted": [{"name": m.name, "who": a.who, "source": a.source} for m, a in n.counted],
            "also": [{"name": m.name, "who": a.who, "source": a.source} for m, a in n.also],
            "rejections": [{"name": m.name, "who": a.who} for m, a in n.rejections],
            "lapsed": [{"who": a.who, "source": a.source, "why": w} for a, w in n.lapsed],
            "excluded": [{"who": a.who, "source": a.source, "why": w} for a, w in n.excluded],
            "can_still_approve": [m.name for m in n.can_still],
        }

    payload = {
        "mergeable": verdict.mergeable,
        "base": verdict.base,
        "head": verdict.head,
        "merge_base": verdict.merge_base,
        "errors": verdict.errors,
        "records": [
            {
                "path": o.change.path,
                "change": o.change.kind,
                "transitions": o.change.transitions,
                "fields": o.change.fields,
                "ok": o.ok,
                "errors": o.errors,
                "needs": [need(n) for n in o.needs],
            }
            for o in verdict.outcomes
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def trailers(verdict: Verdict) -> str:
    """Trailer lines recording the counted forge approvals, for the merge commit's message, so
    that an audit of the history alone can see them (GitHub keeps reviews outside git)."""
    lines = []
    for outcome in verdict.outcomes:
        for need in outcome.needs:
            for _, approval in need.counted:
                if approval.source in ("github", "gitlab"):
                    user_id = f"#{approval.user_id}" if approval.user_id else ""
                    lines.append(f"Hoso-Approved-By: {approval.source}:{approval.who}{user_id}")
    return "".join(f"{line}\n" for line in dict.fromkeys(lines))
