"""The audit, attacked again: what a commit date written in the future, a `--since`, or a file
name can make the report say."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF
from gitrepo import FORGE, GitRepo, committees, forge_merge, with_committees
from hoso import editing
from hoso.audit.run import audit
from hoso.cli.main import main
from hoso.git import Repo
from test_audit_attacks import APPRAISED, CASE, GOOD, make, org, trailers


def _on(day: date) -> dict[str, str]:
    """A commit written on ``day`` (Vietnam's time)."""
    stamp = f"{day.isoformat()}T10:00:00+07:00"
    return {"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp}


def _forge_merge_on(repo: GitRepo, day: date, message: str, branch: str) -> str:
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key(FORGE)}",
        "merge", "-q", "--no-ff", "-S", "-m", message, branch,
        author=("GitLab", "gitlab@mau.invalid"), env=_on(day),
    )  # fmt: skip
    return repo.git("rev-parse", "HEAD")


def _with_new_member(
    repo: GitRepo, term_from: date, day: date, term_until: date | None = None
) -> dict[str, Any]:
    """The district organisation commission of the sample with one member more, whose term
    begins on ``term_from`` (and ends on ``term_until``); the governance commit written on
    ``day``."""
    text = repo.read("governance/committees.yaml")
    commission = committees(text)["khe-lam.organisation"]
    member = {
        "name": "Lò Văn Mới",
        "role": "member",
        "party_card": "11112222",
        "term_from": term_from.isoformat(),
        "email": "moi@mau.invalid",
        "gitlab": "lo-van-moi",
        "github": "lo-van-moi",
    }
    if term_until is not None:
        member["term_until"] = term_until.isoformat()
    commission["members"].append(member)
    repo.write(
        "governance/committees.yaml", with_committees(text, {"khe-lam.organisation": commission})
    )
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province", env=_on(day))
    return member


def test_a_commit_dated_in_the_future_does_not_date_the_later_merges_today(
    tmp_path: Path,
) -> None:
    """A direct push dated 2099 was taken as made on the audit's day, and every later commit
    on the line was held to that day: each said to run backwards, and each merge's approvers
    judged as serving today. A merge approved by someone whose term began after it then
    passed the audit."""
    repo = make(tmp_path)
    today = date.today()
    member = _with_new_member(repo, today - timedelta(days=10), today - timedelta(days=40))
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    message = f"Merge pull request #1 from mau/mr1\n{trailers(org(repo)[0])}"
    _forge_merge_on(repo, today - timedelta(days=30), message, "mr1")
    repo.write("ghi-chu.txt", "ghi chú\n")
    repo.git("add", "ghi-chu.txt")
    repo.git("commit", "-q", "-m", "A note", env=_on(date(2099, 1, 1)))
    future = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "mr2", "main")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.commit("A step", {CASE: repo.read(CASE)})
    repo.git("checkout", "-q", "main")
    early = today - timedelta(days=20)  # before the new member's term began
    message = f"Merge pull request #2 from mau/mr2\n{trailers(member)}"
    sha = _forge_merge_on(repo, early, message, "mr2")

    index, found = audit(Repo(repo.root), "main", use_cache=False)
    assert ("history.date_future", future) in [(f.rule, f.commit) for f in found]
    assert index.steps[sha].when == early.isoformat()
    assert [f.rule for f in found if f.commit == sha] == ["history.approvals"]
    assert "ngoài nhiệm kỳ" in next(f.message for f in found if f.commit == sha)


def test_a_push_dated_forward_does_not_date_a_merge_the_forge_signed(
    tmp_path: Path,
) -> None:
    """A direct push dated a few days ahead (not in the future: before the audit) held every
    later commit to its date, and a merge the forge signed and dated before it was judged as of
    that date: the approval of someone whose term began after the merge counted. The forge's
    own date judges the merge; only the line's order is said to run backwards."""
    repo = make(tmp_path)
    today = date.today()
    member = _with_new_member(repo, today - timedelta(days=10), today - timedelta(days=40))
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    message = f"Merge pull request #1 from mau/mr1\n{trailers(org(repo)[0])}"
    _forge_merge_on(repo, today - timedelta(days=30), message, "mr1")
    repo.write("ghi-chu.txt", "ghi chú\n")
    repo.git("add", "ghi-chu.txt")
    repo.git("commit", "-q", "-m", "A note", env=_on(today - timedelta(days=5)))
    ahead = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "mr2", "main")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.commit("A step", {CASE: repo.read(CASE)})
    repo.git("checkout", "-q", "main")
    early = today - timedelta(days=20)  # before the new member's term began
    message = f"Merge pull request #2 from mau/mr2\n{trailers(member)}"
    sha = _forge_merge_on(repo, early, message, "mr2")

    _, found = audit(Repo(repo.root), "main", use_cache=False)
    assert ("history.direct_push", ahead) in [(f.rule, f.commit) for f in found]
    rules = [f.rule for f in found if f.commit == sha]
    assert rules == ["history.date_backwards", "history.approvals"]
    said = next(f.message for f in found if (f.rule, f.commit) == ("history.approvals", sha))
    assert "ngoài nhiệm kỳ" in said


