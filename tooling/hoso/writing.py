"""Locks and atomic writes for the commands that change records.

A record is locked with ``flock`` on the record file itself, held from the moment it is read
until its replacement is in place. A second command waiting on the lock finds, once it gets
it, that the file was replaced, and starts over on the new file: it records its step after the
first one, or is refused if the step is no longer legal. A lock dies with its process, so
there are no stale locks; a second command that waits too long is refused with a message.
``hoso new`` locks the ``cases/`` folder the same way while it picks an id and creates the file.

A write goes to a temporary file in the same folder, is flushed to disk, takes the mode of the
file it replaces and then replaces it in one rename: readers see the old file or the new one.
On any failure (full disk, size limit, read-only or immutable file) the temporary file is
removed, the record is left as it was, and the error says so in Vietnamese.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from hoso.errors import HosoError, sigterm_unwinds
from hoso.repo import CASES, TEMPORARY, open_record, read_open

WAIT = 20.0
"""Seconds a command waits for another one editing the same record (or creating a case)."""
_POLL = 0.01


class Busy(HosoError):
    """Another command holds the lock for too long."""


class WriteFailed(HosoError):
    """The new content could not be written; the file is as it was."""


class Held:
    """A record file locked for editing, and its content as read under the lock."""

    def __init__(self, root: Path, rel: str, fd: int, raw: bytes, mode: int) -> None:
        self.root, self.rel, self.fd, self.raw, self.mode = root, rel, fd, raw, mode
        self.path = os.path.join(root, rel)

    def unchanged(self) -> bool:
        """Whether the file on disk is still the one read (a hand edit may have come in)."""
        try:
            now = os.lstat(self.path)
        except OSError:
            return False
        mine = os.fstat(self.fd)
        if (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
            return False
        return os.pread(self.fd, len(self.raw) + 1, 0) == self.raw

    def replace(self, data: bytes) -> None:
        """Put ``data`` in place of the file, keeping its mode."""
        _write_new(self.rel, self.path, data, self.mode, replace=True)


@contextmanager
def record_lock(root: Path, rel: str, wait: float = WAIT, tidy: bool = True) -> Iterator[Held]:
    """Lock the record at ``rel`` and read it; see the module's docstring. ``tidy=False`` (a
    reader that only needs edits held off, such as ``hoso submit``) leaves the temporary files
    of killed edits where they are."""
    path = os.path.join(root, rel)
    deadline = time.monotonic() + wait
    while True:
        fd = open_record(root, rel)
        try:
            _try_lock(fd, deadline, rel)
            if _same_file(fd, path):
                mode = stat.S_IMODE(os.fstat(fd).st_mode)
                held = Held(root, rel, fd, read_open(rel, fd), mode)
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while this waited: start over on the new file
    try:
        if tidy:
            _remove_stale(path)
        yield held
    finally:
        os.close(fd)


@contextmanager
def cases_lock(root: Path, wait: float = WAIT) -> Iterator[None]:
    """Lock the repository's set of case ids (the ``cases/`` folder) while a case is created."""
    folder = os.path.join(root, CASES)
    try:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if os.path.islink(folder) or (os.path.lexists(folder) and not os.path.isdir(folder)):
            why = "không phải thư mục (là một tệp hoặc liên kết tượng trưng)"
        else:
            why = f"không mở được thư mục: {_said(exc)}"
        raise WriteFailed(f"{CASES}: {why}. Chưa tạo hồ sơ nào.") from None
    try:
        _try_lock(fd, time.monotonic() + wait, CASES)
        yield
    finally:
        os.close(fd)


def _try_lock(fd: int, deadline: float, rel: str) -> None:
    """Take the lock, waiting until ``deadline``; ``Busy`` past it."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise Busy(
                    f"{rel}: đang có một lệnh khác ghi vào đây; đã chờ {WAIT:.0f} giây. "
                    "Không ghi gì; hãy chạy lại lệnh sau."
                ) from None
            time.sleep(_POLL)


def _same_file(fd: int, path: str) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (another edit may have replaced it
    while this one waited for the lock)."""
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def create(root: Path, rel: str, data: bytes) -> None:
    """Write a new file at ``rel``; refused if a file is already there."""
    path = os.path.join(root, rel)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except OSError as exc:
        raise WriteFailed(f"{rel}: không tạo được thư mục: {_said(exc)}") from None
    _write_new(rel, path, data, None, replace=False)


