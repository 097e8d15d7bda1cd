"""Approvals from the forges' recorded JSON, from merge-commit trailers and from SSH-signed
approval commits; and the people who wrote a merge request, as the forge knows them.

A forge review approves the merge request at one commit: it binds to each file as that file
was at that commit. A signed approval commit names one record in trailers, with the blob id
of the content it approves and of the content that content replaces: it approves that one
change of that record, never another change that ends at the same content.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from hoso.errors import UsageError
from hoso.repo import cause

Source = Literal["github", "gitlab", "signed", "trailer"]
Verdict = Literal["approve", "reject", "withdraw"]
TRAILER_KIND = "Hoso-Approval"
TRAILER_RECORD = "Hoso-Record"
TRAILER_BLOB = "Hoso-Blob"
TRAILER_BASE = "Hoso-Base"
NEW_FILE = "none"
"""``Hoso-Base`` of an approval of a file the change adds."""
FORGES = ("github", "gitlab")


@dataclass(frozen=True)
class Approval:
    """One approval or rejection by one person."""

    who: str
    """Forge login, the e-mail of a merge-commit trailer, or for a signed approval the e-mail
    (or name) of the member whose key made the signature."""
    verdict: Verdict
    source: Source
    when: date
    """The day the approval is judged at: never a date the approver wrote (the review run for
    the gate, the merge that brought it for the audit)."""
    commit: str
    """The commit reviewed (forge), the merge (trailer), or the approval commit (signed)."""
    path: str | None = None
    """Signed approvals name one record; forge approvals cover the whole merge request."""
    blob: str | None = None
    """Signed approvals: the record's blob id they approve."""
    signature: str = ""
    """Signed approvals: G good and by a member's key, U good but by no member's key, A by a
    key listed for several people, B bad, N none, F an approval commit that changes files or
    is a merge."""
    user_id: int | None = None
    """The forge's numeric id of the account, where the forge gave it."""
    key: bytes | None = None
    """Signed approvals: the wire form of the key that made the signature."""
    forge: str = ""
    """Trailers: the forge a ``Hoso-Approved-By`` trailer names (github or gitlab); "" for an
    ``Approved-by`` trailer, which names an e-mail."""
    verified: bool = True
    """Trailers: False when the merge carrying them could not be shown to be the forge's."""
    at: datetime | None = None
    """Forge approvals: the forge's own time of the review, where it gives one. Signed ones: the
    signer's own (signed) commit time, used only to order that signer's verdicts from histories
    the commit graph cannot order."""
    dropped: str = ""
    """Signed rejections: the earlier head whose history held it, when a force-push dropped it
    from the branch."""
    dropped_at: datetime | None = None
    """And when the forge says that force-push happened."""
    elsewhere: bool = False
    """Signed rejections: found on another branch of the clone, not in a head this merge
    request's own pushes dropped (see ``review.elsewhere``)."""
    base: str | None = None
    """Signed approvals: the blob id of the content the approved change replaces (git's
    all-zero id for a file the change adds), as the ``Hoso-Base`` trailer names it; None for
    an approval in the earlier form, which named no base (see ``judging._stale``)."""

    @property
    def how(self) -> str:
        return {
            "github": "GitHub",
            "gitlab": "GitLab",
            "signed": "commit phê duyệt",
            "trailer": "ghi trong commit hợp nhất"
            + ("" if self.verified else ", không kiểm chứng được"),
        }[self.source]

    @property
    def label(self) -> str:
        return f"{self.who} ({self.how}, {self.when:%d/%m/%Y})"


@dataclass(frozen=True)
class Push:
    """One push to the merge request's branch, as the forge recorded it."""

    forge: str
    login: str | None
    user_id: int | None
    before: str | None = None
    after: str | None = None
    forced: bool = False
    when: datetime | None = None
    """The forge's own time of the push."""
    shas: tuple[str, ...] = ()
    """Ids (perhaps shortened) of the commits it added, where the forge lists them."""
    deleted: bool = False
    """The branch was deleted (``before`` its last head): it drops that head as a force-push
    does, once the branch is pushed again under the same name, but writes nothing."""


