"""``hoso transition``: record one step of a case."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from hoso import editing, yamlio
from hoso.cli import options
from hoso.cli.event_options import event_options
from hoso.repo import find_root
from hoso.validate import report


@click.command("transition")
@click.argument("case")
@click.option("--to", "state", required=True, help="Trạng thái mới (xem 'hoso explain LOẠI').")
@event_options
@options.repo
def command(case: str, state: str, repo: Path | None, **given: Any) -> int:
    """Ghi một bước mới vào hồ sơ CASE (mã hoặc đường dẫn); từ chối nếu sai quy định."""
    from hoso.cli.event_options import build_event

    root = find_root(repo)
    path = editing.find_case(root, case)
    data = yamlio.load_bytes(path.read_bytes())
    cell = str(data.get("cell", "")) if isinstance(data, dict) else ""
    event = build_event(state, cell, **given)
    written = editing.record_step(root, path, event, date.today())
    click.echo(f"Đã ghi bước {state!r} vào {written.rel}.")
    for warning in written.warnings:
        click.echo(report.line(warning))
    return 0
