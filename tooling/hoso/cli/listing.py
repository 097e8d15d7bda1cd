"""``hoso list`` and ``hoso due``: cases and pending steps, from the validator's summaries."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from hoso import clock, labels
from hoso.cli import options
from hoso.cli.values import DAY, WHOLE, coded, complete, complete_unit, resolve, resolve_unit
from hoso.governance import Governance
from hoso.repo import find_root
from hoso.validate import report
from hoso.validate.findings import Result
from hoso.validate.governance_files import broken, load_governance, said, sound_governance
from hoso.validate.run import Options, run
from hoso.views.listing import Filter, due_within, select

_AS_OF = click.option("--as-of", type=DAY, help="Ngày dùng làm 'hôm nay' (ngày/tháng/năm).")
_UNIT = click.option(
    "--unit",
    metavar="ĐƠN_VỊ",
    shell_complete=complete_unit,
    help="Chỉ hồ sơ thuộc đơn vị này và các đơn vị cấp dưới (mã hoặc tên).",
)


def _status_completion(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    kind = ctx.params.get("kind")
    states = labels.states(kind) if kind else labels.all_states()
    return complete(states.labels, incomplete)


def resolve_status(kind: str | None, typed: str) -> tuple[str | None, str]:
    """The kind and state a typed state names: among one kind's states, or, without a kind,
    a state code of any kind (kind left open) or a label, which also fixes the kind."""
    if kind:
        return kind, resolve(labels.states(kind), typed, "--status")
    every = labels.all_states()
    if typed in every.labels:
        return None, typed
    each = {
        name: labels.states(name).matching(typed) for name in labels.VOCABULARIES["kind"].labels
    }
    found = {(name, codes[0]) for name, codes in each.items() if len(codes) == 1}
    if all(len(codes) <= 1 for codes in each.values()):  # else ambiguous: refused, saying so
        if len(found) == 1:
            return found.pop()
        if len({code for _, code in found}) == 1:
            return None, found.pop()[1]
    return None, resolve(every, typed, "--status")


def _unit(governance: Governance, typed: str | None) -> str | None:
    return resolve_unit(governance, typed, "--unit") if typed else None


def _left_out(result: Result) -> int:
    """Name each record file that could not be read (it is in no list), each error in the
    governance files (names and deadlines above may then be wrong) and each file sharing its
    case id with another (one case shown twice, or two taken for one); exit 1 if any."""
    unread = result.unread()
    if unread:
        click.echo(
            f"hoso: {len(unread)} tệp hồ sơ không đọc được nên không có trong kết quả trên:",
            err=True,
        )
        for f in unread:
            click.echo(f"  {report.line(f)}", err=True)
    errors = broken(result.findings)
    if errors:
        what = "tên đơn vị, hạn và người phải làm ở trên có thể sai hoặc thiếu"
        click.echo(f"hoso: {said(errors, what)}", err=True)
    twice = sorted(f.file for f in result.findings if f.rule == "record.duplicate_id")
    if twice:
        click.echo(
            f"hoso: {len(twice)} tệp hồ sơ dùng chung mã hồ sơ với tệp khác, nên một hồ sơ có thể "
            "hiện hai lần hoặc lẫn với hồ sơ khác ở trên; xem và sửa bằng 'hoso validate':",
            err=True,
        )
        for rel in twice:
            click.echo(f"  {rel}", err=True)
    return 1 if unread or errors or twice else 0


def _governance(root: Path, unit: str | None) -> Governance:
    """The governance to name units by; refused when a unit filter cannot be trusted."""
    if unit:
        return sound_governance(root, f"không lọc được theo đơn vị {unit!r}")
    return load_governance(root)[0]


@click.command("list")
@_UNIT
@click.option("--kind", type=coded("kind", "LOẠI"), help="Chỉ loại hồ sơ này (mã hoặc tên).")
@click.option(
    "--status",
    metavar="TRẠNG_THÁI",
    shell_complete=_status_completion,
    help="Chỉ trạng thái này (mã hoặc tên; xem 'hoso explain LOẠI').",
)
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
    as_of: date | None,
    repo: Path | None,
) -> int:
    """Liệt kê hồ sơ, lọc theo đơn vị (kể cả cấp dưới), loại, trạng thái, quá hạn."""
    root = find_root(repo)
    today = as_of or clock.today()
    governance = _governance(root, unit)
    unit = _unit(governance, unit)
    if status:
        kind, status = resolve_status(kind, status)
    result = run(Options(root, None, today))
    rows = select(result.summaries, governance, Filter(unit, kind, status, overdue), today)
    if fmt == "json":
        payload = [{"file": rel, **asdict(s)} for rel, s in rows]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=list))
        return _left_out(result)
    for _, s in rows:
        late = " [quá hạn]" if any(d < today.isoformat() for d, _ in s.due) else ""
        where = labels.unit(governance, s.cell or s.unit)
        state = f": {labels.state(s.kind, s.status)}" if s.status else ""
        click.echo(f"{s.id}  {where}  {labels.kind(s.kind)}{state}{late}")
    click.echo(f"{len(rows)} hồ sơ.")
    return _left_out(result)


@click.command("due")
@click.option(
    "--within",
    type=WHOLE,
    metavar="SỐ_NGÀY",
    default=30,
    show_default=True,
    help="Cả những bước đến hạn trong số ngày này.",
)
@_UNIT
@_AS_OF
@options.repo
def due_command(within: int, unit: str | None, as_of: date | None, repo: Path | None) -> int:
    """Các bước đã quá hạn hoặc sắp đến hạn, nhóm theo đảng bộ cấp huyện; --unit chỉ xem một
    đơn vị và các đơn vị cấp dưới."""
    root = find_root(repo)
    today = as_of or clock.today()
    governance = _governance(root, unit)
    unit = _unit(governance, unit)
    result = run(Options(root, None, today))
    summaries = result.summaries
    if unit:
        rows = select(summaries, governance, Filter(unit), today)
        summaries = dict(rows)
    grouped = due_within(summaries, today, within)
    total = 0
    for district, items in grouped.items():
        click.echo(f"{labels.unit(governance, district)}:")
        for item in items:
            flag = "QUÁ HẠN" if item.overdue else "sắp đến hạn"
            late = (today - date.fromisoformat(item.due)).days
            since = f" (quá {late} ngày)" if item.overdue else ""
            where = f" — {labels.unit(governance, item.cell)}" if item.cell else ""
            click.echo(
                f"  {labels.day(item.due)}  {flag:<11}  {item.id}  {item.what}{since}{where}"
            )
        total += len(items)
    scope = f" ở {labels.unit(governance, unit)}" if unit else ""
    click.echo(
        f"{total} việc quá hạn hoặc đến hạn trong {within} ngày tới{scope} "
        f"(tính từ {labels.day(today)})."
    )
    return _left_out(result)
