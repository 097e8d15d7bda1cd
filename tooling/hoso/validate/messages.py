"""pydantic's validation errors, said in Vietnamese with the rule and the bad value."""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import ErrorDetails

from hoso.models.common import LINES_PATTERN, ONE_LINE_PATTERN


def _refused(pattern: str) -> re.Pattern[str]:
    """One character a ``^[^…]+$`` pattern refuses."""
    return re.compile(pattern.replace("[^", "[", 1).removeprefix("^").removesuffix("+$"))


_HIDDEN = {ONE_LINE_PATTERN: _refused(ONE_LINE_PATTERN), LINES_PATTERN: _refused(LINES_PATTERN)}

_TYPE_NAMES = {
    "string_type": "một chuỗi văn bản (đặt trong dấu ngoặc kép nếu là số)",
    "int_type": "một số nguyên",
    "int_parsing": "một số nguyên",
    "bool_type": "true hoặc false",
    "float_type": "một số",
    "list_type": "một danh sách (các dòng bắt đầu bằng dấu -)",
    "dict_type": "một nhóm trường (khóa: giá trị)",
    "model_type": "một nhóm trường (khóa: giá trị)",
    "model_attributes_type": "một nhóm trường (khóa: giá trị)",
}


def show(value: Any) -> str:
    if value is None:
        return "giá trị trống (chưa ghi gì sau dấu ':')"
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML writes it, not Python's True
    text = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, dict | list):
        text = "một nhóm trường" if isinstance(value, dict) else "một danh sách"
    return text if len(text) <= 80 else text[:77] + "..."


def not_a_field_name(written: str) -> str:
    """The message for a key that is a number, true or null rather than a name."""
    written = written.strip() or "trống"
    return (
        f"khóa {written} không phải tên trường (tên trường là chữ, như unit, name hay date); "
        "có thể dòng này thiếu tên trường hoặc thụt lề sai"
    )


