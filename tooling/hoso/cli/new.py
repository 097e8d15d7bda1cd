"""``hoso new``: open a case file with a collision-free id."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import click

from hoso import clock, editing, labels, yamlio
from hoso.cli import options
from hoso.cli.event_options import build_event, event_options
from hoso.cli.refusals import explained
from hoso.cli.values import DAY, coded, complete_unit, refusal, resolve_body, unit_vocabulary
from hoso.errors import HosoError, UsageError
from hoso.governance import Governance
from hoso.repo import find_root
from hoso.rules.workflow import WORKFLOWS
from hoso.validate import report
from hoso.validate.governance_files import sound_governance

CELL_LEVELS = ("cell", "grassroots")
"""Where a person's party life is: a cell, or a grassroots organisation that is itself a cell
(chi bộ cơ sở); ``cell_unit`` refuses a grassroots committee."""


def cell_unit(governance: Governance, typed: str) -> str:
    """The cell ``typed`` names (code or name), or a usage error that says what it is instead."""
    code = unit_vocabulary(governance).lookup(typed)
    if code is None:  # "Phiêng Lếch" names a commune and a cell: the cell is meant
        cells = unit_vocabulary(governance, ("cell",), "chi bộ")
        code = cells.lookup(typed)
        if code is None:
            raise click.BadParameter(refusal(cells, typed), param_hint="'--cell'")
    unit = governance.units[code]
    if unit.level == "cell" or (unit.level == "grassroots" and unit.grassroots_type == "cell"):
        return code
    below = sorted(c for c in governance.subtree(code) if governance.units[c].level == "cell")
    some = ", ".join(f"{c} ({governance.units[c].name})" for c in below[:5])
    more = f" Các chi bộ trực thuộc: {some}{', …' if len(below) > 5 else ''}." if below else ""
    raise click.BadParameter(
        f"{unit.name} ({code}) là {labels.label('level', unit.level)}, không phải chi bộ; hồ sơ "
        f"phải ghi chi bộ nơi người đó sinh hoạt.{more}",
        param_hint="'--cell'",
    )


@click.command("new")
@click.argument("kind", type=coded("kind", "LOẠI"))
@click.option(
    "--cell",
    metavar="CHI_BỘ",
    shell_complete=complete_unit,
    help="Chi bộ nơi người đó sinh hoạt: mã hoặc tên (ví dụ khe-lam-x03-cb1); bắt buộc, trừ "
    "kỷ luật tổ chức đảng.",
)
@click.option(
    "--name", metavar="HỌ_TÊN", help="Họ và tên, viết đủ dấu; bắt buộc, trừ kỷ luật tổ chức đảng."
)
@click.option(
    "--birth-date",
    type=DAY,
    help="Ngày sinh (ngày/tháng/năm); bắt buộc, trừ kỷ luật tổ chức đảng.",
)
@click.option(
    "--sex",
    type=coded("sex", "GIỚI_TÍNH"),
    help="Giới tính: nam, nữ; bắt buộc, trừ kỷ luật tổ chức đảng.",
)
@click.option(
    "--ethnicity",
    metavar="DÂN_TỘC",
    help="Dân tộc (tên trong danh mục 54 dân tộc, có dấu hay không dấu: 'tay' ghi là Tày); "
    "bắt buộc, trừ kỷ luật tổ chức đảng.",
)
@click.option(
    "--organisation",
    metavar="TỔ_CHỨC",
    shell_complete=complete_unit,
    help="Kỷ luật tổ chức đảng: mã đơn vị hoặc mã tập thể bị xem xét (ví dụ khe-lam-x01-cb2).",
)
@click.option(
    "--standing",
    type=coded("standing", "TƯ_CÁCH"),
    help="Tư cách: quần chúng, đảng viên dự bị, đảng viên chính thức; với kết nạp không cần "
    "ghi (công cụ suy ra từ lịch sử), loại khác mặc định đảng viên chính thức.",
)
@click.option("--party-card", metavar="SỐ_THẺ", help="Số thẻ đảng viên.")
@click.option("--admitted-on", type=DAY, help="Ngày kết nạp.")
@click.option("--recognised-on", type=DAY, help="Ngày công nhận chính thức.")
@click.option("--violation-date", type=DAY, help="Kỷ luật: ngày vi phạm.")
@click.option("--violation-summary", metavar="TÓM_TẮT", help="Kỷ luật: tóm tắt vi phạm.")
@click.option(
    "--violation-category",
    type=coded("category", "NHÓM"),
    help="Kỷ luật: nhóm vi phạm (xem 'hoso explain discipline').",
)
@click.option(
    "--transfer-type",
    type=coded("transfer_type", "LOẠI_CHUYỂN"),
    help="Chuyển sinh hoạt: chính thức, tạm thời, tạm thời để học tập.",
)
@click.option(
    "--direction",
    type=coded("direction", "CHIỀU"),
    default="outgoing",
    help="Chuyển sinh hoạt: chuyển đi (mặc định) hoặc chuyển đến.",
)
@click.option(
    "--counterpart",
    metavar="TỔ_CHỨC",
    help="Chuyển sinh hoạt: tổ chức đảng nơi đến (hoặc nơi đi).",
)
@click.option("--move-date", type=DAY, help="Chuyển sinh hoạt: ngày chuyển nơi ở, nơi làm việc.")
@click.option("--until", type=DAY, help="Chuyển sinh hoạt tạm thời: hạn kết thúc.")
@click.option(
    "--reason",
    type=coded("reason", "LÝ_DO"),
    help="Miễn sinh hoạt: tuổi cao, sức khỏe yếu, điều trị bệnh ở xa, ở nước ngoài, thai sản, "
    "công tác lưu động.",
)
@click.option("--period-until", type=DAY, help="Miễn sinh hoạt có thời hạn: hạn kết thúc.")
@click.option(
    "--again",
    is_flag=True,
    help="Vẫn mở dù người này đã có hồ sơ cùng loại đang mở ở chi bộ này.",
)
@event_options
@options.repo
def command(kind: str, cell: str | None, repo: Path | None, **given: Any) -> int:
    """Mở hồ sơ mới loại LOẠI (kết nạp, rà soát, kỷ luật, chuyển sinh hoạt, miễn sinh hoạt,
    kỷ luật tổ chức đảng) với bước mở đầu; --date cho hồ sơ nhập sau ngày diễn ra. In đường
    dẫn tệp đã tạo."""
    root = find_root(repo)
    governance = sound_governance(root, "không mở hồ sơ mới")
    organisation = given.pop("organisation")
    if kind not in WORKFLOWS:
        raise UsageError(
            f"hồ sơ {labels.kind(kind)} không mở bằng lệnh này: ghi tệp trong trình soạn thảo theo "
            f"schemas/{kind}.schema.json"
        )
    violation = [f"violation_{k}" for k in ("date", "summary", "category")]
    if kind == "org_discipline":
        _require(kind, {**given, "organisation": organisation}, ["organisation", *violation])
        return _organisation_case(root, governance, organisation, given)
    # The person's options and the kind's own, named in one refusal.
    own = {
        "discipline": violation,
        "transfer": ["transfer_type", "direction", "counterpart", "move_date"],
        "exemption": ["reason"],
    }.get(kind, [])
    _require(kind, {**given, "cell": cell}, ["cell", *_PERSON, *own])
    assert cell is not None  # refused above when left out
    again = given.pop("again")
    fields, event = build_case(governance, kind, cell, given)

    def unless() -> None:
        if not again:
            _not_open_already(root, kind, fields)

    with explained(0):
        written = editing.create(root, kind, fields, event, clock.today(), unless=unless)
    click.echo(written.rel)
    for warning in written.warnings:
        click.echo(report.line(warning), err=True)
    return 0


def _not_open_already(root: Path, kind: str, fields: dict[str, Any]) -> None:
    """Refuse a second open case of the same kind for the same person (same name and day of
    birth) in the same cell: the command run twice by mistake. ``--again`` opens it anyway."""
    from hoso.repo import Unreadable, read_record
    from hoso.rules.workflow import WORKFLOWS

    subject = fields["subject"]
    born = subject["birth_date"].isoformat()
    folder = root / "cases" / str(fields["unit"]) / kind
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:  # never waits on a FIFO, never follows a link
            raw = read_record(root, path.relative_to(root).as_posix())
        except Unreadable:
            continue  # hoso validate names it
        if born.encode() not in raw:
            continue  # the common case, without parsing
        data = yamlio.load_bytes(raw)
        if not isinstance(data, dict):
            continue  # hoso validate names it
        other = data.get("subject")
        if not isinstance(other, dict) or data.get("cell") != fields["cell"]:
            continue
        status = str(data.get("status", ""))
        step = WORKFLOWS[kind].steps.get(status)
        if step is None or step.final:
            continue
        # The name as written (case and spacing aside): "Hùng" and "Hưng" are two people.
        if str(other.get("birth_date")) == born and _written(other.get("name")) == _written(
            subject["name"]
        ):
            raise HosoError(
                f"đã có hồ sơ {labels.kind(kind).lower()} {data.get('id')} đang mở cho "
                f"{other.get('name')} (sinh ngày {labels.day(born)}) ở chi bộ này, nên không mở "
                "thêm hồ sơ thứ hai (có thể lệnh đã chạy hai lần). Xem: hoso show "
                f"{data.get('id')}; nếu đúng là cần hồ sơ mới, chạy lại với --again"
            )


def _written(name: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).casefold().split())


def build_case(
    governance: Governance, kind: str, cell: str, given: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A person's new case: its fields and its opening event from this command's option values
    (also what the forms fill in), in the house key order; click errors name the bad option."""
    given = dict(given)
    given.pop("organisation", None)
    cell = cell_unit(governance, cell)
    district = governance.ancestor_at(cell, "district")
    if district is None:
        raise UsageError(f"chi bộ {cell!r} không thuộc đảng bộ cấp huyện nào trong units.yaml")
    # An applicant's standing follows from the history; a member's is written.
    standing = given.pop("standing") or (None if kind == "admission" else "official")
    subject = {
        "name": given.pop("name"),
        "birth_date": given.pop("birth_date"),
        "sex": given.pop("sex"),
        "ethnicity": _ethnicity(given.pop("ethnicity")),
        **({"standing": standing} if standing else {}),
    }
    for key in ("party_card", "admitted_on", "recognised_on"):
        value = given.pop(key)
        if value:
            subject[key] = value
    fields: dict[str, Any] = {"unit": district.code, "cell": cell, "subject": subject}
    fields.update(_kind_fields(kind, given))
    opening = WORKFLOWS[kind].opening()[0]
    return fields, build_event(opening, cell, governance, **given)


