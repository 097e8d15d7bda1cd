"""The generated pages. Aggregates only: the staff site shows no personal data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hoso import yamlio
from hoso.models import KIND_LABELS, RECORD_MODELS, STATE_LABELS
from hoso.repo import record_files


def render_all(root: Path) -> dict[str, str]:
    """Site path to Markdown for every generated page."""
    counts = count_by_kind_and_status(root)
    return {"tong-hop.md": render_totals(counts)}


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
