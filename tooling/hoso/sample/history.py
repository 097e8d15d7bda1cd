"""A generated province with a Git history of merge requests, as a province would have it: for
the site a newcomer sees (``hoso sample --history``) and for the audit benchmarks.

Each case reaches the main branch through up to three merge requests (a third of its steps at
a time). Each is a branch commit by the district's clerk; where the policy asks for signed
approvals, SSH-signed approval commits by enough serving members; and a merge commit signed by
the make-believe forge, whose message ends with the ``Approved-by`` lines of the members whose
approvals the policy asks for (worked out by the gate's own rules). Committee members who sign
get keys derived from the seed, and the forge's key is listed in ``settings.yaml``.

Branch commits go through one ``git fast-import``; the signed approval and merge commits are
written here as loose objects (fast-import cannot sign), and the next branch starts from them.
``planted`` adds three findings on purpose, which the guide explains: a merge with no
approvals, a merge the forge did not sign, and a direct push.
"""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from hoso import labels, yamlio
from hoso.git import NO_OBJECT, GitError
from hoso.governance import GOVERNANCE_FILES
from hoso.progress import Progress
from hoso.repo import expected_path
from hoso.review.changes import classify
from hoso.review.judging import needed_count
from hoso.review.people import same_name
from hoso.review.requirements import committees_for, requirements
from hoso.review.signed import message as approval_message
from hoso.sample import keys
from hoso.sample.write import province, render
from hoso.validate.cache import blob_id
from hoso.validate.governance_files import load_governance_bytes

_ZONE = "+0700"
_SIGNING = ("standing", "inspection")
"""Committees whose members get keys: those the sample policy asks for signatures from."""
PLANTED = {7: "no approvals", 13: "not signed by the forge"}
"""Merge request numbers (counted from ``first``) given a fault on purpose, and the direct
push at the end."""


@dataclass(frozen=True)
class Made:
    cases: int
    commits: int


def _members(committees: list[dict[str, Any]], committee: str, on: date) -> list[dict[str, Any]]:
    found = next((c for c in committees if c["id"] == committee), None)
    if found is None:
        return []
    return [
        m
        for m in found["members"]
        if m["term_from"] <= on and ("term_until" not in m or on <= m["term_until"])
    ]


