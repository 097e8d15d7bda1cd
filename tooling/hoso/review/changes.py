"""What a merge request changes, record by record: a new case, steps added, fields corrected,
an earlier step rewritten, a deletion, a governance file, or any other file.

Besides a label for people, a change names every event it touches (``Change.touched``), in
both its old and its new version: the approval policy is matched against all of them, so that
bundling a decision with an edit of an old step cannot shed the decision's rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from hoso.governance import GOVERNANCE_FILES
from hoso.validate.record import parse

Kind = Literal["new", "steps", "correction", "rewrite", "deletion", "governance", "file"]

KIND_LABELS = {
    "new": "hồ sơ mới",
    "steps": "ghi thêm bước",
    "correction": "đính chính trường đã ghi",
    "rewrite": "sửa bước cũ trong lịch sử",
    "deletion": "xóa tệp hồ sơ",
    "governance": "thay đổi tệp quản trị",
    "file": "thay đổi tệp ngoài hồ sơ (mã nguồn, cấu hình, trang web)",
}
_GOVERNANCE_PATHS = {rel for rel, _ in GOVERNANCE_FILES.values()}


DECISIVE = frozenset({"proposed", "decided", "appeal_answered"})
"""Steps whose discipline form has effect: a form proposed upward, decided, or set on appeal.
(The form a member proposes for himself, or a cell's conclusion, decides nothing.)"""


class Touched(NamedTuple):
    """One version of one event a change adds, removes or alters: the state before it, its
    state, and the discipline forms it stands under: its own where its step is ``DECISIVE``,
    and every form such a step before it recorded. An appeal's answer (whatever form it
    sets), an announcement or a dismissal of a proposed expulsion is about that expulsion,
    and needs what the expulsion needs."""

    before: str
    state: str
    forms: tuple[str, ...]


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
    touched: list[Touched] = field(default_factory=list)
    """Every event version the change adds, removes or alters (see ``Touched``)."""
    shape: Shape | None = None
    """The new version's shape, where classifying it needed one (see ``shape``)."""

    @property
    def record_kind(self) -> str:
        if self.kind in ("governance", "file"):
            return self.kind
        for data in (self.new, self.old):
            if isinstance(data, dict) and isinstance(data.get("kind"), str):
                return str(data["kind"])
        return ""

    @property
    def versions(self) -> list[dict[str, Any]]:
        """The record's versions on both sides that are mappings (old first)."""
        return [d for d in (self.old, self.new) if isinstance(d, dict)]


def is_record_path(path: str) -> bool:
    return path.startswith("cases/")


def is_governance_path(path: str) -> bool:
    return path in _GOVERNANCE_PATHS or path.startswith("governance/")


def classify(
    path: str,
    status: str,
    old_raw: bytes | None,
    new_raw: bytes | None,
    old_shape: Shape | None = None,
) -> Change:
    """Classify one file change from its two versions (None where it does not exist).

    ``old_shape`` (see ``shape``) may stand in for the old version, so that a walk through
    history parses each version once."""
    if is_governance_path(path):
        return Change(path, "governance", _data(old_raw), _data(new_raw))
    if not is_record_path(path):
        return Change(path, "file")
    old = _data(old_raw)
    new = _data(new_raw)
    if status == "D" or new_raw is None:
        before = old_shape if old_shape is not None else _shape_of(old)
        return Change(path, "deletion", old, None, touched=_events(before))
    after = _shape_of(new)
    if status == "A" or (old_raw is None and old_shape is None):
        events = _events(after)
        change = Change(path, "new", None, new, [(e.before, e.state) for e in events])
        change.touched = events
        change.shape = after if isinstance(new, dict) else None
        return change
    before = old_shape if old_shape is not None else _shape_of(old)
    if not isinstance(new, dict) or not (isinstance(old, dict) or old_shape is not None):
        return Change(
            path,
            "correction",
            old,
            new,
            fields=["(toàn bộ tệp)"],
            touched=_events(before) + _events(after),
        )
    change = _modified(path, before, after, old, new)
    change.shape = after
    return change


class Shape:
    """A record reduced to what classification compares, small enough to keep for every
    record of a province through a whole audit: its keys (one tuple shared by every record
    with the same keys), and for each a digest of ``WIDTH`` bytes, except ``kind`` and
    ``status`` (kept as they are), ``history`` (the events' digests, with their states and
    forms) and ``reports`` (their digests).

    Held as three objects, whatever the record's length: the keys, one bytes object of every
    digest (the keys' in order, then the events', then the reports'), and a tuple of the rest
    (kind, status, states, forms), which many records share."""

    __slots__ = ("digests", "facts", "keys")

    def __init__(self, keys: tuple[str, ...], digests: bytes, facts: tuple[Any, ...]) -> None:
        self.keys = keys
        self.digests = digests
        self.facts = facts
        """(kind, status, states, forms, reports): ``kind`` and ``status`` where they are
        text, ``states`` and ``forms`` where ``history`` is a list, and whether ``reports``
        is one; None elsewhere."""

    def get(self, key: str, default: Any = None) -> Any:
        try:
            at = self.keys.index(key)
        except ValueError:
            return default
        kind, status, states, forms, reports = self.facts
        events = len(self.keys) * WIDTH
        if key == "history" and states is not None:
            return self.digests[events : events + WIDTH * len(states)], states, forms
        if key == "reports" and reports:
            return self.digests[events + WIDTH * len(states or ()) :]
        if key == "kind" and kind is not None:
            return kind
        if key == "status" and status is not None:
            return status
        return self.digests[at * WIDTH : at * WIDTH + WIDTH]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shape) and (self.keys, self.digests, self.facts) == (
            other.keys,
            other.digests,
            other.facts,
        )

    def __hash__(self) -> int:
        return hash((self.keys, self.digests, self.facts))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Shape, (self.keys, self.digests, self.facts))

    def history(self) -> list[tuple[bytes, str, str]]:
        found = self.get("history")
        if not isinstance(found, tuple):
            return []
        digests, states, forms = found
        return [
            (digests[i * WIDTH : i * WIDTH + WIDTH], states[i], forms[i])
            for i in range(len(states))
        ]


