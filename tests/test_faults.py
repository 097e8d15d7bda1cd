"""Faults found by injecting them (a closed pipe, Ctrl+C at start-up, odd files and bytes where
hoso expects ordinary ones): each ends with a Vietnamese message and its exit status, never a
traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TempRepo
from hoso.cli.main import main


def _closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run hoso with its output going to a pipe nobody reads any more."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "hoso.cli.main", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args", [("list",), ("due",), ("--help",), ("explain", "admission")], ids=" ".join
)
def test_a_closed_pipe_is_not_a_finding(args: tuple[str, ...]) -> None:
    """``hoso list | head -1``: exit 141 as other Unix tools (never 1, which means findings),
    and not a word on stderr."""
    done = _closed_pipe(*args)
    assert (done.returncode, done.stderr) == (141, "")


def test_ctrl_c_while_starting_is_an_orderly_stop() -> None:
    """Ctrl+C while the installed command still imports its modules: "Đã hủy.", exit 130."""
    script = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, attribute = script["project"]["scripts"]["hoso"].split(":")
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'hoso.cli.main':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        f"from {module} import {attribute} as entry\n"
        "entry()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr.strip()) == (130, "Đã hủy.")


def _report(template: Path, out: Path) -> list[str]:
    return [
        "report", "--repo", str(ROOT), "--period", "2025", "--unit", "ban-mo",
        "--format", "docx", "--out", str(out), "--template", str(template),
    ]  # fmt: skip


def test_a_template_that_is_a_fifo_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "mau.docx"
    os.mkfifo(fifo)
    # Should hoso wait on the FIFO again, a writer comes after a while: the test fails, not hangs.
    unblock = threading.Timer(20, lambda: os.close(os.open(fifo, os.O_WRONLY)))
    unblock.start()
    try:
        assert main(_report(fifo, tmp_path / "r.docx")) == 2
    finally:
        unblock.cancel()
    err = capsys.readouterr().err
    assert f"'--template': {fifo}: không phải tệp thông thường (một đường ống FIFO)" in err
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.parametrize(
    "content",
    [b"root:x:0:0:root:/root:/bin/bash\n", os.urandom(3000), b"PK\x03\x04" + b"\0" * 100, b""],
    ids=["text", "random", "broken zip", "empty"],
)
def test_a_template_that_is_not_a_word_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    template = tmp_path / "mau.docx"
    template.write_bytes(content)
    assert main(_report(template, tmp_path / "r.docx")) == 2
    err = capsys.readouterr().err
    assert f"'--template': {template}: không phải tệp Word (.docx) đọc được" in err
    assert "Traceback" not in err


def test_a_word_template_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    template = tmp_path / "mau.docx"
    document = Document()
    document.styles.add_style("Mẫu của đơn vị", 1)
    document.save(str(template))
    assert main(_report(template, tmp_path / "r.docx")) == 0
    assert "Mẫu của đơn vị" in [s.name for s in Document(str(tmp_path / "r.docx")).styles]


def test_sample_refuses_a_folder_that_is_not_empty(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --history as with it: a records repository's governance is never overwritten."""
    units = repo.root / "governance" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "# chưa commit\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file()}
    assert main(["sample", "--out", str(repo.root), "--cases", "3", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"hoso: {repo.root}: thư mục đã có nội dung; chọn một thư mục trống\n"
    assert {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("fifo/x", "một phần của đường dẫn không phải thư mục"),
        ("file/x", "một phần của đường dẫn không phải thư mục"),
        ("fifo", "đã có một tệp mang tên này"),
    ],
    ids=["under a fifo", "under a file", "a fifo"],
)
def test_sample_into_a_folder_it_cannot_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, reason: str
) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path / where
    assert main(["sample", "--out", str(out), "--cases", "3", "--quiet"]) == 2
    assert capsys.readouterr().err == f"hoso: không tạo được thư mục {out}: {reason}\n"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="no /proc")
