"""Loading the governance files and checking that they agree with each other."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from hoso import yamlio
from hoso.git import Repo, kind_of
from hoso.governance import GOVERNANCE_FILES, Governance
from hoso.models.governance import CommitteesFile, Member, PolicyFile, SettingsFile, UnitsFile
from hoso.repo import Unreadable, read_record
from hoso.validate.cache import store_governance, stored_governance
from hoso.validate.findings import Finding, field_path
from hoso.validate.record import Loc, parse, validate_model

_PARENT_LEVELS = {
    "province": (),
    "district": ("province",),
    "grassroots": ("district",),
    "partial": ("grassroots",),
    "cell": ("grassroots", "partial"),
}


def load_governance(root: Path) -> tuple[Governance, list[Finding]]:
    """Read every governance file that exists; a broken one yields findings, not an exception.

    Parsed once per distinct content in a process, and kept in the git directory for the next
    command: the committees file is large, and a pre-commit hook or a clerk's command should
    not wait for it. The governance's ``source`` names the bytes it was loaded from.
    """
    contents, unreadable = governance_contents(root)
    governance, findings = _remembered(root, contents)
    if unreadable:
        kept = [f for f in findings if f.rule != "governance.missing" or f.file not in unreadable]
        findings = [*unreadable.values(), *kept]
    return governance, findings


def governance_contents(root: Path) -> tuple[tuple[bytes | None, ...], dict[str, Finding]]:
    """The governance files' bytes in ``GOVERNANCE_FILES`` order (None for a file that is
    absent or cannot be read as one), and why each unreadable one could not be."""
    contents: list[bytes | None] = []
    unreadable: dict[str, Finding] = {}
    linked = os.path.islink(root / "governance")
    for rel, _ in GOVERNANCE_FILES.values():
        if linked:  # the files are read through the link: from wherever it points
            contents.append(None)
            unreadable[rel] = Finding(
                rel,
                1,
                1,
                "",
                "governance.not_regular",
                "thư mục governance/ là một liên kết tượng trưng, không phải thư mục thường: "
                "tệp quản trị không được đọc qua liên kết",
            )
            continue
        try:
            contents.append(read_record(root, rel, cap=yamlio.GOVERNANCE_MAX_BYTES))
        except Unreadable as exc:
            contents.append(None)
            if exc.rule != "record.missing":
                unreadable[rel] = Finding(rel, 1, 1, "", exc.rule, exc.message)
    return tuple(contents), unreadable


def contents_key(contents: tuple[bytes | None, ...]) -> str:
    """A digest of governance files' bytes (``governance_contents``): each file's length
    before it, so no bytes moved from one file to the next give the same key."""
    digest = hashlib.sha256()
    for raw in contents:
        digest.update(b"-\0" if raw is None else b"%d\0" % len(raw))
        digest.update(raw or b"")
    return digest.hexdigest()


GATE_ONLY = frozenset({"governance.identity", "governance.conflict"})
"""Errors about who may approve (one account for two people, a namesake without a card, a
declared conflict that bars nobody): the gate stops every merge while one stands, but they
change nothing in how a record is judged, so writing and reading records go on."""


def broken(findings: list[Finding], gate: bool = False) -> list[Finding]:
    """The errors in the governance files among ``findings`` that change how records are
    judged (with ``gate``, also those about who may approve): while any stands, names, rules
    and who may decide are not known for sure."""
    return [
        f
        for f in findings
        if f.severity == "error"
        and f.file.startswith("governance/")
        and (gate or f.rule not in GATE_ONLY)
    ]


def said(errors: list[Finding], what: str) -> str:
    """Why a command will not go on while governance files have errors, each named."""
    from hoso.validate.report import line

    head = (
        f"tệp quản trị (governance/) có lỗi nên {what}; báo người quản lý kho sửa trước "
        "(xem 'hoso validate'):"
    )
    return "\n".join([head, *(f"  {line(f)}" for f in errors)])


def sound_governance(root: Path, what: str) -> Governance:
    """The governance a command that must rely on it uses (one that writes a record, or that
    filters by unit): refused, with every error named, while a governance file has one."""
    from hoso.errors import HosoError

    governance, findings = load_governance(root)
    errors = broken(findings)
    if errors:
        raise HosoError(said(errors, what))
    return governance


def load_governance_bytes(
    contents: tuple[bytes | None, ...],
) -> tuple[Governance, list[Finding]]:
    """The same from file contents in ``GOVERNANCE_FILES`` order (None where a file is absent,
    ``not_regular(mode)`` where the path is no regular file), e.g. as they stand at a commit."""
    return _load(contents)


_NOT_REGULAR = b"\0hoso: not a regular file: "


def not_regular(mode: str) -> bytes:
    """What stands for a governance path that is a symlink, a folder or a submodule at a
    commit: loaded, it is a broken file (an error naming what the path is), as an invalid
    one is, never an absent one or the symlink's target read as the file."""
    return _NOT_REGULAR + mode.encode()


