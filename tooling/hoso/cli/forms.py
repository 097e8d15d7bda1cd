"""``hoso forms``: the web forms for recording cases and steps."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from hoso.cli import options
from hoso.cli.destinations import within
from hoso.cli.values import PathType, Port
from hoso.errors import UsageError
from hoso.repo import find_root


@click.command("forms")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ĐỊA_CHỈ",
    help="Địa chỉ nghe. Mặc định chỉ máy này; địa chỉ khác (ví dụ 0.0.0.0) bắt buộc đăng nhập.",
)
@click.option(
    "--port",
    type=Port(),
    default=8765,
    show_default=True,
    metavar="CỔNG",
    help="Cổng nghe.",
)
@click.option(
    "--users",
    "users_file",
    type=PathType(dir_okay=False, path_type=Path),
    help="Tệp mật khẩu (ngoài kho hồ sơ). Khi có, mọi người phải đăng nhập bằng tài khoản "
    "ghi trong governance/committees.yaml.",
)
@click.option(
    "--set-password",
    "set_password",
    metavar="TÊN",
    help="Đặt mật khẩu cho TÊN (tài khoản GitLab/GitHub hoặc email trong committees.yaml) "
    "trong tệp --users rồi thoát; mật khẩu được hỏi, không hiện khi gõ (hoặc đọc một dòng "
    "từ đầu vào khi chuyển qua ống, ví dụ từ một tệp).",
)
@click.option("--target", default="main", show_default=True, metavar="NHÁNH", help="Nhánh chính.")
@click.option(
    "--remote",
    default="origin",
    show_default=True,
    metavar="REMOTE",
    help="Remote để lấy nhánh chính và đẩy các nhánh hồ sơ lên.",
)
@click.option(
    "--forge",
    type=click.Choice(["auto", "gitlab", "github", "none"]),
    default="auto",
    show_default=True,
    help="Nền tảng của remote, như 'hoso submit --forge'.",
)
@click.option(
    "--secure-cookie",
    is_flag=True,
    help="Cookie chỉ gửi qua HTTPS (khi đặt sau một reverse proxy HTTPS).",
)
@options.repo
def command(
    host: str,
    port: int,
    users_file: Path | None,
    set_password: str | None,
    target: str,
    remote: str,
    forge: str,
    secure_cookie: bool,
    repo: Path | None,
) -> int:
    """Mở biểu mẫu trên trình duyệt để tìm hồ sơ, mở hồ sơ mới, ghi từng bước và gửi phê duyệt
    (mỗi hồ sơ trên một nhánh riêng, như 'hoso submit')."""
    from hoso.forms import auth, run

    if set_password is not None:
        path = users_file or auth.default_users_file()
        _outside_the_records(path, repo, auth.default_users_file())
        secret = _new_password(set_password)
        if len(secret) < 10:
            raise UsageError("mật khẩu cần ít nhất 10 ký tự")
        if len(secret) > auth.MAX_PASSWORD:
            raise UsageError(f"mật khẩu dài quá {auth.MAX_PASSWORD} ký tự")
        auth.Users(path).set(set_password, secret)
        click.echo(f"Đã đặt mật khẩu cho {set_password} trong {path}.")
        return 0
    settings = run.Settings(
        find_root(repo), host, port, users_file, target, remote, forge, secure_cookie
    )
    app = run.build(settings)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Biểu mẫu hồ sơ: http://{shown}:{port}/  (Ctrl+C để dừng)")
    run.serve(app, settings)
    return 0


def _new_password(name: str) -> str:
    """Asked twice, unseen, on a terminal; otherwise the first line of the input (a script, a
    file), without the warning Python prints when it cannot hide what is typed."""
    from hoso.forms import auth

    if sys.stdin is not None and sys.stdin.isatty():
        return str(
            click.prompt(f"Mật khẩu mới cho {name}", hide_input=True, confirmation_prompt=True)
        )
    if sys.stdin is None:
        raise UsageError("không đọc được mật khẩu: không có đầu vào")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        line = sys.stdin.readline(auth.MAX_PASSWORD + 8).removeprefix("\ufeff")
    else:
        limit = auth.MAX_PASSWORD * 4 + 8  # never all of an endless stream
        raw = stream.readline(limit)
        if len(raw) >= limit and not raw.endswith(b"\n"):
            raise UsageError(f"mật khẩu dài quá {auth.MAX_PASSWORD} ký tự")
        try:  # UTF-8, with or without the mark some editors put first
            line = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UsageError(
                "mật khẩu đọc từ đầu vào không phải UTF-8; hãy lưu tệp chứa mật khẩu dưới "
                "dạng UTF-8"
            ) from None
    if not line.strip():
        raise UsageError("không đọc được mật khẩu: đầu vào trống")
    return line.rstrip("\r\n")


def _outside_the_records(path: Path, repo: Path | None, default: Path) -> None:
    """The users file holds password hashes: never in the records repository, where a
    'git add -A' would send it to the forge with the records."""
    try:
        root = find_root(repo)
    except UsageError:
        return  # not run from a records repository: nothing to keep it out of
    if within(Path(os.path.abspath(path)), root):
        raise UsageError(
            f"{path}: tệp tài khoản (chứa mã băm mật khẩu) không được nằm trong kho hồ sơ "
            f"{root}; đặt nó ở ngoài kho (mặc định: {default})"
        )
