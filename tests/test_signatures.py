"""SSH signatures verified in process agree with git's own verification, key type by key
type, and refuse what git refuses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gitrepo import GitRepo
from hoso.signatures import (
    BadSignature,
    fingerprint,
    key_blob,
    split_commit,
    split_tag,
    ssh_signer,
)

KEYS = {"ed": ["-t", "ed25519"], "rsa": ["-t", "rsa", "-b", "2048"], "ec": ["-t", "ecdsa"]}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.root.mkdir()
    repo.git("init", "-q", "-b", "main")
    return repo


def _key(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"key-{name}"
    subprocess.run(["ssh-keygen", "-q", *KEYS[name], "-N", "", "-f", str(path)], check=True)
    return path


def _signed(repo: GitRepo, key: Path, text: str) -> str:
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={key}",
        "commit", "-q", "--allow-empty", "-S", "-m", text,
    )  # fmt: skip
    return repo.git("rev-parse", "HEAD")


def _raw(repo: GitRepo, sha: str, kind: str = "commit") -> bytes:
    done = subprocess.run(
        ["git", "cat-file", kind, sha], cwd=repo.root, capture_output=True, check=True
    )
    return done.stdout


def _git_says(repo: GitRepo, sha: str, key: Path) -> str:
    """git's own %G? and %GK with the key allowed."""
    public = " ".join(Path(f"{key}.pub").read_text().split()[:2])
    signers = repo.root.parent / "signers"
    signers.write_text(f"someone@mau.invalid {public}\n")
    return repo.git(
        "-c", f"gpg.ssh.allowedSignersFile={signers}", "log", "-1", "--format=%G? %GK", sha
    )  # fmt: skip


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_each_key_type_agrees_with_git(repo: GitRepo, tmp_path: Path, kind: str) -> None:
    key = _key(tmp_path, kind)
    sha = _signed(repo, key, f"Signed with {kind}\n\nHoso-Approval: approve")
    signed = split_commit(_raw(repo, sha))
    assert signed.kind == "ssh" and signed.signature is not None
    blob = ssh_signer(signed.payload, signed.signature)
    assert blob == key_blob(Path(f"{key}.pub").read_text())
    status, printed = _git_says(repo, sha, key).split()
    assert status == "G" and printed == fingerprint(blob)


def test_a_tampered_commit_fails_here_as_in_git(repo: GitRepo, tmp_path: Path) -> None:
    key = _key(tmp_path, "ed")
    sha = _signed(repo, key, "Approve the record\n\nHoso-Blob: aaaa")
    forged = _raw(repo, sha).replace(b"Hoso-Blob: aaaa", b"Hoso-Blob: bbbb")
    new = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo.root,
            input=forged,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    signed = split_commit(_raw(repo, new))
    with pytest.raises(BadSignature):
        ssh_signer(signed.payload, signed.signature or b"")
    assert _git_says(repo, new, key).split()[0] == "B"


def test_a_signature_for_another_namespace_is_refused(tmp_path: Path) -> None:
    key = _key(tmp_path, "ed")
    payload = tmp_path / "payload"
    payload.write_bytes(b"tree 0\n\nmessage\n")
    subprocess.run(
        ["ssh-keygen", "-q", "-Y", "sign", "-n", "file", "-f", str(key), str(payload)], check=True
    )
    armored = Path(f"{payload}.sig").read_bytes()
    with pytest.raises(BadSignature, match="mục đích khác"):
        ssh_signer(payload.read_bytes(), armored)
    with pytest.raises(BadSignature):
        ssh_signer(payload.read_bytes(), armored.replace(b"SSH SIGNATURE", b"PGP SIGNATURE"))


def test_two_signature_headers_are_never_guessed_between() -> None:
    raw = b"tree 1\ngpgsig -----BEGIN SSH SIGNATURE-----\n x\ngpgsig second\n\nmsg\n"
    assert split_commit(raw).kind == "unknown"


def test_a_signed_tag_splits_into_payload_and_signature(repo: GitRepo, tmp_path: Path) -> None:
    key = _key(tmp_path, "ed")
    _signed(repo, key, "base")
    repo.git(
        "-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "tag", "-s", "-m", "note", "t1"
    )  # fmt: skip
    signed = split_tag(_raw(repo, "t1", "tag"))
    assert signed.kind == "ssh"
    assert ssh_signer(signed.payload, signed.signature or b"") == key_blob(
        Path(f"{key}.pub").read_text()
    )


def test_a_cut_or_bent_ed25519_signature_is_refused_not_a_crash(
    repo: GitRepo, tmp_path: Path
) -> None:
    """libsodium checks Ed25519 here: a signature of the wrong length, or one bit off, is a
    ``BadSignature`` like any other, never a library error."""
    import base64
    import struct

    key = _key(tmp_path, "ed")
    signed = split_commit(_raw(repo, _signed(repo, key, "Approve")))
    armored = (signed.signature or b"").strip().split(b"\n")
    blob = base64.b64decode(b"".join(armored[1:-1]))

    def field(at: int) -> tuple[bytes, int]:
        size = struct.unpack(">I", blob[at : at + 4])[0]
        return blob[at + 4 : at + 4 + size], at + 4 + size

    at = 10  # after "SSHSIG" and the version
    for _ in range(4):  # the key, the namespace, the reserved field, the hash
        _, at = field(at)
    signature, _ = field(at)
    form = signature[: 4 + len(b"ssh-ed25519")]
    value = signature[len(form) + 4 :]
    assert len(value) == 64

    def rewrapped(new_value: bytes) -> bytes:
        inner = form + struct.pack(">I", len(new_value)) + new_value
        outer = blob[:at] + struct.pack(">I", len(inner)) + inner
        return armored[0] + b"\n" + base64.b64encode(outer) + b"\n" + armored[-1] + b"\n"

    assert ssh_signer(signed.payload, rewrapped(value)) == key_blob(Path(f"{key}.pub").read_text())
    bent = bytes([value[0] ^ 1]) + value[1:]
    for bad in (value[:63], value + b"\0", bent):
        with pytest.raises(BadSignature):
            ssh_signer(signed.payload, rewrapped(bad))


def _sshsig(public: bytes, value: bytes) -> bytes:
    """An SSHSIG over namespace ``git`` by an Ed25519 ``public`` key, signature ``value``."""
    import base64
    import struct

    def s(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b

    blob = (
        b"SSHSIG" + struct.pack(">I", 1) + s(s(b"ssh-ed25519") + s(public)) + s(b"git")
        + s(b"") + s(b"sha512") + s(s(b"ssh-ed25519") + s(value))
    )  # fmt: skip
    return (
        b"-----BEGIN SSH SIGNATURE-----\n" + base64.b64encode(blob)
        + b"\n-----END SSH SIGNATURE-----\n"
    )  # fmt: skip


@pytest.mark.parametrize(
    "point",
    [
        bytes([1]) + bytes(31),
        bytes(32),
        bytes.fromhex("ec" + "ff" * 30 + "7f"),
        bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    ],
)
def test_a_small_order_ed25519_key_signs_nothing(point: bytes) -> None:
    """With a small-order point as key and as R, and S = 0, OpenSSL accepts the signature
    for many messages (for the neutral point, for every message); it is refused here."""
    for n in range(16):
        with pytest.raises(BadSignature):
            ssh_signer(f"tree {n}\n".encode(), _sshsig(point, point + bytes(32)))
