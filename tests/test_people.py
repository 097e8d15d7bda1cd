"""What a clerk types and reads: labels for codes, days as people write them, filters that
never silently show nothing, the right kind of unit, validation by folder and case id."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete

from conftest import EXAMPLES, TempRepo
from hoso import labels, yamlio
from hoso.cli.main import cli, main
from hoso.cli.values import parse_day

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
PERSON = ["--name", "Lò Văn Thử", "--birth-date", "02/01/2000", "--ethnicity", "Thái"]


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# Days ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("02/01/2000", date(2000, 1, 2)),
        ("2/1/2000", date(2000, 1, 2)),
        ("02.01.2000", date(2000, 1, 2)),
        ("2000-01-02", date(2000, 1, 2)),
        (" 29/02/2024 ", date(2024, 2, 29)),
        ("15-08-1998", date(1998, 8, 15)),
        ("2-1-2000", date(2000, 1, 2)),
        ("2026/11/05", date(2026, 11, 5)),
    ],
)
def test_days_as_people_write_them(typed: str, day: date) -> None:
    assert parse_day(typed) == day


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("29/02/2023", "ngày 29/02/2023 không có trên lịch"),
        ("2023-13-01", "ngày 01/13/2023 không có trên lịch"),
        ("01/02/23", "năm phải ghi đủ 4 chữ số \\(ví dụ 01/02/1923 hoặc 01/02/2023\\)"),
        ("15-08-98", "năm phải ghi đủ 4 chữ số \\(ví dụ 15/08/1998 hoặc 15/08/2098\\)"),
        ("31-02-2025", "ngày 31/02/2025 không có trên lịch"),
        ("hôm qua", "ngày phải viết dạng ngày/tháng/năm"),
    ],
)
def test_impossible_days_are_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_day(typed)


def test_new_takes_dd_mm_yyyy_and_keeps_iso(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _hoso(
        capsys,
        "new",
        "kết nạp",
        "--cell",
        "khe-lam-x03-cb1",
        *PERSON,
        "--sex",
        "nam",
        "--date",
        "02/11/2026",
        "--repo",
        str(repo.root),
    )
    assert code == 0, err
    rel = out.strip()
    assert rel.startswith("cases/khe-lam/admission/KN-2026-")
    data = yamlio.load_bytes((repo.root / rel).read_bytes())
    text = (repo.root / rel).read_text(encoding="utf-8")
    assert data["subject"]["birth_date"] == "2000-01-02"
    assert data["subject"]["sex"] == "male"
    assert data["history"][0]["date"] == "2026-11-02"
    assert "birth_date: 2000-01-02\n" in text and "date: 2026-11-02\n" in text


# Codes and labels ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(labels.VOCABULARIES))
def test_every_option_value_is_accepted_by_code_and_by_label(name: str) -> None:
    from hoso.cli.values import Coded

    param = Coded(labels.VOCABULARIES[name], "X")
    for code, text in labels.VOCABULARIES[name].labels.items():
        assert param.convert(code, None, None) == code
        assert param.convert(text, None, None) == code
        assert param.convert(labels.fold(text), None, None) == code


@pytest.mark.parametrize(
    "typed",
    [
        "Lò Văn Bốn|đoàn viên|01/03/2023",
        "Lò Văn Bốn, Đoàn TN, 01/03/2023",
        " Lò Văn Bốn,đoàn viên,1-3-2023",
    ],
)
def test_introducers_as_people_write_them(typed: str) -> None:
    from hoso.cli.event_options import _introducer

    assert _introducer(typed) == {
        "name": "Lò Văn Bốn",
        "kind": "youth_union",
        "known_since": date(2023, 3, 1),
    }


def test_a_vote_by_raised_hands_is_one_by_show_of_cards() -> None:
    from hoso.cli.values import coded

    assert coded("method", "X").convert("giơ tay", None, None) == "show_of_cards"


def test_an_introducer_in_two_parts_is_refused_with_both_forms() -> None:
    import click

    from hoso.cli.event_options import _introducer

    with pytest.raises(click.BadParameter) as refused:
        _introducer("Lò Văn Bốn, 01/03/2023")
    assert "cần 'Họ tên|loại|ngày' hoặc 'Họ tên, loại, ngày'" in str(refused.value)


def test_a_value_that_matches_nothing_gets_the_closest_choices(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _hoso(
        capsys,
        "new",
        "exemption",
        "--cell",
        "khe-lam-x03-cb1",
        *PERSON,
        "--sex",
        "nam",
        "--reason",
        "tuoi caoo",
        "--repo",
        str(repo.root),
    )
    assert code == 2
    assert (
        "Giá trị không hợp lệ cho '--reason': không có lý do miễn sinh hoạt 'tuoi caoo'. "
        "Có phải ý bạn là “tuổi cao”? Các giá trị: tuổi cao; sức khỏe yếu; điều trị bệnh ở xa;"
    ) in err


def test_labels_with_or_without_diacritics_reach_the_file(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _hoso(
        capsys,
        "new",
        "mien sinh hoat",
        "--cell",
        "Chi bộ bản Phiêng Lếch 1",
        *PERSON,
        "--sex",
        "NỮ",
        "--birth-date",
        "1/2/1960",
        "--reason",
        "tuoi cao",
        "--date",
        "03/11/2026",
        "--repo",
        str(repo.root),
    )
    assert code == 0, err
    data = yamlio.load_bytes((repo.root / out.strip()).read_bytes())
    assert (data["kind"], data["cell"], data["reason"]) == ("exemption", "khe-lam-x03-cb1", "age")
    assert data["subject"]["sex"] == "female"


def test_explain_lists_every_value_of_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    from hoso.explain import OPTION_VALUES

    for kind in labels.VOCABULARIES["kind"].labels:
        code, out, _ = _hoso(capsys, "explain", kind)
        assert code == 0
        heading = "GIÁ TRỊ GHI TRONG TỆP" if kind == "ranking" else "GIÁ TRỊ CỦA CÁC TÙY CHỌN"
        values = out.split(heading, 1)[1]
        for text in labels.states(kind).labels.values():
            assert f"    {text}\n" in values
        person = kind not in ("org_discipline", "ranking")  # no sex for an organisation
        for option, vocabulary in (*OPTION_VALUES[kind], *([("--sex", "sex")] if person else [])):
            assert f"{option} ({labels.VOCABULARIES[vocabulary].name}):" in values
            for value, text in labels.VOCABULARIES[vocabulary].labels.items():
                # Typed by its label; a value written in the file by hand, with its code.
                shown = text if option.startswith("--") else f"{text} (ghi: {value})"
                assert f"    {shown}\n" in values


def test_explain_takes_the_kind_by_its_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _hoso(capsys, "explain", "Kỷ luật đảng viên")
    assert code == 0 and out.startswith("KỶ LUẬT ĐẢNG VIÊN\n")
    assert "phải ghi: văn bản (--doc-number)" in out
    assert "hình thức kỷ luật (--form)" in out


# The right kind of unit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "what"),
    [
        ("khe-lam", "Đảng bộ huyện Khê Lam (khe-lam) là cấp huyện, không phải chi bộ"),
        ("khe-lam-x02", "Đảng bộ xã Huổi Mạ (khe-lam-x02) là tổ chức cơ sở đảng, không phải chi"),
        ("khe-lam-x02-bp", "(khe-lam-x02-bp) là đảng ủy bộ phận, không phải chi bộ"),
        ("thu-nghiem", "là cấp tỉnh, không phải chi bộ"),
    ],
)
def test_new_refuses_a_unit_that_is_not_a_cell(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], cell: str, what: str
) -> None:
    code, _, err = _hoso(
        capsys,
        "new",
        "admission",
        "--cell",
        cell,
        *PERSON,
        "--sex",
        "nam",
        "--repo",
        str(repo.root),
    )
    assert code == 2, err
    assert what in err
    assert not list((repo.root / "cases").rglob("*.yaml"))


def test_new_accepts_a_grassroots_cell(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _hoso(
        capsys,
        "new",
        "admission",
        "--cell",
        "khe-lam-x05",  # Chi bộ xã Pú Xa: a grassroots organisation that is a cell
        *PERSON,
        "--sex",
        "nam",
        "--date",
        "02/11/2026",
        "--repo",
        str(repo.root),
    )
    assert code == 0, err
    assert out.startswith("cases/khe-lam/admission/")


def test_new_takes_a_name_shared_by_a_commune_and_one_cell_as_the_cell(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Phiêng Lếch" names the commune and its cell; --cell wants a cell, so it is the cell."""
    code, out, err = _hoso(
        capsys, "new", "admission", "--cell", "Phiêng Lếch", *PERSON, "--sex", "nam",
        "--date", "02/11/2026", "--repo", str(repo.root),
    )  # fmt: skip
    assert code == 0, err
    assert "cell: khe-lam-x03-cb1" in (repo.root / out.strip()).read_text(encoding="utf-8")


