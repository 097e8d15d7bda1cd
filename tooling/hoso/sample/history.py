"""A generated province with a Git history of merge requests, for the audit benchmarks.

Each case reaches the main branch through up to three merge requests (a third of its steps at
a time),
each a branch commit and a merge commit whose message carries ``Approved-by`` trailers from
the committees the policy requires. The history is written with one ``git fast-import``.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from hoso.repo import expected_path
from hoso.sample.write import province, render

_ZONE = "+0700"
_STANDING_STATES = {"decided", "recognised", "struck_from_probation", "struck_off", "released"}


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


def _commit(
    out: IO[bytes],
    ref: str,
    mark: int,
    person: str,
    message: str,
    parents: str,
    files: dict[str, str],
) -> None:
    """One ``git fast-import`` commit: ``parents`` holds its ``from``/``merge`` lines."""
    out.write(f"commit {ref}\nmark :{mark}\nauthor {person}\ncommitter {person}\n".encode())
    _data(out, message)
    out.write(parents.encode())
    for rel, text in files.items():
        out.write(f"M 100644 inline {rel}\n".encode())
        _data(out, text)
    out.write(b"\n")


def _data(out: IO[bytes], text: str) -> None:
    raw = text.encode("utf-8")
    out.write(b"data %d\n" % len(raw) + raw + b"\n")


def generate_history(root: Path, cases: int, seed: int, first: int = 1) -> Made:
    """A repository at ``root`` whose main branch brings every case in by merge requests."""
    made = province(cases, seed)
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    versions = sorted(
        ((when, n, v) for n, case in enumerate(made.cases) for when, v in _versions(case)),
        key=lambda item: (item[0], item[1]),
    )
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    out = proc.stdin
    start = datetime(2019, 1, 2, 9)
    staff = f"Ban Tổ chức Mẫu <staff@mau.invalid> {int(start.timestamp())} {_ZONE}"
    governance = "Generated governance of the sample province\n"
    _commit(out, "refs/heads/main", 1, staff, governance, "", made.governance)
    tip, mark, commits = 1, 1, 1
    for number, (when, _, version) in enumerate(versions, start=first):
        rel = expected_path(version["unit"], version["kind"], version["id"])
        text = render(rel, version["kind"], version)
        stamp = f"{int(when.timestamp())} {_ZONE}"
        author = f"Cán bộ {version['unit']} <{version['unit']}-staff@mau.invalid> {stamp}"
        branch = mark + 1
        message = f"Record {version['id']}: {version['status']}\n"
        _commit(out, "refs/heads/mr", branch, author, message, f"from :{tip}\n", {rel: text})
        trailers = _trailers(made.committees, version, when.date())
        mark = branch + 1
        merger = f"Người hợp nhất <merge@mau.invalid> {int(when.timestamp()) + 60} {_ZONE}"
        message = f"Merge pull request #{number} from mau/{version['id']}\n\n{trailers}"
        parents = f"from :{tip}\nmerge :{branch}\n"
        _commit(out, "refs/heads/main", mark, merger, message, parents, {rel: text})
        tip = mark
        commits += 2
    out.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "update-ref", "-d", "refs/heads/mr"], cwd=root, check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    return Made(len(made.cases), commits)


def _trailers(committees: list[dict[str, Any]], version: dict[str, Any], on: date) -> str:
    unit = version["unit"]
    people = _members(committees, f"{unit}.organisation", on)[:1]
    if any(e["state"] in _STANDING_STATES for e in version["history"]):
        standing = _members(committees, f"{unit}.standing", on)
        people += standing[: math.ceil(len(standing) / 2)]
    return "".join(f"Approved-by: {m['name']} <{m['email']}>\n" for m in people)
