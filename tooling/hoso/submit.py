"""Sending changed records for approval: a branch, a commit that says in Vietnamese what
changed, a push, and a merge request on the forge.

``plan`` works out what would be sent (files, message, branch) without touching anything;
``send`` does it. All git work goes through ``hoso.git``.
"""

from __future__ import annotations

import os
import re
import subprocess
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from hoso import labels, writing, yamlio
from hoso.errors import EXIT_FAIL, HosoError
from hoso.git import GitError, Repo, environment
from hoso.repo import CASES, TEMPORARY, read_record
from hoso.validate.findings import Finding
from hoso.validate.governance_files import broken, said
from hoso.validate.run import Options, run

if TYPE_CHECKING:
    from hoso.review.gate import Verdict

Forge = Literal["gitlab", "github", "none"]


@dataclass(frozen=True)
class Change:
    """One changed record and what happened to it, in words."""

    rel: str
    case_id: str
    summary: str
    """For the title: ``"chi bộ đã ra nghị quyết đề nghị kết nạp"`` (the latest step),
    ``"mở hồ sơ kết nạp đảng viên"``, ``"sửa nội dung hồ sơ (đính chính)"``."""
    steps: tuple[str, ...] = ()
    """Each step added, with its day, for the message body."""


@dataclass
class Plan:
    changes: list[Change]
    title: str
    message: str
    branch: str
    start: str
    """The branch checked out now ("" when detached)."""
    new_branch: bool
    """Whether a branch is made (from the target) or the current work branch is used."""
    warnings: list[Finding] = field(default_factory=list)


def changed_records(git: Repo) -> tuple[list[str], list[str]]:
    """Record files changed in the working tree against HEAD (new ones too), and deleted ones."""
    out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", f"{CASES}/")
    changed, deleted = [], []
    parts = out.decode("utf-8").split("\0")
    index = 0
    while index < len(parts):
        entry = parts[index]
        index += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status == "??" and TEMPORARY.fullmatch(path.rsplit("/", 1)[-1]):
            # A record edit's temporary file (one being written now, or one a killed edit
            # left, which the next edit of that record removes): not the clerk's to send.
            continue
        if "R" in status or "C" in status:
            index += 1  # the old name follows a rename; a renamed record is a deletion too
            deleted.append(path)
        if "D" in status:
            deleted.append(path)
        else:
            changed.append(path)
    return sorted(set(changed)), sorted(set(deleted))


@contextmanager
def records_held(root: Path) -> Iterator[None]:
    """Hold each changed record as ``hoso transition`` holds one, from the check to the commit:
    a step recorded meanwhile waits and lands after the commit (for the next submit), never in
    the commit unchecked and left out of its message."""
    changed, _ = changed_records(Repo(root))
    with ExitStack() as stack:
        for rel in sorted(changed):
            stack.enter_context(writing.record_lock(root, rel, tidy=False))
        yield


def _old(git: Repo, rel: str) -> Any:
    blob = git.files_at("HEAD", [rel])[rel]
    if blob is None:
        return None
    data = yamlio.load_bytes(blob)
    return data if isinstance(data, dict) else None


def describe(git: Repo, root: Path, rel: str) -> Change:
    """What changed in one record, as a clause of the commit message."""
    new = yamlio.load_bytes(read_record(root, rel))
    if not isinstance(new, dict):
        raise HosoError(f"{rel}: không đọc được hồ sơ; chạy 'hoso validate {rel}'")
    kind = str(new.get("kind", ""))
    case_id = str(new.get("id", Path(rel).stem))
    history: list[Any] = new["history"] if isinstance(new.get("history"), list) else []
    old = _old(git, rel)
    before: list[Any] = [] if old is None else old.get("history") or []
    if old is not None and (history[: len(before)] != before or len(history) == len(before)):
        return Change(rel, case_id, "sửa nội dung hồ sơ (đính chính)")
    added = [e for e in history[len(before) :] if isinstance(e, dict)]
    steps = tuple(
        f"{labels.day(str(e.get('date', '')))}: {_clause(labels.state(kind, str(e.get('state'))))}"
        for e in added
    )
    latest = _clause(labels.state(kind, str(added[-1].get("state")))) if added else ""
    if old is None:
        opened = f"mở hồ sơ {labels.kind(kind).lower()}"
        summary = opened if len(added) <= 1 else f"{opened}, đến bước: {latest}"
        return Change(rel, case_id, summary, steps)
    return Change(rel, case_id, latest, steps)


def _clause(label: str) -> str:
    """A state label as a clause inside a sentence: its first letter in lower case unless
    it starts a proper name ("Đảng ủy …" stays as written)."""
    if not label or label.startswith(("Đảng", "Ban ", "Ủy ban")):
        return label
    return label[0].lower() + label[1:]


