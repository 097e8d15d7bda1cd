"""What people read in place of codes: the Vietnamese label of every closed value, of every
body (from governance), and days written dd/mm/yyyy.

Codes stay in the files; everything shown to a person goes through here. Every lookup falls
back to the code itself, so a value added to a model before its label is shown, never lost.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hoso.governance import CENTRAL_BODIES, Governance
from hoso.models import KIND_LABELS, STATE_LABELS
from hoso.models.discipline import FORM_LABELS
from hoso.models.org_discipline import ORG_FORM_LABELS
from hoso.models.ranking import LEVEL_LABELS as RANKING_LABELS
from hoso.models.screening import CRITERION_LABELS


@dataclass(frozen=True)
class Vocabulary:
    """A closed set of codes with their Vietnamese labels."""

    name: str
    """What the values are, in Vietnamese (``"hình thức kỷ luật"``)."""
    labels: Mapping[str, str]
    """Code to label, in the order people expect (lightest form first, and so on)."""
    aliases: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Everyday words people type for a value, to its code ("giơ tay" → ``show_of_cards``)."""

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def lookup(self, typed: str) -> str | None:
        """The code ``typed`` names (``lookup``), everyday words included."""
        return lookup(self.labels, typed, self.aliases)

    def matching(self, typed: str) -> list[str]:
        """Every code ``typed`` may name (``matching``), everyday words included."""
        return matching(self.labels, typed, self.aliases)


CATEGORY_LABELS = {
    "quality_ethics_lifestyle": "phẩm chất chính trị, đạo đức, lối sống",
    "member_duties": "sinh hoạt đảng, nhiệm vụ đảng viên",
    "assigned_by_higher": "nhiệm vụ do cấp trên giao",
    "internal_political": "chính trị nội bộ",
    "security_foreign_affairs": "an ninh, quốc phòng, đối ngoại",
    "forged_diploma": "sử dụng văn bằng, chứng chỉ giả",
    "other": "vi phạm khác",
}
GROUND_LABELS = {
    "missed_activity_or_dues": "bỏ sinh hoạt hoặc không đóng đảng phí 3 tháng trong năm",
    "card_returned_or_destroyed": "trả lại hoặc hủy thẻ đảng viên",
    "no_progress_after_help": "không tiến bộ sau 12 tháng giáo dục, giúp đỡ",
    "violated_standing_two_years": "hai năm liền vi phạm tư cách đảng viên",
    "political_standard_failed": "không bảo đảm tiêu chuẩn chính trị",
}
OUTCOME_LABELS = {"upheld": "giữ nguyên", "changed": "thay đổi", "annulled": "xóa bỏ"}
TRANSFER_TYPE_LABELS = {
    "official": "chính thức",
    "temporary": "tạm thời",
    "temporary_study": "tạm thời để học tập",
}
DIRECTION_LABELS = {"outgoing": "chuyển đi", "incoming": "chuyển đến"}
REASON_LABELS = {
    "age": "tuổi cao",
    "health": "sức khỏe yếu",
    "treatment_away": "điều trị bệnh ở xa",
    "abroad": "ở nước ngoài",
    "maternity": "thai sản",
    "mobile_work": "công tác lưu động",
}
SEX_LABELS = {"male": "nam", "female": "nữ"}
STANDING_LABELS = {
    "candidate": "quần chúng",
    "probationary": "đảng viên dự bị",
    "official": "đảng viên chính thức",
}
METHOD_LABELS = {"secret_ballot": "bỏ phiếu kín", "show_of_cards": "giơ thẻ"}
INTRODUCER_LABELS = {
    "member": "đảng viên chính thức",
    "youth_union": "Đoàn Thanh niên",
    "trade_union": "Công đoàn",
}
INTRODUCER_WORDS = {
    "đảng viên": "member",
    "đoàn viên": "youth_union",
    "Đoàn TN": "youth_union",
    "Đoàn TNCS Hồ Chí Minh": "youth_union",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh": "youth_union",
    "công đoàn viên": "trade_union",
    "Công đoàn cơ sở": "trade_union",
    "Đoàn cơ sở": "youth_union",
    "BCH Đoàn cơ sở": "youth_union",
    "Ban Chấp hành Đoàn cơ sở": "youth_union",
}
"""How people name an introducer's kind: "đoàn viên" is a youth union member (a trade union
member is a "công đoàn viên")."""
KNOWN_THROUGH_LABELS = {"work": "cùng công tác", "residence": "cùng cư trú"}
KNOWN_THROUGH_WORDS = {
    "công tác": "work",
    "cùng cơ quan": "work",
    "cư trú": "residence",
    "nơi cư trú": "residence",
    "cùng nơi cư trú": "residence",
}
"""How people say how an introducer knows the applicant."""
METHOD_WORDS = {"giơ tay": "show_of_cards", "biểu quyết bằng giơ tay": "show_of_cards"}
"""Minutes often say "biểu quyết bằng giơ tay" for a vote by show of cards."""
AUDIENCE_LABELS = {"staff": "cán bộ", "commission": "ủy ban", "audit": "kiểm toán"}
COMMITTEE_KIND_LABELS = {
    "executive": "Ban Chấp hành",
    "standing": "Ban Thường vụ",
    "organisation": "Ban Tổ chức",
    "inspection": "Ủy ban Kiểm tra",
    "propaganda": "Ban Tuyên giáo",
    "cell_committee": "Chi ủy",
}
LEVEL_LABELS = {
    "province": "cấp tỉnh",
    "district": "cấp huyện",
    "grassroots": "tổ chức cơ sở đảng",
    "partial": "đảng ủy bộ phận",
    "cell": "chi bộ",
}

