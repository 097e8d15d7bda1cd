"""Creating a case and recording a step: the only code that writes records.

Both judge the would-be file with the full validator before writing, refuse with every reason
when it would be invalid, and write atomically under a lock (``writing``). Recording a step
appends the event's lines and changes the status value as text (``textedit``), so every other
byte of the file (comments, key order, quoting, line endings, mode) is unchanged.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hoso import labels, textedit, writing, yamlio
from hoso.errors import HosoError, UsageError
from hoso.models import ID_PREFIX
from hoso.repo import CASE_ID, CASES, expected_path, hidden, holders_of, read_record, relative
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS
from hoso.validate import report
from hoso.validate.findings import Finding
from hoso.validate.governance_files import broken, said
from hoso.validate.run import check_one

_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/{kind}.schema.json\n"


class Refused(HosoError):
    """A change that would break a rule or lose data: nothing was written."""

    def __init__(self, why: str, findings: list[Finding] | None = None) -> None:
        lines = [why, *(report.line(f) for f in findings or [])]
        super().__init__("\n".join(lines))
        self.why = why
        self.findings = findings or []


class SentForApproval(UsageError):
    """The case is not on the open branch: it waits for approval on the ``ho-so/`` branch that
    ``hoso submit`` made (``branch``), where ``rel`` holds it."""

    def __init__(self, message: str, case: str, branch: str) -> None:
        super().__init__(message)
        self.case, self.branch = case, branch

    def sent(self, root: Path) -> tuple[str, bytes]:
        """The file as sent (its path and its bytes on the branch), to be read, not edited."""
        from hoso.git import Repo

        git = Repo(root)
        ref = f"refs/heads/{self.branch}"
        listing = git.text("ls-tree", "-r", "-z", "--name-only", ref, "--", CASES).split("\0")
        rel = next((p for p in listing if Path(p).name == f"{self.case}.yaml"), None)
        if rel is None:
            raise UsageError(f"nhánh {self.branch} không còn hồ sơ {self.case}")
        size = int(git.text("cat-file", "-s", f"{ref}:{rel}").strip() or 0)
        if size > yamlio.MAX_BYTES:
            raise UsageError(f"{rel} trên nhánh {self.branch}: tệp quá lớn ({size:,} byte)")
        return rel, git.run("cat-file", "blob", f"{ref}:{rel}")


class Changed(Refused):
    """The record is no longer the version the change was made against (someone else recorded
    a step meanwhile): nothing was written."""


def version(raw: bytes) -> str:
    """The version of a record's content that an edit can be made against (a SHA-256)."""
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Written:
    rel: str
    warnings: list[Finding]


def find_case(root: Path, case: str) -> Path:
    """A case named by its path (a ``.yaml`` file in the repository, from here or from the
    repository's root) or by its id, matched literally: an id is never a pattern."""
    if case.endswith(".yaml") or "/" in case or os.sep in case:
        path = Path(case)
        if not os.path.lexists(path) and os.path.lexists(root / path):
            path = root / path  # a path from the repository's root, given with --repo
        rel = relative(root, path)
        if not os.path.lexists(root / rel):
            raise UsageError(f"không tìm thấy tệp hồ sơ {case!r}.{_near(root, case)}")
        why = hidden(rel)
        if why is not None:
            raise UsageError(f"{rel}: {why}; đổi tên hoặc chuyển ra khỏi cases/")
        return root / rel
    written = case.strip()
    if not CASE_ID.fullmatch(case) and CASE_ID.fullmatch(written[:2].upper() + written[2:].lower()):
        # "kn-2026-abc123", "KN-2026-ABC123 " copied from paper: the kind's letters are
        # capitals, the rest is lower case in every id
        case = written[:2].upper() + written[2:].lower()
    if not CASE_ID.fullmatch(case):
        raise UsageError(
            f"mã hồ sơ phải có dạng KN-2026-abc123 (hai chữ cái loại, năm, sáu chữ hoặc số), "
            f"hoặc nêu đường dẫn tệp .yaml; nhận được {case!r}.{_near(root, case)}"
        )
    matches = holders_of(root, case)
    if not matches:
        waiting = _waiting_on(root, case)
        if waiting:
            raise SentForApproval(
                f"hồ sơ {case} chưa có ở nhánh đang mở: nó đang chờ phê duyệt trên nhánh "
                f"{waiting} (đã gửi bằng 'hoso submit'). Để xem hay ghi bước tiếp trước khi được "
                f"hợp nhất: git switch {waiting} (ghi xong, 'hoso submit' gửi tiếp trên cùng "
                "nhánh). Khi đã được hợp nhất: trở về nhánh chính và lấy về bằng git pull.",
                case,
                waiting,
            )
        raise UsageError(
            f"không tìm thấy hồ sơ {case!r} (nêu mã hồ sơ mà 'hoso new' đã in ra, hoặc đường "
            f"dẫn tệp).{_near(root, case)}"
        )
    if len(matches) > 1:
        raise UsageError(f"mã {case!r} trùng ở nhiều tệp: {', '.join(matches)}")
    return root / matches[0]


