"""The docs stay honest: every workflow is explained from the validator's own tables, and every
command and option says what it does."""

from __future__ import annotations

import click
import pytest

from hoso import explain
from hoso.cli.main import cli
from hoso.models import STATE_LABELS
from hoso.models.admission import AdmissionState
from hoso.models.discipline import DisciplineState
from hoso.models.exemption import ExemptionState
from hoso.models.org_discipline import OrgDisciplineState
from hoso.models.screening import ScreeningState
from hoso.models.transfer import TransferState
from hoso.rules.rulesets import RULE_SETS
from hoso.rules.workflow import WORKFLOWS

MODEL_STATES = {
    "admission": AdmissionState,
    "screening": ScreeningState,
    "discipline": DisciplineState,
    "transfer": TransferState,
    "exemption": ExemptionState,
    "org_discipline": OrgDisciplineState,
}


@pytest.mark.parametrize("kind", sorted(WORKFLOWS))
def test_workflow_states_are_the_model_states(kind: str) -> None:
    from typing import get_args

    assert set(WORKFLOWS[kind].steps) == set(get_args(MODEL_STATES[kind]))
    assert set(STATE_LABELS[kind]) == set(WORKFLOWS[kind].steps)


@pytest.mark.parametrize("kind", sorted(WORKFLOWS))
def test_every_state_is_explained_and_drawn(kind: str) -> None:
    text, markdown, diagram = explain.text(kind), explain.markdown(kind), explain.mermaid(kind)
    for state, step in WORKFLOWS[kind].steps.items():
        assert f"\n\n{STATE_LABELS[kind][state]}\n    ai thực hiện: " in text
        assert f"{state}" not in text.replace(step.guide, "")  # what people read: labels
        assert f"(`{state}`)" in markdown and step.guide in markdown
        assert f"    {state}: " in diagram
    for state in WORKFLOWS[kind].opening():
        assert f"[*] --> {state}" in diagram
    for step in WORKFLOWS[kind].steps.values():
        for before in step.after:
            assert f"    {before} --> {step.state}\n" in diagram


def test_every_final_state_is_reachable_from_an_opening_state() -> None:
    for workflow in WORKFLOWS.values():
        seen, frontier = set(workflow.opening()), list(workflow.opening())
        while frontier:
            for nxt in workflow.next_states(frontier.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert seen == set(workflow.steps), workflow.kind


def test_every_rule_value_names_its_source_and_label() -> None:
    for rule_set in RULE_SETS:
        for key, value in rule_set.values.items():
            assert value.label and value.source, key
            assert any(c.isdigit() for c in value.source), key  # number and date


def test_every_command_and_option_has_help() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_the_ranking_has_no_empty_step_heading() -> None:
    """A ranking is a yearly record without steps: its values list no --to heading."""
    text = explain.text("ranking")
    assert "--to" not in text
    assert "members[].level trong tệp (mức xếp loại):" in text


def test_an_organisation_case_lists_only_its_own_forms_and_options() -> None:
    text = explain.text("org_discipline")
    assert "hình thức kỷ luật tổ chức đảng" in text and "\n    giải tán\n" in text
    assert "\n    khai trừ\n" not in text and "\n    cách chức\n" not in text
    assert "--sex" not in text and "--standing" not in text
    member = explain.text("discipline")
    assert "\n    khai trừ\n" in member and "\n    giải tán\n" not in member
    assert "--sex" in member


def test_the_ranking_in_a_terminal_lists_levels_without_a_table() -> None:
    page = explain.text("ranking")
    assert not [line for line in page.splitlines() if line.startswith("|")]
    assert "    Hoàn thành xuất sắc nhiệm vụ (excellent)" in page.splitlines()
    assert "\n\nGIÁ TRỊ GHI TRONG TỆP" in page
    assert "    Hoàn thành xuất sắc nhiệm vụ (ghi: excellent)" in page.splitlines()


def test_explain_in_a_terminal_names_steps_and_values_by_their_labels() -> None:
    """A clerk reads labels: the step headings and what may follow are labels, one per line;
    an option's values are their labels (typed as such), not codes before them."""
    text = explain.text("admission")
    assert text.startswith(
        "KẾT NẠP ĐẢNG VIÊN\n\nHồ sơ bắt đầu bằng bước: Đã vào danh sách cảm tình, có đảng viên "
        "giúp đỡ.\n\nĐã vào danh sách cảm tình, có đảng viên giúp đỡ\n"
        "    ai thực hiện: chi bộ hoặc chi ủy\n"
        "    tiếp theo:\n"
        "      - Đã học lớp bồi dưỡng nhận thức về Đảng, có giấy chứng nhận\n"
        "      - Dừng xem xét (người đề nghị rút đơn hoặc không đủ điều kiện)\n"
    )
    assert "--vote-method (hình thức biểu quyết):\n    bỏ phiếu kín\n    giơ thẻ\n" in text
    for code in ("sympathiser", "course_completed", "secret_ballot", "youth_union", "member "):
        assert code not in text, code
