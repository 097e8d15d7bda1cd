"""``hoso schemas``: write the JSON Schemas, or check that the committed ones are current."""

from __future__ import annotations

from pathlib import Path

import click

from hoso import schemas
from hoso.cli import options
from hoso.cli.destinations import reason
from hoso.errors import HosoError
from hoso.repo import find_root


@click.command("schemas")
@click.option("--check", is_flag=True, help="Chỉ kiểm tra; báo lỗi nếu schemas/ đã cũ.")
@options.repo
def command(check: bool, repo: Path | None) -> int:
    """Sinh JSON Schema (draft-07) cho mọi loại hồ sơ và tệp quản trị vào schemas/."""
    folder = find_root(repo) / "schemas"
    if check:
        drifts = schemas.check_all(folder)
        for drift in drifts:
            click.echo(drift.diff or f"{drift.path}: thiếu tệp", err=True)
        if drifts:
            click.echo(f"{len(drifts)} tệp schema đã cũ; chạy 'hoso schemas' rồi commit.", err=True)
            return 1
        click.echo("Các tệp schema khớp với mô hình.")
        return 0
    try:
        written = schemas.write_all(folder)
    except OSError as exc:
        raise HosoError(f"không ghi được {exc.filename or folder}: {reason(exc)}") from None
    for path in written:
        click.echo(f"đã ghi {path}")
    return 0
