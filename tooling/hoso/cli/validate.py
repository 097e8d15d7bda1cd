"""``hoso validate``: check every record, or the named ones, and report every problem."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from hoso.cli import options
from hoso.repo import find_root
from hoso.validate import report
from hoso.validate.run import Options, run


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@options.repo
@options.output("text", "json")
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Ngày dùng làm 'hôm nay' khi kiểm tra ngày tương lai (NNNN-TT-NN).",
)
@click.option("--strict", is_flag=True, help="Coi cảnh báo (ví dụ quá hạn) là lỗi.")
@click.option("--no-cache", is_flag=True, help="Không dùng bộ nhớ đệm kết quả kiểm tra.")
def command(
    files: tuple[Path, ...],
    repo: Path | None,
    fmt: str,
    as_of: object,
    strict: bool,
    no_cache: bool,
) -> int:
    """Kiểm tra hồ sơ: toàn bộ kho, hoặc chỉ các TỆP được nêu; báo mọi lỗi một lần."""
    root = find_root(repo)
    day = as_of.date() if hasattr(as_of, "date") else date.today()
    result = run(Options(root, list(files) or None, day, use_cache=not no_cache))
    output = report.as_json(result, strict) if fmt == "json" else report.text(result, strict)
    click.echo(output, nl=False)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        click.echo(report.github(result), nl=False)
    return 1 if result.failed(strict) else 0