def _waiting_on(root: Path, case: str) -> str:
    """The local ``ho-so/`` branch (made by ``hoso submit``) whose own commits hold the case's
    file, when the checked-out branch does not have it; "" when none does or git cannot say.
    Two git commands however many branches there are."""
    from hoso.git import Repo

    git = Repo(root)
    name = f"{case}.yaml"
    try:
        log = git.text(
            "log", "--format=%x00%H", "--name-only", "--branches=ho-so/*", "--not", "HEAD",
            "--", CASES,
        )  # fmt: skip
        sha = ""
        for line in log.split("\n"):
            if line.startswith("\0"):
                sha = line[1:]
            elif line and Path(line).name == name:
                break
        else:
            return ""
        holders = git.text(
            "for-each-ref", "--contains", sha, "--format=%(refname)", "refs/heads/ho-so/"
        ).split()
    except HosoError:  # not a repository, no commit yet, an unreadable branch
        return ""
    return holders[0].removeprefix("refs/heads/") if holders else ""


def _near(root: Path, case: str) -> str:
    """A hint naming the ids closest to what was given, if any are close."""
    files = sorted((root / CASES).glob("*/*/*.yaml"))
    wanted = Path(case).stem
    # A file renamed in other capitals (KN-2024-TEST01.yaml) holds the id under another name.
    misnamed = [p for p in files if p.stem != wanted and p.stem.casefold() == wanted.casefold()]
    if misnamed:
        rel = relative(root, misnamed[0])
        return (
            f" Tệp {rel} mang tên của mã này viết khác chữ hoa, chữ thường; hãy đổi tên tệp: "
            f"git mv {rel} {Path(rel).with_name(wanted + '.yaml').as_posix()}"
        )
    ids = [p.stem for p in files]
    near = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.75)
    return f" Có phải ý bạn là: {', '.join(near)}?" if near else ""


def read_case(root: Path, path: Path) -> bytes:
    """The bytes of one case file, read as the validator reads it (regular files only, never
    through a link, within the size cap), or an error that says why not."""
    return read_record(root, relative(root, path))


def new_id(root: Path, kind: str, year: int, token: str | None = None) -> str:
    """A fresh id: kind prefix, year, six random characters.

    Randomness, not a counter, keeps ids apart across branches made in parallel (36^6 values);
    a collision with a file present here is retried, one with another branch fails review.
    """
    while True:
        suffix = token or "".join(secrets.choice(_ID_ALPHABET) for _ in range(6))
        case_id = f"{ID_PREFIX[kind]}-{year}-{suffix}"
        if not holders_of(root, case_id):
            return case_id
        if token:
            raise Refused(f"mã hồ sơ {case_id} đã có")


def create(
    root: Path,
    kind: str,
    fields: Mapping[str, Any],
    opening: Mapping[str, Any],
    today: date,
    token: str | None = None,
    unless: Callable[[], None] | None = None,
) -> Written:
    """Write a new case whose history is its opening event. ``unless`` refuses (raises) under
    the same lock, before anything is written: a check of the cases already there."""
    workflow = WORKFLOWS[kind]
    if opening["state"] not in workflow.opening():
        raise Refused(f"hồ sơ {kind} phải bắt đầu bằng: {', '.join(workflow.opening())}")
    # The id is picked and the file created under one lock: two commands creating cases at
    # once can neither take the same id nor overwrite each other's file, nor both find that
    # the other's case is not there yet.
    with writing.cases_lock(root):
        if unless is not None:
            unless()
        return _create(root, kind, fields, opening, today, token)


def _create(
    root: Path,
    kind: str,
    fields: Mapping[str, Any],
    opening: Mapping[str, Any],
    today: date,
    token: str | None,
) -> Written:
    case_id = new_id(root, kind, opening["date"].year, token)
    data = {
        "id": case_id,
        "kind": kind,
        **fields,
        "status": opening["state"],
        "history": [dict(opening)],
    }
    text = SCHEMA_LINE.format(kind=kind) + yamlio.dump_plain(data)
    rel = expected_path(str(fields["unit"]), kind, case_id)
    findings = check_one(root, rel, text.encode("utf-8"), today)
    errors = [f for f in findings if f.severity == "error"]
    _governed(errors)
    if errors:
        raise Refused("không tạo hồ sơ vì hồ sơ mới sẽ không hợp lệ:", errors)
    writing.create(root, rel, text.encode("utf-8"))
    return Written(rel, [f for f in findings if f.severity == "warning"])


