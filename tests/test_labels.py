"""Labels: every code a model allows has a Vietnamese label that leads back to it; bodies are
named from governance; days read dd/mm/yyyy."""

from __future__ import annotations

import copy
import types
import typing
from datetime import date
from typing import Any, Literal

import pytest

from conftest import ROOT
from hoso import labels
from hoso.models import RECORD_MODELS
from hoso.models.admission import Introducer
from hoso.models.common import Subject, Vote
from hoso.models.discipline import DisciplineEvent, Violation
from hoso.models.exemption import ExemptionCase
from hoso.models.governance import Committee, Unit
from hoso.models.org_discipline import OrgDisciplineEvent
from hoso.models.ranking import RankedMember
from hoso.models.screening import ScreeningEvent
from hoso.models.transfer import TransferCase
from hoso.site.data import AUDIENCES
from hoso.validate.governance_files import load_governance


def _literal_codes(annotation: Any) -> set[str]:
    """Every string a (possibly optional, listed or annotated) Literal annotation allows."""
    if typing.get_origin(annotation) is Literal:
        return {a for a in typing.get_args(annotation) if isinstance(a, str)}
    found: set[str] = set()
    for arg in typing.get_args(annotation):
        if isinstance(arg, type | types.GenericAlias) or typing.get_origin(arg) is not None:
            found |= _literal_codes(arg)
    return found


def _codes(model: Any, field: str) -> set[str]:
    return _literal_codes(model.model_fields[field].annotation)


MODEL_FIELDS = {
    "form": (DisciplineEvent, "form"),
    "category": (Violation, "category"),
    "criterion": (ScreeningEvent, "criteria"),
    "ground": (ScreeningEvent, "ground"),
    "outcome": (DisciplineEvent, "outcome"),
    "transfer_type": (TransferCase, "transfer_type"),
    "direction": (TransferCase, "direction"),
    "reason": (ExemptionCase, "reason"),
    "sex": (Subject, "sex"),
    "standing": (Subject, "standing"),
    "method": (Vote, "method"),
    "introducer": (Introducer, "kind"),
    "committee_kind": (Committee, "kind"),
    "level": (Unit, "level"),
}


@pytest.mark.parametrize("name", sorted(MODEL_FIELDS))
def test_every_code_of_the_model_has_a_label(name: str) -> None:
    model, field = MODEL_FIELDS[name]
    codes = _codes(model, field)
    if name == "form":  # --form takes the forms for members and for organisations
        codes |= _codes(OrgDisciplineEvent, "form")
    assert set(labels.VOCABULARIES[name].labels) == codes


def test_ranking_levels_have_labels() -> None:
    assert set(labels.VOCABULARIES["ranking"].labels) == _codes(RankedMember, "level")


def test_every_state_of_every_kind_has_a_label() -> None:
    for kind, model in RECORD_MODELS.items():
        if kind in ("plan", "ranking"):  # no workflow, no states
            continue
        assert set(labels.states(kind).labels) == _codes(model, "status"), kind


def test_kinds_and_audiences() -> None:
    assert set(labels.VOCABULARIES["kind"].labels) == set(RECORD_MODELS) - {"plan"}
    assert set(labels.VOCABULARIES["audience"].labels) == set(AUDIENCES)


def _vocabularies() -> list[tuple[str, labels.Vocabulary]]:
    kinds = [k for k in RECORD_MODELS if k != "plan"]
    return [*labels.VOCABULARIES.items(), *((f"state:{k}", labels.states(k)) for k in kinds)]


@pytest.mark.parametrize(("name", "vocabulary"), _vocabularies(), ids=lambda v: str(v)[:20])
def test_labels_round_trip_with_and_without_diacritics(
    name: str, vocabulary: labels.Vocabulary
) -> None:
    folded = [labels.fold(text) for text in vocabulary.labels.values()]
    assert len(set(folded)) == len(folded), f"{name}: two labels fold alike"
    for code, text in vocabulary.labels.items():
        assert text != code and text.strip() == text
        assert labels.lookup(vocabulary.labels, code) == code
        assert labels.lookup(vocabulary.labels, text) == code
        assert labels.lookup(vocabulary.labels, labels.fold(text)) == code
        assert labels.lookup(vocabulary.labels, text.upper()) == code


