"""The pre-commit hooks hoso ships: a valid manifest, and, run by pre-commit itself on a records
repository, ``hoso validate`` on the changed records (and on everything when governance
changes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, TempRepo
from gitrepo import make_repo
from hoso import yamlio

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def _hooks() -> dict[str, dict[str, Any]]:
    data = yamlio.load_bytes(MANIFEST.read_bytes())
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def test_manifest_is_what_pre_commit_accepts() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = clientlib.load_manifest(str(MANIFEST))
    assert {h["id"] for h in hooks} == {"hoso-validate", "hoso-validate-governance"}
    for hook in hooks:
        assert hook["entry"] == "hoso validate" and hook["language"] == "python"


def _local_config(root: Path) -> None:
    """The shipped hooks as local ones run with the hoso installed here (``language:
    system``), so that pre-commit applies their own file patterns without building an
    environment from the network."""
    hoso = Path(sys.executable).with_name("hoso")
    hooks = []
    for hook in _hooks().values():
        local = {**hook, "language": "system", "entry": f"{hoso} validate"}
        hooks.append(local)
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (root / ".pre-commit-config.yaml").write_text(yamlio.dump_plain(config), encoding="utf-8")


def _pre_commit(root: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
        "pre-commit"
    )
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    return subprocess.run(
        [exe, "run"], cwd=root, env=env, capture_output=True, text=True, check=False
    )


def test_the_hook_checks_the_staged_records(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "ho-so")
    _local_config(repo.root)
    repo.git("add", ".pre-commit-config.yaml")
    good = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    rel = good.splitlines()[0].removeprefix("# place: ").strip()
    repo.write(rel, good)
    repo.git("add", rel)
    done = _pre_commit(repo.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "hoso validate (các hồ sơ đã thay đổi)" in done.stdout
    repo.write(rel, good.replace("sex: female", "sex: nu"))
    repo.git("add", rel)
    done = _pre_commit(repo.root)
    assert done.returncode == 1
    assert f"{rel}:" in done.stdout and "subject.sex" in done.stdout
    assert "Đã kiểm tra 1 tệp hồ sơ" in done.stdout  # only the changed record


def test_a_governance_change_checks_every_record(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "ho-so")
    _local_config(repo.root)
    good = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    rel = good.splitlines()[0].removeprefix("# place: ").strip()
    repo.commit(
        "Config and one case",
        {".pre-commit-config.yaml": repo.read(".pre-commit-config.yaml"), rel: good},
    )
    units = repo.read("governance/units.yaml")
    # The case's cell disappears from the unit tree: the record, unchanged, becomes invalid.
    repo.write(
        "governance/units.yaml", units.replace("code: khe-lam-x02-cb1", "code: khe-lam-x02-cb9")
    )
    repo.git("add", "governance/units.yaml")
    done = _pre_commit(repo.root)
    assert done.returncode == 1
    assert "hoso validate (toàn bộ kho, khi tệp quản trị thay đổi)" in done.stdout
    assert f"{rel}:" in done.stdout and "khe-lam-x02-cb1" in done.stdout


def test_a_one_file_run_does_not_look_for_pydantic_plugins(repo: TempRepo) -> None:
    """Plugins are off (hoso uses none): pydantic's loader, and the package metadata it would
    read, are not imported by a hook run; someone who wants plugins turns them back on."""
    rel = repo.place(EXAMPLES / "valid" / "admission-cell-voted.yaml")
    script = (
        "import sys, hoso.cli.main as m\n"
        f"code = m.main(['validate', '--repo', {str(repo.root)!r}, {rel!r}])\n"
        "print(code, 'importlib.metadata' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    for _ in range(2):  # the first run fills the stores a hook then reads (the calendar's)
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env
        )
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr
    env["PYDANTIC_DISABLE_PLUGINS"] = ""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.stdout.split()[-2:] == ["0", "True"], done.stderr