def test_new_suggests_cells_for_an_unknown_one(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _hoso(
        capsys,
        "new",
        "admission",
        "--cell",
        "khe-lam-x03-cb9",
        *PERSON,
        "--sex",
        "nam",
        "--repo",
        str(repo.root),
    )
    assert code == 2
    assert "không có chi bộ 'khe-lam-x03-cb9'. Có phải ý bạn là “Chi bộ bản Phiêng Lếch 1”" in err
    assert "khe-lam-x03-cb1" not in err  # labels, not codes


# Filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["list", "--unit", "khe-lamm"],
            "không có đơn vị 'khe-lamm'. Có phải ý bạn là “Đảng bộ huyện Khê Lam”,",
        ),
        (
            ["list", "--kind", "admision"],
            "không có loại hồ sơ 'admision'. Có phải ý bạn là “Kết nạp đảng viên”? Các giá trị: "
            "“Kết nạp đảng viên”; “Rà soát, sàng lọc đảng viên”;",
        ),
        (
            ["list", "--status", "decidd"],
            "không có trạng thái 'decidd'. Có phải ý bạn là “Đã có quyết định kết nạp”?",
        ),
        (
            ["list", "--kind", "transfer", "--status", "decided"],
            "không có trạng thái 'decided'.",
        ),
        (
            ["due", "--unit", "khe lamm"],
            "không có đơn vị 'khe lamm'. Có phải ý bạn là “Đảng bộ huyện Khê Lam”,",
        ),
        (
            ["report", "--period", "2025", "--unit", "khe-lamm"],
            "không có đơn vị 'khe-lamm'. Có phải ý bạn là “Đảng bộ huyện Khê Lam”,",
        ),
        (
            ["list", "--unit", "phieng lech"],
            "“phieng lech” khớp với nhiều đơn vị: Đảng bộ xã Phiêng Lếch; Chi bộ bản Phiêng "
            "Lếch 1. Hãy gõ rõ hơn.",
        ),
        (
            ["due", "--unit", "Phiêng Lếch"],
            "“Phiêng Lếch” khớp với nhiều đơn vị: Đảng bộ xã Phiêng Lếch; Chi bộ bản Phiêng "
            "Lếch 1. Hãy gõ rõ hơn.",
        ),
        (
            ["list", "--kind", "kỷ luật"],
            "“kỷ luật” khớp với nhiều loại hồ sơ: Kỷ luật đảng viên; Kỷ luật tổ chức đảng. "
            "Hãy gõ rõ hơn.",
        ),
        (
            ["list", "--status", "dự bị"],
            "“dự bị” khớp với nhiều trạng thái: “Đã tổ chức lễ kết nạp; đang trong thời gian "
            "dự bị”; “Đã bị xóa tên khỏi danh sách đảng viên dự bị”. Hãy gõ rõ hơn.",
        ),
        (
            ["list", "--kind", "admission", "--status", "du bi"],
            "“du bi” khớp với nhiều trạng thái: “Đã tổ chức lễ kết nạp; đang trong thời gian "
            "dự bị”; “Đã bị xóa tên khỏi danh sách đảng viên dự bị”. Hãy gõ rõ hơn.",
        ),
    ],
)
def test_an_unknown_filter_is_a_usage_error_with_suggestions(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    repo.place(GOOD)
    code, out, err = _hoso(capsys, *args, "--repo", str(repo.root))
    assert code == 2, out
    assert expected in err
    assert out == ""


def test_filters_take_names(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.place(GOOD)
    for args in (
        ["--unit", "khe lam", "--kind", "kết nạp", "--status", "cell_voted"],
        ["--unit", "Đảng bộ xã Huổi Mạ", "--status", "Chi bộ đã ra nghị quyết đề nghị kết nạp"],
    ):
        code, out, _ = _hoso(capsys, "list", *args, "--repo", str(repo.root))
        assert code == 0
        assert out.splitlines() == [
            "KN-2024-test01  Chi bộ bản Huổi Mạ 1  Kết nạp đảng viên: Chi bộ đã ra nghị quyết "
            "đề nghị kết nạp",
            "1 hồ sơ.",
        ]


def test_due_scopes_to_one_units_subtree(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.place(GOOD)  # in khe-lam-x02-cb1, due 14/01/2027
    args = ["--as-of", "20/01/2027", "--repo", str(repo.root)]
    code, out, _ = _hoso(capsys, "due", "--unit", "khe-lam-x02", *args)
    assert code == 0
    assert out.splitlines() == [
        "Đảng bộ huyện Khê Lam:",
        "  14/01/2027  QUÁ HẠN      KN-2024-test01  Ra quyết định kết nạp (quá 6 ngày) — "
        "Chi bộ bản Huổi Mạ 1",
        "1 việc quá hạn hoặc đến hạn trong 30 ngày tới ở Đảng bộ xã Huổi Mạ (tính từ 20/01/2027).",
    ]
    code, out, _ = _hoso(capsys, "due", "--unit", "khe-lam-x03", *args)
    assert out.splitlines() == [
        "0 việc quá hạn hoặc đến hạn trong 30 ngày tới ở Đảng bộ xã Phiêng Lếch "
        "(tính từ 20/01/2027)."
    ]


# validate by folder and case id ----------------------------------------------------------------


def test_validate_takes_folders_and_case_ids(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.place(GOOD)
    repo.place(EXAMPLES / "invalid" / "rule-cell-is-district.yaml")
    bad_id = "KN-2024-test03"
    for args, checked, code_wanted in (
        (["KN-2024-test01"], 1, 0),
        ([bad_id], 1, 1),
        ([str(repo.root / "cases" / "khe-lam")], 2, 1),
        ([str(repo.root / "cases")], 2, 1),
        ([str(repo.root)], 2, 1),
    ):
        code, out, _ = _hoso(
            capsys, "validate", *args, "--repo", str(repo.root), "--as-of", "26/11/2026"
        )
        assert code == code_wanted, (args, out)
        assert f"Đã kiểm tra {checked} tệp hồ sơ" in out.splitlines()[-1], args


def test_validate_names_what_it_cannot_find(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.place(GOOD)
    code, _, err = _hoso(capsys, "validate", "KN-2024-test0l", "--repo", str(repo.root))
    assert code == 2
    assert "không có tệp, thư mục hay mã hồ sơ 'KN-2024-test0l'." in err
    assert "Có phải ý bạn là: KN-2024-test01?" in err
    code, _, err = _hoso(
        capsys, "validate", str(repo.root / "governance"), "--repo", str(repo.root)
    )
    assert code == 2 and "thư mục không chứa hồ sơ" in err
    # A file that is not there is a usage error that says so, wherever it was looked for.
    for missing in ("khong-co.yaml", "cases/khe-lam/admission/KN-2024-zzzzzz.yaml"):
        code, out, err = _hoso(capsys, "validate", missing, "--repo", str(repo.root))
        assert (code, out, err) == (2, "", f"hoso: không có tệp {missing}\n")


# Shell completion ------------------------------------------------------------------------------


def _complete(args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
    completer = ShellComplete(cli, {}, "hoso", "_HOSO_COMPLETE")
    return [(item.value, item.help) for item in completer.get_completions(args, incomplete)]


def test_completion_of_kinds_states_units_and_case_ids(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.place(GOOD)
    monkeypatch.chdir(repo.root)
    assert ("admission", "Kết nạp đảng viên") in _complete(["new"], "ad")
    assert _complete(["explain"], "ky") == [
        ("discipline", "Kỷ luật đảng viên"),
        ("org_discipline", "Kỷ luật tổ chức đảng"),
    ]
    assert ("khe-lam-x03-cb1", "Chi bộ bản Phiêng Lếch 1") in _complete(
        ["new", "admission", "--cell"], "khe-lam-x03"
    )
    assert _complete(["show"], "KN-2024") == [("KN-2024-test01", None)]
    assert ("cell_voted", "Chi bộ đã ra nghị quyết đề nghị kết nạp") in _complete(
        ["list", "--kind", "admission", "--status"], "cell"
    )
    assert ("khe-lam.standing", "Ban Thường vụ huyện Khê Lam") in _complete(
        ["transition", "KN-2024-test01", "--body"], "khe-lam.st"
    )
    assert ("age", "tuổi cao") in _complete(["new", "exemption", "--reason"], "tuoi")
    # --to offers the steps this case can take next.
    assert _complete(["transition", "KN-2024-test01", "--to"], "") == [
        ("partial_appraised", "Đảng ủy bộ phận đã thẩm định"),
        ("grassroots_voted", "Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp"),
        ("district_appraised", "Ban tổ chức cấp ủy cấp huyện đã thẩm định"),
        ("decided", "Đã có quyết định kết nạp"),
        ("not_admitted", "Cấp có thẩm quyền không kết nạp"),
    ]
    assert ("staff", "cán bộ") in _complete(["site", "--audience"], "")


def test_completion_never_breaks_outside_a_repository(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(str(tmp_path))
    assert _complete(["show"], "KN") == []
    assert _complete(["list", "--unit"], "kh") == []


def test_click_is_not_asked_for_a_choice_list() -> None:
    """Options with closed values take labels, so none is a bare click.Choice of codes (the
    output formats and audiences excepted)."""
    allowed = {"fmt", "forge"}
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param.type, click.Choice):
                assert param.name in allowed, (name, param.name)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("tay", "Tày"), ("dân tộc thái", "Thái"), ("H'Mông", "Mông"), ("Khơ-me", "Khmer"),
     ("kho mu", "Khơ Mú"), ("Van Kieu", "Bru Vân Kiều"), ("  Mường ", "Mường")],
)  # fmt: skip
def test_an_ethnic_group_is_written_by_its_official_name_however_typed(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], typed: str, kept: str
) -> None:
    """Reports count by ethnic group: "tay" and "Tày" must be one group."""
    person = ["--name", "Lò Văn Thử", "--birth-date", "02/01/2000", "--sex", "nam"]
    code, out, err = _hoso(
        capsys, "new", "kết nạp", "--cell", "khe-lam-x03-cb1", *person, "--ethnicity", typed,
        "--date", "02/11/2026", "--repo", str(repo.root),
    )  # fmt: skip
    assert code == 0, err
    data = yamlio.load_bytes((repo.root / out.strip()).read_bytes())
    assert data["subject"]["ethnicity"] == kept


@pytest.mark.parametrize(
    ("vocabulary", "typed", "found"),
    [
        ("introducer", "Đoàn cơ sở", ["youth_union"]),  # the youth union's, not "Công đoàn cơ sở"
        ("introducer", "BCH Đoàn cơ sở", ["youth_union"]),
        ("introducer", "Công đoàn cơ sở", ["trade_union"]),
        ("method", "biểu quyết", []),  # any vote: not a vote by show of cards
        ("method", "tay", []),
        ("method", "giơ tay", ["show_of_cards"]),
    ],
)
def test_an_everyday_word_counts_only_whole(vocabulary: str, typed: str, found: list[str]) -> None:
    table = {"introducer": (labels.INTRODUCER_LABELS, labels.INTRODUCER_WORDS),
             "method": (labels.METHOD_LABELS, labels.METHOD_WORDS)}[vocabulary]  # fmt: skip
    assert labels.matching(table[0], typed, table[1]) == found


def test_the_same_person_is_not_opened_twice_by_mistake(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command run twice ("did it work?"): the second is refused naming the first case;
    --again opens it all the same."""
    args = ["new", "kết nạp", "--cell", "khe-lam-x03-cb1", *PERSON, "--sex", "nam"]
    args += ["--date", "02/11/2026", "--repo", str(repo.root)]
    code, first, _ = _hoso(capsys, *args)
    assert code == 0
    case = Path(first.strip()).stem
    code, out, err = _hoso(capsys, *args)
    assert code == 1 and out == "" and f"đã có hồ sơ kết nạp đảng viên {case} đang mở" in err
    code, out, _ = _hoso(capsys, *args, "--again")
    assert code == 0 and Path(out.strip()).stem != case


def test_two_people_whose_names_differ_only_in_marks_are_two_people(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hùng and Hưng, born the same day in one cell: not the command run twice. A FIFO named
    like a record in the folder is passed over, never waited on."""
    import os

    folder = repo.root / "cases" / "khe-lam" / "admission"
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "KN-2026-fifo01.yaml")
    base = ["new", "kết nạp", "--cell", "khe-lam-x03-cb1", "--birth-date", "02/01/2000"]
    base += [
        "--sex",
        "nam",
        "--ethnicity",
        "Thái",
        "--date",
        "02/11/2026",
        "--repo",
        str(repo.root),
    ]
    assert _hoso(capsys, *base, "--name", "Lò Văn Hùng")[0] == 0
    code, _, err = _hoso(capsys, *base, "--name", "Lò Văn Hưng")
    assert code == 0, err


def test_a_value_far_longer_than_any_name_is_refused_without_comparing(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comparing grows with the square of the length (40,000 characters took seconds, in a
    form too): a value longer than any name is never compared."""
    compare = labels.words

    def words(text: str) -> str:
        assert len(text) <= labels.MAX_TYPED, "a value longer than any name was compared"
        return compare(text)

    monkeypatch.setattr(labels, "words", words)
    code, _, err = _hoso(capsys, "list", "--unit", "x" * 40_000, "--repo", str(repo.root))
    assert code == 2 and "không có" in err
