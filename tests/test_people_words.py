"""What users read: refusals that name everything to fix at once, sample data that shows names
where names belong, and options the README promises."""

from __future__ import annotations

import pytest

from conftest import TempRepo
from hoso.cli.main import main


def _hoso(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("discipline", ["--violation-date", "--violation-summary", "--violation-category"]),
        ("transfer", ["--transfer-type", "--counterpart", "--move-date"]),
        ("exemption", ["--reason"]),
    ],
)
def test_new_names_the_person_and_the_kind_options_left_out_at_once(
    repo: TempRepo, capsys: pytest.CaptureFixture[str], kind: str, options: list[str]
) -> None:
    """A clerk who typed only the cell learns in one go every option still to give, not the
    kind's own first and the person's on the next try."""
    code, _, err = _hoso(capsys, "new", kind, "--cell", "khe-lam-x03-cb1", "--repo", str(repo.root))
    assert code == 2
    for option in ["--name", "--birth-date", "--sex", "--ethnicity", *options]:
        assert option in err, (option, err)
