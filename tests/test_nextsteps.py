"""One truth about the next step: what ``hoso show`` offers is what ``hoso transition`` accepts,
what it says is needed is needed, and what it says cannot be done now is refused."""

from __future__ import annotations

import itertools
import shlex
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, ROOT, TempRepo
from hoso import editing, explain, yamlio
from hoso.labels import GROUND_LABELS
from hoso.models import RECORD_MODELS, OrgDisciplineCase
from hoso.models.discipline import FORM_LABELS
from hoso.models.org_discipline import ORG_FORM_LABELS
from hoso.rules.competence import bodies, place_of
from hoso.rules.path import serving
from hoso.rules.workflow import WORKFLOWS
from hoso.validate.governance_files import load_governance
from hoso.validate.record import parse, validate_model
from hoso.views.nextsteps import NextStep, next_steps


def _one_case_per_state() -> list[str]:
    """The sample's first case in each (kind, state) that has a next step."""
    seen: set[tuple[str, str]] = set()
    picked = []
    for path in sorted((ROOT / "cases").glob("*/*/*.yaml")):
        data = yamlio.load_bytes(path.read_bytes())
        kind, status = data.get("kind"), data.get("status")
        if kind not in WORKFLOWS or (kind, status) in seen:
            continue
        if not WORKFLOWS[kind].next_states(status):
            continue
        seen.add((kind, status))
        picked.append(path.relative_to(ROOT).as_posix())
    return picked


CASES = _one_case_per_state()
GOVERNANCE = load_governance(ROOT)[0]
_LEADING = ("executive", "standing", "inspection")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "governance", root / "governance")
    for rel in CASES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, root / rel)
    return root


def _filled(
    step: str, body: str, needs: list[str], vote_rule: str, extra: dict[str, Any]
) -> dict[str, Any]:
    """A generous event: everything it needs, given so as to pass."""
    event: dict[str, Any] = {"date": AS_OF, "state": step, "body": body}
    if "document" in needs:
        event["document"] = {"number": "1-NQ/MAU", "date": AS_OF, "issuer": body}
    if "vote" in needs:
        # A committee votes with its members serving that day; a cell's roll is its own.
        members = serving(GOVERNANCE, body, AS_OF) or 9
        passed = members if vote_rule == "pass" else 0
        event["vote"] = {
            "official_members": members,
            "present": members,
            "in_favour": passed,
            "against": members - passed,
            "method": "secret_ballot",
        }
    if "confirmation" in needs:
        event["confirmation"] = {"number": "1-CV/MAU", "date": AS_OF, "issuer": "Nơi đến mẫu"}
    if "criteria" in needs:
        event["criteria"] = ["duties_not_completed"]
    if "outcome" in needs:
        event["outcome"] = "upheld"
    if "late_reason" in needs:
        event["late_reason"] = "Lý do mẫu"
    if "introducers" in needs:
        event["introducers"] = [
            {"name": f"Người Giới Thiệu {n}", "kind": "member", "known_since": date(2000, 1, 1)}
            for n in (1, 2)
        ]
    return {**event, **extra}


def _choices(needs: list[str], kind: str = "") -> Iterator[dict[str, Any]]:
    every = ORG_FORM_LABELS if kind == "org_discipline" else FORM_LABELS
    forms = list(every) if "form" in needs else [None]
    grounds = list(GROUND_LABELS) if "ground" in needs else [None]
    for form, ground in itertools.product(forms, grounds):
        yield {
            **({"form": form} if form else {}),
            **({"ground": ground} if ground else {}),
        }


def _accepts(root: Path, rel: str, event: dict[str, Any]) -> bool:
    path = root / rel
    before = path.read_bytes()
    try:
        editing.record_step(root, path, event, AS_OF)
    except editing.Refused:
        return False
    path.write_bytes(before)
    return True


def _steps(root: Path, rel: str) -> list[NextStep]:
    governance, _ = load_governance(root)
    return next_steps(root, rel, (root / rel).read_bytes(), governance, AS_OF)


