"""hoso new and hoso transition: valid files, one event appended, refusals that change nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLES, TempRepo, grassroots_vote
from hoso import editing
from hoso.cli.main import main

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
NEW_ARGS = [
    "--cell",
    "khe-lam-x03-cb1",
    "--name",
    "Lò Văn Thử",
    "--birth-date",
    "2000-01-02",
    "--sex",
    "male",
    "--ethnicity",
    "Thái",
    "--date",
    "2026-11-02",
]


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}
"""The legal next step of the example: its cell sits under a partial committee."""


def _good(repo: TempRepo) -> Path:
    return repo.root / repo.place(GOOD)


def _appraised(repo: TempRepo) -> Path:
    path = _good(repo)
    editing.record_step(repo.root, path, APPRAISED, AS_OF)
    return path


def test_new_writes_a_valid_case_with_its_schema_line(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _hoso(capsys, "new", "admission", *NEW_ARGS, "--repo", str(repo.root))
    assert code == 0
    rel = out.strip()
    assert rel.startswith("cases/khe-lam/admission/KN-2026-") and rel.endswith(".yaml")
    text = (repo.root / rel).read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schemas/admission.schema.json\n"
    )
    assert "status: sympathiser\n" in text
    assert [f for f in repo.validate().findings] == []


@pytest.mark.parametrize(
    ("organisation", "body"),
    [
        ("khe-lam-x03-cb1", "khe-lam-x03.executive"),
        # As people write them: the cell by its name, the commune's executive as its Đảng ủy.
        ("Chi bộ bản Phiêng Lếch 1", "Đảng ủy xã Phiêng Lếch"),
        ("chi bo ban phieng lech 1", "dang uy xa phieng lech"),
    ],
)
def test_new_opens_an_organisation_discipline_case(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], organisation: str, body: str
) -> None:
    code, out, err = _hoso(
        capsys,
        "new",
        "org_discipline",
        "--organisation",
        organisation,
        "--violation-date",
        "2026-06-01",
        "--violation-summary",
        "Không sinh hoạt ba kỳ liên tiếp (dữ liệu mẫu).",
        "--violation-category",
        "other",
        "--date",
        "2026-11-02",
        "--body",
        body,
        "--repo",
        str(repo.root),
    )
    assert code == 0, err
    rel = out.strip()
    assert rel.startswith("cases/khe-lam/org_discipline/TC-2026-")
    text = (repo.root / rel).read_text(encoding="utf-8")
    assert "organisation: khe-lam-x03-cb1\n" in text and "subject" not in text
    assert repo.validate().findings == []


def test_new_case_about_a_person_needs_the_person(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--cell", "khe-lam-x03-cb1", "--name", "Lò Văn A", "--repo", str(repo.root)]
    code, _, err = _hoso(capsys, "new", "admission", *args)
    assert code == 2 and "hồ sơ Kết nạp đảng viên cần --birth-date, --sex, --ethnicity" in err


@pytest.mark.parametrize("kind", ["discipline", "org_discipline"])
def test_a_discipline_case_names_the_violation_options_left_out(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    args = [*NEW_ARGS, "--violation-date", "01/10/2026", "--repo", str(repo.root)]
    if kind == "org_discipline":
        args += ["--organisation", "khe-lam-x03-cb1"]
    code, _, err = _hoso(capsys, "new", kind, *args)
    assert code == 2
    assert err.strip().endswith("cần --violation-summary, --violation-category")
    assert "None" not in err and "dấu ':'" not in err
    if kind == "org_discipline":  # every option left out, named at once
        code, _, err = _hoso(capsys, "new", kind, *args[:-2])  # without --organisation
        assert err.strip().endswith("cần --organisation, --violation-summary, --violation-category")


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("transfer", "cần --transfer-type, --counterpart, --move-date"),  # --direction: default
        ("exemption", "cần --reason"),
    ],
)
def test_a_transfer_or_exemption_names_the_options_left_out(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], kind: str, said: str
) -> None:
    """As for discipline: a usage error naming the options, not a field of the file."""
    code, _, err = _hoso(capsys, "new", kind, *NEW_ARGS, "--repo", str(repo.root))
    assert code == 2 and err.strip().endswith(said)


def test_new_ids_differ_and_a_taken_id_is_refused(repo: TempRepo) -> None:
    ids = {editing.new_id(repo.root, "admission", 2026) for _ in range(200)}
    assert len(ids) == 200
    _good(repo)
    with pytest.raises(editing.Refused, match="mã hồ sơ KN-2024-test01 đã có"):
        editing.new_id(repo.root, "admission", 2024, token="test01")


def test_new_refuses_a_case_that_would_be_invalid(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a if a != "2000-01-02" else "2027-01-02" for a in NEW_ARGS]
    code, _, err = _hoso(capsys, "new", "admission", *args, "--repo", str(repo.root))
    assert code == 1
    assert "không tạo hồ sơ vì hồ sơ mới sẽ không hợp lệ" in err
    # The refusal names the option to fix, not the YAML field.
    assert "  - --birth-date: ngày không được ở sau hôm nay" in err
    assert "subject.birth_date" not in err
    assert list((repo.root / "cases").rglob("*.yaml")) == []


def test_new_with_unknown_cell_is_a_usage_error(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a if a != "khe-lam-x03-cb1" else "nowhere" for a in NEW_ARGS]
    code, _, err = _hoso(capsys, "new", "admission", *args, "--repo", str(repo.root))
    assert code == 2 and "không có chi bộ 'nowhere'" in err


def test_transition_appends_one_event_and_keeps_every_other_byte(repo: TempRepo) -> None:
    path = _appraised(repo)
    before = path.read_text(encoding="utf-8").replace(
        "  ethnicity: Thái\n", "  ethnicity: Thái  # ghi chú của chi ủy\n"
    )
    path.write_text(before, encoding="utf-8")
    event = grassroots_vote()
    editing.record_step(repo.root, path, event, AS_OF)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("status: partial_appraised\n", "status: grassroots_voted\n") + (
        "  - date: 2026-11-03\n"
        "    state: grassroots_voted\n"
        "    body: khe-lam-x02.executive\n"
        "    vote:\n"
        "      official_members: 15\n"
        "      present: 15\n"
        "      in_favour: 12\n"
        "      against: 3\n"
        "      abstain: 0\n"
        "      method: secret_ballot\n"
        "    document:\n"
        "      number: 8-NQ/ĐU\n"
        "      date: 2026-11-03\n"
        "      issuer: khe-lam-x02.executive\n"
    )
    assert repo.validate().errors == []


def _refused(repo: TempRepo, path: Path, event: dict, match: str) -> None:  # type: ignore[type-arg]
    before = path.read_bytes()
    with pytest.raises(editing.Refused, match=match):
        editing.record_step(repo.root, path, event, AS_OF)
    assert path.read_bytes() == before


def test_transition_to_an_illegal_state_is_refused_with_the_legal_steps(repo: TempRepo) -> None:
    event = {"date": date(2026, 11, 3), "state": "ceremony_held", "body": "khe-lam-x02-cb1"}
    _refused(
        repo,
        _good(repo),
        event,
        "(?s)không thể chuyển từ “Chi bộ đã ra nghị quyết đề nghị kết nạp” "
        "sang “Đã tổ chức lễ kết nạp; đang trong thời gian dự bị”"
        ".*Bước hợp lệ tiếp theo theo quy trình:.*Đảng ủy bộ phận đã thẩm định",
    )


def test_a_step_recorded_again_is_called_already_recorded(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _good(repo)
    before = path.read_bytes()
    args = ["transition", str(path), "--to", "cell_voted", "--date", "03/11/2026"]
    code, _, err = _hoso(capsys, *args, "--repo", str(repo.root))
    assert code == 1
    assert "bước “Chi bộ đã ra nghị quyết đề nghị kết nạp” đã được ghi" in err
    assert path.read_bytes() == before


def test_transition_without_the_required_vote_is_refused(repo: TempRepo) -> None:
    event = {
        "date": date(2026, 11, 3),
        "state": "grassroots_voted",
        "body": "khe-lam-x02.executive",
        "document": {
            "number": "8-NQ/ĐU",
            "date": date(2026, 11, 3),
            "issuer": "khe-lam-x02.executive",
        },
    }
    _refused(
        repo,
        _appraised(repo),
        event,
        "(?s)sẽ không hợp lệ.*history\\[6\\].vote: bước "
        "“Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp” \\(grassroots_voted\\) phải ghi kết "
        "quả biểu quyết",
    )


def test_transition_by_an_incompetent_body_is_refused(repo: TempRepo) -> None:
    event = {"date": date(2026, 11, 3), "state": "partial_appraised", "body": "khe-lam-x02-cb1"}
    _refused(repo, _good(repo), event, "(?s)history\\[5\\].body")


def test_transition_on_an_invalid_file_is_refused(repo: TempRepo) -> None:
    path = _good(repo)
    path.write_text(path.read_text(encoding="utf-8").replace("sex: female", "sex: nu"))
    _refused(repo, path, APPRAISED, "(?s)tệp hiện không hợp lệ.*subject.sex")


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (("status: cell_voted\n", ""), "dòng 4: thiếu trường bắt buộc “trạng thái” (status)"),
        (
            ("status: cell_voted", "status: bogus_state"),
            "dòng 15: “trạng thái” (status) là 'bogus_state', không phải một bước của quy trình "
            "“Kết nạp đảng viên” ('hoso explain admission' nêu các bước)",
        ),
        (
            ("status: cell_voted", "status:"),
            "dòng 15: “trạng thái” (status) là giá trị trống",
        ),
    ],
    ids=["missing", "unknown", "empty"],
)
def test_transition_on_a_case_without_a_known_status_calls_the_file_invalid(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], edit: tuple[str, str], said: str
) -> None:
    """A missing or unknown status is a fault of the file, not a case that has ended."""
    path = repo.root / repo.place(GOOD, edit)
    before = path.read_bytes()
    args = ["transition", str(path), "--to", "partial_appraised", "--date", "27/10/2026"]
    code, out, err = _hoso(capsys, *args, "--body", "khe-lam-x02-bp", "--repo", str(repo.root))
    assert code == 1 and out == ""
    rel = "cases/khe-lam/admission/KN-2024-test01.yaml"
    assert err.startswith(f"hoso: {rel}: tệp không hợp lệ: trạng thái (status) của hồ sơ bị thiếu")
    assert f"'hoso validate {rel}'" in err
    assert f"\n  {said}" in err
    assert "kết thúc" not in err and "không thể chuyển" not in err
    assert path.read_bytes() == before


def test_transition_on_a_file_changed_meanwhile_is_refused(
    repo: TempRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _good(repo)
    real = editing.check_one
    calls = []

    def meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:  # after the edit is judged, before it is written
            path.write_text(path.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(editing, "check_one", meanwhile)
    with pytest.raises(editing.Refused, match="tệp đã bị thay đổi trên đĩa"):
        editing.record_step(repo.root, path, APPRAISED, AS_OF)
    assert path.read_text(encoding="utf-8").endswith("# sửa tay\n")


def _record_grassroots_vote(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], in_favour: int, official: int = 15
) -> tuple[int, str, str]:
    return _hoso(
        capsys,
        "transition",
        "KN-2024-test01",
        "--to",
        "grassroots_voted",
        "--date",
        "2026-11-03",
        "--body",
        "khe-lam-x02.executive",
        "--doc-number",
        "8-NQ/ĐU",
        "--vote-official",
        str(official),
        "--vote-present",
        str(official),
        "--vote-for",
        str(in_favour),
        "--vote-against",
        str(official - in_favour),
        "--repo",
        str(repo.root),
    )


def test_transition_command_with_vote_options(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    _appraised(repo)
    code, out, err = _record_grassroots_vote(repo, capsys, 9)
    assert code == 1, out
    assert "cần ít nhất 2/3 của 15 = 10 phiếu tán thành" in err
    code, out, _ = _record_grassroots_vote(repo, capsys, 10)
    assert code == 0
    assert out == (
        "Đã ghi bước “Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp” vào hồ sơ KN-2024-test01.\n"
    )


def test_a_committee_vote_counts_the_committee_members_serving(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The grassroots committee has 15 members serving that day: a vote of 9 is refused."""
    _appraised(repo)
    code, out, err = _record_grassroots_vote(repo, capsys, 8, official=9)
    assert code == 1, out
    assert (
        "--vote-official: Ban Chấp hành Đảng bộ xã Huổi Mạ có 15 thành viên đương nhiệm "
        "ngày 03/11/2026 theo governance/committees.yaml; nhận được 9"
    ) in err


