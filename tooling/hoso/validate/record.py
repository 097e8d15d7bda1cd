"""Checks of one file's bytes: YAML policy, schema, and the per-record rules.

Everything here depends only on the file's content and the governance context, never on the
file's path or today's date, so the outcome can be cached by blob id (see ``cache``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hoso import yamlio
from hoso.governance import Governance
from hoso.labels import days_in_text
from hoso.models import RECORD_MODELS, Record
from hoso.validate.findings import Finding, Severity, field_path
from hoso.validate.messages import clean_loc, not_a_field_name, show, translate

Loc = tuple[str | int, ...]
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_TAIL = re.compile(r"-\d{2}-\d{2}(?![\d-])")
"""The month and day of a ``YYYY-MM-DD`` standing alone: found by its hyphen (a fast scan),
then ``_latest_day`` checks the year before it. The latest such day only decides whether to
look closer for future dates."""
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Issue:
    """A problem before it is placed in a file: where in the record, which rule, why."""

    loc: Loc
    rule: str
    message: str
    severity: Severity = "error"


RecordCheck = Callable[[Record, Governance], Iterable[Issue]]
"""A rule over one valid record. The workflow rules plug in here (``register``)."""

RECORD_CHECKS: list[RecordCheck] = []
WARNING_CHECKS: list[RecordCheck] = []
"""Rules that only ever warn (late steps); the review gate and the audit weigh errors only."""

Fact = tuple[str, str, str, str, "Loc"]
"""What another record's rules need to know of this one, about one member: (what, party card,
ISO day, detail, where in the record), e.g. an expulsion being considered. Where is kept as a
path, placed in the file only if a finding needs it (placing costs a parse)."""
FactProvider = Callable[[Record, Governance], Iterable[tuple[str, str, str, str, "Loc"]]]
_fact_providers: list[FactProvider] = []

DueItems = tuple[tuple[str, str], ...]
"""(ISO due date, what is due) for each pending step."""
DueProvider = Callable[[Record, Governance], DueItems]
_due_providers: list[DueProvider] = []


def register(check: RecordCheck) -> RecordCheck:
    RECORD_CHECKS.append(check)
    return check


def register_warning(check: RecordCheck) -> RecordCheck:
    WARNING_CHECKS.append(check)
    return check


def register_facts(provider: FactProvider) -> FactProvider:
    """Plug in the facts about members that cross-record rules read (kept in the summary, so a
    cached record is not parsed again)."""
    _fact_providers.append(provider)
    return provider


CrossIssue = tuple[str, "Loc", str, str, Severity]
"""A finding of a rule across records before it is placed: (file, where, rule, why, severity)."""
CrossCheck = Callable[["list[tuple[str, Summary]]", "str", bool], "Iterable[CrossIssue]"]
CROSS_CHECKS: list[CrossCheck] = []
"""Rules over several records' facts (file, summary), run after every record is checked, with
today's date and whether the whole repository was read (absence proves something only then)."""


def register_cross(check: CrossCheck) -> CrossCheck:
    CROSS_CHECKS.append(check)
    return check


def register_due(provider: DueProvider) -> DueProvider:
    """Plug in what is due next on a record (the deadlines module does), kept in the summary."""
    _due_providers.append(provider)
    return provider


@dataclass(frozen=True)
class Summary:
    """What cross-file and date checks need of a record, kept in the cache beside its findings."""

    id: str
    kind: str
    unit: str
    cell: str
    status: str
    max_date: str
    status_at: tuple[int, int] = (1, 1)
    """Where ``status:`` stands, so that an overdue warning needs no re-parse."""
    due: DueItems = ()
    facts: tuple[Fact, ...] = ()


@dataclass
class Checked:
    """The outcome of checking one file's content: findings (file left blank) and a summary."""

    findings: list[Finding] = field(default_factory=list)
    summary: Summary | None = None


@lru_cache(maxsize=512)
def parse(raw: bytes, cap: int = yamlio.MAX_BYTES) -> tuple[str | None, Any, list[Finding]]:
    """Decode and load under the YAML policy (a file past ``cap`` bytes is refused); findings
    carry no file name yet.

    Memoised on the content: the gate and the audit classify a change and then validate the
    same version. Callers treat the result as read-only."""
    text = yamlio.decode(raw, cap)
    if isinstance(text, yamlio.YamlProblem):
        return None, None, [_finding(text.line, text.column, "", text.rule, text.message)]
    data = yamlio.load_text(text)
    if isinstance(data, yamlio.YamlProblem):
        return text, None, [_finding(data.line, data.column, "", data.rule, data.message)]
    if data is None:
        return text, None, [_finding(1, 1, "", "yaml.empty", "tệp rỗng")]
    if not isinstance(data, dict):
        shape = "một danh sách" if isinstance(data, list) else repr(data)
        msg = f"nội dung tệp phải là một nhóm trường (khóa: giá trị); nhận được {shape}"
        return text, None, [_finding(1, 1, "", "yaml.top_level", msg)]
    return text, data, []


def model_of(data: dict[str, Any]) -> type[Record] | None:
    """The model for the record's ``kind``; ``None`` when the kind is unknown or not even a
    string (a list or a mapping written there)."""
    kind = data.get("kind")
    return RECORD_MODELS.get(kind) if isinstance(kind, str) else None


