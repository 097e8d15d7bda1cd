"""What validation found, in one shape for every reporter."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from hoso.validate.record import Summary

Severity = Literal["error", "warning"]


def field_path(loc: Sequence[str | int]) -> str:
    """``("history", 2, "vote")`` as ``history[2].vote``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def one_line(text: str) -> str:
    """``text`` with its line breaks and other control characters written as escapes
    (``\\n``), so that a file name holding one can neither split a line of text output nor
    pass for a line of its own."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def quoted(name: str) -> str:
    """A file name for text output: as it is, or in quotes with escapes (``'a\\nb.yaml'``)
    when it holds a line break or another character that does not print."""
    return name if name.isprintable() else f"'{one_line(name)}'"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, with where, what rule, and why."""

    file: str
    line: int
    column: int
    field: str
    rule: str
    message: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Result:
    """Everything one validation run found, and what it learnt of each valid record."""

    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, Summary] = field(default_factory=dict)
    """Repository-relative path to the summary of each record that passed the schema."""

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Finding]:
        return sorted(set(self.findings))

    def unread(self) -> list[Finding]:
        """For each record file that could not be read as a record (so no command that lists
        or counts records sees it), the first reason why."""
        first: dict[str, Finding] = {}
        for f in self.sorted():
            if f.file in first or f.file in self.summaries:
                continue
            if f.file != "cases" and not f.file.startswith("cases/"):  # cases itself: a link
                continue
            if f.severity == "error":
                first[f.file] = f
        return list(first.values())
