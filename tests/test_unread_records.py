"""A record that cannot be read is named by every command that reads many records; reports and
the site refuse to count without it unless asked, and then say how many were left out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES, ROOT, TempRepo
from hoso.cli.main import main
from hoso.errors import HosoError
from hoso.site.pages import render_all

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
TABBED = "cases/khe-lam/admission/KN-2024-tab001.yaml"
REASON = "ký tự tab dùng để thụt lề; YAML chỉ cho phép dấu cách"


@pytest.fixture
def tabbed(repo: TempRepo) -> TempRepo:
    repo.place(GOOD)
    text = GOOD.read_text(encoding="utf-8").replace("KN-2024-test01", "KN-2024-tab001")
    repo.write(TABBED, text.replace("  name: Lò Thị Mẫu", "\tname: Lò Thị Mẫu"))
    return repo


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_the_record_it_could_not_read(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _hoso(capsys, "list", "--as-of", "2026-11-26", "--repo", str(tabbed.root))
    assert code == 1
    assert "KN-2024-test01" in out and out.endswith("1 hồ sơ.\n")
    assert err.splitlines() == [
        "hoso: 1 tệp hồ sơ không đọc được nên không có trong kết quả trên:",
        f"  {TABBED}:10:1: {REASON}",
    ]
    code, out, err = _hoso(capsys, "list", "--format", "json", "--repo", str(tabbed.root))
    assert code == 1 and TABBED in err and TABBED not in out


def test_due_names_the_record_it_could_not_read(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _hoso(capsys, "due", "--as-of", "2026-11-26", "--repo", str(tabbed.root))
    assert code == 1
    assert f"  {TABBED}:10:1: {REASON}" in err.splitlines()


@pytest.mark.parametrize("command", ["list", "due"])
def test_list_and_due_name_two_files_under_one_case_id(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """One id in two district folders: the case may show twice, or two be taken for one; the
    listing says so and which files, and exits 1 as for any other finding."""
    here = repo.place(GOOD)
    there = here.replace("cases/khe-lam/", "cases/ban-mo/")
    repo.write(there, GOOD.read_text(encoding="utf-8"))
    code, _, err = _hoso(capsys, command, "--as-of", "2026-11-26", "--repo", str(repo.root))
    assert code == 1
    assert "2 tệp hồ sơ dùng chung mã hồ sơ với tệp khác" in err
    assert f"  {there}" in err.splitlines() and f"  {here}" in err.splitlines()


def test_report_says_which_case_id_it_counted_more_than_once(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report counts each file as it stands; one id in two files is said, not passed over."""
    here = repo.place(GOOD)
    repo.write(here.replace("cases/khe-lam/", "cases/ban-mo/"), GOOD.read_text(encoding="utf-8"))
    args = ["report", "--period", "2026", "--unit", "thu-nghiem", "--repo", str(repo.root)]
    code, out, err = _hoso(capsys, *args)
    assert code == 0 and out
    assert (
        "hoso: mã hồ sơ KN-2024-test01 có ở 2 tệp, mỗi tệp được tính như một hồ sơ; xem và sửa "
        "bằng 'hoso validate'"
    ) in err.splitlines()


