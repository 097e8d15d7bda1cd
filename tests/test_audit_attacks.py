"""The audit, attacked: forged merges, backdated dates, people counted twice, hidden authors,
and broken or partial repositories, each in a real repository with real keys."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, EXAMPLES
from gitrepo import (
    GitRepo,
    committees,
    forge_merge,
    former,
    make_repo,
    serving,
    with_committees,
    with_forge_key,
)
from hoso import editing
from hoso.audit.run import audit
from hoso.cli.main import main
from hoso.errors import UsageError
from hoso.git import Repo
from hoso.review.signed import message

CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}


def make(tmp_path: Path, forge: bool = True) -> GitRepo:
    """Sample governance with keys for a serving and a former provincial organisation member,
    and (``forge``) the make-believe forge's merge-signing key."""
    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    org = committees(text)["thu-nghiem.organisation"]
    serving(org)[0]["ssh_keys"] = [repo.public("org")]
    former(org)[0]["ssh_keys"] = [repo.public("gone")]
    repo.write(
        "governance/committees.yaml", with_committees(text, {"thu-nghiem.organisation": org})
    )
    if forge:
        repo.write("governance/settings.yaml", with_forge_key(repo))
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return make(tmp_path)


def org(repo: GitRepo, committee: str = "khe-lam.organisation") -> list[dict[str, Any]]:
    return serving(committees(repo.read("governance/committees.yaml"))[committee])


def trailers(*people: dict[str, Any]) -> str:
    return "".join(f"\nApproved-by: {m['name']} <{m['email']}>" for m in people)


def merged(
    repo: GitRepo, number: int, files: dict[str, str | None], approvers: str = "", work: Any = None
) -> str:
    repo.git("checkout", "-q", "-b", f"mr{number}", "main")
    if files:
        repo.commit(f"Change {number}", files)
    if work:
        work()
    repo.git("checkout", "-q", "main")
    return forge_merge(
        repo, f"Merge pull request #{number} from mau/mr{number}\n{approvers}", f"mr{number}"
    )


def rules(repo: GitRepo, **kwargs: Any) -> list[str]:
    _, found = audit(Repo(repo.root), "main", use_cache=False, **kwargs)
    return [f.rule for f in found]


def opened(repo: GitRepo) -> None:
    merged(repo, 1, {CASE: GOOD}, trailers(org(repo)[0]))


# ------------------------------------------------------------- any path, any push


def test_a_direct_push_of_code_is_a_finding(repo: GitRepo) -> None:
    opened(repo)
    sha = repo.commit("Loosen the gate", {"tooling/hoso/review/gate.py": "MERGEABLE = True\n"})
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    assert [(f.rule, f.commit) for f in found] == [
        ("history.direct_push", sha),
        ("history.approvals", sha),
    ]
    assert "tooling/hoso/review/gate.py" in found[0].message


def test_an_under_approved_merge_of_code_is_a_finding(repo: GitRepo) -> None:
    opened(repo)
    sha = merged(repo, 2, {"site_src/hooks.py": "import os\n"}, trailers(org(repo)[0]))
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    assert [(f.rule, f.commit, f.path) for f in found] == [
        ("history.approvals", sha, "site_src/hooks.py")
    ]
    assert "Ban Thường vụ tỉnh Thử Nghiệm" in found[0].message


# ------------------------------------------------------------- forged merges


def test_a_locally_made_merge_with_invented_trailers_is_a_direct_push(repo: GitRepo) -> None:
    opened(repo)
    repo.git("checkout", "-q", "-b", "forged", "main")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    repo.commit("A step")
    repo.git("checkout", "-q", "main")
    text = f"Merge pull request #9 from mau/forged\n{trailers(org(repo)[0])}"
    repo.git("merge", "-q", "--no-ff", "-m", text, "forged")
    found = rules(repo)
    assert "history.unsigned_merge" in found
    assert "history.approvals" in found  # its trailers counted for nothing


def test_a_merge_signed_by_a_members_key_is_not_the_forges(repo: GitRepo) -> None:
    opened(repo)
    repo.git("checkout", "-q", "-b", "forged", "main")
    repo.commit(
        "A second case", {CASE.replace("test01", "test02"): GOOD.replace("test01", "test02")}
    )
    repo.git("checkout", "-q", "main")
    repo.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={repo.key('org')}",
        "merge",
        "-q",
        "--no-ff",
        "-S",
        "-m",
        f"Merge pull request #9\n{trailers(org(repo)[0])}",
        "forged",
    )
    assert "history.unsigned_merge" in rules(repo)


