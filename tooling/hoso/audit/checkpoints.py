"""Signed checkpoint tags: made by a member of an organisation commission, verified by the audit,
which reports any rewrite of the history before them."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

from hoso.git import FIELD, Repo
from hoso.governance import GOVERNANCE_FILES, Governance
from hoso.review.signed import signers_file
from hoso.validate.governance_files import load_governance_bytes

from .walk import AuditFinding

PREFIX = "hoso-checkpoint/"


def create(repo: Repo, branch: str, name: str | None, key: str | None, today: date) -> str:
    tip = repo.rev(branch)
    tag = f"{PREFIX}{name or today.isoformat()}"
    config = ["gpg.format=ssh", *([f"user.signingkey={key}"] if key else [])]
    note = f"Checkpoint of {branch} at {tip} ({today.isoformat()})\n"
    repo.run("tag", "-s", "-F", "-", tag, tip, input=note.encode(), config=config)
    return tag


def _governance_at(repo: Repo, commit: str) -> Governance:
    specs = [f"{commit}:{rel}" for rel, _ in GOVERNANCE_FILES.values()]
    contents = repo.blobs(specs)
    governance, _ = load_governance_bytes(tuple(contents[s] for s in specs))
    return governance


def verify(repo: Repo, branch: str) -> list[AuditFinding]:
    """Each checkpoint: a good signature by a serving organisation-commission member, on a
    commit that is still in the branch's history."""
    out = repo.text(
        "for-each-ref",
        f"--format=%(refname:short){FIELD}%(*objectname){FIELD}%(taggerdate:iso-strict)",
        f"refs/tags/{PREFIX}",
    )
    findings = []
    for line in out.splitlines():
        name, commit, when = line.split(FIELD)
        if not commit:
            findings.append(
                AuditFinding(
                    "high",
                    "",
                    "checkpoint.unsigned",
                    f"mốc kiểm toán {name} không phải thẻ có chú thích, ký",
                )
            )
            continue
        governance = _governance_at(repo, commit)
        findings += _signature(repo, name, commit, governance, datetime.fromisoformat(when).date())
        if not repo.succeeds("merge-base", "--is-ancestor", commit, branch):
            findings.append(_rewritten(repo, branch, name, commit))
    return findings


def _signature(
    repo: Repo, name: str, commit: str, governance: Governance, when: date
) -> list[AuditFinding]:
    with signers_file(governance) as signers:
        done = subprocess.run(
            ["git", "-c", f"gpg.ssh.allowedSignersFile={signers}", "tag", "-v", name],
            cwd=repo.root,
            capture_output=True,
            text=True,
            check=False,
        )
    said = done.stderr
    if done.returncode != 0 or 'Good "git" signature for ' not in said:
        return [
            AuditFinding(
                "high",
                commit,
                "checkpoint.signature",
                f"chữ ký của mốc kiểm toán {name} không được xác nhận bằng khóa "
                "trong governance/committees.yaml",
            )
        ]
    principal = said.split('Good "git" signature for ', 1)[1].split(" with ", 1)[0].strip()
    for committee in governance.committees.values():
        if committee.kind != "organisation":
            continue
        for member in committee.members:
            serving = member.term_from <= when and (
                member.term_until is None or when <= member.term_until
            )
            if member.email == principal and serving:
                return []
    return [
        AuditFinding(
            "high",
            commit,
            "checkpoint.signer",
            f"mốc kiểm toán {name} do {principal} ký, không phải ủy viên ban tổ "
            "chức đang trong nhiệm kỳ",
        )
    ]


def _rewritten(repo: Repo, branch: str, name: str, commit: str) -> AuditFinding:
    lost = repo.log(commit, ["%h", "%s"], "--not", branch)
    base = (
        repo.text("merge-base", commit, branch).strip()
        if repo.succeeds("merge-base", commit, branch)
        else ""
    )
    files = repo.text("diff", "--name-status", base, commit).split("\n") if base else []
    what = "; ".join(f"{h} {s}" for h, s in lost[:10]) + (" …" if len(lost) > 10 else "")
    changed = ", ".join(line.replace("\t", " ") for line in files if line)
    return AuditFinding(
        "high",
        commit,
        "checkpoint.rewritten",
        f"lịch sử trước mốc kiểm toán {name} đã bị viết lại: {len(lost)} commit "
        f"của mốc không còn trong nhánh {branch} ({what}); tệp khác đi: "
        f"{changed or 'không rõ'}",
    )
