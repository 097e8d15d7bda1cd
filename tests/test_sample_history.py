"""The sample province's history goes through merge requests as a province's would: the audit
finds exactly the three faults planted on purpose, and git itself verifies the signatures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hoso import yamlio
from hoso.audit.run import audit
from hoso.cli.main import main
from hoso.git import Repo
from hoso.sample.history import generate_history


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mau") / "kho"
    generate_history(root, 120, 63, planted=True)
    return root


def test_the_audit_finds_only_the_planted_faults(history: Path) -> None:
    _, found = audit(Repo(history), "main", use_cache=False)
    assert sorted({f.rule for f in found}) == [
        "history.approvals",
        "history.direct_push",
        "history.unsigned_merge",
    ]
    requests = {f.merge_request for f in found if f.merge_request}
    assert requests == {"7", "13"}


def test_every_signed_approval_names_the_content_it_replaced(history: Path) -> None:
    """Sample approvals are in the form the gate binds to one change: the case's content at
    the merge's base (``none`` for a new case) beside the content approved."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=history, capture_output=True, text=True)
        return done.stdout.strip()

    approvals = git("log", "--no-merges", "--grep=^Hoso-Approval:", "--format=%H").split()
    assert approvals
    for sha in approvals:
        body = git("log", "-1", "--format=%B", sha)
        trailers = dict(line.split(": ", 1) for line in body.splitlines() if ": " in line)
        record = trailers["Hoso-Record"]
        assert trailers["Hoso-Blob"] == git("rev-parse", f"{sha}:{record}"), sha
        # The clerk's commit that the approval follows, and the content it replaced.
        written = git("log", "--first-parent", "-1", "--format=%H", sha, "--", record)
        replaced = git("rev-parse", "--verify", "--quiet", f"{written}~1:{record}")
        assert trailers.get("Hoso-Base") == (replaced or "none"), sha


def test_git_verifies_the_forge_and_the_members_signatures(history: Path) -> None:
    settings = yamlio.load_text((history / "governance/settings.yaml").read_text("utf-8"))
    assert isinstance(settings, dict)
    forge = settings["forge_keys"][0]["key"]
    committees = yamlio.load_text((history / "governance/committees.yaml").read_text("utf-8"))
    assert isinstance(committees, dict)
    signers = [f"forge {' '.join(forge.split()[:2])}"] + [
        f"{m['email']} {' '.join(m['ssh_keys'][0].split()[:2])}"
        for c in committees["committees"]
        for m in c["members"]
        if m.get("ssh_keys")
    ]
    allowed = history.parent / "allowed"
    allowed.write_text("\n".join(signers) + "\n")

    def log(*args: str) -> list[str]:
        done = subprocess.run(
            ["git", "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", *args],
            cwd=history,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.split("\n")

    merges = [line for line in log("--first-parent", "--merges", "--format=%G? %GS") if line]
    assert merges.count("G forge") == len(merges) - 1  # the one planted unsigned merge
    approvals = [
        line
        for line in log("--all", "--no-merges", "--grep=^Hoso-Approval:", "--format=%G?")
        if line
    ]
    assert approvals and set(approvals) == {"G"}


def test_sample_history_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kho"
    assert main(["sample", "--history", "--out", str(out), "--cases", "30"]) == 0
    assert "ba phát hiện cố ý" in capsys.readouterr().out
    assert (out / ".git").is_dir()
    assert main(["sample", "--history", "--out", str(out), "--cases", "30"]) == 2