VOCABULARIES: dict[str, Vocabulary] = {
    "kind": Vocabulary("loại hồ sơ", {k: v for k, v in KIND_LABELS.items() if k != "plan"}),
    "form": Vocabulary("hình thức kỷ luật", {**FORM_LABELS, **ORG_FORM_LABELS}),
    "member_form": Vocabulary("hình thức kỷ luật đảng viên", FORM_LABELS),
    "org_form": Vocabulary("hình thức kỷ luật tổ chức đảng", ORG_FORM_LABELS),
    "category": Vocabulary("nhóm vi phạm", CATEGORY_LABELS),
    "criterion": Vocabulary("tiêu chí rà soát", CRITERION_LABELS),
    "ground": Vocabulary("căn cứ xóa tên", GROUND_LABELS),
    "outcome": Vocabulary("kết quả giải quyết khiếu nại", OUTCOME_LABELS),
    "transfer_type": Vocabulary("loại chuyển sinh hoạt", TRANSFER_TYPE_LABELS),
    "direction": Vocabulary("chiều chuyển sinh hoạt", DIRECTION_LABELS),
    "reason": Vocabulary("lý do miễn sinh hoạt", REASON_LABELS),
    "sex": Vocabulary("giới tính", SEX_LABELS),
    "standing": Vocabulary("tư cách", STANDING_LABELS),
    "method": Vocabulary("hình thức biểu quyết", METHOD_LABELS, METHOD_WORDS),
    "introducer": Vocabulary("loại người giới thiệu", INTRODUCER_LABELS, INTRODUCER_WORDS),
    "known_through": Vocabulary(
        "người giới thiệu quen biết qua", KNOWN_THROUGH_LABELS, KNOWN_THROUGH_WORDS
    ),
    "audience": Vocabulary("đối tượng xem trang", AUDIENCE_LABELS),
    "committee_kind": Vocabulary("loại tập thể", COMMITTEE_KIND_LABELS),
    "level": Vocabulary("cấp tổ chức", LEVEL_LABELS),
    "ranking": Vocabulary("mức xếp loại", RANKING_LABELS),
}
"""Every closed set a person reads or types, by a short name; states are per kind
(``states``)."""


