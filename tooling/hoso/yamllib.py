"""libyaml's side of the YAML loading policy (see ``yamlio``): the authority on every text the
quick reader declines, the placing of findings, and the dumping of generated data.

Imported only when one of those is needed: PyYAML costs a command's start-up a fifth of what
validating one file does, and the quick reader reads every file hoso writes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.cyaml import CParser  # type: ignore[attr-defined]
from yaml.cyaml import CSafeDumper as CDumper
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from hoso import yamlfast
from hoso.yamlio import YamlProblem, unprintable


class _Refused(yaml.MarkedYAMLError):
    """A construct the loading policy refuses (duplicate key, alias, tag)."""

    def __init__(self, rule: str, message: str, node: Node) -> None:
        super().__init__(problem=message, problem_mark=node.start_mark)
        self.rule = rule


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + n for n in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_PLAIN = "\x00plain"
"""An untagged plain scalar, resolved by ``yamlfast.plain``; no written tag can spell it."""


class _Loader(CParser):
    """libyaml's parser and composer, with a resolver and a builder of our own.

    The builder turns nodes straight into dicts, lists and scalars: it refuses duplicate keys,
    non-scalar keys, aliases (a node met twice) and any tag beyond plain data, and costs a
    fraction of PyYAML's general-purpose constructor.
    """

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)

    def descend_resolver(self, *_: Any) -> None:
        """No path-dependent tags here; the composer calls this for every node."""

    def ascend_resolver(self) -> None:
        """See ``descend_resolver``."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        return None if node is None else _build(node, set())


def _build(node: Node, seen: set[int], depth: int = 1) -> Any:
    if id(node) in seen:
        raise _Refused("yaml.alias", "không chấp nhận bí danh YAML (anchor/alias *)", node)
    seen.add(id(node))
    tag = node.tag
    if isinstance(node, ScalarNode):
        return _scalar(node, tag)
    if depth > yamlfast.MAX_DEPTH:
        raise _Refused(
            "yaml.depth",
            f"các nhóm trường lồng nhau quá sâu (quá {yamlfast.MAX_DEPTH} cấp)",
            node,
        )
    if isinstance(node, SequenceNode) and tag == _SEQ:
        return [_build(item, seen, depth + 1) for item in node.value]
    if isinstance(node, MappingNode) and tag == _MAP:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused("yaml.key", "khóa phải là một giá trị đơn", key_node)
            key = _build(key_node, seen)
            if _is_nan(key) and any(_is_nan(k) for k in out):
                # A second .nan: equals no key, not even the first, and no finding could tell
                # the two apart: this one is said here, at its own line.
                raise _Refused("yaml.key", _not_a_field_name(key_node.value), key_node)
            if key in out and type(next(k for k in out if k == key)) is not type(key):
                # 1: and true: are equal keys to Python, different ones to YAML: neither is
                # a field name, and the second would silently replace the first.
                raise _Refused("yaml.key", _not_a_field_name(key_node.value), key_node)
            if key in out:
                raise _Refused(
                    "yaml.duplicate_key", f"khóa {key_node.value!r} bị lặp lại", key_node
                )
            out[key] = _build(value_node, seen, depth + 1)
        return out
    raise _Refused("yaml.tag", f"không chấp nhận thẻ YAML {tag!r}", node)


def _scalar(node: ScalarNode, tag: str) -> Any:
    value: str = node.value
    try:
        if tag == _PLAIN:
            return yamlfast.plain(value)
        if tag == _STR:
            return value
        if tag == _INT:
            return yamlfast.integer(value)
        if tag == _NULL:
            return None
        if tag == _BOOL and value in yamlfast.BOOLS:
            return yamlfast.BOOLS[value]
        if tag == _FLOAT:
            return float(yamlfast.SPECIAL_FLOATS.get(value, value))
    except yamlfast.NumberTooLong:
        digits = len(value.lstrip("+-"))
        message = f"số quá dài: {digits:,} chữ số, tối đa {yamlfast.MAX_DIGITS:,}"
        raise _Refused("yaml.number", message, node) from None
    except ValueError:
        raise _Refused("yaml.number", f"không phải số hợp lệ cho thẻ {tag!r}", node) from None
    raise _Refused("yaml.tag", f"không chấp nhận thẻ YAML {tag!r}", node)


