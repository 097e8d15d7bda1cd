"""The merge-request gate on real repositories: who counts, who does not, and why."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES, grassroots_vote
from gitrepo import STAFF, GitRepo, committees, former, make_repo, serving, with_committees
from hoso import editing
from hoso.git import Repo
from hoso.review import render
from hoso.review.approvals import Approval, github, gitlab, load_authors
from hoso.review.gate import Outcome, Requested, Verdict, review
from hoso.review.signed import message

CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
OTHER = "cases/khe-lam/admission/KN-2024-test02.yaml"
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = make_repo(tmp_path / "repo")
    repo.commit(
        "Open two sample cases",
        {CASE: GOOD, OTHER: GOOD.replace("KN-2024-test01", "KN-2024-test02")},
    )
    repo.git("checkout", "-q", "-b", "mr")
    return repo


def org() -> dict[str, Any]:
    return committees(
        (Path(__file__).parent.parent / "governance/committees.yaml").read_text(encoding="utf-8")
    )["khe-lam.organisation"]


def person(member: dict[str, Any]) -> tuple[str, str]:
    return member["name"], member["email"]


def add_step(repo: GitRepo, rel: str = CASE, author: tuple[str, str] = STAFF) -> str:
    editing.record_step(repo.root, repo.root / rel, APPRAISED, AS_OF)
    repo.git("add", rel)
    return repo.commit(f"Record partial appraisal in {rel}", author=author)


def review_of(login: str, state: str, commit: str) -> dict[str, Any]:
    return {
        "id": 1,
        "user": {"login": login},
        "state": state,
        "commit_id": commit,
        "submitted_at": "2026-11-25T10:00:00Z",
        "body": "",
    }


def gate(
    repo: GitRepo, approvals: list[Approval] | None = None, authors: tuple[str, ...] = ()
) -> Verdict:
    people = load_authors([], list(authors))
    return review(Requested(Repo(repo.root), "main", "mr", approvals or [], people, AS_OF))


def outcome(verdict: Verdict, path: str = CASE) -> Outcome:
    return next(o for o in verdict.outcomes if o.change.path == path)


def test_quorum_exactly_met_by_a_serving_member(repo: GitRepo) -> None:
    head = add_step(repo)
    member = serving(org())[0]
    verdict = gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    result = outcome(verdict)
    assert result.change.kind == "steps"
    assert result.change.transitions == [("cell_voted", "partial_appraised")]
    assert [n.committee for n in result.needs] == ["khe-lam.organisation"]
    assert [m.name for m, _ in result.needs[0].counted] == [member["name"]]
    assert verdict.mergeable


def test_no_approval_explains_who_can_still_approve(repo: GitRepo) -> None:
    add_step(repo)
    verdict = gate(repo)
    assert not verdict.mergeable
    text = render.markdown(verdict)
    assert "Cần: 1 phê duyệt của Ban Tổ chức huyện Khê Lam, " in text
    line = next(x for x in text.splitlines() if x.startswith("- Còn có thể phê duyệt: "))
    handles = {
        part.split()[-1] for part in line.removeprefix("- Còn có thể phê duyệt: ").split("; ")
    }
    assert handles == {f"@{m['github']}" for m in serving(org())}


def test_approval_by_the_author_does_not_count(repo: GitRepo) -> None:
    member = serving(org())[0]
    head = add_step(repo, author=person(member))
    need = outcome(
        gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    ).needs[0]
    assert need.counted == []
    assert need.excluded[0][1] == "là tác giả của thay đổi này (không tự phê duyệt)"


def test_approval_by_the_merge_request_opener_does_not_count(repo: GitRepo) -> None:
    member = serving(org())[0]
    head = add_step(repo)
    verdict = gate(
        repo,
        github([review_of(member["github"], "APPROVED", head)], AS_OF),
        authors=(member["github"],),
    )
    assert not verdict.mergeable


def test_approval_by_a_non_member_does_not_count(repo: GitRepo) -> None:
    head = add_step(repo)
    need = outcome(gate(repo, github([review_of("someone-else", "APPROVED", head)], AS_OF))).needs[
        0
    ]
    assert need.excluded[0][1] == (
        "không phải thành viên Ban Tổ chức huyện Khê Lam"
        " theo governance/committees.yaml (nhánh gốc)"
    )


def test_approval_by_a_member_whose_term_ended(repo: GitRepo) -> None:
    head = add_step(repo)
    member = former(org())[0]
    need = outcome(
        gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    ).needs[0]
    assert need.excluded[0][1] == (
        "ngoài nhiệm kỳ vào ngày 26/11/2026 (nhiệm kỳ 01/10/2015 đến 30/09/2020)"
    )


def test_approval_by_the_cases_subject_does_not_count(repo: GitRepo) -> None:
    member = serving(org())[0]
    text = GOOD.replace("KN-2024-test01", "KN-2024-test03").replace(
        "  standing: candidate\n",
        f"  standing: candidate\n  party_card: '{member['party_card']}'\n",
    )
    head = repo.commit(
        "A case about a committee member", {"cases/khe-lam/admission/KN-2024-test03.yaml": text}
    )
    verdict = gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    need = outcome(verdict, "cases/khe-lam/admission/KN-2024-test03.yaml").needs[0]
    assert need.excluded[0][1] == "là người được xem xét trong hồ sơ"


def test_declared_conflict_excludes_the_approver(repo: GitRepo) -> None:
    member = serving(org())[0]
    policy = repo.read("governance/policy.yaml").replace(
        "conflicts: []",
        f"conflicts:\n- party_card: '{member['party_card']}'\n  units:\n"
        "  - khe-lam-x02\n  reason: là người thân của người vào Đảng",
    )
    repo.git("checkout", "-q", "main")
    repo.commit("Declare a conflict", {"governance/policy.yaml": policy})
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")
    head = add_step(repo)
    need = outcome(
        gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    ).needs[0]
    assert need.excluded[0][1] == (
        "có xung đột lợi ích đã khai báo: là người thân của người vào Đảng"
    )


def test_someone_added_to_the_committee_in_the_same_merge_request(repo: GitRepo) -> None:
    committee = org()
    newcomer = {
        "name": "Người Mới Thêm",
        "role": "member",
        "party_card": "99999999",
        "term_from": date(2026, 1, 1),
        "github": "newcomer",
    }
    committee = {**committee, "members": [*committee["members"], newcomer]}
    repo.commit(
        "Add a member",
        {
            "governance/committees.yaml": with_committees(
                repo.read("governance/committees.yaml"), {"khe-lam.organisation": committee}
            )
        },
    )
    head = add_step(repo)
    verdict = gate(repo, github([review_of("newcomer", "APPROVED", head)], AS_OF))
    need = outcome(verdict).needs[0]
    assert need.counted == []
    assert "không phải thành viên Ban Tổ chức huyện Khê Lam" in need.excluded[0][1]
    governance = outcome(verdict, "governance/committees.yaml")
    assert governance.change.kind == "governance" and not governance.ok


def test_a_lowered_quorum_in_the_same_merge_request_is_not_relied_on(repo: GitRepo) -> None:
    strict = repo.edit(
        "governance/policy.yaml",
        "    of: case_unit\n    count: 1",
        "    of: case_unit\n    count: 2",
    )
    repo.git("checkout", "-q", "main")
    repo.commit("Two organisation approvals for every case", {"governance/policy.yaml": strict})
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")
    lowered = repo.edit(
        "governance/policy.yaml",
        "    of: case_unit\n    count: 2",
        "    of: case_unit\n    count: 1",
    )
    repo.commit("Lower the quorum", {"governance/policy.yaml": lowered})
    head = add_step(repo)
    member = serving(org())[0]
    need = outcome(
        gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    ).needs[0]
    assert (need.needed, len(need.counted), need.met) == (2, 1, False)


def test_approval_lapses_when_the_file_changes_afterwards(repo: GitRepo) -> None:
    first = add_step(repo)
    repo.commit(
        "Fix a note", {CASE: repo.read(CASE).replace("  ethnicity: Thái", "  ethnicity: Thái ")}
    )
    member = serving(org())[0]
    need = outcome(
        gate(repo, github([review_of(member["github"], "APPROVED", first)], AS_OF))
    ).needs[0]
    assert need.counted == []
    assert need.lapsed[0][1] == f"tệp đã thay đổi sau commit được phê duyệt ({first[:10]})"
    # Told to approve again, the member whose approval lapsed is among those who still can.
    assert member["name"] in [m.name for m in need.can_still]


def test_approval_survives_a_change_to_another_file(repo: GitRepo) -> None:
    first = add_step(repo)
    add_step(repo, OTHER)
    member = serving(org())[0]
    verdict = gate(repo, github([review_of(member["github"], "APPROVED", first)], AS_OF))
    assert outcome(verdict).ok
    assert not outcome(verdict, OTHER).ok


def test_an_outstanding_rejection_blocks_until_withdrawn(repo: GitRepo) -> None:
    head = add_step(repo)
    approver, objector = serving(org())[:2]
    reviews = [
        review_of(approver["github"], "APPROVED", head),
        review_of(objector["github"], "CHANGES_REQUESTED", head),
    ]
    need = outcome(gate(repo, github(reviews, AS_OF))).needs[0]
    assert len(need.counted) == 1 and not need.met
    assert [m.name for m, _ in need.rejections] == [objector["name"]]
    withdrawn = [*reviews, review_of(objector["github"], "DISMISSED", head)]
    assert gate(repo, github(withdrawn, AS_OF)).mergeable


def test_gitlab_approval_state_counts_for_the_head_it_was_read_at(repo: GitRepo) -> None:
    head = add_step(repo)
    member = serving(org())[0]
    state = {
        "approval_rules_overwritten": False,
        "rules": [
            {
                "id": 1,
                "name": "hoso",
                "approved": True,
                "approvals_required": 1,
                "approved_by": [{"id": 7, "username": member["gitlab"], "name": member["name"]}],
            }
        ],
    }
    assert gate(repo, gitlab(state, head, AS_OF)).mergeable


def test_deleting_a_case_file_is_refused(repo: GitRepo) -> None:
    repo.commit("Remove a case", {OTHER: None})
    result = outcome(gate(repo), OTHER)
    assert result.change.kind == "deletion"
    assert result.errors == [
        "không được xóa tệp hồ sơ: hồ sơ kết thúc bằng một trạng thái cuối, tệp được giữ mãi"
    ]


def test_editing_an_earlier_history_event_needs_the_correction_rule(repo: GitRepo) -> None:
    repo.commit(
        "Rewrite a step",
        {CASE: repo.read(CASE).replace("number: 61-GCN/TTCT", "number: 62-GCN/TTCT")},
    )
    result = outcome(gate(repo))
    assert result.change.kind == "rewrite" and result.change.fields == ["history[1]"]
    assert [n.committee for n in result.needs] == [
        "khe-lam.organisation",
        "thu-nghiem.organisation",
    ]
    assert result.needs[1].assurance == "signed" and not result.ok


def test_without_a_correction_rule_a_rewrite_is_refused(repo: GitRepo) -> None:
    policy = repo.read("governance/policy.yaml")
    start = policy.index("corrections:")
    repo.git("checkout", "-q", "main")
    repo.commit("No corrections", {"governance/policy.yaml": policy[:start] + "conflicts: []\n"})
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")
    repo.commit(
        "Rewrite a step",
        {CASE: repo.read(CASE).replace("number: 61-GCN/TTCT", "number: 62-GCN/TTCT")},
    )
    assert outcome(gate(repo)).errors == [
        "không được sửa bước đã ghi (bước thứ 2 trong lịch sử): quy tắc đính chính trong "
        "governance/policy.yaml (nhánh gốc) chưa cho phép"
    ]


def test_two_merge_requests_creating_the_same_id(repo: GitRepo) -> None:
    new = "cases/khe-lam/admission/KN-2026-samid1.yaml"
    text = GOOD.replace("KN-2024-test01", "KN-2026-samid1")
    repo.commit("Open a case", {new: text})
    assert outcome(gate(repo), new).errors == []
    repo.git("checkout", "-q", "-b", "second", "main")
    repo.commit("Open the same case elsewhere", {new: text.replace("Lò Thị Mẫu", "Cầm Thị Mẫu")})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge first", "mr")
    verdict = review(Requested(Repo(repo.root), "main", "second", today=AS_OF))
    assert outcome(verdict, new).errors == [f"mã hồ sơ KN-2026-samid1 đã có trên nhánh đích: {new}"]


def test_one_merge_request_adding_one_id_in_two_districts(repo: GitRepo) -> None:
    """The target holds neither file, so only the two together tell that one id would name
    two cases: each is refused, naming the other."""
    here = "cases/khe-lam/admission/KN-2026-twice1.yaml"
    there = "cases/ban-mo/admission/KN-2026-twice1.yaml"
    text = GOOD.replace("KN-2024-test01", "KN-2026-twice1")
    repo.commit("Open a case twice", {here: text, there: text})
    verdict = gate(repo)
    said = (
        "mã hồ sơ KN-2026-twice1 cũng được thêm ở {} trong cùng thay đổi này: mỗi hồ sơ chỉ có "
        "một tệp"
    )
    assert said.format(there) in outcome(verdict, here).errors
    assert said.format(here) in outcome(verdict, there).errors
    assert not verdict.mergeable


def test_an_invalid_head_version_blocks(repo: GitRepo) -> None:
    repo.commit("Break it", {CASE: repo.read(CASE).replace("sex: female", "sex: nu")})
    errors = outcome(gate(repo)).errors
    assert len(errors) == 1 and errors[0].startswith("không hợp lệ: 12:8: subject.sex: ")


def test_two_committees_each_met(repo: GitRepo) -> None:
    add_step(repo)
    grassroots = grassroots_vote()
    editing.record_step(repo.root, repo.root / CASE, grassroots, AS_OF)
    decided = {
        "date": date(2026, 11, 20),
        "state": "decided",
        "body": "khe-lam.standing",
        "vote": {
            "official_members": 6,
            "present": 6,
            "in_favour": 5,
            "against": 1,
            "abstain": 0,
            "method": "secret_ballot",
        },
        "document": {
            "number": "90-QĐ/HU",
            "date": date(2026, 11, 20),
            "issuer": "khe-lam.standing",
        },
    }
    appraised = {  # the district organisation commission appraises before the decision
        "date": date(2026, 11, 18),
        "state": "district_appraised",
        "body": "khe-lam.organisation",
        "document": {
            "number": "9-BC/BTC",
            "date": date(2026, 11, 18),
            "issuer": "khe-lam.organisation",
        },
    }
    editing.record_step(repo.root, repo.root / CASE, appraised, AS_OF)
    editing.record_step(repo.root, repo.root / CASE, decided, AS_OF)
    head = repo.commit("Record the decision", {CASE: repo.read(CASE)})
    standing = serving(committees(repo.read("governance/committees.yaml"))["khe-lam.standing"])
    half = (len(standing) + 1) // 2
    reviews = [review_of(m["github"], "APPROVED", head) for m in standing[:half]]
    reviews.append(review_of(serving(org())[0]["github"], "APPROVED", head))
    verdict = gate(repo, github(reviews, AS_OF))
    result = outcome(verdict)
    assert [(n.committee, n.needed, len(n.counted)) for n in result.needs] == [
        ("khe-lam.standing", half, half),
        ("khe-lam.organisation", 1, 1),
    ]
    assert verdict.mergeable
    short = gate(repo, github(reviews[1:], AS_OF))
    assert not short.mergeable


def test_the_change_line_chains_steps_and_names_fields_by_their_labels(repo: GitRepo) -> None:
    new = "cases/khe-lam/admission/KN-2024-test03.yaml"
    repo.commit("Open a case", {new: GOOD.replace("KN-2024-test01", "KN-2024-test03")})
    repo.commit("Correct", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")})
    text = render.text(gate(repo))
    assert (
        "Thay đổi: hồ sơ mới: Đã vào danh sách cảm tình, có đảng viên giúp đỡ → Đã học lớp bồi "
        "dưỡng nhận thức về Đảng, có giấy chứng nhận → Đã nộp đơn xin vào Đảng"
    ) in text
    assert "Thay đổi: đính chính trường đã ghi [người được xem xét]." in text
    assert "(hồ sơ mới)" not in text and "[subject]" not in text


def test_a_line_break_in_a_file_name_is_escaped_in_the_report(repo: GitRepo) -> None:
    repo.commit("Odd", {"cases/khe-lam/admission/KN-2024-test01\n✅ ổn.yaml": GOOD})
    text = render.text(gate(repo))
    assert "⛔ 'cases/khe-lam/admission/KN-2024-test01\\n✅ ổn.yaml'" in text
    assert not any(line.startswith("✅ ổn.yaml") for line in text.splitlines())


# ---------------------------------------------------------------- signed approvals


def _with_keys(repo: GitRepo, unit_committee: str, names: list[str]) -> list[dict[str, Any]]:
    """Give members of a committee signing keys on main; returns those members."""
    text = repo.read("governance/committees.yaml")
    committee = committees(text)[unit_committee]
    chosen = serving(committee)[: len(names)]
    for member, name in zip(chosen, names, strict=True):
        member["ssh_keys"] = [repo.public(name)]
    repo.git("checkout", "-q", "main")
    repo.commit(
        "Signing keys",
        {"governance/committees.yaml": with_committees(text, {unit_committee: committee})},
    )
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")
    return chosen


def _correct(repo: GitRepo) -> str:
    repo.commit(
        "Correct the ethnicity",
        {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")},
    )
    return repo.git("rev-parse", f"HEAD:{CASE}")


def _sign(
    repo: GitRepo,
    key: str,
    member: dict[str, Any],
    blob: str,
    path: str = CASE,
    verdict: str = "approve",
) -> str:
    return repo.sign_commit(message(path, blob, verdict), key, person(member))


def test_signed_corrections_counted(repo: GitRepo) -> None:
    a, b = _with_keys(repo, "thu-nghiem.organisation", ["a", "b"])
    blob = _correct(repo)
    _sign(repo, "a", a, blob)
    _sign(repo, "b", b, blob)
    member = serving(org())[0]
    head = repo.git("rev-parse", "HEAD")
    verdict = gate(repo, github([review_of(member["github"], "APPROVED", head)], AS_OF))
    result = outcome(verdict)
    assert result.change.kind == "correction" and result.change.fields == ["subject"]
    signed = result.needs[1]
    assert [m.name for m, _ in signed.counted] == [a["name"], b["name"]]
    assert verdict.mergeable


def test_forged_trailer_without_signature_does_not_count(repo: GitRepo) -> None:
    a, b = _with_keys(repo, "thu-nghiem.organisation", ["a", "b"])
    blob = _correct(repo)
    _sign(repo, "a", a, blob)
    repo.git(
        "commit",
        "-q",
        "--allow-empty",
        "-F",
        "-",
        author=person(b),
        input=message(CASE, blob, "approve"),
    )
    need = outcome(gate(repo)).needs[1]
    assert len(need.counted) == 1
    assert [why for _, why in need.excluded] == ["commit không có chữ ký"]


def test_signature_by_a_key_not_in_committees_does_not_count(repo: GitRepo) -> None:
    a, b = _with_keys(repo, "thu-nghiem.organisation", ["a", "b"])
    blob = _correct(repo)
    _sign(repo, "a", a, blob)
    _sign(repo, "intruder", b, blob)
    need = outcome(gate(repo)).needs[1]
    assert [why for _, why in need.excluded] == [
        "khóa ký không thuộc ai trong governance/committees.yaml (nhánh gốc)"
    ]
    assert not need.met


def test_forge_approval_where_a_signature_is_required(repo: GitRepo) -> None:
    (a,) = _with_keys(repo, "thu-nghiem.organisation", ["a"])
    _correct(repo)
    head = repo.git("rev-parse", "HEAD")
    need = outcome(gate(repo, github([review_of(a["github"], "APPROVED", head)], AS_OF))).needs[1]
    assert need.excluded[0][1] == "quy tắc yêu cầu phê duyệt có chữ ký SSH (hoso approve)"


def test_signed_approval_of_file_a_is_not_counted_for_file_b(repo: GitRepo) -> None:
    (a,) = _with_keys(repo, "thu-nghiem.organisation", ["a"])
    blob = _correct(repo)
    repo.commit(
        "Correct the other", {OTHER: repo.read(OTHER).replace("ethnicity: Thái", "ethnicity: Lào")}
    )
    _sign(repo, "a", a, blob)
    verdict = gate(repo)
    assert len(outcome(verdict).needs[1].counted) == 1
    assert outcome(verdict, OTHER).needs[1].counted == []


def test_signed_approval_lapses_when_the_file_changes(repo: GitRepo) -> None:
    (a,) = _with_keys(repo, "thu-nghiem.organisation", ["a"])
    blob = _correct(repo)
    _sign(repo, "a", a, blob)
    repo.commit("Change again", {CASE: repo.read(CASE).replace("ethnicity: Lào", "ethnicity: Dao")})
    need = outcome(gate(repo)).needs[1]
    assert need.counted == [] and need.lapsed[0][1].startswith("tệp đã thay đổi sau khi phê duyệt")


def test_signed_rejection_blocks_and_a_later_approval_withdraws_it(repo: GitRepo) -> None:
    a, b = _with_keys(repo, "thu-nghiem.organisation", ["a", "b"])
    blob = _correct(repo)
    _sign(repo, "a", a, blob)
    _sign(repo, "b", b, blob, verdict="reject")
    need = outcome(gate(repo)).needs[1]
    assert [m.name for m, _ in need.rejections] == [b["name"]] and not need.met
    _sign(repo, "b", b, blob)
    assert outcome(gate(repo)).needs[1].met


def test_signature_by_a_member_whose_term_ended(repo: GitRepo) -> None:
    text = repo.read("governance/committees.yaml")
    committee = committees(text)["thu-nghiem.organisation"]
    gone = former(committee)[0]
    gone["ssh_keys"] = [repo.public("gone")]
    repo.git("checkout", "-q", "main")
    repo.commit(
        "Old key",
        {
            "governance/committees.yaml": with_committees(
                text, {"thu-nghiem.organisation": committee}
            )
        },
    )
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")
    blob = _correct(repo)
    _sign(repo, "gone", gone, blob)
    need = outcome(gate(repo)).needs[1]
    assert need.counted == [] and need.excluded
    # The term is judged on the day of the review run, never on the date in the commit.
    assert need.excluded[0][1] == (
        "ngoài nhiệm kỳ vào ngày 26/11/2026 (nhiệm kỳ 01/10/2015 đến 30/09/2020)"
    )


def test_approve_command_makes_a_verifiable_signed_commit(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    (a,) = _with_keys(repo, "thu-nghiem.organisation", ["a"])
    blob = _correct(repo)
    repo.git("config", "user.email", a["email"])
    repo.git("config", "user.name", a["name"])
    code = main(
        ["approve", "KN-2024-test01", "--key", str(repo.key("a")), "--repo", str(repo.root)]
    )
    assert code == 0
    out, err = capsys.readouterr()
    before = repo.git("rev-parse", f"main:{CASE}")
    assert out == (
        f"Đã ký phê duyệt {CASE} (nội dung {blob[:10]}, thay cho nội dung {before[:10]} trên "
        "nhánh đích main).\n"
    )
    assert f"\nHoso-Base: {before}\n" in repo.git("log", "-1", "--format=%B") + "\n"
    assert "Cảnh báo" not in err
    need = outcome(gate(repo)).needs[1]
    assert [m.name for m, _ in need.counted] == [a["name"]]


def test_approve_with_a_key_no_member_holds_warns_that_it_will_not_count(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    _with_keys(repo, "thu-nghiem.organisation", ["a"])
    _correct(repo)
    code = main(
        ["approve", "KN-2024-test01", "--key", str(repo.key("stranger")), "--repo", str(repo.root)]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "Cảnh báo: khóa đã ký không thuộc ai trong governance/committees.yaml" in err


@pytest.mark.parametrize("branch", ["main", "master", "trunk"])
def test_approve_refuses_on_the_main_branch(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], branch: str
) -> None:
    """An approval commit belongs on the merge request's branch: on main (master, or the
    branch the remote's HEAD names) it would be a direct push, so nothing is written."""
    from hoso.cli.main import main

    _with_keys(repo, "thu-nghiem.organisation", ["a"])
    repo.git("checkout", "-q", "main")
    if branch != "main":
        repo.git("branch", "-q", "-m", "main", branch)
    if branch == "trunk":
        repo.git("update-ref", "refs/remotes/origin/trunk", "HEAD")
        repo.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    tip = repo.git("rev-parse", "HEAD")
    command = ["approve", "KN-2024-test01", "--key", str(repo.key("a")), "--repo", str(repo.root)]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"đang ở nhánh chính {branch}:" in err and "nhánh của yêu cầu hợp nhất" in err
    assert repo.git("rev-parse", "HEAD") == tip


