"""The one place that talks to git.

Reads fail closed: a path that is absent is told apart from an object git cannot read (which
is a broken repository, never "the file does not exist"); replace refs and grafts are ignored
or refused, so that history is what the objects say. Errors say what is wrong in Vietnamese;
the git command and its output follow for whoever must repair the repository.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from hoso.errors import EXIT_FAIL, EXIT_UNEXPECTED, HosoError, UsageError

FIELD = "\x1f"
RECORD = "\x1e"
NO_OBJECT = "0" * 40
"""The object id git's raw diff gives a file that does not exist on that side."""
REGULAR_MODES = ("100644", "100755")
GITLINK = "160000"
"""The mode of a submodule entry, whose id names a commit of another repository."""

_CONFIG = {
    "log.showSignature": "false",
    "log.showRoot": "true",
    "color.ui": "never",
    "core.quotePath": "false",
    "diff.noprefix": "false",
    # A walk through a long history touches every pack: these keep git's own memory to tens of
    # megabytes (its defaults let one log of a province's decade hold hundreds), at no cost
    # in time measured here.
    "core.deltaBaseCacheLimit": "16m",
    "core.packedGitLimit": "16m",
    "core.packedGitWindowSize": "1m",
    # The clone's own files must not tell git other parents than the objects name (a
    # commit-graph written by hand could hide a commit from the first-parent line), nor choose
    # the program that checks a signature (a script that always answers "good").
    "core.commitGraph": "false",
    "core.fsmonitor": "false",
    "gpg.program": "gpg",
    "gpg.openpgp.program": "gpg",
    "gpg.x509.program": "gpgsm",
}
ENV = {
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_LITERAL_PATHSPECS": "1",
    "LC_ALL": "C",
    "GIT_CONFIG_COUNT": str(len(_CONFIG)),
    **{f"GIT_CONFIG_KEY_{n}": key for n, key in enumerate(_CONFIG)},
    **{f"GIT_CONFIG_VALUE_{n}": value for n, value in enumerate(_CONFIG.values())},
}
"""Every git command runs with these: replace refs never rewrite what an object says, paths
are literal (no glob), git's messages are parseable, and no setting of the reader's (a
signature check in the log, colours, a hidden root diff) changes what git prints."""


_LOCATING = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_GRAFT_FILE",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
)
"""Variables that would make git read another repository, other objects or other parents than
the folder each command runs in (a hook's or a shell's leftovers): never passed on."""


def environment() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if k not in _LOCATING}
    return {**kept, **ENV}


class GitError(HosoError):
    """A git command failed: exit status 3, never 1 (which says "findings")."""

    exit_code = EXIT_UNEXPECTED
    said = ""
    """What git wrote to its error output, as it wrote it."""
    code = 0
    """git's exit status (0 when git did not run to the end)."""


class BrokenRepository(GitError):
    """The repository cannot be read as it must be: a missing or corrupt object, a shallow or
    grafted history. Exit status 3, without a traceback."""

    exit_code = EXIT_UNEXPECTED


class Locked(GitError):
    """Another git process holds a lock of the repository (its index or a ref), or one that
    was stopped left its lock file behind: nothing was done, and the command may simply be run
    again. Exit status 1, as for another command editing the same record (``writing.Busy``):
    neither a usage error nor a broken repository."""

    exit_code = EXIT_FAIL


class GitMissing(GitError):
    """git cannot be run at all (not installed, not on the path)."""


class NotOwned(UsageError):
    """git will not read the repository: it belongs to another account (``safe.directory``)."""


LOCK_WAIT = 5.0
"""Seconds a git command that finds the repository locked is tried again before giving up:
two clerks approving or sending in one clone at once is normal, and git gives up at once."""
_LOCK_POLL = 0.1
_LOCKED = re.compile(r"unable to create '([^']*\.lock)': file exists", re.IGNORECASE)
"""How git (under ``LC_ALL=C``) says a lock file is there: ``index.lock``, ``HEAD.lock``, a
ref's ``.lock`` (``cannot lock ref '…': Unable to create '….lock': File exists``)."""


