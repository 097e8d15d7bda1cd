"""The commission's case index for search, split into small files that the search worker
(``assets/hoso/tim-kiem.js``) fetches only when a word is typed: one file per first two letters
of a word (word → case numbers), and the cases' titles in blocks. No page downloads it on load,
so it can grow with the cases. The staff site has none: it names no one."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from html import escape

from hoso import labels
from hoso.site.data import SiteData
from hoso.site.tree import case_path

BLOCK = 200
"""Cases per file of titles."""
LIMIT = 20
"""The most cases one search shows."""
FOLDER = "tim-kiem"


def fold(text: str) -> str:
    """Lower case without diacritics, đ as d: as the search worker folds what is typed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;:!?()\[\]{}\"'/|.]+", fold(text)) if w]


def case_index(data: SiteData) -> dict[str, str]:
    """Each file of the case index, by its path in the site."""
    if data.audience == "staff":
        return {}
    shards: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    titles: list[list[str]] = []
    for number, (_, case) in enumerate(sorted(data.cases, key=lambda item: item[1].id)):
        who = data.who(case)
        tokens = {fold(case.id), case.id.rsplit("-", 1)[-1].lower(), *words(who)}
        for token in tokens:
            key = token[:2]
            if len(key) == 2 and re.fullmatch(r"[a-z0-9]{2}", key):
                shards[key][token].append(number)
        info = data.info(case)
        titles.append(
            [
                case_path(case.id).removesuffix(".md") + ".html",
                escape(f"{case.id}: {who}"),
                escape(
                    f"{labels.kind(case.kind)}; {labels.unit(data.governance, case.cell)}; "
                    f"{info.last_step} ({labels.day(info.last_day)})"
                ),
            ]
        )
    files = {
        f"{FOLDER}/{key}.json": _json({t: sorted(c) for t, c in sorted(tokens.items())})
        for key, tokens in sorted(shards.items())
    }
    for start in range(0, len(titles), BLOCK):
        files[f"{FOLDER}/ho-so-{start // BLOCK}.json"] = _json(titles[start : start + BLOCK])
    files[f"{FOLDER}/muc-luc.json"] = _json(
        {"block": BLOCK, "limit": LIMIT, "keys": sorted(shards), "cases": len(titles)}
    )
    return files


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def compact(theme_index: str) -> str:
    """The theme's search index written with letters as they are rather than as \\u escapes:
    the same data in about half the bytes for Vietnamese text, for every page that loads it."""
    return _json(json.loads(theme_index))