def test_fold() -> None:
    assert labels.fold("Tuổi  cao") == "tuoi cao"
    assert labels.fold("ĐẢNG VIÊN dự_bị") == "dang vien du bi"
    assert labels.fold("temporary_study") == "temporary study"
    assert labels.lookup(labels.REASON_LABELS, "tuoi cao") == "age"


def test_words_standing_in_one_label_name_it() -> None:
    kinds = labels.VOCABULARIES["kind"].labels
    assert labels.lookup(kinds, "kết nạp") == "admission"
    assert labels.lookup(kinds, "ket nap") == "admission"
    assert labels.lookup(labels.REASON_LABELS, "tuổi") == "age"
    # In several labels: none is chosen, the user is asked.
    assert labels.lookup(kinds, "đảng viên") is None
    assert set(labels.closest(kinds, "đảng viên")) == {"admission", "screening", "discipline"}
    # Whole words only: "ke" is not "kết".
    assert labels.lookup(kinds, "ke") is None
    assert labels.lookup(kinds, "") is None


def test_punctuation_in_a_label_does_not_hide_its_words() -> None:
    """Labels hold ';' and ',': words on either side of one still stand in the label."""
    states = labels.states("admission").labels
    assert labels.lookup(states, "tổ chức lễ kết nạp") == "ceremony_held"
    assert labels.lookup(states, "lễ kết nạp") == "ceremony_held"
    assert labels.lookup(states, "da hoc lop boi duong nhan thuc ve dang") == "course_completed"
    assert labels.lookup(states, "về Đảng có giấy chứng nhận") == "course_completed"
    assert labels.lookup(labels.CATEGORY_LABELS, "đạo đức lối sống") == "quality_ethics_lifestyle"


def test_words_in_several_labels_are_said_to_match_each() -> None:
    states = labels.states("admission").labels
    assert labels.matching(states, "dự bị") == ["ceremony_held", "struck_from_probation"]
    assert labels.lookup(states, "dự bị") is None
    assert labels.matching(states, "không có gì như thế") == []
    assert labels.matching(states, "decided") == ["decided"]


def test_words_after_a_negation_neither_name_nor_suggest_that_value() -> None:
    """ "đồng ý" is not "Chi bộ không đồng ý"; "admitted" is not ``not_admitted``."""
    exemption = labels.states("exemption").labels
    assert labels.lookup(exemption, "đồng ý") is None
    assert labels.lookup(exemption, "không đồng ý") == "refused"
    assert "refused" not in labels.closest(exemption, "dong y")
    admission = labels.states("admission").labels
    assert "not_admitted" not in labels.closest(admission, "admitted")
    assert labels.closest(admission, "khong ket nap") == ["not_admitted"]
    # A label that negates other words still holds the words before them.
    assert labels.lookup(labels.GROUND_LABELS, "bỏ sinh hoạt") == "missed_activity_or_dues"


@pytest.mark.parametrize(
    ("vocabulary", "typed", "code"),
    [
        ("introducer", "đoàn viên", "youth_union"),
        ("introducer", "Đoàn TN", "youth_union"),
        ("introducer", "doan thanh nien", "youth_union"),
        ("introducer", "công đoàn viên", "trade_union"),
        ("introducer", "Công đoàn", "trade_union"),
        ("introducer", "đảng viên", "member"),
        ("method", "giơ tay", "show_of_cards"),
        ("method", "biểu quyết bằng giơ tay", "show_of_cards"),
        ("method", "gio the", "show_of_cards"),
    ],
)
def test_everyday_words_name_their_value(vocabulary: str, typed: str, code: str) -> None:
    assert labels.VOCABULARIES[vocabulary].lookup(typed) == code


def test_everyday_words_are_their_own_and_lead_to_a_value() -> None:
    for name, vocabulary in labels.VOCABULARIES.items():
        for word, code in vocabulary.aliases.items():
            assert code in vocabulary.labels, (name, word)
            others = [
                c for c, t in vocabulary.labels.items() if labels.fold(t) == labels.fold(word)
            ]
            assert others in ([], [code]), (name, word)
    # "đoàn" alone may be either union: asked, not guessed.
    introducer = labels.VOCABULARIES["introducer"]
    assert introducer.lookup("đoàn") is None
    assert introducer.matching("đoàn") == ["youth_union", "trade_union"]


