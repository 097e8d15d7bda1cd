"""A workflow in words and as a Mermaid diagram, from the tables the validator uses."""

from __future__ import annotations

from hoso.models import KIND_LABELS, STATE_LABELS
from hoso.rules.deadlines import DEADLINES
from hoso.rules.rulesets import RULE_SETS
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS, Step


def mermaid(kind: str) -> str:
    workflow = WORKFLOWS[kind]
    lines = ["stateDiagram-v2"]
    for state in workflow.steps:
        lines.append(f"    {state}: {STATE_LABELS[kind][state]}")
    for state in workflow.opening():
        lines.append(f"    [*] --> {state}")
    for step in workflow.steps.values():
        for before in sorted(step.after):
            lines.append(f"    {before} --> {step.state}")
        if step.final:
            lines.append(f"    {step.state} --> [*]")
    return "\n".join(lines) + "\n"


def _vote_text(step: Step) -> str:
    if step.vote == "none" or step.threshold is None:
        return "có ghi kết quả biểu quyết" if step.vote == "pass" else ""
    rules = RULE_SETS[-1]
    value = rules[step.threshold]
    how = "bỏ phiếu kín, " if step.secret else ""
    if step.vote == "fail":
        return f"{how}biểu quyết không đạt {value.describe()}"
    return f"{how}biểu quyết đạt {value.describe()} ({value.source})"


def markdown(kind: str) -> str:
    """The guidance for one kind: each step, who acts, what it records, and its deadline."""
    workflow = WORKFLOWS[kind]
    labels = STATE_LABELS[kind]
    deadlines = {d.state: d for d in DEADLINES if d.kind == kind}
    rules = RULE_SETS[-1]
    out = [
        f"# {KIND_LABELS[kind]}",
        "",
        f"Hồ sơ bắt đầu bằng: {', '.join(labels[s].lower() for s in workflow.opening())}.",
        "",
        "| Bước (trạng thái) | Ai thực hiện | Phải ghi | Thời hạn | Bước tiếp theo |",
        "|---|---|---|---|---|",
    ]
    for step in workflow.steps.values():
        needs = [t for t in ("văn bản" if step.document else "", _vote_text(step)) if t]
        deadline = deadlines.get(step.state)
        due = ""
        if deadline:
            parts = [rules[k].describe() for k in (deadline.months, deadline.workdays) if k]
            start = (
                "ngày chuyển"
                if deadline.start == "move_date"
                else labels.get(deadline.start, deadline.start).lower()
            )
            due = f"{' + '.join(parts)} kể từ: {start}"
        following = ", ".join(f"`{s}`" for s in workflow.next_states(step.state)) or "kết thúc"
        out.append(
            f"| **{labels[step.state]}** (`{step.state}`) | "
            f"{ACTOR_LABELS[step.actor]} | {'; '.join(needs) or '—'} | {due or '—'} | "
            f"{following} |"
        )
    out += ["", "## Việc cần làm ở từng bước", ""]
    out += [f"- **{labels[s.state]}**: {s.guide}" for s in workflow.steps.values()]
    out += ["", "## Sơ đồ trạng thái", "", "```mermaid", mermaid(kind).rstrip(), "```", ""]
    return "\n".join(out)


def text(kind: str) -> str:
    """The same guidance for a terminal."""
    workflow = WORKFLOWS[kind]
    labels = STATE_LABELS[kind]
    out = [KIND_LABELS[kind].upper(), ""]
    for step in workflow.steps.values():
        out.append(f"{step.state}: {labels[step.state]}")
        out.append(f"    ai thực hiện: {ACTOR_LABELS[step.actor]}")
        needs = [t for t in ("văn bản" if step.document else "", _vote_text(step)) if t]
        if needs:
            out.append(f"    phải ghi: {'; '.join(needs)}")
        following = ", ".join(workflow.next_states(step.state)) or "(kết thúc)"
        out.append(f"    tiếp theo: {following}")
        out.append(f"    {step.guide}")
    return "\n".join(out) + "\n"
