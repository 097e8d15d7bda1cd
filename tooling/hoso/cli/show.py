"""``hoso show``: one case's timeline, state, next steps and due dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from hoso import clock, editing
from hoso.cli import options
from hoso.cli.refusals import describe, problem_line
from hoso.cli.values import DAY, complete_case
from hoso.errors import HosoError
from hoso.models import PlanRecord, RankingRecord
from hoso.repo import find_root, relative
from hoso.validate.governance_files import broken, load_governance, said
from hoso.validate.record import model_of, parse, validate_model
from hoso.views.nextsteps import next_steps
from hoso.views.timeline import render


@click.command("show")
@click.argument("case", metavar="MÃ_HỒ_SƠ", shell_complete=complete_case)
@click.option("--as-of", type=DAY, help="Ngày dùng làm 'hôm nay' khi tính thời hạn.")
@options.repo
def command(case: str, as_of: date | None, repo: Path | None) -> int:
    """Xem hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn tệp): diễn biến, trạng thái, các bước ghi được
    bây giờ và tổ chức phải thực hiện, thời hạn."""
    root = find_root(repo)
    sent = waiting_on = ""
    try:
        path = editing.find_case(root, case)
        rel = relative(root, path)
        raw = editing.read_case(root, path)
    except editing.SentForApproval as waiting:
        # Sent with 'hoso submit' and not merged yet: shown as sent, for reading.
        rel, raw = waiting.sent(root)
        waiting_on = waiting.branch
        sent = (
            f"Hồ sơ đã gửi phê duyệt, đang chờ hợp nhất (nhánh {waiting.branch}): dưới đây là "
            "bản đã gửi. Muốn ghi thêm bước trước khi được hợp nhất: git switch "
            f"{waiting.branch}, ghi bước, rồi 'hoso submit'.\n\n"
        )
    text, data, problems = parse(raw)
    record = None
    model = model_of(data) if data is not None else None
    if model is not None and text is not None:
        record, problems = validate_model(text, data, model)
    if isinstance(record, (PlanRecord, RankingRecord)):
        what = "kế hoạch" if isinstance(record, PlanRecord) else "đánh giá, xếp loại"
        raise HosoError(
            f"{rel} là hồ sơ {what}, không có các bước như hồ sơ vụ việc nên lệnh show không "
            "hiện được: mở tệp trong trình soạn thảo, hoặc xem trang đơn vị trên trang web "
            f"(kiểm tra bằng 'hoso validate {rel}')"
        )
    if record is None:
        where = f" (bản đã gửi, trên nhánh {waiting_on})" if waiting_on else ""
        how = (
            f"sau git switch {waiting_on}" if waiting_on else f"'hoso validate {rel}' nêu từng chỗ"
        )
        lines = [f"  {problem_line(p)}" for p in problems[:5]]
        more = [f"  (và {len(problems) - 5} lỗi khác)"] if len(problems) > 5 else []
        raise HosoError(
            "\n".join(
                [
                    f"{rel}{where}: tệp có lỗi nên không hiện được hồ sơ; sửa các chỗ sau ({how}):",
                    *(lines or ["  không rõ loại hồ sơ (trường kind)"]),
                    *more,
                ]
            )
        )
    governance, found = load_governance(root)
    today = as_of or clock.today()
    steps = next_steps(root, rel, raw, governance, today)
    following = describe(steps, record.kind, record.id, governance)
    click.echo(sent + render(record, governance, today, following), nl=False)
    errors = broken(found)
    if errors:
        what = "tên đơn vị, hạn và các bước có thể ghi ở trên có thể sai hoặc thiếu"
        click.echo(f"hoso: {said(errors, what)}", err=True)
    return 1 if errors else 0
