"""``hoso submit``: send the changed records for approval as a merge request."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hoso import clock, submit
from hoso.cli import options
from hoso.errors import HosoError
from hoso.git import GitError, GitMissing, NotOwned, Repo
from hoso.repo import find_root

if TYPE_CHECKING:
    from hoso.review.gate import Verdict


@click.command("submit")
@click.option(
    "--target",
    default="main",
    show_default=True,
    metavar="NHÁNH",
    help="Nhánh chính, nơi yêu cầu hợp nhất sẽ hợp nhất vào.",
)
@click.option(
    "--remote", default="origin", show_default=True, metavar="REMOTE", help="Remote để đẩy lên."
)
@click.option(
    "--forge",
    type=click.Choice(["auto", "gitlab", "github", "none"]),
    default="auto",
    show_default=True,
    help="Nền tảng của remote: auto đoán theo địa chỉ; gitlab mở yêu cầu hợp nhất ngay khi "
    "đẩy (git push -o merge_request.create); github in địa chỉ mở pull request (hoặc dùng gh "
    "nếu có).",
)
@click.option("--no-push", is_flag=True, help="Chỉ tạo nhánh và commit, không đẩy lên.")
@click.option(
    "--stay", is_flag=True, help="Ở lại nhánh mới sau khi gửi (mặc định trở về nhánh chính)."
)
@click.option("--dry-run", is_flag=True, help="Chỉ cho xem sẽ gửi gì, không thay đổi gì.")
@options.repo
def command(
    target: str,
    remote: str,
    forge: str,
    no_push: bool,
    stay: bool,
    dry_run: bool,
    repo: Path | None,
) -> int:
    """Gửi các hồ sơ đã thay đổi để cấp có thẩm quyền phê duyệt: kiểm tra, tạo nhánh mới,
    commit với lời mô tả tiếng Việt, đẩy lên và mở yêu cầu hợp nhất (merge request)."""
    root = find_root(repo)
    git = Repo(root)
    try:
        git.run("rev-parse", "--git-dir")
    except (NotOwned, GitMissing):
        raise
    except HosoError:
        raise HosoError(f"{root} không phải kho git; không gửi được") from None
    url = ""
    waiting: list[str] = []
    if not no_push:
        if not git.succeeds("remote", "get-url", remote):
            raise HosoError(
                f"kho không có remote {remote!r}; thêm bằng 'git remote add {remote} ĐỊA_CHỈ' "
                "hoặc dùng --no-push"
            )
        url = git.text("remote", "get-url", remote).strip()
        waiting = submit.unsent(root, remote, target)
        if waiting and submit.changed_records(git) == ([], []):
            kind = submit.forge_of(url) if forge == "auto" else forge
            return _resend(root, remote, url, kind, target, waiting, dry_run)
    # The records are held from the check to the commit, so that what is committed is what
    # was checked and described (a step recorded meanwhile waits for the next submit).
    with submit.records_held(root):
        plan = submit.plan(root, target, clock.today())
        click.echo(f"Sẽ gửi {len(plan.changes)} hồ sơ để phê duyệt:")
        for change in plan.changes:
            click.echo(f"  - {change.case_id}: {change.summary}")
        click.echo(f"Nội dung ghi kèm: {plan.title}")
        files = ", ".join(change.rel for change in plan.changes)
        click.echo(f"  (chi tiết kỹ thuật: nhánh {plan.branch}; tệp {files})")
        for branch in (b for b in waiting if b != plan.branch):
            click.echo(
                f"Lưu ý: nhánh {branch} đã commit nhưng chưa đẩy lên {remote}; gửi nhánh đó bằng "
                f"'git push -u {remote} {branch}' (hoặc chạy lại 'hoso submit' khi không còn hồ sơ "
                "nào thay đổi)."
            )
        if dry_run:
            return 0
        try:
            sha = submit.commit(root, plan)
        except GitError as exc:
            raise type(exc)(f"{exc} Chạy lại 'hoso submit' khi đã xử lý xong.") from None
    click.echo(f"Đã lưu thay đổi (mã {sha[:10]}).")
    click.echo(f"  (chi tiết kỹ thuật: commit {sha[:10]} trên nhánh {plan.branch})")
    if no_push:
        _return(root, plan, stay)
        click.echo(f"Chưa gửi lên kho chung; khi sẵn sàng: git push -u {remote} {plan.branch}")
        return 0
    kind = submit.forge_of(url) if forge == "auto" else forge
    try:  # stopped while the gate is asked or the push runs: back to the start branch too
        verdict = submit.verdict(root, target)
        description = _description(plan, verdict)
        _send(root, remote, url, kind, plan, target, description)
        for line in _approvers(verdict, [c.case_id for c in plan.changes]):
            click.echo(line)
    finally:
        _return(root, plan, stay)
    if not plan.new_branch:
        click.echo(
            f"Bạn vẫn ở nhánh {plan.branch}: hồ sơ mở hay sửa tiếp ở đây sẽ vào cùng yêu cầu "
            f"hợp nhất này. Để làm việc khác, trở về nhánh chính: git switch {target}"
        )
    return 0


def _resend(
    root: Path, remote: str, url: str, kind: str, target: str, branches: list[str], dry_run: bool
) -> int:
    """Push again the branches an earlier submit committed but could not push."""
    click.echo(
        f"Không có hồ sơ nào mới thay đổi; {len(branches)} nhánh đã commit nhưng chưa đẩy lên "
        f"{remote}, sẽ gửi lại:"
    )
    plans = [submit.resend(root, branch, target) for branch in branches]
    for plan, _ in plans:
        click.echo(f"  - {plan.branch}: {plan.title}")
    if dry_run:
        return 0
    failed = []
    for plan, subjects in plans:
        lines = ["Gửi bằng `hoso submit` (gửi lại sau một lần đẩy không thành).", ""]
        lines += [f"- {subject}" for subject in subjects]
        head = f"refs/heads/{plan.branch}"
        lines += ["", submit.gate_summary(root, target, head).strip()]
        try:  # one branch that cannot go does not keep the others back
            _send(root, remote, url, kind, plan, target, "\n".join(lines), head)
        except HosoError as exc:
            failed.append(f"- {plan.branch}: {exc}")
    if failed:
        raise HosoError(f"{len(failed)} nhánh chưa gửi được:\n" + "\n".join(failed))
    return 0


def _description(plan: submit.Plan, verdict: Verdict | str) -> str:
    lines = ["Gửi bằng `hoso submit`.", ""]
    lines += [f"- Hồ sơ {c.case_id}: {c.summary} (`{c.rel}`)" for c in plan.changes]
    from hoso.review import render

    summary = verdict if isinstance(verdict, str) else render.markdown(verdict)
    lines += ["", summary.strip()]
    return "\n".join(lines)


def _approvers(verdict: Verdict | str, case_ids: list[str]) -> list[str]:
    """Who must still approve, in words: one line per committee whose approval is missing."""
    if isinstance(verdict, str):
        return []
    wanted: list[str] = []
    for outcome in verdict.outcomes:
        for need in outcome.needs:
            if need.met:
                continue
            if need.problem:
                line = f"  - {need.committee_name}: {need.problem}"
            elif need.rejections:
                line = f"  - {need.committee_name}: có người yêu cầu sửa; cần sửa rồi gửi lại"
            else:
                missing = need.needed - len(need.counted)
                line = f"  - cần thêm {missing} người của {need.committee_name} phê duyệt"
            if need.can_still and not need.rejections and not need.problem:
                line += f" (có thể là: {'; '.join(m.name for m in need.can_still)})"
            if line not in wanted:
                wanted.append(line)
    if not wanted:
        return []
    return [f"Hồ sơ {', '.join(case_ids)} đang chờ phê duyệt:", *wanted]


def _send(
    root: Path,
    remote: str,
    url: str,
    kind: str,
    plan: submit.Plan,
    target: str,
    description: str,
    source: str = "HEAD",
) -> None:
    options = submit.push_options(plan, target, description) if kind == "gitlab" else []
    try:
        try:
            report = submit.push(root, remote, plan, options, source)
        except submit.PushRejected:
            if submit.holds_our_work(root, remote, plan.branch, source, target):
                raise HosoError(_integrate(remote, plan.branch)) from None
            taken = plan.branch
            submit.rename_free(root, remote, plan)
            if source != "HEAD":
                source = f"refs/heads/{plan.branch}"
            click.echo(
                f"Trên {remote} đã có nhánh {taken} của một lần gửi khác (có thể cùng hồ sơ, "
                f"từ máy khác); hồ sơ này được gửi trên nhánh mới {plan.branch}."
            )
            try:
                report = submit.push(root, remote, plan, options, source)
            except submit.PushRejected:
                raise HosoError(
                    f"nhánh mới {plan.branch} cũng vừa được một lần gửi khác dùng trên {remote}; "
                    f"commit của bạn vẫn còn trên nhánh {plan.branch}: chạy lại 'hoso submit' "
                    "để gửi trên một tên khác."
                ) from None
    except GitError as exc:
        raise HosoError(
            f"không đẩy được nhánh {plan.branch} lên {remote}; commit vẫn còn trên nhánh đó, "
            f"gửi lại bằng 'hoso submit' (hoặc 'git push -u {remote} {plan.branch}') khi đã "
            "sửa được nguyên nhân dưới đây (thường là mất kết nối mạng, hoặc chưa đăng nhập "
            f"hay chưa có quyền trên GitLab/GitHub).\n{exc}"
        ) from None
    pushed_anything = "\t[up to date]" not in report
    if not pushed_anything:
        click.echo(
            "Kho chung đã có đủ các thay đổi này; không có gì mới để gửi, yêu cầu phê duyệt "
            f"(nếu đã mở) giữ nguyên.\n  (chi tiết kỹ thuật: nhánh {plan.branch} trên {remote} "
            "đã có đủ các commit này)"
        )
        return
    click.echo("Đã gửi lên kho chung.")
    click.echo(f"  (chi tiết kỹ thuật: đã đẩy nhánh {plan.branch} lên {remote})")
    if kind == "gitlab":
        click.echo(
            f"Đã mở yêu cầu phê duyệt với tiêu đề “{plan.title}”.\n  (chi tiết kỹ thuật: "
            f"GitLab đã mở yêu cầu hợp nhất vào {target}; xem ở mục Merge requests của dự án)"
        )
    elif kind == "github":
        _github(root, url, plan, target, description)
    else:
        click.echo(
            "Chưa có yêu cầu phê duyệt trên trang của kho chung: hãy báo người quản trị kho mở "
            f"yêu cầu hợp nhất (merge request) từ nhánh {plan.branch} vào {target}."
        )


def _integrate(remote: str, branch: str) -> str:
    return (
        f"nhánh {branch} trên {remote} đã có commit mà máy này chưa có: người khác (có thể là "
        "người thẩm định) đã đẩy thêm lên nhánh đó. hoso không ghi đè việc của người khác; "
        f"commit của bạn vẫn còn trên nhánh {branch}. Để gửi, lấy các commit đó về rồi đặt "
        f"commit của bạn lên sau:\n  git switch {branch}\n  git pull --rebase {remote} "
        f"{branch}\n  hoso submit\nNếu git báo xung đột (cùng một hồ sơ được sửa ở cả hai nơi), "
        "hãy hỏi người đã đẩy lên nhánh đó trước khi sửa."
    )


def _github(root: Path, url: str, plan: submit.Plan, target: str, description: str) -> None:
    gh = shutil.which("gh")
    if gh:
        args = ["pr", "create", "--base", target, "--head", plan.branch]
        done = subprocess.run(
            [gh, *args, "--title", plan.title, "--body", description],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            click.echo(f"Đã mở pull request: {done.stdout.strip()}")
            return
        click.echo(f"gh không mở được pull request: {done.stderr.strip()}", err=True)
    link = submit.compare_url(url, target, plan, description)
    if link:
        click.echo(f"Mở pull request tại: {link}")
    else:
        click.echo(f"Hãy mở pull request từ nhánh {plan.branch} vào {target} trên GitHub.")


def _return(root: Path, plan: submit.Plan, stay: bool) -> None:
    if not stay and plan.new_branch and plan.start:
        try:
            submit.back(root, plan)
        except GitError as exc:
            # The work is committed (and sent): only the way back is left to the clerk.
            click.echo(
                f"hoso: chưa trở về nhánh {plan.start} được: {exc}\nHồ sơ đã lưu trên nhánh "
                f"{plan.branch}; khi xong, trở về bằng: git switch {plan.start}",
                err=True,
            )
            return
        click.echo(
            f"Đã trở về nhánh {plan.start}; hồ sơ đã gửi nằm trên nhánh {plan.branch} cho đến "
            "khi được hợp nhất."
        )