def _hidden(pattern: str, value: str, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Text holding a character its field refuses: a line break in a one-line field, a control
    character or a hidden mark anywhere."""
    bad = next((c for c in value if _HIDDEN[pattern].fullmatch(c)), "?")
    found = f"có ký tự U+{ord(bad):04X}"
    if pattern == LINES_PATTERN:
        return "schema.text_characters", (
            f"văn bản chỉ được xuống dòng, không chứa ký tự điều khiển hay ký tự ẩn; {found}"
        )
    if next((p for p in reversed(loc) if isinstance(p, str)), "") == "name":
        return "schema.name_characters", (
            f"tên chỉ được viết trên một dòng, không chứa ký tự điều khiển hay ký tự ẩn; {found}"
        )
    return "schema.line_characters", (
        f"giá trị chỉ được viết trên một dòng, không chứa ký tự điều khiển hay ký tự ẩn; {found}"
    )


def translate(error: ErrorDetails) -> tuple[str, str]:
    """The rule id and the Vietnamese message for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    rule = f"schema.{kind}"
    if kind == "missing":
        return rule, "thiếu trường bắt buộc"
    if kind == "invalid_key":
        return rule, not_a_field_name(show(value))
    if kind == "extra_forbidden":
        return rule, "trường này không có trong mẫu hồ sơ (kiểm tra chính tả tên trường)"
    if kind in _TYPE_NAMES:
        return rule, f"phải là {_TYPE_NAMES[kind]}; nhận được {show(value)}"
    if kind == "literal_error":
        field = next((p for p in reversed(error["loc"]) if isinstance(p, str)), "")
        return rule, _one_of(str(ctx.get("expected", "")), value, field)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in _HIDDEN:
        return _hidden(str(ctx["pattern"]), str(value), error["loc"])
    if kind == "string_pattern_mismatch":
        return rule, f"{pattern_in_words(str(ctx.get('pattern')))}; nhận được {show(value)}"
    if kind == "string_too_short":
        return rule, f"cần ít nhất {ctx.get('min_length')} ký tự; nhận được {show(value)}"
    if kind == "string_too_long":
        return rule, f"dài quá {ctx.get('max_length')} ký tự"
    if kind == "too_short":
        return rule, f"cần ít nhất {ctx.get('min_length')} phần tử"
    if kind == "too_long":
        return rule, f"nhiều quá {ctx.get('max_length')} phần tử"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {
            "greater_than_equal": "≥",
            "greater_than": ">",
            "less_than_equal": "≤",
            "less_than": "<",
        }[kind]
        limit = next(iter(ctx.values()), "?")
        return rule, f"phải {sign} {limit}; nhận được {show(value)}"
    if kind in (
        "date_impossible",
        "date_format",
        "date_range",
        "name_characters",
        "pattern_invalid",
    ):
        return f"schema.{kind}", error["msg"]
    return rule, f"giá trị không hợp lệ ({kind}): {show(value)}"


def clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop pydantic's internal markers (union branches, validator names) from a location."""
    return tuple(
        part
        for part in loc
        if isinstance(part, int) or ("[" not in part and not part.startswith("constrained-"))
    )


def _one_of(expected: str, value: Any, field: str) -> str:
    """The codes a field takes, each with the words people use for it (from the field's own
    vocabulary), and the code meant when the file holds those words ("nữ" for ``female``)."""
    from hoso import labels

    codes = re.findall(r"'([^']*)'", expected)
    fits = {n: v for n, v in labels.VOCABULARIES.items() if set(codes) <= set(v.labels)}
    vocabulary = fits.get(field) or (next(iter(fits.values())) if len(fits) == 1 else None)
    named = {c: vocabulary.labels[c] for c in codes} if vocabulary is not None else {}
    if not named:  # a step's state: the labels of the kind whose states these are
        from hoso.models import STATE_LABELS

        states = next((v for v in STATE_LABELS.values() if codes and set(codes) <= set(v)), {})
        named = {c: states[c] for c in codes if c in states}
    choices = ", ".join(f"{c} ({named[c]})" if c in named else c for c in codes)
    # A code of another list (a person's discipline form on an organisation) said in words.
    lists = [labels.VOCABULARIES[field]] if field in labels.VOCABULARIES else []
    lists += labels.VOCABULARIES.values()
    other = (
        next((v.labels[value] for v in lists if value in v.labels), None)
        if isinstance(value, str) and value not in codes
        else None
    )
    got = f"{other} ({value})" if other else show(value)
    message = f"giá trị phải là một trong: {choices}; nhận được {got}"
    meant = labels.lookup(named, value) if isinstance(value, str) and named else None
    if meant is not None and meant != value:
        message += f"; hãy ghi {meant}"
    return message


_PATTERNS = {
    r"^[a-z0-9]+(?:[-._][a-z0-9]+)*$": "mã chỉ gồm chữ thường không dấu và chữ số, nối bằng "
    "dấu - . hoặc _ (ví dụ khe-lam-x03-cb1 hay khe-lam.standing)",
    r"^(KN|RS|KL|CS|MS|TC|XL|KH)-[0-9]{4}-[0-9a-z]{6}$": "mã hồ sơ có dạng KN-2026-abc123 (hai "
    "chữ cái loại, năm, sáu chữ thường hoặc chữ số)",
    r"^[a-z0-9-]+$": "mã chỉ gồm chữ thường không dấu, chữ số và dấu -",
}


def pattern_in_words(pattern: str) -> str:
    """What a pattern asks for, said as a clerk would check it; the pattern itself only when
    there are no words for it (a setting someone wrote)."""
    if pattern in _PATTERNS:
        return f"không đúng định dạng: {_PATTERNS[pattern]}"
    digits = re.fullmatch(r"\^\[0-9\]\{(\d+)\}\$|\^\\d\{(\d+)\}\$", pattern)
    if digits:
        return f"không đúng định dạng: cần đúng {digits[1] or digits[2]} chữ số"
    return f"không đúng định dạng (mẫu {pattern})"
