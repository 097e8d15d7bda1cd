"""Vote arithmetic: the tooling recomputes every threshold from the counts, never trusting a
stored verdict."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

from hoso.models.common import Vote
from hoso.rules.rulesets import Value

ALL_EXEMPTED_OUT = frozenset({"screening_vote"})
"""Thresholds whose denominator leaves out every exempted member, present or not (the cell's
vote to list a member for screening); elsewhere only the exempted who are absent."""


def eligible(vote: Vote, threshold: str | None = None) -> int:
    """The denominator: official members less those exempted and absent and those temporarily
    transferred out (absent ordinary members stay in the count); for ``ALL_EXEMPTED_OUT``
    thresholds, less the exempted who are present too."""
    out = vote.exempted_present if threshold in ALL_EXEMPTED_OUT else 0
    return vote.official_members - vote.exempted_absent - vote.transferred_out - out


def denominator(kind: str, state: str, vote: Vote) -> int:
    """The denominator the vote of step ``state`` is judged against: what a page shows as
    "in favour / N"."""
    from hoso.rules.workflow import WORKFLOWS

    workflow = WORKFLOWS.get(kind)
    step = workflow.steps.get(state) if workflow else None
    return eligible(vote, step.threshold if step else None)


def reaches(votes: int, of: int, rule: Value) -> bool:
    """Whether ``votes`` in favour out of ``of`` entitled to vote reach ``rule``; never where
    nobody is entitled (no share of nobody makes a resolution)."""
    if of <= 0:
        return False
    share = Fraction(rule.amount)
    return votes > share * of if rule.strict else votes >= share * of


def needed(of: int, rule: Value) -> int:
    """The fewest votes that reach ``rule`` out of ``of`` (at least one)."""
    share = Fraction(rule.amount) * max(of, 0)
    whole = share.numerator // share.denominator
    if rule.strict:
        return whole + 1
    return max(whole if whole == share else whole + 1, 1)


def inconsistencies(vote: Vote) -> Iterator[tuple[str, str]]:
    """Counts that cannot all be true at once: (field, why)."""
    if vote.exempted_absent + vote.transferred_out > vote.official_members:
        yield (
            "exempted_absent",
            "số miễn sinh hoạt vắng mặt cộng số chuyển đi tạm thời vượt "
            f"tổng số đảng viên chính thức ({vote.official_members})",
        )
    present_max = vote.official_members - vote.transferred_out - vote.exempted_absent
    if vote.present > present_max:
        yield (
            "present",
            f"số có mặt ({vote.present}) vượt số có thể có mặt ({max(present_max, 0)}: "
            f"{vote.official_members} đảng viên chính thức, trừ người chuyển đi tạm thời và "
            "người miễn sinh hoạt vắng mặt)",
        )
    if vote.exempted_present > vote.present:
        yield (
            "exempted_present",
            f"số miễn sinh hoạt có mặt ({vote.exempted_present}) vượt số có mặt ({vote.present})",
        )
    exempted = vote.exempted_absent + vote.exempted_present
    absent_fits = vote.exempted_absent + vote.transferred_out <= vote.official_members
    if (
        vote.exempted_present
        and absent_fits
        and exempted + vote.transferred_out > vote.official_members
    ):
        yield (
            "exempted_present",
            f"số miễn sinh hoạt (vắng và có mặt) cộng số chuyển đi tạm thời vượt tổng số đảng "
            f"viên chính thức ({vote.official_members})",
        )
    cast = vote.in_favour + vote.against + vote.abstain
    if cast != vote.present:
        yield (
            "in_favour",
            f"tán thành + không tán thành + không biểu quyết = {cast}, phải bằng "
            f"số có mặt ({vote.present})",
        )


def form_vote_problems(
    present: int, counts: Sequence[tuple[str, int]], names: Mapping[str, str]
) -> Iterator[str]:
    """What cannot be true of the votes per form: a form counted twice, or more ballots for
    the forms together than people present (each votes for one form at most)."""
    forms = [form for form, _ in counts]
    for form in dict.fromkeys(f for f in forms if forms.count(f) > 1):
        yield f"hình thức {names.get(form, form)} được ghi nhiều lần; mỗi hình thức ghi một lần"
    cast = sum(votes for _, votes in counts)
    if cast > present:
        yield f"tổng số phiếu theo từng hình thức ({cast}) vượt số có mặt ({present})"


def ballots(
    present: int, form_votes: Sequence[Any], names: Mapping[str, str]
) -> tuple[dict[str, int], list[str]]:
    """The votes per form of a step, and what cannot be true of them
    (``form_vote_problems``); the votes are counted only when nothing is."""
    counts = [(str(fv.form), int(fv.votes)) for fv in form_votes]
    return dict(counts), list(form_vote_problems(present, counts, names))
