"""The build checks its own output: no confidential value anywhere, and no personal value in
the staff site."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

from hoso.site.data import SiteData

_TEXT = (".html", ".json", ".xml", ".svg", ".txt", ".js", ".md")


def leaks(site_dir: Path, data: SiteData) -> list[str]:
    """``file: value`` for every forbidden value found in any generated file."""
    forbidden = set(data.confidential)
    if data.audience == "staff":
        forbidden |= data.personal
    if not forbidden:
        return []
    pattern = re.compile("|".join(re.escape(v) for v in sorted(forbidden, key=len, reverse=True)))
    found = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in _TEXT:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            # The search index escapes non-ASCII letters; read it as the browser will.
            with contextlib.suppress(ValueError):
                text = json.dumps(json.loads(text), ensure_ascii=False)
        found += [
            f"{path.relative_to(site_dir)}: {value!r}"
            for value in sorted(set(pattern.findall(text)))
        ]
    return found
