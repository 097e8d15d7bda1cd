"""The Word report read as XML, against the layout of Hướng dẫn 36-HD/VPTW: A4, Times New Roman
at 13-14 pt, Vietnamese, the masthead's bold, underline and italics, header rows repeated and rows
kept whole, numbers right-aligned, "Nơi nhận" to the level above, the signature block, real
document properties; the commission's version marked "MẬT" with its annex."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from conftest import AS_OF, ROOT
from hoso.reports import render
from hoso.reports.figures import Period, Report, compute
from hoso.site.data import SiteData, load

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
NS["dc"] = "http://purl.org/dc/elements/1.1/"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def data() -> SiteData:
    return load(ROOT, "staff", AS_OF, models=True)


def _write(data: SiteData, path: Path, unit: str, commission: bool = False) -> Report:
    report = compute(
        [c for _, c in data.cases],
        data.plan,
        data.governance,
        unit,
        Period.parse("2025"),
        commission=commission,
    )
    render.as_docx(
        report,
        path,
        number="12-BC/HU",
        place="Khê Lam",
        today=date(2026, 1, 9),
        governance=data.governance,
        signer="Người Ký Mẫu",
    )
    return report


def _xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _runs(document: etree._Element, text: str) -> list[etree._Element]:
    """The runs whose text is exactly ``text``."""
    return [r for r in document.iter(_w("r")) if "".join(r.itertext()) == text]


def _on(run: etree._Element, flag: str) -> bool:
    element = run.find(f"w:rPr/w:{flag}", NS)
    return element is not None and element.get(_w("val"), "true") not in ("false", "0", "none")


def _size(run: etree._Element) -> int:
    element = run.find("w:rPr/w:sz", NS)
    assert element is not None, "".join(run.itertext())
    return int(element.get(_w("val"))) // 2


def _paragraph_of(run: etree._Element) -> etree._Element:
    return run.getparent()


def test_page_font_language_and_properties(data: SiteData, tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    _write(data, path, "khe-lam")
    document = _xml(path, "word/document.xml")
    sizes = [
        (int(s.get(_w("w"))), int(s.get(_w("h"))), s.get(_w("orient")))
        for s in document.iter(_w("pgSz"))
    ]
    # Portrait A4 (twips), a landscape A4 section for the wide tables, and portrait again.
    assert sizes[0][:2] == (11906, 16838) and sizes[-1][:2] == (11906, 16838)
    assert (16838, 11906, "landscape") in sizes
    styles = _xml(path, "word/styles.xml")
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert {fonts.get(_w(a)) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(_w("val")) == "vi-VN"
    normal = styles.find("w:style[@w:styleId='Normal']/w:rPr/w:sz", NS)
    assert int(normal.get(_w("val"))) == 28  # 14 pt
    sized = [_size(r) for r in document.iter(_w("r")) if r.find("w:rPr/w:sz", NS) is not None]
    assert sized and all(12 <= s <= 16 for s in sized)
    core = _xml(path, "docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS).startswith(
        "Báo cáo kết quả thực hiện Chỉ thị số 28-CT/TW"
    )
    assert core.findtext("dc:creator", namespaces=NS) == "Huyện ủy Khê Lam"
    assert core.findtext("dc:language", namespaces=NS) == "vi-VN"
    assert core.findtext("dc:subject", namespaces=NS) == "Đảng bộ huyện Khê Lam, năm 2025"


def test_masthead_title_receivers_and_signature(data: SiteData, tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    _write(data, path, "khe-lam")
    document = _xml(path, "word/document.xml")
    (party,) = _runs(document, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert _on(party, "b") and _on(party, "u") and _size(party) == 15
    (superior,) = _runs(document, "ĐẢNG BỘ TỈNH THỬ NGHIỆM")
    assert not _on(superior, "b")
    (issuer,) = _runs(document, "HUYỆN ỦY KHÊ LAM")
    assert _on(issuer, "b")
    assert _runs(document, "*") and _runs(document, "Số 12-BC/HU")
    (day,) = _runs(document, "Khê Lam, ngày 9 tháng 1 năm 2026")
    assert _on(day, "i") and not _on(day, "b")
    (title,) = _runs(document, "BÁO CÁO")
    assert _on(title, "b")
    assert _paragraph_of(title).find("w:pPr/w:jc", NS).get(_w("val")) == "center"
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert _runs(document, heading), heading
    (receivers,) = _runs(document, "Nơi nhận:")
    assert _on(receivers, "b") and _on(receivers, "i") and _on(receivers, "u")
    listed = [
        "".join(r.itertext())
        for r in document.iter(_w("r"))
        if "".join(r.itertext()).startswith("- ")
    ]
    assert listed[:2] == [
        "- Ban Thường vụ Tỉnh ủy Thử Nghiệm (để báo cáo),",
        "- Ban Tổ chức Tỉnh ủy Thử Nghiệm,",
    ]
    # Addressed to the level above: the issuer appears only as the keeper of the copy.
    assert [line for line in listed if "Huyện ủy Khê Lam" in line] == [
        "- Lưu Văn phòng Huyện ủy Khê Lam."
    ]
    (behalf,) = _runs(document, "T/M BAN THƯỜNG VỤ")
    assert _on(behalf, "b") and _on(_runs(document, "BÍ THƯ")[0], "b")
    assert _on(_runs(document, "Người Ký Mẫu")[0], "b")
    assert not _runs(document, "MẬT")


def test_tables_repeat_their_header_keep_rows_whole_and_align_numbers(
    data: SiteData, tmp_path: Path
) -> None:
    path = tmp_path / "r.docx"
    report = _write(data, path, "khe-lam")
    document = _xml(path, "word/document.xml")
    tables = [t for t in document.iter(_w("tbl")) if t.find("w:tblPr/w:tblStyle", NS) is not None]
    assert len(tables) == len(report.sections)
    for table in tables:
        rows = table.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        head = rows[0].findall("w:tc", NS)
        assert all(_on(run, "b") for cell in head for run in cell.iter(_w("r")))
        for row in rows[1:]:
            for cell in row.findall("w:tc", NS)[1:]:
                text = "".join(cell.itertext())
                # a small unit's small count, or a figure that would give one away
                assert text.isdigit() or text in ("< 3", "x"), text
                assert cell.find("w:p/w:pPr/w:jc", NS).get(_w("val")) == "right"


def test_commission_version_is_marked_and_has_its_annex(data: SiteData, tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    report = _write(data, path, "thu-nghiem", commission=True)
    assert report.annex
    document = _xml(path, "word/document.xml")
    stamps = _runs(document, "MẬT")
    assert len(stamps) == 2 and all(_on(s, "b") for s in stamps)  # the masthead and the annex
    assert all(_paragraph_of(s).find("w:pPr/w:pBdr/w:top", NS) is not None for s in stamps)
    text = "\n".join("".join(p.itertext()) for p in document.iter(_w("p")))
    assert "PHỤ LỤC" in text
    assert "(Kèm theo Báo cáo số 12-BC/HU, ngày 9 tháng 1 năm 2026 của Tỉnh ủy Thử Nghiệm)" in text
    assert "Danh sách đảng viên đưa ra khỏi Đảng năm 2025 (từ 01/01/2025 đến 31/12/2025)" in text
    first = report.annex[0]
    assert first.name in text and first.unit in text and first.day in text
    core = _xml(path, "docProps/core.xml")
    assert core.findtext("cp:category", namespaces=NS) == "Báo cáo (MẬT)"
