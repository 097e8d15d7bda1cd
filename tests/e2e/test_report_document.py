"""The Word report converted to PDF by LibreOffice and to PNG by pdftoppm, so a person can look
at it (e2e-screenshots/bao-cao-*.png)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hoso.reports import render
from hoso.reports.figures import Period, compute
from hoso.site.data import load

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "e2e-screenshots"

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="LibreOffice and poppler-utils not installed",
)


def test_report_converts_to_pdf_and_png(tmp_path: Path) -> None:
    from datetime import date

    data = load(ROOT, "staff", date(2026, 11, 26))
    report = compute(
        [c for _, c in data.cases], data.plan, data.governance, "khe-lam", Period.parse("2025-H1")
    )
    docx = tmp_path / "bao-cao.docx"
    render.as_docx(report, docx, number="12-BC/HU", place="Khê Lam", today=date(2025, 7, 10))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.stat().st_size > 1000
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(SHOTS / "bao-cao")],
        check=True,
        capture_output=True,
    )
    pages = sorted(SHOTS.glob("bao-cao-*.png"))
    assert pages and pages[0].stat().st_size > 5000
