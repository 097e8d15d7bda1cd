"""Rule values keyed by the governing texts and the date each took effect.

Every threshold, deadline and age limit lives here, never as a bare constant elsewhere. Each
governing text sets some values; the rule set in force on a day holds, for every value, what
the latest text in force that day says, and cites that text (number and date). A case is judged
event by event by the set in force on the event's date, so no event is ever judged by, or cited
to, a text issued after it. A value is ``firm`` when the text states it, ``check`` when it comes
from secondary sources or is inferred; a province may change ``check`` values in
``governance/settings.yaml`` (``rule_overrides``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Literal

Firmness = Literal["firm", "check"]
Override = int | str
"""A province's value for a ``check`` rule: a whole number, or a share written ``2/3``."""


@dataclass(frozen=True)
class Text:
    """A governing text: number and date as always cited, and the day it took effect."""

    name: str
    effective: date


CHARTER = Text("Điều lệ Đảng (2011)", date(2011, 1, 19))
QD29 = Text("QĐ 29-QĐ/TW, 25/07/2016", date(2016, 7, 25))
QD30 = Text("QĐ 30-QĐ/TW, 26/07/2016", date(2016, 7, 26))
HD09 = Text("HD 09-HD/BTCTW, 05/06/2017", date(2017, 6, 5))
QD102 = Text("QĐ 102-QĐ/TW, 15/11/2017", date(2017, 11, 15))
QD132 = Text("QĐ 132-QĐ/TW, 08/03/2018", date(2018, 3, 8))
CT28 = Text("Chỉ thị 28-CT/TW, 21/01/2019", date(2019, 1, 21))
HD02 = Text("HD 02-HD/BTCTW, 12/04/2021", date(2021, 4, 12))
QD22 = Text("QĐ 22-QĐ/TW, 28/07/2021", date(2021, 7, 28))
QD24 = Text("QĐ 24-QĐ/TW, 30/07/2021", date(2021, 7, 30))
HD12 = Text("HD 12-HD/BTCTW, 18/01/2022", date(2022, 1, 18))
QD69 = Text("QĐ 69-QĐ/TW, 06/07/2022", date(2022, 7, 6))
QD124 = Text("QĐ 124-QĐ/TW, 04/10/2023", date(2023, 10, 4))
"""On the annual ranking; not the QĐ 124-QĐ/TW of 02/02/2018 on the Front's supervision."""

TEXTS = (QD29, QD30, HD09, QD102, QD132, CT28, HD02, QD22, QD24, HD12, QD69, QD124)
"""Every text that opens a rule set, oldest first (the Charter stands behind all of them)."""


@dataclass(frozen=True)
class Value:
    """One rule value with its source."""

    amount: int | Fraction
    unit: Literal["workdays", "months", "years", "ratio", "count"]
    source: str
    firmness: Firmness = "firm"
    label: str = ""
    strict: bool = False
    """For ratios: the votes must exceed (not merely reach) the share."""
    provisional: bool = False
    """No text in this rule set states the value yet: the earliest text that does is applied
    to days before it took effect, and the citation says so."""

    def describe(self) -> str:
        units = {
            "workdays": "ngày làm việc",
            "months": "tháng",
            "years": "năm",
            "ratio": "",
            "count": "lần",
        }
        if self.unit == "ratio":
            return f"{'quá' if self.strict else 'ít nhất'} {self.amount}"
        return f"{self.amount} {units[self.unit]}"


@dataclass(frozen=True)
class RuleSet:
    """The values in force from ``effective`` until the next set takes over."""

    name: str
    effective: date
    texts: tuple[str, ...]
    """The texts in force, each with its number and date."""
    values: Mapping[str, Value] = field(default_factory=dict)
    hd02_criteria: bool = False
    """From HD 02-HD/BTCTW (12/04/2021): the four added screening criteria apply."""
    introducer_residence: bool = False
    """From QĐ 24-QĐ/TW (30/07/2021): introducers may also know the applicant by residence."""

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    def amount(self, key: str) -> int:
        return int(self.values[key].amount)

    def ratio(self, key: str) -> Fraction:
        return Fraction(self.values[key].amount)


def _v(
    amount: int | Fraction,
    unit: Literal["workdays", "months", "years", "ratio", "count"],
    label: str,
    firmness: Firmness = "firm",
    strict: bool = False,
) -> tuple[int | Fraction, str, str, Firmness, bool]:
    return amount, unit, label, firmness, strict