def test_without_a_forge_key_trailer_approvals_are_called_unverifiable(tmp_path: Path) -> None:
    repo = make(tmp_path, forge=False)
    merged(repo, 1, {CASE: GOOD}, trailers(org(repo)[0]))
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    assert [f.rule for f in found] == ["history.unverifiable_trailers"]
    assert "chưa kiểm chứng được" in found[0].message


# ------------------------------------------------------------- people, not approvals


def test_one_person_in_two_trailers_counts_once(repo: GitRepo) -> None:
    policy = repo.read("governance/policy.yaml").replace(
        "    of: case_unit\n    count: 1", "    of: case_unit\n    count: 2"
    )
    repo.write("governance/policy.yaml", policy)
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance: two organisation approvals")
    member = org(repo)[0]
    twice = trailers(member) + f"\nHoso-Approved-By: github:{member['github'].upper()}"
    sha = merged(repo, 2, {CASE: GOOD}, twice)
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    mine = [f for f in found if f.commit == sha]
    assert [f.rule for f in mine] == ["history.approvals"]
    assert "cần 2 phê duyệt của Ban Tổ chức huyện Khê Lam, có 1" in mine[0].message


def test_a_merge_commit_inside_the_branch_makes_its_writer_an_author(repo: GitRepo) -> None:
    opened(repo)
    member = org(repo)[0]

    def hidden() -> None:
        repo.git("checkout", "-q", "-b", "side", "main")
        repo.commit(
            "Another case", {CASE.replace("test01", "side01"): GOOD.replace("test01", "side01")}
        )
        repo.git("checkout", "-q", "mr2")
        repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
        editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
        repo.git("add", CASE)
        repo.git("commit", "-q", "-m", "Merge side", author=(member["name"], member["email"]))

    sha = merged(repo, 2, {}, trailers(member), work=hidden)
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    mine = [f for f in found if f.commit == sha and f.path == CASE]
    assert [f.rule for f in mine] == ["history.approvals"]
    assert "là tác giả của thay đổi này" in mine[0].message


# ------------------------------------------------------------- dates the signer wrote


def test_a_backdated_signed_approval_by_a_former_member(repo: GitRepo) -> None:
    opened(repo)
    gone = former(committees(repo.read("governance/committees.yaml"))["thu-nghiem.organisation"])[0]
    valid = org(repo, "thu-nghiem.organisation")[0]

    def correct() -> None:
        repo.commit("Correct", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")})
        blob = repo.git("rev-parse", f"HEAD:{CASE}")
        repo.sign_commit(message(CASE, blob, "approve"), "org", (valid["name"], valid["email"]))
        repo.sign_commit(
            message(CASE, blob, "approve"),
            "gone",
            (gone["name"], gone["email"]),
            env={"GIT_COMMITTER_DATE": "2020-09-01T10:00:00+07:00"},
        )

    sha = merged(repo, 2, {}, trailers(org(repo)[0]), work=correct)
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    mine = [f for f in found if f.commit == sha]
    assert [f.rule for f in mine] == ["history.approvals"]
    assert "ngoài nhiệm kỳ vào ngày" in mine[0].message


def test_a_backdated_checkpoint_by_a_former_member(repo: GitRepo) -> None:
    opened(repo)
    gone = former(committees(repo.read("governance/committees.yaml"))["thu-nghiem.organisation"])[0]
    repo.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={repo.key('gone')}",
        "tag",
        "-s",
        "-m",
        "checkpoint",
        "hoso-checkpoint/old",
        author=(gone["name"], gone["email"]),
        env={"GIT_COMMITTER_DATE": "2020-09-01T10:00:00+07:00"},
    )
    _, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    assert [f.rule for f in found] == ["checkpoint.signer"]
    assert "ngày kiểm toán thấy mốc lần đầu (26/11/2026)" in found[0].message