def states(kind: str) -> Vocabulary:
    """The states of one case kind."""
    return Vocabulary("trạng thái", STATE_LABELS.get(kind, {}))


def all_states() -> Vocabulary:
    """The states of every kind (for a filter that spans kinds); a code shared by several
    kinds keeps the label of the first."""
    merged: dict[str, str] = {}
    for labels in STATE_LABELS.values():
        for code, text in labels.items():
            merged.setdefault(code, text)
    return Vocabulary("trạng thái", merged)


def label(vocabulary: str, code: str) -> str:
    """The label of ``code`` in the named vocabulary (the code itself when it has none)."""
    found = VOCABULARIES.get(vocabulary)
    return found.label(code) if found else code


def state(kind: str, code: str) -> str:
    return STATE_LABELS.get(kind, {}).get(code, code)


def state_order(kind: str, code: str) -> int:
    """Where a state comes in its kind's workflow, for lists that people read in that order
    (an unknown state last): never the alphabetical order of the codes."""
    order = list(STATE_LABELS.get(kind, {}))
    return order.index(code) if code in order else len(order)


def kind(code: str) -> str:
    return KIND_LABELS.get(code, code)


def steps(kind: str, transitions: Sequence[tuple[str, str]]) -> str:
    """Steps as one line of state labels: ``A → B → C`` while each step starts where the last
    one ended, a semicolon where one does not (labels hold commas); a step from nothing (a new
    case) starts at its state."""
    chains: list[list[str]] = []
    last: str | None = None
    for before, after in transitions:
        if chains and before == last:
            chains[-1].append(state(kind, after))
        else:
            chains.append(([state(kind, before)] if before else []) + [state(kind, after)])
        last = after
    return "; ".join(" → ".join(chain) for chain in chains)


FIELD_LABELS = {
    "id": "mã hồ sơ",
    "kind": "loại hồ sơ",
    "unit": "đơn vị quản lý",
    "cell": "chi bộ",
    "sample": "dấu dữ liệu mẫu",
    "subject": "người được xem xét",
    "related": "hồ sơ liên quan",
    "confidential": "thông tin mật",
    "readmission": "thông tin kết nạp lại",
    "status": "trạng thái",
    "history": "lịch sử các bước",
    "violation": "vi phạm",
    "transfer_type": "loại chuyển sinh hoạt",
    "direction": "chiều chuyển sinh hoạt",
    "counterpart": "tổ chức đảng nơi đến hoặc nơi đi",
    "move_date": "ngày chuyển nơi cư trú, nơi công tác",
    "until": "hạn sinh hoạt tạm thời",
    "reason": "lý do miễn sinh hoạt",
    "period_until": "hạn miễn sinh hoạt",
    "organisation": "tổ chức đảng",
    "year": "năm đánh giá",
    "document": "văn bản",
    "members": "xếp loại đảng viên",
    "cells": "xếp loại chi bộ",
    "title": "tên kế hoạch",
    "implements": "văn bản cấp trên được triển khai",
    "summary": "tóm tắt mục đích",
    "tasks": "các nhiệm vụ",
    "reports": "báo cáo tiến độ",
}
"""The top-level fields of every record kind, as a change names them to people."""

_STEP = re.compile(r"^history\[(\d+)\]$")


def field(name: str) -> str:
    """A changed field as people read it: ``subject`` → "người được xem xét",
    ``history[1]`` → "bước thứ 2 trong lịch sử" (anything else as it is)."""
    step = _STEP.match(name)
    if step:
        return f"bước thứ {int(step[1]) + 1} trong lịch sử"
    return FIELD_LABELS.get(name, name)


