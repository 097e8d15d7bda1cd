"""mkdocs hooks: only wiring. Pages come from pure functions in ``hoso.site``; the audience comes
from ``HOSO_AUDIENCE`` (``hoso site --audience`` sets it). After the build the output is checked
for values that must not be there, and the build fails if any is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hoso.errors import HosoError
from hoso.site import pages, privacy
from hoso.site.data import AUDIENCES, SiteData

ROOT = Path(os.environ.get("HOSO_RECORDS") or Path(__file__).resolve().parent.parent)
"""The records repository the site describes: ``HOSO_RECORDS`` (``hoso site --records``), else
the one this site's configuration lives in."""
_state: dict[str, SiteData] = {}


def _audience() -> Any:
    audience = os.environ.get("HOSO_AUDIENCE", "staff")
    if audience not in AUDIENCES:
        raise PluginError(f"HOSO_AUDIENCE phải là một trong {', '.join(AUDIENCES)}: {audience!r}")
    return audience


def on_files(files: Files, config: Any) -> Files:
    allow = os.environ.get("HOSO_ALLOW_INCOMPLETE") == "1"
    try:
        data, generated = pages.render_all(ROOT, _audience(), allow_incomplete=allow)
    except HosoError as exc:
        raise PluginError(str(exc)) from None
    _state["data"] = data
    for path, content in generated.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def on_post_build(config: Any) -> None:
    found = privacy.leaks(Path(config["site_dir"]), _state["data"])
    if found:
        shown = "\n".join(found[:20])
        raise PluginError(f"trang sinh ra chứa {len(found)} giá trị không được công bố:\n{shown}")
