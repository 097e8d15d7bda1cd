"""Rule values keyed by the governing texts and the date they took effect.

Every threshold, deadline and age limit lives here, never as a bare constant elsewhere. A case is
judged event by event: the rule set in force on an event's date judges that event. Each value
names its source text (number and date) and whether the text states it (``firm``) or it comes
from secondary sources and may be changed per province in ``governance/settings.yaml``
(``check``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Literal

Firmness = Literal["firm", "check"]


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
    values: Mapping[str, Value] = field(default_factory=dict)
    hd02_criteria: bool = False
    """From HD 02-HD/BTCTW (12/4/2021): the four added screening criteria apply."""
    introducer_residence: bool = False
    """From QĐ 24-QĐ/TW (30/7/2021): introducers may also know the applicant by residence."""

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    def amount(self, key: str) -> int:
        return int(self.values[key].amount)

    def ratio(self, key: str) -> Fraction:
        return Fraction(self.values[key].amount)


QD29 = "QĐ 29-QĐ/TW, 25/7/2016"
HD09 = "HD 09-HD/BTCTW, 5/6/2017"
QD30 = "QĐ 30-QĐ/TW, 26/7/2016"
QD102 = "QĐ 102-QĐ/TW, 15/11/2017"
CT28 = "Chỉ thị 28-CT/TW, 21/1/2019"
QD24 = "QĐ 24-QĐ/TW, 30/7/2021"
HD12 = "HD 12-HD/BTCTW, 18/1/2022"
QD22 = "QĐ 22-QĐ/TW, 28/7/2021"
QD69 = "QĐ 69-QĐ/TW, 6/7/2022"
HD02 = "HD 02-HD/BTCTW, 12/4/2021"
CHARTER = "Điều lệ Đảng (2011)"


def _values(charter_rules: str, procedures: str, inspection: str) -> dict[str, Value]:
    two_thirds, half = Fraction(2, 3), Fraction(1, 2)
    return {
        "admission_age_min": Value(
            18,
            "years",
            charter_rules,
            label="Tuổi tối thiểu khi chi bộ xét kết nạp (đủ, tính theo tháng)",
        ),
        "admission_age_max": Value(
            60,
            "years",
            charter_rules,
            label="Tuổi tối đa khi chi bộ xét kết nạp, trừ khi có quyết định của tỉnh ủy",
        ),
        "introducer_months": Value(
            12,
            "months",
            charter_rules,
            label="Thời gian người giới thiệu cùng công tác (hoặc cư trú) với người vào Đảng",
        ),
        "course_valid_months": Value(
            60,
            "months",
            procedures,
            "check",
            label="Thời hạn giá trị của giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
        ),
        "cell_vote": Value(
            two_thirds,
            "ratio",
            charter_rules,
            label="Tỷ lệ tán thành của chi bộ (trên số đảng viên chính thức)",
        ),
        "committee_vote": Value(
            two_thirds,
            "ratio",
            charter_rules,
            label="Tỷ lệ tán thành của cấp ủy xét kết nạp, công nhận, xóa tên",
        ),
        "failed_votes": Value(
            3,
            "count",
            procedures,
            label="Số lần chi bộ biểu quyết không đạt trước khi chuyển cấp ủy cấp trên",
        ),
        "decision_workdays": Value(
            60,
            "workdays",
            charter_rules,
            label="Hạn ra quyết định kết nạp, tính từ ngày chi bộ ra nghị quyết",
        ),
        "decision_extension_workdays": Value(
            30, "workdays", charter_rules, label="Gia hạn tối đa (một lần) cho quyết định kết nạp"
        ),
        "ceremony_workdays": Value(
            30, "workdays", charter_rules, label="Hạn tổ chức lễ kết nạp sau khi nhận quyết định"
        ),
        "probation_months": Value(12, "months", CHARTER, label="Thời gian dự bị"),
        "recognition_meeting_workdays": Value(
            30,
            "workdays",
            charter_rules,
            label="Hạn chi bộ xét công nhận chính thức sau khi hết dự bị",
        ),
        "recognition_decision_workdays": Value(
            30, "workdays", charter_rules, label="Hạn ra quyết định công nhận sau nghị quyết chi bộ"
        ),
        "readmission_months": Value(
            36,
            "months",
            charter_rules,
            label="Thời gian tối thiểu từ khi ra khỏi Đảng đến khi xét kết nạp lại",
        ),
        "screening_vote": Value(
            two_thirds,
            "ratio",
            CT28,
            label="Tỷ lệ phiếu của chi bộ để đưa vào danh sách giáo dục, giúp đỡ",
        ),
        "help_months": Value(
            12,
            "months",
            charter_rules,
            label="Thời gian giáo dục, giúp đỡ mà không tiến bộ thì xóa tên",
        ),
        "complaint_workdays": Value(
            30, "workdays", procedures, "check", label="Hạn khiếu nại quyết định xóa tên"
        ),
        "complaint_answer_workdays": Value(
            90,
            "workdays",
            procedures,
            "check",
            label="Hạn trả lời khiếu nại xóa tên (cấp huyện, cấp tỉnh)",
        ),
        "discipline_vote": Value(
            half,
            "ratio",
            inspection,
            label="Tỷ lệ phiếu phải vượt để khiển trách, cảnh cáo, cách chức, khai trừ",
            strict=True,
        ),
        "majority_vote": Value(
            half,
            "ratio",
            CHARTER,
            label="Đa số (quá một nửa) cho các quyết định khác của tập thể",
            strict=True,
        ),
        "expulsion_proposal_vote": Value(
            two_thirds,
            "ratio",
            inspection,
            label="Tỷ lệ phiếu của tổ chức cấp dưới đề nghị khai trừ",
        ),
        "limitation_reprimand_years": Value(
            5, "years", inspection, label="Thời hiệu kỷ luật khiển trách"
        ),
        "limitation_warning_years": Value(
            10, "years", inspection, label="Thời hiệu kỷ luật cảnh cáo, cách chức"
        ),
        "child_months": Value(
            12,
            "months",
            inspection,
            label="Chưa xem xét kỷ luật đảng viên đang nuôi con nhỏ dưới số tháng tuổi này",
        ),
        "appeal_months": Value(
            1,
            "months",
            inspection,
            label="Hạn khiếu nại quyết định kỷ luật kể từ khi nhận quyết định",
        ),
        "appeal_answer_months": Value(
            3, "months", inspection, label="Hạn giải quyết khiếu nại kỷ luật (cấp huyện, cấp tỉnh)"
        ),
        "transfer_start_workdays": Value(
            60,
            "workdays",
            procedures,
            label="Hạn làm thủ tục chuyển sinh hoạt kể từ khi chuyển nơi ở, nơi làm việc",
        ),
        "transfer_present_workdays": Value(
            30,
            "workdays",
            procedures,
            label="Hạn nộp giấy giới thiệu cho nơi đến kể từ ngày ký giấy",
        ),
        "temporary_min_months": Value(
            3, "months", procedures, label="Thời gian sinh hoạt tạm thời tối thiểu"
        ),
        "temporary_max_months": Value(
            12, "months", procedures, label="Thời gian sinh hoạt tạm thời (dưới)"
        ),
        "study_max_months": Value(
            24, "months", procedures, label="Thời gian sinh hoạt tạm thời để học tập tối đa"
        ),
        "exemption_age_male": Value(
            60,
            "years",
            procedures,
            "check",
            label="Tuổi (trên) được xin miễn sinh hoạt vì tuổi cao, nam",
        ),
        "exemption_age_female": Value(
            55,
            "years",
            procedures,
            "check",
            label="Tuổi (trên) được xin miễn sinh hoạt vì tuổi cao, nữ",
        ),
    }


_2016 = _values(QD29, HD09, QD30)
_2016["transfer_present_workdays"] = replace(_2016["transfer_present_workdays"], firmness="check")

RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet("2016", date(2016, 7, 25), (QD29, HD09, QD30, QD102, CT28), _2016),
    RuleSet(
        "2021",
        date(2021, 7, 30),
        (QD24, HD12, QD22, QD69, HD02),
        _values(QD24, HD12, QD22),
        hd02_criteria=True,
        introducer_residence=True,
    ),
)
"""Oldest first. Events before the first set are judged by it (the sample starts in 2019)."""

HD02_EFFECTIVE = date(2021, 4, 12)
"""HD 02-HD/BTCTW took effect before the 2021 set's other texts; its criteria count from here."""


def in_force(on: date, overrides: Mapping[str, int] | None = None) -> RuleSet:
    """The rule set that judges an event on ``on``, with the province's overrides of ``check``
    values applied."""
    chosen = RULE_SETS[0]
    for rule_set in RULE_SETS:
        if rule_set.effective <= on:
            chosen = rule_set
    frozen = tuple(sorted(overrides.items())) if overrides else ()
    return _adjusted(chosen.name, on >= HD02_EFFECTIVE, frozen)


@lru_cache(maxsize=64)
def _adjusted(name: str, hd02: bool, overrides: tuple[tuple[str, int], ...]) -> RuleSet:
    chosen = next(r for r in RULE_SETS if r.name == name)
    if hd02 and not chosen.hd02_criteria:
        chosen = replace(chosen, hd02_criteria=True)
    if overrides:
        values = dict(chosen.values)
        for key, amount in overrides:
            if key in values and values[key].firmness == "check":
                values[key] = replace(values[key], amount=amount)
        chosen = replace(chosen, values=values)
    return chosen


def overridable() -> dict[str, Value]:
    """The values a province may change in settings.yaml (those marked ``check``)."""
    return {k: v for k, v in RULE_SETS[-1].values.items() if v.firmness == "check"}
