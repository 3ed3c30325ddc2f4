"""E023 says why the example's line got a finding it does not state, and proposes a valid test number.

Before: "fick LSS-R01 (fel) rad 1 … som exemplet inte anger" and nothing else — a made-up personnummer with a
wrong check digit had to be found by hand.  Now the finding's detail is a note (for a personnummer, what is
wrong with it: "fel kontrollsiffra"), and the hint is a test number of Skatteverket's with the same birth
date that is valid on the year's reference date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from lss_rules.language.examples import read_example_file
from lss_rules.meaning import pool
from lss_rules.runtime import python as runtime
from lss_rules.tools.examples import check_example, personnummer_problem, personnummer_proposal

REF_2023 = dt.date(2023, 10, 1)


def _diag(spec, tmp_path: Path, record: str, findings: str = "[]"):
    path = tmp_path / "LSS-R04.yaml"
    path.write_text(
        f"rule: LSS-R04\nexamples:\n  - name: x\n    year: 2023\n    records:\n      - {record}\n"
        f"    findings: {findings}\n",
        encoding="utf-8",
    )
    (example,), problems = read_example_file(path, spec)
    assert problems == []
    return check_example(spec, example, None, engines=("reference",))


def test_a_wrong_check_digit_is_said_and_a_test_number_proposed(spec, tmp_path):
    d = _diag(spec, tmp_path, '{personnummer: "201011091234", korttidstillsyn: 1}')
    assert d is not None and d.code == "E023"
    assert any("LSS-R01 (fel) rad 1" in n and "personnumret har fel kontrollsiffra (4;" in n for n in d.notes), d
    assert d.hint is not None and d.hint.startswith("ett giltigt testpersonnummer från Skatteverket")
    proposed = d.hint.rsplit(" ", 1)[1]
    assert proposed.startswith("20101109") and proposed in pool.test_numbers()
    assert runtime.valid_personnummer(proposed, REF_2023)


def test_another_rule_gives_its_detail(spec, tmp_path):
    d = _diag(spec, tmp_path, '{personnummer: "199001012385", korttidstillsyn: 1}')
    assert d is not None
    assert any(n.startswith("LSS-R04 (fel) rad 1 i 0114.txt: personen fyller 33 år 2023") for n in d.notes), d


def test_a_finding_the_example_states_gets_no_reason(spec, tmp_path):
    # only the finding that was not stated is explained (LSS-R01 is stated, LSS-R04 is not)
    d = _diag(
        spec,
        tmp_path,
        '{personnummer: "199001012381", korttidstillsyn: 1}',
        "[{rule: LSS-R01, line: 1, severity: fel}]",
    )
    assert d is not None
    assert not any(n.startswith("LSS-R01 (fel) rad 1 i 0114.txt:") for n in d.notes)


VALID_2023 = [p for p in pool.test_numbers()[::97] if runtime.valid_personnummer(p, REF_2023)]


@given(st.sampled_from(VALID_2023), st.integers(1, 9))
def test_any_wrong_check_digit_is_named_and_replaced(pnr, shift):
    wrong = pnr[:11] + str((int(pnr[11]) + shift) % 10)
    said = personnummer_problem(wrong, REF_2023)
    assert said == f"har fel kontrollsiffra ({wrong[11]}; med den födelsedagen och det löpnumret är den {pnr[11]})"
    hint = personnummer_proposal(wrong, REF_2023)
    assert hint is not None
    proposed = hint.rsplit(" ", 1)[1]
    assert proposed[:8] == pnr[:8] and runtime.valid_personnummer(proposed, REF_2023)


def test_the_other_problems_of_a_personnummer():
    assert personnummer_problem("19900101238", REF_2023) == "ska vara tolv siffror (ååååmmddnnnc)"
    assert personnummer_problem("199002302385", REF_2023) == "har inget verkligt födelsedatum (1990-02-30)"
    assert personnummer_problem("199001010009", REF_2023) == "har löpnumret 000, som inte används"
    born_after = next(p for p in pool.test_numbers() if p.startswith("2023") and p[4:8] > "1001")
    assert personnummer_problem(born_after, REF_2023).startswith("är född 2023-")
    assert personnummer_problem(VALID_2023[0], REF_2023) is None


def test_a_broken_example_file_stops_the_suite_build_with_its_location(tmp_path, capsys):
    """Before: a broken example file made the suite's example vectors silently none (issue 26)."""
    import shutil

    import pytest

    from lss_rules.cli import main
    from lss_rules.errors import SpecError
    from lss_rules.language.load import load_spec
    from lss_rules.tools.examples import example_cases

    repo = Path(__file__).resolve().parents[2]
    folder = tmp_path / "spec"
    shutil.copytree(repo / "spec", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    broken = folder / "examples" / "interpretation-trailing-blank-line.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("examples:", "examples:\n\t- x", 1), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        example_cases(load_spec(folder).for_year(2023))
    assert [(d.code, Path(d.pos.file).name) for d in caught.value.diagnostics] == [
        ("E020", "interpretation-trailing-blank-line.yaml")
    ]
    assert main(["conformance", "export", "--spec", str(folder), "--year", "2023", "-o", str(tmp_path / "ut")]) == 2
    err = capsys.readouterr().err
    assert "interpretation-trailing-blank-line.yaml:" in err and "error[E020]" in err and "Traceback" not in err