@dataclass
class ForgeAuthors:
    """The forge accounts that opened a merge request, wrote its commits or pushed to it, and
    the heads it had before."""

    logins: set[tuple[str, str]] = field(default_factory=set)
    """(forge, login in lower case); forge "" where the caller did not say which."""
    ids: set[tuple[str, int]] = field(default_factory=set)
    pushes: list[Push] = field(default_factory=list)
    """Each push the forge recorded: whether it makes its pusher an author is worked out
    from what it pushed (``review.pushes``)."""
    heads: list[str] = field(default_factory=list)
    """Every head the merge request had (GitLab's versions)."""

    def add(self, forge: str, login: Any, user_id: Any = None) -> None:
        if isinstance(login, str) and login:
            self.logins.add((forge, login.lower()))
        if isinstance(user_id, int) and not isinstance(user_id, bool):
            self.ids.add((forge, user_id))

    def has(self, forge: str, login: str | None, user_id: int | None) -> bool:
        if login and ((forge, login.lower()) in self.logins or ("", login.lower()) in self.logins):
            return True
        return user_id is not None and (forge, user_id) in self.ids


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sha(value: Any) -> str | None:
    ok = isinstance(value, str) and re.fullmatch(r"[0-9a-f]{40}", value)
    return value if ok and value != "0" * 40 else None


def _time(value: Any) -> datetime | None:
    """A forge's time; one written without a zone is taken as UTC (the forges write UTC)."""
    try:
        found = datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    return found.replace(tzinfo=UTC) if found is not None and found.tzinfo is None else found


def _read_json(path: Path) -> Any:
    """A recorded forge response; where and why it cannot be read, in Vietnamese."""
    why = "cần tệp JSON lưu nguyên văn phản hồi của GitHub hoặc GitLab"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: không đọc được tệp ({cause(exc)}); {why}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: byte 0x{raw[exc.start]:02X} ở vị trí {exc.start + 1} không đọc được theo "
            f"UTF-8; {why}"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}:{exc.lineno}:{exc.colno}: không phải JSON hợp lệ (tệp rỗng, bị cắt dở hoặc "
            f"không phải JSON); {why}"
        ) from None
    except (RecursionError, ValueError):
        raise UsageError(f"{path}: JSON lồng nhau quá sâu hoặc có số quá lớn; {why}") from None


def load_file(path: Path, head: str, today: date) -> list[Approval]:
    """Approvals from a recorded forge response: GitHub's list of reviews, GitLab's list of
    reviewers, or GitLab's approval state (whose approvals hold for ``head``, the commit the
    state was read at). A list is read only when every entry has one forge's shape: one odd
    entry read as the other forge's list would drop every request for changes in it."""
    data = _read_json(path)
    if isinstance(data, list):
        forge = _list_forge(path, data)
        if forge == "gitlab":
            return gitlab_reviewers(data, head, today)
        return github(data, today)
    if isinstance(data, dict) and "rules" in data:
        return gitlab(data, head, today)
    raise UsageError(
        f"{path}: không nhận ra định dạng (cần danh sách review của GitHub hoặc "
        "approval_state của GitLab)"
    )


_GITHUB_REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED", "PENDING")
_GITLAB_REVIEWER_STATES = (
    "unreviewed",
    "review_started",
    "reviewed",
    "requested_changes",
    "approved",
    "unapproved",
)
_SHAPES = {"github": "review của GitHub", "gitlab": "người xem xét (reviewer) của GitLab"}


def _list_forge(path: Path, items: list[Any]) -> str:
    """Whose list ``items`` is ("github" for an empty one); a usage error naming the first
    entry of an unknown shape, or of another forge's shape than the first entry."""
    shapes = [_entry_shape(item) for item in items]
    for n, (forge, why) in enumerate(shapes, start=1):
        if not forge:
            _refuse_entry(path, n, items[n - 1], why)
    for n, (forge, _) in enumerate(shapes, start=1):
        if forge != shapes[0][0]:
            why = (
                f"là {_SHAPES[forge]}, mục thứ 1 là {_SHAPES[shapes[0][0]]}: một tệp chỉ chứa "
                "phản hồi của một nền tảng"
            )
            _refuse_entry(path, n, items[n - 1], why)
    return shapes[0][0] if shapes else "github"


def _refuse_entry(path: Path, n: int, item: Any, why: str) -> None:
    try:
        text = json.dumps(item, ensure_ascii=False)
    except (RecursionError, ValueError):
        text = "…"
    shown = text if len(text) <= 80 else f"{text[:79]}…"
    raise UsageError(
        f"{path}: mục thứ {n} trong danh sách {why} ({shown}); không đọc tiếp tệp này, để "
        "không bỏ sót yêu cầu sửa nào. Cần danh sách review của GitHub hoặc danh sách người "
        "xem xét của GitLab, lưu nguyên văn từ nền tảng"
    )


