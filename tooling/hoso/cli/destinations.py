"""Where a command may write what the user names with ``--out``, and writing it there.

``hoso site`` hands its folder to mkdocs, which empties it before building; ``hoso report``
writes a file. Neither may take the records, the tool's own files or anyone else's work with
it: a site folder is refused unless it is new, empty or an earlier build that hoso marked, and
never inside (or holding) a repository; a report is never written over a file without
``--overwrite``, never inside the records' ``cases/``, ``governance/`` or git folder, and never
through a symbolic link.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from contextlib import suppress
from pathlib import Path

from hoso.errors import HosoError, UsageError

SITE_MARK = ".hoso-site"
"""The file each ``hoso site`` build leaves in its folder. mkdocs never removes a name that
starts with a dot when it empties the folder, so the mark outlives the build it announces, a
failed one too."""

SITE_MARK_TEXT = (
    "Thư mục này do 'hoso site' xây dựng; mỗi lần xây dựng lại, mọi nội dung khác trong "
    "thư mục bị xóa.\n"
)

_BUILDING = "(đang xây dựng: mọi nội dung trong thư mục do lần xây dựng này ghi)"
"""The line the mark holds while a build runs: a build that failed (a full disk, a signal)
leaves it, and what it wrote is the build's, for the next build to empty."""

SITE_AREA = "site"
"""The folder of the tool repository that holds its builds (``site/<audience>``, ignored by
git): the one place inside a repository where a site may be built."""


def site_folder(out: Path, tool: Path, records: Path, default: bool = False) -> None:
    """Refuse ``out`` as the folder of a site build unless nothing in it can be lost: a new or
    empty folder, or an earlier build (its mark present), outside every repository and
    holding none. The one exception is the tool repository's own ``site/``, where the default
    folders ``site/<audience>`` lie."""
    where = Path(os.path.abspath(out))
    default_area = _in_site_area(where, tool)
    for repo, what in ((records, "kho hồ sơ"), (tool, "kho của công cụ (nơi có mkdocs.yml)")):
        if _same(where, repo):
            raise UsageError(
                f"{out}: đây là {what} {repo}; chọn một thư mục khác để xây dựng trang"
            )
        if _inside(repo, where):
            raise UsageError(
                f"{out}: thư mục này chứa {what} {repo}; việc xây dựng sẽ xóa nó. Chọn một "
                "thư mục khác"
            )
        if _inside(where, repo) and not (default_area and within(tool, repo)):
            raise UsageError(
                f"{out}: thư mục nằm trong {what} {repo}; việc xây dựng sẽ xóa những gì có "
                f"trong đó. Chọn một thư mục ngoài kho (hoặc bỏ --out để xây dựng vào "
                f"{tool / SITE_AREA}/<đối tượng>)"
            )
    work_tree = _work_tree_around(where, stop=tool if default_area else None)
    if work_tree is not None:
        raise UsageError(
            f"{out}: thư mục nằm trong kho Git {work_tree}; việc xây dựng sẽ xóa những gì có "
            "trong đó. Chọn một thư mục ngoài mọi kho Git"
        )
    try:
        with os.scandir(where) as listing:
            names = [entry.name for entry in listing]
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise UsageError(f"{out}: không phải thư mục") from None
    except OSError as exc:
        raise UsageError(f"không đọc được thư mục {out}: {reason(exc)}") from None
    if not names:
        return
    links = sorted(n for n in names if os.path.islink(where / n))
    if links:
        raise UsageError(
            f"{out}: trong thư mục có liên kết tượng trưng ({', '.join(links)}); việc xây dựng "
            "sẽ ghi qua chúng ra chỗ khác. Xóa các liên kết đó hoặc chọn thư mục khác"
        )
    built = _marked(where)
    if built is not None:
        others = sorted(set(names) - built - {SITE_MARK})
        if others:
            raise UsageError(
                f"{out}: trong thư mục trang có thêm {', '.join(others[:5])}"
                f"{' …' if len(others) > 5 else ''}, không do lần xây dựng trước làm ra; việc "
                "xây dựng sẽ xóa chúng. Chuyển chúng đi hoặc chọn thư mục khác"
            )
    elif not (default and default_area and _mkdocs_build(names)):
        raise UsageError(
            f"{out}: thư mục đã có nội dung và không phải trang do 'hoso site' xây dựng; việc "
            "xây dựng sẽ xóa hết nội dung đó. Chọn một thư mục mới hoặc trống"
        )
    inner = _work_tree_within(where)
    if inner is not None:
        raise UsageError(
            f"{out}: trong thư mục có kho Git {inner}; việc xây dựng sẽ xóa nó. Chọn một thư "
            "mục khác"
        )


