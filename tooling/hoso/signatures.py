"""SSH signatures on commits and tags, verified here rather than by git.

git checks a signature's key against its allowed-signers file as of the date written in the
commit, which the signer chooses; and it starts one ``ssh-keygen`` per signed commit. This module
only answers "which key made this valid signature over this object" (OpenSSH's SSHSIG format,
namespace ``git``); who the key belongs to, and whether that person was serving at a time the
signer did not write, is for the caller to decide.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nacl.signing import VerifyKey

# cryptography and PyNaCl are imported where a signature is checked: they cost a tenth of
# what a pre-commit hook's 'hoso validate FILE' may take, and it checks none.

SSH_BEGIN = b"-----BEGIN SSH SIGNATURE-----"
SSH_END = b"-----END SSH SIGNATURE-----"
PGP_BEGIN = b"-----BEGIN PGP SIGNATURE-----"
_SIGNATURE_HEADERS = (b"gpgsig ", b"gpgsig-sha256 ")
_HASHES = {b"sha256": hashlib.sha256, b"sha512": hashlib.sha512}
_RSA = {b"rsa-sha2-256": "SHA256", b"rsa-sha2-512": "SHA512"}
_EC = {b"nistp256": "SHA256", b"nistp384": "SHA384", b"nistp521": "SHA512"}
"""The hash each signature form uses, by its name in ``cryptography.hazmat.primitives.hashes``."""


@dataclass(frozen=True)
class Signed:
    """An object split into what was signed and the signature over it."""

    payload: bytes
    signature: bytes | None
    """The armored signature, or None when the object carries none."""

    @property
    def kind(self) -> str:
        """``ssh``, ``openpgp``, ``unknown`` or ``none``."""
        if self.signature is None:
            return "none"
        if self.signature.startswith(SSH_BEGIN):
            return "ssh"
        if self.signature.startswith(PGP_BEGIN):
            return "openpgp"
        return "unknown"


def split_commit(raw: bytes) -> Signed:
    """A commit object without its ``gpgsig`` header (what the signer signed), and that
    header's value."""
    head, sep, body = raw.partition(b"\n\n")
    kept: list[bytes] = []
    signature: list[bytes] = []
    inside = False
    for line in head.split(b"\n"):
        if line.startswith(_SIGNATURE_HEADERS):
            if signature:  # two signature headers: refuse to guess which one counts
                return Signed(raw, b"")
            inside = True
            signature.append(line.split(b" ", 1)[1])
        elif inside and line.startswith(b" "):
            signature.append(line[1:])
        else:
            inside = False
            kept.append(line)
    payload = b"\n".join(kept) + sep + body
    return Signed(payload, b"\n".join(signature) + b"\n" if signature else None)


def split_tag(raw: bytes) -> Signed:
    """A tag object without the signature appended to its message, and that signature."""
    for begin in (SSH_BEGIN, PGP_BEGIN):
        at = raw.rfind(b"\n" + begin)
        if at != -1:
            return Signed(raw[: at + 1], raw[at + 1 :])
    return Signed(raw, None)


def key_blob(public_key: str) -> bytes:
    """The wire form of an OpenSSH public key line (``type base64 [comment]``)."""
    return base64.b64decode(public_key.split()[1], validate=True)