def load(text: str) -> Any | YamlProblem:
    """``yamlio.load_strict``."""
    if problem := unprintable(text):
        return problem
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return _problem_from(exc, text)
    except yaml.YAMLError as exc:
        return YamlProblem("yaml.syntax", f"YAML không hợp lệ: {exc}")
    except RecursionError:
        return YamlProblem("yaml.depth", _TOO_DEEP)
    except (ValueError, OverflowError):
        return YamlProblem("yaml.syntax", "YAML không đọc được: có giá trị không chuyển đổi được")
    finally:
        loader.dispose()


_TOO_DEEP = (
    "các nhóm và danh sách lồng nhau quá sâu: một hồ sơ chỉ cần vài cấp; tệp "
    "có thể bị hỏng hoặc cố ý làm hỏng"
)

_LIBYAML_MESSAGES = {
    "mapping values are not allowed": "không được đặt dấu ':' ở đây: thường do thụt lề sai "
    "(các trường cùng cấp phải thẳng cột), hoặc một giá trị có dấu ':' chưa đặt trong dấu "
    "ngoặc kép",
    "found character that cannot start any token": "ký tự không được phép ở đầu một giá trị",
    "could not find expected ':'": "thiếu dấu ':' sau tên trường",
    "did not find expected key": "thụt lề sai: không tìm thấy tên trường ở vị trí mong đợi",
    "did not find expected node content": "thiếu giá trị (có thể thiếu dấu đóng ngoặc)",
    "found unexpected end of stream": "tệp kết thúc đột ngột (thiếu dấu đóng ngoặc hoặc nháy)",
    "found undefined alias": "không chấp nhận bí danh YAML (anchor/alias *)",
    "did not find expected '-' indicator": "thụt lề sai trong danh sách",
    "did not find expected ',' or ']'": "thiếu dấu ',' hoặc ']' (ngoặc vuông chưa đóng?)",
    "did not find expected ',' or '}'": "thiếu dấu ',' hoặc '}' (ngoặc nhọn chưa đóng?)",
    "found duplicate anchor": "không chấp nhận bí danh YAML (anchor/alias *)",
    "found a tab character that violates indentation": "ký tự tab dùng để thụt lề; YAML chỉ cho "
    "phép dấu cách",
}

_ALIAS = re.compile(r"(?<![\w'\"])\*[^\s,\[\]{}]+")


def _problem_from(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, _Refused):
        if exc.rule == "yaml.alias" and (match := _ALIAS.search(text)):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        return YamlProblem(exc.rule, str(exc.problem), line, column)
    problem = exc.problem or "lỗi cú pháp"
    lines = text.splitlines()
    if mark and mark.line < len(lines) and lines[mark.line][: mark.column + 1].strip(" ") == "\t":
        problem = "found a tab character that violates indentation"
    if problem.startswith("found a tab") or (
        mark and mark.line < len(lines) and lines[mark.line].lstrip(" ").startswith("\t")
    ):
        return YamlProblem(
            "yaml.tab",
            _LIBYAML_MESSAGES["found a tab character that violates indentation"],
            line,
            column,
        )
    if "found undefined alias" in problem or "duplicate anchor" in str(exc):
        return YamlProblem("yaml.alias", _LIBYAML_MESSAGES["found undefined alias"], line, column)
    if problem.startswith("exceeded maximum nesting depth"):
        return YamlProblem("yaml.depth", _TOO_DEEP, line, column)
    if "but found another document" in problem or "expected a single document" in problem:
        return YamlProblem("yaml.documents", "tệp chỉ được chứa một tài liệu YAML", line, column)
    context = str(exc.context or "")
    if "quoted scalar" in context and exc.context_mark is not None:
        # An unclosed quote: the scanner stops at the end of the file, the quote is where the
        # clerk must look.
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
        return YamlProblem(
            "yaml.syntax",
            "YAML không hợp lệ: dấu nháy mở ở đây chưa được đóng (thiếu dấu nháy cuối giá trị)",
            line,
            column,
        )
    said = next((vi for en, vi in _LIBYAML_MESSAGES.items() if problem.startswith(en)), None)
    # libyaml's English stays only where there are no Vietnamese words for it yet.
    message = f"YAML không hợp lệ: {said}" if said else f"YAML không hợp lệ ({problem})"
    return YamlProblem("yaml.syntax", message, line, column)