def event_facts(event: object) -> list[tuple[str, str]]:
    """An event's form, ground, outcome and criteria as (title, label) pairs, those it has."""
    found = []
    for attribute, vocabulary, title in (
        ("form", "form", "hình thức"),
        ("ground", "ground", "căn cứ"),
        ("outcome", "outcome", "kết quả"),
    ):
        value = getattr(event, attribute, None)
        if value:
            found.append((title, label(vocabulary, str(value))))
    criteria = getattr(event, "criteria", None)
    if criteria:
        found.append(("tiêu chí", "; ".join(label("criterion", c) for c in criteria)))
    return found


# Bodies ---------------------------------------------------------------------------------------

_LEVEL_WORDS = re.compile(r"^(?:Đảng bộ|Chi bộ|Đảng ủy bộ phận|Đảng ủy)\s+", re.IGNORECASE)
_REMARK = re.compile(r"\s*\([^)]*\)\s*$")


def _place(unit_name: str) -> str:
    """The place a unit's name names: "Đảng bộ huyện Khê Lam" → "huyện Khê Lam"."""
    return _LEVEL_WORDS.sub("", _REMARK.sub("", unit_name)).strip()


def place(unit_name: str) -> str:
    """A unit's name without its level words, for narrow columns: "huyện Khê Lam"."""
    return _place(unit_name)


def unit(governance: Governance, code: str) -> str:
    """A unit's name, or the code when governance does not know it."""
    found = governance.units.get(code)
    return found.name if found else code


def state_named(kind: str, code: str) -> str:
    """A state as people read it, with the code the file holds: “Chi bộ đã …” (cell_voted)."""
    return f"“{state(kind, code)}” ({code})"


def state_quoted(kind: str, code: str) -> str:
    """A state as people read it, without its code: “Chi bộ đã …” (what a command says)."""
    return f"“{state(kind, code)}”"


def body(governance: Governance, code: str) -> str:
    """An acting body as people name it: a unit by its name ("Chi bộ bản Nà Khoang 1"), a
    committee by its name when that names its unit ("Ủy ban Kiểm tra huyện Khê Lam"), else by
    its kind and its unit's name ("Chi ủy Chi bộ bản Nà Khoang 1")."""
    if code in governance.units:
        return governance.units[code].name
    committee = governance.committees.get(code)
    if committee is None:
        return CENTRAL_BODIES.get(code, code)
    owner = governance.units.get(committee.unit)
    if owner is None:
        return committee.name
    place = _place(owner.name)
    if place and fold(place) in fold(committee.name):
        return committee.name
    kind_label = COMMITTEE_KIND_LABELS.get(committee.kind, committee.name)
    return f"{kind_label} {owner.name}"


_SHORT = {
    "executive": ("Đảng ủy",),
    "standing": ("Ban Thường vụ Đảng ủy", "BTV", "BTV Đảng ủy"),
    "inspection": ("Ủy ban Kiểm tra Đảng ủy", "UBKT", "UBKT Đảng ủy"),
    "organisation": ("Ban Tổ chức Đảng ủy",),
    "propaganda": ("Ban Tuyên giáo Đảng ủy",),
}
"""How documents name a committee before its place ("Ban Thường vụ Đảng ủy xã …"); in front
of a district's or a province's seat ("Huyện ủy Khê Lam") "Đảng ủy" is left out."""
_SEAT = {
    "huyện": "Huyện ủy",
    "quận": "Quận ủy",
    "thị xã": "Thị ủy",
    "thành phố": "Thành ủy",
    "tỉnh": "Tỉnh ủy",
}


