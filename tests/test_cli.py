"""The validate command's output contract: text lines, JSON, annotations and exit statuses."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT, TempRepo
from hoso.cli.main import main
from hoso.validate import run as run_module

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
BAD = EXAMPLES / "invalid" / "wrong-enum.yaml"


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_valid_repository_exits_0(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.place(GOOD)
    code, out, _ = _hoso(capsys, "validate", "--repo", str(repo.root), "--as-of", "2026-11-26")
    assert (code, out) == (0, "Đã kiểm tra 1 tệp hồ sơ: tất cả hợp lệ.\n")


def test_invalid_record_exits_1_with_one_line_per_problem(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    rel = repo.place(BAD)
    code, out, _ = _hoso(capsys, "validate", "--repo", str(repo.root), "--as-of", "2026-11-26")
    assert code == 1
    assert out.splitlines() == [
        *BAD.with_suffix(".expected").read_text(encoding="utf-8").splitlines(),
        "Đã kiểm tra 1 tệp hồ sơ: 2 lỗi, 0 cảnh báo (KHÔNG ĐẠT).",
    ]
    assert out.startswith(f"{rel}:12:8: subject.sex: ")


def test_json_format(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    rel = repo.place(BAD)
    code, out, _ = _hoso(
        capsys, "validate", "--repo", str(repo.root), "--format", "json", "--as-of", "2026-11-26"
    )
    payload = json.loads(out)
    assert code == 1
    assert payload["status"] == "fail"
    assert payload["checked"] == 1
    assert payload["errors"][0] == {
        "file": rel,
        "line": 12,
        "column": 8,
        "field": "subject.sex",
        "rule": "schema.literal_error",
        "message": (
            "giá trị phải là một trong: male (nam), female (nữ); nhận được 'nu'; hãy ghi female"
        ),
        "severity": "error",
    }


def test_github_annotations(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = repo.place(BAD)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = _hoso(capsys, "validate", "--repo", str(repo.root), "--as-of", "2026-11-26")
    assert (
        f"::error file={rel},line=12,col=8,title=schema.literal_error::subject.sex: giá trị phải "
        "là một trong: male (nam), female (nữ); nhận được 'nu'; hãy ghi female"
    ) in out.splitlines()


def test_named_files_only(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    good = repo.place(GOOD)
    repo.write("cases/khe-lam/admission/KN-2024-test09.yaml", "")
    code, out, _ = _hoso(capsys, "validate", "--repo", str(repo.root), str(repo.root / good))
    assert (code, out) == (0, "Đã kiểm tra 1 tệp hồ sơ: tất cả hợp lệ.\n")


def test_path_outside_repository_is_a_usage_error(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.yaml"
    outside.write_text("a: 1\n")
    code, _, err = _hoso(capsys, "validate", "--repo", str(repo.root), str(outside))
    assert code == 2
    assert "tệp nằm ngoài kho hồ sơ" in err


def test_bad_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _hoso(capsys, "validate", "--format", "xml")
    assert code == 2


def test_unexpected_failure_exits_3_with_traceback(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("hỏng")

    monkeypatch.setattr(run_module, "load_governance", boom)
    code, _, err = _hoso(capsys, "validate", "--repo", str(repo.root))
    assert code == 3
    assert "Traceback" in err and "RuntimeError: hỏng" in err


def test_console_script_on_the_committed_sample() -> None:
    def hoso(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hoso.cli.main", "validate", "--no-cache", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    # The sample's open cases stopped in 2025, so today some of their steps are overdue:
    # warnings, which fail the run only under --strict.
    done = hoso()
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.splitlines()[-1]
    files = len(list((ROOT / "cases").rglob("*.yaml")))
    assert last.startswith(f"Đã kiểm tra {files} tệp hồ sơ: 0 lỗi, ") and last.endswith("(đạt).")
    # (and a district may have reported a plan task done after its deadline, a cell may not
    # yet have collected the card of a member who left, a transfer letter never presented
    # calls for screening)
    assert all(
        "cảnh báo: quá hạn" in line
        or ("/plan/" in line and ", sau hạn " in line)
        or "phải thu hồi thẻ đảng viên" in line
        or "chuyển sinh hoạt bỏ dở" in line
        for line in done.stdout.splitlines()[:-1]
    )
    strict = hoso("--strict")
    assert strict.returncode == 1 and strict.stdout.endswith("(KHÔNG ĐẠT).\n")
    clean = hoso("--as-of", "2025-12-31")
    assert clean.returncode == 0


def test_schemas_check_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _hoso(capsys, "schemas", "--check", "--repo", str(ROOT))
    assert (code, out) == (0, "Các tệp schema khớp với mô hình.\n")


def test_the_verbs_table_is_in_step_with_the_commands() -> None:
    """``hoso --help`` lists the verbs from a table without importing them: every row names
    the module and attribute of its command, and the command's help starts as it says."""
    import importlib

    import click

    from hoso.cli.main import summary
    from hoso.cli.verbs import VERBS

    for name, (module, attribute, start) in VERBS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command) and command.name == name, name
        for limit in range(30, 80):
            assert summary(start, limit) == command.get_short_help_str(limit), (name, limit)


