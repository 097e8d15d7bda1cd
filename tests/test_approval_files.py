"""A recorded forge response is read whole or refused: a list of reviews whose entries are of
mixed or unknown shapes is never read as another forge's list, which would drop every request
for changes in it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hoso.errors import UsageError
from hoso.review.approvals import load_file

HEAD = "a" * 40
TODAY = date(2026, 11, 26)
CHAIR = {"user": {"username": "chair", "id": 5}, "state": "requested_changes"}
GITHUB = {
    "id": 1,
    "user": {"login": "chair", "id": 5},
    "state": "CHANGES_REQUESTED",
    "commit_id": HEAD,
    "submitted_at": "2026-11-25T10:00:00Z",
}


def load(tmp_path: Path, data: Any) -> list[Any]:
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_file(path, HEAD, TODAY)


def refusal(tmp_path: Path, data: Any) -> str:
    with pytest.raises(UsageError) as raised:
        load(tmp_path, data)
    return str(raised.value)


def test_a_gitlab_list_with_one_odd_reviewer_is_refused_not_emptied(tmp_path: Path) -> None:
    said = refusal(tmp_path, [CHAIR, {"user": None, "state": "unreviewed"}])
    assert said.startswith(f"{tmp_path / 'reviews.json'}: mục thứ 2 trong danh sách")
    assert "user là null" in said
    assert "không đọc tiếp" in said


@pytest.mark.parametrize(
    ("odd", "why"),
    [
        (GITHUB, "mục thứ 2 trong danh sách là review của GitHub, mục thứ 1 là người xem xét"),
        (5, "mục thứ 2 trong danh sách không phải đối tượng JSON (là số)"),
        ({"user": {"username": "x"}, "state": "rejected"}, "trạng thái 'rejected' không rõ"),
        ({"user": {"name": "Ai Đó"}, "state": "reviewed"}, "user không có username"),
    ],
)
def test_a_list_of_mixed_or_unknown_entries_is_refused(tmp_path: Path, odd: Any, why: str) -> None:
    said = refusal(tmp_path, [CHAIR, odd])
    assert why in said


@pytest.mark.parametrize(
    ("odd", "why"),
    [
        ({"user": None, "state": "unreviewed"}, "mục thứ 2 trong danh sách"),
        (
            {"user": {"login": "x"}, "state": "LGTM", "commit_id": HEAD},
            "trạng thái 'LGTM' không rõ",
        ),
        ("APPROVED", "không phải đối tượng JSON (là chuỗi)"),
    ],
)
def test_a_github_list_with_an_odd_entry_is_refused(tmp_path: Path, odd: Any, why: str) -> None:
    said = refusal(tmp_path, [GITHUB, odd])
    assert why in said


def test_well_formed_lists_are_still_read(tmp_path: Path) -> None:
    (rejection,) = load(
        tmp_path, [CHAIR, {"user": {"username": "b", "id": 6}, "state": "approved"}]
    )
    assert (rejection.who, rejection.verdict, rejection.source) == ("chair", "reject", "gitlab")
    ghost = {**GITHUB, "id": 2, "user": None, "state": "APPROVED"}  # a deleted account
    (review,) = load(tmp_path, [GITHUB, ghost])
    assert (review.who, review.verdict, review.source) == ("chair", "reject", "github")
    assert load(tmp_path, []) == []


def test_the_review_command_refuses_it_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gitrepo import make_repo
    from hoso.cli.main import main

    repo = make_repo(tmp_path / "repo")
    path = tmp_path / "reviewers.json"
    path.write_text(json.dumps([CHAIR, {"user": None, "state": "unreviewed"}]), encoding="utf-8")
    argv = ["review", "--base", "main", "--head", "main", "--approvals", str(path)]
    code = main([*argv, "--repo", str(repo.root)])
    assert code == 2
    assert "mục thứ 2 trong danh sách" in capsys.readouterr().err
