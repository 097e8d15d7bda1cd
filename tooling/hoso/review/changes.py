"""What a merge request changes, record by record: a new case, steps added, fields corrected,
an earlier step rewritten, a deletion, or a governance file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from hoso import yamlio
from hoso.governance import GOVERNANCE_FILES

Kind = Literal["new", "steps", "correction", "rewrite", "deletion", "governance", "other"]

KIND_LABELS = {
    "new": "hồ sơ mới",
    "steps": "ghi thêm bước",
    "correction": "đính chính trường đã ghi",
    "rewrite": "sửa bước cũ trong lịch sử",
    "deletion": "xóa tệp hồ sơ",
    "governance": "thay đổi tệp quản trị",
    "other": "tệp khác",
}
_GOVERNANCE_PATHS = {rel for rel, _ in GOVERNANCE_FILES.values()}


@dataclass
class Change:
    """One changed file between the merge base and the head."""

    path: str
    kind: Kind
    old: Any = None
    new: Any = None
    transitions: list[tuple[str, str]] = field(default_factory=list)
    """(from, to) for each step added; ("", state) for the steps of a new case."""
    fields: list[str] = field(default_factory=list)
    """Top-level fields corrected, or ``history[i]`` for rewritten steps."""

    @property
    def record_kind(self) -> str:
        if self.kind == "governance":
            return "governance"
        data = self.new if isinstance(self.new, dict) else self.old
        return str(data.get("kind", "")) if isinstance(data, dict) else ""

    @property
    def forms(self) -> set[str]:
        """Discipline forms the added steps propose or decide."""
        if not isinstance(self.new, dict):
            return set()
        history = self.new.get("history") or []
        start = len(history) - len(self.transitions)
        return {str(e["form"]) for e in history[start:] if isinstance(e, dict) and e.get("form")}


def classify(path: str, status: str, old_raw: bytes | None, new_raw: bytes | None) -> Change:
    """Classify one file change from its two versions (None where it does not exist)."""
    old = _data(old_raw)
    new = _data(new_raw)
    if path in _GOVERNANCE_PATHS or path.startswith("governance/"):
        return Change(path, "governance", old, new)
    if not path.startswith("cases/"):
        return Change(path, "other", old, new)
    if status == "D" or new_raw is None:
        return Change(path, "deletion", old, None)
    if status == "A" or old_raw is None:
        states = [str(e.get("state", "")) for e in _history(new)]
        return Change(path, "new", None, new, [("", s) for s in states])
    return _modified(path, old, new)


def _modified(path: str, old: Any, new: Any) -> Change:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return Change(path, "correction", old, new, fields=["(toàn bộ tệp)"])
    before, after = _history(old), _history(new)
    rewritten = [
        f"history[{i}]" for i, event in enumerate(before) if i >= len(after) or after[i] != event
    ]
    if rewritten:
        return Change(path, "rewrite", old, new, fields=rewritten)
    corrected = sorted(
        k
        for k in set(old) | set(new)
        if k not in ("status", "history", "reports") and old.get(k) != new.get(k)
    )
    if old.get("kind") == "plan":
        reports_before = old.get("reports") or []
        if (new.get("reports") or [])[: len(reports_before)] != reports_before:
            corrected.append("reports")
    added = after[len(before) :]
    transitions = []
    state = str(old.get("status", ""))
    for event in added:
        transitions.append((state, str(event.get("state", ""))))
        state = str(event.get("state", ""))
    if corrected:
        return Change(path, "correction", old, new, transitions, corrected)
    return Change(path, "steps", old, new, transitions)


def _data(raw: bytes | None) -> Any:
    if raw is None:
        return None
    data = yamlio.load_bytes(raw)
    return None if isinstance(data, yamlio.YamlProblem) else data


def _history(data: Any) -> list[Any]:
    history = data.get("history") if isinstance(data, dict) else None
    return history if isinstance(history, list) else []