def test_help_imports_no_verb() -> None:
    """Listing the verbs loads none of them (nor the models they use)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from hoso.cli.main import main\n"
        "main(['--help'])\n"
        "heavy = ('hoso.cli.', 'hoso.models', 'pydantic')\n"
        # Modules read from a file: the stand-in for pydantic's plugin loader is none.
        "loaded = [m for m, v in sys.modules.items() if m.startswith(heavy)\n"
        "          and getattr(v, '__file__', None)]\n"
        "light = ('hoso.cli.main', 'hoso.cli.verbs', 'hoso.cli.process')\n"
        "print(sorted(m for m in loaded if m not in light))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_validating_a_valid_file_loads_no_libyaml(repo: TempRepo) -> None:
    """A pre-commit hook's run on a file hoso wrote reads it with the quick reader: PyYAML is
    imported only for a text that needs it (the governance files, read once and kept, are
    written by hand), and a finding is still placed at its line."""
    good = sorted((ROOT / "cases").rglob("*.yaml"))[0]
    record = repo.write(good.relative_to(ROOT).as_posix(), good.read_bytes())
    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)  # where stores are kept
    code = (
        "import sys\n"
        "from hoso.cli.main import main\n"
        "code = main(['validate', sys.argv[1]])\n"
        "print(code, 'yaml' in sys.modules)\n"
    )

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, str(record)],
            capture_output=True,
            text=True,
            cwd=repo.root,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        return "\n".join([lines[-1], *lines[:-1], done.stderr])

    run()  # the governance, written by hand in places, is read once and kept
    assert run().startswith("0 False")
    text = good.read_text(encoding="utf-8")
    record.write_text(text.replace("kind:", "kind: [", 1), encoding="utf-8")
    said = run()
    assert said.startswith("1 True")
    assert re.search(rf"{re.escape(record.name)}:\d+:\d+: YAML không hợp lệ", said)


def test_progress_is_shown_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long commands draw progress on a terminal; piped output, CI logs and --quiet get none."""
    import io

    from hoso import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("HOSO_QUIET", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not progress.wanted()
    monkeypatch.setattr("sys.stderr", Terminal())
    assert progress.wanted() and not progress.wanted(quiet=True)
    monkeypatch.setenv("HOSO_QUIET", "1")
    assert not progress.wanted()
    with progress.Progress("x", 3, enabled=False) as bar:
        bar.advance()  # disabled: draws nothing, costs nothing


def test_a_parallel_validation_ends_without_a_word_from_its_workers() -> None:
    """The pool's workers inherit the SIGTERM handler; the pool ends them with SIGTERM: they
    must end as SIGTERM ends a process, not print a traceback."""
    import subprocess
    import sys

    from conftest import ROOT

    command = [sys.executable, "-m", "hoso.cli.main", "validate", "--no-cache", "--repo", str(ROOT)]
    for _ in range(3):
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr


def test_show_on_a_ranking_says_what_it_is_and_where_to_read_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ranking = next(iter(sorted((ROOT / "cases").glob("*/ranking/*.yaml"))))
    assert main(["show", "--repo", str(ROOT), str(ranking)]) == 1
    err = capsys.readouterr().err
    assert "là hồ sơ đánh giá, xếp loại" in err and "không đọc được" not in err


def test_show_on_a_broken_record_lists_its_problems_one_a_line(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    path = repo.write(
        "cases/khe-lam/admission/KN-2024-test01.yaml", text.replace("sex: female", "sex: nữ")
    )
    assert main(["show", "--repo", str(repo.root), str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("nêu từng chỗ):")
    assert err[1].startswith("  dòng ") and "hãy ghi female" in err[1]


def test_show_names_a_missing_field_in_words(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    path = repo.write(
        "cases/khe-lam/admission/KN-2024-test01.yaml", text.replace("status: cell_voted\n", "")
    )
    assert main(["show", "--repo", str(repo.root), str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[1:] == ["  dòng 4: thiếu trường bắt buộc “trạng thái” (status)"]


def test_python_dash_m_hoso_is_the_hoso_command() -> None:
    """Where the ``hoso`` script is not on the path (a Windows user's Python, say), ``python -m
    hoso`` runs the same command."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "hoso", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cách dùng: hoso ") and "validate" in done.stdout
