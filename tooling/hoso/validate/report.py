"""Reporters: the same result as text lines, JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json

from hoso.validate.findings import Finding, Result, one_line, quoted


def line(f: Finding) -> str:
    where = f"{quoted(f.file)}:{f.line}:{f.column}"
    prefix = "cảnh báo: " if f.severity == "warning" else ""
    said = f"{f.field}: {prefix}{f.message}" if f.field else f"{prefix}{f.message}"
    return f"{where}: {one_line(said)}"


def summary(result: Result, strict: bool = False) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    if not errors and not warnings:
        return f"Đã kiểm tra {result.checked} tệp hồ sơ: tất cả hợp lệ."
    verdict = "KHÔNG ĐẠT" if result.failed(strict) else "đạt"
    return f"Đã kiểm tra {result.checked} tệp hồ sơ: {errors} lỗi, {warnings} cảnh báo ({verdict})."


def text(result: Result, strict: bool = False) -> str:
    lines = [line(f) for f in result.sorted()]
    return "\n".join([*lines, summary(result, strict)]) + "\n"


def as_json(result: Result, strict: bool = False) -> str:
    payload = {
        "status": "fail" if result.failed(strict) else "ok",
        "checked": result.checked,
        "errors": [f.as_dict() for f in result.sorted()],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(result: Result) -> str:
    """Workflow commands that annotate the changed files in a pull request."""
    out = []
    for f in result.sorted():
        where = f"file={_escape(f.file, True)},line={f.line},col={f.column}"
        props = f"{where},title={_escape(f.rule, True)}"
        message = f"{f.field}: {f.message}" if f.field else f.message
        out.append(f"::{f.severity} {props}::{_escape(message)}")
    return "\n".join(out) + ("\n" if out else "")