_TWO_THIRDS, _HALF, _FIFTH = Fraction(2, 3), Fraction(1, 2), Fraction(1, 5)

_CHARTER_RULES = {
    "admission_age_min": _v(
        18, "years", "Tuổi tối thiểu khi chi bộ xét kết nạp (đủ, tính theo tháng)"
    ),
    "admission_age_max": _v(
        60, "years", "Tuổi tối đa khi chi bộ xét kết nạp, trừ khi có quyết định của tỉnh ủy"
    ),
    "youth_age_min": _v(16, "years", "Độ tuổi thanh niên (từ đủ): giới thiệu qua Đoàn"),
    "youth_age_max": _v(30, "years", "Độ tuổi thanh niên (đến hết): giới thiệu qua Đoàn"),
    "introducer_months": _v(
        12, "months", "Thời gian người giới thiệu cùng công tác với người vào Đảng"
    ),
    "cell_vote": _v(
        _TWO_THIRDS, "ratio", "Tỷ lệ tán thành của chi bộ (trên số đảng viên chính thức)"
    ),
    "committee_vote": _v(
        _TWO_THIRDS, "ratio", "Tỷ lệ tán thành của cấp ủy xét kết nạp, công nhận, xóa tên"
    ),
    "decision_workdays": _v(
        60, "workdays", "Hạn ra quyết định kết nạp, tính từ ngày chi bộ ra nghị quyết"
    ),
    "decision_extension_workdays": _v(
        30, "workdays", "Gia hạn tối đa (một lần) cho quyết định kết nạp"
    ),
    "ceremony_workdays": _v(30, "workdays", "Hạn tổ chức lễ kết nạp sau khi nhận quyết định"),
    "recognition_meeting_workdays": _v(
        30, "workdays", "Hạn chi bộ xét công nhận chính thức sau khi hết dự bị"
    ),
    "recognition_decision_workdays": _v(
        30, "workdays", "Hạn ra quyết định công nhận sau nghị quyết chi bộ"
    ),
    "readmission_months": _v(
        36, "months", "Thời gian tối thiểu từ khi ra khỏi Đảng đến khi xét kết nạp lại"
    ),
    "help_months": _v(12, "months", "Thời gian giáo dục, giúp đỡ mà không tiến bộ thì xóa tên"),
    "transfer_start_workdays": _v(
        60,
        "workdays",
        "Hạn đảng viên làm thủ tục (đề nghị) chuyển sinh hoạt kể từ khi chuyển nơi ở, nơi làm việc",
    ),
    "transfer_present_workdays": _v(
        30, "workdays", "Hạn nộp giấy giới thiệu cho nơi đến kể từ ngày ký giấy"
    ),
    "temporary_min_months": _v(3, "months", "Thời gian sinh hoạt tạm thời tối thiểu"),
    "temporary_max_months": _v(12, "months", "Thời gian sinh hoạt tạm thời (dưới)"),
    "study_max_months": _v(24, "months", "Thời gian sinh hoạt tạm thời để học tập tối đa"),
}
"""The Charter's implementing rules (QĐ 29-QĐ/TW, then QĐ 24-QĐ/TW; transfers in point 6.3)."""

_PROCEDURES = {
    "course_valid_months": _v(
        60,
        "months",
        "Thời hạn giá trị của giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
        "check",
    ),
    "failed_votes": _v(
        3, "count", "Số lần chi bộ biểu quyết không đạt trước khi chuyển cấp ủy cấp trên"
    ),
    "help_period_months": _v(
        12,
        "months",
        "Thời gian giáo dục, giúp đỡ trước khi chi bộ đánh giá lại (tỉnh có thể quy định khác)",
        "check",
    ),
    "complaint_workdays": _v(30, "workdays", "Hạn khiếu nại quyết định xóa tên", "check"),
    "complaint_answer_workdays": _v(
        90, "workdays", "Hạn trả lời khiếu nại xóa tên (cấp huyện, cấp tỉnh)", "check"
    ),
    "complaint_answer_workdays_central": _v(
        180, "workdays", "Hạn trả lời khiếu nại xóa tên (cấp Trung ương)", "check"
    ),
    "exemption_age_male": _v(
        60, "years", "Tuổi (trên) được xin miễn sinh hoạt vì tuổi cao, nam", "check"
    ),
    "exemption_age_female": _v(
        55, "years", "Tuổi (trên) được xin miễn sinh hoạt vì tuổi cao, nữ", "check"
    ),
    "exemption_treatment_months": _v(
        3, "months", "Thời gian điều trị tối thiểu để xin miễn sinh hoạt vì sức khỏe yếu", "check"
    ),
}
"""The Central Organisation Commission's procedures (HD 09-HD/BTCTW, then HD 12-HD/BTCTW)."""