def body_aliases(governance: Governance) -> dict[str, list[str]]:
    """Other names people give a committee, each (folded) to the codes it may name: "Đảng ủy
    xã Nà Khoang" (its executive), "Huyện ủy Khê Lam", "Ban Thường vụ Huyện ủy Khê Lam", "BTV
    Huyện ủy Khê Lam", "UBKT huyện Khê Lam". Two communes of the same name in two districts
    make a name that names two."""
    out: dict[str, list[str]] = {}
    for code, committee in governance.committees.items():
        owner = governance.units.get(committee.unit)
        where = _place(owner.name) if owner is not None else ""
        if not where:
            continue
        shorts = _SHORT.get(committee.kind, ())
        names = [f"{short} {where}" for short in shorts]
        words = where.split(" ")
        for level, seat in _SEAT.items():
            size = len(level.split(" "))
            if fold(" ".join(words[:size])) == fold(level) and len(words) > size:
                place = " ".join(words[size:])
                heads = [s.removesuffix("Đảng ủy").strip() for s in shorts] or []
                names += [f"{head} {seat} {place}".strip() for head in heads]
                break
        for alias in names:
            codes = out.setdefault(fold(alias), [])
            if code not in codes:
                codes.append(code)
    for code, aliases in _CENTRAL_ALIASES.items():
        for alias in aliases:
            out.setdefault(fold(alias), []).append(code)
    return out


_CENTRAL_ALIASES = {
    "central.inspection": ("UBKT Trung ương", "Ủy ban Kiểm tra Trung ương Đảng", "UBKTTW"),
    "central.secretariat": ("Ban Bí thư", "Ban Bí thư Trung ương"),
    "central.politburo": ("Bộ Chính trị Trung ương",),
    "central.executive": ("Ban Chấp hành Trung ương", "BCH Trung ương", "Trung ương Đảng"),
}


def body_with_code(governance: Governance, code: str) -> str:
    """The label, then the code people type in options: "Ban Thường vụ … (khe-lam.standing)"."""
    shown = body(governance, code)
    return shown if shown == code else f"{shown} ({code})"