_MKDOCS_NAMES = re.compile(r"[a-z0-9-]+(\.html|\.xml|\.xml\.gz|\.json)?")
"""The names an mkdocs build of the site writes at the top of its folder: pages and their
folders (slugs), the sitemap, the search index."""


def _mkdocs_build(names: list[str]) -> bool:
    """Whether a folder's names are those of an mkdocs build and nothing else: in the tool's
    own ``site/<audience>``, a build from before builds were marked is taken as one when the
    user named no folder."""
    found = set(names)
    return (
        {"index.html", "assets"} <= found
        and bool({"sitemap.xml", "search"} & found)
        and all(_MKDOCS_NAMES.fullmatch(n) for n in found)
    )


def mark_site(out: Path) -> None:
    """Make ``out`` if need be and leave the mark of a build in it, before mkdocs runs."""
    try:
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, SITE_MARK)
        with suppress(FileNotFoundError):
            if not stat.S_ISREG(os.lstat(path).st_mode):
                raise UsageError(f"{path}: không phải tệp thông thường; không xây dựng trang")
        _write(path, f"{SITE_MARK_TEXT}{_BUILDING}\n".encode(), replace=True)
    except OSError as exc:
        raise HosoError(f"không chuẩn bị được thư mục {out}: {reason(exc)}") from None


def record_build(out: Path) -> None:
    """After a build: the mark lists the names the build left at the top of the folder, so a
    later build refuses the folder once anything else has been put in it."""
    try:
        names = sorted(n for n in os.listdir(out) if n != SITE_MARK)
        text = SITE_MARK_TEXT + "".join(f"{n}\n" for n in names)
        _write(os.path.join(out, SITE_MARK), text.encode("utf-8"), replace=True)
    except OSError as exc:
        raise HosoError(f"không ghi được dấu của trang vào {out}: {reason(exc)}") from None


def _marked(folder: Path) -> set[str] | None:
    """The names an earlier build left in ``folder``, by its mark; None when unmarked."""
    path = folder / SITE_MARK
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        text = b""
        while chunk := os.read(fd, 65536):
            text += chunk
            if len(text) > 1 << 20:
                return None
    except OSError:
        return None
    finally:
        os.close(fd)
    head = SITE_MARK_TEXT.encode("utf-8")
    if not text.startswith(head):
        return None
    names = set(text[len(head) :].decode("utf-8", "replace").splitlines())
    if _BUILDING in names:  # a build that never finished: all it left is its own
        return set(os.listdir(folder))
    return names


def report_file(out: Path, records: Path, overwrite: bool) -> None:
    """Refuse ``out`` as a report's file: inside the records' ``cases/``, ``governance/`` or
    git folder always; a symbolic link or anything but a regular file always; an existing
    file unless ``overwrite``."""
    where = Path(os.path.abspath(out))
    kept = [(records / name, f"{name}/") for name in ("cases", "governance", ".git")]
    kept += [(folder, "thư mục git") for folder in _git_folders(records)]
    for folder, name in kept:
        if _same(where, folder) or _inside(where, folder):
            raise UsageError(
                f"{out}: nằm trong {name} của kho hồ sơ {records}; không ghi báo cáo vào đó. "
                "Chọn một tệp ở chỗ khác"
            )
    try:
        info = os.lstat(where)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"không ghi được báo cáo vào {out}: {reason(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(
            f"{out}: là liên kết tượng trưng (trỏ tới {os.path.realpath(where)}); không ghi "
            "qua liên kết. Chọn một tệp khác"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{out}: không phải tệp thông thường; không ghi báo cáo vào đó")
    if not overwrite:
        raise UsageError(f"{out}: tệp đã có; thêm --overwrite để ghi đè, hoặc chọn tên khác")