def locked(lock: str) -> Locked:
    return Locked(
        f"kho đang bị khóa (hoso thử lại trong tối đa {LOCK_WAIT:.0f} giây): một lệnh git khác "
        f"đang chạy trong kho này, hoặc tệp {lock} còn sót lại sau một lệnh bị ngắt; hãy thử "
        "lại sau, hoặc xóa tệp đó nếu chắc không còn lệnh git nào chạy"
    )


def _git(command: list[str], root: Path, input: bytes | None) -> subprocess.CompletedProcess[bytes]:
    """Run git to its end. Stopped meanwhile (Ctrl+C, SIGTERM), hoso asks git to stop as it
    was asked (SIGTERM: git removes its lock files) and waits for it; ``subprocess.run`` would
    kill it outright, leaving ``.git/index.lock`` behind to refuse the next command."""
    stdin = subprocess.PIPE if input is not None else None
    with subprocess.Popen(
        command,
        cwd=root,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    ) as process:
        try:
            out, err = process.communicate(input)
        except BaseException:
            with suppress(OSError):
                process.terminate()
            process.wait()
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


class Change(NamedTuple):
    """One file that differs between two commits, as ``git diff --raw`` gives it."""

    status: str
    path: str
    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str


@dataclass(frozen=True)
class Repo:
    root: Path

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        ok: Sequence[int] = (0,),
        config: Sequence[str] = (),
    ) -> bytes:
        command = ["git", *(part for c in config for part in ("-c", c)), *args]
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                done = _git(command, self.root, input)
            except OSError as exc:
                raise GitMissing(f"không chạy được git: {exc}") from None
            if done.returncode in ok:
                return done.stdout
            said = done.stderr.decode("utf-8", "replace").strip()
            # A git command that finds a lock file gives up before it changes anything:
            # run again once the other command is done, for a few seconds.
            if _LOCKED.search(said) and time.monotonic() < deadline:
                time.sleep(_LOCK_POLL)
                continue
            raise _explain(said, done.returncode, command)

    def _asked(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """A git command whose exit status is itself an answer (``GitError`` only when git
        cannot be run at all)."""
        try:
            return _git(["git", *args], self.root, None)
        except OSError as exc:
            raise GitMissing(f"không chạy được git: {exc}") from None

    def succeeds(self, *args: str) -> bool:
        """Whether a git command exits 0 (for questions git answers by its exit status)."""
        return self._asked(*args).returncode == 0

    def text(self, *args: str, **kwargs: object) -> str:
        return self.run(*args, **kwargs).decode("utf-8", "replace")  # type: ignore[arg-type]

    def rev(self, ref: str) -> str:
        """The commit ``ref`` names; a usage error when it names none."""
        if ref.startswith("-") or not ref.strip():
            raise UsageError(f"tên nhánh hoặc commit không hợp lệ: {ref!r}")
        named = self._named(ref)
        if len(named) > 1:
            raise UsageError(
                f"tên {ref!r} chỉ tới nhiều tham chiếu ({', '.join(named)}): git sẽ chọn một mà "
                "không báo lỗi, nên hoso không đoán; hãy dùng một trong các tên đầy đủ đó, "
                "hoặc mã commit đủ 40 ký tự"
            )
        done = self._asked("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}")
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace")
            self._broken(ref, said)
            head = self._asked("rev-parse", "--verify", "--quiet", "HEAD")
            if head.returncode not in (0, 1):  # git cannot read the repository at all
                why = head.stderr.decode("utf-8", "replace").strip() or said.strip()
                raise _explain(why, head.returncode, ["git", "rev-parse", "--verify", "HEAD"])
            if head.returncode == 1:  # a HEAD with no commit yet, which git says quietly
                raise UsageError(f"kho {self.root} chưa có commit nào (kho rỗng)")
            raise UsageError(f"không tìm thấy nhánh hoặc commit {ref!r} trong kho {self.root}")
        return done.stdout.decode().strip()

    def _broken(self, ref: str, said: str) -> None:
        """Raise ``BrokenRepository`` when ``ref`` was not found because the repository cannot
        be read (an object missing or corrupt), not because nothing has that name: git says
        so, or the name points to an object that is not there."""
        if any(mark in said.lower() for mark in _BROKEN):
            raise _explain(said.strip(), 128, ["git", "rev-parse", "--verify", ref])
        if _FULL_ID.fullmatch(ref):
            return  # an id typed in full names no ref: absent, not broken
        named = self._asked("rev-parse", "--verify", "--quiet", "--end-of-options", ref)
        oid = named.stdout.decode().strip()
        if (
            named.returncode == 0
            and _FULL_ID.fullmatch(oid)
            and not self.succeeds("cat-file", "-e", oid)
        ):
            raise missing_object(oid)

    def branch(self, name: str) -> str:
        """The full ref a branch's name means: the local branch, else the remote-tracking one
        (never a tag of the same name, which git would find first; a branch, asked for by
        name, is the branch); the name as it is when it is already a full ref or no branch has
        it (``rev`` then says what is wrong)."""
        if not name.startswith(("refs/", "-")):
            for ref in (f"refs/heads/{name}", f"refs/remotes/{name}"):
                if self.succeeds("show-ref", "--verify", "--quiet", ref):
                    return ref
        return name

    def _named(self, ref: str) -> list[str]:
        """The refs a short name could mean, in git's own order of lookup (a tag named
        ``origin/main`` is found before the remote-tracking branch); one entry when it means
        one thing. A full commit id is an id whatever refs share its name: git reads it so."""
        plain = _PLAIN_REF.fullmatch(ref) and not _FULL_ID.fullmatch(ref)
        if not plain or ref.startswith("refs/") or ref == "HEAD":
            return []
        wanted = [f"refs/{ref}", *(f"refs/{kind}/{ref}" for kind in ("tags", "heads", "remotes"))]
        wanted.append(f"refs/remotes/{ref}/HEAD")
        listed = self.text("for-each-ref", "--format=%(refname)", *wanted).split("\n")
        return [name for name in wanted if name in listed]

    def whole_history(self) -> None:
        """Refuse a shallow or partial clone, or a grafted history: the audit and the gate
        need all of it, read from this clone alone."""
        kind = self.text("rev-parse", "--show-object-format").strip() or "sha1"
        if kind != "sha1":
            raise BrokenRepository(
                f"kho dùng định dạng đối tượng {kind}; hoso hiện chỉ đọc kho sha1 và không "
                "kiểm tra được kho này (không coi là sạch)"
            )
        shallow = self.text("rev-parse", "--is-shallow-repository").strip()
        if shallow == "true":
            raise BrokenRepository(
                "kho chỉ có một phần lịch sử (bản sao nông, shallow clone): kiểm toán và cổng "
                "phê duyệt cần toàn bộ lịch sử; chạy 'git fetch --unshallow' rồi thử lại"
            )
        promisors = self.run(
            "config", "--type=bool", "--get-regexp", r"^remote\..*\.promisor$", ok=(0, 1)
        ).split(b"\n")
        partial = any(line.endswith(b" true") for line in promisors)
        if partial or self.succeeds("config", "--get", "extensions.partialClone"):
            raise BrokenRepository(
                "kho là bản sao một phần (partial clone, tạo bằng 'git clone --filter'): thiếu "
                "nội dung các phiên bản cũ, git sẽ tải dần từ máy chủ giữa chừng hoặc dừng khi "
                "không kết nối được; kiểm toán và cổng phê duyệt cần một bản sao đầy đủ: chạy "
                "'git clone' không có --filter rồi thử lại"
            )
        grafts = Path(self.text("rev-parse", "--git-common-dir").strip())
        if not grafts.is_absolute():
            grafts = self.root / grafts
        if (grafts / "info" / "grafts").exists():
            raise BrokenRepository(
                "kho có tệp info/grafts làm thay đổi lịch sử: xóa tệp đó (hoặc dùng một bản "
                "sao sạch) rồi thử lại"
            )

    def has_commit(self, rev: str) -> bool:
        """Whether this clone holds the commit ``rev`` names."""
        return self.succeeds("cat-file", "-e", f"{rev}^{{commit}}")

    def merge_base(self, a: str, b: str) -> str:
        done = subprocess.run(
            ["git", "merge-base", a, b],
            cwd=self.root,
            capture_output=True,
            check=False,
            env=environment(),
        )
        if done.returncode == 1:
            raise UsageError(f"{a[:10]} và {b[:10]} không có lịch sử chung")
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip()
            raise _explain(said, done.returncode, ["git", "merge-base", a, b])
        return done.stdout.decode().strip()

    def is_ancestor(self, old: str, new: str) -> bool:
        done = subprocess.run(
            ["git", "merge-base", "--is-ancestor", old, new],
            cwd=self.root,
            capture_output=True,
            check=False,
            env=environment(),
        )
        if done.returncode not in (0, 1):
            said = done.stderr.decode("utf-8", "replace").strip()
            raise _explain(said, done.returncode, ["git", "merge-base", "--is-ancestor"])
        return done.returncode == 0

    def newest_on_line(self, commit: str, tip: str) -> str | None:
        """The newest commit of ``tip``'s first-parent line that ``commit`` has in its
        history (or is); None where it holds none of them."""
        if self.is_ancestor(tip, commit):
            return tip
        out = self.text("rev-list", "--first-parent", "--parents", tip, "--not", commit)
        lines = out.split("\n")
        last = [line for line in lines if line.strip()][-1].split() if out.strip() else []
        if len(last) < 2 or not self.is_ancestor(last[1], commit):
            return None
        return last[1]

    def changed_on_line(self, commit: str, tip: str, path: str, held: bool = False) -> bool | None:
        """Whether ``path`` changed on ``tip``'s first-parent line after the newest commit of
        that line ``commit`` has in its history (each commit compared with its first parent,
        so a change undone later counts too); None where ``commit`` holds none of them.

        With ``held``, a merge of that line that took the file as another of its parents has
        it, where ``commit`` holds that parent, is no change: the change was in ``commit``'s
        history already (a branch stacked on another, approved after the other was merged)."""
        fork = self.newest_on_line(commit, tip)
        if fork is None:
            return None
        if fork == tip:
            return False
        if not held:
            found = self.text(
                "rev-list", "--first-parent", "-n", "1", tip, "--not", fork, "--", path
            )
            return bool(found.strip())
        found = self.text("rev-list", "--first-parent", tip, "--not", fork, "--", path)
        for line in found.split():
            # The parents as the commit names them: with a path, rev-list would print the
            # parents it rewrote to leave out commits that did not touch the file.
            parents = self.text("rev-parse", f"{line}^@").split()
            now = self.entries(line, [path]).get(path)
            if not any(
                self.is_ancestor(other, commit) and self.entries(other, [path]).get(path) == now
                for other in parents[1:]
            ):
                return True
        return False

    def changed(self, old: str, new: str) -> list[Change]:
        """Each file that differs, with modes and blob ids; renames count as delete + add."""
        out = self.run("diff", "--raw", "-z", "--no-renames", "--no-abbrev", old, new)
        return parse_raw(out)

    def entries(self, rev: str, paths: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(mode, object id) of each of ``paths`` that exists at ``rev``; absent ones are left
        out. A tree git cannot read is an error, never an absent file."""
        wanted = list(dict.fromkeys(paths))
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            out = self.run("ls-tree", "-z", "--full-tree", rev, "--", *chunk)
            for entry in out.split(b"\0"):
                if entry:
                    meta, _, name = entry.partition(b"\t")
                    mode, _, oid = meta.decode().split(" ")
                    found[name.decode("utf-8", "surrogateescape")] = (mode, oid)
        return found

    def objects(self, ids: Iterable[str]) -> dict[str, bytes]:
        """Contents of objects by id in one ``cat-file --batch``; an id git cannot read is a
        broken repository."""
        wanted = [i for i in dict.fromkeys(ids) if i and i != NO_OBJECT]
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
        found: dict[str, bytes] = {}
        at = 0
        for oid in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].decode("utf-8", "replace")
            at = end + 1
            if header.endswith((" missing", " ambiguous")):
                raise missing_object(oid)
            name, kind, size_text = header.split()
            size = int(size_text)
            found[oid] = out[at : at + size]
            check_hash(name, kind, found[oid])
            at += size + 1
        return found

    def object_ids(self, specs: Iterable[str]) -> dict[str, str]:
        """Object ids of revision expressions (``sha^{tree}``) that must exist; one that git
        cannot find is a broken repository."""
        wanted = list(dict.fromkeys(specs))
        if not wanted:
            return {}
        out = self.text("cat-file", "--batch-check", input=("\n".join(wanted) + "\n").encode())
        ids = {}
        for spec, line in zip(wanted, out.splitlines(), strict=True):
            if line.endswith((" missing", " ambiguous")):
                raise missing_object(spec)
            ids[spec] = line.split()[0]
        return ids

    def files_at(self, rev: str, paths: Iterable[str]) -> dict[str, bytes | None]:
        """Contents of ``paths`` at ``rev``: None for a path that does not exist there; an error
        for a path that is not a regular file or whose object git cannot read."""
        contents, odd = self.regular_files_at(rev, paths)
        for path, mode in odd.items():
            raise GitError(not_regular(path, rev, mode))
        return contents

    def regular_files_at(
        self, rev: str, paths: Iterable[str]
    ) -> tuple[dict[str, bytes | None], dict[str, str]]:
        """Contents of ``paths`` at ``rev`` (None for a path that does not exist there), and
        the mode of each path there that is not a regular file (a symlink, a folder, a
        submodule: its content is None too). An object git cannot read is an error."""
        wanted = list(dict.fromkeys(paths))
        entries = self.entries(rev, wanted)
        odd = {p: mode for p, (mode, _) in entries.items() if mode not in REGULAR_MODES}
        regular = {p: oid for p, (mode, oid) in entries.items() if p not in odd}
        contents = self.objects(regular.values())
        return {p: contents[regular[p]] if p in regular else None for p in wanted}, odd

    def log(
        self, range_: str, fmt: Sequence[str], *args: str, config: Sequence[str] = ()
    ) -> list[list[str]]:
        """One record per commit with the given ``--format`` fields."""
        pretty = "--format=" + FIELD.join(fmt) + RECORD
        out = self.text("log", pretty, range_, *args, "--", config=config)
        return [rec.strip("\n").split(FIELD) for rec in out.split(RECORD) if rec.strip("\n")]


_PLAIN_REF = re.compile(r"[A-Za-z0-9._/+-]+")
"""A name without revision syntax (``~``, ``^``, ``:``, ``@{``): one git looks up as a ref."""
_FULL_ID = re.compile(r"[0-9a-fA-F]{40}")
_MODES = {
    "120000": "một liên kết tượng trưng",
    "160000": "một kho con (submodule)",
    "040000": "một thư mục",
}


def kind_of(mode: str) -> str:
    """What a tree entry of ``mode`` is, in words (for one that is not a regular file)."""
    return _MODES.get(mode, f"chế độ {mode}")


def not_regular(path: str, rev: str, mode: str) -> str:
    return (
        f"{path} tại {rev[:10]} không phải tệp thường ({kind_of(mode)}): hồ sơ và tệp quản "
        "trị chỉ là tệp thường"
    )


def parse_raw(out: bytes) -> list[Change]:
    """``git diff --raw -z`` output: ``:mode mode old new status\\0path\\0`` per file."""
    parts = out.split(b"\0")
    changes = []
    for i in range(0, len(parts) - 1, 2):
        meta = parts[i].decode().lstrip(":").split(" ")
        old_mode, new_mode, old_blob, new_blob, status = meta[:5]
        path = parts[i + 1].decode("utf-8", "surrogateescape")
        changes.append(Change(status[0], path, old_mode, new_mode, old_blob, new_blob))
    return changes


def hashing(oid: str, kind: str, size: int) -> hashlib._Hash:
    """A hash of an object's bytes as git names it (SHA-1, or SHA-256 in a repository of
    64-digit ids), its header already fed: update with the content, compare with ``oid``."""
    found = hashlib.sha256() if len(oid) == 64 else hashlib.sha1()
    found.update(f"{kind} {size}\0".encode())
    return found


def check_hash(oid: str, kind: str, raw: bytes) -> None:
    """``BrokenRepository`` unless ``raw`` is the object ``oid`` names: git does not check an
    object's bytes against its id when it reads it, so one rewritten in place on disk would
    otherwise be taken for the original."""
    found = hashing(oid, kind, len(raw))
    found.update(raw)
    if found.hexdigest() != oid:
        raise altered_object(oid)


def altered_object(oid: str) -> BrokenRepository:
    return BrokenRepository(
        f"đối tượng {oid} trong kho không khớp với mã của chính nó: nội dung đã bị sửa trên đĩa "
        "sau khi tải về; lấy lại bản sao từ máy chủ (git clone) hoặc kiểm tra bằng 'git fsck'"
    )


def missing_object(oid: str) -> BrokenRepository:
    return BrokenRepository(
        f"kho thiếu hoặc hỏng đối tượng {oid}: không đọc được nội dung đã ghi; lấy lại bản sao "
        "đầy đủ (git fetch) hoặc kiểm tra bằng 'git fsck'"
    )


CANNOT_SIGN = (
    "không ký được: cần tệp khóa SSH riêng (private key) của chính bạn, chỉ ra bằng --key hoặc "
    "'git config user.signingkey <tệp khóa>'; không có gì được ghi"
)
_SIGNING = (
    "user.signingkey",
    "gpg.ssh.defaultkeycommand",
    "couldn't load public key",
    "failed to sign",
    "ssh-keygen",
)
_NOT_OWNER = re.compile(r"dubious ownership in repository at '([^']*)'")
"""How git says it will not read a repository owned by another account (``safe.directory``)."""
_BROKEN = (
    "bad object",
    "missing object",
    "not point to a valid object",
    "not a tree object",
    "unable to read",
    "corrupt",
    "missing blob",
    "missing tree",
    "missing commit",
    "loose object",
    "invalid object",
    "bad tree object",
    "packfile",
    "fatal: unable to parse",
    # A commit the walk cannot read ("error: Could not read <id>", then this): not a
    # remote's "Could not read from remote repository".
    "failed to traverse parents",
    # "git cat-file -s REV:PATH" when the tree names an object that cannot be read.
    "could not get object info",
    "revision walk setup failed",
)


def _explain(said: str, code: int, command: Sequence[str]) -> HosoError:
    tail = f"\n(lệnh: {' '.join(command)}; git báo: {said})" if said else ""
    lowered = said.lower()
    lock = _LOCKED.search(said)
    if lock:
        return locked(lock[1])
    if any(mark in lowered for mark in _BROKEN):
        return BrokenRepository(
            "kho git hỏng hoặc thiếu đối tượng; lấy lại bản sao đầy đủ hoặc kiểm tra bằng "
            f"'git fsck'{tail}"
        )
    owner = _NOT_OWNER.search(said)
    if owner:
        return NotOwned(
            f"git không đọc kho {owner[1]}: thư mục của kho thuộc một tài khoản khác với tài "
            "khoản đang chạy lệnh, nên git chặn lại để an toàn; nếu tin kho này, thêm ngoại lệ "
            f"bằng 'git config --global --add safe.directory {owner[1]}' rồi chạy lại{tail}"
        )
    if "not a git repository" in lowered:
        return UsageError(f"thư mục không phải kho git{tail}")
    if "unknown revision" in lowered or "bad revision" in lowered:
        return UsageError(f"không tìm thấy nhánh hoặc commit{tail}")
    if any(mark in lowered for mark in _SIGNING):
        return UsageError(f"{CANNOT_SIGN}{tail}")
    failed = GitError(f"lệnh git thất bại ({code}){tail}")
    failed.said = said
    failed.code = code
    return failed
