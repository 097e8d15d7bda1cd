"""``hoso approve``: an SSH-signed approval (or rejection) of one record's current content."""

from __future__ import annotations

from pathlib import Path

import click

from hoso import editing
from hoso.cli import options
from hoso.errors import HosoError
from hoso.git import Repo
from hoso.repo import find_root, relative
from hoso.review.signed import message


@click.command("approve")
@click.argument("case")
@click.option("--reject", is_flag=True, help="Yêu cầu sửa (chặn hợp nhất cho đến khi rút lại).")
@click.option(
    "--key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Khóa SSH để ký (mặc định: user.signingkey của git).",
)
@options.repo
def command(case: str, reject: bool, key: Path | None, repo: Path | None) -> int:
    """Phê duyệt (hoặc yêu cầu sửa) hồ sơ CASE bằng một commit có chữ ký SSH, gắn với đúng
    nội dung hiện tại của tệp."""
    root = find_root(repo)
    git = Repo(root)
    path = editing.find_case(root, case)
    rel = relative(root, path)
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