class Placer:
    """``yamlio.Locator``'s work. The text's nodes are composed once, on the first question,
    and each mapping's keys are indexed once, on the first question that passes through it:
    placing every finding of a file costs one parse however many findings there are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._root: Node | None = None
        self._composed = False
        self._keys: dict[int, dict[str, tuple[Node, Node]]] = {}

    def __call__(self, path: Sequence[Any], key: bool = False) -> tuple[int, int]:
        node = self._compose()
        if node is None:
            return 1, 1
        mark = node.start_mark
        for step in path:
            child = self._child(node, step)
            if child is None:
                break
            key_node, node = child
            at_key = key or not isinstance(node, ScalarNode)
            mark = key_node.start_mark if at_key and key_node else node.start_mark
        return mark.line + 1, mark.column + 1

    def value_text(self, path: Sequence[Any]) -> str | None:
        """The scalar at ``path`` as the file writes it (``01112222``), or None."""
        node = self._compose()
        for step in path:
            child = None if node is None else self._child(node, step)
            if child is None:
                return None
            node = child[1]
        return node.value if isinstance(node, ScalarNode) else None

    def key_text(self, path: Sequence[Any]) -> str | None:
        """The key at ``path`` as the file writes it (``010``, ``~``), or None."""
        node = self._compose()
        key_node = None
        for step in path:
            child = None if node is None else self._child(node, step)
            if child is None:
                return None
            key_node, node = child
        return key_node.value if isinstance(key_node, ScalarNode) else None

    def _compose(self) -> Node | None:
        if not self._composed:
            self._composed = True
            loader = _Loader(self.text)
            try:
                self._root = loader.get_single_node()
            except (yaml.YAMLError, RecursionError, ValueError):
                self._root = None
            finally:
                loader.dispose()
        return self._root

    def _child(self, node: Node, step: Any) -> tuple[Node | None, Node] | None:
        if isinstance(node, MappingNode):
            if not isinstance(step, str):  # a key that is not text (1:, ~:, true:) by value
                return self._typed_keys(node).get(_typed(step))
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
            return keys.get(step)
        if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return None, node.value[step]
        return None

    def _typed_keys(self, node: MappingNode) -> dict[tuple[type, Any], tuple[Node, Node]]:
        out: dict[tuple[type, Any], tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                try:
                    value = _scalar(key_node, key_node.tag)
                except (_Refused, ValueError, OverflowError):
                    continue
                with contextlib.suppress(TypeError):  # an unhashable value is no key
                    out.setdefault(_typed(value), (key_node, value_node))
        return out


def _is_nan(key: Any) -> bool:
    return isinstance(key, float) and key != key


def _typed(key: Any) -> tuple[type, Any]:
    """A key by type and value; NaN (.nan:), which equals nothing, by its name."""
    return (float, "nan") if _is_nan(key) else (type(key), key)


def _not_a_field_name(written: str) -> str:
    from hoso.validate.messages import not_a_field_name

    return not_a_field_name(written)


def dump(data: Any) -> str:
    """``yamlio.dump_plain``."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


class _Dumper(CDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True
