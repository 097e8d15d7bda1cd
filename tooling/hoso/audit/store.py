"""The audit's index on disk, sealed so that nobody can edit a verdict into it.

The index lives in ``.git/hoso``, where anyone who can write the clone could change it: a
finding removed there would vanish from the next audit, and an unpickled file can run code.
Each file is sealed with an HMAC under a key kept outside the repository, in the auditor's
own state folder (``HOSO_AUDIT_KEY`` names another file); a file whose seal does not verify is
never unpickled, and the audit starts again from the history.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import pickle
import secrets
from pathlib import Path
from typing import Any

from hoso.repo import Unreadable, read_record
from hoso.user_cache import xdg_home
from hoso.yamlio import write_bytes_atomic

MAGIC = b"hoso-ix1"
_SEAL = 32
_CAP = 1 << 30
"""Far more than any store hoso writes; a larger file is not one of them."""


def read(path: Path, cap: int = _CAP) -> bytes | None:
    """A stored file's bytes, as a record is read: only a regular file, never through a link,
    at most ``cap`` bytes (a FIFO planted there would wait, a device never end); None for
    anything else, or nothing there."""
    try:
        return read_record(path.parent, path.name, cap=cap)
    except Unreadable:
        return None


def key_path() -> Path:
    named = os.environ.get("HOSO_AUDIT_KEY")
    if named:
        return Path(named)
    return xdg_home("XDG_STATE_HOME", ".local/state") / "hoso" / "audit.key"


def _key(create: bool) -> bytes | None:
    try:
        path = key_path()
    except RuntimeError:  # no home folder to keep a key in: nothing is sealed or unsealed
        return None
    key = read(path, 4096)
    if key is not None:
        return key if len(key) >= 32 else None
    if not create or os.path.lexists(path):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _key(False)
    except OSError:
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def seal(value: Any) -> bytes | None:
    """The sealed bytes of ``value``, or None when no key can be had (nothing is kept)."""
    key = _key(create=True)
    if key is None:
        return None
    data = pickle.dumps(value, protocol=5)
    return MAGIC + hmac.new(key, data, hashlib.sha256).digest() + data


def ledger_path(of: Path) -> Path | None:
    """Where the auditor's state folder notes the digest of the index last written at ``of``
    (beside the key, which nobody who can only write the clone can write either); None
    without a home folder."""
    try:
        key = key_path()
    except RuntimeError:
        return None
    name = hashlib.sha256(str(of.absolute()).encode("utf-8", "surrogateescape")).hexdigest()
    return key.with_name(f"{key.name}.seen") / name[:32]


def noted(of: Path) -> str | None:
    """The digest of the index this machine last wrote at ``of``; None when it never wrote one
    there (or wrote it before the notes were kept)."""
    ledger = ledger_path(of)
    raw = read(ledger, 128) if ledger is not None else None
    return raw.decode("ascii", "replace").strip() if raw is not None else None


def note(of: Path, sealed: bytes) -> None:
    """Note ``sealed`` as the index last written at ``of``, so that an older sealed index put
    back in its place (after a rewrite of the history it saw), or the index deleted, is
    told from the index this machine wrote. Raises ``OSError`` when it cannot be noted."""
    ledger = ledger_path(of)
    if ledger is None:
        raise OSError(errno.ENOENT, "không có thư mục nhà để ghi")
    ledger.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_bytes_atomic(ledger, hashlib.sha256(sealed).hexdigest().encode() + b"\n")


def unseal(raw: bytes | None) -> Any:
    """The value sealed in ``raw``; None when the seal does not verify (never unpickled)."""
    key = _key(create=False)
    if key is None or raw is None or not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + _SEAL:
        return None
    seal_, data = raw[len(MAGIC) : len(MAGIC) + _SEAL], raw[len(MAGIC) + _SEAL :]
    if not hmac.compare_digest(seal_, hmac.new(key, data, hashlib.sha256).digest()):
        return None
    try:
        return pickle.loads(data)
    except Exception:  # sealed by another version of hoso: worked out again
        return None
