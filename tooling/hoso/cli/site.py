"""``hoso site``: build (or serve) the private site for one audience."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click

from hoso.cli import destinations, options
from hoso.cli.values import PathType, coded
from hoso.errors import HosoError, UsageError
from hoso.labels import AUDIENCE_LABELS
from hoso.progress import Progress, wanted
from hoso.repo import find_root

_LEVELS = {
    "CRITICAL": "Lỗi",
    "ERROR": "Lỗi",
    "WARNING": "Cảnh báo",
    "INFO": "Thông tin",
    "DEBUG": "Gỡ lỗi",
}
_LOGGED = re.compile(r"(CRITICAL|ERROR|WARNING|INFO|DEBUG) *- +(.*)")
_STRICT = re.compile(r"Aborted with (\d+) (?:configuration )?warnings? in '?strict'? mode!")
_ABORTED = {
    "Aborted with a BuildError!": "",
    "Aborted with a configuration error!": "Cấu hình trang (mkdocs.yml) có lỗi.",
}


_TRACEBACK = "Traceback (most recent call last):"
_CHAINED = ("During handling of the above exception", "The above exception was the direct cause")
_ERRNO = re.compile(r"\[Errno (\d+)\] (.*)")


def relayed(said: str) -> str:
    """What mkdocs wrote (a quiet build writes only warnings and errors), in Vietnamese where
    mkdocs speaks: its level words and its closing lines (hoso's own messages are Vietnamese
    already); a Python traceback (mkdocs dies of an error it does not catch, such as a full
    disk while it writes the pages) as its last line, why in Vietnamese; any other line as it
    came."""
    lines = []
    frames = False
    for line in said.splitlines():
        if line == _TRACEBACK:
            frames = True
            continue
        if line.startswith(_CHAINED):
            continue
        if frames:
            if not line.strip() or line.startswith((" ", "\t")):
                continue  # a frame: the code of a program the reader never called
            frames = False
            lines.append(f"Lỗi: mkdocs dừng giữa chừng: {_crash(line)}")
            continue
        logged = _LOGGED.fullmatch(line)
        strict = _STRICT.fullmatch(line.strip())
        if logged:
            lines.append(f"{_LEVELS[logged[1]]}: {logged[2]}")
        elif strict:
            lines.append(f"Dừng vì có {strict[1]} cảnh báo (trang được xây dựng ở chế độ chặt).")
        elif line.strip() in _ABORTED:
            lines.append(_ABORTED[line.strip()])
        else:
            lines.append(line)
    return "\n".join(line for line in lines if line).strip("\n")


def _crash(line: str) -> str:
    """The last line of a traceback (``OSError: [Errno 28] No space left on device``), with
    why in Vietnamese where it is a known system error."""
    found = _ERRNO.search(line)
    if found is None:
        return line
    why = destinations.reason(OSError(int(found[1]), found[2]))
    return f"{why} (chi tiết kỹ thuật: {line})"


@click.command("site")
@click.option(
    "--audience",
    type=coded("audience", "ĐỐI_TƯỢNG"),
    default="staff",
    show_default="cán bộ",
    help="cán bộ (staff): hướng dẫn và số liệu tổng hợp, không có thông tin cá nhân; ủy ban "
    "(commission): thêm từng hồ sơ; kiểm toán (audit): thêm trang kiểm toán.",
)
@click.option(
    "--out",
    type=PathType(file_okay=False, path_type=Path),
    help="Thư mục kết quả (mặc định site/<đối tượng>, ví dụ site/staff): mới, trống hoặc một "
    "trang 'hoso site' đã xây dựng trước đó (mọi nội dung cũ bị xóa), ngoài mọi kho.",
)
@click.option("--serve", is_flag=True, help="Xây dựng rồi phục vụ ở http://127.0.0.1:8000.")
@click.option(
    "--records",
    type=PathType(file_okay=False, exists=True, path_type=Path),
    help="Kho hồ sơ mà trang mô tả, nếu khác kho chứa cấu hình trang (ví dụ kho mẫu do "
    "'hoso sample --history' sinh ra).",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Vẫn xây dựng khi có tệp hồ sơ không đọc được (trang tổng quan ghi rõ số tệp bị bỏ qua).",
)
@click.option("--quiet", is_flag=True, help="Không hiện tiến độ trên màn hình.")
@options.repo
def command(
    audience: str,
    out: Path | None,
    serve: bool,
    records: Path | None,
    allow_incomplete: bool,
    quiet: bool,
    repo: Path | None,
) -> int:
    """Xây dựng trang nội bộ; việc xây dựng tự kiểm tra và thất bại nếu lộ thông tin."""
    try:
        root = find_root(repo)
    except UsageError:
        if records is None:
            raise
        # The records are named: what is missing is the tool's folder, which holds mkdocs.yml.
        raise UsageError(
            f"không có tệp mkdocs.yml ở {repo or Path.cwd()} hay thư mục cha: chạy lệnh trong "
            "thư mục của công cụ (nơi có mkdocs.yml), với --records chỉ kho hồ sơ"
        ) from None
    records_root = find_root(records) if records is not None else root
    # A relative --out is taken from the folder the command was typed in (mkdocs, run in the
    # tool repository, would take it from there).
    site_dir = Path(os.path.abspath(out)) if out is not None else root / "site" / audience
    # Resolved once: the folder checked is the folder mkdocs empties, whatever a link on the
    # way is changed to meanwhile.
    site_dir = Path(os.path.realpath(site_dir))
    if not (root / "mkdocs.yml").is_file():
        raise UsageError(
            f"không có tệp mkdocs.yml trong {root}: chạy lệnh trong thư mục của công cụ (nơi có "
            "mkdocs.yml), với --records chỉ kho hồ sơ"
        )
    if serve and out is not None:
        raise UsageError(
            "--serve xây dựng trang trong một thư mục tạm của riêng nó, không dùng --out; bỏ "
            "một trong hai tùy chọn"
        )
    if not serve:
        # mkdocs empties the folder before it builds: refuse one that holds anything else.
        destinations.site_folder(site_dir, root, records_root, default=out is None)
    # mkdocs speaks English: it is kept quiet (warnings and errors only) and the theme's
    # end-of-life banner is turned off; hoso says what happens in Vietnamese.
    env = {**os.environ, "HOSO_AUDIENCE": audience, "NO_MKDOCS_2_WARNING": "1"}
    if records is not None:
        env["HOSO_RECORDS"] = str(records_root)
    env["HOSO_ALLOW_INCOMPLETE"] = "1" if allow_incomplete else ""
    if serve:
        args = ["serve", "--quiet", "--strict", "--dev-addr", "127.0.0.1:8000"]
        click.echo(
            f"Đang xây dựng trang cho {AUDIENCE_LABELS[audience]}; trang sẽ ở "
            "http://127.0.0.1:8000 "
            "(tự cập nhật khi tệp thay đổi; Ctrl+C để dừng)."
        )
    else:
        destinations.mark_site(site_dir)
        args = ["build", "--quiet", "--strict", "--site-dir", str(site_dir)]
    command = [sys.executable, "-m", "mkdocs", *args]
    if serve:
        done = subprocess.run(command, cwd=root, env=env, check=False)
    else:
        with Progress("Đang xây dựng trang", enabled=wanted(quiet)):
            done = subprocess.run(
                command,
                cwd=root,
                env=env,
                check=False,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        said = relayed(done.stdout.decode("utf-8", "replace"))
        if said:
            click.echo(said, err=True)
    if not serve:
        # Built or not, what the folder holds now is the build's own (the check above let in
        # nothing else): a failed build does not lock the folder for the next one.
        destinations.record_build(site_dir)
    if done.returncode != 0 and not (serve and done.returncode < 0):
        raise HosoError("không xây dựng được trang (xem thông báo ở trên)")
    if not serve:
        who = AUDIENCE_LABELS[audience]
        click.echo(f"Đã xây dựng trang cho {who} vào {out or root / 'site' / audience}.")
    return 0
