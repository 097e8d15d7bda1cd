"""Helpers shared by the tests that attack the gate: one case on main, a merge-request branch
``mr``, members given keys on main, and the gate's word on a path."""

from __future__ import annotations

from typing import Any

from conftest import EXAMPLES
from gitrepo import GitRepo, committees, serving, with_committees
from hoso.review.gate import Outcome, Verdict

CASE = "cases/khe-lam/admission/KN-2024-test01.yaml"
GOOD = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")


def on_main(repo: GitRepo, message: str, files: dict[str, str | None]) -> None:
    """Commit on main, then bring the merge request's branch up to date with it."""
    repo.git("checkout", "-q", "main")
    repo.commit(message, files)
    repo.git("checkout", "-q", "mr")
    repo.git("rebase", "-q", "main")


def members(repo: GitRepo, committee: str) -> dict[str, Any]:
    return committees(repo.read("governance/committees.yaml"))[committee]


def give_keys(repo: GitRepo, committee: str, names: list[str]) -> list[dict[str, Any]]:
    """Serving members of ``committee`` get the named keys, on main; returns those members."""
    text = repo.read("governance/committees.yaml")
    found = committees(text)[committee]
    chosen = serving(found)[: len(names)]
    for member, name in zip(chosen, names, strict=True):
        member["ssh_keys"] = [repo.public(name)]
    on_main(
        repo,
        "Signing keys",
        {"governance/committees.yaml": with_committees(text, {committee: found})},
    )
    return chosen


def person(member: dict[str, Any]) -> tuple[str, str]:
    return member["name"], member["email"]


def head(repo: GitRepo) -> str:
    return repo.git("rev-parse", "HEAD")


def outcome(verdict: Verdict, path: str = CASE) -> Outcome:
    return next(o for o in verdict.outcomes if o.change.path == path)
