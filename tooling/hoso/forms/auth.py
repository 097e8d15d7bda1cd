"""Who is at the form: passwords kept outside the repository, people from committees.yaml.

A login is a person's forge login (``github`` or ``gitlab`` in ``governance/committees.yaml``)
or their e-mail there; it works only while that person serves on a committee (judged each
time, so a term that ends ends the access). Passwords are stored as scrypt hashes in a file
outside the records repository (never committed, mode 0600). A person sees and edits the cases
of the units of the committees they serve on, and of the units below them.

Sessions live in the server's memory (a restart logs everyone out); each has its own CSRF
token, checked on every POST.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hoso.errors import HosoError
from hoso.governance import Governance
from hoso.review.judging import serves
from hoso.user_cache import xdg_home

SCRYPT = {"n": 2**15, "r": 8, "p": 3}
"""scrypt's cost, one of OWASP's recommended settings (32 MiB, parallelism 3): a few tenths of
a second a guess on this kind of machine."""
MAXMEM = 64 * 1024 * 1024
MAX_PASSWORD = 1000
"""The longest password the login form reads (characters); a longer one could never log in."""
IDLE = 8 * 3600
"""Seconds a session lives without a request."""
MAX_SESSIONS = 5000
FAILURES = 5
"""Wrong passwords for one login before it is refused for ``LOCKOUT`` seconds."""
LOCKOUT = 15 * 60


def default_users_file() -> Path:
    try:
        return xdg_home("XDG_CONFIG_HOME", ".config") / "hoso" / "forms-users.json"
    except RuntimeError:
        raise HosoError(
            "không có thư mục nhà (HOME) là đường dẫn tuyệt đối để giữ tệp mật khẩu; chỉ rõ tệp "
            "bằng --users ĐƯỜNG_DẪN"
        ) from None


def _bytes(password: str) -> bytes:
    """A password as its composed (NFC) UTF-8 bytes: "ậ" typed as one character or as a
    letter and its marks (some keyboards, a file written elsewhere) is the same password."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(_bytes(password), salt=salt, maxmem=MAXMEM, **SCRYPT)
    return {
        "scrypt": dict(SCRYPT),
        "salt": base64.b64encode(salt).decode(),
        "hash": base64.b64encode(digest).decode(),
    }


def check_password(stored: dict[str, Any], password: str) -> bool:
    try:
        params = {k: int(stored["scrypt"][k]) for k in ("n", "r", "p")}
        salt = base64.b64decode(stored["salt"])
        expected = base64.b64decode(stored["hash"])
    except (KeyError, TypeError, ValueError):
        return False
    try:
        digest = hashlib.scrypt(_bytes(password), salt=salt, maxmem=MAXMEM, **params)
    except ValueError:  # parameters beyond the memory bound: refuse, never hang
        return False
    return hmac.compare_digest(digest, expected)


_DUMMY = hash_password(secrets.token_urlsafe(16))
"""Checked against when the login is unknown, so that a wrong name costs as long as a wrong
password (no telling which logins exist by the time taken)."""


class PasswordFileError(HosoError):
    """The password file cannot be read: said in full to whoever runs the server, never to a
    visitor (its path and the system's words are not theirs to see)."""


class Users:
    """The password file: login (lower case) to its scrypt hash."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise PasswordFileError(f"{self.path}: không đọc được tệp mật khẩu: {exc}") from None
        users = data.get("users") if isinstance(data, dict) else None
        if not isinstance(users, dict):
            raise PasswordFileError(f"{self.path}: tệp mật khẩu không đúng dạng (cần khóa 'users')")
        return {str(k).lower(): v for k, v in users.items() if isinstance(v, dict)}

    def set(self, login: str, password: str) -> None:
        users = self.load()
        users[login.lower()] = hash_password(password)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        text = json.dumps({"version": 1, "users": users}, indent=2, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".forms-users.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def stamp(self, login: str) -> str | None:
        """What a session keeps of the password it was opened with (a digest of the stored
        hash; None for a login no longer in the file): when it changes, the session ends."""
        stored = self.load().get(login.lower())
        if stored is None:
            return None
        return hashlib.sha256(json.dumps(stored, sort_keys=True).encode()).hexdigest()

    def verify(self, login: str, password: str) -> bool:
        stored = self.load().get(login.lower())
        ok = check_password(stored or _DUMMY, password)
        return ok and stored is not None


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    email: str | None
    units: frozenset[str]
    """The units of the committees this person serves on today."""

    @property
    def author(self) -> str | None:
        """The commit author line for this person's changes, when their e-mail is known."""
        return f"{self.name} <{self.email}>" if self.email else None


