"""A real province's committees file is several megabytes (every member of every committee
down to the grassroots, term after term): it is read, where a case file of that size is not."""

from __future__ import annotations

from pathlib import Path

from conftest import AS_OF, EXAMPLES, TempRepo
from gitrepo import make_repo
from hoso.audit.run import audit
from hoso.git import Repo
from hoso.validate.governance_files import governance_at, load_governance
from hoso.yamlio import MAX_BYTES

PADDING = "".join(f"# ghi chú mẫu {n:07d}: {'x' * 40}\n" for n in range(30_000))
"""About 1.8 MB of comments: past a case file's limit, as a province's member lists are."""


def _grown(root: Path) -> None:
    path = root / "governance" / "committees.yaml"
    path.write_text(path.read_text(encoding="utf-8") + PADDING, encoding="utf-8")
    assert path.stat().st_size > MAX_BYTES


def test_a_committees_file_of_several_megabytes_is_read(repo: TempRepo) -> None:
    _grown(repo.root)
    rel = repo.place(EXAMPLES / "valid" / "admission-cell-voted.yaml")
    _, findings = load_governance(repo.root)
    assert [f.rule for f in findings if f.severity == "error"] == []
    assert repo.lines(rel) == []


def test_a_case_file_past_its_limit_is_still_refused(repo: TempRepo) -> None:
    rel = "cases/khe-lam/admission/KN-2024-test01.yaml"
    text = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    repo.write(rel, text + PADDING)
    assert repo.lines(rel) == [f"{rel}:1:1: tệp quá lớn: 2,011,270 byte, tối đa 1,048,576 byte"]


def test_the_gate_and_the_audit_read_a_large_committees_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    _grown(repo.root)
    repo.git("add", "governance")
    repo.git("commit", "-q", "--amend", "-m", "Governance of the sample province")
    _, problems = governance_at(Repo(repo.root), "HEAD")
    assert [f.rule for f in problems if f.severity == "error"] == []
    case = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    repo.commit("A case pushed directly", {"cases/khe-lam/admission/KN-2024-test01.yaml": case})
    _, found = audit(Repo(repo.root), "main", today=AS_OF, use_cache=False)
    # Judged by the rules the large file holds: pushed directly, and without the approval the
    # district's organisation commission gives, nothing about the governance files.
    assert [f.rule for f in found] == ["history.direct_push", "history.approvals"], found
    # A change of the large file is judged from its content, read whole as a governance file.
    path = repo.root / "governance" / "committees.yaml"
    repo.commit("Grown again", {"governance/committees.yaml": path.read_text() + "# thêm\n"})
    _, found = audit(Repo(repo.root), "main", today=AS_OF, use_cache=False)
    assert found and not [f for f in found if "quá lớn" in f.message], found
