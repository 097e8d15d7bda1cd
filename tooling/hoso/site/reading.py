"""Reading the record files the site's store does not know: each parsed, checked against its
model and reduced to its facts, on a worker per core when there are many (a build from
scratch), in order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hoso.governance import Governance
from hoso.models import PlanRecord, RankingRecord, Record
from hoso.models.sensitivity import leaf_strings, sensitive_fields, values_at
from hoso.site.facts import Facts, facts_of
from hoso.validate.findings import Finding
from hoso.validate.record import model_of, parse, validate_model
from hoso.workers import given, in_order

PARALLEL_FROM = 200
"""Below this many files to read, a worker pool costs more than it saves."""


@dataclass(frozen=True)
class Read:
    """What one record file holds for the site."""

    record: Record | None = None
    """A plan or a ranking; a case too when it was asked for in full."""
    facts: Facts | None = None
    """A case's facts, unless the caller knew them."""
    confidential: tuple[str, ...] = ()
    """Its values never to appear in any output."""
    personal: tuple[str, ...] = ()
    """Its other personal values, never to appear in the staff site."""
    why: str | None = None
    """Why the file is no record the site can count, when it is not."""


def read(raw: bytes, governance: Governance, full: bool, derive: bool = True) -> Read:
    """The record in ``raw``; with ``full``, a case is kept whole; with ``derive``, its facts
    are worked out."""
    text, content, problems = parse(raw)
    model = model_of(content) if isinstance(content, dict) and text is not None else None
    if model is None or text is None:
        why = problems[0] if problems else None
        return Read(why=_said(why) if why else "không rõ loại hồ sơ (trường kind)")
    record, problems = validate_model(text, content, model)
    if record is None:
        more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        return Read(why=_said(problems[0]) + more)
    confidential, personal = _sensitive(model, content)
    if isinstance(record, (PlanRecord, RankingRecord)):
        return Read(record, None, confidential, personal)
    facts = facts_of(record, governance) if derive else None
    return Read(record if full else None, facts, confidential, personal)


def read_all(
    raws: Sequence[tuple[bytes, bool]], governance: Governance, full: bool
) -> Iterator[Read]:
    """Each of ``raws`` read, in order, its facts worked out where asked; on a worker per
    core when there are many and the cases are not wanted whole (a whole case is slow to send
    back)."""
    import os
    import threading

    jobs = os.cpu_count() or 1
    # Forked from a process running other threads (``mkdocs serve`` watching for changes), a
    # worker could start with a lock one of them held, and wait for ever: read here then.
    alone = threading.active_count() == 1

    def here(item: tuple[bytes, bool]) -> Read:
        raw, derive = item
        return read(raw, governance, full, derive)

    if full or jobs < 2 or len(raws) < PARALLEL_FROM or not alone:
        yield from map(here, raws)
    else:
        yield from in_order(_read_in_worker, raws, jobs, governance, here)


def _read_in_worker(item: tuple[bytes, bool]) -> Read:
    raw, derive = item
    return read(raw, given(), False, derive)


def _said(f: Finding) -> str:
    where = f"dòng {f.line}, cột {f.column}"
    return f"{where}: {f.field}: {f.message}" if f.field else f"{where}: {f.message}"


def _sensitive(model: type, content: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The record's values never to appear in any output, and its other personal values, as
    its file writes them."""
    found: tuple[set[str], set[str]] = (set(), set())
    for path, level in sensitive_fields(model).items():
        for value in values_at(content, path):
            # Short categorical values (a sex, an ethnicity) are not identifying on their own.
            found[level != "confidential"].update(s for s in leaf_strings(value) if len(s) >= 6)
    return tuple(sorted(found[0])), tuple(sorted(found[1]))
