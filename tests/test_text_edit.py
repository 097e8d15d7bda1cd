"""Recording a step changes exactly the status value and adds the event's lines: every other
byte of the file (line endings, spaces, indentation, quoting, escapes, end marker) is kept."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import AS_OF, EXAMPLES, ROOT, TempRepo, grassroots_vote
from hoso import editing, yamlio
from hoso.repo import record_files
from hoso.textedit import CannotEdit, append_event

GOOD = EXAMPLES / "valid" / "admission-cell-voted.yaml"
EVENT = {
    "date": date(2026, 11, 3),
    "state": "next_state",
    "body": "khe-lam-x02-bp",
    "vote": {"official_members": 9, "present": 9, "in_favour": 7, "method": "secret_ballot"},
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 11, 3), "issuer": "khe-lam-x02-bp"},
    "introducers": [{"name": "Lò Văn A", "kind": "member", "known_since": date(2020, 1, 1)}],
    "criteria": ["a", "yes"],
    "note": "Ghi chú: có dấu hai chấm, 'nháy' và # dấu thăng",
}
APPRAISED = {
    "date": date(2026, 10, 27),
    "state": "partial_appraised",
    "body": "khe-lam-x02-bp",
    "document": {"number": "3-BC/ĐUBP", "date": date(2026, 10, 27), "issuer": "khe-lam-x02-bp"},
}


def _only_status_and_event(before: str, after: str, status_line: str) -> list[str]:
    """Check that ``after`` is ``before`` with its status line replaced by ``status_line`` and
    one stretch of lines inserted, every line byte for byte; return the inserted lines."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    old_status = [line for line in a if line.startswith("status:")]
    assert len(old_status) == 1
    assert b.count(status_line) == 1
    b[b.index(status_line)] = old_status[0]
    k = len(b) - len(a)
    assert k > 0
    i = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    assert b[:i] == a[:i] and b[i + k :] == a[i:]
    return b[i : i + k]


def test_every_sample_record_keeps_every_other_byte() -> None:
    paths = list(record_files(ROOT))
    assert len(paths) > 300
    for path in paths:
        before = path.read_text(encoding="utf-8")
        data = yamlio.load_text(before)
        if "history" not in data:  # the plan and the yearly rankings record no steps
            continue
        after = append_event(before, EVENT, "next_state")
        inserted = _only_status_and_event(before, after, "status: next_state\n")
        assert inserted[0].startswith("- date: 2026-11-03\n"), path
        again = yamlio.load_text(after)
        assert again["history"][-1]["note"] == EVENT["note"]
        assert again["history"][-1]["criteria"] == ["a", "yes"]


def _example() -> str:
    return GOOD.read_text(encoding="utf-8")