def not_regular_mode(raw: bytes | None) -> str | None:
    """The mode ``not_regular`` stands for in ``raw`` (None for a file's contents)."""
    if raw is None or not raw.startswith(_NOT_REGULAR):
        return None
    return raw[len(_NOT_REGULAR) :].decode("ascii", "replace")


def governance_at(repo: Repo, rev: str) -> tuple[Governance, list[Finding]]:
    """The governance files as they stand at ``rev``, loaded: a path there that is not a
    regular file is an error of that file (see ``not_regular``); an object git cannot read
    stops the command."""
    paths = [rel for rel, _ in GOVERNANCE_FILES.values()]
    contents, odd = repo.regular_files_at(rev, paths)
    return load_governance_bytes(
        tuple(not_regular(odd[p]) if p in odd else contents[p] for p in paths)
    )


@lru_cache(maxsize=4)
def _remembered(root: Path, contents: tuple[bytes | None, ...]) -> tuple[Governance, list[Finding]]:
    stored, key = stored_governance(root, contents)
    if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], Governance):
        governance, findings = stored[0], list(stored[1])
    else:
        governance, findings = _load(contents)
        blank = dataclasses.replace(governance, memo={}, _lines={})
        store_governance(root, key, (blank, findings))
    governance.source = contents_key(contents)
    return governance, findings


@lru_cache(maxsize=4)
def _load(contents: tuple[bytes | None, ...]) -> tuple[Governance, list[Finding]]:
    loaded: dict[str, Any] = {}
    texts: dict[str, yamlio.Locator] = {}
    findings: list[Finding] = []
    for (name, (rel, model)), raw in zip(GOVERNANCE_FILES.items(), contents, strict=True):
        if raw is None:
            if name in ("units", "committees"):
                findings.append(Finding(rel, 1, 1, "", "governance.missing", "thiếu tệp quản trị"))
            continue
        mode = not_regular_mode(raw)
        if mode is not None:
            message = f"không phải tệp thường ({kind_of(mode)}): tệp quản trị chỉ là tệp thường"
            findings.append(Finding(rel, 1, 1, "", "governance.not_regular", message))
            continue
        text, data, problems = parse(raw, yamlio.GOVERNANCE_MAX_BYTES)
        if data is not None and text is not None:
            texts[name] = yamlio.Locator(text)
            loaded[name], problems = validate_model(texts[name], data, model)
        findings.extend(_in(rel, problems))
    governance = Governance.from_files(
        loaded.get("units"), loaded.get("committees"), loaded.get("policy"), loaded.get("settings")
    )
    findings.extend(_consistency(loaded, texts))
    return governance, findings


def _in(rel: str, findings: list[Finding]) -> Iterator[Finding]:
    for f in findings:
        yield Finding(rel, f.line, f.column, f.field, f.rule, f.message, f.severity)


