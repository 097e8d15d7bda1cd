"""The Word report converted to PDF by LibreOffice and to PNG by pdftoppm, so a person can look
at it (e2e-screenshots/bao-cao-*.png): A4 pages (landscape ones for the wide tables), and the
Vietnamese text of the masthead, the title and the signature block survive the conversion."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
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


def _pdf(tmp_path: Path, unit: str, commission: bool) -> Path:
    data = load(ROOT, "staff", date(2026, 11, 26))
    report = compute(
        [c for _, c in data.cases],
        data.plan,
        data.governance,
        unit,
        Period.parse("2025"),
        commission=commission,
    )
    docx = tmp_path / f"bao-cao-{unit}.docx"
    render.as_docx(
        report,
        docx,
        number="12-BC/HU",
        place="Khê Lam",
        today=date(2026, 1, 9),
        governance=data.governance,
    )
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return docx.with_suffix(".pdf")


def _pages(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]


def test_report_converts_to_a4_pdf_and_png(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, "khe-lam", commission=True)
    pages = _pages(pdf)
    a4 = (595.3, 841.9)
    assert all(abs(min(w, h) - a4[0]) < 1 and abs(max(w, h) - a4[1]) < 1 for w, h in pages), pages
    assert abs(pages[0][0] - a4[0]) < 1  # the first page is portrait
    assert any(w > h for w, h in pages)  # the wide tables are on landscape pages
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "HUYỆN ỦY KHÊ LAM", "BÁO CÁO", "Nơi nhận:", "MẬT"):
        assert words in text, words
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdf), str(SHOTS / "bao-cao")],
        check=True,
        capture_output=True,
    )
    shots = sorted(SHOTS.glob("bao-cao-*.png"))
    assert shots and shots[0].stat().st_size > 5000
