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
        assert f"\n{state}: " in text
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
    assert "hình thức kỷ luật tổ chức đảng" in text and "dissolution" in text
    assert "expulsion" not in text and "removal_from_post" not in text
    assert "--sex" not in text and "--standing" not in text
    member = explain.text("discipline")
    assert "expulsion" in member and "dissolution" not in member and "--sex" in member


def test_the_ranking_in_a_terminal_lists_levels_without_a_table() -> None:
    page = explain.text("ranking")
    assert not [line for line in page.splitlines() if line.startswith("|")]
    assert "    Hoàn thành xuất sắc nhiệm vụ (excellent)" in page.splitlines()
    assert "\n\nGIÁ TRỊ CỦA CÁC TÙY CHỌN" in page