@pytest.mark.parametrize("where", ["detached", "tracking", "pushing", "pushing-head", "fork"])
def test_approve_refuses_where_the_commit_would_be_lost_or_pushed_to_main(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """A detached HEAD (say, at main's tip) would hold the approval on no branch; a branch that
    tracks main would send it there on 'git push'. Nothing is written in either."""
    from hoso.cli.main import main

    _with_keys(repo, "thu-nghiem.organisation", ["a"])
    repo.git("checkout", "-q", "main")
    if where == "detached":
        repo.git("checkout", "-q", "--detach", "main")
    elif where == "tracking":
        repo.git("remote", "add", "origin", str(repo.root))
        repo.git("update-ref", "refs/remotes/origin/main", "main")
        repo.git("switch", "-q", "-c", "xem-xet", "--track", "origin/main")
    elif where == "fork":  # a remote added by hand: its main may be this repository's
        repo.git("remote", "add", "gitlab", str(repo.root))
        repo.git("update-ref", "refs/remotes/gitlab/main", "main")
        repo.git("config", "push.default", "upstream")
        repo.git("switch", "-q", "-c", "xem-xet", "--track", "gitlab/main")
    else:  # no upstream, but 'git push' is told to send this branch to main
        repo.git("remote", "add", "origin", str(repo.root))
        spec = "HEAD:main" if where == "pushing-head" else "refs/heads/xem-xet:refs/heads/main"
        repo.git("config", "remote.origin.push", spec)
        repo.git("switch", "-q", "-c", "xem-xet")
    tip = repo.git("rev-parse", "HEAD")
    command = ["approve", "KN-2024-test01", "--key", str(repo.key("a")), "--repo", str(repo.root)]
    assert main(command) == 2
    err = capsys.readouterr().err
    said = {
        "detached": "HEAD đang không ở nhánh nào",
        "tracking": "nhánh xem-xet đang theo dõi hoặc đẩy lên nhánh chính main",
        "pushing": "nhánh xem-xet đang theo dõi hoặc đẩy lên nhánh chính main",
        "pushing-head": "nhánh xem-xet đang theo dõi hoặc đẩy lên nhánh chính main",
        "fork": "nhánh xem-xet đang theo dõi hoặc đẩy lên nhánh chính main",
    }
    assert said[where] in err and "Chưa ghi commit nào." in err
    assert repo.git("rev-parse", "HEAD") == tip
    assert repo.git("rev-parse", "main") == tip


# ---------------------------------------------------------------- the command

DATA = Path(__file__).parent / "data"


def _review_command(repo: GitRepo, *extra: str) -> int:
    from hoso.cli.main import main

    return main(["review", "--repo", str(repo.root), "--base", "main", "--head", "mr", *extra])


@pytest.mark.parametrize("recorded", ["github-reviews.json", "gitlab-approval-state.json"])
def test_review_command_reads_recorded_forge_responses(
    repo: GitRepo, recorded: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:

    head = add_step(repo)
    member = serving(org())[0]
    login = member["github"] if recorded.startswith("github") else member["gitlab"]
    text = (DATA / recorded).read_text(encoding="utf-8")
    approvals = tmp_path / recorded
    approvals.write_text(text.replace("REVIEWER", login).replace("COMMIT", head))
    assert _review_command(repo, "--format", "json") == 1
    assert json.loads(capsys.readouterr().out)["mergeable"] is False
    assert _review_command(repo, "--approvals", str(approvals), "--format", "json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["mergeable"] is True
    assert payload["records"][0]["needs"][0]["counted"][0]["who"] == login
    assert _review_command(repo, "--approvals", str(approvals)) == 0
    assert capsys.readouterr().out.startswith("Cổng kiểm duyệt hoso: ✅ Có thể hợp nhất")


def test_review_command_refuses_an_unknown_approvals_format(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:

    add_step(repo)
    odd = tmp_path / "odd.json"
    odd.write_text('{"approved": true}')
    code = _review_command(repo, "--approvals", str(odd))
    assert code == 2
    assert "không nhận ra định dạng" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{", ":1:2: không phải JSON hợp lệ (tệp rỗng, bị cắt dở hoặc không phải JSON)"),
        (b"", ":1:1: không phải JSON hợp lệ"),
        (b'[{"state": "\xff"}]', ": byte 0xFF ở vị trí 13 không đọc được theo UTF-8"),
        (b"[" * 100_000, ": JSON lồng nhau quá sâu"),
    ],
)
def test_review_command_says_why_an_approvals_file_cannot_be_read(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, said: str
) -> None:
    add_step(repo)
    bad = tmp_path / "approvals.json"
    bad.write_bytes(content)
    assert _review_command(repo, "--approvals", str(bad)) == 2
    err = capsys.readouterr().err
    assert f"{bad}{said}" in err
    assert "cần tệp JSON lưu nguyên văn phản hồi của GitHub hoặc GitLab" in err
    for english in ("Expecting", "codec", "decode", "recursion"):
        assert english not in err


def test_trailers_record_counted_forge_approvals_for_the_merge_message(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:

    head = add_step(repo)
    member = serving(org())[0]
    reviews = tmp_path / "reviews.json"
    reviews.write_text(
        json.dumps(
            [
                review_of(member["github"], "APPROVED", head),
                review_of("someone-else", "APPROVED", head),
            ]
        )
    )
    code = _review_command(repo, "--approvals", str(reviews), "--format", "trailers")
    assert code == 0
    assert capsys.readouterr().out == f"Hoso-Approved-By: github:{member['github']}\n"