def message_for(changes: list[Change]) -> tuple[str, str]:
    """The commit title and whole message: one record in the title, several listed below;
    each step added, with its day, in the body."""
    if len(changes) == 1:
        change = changes[0]
        title = f"Hồ sơ {change.case_id}: {change.summary}"
        body = "\n".join(f"- {step}" for step in change.steps)
        return title, f"{title}\n\n{body}\n" if body else f"{title}\n"
    title = f"Cập nhật {len(changes)} hồ sơ: " + ", ".join(c.case_id for c in changes[:4])
    if len(changes) > 4:
        title += ", …"
    lines = []
    for change in changes:
        lines.append(f"Hồ sơ {change.case_id}: {change.summary}")
        lines += [f"- {step}" for step in change.steps]
    return title, f"{title}\n\n" + "\n".join(lines) + "\n"


def branch_for(git: Repo, changes: list[Change], today: date) -> str:
    """A new branch name: the case id for one record, the day and count for several; a
    suffix when the name is taken."""
    if len(changes) == 1:
        base = f"ho-so/{changes[0].case_id}"
    else:
        base = f"ho-so/{today:%Y-%m-%d}-{len(changes)}-ho-so"
    name, n = base, 1
    while git.succeeds("rev-parse", "--verify", "--quiet", f"refs/heads/{name}"):
        n += 1
        name = f"{base}-{n}"
    return name


def plan(root: Path, target: str, today: date) -> Plan:
    """What ``send`` would do, refusing when there is nothing valid to send."""
    git = Repo(root)
    if not git.succeeds("rev-parse", "--verify", "--quiet", "HEAD"):
        raise HosoError("kho chưa có commit nào; hãy commit governance/ trước khi gửi hồ sơ")
    if not git.text("for-each-ref", "--format=%(refname)", f"refs/heads/{target}").strip() and not [
        ref
        for ref in git.text("for-each-ref", "--format=%(refname)", "refs/remotes/").split()
        if ref.endswith(f"/{target}")
    ]:
        here = git.text("symbolic-ref", "--quiet", "--short", "HEAD", ok=(0, 1)).strip()
        raise HosoError(
            f"kho không có nhánh {target} để gửi vào; nếu nhánh chính ở đây có tên khác (như "
            f"{here or 'master'}), chạy lại với --target TÊN_NHÁNH. Chưa commit gì."
        )
    changed, deleted = changed_records(git)
    if deleted:
        raise HosoError(
            "tệp hồ sơ không bao giờ bị xóa hay đổi tên (hồ sơ kết thúc bằng một trạng thái "
            "cuối); khôi phục bằng 'git restore': " + ", ".join(deleted)
        )
    if not changed:
        raise HosoError("không có hồ sơ nào thay đổi so với lần lưu gần nhất; không có gì để gửi")
    result = run(Options(root, [root / rel for rel in changed], today))
    governance_errors = broken(result.findings)
    if governance_errors:
        raise HosoError(said(governance_errors, "không gửi gì"))
    if result.errors:
        from hoso.validate.report import line

        lines = "\n".join(line(f) for f in result.sorted() if f.severity == "error")
        raise HosoError(f"hồ sơ chưa hợp lệ; hãy sửa trước khi gửi:\n{lines}")
    changes = [describe(git, root, rel) for rel in changed]
    title, message = message_for(changes)
    start = git.text("symbolic-ref", "--quiet", "--short", "HEAD", ok=(0, 1)).strip()
    new_branch = start in ("", target)
    branch = branch_for(git, changes, today) if new_branch else start
    return Plan(changes, title, message, branch, start, new_branch, result.warnings)


