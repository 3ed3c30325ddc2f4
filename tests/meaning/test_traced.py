"""The reference evaluator's traces (issue 27): each clause evaluated on the line, three-valued."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.generators.edges import EDGE_PNRS, edge_lines
from lss_rules.meaning.evaluate import Evaluator
from lss_rules.meaning.traced import clause_values, explain_line, rule_of

# 2023: kommun;personnummer;personkrets;pa;pa_timmar;ls;ls_timmar;kontaktperson;avl;avl_timmar;ktv;ktv_dygn;
#       korttidstillsyn;familjehem;bostad_barn;bostad_vuxna;annan_bostad;boendekommun;daglig_verksamhet
CLEAN = "0114;201001012382;1;0;;0;;1;0;;0;;0;0;0;0;0;;0"


@functools.cache
def _names_2023() -> tuple[str, ...]:
    from lss_rules.language.load import load_spec

    return load_spec().for_year(2023).field_names


def _line(**values: str) -> str:
    names = _names_2023()
    parts = dict(zip(names, CLEAN.split(";"), strict=True))
    parts.update(values)
    return ";".join(parts[n] for n in names)


def _explain(ym, lines, rule, number, *more, deceased=None):
    files = [lambda ls=ls: iter(ls) for ls in (lines, *more)]
    return explain_line(ym, files, 0, number, rule, deceased)


def test_an_empty_value_makes_its_clause_unknown_and_kleene_and_false(year_model):
    ym = year_model(2023)
    ev = Evaluator(ym)
    line, _ = ev.check_line(0, 1, _line(personkrets="", daglig_verksamhet="1"))
    r14 = rule_of(ym, "LSS-R14")
    got = [(c.op, c.value, c.unknown) for c in clause_values(ev, r14.require, line)]
    assert got == [("and", False, None), ("test", False, None), ("test", None, "empty")]


def test_a_not_of_a_chain_is_one_not_over_one_and(year_model):
    ym = year_model(2023)
    ev = Evaluator(ym)
    line, _ = ev.check_line(0, 1, _line(daglig_verksamhet="1", korttidstillsyn="1"))
    got = [(c.op, c.value) for c in clause_values(ev, rule_of(ym, "LSS-R06").require, line)]
    assert got == [("not", False), ("and", True), ("test", True), ("test", True)]


def test_age_is_derived_from_the_birth_year(year_model):
    ym = year_model(2023)
    trace = _explain(ym, [_line(korttidstillsyn="1", personnummer="198001012384")], "LSS-R04", 1)
    assert trace.fired and trace.skipped is None
    assert [(c.value, c.derived) for c in trace.require] == [(False, (("age", 43, 2023, 1980),))]
    assert [c.value for c in trace.when] == [True]


def test_a_rule_that_passes_says_which_clause(year_model):
    ym = year_model(2023)
    trace = _explain(ym, [_line(korttidstillsyn="0", personnummer="198001012384")], "LSS-R04", 1)
    assert not trace.fired
    assert [c.value for c in trace.when] == [False]


def test_a_malformed_value_skips_the_rule_with_s02(year_model):
    ym = year_model(2023)
    trace = _explain(ym, [_line(korttidstillsyn="x")], "LSS-R04", 1)
    assert not trace.fired
    assert trace.skipped == (("korttidstillsyn",), "LSS-S02")
    assert [(c.value, c.unknown) for c in trace.when] == [(None, "malformed")]


def test_a_line_with_s01_is_not_evaluated(year_model):
    ym = year_model(2023)
    trace = _explain(ym, ["0114;1"], "LSS-R04", 1)
    assert not trace.fired and trace.skipped == ((), "LSS-S01") and trace.parts == 2


def test_r07_names_the_first_line_and_not_the_first_line_itself(year_model):
    ym = year_model(2023)
    lines = [_line(), _line(personnummer="198001012384"), _line()]
    third = _explain(ym, lines, "LSS-R07", 3)
    assert third.fired and third.others == ((0, 1),)
    first = _explain(ym, lines, "LSS-R07", 1)
    assert not first.fired and first.others == ()


def test_r09_names_the_lines_in_the_other_files(year_model):
    ym = year_model(2023)
    here = [_line(kontaktperson="1")]
    other = [_line(personnummer="198001012384"), _line(kontaktperson="1")]
    trace = _explain(ym, here, "LSS-R09", 1, other)
    assert trace.fired and trace.others == ((1, 2),)
    alone = _explain(ym, here, "LSS-R09", 1, [_line(personnummer="198001012384")])
    assert not alone.fired and alone.others == ()


def test_deceased_gives_the_date(year_model):
    ym = year_model(2023)
    died = dt.date(2020, 5, 1)
    trace = _explain(ym, [_line(personnummer="198001012384")], "LSS-R02", 1, deceased={"198001012384": died})
    assert trace.fired
    assert [c.derived for c in trace.require] == [(), (("deceased", True, died),)]


def test_a_line_past_the_end_is_none(year_model):
    assert _explain(year_model(2023), [CLEAN], "LSS-R04", 2) is None


@pytest.mark.parametrize("year", (2003, 2019, 2023))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fired_agrees_with_the_runs_findings(year, year_model, data):
    """explain --line says fired exactly where a run has the finding, for every rule, on edge lines."""
    ym = year_model(year)
    lines = data.draw(st.lists(edge_lines(ym, list(EDGE_PNRS[:3])), min_size=1, max_size=6))
    _, findings = Evaluator(ym).run([lines])
    found = {(f.rule, f.line) for f in findings}
    for ar in ym.rules:
        if ar.rule.scope == "external" or (ar.unique is not None and ar.unique.each_flag_in is not None):
            continue
        for n in range(1, len(lines) + 1):
            trace = _explain(ym, lines, ar.id, n)
            assert trace.fired == ((ar.id, n) in found), (ar.id, n, lines[n - 1])
            if trace.fired and ar.unique is None:
                assert trace.skipped is None
                assert not trace.when or trace.when[0].value is True
                assert trace.require and trace.require[0].value is False
