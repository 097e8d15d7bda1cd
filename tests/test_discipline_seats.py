"""A member's seats on committees come from governance as well as from the case file: a post
left out of the file does not lift the limits it sets (Charter art. 36), and the votes for a
form the member cannot be given pass on to the next form (heaviest first)."""

from __future__ import annotations

from conftest import EXAMPLES, TempRepo

COMMITTEE_MEMBER = EXAMPLES / "invalid/rule-competence-district-expels-committee-member.yaml"
POST = """  posts:
  - title: Huyện ủy viên
    committee: ban-mo.executive
    since: 2020-10-01
"""


def _place(repo: TempRepo, *edits: tuple[str, str]) -> list[str]:
    text = COMMITTEE_MEMBER.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    repo.write(text.splitlines()[0].removeprefix("# place: ").strip(), text)
    return [f.rule for f in repo.validate().findings]


def test_a_seat_in_governance_counts_when_the_file_leaves_the_post_out(repo: TempRepo) -> None:
    """The subject's party card is that of a serving member of the district committee
    (governance/committees.yaml): the district standing committee cannot expel them."""
    rules = _place(repo, (POST, ""), ("party_card: '30127893'", "party_card: '61364494'"))
    assert rules == ["competence.discipline"]


def test_without_a_seat_anywhere_the_expulsion_stands(repo: TempRepo) -> None:
    assert _place(repo, (POST, "")) == []


def test_votes_for_removal_pass_on_when_the_member_holds_no_post(repo: TempRepo) -> None:
    """3 of 5 vote for removal from post: the member holds none, so the votes count for a
    warning, the first form the member can be given."""
    found = _place(
        repo,
        (POST, ""),
        ("  form: expulsion\n  vote:\n    official_members: 5",
         "  form: warning\n  form_votes:\n  - form: removal_from_post\n    votes: 3\n"
         "  vote:\n    official_members: 5"),
    )  # fmt: skip
    assert found == []
