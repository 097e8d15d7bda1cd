"""The audit's findings as text, Markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from hoso.reports.render import BOM
from hoso.validate.findings import one_line, quoted

from .index import AuditFinding, Index

SEVERITY = {"high": "nghiêm trọng", "medium": "cần xem", "low": "lưu ý"}

KINDS = {
    "history.direct_push": "Đẩy thẳng lên nhánh chính, không qua yêu cầu hợp nhất",
    "history.unsigned_merge": "Hợp nhất không có chữ ký của nền tảng",
    "history.approvals": "Hợp nhất thiếu phê duyệt theo quy tắc lúc đó",
    "history.rejection_carried": "Hợp nhất đưa yêu cầu sửa chưa được trả lời ra khỏi tầm của cổng",
    "history.tainted_governance": "Xét theo quy tắc hoặc thành viên chưa được phê duyệt",
    "history.unverifiable_trailers": "Phê duyệt ghi trong commit không kiểm chứng được",
    "history.date_backwards": "Ngày commit chạy lùi",
    "history.date_future": "Ngày commit ở tương lai",
    "history.rewritten": "Lịch sử bị viết lại",
    "history.first_parent_changed": "Dòng cha thứ nhất của nhánh bị đổi",
    "checkpoint.rewritten": "Lịch sử trước mốc kiểm toán bị viết lại",
    "checkpoint.signature": "Chữ ký mốc kiểm toán không đúng",
    "checkpoint.signer": "Người ký mốc kiểm toán không có thẩm quyền",
    "checkpoint.unsigned": "Mốc kiểm toán không có chữ ký",
    "checkpoint.missing": "Mốc kiểm toán đã thấy nay không còn",
    "audit.index_unverified": "Chỉ mục kiểm toán đã lưu không xác minh được",
    "history.root_unexpected": "Lịch sử không bắt đầu từ commit đã biết",
}
OTHER = "Hồ sơ trái quy định tại thời điểm hợp nhất"


def kind_of(finding: AuditFinding) -> str:
    return KINDS.get(finding.rule, OTHER)


LIMITS = [
    "Ai thực sự gõ một commit: tên và email tác giả trong commit do người làm commit tự ghi; "
    "chỉ chữ ký (khóa trong governance/committees.yaml) chứng minh được một người.",
    "Ngày thật của một việc: ngày trong commit do người làm commit tự ghi; kiểm toán xếp theo "
    "thứ tự trên nhánh chính và báo ngày bị ghi lùi, nhưng không biết ngày thật.",
    "Phê duyệt trên nền tảng (review GitHub, approval GitLab) chỉ được biết khi nền tảng ghi "
    "vào commit hợp nhất có chữ ký của nó; không có khóa ký của nền tảng trong "
    "governance/settings.yaml thì các dòng đó chỉ là lời khai. Người bấm hợp nhất sửa được lời "
    "commit trước khi nền tảng ký: chữ ký chứng minh việc hợp nhất làm trên nền tảng, còn các "
    "dòng phê duyệt là lời của người hợp nhất, đã được cổng bắt buộc đối chiếu lúc hợp nhất.",
    "Các thiết lập của nền tảng lúc hợp nhất (nhánh được bảo vệ, kiểm tra bắt buộc, ai có quyền "
    "đẩy): kho không lưu chúng.",
    "Những commit đã bị đẩy lên rồi xóa (force-push) trước khi hợp nhất, và mọi thứ trước mốc "
    "kiểm toán đã ký cuối cùng nếu lịch sử bị viết lại trên mọi bản sao.",
    "Nội dung hồ sơ có đúng với văn bản giấy (nghị quyết, quyết định) hay không.",
]
"""What a clone cannot prove, said in every report."""


def anchors(index: Index) -> list[str]:
    """What this audit took on the history's own word, for the auditor to compare with a copy
    kept elsewhere: the first commit (every rule and key comes from it and what followed) and
    the forge's keys in force at the tip."""
    from hoso.signatures import fingerprint, key_blob, openpgp_fingerprint
    from hoso.validate.governance_files import load_governance_bytes

    lines = [f"Gốc lịch sử (commit đầu tiên trên nhánh chính): {index.root or 'không đọc được'}"]
    settings = load_governance_bytes(index.trusted)[0].settings if index.trusted else None
    for key in settings.forge_keys if settings else []:
        if key.format == "ssh":
            try:
                printed: str | None = fingerprint(key_blob(key.key))
            except ValueError:
                printed = None
        else:
            printed = openpgp_fingerprint(key.key)
        lines.append(
            f"Khóa ký của nền tảng {key.forge} ({key.format}): {printed or 'không đọc được'}"
        )
    if settings is not None and not settings.forge_keys:
        lines.append("Khóa ký của nền tảng: chưa khai báo")
    return lines