_INSPECTION = {
    "discipline_vote": _v(
        _HALF,
        "ratio",
        "Tỷ lệ phiếu phải vượt để khiển trách, cảnh cáo, cách chức, khai trừ",
        strict=True,
    ),
    "expulsion_proposal_vote": _v(
        _TWO_THIRDS, "ratio", "Tỷ lệ phiếu của tổ chức cấp dưới đề nghị khai trừ"
    ),
    "limitation_reprimand_years": _v(5, "years", "Thời hiệu kỷ luật khiển trách"),
    "limitation_warning_years": _v(10, "years", "Thời hiệu kỷ luật cảnh cáo, cách chức"),
    "child_months": _v(
        12, "months", "Chưa xem xét kỷ luật đảng viên đang nuôi con nhỏ dưới số tháng tuổi này"
    ),
    "appeal_months": _v(1, "months", "Hạn khiếu nại quyết định kỷ luật kể từ khi nhận quyết định"),
    "appeal_answer_months": _v(
        3, "months", "Hạn giải quyết khiếu nại kỷ luật (cấp huyện, cấp tỉnh)"
    ),
    "appeal_answer_months_central": _v(
        6, "months", "Hạn giải quyết khiếu nại kỷ luật (cấp Trung ương)"
    ),
    "org_discipline_vote": _v(
        _HALF,
        "ratio",
        "Tỷ lệ phiếu của cấp có thẩm quyền phải vượt để kỷ luật tổ chức đảng",
        "check",
        strict=True,
    ),
    "org_limitation_reprimand_years": _v(
        5, "years", "Thời hiệu kỷ luật khiển trách tổ chức đảng", "check"
    ),
    "org_limitation_warning_years": _v(
        10, "years", "Thời hiệu kỷ luật cảnh cáo tổ chức đảng", "check"
    ),
}
"""Inspection, supervision and discipline (QĐ 30-QĐ/TW, then QĐ 22-QĐ/TW)."""

_RANKING = {
    "excellent_share": _v(
        _FIFTH,
        "ratio",
        "Số đảng viên (và số chi bộ) hoàn thành xuất sắc nhiệm vụ không vượt tỷ lệ này của số "
        "hoàn thành tốt (ở từng tổ chức cơ sở đảng)",
    ),
}
"""The annual quality ranking (QĐ 132-QĐ/TW, then QĐ 124-QĐ/TW of 04/10/2023)."""

_SCREENING = {
    "screening_vote": _v(
        _TWO_THIRDS, "ratio", "Tỷ lệ phiếu của chi bộ để đưa vào danh sách giáo dục, giúp đỡ"
    ),
    "screening_after_ranking_months": _v(
        6,
        "months",
        "Hạn mở hồ sơ rà soát sau lần xếp loại thứ hai liền không hoàn thành nhiệm vụ",
        "check",
    ),
}
"""The screening directive (Chỉ thị 28-CT/TW): its vote, and the time to act on a ranking."""

_CHARTER_ITSELF = {
    "probation_months": _v(12, "months", "Thời gian dự bị"),
    "majority_vote": _v(
        _HALF, "ratio", "Đa số (quá một nửa) cho các quyết định khác của tập thể", strict=True
    ),
}

_CHARTER_RULES_2016 = {
    **_CHARTER_RULES,
    "transfer_present_workdays": _v(
        30, "workdays", "Hạn nộp giấy giới thiệu cho nơi đến kể từ ngày ký giấy", "check"
    ),
}
"""QĐ 29-QĐ/TW: the 30 working days to present a transfer letter are ``check`` before 2021."""

_Stated = dict[str, tuple[int | Fraction, str, str, Firmness, bool]]