def _versions(case: dict[str, Any]) -> list[tuple[datetime, dict[str, Any]]]:
    events = case["history"]
    out = []
    for upto in sorted({max(1, len(events) // 3), max(1, 2 * len(events) // 3), len(events)}):
        version = {**case, "history": events[:upto], "status": events[upto - 1]["state"]}
        latest = max(e["date"] for e in events[:upto])
        out.append((datetime.combine(latest + timedelta(days=1), time(10)), version))
    return out


def _data(out: IO[bytes], text: str) -> None:
    raw = text.encode("utf-8")
    out.write(b"data %d\n" % len(raw) + raw + b"\n")


class _Importer:
    """``git fast-import`` for plain commits, asked for each commit's id and tree as it goes;
    signed commits written as loose objects beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        reply, self._reply_w = os.pipe()
        self.proc = subprocess.Popen(
            ["git", "fast-import", "--quiet", f"--cat-blob-fd={self._reply_w}"],
            cwd=root,
            stdin=subprocess.PIPE,
            pass_fds=(self._reply_w,),
        )
        os.close(self._reply_w)
        self.replies = os.fdopen(reply, "rb")
        self.mark = 0
        self.commits = 0
        self.marks: dict[str, str] = {}

    def commit(
        self, person: str, message: str, parent: str | None, files: dict[str, str]
    ) -> tuple[str, str]:
        """A commit on ``refs/heads/work``; its id and tree. (fast-import names its own
        commits by mark, the loose ones by id: ``parent`` may be either.)"""
        out = self.proc.stdin
        assert out is not None
        self.mark += 1
        out.write(f"commit refs/heads/work\nmark :{self.mark}\n".encode())
        out.write(f"author {person}\ncommitter {person}\n".encode())
        _data(out, message)
        if parent:
            out.write(f"from {self.marks.get(parent, parent)}\n".encode())
        for rel, text in files.items():
            out.write(f"M 100644 inline {rel}\n".encode())
            _data(out, text)
        out.write(f'\nget-mark :{self.mark}\nls :{self.mark} ""\n'.encode())
        out.flush()
        sha = self.replies.readline().decode().strip()
        tree = self.replies.readline().decode().split()[2]
        self.commits += 1
        self.marks[sha] = f":{self.mark}"
        return sha, tree

    def write(self, text: str) -> str:
        """A commit object written as it is (a signed one); its id."""
        content = text.encode("utf-8")
        body = b"commit %d\0" % len(content) + content
        sha = hashlib.sha1(body, usedforsecurity=False).hexdigest()
        folder = self.root / ".git" / "objects" / sha[:2]
        folder.mkdir(exist_ok=True)
        path = folder / sha[2:]
        if not path.exists():
            path.write_bytes(zlib.compress(body, 1))
        self.commits += 1
        return sha

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.replies.close()
        if self.proc.wait() != 0:
            raise RuntimeError("git fast-import failed")


def _person(name: str, email: str, when: datetime) -> str:
    return f"{name} <{email}> {int(when.timestamp())} {_ZONE}"


def _payload(tree: str, parents: list[str], author: str, committer: str, message: str) -> str:
    lines = [f"tree {tree}", *(f"parent {p}" for p in parents)]
    return "\n".join([*lines, f"author {author}", f"committer {committer}"]) + f"\n\n{message}"


def _governance(made: Any, seed: int) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The generated governance files, with keys for the members who sign and the forge's."""
    committees = copy.deepcopy(made.committees)
    for committee in committees:
        if committee["id"].split(".")[-1] in _SIGNING or committee["id"].endswith(".organisation"):
            for member in committee["members"]:
                key = keys.private_key(seed, member["email"])
                member["ssh_keys"] = [keys.public_line(key, member["email"])]
    settings = yamlio.load_text(made.governance["governance/settings.yaml"])
    assert isinstance(settings, dict)
    settings["forge_keys"] = [
        {
            "forge": "gitlab",
            "format": "ssh",
            "key": keys.public_line(keys.private_key(seed, keys.FORGE), keys.FORGE),
            "note": "khóa ký giả lập của nền tảng trong dữ liệu mẫu (hư cấu)",
        }
    ]
    files = dict(made.governance)
    files["governance/committees.yaml"] = render(
        "governance/committees.yaml", "committees", {"sample": True, "committees": committees}
    )
    files["governance/settings.yaml"] = render("governance/settings.yaml", "settings", settings)
    return files, committees


def need_git() -> None:
    """Refuse before anything is made when git cannot be run."""
    if shutil.which("git") is None:
        raise GitError("không chạy được git: không tìm thấy chương trình git (cài git trước)")


def generate_history(
    root: Path,
    cases: int,
    seed: int,
    first: int = 1,
    planted: bool = False,
    progress: Progress | None = None,
) -> Made:
    """A repository at ``root`` whose main branch brings every case in by merge requests."""
    need_git()
    made = province(cases, seed)
    files, committees = _governance(made, seed)
    governance, _ = load_governance_bytes(
        tuple(files[rel].encode() if rel in files else None for rel, _ in GOVERNANCE_FILES.values())
    )
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    versions = sorted(
        ((when, n, v) for n, case in enumerate(made.cases) for when, v in _versions(case)),
        key=lambda item: (item[0], item[1]),
    )
    start = datetime(2019, 1, 2, 9)
    importer = _Importer(root)
    staff = _person("Ban Tổ chức Mẫu", "staff@mau.invalid", start)
    tip, _ = importer.commit(staff, "Generated governance of the sample province\n", None, files)
    forge_key = keys.private_key(seed, keys.FORGE)
    texts: dict[str, str] = {}
    if progress is not None:
        progress.set_total(len(versions))
    for number, (when, _, version) in enumerate(versions, start=first):
        if progress is not None:
            progress.advance()
        rel = expected_path(version["unit"], version["kind"], version["id"])
        text = render(rel, version["kind"], version)
        before, texts[rel] = texts.get(rel), text
        clerk = _person(f"Cán bộ {version['unit']}", f"{version['unit']}-staff@mau.invalid", when)
        title = f"Hồ sơ {version['id']}: {labels.state(version['kind'], version['status'])}"
        branch, tree = importer.commit(clerk, title + "\n", tip, {rel: text})
        trailers, signers = _approvers(governance, committees, rel, before, text, when.date())
        for n, member in enumerate(signers):
            at = _person(member["name"], member["email"], when + timedelta(minutes=10 + n))
            replaced = NO_OBJECT if before is None else blob_id(before.encode())
            note = approval_message(rel, blob_id(text.encode()), "approve", replaced)
            payload = _payload(tree, [branch], at, at, note)
            key = keys.private_key(seed, member["email"])
            branch = importer.write(keys.signed_commit(payload, keys.sign(key, payload.encode())))
        fault = PLANTED.get(number - first + 1) if planted else None
        lines = (
            ""
            if fault == "no approvals"
            else "".join(f"Approved-by: {m['name']} <{m['email']}>\n" for m in trailers)
        )
        merger = _person("Người hợp nhất Mẫu", "hop-nhat@mau.invalid", when + timedelta(hours=1))
        text_of_merge = (
            f"Merge branch 'ho-so/{version['id']}' into 'main'\n\n{title}\n\n"
            f"See merge request mau/ho-so!{number}\n" + (f"\n{lines}" if lines else "")
        )
        payload = _payload(tree, [tip, branch], merger, merger, text_of_merge)
        if fault == "not signed by the forge":
            tip = importer.write(payload)
        else:
            signature = keys.sign(forge_key, payload.encode())
            tip = importer.write(keys.signed_commit(payload, signature))
    if planted and texts:
        rel = sorted(texts)[0]
        fixed = texts[rel].replace("ethnicity: ", "ethnicity: (sửa thẳng) ", 1)
        pushed = versions[-1][0] + timedelta(days=2)
        person = _person("Cán bộ Sửa Thẳng", "sua-thang@mau.invalid", pushed)
        tip, _ = importer.commit(person, "Sửa thẳng trên nhánh chính\n", tip, {rel: fixed})
    importer.close()
    subprocess.run(["git", "update-ref", "refs/heads/main", tip], cwd=root, check=True)
    subprocess.run(["git", "update-ref", "-d", "refs/heads/work"], cwd=root, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    return Made(len(made.cases), importer.commits)


def _approvers(
    governance: Any,
    committees: list[dict[str, Any]],
    rel: str,
    before: str | None,
    text: str,
    on: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who approves this version as the policy asks: members named in the merge's trailers,
    and members who sign approval commits (where the rule asks for signatures)."""
    change = classify(
        rel, "M" if before else "A", before.encode() if before else None, text.encode()
    )
    policy = governance.policy
    found, _ = requirements(change, policy, governance)
    trailers: dict[str, dict[str, Any]] = {}
    signers: dict[str, dict[str, Any]] = {}
    for _, req in found:
        for committee in committees_for(req, change, governance):
            serving = _members(committees, committee, on)
            able = [m for m in serving if not _is_subject(m, change.new)]
            chosen = able[: needed_count(req, len(serving))]
            target = signers if req.assurance == "signed" else trailers
            target.update({m["email"]: m for m in chosen})
    return list(trailers.values()), list(signers.values())


def _is_subject(member: dict[str, Any], record: Any) -> bool:
    """Whether the member is (or by name may be) the person the record is about: the gate would
    not count them, so the sample asks another member."""
    subject = record.get("subject") if isinstance(record, dict) else None
    if not isinstance(subject, dict):
        return False
    card = subject.get("party_card")
    if card is not None and str(card) == str(member.get("party_card")):
        return True
    return same_name(str(subject.get("name", "")), str(member["name"]))
