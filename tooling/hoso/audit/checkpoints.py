"""Signed checkpoint tags: made by a member of an organisation commission, verified by the audit,
which reports any rewrite of the history before them.

A tag's date is written by whoever made it, so it decides nothing: the signer must be serving
on the day the audit first saw the tag (kept in the audit's index), and the key is looked up
in the committees as they stand at the tip of the branch (which keep former members too).
"""

from __future__ import annotations

from datetime import date

from hoso import clock
from hoso.errors import UsageError
from hoso.git import CANNOT_SIGN, FIELD, Repo
from hoso.governance import GOVERNANCE_FILES, Governance
from hoso.review.judging import serves
from hoso.review.people import keyring, member_keys
from hoso.signatures import BadSignature, split_tag, ssh_signer
from hoso.validate.findings import one_line, quoted
from hoso.validate.governance_files import broken, governance_at, said

from .index import AuditFinding
from .walk import _on_first_parent_line

PREFIX = "hoso-checkpoint/"


def create(
    repo: Repo,
    branch: str,
    name: str | None,
    key: str | None,
    today: date,
    trusted: Governance | None = None,
) -> str:
    """Tag the tip of ``branch``, signed; refused (and no tag left) unless the signature is
    one the audit will accept: a key of a provincial organisation-commission member serving
    today, as the committees last stood approved (``trusted``, from the audit's walk; the
    tip's own when not given)."""
    tip = repo.rev(repo.branch(branch))
    governance = _signers_at(repo, tip)
    if trusted is not None:
        governance = trusted
    tag = f"{PREFIX}{name or today.isoformat()}"
    if not repo.succeeds("check-ref-format", f"refs/tags/{tag}"):
        raise UsageError(
            f"tên mốc {name!r} không dùng được làm tên thẻ git (không dấu cách, không ký tự "
            "đặc biệt như ~ ^ : ? * [ \\); ví dụ: 2026-dot-2"
        )
    if repo.succeeds("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}"):
        raise UsageError(f"đã có mốc kiểm toán {tag}; chọn tên khác bằng --name")
    config = ["gpg.format=ssh", *([f"user.signingkey={key}"] if key else [])]
    note = f"Checkpoint of {branch} at {tip} ({today.isoformat()})\n"
    repo.run("tag", "-s", "-F", "-", tag, tip, input=note.encode(), config=config)
    made = repo.text("rev-parse", f"refs/tags/{tag}").strip()
    unsigned = split_tag(repo.objects([made])[made]).signature is None
    refused = _signature(repo, tag, made, tip, governance, today)
    if unsigned or refused:
        repo.run("tag", "-d", tag)  # git may write the tag unsigned when the key fails
        raise UsageError(CANNOT_SIGN if unsigned else f"không tạo mốc: {refused[0].message}")
    return tag


def _governance_at(repo: Repo, commit: str) -> Governance:
    """The governance at ``commit``: a broken file there (invalid, or no regular file) is
    read as an invalid one is, and a signature it cannot vouch for is a finding."""
    governance, _ = governance_at(repo, commit)
    return governance


_SIGNERS = (GOVERNANCE_FILES["units"][0], GOVERNANCE_FILES["committees"][0])
"""The files a checkpoint's signer is looked up in."""


def _signers_at(repo: Repo, commit: str) -> Governance:
    """The governance a new checkpoint's signature is checked against: refused, with every
    error named, while the files its signer is looked up in are broken (invalid, or no
    regular file)."""
    governance, findings = governance_at(repo, commit)
    unsound = [f for f in broken(findings) if f.file in _SIGNERS]
    if unsound:
        raise UsageError(said(unsound, "không tạo được mốc kiểm toán"))
    return governance


def verify(
    repo: Repo,
    branch: str,
    seen: dict[str, str] | None = None,
    today: date | None = None,
    trusted: Governance | None = None,
) -> list[AuditFinding]:
    """Each checkpoint: a good signature by an organisation-commission member serving on the
    day the audit first saw the tag, on a commit that is still in the branch's history.

    ``seen`` maps tag object ids to that day (ISO) and the tag's name; new tags are added to
    it, and a tag seen before that is gone (deleted, or moved to another object) is reported."""
    seen = {} if seen is None else seen
    today = today or clock.today()
    out = repo.text(
        "for-each-ref",
        f"--format=%(refname:short){FIELD}%(objectname){FIELD}%(objecttype){FIELD}%(*objectname)",
        f"refs/tags/{PREFIX}",
    )
    findings = []
    tip = repo.rev(repo.branch(branch))  # by its id: a tag named like the branch is not it
    governance = trusted if trusted is not None else _governance_at(repo, tip)
    present = set()
    for line in out.splitlines():
        name, tag, kind, commit = line.split(FIELD)
        present.add(tag)
        if kind != "tag" or not commit:
            findings.append(
                AuditFinding(
                    "high",
                    "",
                    "checkpoint.unsigned",
                    f"mốc kiểm toán {name} không phải thẻ có chú thích, ký",
                )
            )
            continue
        first = date.fromisoformat(seen.setdefault(tag, f"{today.isoformat()} {name}")[:10])
        findings += _signature(repo, name, tag, commit, governance, first)
        if not repo.succeeds("merge-base", "--is-ancestor", commit, tip):
            findings.append(_rewritten(repo, branch, tip, name, commit))
        elif not _on_first_parent_line(repo, commit, tip):
            findings.append(_side_branch(branch, name, commit))
    return findings + [_missing(tag, seen[tag]) for tag in seen if tag not in present]