def test_a_checkpoint_is_judged_on_the_day_the_audit_first_saw_it(repo: GitRepo) -> None:
    opened(repo)
    repo.git("config", "user.email", org(repo, "thu-nghiem.organisation")[0]["email"])
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key('org')}",
        "tag", "-s", "-m", "checkpoint", "hoso-checkpoint/now",
    )  # fmt: skip
    index, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert found == []
    assert list(index.checkpoints.values()) == [f"{AS_OF.isoformat()} hoso-checkpoint/now"]
    again, _ = audit(Repo(repo.root), "main", today=date(2040, 1, 1))
    assert list(again.checkpoints.values()) == [f"{AS_OF.isoformat()} hoso-checkpoint/now"]


def test_a_checkpoint_seen_before_and_deleted_is_reported(repo: GitRepo) -> None:
    opened(repo)
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key('org')}",
        "tag", "-s", "-m", "checkpoint", "hoso-checkpoint/2026-H2",
    )  # fmt: skip
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert found == []
    repo.git("tag", "-d", "hoso-checkpoint/2026-H2")
    _, found = audit(Repo(repo.root), "main", today=date(2026, 12, 1))
    assert [f.rule for f in found] == ["checkpoint.missing"]
    assert (
        found[0].message.startswith("mốc kiểm toán hoso-checkpoint/2026-H2 (thẻ ")
        and "đã thấy từ ngày 26/11/2026, nay không còn trong kho" in found[0].message
    )


def test_an_index_that_does_not_verify_is_said_not_passed_over(repo: GitRepo) -> None:
    """What the earlier audits saw (the tip, when each checkpoint was first seen) lives in the
    index: losing it to an edit must be a finding, not a quiet fresh start."""
    from hoso.audit.index import cache_path

    opened(repo)
    audit(Repo(repo.root), "main", today=AS_OF)
    path = cache_path(repo.root, "main")
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert [f.rule for f in found] == ["audit.index_unverified"]
    assert str(path) in found[0].message
    _, again = audit(Repo(repo.root), "main", today=AS_OF)  # kept in the new index, said again
    assert [f.rule for f in again] == ["audit.index_unverified"]


