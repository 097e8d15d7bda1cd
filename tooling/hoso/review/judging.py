"""One committee's approval of one changed file: whose approvals count, per person.

Each approval is first tied to a member (``people.member_for``), then weighed: the signature,
the member's term on a day the approver did not write, conflicts (author, subject, declared),
the assurance the rule asks for, and whether it approved the file's final content replacing
the content the change replaces (a signed approval of another change is stale). A person
counts once however many ways they approved; a rejection stands until the same person approves
the final content in a later commit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hoso import clock
from hoso.git import NO_OBJECT
from hoso.models.governance import Committee, Member, Requirement
from hoso.review.approvals import Approval
from hoso.review.changes import Change
from hoso.review.people import entries_of, identity, member_for, same_card, same_name

if TYPE_CHECKING:
    from hoso.review.gate import Evidence

UNREADABLE = "?"
"""In ``Evidence.reviewed``: the approved commit is not in this clone."""

ASSURANCE_LABELS = {"forge": "phê duyệt trên nền tảng hoặc có chữ ký", "signed": "có chữ ký SSH"}
LAPSED = "lapsed"
ASSURANCE = "quy tắc yêu cầu phê duyệt có chữ ký SSH (hoso approve)"
DROPPED = "nằm trong lịch sử mà một lần đẩy đè (force-push) đã bỏ: không tính vào số phê duyệt"

_SIGNATURE_REASONS = {
    "U": "khóa ký không thuộc ai trong governance/committees.yaml (nhánh gốc)",
    "A": "khóa ký được khai báo cho nhiều người trong governance/committees.yaml",
    "B": "chữ ký không hợp lệ",
    "N": "commit không có chữ ký",
    "F": "commit phê duyệt có thay đổi tệp hoặc là commit hợp nhất: không phải phê duyệt",
}


@dataclass
class Need:
    """One committee's approval that one record needs."""

    rule: str
    description: str
    source: str | None
    committee: str
    committee_name: str
    needed: int
    assurance: str
    counted: list[tuple[Member, Approval]] = field(default_factory=list)
    """One entry per person."""
    also: list[tuple[Member, Approval]] = field(default_factory=list)
    """Further approvals by a person already counted (not counted again)."""
    excluded: list[tuple[Approval, str]] = field(default_factory=list)
    lapsed: list[tuple[Approval, str]] = field(default_factory=list)
    rejections: list[tuple[Member, Approval]] = field(default_factory=list)
    can_still: list[Member] = field(default_factory=list)
    problem: str | None = None

    @property
    def met(self) -> bool:
        return self.problem is None and not self.rejections and len(self.counted) >= self.needed


def needed_count(req: Requirement, serving: int) -> int:
    """How many people a requirement needs: its count and its share of the members serving,
    whichever is more (the share counted exactly: 0.56 of 25 is 14, not 15)."""
    share = math.ceil(Fraction(str(req.fraction)) * serving) if req.fraction is not None else 0
    return max(1, req.count or 0, share)


def serves(member: Member, on: date) -> bool:
    return member.term_from <= on and (member.term_until is None or on <= member.term_until)


def serving(committee: Committee, on: date) -> list[Member]:
    """The distinct people serving on ``on``."""
    unique: dict[str, Member] = {}
    for member in committee.members:
        if serves(member, on):
            unique.setdefault(identity(member), member)
    return list(unique.values())


def judge_need(
    req: Requirement, rule: Any, change: Change, committee_id: str, evidence: Evidence
) -> Need:
    committee = evidence.governance.committees.get(committee_id)
    need = Need(
        rule=rule.id if rule else "corrections",
        description=rule.description if rule else "Đính chính hồ sơ đã ghi",
        source=rule.source if rule else None,
        committee=committee_id,
        committee_name=committee.name if committee else committee_id,
        needed=req.count or 1,
        assurance=req.assurance,
    )
    if committee is None:
        need.problem = (
            f"không có tập thể {committee_id} trong governance/committees.yaml của nhánh gốc"
        )
        return need
    wanted = req.fraction is not None or evidence.hints
    now = serving(committee, evidence.today) if wanted else []
    need.needed = needed_count(req, len(now))
    people: dict[str, list[tuple[Member, Approval, str | None]]] = defaultdict(list)
    for approval in evidence.approvals:
        if approval.path is not None and approval.path != change.path:
            continue
        member, mismatch = member_for(committee, approval)
        if member is None:
            need.excluded.append((approval, mismatch or _not_member(approval, committee)))
            continue
        why = _why_not(approval, member, req, change, evidence) or _before_term(
            approval, member, committee
        )
        people[identity(member)].append((member, approval, why))
    for items in people.values():
        _weigh(need, items, change, evidence)
    # Whoever counted or stands rejecting has had their say; one whose approval lapsed or went
    # stale is told to approve again, so is still among those who can.
    decided = {identity(m) for m, _ in (*need.counted, *need.also, *need.rejections)}
    need.can_still = [
        m
        for m in (now if evidence.hints else [])
        if identity(m) not in decided
        and _conflict(m, change, evidence) is None
        and (req.assurance != "signed" or m.ssh_keys)
    ]
    return need