def commit(root: Path, plan: Plan, author: str | None = None) -> str:
    """Make the branch (when needed) and commit the changed records on it, only them.
    ``author`` ("Name <email>") is who wrote the change when it is not git's configured user
    (the forms commit for the clerk who is logged in)."""
    git = Repo(root)
    started = git.rev("HEAD")
    files = [c.rel for c in plan.changes]
    by = [f"--author={author}"] if author else []
    made = False
    try:
        if plan.new_branch:
            # Made and entered in two steps that each change one ref or nothing, so a step
            # tried again while another command holds a lock never finds its own half-work
            # ("switch -c" makes the branch, then may fail to move HEAD). The files and the
            # index stay as they are: the branch is the commit HEAD is on.
            git.run("update-ref", f"refs/heads/{plan.branch}", started, "")
            made = True
            git.run("symbolic-ref", "HEAD", f"refs/heads/{plan.branch}")
        git.run("add", "--", *files)
        try:
            message = plan.message.encode("utf-8")
            git.run("commit", "-q", *by, "-F", "-", "--", *files, input=message)
        except GitError as exc:
            raise _refused_by_hook(git, exc) from None
    except GitError as exc:
        kept = "Chưa commit gì; các hồ sơ đã sửa vẫn còn nguyên"
        if not plan.new_branch:
            raise type(exc)(f"{exc}\n{kept} trên nhánh {plan.branch}.") from None
        # Leave things as they were: the start branch, no new branch.
        undone = _undo_branch(git, plan, started) if made else _here(plan)
        raise type(exc)(f"{exc}\n{kept}{undone}.") from None
    except BaseException:
        # Ctrl+C or SIGTERM: while nothing is committed on the new branch, leave things as
        # they were, as for a failure (an empty branch left behind would take the case's name).
        if made and git.text("rev-parse", f"refs/heads/{plan.branch}").strip() == started:
            _undo_branch(git, plan, started)
        raise
    return git.rev("HEAD")


class HookRefused(GitError):
    """A hook of the repository (pre-commit, commit-msg) would not let the commit be made: its
    own verdict, to read and act on, not a fault of hoso or git. Exit status 1."""

    exit_code = EXIT_FAIL


_COMMIT_HOOKS = {
    "pre-commit": "bước kiểm tra trước khi commit (pre-commit hook) của kho",
    "prepare-commit-msg": "bước chuẩn bị lời mô tả commit (prepare-commit-msg hook) của kho",
    "commit-msg": "bước kiểm tra lời mô tả commit (commit-msg hook) của kho",
}


def _refused_by_hook(git: Repo, exc: GitError) -> GitError:
    """``exc``, or, when the failed commit ran a hook of the repository, the hook's refusal in
    the clerk's words with what it said. Asked only after git failed: a run that works pays
    nothing."""
    if type(exc) is not GitError:  # a lock, a broken repository, a signing key: git's own
        return exc
    if exc.code != 1:  # git stops on its own with 128 (die); a refusing hook makes it exit 1
        return exc
    try:
        # core.hooksPath as git reads it ('~/' expanded), or the repository's own folder.
        hooks = git.text("rev-parse", "--git-path", "hooks").strip()
    except GitError:
        return exc
    folder = Path(hooks) if Path(hooks).is_absolute() else git.root / hooks
    ran = [
        what
        for name, what in _COMMIT_HOOKS.items()
        if os.access(folder / name, os.X_OK) and (folder / name).is_file()
    ]
    if not ran:
        return exc
    said = exc.said.strip() or "(không ghi lý do)"
    return HookRefused(
        f"{' hoặc '.join(ran)} không cho commit; nó báo:\n{said}\n"
        "Sửa theo lời báo trên (hoặc hỏi người quản lý kho về bước kiểm tra này) rồi chạy lại."
    )


def _here(plan: Plan) -> str:
    return f", vẫn ở nhánh {plan.start}" if plan.start else ""


def _undo_branch(git: Repo, plan: Plan, started: str) -> str:
    """Put HEAD back where ``commit`` found it and remove the branch it made, nothing having
    been committed on it; where that leaves the clerk, as the end of a sentence. HEAD is moved
    by name only (``symbolic-ref``, ``update-ref``), never by a checkout: both branches are
    the same commit, the files stay as they are (changes staged by then stay staged), and
    neither needs the index, which another git command may be holding (the reason the commit
    failed)."""
    on = git.text("symbolic-ref", "--quiet", "HEAD", ok=(0, 1)).strip()
    try:
        if on == f"refs/heads/{plan.branch}" and plan.start:  # HEAD moved onto it: back
            git.run("symbolic-ref", "HEAD", f"refs/heads/{plan.start}")
        elif on == f"refs/heads/{plan.branch}":
            git.run("update-ref", "--no-deref", "HEAD", started)
    except GitError:
        return (
            f", nhưng bạn đang ở nhánh mới {plan.branch} (chưa có commit nào): lần gửi sau "
            "sẽ commit trên nhánh đó"
        )
    here = _here(plan)
    try:
        # Only while it is still the commit it was made at: never a commit that landed on it.
        git.run("update-ref", "-d", f"refs/heads/{plan.branch}", started)
    except GitError:
        return (
            f"{here}; nhánh {plan.branch} còn lại, chưa có commit nào (xóa bằng 'git branch -D "
            f"{plan.branch}', hoặc để đó: lần gửi sau dùng một tên khác)"
        )
    return here


