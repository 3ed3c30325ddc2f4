"""Absent values: the three-valued meaning in the evaluator, and the pass that makes it two-valued.

A comparison with an empty value is unknown; ``not``/``and``/``or`` are Kleene's; a rule gives a
finding where ``when`` is true and ``require`` false (lss_rules/language/truth.py).
"""

from __future__ import annotations

import dataclasses

import pytest
from conditions import conditions, lines, with_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.generators.edges import EDGE_PNRS
from lss_rules.language import model as m
from lss_rules.language import truth
from lss_rules.language.load import load_spec
from lss_rules.meaning.evaluate import Evaluator, evaluate_lines

from .conftest import make_line

T = m.Compare("=", m.IntLit(1), m.IntLit(1))
F = m.Compare("=", m.IntLit(1), m.IntLit(2))
HOURS = m.FieldRef("personlig_assistans_timmar")
KRETS = m.FieldRef("personkrets")
U = m.Compare("=", HOURS, m.IntLit(1))  # unknown on a line without hours
VALUES = {True: T, False: F, None: U}


@pytest.fixture(scope="module")
def ym():
    return load_spec().for_year(2023)


def _eval(ym, e: m.Expr, **values: object):
    ev = Evaluator(ym)
    line, _ = ev.check_line(0, 1, make_line(ym, **values))
    assert line is not None
    return ev.eval(e, line)


def test_a_comparison_with_an_empty_value_is_unknown(ym):
    for e in (
        m.Compare("<=", HOURS, m.IntLit(175)),
        m.Compare(">", HOURS, m.IntLit(175)),
        m.Compare("!=", HOURS, m.IntLit(175)),
        m.Between(HOURS, m.IntLit(0), m.IntLit(175)),
        m.Member(HOURS, (m.IntLit(0),)),
        m.Compare("<", m.Arith("+", HOURS, m.IntLit(1)), m.IntLit(5)),
        m.Compare("=", KRETS, m.IntLit(1)),
    ):
        assert _eval(ym, e, personkrets="") is None, e
    assert _eval(ym, m.Present(HOURS)) is False
    assert _eval(ym, m.Not(m.Present(HOURS))) is True
    above = {"personlig_assistans": "1", "personlig_assistans_timmar": "176"}
    assert _eval(ym, m.Compare("<=", HOURS, m.IntLit(175)), **above) is False


@pytest.mark.parametrize("x", [True, False, None])
def test_not_is_kleenes(ym, x):
    assert _eval(ym, m.Not(VALUES[x])) == (None if x is None else not x)


@pytest.mark.parametrize("x", [True, False, None])
@pytest.mark.parametrize("y", [True, False, None])
def test_and_or_are_kleenes(ym, x, y):
    # false and unknown = false, true and unknown = unknown; true or unknown = true, false or unknown = unknown
    both = False if False in (x, y) else (None if None in (x, y) else True)
    either = True if True in (x, y) else (None if None in (x, y) else False)
    assert _eval(ym, m.And(VALUES[x], VALUES[y])) == both
    assert _eval(ym, m.Or(VALUES[x], VALUES[y])) == either


def _findings(ym, when, require, **values: object) -> list[str]:
    year = with_rules(ym, [(when, require)])
    return [f.rule for f in evaluate_lines(year, [make_line(year, **values)])]


def test_a_rule_fires_where_when_is_true_and_require_false(ym):
    natural = m.Compare("<=", HOURS, m.IntLit(175))
    trap = m.Not(m.Compare(">", HOURS, m.IntLit(175)))
    for require in (natural, trap):  # the same meaning: a line without hours passes both
        assert _findings(ym, None, require) == []
        assert _findings(ym, None, require, personlig_assistans="1", personlig_assistans_timmar="175") == []
        assert _findings(ym, None, require, personlig_assistans="1", personlig_assistans_timmar="176") == ["LSS-X01"]
    # an unknown `when` does not apply
    assert _findings(ym, m.Compare("<", HOURS, m.IntLit(10)), F) == []
    assert _findings(ym, m.Not(m.Compare("<", HOURS, m.IntLit(10))), F) == []
    # absence is asked with present(): R14's form
    in_krets = m.Member(KRETS, (m.IntLit(1), m.IntLit(2)))
    assert _findings(ym, None, in_krets, personkrets="") == []
    assert _findings(ym, None, m.And(m.Present(KRETS), in_krets), personkrets="") == ["LSS-X01"]
    assert _findings(ym, None, m.And(m.Present(KRETS), in_krets), personkrets="3") == ["LSS-X01"]
    assert _findings(ym, None, m.And(m.Present(KRETS), in_krets), personkrets="2") == []


