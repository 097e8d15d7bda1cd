"""mkdocs hooks: only wiring. Pages and the navigation come from pure functions in
``hoso.site``; the audience comes from ``HOSO_AUDIENCE`` (``hoso site --audience`` sets it).
After the build the output is checked for values that must not be there (and for the marks
every page must carry), and the build fails if any check fails."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hoso.errors import HosoError
from hoso.site import pages, privacy, search
from hoso.site.data import AUDIENCES

ROOT = Path(os.environ.get("HOSO_RECORDS") or Path(__file__).resolve().parent.parent)
"""The records repository the site describes: ``HOSO_RECORDS`` (``hoso site --records``), else
the one this site's configuration lives in."""
_state: dict[str, pages.Site] = {}


def _audience() -> Any:
    audience = os.environ.get("HOSO_AUDIENCE", "staff")
    if audience not in AUDIENCES:
        raise PluginError(f"HOSO_AUDIENCE phải là một trong {', '.join(AUDIENCES)}: {audience!r}")
    return audience


def on_config(config: Any) -> Any:
    try:
        home = Path(config["docs_dir"]) / "index.md"
        allow = os.environ.get("HOSO_ALLOW_INCOMPLETE") == "1"
        site = _state["site"] = pages.build(
            ROOT, _audience(), home_page=home, allow_incomplete=allow
        )
    except HosoError as exc:
        raise PluginError(str(exc)) from None
    for rel, why in site.data.unread:  # only with --allow-incomplete; the pages say how many
        print(f"hoso: bỏ qua tệp không đọc được: {rel}: {why}", file=sys.stderr)
    config["nav"] = site.nav
    config["extra"]["hoso_audience"] = site.data.audience
    return config


def on_files(files: Files, config: Any) -> Files:
    for path, content in _state["site"].pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def on_post_build(config: Any) -> None:
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if index.is_file():
        index.write_text(search.compact(index.read_text(encoding="utf-8")), encoding="utf-8")
    found = privacy.check(Path(config["site_dir"]), _state["site"].data)
    if found:
        shown = "\n".join(found[:20])
        raise PluginError(f"trang sinh ra có {len(found)} chỗ vi phạm quy tắc công bố:\n{shown}")
