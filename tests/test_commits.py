"""Commit objects read from their bytes: times in the zone they were written in, and a
malformed or impossible header read as empty, never as a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hoso.commits import parse


def _commit(person: bytes) -> bytes:
    return (
        b"tree " + b"1" * 40 + b"\nparent " + b"2" * 40 + b"\nauthor " + person
        + b"\ncommitter " + person + b"\n\nSubject\n"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("zone", "offset"), [(b"+0700", 7 * 60), (b"-0930", -(9 * 60 + 30)), (b"+0000", 0)]
)
def test_a_time_is_read_in_the_zone_it_was_written_in(zone: bytes, offset: int) -> None:
    body = parse(_commit(b"L\xc3\xb2 V\xc4\x83n A <a@mau.invalid> 1700000000 " + zone))
    assert body.author_name == "Lò Văn A" and body.committer_email == "a@mau.invalid"
    assert body.committer_when == datetime.fromtimestamp(1700000000, UTC)
    assert body.committer_when is not None
    assert body.committer_when.utcoffset() == timedelta(minutes=offset)


@pytest.mark.parametrize(
    "person",
    [b"A <a> 1 +9959", b"A <a> 999999999999 +1400", b"A <a> 1 +07", b"no email at all"],
)
def test_an_impossible_time_reads_as_none(person: bytes) -> None:
    body = parse(_commit(person))
    assert body.committer_when is None and body.subject == "Subject"
