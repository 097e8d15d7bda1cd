"""The CI files a province copies: nothing a pull request runs of its own may decide a merge.

A pull request runs its own copy of every workflow triggered by ``pull_request`` (its branch's
files, which it may change); a job there named as the gate's would report that check, passed
or, left out by an ``if:``, skipped (which GitHub counts as passed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).parent.parent / ".github" / "workflows"
GATE = "Cổng phê duyệt"


def _triggers(workflow: dict[Any, Any]) -> set[str]:
    found = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    if isinstance(found, str):
        return {found}
    return set(found or ())


def _workflows() -> dict[str, dict[Any, Any]]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in WORKFLOWS.glob("*.y*ml")}


def test_no_workflow_a_pull_request_runs_has_the_gates_job() -> None:
    named = {
        name: [job.get("name") for job in workflow["jobs"].values()]
        for name, workflow in _workflows().items()
        if _triggers(workflow) & {"pull_request", "push", "workflow_run"}
    }
    assert named and all(GATE not in names for names in named.values()), named


def test_the_gate_runs_only_from_the_target_branch() -> None:
    gates = [
        (name, workflow)
        for name, workflow in _workflows().items()
        if any(job.get("name") == GATE for job in workflow["jobs"].values())
    ]
    assert [name for name, _ in gates] == ["gate.yml"]
    assert _triggers(gates[0][1]) == {"pull_request_target"}
    steps = next(iter(gates[0][1]["jobs"].values()))["steps"]
    installed = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert installed == ["python -m pip install ./gate"]  # the target's code, not the request's