def _not_member(approval: Approval, committee: Committee) -> str:
    if approval.source == "signed" and approval.signature in _SIGNATURE_REASONS:
        return _SIGNATURE_REASONS[approval.signature]
    return f"không phải thành viên {committee.name} theo governance/committees.yaml (nhánh gốc)"


def _weigh(
    need: Need,
    items: list[tuple[Member, Approval, str | None]],
    change: Change,
    evidence: Evidence,
) -> None:
    """One person's approvals and rejections: counted once, blocked by a rejection that no
    later approval of the final content answers, or set aside with the reason.

    A rejection stands whatever its maker wrote of the change (an e-mail in a commit can make
    anyone an "author"): only a signature that fails, a term not served, a conflict the
    governance declares or being the case's subject in its approved version sets it aside.
    An approval that cannot count (a forge approval where a signature is required, or one
    in a head a force-push dropped) can still answer that person's own rejection."""
    good = [(m, a) for m, a, why in items if why is None and a.verdict == "approve"]
    lifts = [
        a for m, a, why in items if a.verdict == "approve" and why in (None, ASSURANCE, DROPPED)
    ]
    rejections = [
        (m, a)
        for m, a, _ in items
        if a.verdict == "reject" and _rejection_void(a, m, change, evidence) is None
    ]
    standing = [(m, r) for m, r in rejections if not any(_answers(a, r, evidence) for a in lifts)]
    if standing:
        need.rejections.append(standing[0])
        if standing[0][1].elsewhere:  # said only of a GitLab approval this person gave
            need.excluded += [(a, _UNTIMED) for _, a in good if a.source == "gitlab"]
    elif good:
        need.counted.append(good[0])
        need.also += good[1:]
    for member, approval, why in items:
        if approval.verdict == "reject":
            void = _rejection_void(approval, member, change, evidence)
            if void is not None:
                need.excluded.append((approval, f"yêu cầu sửa không tính: {void}"))
            continue
        if why == LAPSED:
            need.lapsed.append((approval, _lapse_reason(approval, change, evidence)))
        elif why is not None:
            need.excluded.append((approval, why))


_UNTIMED = (
    "GitLab không cho biết thời điểm phê duyệt nên không tính là sau yêu cầu sửa ở nhánh khác: "
    "ký phê duyệt bằng hoso approve"
)


def _rejection_void(
    rejection: Approval, member: Member, change: Change, evidence: Evidence
) -> str | None:
    if rejection.source == "signed" and rejection.signature != "G":
        return _SIGNATURE_REASONS.get(rejection.signature, "chữ ký không được công nhận")
    if not serves(member, rejection.when):
        return "ngoài nhiệm kỳ"
    declared = _declared_conflict(member, change.versions, evidence)
    if declared:
        return declared
    old = change.old if isinstance(change.old, dict) else None
    subject = old.get("subject") if old and isinstance(old.get("subject"), dict) else None
    card = subject.get("party_card") if subject else None
    if member.party_card and card is not None and same_card(card, member.party_card):
        return "là người được xem xét trong hồ sơ"
    return None


