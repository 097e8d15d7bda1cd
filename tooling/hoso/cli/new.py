"""``hoso new``: open a case file with a collision-free id."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from hoso import editing
from hoso.cli import options
from hoso.cli.event_options import DAY, build_event, event_options
from hoso.errors import UsageError
from hoso.repo import find_root
from hoso.rules.workflow import WORKFLOWS
from hoso.validate import report
from hoso.validate.governance_files import load_governance


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command("new")
@click.argument("kind", type=click.Choice(sorted(WORKFLOWS)))
@click.option("--cell", required=True, help="Mã chi bộ nơi người đó sinh hoạt.")
@click.option("--name", required=True, help="Họ và tên.")
@click.option("--birth-date", type=DAY, required=True, help="Ngày sinh (NNNN-TT-NN).")
@click.option("--sex", type=click.Choice(["male", "female"]), required=True, help="Giới tính.")
@click.option("--ethnicity", required=True, help="Dân tộc.")
@click.option(
    "--standing",
    type=click.Choice(["candidate", "probationary", "official"]),
    help="Tư cách; mặc định quần chúng với kết nạp, đảng viên chính thức với loại khác.",
)
@click.option("--party-card", help="Số thẻ đảng viên.")
@click.option("--admitted-on", type=DAY, help="Ngày kết nạp.")
@click.option("--recognised-on", type=DAY, help="Ngày công nhận chính thức.")
@click.option("--violation-date", type=DAY, help="Kỷ luật: ngày vi phạm.")
@click.option("--violation-summary", help="Kỷ luật: tóm tắt vi phạm.")
@click.option("--violation-category", help="Kỷ luật: nhóm vi phạm (xem schema).")
@click.option("--transfer-type", help="Chuyển sinh hoạt: official, temporary, temporary_study.")
@click.option(
    "--direction",
    default="outgoing",
    show_default=True,
    help="Chuyển sinh hoạt: outgoing hoặc incoming.",
)
@click.option("--counterpart", help="Chuyển sinh hoạt: tổ chức đảng nơi đến (hoặc nơi đi).")
@click.option("--move-date", type=DAY, help="Chuyển sinh hoạt: ngày chuyển nơi ở, nơi làm việc.")
@click.option("--until", type=DAY, help="Chuyển sinh hoạt tạm thời: hạn kết thúc.")
@click.option(
    "--reason", help="Miễn sinh hoạt: age, health, treatment_away, abroad, maternity, mobile_work."
)
@click.option("--period-until", type=DAY, help="Miễn sinh hoạt có thời hạn: hạn kết thúc.")
@event_options
@options.repo
def command(kind: str, cell: str, repo: Path | None, **given: Any) -> int:
    """Tạo hồ sơ mới loại KIND với bước mở đầu; in đường dẫn tệp đã tạo."""
    root = find_root(repo)
    governance, _ = load_governance(root)
    district = governance.ancestor_at(cell, "district")
    if district is None:
        raise UsageError(f"không có chi bộ {cell!r} trong governance/units.yaml")
    standing = given.pop("standing") or ("candidate" if kind == "admission" else "official")
    subject = {
        "name": given.pop("name"),
        "birth_date": _day(given.pop("birth_date")),
        "sex": given.pop("sex"),
        "ethnicity": given.pop("ethnicity"),
        "standing": standing,
    }
    for key in ("party_card", "admitted_on", "recognised_on"):
        value = given.pop(key)
        if value:
            subject[key] = _day(value) if isinstance(value, datetime) else value
    fields: dict[str, Any] = {"unit": district.code, "cell": cell, "subject": subject}
    fields.update(_kind_fields(kind, given))
    opening = WORKFLOWS[kind].opening()[0]
    event = build_event(opening, cell, **given)
    written = editing.create(root, kind, fields, event, date.today())
    click.echo(written.rel)
    for warning in written.warnings:
        click.echo(report.line(warning), err=True)
    return 0


def _kind_fields(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    violation = {k: given.pop(f"violation_{k}") for k in ("date", "summary", "category")}
    transfer = {
        k: given.pop(k) for k in ("transfer_type", "direction", "counterpart", "move_date", "until")
    }
    exemption = {k: given.pop(k) for k in ("reason", "period_until")}
    if kind == "discipline":
        return {
            "violation": {
                "date": _day(violation["date"]),
                "summary": violation["summary"],
                "category": violation["category"],
            }
        }
    if kind == "transfer":
        out = {k: _day(v) if isinstance(v, datetime) else v for k, v in transfer.items()}
        return {k: v for k, v in out.items() if v is not None}
    if kind == "exemption":
        return {
            "reason": exemption["reason"],
            **(
                {"period_until": _day(exemption["period_until"])}
                if exemption["period_until"]
                else {}
            ),
        }
    return {}
