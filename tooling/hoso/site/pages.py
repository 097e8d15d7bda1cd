"""Every generated page of the site for one audience, and its navigation: pure functions of the
records, the governance and (for auditors) the Git history."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hoso import clock, explain
from hoso.errors import HosoError
from hoso.freezer import paused
from hoso.site import audit, render, search
from hoso.site.cases import case_page
from hoso.site.data import Audience, SiteData, incomplete, load
from hoso.site.home import TILES, home, list_page
from hoso.site.nav import GUIDES, nav
from hoso.site.tree import case_path, unit_path
from hoso.site.units import unit_page

HOME = "site_src/docs/index.md"


@dataclass
class Site:
    data: SiteData
    pages: dict[str, str] = field(default_factory=dict)
    """Each generated file by its path in the docs folder: Markdown pages, JSON of the case
    index."""
    nav: list[Any] = field(default_factory=list)


def build(
    root: Path,
    audience: Audience = "staff",
    today: date | None = None,
    home_page: Path | None = None,
    allow_incomplete: bool = False,
) -> Site:
    """The site of the records in ``root``; ``home_page`` is the hand-written home page (by
    default the one in ``root``), under whose title the tiles go. Refused when a record file
    cannot be read, unless ``allow_incomplete`` (then the home page and the overview say how
    many were left out)."""
    with paused():
        return _build(root, audience, today, home_page, allow_incomplete)


def _build(
    root: Path, audience: Audience, today: date | None, home_page: Path | None, allow: bool
) -> Site:
    data = load(root, audience, today or clock.today())
    if data.unread and not allow:
        raise HosoError(incomplete(data.unread, "xây dựng trang", "--allow-incomplete"))
    site = Site(data)
    pages = site.pages
    g = data.governance
    home_page = home_page or root / HOME
    intro = home_page.read_text(encoding="utf-8") if home_page.is_file() else "# hoso\n"
    pages["index.md"] = home(data, intro)
    pages["tong-hop.md"] = render.dashboard(data)
    overrides = g.settings.rule_overrides if g.settings else {}
    pages["quy-trinh/quy-dinh.md"] = render.render_rules(overrides)
    pages["quy-trinh/xep-loai.md"] = explain.ranking_markdown(True, overrides)
    for kind, (slug, _) in GUIDES.items():
        diagram = f'<div class="hoso-so-do-khung">{explain.svg(kind)}</div>'
        pages[f"quy-trinh/{slug}.md"] = explain.markdown(kind, diagram, True, overrides)
    for code in g.units:
        pages[unit_path(g, code)] = unit_page(data, code)
    lists = []
    if audience != "staff":
        merges, unread = _merges(root)
        for rel, case in data.cases:
            lines = {sha: line for sha, (paths, line) in merges.items() if rel in paths}
            if unread:
                lines = {"": unread}
            pages[case_path(case.id)] = case_page(data, rel, case, lines)
        for tile in TILES:
            path = f"danh-sach/{tile.slug}.md"
            pages[path] = list_page(data, tile)
            lists.append((tile.title[0].upper() + tile.title[1:], path))
        pages.update(search.case_index(data))
    if audience == "audit":
        pages["kiem-toan.md"] = _audit_page(root)
    site.nav = nav(g, audience, lists)
    return site


def render_all(
    root: Path,
    audience: Audience = "staff",
    today: date | None = None,
    allow_incomplete: bool = False,
) -> tuple[SiteData, dict[str, str]]:
    """The site data and, for each site path, its content (refused as ``build`` refuses)."""
    site = build(root, audience, today, allow_incomplete=allow_incomplete)
    return site.data, site.pages


def _merges(root: Path) -> tuple[dict[str, tuple[set[str], str]], str | None]:
    """Each first-parent commit of main: the paths it changed and a line about its approvals;
    and, when git could not read the history, what to say on every case page instead (never
    nothing: a case would then look as if no merge, and no direct push, had ever touched it)."""
    if not (root / ".git").exists():
        return {}, None
    from hoso import labels
    from hoso.audit.walk import build as walk
    from hoso.git import GitError, Repo

    try:
        index = walk(Repo(root), _branch(root), complete=True)
    except GitError as exc:
        return {}, (
            "**Không đọc được lịch sử Git của kho, nên không biết hồ sơ này đã qua những hợp "
            f"nhất và phê duyệt nào:** {exc}"
        )
    out = {}
    for sha, step in index.steps.items():
        how = (
            f"hợp nhất `{sha[:10]}` ngày {labels.day(step.when[:10])}"
            + (f", yêu cầu #{step.merge_request}" if step.merge_request else "")
            if step.kind == "merge"
            else f"đẩy thẳng `{sha[:10]}` ngày {labels.day(step.when[:10])}"
        )
        approved = "; ".join(step.approvals) or "không có phê duyệt được tính"
        mark = "" if step.ok else " — **không đủ phê duyệt theo quy tắc lúc đó**"
        out[sha] = (set(step.paths), f"{how}: {approved}{mark}")
    return out, None


def _audit_page(root: Path) -> str:
    if not (root / ".git").exists():
        return "# Kiểm toán\n\nKho này không có lịch sử Git để kiểm toán.\n"
    from hoso.audit.run import audit as run_audit
    from hoso.git import GitError, Repo

    try:
        index, findings = run_audit(Repo(root), _branch(root))
    except GitError as exc:
        return f"# Kiểm toán\n\n**Không kiểm toán được lịch sử của kho:** {exc}\n"
    return audit.page(index, findings)


def _branch(root: Path) -> str:
    """The branch the audit pages describe: ``HOSO_BRANCH``, else ``main``, else the checkout
    (CI often checks out a detached commit)."""
    from hoso.git import Repo

    wanted = os.environ.get("HOSO_BRANCH", "main")
    found = Repo(root).branch(wanted)  # a branch: never a tag that has its name
    return wanted if found.startswith(("refs/heads/", "refs/remotes/")) else "HEAD"
