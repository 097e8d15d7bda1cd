"""``hoso audit``, ``hoso history`` and ``hoso checkpoint``: the auditor's commands."""

from __future__ import annotations

import re
from pathlib import Path

import click

from hoso import clock, editing
from hoso.audit import checkpoints, history, report
from hoso.audit.index import AuditFinding, Index
from hoso.audit.run import audit as run_audit
from hoso.audit.walk import build
from hoso.cli import options
from hoso.cli.values import PathType, complete_case, parse_day
from hoso.errors import UsageError
from hoso.git import Repo
from hoso.progress import Progress, wanted
from hoso.repo import find_root, refuse_link, relative
from hoso.validate.governance_files import load_governance_bytes

_BRANCH = click.option(
    "--branch",
    metavar="NHÁNH",
    default="main",
    show_default=True,
    help="Nhánh chính: tên một nhánh (main) hoặc nhánh theo dõi remote (origin/main).",
)


def _branch(git: Repo, name: str) -> str:
    """``name`` when it names a branch, local or remote-tracking; a usage error for anything
    else (a commit, a tag, ``HEAD~1``): the audit's findings and index belong to a branch."""
    if not git.text("for-each-ref", "--count=1", "refs/heads", "refs/remotes").strip():
        return name  # no branch at all: the walk says the repository is empty
    if not name.startswith("-"):
        for ref in (name, f"refs/heads/{name}", f"refs/remotes/{name}"):
            if ref.startswith(("refs/heads/", "refs/remotes/")) and git.succeeds(
                "show-ref", "--verify", "--quiet", ref
            ):
                return name
    raise UsageError(
        f"--branch {name!r}: không phải tên một nhánh có trong kho; cần tên nhánh (ví dụ main) "
        "hoặc nhánh theo dõi remote (ví dụ origin/main), không phải một commit, thẻ hay biểu "
        "thức như HEAD~1"
    )


@click.command("audit")
@_BRANCH
@click.option(
    "--since",
    metavar="COMMIT_HOẶC_NGÀY",
    help="Chỉ báo phát hiện sau commit này (REF, trên nhánh chính; không kể chính nó), hoặc từ "
    "ngày này (ngày/tháng/năm hoặc năm-tháng-ngày); ngày tính theo thứ tự trên nhánh chính, "
    "không theo ngày ghi trong commit. Phát hiện về mốc kiểm toán và về toàn bộ lịch sử luôn "
    "được báo.",
)
@options.output("text", "markdown", "json", "csv")
@click.option(
    "--expect-root",
    metavar="MÃ_COMMIT",
    help="Commit đầu tiên của lịch sử như kiểm toán viên đã biết từ nơi khác (báo cáo lần "
    "trước, bản sao giữ riêng): báo nghiêm trọng nếu lịch sử không bắt đầu từ commit đó.",
)
@click.option("--no-cache", is_flag=True, help="Không dùng chỉ mục đã lưu trong .git.")
@click.option("--quiet", is_flag=True, help="Không hiện tiến độ trên màn hình.")
@options.repo
def audit_command(
    branch: str,
    since: str | None,
    fmt: str,
    expect_root: str | None,
    no_cache: bool,
    quiet: bool,
    repo: Path | None,
) -> int:
    """Kiểm toán lịch sử nhánh: mọi thay đổi hồ sơ và tệp quản trị có qua hợp nhất, hợp lệ, đủ
    phê duyệt theo quy tắc lúc đó, chữ ký hợp lệ; kiểm tra các mốc kiểm toán đã ký."""
    if expect_root is not None and not re.fullmatch(r"[0-9a-fA-F]{40}", expect_root.strip()):
        # A short prefix could be matched by a history made up on purpose (2^28 tries for 7).
        raise UsageError(
            f"--expect-root {expect_root!r}: cần mã commit đầy đủ 40 chữ số hệ 16, như dòng "
            "“Gốc lịch sử” của báo cáo kiểm toán (một đoạn đầu ngắn có thể bị làm giả)"
        )
    git = Repo(find_root(repo))
    branch = _branch(git, branch)
    index, findings = run_audit(
        git,
        branch,
        use_cache=not no_cache,
        complete=bool(since),
        quiet=quiet,
        expect_root=expect_root.strip() if expect_root else None,
    )
    if since:
        findings = _since(git, index, findings, since)
    render = {
        "text": report.text,
        "markdown": report.markdown,
        "json": report.as_json,
        "csv": report.as_csv,
    }[fmt]
    click.echo(render(index, findings), nl=False)
    return 1 if findings else 0