def test_a_damaged_segment_is_said_and_the_store_made_whole_again(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    audit(Repo(repo.root), "main", today=AS_OF)
    (segment,) = (repo.root / ".git" / "hoso").glob("*.seg")
    segment.write_bytes(segment.read_bytes()[:-1] + b"x")
    assert main(["history", "KN-2024-test01", "--repo", str(repo.root)]) == 0
    assert "hồ sơ mới" in capsys.readouterr().out
    _, found = audit(Repo(repo.root), "main", complete=True, today=AS_OF)
    assert [f.rule for f in found] == ["audit.index_unverified"]
    index, again = audit(Repo(repo.root), "main", complete=True, today=AS_OF)
    assert [f.rule for f in again] == ["audit.index_unverified"] and index.mainline


def test_since_a_day_cannot_be_dodged_by_a_backdated_push(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    sha = repo.git(
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "placeholder",
    )
    repo.write(CASE, repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào"))
    repo.git("add", CASE)
    repo.git(
        "commit",
        "-q",
        "-m",
        "Quietly, long ago",
        env={
            "GIT_COMMITTER_DATE": "2019-01-01T10:00:00+07:00",
            "GIT_AUTHOR_DATE": "2019-01-01T10:00:00+07:00",
        },
    )
    sha = repo.git("rev-parse", "HEAD")
    assert (
        main(["audit", "--repo", str(repo.root), "--since", "01/01/2026", "--format", "csv"]) == 1
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert rows[0][2] == "Commit" and rows[0][-1] == "Mã quy tắc"
    assert [sha, "history.direct_push"] in [[r[2], r[-1]] for r in rows]
    assert "history.date_backwards" in [r[-1] for r in rows]


def test_a_commit_date_that_cannot_be_read_is_a_finding(repo: GitRepo) -> None:
    """A time zone of +9999 or a year past 9999 (git shows them): the audit cannot read the
    day, says so, and counts the commit at the day of the one before."""
    opened(repo)
    made = []
    for stamp in ("99999999999 +9999", "999999999999 +0000"):
        repo.write("cases/x.txt", stamp)
        repo.git("add", "cases/x.txt")
        tree = repo.git("write-tree")
        person = f"M <m@mau.invalid> {stamp}"
        body = f"tree {tree}\nparent {repo.git('rev-parse', 'HEAD')}\nauthor {person}\n"
        body += f"committer {person}\n\nOdd day\n"
        sha = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input=body)
        repo.git("update-ref", "refs/heads/main", sha)
        made.append(sha)
    _, found = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    unreadable = [f.commit for f in found if f.rule == "history.date_unreadable"]
    assert unreadable == made


# ------------------------------------------------------------- broken or partial repositories


def _lose_an_object(repo: GitRepo, blob: str) -> None:
    path = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    path.chmod(0o644)
    path.unlink()


@pytest.mark.parametrize(
    ("lost", "said"),
    [
        (f"HEAD:{CASE}", "kho thiếu hoặc hỏng đối tượng"),
        # git says "missing object" of the branch's own tip: still a broken repository.
        ("HEAD", "kho git hỏng hoặc thiếu đối tượng"),
    ],
)
def test_a_missing_object_stops_the_audit_with_exit_3(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], lost: str, said: str
) -> None:
    """A broken repository exits 3, never 1 (which says "findings")."""
    opened(repo)
    _lose_an_object(repo, repo.git("rev-parse", lost))
    assert main(["audit", "--repo", str(repo.root), "--no-cache"]) == 3
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_pack_without_its_index_stops_the_audit_with_exit_3(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    repo.git("gc", "-q")
    for index in (repo.root / ".git" / "objects" / "pack").glob("*.idx"):
        index.unlink()
    assert main(["audit", "--repo", str(repo.root), "--no-cache"]) == 3
    assert "Traceback" not in capsys.readouterr().err


def test_a_missing_object_stops_the_gate_with_exit_3(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    repo.git("checkout", "-q", "-b", "mr")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    repo.commit("A step")
    _lose_an_object(repo, repo.git("rev-parse", f"main:{CASE}"))
    code = main(["review", "--repo", str(repo.root), "--base", "main", "--head", "mr"])
    assert code == 3
    assert "kho thiếu hoặc hỏng đối tượng" in capsys.readouterr().err


def test_a_shallow_clone_is_refused(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    merged(repo, 2, {CASE.replace("test01", "test02"): GOOD.replace("test01", "test02")}, "")
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    assert main(["audit", "--repo", str(clone)]) == 3
    assert "bản sao nông" in capsys.readouterr().err


def test_a_partial_clone_is_refused(
    repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clone made with --filter lacks old versions and would fetch them from the server
    halfway through (or stop, offline): refused up front, saying why."""
    opened(repo)
    repo.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    repo.git("clone", "-q", "--filter=blob:none", f"file://{repo.root}", str(clone))
    assert main(["audit", "--repo", str(clone)]) == 3
    assert "bản sao một phần" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--branch", "no-such-branch"], "--branch 'no-such-branch': không phải tên một nhánh"),
        (["--branch", "HEAD~1"], "--branch 'HEAD~1': không phải tên một nhánh có trong kho"),
        (["--branch", "HEAD"], "--branch 'HEAD': không phải tên một nhánh"),
        (["--branch", "opened"], "--branch 'opened': không phải tên một nhánh"),
        (["--branch", "-x"], "--branch '-x': không phải tên một nhánh"),
        (["--since", "2019-02-29"], "không có trên lịch"),
        (["--since", "29-02-2019"], "không có trên lịch"),  # a day, as the other verbs read it
        (["--since", "no-such-ref"], "không tìm thấy nhánh hoặc commit 'no-such-ref'"),
    ],
)
def test_usage_problems_exit_2(
    repo: GitRepo, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    repo.git("tag", "opened")
    assert main(["audit", "--repo", str(repo.root), *args]) == 2
    assert said in capsys.readouterr().err


def test_the_branch_may_be_local_or_remote_tracking(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    repo.git("update-ref", "refs/remotes/origin/main", "main")
    for branch in ("main", "refs/heads/main", "origin/main", "refs/remotes/origin/main"):
        assert main(["audit", "--repo", str(repo.root), "--no-cache", "--branch", branch]) in (0, 1)
        assert "Đã kiểm toán" in capsys.readouterr().out
    assert main(["history", CASE, "--repo", str(repo.root), "--branch", "HEAD~1"]) == 2


def test_a_name_that_means_two_refs_is_refused_not_guessed(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tag named ``origin/main`` is found before the remote-tracking branch of that name
    (git only warns): whoever may push a tag would choose the base the gate judges against.
    Such a name is refused; the full name still works. (The audit, asked for a branch,
    reads the branch: see the next test.)"""
    opened(repo)
    repo.git("update-ref", "refs/remotes/origin/main", "main")
    repo.git("checkout", "-q", "-b", "mr")
    repo.commit("Anything", {"tooling/x.py": "print()\n"})
    repo.git("tag", "origin/main", "HEAD")
    assert main(["review", "--repo", str(repo.root), "--base", "origin/main", "--head", "mr"]) == 2
    said = capsys.readouterr().err
    assert "refs/tags/origin/main" in said and "refs/remotes/origin/main" in said
    full = Repo(repo.root).rev("refs/remotes/origin/main")
    assert full == repo.git("rev-parse", "main") != Repo(repo.root).rev("refs/tags/origin/main")
    repo.git("tag", "-d", "origin/main")
    assert Repo(repo.root).rev("origin/main") == full
    repo.git("tag", full, "mr")  # a tag named exactly like a commit's id: git reads the id
    assert Repo(repo.root).rev(full) == full
    repo.git("branch", "cafe", "mr")  # a branch named in hex letters is a branch
    assert Repo(repo.root).rev("cafe") == repo.git("rev-parse", "mr")
    repo.git("tag", "cafe", "main")
    with pytest.raises(UsageError, match="nhiều tham chiếu"):
        Repo(repo.root).rev("cafe")


def test_a_tag_named_like_the_branch_is_not_audited_in_its_place(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tag ``main`` (or ``origin/main``) at an older commit, which git finds before the
    branch: the audit still reads the branch, and sees the direct push at its tip."""
    opened(repo)
    older = repo.git("rev-parse", "HEAD")
    pushed = repo.commit(
        "Quick fix", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")}
    )
    repo.git("update-ref", "refs/remotes/origin/main", "main")
    repo.git("tag", "main", older)
    repo.git("tag", "origin/main", older)
    for branch in ("main", "origin/main"):
        assert main(["audit", "--repo", str(repo.root), "--no-cache", "--branch", branch]) == 1
        out = capsys.readouterr().out
        assert pushed[:10] in out and "lên thẳng nhánh chính" in out, out
    index, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert index.tip == pushed and "history.direct_push" in {f.rule for f in found}


def test_an_empty_repository_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    (empty / "governance").mkdir(parents=True)
    GitRepo(empty).git("init", "-q", "-b", "main")
    assert main(["audit", "--repo", str(empty)]) == 2
    assert "chưa có commit nào" in capsys.readouterr().err


def test_grafts_are_refused_and_replace_refs_ignored(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    clean = repo.git("rev-parse", "HEAD")
    pushed = repo.commit(
        "Direct", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")}
    )
    # A replace ref that makes the direct push look like the clean merge before it.
    repo.git("replace", "-f", pushed, clean)
    assert "history.direct_push" in rules(repo)
    grafts = repo.root / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(f"{pushed}\n")
    assert main(["audit", "--repo", str(repo.root), "--no-cache"]) == 3
    assert "info/grafts" in capsys.readouterr().err


def test_review_of_an_unknown_base_is_a_usage_error(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    opened(repo)
    code = main(["review", "--repo", str(repo.root), "--base", "origin/nope", "--head", "main"])
    assert code == 2
    assert "không tìm thấy nhánh hoặc commit 'origin/nope'" in capsys.readouterr().err


def test_an_approval_line_in_a_title_is_not_a_trailer(repo: GitRepo) -> None:
    """GitLab's template writes the merge request's title into the forge-signed message: a
    title "Approved-by: …" must not read as an approval; only the final trailer block does."""
    member = org(repo)[0]
    title = f"Approved-by: {member['name']} <{member['email']}>"
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    forge_merge(repo, f"Merge branch 'mr1' into 'main'\n\n{title}\n\nSee merge request !1", "mr1")
    assert rules(repo) == ["history.approvals"]


def _gpg_key(home: Path, name: str) -> tuple[str, str]:
    """A fresh OpenPGP key in ``home``: its fingerprint and armored public key."""

    home.mkdir(mode=0o700, exist_ok=True)
    env = {"GNUPGHOME": str(home)}
    run = {
        "check": True,
        "capture_output": True,
        "text": True,
        "env": {**__import__("os").environ, **env},
    }
    subprocess.run(
        ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", f"{name} <{name}@mau.invalid>",
         "ed25519", "sign", "never"],
        **run,
    )  # fmt: skip
    listed = subprocess.run(["gpg", "--batch", "--with-colons", "--list-keys"], **run).stdout
    fingerprint = next(line.split(":")[9] for line in listed.splitlines() if line.startswith("fpr"))
    armored = subprocess.run(["gpg", "--batch", "--armor", "--export", fingerprint], **run).stdout
    return fingerprint, armored


@pytest.mark.skipif(shutil.which("gpg") is None, reason="needs gpg (.ci/run installs it)")
def test_an_openpgp_forge_key_as_github_signs_its_merges(tmp_path: Path) -> None:
    repo = make(tmp_path, forge=False)
    forge_home, other_home = tmp_path / "gpg-forge", tmp_path / "gpg-other"
    fingerprint, armored = _gpg_key(forge_home, "web-flow")
    stranger, _ = _gpg_key(other_home, "stranger")
    indented = "\n".join(f"    {line}" if line else "" for line in armored.splitlines())
    repo.write(
        "governance/settings.yaml",
        repo.read("governance/settings.yaml")
        + f"forge_keys:\n- forge: github\n  format: openpgp\n  key: |\n{indented}\n",
    )
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance with GitHub's key")

    def merge_signed(number: int, home: Path, key: str) -> None:
        repo.git("checkout", "-q", "-b", f"mr{number}", "main")
        name = CASE.replace("test01", f"test0{number}")
        repo.commit("Open", {name: GOOD.replace("test01", f"test0{number}")})
        repo.git("checkout", "-q", "main")
        repo.git(
            "-c", "gpg.format=openpgp", "-c", f"user.signingkey={key}",
            "merge", "-q", "--no-ff", "-S", "-m",
            f"Merge pull request #{number}\n\nHoso-Approved-By: github:{org(repo)[0]['github']}",
            f"mr{number}",
            env={"GNUPGHOME": str(home)},
        )  # fmt: skip

    merge_signed(1, forge_home, fingerprint)
    assert rules(repo) == []
    merge_signed(2, other_home, stranger)
    assert rules(repo) == ["history.unsigned_merge", "history.approvals"]
    # The keyring the audit made is gone, and so is the agent gpg started for it.
    for home in (forge_home, other_home):
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], check=False)
    assert _agents("hoso-forge-gpg-") == []


def _agents(marker: str) -> list[str]:
    """The command lines of running processes that mention ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in line and "gpg-agent" in line:
            found.append(line)
    return found


@pytest.mark.skipif(shutil.which("gpg") is None, reason="needs gpg (.ci/run installs it)")
def test_a_walk_that_stops_removes_the_keyrings_its_killed_workers_left(tmp_path: Path) -> None:
    """A worker killed mid-walk (Ctrl+C, an error elsewhere) cannot remove its keyring: the
    walk made it inside its own folder, and removes it with its gpg agent on the way out."""
    from types import SimpleNamespace

    from hoso.audit.forge import ForgeKeys
    from hoso.audit.judge import Judges

    _, armored = _gpg_key(tmp_path / "gpg-forge", "web-flow")
    subprocess.run(["gpgconf", "--homedir", str(tmp_path / "gpg-forge"), "--kill", "all"])
    key = SimpleNamespace(format="openpgp", key=armored)
    governance = SimpleNamespace(settings=SimpleNamespace(forge_keys=[key]))
    with pytest.raises(KeyboardInterrupt), Judges(tmp_path, None) as judges:  # type: ignore[arg-type]
        folder = judges.local.keyrings
        assert folder is not None
        left = ForgeKeys(tmp_path, governance, folder)  # type: ignore[arg-type]
        home = left._keyring()  # as a worker's first OpenPGP merge makes it
        assert _agents(home) != []
        raise KeyboardInterrupt  # the worker dies without closing it
    assert _agents(home) == [] and not Path(folder).exists()


def _two_segments(repo: GitRepo) -> tuple[Path, Path, str]:
    """An index of two segments: one audit before the last merge, one after."""
    opened(repo)
    top = repo.git("rev-parse", "HEAD")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    audit(Repo(repo.root), "main", today=AS_OF)
    repo.git("reset", "-q", "--hard", top)
    audit(Repo(repo.root), "main", today=AS_OF)
    folder = repo.root / ".git" / "hoso"
    first = next(folder.glob(f"*-{repo.git('rev-parse', 'HEAD~1')[:16]}.seg"))
    second = next(folder.glob(f"*-{top[:16]}.seg"))
    return first, second, top


def test_a_segment_put_in_place_of_another_is_said(repo: GitRepo) -> None:
    """Each segment is sealed on its own: the sealed state names the digest of each, so an
    older segment copied over a newer one is an unverified index, not a shorter history."""
    first, second, top = _two_segments(repo)
    second.write_bytes(first.read_bytes())
    index, found = audit(Repo(repo.root), "main", complete=True, today=AS_OF)
    assert "audit.index_unverified" in {f.rule for f in found}
    assert top in index.mainline


def test_a_segment_of_another_branch_is_said(repo: GitRepo) -> None:
    """A segment sealed with the same key for another branch, copied into this branch's slot:
    refused (the state names each segment's digest; each segment names its branch)."""
    _, second, top = _two_segments(repo)
    repo.git("branch", "other", "HEAD~1")
    audit(Repo(repo.root), "other", today=AS_OF)
    folder = repo.root / ".git" / "hoso"
    (theirs,) = [p for p in folder.glob("audit-other-*.seg")]
    second.write_bytes(theirs.read_bytes())
    index, found = audit(Repo(repo.root), "main", complete=True, today=AS_OF)
    assert "audit.index_unverified" in {f.rule for f in found}
    assert index.mainline[-1] == top


def test_an_index_that_cannot_be_saved_is_a_finding(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk or a folder that cannot be written: the audit says that what it saw is not
    kept (a later rewrite of these commits could then not show), instead of keeping quiet."""
    from hoso import yamlio

    opened(repo)

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(yamlio, "write_bytes_atomic", full)
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    (unsaved,) = [f for f in found if f.rule == "audit.index_unsaved"]
    assert "No space left on device" in unsaved.message and ".git/hoso" in unsaved.message
    _, quiet = audit(Repo(repo.root), "main", use_cache=False, today=AS_OF)
    assert "audit.index_unsaved" not in {f.rule for f in quiet}


def _rewritten_once(repo: GitRepo) -> None:
    """A history the audit saw, then amended: the index remembers ``history.rewritten``."""
    opened(repo)
    audit(Repo(repo.root), "main", today=AS_OF)
    repo.git("commit", "-q", "--amend", "-m", "Rewritten")
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert "history.rewritten" in {f.rule for f in found}


def test_another_branchs_state_in_this_ones_place_is_said(repo: GitRepo) -> None:
    from hoso.audit.index import cache_path

    _rewritten_once(repo)
    repo.git("branch", "other", "main")
    audit(Repo(repo.root), "other", today=AS_OF)
    cache_path(repo.root, "main").write_bytes(cache_path(repo.root, "other").read_bytes())
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert "audit.index_unverified" in {f.rule for f in found}


def test_what_an_index_of_an_earlier_format_remembers_is_kept(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new version of hoso reads the history again, but a rewrite only the old index saw,
    and the days it first saw each checkpoint, are carried over."""
    from hoso.audit import index

    _rewritten_once(repo)
    monkeypatch.setattr(index, "FORMAT", index.FORMAT + 1)
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert "history.rewritten" in {f.rule for f in found}
    assert "audit.index_unverified" not in {f.rule for f in found}
    _, again = audit(Repo(repo.root), "main", today=AS_OF)  # and kept in the new format
    assert [f.rule for f in again].count("history.rewritten") == 1


def test_no_home_folder_for_the_key_is_said_not_a_crash(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hoso.audit import store

    opened(repo)

    def homeless() -> Path:
        raise RuntimeError("no home")

    monkeypatch.delenv("HOSO_AUDIT_KEY", raising=False)
    monkeypatch.setattr(store, "key_path", homeless)
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    (unsaved,) = [f for f in found if f.rule == "audit.index_unsaved"]
    assert "không có thư mục nhà" in unsaved.message


def test_the_sites_audit_pages_read_a_branch_never_a_tag_of_its_name(repo: GitRepo) -> None:
    """A checkout in CI may have no local main: a tag 'main' at an old commit is not it."""
    from hoso.site.pages import _branch

    opened(repo)
    repo.git("checkout", "-q", "--detach")
    repo.git("branch", "-m", "main", "trunk")
    repo.git("tag", "main", "HEAD~1")
    assert _branch(repo.root) == "HEAD"
    repo.git("update-ref", "refs/remotes/main", "trunk")
    assert _branch(repo.root) == "main"


@pytest.mark.parametrize("stand_in", ["segment", "validation cache", "older, other branch"])
def test_anything_sealed_in_place_of_the_state_is_said(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch, stand_in: str
) -> None:
    """Files sealed with the same key (a segment, the validation cache, an earlier format's
    state of another branch) copied over the state: said, never read as no index (which
    would drop the rewrite it remembered), never a crash."""
    from hoso.audit import index, store
    from hoso.audit.index import cache_path

    _rewritten_once(repo)
    state = cache_path(repo.root, "main")
    if stand_in == "segment":
        state.write_bytes(next(state.parent.glob("audit-main-*.seg")).read_bytes())
    elif stand_in == "validation cache":
        state.write_bytes(store.seal({"format": 3, "rows": {}}) or b"")
    else:
        older = {"format": index.FORMAT - 1, "branch": "other", "tip": "", "findings": []}
        state.write_bytes(store.seal(older) or b"")
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert "audit.index_unverified" in {f.rule for f in found}


def test_a_state_deleted_beside_its_segments_is_said(repo: GitRepo) -> None:
    from hoso.audit.index import cache_path

    _rewritten_once(repo)
    cache_path(repo.root, "main").unlink()
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert "audit.index_unverified" in {f.rule for f in found}


def test_since_still_says_a_rewrite_of_what_the_audit_saw(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The finding names the tip an earlier audit saw, which is no longer on the line: no day
    or commit of the line can leave it out."""
    opened(repo)
    assert main(["audit", "--repo", str(repo.root), "--since", "01/01/2020"]) in (0, 1)
    capsys.readouterr()
    repo.git("commit", "-q", "--amend", "-m", "Rewritten")
    # From the tip on: every commit of the line left out (a day after today is refused).
    since = ["--since", "HEAD", "--format", "csv"]
    assert main(["audit", "--repo", str(repo.root), *since]) == 1
    assert "history.rewritten" in capsys.readouterr().out


def test_a_finding_about_no_commit_reads_without_a_gap() -> None:
    from hoso.audit import report
    from hoso.audit.index import AuditFinding, Index

    said = report.text(Index("main"), [AuditFinding("medium", "", "audit.index_unsaved", "x")])
    assert said.splitlines()[0] == "[cần xem] x"


@pytest.mark.parametrize("how", ["older index put back", "index deleted"])
def test_a_rewrite_cannot_hide_behind_an_older_index_or_none(
    repo: GitRepo, tmp_path: Path, how: str
) -> None:
    """An index sealed with the auditor's key is still the auditor's after a later audit: put
    back after a direct push was rewritten away, it would make the rewrite pass unseen (the
    tip it names is still in the history); so would deleting the whole index. The auditor's
    state folder notes which index it wrote last."""
    from hoso.audit.index import cache_path

    opened(repo)
    audit(Repo(repo.root), "main", today=AS_OF)
    folder = cache_path(repo.root, "main").parent
    kept = tmp_path / "kept"
    shutil.copytree(folder, kept)
    before = repo.git("rev-parse", "HEAD")
    repo.commit("Direct", {CASE: GOOD + "# sửa\n"})
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert "history.direct_push" in {f.rule for f in found}
    repo.git("reset", "-q", "--hard", before)  # the direct push rewritten away
    shutil.rmtree(folder)
    if how == "older index put back":
        shutil.copytree(kept, folder)
    _, found = audit(Repo(repo.root), "main", today=AS_OF)
    assert [f.rule for f in found] == ["audit.index_unverified"]
    _, again = audit(Repo(repo.root), "main", today=AS_OF)  # kept in the new index
    assert [f.rule for f in again] == ["audit.index_unverified"]
