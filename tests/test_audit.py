"""Audit from the history alone, on repositories built here with merges, signatures and a
force-push."""

from __future__ import annotations

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
from hoso.audit import checkpoints, index, judge, stream, walk
from hoso.audit.walk import build
from hoso.cli.main import main
from hoso.git import Repo

CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A repository whose first commit gives keys to two provincial organisation members,
    one serving and one whose term ended."""
    repo = make_repo(tmp_path / "repo")
    text = repo.read("governance/committees.yaml")
    org = committees(text)["thu-nghiem.organisation"]
    serving(org)[0]["ssh_keys"] = [repo.public("org")]
    former(org)[0]["ssh_keys"] = [repo.public("gone")]
    repo.write(
        "governance/committees.yaml", with_committees(text, {"thu-nghiem.organisation": org})
    )
    repo.write("governance/settings.yaml", with_forge_key(repo))
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    return repo


def members(repo: GitRepo, committee: str) -> dict[str, Any]:
    return committees(repo.read("governance/committees.yaml"))[committee]


def approver(repo: GitRepo) -> dict[str, Any]:
    return serving(members(repo, "khe-lam.organisation"))[0]


def merge(
    repo: GitRepo,
    number: int,
    name: str,
    files: dict[str, str | None] | None = None,
    approvers: list[dict[str, Any]] | None = None,
    work: Any = None,
) -> str:
    repo.git("checkout", "-q", "-b", name, "main")
    if work:
        work()
    if files:
        repo.commit(f"Change for request {number}", files)
    repo.git("checkout", "-q", "main")
    trailers = "".join(f"\nApproved-by: {m['name']} <{m['email']}>" for m in approvers or [])
    forge_merge(repo, f"Merge pull request #{number} from mau/{name}\n{trailers}", name)
    return repo.git("rev-parse", "HEAD")


def add_step(repo: GitRepo) -> None:
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.git("add", CASE)
    repo.commit("Record partial appraisal")


def clean_history(repo: GitRepo) -> None:
    merge(repo, 1, "open", {CASE: GOOD}, [approver(repo)])
    merge(repo, 2, "step", approvers=[approver(repo)], work=lambda: add_step(repo))


def findings(repo: GitRepo, use_cache: bool = False) -> list[walk.AuditFinding]:
    index = build(Repo(repo.root), "main", use_cache=use_cache)
    return [*index.findings, *checkpoints.verify(Repo(repo.root), "main")]


def test_a_clean_history_has_no_findings(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    clean_history(repo)
    assert findings(repo) == []
    assert main(["audit", "--repo", str(repo.root)]) == 0
    first = repo.git("rev-list", "--max-parents=0", "main")
    assert capsys.readouterr().out.startswith(
        "Đã kiểm toán 3 commit của nhánh main (2 lần hợp nhất): 0 phát hiện.\n"
        f"Gốc lịch sử (commit đầu tiên trên nhánh chính): {first}\n"
    )


def test_a_direct_push_is_a_finding(repo: GitRepo) -> None:
    clean_history(repo)
    sha = repo.commit(
        "Quick fix", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")}
    )
    found = findings(repo)
    assert (found[0].rule, found[0].commit) == ("history.direct_push", sha)
    assert "lên thẳng nhánh chính, không qua yêu cầu hợp nhất" in found[0].message


def test_a_merge_short_of_approvals(repo: GitRepo) -> None:
    merge(repo, 1, "open", {CASE: GOOD}, [approver(repo)])
    sha = merge(repo, 2, "step", approvers=[], work=lambda: add_step(repo))
    (found,) = findings(repo)
    assert (found.rule, found.commit, found.merge_request, found.path) == (
        "history.approvals",
        sha,
        "2",
        CASE,
    )
    assert "cần 1 phê duyệt của Ban Tổ chức huyện Khê Lam, có 0" in found.message


def test_a_signature_by_a_member_whose_term_had_ended(repo: GitRepo) -> None:
    merge(repo, 1, "open", {CASE: GOOD}, [approver(repo)])
    org = members(repo, "thu-nghiem.organisation")
    valid, gone = serving(org)[0], former(org)[0]

    def correct() -> None:
        repo.commit(
            "Correct the ethnicity",
            {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào")},
        )
        blob = repo.git("rev-parse", f"HEAD:{CASE}")
        from hoso.review.signed import message

        repo.sign_commit(message(CASE, blob, "approve"), "org", (valid["name"], valid["email"]))
        repo.sign_commit(message(CASE, blob, "approve"), "gone", (gone["name"], gone["email"]))

    sha = merge(repo, 2, "correct", approvers=[approver(repo)], work=correct)
    (found,) = findings(repo)
    assert (found.rule, found.commit) == ("history.approvals", sha)
    assert found.message.startswith(
        "Đính chính hồ sơ đã ghi: cần 2 phê duyệt của Ban Tổ chức tỉnh Thử Nghiệm, có 1"
    )
    assert "ngoài nhiệm kỳ vào ngày" in found.message


def test_a_governance_change_that_widened_rights_then_used(repo: GitRepo) -> None:
    merge(repo, 1, "open", {CASE: GOOD}, [approver(repo)])
    org = members(repo, "khe-lam.organisation")
    friend = {
        "name": "Bạn Thân Mẫu",
        "role": "member",
        "party_card": "99999998",
        "term_from": date(2026, 1, 1),
        "email": "friend@mau.invalid",
    }
    org["members"].append(friend)
    widened = with_committees(
        repo.read("governance/committees.yaml"), {"khe-lam.organisation": org}
    )
    first = merge(repo, 2, "widen", {"governance/committees.yaml": widened}, [])
    later = merge(repo, 3, "use", approvers=[friend], work=lambda: add_step(repo))
    found = findings(repo)
    assert [(f.rule, f.commit) for f in found] == [
        ("history.approvals", first),
        ("history.tainted_governance", later),
        # Judged by the governance as it last stood approved, where the friend is no member.
        ("history.approvals", later),
    ]
    assert "thay đổi tệp quản trị cần ba ủy viên" in found[0].message.lower()


def test_checkpoint_signed_by_an_organisation_member_verifies(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_history(repo)
    member = serving(members(repo, "thu-nghiem.organisation"))[0]
    repo.git("config", "user.email", member["email"])
    repo.git("config", "user.name", member["name"])
    code = main(
        ["checkpoint", "--repo", str(repo.root), "--name", "2026-H2", "--key", str(repo.key("org"))]
    )
    assert code == 0
    assert capsys.readouterr().out.startswith("Đã tạo mốc kiểm toán hoso-checkpoint/2026-H2 tại ")
    assert findings(repo) == []


def test_checkpoint_by_someone_else_is_a_finding(repo: GitRepo) -> None:
    clean_history(repo)
    repo.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={repo.key('stranger')}",
        "tag",
        "-s",
        "-m",
        "checkpoint",
        "hoso-checkpoint/odd",
    )
    (found,) = findings(repo)
    assert found.rule == "checkpoint.signature"


def test_a_district_organisation_member_cannot_sign_a_checkpoint(repo: GitRepo) -> None:
    clean_history(repo)
    text = repo.read("governance/committees.yaml")
    district = committees(text)["khe-lam.organisation"]
    serving(district)[0]["ssh_keys"] = [repo.public("district")]
    repo.commit(
        "District key",
        {"governance/committees.yaml": with_committees(text, {"khe-lam.organisation": district})},
    )
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key('district')}",
        "tag", "-s", "-m", "checkpoint", "hoso-checkpoint/district",
    )  # fmt: skip
    (found,) = checkpoints.verify(Repo(repo.root), "main")
    assert found.rule == "checkpoint.signer"
    assert "không phải ủy viên ban tổ chức cấp tỉnh" in found.message


def test_checkpoint_refuses_what_the_audit_would_not_accept(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stranger's key, a file that is no key, a name git cannot take, a name already used:
    each is refused in words, and no tag is left behind."""
    clean_history(repo)
    run = ["checkpoint", "--repo", str(repo.root), "--name"]
    not_a_key = repo.root / "not-a-key"
    not_a_key.write_text("plain text\n")
    for name, key, said in [
        ("stranger", repo.key("stranger"), "không tạo mốc: chữ ký của mốc kiểm toán"),
        ("no-key", not_a_key, "không ký được: cần tệp khóa SSH riêng"),
        ("a b", repo.key("org"), "không dùng được làm tên thẻ git"),
    ]:
        assert main([*run, name, "--key", str(key)]) == 2
        assert said in capsys.readouterr().err
    assert repo.git("tag", "--list", "hoso-checkpoint/*") == ""
    assert main([*run, "2026-H2", "--key", str(repo.key("org"))]) == 0
    assert main([*run, "2026-H2", "--key", str(repo.key("org"))]) == 2
    assert "đã có mốc kiểm toán hoso-checkpoint/2026-H2" in capsys.readouterr().err


