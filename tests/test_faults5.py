"""What a fifth fault-injection round found: git history the site could not read, and paths
the file system refuses (too long, not readable, not writable) said in Vietnamese."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample province whose history went through merge requests."""
    from hoso.sample.history import generate_history

    root = tmp_path_factory.mktemp("province") / "h"
    generate_history(root, 6, 3)
    return root


@pytest.mark.parametrize("audience", ["commission", "audit"])
def test_case_pages_say_the_git_history_could_not_be_read(
    province: Path, tmp_path: Path, audience: str
) -> None:
    """A shallow clone's history cannot be walked: a case page must say its merges and
    approvals are unknown, not show the case as if nothing had ever been merged (a direct push
    then vanishes from the commission's view without a word)."""
    from hoso.site.pages import render_all

    shown = _case_pages(render_all(province, audience)[1])
    assert any("## Phê duyệt trong lịch sử Git" in page for page in shown)
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{province}", str(clone)], check=True
    )
    cases = _case_pages(render_all(clone, audience)[1])
    assert cases
    for page in cases:
        assert "## Phê duyệt trong lịch sử Git" in page, page
        assert "Không đọc được lịch sử Git của kho" in page and "bản sao nông" in page, page


def _case_pages(pages: dict[str, str]) -> list[str]:
    return [page for rel, page in pages.items() if rel.startswith("ho-so/") and rel.endswith(".md")]
