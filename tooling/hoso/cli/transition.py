"""``hoso transition``: record one step of a case."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from hoso import clock, editing, labels, yamlio
from hoso.cli import options
from hoso.cli.event_options import build_event, event_options
from hoso.cli.refusals import describe, explained, problem_line
from hoso.cli.values import complete, complete_case, resolve
from hoso.errors import HosoError, UsageError
from hoso.repo import find_root, relative
from hoso.rules.workflow import WORKFLOWS
from hoso.validate import report
from hoso.validate.governance_files import sound_governance
from hoso.validate.messages import show
from hoso.validate.record import model_of, parse, validate_model
from hoso.views.nextsteps import next_steps


def _complete_state(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The steps the workflow allows next for the case already typed, else every state."""
    choices: Mapping[str, str] = labels.all_states().labels
    try:
        root = find_root(ctx.params.get("repo"))
        # While an option's value is being completed, click leaves the argument unparsed.
        case = ctx.params.get("case") or ctx.args[0]
        data = yamlio.load_bytes(editing.read_case(root, editing.find_case(root, str(case))))
        if isinstance(data, dict) and data.get("kind") in WORKFLOWS:
            kind = str(data["kind"])
            following = WORKFLOWS[kind].next_states(str(data.get("status")))
            choices = {s: labels.state(kind, s) for s in following}
    except Exception:  # completion must never break the shell: offer every state
        pass
    return complete(choices, incomplete)


def _unknown_status(rel: str, raw: bytes, kind: str, status: object) -> str:
    """Why a case whose ``status`` is missing or names no step of its workflow takes no step:
    the file is invalid (it has not ended), said at the line the validator names."""
    text, data, problems = parse(raw)
    model = model_of(data) if isinstance(data, dict) else None
    if model is not None and text is not None:
        problems = validate_model(text, data, model)[1]
    at = next((p for p in problems if p.field == "status"), None)
    line = f"dòng {at.line}: " if at is not None else ""
    if at is not None and at.rule == "schema.missing":
        where = problem_line(at)
    elif isinstance(data, dict) and "status" not in data:
        where = f"{line}thiếu trường bắt buộc “trạng thái” (status)"
    else:
        where = (
            f"{line}“trạng thái” (status) là {show(status)}, không phải một bước của quy trình "
            f"“{labels.kind(kind)}” ('hoso explain {kind}' nêu các bước)"
        )
    return (
        f"{rel}: tệp không hợp lệ: trạng thái (status) của hồ sơ bị thiếu hoặc không phải một "
        f"bước của quy trình, nên không ghi bước nào. Sửa chỗ sau rồi ghi lại ('hoso validate "
        f"{rel}' nêu từng lỗi):\n  {where}"
    )


@click.command("transition")
@click.argument("case", metavar="MÃ_HỒ_SƠ", shell_complete=complete_case)
@click.option(
    "--to",
    "state",
    metavar="TRẠNG_THÁI",
    shell_complete=_complete_state,
    help="Bước mới (bắt buộc): tên hoặc mã trạng thái; thiếu thì lệnh nêu các bước ghi được "
    "bây giờ (như 'hoso show MÃ_HỒ_SƠ').",
)
@event_options
@options.repo
def command(case: str, state: str | None, repo: Path | None, **given: Any) -> int:
    """Ghi một bước mới vào hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn tệp); từ chối nếu sai quy định
    và nói cần thêm tùy chọn nào."""
    root = find_root(repo)
    path = editing.find_case(root, case)
    rel = relative(root, path)
    raw = editing.read_case(root, path)
    data = yamlio.load_bytes(raw)
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(kind, str) or kind not in WORKFLOWS:
        raise HosoError(f"{rel}: không phải hồ sơ vụ việc đọc được; chạy 'hoso validate {rel}'")
    kind = str(data["kind"])
    status = data.get("status")
    if not isinstance(status, str) or status not in WORKFLOWS[kind].steps:
        raise HosoError(_unknown_status(rel, raw, kind, status))
    case_id = str(data.get("id", case))
    governance = sound_governance(root, "không ghi bước nào")
    if state is None:
        steps = next_steps(root, rel, raw, governance, clock.today())
        lines = describe(steps, kind, case_id, governance)
        raise UsageError(
            "thiếu tùy chọn '--to' (bước cần ghi); hãy chọn một trong các bước dưới đây.\n"
            + "\n".join(lines)
        )
    try:
        state = resolve(labels.states(kind), state, "--to")
    except click.BadParameter as exc:
        # As for a missing --to: what was wrong, then the steps that can be recorded now.
        steps = next_steps(root, rel, raw, governance, clock.today())
        lines = describe(steps, kind, case_id, governance)
        raise UsageError(f"--to: {exc.message}\n" + "\n".join(lines)) from None
    workflow = WORKFLOWS[kind]
    if state not in workflow.next_states(status):
        steps = next_steps(root, rel, raw, governance, clock.today())
        lines = describe(steps, kind, case_id, governance)
        if state == status:
            raise HosoError(
                f"bước {labels.state_quoted(kind, state)} đã được ghi: đó là trạng thái "
                "hiện tại của hồ sơ; không ghi lại.\n" + "\n".join(lines)
            )
        raise HosoError(
            f"không thể chuyển từ {labels.state_quoted(kind, status)} sang "
            f"{labels.state_quoted(kind, state)}.\n" + "\n".join(lines)
        )
    # The default acting body: the member's cell, or the organisation a discipline is about.
    body = str(data.get("cell") or data.get("organisation") or "")
    event = build_event(state, body, governance, **given)
    with explained(len(data.get("history") or [])):
        written = editing.record_step(root, path, event, clock.today())
    click.echo(f"Đã ghi bước “{labels.state(kind, state)}” vào hồ sơ {case_id}.")
    for warning in written.warnings:
        click.echo(report.line(warning))
    return 0
