"""Putting the forms together and serving them."""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from pathlib import Path

from hoso.errors import HosoError, UsageError
from hoso.forms.auth import Users
from hoso.forms.pages import Forms
from hoso.forms.server import loopback_hosts
from hoso.forms.workspace import Workspace
from hoso.git import Repo


@dataclass(frozen=True)
class Settings:
    root: Path
    host: str = "127.0.0.1"
    port: int = 8765
    users_file: Path | None = None
    target: str = "main"
    remote: str = "origin"
    forge: str = "auto"
    secure_cookie: bool = False
    threads: int = 8


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build(settings: Settings) -> Forms:
    """The WSGI application for ``settings``; a login is required unless bound to loopback."""
    if not Repo(settings.root).succeeds("rev-parse", "--verify", "--quiet", "HEAD"):
        raise HosoError(f"{settings.root} không phải kho git có commit; biểu mẫu cần một bản sao")
    loopback = is_loopback(settings.host)
    if not loopback and settings.users_file is None:
        raise UsageError(
            "khi nghe trên mạng (--host khác 127.0.0.1), biểu mẫu bắt buộc đăng nhập: hãy nêu "
            "--users TỆP (tạo bằng 'hoso forms --set-password TÊN')"
        )
    users = Users(settings.users_file) if settings.users_file is not None else None
    if users is not None and not users.load():
        raise HosoError(
            f"{settings.users_file}: chưa có tài khoản nào; tạo bằng "
            "'hoso forms --users TỆP --set-password TÊN'"
        )
    workspace = Workspace(settings.root, settings.target, settings.remote, settings.forge)
    workspace.git.rev(workspace.base())  # a usage error now, not on the first page
    allowed = loopback_hosts(settings.port) if loopback else None
    return Forms(workspace, users, allowed, settings.secure_cookie)


def serve(app: Forms, settings: Settings) -> None:
    import waitress

    # Read every record once before the first search needs it (a province's ~50,000 files
    # take tens of seconds the first time; later, only the versions that changed are read).
    threading.Thread(target=app.index.entries, daemon=True).start()
    waitress.serve(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.threads,
        ident="hoso",
        max_request_body_size=512 * 1024,
        clear_untrusted_proxy_headers=True,
    )