def record_step(
    root: Path,
    path: Path,
    event: Mapping[str, Any],
    today: date,
    expected: str | None = None,
) -> Written:
    """Append ``event`` to the case at ``path`` and set its status, or refuse and write nothing.

    The record stays locked from the moment it is read until the new content is in place, so
    a second edit of the same record waits, then judges its step against this one's result.
    ``expected`` is the ``version`` of the content the step was entered against (a form shown
    earlier): if the record has changed since, ``Changed`` is raised and nothing is written.
    """
    rel = relative(root, path)
    with writing.record_lock(root, rel) as held:
        raw = held.raw
        if expected is not None and version(raw) != expected:
            raise Changed(
                "hồ sơ đã được người khác cập nhật sau khi bạn mở biểu mẫu; bước của bạn chưa "
                "được ghi. Hãy xem tình trạng mới rồi ghi lại nếu bước đó vẫn cần."
            )
        now = [f for f in check_one(root, rel, raw, today) if f.severity == "error"]
        _governed(now)
        if now:
            raise Refused("tệp hiện không hợp lệ; hãy sửa các lỗi sau trước khi ghi bước mới:", now)
        document = yamlio.load_bytes(raw)
        assert isinstance(document, dict)  # a valid record
        kind, status, state = str(document["kind"]), str(document["status"]), str(event["state"])
        workflow = WORKFLOWS.get(kind)
        if workflow is None:
            raise Refused(f"loại hồ sơ {kind!r} không ghi bước bằng lệnh này")
        if state not in workflow.next_states(status):
            raise Refused(
                f"không thể chuyển từ {labels.state_quoted(kind, status)} sang "
                f"{labels.state_quoted(kind, state)}.\n" + next_steps(kind, status)
            )
        named = f"{labels.state_quoted(kind, state)}"
        _writable(held)
        try:
            text = textedit.append_event(raw.decode("utf-8"), event, state)
        except textedit.CannotEdit as exc:
            raise Refused(
                f"không ghi bước {named}: {exc}, nên không thể thêm bước mà giữ nguyên mọi dòng "
                "khác của tệp. Hãy ghi bước này bằng tay (hoặc sửa cách viết tệp rồi chạy lại "
                "lệnh)."
            ) from None
        new = text.encode("utf-8")
        findings = check_one(root, rel, new, today)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise Refused(f"không ghi bước {named} vì hồ sơ sẽ không hợp lệ:", errors)
        if not held.unchanged():
            raise Refused(
                "tệp đã bị thay đổi trên đĩa trong khi lệnh đang chạy; không ghi gì. "
                "Hãy chạy lại lệnh."
            )
        held.replace(new)
    return Written(rel, [f for f in findings if f.severity == "warning"])


def _governed(errors: list[Finding]) -> None:
    """Refuse, naming them, while the governance files have errors (``check_one`` adds them):
    nothing is judged, so nothing is written, until they are mended."""
    found = broken(errors)
    if found:
        raise Refused(said([], "không ghi gì"), found)


def _writable(held: writing.Held) -> None:
    """A file nobody may write (mode 0444), or this user may not (an immutable file, another
    user's file), is not replaced: the rename would otherwise succeed where a write would not."""
    if held.mode & 0o222 == 0:
        raise Refused(
            f"tệp {held.rel} chỉ cho phép đọc (quyền {held.mode:04o}); không ghi gì. Nếu thật "
            "sự cần ghi, hãy cho phép ghi tệp (chmod u+w) rồi chạy lại lệnh."
        )
    if not os.path.lexists(held.path):
        raise Refused(
            f"tệp {held.rel} không còn ở đây (đã bị xóa hoặc chuyển đi, như khi chuyển nhánh "
            "git, trong khi lệnh đang chạy); không ghi gì."
        )
    if not os.access(held.path, os.W_OK):
        raise Refused(
            f"không được phép ghi tệp {held.rel} (tệp bị khóa bất biến, hoặc không có quyền); "
            "không ghi gì."
        )


def next_steps(kind: str, status: str) -> str:
    """The legal next steps from ``status``, in words."""
    workflow = WORKFLOWS[kind]
    steps = workflow.next_states(status)
    if not steps:
        return "Hồ sơ đã kết thúc; không còn bước nào."
    lines = ["Bước hợp lệ tiếp theo theo quy trình:"]
    for state in steps:
        actor = ACTOR_LABELS[workflow.steps[state].actor]
        lines.append(f"  - {labels.state(kind, state)} (tổ chức thực hiện: {actor})")
    return "\n".join(lines)
