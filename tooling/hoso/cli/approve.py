"""``hoso approve``: an SSH-signed approval (or rejection) of one record's current content."""

from __future__ import annotations

from pathlib import Path

import click

from hoso import editing
from hoso.cli import options
from hoso.cli.values import PathType, complete_case
from hoso.errors import HosoError
from hoso.git import Repo
from hoso.repo import find_root, relative
from hoso.review.signed import message


def _target(root: Path, name: str) -> str:
    """The repository path of what is approved: a case by its id or path, or any other file
    (code, governance) by its path."""
    for candidate in (Path(name), root / name):
        if candidate.is_file() and not candidate.is_symlink():
            return relative(root, candidate)
    return relative(root, editing.find_case(root, name))


@click.command("approve")
@click.argument("case", metavar="MÃ_HỒ_SƠ", shell_complete=complete_case)
@click.option("--reject", is_flag=True, help="Yêu cầu sửa (chặn hợp nhất cho đến khi rút lại).")
@click.option(
    "--key",
    type=PathType(exists=True, dir_okay=False, path_type=Path),
    help="Khóa SSH để ký (mặc định: user.signingkey của git).",
)
@options.repo
def command(case: str, reject: bool, key: Path | None, repo: Path | None) -> int:
    """Phê duyệt (hoặc yêu cầu sửa) hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn; hoặc đường dẫn của một
    tệp khác như tệp quản trị, mã nguồn) bằng một commit có chữ ký SSH, gắn với đúng nội dung
    hiện tại của tệp."""
    root = find_root(repo)
    git = Repo(root)
    rel = _target(root, case)
    if git.text("status", "--porcelain", "--", rel).strip():
        raise HosoError(f"{rel} có thay đổi chưa commit; chỉ phê duyệt nội dung đã commit")
    entry = git.entries(git.rev("HEAD"), [rel]).get(rel)
    if entry is None:
        raise HosoError(f"{rel} chưa có trong commit HEAD")
    blob = entry[1]
    verdict = "reject" if reject else "approve"
    config = ["gpg.format=ssh", *([f"user.signingkey={key}"] if key else [])]
    git.run(
        "commit",
        "--allow-empty",
        "-S",
        "-q",
        "-F",
        "-",
        input=message(rel, blob, verdict).encode(),
        config=config,
    )
    click.echo(f"Đã ký {'yêu cầu sửa' if reject else 'phê duyệt'} {rel} (nội dung {blob[:10]}).")
    return 0
