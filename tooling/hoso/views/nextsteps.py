"""The steps a case can take now, judged by the validator itself.

``hoso show`` offers, and ``hoso transition`` refuses, by the same judgement: for each step the
workflow allows next, a trial event (this day, each body that might act, nothing else) is
appended and the would-be record checked with the full validator. Errors on what a person
supplies (document, vote, form, ground, ...) say what must be given; errors on the body rule
that body out; any other error means the step cannot be taken now, and says why.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hoso import yamlio
from hoso.governance import CENTRAL_BODIES, Governance
from hoso.models import RECORD_MODELS, Case, OrgDisciplineCase, PlanRecord, RankingRecord
from hoso.models.discipline import FORM_LABELS
from hoso.rules.competence import bodies, place_of
from hoso.rules.workflow import WORKFLOWS
from hoso.validate.findings import Finding
from hoso.validate.record import parse, validate_model
from hoso.validate.run import check_one

SUPPLIED = (
    "document",
    "vote",
    "form",
    "form_votes",
    "ground",
    "outcome",
    "criteria",
    "introducers",
    "late_reason",
    "extended",
    "confirmation",
)
"""Event fields a person gives with the step (``hoso transition`` options); an error on one of
these in the trial means "give this", not "impossible"."""
FORMS = tuple(FORM_LABELS)


@dataclass
class NextStep:
    state: str
    actor: str
    bodies: list[str] = field(default_factory=list)
    """Codes of the bodies that may take the step now (empty when none may)."""
    needs: list[str] = field(default_factory=list)
    """Event fields that must be given (``document``, ``vote``, ``form``, ...)."""
    blockers: list[Finding] = field(default_factory=list)
    """Why the step cannot be taken now (empty when it can)."""
    refusals: list[Finding] = field(default_factory=list)
    """Why the first body ruled out was ruled out (the reason when no body may act)."""

    @property
    def possible(self) -> bool:
        return bool(self.bodies) and not self.blockers


def field_in_event(finding: Finding, index: int) -> str | None:
    """The field path inside event ``index`` that a finding names, "" for the event itself,
    None when the finding is elsewhere in the record."""
    prefix = f"history[{index}]"
    if finding.field == prefix:
        return ""
    if finding.field.startswith(prefix + "."):
        return finding.field[len(prefix) + 1 :]
    return None


def supplied(path: str) -> str | None:
    """The supplied field a path lies in (``vote.in_favour`` → ``vote``), or None."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    return head if head in SUPPLIED else None


def _candidates(case: Case, governance: Governance, actor: str) -> list[str]:
    if isinstance(case, OrgDisciplineCase):
        # The organisation itself, then the committees above it, nearest first.
        above = [u.code for u in governance.lineage(case.cell)][1:]
        kinds = ("executive", "standing", "inspection")
        seats = [f"{u}.{k}" for u in above for k in kinds if f"{u}.{k}" in governance.committees]
        return [case.organisation, *seats]
    place = place_of(case, governance)
    if place is None:
        return [case.cell]
    found = bodies(actor, place)
    if found is None:  # the rules of the kind decide (discipline by form): any organisation
        found = bodies("discipline_any", place) or frozenset()
    # The unit itself first, then its committees, nearest unit first.
    order = [u.code for u in governance.lineage(case.cell)]
    rank = {code: n for n, code in enumerate(order)}
    return sorted(
        (b for b in found if b), key=lambda b: (rank.get(b.split(".")[0], len(order)), "." in b, b)
    )


def next_steps(
    root: Path, rel: str, raw: bytes, governance: Governance, today: date
) -> list[NextStep]:
    """Every step the workflow allows after the case's present state, each judged now."""
    text, data, problems = parse(raw)
    if data is None or text is None or problems:
        return []
    model = RECORD_MODELS.get(str(data.get("kind")))
    if model is None:
        return []
    case, _ = validate_model(text, data, model)
    if case is None or isinstance(case, (PlanRecord, RankingRecord)):
        return []
    workflow = WORKFLOWS[case.kind]
    index = len(case.history)
    out = []
    for state in workflow.next_states(case.status):
        step = NextStep(state, workflow.steps[state].actor)
        candidates = _candidates(case, governance, step.actor)
        if workflow.steps[state].central:
            candidates += [c for c in CENTRAL_BODIES if c not in candidates]
        for body in candidates:
            event = {"date": today, "state": state, "body": body}
            about = _judge(root, rel, data, event, governance, today, index)
            refused = _body_errors(about)
            if not refused and any(path == "form" for path, _ in about):
                refused = _no_form_fits(root, rel, data, event, governance, today, index)
            if refused:
                step.refusals = step.refusals or refused
                continue
            step.bodies.append(body)
            for path, finding in about:
                if path is not None and path.startswith("body"):
                    continue
                need = supplied(path) if path is not None else None
                if need is not None:
                    if need not in step.needs:
                        step.needs.append(need)
                elif finding not in step.blockers:
                    step.blockers.append(finding)
        out.append(step)
    return out


def _judge(
    root: Path,
    rel: str,
    data: dict[str, Any],
    event: dict[str, Any],
    governance: Governance,
    today: date,
    index: int,
) -> list[tuple[str | None, Finding]]:
    """The errors of the record with ``event`` appended, each with its path inside the event."""
    return [
        (field_in_event(f, index), f) for f in _trial(root, rel, data, event, governance, today)
    ]


def _body_errors(about: list[tuple[str | None, Finding]]) -> list[Finding]:
    return [f for path, f in about if path is not None and path.startswith("body")]


def _no_form_fits(
    root: Path,
    rel: str,
    data: dict[str, Any],
    event: dict[str, Any],
    governance: Governance,
    today: date,
    index: int,
) -> list[Finding]:
    """For a step that needs a form: nothing when the body may take it with at least one form
    (a cell may reprimand but not expel), else why it may not with the lightest."""
    first: list[Finding] = []
    for form in reversed(FORMS):
        refused = _body_errors(
            _judge(root, rel, data, {**event, "form": form}, governance, today, index)
        )
        if not refused:
            return []
        first = first or refused
    return first


def _trial(
    root: Path,
    rel: str,
    data: dict[str, Any],
    event: dict[str, Any],
    governance: Governance,
    today: date,
) -> list[Finding]:
    trial = copy.deepcopy(data)
    trial["history"] = [*trial["history"], event]
    trial["status"] = event["state"]
    raw = yamlio.dump_plain(trial).encode("utf-8")
    findings = check_one(root, rel, raw, today, governance, warnings=False)
    return [f for f in findings if f.severity == "error"]