def test_force_push_before_a_checkpoint_is_reported(repo: GitRepo) -> None:
    clean_history(repo)
    member = serving(members(repo, "thu-nghiem.organisation"))[0]
    repo.git("config", "user.email", member["email"])
    checkpoints.create(Repo(repo.root), "main", "2026-H2", str(repo.key("org")), AS_OF)
    build(Repo(repo.root), "main")  # the auditor's earlier run, cached
    repo.git("reset", "-q", "--hard", "HEAD~1")
    merge(
        repo,
        2,
        "step-again",
        approvers=[approver(repo)],
        work=lambda: repo.commit(
            "Altered step", {CASE: repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Dao")}
        ),
    )
    found = findings(repo, use_cache=True)
    rules = [f.rule for f in found]
    assert "history.rewritten" in rules and "checkpoint.rewritten" in rules
    message = next(f.message for f in found if f.rule == "checkpoint.rewritten")
    assert message.startswith(
        "lịch sử trước mốc kiểm toán hoso-checkpoint/2026-H2 đã bị viết "
        "lại: 2 commit của mốc không còn trong nhánh main"
    )
    assert "Record partial appraisal" in message and f"tệp khác đi: sửa {CASE}" in message


def test_a_checkpoint_turned_into_a_side_branch_is_reported(repo: GitRepo) -> None:
    """main reset to before a direct push, then the checkpointed tip merged back in as a
    second parent: the checkpoint is still an ancestor, but the history before it is no longer
    the first-parent line the audit walks (the direct push now hides inside the merge)."""
    merge(repo, 1, "open", {CASE: GOOD}, [approver(repo)])
    start = repo.git("rev-parse", "HEAD")
    add_step(repo)  # a direct push: a finding while it is on the first-parent line
    member = serving(members(repo, "thu-nghiem.organisation"))[0]
    repo.git("config", "user.email", member["email"])
    checkpoints.create(Repo(repo.root), "main", "2026-H2", str(repo.key("org")), AS_OF)
    assert "history.direct_push" in [f.rule for f in findings(repo)]
    repo.git("branch", "old-main")
    repo.git("reset", "-q", "--hard", start)
    forge_merge(repo, "Merge pull request #3 from mau/old-main", "old-main")
    found = findings(repo)
    assert "history.direct_push" not in [f.rule for f in found]  # what the rewrite hid
    message = next(f.message for f in found if f.rule == "checkpoint.rewritten")
    assert message.startswith(
        "lịch sử trước mốc kiểm toán hoso-checkpoint/2026-H2 đã bị viết lại: commit của mốc "
        "không còn trên dòng cha thứ nhất của nhánh main"
    )


def test_a_checkpoint_whose_history_kept_its_content_says_only_messages_changed(
    repo: GitRepo,
) -> None:
    clean_history(repo)
    member = serving(members(repo, "thu-nghiem.organisation"))[0]
    repo.git("config", "user.email", member["email"])
    checkpoints.create(Repo(repo.root), "main", "2026-H2", str(repo.key("org")), AS_OF)
    repo.git("commit", "-q", "--amend", "-m", "Merge pull request #2, reworded")
    found = [f for f in findings(repo) if f.rule == "checkpoint.rewritten"]
    assert len(found) == 1
    assert found[0].message.endswith(
        "; chỉ lời commit hoặc tác giả, ngày ghi trong commit đổi khác; nội dung các tệp vẫn như cũ"
    )
    assert "tệp khác đi" not in found[0].message


def test_second_audit_reads_only_new_commits(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_history(repo)
    first = build(Repo(repo.root), "main")
    seen: list[list[str]] = []
    real = walk.read_history

    def counting(root: Path, revs: list[str]):  # type: ignore[no-untyped-def]
        seen.append(list(revs))
        return real(root, revs)

    monkeypatch.setattr(walk, "read_history", counting)
    assert build(Repo(repo.root), "main").tip == first.tip
    assert seen == []  # nothing new: the cached index answers
    merge(
        repo,
        3,
        "more",
        {
            "cases/khe-lam/admission/KN-2024-test02.yaml": GOOD.replace(
                "KN-2024-test01", "KN-2024-test02"
            )
        },
        [approver(repo)],
    )
    again = build(Repo(repo.root), "main")
    assert seen == [[again.tip, f"^{first.tip}"]]
    assert (again.count, again.mainline, again.findings) == (4, [again.tip], [])
    assert len(build(Repo(repo.root), "main", complete=True).mainline) == 4


def test_history_of_a_record(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    clean_history(repo)
    assert main(["history", "KN-2024-test01", "--repo", str(repo.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Lịch sử của {CASE} trên nhánh main:"
    assert (
        ": hồ sơ mới, các bước: Đã vào danh sách cảm tình, có đảng viên giúp đỡ → Đã học lớp "
        "bồi dưỡng nhận thức về Đảng, có giấy chứng nhận → Đã nộp đơn xin vào Đảng, lý lịch và "
        "giấy giới thiệu → "
    ) in out[1]
    assert "vào nhánh qua hợp nhất" in out[2] and "yêu cầu hợp nhất #1" in out[2]
    assert approver(repo)["name"] in out[2]
    assert (
        ": ghi thêm bước: Chi bộ đã ra nghị quyết đề nghị kết nạp → Đảng ủy bộ phận đã thẩm "
        "định (Record partial appraisal)"
    ) in out[3]
    assert "yêu cầu hợp nhất #2" in out[4]


def test_history_names_changed_fields_and_steps_by_their_labels(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_history(repo)
    text = repo.read(CASE)
    repo.commit("Fix ethnicity", {CASE: text.replace("ethnicity: Thái", "ethnicity: Lào")})
    text = repo.read(CASE)
    repo.commit(
        "Fix a day",
        {CASE: text.replace("date: 2026-05-29\n    state", "date: 2026-05-28\n    state")},
    )
    assert main(["history", "KN-2024-test01", "--repo", str(repo.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert ": đính chính trường đã ghi [người được xem xét] (Fix ethnicity)" in out[5]
    assert (
        ": sửa bước cũ trong lịch sử: Đã vào danh sách cảm tình, có đảng viên giúp đỡ → " in out[7]
    )
    assert "[bước thứ 2 trong lịch sử] (Fix a day)" in out[7]
    assert "subject" not in "\n".join(out) and "history[" not in "\n".join(out)


def test_audit_formats(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    merge(repo, 1, "open", {CASE: GOOD}, [])
    for fmt, start in (
        ("json", "{"),
        ("csv", "\ufeffMức,Loại phát hiện,Commit,Yêu cầu hợp nhất,Tệp,Nội dung,Mã quy tắc"),
        ("markdown", "# Kiểm toán nhánh `main`"),
    ):
        assert main(["audit", "--repo", str(repo.root), "--format", fmt]) == 1
        assert capsys.readouterr().out.startswith(start)


def test_forge_approvals_recorded_as_trailers_count(repo: GitRepo) -> None:
    """On GitHub the reviews live outside git: `hoso review --format trailers` prints lines for
    the merge message, and the audit counts them."""
    login = approver(repo)["github"]
    repo.git("checkout", "-q", "-b", "open", "main")
    repo.commit("Open a case", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    forge_merge(
        repo, f"Merge pull request #7 from mau/open\n\nHoso-Approved-By: github:{login}\n", "open"
    )
    assert findings(repo) == []


def test_parallel_judging_finds_what_serial_judging_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers start when the walk has a few commits to read here (2048 in real use), later
    versions of a record go to the worker that saw the previous
    one, and the results are settled in history order."""
    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 60, 11)
    started: list[int] = []
    real_start = judge.Judges.start

    def noting(self: judge.Judges) -> None:
        real_start(self)
        started.append(len(self.workers))

    monkeypatch.setattr(judge.Judges, "start", noting)
    monkeypatch.setattr(judge, "_CHUNK", 3)
    monkeypatch.setattr(judge, "_AHEAD", 10)
    real_init = judge.Judges.__init__

    def early(self: judge.Judges, root: Path, blobs: object, parallel_after: int = 0) -> None:
        real_init(self, root, blobs, 20)  # type: ignore[arg-type]

    monkeypatch.setattr(judge.Judges, "__init__", early)
    parallel = build(Repo(tmp_path / "h"), "main", use_cache=False, keep_shapes=True)
    assert started and started[0] >= 2  # the workers did most of the judging

    def alone(self: judge.Judges, root: Path, blobs: object, parallel_after: int = 0) -> None:
        real_init(self, root, blobs, 10**9)  # type: ignore[arg-type]

    monkeypatch.setattr(judge.Judges, "__init__", alone)
    serial = build(Repo(tmp_path / "h"), "main", use_cache=False, keep_shapes=True)
    assert len(started) == 1
    assert parallel.count > 100
    assert (parallel.findings, parallel.steps, parallel.shapes) == (
        serial.findings,
        serial.steps,
        serial.shapes,
    )


def test_each_version_is_judged_against_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever worker judges a record's version knows that record's previous version: it
    judged it itself, or it is told to read it again."""
    import random
    from datetime import date

    from hoso.audit import judge

    def judging(self: judge.Judge, job: judge.Job) -> judge.Judged:
        seen = []
        for _, path in job.changed:
            held = self.shapes.get(path, {}).get("seq", 0)
            seen.append(("reread", path, path) if path in job.reread else ("held", str(held), path))
            self.shapes[path] = {"seq": job.seq}
        return judge.Judged(job.seq, True, [], seen)

    monkeypatch.setattr(judge.Judge, "judge", judging)
    monkeypatch.setattr(
        judge.Judge, "judge_all", lambda self, jobs: [judging(self, j) for j in jobs]
    )
    monkeypatch.setattr(judge, "_CHUNK", 2)
    rng = random.Random(5)
    paths = [f"cases/x/admission/KN-2024-{n:06d}.yaml" for n in range(6)]
    jobs = [
        judge.Job(
            n,
            "c",
            "b",
            "h",
            [("M", p) for p in rng.sample(paths, rng.randint(1, 3))],
            [],
            [],
            {},
            date(2026, 1, 1),
        )
        for n in range(1, 400)
    ]
    last: dict[str, int] = {}
    with judge.Judges(tmp_path, None, parallel_after=50) as judges:  # type: ignore[arg-type]
        for job in jobs:
            judges.submit(job)
        shapes = judges.close(collect=True)
        results = {j.seq: j for j in judges.results()}
    assert len(results) == len(jobs)
    for job in jobs:
        for kind, held, path in results[job.seq].problems:
            assert kind == "reread" or int(held) == last.get(path, 0), (job.seq, path)
            last[path] = job.seq
    assert {p: s["seq"] for p, s in shapes.items()} == last


def test_a_failing_worker_stops_the_audit_with_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A judge that fails in a worker process is reported, not waited for forever, and no
    index is saved."""
    from hoso.audit import judge
    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 30, 3)
    real_init = judge.Judges.__init__

    def early(self: judge.Judges, root: Path, blobs: object, parallel_after: int = 0) -> None:
        real_init(self, root, blobs, 5)  # type: ignore[arg-type]

    def broken(self: judge.Judge, jobs: list[judge.Job]) -> list[judge.Judged]:
        raise ValueError("judge broke")

    monkeypatch.setattr(judge.Judges, "__init__", early)
    monkeypatch.setattr(judge.Judge, "judge_all", broken)
    with pytest.raises(RuntimeError, match="judge broke"):
        build(Repo(tmp_path / "h"), "main")
    assert not index.cache_path(tmp_path / "h", "main").exists()


def test_files_and_blob_ids_come_from_the_raw_diffs(repo: GitRepo) -> None:
    """The main line's log and ``Diffs`` name each changed file with its blob ids on both
    sides, the ids git itself gives (the judges read versions by these ids)."""
    clean_history(repo)
    other = "cases/khe-lam/admission/KN-2024-test02.yaml"

    def two_commits() -> None:
        repo.commit("First change", {other: GOOD.replace("KN-2024-test01", "KN-2024-test02")})
        repo.commit("Second change", {CASE: None})

    merge(repo, 3, "two", work=two_commits)

    def blob(rev: str, path: str) -> str:
        found = repo.git("ls-tree", rev, path).split()
        return found[2] if found else stream.NO_BLOB

    history = stream.read_history(repo.root, ["main"])
    line, others = list(history.mainline), history.everything
    assert [len(c.parents) for c in line] == [0, 2, 2, 2]
    brought = [
        stream.commit_of(record) for sha, record in others if sha not in {c.sha for c in line}
    ]
    assert all(c.files is None for c in brought)
    with stream.Diffs(repo.root) as diffs:
        diffs.files(brought)
    checked = 0
    for commit in [*line, *brought]:
        assert commit.files is not None and commit.blobs is not None
        assert sorted(p for _, p in commit.files) == sorted(commit.blobs)
        base = commit.parents[0] if commit.parents else None
        for status, path in commit.files:
            before, after = commit.blobs[path]
            assert after == blob(commit.sha, path)
            assert before == (blob(base, path) if base else stream.NO_BLOB)
            assert (status == "A") == (before == stream.NO_BLOB)
            assert (status == "D") == (after == stream.NO_BLOB)
            checked += 1
    assert checked >= 6


@pytest.mark.parametrize("trees", [4096, 1])
def test_whether_a_brought_commit_changed_files_is_what_git_says(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch, trees: int
) -> None:
    """The walk tells a brought commit that changed nothing from one that did by their trees
    (no diff asked of git where it knows both): the judges hear what git's own diff says,
    for a branch that starts from the main line, from an older commit of it, and for empty
    commits on top (how signed approvals are made)."""
    clean_history(repo)
    other = "cases/khe-lam/admission/KN-2024-test02.yaml"
    older = repo.git("rev-parse", "HEAD~1")

    def work() -> None:
        repo.commit("Empty first", {})
        repo.commit("A change", {other: GOOD.replace("KN-2024-test01", "KN-2024-test02")})
        repo.git("commit", "-q", "--allow-empty", "-m", "Empty on top")

    def from_older() -> None:
        repo.git("reset", "-q", "--hard", older)
        third = GOOD.replace("KN-2024-test01", "KN-2024-test03")
        repo.commit("Change from an older base", {other.replace("02", "03"): third})

    merge(repo, 3, "mixed", work=work)
    merge(repo, 4, "older", work=from_older)
    seen: dict[str, bool] = {}
    real = judge.Judges.submit

    def spied(self: judge.Judges, job: judge.Job) -> None:
        seen.update((m.sha, m.changes_files) for m in job.brought)
        real(self, job)

    monkeypatch.setattr(judge.Judges, "submit", spied)
    # With one tree kept, the older base's is forgotten and git is asked; with many, the
    # walk compares the trees it kept of the main line.
    monkeypatch.setattr(walk, "_TREES", trees)
    build(Repo(repo.root), "main", use_cache=False)
    expected = {
        sha: bool(repo.git("diff-tree", "-r", "--no-commit-id", f"{sha}~1", sha).strip())
        for sha in seen
    }
    assert seen == expected and len(seen) >= 6
    assert sorted(expected.values()).count(False) >= 2


def test_an_interrupted_first_audit_resumes_where_it_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long first audit saves every ``SEGMENT`` first-parent commits; killed after that, the
    next run reads only the commits after the save and ends with the findings a whole run
    gives (and an index that knows the whole line)."""
    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 40, 9, planted=True)
    repo = Repo(tmp_path / "h")
    whole = build(repo, "main", use_cache=False)
    monkeypatch.setattr(walk, "SEGMENT", 30)
    real = walk._Walk._prepare
    seen = {"n": 0}

    def dying(self: walk._Walk, commit: stream.Commit) -> None:
        seen["n"] += 1
        if seen["n"] == 75:
            raise KeyboardInterrupt
        real(self, commit)

    monkeypatch.setattr(walk._Walk, "_prepare", dying)
    with pytest.raises(KeyboardInterrupt):
        build(repo, "main")
    saved = index.load(repo.root, "main", False)
    assert saved is not None and saved.count == 60 and len(saved.segments) == 2
    monkeypatch.setattr(walk._Walk, "_prepare", real)
    revs_seen: list[list[str]] = []
    real_history = walk.read_history

    def counting(root: Path, revs: list[str]):  # type: ignore[no-untyped-def]
        revs_seen.append(list(revs))
        return real_history(root, revs)

    monkeypatch.setattr(walk, "read_history", counting)
    resumed = build(repo, "main")
    assert revs_seen[0][1] == f"^{saved.tip}"
    assert resumed.findings == whole.findings
    assert resumed.count == whole.count
    complete = build(repo, "main", complete=True)
    assert complete.mainline == whole.mainline
    assert {
        s: (x.kind, x.when, x.approvals, x.ok, sorted(x.paths)) for s, x in complete.steps.items()
    } == {s: (x.kind, x.when, x.approvals, x.ok, sorted(x.paths)) for s, x in whole.steps.items()}


def test_short_spans_renewed_processes_and_early_workers_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git is read span by span and its kept processes are replaced as they grow; workers
    forked in the middle of a span inherit its pipes (so a span must not wait for git to see
    its input end). None of it may change what the audit finds or records."""
    import threading

    from hoso.audit import judge
    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 40, 9, planted=True)
    repo = Repo(tmp_path / "h")
    whole = build(repo, "main", use_cache=False)
    monkeypatch.setattr(stream, "SPAN", 7)
    monkeypatch.setattr(stream._Kept, "RENEW", 3)
    monkeypatch.setattr(judge.Judges.__init__, "__defaults__", (5,))
    monkeypatch.setattr(judge.os, "cpu_count", lambda: 2)
    done: list[index.Index] = []
    runner = threading.Thread(target=lambda: done.append(build(repo, "main", use_cache=False)))
    runner.daemon = True
    runner.start()
    runner.join(timeout=120)
    assert done, "the audit stopped making progress"
    (spanned,) = done
    assert spanned.findings == whole.findings and spanned.mainline == whole.mainline
    assert {s: (x.kind, x.ok, sorted(x.paths)) for s, x in spanned.steps.items()} == {
        s: (x.kind, x.ok, sorted(x.paths)) for s, x in whole.steps.items()
    }


def test_a_span_does_not_wait_for_git_to_see_its_input_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker forked while a span is read holds a copy of the pipe into git: git then never
    sees its input end. Reading the span must not depend on it."""
    import os
    import subprocess
    import threading

    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 10, 9)
    held: list[int] = []

    class Inherited(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self.stdin is not None:
                held.append(os.dup(self.stdin.fileno()))  # as a forked worker would

    monkeypatch.setattr(stream.subprocess, "Popen", Inherited)
    read: list[list[str]] = []

    def run() -> None:
        read.append([c.sha for c in stream.read_history(tmp_path / "h", ["main"]).mainline])

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout=60)
    for fd in held:
        os.close(fd)
    assert read, "reading the span waited for an end of input that never came"
    line = Repo(tmp_path / "h").text("rev-list", "--first-parent", "--reverse", "main").split()
    assert read[0] == line


def test_a_line_break_in_a_file_name_cannot_forge_an_audit_line(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_history(repo)
    odd = "cases/khe-lam/admission/KN-2024-test01\n[lưu ý] đã duyệt.yaml"
    repo.commit("Quick fix", {odd: GOOD})
    assert main(["audit", "--repo", str(repo.root), "--no-cache", "--quiet"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert not any(line.startswith("[lưu ý] đã duyệt") for line in out)
    escaped = "'cases/khe-lam/admission/KN-2024-test01\\n[lưu ý] đã duyệt.yaml'"
    assert any(escaped in line for line in out)


def test_history_says_a_version_cannot_be_read_and_why(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_history(repo)
    repo.commit("Break it", {CASE: repo.read(CASE) + "extra: [\n"})
    assert main(["history", CASE, "--repo", str(repo.root)]) == 0
    last = capsys.readouterr().out.splitlines()[-2]
    assert ": đính chính trường đã ghi; phiên bản này không đọc được: dòng " in last
    assert "YAML không hợp lệ" in last and last.endswith("(Break it)")


def test_history_refuses_a_record_named_through_a_link(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_history(repo)
    link = repo.root / "cases/khe-lam/admission/KN-2024-link01.yaml"
    link.symlink_to(repo.root / CASE)
    assert main(["history", str(link), "--repo", str(repo.root)]) == 1
    err = capsys.readouterr().err
    assert "liên kết tượng trưng không được dùng cho tệp hồ sơ" in err


def test_two_branch_names_never_share_an_index(tmp_path: Path) -> None:
    from hoso.audit.index import cache_path

    names = ["main", "chính", "chỉnh", "origin/main", "origin_main", "ch_nh"]
    paths = {cache_path(tmp_path, name) for name in names}
    assert len(paths) == len(names)
    assert cache_path(tmp_path, "main").name == "audit-main.idx"


def test_a_worktree_keeps_its_index(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worktree's .git is a file: its index goes to the git directory the file names, so the
    second audit there reads nothing again."""
    clean_history(repo)
    tree = repo.root.parent / "worktree"
    repo.git("worktree", "add", "-q", "--detach", str(tree), "main")
    first = build(Repo(tree), "main")
    kept = index.cache_path(tree, "main")
    assert kept.is_file() and (repo.root / ".git" / "worktrees") in kept.parents
    seen: list[object] = []
    monkeypatch.setattr(walk, "read_history", lambda *args: seen.append(args))
    assert build(Repo(tree), "main").tip == first.tip
    assert seen == []


def test_an_audit_stopped_by_sigterm_lets_go_of_what_it_holds(tmp_path: Path) -> None:
    """A timeout or a cancelled job sends SIGTERM: the audit says so in Vietnamese, exits 143,
    and leaves no temporary folder behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 200, 5)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "hoso.cli.main", "audit", "--repo", str(tmp_path / "h")]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(temp.glob("hoso-forge-*")) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err.decode()
    assert "đã dừng theo yêu cầu" in err.decode() and b"Traceback" not in err
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize(
    ("since", "said"),
    [
        ("15/08/25", "năm phải ghi đủ 4 chữ số"),
        ("31/02/2025", "không có trên lịch"),
        ("01/01/9999", "ngày ở sau hôm nay"),  # would report nothing and pass
    ],
)
def test_since_reads_days_as_every_command_does(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], since: str, said: str
) -> None:
    clean_history(repo)
    assert main(["audit", "--repo", str(repo.root), "--quiet", "--since", since]) == 2
    assert said in capsys.readouterr().err
    assert main(["audit", "--repo", str(repo.root), "--quiet", "--since", "2025/01/15"]) == 0


def test_a_checkpoint_key_a_direct_push_added_vouches_for_nothing(repo: GitRepo) -> None:
    """A direct push adds a key to a serving provincial organisation-commission member, then
    a checkpoint is signed with it: the signer is looked up in the committees as they last
    stood approved, where that key is nobody's."""
    from hoso.audit.run import audit

    clean_history(repo)
    text = repo.read("governance/committees.yaml")
    province = committees(text)["thu-nghiem.organisation"]
    serving(province)[0]["ssh_keys"] = [repo.public("stranger")]
    pushed = repo.commit(
        "Add a key",
        {
            "governance/committees.yaml": with_committees(
                text, {"thu-nghiem.organisation": province}
            )
        },
    )
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key('stranger')}",
        "tag", "-s", "-m", "checkpoint", "hoso-checkpoint/pushed",
    )  # fmt: skip
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    rules = [(f.rule, f.commit) for f in found]
    assert ("checkpoint.signature", pushed) in rules, rules
    # The tip's own committees would have let it through.
    assert checkpoints.verify(Repo(repo.root), "main") == []


def test_checkpoint_refuses_a_key_a_direct_push_added(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Making a checkpoint looks the signer up where the audit will: in the committees as
    they last stood approved, so the key a direct push added signs nothing."""
    clean_history(repo)
    text = repo.read("governance/committees.yaml")
    province = committees(text)["thu-nghiem.organisation"]
    member = serving(province)[0]
    member["ssh_keys"] = [repo.public("stranger")]
    repo.commit(
        "Add a key",
        {
            "governance/committees.yaml": with_committees(
                text, {"thu-nghiem.organisation": province}
            )
        },
    )
    key = str(repo.key("stranger"))
    code = main(["checkpoint", "--repo", str(repo.root), "--name", "pushed", "--key", key])
    assert code == 2
    assert "không tạo mốc" in capsys.readouterr().err
    assert repo.git("tag", "--list", "hoso-checkpoint/*") == ""
