"""Every generated page of the site, for one audience."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hoso import explain
from hoso.errors import HosoError
from hoso.rules.rulesets import RULE_SETS
from hoso.site import charts, render
from hoso.site.data import Audience, SiteData, incomplete, load

GUIDE_SLUGS = {
    "admission": "ket-nap",
    "screening": "ra-soat",
    "discipline": "ky-luat",
    "transfer": "chuyen-sinh-hoat",
    "exemption": "mien-sinh-hoat",
    "org_discipline": "ky-luat-to-chuc",
}


def render_all(
    root: Path,
    audience: Audience = "staff",
    today: date | None = None,
    allow_incomplete: bool = False,
) -> tuple[SiteData, dict[str, str]]:
    """The site data and, for each site path, its content (Markdown or SVG). Refused when a
    record file cannot be read, unless ``allow_incomplete`` (then the overview says how many
    were left out)."""
    data = load(root, audience, today or date.today())
    if data.unread and not allow_incomplete:
        raise HosoError(incomplete(data.unread, "xây dựng trang", "--allow-incomplete"))
    pages = {
        "tong-hop.md": render.dashboard(data),
        "bieu-do/trang-thai-theo-don-vi.svg": charts.status_by_unit(data),
        "bieu-do/ket-nap-theo-nua-nam.svg": charts.flows_by_half_year(data),
        "quy-trinh/quy-dinh.md": render_rules(),
        "quy-trinh/xep-loai.md": explain.ranking_markdown(),
    }
    for kind, slug in GUIDE_SLUGS.items():
        pages[f"quy-trinh/{slug}.md"] = explain.markdown(kind)
        pages[f"quy-trinh/{kind}.svg"] = explain.svg(kind)
    for code in data.governance.units:
        pages[f"don-vi/{code}.md"] = render.unit_page(data, code)
    if audience != "staff":
        merges = _merges(root)
        for rel, case in data.cases:
            lines = {sha: line for sha, (paths, line) in merges.items() if rel in paths}
            pages[f"ho-so/{case.id}.md"] = render.case_page(data, rel, case, lines)
    if audience == "audit":
        pages["kiem-toan.md"] = _audit_page(root)
    return data, pages


def _merges(root: Path) -> dict[str, tuple[set[str], str]]:
    """Each first-parent commit of main: the paths it changed and a line about its approvals."""
    if not (root / ".git").exists():
        return {}
    from hoso.audit.walk import build
    from hoso.git import GitError, Repo

    try:
        index = build(Repo(root), _branch(root), complete=True)
    except GitError:
        return {}  # the audit page says why; case pages then show no merges
    out = {}
    for sha, step in index.steps.items():
        how = (
            f"hợp nhất `{sha[:10]}` ngày {_day(step.when)}"
            + (f", yêu cầu #{step.merge_request}" if step.merge_request else "")
            if step.kind == "merge"
            else f"đẩy thẳng `{sha[:10]}` ngày {_day(step.when)}"
        )
        approved = "; ".join(step.approvals) or "không có phê duyệt được tính"
        mark = "" if step.ok else " — **không đủ phê duyệt theo quy tắc lúc đó**"
        out[sha] = (set(step.paths), f"{how}: {approved}{mark}")
    return out


def _day(iso: str) -> str:
    from datetime import date

    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _audit_page(root: Path) -> str:
    lines = ["# Kiểm toán", ""]
    if not (root / ".git").exists():
        return "\n".join([*lines, "Kho này không có lịch sử Git để kiểm toán.", ""])
    from hoso.audit import report
    from hoso.audit.run import audit
    from hoso.git import GitError, Repo

    try:
        index, findings = audit(Repo(root), _branch(root))
    except GitError as exc:
        return "\n".join([*lines, f"**Không kiểm toán được lịch sử của kho:** {exc}", ""])
    return report.markdown(index, findings)


def _branch(root: Path) -> str:
    """The branch the audit pages describe: ``HOSO_BRANCH``, else ``main``, else the checkout
    (CI often checks out a detached commit)."""
    import os

    from hoso.git import Repo

    wanted = os.environ.get("HOSO_BRANCH", "main")
    return wanted if Repo(root).succeeds("rev-parse", "--verify", "--quiet", wanted) else "HEAD"


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