def test_the_spec_states_r14_and_the_hour_limits_in_the_natural_form():
    spec = load_spec()
    r14 = spec.item("LSS-R14")
    assert isinstance(r14, m.Rule) and isinstance(r14.require, m.And)
    assert r14.require.left == m.Present(KRETS)
    for ident in ("LSS-R17", "LSS-R18", "LSS-R19", "LSS-R20", "LSS-R21", "LSS-R22", "LSS-R23", "LSS-R24"):
        rule = spec.item(ident)
        assert isinstance(rule, m.Rule) and isinstance(rule.require, m.Compare), ident
        assert rule.require.op == "<=", ident


# ----------------------------------------------------------------------------- the pass


def _two_valued(e: m.Expr, ev: Evaluator, line) -> bool:
    """The reading every backend gives the pass's output: an atom true where present and holding."""
    match e:
        case m.And(left=a, right=b):
            return _two_valued(a, ev, line) and _two_valued(b, ev, line)
        case m.Or(left=a, right=b):
            return _two_valued(a, ev, line) or _two_valued(b, ev, line)
        case m.Not(operand=o):
            return not _two_valued(o, ev, line)
    return ev.eval(e, line) is True


def _atoms_only_under_not(e: m.Expr) -> bool:
    match e:
        case m.And(left=a, right=b) | m.Or(left=a, right=b):
            return _atoms_only_under_not(a) and _atoms_only_under_not(b)
        case m.Not(operand=o):
            return not isinstance(o, m.And | m.Or | m.Not)
    return True


@st.composite
def _case(draw, ym):
    e = draw(conditions(ym))
    text = draw(lines(ym, list(EDGE_PNRS)))
    return e, text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_pass_is_exact(ym, data):
    """For every condition and line: T(e) holds exactly where e is true, F(e) exactly where it is false."""
    e, text = data.draw(_case(ym))
    ev = Evaluator(ym)
    line, _ = ev.check_line(0, 1, text)
    assert line is not None
    value = ev.eval(e, line)
    t, f = truth.is_true(e), truth.is_false(e)
    assert _atoms_only_under_not(t) and _atoms_only_under_not(f)
    assert _two_valued(t, ev, line) == (value is True)
    assert _two_valued(f, ev, line) == (value is False)


def test_the_pass_on_the_spec_rules_negates_comparisons_without_not(ym):
    r21 = next(ar for ar in ym.rules if ar.id == "LSS-R21")
    assert truth.finding(r21.when, r21.require) == m.Compare(">", HOURS, dataclasses.replace(r21.require.right))
    r14 = next(ar for ar in ym.rules if ar.id == "LSS-R14")
    found = truth.finding(r14.when, r14.require)
    # not present(personkrets) or not personkrets in {1, 2}: the guard beside the `not` is absorbed
    assert isinstance(found, m.And) and isinstance(found.right, m.Or)
    assert found.right.left == m.Not(m.Present(KRETS))
    assert found.right.right == m.Not(r14.require.right)


def test_a_parameter_without_a_value_is_never_present():
    limit = m.ParamRef("grans", None)
    assert truth.present(limit) == (truth.NEVER,)
    assert truth.is_false(m.Compare("<=", HOURS, limit)) == m.Compare(">", HOURS, limit)


def test_never_holds_reads_a_not_before_a_comparison():
    from lss_rules.language.check import never_holds

    spec = load_spec()
    age = m.Age(m.FieldRef("personnummer"))
    # `not age <= 30` is `age > 30` where it is true: with `age < 20` it never is
    assert never_holds(m.And(m.Not(m.Compare("<=", age, m.IntLit(30))), m.Compare("<", age, m.IntLit(20))), spec)
    assert not never_holds(m.And(m.Not(m.Compare("<=", age, m.IntLit(30))), m.Compare("<", age, m.IntLit(40))), spec)
