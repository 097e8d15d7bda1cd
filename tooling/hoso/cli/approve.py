"""``hoso approve``: an SSH-signed approval (or rejection) of one record's current content,
as the change from the content the target branch holds (at the merge base) to it."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from hoso import editing
from hoso.cli import options
from hoso.cli.values import PathType, complete_case
from hoso.errors import HosoError, UsageError
from hoso.git import NO_OBJECT, Locked, Repo
from hoso.repo import find_root, relative
from hoso.review.signed import message


def _main_branches(git: Repo) -> set[str]:
    """The names a main branch goes by here: main, master, what a remote's HEAD points to,
    and git's configured default branch."""
    names = {"main", "master"}
    heads = git.text("for-each-ref", "--format=%(symref)", "refs/remotes/*/HEAD")
    names |= {ref.split("/", 3)[3] for ref in heads.split() if ref.count("/") >= 3}
    configured = git.text("config", "--get", "init.defaultBranch", ok=(0, 1)).strip()
    return names | ({configured} if configured else set())


def _refuse_on_main(git: Repo) -> None:
    """An approval commit belongs on the merge request's branch: on the main branch it would
    be a direct push that approves nothing; on no branch (a detached HEAD) it would belong to
    nothing; on a branch that tracks the main branch, ``git push`` would send it there."""
    current = git.text("symbolic-ref", "--quiet", "--short", "HEAD", ok=(0, 1)).strip()
    after = "chuyển sang nhánh của yêu cầu hợp nhất (git switch TÊN_NHÁNH) rồi chạy lại. Chưa "
    after += "ghi commit nào."
    if not current:
        raise UsageError(
            "HEAD đang không ở nhánh nào (tách rời): commit phê duyệt sẽ không thuộc nhánh nào "
            f"và không tới được yêu cầu hợp nhất; {after}"
        )
    mains = _main_branches(git)
    if current in mains:
        raise UsageError(
            f"đang ở nhánh chính {current}: phê duyệt phải ký trên nhánh của yêu cầu hợp nhất, "
            f"không ghi thẳng lên nhánh chính; {after}"
        )
    for ref in _destinations(git, current):
        name = ref.removeprefix("refs/heads/")
        if name in mains:
            raise UsageError(
                f"nhánh {current} đang theo dõi hoặc đẩy lên nhánh chính {name}: 'git push' sẽ "
                f"đưa phê duyệt thẳng lên nhánh chính; {after} (Hoặc cho nhánh theo dõi nhánh "
                "của yêu cầu hợp nhất: git branch --set-upstream-to REMOTE/TÊN_NHÁNH.)"
            )


def _destinations(git: Repo, branch: str) -> list[str]:
    """Every branch 'git push' or 'git pull' may take this branch to, on any remote: its
    upstream, its push destination, and the destination of every push refspec configured for
    the remotes it may push to (``remote.origin.push HEAD:main``). A fork's main counts too:
    where git could send the approval is not guessed."""
    fields = "%(upstream:remoteref) %(push:remoteref)"
    refs = git.text("for-each-ref", f"--format={fields}", f"refs/heads/{branch}").split()
    remotes = {"origin"}
    for key in (f"branch.{branch}.pushRemote", "remote.pushDefault", f"branch.{branch}.remote"):
        remotes.add(git.text("config", "--get", key, ok=(0, 1)).strip())
    for remote in remotes - {"", "."}:
        specs = git.text("config", "--get-all", f"remote.{remote}.push", ok=(0, 1)).split()
        refs += [spec.partition(":")[2] or spec.lstrip("+") for spec in specs]
    return [ref for ref in refs if ref]


def _target(root: Path, git: Repo, name: str) -> str:
    """The repository path of what is approved: a case by its id or path, any other file
    (code, governance) by its path, or a path the merge request deletes (its approval binds
    to the file's absence)."""
    for candidate in (Path(name), root / name):
        if candidate.is_file() and not candidate.is_symlink():
            return relative(root, candidate)
    rel = relative(root, Path(name) if Path(name).is_absolute() else root / name)
    if not (root / rel).exists() and git.text("log", "-1", "--format=%H", "--", rel).strip():
        return rel
    return relative(root, editing.find_case(root, name))


_TARGETS = (
    "refs/remotes/origin/HEAD",
    "refs/remotes/origin/main",
    "refs/remotes/origin/master",
    "refs/heads/main",
    "refs/heads/master",
)
"""Where the merge request goes, when ``--target`` is not given: the first of these that
names a commit (a remote's main before a local one, which may be behind). Full names: a tag
named ``origin/HEAD`` or ``main`` (which anyone who may push tags can add, and 'git fetch'
brings along) must not choose the content an approval names as replaced."""