@pytest.mark.parametrize("typed", ["KN-2024-TEST01", " kn-2024-test01 ", "Kn-2024-Test01\t"])
def test_a_case_id_is_found_however_it_is_cased_or_spaced(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    """Ids are copied from paper in capitals; the file's id is lower case after the kind."""
    _good(repo)
    code, out, err = _hoso(capsys, "show", typed, "--as-of", "2026-11-26", "--repo", str(repo.root))
    assert code == 0, err
    assert "KN-2024-test01" in out


def test_show_list_and_due(repo: TempRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _good(repo)
    code, out, _ = _hoso(
        capsys, "show", "KN-2024-test01", "--as-of", "2026-11-26", "--repo", str(repo.root)
    )
    assert code == 0
    assert "20/10/2026  Chi bộ đã ra nghị quyết đề nghị kết nạp\n" in out
    assert "    thực hiện: Chi bộ bản Huổi Mạ 1\n" in out
    assert "biểu quyết (giơ thẻ): 8/12 tán thành" in out
    assert (
        "Bước có thể ghi bây giờ:\n"
        "  - Đảng ủy bộ phận đã thẩm định\n"
        "      Tổ chức thực hiện: Đảng ủy bộ phận thôn Huổi Mạ; Ban Chấp hành Đảng ủy bộ phận "
        "thôn Huổi Mạ\n"
        "      Cần ghi: số và ngày văn bản (--doc-number SỐ_HIỆU)\n"
        '      Lệnh: hoso transition KN-2024-test01 --to "Đảng ủy bộ phận đã thẩm định" '
        '--body "Đảng ủy bộ phận thôn Huổi Mạ" --date NGÀY --doc-number SỐ_HIỆU\n'
        "\n"
        "Chưa thể ghi bây giờ:\n"
        "  Vì chi bộ thuộc Đảng ủy bộ phận thôn Huổi Mạ: phải có bước “Đảng ủy bộ phận đã thẩm "
        "định” trước khi đảng ủy cơ sở xét:\n"
        "    - Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp\n"
        "  Vì chi bộ thuộc Đảng bộ xã Huổi Mạ: đảng ủy cơ sở phải xét (“Đảng ủy cơ sở đã ra nghị "
        "quyết đề nghị kết nạp”) trước khi cấp trên quyết định:\n"
        "    - Ban tổ chức cấp ủy cấp huyện đã thẩm định\n"
        "    - Đã có quyết định kết nạp\n"
        "    - Cấp có thẩm quyền không kết nạp\n"
    ) in out
    # No code of a state or a body is printed: the clerk reads labels only.
    read = out.split("Lệnh:")[0]
    for code in ("cell_voted", "partial_appraised", "khe-lam-x02", "do:"):
        assert code not in read
    # 60 working days: 2026-11-24 (Vietnamese Culture Day) and 2027-01-01 are days off.
    assert "  - Ra quyết định kết nạp: trước 14/01/2027 (còn 49 ngày)" in out
    code, out, _ = _hoso(
        capsys, "list", "--unit", "khe-lam-x02", "--repo", str(repo.root), "--as-of", "2026-11-26"
    )
    assert out.splitlines()[-1] == "1 hồ sơ."
    code, out, _ = _hoso(capsys, "list", "--unit", "pa-vang", "--repo", str(repo.root))
    assert out.splitlines()[-1] == "0 hồ sơ."
    code, out, _ = _hoso(capsys, "due", "--as-of", "2027-01-20", "--repo", str(repo.root))
    assert out.splitlines()[:2] == [
        "Đảng bộ huyện Khê Lam:",
        "  14/01/2027  QUÁ HẠN      KN-2024-test01  Ra quyết định kết nạp (quá 6 ngày) — "
        "Chi bộ bản Huổi Mạ 1",
    ]


def test_a_receipt_is_recorded_with_the_receiving_committee_s_confirmation() -> None:
    import click

    from hoso.cli.event_options import build_event

    event = build_event(
        "received",
        "khe-lam-x02-cb1",
        on=None,
        confirmation="21-CV/ĐU|2026-11-02|Đảng ủy xã Nà Bó (dữ liệu mẫu)",
    )
    assert event["confirmation"] == {
        "number": "21-CV/ĐU",
        "date": date(2026, 11, 2),
        "issuer": "Đảng ủy xã Nà Bó (dữ liệu mẫu)",
    }
    with pytest.raises(click.BadParameter, match=re.escape("cần 'số|ngày|nơi xác nhận'")):
        build_event("received", "x", confirmation="21-CV/ĐU|2026-11-02")
