"""The site's frame in Vietnamese: every word of mkdocs-material's own English has a Vietnamese
counterpart, none is left in the built pages, and a build says nothing in English."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import material
import pytest

from conftest import ROOT

THEME_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"
OURS = ROOT / "site_src" / "overrides" / "partials" / "languages" / "custom.html"
SETTINGS = {"direction", "search.config.pipeline", "search.config.separator", "language"}
"""Keys whose values configure the theme rather than speak to the reader."""


def _table(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*"([^"]+)": "((?:[^"\\]|\\.)*)",?$', text, re.M))


def _english() -> dict[str, str]:
    return {k: v for k, v in _table(THEME_LANGUAGES / "en.html").items() if k not in SETTINGS}


def test_every_theme_word_has_a_vietnamese_counterpart() -> None:
    vietnamese, ours = _table(THEME_LANGUAGES / "vi.html"), _table(OURS)
    left = {
        key: text
        for key, text in _english().items()
        if (ours.get(key) or vietnamese.get(key) or text) == text
    }
    assert not left, f"theme words still in English: {left}"


def test_mkdocs_yml_uses_our_language_and_permalink_title() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  language: custom\n" in config
    assert "permalink_title: Liên kết đến mục này" in config


@pytest.mark.parametrize("audience", ["staff"])
def test_a_build_is_quiet_and_its_pages_hold_no_theme_english(
    audience: str, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "hoso.cli.main", "site", "--audience", audience, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""
    assert done.stdout == f"Đã xây dựng trang cho cán bộ vào {out}.\n"
    english = [text for text in _english().values() if len(text) > 3]
    english += ["Initializing search", "Permanent link"]
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        found = [text for text in english if f">{text}<" in html or f'"{text}"' in html]
        found += [t for t in ("Initializing search", "Permanent link") if t in html]
        assert not found, (page.name, found)


@pytest.mark.parametrize("audience", ["staff", "commission"])
def test_pages_show_days_as_people_write_them_and_labels_not_codes(audience: str) -> None:
    from datetime import date

    from hoso.models import STATE_LABELS
    from hoso.site.pages import render_all

    _, pages = render_all(ROOT, audience, date(2026, 11, 26))
    iso = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
    for path, text in pages.items():
        if path.endswith(".md"):
            assert not iso.search(text), (path, iso.search(text))
    cases = [text for path, text in pages.items() if path.startswith("ho-so/")]
    assert bool(cases) == (audience != "staff")
    states = {code for labels in STATE_LABELS.values() for code in labels}
    for text in cases:
        assert not any(f"({state})" in text or f"`{state}`" in text for state in states), text
