"""What users read: refusals that name everything to fix at once, sample data that shows names
where names belong, and options the README promises."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, TempRepo
from hoso import yamlio
from hoso.cli.main import main


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("discipline", ["--violation-date", "--violation-summary", "--violation-category"]),
        ("transfer", ["--transfer-type", "--counterpart", "--move-date"]),
        ("exemption", ["--reason"]),
    ],
)
def test_new_names_the_person_and_the_kind_options_left_out_at_once(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], kind: str, options: list[str]
) -> None:
    """A clerk who typed only the cell learns in one go every option still to give, not the
    kind's own first and the person's on the next try."""
    code, _, err = _hoso(capsys, "new", kind, "--cell", "khe-lam-x03-cb1", "--repo", str(repo.root))
    assert code == 2
    for option in ["--name", "--birth-date", "--sex", "--ethnicity", *options]:
        assert option in err, (option, err)


def test_sample_transfers_name_the_other_organisation_not_its_code() -> None:
    """A transfer's other side is shown on the commission's case page as written: "Đảng bộ
    huyện Khê Lam", never "Đảng bộ khe-lam"."""
    units = yamlio.load_bytes((ROOT / "governance" / "units.yaml").read_bytes())
    codes = {u["code"] for u in units["units"]}
    transfers = sorted((ROOT / "cases").glob("*/transfer/*.yaml"))
    assert transfers
    for path in transfers:
        case = yamlio.load_bytes(path.read_bytes())
        written = [case["counterpart"]] + [
            e["confirmation"]["issuer"] for e in case["history"] if e.get("confirmation")
        ]
        for text in written:
            assert not codes & set(re.split(r"[\s(),]+", text)), (path.name, text)


def test_sample_says_what_it_made_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The count by kind reads "Kết nạp đảng viên: …", not "admission: …"."""
    code, out, _ = _hoso(capsys, "sample", "--out", str(tmp_path / "mau"), "--cases", "12")
    assert code == 0
    assert "Kết nạp đảng viên: " in out
    for kind in ("admission", "screening", "discipline", "transfer", "exemption", "ranking"):
        assert f"{kind}:" not in out, out


def test_sample_history_names_the_command_that_shows_its_faults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hint is a command that runs as printed: 'hoso audit --repo' needs the folder."""
    out_dir = tmp_path / "mau"
    code, out, _ = _hoso(
        capsys, "sample", "--history", "--out", str(out_dir), "--cases", "12", "--quiet"
    )
    assert code == 0
    assert f"hoso audit --repo {out_dir}" in out, out


def test_site_takes_quiet_as_the_readme_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """README: long commands (audit, sample, site) draw no progress with --quiet."""
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x.txt").write_text("not a site", encoding="utf-8")
    code, _, err = _hoso(capsys, "site", "--quiet", "--out", str(taken), "--repo", str(ROOT))
    assert code == 2
    assert "--quiet" not in err, err  # refused for the folder, not for the option
    assert (taken / "x.txt").exists()


def test_the_commissions_csv_is_marked_secret_as_its_other_formats_are(repo: TempRepo) -> None:
    """Markdown, Excel and Word made for the commission say "MẬT" (their small counts are not
    hidden); the CSV made from the same report said nothing, so it passed for the staff's."""
    import csv
    import io

    from hoso.reports import render
    from hoso.reports.figures import Period, compute
    from hoso.site.data import load

    data = load(repo.root, "staff", date(2026, 12, 1), models=True)

    def made(commission: bool) -> list[list[str]]:
        report = compute(
            [c for _, c in data.cases],
            data.plan,
            data.governance,
            "thu-nghiem",
            Period.parse("2025"),
            commission,
        )
        text = render.as_csv(report).removeprefix(render.BOM)
        return list(csv.reader(io.StringIO(text)))

    commission = made(True)
    assert commission[0] == render.HEAD
    assert commission[1][1] == "Ghi chú" and "MẬT" in commission[1][2], commission[1]
    assert all("MẬT" not in cell for row in made(False) for cell in row)


