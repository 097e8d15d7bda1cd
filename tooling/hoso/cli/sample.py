"""``hoso sample``: generate a fictional province for demonstrations and benchmarks."""

from __future__ import annotations

import fcntl
import os
import shlex
from pathlib import Path

import click

from hoso.cli.destinations import reason
from hoso.cli.values import INTEGER, WHOLE, PathType
from hoso.errors import HosoError, UsageError
from hoso.labels import kind as kind_label
from hoso.progress import Progress, wanted
from hoso.sample.history import generate_history, need_git
from hoso.sample.write import generate


@click.command("sample")
@click.option(
    "--out",
    type=PathType(file_okay=False, path_type=Path),
    required=True,
    help="Thư mục đích, mới hoặc trống (sẽ ghi governance/ và cases/ vào đó).",
)
@click.option(
    "--cases",
    type=WHOLE,
    default=320,
    show_default=True,
    help="Số hồ sơ vụ việc cần sinh.",
)
@click.option(
    "--seed",
    type=INTEGER,
    default=63,
    show_default=True,
    help="Hạt giống ngẫu nhiên; cùng hạt giống cho cùng kết quả.",
)
@click.option(
    "--history",
    is_flag=True,
    help="Sinh cả một kho Git có lịch sử như của một tỉnh: mỗi bước qua một yêu cầu hợp nhất có "
    "phê duyệt (có chữ ký khi quy tắc đòi hỏi), hợp nhất có chữ ký của nền tảng giả lập, và ba "
    "phát hiện cố ý để xem kiểm toán báo gì.",
)
@click.option("--quiet", is_flag=True, help="Không hiện tiến độ trên màn hình.")
def command(out: Path, cases: int, seed: int, history: bool, quiet: bool) -> int:
    """Sinh dữ liệu mẫu hư cấu của một tỉnh: cây tổ chức, các ban, hồ sơ mọi loại và kế hoạch."""
    if history:
        need_git()  # before the folder is made
    held = _empty_folder(out)
    try:
        return _generate(out, cases, seed, history, quiet)
    finally:
        os.close(held)


def _generate(out: Path, cases: int, seed: int, history: bool, quiet: bool) -> int:
    if history:
        with Progress("Sinh lịch sử mẫu", enabled=wanted(quiet)) as progress:
            done = generate_history(out, cases, seed, planted=True, progress=progress)
        click.echo(
            f"Đã sinh kho mẫu {out}: {done.cases} hồ sơ qua {done.commits} commit, kèm ba phát "
            "hiện cố ý (một hợp nhất thiếu phê duyệt, một hợp nhất không có chữ ký của nền tảng, "
            f"một lần đẩy thẳng); xem bằng lệnh 'hoso audit --repo {shlex.quote(str(out))}'."
        )
        return 0
    with Progress("Sinh hồ sơ mẫu", enabled=wanted(quiet)):
        try:
            made = generate(out, cases, seed)
        except OSError as exc:
            raise HosoError(f"không ghi được dữ liệu mẫu vào {out}: {reason(exc)}") from None
    # Kinds by their Vietnamese names; a semicolon between them, since names hold commas.
    detail = "; ".join(f"{kind_label(kind)}: {n}" for kind, n in sorted(made.by_kind.items()))
    click.echo(f"Đã sinh {made.cases} hồ sơ mẫu vào {out} ({detail}).")
    return 0


def _empty_folder(out: Path) -> int:
    """``out`` made if need be, and empty: the sample would otherwise overwrite the governance
    files and add made-up cases to whatever is there (a records repository, say). Returns the
    folder opened and locked for this run, to close when done: a second run on the same folder
    at the same moment waits, then finds it full, instead of both writing into it."""
    try:
        os.makedirs(out, exist_ok=True)
        held = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise UsageError(f"không tạo được thư mục {out}: {reason(exc)}") from None
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        with os.scandir(out) as listing:
            if any(listing):
                raise UsageError(f"{out}: thư mục đã có nội dung; chọn một thư mục trống")
    except OSError as exc:
        os.close(held)
        raise UsageError(f"không tạo được thư mục {out}: {reason(exc)}") from None
    except BaseException:
        os.close(held)
        raise
    return held