def test_since_still_says_a_checkpoint_that_does_not_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A checkpoint vouches for the history before it, however old its commit: one signed by
    a key nobody in the committees holds (a tag put in place of the real one after a rewrite)
    is said whatever day or commit ``--since`` starts from, as a rewrite is."""
    repo = make(tmp_path)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    _forge_merge_on(repo, date.today(), f"Merge pull request #1\n{trailers(org(repo)[0])}", "mr1")
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key('stranger')}",
        "tag", "-s", "-m", "checkpoint", "hoso-checkpoint/2026-H2",
    )  # fmt: skip
    since = ["--since", "HEAD", "--format", "csv", "--no-cache"]
    assert main(["audit", "--repo", str(repo.root), *since]) == 1
    assert "checkpoint.signature" in capsys.readouterr().out


def _cells(row: str) -> list[str]:
    """A Markdown table row's cells as a GitHub-flavoured renderer splits them: at each pipe
    no backslash escapes (a backslash escapes the character after it, pipe or backslash)."""
    cells, current, chars = [], "", iter(row.strip().strip("|"))
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current += following if following in "|\\" else char + following
        elif char == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += char
    return [*cells, current.strip()]


def test_a_file_name_cannot_rewrite_a_row_of_the_markdown_report() -> None:
    """A file named with pipes ended its cell: the renderer then showed the file's own words
    as the finding and dropped the real one."""
    from hoso.audit import report
    from hoso.audit.index import AuditFinding, Index

    path = "ghi chú | Đã duyệt đủ, hợp lệ |.txt"
    finding = AuditFinding("high", "a" * 40, "history.approvals", "cần 3 phê duyệt, có 0", path)
    lines = report.markdown(Index("main"), [finding]).splitlines()
    row = next(line for line in lines if line.startswith("| nghiêm trọng"))
    assert _cells(row)[3:] == [path, "cần 3 phê duyệt, có 0"]
    sneaky = "a\\| b \\\\| c.txt"
    lines = report.markdown(Index("main"), [AuditFinding("high", "", "x", "m", sneaky)])
    row = next(line for line in lines.splitlines() if line.startswith("| nghiêm trọng"))
    assert _cells(row)[3:] == [sneaky, "m"]


def test_a_file_name_is_no_formula_in_the_csv_report() -> None:
    """The CSV report is made for a spreadsheet, which runs a cell that starts with "=", "+",
    "-" or "@" as a formula: a file named ``=HYPERLINK(…,"…")`` showed another name (or ran
    what it liked). Such a cell starts with an apostrophe, and reads as the text it is."""
    import csv
    import io

    from hoso.audit import report
    from hoso.audit.index import AuditFinding, Index

    paths = ['=HYPERLINK("https:x","hồ sơ đã duyệt")', "+1", "-2+3", "@SUM(1)", "\t=1"]
    found = [AuditFinding("high", "a" * 40, "history.approvals", p, p) for p in paths]
    text = report.as_csv(Index("main"), found).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [(row[4], row[5]) for row in rows] == [(f"'{p}", f"'{p}") for p in paths]


ATTACKER = ("Kẻ Sửa Lén", "ke-sua-len@mau.invalid")


def test_history_shows_a_version_a_merge_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A merge that writes content of its own (an edit slipped into a conflict resolution)
    made a version of the record that ``hoso history`` left out: it showed the clerk's
    version, by the clerk, as what the merge brought, and never who wrote what reached the
    branch."""
    repo = make(tmp_path)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    _forge_merge_on(repo, date.today(), f"Merge pull request #1\n{trailers(org(repo)[0])}", "mr1")
    repo.git("checkout", "-q", "-b", "mr2", "main")
    editing.record_step(repo.root, repo.root / CASE, APPRAISED, AS_OF)
    repo.commit("A step", {CASE: repo.read(CASE)})
    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", "-b", "other", "main")
    repo.commit("Something else", {"ghi-chu.txt": "ghi chú\n"})
    repo.git("checkout", "-q", "mr2")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "other", author=ATTACKER)
    repo.write(CASE, repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào"))
    repo.git("add", CASE)
    repo.git("commit", "-q", "-m", "Merge branch 'other' into mr2", author=ATTACKER)
    evil = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "main")
    _forge_merge_on(repo, date.today(), f"Merge pull request #2\n{trailers(org(repo)[1])}", "mr2")
    assert main(["history", "KN-2024-test01", "--repo", str(repo.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    (line,) = [n for n, text in enumerate(out) if evil[:10] in text]
    assert ATTACKER[1] in out[line] and "[người được xem xét]" in out[line]
    assert "yêu cầu hợp nhất #2" in out[line + 1]
    assert len(out) == 7  # the title, then each version and the merge that brought it


def test_the_merge_day_is_vietnams_whatever_zone_the_commit_is_written_in(tmp_path: Path) -> None:
    """Terms begin and end on Vietnam's days. A merge made at 08:00 in Vietnam the day after a
    member's term ended, written in the zone UTC-12 (the day before, there), was judged on
    the day before: the former member's approval counted."""
    repo = make(tmp_path)
    today = date.today()
    ended = today - timedelta(days=10)
    member = _with_new_member(repo, today - timedelta(days=400), today - timedelta(days=40), ended)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    message = f"Merge pull request #1 from mau/mr1\n{trailers(member)}"
    day_after = ended + timedelta(days=1)
    stamp = f"{ended.isoformat()}T13:00:00-12:00"  # {day_after} 08:00 in Vietnam
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={repo.key(FORGE)}",
        "merge", "-q", "--no-ff", "-S", "-m", message, "mr1",
        author=("GitLab", "gitlab@mau.invalid"),
        env={"GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_DATE": stamp},
    )  # fmt: skip
    sha = repo.git("rev-parse", "HEAD")
    index, found = audit(Repo(repo.root), "main", use_cache=False)
    assert index.steps[sha].when == day_after.isoformat()
    assert [f.rule for f in found if f.commit == sha] == ["history.approvals"]
    assert "ngoài nhiệm kỳ" in next(f.message for f in found if f.commit == sha)


def test_a_file_beside_the_governance_files_taints_nothing(tmp_path: Path) -> None:
    """A direct push of a note under governance/ (no file the rules or members are read from)
    is a finding; it changed no rule, so what follows is not said to be judged by rules it
    brought (every later change was, falsely, until the next approved governance change)."""
    repo = make(tmp_path)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    pushed = repo.commit("A note", {"governance/ghi-chu.md": "ghi chú\n"})
    sha = forge_merge(repo, f"Merge pull request #1\n{trailers(org(repo)[0])}", "mr1")
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    assert ("history.direct_push", pushed) in [(f.rule, f.commit) for f in found]
    assert [f.rule for f in found if f.commit == sha] == []


def test_a_merge_the_forge_did_not_sign_is_said_even_when_it_changes_no_file(
    tmp_path: Path,
) -> None:
    """A merge made on someone's machine that keeps main's files as they are (``git merge -s
    ours``) changes no file, but puts the branch's commits into main's history: after it, a
    merge request from that branch no longer brings them, so a signed rejection among them
    (or their authors) is no longer read. It was said nowhere."""
    repo = make(tmp_path)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    forge_merge(repo, f"Merge pull request #1\n{trailers(org(repo)[0])}", "mr1")
    repo.git("checkout", "-q", "-b", "mr2", "main")
    repo.commit("A note", {"ghi-chu.txt": "ghi chú\n"})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-s", "ours", "-m", "Merge branch 'mr2'", "mr2")
    ours = repo.git("rev-parse", "HEAD")
    _, found = audit(Repo(repo.root), "main", use_cache=False)
    assert [(f.rule, f.commit) for f in found] == [("history.unsigned_merge", ours)]


def test_history_writes_control_characters_of_a_commit_as_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A commit's subject and author name are the committer's words, and may hold a carriage
    return or a terminal's escape sequence: printed as they were, they redrew the line on the
    auditor's terminal as another version by another person."""
    repo = make(tmp_path)
    repo.git("checkout", "-q", "-b", "mr1", "main")
    repo.commit("Open", {CASE: GOOD})
    repo.git("checkout", "-q", "main")
    forge_merge(repo, f"Merge pull request #1\n{trailers(org(repo)[0])}", "mr1")
    fake = "\r\x1b[2K- 01/01/2020 0123456789 Chủ tịch <ct@mau.invalid>: đã duyệt"
    repo.write(CASE, repo.read(CASE).replace("ethnicity: Thái", "ethnicity: Lào"))
    repo.git("add", CASE)
    repo.git("commit", "-q", "-m", f"Sửa nhỏ{fake}", author=("Kẻ\x1b[8m Ẩn", "an@mau.invalid"))
    assert main(["history", "KN-2024-test01", "--repo", str(repo.root)]) == 0
    out = capsys.readouterr().out
    assert "\r" not in out and "\x1b" not in out
    assert "Sửa nhỏ\\r\\x1b[2K- 01/01/2020" in out and "Kẻ\\x1b[8m Ẩn" in out