def unsent(root: Path, remote: str, target: str) -> list[str]:
    """Local ``ho-so/*`` branches holding commits the remote never received: made by an
    earlier submit whose push failed (or that was told ``--no-push``), or pushed once and
    committed to since. A branch whose remote branch is gone (deleted after its merge), or
    whose commits the target already holds, is not one."""
    git = Repo(root)
    listing = git.text("for-each-ref", "--format=%(refname:short) %(upstream)", "refs/heads/ho-so/")
    bases = [
        ref
        for ref in (f"refs/heads/{target}", f"refs/remotes/{remote}/{target}")
        if git.succeeds("rev-parse", "--verify", "--quiet", ref)
    ]
    out = []
    for line in listing.splitlines():
        name, _, upstream = line.partition(" ")
        tip = f"refs/heads/{name}"
        if upstream:
            if not git.succeeds("rev-parse", "--verify", "--quiet", upstream):
                continue
            if git.is_ancestor(tip, upstream) or _all_copied(git, upstream, tip):
                continue  # sent, perhaps rebased by the forge since
        elif any(git.is_ancestor(tip, base) or _all_copied(git, base, tip) for base in bases):
            continue  # merged, perhaps as a rebased copy
        out.append(name)
    return out


def _cherry(git: Repo, upstream: str, head: str) -> list[str]:
    """For each commit of ``head`` not in ``upstream``, ``-`` when ``upstream`` holds a commit
    making the same change (a rebased or cherry-picked copy), else ``+``."""
    return git.text("cherry", upstream, head).split()[::2]


def _all_copied(git: Repo, upstream: str, head: str) -> bool:
    """Whether every commit of ``head`` not in ``upstream`` has a copy there (a rebase)."""
    marks = _cherry(git, upstream, head)
    return bool(marks) and "+" not in marks


def resend(root: Path, branch: str, target: str) -> tuple[Plan, list[str]]:
    """An already committed branch as a plan to push again, with the subject of each of its
    commits the target lacks (oldest first)."""
    git = Repo(root)
    ref = f"refs/heads/{branch}"
    message = git.text("log", "-1", "--format=%B", ref)
    subjects = git.text("log", "--reverse", "--format=%s", f"{target}..{ref}").splitlines()
    start = git.text("symbolic-ref", "--quiet", "--short", "HEAD", ok=(0, 1)).strip()
    title = message.split("\n", 1)[0]
    return Plan([], title, message, branch, start, False), subjects


def back(root: Path, plan: Plan) -> None:
    """Return to the branch the work started on (the target), leaving the sent branch."""
    if plan.new_branch and plan.start:
        Repo(root).run("switch", "-q", plan.start)


def forge_of(url: str) -> Forge:
    """The forge a remote URL points to, by its host name."""
    host = re.sub(r"^[a-z+]+://", "", url).split("@")[-1].split("/")[0].split(":")[0].lower()
    if "gitlab" in host:
        return "gitlab"
    if host == "github.com" or host.endswith(".github.com") or "github" in host:
        return "github"
    return "none"


def push_options(plan: Plan, target: str, description: str) -> list[str]:
    """GitLab push options that open the merge request (values cannot hold a line break)."""
    flat = description.replace("\n", "<br>")
    return [
        "merge_request.create",
        f"merge_request.target={target}",
        f"merge_request.title={plan.title}",
        f"merge_request.description={flat}",
    ]


class PushRejected(HosoError):
    """The remote's branch holds commits this clone lacks: pushing would overwrite them."""


def push(root: Path, remote: str, plan: Plan, options: list[str], source: str = "HEAD") -> str:
    """Push the branch (from ``source``), with push options; git's own report of the push.
    Never forced: a remote branch that moved on raises ``PushRejected``; a forge or a hook
    that refuses the branch raises with what it said."""
    given = [part for option in options for part in ("-o", option)]
    dest = f"refs/heads/{plan.branch}"
    command = ["git", "push", *given, "--porcelain", "-u", remote, f"{source}:{dest}"]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, env=environment())
    except OSError as exc:
        raise GitError(f"không chạy được git: {exc}") from None
    report = done.stdout.decode("utf-8", "replace")
    said = done.stderr.decode("utf-8", "replace")
    if done.returncode == 0:
        return report
    status = next(
        (line.split("\t") for line in report.splitlines() if f":{dest}\t" in line + "\t"), []
    )
    summary = status[2] if len(status) > 2 else ""
    if status and status[0] == "!" and summary.startswith("[rejected]"):
        raise PushRejected(f"nhánh {plan.branch} trên {remote} đã có commit mà máy này chưa có")
    if "does not support push options" in said:
        raise HosoError(
            f"{remote} không nhận tùy chọn đẩy (push options) mà GitLab dùng để mở yêu cầu "
            f"hợp nhất: có lẽ nó không phải GitLab. Commit vẫn còn trên nhánh {plan.branch}; "
            "gửi lại bằng 'hoso submit --forge none' rồi mở yêu cầu hợp nhất trên GitLab/GitHub."
        )
    forge = [
        line.removeprefix("remote:").strip()
        for line in said.splitlines()
        if line.startswith("remote:") and line.removeprefix("remote:").strip()
    ]
    if status and status[0] == "!":
        reason = "; ".join(forge) or summary
        raise HosoError(
            f"{remote} từ chối nhận nhánh {plan.branch}; GitLab/GitHub báo: {reason}. Commit "
            "vẫn còn trên nhánh đó; hỏi người quản trị kho về quyền đẩy lên nhánh này."
        )
    # git's own words, without its hints and without the command (which holds the whole
    # merge request description).
    own = [line.strip() for line in said.splitlines() if line.strip()]
    own = [line for line in own if not line.startswith("hint:")]
    raise GitError(f"git push thất bại (mã {done.returncode}); git báo: " + " / ".join(own))


