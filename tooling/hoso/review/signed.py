"""SSH-signed approval commits: writing them, and reading them back with git's own checks
against an allowed-signers list made from the committees as of the base."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from hoso.git import Repo
from hoso.governance import Governance
from hoso.review.approvals import (
    TRAILER_BLOB,
    TRAILER_KIND,
    TRAILER_RECORD,
    Approval,
    Verdict,
)


def allowed_signers(governance: Governance) -> str:
    """OpenSSH allowed-signers lines: each member's keys under their e-mail, limited to their
    term (git checks a signature's time against ``valid-after``/``valid-before``)."""
    lines = []
    for committee in governance.committees.values():
        for member in committee.members:
            if not member.email:
                continue
            options = ['namespaces="git"', f'valid-after="{member.term_from:%Y%m%d}"']
            if member.term_until:
                options.append(f'valid-before="{member.term_until:%Y%m%d}235959"')
            for key in member.ssh_keys:
                keytype, blob = key.split()[:2]
                lines.append(f"{member.email} {','.join(options)} {keytype} {blob}")
    return "\n".join(sorted(set(lines))) + "\n"


@contextmanager
def signers_file(governance: Governance) -> Iterator[str]:
    handle, path = tempfile.mkstemp(prefix="hoso-signers-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(allowed_signers(governance))
        yield path
    finally:
        os.unlink(path)


def read(repo: Repo, range_: str, governance: Governance) -> list[Approval]:
    """Every approval commit in ``range_``, oldest first, with git's verdict on its signature."""
    fields = [
        "%H",
        "%G?",
        "%GS",
        "%GK",
        "%cI",
        f"%(trailers:key={TRAILER_KIND},valueonly,separator=%x2C)",
        f"%(trailers:key={TRAILER_RECORD},valueonly,separator=%x2C)",
        f"%(trailers:key={TRAILER_BLOB},valueonly,separator=%x2C)",
    ]
    with signers_file(governance) as signers:
        rows = repo.log(
            range_,
            fields,
            "--reverse",
            "--no-merges",
            config=[f"gpg.ssh.allowedSignersFile={signers}"],
        )
    out = []
    for commit, status, principal, key, when, kind, record, blob in rows:
        record, blob = record.strip(), blob.strip()
        verdict: Verdict = "approve" if kind.strip() == "approve" else "reject"
        if kind.strip() not in ("approve", "reject") or not record:
            continue
        out.append(
            Approval(
                principal or (f"khóa {key}" if key else "(không ký)"),
                verdict,
                "signed",
                datetime.fromisoformat(when).date(),
                commit,
                record,
                blob,
                status,
            )
        )
    return out


def message(record: str, blob: str, verdict: str) -> str:
    title = "Approve" if verdict == "approve" else "Reject"
    return (
        f"{title} {record}\n\n{TRAILER_KIND}: {verdict}\n{TRAILER_RECORD}: {record}\n"
        f"{TRAILER_BLOB}: {blob}\n"
    )
