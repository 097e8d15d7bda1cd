"""The audit's findings as text, Markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from .walk import AuditFinding, Index

SEVERITY = {"high": "nghiêm trọng", "medium": "cần xem", "low": "lưu ý"}


def _where(f: AuditFinding) -> str:
    mr = f" (yêu cầu hợp nhất #{f.merge_request})" if f.merge_request else ""
    path = f" {f.path}:" if f.path else ""
    return f"{f.commit[:10]}{mr}{path}"


def text(index: Index, findings: list[AuditFinding]) -> str:
    lines = [f"[{SEVERITY[f.severity]}] {_where(f)} {f.message}" for f in findings]
    lines.append(
        f"Đã kiểm toán {index.count} commit của nhánh {index.branch} "
        f"({index.merges} lần hợp nhất): {len(findings)} phát hiện."
    )
    return "\n".join(lines) + "\n"


def markdown(index: Index, findings: list[AuditFinding]) -> str:
    lines = [
        f"# Kiểm toán nhánh `{index.branch}`",
        "",
        f"Đỉnh `{index.tip[:10]}`, {index.count} commit trên nhánh chính, "
        f"{len(findings)} phát hiện.",
        "",
    ]
    if findings:
        lines += ["| Mức | Commit | Yêu cầu hợp nhất | Tệp | Phát hiện |", "|---|---|---|---|---|"]
        lines += [
            f"| {SEVERITY[f.severity]} | `{f.commit[:10]}` | {f.merge_request or '—'} | "
            f"{f.path or '—'} | {f.message.replace('|', '/')} |"
            for f in findings
        ]
    return "\n".join(lines) + "\n"


def as_json(index: Index, findings: list[AuditFinding]) -> str:
    payload = {
        "branch": index.branch,
        "tip": index.tip,
        "commits": index.count,
        "findings": [asdict(f) for f in findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def as_csv(index: Index, findings: list[AuditFinding]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["severity", "commit", "merge_request", "path", "rule", "message"])
    for f in findings:
        writer.writerow([f.severity, f.commit, f.merge_request, f.path, f.rule, f.message])
    return buffer.getvalue()
