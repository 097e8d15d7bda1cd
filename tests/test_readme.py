"""The README runs: the clerk's walkthrough and the everyday commands, executed as written
(dates included) in a temporary clone whose ``origin`` is a bare repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MARK = "<!-- tests/test_readme.py runs the next block as written -->"
INSTALL = "pip install -e ."
"""The walkthrough's first line: hoso is installed already where the tests run (from this very
checkout), so that one line is the only one not run."""


def _blocks() -> list[str]:
    """Each ``sh`` block the README marks, and the everyday block after the walkthrough."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for part in readme.split(MARK)[1:]:
        match = re.search(r"```sh\n(.*?)```", part, re.S)
        assert match, "a marked block must be a ```sh block"
        found.append(_dedent(match[1]))
    return found


def _dedent(block: str) -> str:
    lines = block.splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


def test_the_readme_marks_the_walkthrough() -> None:
    blocks = _blocks()
    assert len(blocks) >= 2
    assert blocks[0].splitlines()[0] == INSTALL
    assert "hoso new " in blocks[0] and "hoso submit" in blocks[0]
    # The README's two commands stay as they are.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install nox && nox -s serve" in readme
    assert "pip install nox && nox -s tests" in readme


def _git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, Path]:
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    work = tmp_path / "ho-so"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(work)], check=True)
    _git(work, "checkout", "-q", "-B", "main")
    _git(work, "remote", "set-url", "origin", str(bare))
    _git(work, "push", "-q", "origin", "main")
    return work, bare


def _run(block: str, where: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_AUTHOR_NAME": "Văn thư Mẫu",
        "GIT_AUTHOR_EMAIL": "van-thu@mau.invalid",
        "GIT_COMMITTER_NAME": "Văn thư Mẫu",
        "GIT_COMMITTER_EMAIL": "van-thu@mau.invalid",
    }
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_walkthrough_runs_as_written(clone: tuple[Path, Path]) -> None:
    work, bare = clone
    walkthrough, *others = _blocks()
    lines = walkthrough.splitlines()
    assert lines[0] == INSTALL
    done = _run("\n".join(lines[1:]) + "\n", work)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    branches = _git(bare, "branch", "--list", "ho-so/*").split()
    assert len(branches) == 1 and branches[0].startswith("ho-so/KN-2025-")
    message = _git(bare, "log", "-1", "--format=%B", branches[0])
    assert message.startswith(
        f"Hồ sơ {branches[0].removeprefix('ho-so/')}: mở hồ sơ kết nạp đảng viên, đến bước: "
        "chi bộ đã ra nghị quyết đề nghị kết nạp\n\n- 03/03/2025: đã vào danh sách cảm tình"
    )
    assert "- 12/08/2025: chi bộ đã ra nghị quyết đề nghị kết nạp" in message
    assert "Bước có thể ghi bây giờ:" in done.stdout
    # Back on main, clean: the case waits on its branch for approval.
    assert _git(work, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert _git(work, "status", "--porcelain") == ""
    for block in others:
        done = _run(block, work)
        assert done.returncode == 0, block + done.stdout[-2000:] + done.stderr[-2000:]