def fingerprint(blob: bytes) -> str:
    """OpenSSH's SHA256 fingerprint of a key's wire form, as git's ``%GK`` prints it."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


class BadSignature(ValueError):
    """The signature is malformed, of another namespace, or does not verify."""


def ssh_signer(payload: bytes, armored: bytes, namespace: bytes = b"git") -> bytes:
    """The wire form of the key whose valid SSHSIG signature over ``payload`` this is.

    Raises ``BadSignature`` for anything else: bad armor, another namespace, an unknown
    algorithm, or a signature that does not verify."""
    text = armored.strip()
    if not (text.startswith(SSH_BEGIN) and text.endswith(SSH_END)):
        raise BadSignature("không phải chữ ký SSH")
    try:
        blob = base64.b64decode(b"".join(text[len(SSH_BEGIN) : -len(SSH_END)].split()))
        reader = _Reader(blob)
        if reader.take(6) != b"SSHSIG" or reader.uint32() != 1:
            raise BadSignature("sai định dạng SSHSIG")
        public, space, reserved, algorithm, signature = (reader.string() for _ in range(5))
        reader.end()
    except (ValueError, struct.error) as exc:
        raise BadSignature(f"chữ ký hỏng: {exc}") from None
    if space != namespace:
        raise BadSignature(f"chữ ký cho mục đích khác ({space.decode(errors='replace')})")
    digest = _HASHES.get(algorithm)
    if digest is None:
        raise BadSignature("thuật toán băm không được hỗ trợ")
    signed = b"SSHSIG" + b"".join(
        _string(part) for part in (space, reserved, algorithm, digest(payload).digest())
    )
    _verify(public, signature, signed)
    return public


def _verify(public: bytes, signature: bytes, signed: bytes) -> None:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    from nacl.exceptions import BadSignatureError

    try:
        reader = _Reader(public)
        keytype = reader.string()
        key = _public_key(keytype, public)
        sig = _Reader(signature)
        form, value = sig.string(), sig.string()
        sig.end()
        if isinstance(key, ed25519.Ed25519PublicKey) and form == b"ssh-ed25519":
            _ed25519_key(keytype, public).verify(signed, value)
        elif isinstance(key, rsa.RSAPublicKey) and form in _RSA:
            key.verify(value, signed, padding.PKCS1v15(), getattr(hashes, _RSA[form])())
        elif isinstance(key, ec.EllipticCurvePublicKey) and form == keytype:
            curve = keytype.rsplit(b"-", 1)[-1]
            parts = _Reader(value)
            r, s = parts.mpint(), parts.mpint()
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(getattr(hashes, _EC[curve])()))
        else:
            raise BadSignature("loại khóa hoặc chữ ký không được hỗ trợ")
    except (InvalidSignature, BadSignatureError):
        raise BadSignature("chữ ký không khớp với nội dung") from None
    except (ValueError, KeyError, struct.error, TypeError, UnsupportedAlgorithm) as exc:
        raise BadSignature(f"chữ ký hỏng hoặc loại khóa không được hỗ trợ: {exc}") from None


@functools.lru_cache(maxsize=4096)
def _ed25519_key(keytype: bytes, public: bytes) -> VerifyKey:
    """An Ed25519 key for libsodium, which checks a signature in half the time OpenSSL takes
    here: the forge signs every merge, and a first audit checks them all."""
    from nacl.signing import VerifyKey

    return VerifyKey(_public_key(keytype, public).public_bytes_raw())


@functools.lru_cache(maxsize=4096)
def _public_key(keytype: bytes, public: bytes) -> Any:
    """A key loaded once however many signatures it made (a forge signs every merge)."""
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    return load_ssh_public_key(keytype + b" " + base64.b64encode(public))


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class _Reader:
    """SSH wire-format fields, read in order; any overrun is a ``ValueError``."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.at + size > len(self.data):
            raise ValueError("dữ liệu bị cắt cụt")
        part = self.data[self.at : self.at + size]
        self.at += size
        return part

    def uint32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def string(self) -> bytes:
        return self.take(self.uint32())

    def mpint(self) -> int:
        return int.from_bytes(self.string(), "big", signed=True)

    def end(self) -> None:
        if self.at != len(self.data):
            raise ValueError("thừa dữ liệu sau chữ ký")


def openpgp_fingerprint(armored: str) -> str | None:
    """The fingerprint of the first public key of an armored OpenPGP block, as gpg prints it
    (version 4: SHA-1 of the key packet; version 6: SHA-256); None when it cannot be read."""
    lines = armored.strip().splitlines()
    try:
        start = lines.index("") + 1 if "" in lines else 1
        body = [line for line in lines[start:] if not line.startswith(("=", "-----"))]
        packet = base64.b64decode("".join(body), validate=True)
        content = _first_packet(packet)
    except (ValueError, IndexError, struct.error):
        return None
    if content is None or not content:
        return None
    if content[0] == 4:
        return hashlib.sha1(b"\x99" + struct.pack(">H", len(content)) + content).hexdigest().upper()
    if content[0] == 6:
        return (
            hashlib.sha256(b"\x9b" + struct.pack(">I", len(content)) + content).hexdigest().upper()
        )
    return None


def _first_packet(data: bytes) -> bytes | None:
    """The body of the first packet of ``data`` when it is a public key packet (tag 6)."""
    head = data[0]
    if not head & 0x80:
        return None
    if head & 0x40:  # new format
        tag, first = head & 0x3F, data[1]
        if first < 192:
            size, at = first, 2
        elif first < 224:
            size, at = ((first - 192) << 8) + data[2] + 192, 3
        elif first == 255:
            size, at = struct.unpack(">I", data[2:6])[0], 6
        else:
            return None  # partial lengths never frame a key packet
    else:
        tag, kind = (head >> 2) & 0x0F, head & 0x03
        if kind == 3:
            return None
        width = 1 << kind
        size, at = int.from_bytes(data[1 : 1 + width], "big"), 1 + width
    if tag != 6 or len(data) < at + size:
        return None
    return data[at : at + size]