def person(governance: Governance, login: str, today: date) -> Person | None:
    """The person ``login`` names among the committee members serving today, or None."""
    wanted = login.strip().lower()
    if not wanted:
        return None
    found: Person | None = None
    units: set[str] = set()
    for committee in governance.committees.values():
        for member in committee.members:
            handles = {h.lower() for h in (member.github, member.gitlab, member.email) if h}
            if wanted in handles and serves(member, today):
                units.add(committee.unit)
                if found is None or (found.email is None and member.email):
                    # An entry without an e-mail names nobody in a commit: another entry of
                    # the same person that has one does (the gate knows both for one person).
                    found = Person(login, member.name, member.email, frozenset())
    if found is None:
        return None
    return Person(found.login, found.name, found.email, frozenset(units))


@dataclass
class Session:
    token: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    login: str | None = None
    stamp: str | None = None
    """The password's stamp at the login (``Users.stamp``): a password changed or removed
    since then ends the session, as users expect of a password change."""
    seen: float = field(default_factory=time.monotonic)
    flashes: list[tuple[str, str]] = field(default_factory=list)
    """Messages for the next page this session sees (kind, text)."""
    case_tokens: dict[str, str] = field(default_factory=dict)
    """The tokens of the new-case forms this session was shown, latest last, each with the id
    of the case it opened ("" until then): a new case is opened only under one of them, so
    nobody can name a case (another unit's, say) by choosing its token, and one form opens one
    case however often it is sent."""
    steps_sent: dict[str, str] = field(default_factory=dict)
    """``<case id>@<version>`` to a digest of the step form this session recorded on that
    version of the case: the same form sent again is the clerk's own step, not someone else's
    change."""


class Sessions:
    """Sessions in memory, by the random token in the browser's cookie."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_token: dict[str, Session] = {}
        self._failures: dict[str, tuple[int, float]] = {}

    def get(self, token: str | None) -> Session | None:
        now = time.monotonic()
        with self._lock:
            session = self._by_token.get(token or "")
            if session is None:
                return None
            if now - session.seen > IDLE:
                del self._by_token[session.token]
                return None
            session.seen = now
            return session

    def new(self, login: str | None = None) -> Session:
        """A fresh session (a new token and CSRF token: logging in never keeps the old ones)."""
        session = Session(secrets.token_urlsafe(32), login=login)
        with self._lock:
            if len(self._by_token) >= MAX_SESSIONS:
                # Anyone can open sessions (a request without a cookie); those nobody has logged
                # into go first, so that a flood of them logs no member out.
                oldest = sorted(
                    self._by_token.values(), key=lambda s: (s.login is not None, s.seen)
                )
                for stale in oldest[: MAX_SESSIONS // 10]:
                    del self._by_token[stale.token]
            self._by_token[session.token] = session
        return session

    def end(self, session: Session) -> None:
        with self._lock:
            self._by_token.pop(session.token, None)

    def attempt(self, login: str) -> bool:
        """Whether ``login`` may try a password now; the try is counted as a failure at once
        (``succeeded`` forgives it), so that guesses sent together pass the lock no more often
        than guesses sent one after another."""
        key = login.lower()
        with self._lock:
            count, since = self._failures.get(key, (0, 0.0))
            if count >= FAILURES and time.monotonic() - since < LOCKOUT:
                return False
            if time.monotonic() - since >= LOCKOUT:
                count = 0
            self._failures[key] = (count + 1, time.monotonic())
            if len(self._failures) > MAX_SESSIONS:
                # Only what no longer counts is forgotten: emptying the table would lift every
                # lock for whoever sends enough guesses at made-up logins. Each try kept costs
                # one password hash, so what one window can hold stays small.
                now = time.monotonic()
                self._failures = {k: v for k, v in self._failures.items() if now - v[1] < LOCKOUT}
            return True

    def succeeded(self, login: str) -> None:
        """Forget the failures of ``login``: its password was right."""
        with self._lock:
            self._failures.pop(login.lower(), None)