def _entry_shape(item: Any) -> tuple[str, str]:
    """("github" or "gitlab", "") for an entry of that forge's list; ("", why) otherwise."""
    if not isinstance(item, dict):
        return "", f"không phải đối tượng JSON (là {_json_kind(item)})"
    state, user = item.get("state"), item.get("user")
    if "commit_id" in item or (isinstance(user, dict) and "login" in user):
        if state not in _GITHUB_REVIEW_STATES:
            return "", f"là review của GitHub nhưng trạng thái {state!r} không rõ" + _one_of(
                _GITHUB_REVIEW_STATES
            )
        if user is not None and not (isinstance(user, dict) and _text(user.get("login"))):
            return "", "là review của GitHub nhưng user không có login"
        return "github", ""  # user null: an account since deleted, which counts for no one
    if "user" not in item:
        return "", "không có user: không biết ai xem xét"
    if user is None:
        return "", "có user là null: không biết ai xem xét"
    if not isinstance(user, dict):
        return "", f"có user không phải đối tượng JSON (là {_json_kind(user)})"
    if not _text(user.get("username")):
        return "", (
            "có user không có username (GitLab) hay login (GitHub): không biết là của nền "
            "tảng nào, ai xem xét"
        )
    if state not in _GITLAB_REVIEWER_STATES:
        return "", f"là người xem xét của GitLab nhưng trạng thái {state!r} không rõ" + _one_of(
            _GITLAB_REVIEWER_STATES
        )
    return "gitlab", ""


def _one_of(states: tuple[str, ...]) -> str:
    return f" (cần một trong: {', '.join(states)})"


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "giá trị true/false"
    if isinstance(value, int | float):
        return "số"
    if isinstance(value, str):
        return "chuỗi"
    return "danh sách" if isinstance(value, list) else "đối tượng"


_GITHUB_STATES: dict[str, Verdict] = {
    "APPROVED": "approve",
    "CHANGES_REQUESTED": "reject",
    "DISMISSED": "withdraw",
}


def github(reviews: list[dict[str, Any]], today: date) -> list[Approval]:
    """GitHub's ``GET /repos/{owner}/{repo}/pulls/{n}/reviews``, in the forge's order (review
    id): comments change nothing, a dismissal withdraws the reviewer's earlier verdict."""
    out = []

    def order(review: dict[str, Any]) -> int:
        found = review.get("id")
        return found if isinstance(found, int) else 0

    for review in sorted((r for r in reviews if isinstance(r, dict)), key=order):
        verdict = _GITHUB_STATES.get(str(review.get("state")))
        user: dict[str, Any] = review["user"] if isinstance(review.get("user"), dict) else {}
        login = user.get("login")
        if verdict is None or not isinstance(login, str):
            continue
        if not review.get("commit_id") and verdict != "reject":
            continue  # an approval must name the commit it saw; a rejection stands regardless
        user_id = user.get("id") if isinstance(user.get("id"), int) else None
        out.append(
            Approval(
                login,
                verdict,
                "github",
                today,
                str(review.get("commit_id") or ""),
                user_id=user_id,
                at=_time(review.get("submitted_at")),
            )
        )
    return out


def gitlab(state: dict[str, Any], head: str, today: date) -> list[Approval]:
    """GitLab's ``GET /projects/:id/merge_requests/:iid/approval_state``: the users who approved
    under any rule, each approval holding for the head commit the state was read at."""
    users: dict[str, int | None] = {}
    rules = state.get("rules")
    if not isinstance(rules, list):
        raise UsageError("approval_state của GitLab không có danh sách rules")
    for rule in rules:
        approved = rule.get("approved_by") if isinstance(rule, dict) else None
        for user in approved if isinstance(approved, list) else []:
            name = user.get("username") if isinstance(user, dict) else None
            if isinstance(name, str) and name:
                user_id = user.get("id")
                users[name] = user_id if isinstance(user_id, int) else None
    return [
        Approval(name, "approve", "gitlab", today, head, user_id=users[name])
        for name in sorted(users)
    ]


def gitlab_reviewers(reviewers: list[dict[str, Any]], head: str, today: date) -> list[Approval]:
    """GitLab's ``GET /projects/:id/merge_requests/:iid/reviewers``: a reviewer whose state is
    "requested_changes" rejects the merge request as it stands (GitLab's approvals come from
    ``approval_state``)."""
    out = []
    for item in reviewers:
        user = item["user"]
        if item.get("state") == "requested_changes" and isinstance(user.get("username"), str):
            out.append(
                Approval(
                    user["username"], "reject", "gitlab", today, head, user_id=_int(user.get("id"))
                )
            )
    return out


