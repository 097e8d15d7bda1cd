"""Recording a step as a text edit: the new event is appended after the last line of
``history:`` and the value of ``status:`` is replaced, and nothing else in the file changes.

Line endings, indentation, quoting, escapes, comments, trailing spaces and an end marker are
kept because they are never touched: the places to edit come from libyaml's marks, the new
lines copy the indentation and line ending of the lines around them, and the result is parsed
again and must equal the record with the event appended. When the file is written in a way
this cannot handle (a flow-style history, a lone carriage return), the edit is refused with
the reason, never done by rewriting the file.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hoso import yamlio, yamllib


class CannotEdit(Exception):
    """Why the file cannot be edited line for line (said in Vietnamese)."""


def append_event(text: str, event: Mapping[str, Any], state: str) -> str:
    """``text`` with ``event`` appended to its history and its status set to ``state``."""
    if "\r" in text.replace("\r\n", ""):
        raise CannotEdit("tệp dùng ký tự CR đơn lẻ để xuống dòng")
    before = yamlio.load_strict(text)
    root = _compose(text)
    if not isinstance(before, dict) or not isinstance(root, MappingNode) or root.flow_style:
        raise CannotEdit("nội dung tệp không phải một nhóm trường viết dạng khối")
    _, status = _entry(root, "status")
    history_key, history = _entry(root, "history")
    if not isinstance(status, ScalarNode) or status.style not in (None, "", "'", '"'):
        raise CannotEdit("trường status không phải một giá trị đơn trên một dòng")
    if not isinstance(history, SequenceNode) or history.flow_style or not history.value:
        raise CannotEdit(
            "lịch sử (history) không viết dạng khối, mỗi mục bắt đầu bằng '- ' trên một dòng"
        )
    last = history.value[-1]
    if not isinstance(last, MappingNode) or last.flow_style:
        raise CannotEdit("mục cuối của lịch sử không phải một nhóm trường viết dạng khối")
    assert history_key is not None
    style = _Style.of(text, history_key.start_mark.column, history, last)
    at = _after_line(text, _last_leaf(last).end_mark.index)
    newline = "\r\n" if text[:at].endswith("\r\n") or (at == len(text) and "\r\n" in text) else "\n"
    block = newline.join(style.item(event))
    insertion = block + newline if at < len(text) or text.endswith("\n") else newline + block
    quote = status.style or ""
    edits = [
        (status.start_mark.index, status.end_mark.index, f"{quote}{state}{quote}"),
        (at, at, insertion),
    ]
    after = text
    for start, end, new in sorted(edits, reverse=True):
        after = after[:start] + new + after[end:]
    expected = copy.deepcopy(before)
    expected["history"].append(_plain(event))
    expected["status"] = state
    if yamlio.load_strict(after) != expected:
        raise CannotEdit("không thêm được bước mới mà vẫn giữ nguyên các dòng khác của tệp")
    return after


def _compose(text: str) -> Node | None:
    loader = yamllib._Loader(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise CannotEdit(f"tệp không đọc được: {exc}") from None
    finally:
        loader.dispose()


def _entry(mapping: MappingNode, key: str) -> tuple[Node | None, Node | None]:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None, None


def _last_leaf(node: Node) -> Node:
    """The node written last inside ``node`` (its last scalar, or an empty flow collection)."""
    while isinstance(node, MappingNode | SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one holding ``index`` (the end of the text if none);
    ``index`` itself when it already starts a line (a block scalar ends on a line break)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


class _Style:
    """How the file indents: where a history item's dash and keys stand, how far a nested
    mapping steps in, and where a nested list's dash stands under its key."""

    def __init__(self, dash: int, key: int, step: int, offset: int) -> None:
        self.dash, self.key, self.step, self.offset = dash, key, step, offset

    @classmethod
    def of(cls, text: str, column: int, history: SequenceNode, last: MappingNode) -> _Style:
        """The style of the file, read from the history (whose key stands at ``column``) and
        from its last item, which the new one follows."""
        key, dash = last.start_mark.column, _dash(text, last)
        if dash is None:
            raise CannotEdit("không nhận ra cách viết mục cuối của lịch sử ('- ' rồi tên trường)")
        step, offset = 2, dash - column
        for item in history.value:
            for key_node, value in item.value if isinstance(item, MappingNode) else ():
                if isinstance(value, ScalarNode) or value.flow_style or not value.value:
                    continue
                if isinstance(value, MappingNode):
                    step = value.start_mark.column - key_node.start_mark.column
                elif isinstance(value, SequenceNode):
                    inner = _dash(text, value.value[0])
                    if inner is not None:
                        offset = inner - key_node.start_mark.column
        return cls(dash, key, max(step, 1), max(offset, 0))

    def item(self, event: Mapping[str, Any]) -> list[str]:
        lines = self._mapping(event, self.key)
        lines[0] = " " * self.dash + "-" + " " * (self.key - self.dash - 1) + lines[0].lstrip(" ")
        return lines

    def _mapping(self, data: Mapping[str, Any], indent: int) -> list[str]:
        lines = []
        for key, value in data.items():
            head = " " * indent + str(key) + ":"
            if isinstance(value, Mapping) and value:
                lines += [head, *self._mapping(value, indent + self.step)]
            elif isinstance(value, list) and value:
                lines.append(head)
                for item in value:
                    lines += self._list_item(item, indent + self.offset)
            else:
                lines.append(f"{head} {_scalar(value)}")
        return lines

    def _list_item(self, item: Any, dash: int) -> list[str]:
        if isinstance(item, Mapping) and item:
            inner = self._mapping(item, dash + 2)
            return [" " * dash + "- " + inner[0].lstrip(" "), *inner[1:]]
        return [" " * dash + "- " + _scalar(item)]


def _dash(text: str, item: Node) -> int | None:
    """The column of the dash before a list item that starts on the dash's line, or None."""
    start = item.start_mark.index - item.start_mark.column
    before = text[start : item.start_mark.index]
    dash = len(before) - len(before.lstrip(" "))
    return dash if before.strip(" ") == "-" else None


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value)
    if isinstance(value, Mapping | list):
        return "{}" if isinstance(value, Mapping) else "[]"
    written = yaml.dump({"k": str(value)}, allow_unicode=True, width=1 << 20)
    if "\n" in written.rstrip("\n").removeprefix("k: "):
        written = yaml.dump({"k": str(value)}, allow_unicode=True, width=1 << 20, default_style='"')
        written = written.removeprefix('"k": ')
    return written.rstrip("\n").removeprefix("k: ")


def _plain(value: Any) -> Any:
    """The event as the loader reads it back: days as ISO strings."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
