"""``hoso list`` and ``hoso due``: cases and pending steps, from the validator's summaries."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import click

from hoso.cli import options
from hoso.cli.event_options import DAY
from hoso.models import STATE_LABELS
from hoso.repo import find_root
from hoso.validate.governance_files import load_governance
from hoso.validate.run import Options, run
from hoso.views.listing import Filter, due_within, select

_AS_OF = click.option("--as-of", type=DAY, help="Ngày dùng làm 'hôm nay' (NNNN-TT-NN).")


def _today(as_of: datetime | None) -> date:
    return as_of.date() if as_of else date.today()


@click.command("list")
@click.option("--unit", help="Chỉ hồ sơ thuộc đơn vị này và các đơn vị cấp dưới.")
@click.option("--kind", help="Chỉ loại hồ sơ này.")
@click.option("--status", help="Chỉ trạng thái này.")
@click.option("--overdue", is_flag=True, help="Chỉ hồ sơ có bước quá hạn.")
@options.output("text", "json")
@_AS_OF
@options.repo
def list_command(
    unit: str | None,
    kind: str | None,
    status: str | None,
    overdue: bool,
    fmt: str,
    as_of: datetime | None,
    repo: Path | None,
) -> int:
    """Liệt kê hồ sơ, lọc theo đơn vị (kể cả cấp dưới), loại, trạng thái, quá hạn."""
    root = find_root(repo)
    today = _today(as_of)
    result = run(Options(root, None, today))
    governance, _ = load_governance(root)
    rows = select(result.summaries, governance, Filter(unit, kind, status, overdue), today)
    if fmt == "json":
        payload = [{"file": rel, **asdict(s)} for rel, s in rows]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=list))
        return 0
    for rel, s in rows:
        label = STATE_LABELS.get(s.kind, {}).get(s.status, s.status)
        late = " [quá hạn]" if any(d < today.isoformat() for d, _ in s.due) else ""
        click.echo(f"{s.id}  {s.unit:<16} {s.kind:<11} {label}{late}  ({rel})")
    click.echo(f"{len(rows)} hồ sơ.")
    return 0


@click.command("due")
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Cả những bước đến hạn trong số ngày này.",
)
@_AS_OF
@options.repo
def due_command(within: int, as_of: datetime | None, repo: Path | None) -> int:
    """Các bước đã quá hạn hoặc sắp đến hạn, nhóm theo đảng bộ cấp huyện."""
    root = find_root(repo)
    today = _today(as_of)
    result = run(Options(root, None, today))
    grouped = due_within(result.summaries, today, within)
    total = 0
    for unit, items in grouped.items():
        click.echo(f"{unit}:")
        for item in items:
            flag = "QUÁ HẠN" if item.overdue else "sắp đến hạn"
            click.echo(f"  {item.due}  {flag:<11}  {item.id}  {item.what}")
        total += len(items)
    click.echo(f"{total} việc quá hạn hoặc đến hạn trong {within} ngày tới (tính từ {today}).")
    return 0