def test_an_organisation_under_discipline_belongs_to_the_unit_above_not_to_itself() -> None:
    """The case page of a cell under discipline said "Thuộc: Chi bộ bản Tà Bó 2" of Chi bộ bản
    Tà Bó 2: the line names the organisation it belongs to."""
    from hoso import labels
    from hoso.models import OrgDisciplineCase
    from hoso.site.cases import case_page
    from hoso.site.data import load

    data = load(ROOT, "commission", date(2026, 12, 1), models=True)
    g = data.governance
    seen = 0
    for rel, case in data.cases:
        if not isinstance(case, OrgDisciplineCase):
            continue
        page = case_page(data, rel, case, {})
        line = next(x for x in page.splitlines() if x.startswith("- **Thuộc**"))
        if case.organisation in g.units:  # a unit itself: the unit above it
            parent = g.units[case.organisation].parent
            assert parent and labels.unit(g, parent) in line, line
            assert labels.unit(g, case.organisation) not in line, line
            seen += 1
        else:  # a committee: its unit
            assert labels.unit(g, case.cell) in line, line
    assert seen


def test_step_guidance_names_no_field_of_the_file() -> None:
    """The guidance of each step (the site's process pages, 'hoso explain') is read by staff:
    "ghi … văn bản xác nhận (confirmation)" showed them a field name of the YAML file."""
    from hoso.rules.workflow import WORKFLOWS

    for kind, workflow in WORKFLOWS.items():
        for step in workflow.steps.values():
            # A code in brackets: an English word alone, not a form code like (6-KNĐ).
            assert not re.search(r"\([a-z_]+\)", step.guide), (kind, step.state, step.guide)


def test_the_guidance_names_the_auditors_page_as_the_site_titles_it() -> None:
    """Auditors were told to open "Kết quả kiểm toán"; the tab and the page are "Kiểm toán"."""
    guide = (ROOT / "site_src" / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    said = re.findall(r"trang \*\*([^*]*kiểm toán[^*]*)\*\*", guide, flags=re.IGNORECASE)
    assert said and all(name == "Kiểm toán" for name in said), said  # site/nav.py, site/audit.py


def test_the_commissions_annex_table_fits_between_the_margins(tmp_path: Path) -> None:
    """The annex's columns added up to 17.2 cm on a portrait A4 page whose text is 16.5 cm wide
    (Hướng dẫn 36-HD/VPTW margins): the table ran into the right margin and "STT" broke."""
    from docx import Document

    from hoso.reports import render
    from hoso.reports.docxparts import usable_width
    from hoso.reports.figures import Period, compute
    from hoso.site.data import load

    data = load(ROOT, "commission", date(2026, 12, 1), models=True)
    report = compute(
        [c for _, c in data.cases], data.plan, data.governance, "thu-nghiem",
        Period.parse("2025"), True,
    )  # fmt: skip
    assert report.annex
    render.as_docx(report, tmp_path / "r.docx")
    doc = Document(str(tmp_path / "r.docx"))
    annex = doc.tables[-1]
    assert annex.rows[0].cells[0].text == "STT"
    section = doc.sections[-1]
    widths = [cell.width for cell in annex.rows[0].cells]
    assert sum(widths) <= usable_width(section), [w / 360000 for w in widths]


def test_an_unknown_step_is_refused_with_the_steps_that_can_be_recorded_now(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --to that names no step said only "không có trạng thái 'bo phieu'." (there are too
    many states to list): the clerk had to guess again, where a missing --to or a step out of
    order is answered with the steps that can be recorded now."""
    from conftest import EXAMPLES

    path = repo.root / repo.place(EXAMPLES / "valid" / "admission-cell-voted.yaml")
    before = path.read_bytes()
    code, out, err = _hoso(
        capsys, "transition", "KN-2024-test01", "--to", "bo phieu", "--date", "01/11/2026",
        "--repo", str(repo.root),
    )  # fmt: skip
    assert code == 2, out
    assert "không có trạng thái 'bo phieu'" in err
    assert "Bước có thể ghi bây giờ:" in err
    assert "hoso transition KN-2024-test01 --to" in err
    assert path.read_bytes() == before


def test_site_run_outside_the_tool_folder_says_where_to_run_it(
    repo: TempRepo,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'hoso site --records DIR' typed in another folder said "không tìm thấy kho hồ sơ",
    though DIR is one: what it lacks is the tool's folder, the one with mkdocs.yml."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # not inside the records repository
    monkeypatch.chdir(elsewhere)
    out = elsewhere / "trang"
    code, _, err = _hoso(capsys, "site", "--records", str(repo.root), "--out", str(out))
    assert code == 2
    assert "mkdocs.yml" in err and "không tìm thấy kho hồ sơ" not in err, err
    assert not out.exists()
