"""Bad input that cannot live in an example file: bytes, sizes, links, several files."""

from __future__ import annotations

import os

import pytest

from conftest import EXAMPLES, TempRepo
from hoso import yamlio

GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
PLACE = "cases/khe-lam/admission/KN-2024-test01.yaml"


def _only(repo: TempRepo) -> list[str]:
    return repo.lines()


def test_byte_order_mark(repo: TempRepo) -> None:
    repo.write(PLACE, b"\xef\xbb\xbf" + GOOD.encode())
    assert _only(repo) == [
        f"{PLACE}:1:1: tệp bắt đầu bằng dấu BOM; hãy lưu dưới dạng UTF-8 không BOM"
    ]


def test_non_utf8_bytes(repo: TempRepo) -> None:
    raw = GOOD.replace("Thái", "TH_I").encode().replace(b"TH_I", b"Th\xe1i")
    repo.write(PLACE, raw)
    assert _only(repo) == [
        f"{PLACE}:13:16: tệp không phải UTF-8 hợp lệ: byte 0xE1 không đọc được; hãy lưu tệp "
        "dưới dạng UTF-8"
    ]


def test_nesting_too_deep(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD.replace("history:\n", "history:\n  - " + "[" * 3000 + "]" * 3000 + "\n"))
    (found,) = _only(repo)
    assert found.startswith(f"{PLACE}:") and found.endswith(
        ": các nhóm và danh sách lồng nhau quá sâu: một hồ sơ chỉ cần vài cấp; tệp có thể bị "
        "hỏng hoặc cố ý làm hỏng"
    )


def test_an_empty_value_is_called_empty(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD.replace("ethnicity: Thái", "ethnicity:"))
    assert _only(repo) == [
        f"{PLACE}:13:13: subject.ethnicity: phải là một chuỗi văn bản (đặt trong dấu ngoặc kép "
        "nếu là số); nhận được giá trị trống (chưa ghi gì sau dấu ':')"
    ]


def test_a_missing_or_empty_kind_is_called_so(repo: TempRepo) -> None:
    kinds = (
        "admission (kết nạp đảng viên), screening (rà soát, sàng lọc đảng viên), discipline (kỷ "
        "luật đảng viên), transfer (chuyển sinh hoạt đảng), exemption (miễn sinh hoạt đảng), "
        "org_discipline (kỷ luật tổ chức đảng), ranking (đánh giá, xếp loại chất lượng đảng "
        "viên), plan (kế hoạch thực hiện)"
    )
    repo.write(PLACE, GOOD.replace("kind: admission\n", ""))
    (found,) = _only(repo)
    assert found.endswith(f": kind: thiếu trường kind (loại hồ sơ); ghi một trong: {kinds}")
    repo.write(PLACE, GOOD.replace("kind: admission", "kind:"))
    (found,) = _only(repo)
    assert found.endswith("nhận được giá trị trống (chưa ghi gì sau dấu ':')")
    assert "None" not in found


@pytest.mark.parametrize("written", ["2", "010", "1e3", "null", "~", "true", ".nan", ".inf"])
@pytest.mark.parametrize("nested", [True, False])
def test_a_key_that_is_not_a_name_is_placed_at_it_and_shown_as_written(
    repo: TempRepo, written: str, nested: bool
) -> None:
    lines = GOOD.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("  sex:" if nested else "unit:"))
    added = f"  {written}: nam\n" if nested else f"{written}: x\n"
    repo.write(PLACE, "".join([*lines[: at + 1], added, *lines[at + 1 :]]))
    where = f"{PLACE}:{at + 2}:{3 if nested else 1}: {'subject: ' if nested else ''}"
    assert _only(repo) == [
        f"{where}khóa {written} không phải tên trường (tên trường là chữ, như unit, name hay "
        "date); có thể dòng này thiếu tên trường hoặc thụt lề sai"
    ]


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [("1", "true", "true"), ("0", "false", "false"), ("1", "1.0", "1.0")],
)
def test_two_keys_equal_only_to_python_are_not_taken_for_a_repeated_key(
    repo: TempRepo, first: str, second: str, shown: str
) -> None:
    """1: and true: are different YAML keys (Python counts them equal): neither is a name."""
    lines = GOOD.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("unit:"))
    added = [f"{first}: a\n", f"{second}: b\n"]
    repo.write(PLACE, "".join([*lines[: at + 1], *added, *lines[at + 1 :]]))
    assert _only(repo) == [
        f"{PLACE}:{at + 3}:1: khóa {shown} không phải tên trường (tên trường là chữ, như unit, "
        "name hay date); có thể dòng này thiếu tên trường hoặc thụt lề sai"
    ]


