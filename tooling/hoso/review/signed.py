"""SSH-signed approval commits, and the authors of a range of commits.

An approval commit is a commit with one parent that changes no file and carries the
``Hoso-Approval``, ``Hoso-Record``, ``Hoso-Blob`` and ``Hoso-Base`` trailers (the record, the
content approved and the content it replaces; approvals signed before ``Hoso-Base`` existed
lack it). Its signature is verified here
(``hoso.signatures``) and the signer is the member whose key made it. Every other commit of the
range, merges included, makes its author, its committer, its signer and everyone it names as a
co-author (``Co-authored-by:``) authors of the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hoso.commits import parse as parse_commit
from hoso.git import NO_OBJECT, Repo
from hoso.governance import Governance
from hoso.review.approvals import (
    NEW_FILE,
    TRAILER_BASE,
    TRAILER_BLOB,
    TRAILER_KIND,
    TRAILER_RECORD,
    Approval,
    Verdict,
)
from hoso.review.people import Authors, keyring
from hoso.signatures import BadSignature, Signed, split_commit, ssh_signer


@dataclass
class Made:
    """A commit as approvals and authorship need it: its id and parents (from git's hex
    output), whether it changes files, and the object itself, from which the author, the
    committer, the message and the signature are read."""

    sha: str
    parents: list[str]
    changes_files: bool
    """Whether its tree differs from its first parent's (always true for a merge or a root)."""
    raw: bytes
    """The commit object."""


def _trailer(message: str, key: str) -> list[str]:
    """The values of every ``key:`` line, read line by line (no pattern that could take time
    beyond the message's length)."""
    prefix = f"{key}:"
    return [
        line[len(prefix) :].strip(" \t") for line in message.split("\n") if line.startswith(prefix)
    ]


_CO_AUTHOR = "co-authored-by:"


def co_authors(message: str) -> list[str]:
    """The e-mails of the ``Co-authored-by: Name <email>`` lines of a message (any letter
    case, as the forges read them), line by line: a co-author the commit names wrote it, and
    approves nothing of it."""
    out = []
    for line in message.split("\n"):
        if line[: len(_CO_AUTHOR)].lower() != _CO_AUTHOR:
            continue
        value = line[len(_CO_AUTHOR) :].strip()
        start = value.rfind("<")
        if start != -1 and value.endswith(">"):
            out.append(value[start + 1 : -1])
    return out


def _approval_request(message: str) -> tuple[Verdict, str, str, str | None] | None:
    """(verdict, record, blob, base) where the message asks to be read as an approval; base
    None where the message names none (the earlier form), git's all-zero id for a new file."""
    kinds, records, blobs, bases = (
        _trailer(message, key) for key in (TRAILER_KIND, TRAILER_RECORD, TRAILER_BLOB, TRAILER_BASE)
    )
    if not kinds:
        return None
    if len(kinds) != 1 or len(records) != 1 or len(blobs) > 1 or len(bases) > 1:
        return "reject", "", "", None  # ambiguous: never an approval
    kind = kinds[0]
    verdict: Verdict = "approve" if kind == "approve" else "reject"
    base = None if not bases else NO_OBJECT if bases[0] == NEW_FILE else bases[0]
    return verdict, records[0], blobs[0] if blobs else "", base


def _plain(commit: Made) -> bool:
    """One parent and no file changed: the shape of an approval commit."""
    return len(commit.parents) == 1 and not commit.changes_files


def is_approval(commit: Made) -> bool:
    """A plain approval commit: one parent, no file changed, approval trailers naming a
    record (whatever its signature says)."""
    return bool(record_approved(commit))


def record_approved(commit: Made) -> str:
    """The record a plain approval commit names ("" for any other commit)."""
    if not _plain(commit):
        return ""
    request = _approval_request(parse_commit(commit.raw).message)
    return request[1] if request is not None else ""


def read(commits: list[Made], governance: Governance, when: date) -> tuple[list[Approval], Authors]:
    """The approval commits among ``commits`` (oldest first), each with the verdict on its
    signature, and the authors of all the others."""
    ring = keyring(governance)
    approvals: list[Approval] = []
    authors = Authors()
    for commit in commits:
        body = parse_commit(commit.raw)
        request = _approval_request(body.message)
        signed = split_commit(commit.raw)
        signer = _signer(signed)
        status, member = ring.owner(signer) if signer is not None else ("N", None)
        if signer is None and signed.signature is not None:
            status = "B"
        if request is not None and request[1] and _plain(commit):
            verdict, record, blob, base = request
            who = (member.email or member.name) if member else "(không rõ người ký)"
            approvals.append(
                Approval(
                    who,
                    verdict,
                    "signed",
                    when,
                    commit.sha,
                    record,
                    blob,
                    status,
                    key=signer,
                    at=body.committer_when,
                    base=base,
                )
            )
            continue
        if request is not None and request[1]:
            approvals.append(
                Approval(body.author_email, request[0], "signed", when, commit.sha, request[1],
                         request[2], "F", key=signer, at=body.committer_when, base=request[3])
            )  # fmt: skip
        elif _plain(commit):
            continue  # an empty commit writes nothing: it makes nobody an author
        authors.add_email(body.author_email)
        authors.add_email(body.committer_email)
        for email in co_authors(body.message):
            authors.add_email(email)
        if signer is not None:
            authors.keys.add(signer)
    return approvals, authors


def _signer(signed: Signed) -> bytes | None:
    if signed.kind != "ssh" or signed.signature is None:
        return None
    try:
        return ssh_signer(signed.payload, signed.signature)
    except BadSignature:
        return None


def range_commits(repo: Repo, base: str, head: str, *also_not: str) -> list[Made]:
    """Every commit in ``base..head`` (and not in ``also_not``), merges included, oldest
    first: ids from ``git rev-list`` (hex only), the rest from the objects."""
    stops = [f"^{rev}" for rev in (base, *also_not)]
    return commits_by_id(repo, repo.text("rev-list", "--reverse", head, *stops).split())


def commits_by_id(repo: Repo, shas: list[str]) -> list[Made]:
    """The given commits (ids in full), read from their objects: whether each changes files
    compares its tree with its first parent's."""
    if not shas:
        return []
    raws = repo.objects(shas)
    bodies = {sha: parse_commit(raws[sha]) for sha in shas}
    firsts = {f"{b.parents[0]}^{{tree}}" for b in bodies.values() if len(b.parents) == 1}
    trees = repo.object_ids(firsts)
    return [
        Made(
            sha,
            list(body.parents),
            len(body.parents) != 1 or trees[f"{body.parents[0]}^{{tree}}"] != body.tree,
            raws[sha],
        )
        for sha, body in bodies.items()
    ]


def message(record: str, blob: str, verdict: str, base: str | None = None) -> str:
    """An approval commit's message: ``record`` changed from ``base`` (its blob id where the
    change replaces it, None or git's all-zero id where it adds the file) to ``blob``.

    ``base=None`` writes an approval in the form before ``Hoso-Base`` existed (for tests of
    how that form is read), which the gate reads only where it cannot be mistaken for
    another change (``judging._stale``): ``hoso approve`` always names the base."""
    title = "Approve" if verdict == "approve" else "Reject"
    text = (
        f"{title} {record}\n\n{TRAILER_KIND}: {verdict}\n{TRAILER_RECORD}: {record}\n"
        f"{TRAILER_BLOB}: {blob}\n"
    )
    if base is None:
        return text
    return f"{text}{TRAILER_BASE}: {NEW_FILE if base in ('', NO_OBJECT) else base}\n"
