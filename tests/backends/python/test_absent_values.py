"""The compiled validator computes the three-valued meaning of conditions (lss_rules/language/truth.py).

The spec's own rules are tested against the reference evaluator in test_differential.py; here
the rules are random ``when``/``require`` conditions over fields that are often empty (hours,
personkrets, boendekommun), with ``not``, ``and``, ``or``, ``between``, ``in``, sums, ages and
counts, so every way an empty value can meet a negation is compiled and run.
"""

from __future__ import annotations

import types

import pytest
from conditions import conditions, lines, with_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.backends.python.to_python import to_python
from lss_rules.generators.edges import EDGE_PNRS
from lss_rules.language import model as m
from lss_rules.meaning.evaluate import Evaluator

YEARS = (2003, 2023)


def _module(ym: m.YearModel) -> types.ModuleType:
    module = types.ModuleType("lss_validator_test_absent")
    exec(compile(to_python(ym), module.__name__, "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_compiled_agrees_with_reference_on_random_conditions(year, year_model, tmp_path, data):
    base = year_model(year)
    when = st.none() | conditions(base, max_leaves=4)
    pairs = data.draw(st.lists(st.tuples(when, conditions(base)), min_size=6, max_size=6))
    ym = with_rules(base, pairs)
    persons = data.draw(st.lists(st.sampled_from(EDGE_PNRS), min_size=1, max_size=3))
    text = data.draw(st.lists(lines(ym, persons, broken=True), min_size=1, max_size=12))
    path = tmp_path / "f.txt"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    _, findings = _module(ym).validate([str(path)], None)
    _, ref = Evaluator(ym).run([text])
    got = sorted((f[0], f[2], tuple(f[3])) for f in findings)
    want = sorted((f.rule, f.line, f.fields) for f in ref)
    assert got == want
