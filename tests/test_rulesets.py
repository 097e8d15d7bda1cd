"""Rule values by governing text and date: each event is judged by, and cited to, a text already
in force on its date; a province changes only the values marked ``check``."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from conftest import ROOT, TempRepo
from hoso.rules.rulesets import (
    HD09,
    HD12,
    QD24,
    QD29,
    QD124,
    QD132,
    RULE_SETS,
    TEXTS,
    in_force,
)

_TEXT_DATES = {t.name: t.effective for t in TEXTS}


def _cited(source: str) -> date:
    name = next(n for n in _TEXT_DATES if source.startswith(n))
    return _TEXT_DATES[name]


@pytest.mark.parametrize("rule_set", RULE_SETS, ids=lambda r: r.name)
def test_every_value_cites_a_text_in_force_or_says_it_is_early(rule_set: object) -> None:
    from hoso.rules.rulesets import RuleSet

    assert isinstance(rule_set, RuleSet)
    for key, value in rule_set.values.items():
        if value.source.startswith("Điều lệ"):
            continue
        if value.provisional:
            assert _cited(value.source) > rule_set.effective, key
            assert "trước ngày văn bản có hiệu lực" in value.source, key
        else:
            assert _cited(value.source) <= rule_set.effective, key


def test_from_2019_no_value_is_applied_before_its_text() -> None:
    assert not [k for k, v in in_force(date(2019, 1, 21)).values.items() if v.provisional]


def test_a_step_of_1_9_2021_cites_the_texts_then_in_force() -> None:
    """QĐ 24 (30/07/2021) for transfers; HD 09 for procedures until HD 12 of 18/01/2022."""
    rules = in_force(date(2021, 9, 1))
    assert rules["transfer_present_workdays"].source == QD24.name
    assert rules["transfer_start_workdays"].source == QD24.name
    assert rules["failed_votes"].source == HD09.name
    assert in_force(date(2022, 1, 17))["failed_votes"].source == HD09.name
    assert in_force(date(2022, 1, 18))["failed_votes"].source == HD12.name
    assert in_force(QD24.effective - timedelta(days=1))["transfer_present_workdays"].source == (
        QD29.name
    )


def test_the_ranking_texts_take_over_on_their_dates() -> None:
    assert in_force(date(2023, 10, 3))["excellent_share"].source == QD132.name
    assert in_force(date(2023, 10, 4))["excellent_share"].source == QD124.name
    assert in_force(date(2023, 10, 4))["excellent_share"].amount == Fraction(1, 5)


def test_overrides_change_check_values_only() -> None:
    on = date(2024, 1, 1)
    rules = in_force(on, {"complaint_workdays": 45, "decision_workdays": 90})
    assert rules.amount("complaint_workdays") == 45
    assert rules.amount("decision_workdays") == 60  # firm: the text states it
    share = in_force(on, {"org_discipline_vote": "2/3"})["org_discipline_vote"]
    assert share.amount == Fraction(2, 3)
    assert in_force(on, {"org_discipline_vote": 2})["org_discipline_vote"].amount == Fraction(1, 2)


def test_an_override_that_would_be_ignored_is_a_finding(repo: TempRepo) -> None:
    settings = repo.root / "governance/settings.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "rule_overrides:\n  decision_workdays: 90\n  no_such_rule: 3\n"
        + "  complaint_workdays: '1/2'\n  help_months: 9\n",
        encoding="utf-8",
    )
    lines = [line for line in repo.lines() if "rule_override" in line or "rule_overrides" in line]
    assert lines == [
        "governance/settings.yaml:9:22: rule_overrides.decision_workdays: quy định "
        "'decision_workdays' do văn bản quy định chắc chắn, tỉnh không thay được",
        "governance/settings.yaml:10:17: rule_overrides.no_such_rule: không có quy định mã "
        "'no_such_rule' trong bộ quy định",
        "governance/settings.yaml:11:23: rule_overrides.complaint_workdays: giá trị cho "
        "'complaint_workdays' phải là một số nguyên; nhận được '1/2'",
        "governance/settings.yaml:12:16: rule_overrides.help_months: quy định 'help_months' do "
        "văn bản quy định chắc chắn, tỉnh không thay được",
    ]


def test_the_help_period_is_the_provinces_the_no_progress_ground_is_firm() -> None:
    """DOMAIN: the help period before reassessment is configurable; striking off for no
    progress 12 months after education began is firm. Two values, one of each kind."""
    on = date(2024, 1, 1)
    rules = in_force(on, {"help_period_months": 6})
    assert rules.amount("help_period_months") == 6
    assert in_force(on)["help_period_months"].firmness == "check"
    assert rules.amount("help_months") == 12 and in_force(on)["help_months"].firmness == "firm"
    assert in_force(on, {"help_months": 6}).amount("help_months") == 12


def test_the_reassessment_falls_due_after_the_provinces_help_period() -> None:
    from dataclasses import replace

    from hoso.rules.dates import add_months
    from hoso.rules.deadlines import pending
    from hoso.validate.governance_files import load_governance
    from hoso.validate.record import model_of, parse

    listed = next(
        p
        for p in sorted((ROOT / "cases").glob("*/screening/*.yaml"))
        if "\nstatus: listed\n" in p.read_text(encoding="utf-8")
    )
    data = parse(listed.read_bytes())[1]
    model = model_of(data)
    assert model is not None
    case = model.model_validate(data)
    governance, _ = load_governance(ROOT)
    day = next(e.date for e in case.history if e.state == "listed")

    def due(overrides: dict[str, int]) -> date:
        settings = governance.settings.model_copy(update={"rule_overrides": overrides})
        changed = replace(governance, settings=settings, memo={})
        (found,) = [d.due for d in pending(case, changed) if "Đánh giá lại" in d.what]
        return found

    assert due({}) == add_months(day, 12)
    assert due({"help_period_months": 6}) == add_months(day, 6)


def test_a_day_before_the_first_rule_set_cites_its_values_as_applied_early() -> None:
    """Events before 2016 are judged by the first set, and every citation says so."""
    from datetime import date

    from hoso.rules.rulesets import RULE_SETS, in_force

    first = RULE_SETS[0]
    before = in_force(date(2010, 1, 4))
    for key, value in before.values.items():
        assert value.amount == first.values[key].amount
        assert value.source.endswith("áp dụng cả trước ngày văn bản có hiệu lực"), key
    on_time = in_force(first.effective)
    assert any(not v.source.endswith("hiệu lực") for v in on_time.values.values())