SETS_BY_TEXT: tuple[tuple[Text, _Stated], ...] = (
    (CHARTER, _CHARTER_ITSELF),
    (QD29, _CHARTER_RULES_2016),
    (QD30, _INSPECTION),
    (HD09, _PROCEDURES),
    (QD132, _RANKING),
    (CT28, _SCREENING),
    (QD22, _INSPECTION),
    (QD24, _CHARTER_RULES),
    (HD12, _PROCEDURES),
    (QD124, _RANKING),
)
"""Which values each text states, in the order the texts took effect."""


_EARLY = "áp dụng cả trước ngày văn bản có hiệu lực"


def _value(
    text: Text, stated: tuple[int | Fraction, str, str, Firmness, bool], early: bool
) -> Value:
    amount, unit, label, firmness, strict = stated
    source = f"{text.name}, {_EARLY}" if early else text.name
    return Value(amount, unit, source, firmness, label, strict, early)  # type: ignore[arg-type]


def _build(opening: Text) -> RuleSet:
    on = opening.effective
    values: dict[str, Value] = {}
    for text, stated in SETS_BY_TEXT:
        if text.effective <= on:
            values.update({key: _value(text, v, False) for key, v in stated.items()})
    for text, stated in SETS_BY_TEXT:
        for key, v in stated.items():
            values.setdefault(key, _value(text, v, True))
    residence = on >= QD24.effective
    if residence:  # living together counts too from QĐ 24-QĐ/TW, as the admission rule judges
        known = values["introducer_months"]
        values["introducer_months"] = replace(
            known, label=known.label.replace("cùng công tác", "cùng công tác hoặc cùng cư trú")
        )
    return RuleSet(
        opening.name,
        on,
        tuple(t.name for t in (CHARTER, *TEXTS) if t.effective <= on),
        values,
        hd02_criteria=on >= HD02.effective,
        introducer_residence=residence,
    )


RULE_SETS: tuple[RuleSet, ...] = tuple(_build(text) for text in TEXTS)
"""Oldest first, one per text taking effect. Events before the first set are judged by it; a
value no text in force states yet is taken from the earliest text that does, and its citation
says that it is applied before that text took effect."""

HD02_EFFECTIVE = HD02.effective
"""HD 02-HD/BTCTW took effect before the 2021 set's other texts; its criteria count from here."""


def in_force(on: date, overrides: Mapping[str, Override] | None = None) -> RuleSet:
    """The rule set that judges an event on ``on``, with the province's overrides of ``check``
    values applied."""
    chosen = 0
    for position, rule_set in enumerate(RULE_SETS):
        if rule_set.effective <= on:
            chosen = position
    frozen = tuple(sorted(overrides.items())) if overrides else ()
    return _adjusted(chosen, frozen, on < RULE_SETS[0].effective)


@lru_cache(maxsize=128)
def _adjusted(
    index: int, overrides: tuple[tuple[str, Override], ...], before: bool = False
) -> RuleSet:
    """The rule set ``index`` with ``overrides``; ``before`` the first set took effect, every
    value's citation says it is applied before its text took effect."""
    chosen = RULE_SETS[index]
    if before:
        chosen = replace(
            chosen,
            values={k: _applied_early(v) for k, v in chosen.values.items()},
        )
    if not overrides:
        return chosen
    values = dict(chosen.values)
    for key, amount in overrides:
        parsed = parse_override(amount)
        known = values.get(key)
        if (
            known is not None
            and known.firmness == "check"
            and parsed is not None
            and (known.unit == "ratio") == isinstance(parsed, Fraction)
        ):
            values[key] = replace(known, amount=parsed)
    return replace(chosen, values=values)


def _applied_early(value: Value) -> Value:
    if value.provisional:
        return value
    return replace(value, source=f"{value.source}, {_EARLY}", provisional=True)


def parse_override(amount: Override) -> int | Fraction | None:
    """A province's value as the rules use it; None when it cannot be read."""
    if isinstance(amount, int):
        return amount
    top, _, bottom = amount.partition("/")
    if top.isdecimal() and bottom.isdecimal() and int(bottom) > 0:
        return Fraction(int(top), int(bottom))
    return None


def overridable() -> dict[str, Value]:
    """The values a province may change in settings.yaml (those marked ``check`` anywhere)."""
    return {
        k: v for rule_set in RULE_SETS for k, v in rule_set.values.items() if v.firmness == "check"
    }