def test_closest_suggests_near_values() -> None:
    assert labels.closest(labels.REASON_LABELS, "tuoi ca") == ["age"]
    assert labels.closest(labels.FORM_LABELS, "khien trach nang") == ["reprimand"]
    assert labels.closest(labels.FORM_LABELS, "canh cao") == ["warning"]
    assert labels.closest(labels.FORM_LABELS, "xyz") == []


def test_days() -> None:
    assert labels.day(date(2026, 3, 5)) == "05/03/2026"
    assert labels.day("2026-03-05") == "05/03/2026"
    assert labels.day(None) == ""
    assert labels.days_in_text("hạn 2026-03-05, số 12-2026-01-02x") == (
        "hạn 05/03/2026, số 12-2026-01-02x"
    )
    assert labels.days_in_text("từ 2019-05-02 đến 2020-01-31.") == "từ 02/05/2019 đến 31/01/2020."


def test_bodies_are_named_by_unit_and_committee() -> None:
    governance, _ = load_governance(ROOT)
    assert labels.body(governance, "khe-lam.inspection") == "Ủy ban Kiểm tra huyện Khê Lam"
    assert labels.body(governance, "khe-lam.standing") == "Ban Thường vụ huyện Khê Lam"
    assert labels.body(governance, "khe-lam-x03-cb1") == "Chi bộ bản Phiêng Lếch 1"
    # The sample's cell committees are all called "Chi ủy chi bộ": the cell's name is added.
    assert labels.body(governance, "khe-lam-x01-cb1.cell_committee") == (
        "Chi ủy Chi bộ bản Nà Khoang 1"
    )
    assert labels.body_with_code(governance, "khe-lam.standing") == (
        "Ban Thường vụ huyện Khê Lam (khe-lam.standing)"
    )
    assert labels.body(governance, "no-such.body") == "no-such.body"
    assert labels.body_with_code(governance, "no-such.body") == "no-such.body"
    every = [labels.body(governance, code) for code in governance.committees]
    assert len(set(every)) == len(every), "two committees share a label"


def test_unknown_codes_fall_back_to_the_code() -> None:
    assert labels.label("form", "new_form") == "new_form"
    assert labels.label("no-such-vocabulary", "x") == "x"
    assert labels.state("admission", "nowhere") == "nowhere"
    assert labels.kind("no_such_kind") == "no_such_kind"


def test_steps_chain_where_each_starts_at_the_last() -> None:
    cell, partial = "Chi bộ đã ra nghị quyết đề nghị kết nạp", "Đảng ủy bộ phận đã thẩm định"
    sympathiser = "Đã vào danh sách cảm tình, có đảng viên giúp đỡ"
    chained = [("cell_voted", "partial_appraised"), ("partial_appraised", "cell_voted")]
    assert labels.steps("admission", chained) == f"{cell} → {partial} → {cell}"
    apart = [("", "sympathiser"), ("cell_voted", "partial_appraised")]
    assert labels.steps("admission", apart) == f"{sympathiser}; {cell} → {partial}"


def test_every_top_level_field_of_every_record_kind_has_a_label() -> None:
    names = {name for model in RECORD_MODELS.values() for name in model.model_fields}
    assert sorted(names - set(labels.FIELD_LABELS)) == []
    assert labels.field("history[0]") == "bước thứ 1 trong lịch sử"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Đảng ủy xã Phiêng Lếch", "khe-lam-x03.executive"),
        ("Huyện ủy Khê Lam", "khe-lam.executive"),
        ("huyen uy khe lam", "khe-lam.executive"),
        ("BTV Huyện ủy Khê Lam", "khe-lam.standing"),
        ("UBKT huyện Khê Lam", "khe-lam.inspection"),
        ("Ủy ban Kiểm tra Đảng ủy xã Phiêng Lếch", "khe-lam-x03.inspection"),
        ("Ủy ban Kiểm tra huyện Khê Lam", "khe-lam.inspection"),
        ("khe-lam.standing", "khe-lam.standing"),
        ("Ban Thường vụ Huyện ủy Khê Lam", "khe-lam.standing"),
        ("Ủy ban Kiểm tra Huyện ủy Khê Lam", "khe-lam.inspection"),
        ("Ban Tổ chức Huyện ủy Khê Lam", "khe-lam.organisation"),
        ("BTV Thị ủy Bản Mơ", "ban-mo.standing"),
    ],
)
def test_committees_are_found_by_the_names_people_use(typed: str, code: str) -> None:
    from hoso.cli.values import resolve_body

    governance, _ = load_governance(ROOT)
    assert resolve_body(governance, typed, "--body") == code


