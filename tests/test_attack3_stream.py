"""Attacks on the audit's span-by-span reading of history (``hoso.audit.stream``): odd
commits and names, broken repositories, and short spans or renewals that must change
nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from hoso.audit import index, judge, store, stream
from hoso.audit.index import cache_path
from hoso.audit.walk import build
from hoso.cli.main import main
from hoso.git import Repo

_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Cán bộ Mẫu",
    "GIT_AUTHOR_EMAIL": "staff@mau.invalid",
    "GIT_COMMITTER_NAME": "Cán bộ Mẫu",
    "GIT_COMMITTER_EMAIL": "staff@mau.invalid",
}


def _git(root: Path, *args: str, input: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, env=_ENV, input=input, capture_output=True, check=True
    )
    return done.stdout.decode().strip()


def _a_record(root: Path) -> Path:
    return next(p for p in sorted((root / "cases").rglob("*.yaml")))


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample history, then on its main line: a commit whose message has lines that look
    like ids and raw diff lines; files whose names hold a line break, a tab, quotes and bytes
    that are not UTF-8; an octopus merge of three branches; an unrelated history merged in."""
    from hoso.sample.history import generate_history

    root = tmp_path_factory.mktemp("odd") / "h"
    generate_history(root, 12, 9, planted=True)
    text = _a_record(root).read_bytes()
    sha = _git(root, "rev-parse", "HEAD")
    tree = _git(root, "rev-parse", "HEAD^{tree}")
    message = f"Fix\n\n{sha} {tree} {sha}\n:100644 100644 {sha} {sha} M\tcases/x.yaml\n"
    (root / "cases" / "note.txt").write_bytes(b"x\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-F", "-", input=message.encode())
    for name in (b"a\nb.yaml", b"a\tb.yaml", b'a"b.yaml', b"a\xff\xfeb.yaml", b":x.yaml"):
        path = os.path.join(os.fsencode(root), b"cases", b"ban-mo", name)
        with open(path, "wb") as handle:
            handle.write(text)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Odd names")
    for n in range(3):
        _git(root, "checkout", "-q", "-b", f"b{n}", "main")
        (root / "cases" / "ban-mo" / f"octo{n}.yaml").write_bytes(text)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"Branch {n}")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "-m", "Octopus", "b0", "b1", "b2")
    _git(root, "checkout", "-q", "--orphan", "other")
    _git(root, "rm", "-rq", "--cached", ".")
    (root / "cases" / "ban-mo" / "unrelated.yaml").write_bytes(text)
    _git(root, "add", "cases/ban-mo/unrelated.yaml")
    _git(root, "commit", "-q", "-m", "Unrelated root")
    _git(root, "checkout", "-q", "-f", "main")
    _git(root, "merge", "-q", "--no-ff", "--allow-unrelated-histories", "-m", "Join", "other")
    (root / "cases" / "ban-mo" / "after.yaml").write_bytes(text)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "After")
    return root


def _seen(found: index.Index) -> tuple[object, ...]:
    steps = {s: (x.kind, x.ok, sorted(x.paths)) for s, x in found.steps.items()}
    return (found.findings, found.mainline, steps)


def _built(root: Path) -> index.Index:
    done: list[index.Index] = []
    runner = threading.Thread(
        target=lambda: done.append(build(Repo(root), "main", use_cache=False)), daemon=True
    )
    runner.start()
    runner.join(timeout=120)
    assert done, "the audit stopped making progress"
    return done[0]


@pytest.mark.parametrize(("span", "renew"), [(1, 1), (2, 1), (3, 2), (1, 5000), (5000, 1)])
def test_odd_histories_read_alike_in_any_span(
    odd: Path, monkeypatch: pytest.MonkeyPatch, span: int, renew: int
) -> None:
    whole = _seen(_built(odd))
    monkeypatch.setattr(stream, "SPAN", span)
    monkeypatch.setattr(stream._Kept, "RENEW", renew)
    monkeypatch.setattr(judge.Judges.__init__, "__defaults__", (3,))
    monkeypatch.setattr(judge.os, "cpu_count", lambda: 2)  # workers even on one core
    assert _seen(_built(odd)) == whole


def test_odd_names_and_messages_are_read_as_they_are(odd: Path) -> None:
    history = stream.read_history(odd, ["main"])
    commits = list(history.mainline)
    assert [c.sha for c in commits] == _git(
        odd, "rev-list", "--first-parent", "--reverse", "main"
    ).split()
    names = {p for c in commits for _, p in c.files or []}
    for name in ("a\nb.yaml", "a\tb.yaml", 'a"b.yaml', ":x.yaml"):
        assert f"cases/ban-mo/{name}" in names
    assert os.fsdecode(b"cases/ban-mo/a\xff\xfeb.yaml") in names
    assert commits[-5].message.startswith("Fix")  # ids in a message are only text
    others = dict(history.everything)
    assert len(others) == int(_git(odd, "rev-list", "--count", "main"))


