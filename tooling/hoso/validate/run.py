"""One validation run over the repository or over named files."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import hoso.rules  # noqa: F401  (registers the record checks)
from hoso import clock, labels, yamlio
from hoso.governance import Governance
from hoso.labels import days_in_text
from hoso.repo import (
    CASES,
    NOT_YAML,
    Unreadable,
    expected_path,
    hidden,
    holders_of,
    read_record,
    record_entries,
    relative,
)
from hoso.validate.cache import Cache, blob_id
from hoso.validate.findings import Finding, Result, field_path
from hoso.validate.governance_files import broken, load_governance
from hoso.validate.record import CROSS_CHECKS, Checked, check_content, future_dates, parse
from hoso.workers import given, in_order

PARALLEL_FROM = 200
"""Below this many files to check, a worker pool costs more than it saves."""


@dataclass
class Options:
    root: Path
    files: list[Path] | None = None
    """Named files; ``None`` checks the whole repository."""
    as_of: date = field(default_factory=clock.today)
    use_cache: bool = True
    jobs: int = os.cpu_count() or 1


@dataclass
class _File:
    rel: str
    raw: bytes = b""
    blob: str = ""
    checked: Checked = field(default_factory=Checked)
    _where: yamlio.Locator | None = None

    def where(self) -> yamlio.Locator:
        """One locator for every finding placed here after the content checks."""
        if self._where is None:
            self._where = yamlio.Locator(self.raw.decode("utf-8", "replace"))
        return self._where


def run(options: Options) -> Result:
    root = options.root
    whole = options.files is None
    entries = (
        list(record_entries(root))
        if whole
        else [(relative(root, p), False) for p in options.files or []]
    )
    result = Result(checked=len(entries))
    cache = Cache(root) if options.use_cache else None
    files: list[_File] = []
    misses: list[_File] = []

    def unchecked() -> Iterator[bytes]:
        """Read each file once; yield the content of those the cache cannot answer for."""
        for rel, regular in entries:
            f = _read(root, rel, result, regular)
            files.append(f)
            hit = cache.get(f.blob) if cache and f.blob else None
            if hit is not None:
                f.checked = hit
            elif f.blob:
                misses.append(f)
                yield f.raw

    raws: Iterable[bytes]
    if cache is not None and cache.governance_findings is not None:
        # A valid cache: read everything first. The governance files are read every time
        # (from their store when unchanged): one that can no longer be read as a file (a folder
        # in its place) holds no content the cache could tell apart from an absent one.
        raws = list(unchecked())
        governance, governance_findings = load_governance(root)
        if not cache.judged_by(governance):
            # The files changed since the cache was read (a pull meanwhile): what it answered
            # was judged by others. Judged again, every file, by the files as now read.
            return run(replace(options, use_cache=False))
        expected = len(raws)
    else:
        # Cold: stream the files into the workers, so reading overlaps with checking.
        governance, governance_findings = load_governance(root)
        raws, expected = unchecked(), len(entries)
    for index, outcome in enumerate(_check_all(raws, expected, governance, options.jobs)):
        f = misses[index]
        f.checked = outcome
        if cache:
            cache.put(f.blob, outcome)
    if cache and (misses or cache.governance_findings is None or (whole and cache.stale())):
        cache.governance_findings = governance_findings
        cache.save(governance, prune=whole)
    result.extend(governance_findings)
    readable = [f for f in files if f.blob]

    as_of = options.as_of.isoformat()
    for f in readable:
        if f.checked.summary is not None:
            result.summaries[f.rel] = f.checked.summary
        if f.checked.findings:
            result.extend(_placed(f))
        result.extend(_path_findings(f))
        result.extend(_future_findings(f, as_of))
        result.extend(_overdue_findings(f, as_of))
    result.extend(_duplicates(root, readable, whole))
    result.extend(_cross_findings(readable, as_of, whole))
    return result


def _cross_findings(files: list[_File], as_of: str, whole: bool) -> Iterator[Finding]:
    """The rules across records, over the facts each summary keeps; a finding is placed in its
    file only when there is one."""
    known = [(f.rel, f.checked.summary) for f in files if f.checked.summary is not None]
    raws = {f.rel: f.raw for f in files}
    for cross in CROSS_CHECKS:
        for rel, loc, rule, message, severity in cross(known, as_of, whole):
            line, column = yamlio.locate(raws[rel].decode("utf-8"), loc)
            # Rules speak of days as people write them, as for one record's rules.
            text = days_in_text(message)
            yield Finding(rel, line, column, field_path(loc), rule, text, severity)


def check_one(
    root: Path,
    rel: str,
    raw: bytes,
    as_of: date,
    governance: Governance | None = None,
    warnings: bool = True,
) -> list[Finding]:
    """Every finding for one file's would-be content, as a whole run would report it.

    Used by the editing commands to judge a change before writing it, and by the review gate
    (with the governance of the merge request's base, and ``warnings`` off: it weighs errors
    only, so the overdue steps are not worked out).
    """
    errors: list[Finding] = []
    if governance is None:
        # The repository's own: an error in it is an error of every record judged by it, so
        # nothing is written (by a command or a form) while it stands.
        governance, found = load_governance(root)
        errors = broken(found)
    f = _File(rel, raw, blob_id(raw), check_content(raw, governance, warnings))
    day = as_of.isoformat()
    return sorted(
        [
            *errors,
            *_placed(f),
            *_path_findings(f),
            *_future_findings(f, day),
            *_overdue_findings(f, day),
        ]
    )


def _read(root: Path, rel: str, result: Result, regular: bool = False) -> _File:
    f = _File(rel)
    if not rel.startswith(f"{CASES}/"):
        result.findings.append(
            _at(rel, "record.location", "tệp hồ sơ phải nằm trong thư mục cases/")
        )
        return f
    why = hidden(rel)
    if why is not None:
        result.findings.append(
            _at(rel, "record.hidden", f"{why}; đổi tên hoặc chuyển ra khỏi cases/")
        )
        return f
    folder = rel.endswith("/")  # one the walk could not list (``read_record`` says why)
    if (
        not rel.endswith(".yaml")
        and not folder
        and (regular or not os.path.islink(os.path.join(root, rel)))
    ):
        result.findings.append(_at(rel, "record.extension", NOT_YAML))
        return f
    try:
        f.raw = read_record(root, rel, regular)
    except Unreadable as exc:
        result.findings.append(_at(exc.rel, exc.rule, exc.message))
        return f
    f.blob = blob_id(f.raw)
    return f


def _check_all(
    raws: Iterable[bytes], expected: int, governance: Governance, jobs: int
) -> Iterator[Checked]:
    def here(raw: bytes) -> Checked:
        return check_content(raw, governance)

    if jobs < 2 or expected < PARALLEL_FROM:
        yield from map(here, raws)
    else:
        yield from in_order(_check_in_worker, raws, jobs, governance, here)


def _check_in_worker(raw: bytes) -> Checked:
    return check_content(raw, given())


def _placed(f: _File) -> Iterator[Finding]:
    for x in f.checked.findings:
        yield Finding(f.rel, x.line, x.column, x.field, x.rule, x.message, x.severity)


def _path_findings(f: _File) -> Iterator[Finding]:
    s = f.checked.summary
    if s is None:
        return
    expected = expected_path(s.unit, s.kind, s.id)
    if f.rel != expected:
        yield _at_id(
            f, "record.path", f"đường dẫn tệp phải khớp với đơn vị, loại và mã hồ sơ: {expected}"
        )


def _future_findings(f: _File, as_of: str) -> Iterator[Finding]:
    s = f.checked.summary
    if s is None or s.max_date <= as_of:
        return
    text, data, _ = parse(f.raw)
    if text is None:
        return
    for loc, day in future_dates(data, as_of):
        line, column = f.where()(loc)
        yield Finding(
            f.rel,
            line,
            column,
            field_path(loc),
            "record.future_date",
            f"ngày không được ở sau hôm nay ({labels.day(as_of)}); nhận được {labels.day(day)}",
        )


def _overdue_findings(f: _File, as_of: str) -> Iterator[Finding]:
    s = f.checked.summary
    if s is None:
        return
    line, column = s.status_at
    field = "tasks" if s.kind == "plan" else "status"
    for due, what in s.due:
        if due < as_of:
            yield Finding(
                f.rel,
                line,
                column,
                field,
                "deadline.overdue",
                f"quá hạn: {what} phải xong chậm nhất ngày {labels.day(due)} (hôm nay "
                f"{labels.day(as_of)})",
                "warning",
            )


def _duplicates(root: Path, files: list[_File], whole: bool) -> Iterator[Finding]:
    """Ids used twice: by two records, or by a record and another file's name.

    A whole run compares every file read; a run on named files also looks on disk for
    ``cases/*/*/<id>.yaml``, which costs a directory lookup per id, not a repository scan.
    """
    holders: dict[str, set[str]] = defaultdict(set)
    for f in files:
        if f.checked.summary:
            holders[f.checked.summary.id].add(f.rel)
        holders[f.rel.rpartition("/")[2].removesuffix(".yaml")].add(f.rel)
    for f in files:
        summary = f.checked.summary
        if summary is None:
            continue
        others = holders[summary.id] - {f.rel}
        if not whole:
            others |= set(holders_of(root, summary.id)) - {f.rel}
        if others:
            yield _at_id(
                f,
                "record.duplicate_id",
                f"mã hồ sơ {summary.id!r} đã được dùng ở: {', '.join(sorted(others))}",
            )


def _at_id(f: _File, rule: str, message: str) -> Finding:
    line, column = f.where()(("id",))
    return Finding(f.rel, line, column, "id", rule, message)


def _at(rel: str, rule: str, message: str) -> Finding:
    return Finding(rel, 1, 1, "", rule, message)