def _missing(tag: str, noted: str) -> AuditFinding:
    day, _, name = noted.partition(" ")
    return AuditFinding(
        "high",
        "",
        "checkpoint.missing",
        f"mốc kiểm toán {name or tag[:10]} (thẻ {tag[:10]}), kiểm toán đã thấy từ ngày "
        f"{date.fromisoformat(day):%d/%m/%Y}, nay không còn trong kho: thẻ đã bị xóa hoặc thay. "
        "Lấy lại các thẻ ('git fetch --tags') rồi chạy lại; nếu vẫn thiếu, hỏi người quản trị kho",
    )


def _signature(
    repo: Repo, name: str, tag: str, commit: str, governance: Governance, first: date
) -> list[AuditFinding]:
    signed = split_tag(repo.objects([tag])[tag])
    signer = None
    if signed.kind == "ssh" and signed.signature is not None:
        try:
            signer = ssh_signer(signed.payload, signed.signature)
        except BadSignature:
            signer = None
    status, member = keyring(governance).owner(signer) if signer else ("B", None)
    if member is None:
        return [
            AuditFinding(
                "high",
                commit,
                "checkpoint.signature",
                f"chữ ký của mốc kiểm toán {name} không được xác nhận bằng khóa của một người "
                "trong governance/committees.yaml"
                + (" (khóa khai báo cho nhiều người)" if status == "A" else ""),
            )
        ]
    provinces = {code for code, unit in governance.units.items() if unit.level == "province"}
    for committee in governance.committees.values():
        if committee.kind != "organisation" or committee.unit not in provinces:
            continue
        for entry in committee.members:
            if signer in member_keys(entry) and serves(entry, first):
                return []
    return [
        AuditFinding(
            "high",
            commit,
            "checkpoint.signer",
            f"mốc kiểm toán {name} do {member.name} ký, không phải ủy viên ban tổ chức cấp tỉnh "
            f"đang trong nhiệm kỳ vào ngày kiểm toán thấy mốc lần đầu ({first:%d/%m/%Y})",
        )
    ]


def _side_branch(branch: str, name: str, commit: str) -> AuditFinding:
    return AuditFinding(
        "high",
        commit,
        "checkpoint.rewritten",
        f"lịch sử trước mốc kiểm toán {name} đã bị viết lại: commit của mốc không còn trên "
        f"dòng cha thứ nhất của nhánh {branch}, chỉ còn trong một nhánh phụ mà một lần hợp "
        "nhất đưa vào; dòng lịch sử mà kiểm toán đọc trước mốc không còn là dòng đã được ký",
    )


def _rewritten(repo: Repo, branch: str, tip: str, name: str, commit: str) -> AuditFinding:
    lost = repo.log(commit, ["%h", "%s", "%T"], "--not", tip)
    what = "; ".join(f"{h} {one_line(s)}" for h, s, _ in lost[:10]) + (
        " …" if len(lost) > 10 else ""
    )
    changed = _what_changed(repo, tip, commit, lost)
    return AuditFinding(
        "high",
        commit,
        "checkpoint.rewritten",
        f"lịch sử trước mốc kiểm toán {name} đã bị viết lại: {len(lost)} commit "
        f"của mốc không còn trong nhánh {branch} ({what}); {changed}",
    )


_STATUS = {"A": "thêm", "M": "sửa", "D": "xóa", "T": "đổi loại tệp"}


def _what_changed(repo: Repo, tip: str, commit: str, lost: list[list[str]]) -> str:
    """Whether the rewrite changed content: when every lost commit's tree is still a commit's
    tree on the branch, only messages, authors or dates were rewritten; otherwise the files the
    lost commits changed since the common history."""
    kept = set(repo.text("log", "--format=%T", tip).split())
    if all(tree in kept for _, _, tree in lost):
        return (
            "chỉ lời commit hoặc tác giả, ngày ghi trong commit đổi khác; nội dung các tệp vẫn "
            "như cũ"
        )
    if not repo.succeeds("merge-base", commit, tip):
        return "không xác định được tệp nào khác đi: nhánh không còn lịch sử chung với mốc"
    base = repo.text("merge-base", commit, tip).strip()
    parts = repo.text("diff", "-z", "--no-renames", "--name-status", base, commit).split("\0")
    files = [
        f"{_STATUS.get(status, status)} {quoted(path)}"
        for status, path in zip(parts[::2], parts[1::2], strict=False)
    ]
    return "tệp khác đi: " + ", ".join(files) if files else "nội dung các tệp vẫn như ở điểm chung"