def latest(approvals: list[Approval]) -> list[Approval]:
    """Each account's last word on a forge, in the forge's own order (a later review replaces
    an earlier one, a dismissal withdraws it). Signed approvals are all kept: their order is
    worked out from the commit graph, never from the dates their authors wrote."""
    last: dict[tuple[str, str, str | None], Approval] = {}
    signed = []
    # GitLab's requests for changes come from another list than its approvals: they stand.
    approvals = sorted(approvals, key=lambda a: a.source == "gitlab" and a.verdict == "reject")
    for approval in approvals:
        if approval.source == "signed":
            signed.append(approval)
            continue
        last[(approval.source, approval.who.lower(), approval.path)] = approval
    return [a for a in last.values() if a.verdict != "withdraw"] + signed


_LOGIN = re.compile(r"^(?:(github|gitlab):)?([A-Za-z0-9][A-Za-z0-9._-]*)(?:#(\d+))?$")


def parse_author(text: str) -> tuple[str, str, int | None]:
    """``[github:|gitlab:]login[#id]`` as given to ``hoso review --author``."""
    match = _LOGIN.match(text.strip())
    if match is None:
        raise UsageError(
            f"--author {text!r}: cần dạng tên-tài-khoản, github:tên, gitlab:tên hoặc "
            "github:tên#mã-số"
        )
    forge, login, user_id = match.groups()
    return forge or "", login, int(user_id) if user_id else None


def load_authors(paths: list[Path], given: list[str]) -> ForgeAuthors:
    """Who opened and who pushed to the merge request: ``--author`` values, and recorded forge
    responses: the pull request (GitHub) or merge request (GitLab) itself, GitHub's commits of a
    pull request or its repository push activity, GitLab's notes of a merge request."""
    authors = ForgeAuthors()
    for text in given:
        forge, login, user_id = parse_author(text)
        authors.add(forge, login, user_id)
    for path in paths:
        data = _read_json(path)
        if not _authors_from(data, authors):
            raise UsageError(
                f"{path}: không nhận ra định dạng (cần pull request hoặc danh sách commit, hoạt "
                "động đẩy của GitHub; merge request hoặc ghi chú của GitLab)"
            )
    return authors


def _authors_from(data: Any, authors: ForgeAuthors) -> bool:
    if isinstance(data, dict) and isinstance(data.get("user"), dict) and "head" in data:
        user = data["user"]  # a GitHub pull request
        authors.add("github", user.get("login"), user.get("id"))
        return True
    if isinstance(data, dict) and isinstance(data.get("author"), dict) and "iid" in data:
        author = data["author"]  # a GitLab merge request
        authors.add("gitlab", author.get("username"), author.get("id"))
        return True
    if not isinstance(data, list):
        return False
    for item in data:
        if not isinstance(item, dict):
            return False
        if isinstance(item.get("actor"), dict):  # GitHub repository activity (pushes)
            actor = item["actor"]
            authors.pushes.append(
                Push(
                    "github",
                    _text(actor.get("login")),
                    _int(actor.get("id")),
                    _sha(item.get("before")),
                    _sha(item.get("after")),
                    item.get("activity_type") == "force_push",
                    _time(item.get("timestamp")),
                    deleted=item.get("activity_type") == "branch_deletion",
                )
            )
        elif "system" in item and isinstance(item.get("author"), dict):  # GitLab notes
            body = str(item.get("body", ""))
            added = re.match(r"^added (\d+) (?:new )?commits?", body)
            if item.get("system") and added:
                author = item["author"]
                listed = tuple(re.findall(r"<li>\s*([0-9a-f]{7,40})\b", body))
                count = int(added[1]) if len(added[1]) <= 6 else -1
                complete = "more commit" not in body and len(listed) == count
                authors.pushes.append(
                    Push(
                        "gitlab",
                        _text(author.get("username")),
                        _int(author.get("id")),
                        when=_time(item.get("created_at")),
                        shas=listed if complete else (),
                    )
                )
        elif "head_commit_sha" in item:  # GitLab versions of a merge request
            found = _sha(item.get("head_commit_sha"))
            if found:
                authors.heads.append(found)
        elif "sha" in item and "commit" in item:  # GitHub commits of a pull request
            for role in ("author", "committer"):
                user = item.get(role)
                if isinstance(user, dict):
                    authors.add("github", user.get("login"), user.get("id"))
        else:
            return False
    return True