def test_report_refuses_an_incomplete_set(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "--period", "2026", "--unit", "khe-lam", "--repo", str(tabbed.root)]
    code, out, err = _hoso(capsys, *args)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "hoso: không lập báo cáo vì 1 tệp hồ sơ không đọc được; số liệu sẽ thiếu các hồ sơ này. "
        "Hãy sửa chúng (xem 'hoso validate'), hoặc dùng --allow-incomplete để vẫn lập báo cáo "
        "mà không có chúng:",
        f"  {TABBED}: dòng 10, cột 1: {REASON}",
    ]


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_report_when_asked_says_how_many_were_left_out(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    args = ["report", "--period", "2026", "--unit", "khe-lam", "--format", fmt]
    code, out, err = _hoso(capsys, *args, "--allow-incomplete", "--repo", str(tabbed.root))
    assert code == 0
    note = "Số liệu chưa đầy đủ: 1 tệp hồ sơ không đọc được nên không được tính trong báo cáo này."
    assert note in out
    assert err == f"hoso: bỏ qua tệp không đọc được: {TABBED}: dòng 10, cột 1: {REASON}\n"


def test_report_docx_says_how_many_were_left_out(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from docx import Document

    out = tmp_path / "bao-cao.docx"
    args = ["report", "--period", "2026", "--unit", "khe-lam", "--format", "docx"]
    code, _, _ = _hoso(
        capsys, *args, "--out", str(out), "--allow-incomplete", "--repo", str(tabbed.root)
    )
    assert code == 0
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Số liệu chưa đầy đủ: 1 tệp hồ sơ không đọc được" in text


def test_site_refuses_an_incomplete_set(tabbed: TempRepo) -> None:
    with pytest.raises(HosoError) as refused:
        render_all(tabbed.root, "staff", AS_OF)
    assert str(refused.value).splitlines()[1:] == [f"  {TABBED}: dòng 10, cột 1: {REASON}"]
    assert "--allow-incomplete" in str(refused.value)
    data, pages = render_all(tabbed.root, "staff", AS_OF, allow_incomplete=True)
    assert [f.id for f in data.facts] == ["KN-2024-test01"]
    assert (
        "**Số liệu chưa đầy đủ: 1 tệp hồ sơ không đọc được nên không được tính trên trang này.**"
        in pages["tong-hop.md"]
    )
    assert TABBED not in "\n".join(pages.values())  # the staff site names no case


def test_site_command_passes_the_choice_to_the_build(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def build(*_: object, env: dict[str, str], **__: object) -> subprocess.CompletedProcess[bytes]:
        seen.append(env["HOSO_ALLOW_INCOMPLETE"])
        return subprocess.CompletedProcess([], 0, b"")

    monkeypatch.setattr(subprocess, "run", build)
    tabbed.write("mkdocs.yml", "site_name: x\n")  # the tool's folder, as a build needs
    assert _hoso(capsys, "site", "--repo", str(tabbed.root))[0] == 0
    assert _hoso(capsys, "site", "--allow-incomplete", "--repo", str(tabbed.root))[0] == 0
    assert seen == ["", "1"]


def test_report_workbook_says_how_many_were_left_out(
    tabbed: TempRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from hoso.reports.xlsx import FIRST_ROW, SHEET

    out = tmp_path / "so-lieu.xlsx"
    args = ["report", "--period", "2026", "--unit", "khe-lam", "--format", "xlsx"]
    code, _, _ = _hoso(
        capsys, *args, "--out", str(out), "--allow-incomplete", "--repo", str(tabbed.root)
    )
    assert code == 0
    sheet = load_workbook(out)[SHEET]
    note = "Số liệu chưa đầy đủ: 1 tệp hồ sơ không đọc được nên không được tính trong báo cáo này."
    assert sheet["A2"].value == note and sheet["A2"].font.bold
    assert sheet.cell(FIRST_ROW - 1, 1).value == "Mục"  # the header stays where it was
    figures = [row[0] for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True)]
    assert figures and "Ghi chú" not in figures  # the filtered table holds figures only


def test_every_commission_page_with_figures_says_how_many_were_left_out(
    tabbed: TempRepo,
) -> None:
    from hoso.site.pages import build

    note = "**Số liệu chưa đầy đủ: 1 tệp hồ sơ không đọc được nên không được tính trên trang này.**"
    site = build(tabbed.root, "commission", AS_OF, allow_incomplete=True)
    with_figures = [
        path
        for path in site.pages
        if path in ("index.md", "tong-hop.md") or path.startswith(("don-vi/", "danh-sach/"))
    ]
    assert "index.md" in with_figures and any(p.startswith("danh-sach/") for p in with_figures)
    assert [p for p in with_figures if note not in site.pages[p]] == []
    (tabbed.root / TABBED).unlink()
    site = build(tabbed.root, "commission", AS_OF)
    assert not any("Số liệu chưa đầy đủ" in page for page in site.pages.values())


def _site(root: Path, records: Path, out: Path, *more: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "hoso.cli.main", "site", "--records", str(records)]
    return subprocess.run(
        [*command, "--out", str(out), "--repo", str(root), *more],
        capture_output=True,
        text=True,
        check=False,
    )


def test_site_build_refuses_then_builds_when_asked(
    tabbed: TempRepo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Through mkdocs and its hooks: the refusal names the file; when asked, the build names
    it again as left out, and the built home page and overview say how many."""
    tmp_path = tmp_path_factory.mktemp("out")  # outside the records, as --out must be
    refused = _site(ROOT, tabbed.root, tmp_path / "refused")
    assert refused.returncode == 1
    assert "Lỗi: không xây dựng trang vì 1 tệp hồ sơ không đọc được" in refused.stderr
    # mkdocs's own English words are not passed on: its level words are said in Vietnamese
    # and its closing line is left out (hoso's own last line says the build failed).
    assert "ERROR" not in refused.stderr and "Aborted" not in refused.stderr
    assert "không xây dựng được trang (xem thông báo ở trên)" in refused.stderr
    assert f"{TABBED}: dòng 10, cột 1: {REASON}" in refused.stderr
    assert "Traceback" not in refused.stderr
    done = _site(ROOT, tabbed.root, tmp_path / "site", "--allow-incomplete")
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"hoso: bỏ qua tệp không đọc được: {TABBED}: dòng 10, cột 1: {REASON}" in done.stderr
    for page in ("index.html", "tong-hop.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert "Số liệu chưa đầy đủ: 1 tệp hồ sơ không đọc được" in html, page


@pytest.fixture
def unlisted(repo: TempRepo, monkeypatch: pytest.MonkeyPatch) -> TempRepo:
    """A record in ``cases/ban-mo`` and a unit folder ``cases/khe-lam`` that cannot be listed
    (no permission: as root, permissions do not hold, so the listing itself is refused)."""
    import os

    repo.place(GOOD)
    repo.write(
        "cases/ban-mo/admission/KN-2024-other1.yaml",
        GOOD.read_text(encoding="utf-8")
        .replace("KN-2024-test01", "KN-2024-other1")
        .replace("unit: khe-lam", "unit: ban-mo")
        .replace("cell: khe-lam-x02-cb1", "cell: ban-mo-x02-cb3"),
    )
    shut = str(repo.root / "cases" / "khe-lam")
    listing = os.scandir

    def scandir(path: object = ".") -> object:
        if os.fspath(path).rstrip("/") == shut:  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", shut)
        return listing(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    return repo


def test_a_folder_that_cannot_be_listed_is_named_never_passed_over(
    unlisted: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(unlisted.root)
    said = "cases/khe-lam:1:1: không đọc được thư mục: không có quyền đọc"
    code, out, err = _hoso(capsys, "validate", "--repo", root)
    assert code == 1 and said in out and "Traceback" not in err
    code, out, err = _hoso(capsys, "list", "--repo", root)
    assert code == 1 and "KN-2024-other1" in out and "cases/khe-lam" in err
    code, _, err = _hoso(capsys, "due", "--repo", root)
    assert code == 1 and "cases/khe-lam" in err
    code, _, err = _hoso(capsys, "report", "--period", "2024", "--unit", "ban-mo", "--repo", root)
    assert code != 0 and "cases/khe-lam" in err
    # A record elsewhere, named alone, is still read and checked.
    code, out, err = _hoso(capsys, "validate", "--repo", root, "cases/ban-mo")
    assert "Traceback" not in err and "KN-2024-other1" not in out
    code, out, err = _hoso(capsys, "show", "--repo", root, "KN-2024-other1")
    assert code == 0 and "KN-2024-other1" in out


@pytest.mark.parametrize(
    "broken",
    ["units: [\n", "", None],
    ids=["bad-yaml", "empty", "missing"],
)
def test_broken_governance_is_said_and_nothing_is_written_under_it(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], broken: str | None
) -> None:
    repo.place(GOOD)
    units = repo.root / "governance" / "units.yaml"
    if broken is None:
        units.unlink()
    else:
        units.write_text(broken, encoding="utf-8")
    root = str(repo.root)
    before = sorted(p.relative_to(repo.root) for p in (repo.root / "cases").rglob("*"))
    for args in (["list"], ["due"], ["show", "KN-2024-test01"]):
        code, _, err = _hoso(capsys, *args, "--repo", root)
        assert code == 1 and "governance/units.yaml" in err, args
    code, _, err = _hoso(capsys, "list", "--unit", "khe-lam", "--repo", root)
    assert code == 1 and "không lọc được theo đơn vị" in err and "Các giá trị" not in err
    new = ["new", "admission", "--cell", "khe-lam-x02-cb1", "--name", "Lò Văn Mẫu"]
    new += ["--birth-date", "02/01/2000", "--sex", "nam", "--ethnicity", "Thái"]
    code, out, err = _hoso(capsys, *new, "--date", "03/03/2025", "--repo", root)
    assert code == 1 and out == "" and "không mở hồ sơ mới" in err
    step = ["transition", "KN-2024-test01", "--to", "grassroots_voted", "--date", "20/11/2024"]
    code, _, err = _hoso(capsys, *step, "--repo", root)
    assert code != 0 and "governance/units.yaml" in err
    assert sorted(p.relative_to(repo.root) for p in (repo.root / "cases").rglob("*")) == before
    assert (
        repo.root / "cases/khe-lam/admission/KN-2024-test01.yaml"
    ).read_bytes() == GOOD.read_bytes()


def test_the_editing_the_forms_share_writes_nothing_under_broken_governance(
    repo: TempRepo,
) -> None:
    """The web forms write through the same editing functions as the commands."""
    from datetime import date

    from hoso import editing

    repo.place(GOOD)
    (repo.root / "governance" / "committees.yaml").write_text("committees: [\n", encoding="utf-8")
    path = repo.root / "cases/khe-lam/admission/KN-2024-test01.yaml"
    step = {"date": date(2024, 11, 20), "state": "withdrawn", "body": "khe-lam-x02-cb1"}
    with pytest.raises(editing.Refused) as refused:
        editing.record_step(repo.root, path, step, AS_OF)
    assert str(refused.value).startswith("tệp quản trị (governance/) có lỗi nên không ghi gì")
    assert {f.file for f in refused.value.findings} == {"governance/committees.yaml"}
    assert path.read_bytes() == GOOD.read_bytes()


def test_report_and_site_refuse_to_count_under_broken_governance(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A settings file with an error would fall back to defaults, the privacy threshold
    among them: nothing is counted from it."""
    repo.place(GOOD)
    settings = repo.root / "governance" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "small_count: nhiều\n")
    code, _, err = _hoso(
        capsys, "report", "--period", "2024", "--unit", "khe-lam", "--repo", str(repo.root)
    )
    assert code == 1 and "governance/settings.yaml" in err
    with pytest.raises(HosoError, match=r"governance/settings\.yaml"):
        render_all(repo.root, "staff")


def test_a_governance_file_turned_folder_is_said_from_the_cache_too(repo: TempRepo) -> None:
    subprocess.run(["git", "init", "-q"], cwd=repo.root, check=True)  # the cache lives in .git
    repo.place(GOOD)
    settings = repo.root / "governance" / "settings.yaml"
    settings.unlink()  # optional: absent, the cache holds "no finding" for it
    assert not [
        f for f in repo.validate(use_cache=True).findings if f.file.startswith("governance/")
    ]
    settings.mkdir()  # as absent as an absent file by its content, but not readable
    found = [f.file for f in repo.validate(use_cache=True).errors]
    assert "governance/settings.yaml" in found


def test_a_build_pauses_the_garbage_collector_only_while_it_runs(
    tabbed: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site build turns Python's cyclic collector off while it loads and renders (a fifth
    of its time at 50,000 records), and on again however it ends: refused, or built."""
    import gc

    from hoso.site import pages

    seen: list[bool] = []
    load = pages.load

    def spying(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return load(*args)

    monkeypatch.setattr(pages, "load", spying)
    assert gc.isenabled()
    with pytest.raises(HosoError):
        render_all(tabbed.root, "staff", AS_OF)
    assert gc.isenabled()
    render_all(tabbed.root, "staff", AS_OF, allow_incomplete=True)
    assert gc.isenabled()
    assert seen == [False, False]


HIDDEN = {
    "cases/.x/KN-2024-ffffff.yaml": (
        "tệp nằm trong thư mục ẩn cases/.x/ (tên bắt đầu bằng dấu chấm) không phải tệp hồ sơ "
        "nên không được đọc"
    ),
    "cases/khe-lam/admission/.KN-2024-eeeeee.yaml": (
        "tệp ẩn (tên bắt đầu bằng dấu chấm) không phải tệp hồ sơ nên không được đọc"
    ),
    "cases/khe-lam/admission/KN-2024-dddddd.yml": "tệp hồ sơ phải có đuôi .yaml",
}
"""Files under cases/ that are no record, and what is said of each (the gate and the audit
see them all, so no command that lists records may pass over one)."""


@pytest.fixture
def hidden(repo: TempRepo) -> TempRepo:
    repo.place(GOOD)
    for rel in HIDDEN:
        repo.write(rel, GOOD.read_text(encoding="utf-8"))
    return repo


def test_hidden_files_under_cases_are_named_by_validate_and_list(
    hidden: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(hidden.root)
    code, out, _ = _hoso(capsys, "validate", "--as-of", "2026-11-26", "--repo", root)
    assert code == 1
    for rel, why in HIDDEN.items():
        end = "; đổi tên hoặc chuyển ra khỏi cases/" if "ẩn" in why else ""
        assert f"{rel}:1:1: {why}{end}\n" in out
    code, out, _ = _hoso(capsys, "validate", "--repo", root, f"{root}/cases/khe-lam/admission")
    assert code == 1 and ".KN-2024-eeeeee.yaml:1:1: tệp ẩn" in out
    code, out, err = _hoso(capsys, "list", "--as-of", "2026-11-26", "--repo", root)
    assert code == 1 and out.endswith("1 hồ sơ.\n")
    assert "hoso: 3 tệp hồ sơ không đọc được nên không có trong kết quả trên:" in err
    assert all(rel in err for rel in HIDDEN)


def test_hidden_files_under_cases_are_named_by_report_and_site(
    hidden: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "--period", "2026", "--unit", "khe-lam", "--repo", str(hidden.root)]
    code, out, err = _hoso(capsys, *args)
    assert (code, out) == (1, "")
    for rel, why in HIDDEN.items():
        assert f"  {rel}: {why}\n" in err
    with pytest.raises(HosoError) as refused:
        render_all(hidden.root, "staff", AS_OF)
    assert all(rel in str(refused.value) for rel in HIDDEN)
    data, _ = render_all(hidden.root, "staff", AS_OF, allow_incomplete=True)
    assert [f.id for f in data.facts] == ["KN-2024-test01"]
    assert sorted(rel for rel, _ in data.unread) == sorted(HIDDEN)


def test_show_and_transition_refuse_a_hidden_file_named_by_its_path(
    hidden: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """What validate names as no record is no record to show or to step either."""
    rel = "cases/khe-lam/admission/.KN-2024-eeeeee.yaml"
    before = (hidden.root / rel).read_bytes()
    for args in (["show", rel], ["transition", rel, "--to", "applied", "--date", "06/07/2026"]):
        code, _, err = _hoso(capsys, *args, "--repo", str(hidden.root))
        assert code == 2, (args, err)
        assert "tệp ẩn (tên bắt đầu bằng dấu chấm) không phải tệp hồ sơ" in err
    assert (hidden.root / rel).read_bytes() == before


def test_a_committed_file_named_like_an_edit_s_temporary_one_is_named(tmp_path: Path) -> None:
    """An edit's temporary file is passed over only while git does not hold it: a record
    committed under such a name would otherwise be counted nowhere."""
    from gitrepo import make_repo
    from hoso.validate.run import Options, run

    repo = make_repo(tmp_path / "repo")
    text = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    folder = "cases/khe-lam/admission"
    committed = f"{folder}/.KN-2024-zzzzzz.yaml.0123456789ab.tmp"
    repo.commit("Cases", {f"{folder}/KN-2024-test01.yaml": text, committed: text})
    (repo.root / folder / ".KN-2024-test01.yaml.ba9876543210.tmp").write_text("half")
    found = run(Options(repo.root, None, AS_OF, use_cache=False, jobs=1)).findings
    assert [(f.file, f.rule) for f in found if f.severity == "error"] == [
        (committed, "record.hidden")
    ]
    # The same when the folder is named.
    code = main(["validate", "--repo", str(repo.root), "--no-cache", str(repo.root / folder)])
    assert code == 1


def test_validate_folder_names_a_linked_folder_as_the_whole_run_does(
    repo: TempRepo, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """``hoso validate cases/…`` lists the folder as the whole repository's run lists it: a
    link to a folder is named, not passed over."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (repo.root / "cases" / "khe-lam").mkdir(parents=True)
    (repo.root / "cases" / "khe-lam" / "linked").symlink_to(elsewhere)
    folder = str(repo.root / "cases" / "khe-lam")
    code, out, _ = _hoso(capsys, "validate", "--no-cache", "--repo", str(repo.root), folder)
    assert code == 1
    assert "cases/khe-lam/linked" in out


def test_what_mkdocs_says_is_relayed_in_vietnamese() -> None:
    from hoso.cli.site import relayed

    said = (
        "WARNING -  A reference to 'x.md' is not found.\n"
        "ERROR    -  trang sinh ra có 1 chỗ vi phạm\n"
        "  don-vi/a.html: 'Nguyễn Văn Mẫu'\n"
        "\n"
        "Aborted with 2 warnings in strict mode!\n"
        "Aborted with a BuildError!\n"
    )
    assert relayed(said).split("\n") == [
        "Cảnh báo: A reference to 'x.md' is not found.",
        "Lỗi: trang sinh ra có 1 chỗ vi phạm",
        "  don-vi/a.html: 'Nguyễn Văn Mẫu'",
        "Dừng vì có 2 cảnh báo (trang được xây dựng ở chế độ chặt).",
    ]
    assert relayed("Aborted with a configuration error!\n") == (
        "Cấu hình trang (mkdocs.yml) có lỗi."
    )