ANCHOR_NOTE = (
    "Kiểm toán tin những điều trên theo chính kho này: hãy đối chiếu với bản giữ ở nơi khác "
    "(báo cáo lần trước, khóa nền tảng công bố); lần sau dùng --expect-root với mã commit gốc."
)


def _where(f: AuditFinding) -> str:
    mr = f" (yêu cầu hợp nhất #{f.merge_request})" if f.merge_request else ""
    path = f" {quoted(f.path)}:" if f.path else ""
    return f"{f.commit[:10]}{mr}{path}"


def text(index: Index, findings: list[AuditFinding]) -> str:
    lines = [
        " ".join(part for part in (f"[{SEVERITY[f.severity]}]", _where(f).strip()) if part)
        + f" {one_line(f.message)}"
        for f in findings
    ]
    lines.append(
        f"Đã kiểm toán {index.count} commit của nhánh {index.branch} "
        f"({index.merges} lần hợp nhất): {len(findings)} phát hiện."
    )
    lines += [*anchors(index), ANCHOR_NOTE]
    lines.append(
        "Kiểm toán không biết được: ai thực sự gõ một commit không ký, ngày thật của một việc, "
        "thiết lập của nền tảng lúc hợp nhất, nội dung có khớp văn bản giấy (xem --format "
        "markdown)."
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
            f"{_cell(quoted(f.path)) if f.path else '—'} | {_cell(one_line(f.message))} |"
            for f in findings
        ]
    lines += ["", "## Gốc của lịch sử", ""]
    lines += [f"- {line}" for line in anchors(index)]
    lines += ["", ANCHOR_NOTE]
    lines += ["", "## Những điều kiểm toán không biết được", ""]
    lines += [f"- {limit}" for limit in LIMITS]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """``text`` in a Markdown table cell: its pipes escaped (a file named "a | b |" would
    otherwise end the cell, push the finding out of its column, and put its own words there),
    and its backslashes, so that none of them escapes a pipe."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def as_json(index: Index, findings: list[AuditFinding]) -> str:
    payload = {
        "branch": index.branch,
        "tip": index.tip,
        "commits": index.count,
        "root": index.root,
        "anchors": anchors(index),
        "findings": [asdict(f) for f in findings],
        "limits": LIMITS,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


CSV_HEAD = ["Mức", "Loại phát hiện", "Commit", "Yêu cầu hợp nhất", "Tệp", "Nội dung", "Mã quy tắc"]


def as_csv(index: Index, findings: list[AuditFinding]) -> str:
    """One row per finding, for a spreadsheet (Excel reads the mark at the start as UTF-8);
    the rule's code comes last, for filtering."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEAD)
    for f in findings:
        mr = f.merge_request or ""
        row = [SEVERITY[f.severity], kind_of(f), f.commit, mr, f.path, f.message, f.rule]
        writer.writerow([_text(value) for value in row])
    return BOM + buffer.getvalue()


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would run as a formula starts."""


def _text(value: str) -> str:
    """A CSV cell a spreadsheet shows as the text it is: a file name (or a message) that
    starts as a formula does (``=HYPERLINK(…)`` would show other words, or run what it
    likes) starts with an apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA) else value