# Days -----------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def day(value: date | str | None) -> str:
    """A day as people write it, dd/mm/yyyy; an ISO string is accepted, "" for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        match = _ISO_DAY.fullmatch(value)
        return f"{match[3]}/{match[2]}/{match[1]}" if match else value
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def days_in_text(text: str) -> str:
    """Every ISO day standing alone in a message, rewritten dd/mm/yyyy."""
    return _ISO_DAY.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text)


def finding_days(rule: str, message: str) -> str:
    """A finding's message with its days as people write them, except where the finding is
    about how a day is written in the file itself (``schema.date_format``: "ví dụ 2019-05-02;
    hãy ghi 2026-08-20"), whose days stay in the file's notation, as ``hoso validate`` says
    them."""
    return message if rule == "schema.date_format" else days_in_text(message)


# Matching what people type ----------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no diacritics, đ as d, separators as single spaces: how typed values are
    compared ("Tuổi cao", "tuoi-cao" and "TUOI CAO" all fold to "tuoi cao")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[\s_\-]+", plain.casefold().strip()))


def words(text: str) -> str:
    """``fold``, then punctuation as spaces: what is compared when a typed value is looked up
    ("Đã tổ chức lễ kết nạp; đang …" holds the words "to chuc le ket nap dang")."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


MAX_TYPED = 200
"""No name of a value is longer: anything longer names none, and is not compared (comparing
grows with the square of its length)."""

NEGATIONS = frozenset({"khong", "chua", "not"})
"""Words that turn what follows into its opposite ("không kết nạp", ``not_admitted``)."""


def _stands_in(name: str, wanted: str) -> bool:
    """Whether the words ``wanted`` stand in ``name`` (both as ``words`` gives them) at least
    once not right after a negation: "kết nạp" stands in "quyết định kết nạp", not in "không
    kết nạp"."""
    found, typed = name.split(), wanted.split()
    size = len(typed)
    return any(
        found[i : i + size] == typed and (i == 0 or found[i - 1] not in NEGATIONS)
        for i in range(len(found) - size + 1)
    )


def matching(
    labels: Mapping[str, str], typed: str, aliases: Mapping[str, str] | None = None
) -> list[str]:
    """Every code ``typed`` may name, punctuation and diacritics aside: the code or label it
    is, else the one an everyday word (``aliases``, word to code, matched whole) stands for,
    else every label that holds its words, not negated. One code: it names that;
    several: it is ambiguous; none: it names nothing."""
    if typed in labels:
        return [typed]
    if len(typed) > MAX_TYPED:
        return []
    wanted = words(typed)
    if not wanted:
        return []
    exact = [code for code, text in labels.items() if wanted in (words(code), words(text))]
    if exact:
        return exact
    everyday = {words(word): code for word, code in (aliases or {}).items() if code in labels}
    if wanted in everyday:
        return [everyday[wanted]]
    # Words found inside a label; an everyday word counts only whole ("đoàn cơ sở" stands in
    # "Công đoàn cơ sở" but is the youth union's, and "biểu quyết" is any vote).
    return [code for code, text in labels.items() if _stands_in(words(text), wanted)]


def lookup(
    labels: Mapping[str, str], typed: str, aliases: Mapping[str, str] | None = None
) -> str | None:
    """The code ``typed`` names: a code, a label with or without diacritics, an everyday word
    for it, or words that stand in exactly one label ("ket nap" → the kind whose label is
    "Kết nạp đảng viên"; "tổ chức lễ kết nạp" → "Đã tổ chức lễ kết nạp; đang …"). Words
    found in several labels name none of them (``matching`` says which)."""
    found = matching(labels, typed, aliases)
    return found[0] if len(found) == 1 else None


def closest(labels: Mapping[str, str], typed: str, limit: int = 3) -> list[str]:
    """The codes nearest to what was typed, best first: labels or codes that contain it, then
    those that look alike; never one that says the opposite of what was typed."""
    import difflib

    wanted = words(typed) if len(typed) <= MAX_TYPED else ""
    if not wanted:
        return []
    scored: list[tuple[float, str]] = []
    for code, text in labels.items():
        names = (words(code), words(text))
        if any(_negates(name, wanted) for name in names):
            continue  # "admitted" is not "not admitted": never suggest the opposite
        if any(wanted in name or name in wanted for name in names):
            score = 1.0
        else:
            score = max(difflib.SequenceMatcher(None, wanted, name).ratio() for name in names)
        if score >= 0.6:
            scored.append((score, code))
    scored.sort(key=lambda item: -item[0])
    return [code for _, code in scored[:limit]]


def _negates(name: str, wanted: str) -> bool:
    """Whether ``name`` holds what was typed only right after a negation that was not typed."""
    if wanted not in name or NEGATIONS & set(wanted.split()):
        return False
    return not _stands_in(name, wanted) and any(f"{word} {wanted}" in name for word in NEGATIONS)


ETHNICITIES = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
    "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
    "Thổ", "Xtiêng", "Khơ Mú", "Bru Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng",
    "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá",
    "La Hủ", "La Ha", "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y",
    "Cống", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
)  # fmt: skip
"""The 54 ethnic groups of Viet Nam, as the official list names them."""

_ETHNICITY_ALIASES = {
    "h mong": "Mông", "hmong": "Mông", "kho me": "Khmer", "khome": "Khmer", "ede": "Ê Đê",
    "giarai": "Gia Rai", "bana": "Ba Na", "stieng": "Xtiêng", "bru": "Bru Vân Kiều",
    "van kieu": "Bru Vân Kiều", "raglai": "Ra Glai", "m nong": "Mnông", "pa then": "Pà Thẻn",
    "co ho": "Cơ Ho", "xo dang": "Xơ Đăng", "gie trieng": "Giẻ Triêng",
}  # fmt: skip


def ethnicity(typed: str) -> str:
    """The official name of the ethnic group ``typed`` names, written with or without
    diacritics or the words "dân tộc" ("tay" is Tày, "dân tộc thái" is Thái, "H'Mông" is
    Mông); what was typed, trimmed, when it names none, so that every record of one group
    is counted together in reports."""
    key = words(typed).removeprefix("dan toc ").strip()
    for name in ETHNICITIES:
        if words(name) == key or words(name).replace(" ", "") == key.replace(" ", ""):
            return name
    return _ETHNICITY_ALIASES.get(key, typed.strip())
