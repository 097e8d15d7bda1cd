"""What a fault tester found: ``hoso site --out`` let mkdocs empty any folder (the records
repository, the tool's own tests, a folder of someone's files), and ``hoso report --out``
wrote over any file (a governance file, a record). Each is now refused with exit 2 and
nothing touched; only a new or empty folder, or an earlier build, takes a site, and only a
new file (or one named with ``--overwrite``) takes a report."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import ROOT, TempRepo
from hoso.cli import destinations
from hoso.cli.main import main
from hoso.errors import UsageError


def _files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes (links by their target's name)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = os.readlink(path).encode()
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


class FakeMkdocs:
    """Stands in for ``mkdocs build``: records each site folder it was given and, as mkdocs
    does, empties it (hidden names aside) and writes a page; the refused cases must never
    reach it. It empties only folders under the test's own ``sandbox``."""

    def __init__(self, sandbox: Path) -> None:
        self.sandbox = sandbox
        self.built: list[Path] = []
        self.marked: list[bool] = []
        self.fails = False
        """Fail before emptying the folder, as mkdocs does on a configuration error."""

    def __call__(self, command: list[str], **_: Any) -> subprocess.CompletedProcess[bytes]:
        from mkdocs.utils import clean_directory

        if "--site-dir" not in command:  # mkdocs serve, in a folder of its own
            return subprocess.CompletedProcess(command, 0)
        site_dir = Path(command[command.index("--site-dir") + 1])
        self.built.append(site_dir)
        self.marked.append((site_dir / destinations.SITE_MARK).is_file())
        if self.fails:
            return subprocess.CompletedProcess(command, 1, b"Aborted with a BuildError!\n")
        if site_dir.resolve().is_relative_to(self.sandbox.resolve()):
            clean_directory(str(site_dir))
            site_dir.mkdir(parents=True, exist_ok=True)
            (site_dir / "index.html").write_text("<p>trang</p>", encoding="utf-8")
        return subprocess.CompletedProcess(command, 0, b"")


@pytest.fixture
def mkdocs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMkdocs]:
    fake = FakeMkdocs(tmp_path)
    faked = SimpleNamespace(run=fake, PIPE=subprocess.PIPE, STDOUT=subprocess.STDOUT)
    monkeypatch.setattr("hoso.cli.site.subprocess", faked)
    yield fake


def _site(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["site", "--repo", str(ROOT), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("{records}", "đây là kho hồ sơ"),
        ("{records}/cases", "thư mục nằm trong kho hồ sơ"),
        ("{records}/governance", "thư mục nằm trong kho hồ sơ"),
        ("{records}/moi", "thư mục nằm trong kho hồ sơ"),
        ("{records}/..", "thư mục này chứa kho hồ sơ"),
    ],
    ids=["the records", "cases", "governance", "a new folder in it", "its parent"],
)
def test_site_refuses_the_records_repository_and_anything_in_or_around_it(
    repo: TempRepo,
    mkdocs: FakeMkdocs,
    capsys: pytest.CaptureFixture[str],
    where: str,
    said: str,
) -> None:
    repo.write("cases/ghi-chu.txt", "việc của người khác\n")
    before = _files(repo.root)
    out = where.format(records=repo.root)
    code, err = _site(capsys, "--records", str(repo.root), "--out", out)
    assert code == 2
    assert err.startswith(f"hoso: {os.path.abspath(out)}: {said}")
    assert mkdocs.built == []
    assert _files(repo.root) == before
    assert not (repo.root / "moi").exists()


@pytest.mark.parametrize(
    ("where", "said"),
    [
        (".", "đây là kho của công cụ"),
        ("tests", "thư mục nằm trong kho của công cụ"),
        ("site", "thư mục nằm trong kho của công cụ"),
        ("cases/khe-lam", "thư mục nằm trong kho của công cụ"),
    ],
    ids=["the tool", "tests", "site", "its cases"],
)
def test_site_refuses_the_tool_repository_and_its_folders(
    repo: TempRepo,
    mkdocs: FakeMkdocs,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    said: str,
) -> None:
    monkeypatch.chdir(ROOT)
    code, err = _site(capsys, "--records", str(repo.root), "--out", where)
    assert code == 2
    assert err.startswith(f"hoso: {ROOT / where if where != '.' else ROOT}: {said}")
    assert mkdocs.built == []