def _all_bodies(root: Path, rel: str, actor: str) -> list[str]:
    governance, _ = load_governance(root)
    text, data, _ = parse((root / rel).read_bytes())
    case, _ = validate_model(text, data, RECORD_MODELS[data["kind"]])  # type: ignore[arg-type]
    if isinstance(case, OrgDisciplineCase):  # every unit and committee above it, and itself
        return sorted(
            {case.organisation}
            | {c for c, found in governance.committees.items() if found.unit != case.cell}
            & {f"{u.code}.{k}" for u in governance.lineage(case.cell) for k in _LEADING}
        )
    place = place_of(case, governance)  # type: ignore[arg-type]
    assert place is not None
    found = bodies(actor, place) or bodies("discipline_any", place) or frozenset()
    return sorted(found)


def test_the_sample_covers_many_states() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("rel", CASES, ids=lambda r: r.rsplit("/", 1)[1])
def test_offered_steps_are_accepted_and_the_others_refused(sample: Path, rel: str) -> None:
    kind = yamlio.load_bytes((sample / rel).read_bytes())["kind"]
    for step in _steps(sample, rel):
        rule = WORKFLOWS[kind].steps[step.state].vote
        if step.possible:
            for body in {step.bodies[0], step.bodies[-1]}:
                events = [
                    _filled(step.state, body, step.needs, rule, c)
                    for c in _choices(step.needs, kind)
                ]
                assert any(_accepts(sample, rel, e) for e in events), (step.state, body)
            # Each need is needed: without it the same event is refused.
            for need in step.needs:
                if need in ("form", "ground"):
                    continue  # the choices themselves; a missing one is refused by its rule
                event = _filled(step.state, step.bodies[0], step.needs, rule, {})
                first = next(_choices(step.needs, kind))
                event = {**event, **first}
                event.pop(need, None)
                assert not _accepts(sample, rel, event), (step.state, need)
        else:
            # Everything the step can record, for every body that might act: still refused.
            table = WORKFLOWS[kind].steps[step.state]
            given = explain.needs(kind, table) + (["late_reason"] if kind == "transfer" else [])
            for body in _all_bodies(sample, rel, step.actor):
                for choice in _choices(given, kind):
                    event = _filled(step.state, body, given, rule, choice)
                    assert not _accepts(sample, rel, event), (step.state, body, choice)


@pytest.mark.parametrize("rel", CASES, ids=lambda r: r.rsplit("/", 1)[1])
def test_explain_names_the_same_needs_as_show(sample: Path, rel: str) -> None:
    kind = yamlio.load_bytes((sample / rel).read_bytes())["kind"]
    for step in _steps(sample, rel):
        if not step.possible:
            continue
        table = WORKFLOWS[kind].steps[step.state]
        assert set(step.needs) - {"late_reason"} == set(explain.needs(kind, table)), step.state


