"""The one place that reads and writes YAML.

One loading policy:

* ``load_text`` is the fast path used for validation, the site and reports. It runs libyaml's
  parser (in ``yamllib``, imported only when needed) with a constructor that accepts only
  plain data (maps, lists, strings, numbers, booleans, null), refuses duplicate keys, aliases
  and tags, and resolves scalars the YAML 1.2 way: ``no`` and ``2019-05-02`` stay strings (the
  models parse dates, so an impossible date is a field error, not a crash). Files in the block
  style hoso writes are first offered to ``yamlfast``, which gives the same data quicker or
  defers to libyaml.
* Commands that edit a record do not dump it again: ``textedit`` appends lines to the text,
  so comments, key order, quoting and line endings stay as they were.

Neither raises on bad input: problems come back as ``YamlProblem`` values with a position.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoso import yamlfast

MAX_BYTES = 1024 * 1024
"""Largest record file accepted; a real case file is a few kilobytes."""
GOVERNANCE_MAX_BYTES = 16 * MAX_BYTES
"""Largest governance file accepted: a province's committees file lists every member of every
committee down to the grassroots, term after term (about 220 bytes each: several megabytes
for some 400 grassroots organisations), far past what one case needs."""


class Oversized(bytes):
    """The first bytes of an object too large to be read whole, and its real ``size``: what
    a reader keeps of it, enough to be refused as too large without holding it in memory."""

    size: int

    @classmethod
    def of(cls, head: bytes, size: int) -> Oversized:
        kept = cls(head)
        kept.size = size
        return kept


_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class YamlProblem:
    """Why a file could not be read as plain YAML data."""

    rule: str
    message: str
    line: int = 1
    column: int = 1


def decode(raw: bytes, cap: int = MAX_BYTES) -> str | YamlProblem:
    """Apply the byte-level policy: size cap, no byte-order mark, strict UTF-8."""
    size = raw.size if isinstance(raw, Oversized) else len(raw)
    if size > cap:
        return YamlProblem("yaml.size", f"tệp quá lớn: {size:,} byte, tối đa {cap:,} byte")
    if raw.startswith(_BOM):
        return YamlProblem(
            "yaml.bom", "tệp bắt đầu bằng dấu BOM; hãy lưu dưới dạng UTF-8 không BOM"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return YamlProblem(
            "yaml.encoding",
            f"tệp không phải UTF-8 hợp lệ: byte 0x{raw[exc.start]:02X} không đọc được; hãy "
            "lưu tệp dưới dạng UTF-8",
            line,
            column,
        )


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""What YAML forbids anywhere in a file, even quoted: the control characters but tab, line
feed and carriage return (C0, DEL, C1), and U+FFFE, U+FFFF. NEL (U+0085), which YAML 1.1
would read as a line break where no editor shows one, is refused with them. Looked for only
on libyaml's path: the quick reader defers every text holding one (``yamlfast._OUTSIDE``)."""

_C0 = "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB"
_CONTROL_NAMES = {
    **dict(enumerate(f"{_C0} CAN EM SUB ESC FS GS RS US".split(" "))),
    0x7F: "DEL",
    0x85: "NEL",
}


def unprintable(text: str) -> YamlProblem | None:
    """The first character YAML forbids, placed, with its code: libyaml would say it in
    English, at the start of the file."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return None
    at = found.start()
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code)
    if name is not None or 0x80 <= code <= 0x9F:
        what = f"ký tự điều khiển U+{code:04X}" + (f" ({name})" if name else "")
    else:  # U+FFFE, U+FFFF
        what = f"ký tự không được phép U+{code:04X}"
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return YamlProblem("yaml.control", f"tệp chứa {what}; hãy xóa ký tự này", line, column)


def load_text(text: str) -> Any | YamlProblem:
    """Parse one YAML document under the loading policy."""
    if not text.strip():
        return YamlProblem("yaml.empty", "tệp rỗng")
    quick = yamlfast.load(text)
    return quick if quick is not None else load_strict(text)


def load_strict(text: str) -> Any | YamlProblem:
    """``load_text`` through libyaml alone: the authority on every text."""
    from hoso import yamllib

    return yamllib.load(text)


def load_bytes(raw: bytes) -> Any | YamlProblem:
    text = decode(raw)
    return text if isinstance(text, YamlProblem) else load_text(text)


def locate(text: str, path: Sequence[str | int], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``path``; see ``Locator``. To place several
    findings in one text, make one ``Locator`` and ask it each time."""
    return Locator(text)(path, key)


class Locator:
    """Places findings in one text: line and column of the value at a path, or of its nearest
    existing ancestor. A scalar value is placed at the value; a nested block, or any field when
    ``key`` is set, at its key.

    Made for every file checked, asked only of files with findings: libyaml is loaded, and the
    text composed, on the first question (``yamllib.Placer``). Valid files never pay for it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._placer: Any = None

    def __call__(self, path: Sequence[Any], key: bool = False) -> tuple[int, int]:
        at: tuple[int, int] = self._placed()(path, key)
        return at

    def value_text(self, path: Sequence[Any]) -> str | None:
        """The scalar at ``path`` as the file writes it (``01112222``), or None."""
        written: str | None = self._placed().value_text(path)
        return written

    def key_text(self, path: Sequence[Any]) -> str | None:
        """The key at ``path`` as the file writes it (``010``, ``~``), or None."""
        written: str | None = self._placed().key_text(path)
        return written

    def _placed(self) -> Any:
        if self._placer is None:
            from hoso.yamllib import Placer

            self._placer = Placer(self.text)
        return self._placer


def top_level_position(text: str, key: str) -> tuple[int, int]:
    """Line and column of a top-level key's value, found without parsing (1, 1 if absent)."""
    match = re.search(rf"^{re.escape(key)}:[ \t]*", text, re.MULTILINE)
    if match is None:
        return 1, 1
    line = text.count("\n", 0, match.start()) + 1
    block = match.end() == len(text) or text[match.end()] in "\r\n#"
    return line, 1 if block else match.end() - match.start() + 1


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old file or the new, never half."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_plain(data: Any) -> str:
    """Dump generated data (samples, new records) in the house style the round-trip keeps:
    two-space indents, list items flush with their key, no anchors, UTF-8 text as is."""
    from hoso import yamllib

    return yamllib.dump(data)
