"""``hoso validate``: check every record, or the named ones, and report every problem."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from hoso import clock
from hoso.cli import options
from hoso.cli.values import DAY, complete_case
from hoso.errors import UsageError
from hoso.repo import CASES, cause, find_root, record_entries, relative
from hoso.validate import report
from hoso.validate.run import Options, run


def named(root: Path, given: tuple[str, ...]) -> list[Path] | None:
    """The record files that files, folders and case ids name (None: the whole repository)."""
    if not given:
        return None
    out: list[Path] = []
    for text in given:
        try:
            found = _named(root, text)
        except OSError as exc:  # a name too long, a folder that may not be entered
            raise UsageError(f"{text}: không đọc được: {cause(exc)}") from None
        if found is None:
            return None
        out += found
    return out


def _named(root: Path, text: str) -> list[Path] | None:
    """The record files one file, folder or case id names (None: the whole repository)."""
    path = Path(text)
    if not path.exists() and (root / path).exists():
        path = root / path  # from the repository's root, given with --repo
    if path.is_dir():
        rel = relative(root, path)
        if rel == ".":
            return None
        if rel != CASES and not rel.startswith(f"{CASES}/"):
            raise UsageError(f"{text}: thư mục không chứa hồ sơ (hồ sơ nằm trong {CASES}/)")
        return _files_under(root, path)
    if os.path.lexists(path):
        return [path]
    if path.suffix or os.sep in text or "/" in text:
        raise UsageError(f"không có tệp {text}")
    return [_case(root, text)]


def _files_under(root: Path, folder: Path) -> list[Path]:
    """Every file in a folder of ``cases/``, listed as the whole repository's run lists them
    (hidden ones too, for the check to name as no record)."""
    entries = record_entries(root, relative(root, folder))
    return [root / rel for rel, _ in entries if not rel.endswith("/")]


def _case(root: Path, case_id: str) -> Path:
    from hoso import editing  # only when a case is named by its id

    try:
        return editing.find_case(root, case_id)
    except UsageError as exc:
        hint = str(exc).partition(").")[2]
        raise UsageError(f"không có tệp, thư mục hay mã hồ sơ {case_id!r}.{hint}") from None


@click.command("validate")
@click.argument(
    "files", nargs=-1, metavar="[TỆP|THƯ_MỤC|MÃ_HỒ_SƠ]...", shell_complete=complete_case
)
@options.repo
@options.output("text", "json")
@click.option(
    "--as-of",
    type=DAY,
    help="Ngày dùng làm 'hôm nay' khi kiểm tra ngày tương lai (ngày/tháng/năm).",
)
@click.option("--strict", is_flag=True, help="Coi cảnh báo (ví dụ quá hạn) là lỗi.")
@click.option("--no-cache", is_flag=True, help="Không dùng bộ nhớ đệm kết quả kiểm tra.")
def command(
    files: tuple[str, ...],
    repo: Path | None,
    fmt: str,
    as_of: date | None,
    strict: bool,
    no_cache: bool,
) -> int:
    """Kiểm tra hồ sơ: toàn bộ kho, hoặc chỉ các tệp, thư mục, mã hồ sơ được nêu; báo mọi lỗi
    một lần."""
    root = find_root(repo)
    day = as_of or clock.today()
    chosen = named(root, files)
    # The cache answers for a whole repository; reading it for a few named files costs more
    # than checking them (a pre-commit hook names a few).
    result = run(Options(root, chosen, day, use_cache=not no_cache and chosen is None))
    output = report.as_json(result, strict) if fmt == "json" else report.text(result, strict)
    click.echo(output, nl=False)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        click.echo(report.github(result), nl=False)
    return 1 if result.failed(strict) else 0