def holds_our_work(root: Path, remote: str, branch: str, source: str, target: str) -> bool:
    """Whether the remote's ``branch`` holds this branch's own work (someone pushed to it, or
    the forge rebased it: the work must be taken in) rather than being another submission that
    took the same name (this work goes to a free name). Ours when it was pushed from here
    before, when the two share commits beyond the target, or when it holds a copy of one of
    ours (a rebase rewrites ids, not changes). When git cannot tell, it holds our work: nothing
    is renamed on a guess."""
    git = Repo(root)
    theirs = f"refs/remotes/{remote}/{branch}"
    try:
        upstream = git.text("for-each-ref", "--format=%(upstream)", f"refs/heads/{branch}")
        if upstream.strip() == theirs:
            return True
        git.run("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{theirs}")
        base = git.merge_base(source, theirs)
        bases = [
            ref
            for ref in (f"refs/heads/{target}", f"refs/remotes/{remote}/{target}")
            if git.succeeds("rev-parse", "--verify", "--quiet", ref)
        ]
        if not any(git.is_ancestor(base, ref) for ref in bases):
            return True
        return copied(git, theirs, source)
    except HosoError:
        return True


def copied(git: Repo, upstream: str, head: str) -> bool:
    """Whether ``upstream`` holds a commit making the same change as one of ``head``'s own."""
    return "-" in _cherry(git, upstream, head)


def taken_on(git: Repo, remote: str) -> set[str]:
    """The branch names the remote has now (asked over the network, not from the last fetch)."""
    listing = git.text("ls-remote", "--heads", remote)
    return {
        ref.removeprefix("refs/heads/")
        for _, _, ref in (line.partition("\t") for line in listing.splitlines())
    }


def rename_free(root: Path, remote: str, plan: Plan) -> str:
    """Give the branch the first name free both here and on the remote (its name with ``-2``,
    ``-3``… appended), for when another submission took its name there first."""
    git = Repo(root)
    taken = taken_on(git, remote)
    n = 2
    while (name := f"{plan.branch}-{n}") in taken or git.succeeds(
        "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"
    ):
        n += 1
    git.run("branch", "-m", plan.branch, name)
    plan.branch = name
    return name


def compare_url(remote_url: str, target: str, plan: Plan, description: str) -> str | None:
    """The GitHub page that opens a pull request for the branch, title and body filled in."""
    match = re.search(r"github\.com[:/]+([^/]+)/([^/]+?)(?:\.git)?/?$", remote_url)
    if not match:
        return None
    owner, name = match[1], match[2]
    query = urllib.parse.urlencode({"expand": "1", "title": plan.title, "body": description})
    branch = urllib.parse.quote(plan.branch, safe="/")
    return f"https://github.com/{owner}/{name}/compare/{target}...{branch}?{query}"


def verdict(root: Path, target: str, head: str = "HEAD") -> Verdict | str:
    """The approval gate's verdict on the branch against the target, or why it could not be
    had (as the line a report shows in its place)."""
    from hoso.review.gate import Requested, review

    try:
        return review(Requested(Repo(root), target, head))
    except GitError as exc:
        return f"(Chưa tính được báo cáo của cổng phê duyệt: {exc})\n"


def gate_summary(root: Path, target: str, head: str = "HEAD") -> str:
    """The approval gate's report for the branch against the target, as Markdown."""
    from hoso.review import render

    found = verdict(root, target, head)
    return found if isinstance(found, str) else render.markdown(found)