def _git_folders(records: Path) -> list[Path]:
    """The records' git folders where ``.git`` is only a file pointing to them (a worktree,
    a submodule): its own and the common one; none when git cannot say."""
    from hoso.git import Repo

    try:
        said = Repo(records).text(
            "rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"
        )
    except HosoError:  # not a repository, or git cannot say: the names above still hold
        return []
    return [Path(line) for line in said.splitlines() if line]


def write_report(out: Path, data: bytes, overwrite: bool) -> None:
    """Write ``data`` to ``out``, which ``report_file`` accepted: a new file is created only
    if the name is still free; with ``overwrite`` the file is replaced whole (a link put there
    meanwhile is replaced, never followed). ``OSError`` if it cannot be written."""
    _write(str(out), data, replace=overwrite)


def _write(path: str, data: bytes, replace: bool) -> None:
    if not replace:
        fd = os.open(path, _CREATE, 0o666)
        try:
            _all(fd, data)
        except BaseException:
            os.close(fd)
            with suppress(OSError):
                os.unlink(path)
            raise
        os.close(fd)
        return
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, _CREATE, 0o666)
    try:
        with suppress(OSError):
            before = os.lstat(path)
            if stat.S_ISREG(before.st_mode):
                os.fchmod(fd, stat.S_IMODE(before.st_mode))
        _all(fd, data)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _same(path: Path, other: Path) -> bool:
    """Whether the two name one folder (by identity, so links and a file system that ignores
    case do not hide it)."""
    mine = _identity(path)
    return mine is not None and mine == _identity(other)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies strictly inside ``folder``: one of its existing parents is it."""
    wanted = _identity(folder)
    if wanted is None:
        return False
    for parent in Path(os.path.realpath(path)).parents:
        if _identity(parent) == wanted:
            return True
    return any(_identity(parent) == wanted for parent in path.parents)


def within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (by identity, links followed)."""
    return _same(path, folder) or _inside(path, folder)


def _in_site_area(path: Path, tool: Path) -> bool:
    """Whether ``path`` lies below the tool repository's ``site/`` (made or not yet), itself
    a real folder rather than a link to somewhere else."""
    area = tool / SITE_AREA
    if os.path.islink(area) or (os.path.lexists(area) and not area.is_dir()):
        return False
    real = Path(os.path.realpath(path))
    return real != Path(os.path.realpath(area)) and real.is_relative_to(os.path.realpath(area))


def _work_tree_around(path: Path, stop: Path | None) -> Path | None:
    """The nearest folder at or above ``path`` that holds ``.git`` (a folder, or the file of a
    worktree or submodule); with ``stop``, only below that folder."""
    real = Path(os.path.realpath(path))
    limit = _identity(stop) if stop is not None else None
    for folder in (real, *real.parents):
        if limit is not None and _identity(folder) == limit:
            return None
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def _work_tree_within(folder: Path) -> Path | None:
    """A folder under ``folder`` that holds ``.git``, if any (links are not followed)."""
    for top, dirs, files in os.walk(folder):
        if ".git" in dirs or ".git" in files:
            return Path(top)
    return None


def reason(exc: OSError) -> str:
    """Why a file or folder could not be made or written, in Vietnamese."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


_REASONS = {
    errno.ENOENT: "không có thư mục chứa nó, hoặc ở đó không tạo được thư mục",
    errno.EEXIST: "đã có một tệp mang tên này",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EISDIR: "đó là một thư mục",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.EROFS: "hệ thống tệp chỉ cho phép đọc",
    errno.ENOSPC: "đĩa đã đầy",
    errno.ENAMETOOLONG: "tên quá dài",
    errno.ELOOP: "là liên kết tượng trưng",
}
