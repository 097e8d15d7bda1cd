"""Heading anchors that keep Vietnamese readable: "Sơ đồ trạng thái" → "so-do-trang-thai"
(Python-Markdown's own slugify drops "đ", giving "so-o-trang-thai"). mkdocs.yml names this
function as the table of contents' ``slugify``."""

from __future__ import annotations

import re
import unicodedata


def slugify(value: str, separator: str) -> str:
    plain = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r"[^\w\s-]", "", plain, flags=re.ASCII).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, plain)