_DAYLIKE = re.compile(r"\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s*")
"""What is meant as a day (read by ``parse_day``, which says what is wrong with it), not a
commit."""


def _since(git: Repo, index: Index, findings: list[AuditFinding], since: str) -> list[AuditFinding]:
    """Findings from a day or a commit on, along the first-parent line: a day is compared with
    each commit's date on that line (never earlier than the commit before it), so a commit
    whose own date was written backwards cannot hide before the day."""
    if _DAYLIKE.fullmatch(since):
        try:
            day = parse_day(since)
        except ValueError as exc:
            raise UsageError(f"--since: {exc}") from None
        if day > clock.today():
            raise UsageError(
                f"--since {since!r}: ngày ở sau hôm nay; không có commit nào từ ngày đó để báo"
            )
        chain = index.mainline
        start = next(
            (n for n, sha in enumerate(chain) if index.steps[sha].when >= day.isoformat()),
            len(chain),
        )
        keep = set(chain[start:])
    else:
        commit = git.rev(since)
        if commit not in index.mainline:
            raise UsageError(
                f"--since {since!r}: commit {commit[:10]} không nằm trên nhánh chính "
                f"{index.branch} (theo cha thứ nhất)"
            )
        keep = set(index.mainline[index.mainline.index(commit) + 1 :])
    # A finding about a commit that is no longer on the line (the tip an earlier audit saw,
    # now rewritten away) cannot be placed in time: it is always said. So is every finding
    # about a checkpoint: it vouches for the history before its commit, however old that
    # commit is (a tag put in place of the real one after a rewrite is news today).
    on_line = set(index.mainline)
    return [
        f
        for f in findings
        if not f.commit
        or f.commit in keep
        or f.commit not in on_line
        or f.rule.startswith("checkpoint.")
    ]


@click.command("history")
@click.argument("case", metavar="MÃ_HỒ_SƠ", shell_complete=complete_case)
@_BRANCH
@options.repo
def history_command(case: str, branch: str, repo: Path | None) -> int:
    """Lịch sử của hồ sơ MÃ_HỒ_SƠ trong Git: mỗi phiên bản, thay đổi gì, ai, khi nào, qua hợp nhất
    nào và được ai phê duyệt."""
    root = find_root(repo)
    git = Repo(root)
    rel = relative(root, editing.find_case(root, case))
    refuse_link(root, rel)
    index = build(git, _branch(git, branch), complete=True)
    click.echo(history.render(index, rel, git), nl=False)
    return 0


@click.command("checkpoint")
@_BRANCH
@click.option("--name", metavar="TÊN_MỐC", help="Tên mốc (mặc định ngày hôm nay).")
@click.option(
    "--key",
    type=PathType(exists=True, dir_okay=False),
    help="Khóa SSH để ký (mặc định: user.signingkey của git).",
)
@options.repo
def checkpoint_command(branch: str, name: str | None, key: str | None, repo: Path | None) -> int:
    """Tạo mốc kiểm toán: một thẻ git có chữ ký SSH của ủy viên ban tổ chức tại đỉnh nhánh."""
    git = Repo(find_root(repo))
    branch = _branch(git, branch)
    # The signer is looked up as the audit will look it up: in the committees as they last
    # stood approved (a key a direct push added is nobody's).
    with Progress("Kiểm toán lịch sử", enabled=wanted(False)) as progress:
        index = build(git, branch, progress=progress)
    trusted = load_governance_bytes(index.trusted)[0] if index.trusted else None
    tag = checkpoints.create(git, branch, name, key, clock.today(), trusted)
    click.echo(
        f"Đã tạo mốc kiểm toán {tag} tại {git.rev(git.branch(branch))[:10]}; đẩy lên bằng "
        f"'git push origin {tag}'."
    )
    return 0