def _answers(approval: Approval, rejection: Approval, evidence: Evidence) -> bool:
    """Whether ``approval`` came after ``rejection`` in the commit graph (a forge's own
    ordering of one account's reviews has already been applied)."""
    if approval.source == rejection.source and approval.source in ("github", "gitlab"):
        return False  # the forge's latest word was the rejection
    if rejection.dropped:
        # Dropped by a force-push: in the branch as it is now, nothing can come after it in the
        # graph. A signed approval after it in the same dropped history answers it; otherwise
        # only the forge's own clock orders it: an approval on the forge after the push that
        # dropped it (GitLab resets approvals on every push: a current one is later).
        if approval.dropped == rejection.dropped:
            return _after(evidence, rejection.commit, approval.commit)
        if approval.source == "gitlab":
            # GitLab gives no time of an approval: it is later only than a push to this
            # merge request (which resets approvals), never than a rejection on another branch.
            return not rejection.elsewhere
        if approval.source == "signed":  # one person's two signed words, in their own order
            return _later(approval.at, rejection.at)
        return approval.source == "github" and _later(approval.at, rejection.dropped_at)
    return _after(evidence, rejection.commit, approval.commit)


def _later(then: datetime | None, before: datetime | None) -> bool:
    return then is not None and before is not None and then > before


def _after(evidence: Evidence, earlier: str, later: str) -> bool:
    """Whether ``later`` has ``earlier`` in its history and is not it: a verdict given on the
    very commit of a signed one (a forge review, or GitLab's reviewer state read at the head)
    came after it, so on one commit a rejection is never answered."""
    if evidence.ancestor is None or not earlier or not later or earlier == later:
        return False
    try:
        return evidence.ancestor(earlier, later)
    except Exception:  # an unreadable commit never lifts a rejection
        return False


def _why_not(
    approval: Approval,
    member: Member,
    req: Requirement,
    change: Change,
    evidence: Evidence,
) -> str | None:
    if approval.source == "signed" and approval.signature != "G":
        return _SIGNATURE_REASONS.get(
            approval.signature, f"chữ ký không được công nhận ({approval.signature})"
        )
    if approval.source == "trailer" and not approval.verified:
        return (
            "ghi trong commit hợp nhất không có chữ ký của nền tảng: lời khai, không phải phê duyệt"
        )
    if not serves(member, approval.when):
        end = f"{member.term_until:%d/%m/%Y}" if member.term_until else "nay"
        return (
            f"ngoài nhiệm kỳ vào ngày {approval.when:%d/%m/%Y} (nhiệm kỳ "
            f"{member.term_from:%d/%m/%Y} đến {end})"
        )
    conflict = _conflict(member, change, evidence)
    if conflict:
        return conflict
    if approval.verdict == "approve" and not _binds(approval, change, evidence):
        return LAPSED
    if approval.verdict == "approve" and approval.source == "signed":
        stale = _stale(approval, change, evidence)
        if stale:
            return stale
    if approval.dropped:
        return DROPPED
    if req.assurance == "signed" and approval.source != "signed" and approval.verdict == "approve":
        return ASSURANCE
    return None


def _before_term(approval: Approval, member: Member, committee: Committee) -> str | None:
    """A GitHub approval given (by the forge's own clock, not a time the approver wrote) on a
    day the approver served under no entry of the committee: given before the term began,
    it is not a member's approval, whenever the gate is run again."""
    if approval.source != "github" or approval.verdict != "approve" or approval.at is None:
        return None
    day = clock.today(approval.at)
    person = identity(member)
    if any(serves(m, day) for m in committee.members if identity(m) == person):
        return None
    return (
        f"ngoài nhiệm kỳ lúc phê duyệt trên GitHub, ngày {day:%d/%m/%Y} (nhiệm kỳ từ "
        f"{member.term_from:%d/%m/%Y}): phê duyệt lại sau khi nhận nhiệm vụ"
    )


def _conflict(member: Member, change: Change, evidence: Evidence) -> str | None:
    """Author, someone the record is about (in the old or the new version: the case's subject,
    a member ranked, a member of the organisation under discipline) or a declared conflict."""
    # The person, not the entry: one listed twice may write under one e-mail or account and
    # approve under the other.
    entries = [member, *entries_of(evidence.governance, member)]
    if any(evidence.authors.includes(entry) for entry in entries):
        return "là tác giả của thay đổi này (không tự phê duyệt)"
    versions = change.versions
    for data in versions:
        for person, role in _people_in(data):
            card = person.get("party_card")
            if member.party_card and card is not None and same_card(card, member.party_card):
                return f"là người {role} trong hồ sơ"
            name = person.get("name")
            if isinstance(name, str) and same_name(name, member.name):
                # A card mistyped in the record (or left out) must not let the person approve
                # their own case: a namesake is set aside, and another member approves.
                why = (
                    "hồ sơ không ghi số thẻ đảng viên"
                    if card is None or not member.party_card
                    else "số thẻ đảng viên trong hồ sơ khác, nhưng có thể là ghi nhầm"
                )
                return f"có thể là người {role} trong hồ sơ (họ tên trùng; {why})"
        found = _of_the_organisation(member, data, evidence)
        if found:
            return found
    return _declared_conflict(member, versions, evidence)