def _consistency(loaded: dict[str, Any], texts: dict[str, yamlio.Locator]) -> Iterator[Finding]:
    units: UnitsFile | None = loaded.get("units")
    committees: CommitteesFile | None = loaded.get("committees")
    settings: SettingsFile | None = loaded.get("settings")
    codes = {u.code: u for u in units.units} if units else {}

    def at(name: str, loc: Loc, rule: str, message: str) -> Finding:
        line, column = texts[name](loc)
        return Finding(GOVERNANCE_FILES[name][0], line, column, field_path(loc), rule, message)

    if units:
        counts = Counter(u.code for u in units.units)
        yield from (
            at(
                "units",
                ("units", i, "code"),
                "governance.duplicate",
                f"mã đơn vị {u.code!r} bị lặp",
            )
            for i, u in enumerate(units.units)
            if counts[u.code] > 1
        )
        for i, unit in enumerate(units.units):
            parent = codes.get(unit.parent) if unit.parent else None
            expected = _PARENT_LEVELS[unit.level]
            if unit.parent and parent is None:
                yield at(
                    "units",
                    ("units", i, "parent"),
                    "governance.reference",
                    f"đơn vị cấp trên {unit.parent!r} không tồn tại",
                )
            elif (parent.level if parent else None) not in (expected or (None,)):
                yield at(
                    "units",
                    ("units", i, "parent"),
                    "governance.tree",
                    f"đơn vị cấp {unit.level} phải trực thuộc cấp "
                    f"{' hoặc '.join(expected) or '(không có)'}; nhận được "
                    f"{parent.level if parent else 'không có'}",
                )
            if unit.authorised_to_admit and unit.grassroots_type != "committee":
                yield at(
                    "units",
                    ("units", i, "authorised_to_admit"),
                    "governance.authorised",
                    "chỉ đảng ủy cơ sở (grassroots_type: committee) mới được ủy quyền kết nạp",
                )
    if committees:
        seen: set[str] = set()
        for i, committee in enumerate(committees.committees):
            expected_id = f"{committee.unit}.{committee.kind}"
            if committee.id in seen:
                yield at(
                    "committees",
                    ("committees", i, "id"),
                    "governance.duplicate",
                    f"mã tập thể {committee.id!r} bị lặp",
                )
            seen.add(committee.id)
            if committee.id != expected_id:
                yield at(
                    "committees",
                    ("committees", i, "id"),
                    "governance.committee_id",
                    f"mã tập thể phải là {expected_id!r}; nhận được {committee.id!r}",
                )
            if codes and committee.unit not in codes:
                yield at(
                    "committees",
                    ("committees", i, "unit"),
                    "governance.reference",
                    f"đơn vị {committee.unit!r} không tồn tại",
                )
            for j, member in enumerate(committee.members):
                if member.term_until and member.term_until < member.term_from:
                    yield at(
                        "committees",
                        ("committees", i, "members", j, "term_until"),
                        "governance.term",
                        "ngày kết thúc nhiệm kỳ trước ngày bắt đầu",
                    )
    if committees:
        yield from _one_person_per_identity(committees, at)
        yield from _namesakes_without_card(committees, at)
        if settings:
            yield from _cards_as_written(committees, settings, at)
    policy: PolicyFile | None = loaded.get("policy")
    if policy and committees:
        yield from _conflicts_of_nobody(policy, committees, at)
    if policy:
        yield from _conflicts_of_nothing(policy, set(codes), at)
    if settings:
        yield from (
            at("settings", ("rule_overrides", key), "governance.rule_override", why)
            for key, why in _override_problems(settings)
        )
    if settings and codes and settings.province not in codes:
        yield at(
            "settings",
            ("province",),
            "governance.reference",
            f"đơn vị {settings.province!r} không tồn tại",
        )


def _one_person_per_identity(committees: CommitteesFile, at: Any) -> Iterator[Finding]:
    """A login, user id, e-mail or key belongs to one person: otherwise an approval could not
    be told apart from another person's, or one person could count twice."""
    from hoso.review.people import identity, member_keys

    owners: dict[tuple[str, Any], set[str]] = {}
    places: dict[tuple[str, Any], list[tuple[int, int, str]]] = {}
    for i, committee in enumerate(committees.committees):
        for j, member in enumerate(committee.members):
            marks: list[tuple[str, Any, str]] = [
                ("github", (member.github or "").lower() or None, "github"),
                ("github_id", member.github_id, "github_id"),
                ("gitlab", (member.gitlab or "").lower() or None, "gitlab"),
                ("gitlab_id", member.gitlab_id, "gitlab_id"),
                ("email", (member.email or "").strip().lower() or None, "email"),
            ]
            marks += [("ssh_keys", blob, "ssh_keys") for blob in member_keys(member)]
            for kind, value, field in marks:
                if value is None:
                    continue
                owners.setdefault((kind, value), set()).add(identity(member))
                places.setdefault((kind, value), []).append((i, j, field))
    for key, people in owners.items():
        if len(people) < 2:
            continue
        for i, j, field in places[key]:
            yield at(
                "committees",
                ("committees", i, "members", j, field),
                "governance.identity",
                f"{field} này được ghi cho {len(people)} người khác nhau (khác số thẻ đảng viên): "
                "mỗi tài khoản, email, khóa chỉ thuộc một người",
            )


def _namesakes_without_card(committees: CommitteesFile, at: Any) -> Iterator[Finding]:
    """Two entries of one name where either has no party card: they may be one person listed
    twice (under two accounts), who would count twice; only the cards can tell."""
    from hoso.review.people import has_card, identity, name_key

    entries = [
        (i, j, member)
        for i, committee in enumerate(committees.committees)
        for j, member in enumerate(committee.members)
    ]
    by_name: dict[str, list[tuple[int, int, Member]]] = {}
    for i, j, member in entries:
        by_name.setdefault(name_key(member.name), []).append((i, j, member))
    for same in by_name.values():
        if len({identity(m) for _, _, m in same}) < 2:
            continue
        if all(has_card(m) for _, _, m in same):
            continue  # namesakes told apart by their cards
        for i, j, member in same:
            if has_card(member):
                continue
            yield at(
                "committees",
                ("committees", i, "members", j, "name"),
                "governance.identity",
                f"{member.name!r} được ghi nhiều lần với những tài khoản, email khác nhau và "
                "không đủ số thẻ đảng viên để biết là một người hay nhiều người: ghi số thẻ "
                "đảng viên cho mỗi lần ghi tên (một người chỉ được tính một lần)",
            )