_SHARED: dict[Any, Any] = {}
"""Key tuples, states, forms and whole ``Shape.facts``, each kept once however many records
use them."""


def _shared(value: Any) -> Any:
    return _SHARED.setdefault(value, value) if len(_SHARED) < 100_000 else value


WIDTH = 16
"""Bytes of each digest: 128 bits, so that nobody can make two values with one digest (at 64
bits, two notes differing in a rewritten step could be found in hours, and the rewrite would
pass as no change)."""
_UNUSED = bytes(WIDTH)
"""The digest slot of a key whose value the shape keeps elsewhere."""


def shape(data: dict[str, Any]) -> Shape:
    """A record reduced to what classification compares (see ``Shape``)."""
    keys = []
    slots: list[bytes] = []
    events = reports = b""
    kind = status = states = forms = None
    listed = False
    for key, value in data.items():
        key = str(key)  # a mapping may mix integer and text keys; the shape never does
        keys.append(key)
        if key == "history" and isinstance(value, list):
            slots.append(_UNUSED)
            events = b"".join(_digest_of(e) for e in value)
            states = _shared(tuple(_shared(_text(e, "state")) for e in value))
            forms = _shared(tuple(_shared(_text(e, "form")) for e in value))
        elif key == "reports" and isinstance(value, list):
            slots.append(_UNUSED)
            reports, listed = b"".join(_digest_of(r) for r in value), True
        elif key in ("status", "kind") and isinstance(value, str):
            slots.append(_UNUSED)
            if key == "kind":
                kind = _shared(value)
            else:
                status = _shared(value)
        else:
            slots.append(_digest_of(value))
    facts = _shared((kind, status, states, forms, listed))
    return Shape(_shared(tuple(keys)), b"".join(slots) + events + reports, facts)


