"""The generated pages. Aggregates only: the staff site shows no personal data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hoso import explain, yamlio
from hoso.models import KIND_LABELS, RECORD_MODELS, STATE_LABELS
from hoso.repo import record_files
from hoso.rules.rulesets import RULE_SETS

GUIDE_SLUGS = {
    "admission": "ket-nap",
    "screening": "ra-soat",
    "discipline": "ky-luat",
    "transfer": "chuyen-sinh-hoat",
    "exemption": "mien-sinh-hoat",
}


def render_all(root: Path) -> dict[str, str]:
    """Site path to Markdown for every generated page."""
    counts = count_by_kind_and_status(root)
    pages = {"tong-hop.md": render_totals(counts), "quy-trinh/quy-dinh.md": render_rules()}
    for kind, slug in GUIDE_SLUGS.items():
        pages[f"quy-trinh/{slug}.md"] = explain.markdown(kind)
    return pages


def render_rules() -> str:
    """Every rule value, per rule set, with its source and whether a province may change it."""
    lines = [
        "# Các quy định về thời hạn, tỷ lệ và độ tuổi",
        "",
        "Công cụ kiểm tra hồ sơ theo bộ quy định có hiệu lực vào ngày của từng bước. "
        "Giá trị đánh dấu **cần kiểm tra** lấy từ nguồn thứ cấp; tỉnh có thể thay bằng "
        "`rule_overrides` trong `governance/settings.yaml`. Giá trị **chắc chắn** do văn "
        "bản quy định, không thay được.",
        "",
    ]
    for rule_set in RULE_SETS:
        lines += [
            f"## Từ ngày {rule_set.effective:%d/%m/%Y}",
            "",
            "Văn bản: " + "; ".join(rule_set.texts) + ".",
            "",
            "| Quy định | Giá trị | Căn cứ | Mức |",
            "|---|---|---|---|",
        ]
        for key, value in rule_set.values.items():
            level = "chắc chắn" if value.firmness == "firm" else "cần kiểm tra"
            lines.append(
                f"| {value.label} (`{key}`) | {value.describe()} | {value.source} | {level} |"
            )
        lines.append("")
    return "\n".join(lines)


def count_by_kind_and_status(root: Path) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for path in record_files(root):
        data = yamlio.load_bytes(path.read_bytes())
        if isinstance(data, dict) and data.get("kind") in RECORD_MODELS and "status" in data:
            counts[(str(data["kind"]), str(data["status"]))] += 1
    return counts


def render_totals(counts: Counter[tuple[str, str]]) -> str:
    lines = [
        "# Số liệu tổng hợp",
        "",
        "Số hồ sơ theo loại và trạng thái hiện tại (không có thông tin cá nhân).",
        "",
    ]
    for kind, label in KIND_LABELS.items():
        rows = sorted((status, n) for (k, status), n in counts.items() if k == kind)
        if not rows:
            continue
        labels = STATE_LABELS.get(kind, {})
        lines += [f"## {label}", "", "| Trạng thái | Số hồ sơ |", "|---|---:|"]
        lines += [f"| {labels.get(status, status)} | {n} |" for status, n in rows]
        lines += [f"| **Tổng** | **{sum(n for _, n in rows)}** |", ""]
    return "\n".join(lines) + "\n"