_PERSON = ("name", "birth_date", "sex", "ethnicity")


def _ethnicity(typed: str | None) -> str | None:
    """The official name of the group typed ("tay" is Tày), so that reports count it once."""
    return labels.ethnicity(typed) if typed else typed


def _require(kind: str, given: dict[str, Any], keys: list[str]) -> None:
    """Refuse, naming every option left out, before anything is judged."""
    missing = [f"--{k.replace('_', '-')}" for k in keys if given.get(k) in (None, "")]
    if missing:
        raise UsageError(f"hồ sơ {labels.kind(kind)} cần {', '.join(missing)}")


def _organisation_case(
    root: Path, governance: Governance, organisation: str | None, given: dict[str, Any]
) -> int:
    """A discipline case about a party organisation: no person, the organisation instead."""
    if not organisation:
        raise UsageError(
            f"hồ sơ {labels.kind('org_discipline')} cần --organisation (mã đơn vị hoặc mã tập thể)"
        )
    organisation = resolve_body(governance, organisation, "--organisation")
    committee = governance.committees.get(organisation)
    unit = committee.unit if committee else organisation
    district = governance.ancestor_at(unit, "district") or governance.ancestor_at(unit, "province")
    if district is None:
        raise UsageError(
            f"tổ chức {organisation} không thuộc đảng bộ cấp huyện hay tỉnh nào trong "
            "governance/units.yaml"
        )
    for key in (*_PERSON, "standing", "party_card", "admitted_on", "recognised_on"):
        given.pop(key, None)
    violation = _kind_fields("discipline", given)["violation"]
    fields = {"unit": district.code, "organisation": organisation, "violation": violation}
    opening = WORKFLOWS["org_discipline"].opening()[0]
    event = build_event(opening, organisation, governance, **given)
    with explained(0):
        written = editing.create(root, "org_discipline", fields, event, clock.today())
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
        return {"violation": violation}
    if kind == "transfer":
        return {k: v for k, v in transfer.items() if v is not None}
    if kind == "exemption":
        return {k: v for k, v in exemption.items() if v is not None}
    return {}
