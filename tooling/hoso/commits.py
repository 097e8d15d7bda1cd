"""Commit objects read from their bytes.

Nothing about a commit is taken from ``git log --format`` text, where a message may hold any
separator an attacker likes: ids, trees and parents come from hex-only output, everything else
from the object itself (``git cat-file``), parsed here. A malformed header is read as empty,
never as a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

_PERSON = re.compile(rb"^(.*?) ?<([^<>]*)> (\d{1,12}) ([+-])(\d{2})(\d{2})$")


@dataclass(frozen=True)
class Body:
    """What a commit says of itself (all of it written by whoever made it)."""

    tree: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_when: datetime | None
    committer_email: str
    committer_when: datetime | None
    message: str

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


@lru_cache(maxsize=256)
def _zone(sign: bytes, hours: bytes, minutes: bytes) -> timezone:
    """A commit's time zone, made once for every commit written in it."""
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-offset if sign == b"-" else offset)


def _person(value: bytes) -> tuple[str, str, datetime | None]:
    match = _PERSON.match(value)
    if match is None:
        return value.decode("utf-8", "replace"), "", None
    name, email, stamp, sign, hours, minutes = match.groups()
    try:
        when = datetime.fromtimestamp(int(stamp), _zone(sign, hours, minutes))
    except (OverflowError, ValueError, OSError):
        when = None
    return name.decode("utf-8", "replace"), email.decode("utf-8", "replace"), when


def parse(raw: bytes) -> Body:
    """A commit object's headers and message. Continuation lines (a signature) are skipped;
    only the first ``tree``, ``author`` and ``committer`` header counts."""
    head, _, message = raw.partition(b"\n\n")
    tree = ""
    parents: list[str] = []
    author: tuple[str, str, datetime | None] = ("", "", None)
    committer: tuple[str, str, datetime | None] = ("", "", None)
    seen: set[bytes] = set()
    for line in head.split(b"\n"):
        if line.startswith(b" "):
            continue
        key, _, value = line.partition(b" ")
        if key == b"parent":
            parents.append(value.decode("ascii", "replace"))
            continue
        if key in seen:
            continue
        seen.add(key)
        if key == b"tree":
            tree = value.decode("ascii", "replace")
        elif key == b"author":
            author = _person(value)
        elif key == b"committer":
            committer = _person(value)
    return Body(
        tree,
        tuple(parents),
        author[0],
        author[1],
        author[2],
        committer[1],
        committer[2],
        message.decode("utf-8", "replace").strip(),
    )