def _digest_of(value: Any) -> bytes:
    found = _digest(value)
    if isinstance(found, bytes):
        return found
    return hashlib.blake2b(repr(found).encode(), digest_size=WIDTH).digest()


def _shape_of(data: Any) -> Shape:
    return shape(data) if isinstance(data, dict) else Shape((), b"", (None,) * 4 + (False,))


def _text(event: Any, key: str) -> str:
    value = event.get(key) if isinstance(event, dict) else None
    return value if isinstance(value, str) else ""


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
    try:
        text = "".join(_CANONICAL(value, 0))
    except (TypeError, ValueError):  # keys that cannot be sorted together (1 and "a")
        text = repr(_stringify(value))
    return hashlib.blake2b(text.encode(), digest_size=WIDTH).digest()


def _stringify(value: Any) -> Any:
    """A value with every mapping key as text, in a stable order."""
    if isinstance(value, dict):
        items = [(f"{type(k).__name__}:{k}", _stringify(v)) for k, v in value.items()]
        return sorted(items, key=lambda item: item[0])
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    return f"{type(value).__name__}:{value}"


def _history_of(record_shape: Shape) -> list[tuple[bytes, str, str]]:
    return record_shape.history()


def _events(record_shape: Shape) -> list[Touched]:
    """Every event of a version, each with the state before it."""
    out = []
    state = ""
    carried: tuple[str, ...] = ()
    for _, to, own in _history_of(record_shape):
        if own and to in DECISIVE and own not in carried:
            carried = (*carried, own)
        out.append(Touched(state, to, carried))
        state = to
    return out


def _modified(path: str, before_shape: Shape, after_shape: Shape, old: Any, new: Any) -> Change:
    before, after = _history_of(before_shape), _history_of(after_shape)
    old_events, new_events = _events(before_shape), _events(after_shape)
    # An event is touched where its content or the state before it differs between versions.
    old_keyed = [(e.before, digest) for e, (digest, _, _) in zip(old_events, before, strict=True)]
    new_keyed = [(e.before, digest) for e, (digest, _, _) in zip(new_events, after, strict=True)]
    touched: list[Touched] = []
    added: list[tuple[str, str]] = []
    rewritten = []
    for i in range(max(len(before), len(after))):
        if i < len(before) and i < len(after) and old_keyed[i] == new_keyed[i]:
            continue
        if i < len(before):
            touched.append(old_events[i])
            rewritten.append(f"history[{i}]")
        if i < len(after):
            touched.append(new_events[i])
            added.append((new_events[i].before, new_events[i].state))
    histories = before_shape.get("history"), after_shape.get("history")
    if histories[0] != histories[1] and any(isinstance(h, bytes) for h in histories):
        # A history that is not a list (null, text, a mapping) replaced by a list, or the
        # other way round: nothing can be lined up, so it is a rewrite of the whole history.
        rewritten.append("history")
    corrected = sorted(
        k
        for k in set(before_shape) | set(after_shape)
        if k not in ("status", "history", "reports") and before_shape.get(k) != after_shape.get(k)
    )
    if before_shape.get("kind") == "plan":
        reports_before = before_shape.get("reports") or b""
        if (after_shape.get("reports") or b"")[: len(reports_before)] != reports_before:
            corrected.append("reports")
    if corrected:
        # A corrected field speaks for the whole record: every event, in both versions.
        touched = old_events + new_events
    if rewritten:
        return Change(path, "rewrite", old, new, added, rewritten + corrected, touched)
    if corrected:
        return Change(path, "correction", old, new, added, corrected, touched)
    return Change(path, "steps", old, new, added, touched=touched)


def _data(raw: bytes | None) -> Any:
    return None if raw is None else parse(raw)[1]
