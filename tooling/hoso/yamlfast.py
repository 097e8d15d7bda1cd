"""A quick reader for the plain block style every hoso command writes.

Records are block mappings and lists of ``key: value`` lines with plain or simply quoted
scalars. This reader handles exactly that subset, line by line, several times faster than
building libyaml's nodes in Python. It never decides anything on its own: whenever the text
steps outside the subset (flow collections, block scalars, anchors, tags, comments after a
value, continuation lines, unusual characters, a duplicate key, anything it is unsure of) it
returns ``None`` and ``yamlio.load_text`` uses the libyaml loader, which stays the authority.
For text it accepts, the result equals the libyaml loader's (a property test checks this on
every sample file and on generated variations).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_INT = re.compile(r"[-+]?[0-9]+")
_INFS = (".inf", ".Inf", ".INF")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
SPECIAL_FLOATS = {
    **{sign + inf: sign.replace("+", "") + "inf" for sign in ("", "+", "-") for inf in _INFS},
    **{nan: "nan" for nan in (".nan", ".NaN", ".NAN")},
}
"""The YAML 1.2 core schema's infinities and not-a-number, in the three spellings it allows
(``.inf``, ``.Inf``, ``.INF``); ``.iNf`` is a string."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted; a record is a handful of levels deep."""
MAX_DIGITS = 1000
"""Longest integer accepted, in digits: Python refuses to convert more than 4,300, and no
record field needs more than a few."""


class NumberTooLong(ValueError):
    """An integer with more than ``MAX_DIGITS`` digits."""


_OUTSIDE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters the subset leaves to libyaml: tabs, carriage returns, controls, the line
separators YAML 1.1 knows (NEL, U+2028, U+2029), the byte-order mark, surrogates and the two
non-characters at the end of the basic plane. Listed, not negated: a negated class over all of
Unicode takes longer to compile than a one-file check takes to run."""

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
_PLAIN = re.compile(r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^#\[\]{}]*|-[0-9.][^#\[\]{}]*")
_SINGLE = re.compile(r"'([^']*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')


class _Outside(Exception):
    """The text steps outside the subset."""


def load(text: str) -> Any | None:
    """The data of a block-style document, or ``None`` to defer to the libyaml loader."""
    lines: list[_Line] = []
    for raw in text.split("\n"):
        found = _SPLIT.young.get(raw, _UNSEEN)
        if found is _UNSEEN:
            found = _SPLIT.recall(raw, _split)
        if found is None:
            return None
        if found:
            lines.append(found)
    if not lines or lines[0][0] != 0:
        return None
    reader = _Reader(lines)
    try:
        data = reader.mapping(0)
    except _Outside:
        return None
    return data if reader.at == len(lines) else None


def _split(raw: str) -> _Line | tuple[()] | None:
    """A line's indent and content, read as an entry; ``()`` for a blank or comment line,
    None for a line with a character the subset leaves to libyaml."""
    if _OUTSIDE.search(raw):
        return None
    content = raw.lstrip(" ")
    if not content or content[0] == "#":
        return ()
    indent = len(raw) - len(content)
    content = content.rstrip(" ")
    return (indent, content, *_entry(content))


class _Reader:
    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.at = 0
        self.depth = 0

    def node(self, indent: int) -> Any:
        content = self.lines[self.at][1]
        if content == "-" or content.startswith("- "):
            return self.sequence(indent)
        return self.mapping(indent)

    def mapping(self, indent: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines = self.lines
        self.enter()
        while self.at < len(lines):
            level, _, key, value, opens = lines[self.at]
            if level < indent:
                break
            if level > indent or key is None or key in out:
                raise _Outside
            self.at += 1
            out[key] = self.nested(indent) if opens else value
        self.depth -= 1
        return out

    def enter(self) -> None:
        """One level deeper; past ``MAX_DEPTH`` libyaml's loader decides (it refuses)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Outside

    def nested(self, indent: int) -> Any:
        """The value of a ``key:`` line with nothing after the colon."""
        if self.at == len(self.lines):
            return None
        level, content = self.lines[self.at][:2]
        if level > indent:
            return self.node(level)
        if level == indent and content.startswith("- "):
            return self.sequence(indent)
        return None

    def sequence(self, indent: int) -> list[Any]:
        out: list[Any] = []
        lines = self.lines
        self.enter()
        while self.at < len(lines):
            level, content = lines[self.at][:2]
            if level < indent:
                break
            if level > indent:
                raise _Outside
            if not content.startswith("- "):
                if content == "-":
                    raise _Outside
                break
            item = content[2:]
            if item[0] == " " or item.startswith("-"):
                raise _Outside
            key, value, opens = _entry(item)
            if key is not None:
                lines[self.at] = (indent + 2, item, key, value, opens)
                out.append(self.mapping(indent + 2))
            elif value is _OUT:
                raise _Outside
            else:
                self.at += 1
                out.append(value)
        self.depth -= 1
        return out