def test_each_nan_key_is_its_own(repo: TempRepo) -> None:
    """.nan equals nothing, not even another .nan: the second is said at its own line."""
    lines = GOOD.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("unit:"))
    repo.write(PLACE, "".join([*lines[: at + 1], ".nan: a\n", ".NaN: b\n", *lines[at + 1 :]]))
    assert _only(repo) == [
        f"{PLACE}:{at + 3}:1: khóa .NaN không phải tên trường (tên trường là chữ, như unit, "
        "name hay date); có thể dòng này thiếu tên trường hoặc thụt lề sai"
    ]


def test_an_empty_key_is_named_empty(repo: TempRepo) -> None:
    lines = GOOD.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("unit:"))
    repo.write(PLACE, "".join([*lines[: at + 1], '!!null "": x\n', *lines[at + 1 :]]))
    (found,) = _only(repo)
    assert f"{PLACE}:{at + 2}:1: khóa trống không phải tên trường" in found


def test_ten_megabyte_file(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD + "# " + "x" * (10 * 1024 * 1024) + "\n")
    size = len((repo.root / PLACE).read_bytes())
    assert _only(repo) == [
        f"{PLACE}:1:1: tệp quá lớn: {size:,} byte, tối đa {yamlio.MAX_BYTES:,} byte"
    ]


def test_empty_file(repo: TempRepo) -> None:
    repo.write(PLACE, "")
    assert _only(repo) == [f"{PLACE}:1:1: tệp rỗng"]


def test_comment_only_file_is_empty(repo: TempRepo) -> None:
    repo.write(PLACE, "# only a comment\n")
    assert _only(repo) == [f"{PLACE}:1:1: tệp rỗng"]


def test_symlink_outside_repository(repo: TempRepo, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    outside.write_text(GOOD, encoding="utf-8")
    link = repo.root / PLACE
    link.parent.mkdir(parents=True)
    os.symlink(outside, link)
    assert _only(repo) == [f"{PLACE}:1:1: liên kết tượng trưng trỏ ra ngoài kho hồ sơ: {outside}"]


def test_two_files_with_the_same_id(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD)
    other = "cases/pa-vang/admission/KN-2024-test01.yaml"
    repo.write(
        other,
        GOOD.replace("unit: khe-lam", "unit: pa-vang")
        .replace("khe-lam-x02-cb1", "pa-vang-x02-cb1")
        .replace("khe-lam.propaganda", "pa-vang.propaganda"),
    )
    assert _only(repo) == [
        f"{PLACE}:4:5: id: mã hồ sơ 'KN-2024-test01' đã được dùng ở: {other}",
        f"{other}:4:5: id: mã hồ sơ 'KN-2024-test01' đã được dùng ở: {PLACE}",
    ]
    # Naming one file still finds the other on disk, without reading the whole repository.
    assert repo.lines(PLACE) == [
        f"{PLACE}:4:5: id: mã hồ sơ 'KN-2024-test01' đã được dùng ở: {other}",
    ]


def test_every_bad_file_reported_in_one_run(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD)
    repo.write("cases/khe-lam/admission/KN-2024-test02.yaml", "")
    repo.write("cases/khe-lam/admission/KN-2024-test03.yaml", b"\xff\xfe")
    repo.write("cases/khe-lam/admission/notes.txt", "ghi chú")
    result = repo.validate()
    assert result.checked == 4
    assert sorted({f.file for f in result.findings}) == [
        "cases/khe-lam/admission/KN-2024-test02.yaml",
        "cases/khe-lam/admission/KN-2024-test03.yaml",
        "cases/khe-lam/admission/notes.txt",
    ]


def test_deeply_nested_yaml_is_an_error_not_a_crash(repo: TempRepo) -> None:
    repo.write(PLACE, "a: " + "[" * 20000 + "]" * 20000 + "\n")
    lines = _only(repo)
    assert len(lines) == 1 and lines[0].startswith(f"{PLACE}:")


def test_broken_governance_is_reported_and_cases_still_checked(repo: TempRepo) -> None:
    repo.write("governance/settings.yaml", "province: thu-nghiem\nparty_card_pattern: '['\n")
    repo.write(
        PLACE, GOOD.replace("  standing: candidate", "  standing: candidate\n  nickname: Mẫu")
    )
    assert _only(repo) == [
        f"{PLACE}:15:3: subject.nickname: trường này không có trong mẫu hồ sơ "
        "(kiểm tra chính tả tên trường)",
        "governance/settings.yaml:2:21: party_card_pattern: biểu thức chính quy không hợp lệ: "
        "unterminated character set at position 0",
    ]


def test_a_line_break_in_a_file_name_cannot_split_a_line(repo: TempRepo) -> None:
    odd = "cases/khe-lam/admission/KN-2024-test01\nĐÃ DUYỆT.yaml"
    repo.write(odd, GOOD)
    lines = repo.lines()
    assert lines and all(
        line.startswith("'cases/khe-lam/admission/KN-2024-test01\\nĐÃ DUYỆT.yaml':")
        for line in lines
    )


def test_an_unclosed_quote_is_reported_where_it_opens(repo: TempRepo) -> None:
    lines = GOOD.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("  ethnicity:"))
    lines[at] = '  ethnicity: "Thái\n'
    repo.write(PLACE, "".join(lines))
    assert _only(repo) == [
        f"{PLACE}:{at + 1}:14: YAML không hợp lệ: dấu nháy mở ở đây chưa được đóng (thiếu dấu "
        "nháy cuối giá trị)"
    ]


