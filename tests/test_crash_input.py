"""Input that used to crash a run (exit 3): each is now one finding, and the run goes on."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, TempRepo
from hoso import yamlfast, yamlio, yamllib
from hoso.cli.main import main
from hoso.models import RECORD_MODELS

GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
PLACE = "cases/khe-lam/admission/KN-2024-test01.yaml"
OTHER = "cases/khe-lam/admission/KN-2024-test02.yaml"
"""A second, broken file beside the bad one: its finding must still be reported."""


def _validate(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    repo.write(OTHER, "id: [\n")
    code = main(["validate", "--no-cache", "--repo", str(repo.root), "--as-of", "2026-11-26"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines()[:-1]


@pytest.mark.parametrize(
    ("written", "shown"), [("[admission]", "một danh sách"), ("{}", "một nhóm trường")]
)
def test_kind_that_is_not_a_string(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], written: str, shown: str
) -> None:
    repo.write(PLACE, GOOD.replace("kind: admission", f"kind: {written}"))
    code, lines = _validate(repo, capsys)
    assert code == 1
    assert lines[0].startswith(f"{PLACE}:5:1: kind: loại hồ sơ phải là một trong: admission (")
    assert lines[0].endswith(f"; nhận được {shown}")
    assert all(kind in lines[0] for kind in RECORD_MODELS)
    assert lines[1].startswith(f"{OTHER}:")


def test_integer_of_more_than_4300_digits(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(PLACE, GOOD.replace("sample: true", "sample: " + "7" * 5000))
    code, lines = _validate(repo, capsys)
    assert code == 1
    assert lines[0] == f"{PLACE}:8:9: số quá dài: 5,000 chữ số, tối đa 1,000"
    assert lines[1].startswith(f"{OTHER}:")


@pytest.mark.parametrize("depth", [65, 340, 2000])
def test_block_mapping_nested_deep(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    nested = "".join(" " * i + f"k{i}:\n" for i in range(depth))
    repo.write(PLACE, GOOD + "deep:\n" + " " + nested.replace("\n", "\n ").rstrip(" "))
    code, lines = _validate(repo, capsys)
    assert code == 1
    if depth < 1000:  # beyond that libyaml refuses by itself, before our own limit
        assert lines[0] == f"{PLACE}:118:65: các nhóm trường lồng nhau quá sâu (quá 64 cấp)"
    assert lines[0].startswith(f"{PLACE}:")
    assert lines[1].startswith(f"{OTHER}:")


def test_quick_reader_and_libyaml_agree_on_depth() -> None:
    def nested(levels: int) -> str:
        return "".join("  " * i + f"k{i}:\n" for i in range(levels - 1)) + "  " * levels + "x: 1\n"

    assert isinstance(yamlio.load_text(nested(yamlfast.MAX_DEPTH)), dict)
    assert yamlfast.load(nested(yamlfast.MAX_DEPTH)) == yamlio.load_strict(
        nested(yamlfast.MAX_DEPTH)
    )
    deeper = nested(yamlfast.MAX_DEPTH + 1)
    assert yamlfast.load(deeper) is None
    problem = yamlio.load_text(deeper)
    assert isinstance(problem, yamlio.YamlProblem) and problem.rule == "yaml.depth"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (".inf", float("inf")),
        (".Inf", float("inf")),
        ("-.INF", float("-inf")),
        ("+.inf", float("inf")),
        (".iNf", ".iNf"),
        (".INf", ".INf"),
        (".nAn", ".nAn"),
        ("-.nan", "-.nan"),
    ],
)
def test_special_floats_only_in_the_spellings_yaml_allows(written: str, read: object) -> None:
    for loaded in (yamlfast.load(f"a: {written}\n"), yamlio.load_strict(f"a: {written}\n")):
        assert isinstance(loaded, dict)
        assert loaded["a"] == read or (read != read and loaded["a"] != loaded["a"])
        assert type(loaded["a"]) is type(read)


def test_nan_spellings() -> None:
    for written in (".nan", ".NaN", ".NAN"):
        value = yamlio.load_text(f"a: {written}\n")["a"]
        assert isinstance(value, float) and value != value


class _Counting:
    """Counts how often libyaml's loader is set up to parse each text."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parses: list[str] = []
        counter = self

        class Loader(yamllib._Loader):
            def __init__(self, stream: str) -> None:
                counter.parses.append(stream)
                super().__init__(stream)

        monkeypatch.setattr(yamllib, "_Loader", Loader)


def test_placing_every_finding_of_a_file_costs_one_parse(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, _, _ = GOOD.partition("history:\n")
    repo.write(PLACE, head + "history:\n" + "  - {}\n" * 1000 + "  - date: 2999-01-01\n")
    counting = _Counting(monkeypatch)
    result = repo.validate()
    assert len(result.findings) > 3000  # date, state, body missing in each of 1000 items
    assert {f.line for f in result.findings} >= set(range(17, 1017))
    # One parse to load (the quick reader defers on flow items), one to place every finding.
    assert counting.parses.count((repo.root / PLACE).read_text(encoding="utf-8")) <= 2


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Lò Văn\nThử", "000A"),
        ("Lò Văn\u2028Thử", "2028"),
        ("Lò\x1b[31mVăn", "001B"),
        ("Lò Văn\u202eửhT", "202E"),
        ("Lò\u200bVăn", "200B"),
    ],
)
def test_new_refuses_a_name_with_hidden_characters(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], name: str, code: str
) -> None:
    from test_editing import NEW_ARGS

    args = [name if a == "Lò Văn Thử" else a for a in NEW_ARGS]
    assert main(["new", "admission", *args, "--repo", str(repo.root)]) == 1
    _, err = capsys.readouterr()
    assert (
        "--name: tên chỉ được viết trên một dòng, không chứa ký tự điều khiển hay ký tự "
        f"ẩn; có ký tự U+{code}"
    ) in err
    assert list((repo.root / "cases").rglob("*")) == []


def test_new_refuses_a_birth_date_in_year_one(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_editing import NEW_ARGS

    args = ["0001-01-02" if a == "2000-01-02" else a for a in NEW_ARGS]
    assert main(["new", "admission", *args, "--repo", str(repo.root)]) == 1
    _, err = capsys.readouterr()
    assert (
        "--birth-date: ngày phải trong khoảng từ 01/01/1900 đến 31/12/2099; nhận được 02/01/0001"
    ) in err
    assert list((repo.root / "cases").rglob("*.yaml")) == []
