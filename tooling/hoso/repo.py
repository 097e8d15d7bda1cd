"""Finding the repository and its record files, and reading them safely.

Only regular files are read: a symlink is never followed (out of the repository or not), a
FIFO or device is never opened for reading, and a file over the size cap is refused from its
size, before any of it is read. A case named by id is matched literally, never as a pattern.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

from hoso.errors import HosoError, UsageError
from hoso.models.common import CASE_ID_PATTERN
from hoso.yamlio import MAX_BYTES

CASES = "cases"
CASE_ID = re.compile(CASE_ID_PATTERN)


class Unreadable(HosoError):
    """A record file that is not read: why, as a finding's rule and message."""

    def __init__(self, rel: str, rule: str, message: str) -> None:
        super().__init__(f"{rel}: {message}")
        self.rel, self.rule, self.message = rel, rule, message


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` that holds ``governance/`` or ``cases/``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        try:
            if (folder / "governance").is_dir() or (folder / CASES).is_dir():
                return folder
        except OSError as exc:  # a name too long, a folder that may not be entered
            raise UsageError(f"không tìm được kho hồ sơ ở {folder}: {cause(exc)}") from None
    raise UsageError(f"không tìm thấy kho hồ sơ (thư mục có governance/ hoặc cases/) từ {here}")


def record_files(root: Path) -> Iterator[Path]:
    """Every file under ``cases/``, sorted, symlinks included (the validator refuses them)."""
    return (root / rel for rel in record_paths(root))


def record_paths(root: Path) -> Iterator[str]:
    """The same files as ``record_files``, as repository-relative POSIX strings (the fast form)."""
    return (rel for rel, _ in record_entries(root))


def record_entries(root: Path, under: str = CASES) -> list[tuple[str, bool]]:
    """Each entry under ``cases/`` (or the folder ``under`` in it) that is not a folder (or is
    a link to one), sorted, with whether it is a regular file. Hidden ones (a name starting
    with a dot, or inside such a folder) are listed too, for every reader to name as no
    record (``hidden``): nothing under ``cases/`` is passed over in silence. The walk never
    enters a symlinked folder, and the type comes from the folder listing, without a stat."""
    base = os.path.join(root, under)
    if os.path.islink(base) or (os.path.lexists(base) and not os.path.isdir(base)):
        # A link, or a plain file (a link checked out where links become files): whatever it
        # stands for is never read, nor passed over as "no records".
        return [(under, False)]
    found: list[tuple[str, bool]] = []
    passed: list[tuple[str, bool]] = []
    _walk(base, under, found, passed)
    if passed:  # rare: an edit under way, or one killed; never one git holds
        held = tracked(root, [rel for rel, _ in passed])
        found = sorted([*found, *(e for e in passed if e[0] in held)])
    return found


def tracked(root: Path, rels: list[str]) -> set[str]:
    """Which of ``rels`` git holds (in its index); all of them when git cannot say, so that
    a file named like an edit's temporary one is never passed over on trust."""
    from hoso.git import Repo

    if not os.path.lexists(os.path.join(root, ".git")):
        return set()  # no repository: nothing is held by git
    try:
        listed = Repo(root).run("ls-files", "-z", "--", *rels)  # pathspecs are literal
    except HosoError:
        return set(rels)
    return {p for p in listed.decode("utf-8", "surrogateescape").split("\0") if p}


def _walk(
    folder: str, prefix: str, found: list[tuple[str, bool]], passed: list[tuple[str, bool]]
) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_NAME)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:
        # A folder that cannot be listed holds records nobody can count: it is an entry of
        # its own (``prefix/``), which every reader names as unreadable.
        found.append((f"{prefix}/", False))
        return
    folders = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry)
        else:
            temporary = entry.name[0] == "." and TEMPORARY.fullmatch(entry.name)
            item = (f"{prefix}/{entry.name}", entry.is_file(follow_symlinks=False))
            (passed if temporary else found).append(item)
    for entry in folders:
        _walk(entry.path, f"{prefix}/{entry.name}", found, passed)


NOT_YAML = "tệp hồ sơ phải có đuôi .yaml"
"""Why a file under ``cases/`` whose name does not end in ``.yaml`` is read as no record."""

TEMPORARY = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{12}\.tmp")
"""The temporary file a record edit writes beside the record before renaming it into place
(``writing``): passed over by the listing, since a check running beside an edit must not fail
on it; one a killed edit left is removed by the next edit of that record. One that git holds
(committed, or added) is listed like any hidden file: no record hides under such a name."""


def hidden(rel: str) -> str | None:
    """Why a path under ``cases/`` is no record because it is hidden (its name, or a folder's
    on its way, starts with a dot: an editor's backup, a tool's file, a folder set aside), or
    None. Such a file is never read as a record, whatever its name ends with, since people do
    not see it where they look for records (a file manager, the forge's folder view)."""
    if "/." not in rel:
        return None  # the common case, without splitting the path
    parts = rel.rstrip("/").split("/")
    dotted = next((i for i, part in enumerate(parts) if i and part.startswith(".")), None)
    if dotted is None:
        return None
    if dotted == len(parts) - 1:
        what = "thư mục ẩn" if rel.endswith("/") else "tệp ẩn"
        return f"{what} (tên bắt đầu bằng dấu chấm) không phải tệp hồ sơ nên không được đọc"
    folder = "/".join(parts[: dotted + 1])
    return (
        f"tệp nằm trong thư mục ẩn {folder}/ (tên bắt đầu bằng dấu chấm) không phải tệp hồ "
        "sơ nên không được đọc"
    )


_NAME = attrgetter("name")
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_REGULAR = stat.S_IFREG


def read_record(root: Path, rel: str, regular: bool = False, cap: int = MAX_BYTES) -> bytes:
    """The bytes of the file at ``rel``, or ``Unreadable`` saying why not.

    ``regular`` says the caller's folder listing already found a regular file (a whole-run
    walk), which saves a stat; otherwise the file's type and size are checked before it is
    opened. Either way it is opened without following a link and without waiting on a FIFO,
    and at most ``cap + 1`` bytes are read.
    """
    if rel.endswith("/"):
        raise _unlisted(root, rel)
    if regular:
        # The common case of a whole run, in one open, one stat and one read; anything out of
        # the ordinary goes the careful way below, which says what it is.
        try:
            fd = os.open(f"{root}/{rel}", _OPEN)
        except OSError:
            pass
        else:
            try:
                info = os.fstat(fd)
                if stat.S_IFMT(info.st_mode) == _REGULAR and info.st_size <= cap:
                    raw = os.read(fd, info.st_size + 1)
                    if len(raw) == info.st_size:
                        return raw
                return read_open(rel, fd, cap)
            finally:
                os.close(fd)
    fd = open_record(root, rel, regular, cap)
    try:
        return read_open(rel, fd, cap)
    finally:
        os.close(fd)


def _unlisted(root: Path, rel: str) -> Unreadable:
    """Why the folder ``rel`` (as the walk gave it, ending in "/") could not be listed."""
    try:
        with os.scandir(os.path.join(root, rel)):
            why = "không liệt kê được"
    except OSError as exc:
        why = cause(exc)
    return Unreadable(rel.rstrip("/"), "record.unreadable", f"không đọc được thư mục: {why}")


def open_record(root: Path, rel: str, regular: bool = False, cap: int = MAX_BYTES) -> int:
    """The file at ``rel`` opened for reading, as ``read_record`` opens it."""
    path = os.path.join(root, rel)
    if not regular:
        _check_named(root, rel, path, cap)
    try:
        return os.open(path, _OPEN)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _link(root, rel, path) from None
        raise Unreadable(rel, "record.unreadable", f"không đọc được tệp: {cause(exc)}") from None


def read_open(rel: str, fd: int, cap: int = MAX_BYTES) -> bytes:
    """The content of an open file, from its start: only if it is a regular file, and not
    more than ``cap`` bytes (``Unreadable`` otherwise)."""
    try:
        info = os.fstat(fd)
        _check_type(rel, info, cap)
        # One read gets the whole file as the stat saw it, and one byte more if it grew since;
        # go on only after a short read or growth, and never past the cap.
        want = min(info.st_size, cap) + 1
        raw = os.pread(fd, want, 0)
        if len(raw) != info.st_size:
            chunks, total = [raw], len(raw)
            while chunks[-1] and total <= cap:
                chunks.append(os.pread(fd, min(_CHUNK, cap + 1 - total), total))
                total += len(chunks[-1])
            raw = b"".join(chunks)
    except OSError as exc:
        raise Unreadable(rel, "record.unreadable", f"không đọc được tệp: {cause(exc)}") from None
    if len(raw) > cap:
        raise Unreadable(rel, "yaml.size", f"tệp quá lớn: hơn {cap:,} byte, tối đa {cap:,} byte")
    return raw


_CHUNK = 1 << 16


def _check_named(root: Path, rel: str, path: str, cap: int) -> None:
    """A named file: not a link, not inside a linked folder, regular, not too large."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise Unreadable(rel, "record.missing", "không có tệp này") from None
    except OSError as exc:
        raise Unreadable(rel, "record.unreadable", f"không đọc được tệp: {cause(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise _link(root, rel, path)
    folder = os.path.realpath(os.path.dirname(path))
    if not Path(folder).is_relative_to(os.path.realpath(root)):
        message = f"thư mục chứa tệp là liên kết tượng trưng trỏ ra ngoài kho hồ sơ: {folder}"
        raise Unreadable(rel, "record.symlink", message)
    _check_type(rel, info, cap)


def _check_type(rel: str, info: os.stat_result, cap: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        what = _KINDS.get(stat.S_IFMT(info.st_mode), "không phải tệp thông thường")
        named = "tệp quản trị" if rel.startswith("governance/") else "tệp hồ sơ"
        raise Unreadable(rel, "record.not_regular", f"không phải {named} thông thường: {what}")
    if info.st_size > cap:
        raise Unreadable(
            rel, "yaml.size", f"tệp quá lớn: {info.st_size:,} byte, tối đa {cap:,} byte"
        )


_KINDS = {
    stat.S_IFIFO: "một đường ống (FIFO)",
    stat.S_IFSOCK: "một socket",
    stat.S_IFCHR: "một thiết bị",
    stat.S_IFBLK: "một thiết bị",
    stat.S_IFDIR: "một thư mục",
}


def refuse_link(root: Path, rel: str) -> None:
    """Refuse a record named through a symbolic link, as the validator does (a link is never
    followed, inside the repository or out of it)."""
    path = os.path.join(root, rel)
    if os.path.islink(path):
        raise _link(root, rel, path)


def _link(root: Path, rel: str, path: str) -> Unreadable:
    target = os.path.realpath(path)
    outside = not Path(target).is_relative_to(os.path.realpath(root))
    why = "trỏ ra ngoài kho hồ sơ" if outside else "không được dùng cho tệp hồ sơ"
    return Unreadable(rel, "record.symlink", f"liên kết tượng trưng {why}: {target}")


def cause(exc: OSError) -> str:
    """Why a file could not be read, in Vietnamese."""
    return _ERRNO.get(exc.errno or 0) or exc.strerror or type(exc).__name__


_ERRNO = {
    errno.ENOENT: "không có tệp này",
    errno.EACCES: "không có quyền đọc",
    errno.EPERM: "không có quyền đọc",
    errno.EIO: "lỗi đọc đĩa",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def relative(root: Path, path: Path) -> str:
    """``path`` relative to the repository root, or a usage error if it lies outside."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{path}: tệp nằm ngoài kho hồ sơ {root}") from None


def expected_path(unit: str, kind: str, case_id: str) -> str:
    return f"{CASES}/{unit}/{kind}/{case_id}.yaml"


def holders_of(root: Path, case_id: str) -> list[str]:
    """The files ``cases/<unit>/<kind>/<case_id>.yaml`` that exist (as anything, links too),
    found by their literal name: an id is never a pattern."""
    base = os.path.join(root, CASES)
    found = []
    for unit in _folders(base):
        for kind in _folders(os.path.join(base, unit)):
            rel = f"{CASES}/{unit}/{kind}/{case_id}.yaml"
            if os.path.lexists(os.path.join(root, rel)):
                found.append(rel)
    return found


def _folders(path: str) -> list[str]:
    try:
        with os.scandir(path) as listing:
            return sorted(e.name for e in listing if e.is_dir(follow_symlinks=False))
    except OSError:  # absent, or not listable: a whole run names it (see ``_walk``)
        return []
