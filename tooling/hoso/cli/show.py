"""``hoso show``: one case's timeline, state, next steps and due dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from hoso import editing
from hoso.cli import options
from hoso.cli.event_options import DAY
from hoso.errors import HosoError
from hoso.models import RECORD_MODELS, PlanRecord
from hoso.repo import find_root, relative
from hoso.validate.governance_files import load_governance
from hoso.validate.record import parse, validate_model
from hoso.views.timeline import render


@click.command("show")
@click.argument("case")
@click.option("--as-of", type=DAY, help="Ngày dùng làm 'hôm nay' khi tính thời hạn.")
@options.repo
def command(case: str, as_of: datetime | None, repo: Path | None) -> int:
    """Xem hồ sơ CASE (mã hoặc đường dẫn): diễn biến, trạng thái, bước tiếp theo, thời hạn."""
    root = find_root(repo)
    path = editing.find_case(root, case)
    text, data, problems = parse(path.read_bytes())
    record = None
    if data is not None and text is not None and data.get("kind") in RECORD_MODELS:
        record, problems = validate_model(text, data, RECORD_MODELS[data["kind"]])
    if record is None or isinstance(record, PlanRecord):
        why = "; ".join(p.message for p in problems) or "không phải hồ sơ vụ việc"
        raise HosoError(f"{relative(root, path)}: không đọc được hồ sơ: {why}")
    governance, _ = load_governance(root)
    today = as_of.date() if as_of else datetime.now().date()
    click.echo(render(record, governance, today), nl=False)
    return 0