def validate_model(
    text: str | yamlio.Locator, data: dict[str, Any], model: type[M]
) -> tuple[M | None, list[Finding]]:
    """The record as ``model``, or the findings that keep it from being one, placed in
    ``text`` (or by a ``Locator`` of it that the caller goes on using)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        where = text if isinstance(text, yamlio.Locator) else yamlio.Locator(text)
        findings = []
        for error in exc.errors(include_url=False):
            loc = clean_loc(error["loc"])
            rule, message = translate(error)
            at, named = loc, field_path(loc)
            if error["type"] == "missing":
                at = loc[:-1]
            elif error["type"] == "invalid_key" and loc:
                # The key itself is the fault: placed at it and shown as written, named by
                # the mapping it is in.
                key = error.get("input")
                at, named = (*loc[:-1], key), field_path(loc[:-1])
                written = where.key_text(at)
                message = not_a_field_name(written if written is not None else show(key))
            elif error["type"] == "string_type" and type(error.get("input")) in (int, float):
                # A number where text belongs: YAML read 01112222 as 1112222. Shown as written,
                # with how to write it so that nothing is lost.
                written = where.value_text(loc)
                if written is not None:
                    number = str(error.get("input"))
                    read = "là một số" if number == written else f"thành số {number}"
                    message = (
                        f"phải là một chuỗi văn bản; {written} được đọc {read}: hãy viết trong "
                        f'dấu ngoặc kép, "{written}"'
                    )
            keyed = error["type"] in ("extra_forbidden", "invalid_key")
            line, column = where(at, key=keyed)
            findings.append(_finding(line, column, named, rule, message))
        return None, findings


def check_content(raw: bytes, governance: Governance, warnings: bool = True) -> Checked:
    """Every content check of one record file. Without ``warnings`` (for the review gate and
    the audit, which weigh errors only) the rules that only warn are skipped and the pending
    deadlines are not worked out."""
    text, data, findings = parse(raw)
    if data is None or text is None:
        return Checked(findings)
    kind = data.get("kind")
    model = model_of(data)
    where = yamlio.Locator(text)
    if model is None:
        line, column = where(("kind",))
        from hoso.labels import fold
        from hoso.models import KIND_LABELS

        kinds = ", ".join(f"{k} ({KIND_LABELS.get(k, k).lower()})" for k in RECORD_MODELS)
        if "kind" not in data:
            msg = f"thiếu trường kind (loại hồ sơ); ghi một trong: {kinds}"
        else:
            msg = f"loại hồ sơ phải là một trong: {kinds}; nhận được {show(kind)}"
            # Words found in one kind's label name it ("rà soát"); in several, none.
            wanted = fold(kind) if isinstance(kind, str) else ""
            meant = [k for k, text in KIND_LABELS.items() if wanted and wanted in fold(text)]
            if len(meant) == 1:
                msg += f"; hãy ghi {meant[0]}"
        return Checked([_finding(line, column, "kind", "record.kind", msg)])
    record, findings = validate_model(where, data, model)
    if record is None:
        return Checked(findings)
    checks = [*RECORD_CHECKS, *WARNING_CHECKS] if warnings else RECORD_CHECKS
    issues = [issue for check in checks for issue in check(record, governance)]
    for issue in issues:
        line, column = where(issue.loc)
        # Rules speak of days as people write them; the file's own notation stays ISO.
        message = days_in_text(issue.message)
        findings.append(
            _finding(line, column, field_path(issue.loc), issue.rule, message, issue.severity)
        )
    summary = Summary(
        id=record.id,
        kind=record.kind,
        unit=record.unit,
        cell=getattr(record, "cell", record.unit),
        status=getattr(record, "status", ""),
        max_date=_latest_day(text),
        status_at=(
            yamlio.top_level_position(text, _STATUS_KEY.get(kind, "status")) if warnings else (1, 1)
        ),
        due=tuple(
            item for provider in _due_providers if warnings for item in provider(record, governance)
        ),
        facts=tuple(fact for provider in _fact_providers for fact in provider(record, governance)),
    )
    return Checked(findings, summary)


_STATUS_KEY = {"plan": "tasks", "ranking": "members"}
"""Where a record's pending work is pointed at: its status, or what stands for it."""


def _latest_day(text: str) -> str:
    """The latest ``YYYY-MM-DD`` standing alone in the text, neither after nor before a digit
    or hyphen ("" if none). Such days cannot overlap, so each is found by its own tail."""
    latest = ""
    for match in _DAY_TAIL.finditer(text):
        start = match.start() - 4
        if start < 0 or not text[start : start + 4].isdecimal():
            continue
        if start and (text[start - 1] == "-" or text[start - 1].isdecimal()):
            continue
        latest = max(latest, text[start : match.end()])
    return latest


PLANNED_DATES = frozenset({"until", "period_until", "deadline"})
"""Fields that name a date to come (an end of term, a deadline), not a recorded fact."""


def future_dates(data: Any, as_of: str) -> Iterator[tuple[Loc, str]]:
    """Where a record's data states as fact a date after ``as_of`` (ISO strings compare as
    dates)."""
    for loc, day in _dated(data, ()):
        if day > as_of and loc[-1] not in PLANNED_DATES:
            yield loc, day


def _dated(data: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _dated(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _dated(value, (*loc, index))
    elif isinstance(data, str) and _DAY.match(data):
        yield loc, data


def _finding(
    line: int, column: int, path: str, rule: str, message: str, severity: Severity = "error"
) -> Finding:
    return Finding("", line, column, path, rule, message, severity)
