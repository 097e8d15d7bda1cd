"""Shared fixtures: a temporary repository with the sample governance, and the project root."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from gitrepo import GitRepo, make_repo
from hoso.validate import report
from hoso.validate.findings import Result
from hoso.validate.run import Options, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples"
AS_OF = date(2026, 11, 26)
"""The fixed 'today' of every test, so that 'not in the future' does not drift."""


def grassroots_vote() -> dict[str, object]:
    """The example case's grassroots committee vote (12 of its 15 members, above two thirds),
    as an event."""
    return {
        "date": date(2026, 11, 3),
        "state": "grassroots_voted",
        "body": "khe-lam-x02.executive",
        "vote": {
            "official_members": 15,
            "present": 15,
            "in_favour": 12,
            "against": 3,
            "abstain": 0,
            "method": "secret_ballot",
        },
        "document": {
            "number": "8-NQ/ĐU",
            "date": date(2026, 11, 3),
            "issuer": "khe-lam-x02.executive",
        },
    }


@dataclass
class TempRepo:
    """A throwaway repository with the sample governance files and an empty cases/."""

    root: Path

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def place(self, example: Path, *edits: tuple[str, str]) -> str:
        """Write an example file where its ``# place:`` line says, each ``(old, new)`` of
        ``edits`` replaced first (``old`` must be there); return that path."""
        text = example.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new)
        first = text.splitlines()[0]
        assert first.startswith("# place: "), example
        rel = first.removeprefix("# place: ").strip()
        self.write(rel, text)
        return rel

    def validate(self, *files: str, use_cache: bool = False) -> Result:
        named = [self.root / f for f in files] or None
        return run(Options(self.root, named, AS_OF, use_cache=use_cache, jobs=1))

    def lines(self, *files: str) -> list[str]:
        return report.text(self.validate(*files)).splitlines()[:-1]


@pytest.fixture(autouse=True, scope="session")
def audit_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The audit seals its index with a key kept outside the repository: one for the tests,
    never the developer's own."""
    import os

    path = tmp_path_factory.mktemp("state") / "audit.key"
    before = os.environ.get("HOSO_AUDIT_KEY")
    os.environ["HOSO_AUDIT_KEY"] = str(path)
    yield
    if before is None:
        os.environ.pop("HOSO_AUDIT_KEY", None)
    else:
        os.environ["HOSO_AUDIT_KEY"] = before


@pytest.fixture(autouse=True, scope="session")
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What hoso keeps in the user's cache folder (the holiday calendar) goes to the tests'
    own, never the developer's."""
    import os

    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def calendar_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The holiday store of a cache folder of the test's own, nothing remembered in memory."""
    from hoso.rules import public_holidays

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    public_holidays.public_holidays.cache_clear()
    public_holidays.make_up_days.cache_clear()
    public_holidays._stored.cache_clear()
    yield tmp_path / "cache" / "hoso" / "vn-holidays.json"
    public_holidays.public_holidays.cache_clear()
    public_holidays.make_up_days.cache_clear()
    public_holidays._stored.cache_clear()


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[TempRepo]:
    shutil.copytree(ROOT / "governance", tmp_path / "governance")
    (tmp_path / "cases").mkdir()
    yield TempRepo(tmp_path)


@pytest.fixture
def mr(tmp_path: Path) -> GitRepo:
    """A repository with the example case on main and a merge-request branch ``mr`` checked
    out (the attack tests' common start)."""
    repo = make_repo(tmp_path / "repo")
    good = (EXAMPLES / "valid" / "admission-cell-voted.yaml").read_text(encoding="utf-8")
    repo.commit("Open a sample case", {"cases/khe-lam/admission/KN-2024-test01.yaml": good})
    repo.git("checkout", "-q", "-b", "mr")
    return repo
