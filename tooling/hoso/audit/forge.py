"""Was a merge made by the forge? Only its signature says so.

A clone cannot tell a merge the forge made after review from one made on someone's machine
with the same message. GitHub signs the merge commits it makes (OpenPGP), and a GitLab
instance can sign its web commits (SSH or OpenPGP): ``governance/settings.yaml`` lists those
keys, and a merge that none of them signed is a direct push, whatever its message says.

SSH signatures are verified in this process; OpenPGP ones by ``git verify-commit`` with a
keyring that holds the forge's keys and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hoso.git import environment
from hoso.governance import Governance
from hoso.signatures import BadSignature, key_blob, split_commit, ssh_signer


class ForgeKeys:
    """The forge's signing keys of one governance; ``made_by_forge`` answers per merge."""

    def __init__(self, root: Path, governance: Governance, under: str | None = None) -> None:
        keys = governance.settings.forge_keys if governance.settings else []
        self.root = root
        self.under = under
        """The folder the keyring is made in (its owner removes it, agents and all)."""
        self.ssh = {key_blob(k.key) for k in keys if k.format == "ssh"}
        self.openpgp = [k.key for k in keys if k.format == "openpgp"]
        self._home: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.ssh or self.openpgp)

    def made_by_forge(self, sha: str, raw: bytes) -> bool:
        signed = split_commit(raw)
        if signed.kind == "ssh" and signed.signature is not None and self.ssh:
            try:
                return ssh_signer(signed.payload, signed.signature) in self.ssh
            except BadSignature:
                return False
        if signed.kind == "openpgp" and self.openpgp:
            return self._openpgp(sha)
        return False

    def _openpgp(self, sha: str) -> bool:
        gpg = shutil.which("gpg")
        if gpg is None:
            from hoso.errors import HosoError

            raise HosoError(
                "cần chương trình gpg để kiểm tra chữ ký OpenPGP của nền tảng (cài gói gnupg)"
            )
        home = self._keyring()
        done = subprocess.run(
            [
                "git",
                "-c",
                "gpg.format=openpgp",
                "-c",
                f"gpg.program={gpg}",
                "verify-commit",
                "--raw",
                sha,
            ],
            cwd=self.root,
            capture_output=True,
            check=False,
            env={**environment(), "GNUPGHOME": home},
        )
        status = done.stderr.decode("utf-8", "replace")
        good = "[GNUPG:] GOODSIG " in status or "[GNUPG:] EXPKEYSIG " in status
        return good and "[GNUPG:] VALIDSIG " in status and "[GNUPG:] REVKEYSIG" not in status

    def _keyring(self) -> str:
        if self._home is None:
            self._home = tempfile.mkdtemp(prefix="hoso-forge-gpg-", dir=self.under)
            for key in self.openpgp:
                subprocess.run(
                    ["gpg", "--batch", "--quiet", "--import"],
                    input=key.encode(),
                    capture_output=True,
                    check=False,
                    env={**environment(), "GNUPGHOME": self._home},
                )
        return self._home

    def close(self) -> None:
        """Remove the keyring, and stop the agent gpg started for it (it would outlive the
        audit, serving a folder that no longer exists)."""
        if self._home is not None:
            _remove_keyring(self._home)
            self._home = None


def remove_keyrings(under: str) -> None:
    """Remove every keyring made in ``under`` (by this process or by workers that were killed
    before they could remove their own), stopping their agents, then ``under`` itself."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(under):
            if entry.is_dir(follow_symlinks=False):
                _remove_keyring(entry.path)
    shutil.rmtree(under, ignore_errors=True)


def _remove_keyring(home: str) -> None:
    if shutil.which("gpgconf") is not None:
        subprocess.run(
            ["gpgconf", "--homedir", home, "--kill", "all"],
            capture_output=True,
            check=False,
            env={**environment(), "GNUPGHOME": home},
        )
    shutil.rmtree(home, ignore_errors=True)
