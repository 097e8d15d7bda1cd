"""What a merge request changes, record by record: a new case, steps added, fields corrected,
an earlier step rewritten, a deletion, or a governance file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from hoso.governance import GOVERNANCE_FILES
from hoso.validate.record import parse

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
    shape: dict[str, Any] | None = None
    """The new version's shape, where classifying it needed one (see ``shape``)."""

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


def classify(
    path: str,
    status: str,
    old_raw: bytes | None,
    new_raw: bytes | None,
    old_shape: dict[str, Any] | None = None,
) -> Change:
    """Classify one file change from its two versions (None where it does not exist).

    ``old_shape`` (see ``shape``) may stand in for the old version, so that a walk through
    history parses each version once."""
    old = _data(old_raw)
    new = _data(new_raw)
    if path in _GOVERNANCE_PATHS or path.startswith("governance/"):
        return Change(path, "governance", old, new)
    if not path.startswith("cases/"):
        return Change(path, "other", old, new)
    if status == "D" or new_raw is None:
        return Change(path, "deletion", old, None)
    if status == "A" or (old_raw is None and old_shape is None):
        states = [str(e.get("state", "")) for e in _history(new)]
        return Change(path, "new", None, new, [("", s) for s in states])
    if not isinstance(new, dict) or not (isinstance(old, dict) or old_shape is not None):
        return Change(path, "correction", old, new, fields=["(toàn bộ tệp)"])
    before = old_shape if old_shape is not None else shape(old)
    after = shape(new)
    change = _modified(path, before, after, old, new)
    change.shape = after
    return change


def shape(data: dict[str, Any]) -> dict[str, Any]:
    """A record reduced to what classification compares: a digest per top-level field, per
    history event (with its state) and per plan report. Small enough to keep for every path."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "history" and isinstance(value, list):
            out[key] = [
                (_digest(e), str(e.get("state", "")) if isinstance(e, dict) else "") for e in value
            ]
        elif key == "reports" and isinstance(value, list):
            out[key] = [_digest(r) for r in value]
        elif key in ("status", "kind"):
            out[key] = value
        else:
            out[key] = _digest(value)
    return out


_CANONICAL = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    {}, str, json.encoder.encode_basestring, None, ": ", ", ", True, False, True
)
"""JSON with sorted keys (dates as text), as ``json.dumps(sort_keys=True, ensure_ascii=False,
default=str)`` writes it, without building an encoder per value."""


def _digest(value: Any) -> str | bytes | tuple[str, str]:
    """A value reduced for comparison: a short text as itself, a number, truth value or null
    as its type and spelling, anything else as a digest of its canonical JSON (bytes). The
    three forms never equal one another."""
    kind = type(value)
    if kind is str and len(value) <= 64:
        return value  # type: ignore[no-any-return]
    if kind in (bool, int, float) or value is None:
        return kind.__name__, repr(value)
    text = "".join(_CANONICAL(value, 0))
    return hashlib.blake2b(text.encode(), digest_size=10).digest()


def _modified(
    path: str, before_shape: dict[str, Any], after_shape: dict[str, Any], old: Any, new: Any
) -> Change:
    before = before_shape.get("history") or []
    after = after_shape.get("history") or []
    rewritten = [
        f"history[{i}]" for i, event in enumerate(before) if i >= len(after) or after[i] != event
    ]
    if rewritten:
        return Change(path, "rewrite", old, new, fields=rewritten)
    corrected = sorted(
        k
        for k in set(before_shape) | set(after_shape)
        if k not in ("status", "history", "reports") and before_shape.get(k) != after_shape.get(k)
    )
    if before_shape.get("kind") == "plan":
        reports_before = before_shape.get("reports") or []
        if (after_shape.get("reports") or [])[: len(reports_before)] != reports_before:
            corrected.append("reports")
    transitions = []
    state = str(before_shape.get("status", ""))
    for _, added in after[len(before) :]:
        transitions.append((state, added))
        state = added
    if corrected:
        return Change(path, "correction", old, new, transitions, corrected)
    return Change(path, "steps", old, new, transitions)


def _data(raw: bytes | None) -> Any:
    return None if raw is None else parse(raw)[1]


def _history(data: Any) -> list[Any]:
    history = data.get("history") if isinstance(data, dict) else None
    return history if isinstance(history, list) else []
