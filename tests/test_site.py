"""The site builds from the sample cases, strictly, and shows no personal value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from hoso import yamlio
from hoso.models import RECORD_MODELS
from hoso.models.sensitivity import leaf_strings, sensitive_fields, values_at
from hoso.repo import record_files


def test_site_builds_strict_and_leaks_no_personal_value(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pages = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "Số liệu tổng hợp" in pages
    secrets = set()
    for path in record_files(ROOT):
        data = yamlio.load_bytes(path.read_bytes())
        assert isinstance(data, dict)
        for field in sensitive_fields(RECORD_MODELS[data["kind"]]):
            for value in values_at(data, field):
                secrets.update(s for s in leaf_strings(value) if len(s) >= 6)
    assert len(secrets) > 300
    leaked = sorted(s for s in secrets if s in pages)
    assert leaked == []