def _target_commit(git: Repo, given: str | None) -> tuple[str, str]:
    """(name, commit) of the branch the merge request targets."""
    if given:
        return given, git.rev(given)
    for ref in _TARGETS:
        if git.succeeds(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        ):
            name = ref.removeprefix("refs/remotes/").removeprefix("refs/heads/")
            return name, git.rev(ref)
    raise UsageError(
        "không tìm thấy nhánh đích (origin/main, main, ...): phê duyệt phải ghi nội dung mà "
        "thay đổi thay thế trên nhánh đích; chỉ rõ bằng --target NHÁNH. Chưa ghi commit nào."
    )


def _what(blob: str) -> str:
    return "tệp chưa có" if blob == NO_OBJECT else f"nội dung {blob[:10]}"


@click.command("approve")
@click.argument("case", metavar="MÃ_HỒ_SƠ", shell_complete=complete_case)
@click.option(
    "--reject",
    is_flag=True,
    help="Yêu cầu sửa (chặn hợp nhất cho đến khi chính bạn phê duyệt lại ở một commit sau).",
)
@click.option(
    "--target",
    metavar="NHÁNH",
    help="Nhánh đích của yêu cầu hợp nhất (mặc định: origin/main, hoặc main). Phê duyệt gắn "
    "với đúng thay đổi từ nội dung của tệp trên nhánh đích (tại commit chung) sang nội dung "
    "hiện tại; chạy 'git fetch' trước để nhánh đích là mới nhất.",
)
@click.option(
    "--key",
    type=PathType(exists=True, dir_okay=False, path_type=Path),
    help="Khóa SSH để ký (mặc định: user.signingkey của git).",
)
@options.repo
def command(
    case: str, reject: bool, target: str | None, key: Path | None, repo: Path | None
) -> int:
    """Phê duyệt (hoặc yêu cầu sửa) hồ sơ MÃ_HỒ_SƠ (mã hoặc đường dẫn; hoặc đường dẫn của một
    tệp khác như tệp quản trị, mã nguồn) bằng một commit có chữ ký SSH, gắn với đúng thay đổi:
    từ nội dung trên nhánh đích sang nội dung hiện tại của tệp."""
    root = find_root(repo)
    git = Repo(root)
    _refuse_on_main(git)
    rel = _target(root, git, case)
    if git.text("status", "--porcelain", "--", rel).strip():
        raise HosoError(f"{rel} có thay đổi chưa commit; chỉ phê duyệt nội dung đã commit")
    entry = git.entries(git.rev("HEAD"), [rel]).get(rel)
    if entry is None and (root / rel).exists():
        raise HosoError(f"{rel} chưa có trong commit HEAD")
    blob = entry[1] if entry is not None else NO_OBJECT  # approving the file's removal
    name, aimed = _target_commit(git, target)
    common = git.merge_base(aimed, git.rev("HEAD"))
    replaced = git.entries(common, [rel]).get(rel)
    base = replaced[1] if replaced is not None else NO_OBJECT  # approving a new file
    verdict = "reject" if reject else "approve"
    config = ["gpg.format=ssh", *([f"user.signingkey={key}"] if key else [])]
    try:
        git.run(
            "commit",
            "--allow-empty",
            "-S",
            "-q",
            "-F",
            "-",
            input=message(rel, blob, verdict, base).encode(),
            config=config,
        )
    except Locked as exc:
        raise Locked(f"{exc}. Chưa ghi commit nào; chạy lại 'hoso approve' sau.") from None
    what = "việc xóa tệp" if blob == NO_OBJECT else f"nội dung {blob[:10]}"
    click.echo(
        f"Đã ký {'yêu cầu sửa' if reject else 'phê duyệt'} {rel} ({what}, thay cho "
        f"{_what(base)} trên nhánh đích {name})."
    )
    if common != aimed:
        click.echo(
            f"Cảnh báo: nhánh chưa cập nhật theo nhánh đích {name}; phê duyệt gắn với nội dung "
            f"tại commit chung {common[:10]}. Nếu nhánh đích đã sửa tệp này, phê duyệt sẽ thành "
            "phê duyệt cũ khi nhánh được cập nhật: cập nhật nhánh rồi phê duyệt lại.",
            err=True,
        )
    behind = _fetched_long_ago(git, name, target)
    if behind:
        click.echo(f"Cảnh báo: {behind}", err=True)
    unknown = _unknown_key(root, git)
    if unknown:
        click.echo(f"Cảnh báo: {unknown}", err=True)
    return 0


FETCHED_WITHIN = timedelta(hours=24)
"""A copy of the target older than this may be behind the server: the approval names the
content this copy holds as replaced."""


