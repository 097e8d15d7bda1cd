"""One fixture factory for temporary git repositories with fixed identities (style guide 9)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hoso import yamlio

ROOT = Path(__file__).resolve().parent.parent
STAFF = ("Cán bộ Mẫu", "staff@mau.invalid")


@dataclass
class GitRepo:
    root: Path
    keys: dict[str, Path] = field(default_factory=dict)

    def git(
        self,
        *args: str,
        author: tuple[str, str] = STAFF,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> str:
        extra = env or {}
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_COMMITTER_NAME": author[0],
            "GIT_COMMITTER_EMAIL": author[1],
            **extra,
        }
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env=env,
            input=input,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(
        self,
        message: str,
        files: dict[str, str | None] | None = None,
        author: tuple[str, str] = STAFF,
    ) -> str:
        for rel, text in (files or {}).items():
            if text is None:
                self.git("rm", "-q", rel)
            else:
                self.write(rel, text)
                self.git("add", rel)
        self.git("commit", "-q", "--allow-empty", "-m", message, author=author)
        return self.git("rev-parse", "HEAD")

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> str:
        text = self.read(rel)
        assert old in text, (rel, old)
        return text.replace(old, new, 1)

    def key(self, name: str) -> Path:
        """An ed25519 key pair made here, for signing approvals."""
        if name not in self.keys:
            path = self.root.parent / f"key-{name}"
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
                check=True,
            )
            self.keys[name] = path
        return self.keys[name]

    def public(self, name: str) -> str:
        return " ".join(Path(f"{self.key(name)}.pub").read_text().split()[:2])

    def sign_commit(
        self,
        message: str,
        key: str,
        author: tuple[str, str],
        env: dict[str, str] | None = None,
    ) -> str:
        """An empty commit signed with the named key (``env``: a date to write, say)."""
        self.git(
            "-c",
            "gpg.format=ssh",
            "-c",
            f"user.signingkey={self.key(key)}",
            "commit",
            "-q",
            "--allow-empty",
            "-S",
            "-F",
            "-",
            author=author,
            input=message,
            env=env,
        )
        return self.git("rev-parse", "HEAD")


def make_repo(path: Path) -> GitRepo:
    path.mkdir(parents=True, exist_ok=True)
    repo = GitRepo(path)
    repo.git("init", "-q", "-b", "main")
    shutil.copytree(ROOT / "governance", path / "governance")
    repo.git("add", "governance")
    repo.git("commit", "-q", "-m", "Governance of the sample province")
    return repo


def committees(text: str) -> dict[str, dict[str, Any]]:
    data = yamlio.load_text(text)
    assert isinstance(data, dict)
    return {c["id"]: c for c in data["committees"]}


def with_committees(text: str, change: dict[str, dict[str, Any]]) -> str:
    """committees.yaml with some committees replaced."""
    data = yamlio.load_text(text)
    assert isinstance(data, dict)
    data["committees"] = [change.get(c["id"], c) for c in data["committees"]]
    return yamlio.dump_plain(data)


def serving(committee: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in committee["members"] if "term_until" not in m]


def former(committee: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in committee["members"] if "term_until" in m]


FORGE = "forge"
"""The key a test repository's make-believe forge signs its merges with."""


def with_forge_key(repo: GitRepo) -> str:
    """settings.yaml naming the make-believe forge's SSH key as the key of merges."""
    text = repo.read("governance/settings.yaml")
    return text + (
        "forge_keys:\n- forge: gitlab\n  format: ssh\n"
        f"  key: {repo.public(FORGE)}\n  note: khóa ký của nền tảng thử nghiệm\n"
    )


def forge_merge(repo: GitRepo, message: str, branch: str, *extra: str) -> str:
    """A merge as the forge makes it: no fast-forward, signed with the forge's key."""
    repo.git(
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={repo.key(FORGE)}",
        "merge",
        "-q",
        "--no-ff",
        "-S",
        "-m",
        message,
        *extra,
        branch,
        author=("GitLab", "gitlab@mau.invalid"),
    )
    return repo.git("rev-parse", "HEAD")