def test_a_field_indented_too_far_says_so_in_vietnamese_only(repo: TempRepo) -> None:
    lines = GOOD.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("  sex:"))
    lines[at] = " " + lines[at]
    repo.write(PLACE, "".join(lines))
    (found,) = _only(repo)
    assert found.startswith(f"{PLACE}:{at + 1}:")
    assert found.endswith("thường do thụt lề sai (các trường cùng cấp phải thẳng cột), hoặc một "
                          "giá trị có dấu ':' chưa đặt trong dấu ngoặc kép")  # fmt: skip
    assert "mapping values" not in found


def test_a_code_in_the_wrong_form_is_said_in_words_not_as_a_pattern(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD.replace("cell: khe-lam-x02-cb1", "cell: Chi bo 1"))
    found = [line for line in _only(repo) if ": cell: " in line]
    assert found and found[0].endswith(
        "cell: không đúng định dạng: mã chỉ gồm chữ thường không dấu và chữ số, nối bằng dấu - . "
        "hoặc _ (ví dụ khe-lam-x03-cb1 hay khe-lam.standing); nhận được 'Chi bo 1'"
    )
    assert "^[" not in found[0]


def test_words_that_fit_several_codes_suggest_none(repo: TempRepo) -> None:
    """Labels come from the field's own list: "đảng viên" fits probationary and official
    alike, so no code is suggested; "đảng viên chính thức" names official."""
    repo.write(PLACE, GOOD.replace("standing: candidate", "standing: đảng viên"))
    (found,) = _only(repo)
    assert "official (đảng viên chính thức)" in found and "hãy ghi" not in found
    repo.write(PLACE, GOOD.replace("standing: candidate", "standing: đảng viên chính thức"))
    (found,) = _only(repo)
    assert found.endswith("hãy ghi official")


def test_a_number_with_a_leading_zero_is_shown_as_written_with_how_to_keep_it(
    repo: TempRepo,
) -> None:
    repo.write(
        PLACE,
        GOOD.replace("  standing: candidate\n", "  standing: candidate\n  party_card: 01112222\n"),
    )
    (found,) = _only(repo)
    assert found.endswith(
        "subject.party_card: phải là một chuỗi văn bản; 01112222 được đọc thành số 1112222: hãy "
        'viết trong dấu ngoặc kép, "01112222"'
    )


def test_true_where_text_belongs_is_not_called_a_number(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD.replace("ethnicity: Thái", "ethnicity: true"))
    (found,) = _only(repo)
    assert found.endswith("subject.ethnicity: phải là một chuỗi văn bản (đặt trong dấu ngoặc kép "
                          "nếu là số); nhận được true")  # fmt: skip


def test_a_kind_written_in_words_names_the_code(repo: TempRepo) -> None:
    repo.write(PLACE, GOOD.replace("kind: admission", "kind: kết nạp"))
    (found,) = _only(repo)
    assert found.endswith("nhận được 'kết nạp'; hãy ghi admission")
    repo.write(PLACE, GOOD.replace("kind: admission", "kind: kỷ luật"))  # two kinds: none named
    (found,) = _only(repo)
    assert found.endswith("nhận được 'kỷ luật'")