def _fetched_long_ago(git: Repo, name: str, given: str | None) -> str:
    """Why the target may be out of date, when this clone last fetched it long ago (a
    remote-tracking branch chosen by default); "" otherwise."""
    if given or "/" not in name:
        return ""
    when = _last_fetch(git, f"refs/remotes/{name}")
    if when is None or datetime.now(UTC) - when < FETCHED_WITHIN:
        return ""
    local = when.astimezone()
    return (
        f"bản sao này lấy nhánh đích {name} từ máy chủ lần cuối lúc {local:%H:%M} ngày "
        f"{local:%d/%m/%Y}. Nếu từ đó nhánh đích trên máy chủ đã sửa tệp này, phê duyệt vừa ký "
        "sẽ bị coi là phê duyệt cũ: chạy 'git fetch', cập nhật nhánh nếu cần, rồi phê duyệt lại."
    )


def _last_fetch(git: Repo, ref: str) -> datetime | None:
    """When this clone last fetched ``ref``'s remote: the newest of ``FETCH_HEAD``'s time
    (this worktree's, and the repository's, whose remote branches every worktree shares)
    when it names that remote (a fetch of another remote says nothing of this one), and of
    the last entry in the log of the branch ``ref`` names (``origin/HEAD``: where it points;
    a clone writes no FETCH_HEAD). No time after now is believed (a clock set wrong, a file
    touched by hand). None when git keeps none of them."""
    found: list[datetime] = []
    remote = ref.removeprefix("refs/remotes/").split("/", 1)[0]
    # The address git fetches from: the first url, rewritten by url.<base>.insteadOf.
    url = git.text("remote", "get-url", "--", remote, ok=(0, 2)).strip()
    places = [
        git.text("rev-parse", "--git-path", "FETCH_HEAD", ok=(0, 128)).strip(),
        str(Path(git.text("rev-parse", "--git-common-dir", ok=(0, 128)).strip()) / "FETCH_HEAD"),
    ]
    for place in places:
        path = Path(place) if Path(place).is_absolute() else git.root / place
        with contextlib.suppress(OSError, ValueError, OverflowError):
            if url and _names(path.read_bytes(), url):
                found.append(datetime.fromtimestamp(path.stat().st_mtime, UTC))
    branch = git.text("rev-parse", "--symbolic-full-name", ref, ok=(0, 128)).strip() or ref
    stamp = git.text("reflog", "-1", "--date=unix", "--format=%gd", branch, ok=(0, 128)).strip()
    moment = stamp.rpartition("@{")[2].rstrip("}")
    if moment.isdigit():
        with contextlib.suppress(ValueError, OverflowError, OSError):
            found.append(datetime.fromtimestamp(int(moment), UTC))
    now = datetime.now(UTC) + timedelta(minutes=5)
    return max((when for when in found if when <= now), default=None)


def _names(fetched: bytes, url: str) -> bool:
    """Whether a ``FETCH_HEAD`` holds what was fetched from ``url``: git ends each line with
    "of" and the address as ``_as_git_writes`` gives it."""
    address = _as_git_writes(url)
    said = fetched.decode("utf-8", "replace")
    return any(line.endswith(f" of {address}") for line in said.splitlines())


def _as_git_writes(url: str) -> str:
    """A remote's address as git writes it into ``FETCH_HEAD``: without the user and password
    of a remote reached over a network (``transport_anonymize_url``), then without trailing
    slashes and a final ".git"."""
    at, colon, slash = url.find("@"), url.find(":"), url.find("/")
    local = colon == -1 or (slash != -1 and slash < colon)
    if at != -1 and not local:
        scheme = url.find("://")
        if scheme == -1:
            if ":" in url[at + 1 :]:  # user@host:path
                url = url[at + 1 :]
        elif "/" not in url[scheme + 3 : at]:  # scheme://user:password@host/path
            url = url[: scheme + 3] + url[at + 1 :]
    url = url.rstrip("/")
    # git strips ".git" only from an address longer than it and one more character
    return url[:-4] if len(url) > 5 and url.endswith(".git") else url


def _unknown_key(root: Path, git: Repo) -> str:
    """Why the approval just signed will not count, when its key is no one's in this clone's
    governance (a wrong --key, a key never listed); "" when it is someone's."""
    from hoso.review.people import keyring
    from hoso.signatures import BadSignature, split_commit, ssh_signer
    from hoso.validate.governance_files import load_governance

    signed = split_commit(git.run("cat-file", "commit", "HEAD"))
    if signed.signature is None:
        return "commit phê duyệt không có chữ ký; phê duyệt sẽ không được tính"
    try:
        key = ssh_signer(signed.payload, signed.signature)
    except BadSignature:
        return "chữ ký của commit phê duyệt không kiểm tra được; phê duyệt sẽ không được tính"
    status, _ = keyring(load_governance(root)[0]).owner(key)
    if status == "G":
        return ""
    return (
        "khóa đã ký không thuộc ai trong governance/committees.yaml (hoặc thuộc nhiều người), "
        "nên phê duyệt này sẽ không được tính; kiểm tra --key hoặc user.signingkey"
    )
