"""The committed sample province: reproducible, fictional, complete, and valid."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

from conftest import ROOT
from hoso import yamlio
from hoso.repo import record_files
from hoso.sample.cases import every_state
from hoso.sample.write import SAMPLE_BANNER, generate


def _records() -> list[dict]:  # type: ignore[type-arg]
    out = []
    for path in record_files(ROOT):
        data = yamlio.load_bytes(path.read_bytes())
        assert isinstance(data, dict)
        out.append(data)
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("cases", "governance")
        for p in sorted((root / folder).rglob("*.yaml"))
    }


def test_committed_sample_is_what_the_generator_makes(tmp_path: Path) -> None:
    generate(tmp_path, 320, 63)
    assert _tree(tmp_path) == _tree(ROOT)


def test_same_seed_same_output_other_seed_other_output(tmp_path: Path) -> None:
    generate(tmp_path / "a", 40, 7)
    generate(tmp_path / "b", 40, 7)
    generate(tmp_path / "c", 40, 8)
    same = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b"), same.diff_files
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")


def test_every_state_of_every_kind_appears() -> None:
    cases = [r for r in _records() if "history" in r]
    seen = {(r["kind"], e["state"]) for r in cases for e in r["history"]}
    statuses = {(r["kind"], r["status"]) for r in cases}
    assert set(every_state()) <= seen
    assert set(every_state()) <= statuses


def test_size_span_and_organisation() -> None:
    records = _records()
    kinds = Counter(r["kind"] for r in records)
    assert sum(n for k, n in kinds.items() if k != "plan") >= 300
    assert kinds["plan"] == 1
    assert kinds["ranking"] >= 4 and kinds["org_discipline"] >= 3
    years = {e["date"][:4] for r in records if "history" in r for e in r["history"]}
    assert years == {str(y) for y in range(2019, 2026)}
    units = yamlio.load_bytes((ROOT / "governance/units.yaml").read_bytes())
    assert isinstance(units, dict)
    levels = Counter(u["level"] for u in units["units"])
    assert levels["district"] >= 6 and levels["grassroots"] >= 30 and levels["cell"] >= 60
    assert any(u.get("authorised_to_admit") for u in units["units"])


def test_plan_63_is_recorded() -> None:
    plan = next(r for r in _records() if r["kind"] == "plan")
    assert plan["document"]["number"] == "63-KH/TU"
    assert plan["document"]["date"] == "2019-04-19"
    assert plan["implements"][0]["number"] == "28-CT/TW"
    deadlines = {t["id"]: t.get("deadline") for t in plan["tasks"]}
    assert deadlines["quan-triet"] == "2019-04-30"
    assert deadlines["ra-soat-dot-dau"] == "2019-05-18"


def test_every_sample_file_is_marked_as_sample() -> None:
    paths = list(record_files(ROOT)) + sorted((ROOT / "governance").glob("*.yaml"))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[1] == SAMPLE_BANNER, path
        assert "\nsample: true\n" in text, path


def test_a_larger_generated_province_has_no_errors(tmp_path: Path) -> None:
    """The generator's rarer paths (long temporary transfers, late steps) stay legal at scale."""
    from conftest import AS_OF
    from hoso.validate.run import Options, run

    made = generate(tmp_path, 1500, 2019)
    result = run(Options(tmp_path, None, AS_OF, use_cache=False))
    assert result.checked == made.cases + 1 > 1501  # the cases, the rankings and the plan
    assert [f for f in result.errors][:3] == []
