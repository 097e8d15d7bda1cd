"""Where the forms keep their work: one git worktree per case, on the case's own branch.

The clone the forms serve is never switched to another branch and never edited: a case being
worked on gets a sparse worktree (governance files and that one case file) under
``.git/hoso-forms/<case id>``, on the branch ``ho-so/<case id>`` that ``hoso submit`` would make,
started from the target branch (the remote's copy of it when there is a remote). Records are
written there by ``hoso.editing`` and sent from there by ``hoso.submit``; clerks working on
different cases never share a working tree, and nothing half-done reaches another case's
merge request. Cases not being worked on are read from the target branch's tree.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hoso import submit
from hoso.errors import HosoError
from hoso.git import GitError, Repo
from hoso.repo import CASES

FOLDER = "hoso-forms"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


@dataclass(frozen=True)
class Sent:
    branch: str
    title: str
    commit: str
    pushed: bool
    forge: str
    link: str | None
    """The page that opens the pull request (GitHub), when there is one to open."""
    said: str
    """What git or the forge said, for the clerk (the push's report)."""


class Workspace:
    def __init__(
        self, root: Path, target: str = "main", remote: str = "origin", forge: str = "auto"
    ) -> None:
        self.root = root
        self.git = Repo(root)
        self.target, self.remote, self.forge = target, remote, forge
        common = Path(self.git.text("rev-parse", "--git-common-dir").strip())
        self.folder = (common if common.is_absolute() else root / common) / FOLDER
        self._lock = threading.Lock()
        self._case_locks: dict[str, threading.Lock] = defaultdict(threading.Lock)

    def case_lock(self, case_id: str) -> threading.Lock:
        """Held while one case's worktree is written or sent, so that a step and a send of the
        same case in this server never interleave (``hoso.editing`` locks against others)."""
        with self._lock:
            return self._case_locks[case_id]

    # The base: what new work starts from ------------------------------------------------------

    def has_remote(self) -> bool:
        return self.git.succeeds("remote", "get-url", self.remote)

    def base(self) -> str:
        """The target branch as the remote has it when it has been fetched, else the local one."""
        remote_ref = f"refs/remotes/{self.remote}/{self.target}"
        if self.git.succeeds("rev-parse", "--verify", "--quiet", remote_ref):
            return remote_ref
        return f"refs/heads/{self.target}"

    def base_commit(self) -> str:
        return self.git.rev(self.base())

    def fetch(self) -> str | None:
        """Bring the remote's target branch up to date and tidy the work already merged; what
        went wrong, in words, or None."""
        problem = None
        if self.has_remote():
            try:
                self.git.run(
                    "fetch",
                    "--quiet",
                    self.remote,
                    f"+refs/heads/{self.target}:refs/remotes/{self.remote}/{self.target}",
                )
            except GitError as exc:
                problem = f"không lấy được nhánh {self.target} từ {self.remote}: {exc}"
        self.prune()
        return problem

    # Worktrees ---------------------------------------------------------------------------------

    def branch_of(self, case_id: str) -> str:
        return f"ho-so/{case_id}"

    def worktree(self, case_id: str) -> Path | None:
        path = self.folder / case_id
        return path if (path / ".git").is_file() else None

    def pending(self) -> dict[str, Path]:
        """Every case being worked on in the forms, by id."""
        if not self.folder.is_dir():
            return {}
        return {p.name: p for p in sorted(self.folder.iterdir()) if (p / ".git").is_file()}

    def open(self, case_id: str, rel: str) -> Path:
        """The worktree of the case (made when there is none yet), holding the file ``rel``."""
        if not _PLAIN_PATH.fullmatch(rel) or not _PLAIN_PATH.fullmatch(case_id):
            # Both become sparse-checkout patterns: no wildcard, negation or line break.
            raise HosoError(f"tên tệp hồ sơ {rel!r} có ký tự không dùng được; không ghi gì")
        with self._lock:
            existing = self.worktree(case_id)
            if existing is not None:
                return existing
            path = self.folder / case_id
            branch = self.branch_of(case_id)
            base = self.base()
            self.git.run("worktree", "prune")
            if path.exists():  # a half-made worktree left by a crash
                shutil.rmtree(path)
            if self._has_branch(branch) and self.git.is_ancestor(branch, base):
                self.git.run("branch", "-q", "-D", branch)  # merged long ago: start afresh
            if self._has_branch(branch):
                # Sent earlier and not merged yet (by the forms or by 'hoso submit'): go on there,
                # so that the next step joins the same merge request.
                self.git.run("worktree", "add", "--quiet", "--no-checkout", str(path), branch)
            else:
                self.git.run(
                    "worktree", "add", "--quiet", "--no-checkout", "--no-track", "-b", branch,
                    str(path), base,
                )  # fmt: skip
            tree = Repo(path)
            try:
                tree.run(
                    "sparse-checkout", "set", "--no-cone", "/*", "!/*/", "/governance/", f"/{rel}"
                )
                tree.run("checkout", "--quiet", branch)
            except GitError:
                self._remove(case_id, path)
                raise
            return path

    def discard_if_empty(self, case_id: str) -> None:
        """Remove a case's worktree that holds no work (a first step that was refused)."""
        with self._lock:
            path = self.worktree(case_id)
            if path is not None and not self.changed(path) and not self.ahead(path):
                self._remove(case_id, path)

    def prune(self) -> None:
        """Remove the worktrees whose work has all reached the target (merged) or that hold none.
        A case being written or sent now is left alone: its worktree, made a moment ago, holds
        no work yet."""
        for case_id in self.pending():
            lock = self.case_lock(case_id)
            if lock.acquire(blocking=False):
                try:
                    self.discard_if_empty(case_id)
                finally:
                    lock.release()

    def _remove(self, case_id: str, path: Path) -> None:
        self._writers_file(case_id).unlink(missing_ok=True)
        self.git.run("worktree", "remove", "--force", str(path), ok=(0, 128))
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
        self.git.run("worktree", "prune")
        branch = self.branch_of(case_id)
        if self._has_branch(branch) and self.git.is_ancestor(branch, self.base()):
            self.git.run("branch", "-q", "-D", branch)

    def _has_branch(self, branch: str) -> bool:
        return self.git.succeeds("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")

    # Who wrote the work ---------------------------------------------------------------------------

    def _writers_file(self, case_id: str) -> Path:
        return self.folder / f"{case_id}.writers"

    def wrote(self, case_id: str, author: str | None) -> None:
        """Note that ``author`` ("Name <email>") wrote to the case's worktree: whoever sends it,
        the commit names them as a co-author, so the gate counts no approval of theirs."""
        if not author or "\n" in author or author in self.writers(case_id):
            return
        with self._writers_file(case_id).open("a", encoding="utf-8") as out:
            out.write(author + "\n")

    def writers(self, case_id: str) -> list[str]:
        """Who wrote the work not yet sent, in the order they first wrote."""
        try:
            text = self._writers_file(case_id).read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line]

    # State of one case's work -----------------------------------------------------------------

    def changed(self, path: Path) -> bool:
        """Whether the worktree holds records not yet committed (steps not sent)."""
        out = Repo(path).run("status", "--porcelain", "--untracked-files=all", "--", f"{CASES}/")
        return bool(out.strip())

    def ahead(self, path: Path) -> int:
        """How many commits the case's branch has that the target has not (sent, not merged)."""
        out = Repo(path).text("rev-list", "--count", f"{self.base()}..HEAD")
        return int(out.strip() or 0)

    def pushed(self, path: Path, case_id: str) -> bool:
        """Whether the remote has the branch as it is here."""
        ref = f"refs/remotes/{self.remote}/{self.branch_of(case_id)}"
        if not self.git.succeeds("rev-parse", "--verify", "--quiet", ref):
            return False
        return self.git.rev(ref) == Repo(path).rev("HEAD")

    # Sending ------------------------------------------------------------------------------------

    def send(self, case_id: str, author: str | None, today: date, via: str) -> Sent:
        """Commit the case's changed record on its branch and push it, opening the merge request
        as ``hoso submit`` does (GitLab push options; GitHub's compare page)."""
        path = self.worktree(case_id)
        if path is None:
            raise HosoError(f"hồ sơ {case_id} không có thay đổi nào để gửi")
        subjects: list[str] = []
        if not self.changed(path) and self.ahead(path):
            # Committed by an earlier send whose push failed: push that commit again.
            plan, subjects = submit.resend(path, self.branch_of(case_id), self.base())
            sha = Repo(path).rev("HEAD")
        else:
            with submit.records_held(path):  # what is committed is what was checked
                plan = submit.plan(path, self.target, today)
                others = [w for w in self.writers(case_id) if w != author]
                if others:
                    trailers = "".join(f"Co-authored-by: {w}\n" for w in others)
                    message = f"{plan.message.rstrip()}\n\n{trailers}"
                    plan = dataclasses.replace(plan, message=message)
                sha = submit.commit(path, plan, author)
            self._writers_file(case_id).unlink(missing_ok=True)
        if not self.has_remote():
            return Sent(
                plan.branch, plan.title, sha, False, "none", None,
                f"kho không có remote {self.remote!r}: commit nằm trên nhánh {plan.branch}",
            )  # fmt: skip
        url = self.git.text("remote", "get-url", self.remote).strip()
        forge = submit.forge_of(url) if self.forge == "auto" else self.forge
        lines = [f"Gửi bằng biểu mẫu `hoso forms` ({via}).", ""]
        lines += [f"- Hồ sơ {c.case_id}: {c.summary} (`{c.rel}`)" for c in plan.changes]
        lines += [f"- {subject}" for subject in subjects]
        lines += ["", submit.gate_summary(path, self.base()).strip()]
        description = "\n".join(lines)
        options = submit.push_options(plan, self.target, description) if forge == "gitlab" else []
        try:
            said = submit.push(path, self.remote, plan, options)
        except submit.PushRejected:
            why = (
                f"nhánh {plan.branch} trên {self.remote} đã có commit mà máy này chưa có (người "
                "khác đã gửi hoặc đã sửa trên nhánh đó); không ghi đè. Commit vẫn còn ở đây; "
                "hãy báo người quản trị kho để gộp hai bên rồi gửi lại."
            )
            return Sent(plan.branch, plan.title, sha, False, forge, None, why)
        except HosoError as exc:  # git failed, or the forge refused the branch
            return Sent(plan.branch, plan.title, sha, False, forge, None, str(exc))
        link = (
            submit.compare_url(url, self.target, plan, description) if forge == "github" else None
        )
        return Sent(plan.branch, plan.title, sha, True, forge, link, said)