def test_sample_under_proc(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "--out", "/proc/hoso-mau", "--cases", "3", "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("hoso: không tạo được thư mục /proc/hoso-mau: ")


def test_sample_into_a_new_folder(tmp_path: Path) -> None:
    assert main(["sample", "--out", str(tmp_path / "a" / "b"), "--cases", "3", "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["cases", "governance"]


NEW = ["new", "admission", "--cell", "khe-lam-x03-cb1", "--birth-date", "02/01/2000"]
NEW += ["--sex", "nam", "--ethnicity", "Thái", "--date", "03/03/2025"]


def test_a_name_typed_in_a_terminal_that_is_not_utf8(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python hands over the bytes as surrogates ($'L\\xf2 V\\xe3n M\\xe3u' in a Latin-1
    terminal): refused, naming the first byte, and nothing is written."""
    code = main([*NEW, "--name", "L\udcf2 V\udce3n M\udce3u", "--repo", str(repo.root)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.splitlines()[-1] == (
        "Lỗi: Giá trị không hợp lệ cho '--name': không phải văn bản UTF-8 (byte 0xF2); "
        "hãy đặt bảng mã của cửa sổ lệnh là UTF-8"
    )
    assert list((repo.root / "cases").iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--unit=\udce9"],
        ["transition", "KN-2024-abcdef", "--to", "\udcff", "--date", "01/01/2025"],
        ["show", "KN\udcff"],
    ],
    ids=["--unit=", "--to", "case id"],
)
def test_other_text_given_bytes_not_utf8_names_the_byte(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main([*args, "--repo", str(repo.root)]) == 2
    err = capsys.readouterr().err
    assert ": không phải văn bản UTF-8 (byte 0x" in err and "\\udc" not in err


def test_a_path_in_another_encoding_is_left_as_it_is(tmp_path: Path) -> None:
    out = tmp_path / "m\udce9u"
    assert main(["sample", "--out", str(out), "--cases", "3", "--quiet"]) == 0
    assert (out / "governance").is_dir()


def test_a_record_path_in_another_encoding_is_read_not_blamed_on_the_terminal(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where a case id or a path may be given (validate, show), a path is a file's name."""
    repo.write("cases/khe-lam/admission/x\udcf2.yaml", "kind: admission\n")
    code = main(["validate", "--repo", str(repo.root), "cases/khe-lam/admission/x\udcf2.yaml"])
    out, err = capsys.readouterr()
    assert code == 1 and "UTF-8" not in err and "1 tệp hồ sơ" in out


@pytest.mark.parametrize(
    ("char", "said"),
    [
        ("\x1b", "ký tự điều khiển U+001B (ESC)"),
        ("\x00", "ký tự điều khiển U+0000 (NUL)"),
        ("\x07", "ký tự điều khiển U+0007 (BEL)"),
        ("\x7f", "ký tự điều khiển U+007F (DEL)"),
        ("\x85", "ký tự điều khiển U+0085 (NEL)"),
        ("\x9b", "ký tự điều khiển U+009B"),
        ("\ufffe", "ký tự không được phép U+FFFE"),
    ],
    ids=["ESC", "NUL", "BEL", "DEL", "NEL", "CSI", "FFFE"],
)
def test_a_control_character_in_a_record_is_placed_and_named(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], char: str, said: str
) -> None:
    """Where the character is, in Vietnamese: not libyaml's English at 1:1."""
    text = (ROOT / "cases/ban-mo/screening/RS-2024-flmqck.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[11] == "  ethnicity: Hà Nhì"
    rel = "cases/ban-mo/screening/RS-2024-flmqck.yaml"
    repo.write(rel, text.replace("Hà Nhì", f"H{char}[31mX", 1))
    args = ["validate", "--no-cache", "--repo", str(repo.root), "--as-of", "2026-11-26"]
    args.append(str(repo.root / rel))
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{rel}:12:15: tệp chứa {said}; hãy xóa ký tự này"
    assert main([*args, "--format", "json"]) == 1
    assert f"tệp chứa {said}; hãy xóa ký tự này" in capsys.readouterr().out


def test_tab_and_line_endings_are_no_control_characters() -> None:
    from hoso import yamlio

    assert yamlio.load_strict("a: 'b\tc'\r\nd: e\r\n") == {"a": "b\tc", "d": "e"}


CELL_VOTED = EXAMPLES / "valid" / "admission-cell-voted.yaml"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("12\x1b[2K\rGIẢ MẠO", "001B"),
        ("12\rGIẢ MẠO", "000D"),
        ("a\nb", "000A"),
        ("12\tGCN", "0009"),
        ("12\x07", "0007"),
        ("12-GCN\u202eNT", "202E"),
    ],
    ids=["ESC", "CR", "LF", "TAB", "BEL", "RLO"],
)
def test_a_document_number_is_one_visible_line(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], number: str, code: str
) -> None:
    """Typed in a command: refused before anything is written."""
    rel = repo.place(CELL_VOTED)
    before = (repo.root / rel).read_bytes()
    args = ["transition", str(repo.root / rel), "--to", "partial_appraised", "--date"]
    args += ["27/10/2026", "--body", "khe-lam-x02-bp", "--doc-number", number]
    assert main([*args, "--repo", str(repo.root)]) == 1
    err = capsys.readouterr().err
    assert (
        "--doc-number: giá trị chỉ được viết trên một dòng, không chứa ký tự điều khiển hay "
        f"ký tự ẩn; có ký tự U+{code}"
    ) in err
    assert (repo.root / rel).read_bytes() == before


def test_hand_edits_to_free_text_are_checked(repo: TempRepo) -> None:
    """Written in the file by hand: one-line fields refuse a line break, notes may run over
    several lines but hold no other control character."""
    text = CELL_VOTED.read_text(encoding="utf-8")
    text = text.replace("number: 61-GCN/TTCT", 'number: "61-GCN\\rTTCT"', 1)
    text = text.replace("    body: khe-lam.propaganda\n", '    body: khe-lam.propaganda\n'
                        '    note: "Đã học\\nđủ buổi"\n', 1)  # fmt: skip
    text = text.replace("    body: khe-lam-x02-cb1\n", '    body: khe-lam-x02-cb1\n'
                        '    note: "Đơn \\x1b[31mđỏ"\n', 1)  # fmt: skip
    rel = "cases/khe-lam/admission/KN-2024-test01.yaml"
    repo.write(rel, text)
    lines = [line.split(": ", 1)[1] for line in repo.lines(rel)]
    assert lines == [
        "history[0].note: văn bản chỉ được xuống dòng, không chứa ký tự điều khiển hay ký tự "
        "ẩn; có ký tự U+001B",
        "history[1].document.number: giá trị chỉ được viết trên một dòng, không chứa ký tự "
        "điều khiển hay ký tự ẩn; có ký tự U+000D",
    ]