def _children() -> list[str]:
    mine = str(os.getpid())
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as handle:
                name = handle.read().strip()
        except (OSError, IndexError):
            continue
        if fields[1] == mine and fields[0] != "Z":
            found.append(f"{pid} {name} {fields[0]}")
    return found


@pytest.mark.parametrize("stop_after", [4, 11, 17])
def test_an_interrupt_mid_span_leaves_no_git_and_resumes_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_after: int
) -> None:
    import gc

    from hoso.audit import walk
    from hoso.sample.history import generate_history

    generate_history(tmp_path / "h", 12, 9, planted=True)
    repo = Repo(tmp_path / "h")
    whole = _seen(build(repo, "main", use_cache=False))
    monkeypatch.setattr(stream, "SPAN", 7)
    monkeypatch.setattr(walk, "SEGMENT", 5)
    monkeypatch.setattr(judge.Judges.__init__, "__defaults__", (3,))
    span = stream._span
    read = [0]

    def interrupted(root: Path, ids: list[bytes]):  # type: ignore[no-untyped-def]
        for commit in span(root, ids):
            read[0] += 1
            if read[0] == stop_after:
                raise KeyboardInterrupt
            yield commit

    monkeypatch.setattr(stream, "_span", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(repo, "main")
    gc.collect()
    assert not _children()
    monkeypatch.setattr(stream, "_span", span)
    resumed = build(repo, "main")
    assert resumed.findings == whole[0]


def _loose(root: Path) -> None:
    """Every object of ``root`` as a loose file, so that one can be lost."""
    for pack in (root / ".git" / "objects" / "pack").glob("*.pack"):
        data = pack.read_bytes()
        for part in pack.parent.glob(f"{pack.stem}.*"):
            part.unlink()
        _git(root, "unpack-objects", "-q", input=data)


def _lose(root: Path, oid: str) -> None:
    (root / ".git" / "objects" / oid[:2] / oid[2:]).unlink()


def _nth(root: Path, n: int, what: str = "%H") -> str:
    return _git(root, "log", "--first-parent", f"--format={what}").split("\n")[n]


_LOST = {
    "a tree in the middle": lambda r: _nth(r, 8, "%T"),
    "a folder's tree in the middle": lambda r: _git(r, "rev-parse", f"{_nth(r, 8)}:cases"),
    "the tip's tree": lambda r: _git(r, "rev-parse", "main^{tree}"),
    "a merged commit's tree": lambda r: _git(
        r, "rev-parse", f"{_nth(r, 8, '%P').split()[1]}^{{tree}}"
    ),
    "a commit in the middle": lambda r: _nth(r, 8),
    "a merged commit": lambda r: _nth(r, 8, "%P").split()[1],
}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    from hoso.sample.history import generate_history

    root = tmp_path / "h"
    generate_history(root, 12, 9, planted=True)
    _loose(root)
    assert len(_nth(root, 8, "%P").split()) == 2
    return root


@pytest.mark.parametrize("lost", list(_LOST))
def test_a_lost_object_in_the_history_is_a_broken_repository_exit_3(
    history: Path, lost: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _lose(history, _LOST[lost](history))
    assert main(["audit", "--repo", str(history), "--no-cache", "--quiet"]) == 3
    err = capsys.readouterr().err
    assert "kho" in err and "hỏng" in err and "Traceback" not in err


def test_a_corrupt_pack_is_a_broken_repository_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.sample.history import generate_history

    root = tmp_path / "h"
    generate_history(root, 12, 9, planted=True)
    _git(root, "repack", "-adq")
    (pack,) = (root / ".git" / "objects" / "pack").glob("*.pack")
    data = bytearray(pack.read_bytes())
    for n in range(len(data) // 2, len(data) // 2 + 64):
        data[n] ^= 0xFF
    pack.chmod(0o644)
    pack.write_bytes(bytes(data))
    assert main(["audit", "--repo", str(root), "--no-cache", "--quiet"]) == 3
    assert "hỏng" in capsys.readouterr().err


def test_a_merged_commit_names_its_files_as_the_main_line_does(odd: Path) -> None:
    """A name that is not UTF-8 read from a merged commit (``Diffs``) must be the same string
    as read from the main line (``mainline``): a rule about a file's changes matches them."""
    commit = stream.commit_of(_git(odd, "log", "-1", stream.FORMAT, "main~3"))
    with stream.Diffs(odd) as diffs:
        diffs.files([commit])
    line = {c.sha: c for c in stream.read_history(odd, ["main"]).mainline}
    assert commit.files == line[commit.sha].files
    assert os.fsdecode(b"cases/ban-mo/a\xff\xfeb.yaml") in {p for _, p in commit.files or []}


def _audited_then_foxtrot(root: Path) -> index.Index:
    """A history audited up to its tip T; then main becomes a merge whose first parent is
    another line (begun before T) and whose second is T. The index of that first audit."""
    from hoso.sample.history import generate_history

    generate_history(root, 12, 9, planted=True)
    record = _a_record(root)
    _git(root, "checkout", "-q", "-b", "other", "main~6")
    for n in range(3):
        (root / "cases" / "ban-mo" / f"other{n}.yaml").write_bytes(record.read_bytes())
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"Other {n}")
    _git(root, "checkout", "-q", "main")
    audited = build(Repo(root), "main")
    _git(root, "checkout", "-q", "other")
    _git(root, "merge", "-q", "--no-ff", "-m", "Foxtrot", "main")
    _git(root, "branch", "-f", "main", "other")
    _git(root, "checkout", "-q", "main")
    return audited


@pytest.mark.parametrize("span", [1, 2])
def test_a_resumed_audit_past_a_foxtrot_merge_reads_alike_in_any_span(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, span: int
) -> None:
    """An audit stored up to T; then main becomes a merge whose first parent is another line
    (begun before T) and whose second is T. What the merge brought (whose authors and signed
    approvals the judge weighs) must not depend on where the spans end. (The audit now reads
    such a history again from the start, so this no longer depends on the resumed walk's
    exclusions, which ``everything`` keeps in every span all the same.)"""
    from hoso.audit import walk

    root = tmp_path / "h"
    _audited_then_foxtrot(root)
    stored = root / ".git" / "hoso"
    saved = tmp_path / "saved"
    shutil.copytree(stored, saved)
    # What the auditor's state folder notes of the index goes back with it: the same
    # starting point, not an older index put back (which is said).
    ledger = store.ledger_path(cache_path(root, "main"))
    assert ledger is not None
    noted = ledger.read_bytes()
    brought: list[set[str]] = []
    found = walk._Walk._range

    def spied(self: walk._Walk, merge: stream.Commit) -> set[str]:
        brought.append(found(self, merge))
        return brought[-1]

    monkeypatch.setattr(walk._Walk, "_range", spied)
    whole = _seen(build(Repo(root), "main"))
    once = list(brought)
    brought.clear()
    shutil.rmtree(stored)
    shutil.copytree(saved, stored)
    ledger.write_bytes(noted)
    monkeypatch.setattr(stream, "SPAN", span)
    assert _seen(build(Repo(root), "main")) == whole
    assert brought == once


def test_a_foxtrot_merge_after_an_audit_is_a_finding_and_read_from_scratch(
    tmp_path: Path,
) -> None:
    """The line an earlier audit followed became a side branch (a merge took another line as
    its first parent): that is said, and the history is read again from the start, so the
    merge brings what a first audit says it brings."""
    root = tmp_path / "h"
    before = _audited_then_foxtrot(root)
    resumed = build(Repo(root), "main")
    (alarm,) = [f for f in resumed.findings if f.rule == "history.first_parent_changed"]
    assert alarm.commit == before.tip and alarm.severity == "high"
    fresh = build(Repo(root), "main", use_cache=False)
    assert [f for f in resumed.findings if f is not alarm] == fresh.findings
    assert build(Repo(root), "main").findings == resumed.findings  # remembered


def test_an_object_too_large_for_a_record_is_never_held_whole(tmp_path: Path) -> None:
    """A file under ``cases/`` far larger than any record is refused for its real size, and
    the audit keeps only its first bytes (the rest is read past), so a 200 MB blob cannot
    swell its memory; the answers after it are read in step."""
    from hoso.sample.history import generate_history
    from hoso.yamlio import MAX_BYTES, Oversized

    root = tmp_path / "h"
    generate_history(root, 4, 9)
    big = _a_record(root).parent / "big.yaml"
    big.write_bytes(b"note: " + b"x" * (3 * MAX_BYTES) + b"\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Big")
    size = big.stat().st_size
    small = _a_record(root)
    specs = [f"HEAD:{p.relative_to(root)}" for p in (big, small)]
    big_id, small_id = _git(root, "rev-parse", *specs).split()
    with stream.Blobs(root) as blobs:
        got = blobs.get_many([big_id, small_id, big_id])
    assert isinstance(got[big_id], Oversized) and got[big_id].size == size
    assert len(got[big_id]) == MAX_BYTES + 1
    assert got[small_id] == small.read_bytes()
    found = _built(root)
    said = [f.message for f in found.findings if f.rule == "history.invalid_change"]
    assert said == [f"không hợp lệ: 1:1: tệp quá lớn: {size:,} byte, tối đa {MAX_BYTES:,} byte"]