def _cards_as_written(
    committees: CommitteesFile, settings: SettingsFile, at: Any
) -> Iterator[Finding]:
    """A member's card that is not a card (``party_card_pattern``, spaces and dots aside):
    such an entry could not be told apart from another, nor from the subject of a record."""
    import re

    from hoso.review.people import card_digits

    for i, committee in enumerate(committees.committees):
        for j, member in enumerate(committee.members):
            card = member.party_card
            if card is not None and not re.fullmatch(
                settings.party_card_pattern, card_digits(card)
            ):
                yield at(
                    "committees",
                    ("committees", i, "members", j, "party_card"),
                    "governance.identity",
                    f"số thẻ đảng viên {card!r} không đúng mẫu của tỉnh "
                    f"({settings.party_card_pattern}): ghi đúng số thẻ, hoặc bỏ trống nếu chưa có",
                )


def _conflicts_of_nobody(
    policy: PolicyFile, committees: CommitteesFile, at: Any
) -> Iterator[Finding]:
    """A declared conflict bars a member by card: one whose card is no member's bars nobody,
    silently (a card mistyped, or a member listed without one)."""
    from hoso.review.people import same_card

    cards = [m.party_card for c in committees.committees for m in c.members if m.party_card]
    for n, declared in enumerate(policy.conflicts):
        if not any(same_card(declared.party_card, card) for card in cards):
            yield at(
                "policy",
                ("conflicts", n, "party_card"),
                "governance.conflict",
                "số thẻ đảng viên này không khớp với thành viên nào trong "
                "governance/committees.yaml, nên khai báo xung đột lợi ích không ngăn được ai: "
                "kiểm tra lại số thẻ, và ghi số thẻ cho thành viên đó trong committees.yaml",
            )


def _conflicts_of_nothing(policy: PolicyFile, units: set[str], at: Any) -> Iterator[Finding]:
    """A declared conflict bars a member from the cases it names by id and the records of the
    units it names: a unit that units.yaml does not list (a typo, a committee's id), an id no
    record can have, or a conflict naming neither bars the member from nothing, silently."""
    import re

    from hoso.models.common import CASE_ID_PATTERN

    for n, declared in enumerate(policy.conflicts):
        if not declared.cases and not declared.units:
            yield at(
                "policy",
                ("conflicts", n),
                "governance.conflict",
                "khai báo xung đột lợi ích không ghi hồ sơ (cases) hay đơn vị (units) nào, nên "
                "không ngăn được người đó phê duyệt hồ sơ nào",
            )
        for i, case in enumerate(declared.cases):
            if not re.fullmatch(CASE_ID_PATTERN, case):
                yield at(
                    "policy",
                    ("conflicts", n, "cases", i),
                    "governance.conflict",
                    f"{case!r} không phải mã hồ sơ (ví dụ KN-2026-4k7qzm, như trường id của hồ "
                    "sơ), nên khai báo xung đột lợi ích không ngăn được ai phê duyệt hồ sơ nào",
                )
        for i, unit in enumerate(declared.units):
            if units and unit not in units:
                yield at(
                    "policy",
                    ("conflicts", n, "units", i),
                    "governance.conflict",
                    f"đơn vị {unit!r} không có trong governance/units.yaml (ghi mã đơn vị, không "
                    "ghi mã tập thể), nên khai báo xung đột lợi ích không ngăn được ai",
                )


def _override_problems(settings: SettingsFile) -> Iterator[tuple[str, str]]:
    """Overrides that would be ignored: an unknown rule, a firm rule, or the wrong kind of
    value (a share for a count, a count for a share)."""
    from hoso.rules.rulesets import RULE_SETS, overridable, parse_override

    known = {key for rule_set in RULE_SETS for key in rule_set.values}
    changeable = overridable()
    for key, amount in settings.rule_overrides.items():
        if key not in known:
            yield key, f"không có quy định mã {key!r} trong bộ quy định"
        elif key not in changeable:
            yield key, f"quy định {key!r} do văn bản quy định chắc chắn, tỉnh không thay được"
        elif (changeable[key].unit == "ratio") != isinstance(amount, str) or parse_override(
            amount
        ) is None:
            shape = 'một tỷ lệ dạng "2/3"' if changeable[key].unit == "ratio" else "một số nguyên"
            yield key, f"giá trị cho {key!r} phải là {shape}; nhận được {amount!r}"