def test_a_name_no_committee_has_is_still_refused() -> None:
    import click

    from hoso.cli.values import resolve_body

    governance, _ = load_governance(ROOT)
    with pytest.raises(click.BadParameter, match="không có tổ chức"):
        resolve_body(governance, "Đảng ủy xã Không Có", "--body")


def test_a_name_people_use_comes_before_words_inside_another_label() -> None:
    """The inspection committee named "Ủy ban Kiểm tra Đảng ủy xã Phiêng Lếch" holds the
    words "Đảng ủy xã Phiêng Lếch": those words still name the commune's executive."""
    from hoso.cli.values import resolve_body

    governance = copy.deepcopy(load_governance(ROOT)[0])  # the loaded one is shared
    inspection = governance.committees["khe-lam-x03.inspection"]
    named = inspection.model_copy(update={"name": "Ủy ban Kiểm tra Đảng ủy xã Phiêng Lếch"})
    governance.committees["khe-lam-x03.inspection"] = named
    assert resolve_body(governance, "Đảng ủy xã Phiêng Lếch", "--body") == "khe-lam-x03.executive"


def test_a_name_two_communes_share_is_refused_with_both() -> None:
    import click

    from hoso.cli.values import resolve_body

    governance = copy.deepcopy(load_governance(ROOT)[0])  # the loaded one is shared
    other = governance.units["pa-vang-x02"]
    governance.units["pa-vang-x02"] = other.model_copy(update={"name": "Đảng bộ xã Phiêng Lếch"})
    with pytest.raises(click.BadParameter, match="có thể là nhiều tổ chức") as refused:
        resolve_body(governance, "Đảng ủy xã Phiêng Lếch", "--body")
    assert "khe-lam-x03.executive" in str(refused.value)
    assert "pa-vang-x02.executive" in str(refused.value)


def test_a_label_two_units_share_is_refused_with_both() -> None:
    import click

    from hoso.cli.values import resolve_body

    governance = copy.deepcopy(load_governance(ROOT)[0])  # the loaded one is shared
    other = governance.units["pa-vang-x02"]
    governance.units["pa-vang-x02"] = other.model_copy(update={"name": "Đảng bộ xã Phiêng Lếch"})
    with pytest.raises(click.BadParameter, match="có thể là nhiều tổ chức") as refused:
        resolve_body(governance, "Đảng bộ xã Phiêng Lếch", "--body")
    assert "(khe-lam-x03)" in str(refused.value) and "(pa-vang-x02)" in str(refused.value)


def test_a_unit_is_found_by_its_committees_name() -> None:
    from hoso.cli.values import resolve_unit

    governance, _ = load_governance(ROOT)
    assert resolve_unit(governance, "Đảng ủy xã Phiêng Lếch", "--unit") == "khe-lam-x03"
    assert resolve_unit(governance, "Huyện ủy Khê Lam", "--unit") == "khe-lam"


def test_a_code_of_another_list_is_said_in_words() -> None:
    """'khai trừ' typed for an organisation's form: the message names it, not its code."""
    from hoso.validate.messages import _one_of

    message = _one_of("'reprimand', 'warning' or 'dissolution'", "expulsion", "form")
    assert message.endswith("nhận được khai trừ (expulsion)")


def test_a_state_not_in_the_list_is_answered_with_the_states_labels() -> None:
    from hoso.validate.messages import _one_of

    expected = "'requested', 'granted', 'reported', 'refused' or 'ended'"
    message = _one_of(expected, "chi bo khong dong y", "state")
    assert "refused (Chi bộ không đồng ý)" in message
    assert message.endswith("; hãy ghi refused")