def test_show_offers_only_what_is_possible_now(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    repo.place(ROOT / "tests" / "examples" / "valid" / "admission-cell-voted.yaml")
    main(["show", "KN-2024-test01", "--as-of", "26/11/2026", "--repo", str(repo.root)])
    out = capsys.readouterr().out
    offered = out.split("Bước có thể ghi bây giờ:", 1)[1].split("Chưa thể ghi bây giờ:", 1)
    assert "  - Đảng ủy bộ phận đã thẩm định\n" in offered[0]
    assert "Đảng ủy cơ sở đã ra nghị quyết" not in offered[0].split("Lệnh:")[0]
    assert "    - Đảng ủy cơ sở đã ra nghị quyết đề nghị kết nạp\n" in offered[1]
    assert "    - Đã có quyết định kết nạp\n" in offered[1]


def test_transition_refusal_names_options_and_the_possible_steps(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from hoso.cli.main import main

    repo.place(ROOT / "tests" / "examples" / "valid" / "admission-cell-voted.yaml")
    args = ["--repo", str(repo.root), "--date", "27/10/2026"]
    code = main(["transition", "KN-2024-test01", "--to", "partial_appraised", *args])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "  - --doc-number: bước “Đảng ủy bộ phận đã thẩm định” (partial_appraised) phải ghi văn bản"
        in err
    )
    assert "history[5]" not in err
    code = main(["transition", "KN-2024-test01", "--to", "ceremony_held", *args])
    err = capsys.readouterr().err
    assert code == 1
    assert "Bước có thể ghi bây giờ:\n  - Đảng ủy bộ phận đã thẩm định\n" in err
    code = main(
        [
            "transition",
            "KN-2024-test01",
            "--to",
            "Đảng ủy bộ phận đã thẩm định",
            "--body",
            "Đảng ủy bộ phận thôn Huổi Mạ",
            "--doc-number",
            "3-BC/ĐUBP",
            *args,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    written = repo.root / "cases/khe-lam/admission/KN-2024-test01.yaml"
    data = yamlio.load_bytes(written.read_bytes())
    assert data["history"][-1]["body"] == "khe-lam-x02-bp"
    assert data["history"][-1]["date"] == "2026-10-27"


def test_a_refusal_lists_the_steps_possible_today_whatever_date_was_typed(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The steps listed after a refusal are those that can be recorded now: an old date typed
    for the refused step does not make every step "after today"."""
    from hoso.cli.main import main

    repo.place(ROOT / "tests" / "examples" / "valid" / "admission-cell-voted.yaml")
    args = ["--repo", str(repo.root), "--date", "01/01/2020"]
    assert main(["transition", "KN-2024-test01", "--to", "ceremony_held", *args]) == 1
    err = capsys.readouterr().err
    assert "Bước có thể ghi bây giờ:\n  - Đảng ủy bộ phận đã thẩm định\n" in err
    assert "không được ở sau hôm nay" not in err


def test_show_names_the_introducers_and_its_command_runs_as_printed(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """The clerk reads who introduced the applicant, and can copy the printed command (labels,
    not codes) filling in only the day and the document number."""
    from hoso.cli.main import main

    repo.place(ROOT / "tests" / "examples" / "valid" / "admission-cell-voted.yaml")
    main(["show", "KN-2024-test01", "--as-of", "26/11/2026", "--repo", str(repo.root)])
    out = capsys.readouterr().out
    assert (
        "    người giới thiệu: Quàng Văn Thử (đảng viên chính thức, cùng công tác từ 15/07/2019); "
        "Cầm Thị Nghiệm (Đoàn Thanh niên, cùng công tác từ 09/08/2019)\n"
    ) in out
    command = next(line for line in out.splitlines() if "Lệnh:" in line).split("Lệnh: ", 1)[1]
    assert '--to "Đảng ủy bộ phận đã thẩm định"' in command
    assert '--body "Đảng ủy bộ phận thôn Huổi Mạ"' in command
    typed = command.replace("NGÀY", "27/10/2026").replace("SỐ_HIỆU", "3-BC/ĐUBP")
    args = shlex.split(typed)[1:]
    assert main([*args, "--repo", str(repo.root)]) == 0, capsys.readouterr().err
    data = yamlio.load_bytes(
        (repo.root / "cases/khe-lam/admission/KN-2024-test01.yaml").read_bytes()
    )
    assert data["history"][-1]["state"] == "partial_appraised"
    assert data["history"][-1]["body"] == "khe-lam-x02-bp"


def test_transition_without_to_lists_the_steps_possible_now(
    repo: TempRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Forgetting --to is a usage error that says which steps can be recorded, as show does."""
    from hoso.cli.main import main

    repo.place(ROOT / "tests" / "examples" / "valid" / "admission-cell-voted.yaml")
    code = main(["transition", "KN-2024-test01", "--date", "27/10/2026", "--repo", str(repo.root)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(
        "hoso: thiếu tùy chọn '--to' (bước cần ghi); hãy chọn một trong các bước dưới đây.\n\n"
        "Bước có thể ghi bây giờ:\n  - Đảng ủy bộ phận đã thẩm định\n"
    )
    assert '--to "Đảng ủy bộ phận đã thẩm định"' in err
