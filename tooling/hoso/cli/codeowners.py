"""``hoso codeowners``: write (or check) the forges' CODEOWNERS files from the policy."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import click

from hoso import clock, yamlio
from hoso.cli import options
from hoso.cli.destinations import reason
from hoso.cli.values import DAY
from hoso.errors import HosoError
from hoso.repo import find_root
from hoso.review.codeowners import render_all
from hoso.validate.governance_files import broken, load_governance, said


@click.command("codeowners")
@click.option("--check", is_flag=True, help="Chỉ kiểm tra; báo lỗi nếu tệp đã cũ.")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    help="Ngày tính nhiệm kỳ thành viên (mặc định hôm nay).",
)
@options.repo
def command(check: bool, as_of: date | None, repo: Path | None) -> int:
    """Sinh .github/CODEOWNERS và .gitlab/CODEOWNERS từ quy tắc phê duyệt và danh sách ban."""
    root = find_root(repo)
    governance, found = load_governance(root)
    # Who owns what comes from the policy and the committees: none of it from a broken file.
    errors = broken(found, gate=True)
    if errors:
        raise HosoError(said(errors, "không sinh CODEOWNERS"))
    today = as_of or clock.today()
    stale = 0
    for rel, text in render_all(governance, today).items():
        path = root / rel
        current = _read(path)
        if current == text:
            continue
        current = current or ""
        if check:
            stale += 1
            diff = difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), rel, f"{rel} (sinh lại)"
            )
            click.echo("".join(diff), err=True)
        else:
            try:
                yamlio.write_atomic(path, text)
            except OSError as exc:
                raise HosoError(f"không ghi được {rel}: {reason(exc)}") from None
            click.echo(f"đã ghi {rel}")
    if stale:
        click.echo(f"{stale} tệp CODEOWNERS đã cũ; chạy 'hoso codeowners' rồi commit.", err=True)
        return 1
    return 0


def _read(path: Path) -> str | None:
    """The file as it stands; None when there is none to read as text (missing, a folder, not
    UTF-8): the generated content differs from it either way."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