def test_site_refuses_a_folder_inside_any_git_work_tree(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "clone"
    _git_init(clone)
    (clone / "ghi-chu.txt").write_text("chưa commit\n", encoding="utf-8")
    worktree = tmp_path / "worktree"
    worktree.mkdir()
    (worktree / ".git").write_text("gitdir: /nowhere\n", encoding="utf-8")
    for out, top in [
        (clone, clone),
        (clone / "trang", clone),
        (clone / "a" / "b", clone),
        (worktree / "trang", worktree),
    ]:
        code, err = _site(capsys, "--out", str(out))
        assert code == 2
        assert err.startswith(f"hoso: {out}: thư mục nằm trong kho Git {top};"), err
    assert mkdocs.built == []
    assert (clone / "ghi-chu.txt").read_text(encoding="utf-8") == "chưa commit\n"
    assert not (clone / "trang").exists()


def test_site_refuses_a_folder_that_holds_files_of_its_own(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tai-lieu"
    (out / "con").mkdir(parents=True)
    (out / "con" / "bien-ban.docx").write_bytes(b"PK")
    (out / ".an").write_text("ẩn\n", encoding="utf-8")
    before = _files(out)
    code, err = _site(capsys, "--out", str(out))
    assert code == 2
    assert err == (
        f"hoso: {out}: thư mục đã có nội dung và không phải trang do 'hoso site' xây dựng; "
        "việc xây dựng sẽ xóa hết nội dung đó. Chọn một thư mục mới hoặc trống\n"
    )
    assert mkdocs.built == [] and _files(out) == before


def test_a_forged_or_linked_mark_is_not_a_build(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = tmp_path / "forged"
    forged.mkdir()
    (forged / destinations.SITE_MARK).write_text("bất kỳ\n", encoding="utf-8")
    (forged / "x.txt").write_text("x\n", encoding="utf-8")
    real = tmp_path / "real-mark"
    real.write_text(destinations.SITE_MARK_TEXT, encoding="utf-8")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / destinations.SITE_MARK).symlink_to(real)
    (linked / "x.txt").write_text("x\n", encoding="utf-8")
    for out, said in ((forged, "không phải trang do 'hoso site' xây dựng"), (linked, "liên kết")):
        code, err = _site(capsys, "--out", str(out))
        assert code == 2 and said in err, err
    assert mkdocs.built == []


def test_site_builds_into_a_new_an_empty_or_an_earlier_build(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "trong"
    empty.mkdir()
    new = tmp_path / "moi" / "trang"
    for out in (new, empty, new):
        code, err = _site(capsys, "--out", str(out))
        assert code == 0, err
    assert mkdocs.built == [new, empty, new]
    # The mark is there before mkdocs runs, so that a failed build is still known as one.
    assert mkdocs.marked == [True, True, True]
    assert sorted(p.name for p in new.iterdir()) == [destinations.SITE_MARK, "index.html"]


def test_an_earlier_build_that_now_holds_a_git_work_tree_is_refused(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "trang"
    assert _site(capsys, "--out", str(out))[0] == 0
    _git_init(out / "sao-chep")
    code, err = _site(capsys, "--out", str(out))
    assert code == 2
    assert err.startswith(f"hoso: {out}: trong thư mục trang có thêm sao-chep,"), err
    assert len(mkdocs.built) == 1 and (out / "sao-chep" / ".git").is_dir()


def test_a_relative_out_is_taken_from_where_the_command_is_typed(
    tmp_path: Path,
    mkdocs: FakeMkdocs,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """mkdocs runs in the tool repository: given "trang" as typed, it would build (and first
    empty) the folder of that name there."""
    monkeypatch.chdir(tmp_path)
    assert _site(capsys, "--out", "trang")[0] == 0
    assert mkdocs.built == [tmp_path / "trang"]


def test_serving_is_not_refused_for_the_default_folder(
    mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    """--serve builds in a temporary folder of mkdocs's own: no folder of the user's is
    emptied, so none is checked."""
    code, _ = _site(capsys, "--serve")
    assert code == 0 and mkdocs.built == []


def test_a_real_build_keeps_its_mark_and_builds_again(tmp_path: Path) -> None:
    """mkdocs empties the folder but leaves names that start with a dot: the mark outlives
    the build, and the second build takes the folder as an earlier one."""
    out = tmp_path / "trang"
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "hoso.cli.main", "site", "--out", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "HOSO_QUIET": "1"},
        )
        assert done.returncode == 0, done.stderr[-2000:]
        mark = (out / destinations.SITE_MARK).read_text(encoding="utf-8")
        assert mark.startswith(destinations.SITE_MARK_TEXT)
        assert {"index.html", "assets"} <= set(mark.splitlines())
        assert (out / "index.html").is_file()


REPORT = ["report", "--period", "2022", "--unit", "thu-nghiem"]


def _report(
    capsys: pytest.CaptureFixture[str], repo: TempRepo, out: Path | str, *args: str
) -> tuple[int, str]:
    code = main([*REPORT, "--repo", str(repo.root), "--out", str(out), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "docx"])
def test_report_refuses_an_existing_file_without_overwrite(
    repo: TempRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = tmp_path / f"bao-cao.{fmt}"
    out.write_bytes(b"ban nhap cua to\n")
    out.chmod(0o640)
    code, err = _report(capsys, repo, out, "--format", fmt)
    assert code == 2
    assert err == f"hoso: {out}: tệp đã có; thêm --overwrite để ghi đè, hoặc chọn tên khác\n"
    assert out.read_bytes() == b"ban nhap cua to\n"
    code, err = _report(capsys, repo, out, "--format", fmt, "--overwrite")
    assert code == 0, err
    assert out.read_bytes() != b"ban nhap cua to\n"
    assert (out.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_report_writes_a_new_file(
    repo: TempRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moi.csv"
    assert _report(capsys, repo, out, "--format", "csv")[0] == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Kỳ báo cáo,")


@pytest.mark.parametrize(
    ("where", "folder"),
    [
        ("governance/policy.yaml", "governance"),
        ("governance/moi.csv", "governance"),
        ("cases/khe-lam/bao-cao.csv", "cases"),
        (".git/config", ".git"),
    ],
)
@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
def test_report_never_writes_into_the_records(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    folder: str,
    overwrite: bool,
) -> None:
    (repo.root / ".git").mkdir()
    (repo.root / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (repo.root / "cases" / "khe-lam").mkdir()
    before = _files(repo.root)
    monkeypatch.chdir(repo.root)
    flags = ["--format", "csv", *(["--overwrite"] if overwrite else [])]
    code, err = _report(capsys, repo, where, *flags)
    assert code == 2
    assert err.startswith(f"hoso: {where}: nằm trong {folder}/ của kho hồ sơ {repo.root};")
    assert _files(repo.root) == before


def test_report_never_writes_through_a_symbolic_link(
    repo: TempRepo, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    target = elsewhere / "cua-nguoi-khac.txt"
    target.write_text("giữ nguyên\n", encoding="utf-8")
    link = elsewhere / "bao-cao.csv"
    link.symlink_to(target)
    dangling = elsewhere / "treo.csv"
    dangling.symlink_to(elsewhere / "chua-co.txt")
    into_records = elsewhere / "chinh-sach.csv"
    into_records.symlink_to(repo.root / "governance" / "policy.yaml")
    policy = (repo.root / "governance" / "policy.yaml").read_bytes()
    for path in (link, dangling, into_records):
        for flags in ([], ["--overwrite"]):
            code, err = _report(capsys, repo, path, "--format", "csv", *flags)
            assert code == 2, err
    code, err = _report(capsys, repo, link, "--format", "csv", "--overwrite")
    assert err.startswith(f"hoso: {link}: là liên kết tượng trưng (trỏ tới {target});")
    assert target.read_text(encoding="utf-8") == "giữ nguyên\n"
    assert not (elsewhere / "chua-co.txt").exists() and link.is_symlink()
    assert (repo.root / "governance" / "policy.yaml").read_bytes() == policy


def test_write_report_does_not_take_a_name_taken_meanwhile(tmp_path: Path) -> None:
    """The check and the write are apart: a file made between them is not written over, and a
    link put there is replaced, never followed."""
    taken = tmp_path / "r.csv"
    taken.write_text("của người khác\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        destinations.write_report(taken, b"bao cao", overwrite=False)
    assert taken.read_text(encoding="utf-8") == "của người khác\n"
    target = tmp_path / "target.txt"
    target.write_text("giữ nguyên\n", encoding="utf-8")
    link = tmp_path / "l.csv"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        destinations.write_report(link, b"bao cao", overwrite=False)
    destinations.write_report(link, b"bao cao", overwrite=True)
    assert not link.is_symlink() and link.read_bytes() == b"bao cao"
    assert target.read_text(encoding="utf-8") == "giữ nguyên\n"


def test_the_default_folder_takes_a_build_made_before_builds_were_marked(tmp_path: Path) -> None:
    """``hoso site`` with no --out builds into the tool's ``site/<audience>``; one built before
    the mark existed is taken as an earlier build there (the user named no folder), and only
    there: elsewhere the same names are someone's folder."""
    tool, records = tmp_path / "tool", tmp_path / "records"
    (tool / "site").mkdir(parents=True)
    (tool / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    records.mkdir()

    def build_in(folder: Path) -> Path:
        (folder / "assets").mkdir(parents=True)
        for name in ("index.html", "sitemap.xml"):
            (folder / name).write_text("x", encoding="utf-8")
        return folder

    staff = build_in(tool / "site" / "staff")
    destinations.site_folder(staff, tool, records, default=True)
    refused = "không phải trang do 'hoso site' xây dựng"
    with pytest.raises(UsageError, match=refused):  # named with --out: someone's folder
        destinations.site_folder(staff, tool, records)
    with pytest.raises(UsageError, match=refused):
        destinations.site_folder(build_in(tmp_path / "elsewhere"), tool, records, default=True)
    (staff / "bien-ban-hop.docx").write_text("x", encoding="utf-8")  # no build makes that
    with pytest.raises(UsageError, match=refused):
        destinations.site_folder(staff, tool, records, default=True)
    notes = tool / "site" / "notes"
    notes.mkdir()
    (notes / "ghi-chu.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match=refused):
        destinations.site_folder(notes, tool, records, default=True)


def test_a_marked_build_refuses_what_was_put_in_it_since(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    """The mark lists what the build left: a file or a bare repository put in the folder
    later is refused, not wiped; so is a link in it, which the build would write through."""
    out = tmp_path / "Documents"
    out.mkdir()
    assert _site(capsys, "--out", str(out))[0] == 0
    assert _site(capsys, "--out", str(out))[0] == 0  # the build's own names: built again
    (out / "hop-dong.docx").write_text("x", encoding="utf-8")
    code, err = _site(capsys, "--out", str(out))
    assert code == 2 and "có thêm hop-dong.docx" in err
    (out / "hop-dong.docx").unlink()
    subprocess.run(["git", "init", "-q", "--bare", str(out / "backup.git")], check=True)
    code, err = _site(capsys, "--out", str(out))
    assert code == 2 and "có thêm backup.git" in err
    (tmp_path / "precious").mkdir()
    for name in ("backup.git",):
        subprocess.run(["rm", "-rf", str(out / name)], check=True)
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(tmp_path / "precious")
    code, err = _site(capsys, "--out", str(out))
    assert code == 2 and "liên kết tượng trưng (index.html)" in err
    assert len(mkdocs.built) == 2


def test_the_folder_checked_is_the_folder_built(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link given as --out is resolved once: mkdocs is handed the folder that was checked,
    so changing the link between the check and the build changes nothing."""
    real = tmp_path / "that"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert _site(capsys, "--out", str(link))[0] == 0
    assert mkdocs.built == [real]


def test_site_without_mkdocs_yml_says_so_and_marks_nothing(
    tmp_path: Path, repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["site", "--repo", str(repo.root), "--out", str(tmp_path / "s")])
    assert code == 2
    assert "không có tệp mkdocs.yml" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_serving_with_an_out_folder_is_a_usage_error(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    """mkdocs serve builds in a folder of its own: an --out beside --serve was ignored."""
    code, err = _site(capsys, "--serve", "--out", str(tmp_path / "trang"))
    assert code == 2
    assert "--serve xây dựng trang trong một thư mục tạm" in err
    assert mkdocs.built == []


def test_the_forms_password_file_is_never_written_into_the_records(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The users file holds password hashes; in the records repository a 'git add -A' sends
    it to the forge with the records."""
    for rel in ("governance/users.json", "cases/users.json", "users.json"):
        path = repo.root / rel
        code = main(
            ["forms", "--repo", str(repo.root), "--users", str(path), "--set-password", "x"]
        )
        assert code == 2, rel
        assert "không được nằm trong kho hồ sơ" in capsys.readouterr().err
        assert not path.exists()


def test_report_never_writes_into_a_worktree_s_git_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a worktree ``.git`` is a file; the git folder it points to (and the common one) is
    the records' git folder all the same."""
    from gitrepo import make_repo

    main_repo = make_repo(tmp_path / "records")
    main_repo.commit("Start", {"cases/khe-lam/.keep": ""})
    tree = tmp_path / "tree"
    main_repo.git("worktree", "add", "-q", str(tree), "-b", "wt")
    head = main_repo.root / ".git" / "worktrees" / "tree" / "HEAD"
    before = head.read_bytes()
    for target in (head, main_repo.root / ".git" / "config"):
        code = main([*REPORT, "--repo", str(tree), "--format", "csv", "--out", str(target),
                     "--overwrite"])  # fmt: skip
        assert code == 2, target
        assert "thư mục git của kho hồ sơ" in capsys.readouterr().err
    assert head.read_bytes() == before


def test_a_failed_build_leaves_the_folder_to_the_next_one(
    tmp_path: Path, mkdocs: FakeMkdocs, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build that fails keeps the record of what is in the folder: the next build, once
    the cause is mended, takes it again (before, the folder was refused for good)."""
    out = tmp_path / "trang"
    assert _site(capsys, "--out", str(out))[0] == 0
    mkdocs.fails = True
    assert _site(capsys, "--out", str(out))[0] != 0
    mkdocs.fails = False
    code, err = _site(capsys, "--out", str(out))
    assert code == 0, err
    assert len(mkdocs.built) == 3


def test_click_names_a_path_with_only_its_first_letter_capitalised(tmp_path: Path) -> None:
    from click import BadParameter

    from hoso.cli.values import PathType

    a_file = tmp_path / "tep"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(BadParameter, match=r"^Thư mục '"):
        PathType(file_okay=False).convert(str(a_file), None, None)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder the command is typed in, outside the records."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_report_out_dash_is_the_screen(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    here: Path,
    fmt: str,
) -> None:
    code = main([*REPORT, "--repo", str(repo.root), "--out", "-", "--format", fmt])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "Báo cáo" in said.out if fmt == "md" else "Kỳ báo cáo," in said.out
    assert list(here.iterdir()) == []  # no file named '-'
    code = main([*REPORT, "--repo", str(repo.root), "--out", "./-", "--format", fmt])
    assert code == 0, capsys.readouterr().err
    assert [p.name for p in here.iterdir()] == ["-"]  # './-' is the file of that name


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_report_out_dash_is_refused_for_a_workbook_or_a_document(
    repo: TempRepo,
    capsys: pytest.CaptureFixture[str],
    here: Path,
    fmt: str,
) -> None:
    code, err = _report(capsys, repo, "-", "--format", fmt)
    assert code == 2
    assert f"định dạng {fmt} cần --out TỆP" in err
    assert list(here.iterdir()) == []


def test_a_build_that_never_finished_leaves_its_folder_to_the_next(tmp_path: Path) -> None:
    """A build stopped before it could list what it left (killed, or a full disk refusing
    even the mark): what is in the folder is that build's, and the next build may empty it,
    where it was refused as content no build had made."""
    tool, records, out = tmp_path / "tool", tmp_path / "records", tmp_path / "out"
    for folder in (tool, records):
        folder.mkdir()
    destinations.mark_site(out)
    (out / "index.html").write_text("một phần", encoding="utf-8")
    (out / "assets").mkdir()
    destinations.site_folder(out, tool, records)  # not refused
    destinations.record_build(out)
    (out / "hop-dong.docx").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match=r"có thêm hop-dong\.docx"):
        destinations.site_folder(out, tool, records)
