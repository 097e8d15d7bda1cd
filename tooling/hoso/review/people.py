"""People, not accounts: which member of a committee an approval comes from, and who wrote a
change.

``committees.yaml`` ties each person's GitHub login, GitLab username, e-mail and SSH keys to
one entry. Logins compare without regard to letter case (as the forges do); a pinned numeric
id must match where the forge gave one; a signed approval is the person whose key made the
signature, never the e-mail the commit claims.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hoso.governance import Governance
from hoso.models.governance import Committee, Member
from hoso.review.approvals import Approval, ForgeAuthors
from hoso.signatures import key_blob


def identity(member: Member) -> str:
    """What makes two entries the same person: the party card, else the e-mail, else the
    name."""
    if has_card(member):
        return f"card:{card_digits(str(member.party_card))}"
    if member.email:
        return f"email:{member.email.lower()}"
    return f"name:{member.name}"


def member_keys(member: Member) -> frozenset[bytes]:
    return _blobs(tuple(member.ssh_keys))


@functools.lru_cache(maxsize=8192)
def _blobs(lines: tuple[str, ...]) -> frozenset[bytes]:
    """Keys decoded once however often a member's keys are asked for."""
    out = set()
    for line in lines:
        try:
            out.add(key_blob(line))
        except ValueError:
            continue  # a key that does not decode is refused by validation
    return frozenset(out)


def same_card(a: object, b: object) -> bool:
    """Two party-card numbers that are one, however written: full-width digits, spaces, dots
    or dashes between groups, letters in either case."""
    return card_digits(str(a)) == card_digits(str(b)) != ""


@functools.lru_cache(maxsize=65536)
def card_digits(text: str) -> str:
    """A party card as ``same_card`` compares it: its letters and digits alone (worked out
    once per card written: an audit compares every approver's card at every merge)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum()).upper()


def same_name(a: str, b: str) -> bool:
    """Whether two names may be one person's: alike with diacritics, spacing, case, Unicode
    composition, invisible characters and look-alike letters set aside ("Hòa" and "Hoà",
    "Thủy" and "Thuỷ", "Đ" written as the look-alike "Ð", a Cyrillic "о" for the Latin "o",
    a soft hyphen). Wider than spelling on purpose: it is asked to set a possible subject
    aside, or to ask for a card that tells two entries apart."""
    return name_key(a) == name_key(b)


_LOOK_ALIKES = str.maketrans(
    {
        **dict.fromkeys("ĐđÐðƉɖԁ", "d"),
        # Cyrillic letters drawn as Latin ones (after casefolding: В, Н, М, Т read as b, h,
        # m, t), and Greek ones; a name in a record is written in the Latin script.
        **dict(zip("авсеһіјкмнорѕтухӏԛԝүɡ", "abcehijkmhopstyxlqwyg", strict=True)),
        **dict(zip("αβεηικμνορτυχζγ", "abenikuvoptuxzy", strict=True)),
        **dict(zip("ıɑ", "ia", strict=True)),
    }
)
_CAPITALS = str.maketrans({"\u039d": "n", "\u03a5": "y", "\u0397": "h", "\u039c": "m"})
"""Capitals drawn as another Latin letter than their small letter (Greek Ν as N, ν as v; Υ
as Y, υ as u; Η as H, η as n; Μ as M, μ as u): read before casefolding, which would make
them the small letter."""
_BLANK_LETTERS = str.maketrans(dict.fromkeys("\u115f\u1160\u3164\uffa0\u2800\u180e", None))
"""Characters drawn as nothing though Unicode calls them letters or symbols (the Hangul
fillers, the blank Braille pattern) or no longer a format character (the Mongolian vowel
separator): left out as the invisible format characters are."""
_HIDDEN = frozenset({"Mn", "Me", "Cf"})
"""Marks set aside (tone marks and every other combining mark, whatever its combining class)
and invisible format characters (a soft hyphen, a joiner), which a reader never sees."""


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """A name reduced to its bare letters, for ``same_name`` (worked out once per name
    written, as ``card_digits``): marks and invisible characters left out, letters of other
    scripts that look like Latin ones read as those."""
    plain = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    bare = "".join(c for c in plain if unicodedata.category(c) not in _HIDDEN)
    bare = bare.translate(_BLANK_LETTERS).translate(_CAPITALS)
    return " ".join(bare.casefold().translate(_LOOK_ALIKES).split())


def has_card(member: Member) -> bool:
    """Whether an entry gives a party card at all ("-" or blanks are none)."""
    return bool(member.party_card and card_digits(member.party_card))


@dataclass
class KeyRing:
    """Every member key of one governance, by its wire form, to the people it is listed for."""

    people: dict[bytes, set[str]] = field(default_factory=dict)
    names: dict[str, Member] = field(default_factory=dict)

    def owner(self, blob: bytes) -> tuple[str, Member | None]:
        """("G", member) for a key of exactly one person; ("U", None) for a key of nobody;
        ("A", None) for a key listed for several people."""
        found = self.people.get(blob)
        if not found:
            return "U", None
        if len(found) > 1:
            return "A", None
        return "G", self.names[next(iter(found))]


def _ring(governance: Governance) -> KeyRing:
    ring = KeyRing()
    people: dict[bytes, set[str]] = defaultdict(set)
    for committee in governance.committees.values():
        for member in committee.members:
            for blob in member_keys(member):
                people[blob].add(identity(member))
                ring.names.setdefault(identity(member), member)
    ring.people = dict(people)
    return ring


def keyring(governance: Governance) -> KeyRing:
    found = governance.memo.get("keyring")
    if found is None:
        found = governance.memo["keyring"] = _ring(governance)
    assert isinstance(found, KeyRing)
    return found


@dataclass
class Authors:
    """Everyone who wrote any part of a change: the e-mails (as author and as committer) and
    signing keys of every commit in its range, merges included, and the forge accounts that
    opened it or pushed to it."""

    emails: set[str] = field(default_factory=set)
    keys: set[bytes] = field(default_factory=set)
    forge: ForgeAuthors = field(default_factory=ForgeAuthors)

    def add_email(self, email: str) -> None:
        if email:
            self.emails.add(email.strip().lower())

    def includes(self, member: Member) -> bool:
        if member.email and member.email.strip().lower() in self.emails:
            return True
        if member_keys(member) & self.keys:
            return True
        return self.forge.has("github", member.github, member.github_id) or self.forge.has(
            "gitlab", member.gitlab, member.gitlab_id
        )


def member_for(committee: Committee, approval: Approval) -> tuple[Member | None, str | None]:
    """The committee member an approval comes from, or None and why not (where the reason is
    more than "not a member"). A person listed once per term is matched to the entry serving
    on the approval's day, when there is one."""
    found: list[Member] = []
    mismatch = None
    for member in _candidates(committee, approval):
        fits, why = _fits(member, approval)
        if fits:
            found.append(member)
        elif why:
            mismatch = why
    if not found:
        return None, mismatch
    on = approval.when
    serving = [
        m for m in found if m.term_from <= on and (m.term_until is None or on <= m.term_until)
    ]
    return (serving or found)[0], None