def _reindent(text: str, width: int) -> str:
    """The example with ``width`` spaces a level, a list item's keys after "-" and padding."""
    out = []
    for line in text.splitlines(keepends=True):
        rest = line.lstrip(" ")
        level = (len(line) - len(rest)) // 2
        if rest.startswith("- "):
            rest = "-" + " " * (width - 1) + rest[2:]
        out.append(" " * (level * width) + rest)
    return "".join(out)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("crlf", lambda t: t.replace("\n", "\r\n")),
        ("trailing spaces", lambda t: t.replace("\n", "  \n")),
        ("three-space indent", lambda t: _reindent(t, 3)),
        ("four-space indent", lambda t: _reindent(t, 4)),
        ("dash flush", lambda t: t.replace("\n  - ", "\n- ").replace("\n    ", "\n  ")),
        ("escape", lambda t: t.replace("ethnicity: Thái", 'ethnicity: "Th\\u00e1i"')),
        ("end marker", lambda t: t + "...\n"),
        ("comment after", lambda t: t + "# ghi chú cuối tệp\n\n"),
        ("no final newline", lambda t: t.rstrip("\n")),
        ("quoted status", lambda t: t.replace("status: cell_voted", "status: 'cell_voted'  # x")),
        ("status last", lambda t: t.replace("status: cell_voted\n", "") + "status: cell_voted\n"),
        ("block note", lambda t: t + "    note: |\n      dòng một\n      dòng hai\n"),
        ("flow value last", lambda t: t + "    related_steps: []\n"),
    ],
)
def test_odd_but_valid_writing_is_kept(name: str, change: object) -> None:
    before = change(_example())  # type: ignore[operator]
    after = append_event(before, EVENT, "next_state")
    ending = "\r\n" if "\r\n" in before else "\n"
    expected = yamlio.load_strict(before)
    expected["status"] = "next_state"
    expected["history"].append(yamlio.load_strict(after)["history"][-1])
    assert yamlio.load_strict(after) == expected
    assert yamlio.load_strict(after)["history"][-1]["date"] == "2026-11-03"
    status = next(line for line in after.splitlines(keepends=True) if line.startswith("status:"))
    inserted = _only_status_and_event(
        before.rstrip("\r\n") + ending, after.rstrip("\r\n") + ending, status
    )
    assert all(line.endswith(ending) for line in inserted)
    if name == "no final newline":
        assert not after.endswith("\n")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda t: t.replace("\n", "\r"), "CR đơn lẻ"),
        (
            lambda t: (
                t.split("history:")[0] + "history: [{date: 2026-03-16, state: sympathiser}]\n"
            ),
            "lịch sử \\(history\\) không viết dạng khối",
        ),
        (lambda t: t.replace("status: cell_voted", "status: >-\n  cell_voted"), "status"),
    ],
)
def test_writing_it_cannot_keep_is_refused_with_the_reason(change: object, why: str) -> None:
    with pytest.raises(CannotEdit, match=why):
        append_event(change(_example()), EVENT, "next_state")  # type: ignore[operator]


def test_transition_of_a_crlf_file_with_odd_indentation(repo: TempRepo) -> None:
    rel = repo.place(GOOD)
    path = repo.root / rel
    before = _example().replace("\n  ", "\n    ").replace("\n", "\r\n").encode()
    path.write_bytes(before)
    path.chmod(0o640)
    editing.record_step(repo.root, path, APPRAISED, AS_OF)
    editing.record_step(repo.root, path, grassroots_vote(), AS_OF)
    after = path.read_bytes()
    assert after.startswith(before.split(b"status: cell_voted")[0])
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert b"status: grassroots_voted\r\n" in after
    assert (path.stat().st_mode & 0o777) == 0o640
    assert repo.validate().errors == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_file_the_editor_cannot_keep_is_refused_and_unchanged(repo: TempRepo) -> None:
    path = repo.root / repo.place(GOOD)
    head, _, _ = _example().partition("history:")
    flow = (
        "history: [{date: 2026-03-16, state: sympathiser, body: khe-lam-x02-cb1}, "
        "{date: 2026-05-29, state: course_completed, body: khe-lam.propaganda, document: "
        "{number: 61-GCN/TTCT, date: 2026-05-29, issuer: khe-lam.propaganda}}]\n"
    )
    text = head.replace("status: cell_voted", "status: course_completed") + flow
    path.write_text(text, encoding="utf-8")
    assert repo.validate().errors == []
    event = {"date": date(2026, 7, 6), "state": "applied", "body": "khe-lam-x02-cb1"}
    with pytest.raises(editing.Refused, match="lịch sử \\(history\\) không viết dạng khối"):
        editing.record_step(repo.root, path, event, AS_OF)
    assert path.read_text(encoding="utf-8") == text


def test_temporary_files_of_a_killed_edit_are_removed_by_the_next(repo: TempRepo) -> None:
    path = repo.root / repo.place(GOOD)
    stale = path.parent / f".{path.name}.0123456789ab.tmp"
    stale.write_text("half", encoding="utf-8")
    other = path.parent / ".KN-2024-other1.yaml.0123456789ab.tmp"
    other.write_text("not ours", encoding="utf-8")
    # An edit's temporary file is passed over by checks (one may be running beside the edit);
    # any other hidden file is named.
    assert repo.validate().errors == []
    editing.record_step(repo.root, path, APPRAISED, AS_OF)
    assert not stale.exists() and other.exists()
    (path.parent / ".notes").write_text("x", encoding="utf-8")
    assert [f.rule for f in repo.validate().errors] == ["record.hidden"]
