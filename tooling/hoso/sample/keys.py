"""Signing keys for the fictional province: derived from the seed and a person's e-mail, so that
the same seed gives the same keys, and SSH signatures (OpenSSH's SSHSIG) made in this process.

These keys sign sample data only. Anyone with the seed can derive them: they prove nothing
outside the sample, which is the point of a sample.
"""

from __future__ import annotations

import base64
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FORGE = "nen-tang@mau.invalid"
"""The make-believe forge that signs the sample's merges."""


def private_key(seed: int, who: str) -> Ed25519PrivateKey:
    secret = hashlib.sha256(f"hoso-du-lieu-mau|{seed}|{who}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(secret)


def public_line(key: Ed25519PrivateKey, comment: str) -> str:
    """The OpenSSH public key line, as committees.yaml lists it."""
    raw = key.public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode()
    return f"{raw} {comment}"


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def sign(key: Ed25519PrivateKey, payload: bytes, namespace: bytes = b"git") -> str:
    """An armored SSHSIG signature of ``payload``, as ``git commit -S`` with an SSH key makes."""
    digest = hashlib.sha512(payload).digest()
    signed = b"SSHSIG" + b"".join(_string(p) for p in (namespace, b"", b"sha512", digest))
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    blob = (
        b"SSHSIG"
        + struct.pack(">I", 1)
        + _string(_string(b"ssh-ed25519") + _string(public))
        + _string(namespace)
        + _string(b"")
        + _string(b"sha512")
        + _string(_string(b"ssh-ed25519") + _string(key.sign(signed)))
    )
    text = base64.b64encode(blob).decode()
    lines = [text[i : i + 70] for i in range(0, len(text), 70)]
    return "\n".join(["-----BEGIN SSH SIGNATURE-----", *lines, "-----END SSH SIGNATURE-----"])


def signed_commit(payload: str, signature: str) -> str:
    """A commit object's text with ``signature`` in a ``gpgsig`` header after its other
    headers (where git puts it)."""
    head, _, message = payload.partition("\n\n")
    folded = signature.replace("\n", "\n ")
    return f"{head}\ngpgsig {folded}\n\n{message}"