def _people_in(data: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The people a version of a record is about, each with what the record does to them."""
    subject = data.get("subject")
    found = [(subject, "được xem xét")] if isinstance(subject, dict) else []
    if data.get("kind") == "ranking" and isinstance(data.get("members"), list):
        found += [(m, "được đánh giá, xếp loại") for m in data["members"] if isinstance(m, dict)]
    return found


def _of_the_organisation(member: Member, data: dict[str, Any], evidence: Evidence) -> str | None:
    """A member of the organisation under discipline: of the committee it names, or of any
    committee of the unit it names and the units under it."""
    organisation = data.get("organisation")
    if data.get("kind") != "org_discipline" or not isinstance(organisation, str):
        return None
    governance = evidence.governance
    for committee in governance.committees.values():
        inside = committee.id == organisation or (
            organisation in governance.units and governance.is_within(committee.unit, organisation)
        )
        if inside and any(_same_person(m, member) for m in committee.members):
            return (
                f"là thành viên {committee.name}, thuộc tổ chức đảng bị xem xét kỷ luật trong hồ sơ"
            )
    return None


def _same_person(a: Member, b: Member) -> bool:
    """Two entries of committees.yaml for one person: by party card where both have one, else
    by e-mail or by name (an entry may leave the card out)."""
    if a.party_card and b.party_card:
        return same_card(a.party_card, b.party_card)
    if a.email and b.email and a.email.strip().lower() == b.email.strip().lower():
        return True
    return same_name(a.name, b.name)


def _declared_conflict(
    member: Member, versions: list[dict[str, Any]], evidence: Evidence
) -> str | None:
    policy = evidence.governance.policy
    for declared in policy.conflicts if policy else []:
        if not member.party_card or not same_card(declared.party_card, member.party_card):
            continue
        reported = _reported(versions)
        for data in versions:
            places = _places(data) | reported
            if data.get("id") in declared.cases or any(
                evidence.governance.is_within(place, unit)
                for place in places
                for unit in declared.units
            ):
                return f"có xung đột lợi ích đã khai báo: {declared.reason}"
    return None


def _places(data: dict[str, Any]) -> set[str]:
    """The units a version of a record concerns: its own unit, the member's cell, the
    organisation (for a committee, the unit it leads), the cells of the members a ranking
    lists."""
    found = {data.get("unit"), data.get("cell"), data.get("organisation")}
    for key, field_ in (("members", "cell"), ("cells", "organisation")):
        if isinstance(data.get(key), list):
            found |= {m.get(field_) for m in data[key] if isinstance(m, dict)}
    places = {str(p) for p in found if isinstance(p, str) and p}
    return places | {p.rsplit(".", 1)[0] for p in places if "." in p}


def _reported(versions: list[dict[str, Any]]) -> set[str]:
    """The units whose progress reports on a plan the change adds, removes or alters (a plan
    gathers every unit's reports: the ones it already held are not this change's)."""
    lists = [
        [r for r in d["reports"] if isinstance(r, dict)]
        if isinstance(d.get("reports"), list)
        else []
        for d in versions
    ]
    changed = lists[0] if len(lists) == 1 else []
    if len(lists) == 2:
        changed = [r for r in lists[0] if r not in lists[1]] + [
            r for r in lists[1] if r not in lists[0]
        ]
    return {r["unit"] for r in changed if isinstance(r.get("unit"), str) and r["unit"]}


def _binds(approval: Approval, change: Change, evidence: Evidence) -> bool:
    """An approval holds only for the file content it approved."""
    head = evidence.head_blobs.get(change.path)
    if approval.source == "signed":
        approved = None if approval.blob == NO_OBJECT else approval.blob
        return approved == head
    return evidence.reviewed.get(f"{approval.commit}:{change.path}") == head


STALE = "phê duyệt cũ"
"""How the reason for a signed approval of another change begins."""


def _stale(approval: Approval, change: Change, evidence: Evidence) -> str | None:
    """Why a signed approval of the final content is not an approval of this change: it
    names another content replaced than the merge base holds (an approval signed for another
    change that ended at the same content, say on a branch never merged); or the target
    changed the file after the approval was signed, even if back to the same content (a
    change the commission undid cannot come back on an approval of the first time); or, in
    the earlier form that names no content replaced, the signer's target cannot be known.

    Where the approval commit has the merge base in its history, the target branch stood at
    that base when the approval was signed (a target that only moves on by new merge commits
    never comes to stand on a commit made before), so the signer's gate compared the same two
    contents this one does. Signed on a branch that has not taken in the target since, it
    holds only as long as the target's own line has not touched the file since the newest
    commit of that line the approval holds."""
    where = f"commit phê duyệt {approval.commit[:10]}, tệp {change.path}"
    again = (
        "Người có thẩm quyền cần phê duyệt lại đúng thay đổi này (hoso approve trên nhánh đã "
        "cập nhật theo nhánh đích)"
    )
    replaced = evidence.base_blobs.get(change.path)
    named = None if approval.base in (None, NO_OBJECT) else approval.base
    if approval.base is not None and named != replaced:
        now = _content(evidence.head_blobs.get(change.path))
        return (
            f"{STALE} ({where}): ký cho thay đổi từ {_content(named)} sang "
            f"{_content(approval.blob)}, còn thay đổi này thay {_content(replaced)} trên nhánh "
            f"đích (commit {evidence.merge_base[:10]}) bằng {now}; người ký chưa xem xét thay "
            f"đổi này. {again}"
        )
    if _holds(evidence, approval.commit, evidence.merge_base):
        return None
    # A named content replaced that the merge base holds: the target's own changes to the
    # file that the approval commit already held (a branch stacked on another, approved after
    # the other was merged) are what the signer saw replaced. An earlier-form approval names
    # none, so only a target that did not touch the file tells what it replaced.
    moved = _changed_since(evidence, approval.commit, change.path, approval.base is not None)
    if moved is False:
        return None
    if approval.base is None:
        return (
            f"{STALE} ({where}): ký theo mẫu cũ, không ghi nội dung được thay thế (dòng "
            "Hoso-Base), và từ lúc ký nhánh đích đã sửa tệp này (hoặc không biết lúc ký nhánh "
            f"đích ở đâu), nên không biết người ký đã xem thay đổi từ nội dung nào. {again}"
        )
    if moved is None:
        return (
            f"{STALE} ({where}): commit phê duyệt không nằm trên nhánh nào tách ra từ nhánh "
            f"đích (không chứa commit nào của nhánh đích), nên không biết lúc ký nhánh đích "
            f"ở đâu. {again}"
        )
    return (
        f"{STALE} ({where}): từ lúc ký, nhánh đích đã sửa tệp này (kể cả khi sau đó trở lại "
        "đúng nội dung cũ, như một thay đổi đã được hủy); phê duyệt trước đó không tính cho "
        f"lần thay đổi này. {again}"
    )


def _content(blob: str | None) -> str:
    return "tệp chưa có" if blob in (None, "", NO_OBJECT) else f"nội dung {str(blob)[:10]}"


def _changed_since(evidence: Evidence, commit: str, path: str, held: bool) -> bool | None:
    if evidence.changed_since is None or not commit:
        return None
    return evidence.changed_since(commit, path, held)


def _holds(evidence: Evidence, commit: str, ancestor: str) -> bool:
    """Whether ``commit`` has ``ancestor`` in its history (an unreadable commit: no)."""
    if evidence.ancestor is None or not commit or not ancestor:
        return False
    try:
        return evidence.ancestor(ancestor, commit)
    except Exception:
        return False


def _lapse_reason(approval: Approval, change: Change, evidence: Evidence) -> str:
    head = evidence.head_blobs.get(change.path)
    if approval.source == "signed":
        return (
            f"tệp đã thay đổi sau khi phê duyệt (phê duyệt nội dung {(approval.blob or '?')[:10]}, "
            f"nay là {(head or '?')[:10]})"
        )
    if evidence.reviewed.get(f"{approval.commit}:{change.path}") == UNREADABLE:
        return (
            f"không có commit {approval.commit[:10]} (commit được phê duyệt) trong bản sao này, "
            "có thể đã bị viết lại bằng force-push: chưa biết người này đã xem nội dung nào. "
            f"Lấy commit về ('git fetch origin {approval.commit}') rồi chạy lại, hoặc nhờ người "
            "này phê duyệt lại"
        )
    return f"tệp đã thay đổi sau commit được phê duyệt ({approval.commit[:10]})"