def entries_of(governance: Governance, member: Member) -> list[Member]:
    """Every entry, in every committee, of the person ``member`` is (one person may be listed
    once per committee and term, under other e-mails or accounts): an index made once per
    governance."""
    index = governance.memo.get(("entries",))
    if index is None:
        index = {}
        for committee in governance.committees.values():
            for entry in committee.members:
                index.setdefault(identity(entry), []).append(entry)
        governance.memo[("entries",)] = index
    found: list[Member] = index.get(identity(member), [member])
    return found


_INDEXES: dict[int, tuple[Committee, dict[Any, list[Member]]]] = {}


def _candidates(committee: Committee, approval: Approval) -> list[Member]:
    """The members an approval could come from, by its login, e-mail or key (an index made
    once per committee: an audit asks this for every approval of every merge)."""
    held = _INDEXES.get(id(committee))
    if held is None or held[0] is not committee:
        if len(_INDEXES) > 2048:
            _INDEXES.clear()
        index: dict[Any, list[Member]] = {}
        for member in committee.members:
            for forge, login in (("github", member.github), ("gitlab", member.gitlab)):
                if login:
                    index.setdefault((forge, login.lower()), []).append(member)
            if member.email:
                index.setdefault(("email", member.email.strip().lower()), []).append(member)
            for blob in member_keys(member):
                index.setdefault(("key", blob), []).append(member)
        held = _INDEXES[id(committee)] = (committee, index)
    if approval.source == "signed":
        return held[1].get(("key", approval.key), []) if approval.key else []
    forge = approval.forge if approval.source == "trailer" else approval.source
    if approval.source == "trailer" and not forge:
        return held[1].get(("email", approval.who.strip().lower()), [])
    return held[1].get((forge, approval.who.lower()), [])


def _fits(member: Member, approval: Approval) -> tuple[bool, str | None]:
    if approval.source == "signed":
        return approval.key is not None and approval.key in member_keys(member), None
    forge = approval.forge if approval.source == "trailer" else approval.source
    if approval.source == "trailer" and not forge:
        email = (member.email or "").strip().lower()
        return bool(email) and email == approval.who.strip().lower(), None
    login = member.github if forge == "github" else member.gitlab
    pinned = member.github_id if forge == "github" else member.gitlab_id
    if not login or login.lower() != approval.who.lower():
        return False, None
    if pinned is not None and approval.user_id != pinned:
        return False, (
            f"tài khoản {approval.who} có mã số {approval.user_id or 'không rõ'}, khác mã số "
            f"{pinned} ghi trong governance/committees.yaml (tài khoản đổi tên hoặc dùng lại)"
        )
    return True, None