V = TypeVar("V")
_Entry = tuple[str | None, Any, bool]
_Line = tuple[int, str, str | None, Any, bool]
"""A line's indent, its content, and the content read as an entry (see ``_entry``)."""
_OUT = object()
_UNSEEN: Any = object()
_GENERATION = 6_000
"""Lines remembered in each of two generations: a line met again is kept in the young one,
and when that is full it becomes the old one and the old one is dropped, so the lines in use
stay whatever came first. Records repeat most of their lines (states, dates, the earlier
version's lines in the next). In the audit of 10,000 cases (1.2 million lines, 61,000
distinct) this reads 105,000 lines afresh, where keeping the first 12,000 lines met read
489,000; at most 12,000 are held either way (about 35 MB less in each audit worker at 50,000
cases than keeping 50,000)."""


class _Remembered(Generic[V]):
    """What was worked out from a line, in two generations (see ``_GENERATION``)."""

    def __init__(self) -> None:
        self.young: dict[str, V] = {}
        self.old: dict[str, V] = {}

    def recall(self, line: str, work: Callable[[str], V]) -> V:
        found = self.old[line] if line in self.old else work(line)
        self.young[line] = found
        if len(self.young) >= _GENERATION:
            self.old, self.young = self.young, {}
        return found

    def __len__(self) -> int:
        return len(self.young) + len(self.old)


_SPLIT: _Remembered[_Line | tuple[()] | None] = _Remembered()
_LINES: _Remembered[_Entry] = _Remembered()


def _entry(content: str) -> _Entry:
    """A line read as ``key: value`` (key, value, False) or ``key:`` (key, None, True); any
    other line as a lone scalar (None, value, False). The value is ``_OUT`` where it steps
    outside the subset."""
    found = _LINES.young.get(content)
    return found if found is not None else _LINES.recall(content, _key_line)


def _key_line(content: str) -> _Entry:
    key, colon, rest = content.partition(":")
    if not colon or (rest and rest[0] != " "):
        return None, _scalar(content), False
    if not _KEY.fullmatch(key) or key in BOOLS or key in NULLS:
        return None, _scalar(content), False
    rest = rest.lstrip(" ")
    if not rest:
        return key, None, True
    value = _scalar(rest)
    return (None, _OUT, False) if value is _OUT else (key, value, False)


def _scalar(value: str) -> Any:
    """One scalar, resolved the YAML 1.2 way as ``yamlio`` does; ``_OUT`` when outside."""
    first = value[0]
    if first == "'":
        match = _SINGLE.fullmatch(value)
    elif first == '"':
        match = _DOUBLE.fullmatch(value)
    else:
        if not _PLAIN.fullmatch(value) or ": " in value or value[-1] == ":":
            return _OUT
        try:
            return plain(value)
        except NumberTooLong:
            return _OUT
    return _OUT if match is None else match[1]


def plain(value: str) -> Any:
    """An untagged plain scalar under the YAML 1.2 core schema: no yes/no booleans, no
    sexagesimals, no timestamps, so ``no`` and ``2019-05-02`` stay strings (the models parse
    dates). An integer longer than ``MAX_DIGITS`` raises ``NumberTooLong``."""
    if value in NULLS:
        return None
    if value in BOOLS:
        return BOOLS[value]
    if value[0] in "-+.0123456789":
        if _INT.fullmatch(value):
            return integer(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        if value in SPECIAL_FLOATS:
            return float(SPECIAL_FLOATS[value])
    return value


def integer(value: str) -> int:
    """A decimal integer, refused past ``MAX_DIGITS`` digits (sign and leading zeros aside)."""
    if len(value) > MAX_DIGITS and len(value.lstrip("+-").lstrip("0")) > MAX_DIGITS:
        raise NumberTooLong(value)
    return int(value, 10)
