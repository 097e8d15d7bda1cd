"""CODEOWNERS are generated from the policy and committees, and kept current."""

from __future__ import annotations

from datetime import date

from conftest import ROOT
from hoso.review.codeowners import GITHUB_PATH, GITLAB_PATH, render_all
from hoso.validate.governance_files import load_governance

TODAY = date(2026, 11, 26)


def test_committed_codeowners_are_current() -> None:
    governance, _ = load_governance(ROOT)
    for rel, text in render_all(governance, TODAY).items():
        assert (ROOT / rel).read_text(encoding="utf-8") == text, rel


def test_github_owners_per_district_and_governance() -> None:
    governance, _ = load_governance(ROOT)
    lines = render_all(governance, TODAY)[GITHUB_PATH].splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.startswith("/")}
    organisation = governance.committees["khe-lam.organisation"]
    serving = {f"@{m.github}" for m in organisation.members if m.term_until is None}
    assert set(rows["/cases/khe-lam/admission/"]) == serving
    standing = governance.committees["thu-nghiem.standing"]
    assert set(rows["/governance/"]) == {
        f"@{m.github}" for m in standing.members if m.term_until is None
    }
    assert rows["/.github/**"] == rows["/governance/"]
    # Default deny: the first line gives every path no rule names to the governance rule.
    assert lines[2].split() == ["*", *sorted(rows["/governance/"])]


def test_gitlab_default_section_leaves_named_paths_to_their_sections() -> None:
    governance, _ = load_governance(ROOT)
    text = render_all(governance, TODAY)[GITLAB_PATH]
    block = text.split("\n\n")[1].splitlines()
    assert block[0].startswith("[Mặc định, tệp không quy tắc nào nêu: Ban Thường vụ tỉnh")
    assert block[0].split("]")[1] == "[3"
    assert block[1] == "*"
    assert "!/cases/khe-lam/admission/" in block and "!/tooling/**" in block


def test_gitlab_sections_carry_approval_counts() -> None:
    governance, _ = load_governance(ROOT)
    text = render_all(governance, TODAY)[GITLAB_PATH]
    assert "[any-case: Ban Tổ chức huyện Khê Lam][1] @khe-lam-org-" in text
    assert "[governance: Ban Thường vụ tỉnh Thử Nghiệm][3] @thu-nghiem-sta-" in text
