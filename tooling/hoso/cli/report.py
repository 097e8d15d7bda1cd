"""``hoso report``: the 6-monthly or annual report of a unit and the units under it."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

import click

from hoso import clock
from hoso.cli import destinations, options
from hoso.cli.values import Coded, PathType, complete_unit, resolve_unit
from hoso.errors import HosoError, UsageError
from hoso.freezer import paused
from hoso.labels import AUDIENCE_LABELS, Vocabulary, day
from hoso.repo import find_root
from hoso.reports import render
from hoso.reports.figures import Period, compute
from hoso.site.data import incomplete, load

SCREEN = Path("-")
"""``--out -``, exactly as typed: the screen (``./-`` is the file of that name)."""


class _Out(PathType):
    """A report file, or ``-`` for the screen: told apart before the path is normalised,
    which makes ``./-`` read ``-`` too."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return SCREEN if value == "-" else super().convert(value, param, ctx)


REPORT_AUDIENCES = Vocabulary("đối tượng", {k: AUDIENCE_LABELS[k] for k in ("staff", "commission")})


def _template(path: Path | None) -> bytes | None:
    """The template's bytes, read as the options are: a wrong file is refused at once."""
    if path is None:
        return None
    from hoso.reports.docx import TemplateError, read_template

    try:
        return read_template(path)
    except TemplateError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("report")
@click.option(
    "--period",
    required=True,
    metavar="KỲ",
    help='Kỳ báo cáo: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026" hoặc "năm 2026" (hoặc '
    "2026-H1, 2026-H2, 2026).",
)
@click.option(
    "--unit",
    required=True,
    metavar="ĐƠN_VỊ",
    shell_complete=complete_unit,
    help="Đơn vị báo cáo, mã hoặc tên (kèm các đơn vị trực thuộc).",
)
@options.output("md", "csv", "xlsx", "docx")
@click.option(
    "--out",
    type=_Out(dir_okay=False, path_type=Path),
    help="Tệp kết quả (bắt buộc với xlsx và docx; '-' là in ra màn hình); không ghi đè tệp "
    "đã có nếu không có --overwrite, không bao giờ ghi vào cases/ hay governance/ hoặc qua "
    "liên kết tượng trưng.",
)
@click.option("--overwrite", is_flag=True, help="Ghi đè tệp --out nếu đã có.")
@click.option(
    "--audience",
    type=Coded(REPORT_AUDIENCES, "ĐỐI_TƯỢNG"),
    default="staff",
    show_default="cán bộ",
    help="ủy ban (commission): thêm phụ lục danh sách có tên (mật); cán bộ (staff): chỉ số liệu.",
)
@click.option(
    "--template",
    type=PathType(exists=True, dir_okay=False, path_type=Path),
    callback=lambda _ctx, _param, value: _template(value),
    help="Mẫu .docx của đơn vị (kiểu chữ, lề).",
)
@click.option(
    "--number",
    metavar="SỐ_HIỆU",
    default="…-BC/…",
    show_default=True,
    help="Số và ký hiệu báo cáo.",
)
@click.option(
    "--place",
    metavar="ĐỊA_DANH",
    default="…",
    show_default=True,
    help="Địa danh ở dòng ngày tháng.",
)
@click.option(
    "--signer",
    metavar="HỌ_TÊN",
    default="",
    help="Họ tên người ký (để trống: dòng chấm để ghi tay).",
)
@click.option(
    "--signer-title",
    metavar="CHỨC_VỤ",
    default="BÍ THƯ",
    show_default=True,
    help="Chức vụ người ký báo cáo.",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Vẫn lập báo cáo khi có tệp hồ sơ không đọc được (báo cáo ghi rõ số tệp bị bỏ qua).",
)
@options.repo
def command(
    period: str,
    unit: str,
    fmt: str,
    out: Path | None,
    overwrite: bool,
    audience: str,
    template: bytes | None,
    number: str,
    place: str,
    signer: str,
    signer_title: str,
    allow_incomplete: bool,
    repo: Path | None,
) -> int:
    """Lập báo cáo định kỳ từ hồ sơ: kết nạp, rà soát, kỷ luật (đảng viên và tổ chức đảng),
    chuyển và miễn sinh hoạt, kế hoạch, xếp loại chất lượng; mỗi số liệu kèm số của kỳ trước."""
    root = find_root(repo)
    span = Period.parse(period)
    if span.start > clock.today():
        raise UsageError(
            f"kỳ {span.name} bắt đầu ngày {day(span.start)}, chưa đến: chưa có số "
            "liệu nào để báo cáo"
        )
    if out is SCREEN:  # the usual name of the standard output
        if fmt in ("xlsx", "docx"):
            raise UsageError(
                f"định dạng {fmt} cần --out TỆP: tệp {fmt} không in ra màn hình được ('-')"
            )
        out = None
    if fmt in ("xlsx", "docx") and out is None:
        raise UsageError(f"định dạng {fmt} cần --out TỆP")
    if out is not None:
        destinations.report_file(out, root, overwrite)
    with paused():
        data = load(root, "staff", clock.today(), models=audience == "commission")
    unit = resolve_unit(data.governance, unit, "--unit")
    if data.unread and not allow_incomplete:
        raise HosoError(incomplete(data.unread, "lập báo cáo", "--allow-incomplete"))
    for rel, why in data.unread:
        click.echo(f"hoso: bỏ qua tệp không đọc được: {rel}: {why}", err=True)
    held = Counter(f.id for f in data.facts)
    for case, count in sorted(held.items()):
        if count > 1:
            click.echo(
                f"hoso: mã hồ sơ {case} có ở {count} tệp, mỗi tệp được tính như một hồ sơ; "
                "xem và sửa bằng 'hoso validate'",
                err=True,
            )
    report = compute(
        data.facts,
        data.plan,
        data.governance,
        unit,
        span,
        commission=audience == "commission",
        rankings=data.rankings,
        people=[c for _, c in data.cases],
    )
    report.left_out = len(data.unread)
    report.as_of = data.today if data.today < span.end else None
    if fmt in ("md", "csv") and out is None:
        click.echo(render.markdown(report) if fmt == "md" else render.as_csv(report), nl=False)
        return 0
    assert out is not None
    if fmt == "xlsx":
        made = io.BytesIO()
        render.as_xlsx(report, made)
        content = made.getvalue()
    elif fmt == "docx":
        made = io.BytesIO()
        render.as_docx(
            report,
            made,
            template,
            number,
            place,
            governance=data.governance,
            signer=signer,
            signer_title=signer_title,
        )
        content = made.getvalue()
    else:
        text = render.markdown(report) if fmt == "md" else render.as_csv(report)
        content = text.encode("utf-8")
    try:
        destinations.write_report(out, content, overwrite)
    except FileExistsError:
        raise UsageError(f"{out}: tệp vừa được tạo trong lúc lập báo cáo; không ghi đè") from None
    except OSError as exc:
        raise HosoError(f"không ghi được báo cáo vào {out}: {destinations.reason(exc)}") from None
    click.echo(f"Đã ghi báo cáo {report.period.name} của {report.unit_name} vào {out}.")
    return 0
