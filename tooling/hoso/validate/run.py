"""One validation run over the repository or over named files."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import hoso.rules  # noqa: F401  (registers the record checks)
from hoso import yamlio
from hoso.governance import Governance
from hoso.repo import CASES, expected_path, record_files, relative
from hoso.validate.cache import Cache, blob_id
from hoso.validate.findings import Finding, Result, field_path
from hoso.validate.governance_files import load_governance
from hoso.validate.record import Checked, check_content, future_dates

PARALLEL_FROM = 200
"""Below this many files to check, a worker pool costs more than it saves."""


@dataclass
class Options:
    root: Path
    files: list[Path] | None = None
    """Named files; ``None`` checks the whole repository."""
    as_of: date = field(default_factory=date.today)
    use_cache: bool = True
    jobs: int = os.cpu_count() or 1


@dataclass
class _File:
    rel: str
    raw: bytes = b""
    blob: str = ""
    checked: Checked = field(default_factory=Checked)


def run(options: Options) -> Result:
    root = options.root
    governance, governance_findings = load_governance(root)
    whole = options.files is None
    paths = list(record_files(root)) if whole else list(options.files or [])
    rels = [relative(root, p) for p in paths]
    result = Result(checked=len(rels))
    result.extend(governance_findings)
    files = [_read(root, rel, result) for rel in rels]
    readable = [f for f in files if f.blob]

    cache = Cache(root) if options.use_cache else None
    misses = []
    for f in readable:
        hit = cache.get(f.blob) if cache else None
        if hit is None:
            misses.append(f)
        else:
            f.checked = hit
    for f, checked in zip(
        misses, _check_all([f.raw for f in misses], governance, options.jobs), strict=True
    ):
        f.checked = checked
        if cache:
            cache.put(f.blob, checked)
    if cache:
        cache.save(prune=whole)

    as_of = options.as_of.isoformat()
    for f in readable:
        result.extend(_placed(f))
        result.extend(_path_findings(f))
        result.extend(_future_findings(f, as_of))
    result.extend(_duplicates(root, readable, whole))
    return result


def _read(root: Path, rel: str, result: Result) -> _File:
    path = root / rel
    f = _File(rel)
    if not rel.startswith(f"{CASES}/"):
        result.findings.append(
            _at(rel, "record.location", "tệp hồ sơ phải nằm trong thư mục cases/")
        )
        return f
    if path.is_symlink():
        target = os.path.realpath(path)
        outside = not Path(target).is_relative_to(root)
        why = "trỏ ra ngoài kho hồ sơ" if outside else "không được dùng cho tệp hồ sơ"
        result.findings.append(_at(rel, "record.symlink", f"liên kết tượng trưng {why}: {target}"))
        return f
    if not rel.endswith(".yaml"):
        result.findings.append(_at(rel, "record.extension", "tệp hồ sơ phải có đuôi .yaml"))
        return f
    try:
        f.raw = path.read_bytes()
    except OSError as exc:
        result.findings.append(_at(rel, "record.unreadable", f"không đọc được tệp: {exc.strerror}"))
        return f
    f.blob = blob_id(f.raw)
    return f


def _check_all(raws: list[bytes], governance: Governance, jobs: int) -> Iterable[Checked]:
    if jobs < 2 or len(raws) < PARALLEL_FROM:
        return [check_content(raw, governance) for raw in raws]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_init_worker, initargs=(governance,)) as pool:
        return pool.map(_check_in_worker, raws, chunksize=64)


_worker_governance = Governance()


def _init_worker(governance: Governance) -> None:
    global _worker_governance
    _worker_governance = governance


def _check_in_worker(raw: bytes) -> Checked:
    return check_content(raw, _worker_governance)


def _placed(f: _File) -> Iterator[Finding]:
    for x in f.checked.findings:
        yield Finding(f.rel, x.line, x.column, x.field, x.rule, x.message, x.severity)


def _path_findings(f: _File) -> Iterator[Finding]:
    s = f.checked.summary
    if s is None:
        return
    expected = expected_path(s.unit, s.kind, s.id)
    if f.rel != expected:
        line, column = yamlio.locate(f.raw.decode("utf-8"), ("id",))
        yield Finding(
            f.rel,
            line,
            column,
            "id",
            "record.path",
            f"đường dẫn tệp phải khớp với đơn vị, loại và mã hồ sơ: {expected}",
        )


def _future_findings(f: _File, as_of: str) -> Iterator[Finding]:
    s = f.checked.summary
    if s is None or s.max_date <= as_of:
        return
    text = f.raw.decode("utf-8")
    for loc, day in future_dates(text, as_of):
        line, column = yamlio.locate(text, loc)
        yield Finding(
            f.rel,
            line,
            column,
            field_path(loc),
            "record.future_date",
            f"ngày không được ở sau hôm nay ({as_of}); nhận được {day}",
        )


def _duplicates(root: Path, files: list[_File], whole: bool) -> Iterator[Finding]:
    by_id: dict[str, set[str]] = defaultdict(set)
    for f in files:
        if f.checked.summary:
            by_id[f.checked.summary.id].add(f.rel)
        by_id[Path(f.rel).stem].add(f.rel)
    if not whole:
        for case_id in list(by_id):
            by_id[case_id].update(
                p.relative_to(root).as_posix() for p in (root / CASES).glob(f"*/*/{case_id}.yaml")
            )
    for case_id, rels in by_id.items():
        if len(rels) < 2:
            continue
        for f in files:
            if f.rel in rels and (f.checked.summary and f.checked.summary.id == case_id):
                others = ", ".join(sorted(rels - {f.rel}))
                line, column = yamlio.locate(f.raw.decode("utf-8"), ("id",))
                yield Finding(
                    f.rel,
                    line,
                    column,
                    "id",
                    "record.duplicate_id",
                    f"mã hồ sơ {case_id!r} đã được dùng ở: {others}",
                )


def _at(rel: str, rule: str, message: str) -> Finding:
    return Finding(rel, 1, 1, "", rule, message)