def _write_new(rel: str, path: str, data: bytes, mode: int | None, replace: bool) -> None:
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    # A termination request (SIGTERM) unwinds the write, so the temporary file is removed; the
    # record is left as it was or wholly replaced.
    with sigterm_unwinds():
        _write_via(rel, path, tmp, data, mode, replace)


def _write_via(rel: str, path: str, tmp: str, data: bytes, mode: int | None, replace: bool) -> None:
    folder = os.path.dirname(path)
    try:
        # 0o666 less the umask for a new file; a replaced file's mode is set below.
        fd = os.open(tmp, _CREATE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if mode is not None:
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, path)
        else:
            _put_new(tmp, path)
        _sync_folder(folder)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, FileExistsError) and not replace:
            raise WriteFailed(f"{rel}: tệp đã có; không ghi đè") from None
        if isinstance(exc, OSError):
            after = "Tệp vẫn giữ nguyên như trước." if replace else "Chưa tạo hồ sơ nào."
            raise WriteFailed(f"không ghi được {rel}: {_said(exc)}. {after}") from None
        raise


_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}
"""What ``link`` says on a file system without hard links (Linux's vfat and exfat say EPERM)."""


def _put_new(tmp: str, path: str) -> None:
    """Give the written ``tmp`` the name ``path``, failing if that name is taken meanwhile:
    by a hard link where the file system has them; else (a FAT USB stick, some network shares)
    by a rename that refuses a name taken, or where there is none, by taking the name with an
    empty file first, then renaming over it, the empty file removed again if that fails."""
    try:
        os.link(tmp, path)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
    else:
        # The record has its name: a temporary name left behind is passed over by every
        # listing and removed by the next edit, never a reason to say nothing was written.
        with suppress(OSError):
            os.unlink(tmp)
        return
    if _rename_new(tmp, path):
        return
    fd = os.open(path, _CREATE, 0o600)  # FileExistsError if the name is taken
    try:
        claimed = os.fstat(fd)
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            now = os.lstat(path)
            if (now.st_dev, now.st_ino) == (claimed.st_dev, claimed.st_ino):
                os.unlink(path)
        raise


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _rename_new(tmp: str, path: str) -> bool:
    """Rename ``tmp`` to ``path`` in one step that fails if ``path`` exists (Linux's
    ``renameat2`` with ``RENAME_NOREPLACE``, which vfat and exfat have): no moment where the
    name holds an empty file. False where the system has no such call, for the fallback."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(path), _RENAME_NOREPLACE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # not on this file system or kernel
    raise OSError(code, os.strerror(code), path)


def _sync_folder(folder: str) -> None:
    """Make the new name durable where the system can; the file has its name either way, so
    nothing here is a failure of the write."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is done either way
    finally:
        os.close(fd)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _remove_stale(path: str) -> None:
    """Remove temporary files of earlier edits of this record that were killed before they
    could clean up (the lock is held, so no live edit owns one)."""
    folder, name = os.path.split(path)
    try:
        with os.scandir(folder) as listing:
            stale = [
                e.path
                for e in listing
                if (m := TEMPORARY.fullmatch(e.name))
                and m["name"] == name
                and e.is_file(follow_symlinks=False)
            ]
    except OSError:
        return
    for leftover in stale:
        with suppress(OSError):
            os.unlink(leftover)


def _said(exc: OSError) -> str:
    reason = _REASONS.get(exc.errno or 0)
    return reason or (exc.strerror or type(exc).__name__)


_REASONS = {
    errno.ENOSPC: "đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng đĩa",
    errno.EFBIG: "tệp vượt quá giới hạn kích thước tệp của tiến trình (ulimit -f)",
    errno.EROFS: "hệ thống tệp chỉ cho phép đọc",
    errno.EPERM: "không được phép ghi (tệp hoặc thư mục bị khóa bất biến, hoặc không có quyền)",
    errno.EACCES: "không có quyền ghi vào thư mục của tệp",
    errno.EIO: "lỗi ghi đĩa",
    errno.ENOENT: "thư mục của tệp không còn",
}
