"""``hoso review``: may this merge request merge? Every changed record, explained."""

from __future__ import annotations

from pathlib import Path

import click

from hoso import clock
from hoso.cli import options
from hoso.cli.values import PathType
from hoso.git import Repo
from hoso.repo import find_root
from hoso.review import render
from hoso.review.approvals import load_authors, load_file
from hoso.review.gate import Requested, review


@click.command("review")
@click.option(
    "--base", metavar="NHÁNH", required=True, help="Nhánh hoặc commit đích (ví dụ origin/main)."
)
@click.option("--head", metavar="COMMIT", required=True, help="Commit đầu của yêu cầu hợp nhất.")
@click.option(
    "--approvals",
    "files",
    multiple=True,
    type=PathType(exists=True, dir_okay=False, path_type=Path),
    help="Tệp JSON phê duyệt từ GitHub (danh sách review) hoặc GitLab "
    "(approval_state); lặp lại được.",
)
@click.option(
    "--author",
    "authors",
    metavar="TÀI_KHOẢN",
    multiple=True,
    help="Tài khoản người mở hoặc đẩy commit vào yêu cầu hợp nhất (không được tự phê duyệt): "
    "tên, github:tên, gitlab:tên, có thể kèm #mã-số; lặp lại được.",
)
@click.option(
    "--authors-from",
    "author_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp JSON của nền tảng cho biết người mở và người đẩy commit: pull request, danh sách "
    "commit hoặc hoạt động đẩy (GitHub); merge request hoặc ghi chú (GitLab); lặp lại được.",
)
@options.output("text", "markdown", "json", "trailers")
@options.repo
def command(
    base: str,
    head: str,
    files: tuple[Path, ...],
    authors: tuple[str, ...],
    author_files: tuple[Path, ...],
    fmt: str,
    repo: Path | None,
) -> int:
    """Kiểm tra yêu cầu hợp nhất: quy tắc nào áp dụng, ai đã phê duyệt, còn thiếu gì."""
    root = find_root(repo)
    git = Repo(root)
    # Terms begin and end on Việt Nam's day, whatever zone the runner keeps (UTC on the forges).
    today = clock.today()
    head_commit = git.rev(head)
    forge = [a for f in files for a in load_file(f, head_commit, today)]
    people = load_authors(list(author_files), list(authors))
    verdict = review(Requested(git, base, head, forge, people, today))
    render_with = {
        "text": render.text,
        "markdown": render.markdown,
        "json": render.as_json,
        "trailers": render.trailers,
    }
    click.echo(render_with[fmt](verdict), nl=False)
    return 0 if verdict.mergeable else 1
