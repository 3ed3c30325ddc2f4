"""Mutation analysis of the suite against the compiled validator (a sample; scripts/mutation runs all).

The full run (``scripts/mutation``) kills every mutant of 2023, 2005 and 2001 except those listed,
with a reason, in ``equivalent_mutants.py``; here a fixed sample per year and the survivors the
issue named (unknown values elsewhere on the line) run in CI.
"""

from __future__ import annotations

import ast

import mutation  # tests/conformance/mutation.py
import pytest
from equivalent_mutants import EQUIVALENT

YEARS = (2023, 2005, 2001)  # one year per layout era


@pytest.fixture(scope="session")
def suites(tmp_path_factory, suite_2023):
    folder = tmp_path_factory.mktemp("mutation")
    return {2023: suite_2023} | {y: mutation.export_suite(y, folder) for y in YEARS if y != 2023}


@pytest.fixture(scope="session")
def sources():
    return {y: mutation.compiled_source(y) for y in YEARS}


def test_mutants_are_made_in_the_years_code_only(sources):
    source = sources[2023]
    every = mutation.mutants(source)
    functions = {m.function for m in every}
    assert functions <= {"_forms", "_check_file", "_national", "validate", "report"}
    assert not functions & mutation.runtime_names()
    kinds = {m.operator.split(" -> ")[0] if "->" in m.operator else m.operator for m in every}
    assert {"<", "<=", ">", "==", "!=", "in", "not in", "and", "or", "not dropped"} <= kinds  # no `>=` in 2023
    assert any(m.operator == "23 -> 24" and m.rule == "LSS-R04" for m in every)
    # descriptions name each mutant once, and applying one changes exactly that point
    assert len({m.description for m in every}) == len(every)
    m0 = next(m for m in every if m.operator == "1488 -> 1489" and m.rule == "LSS-R21")
    before = ast.unparse(ast.parse(source)).splitlines()
    after = ast.unparse(mutation.mutate(source, m0)).splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and "> 1489" in changed[0][1]


@pytest.mark.parametrize("year", YEARS)
def test_equivalent_mutants_are_listed_by_a_description_that_exists(year, sources):
    names = {m.description for m in mutation.mutants(sources[year])}
    stale = [d for d in EQUIVALENT[year] if d not in names]
    assert not stale, "equivalent_mutants.py names mutants the compiled module no longer has"


def test_the_survivors_the_issue_named_are_killed(suites, sources):
    """R04 `<= 23`, R21 `> 1488`, R16 `> 70` moved by one, wherever they occur (every path)."""
    source = sources[2023]
    picked = [
        m
        for m in mutation.mutants(source)
        if (m.rule, m.operator) in {("LSS-R04", "23 -> 24"), ("LSS-R21", "1488 -> 1489"), ("LSS-R16", "70 -> 71")}
    ]
    assert len(picked) >= 4  # R04 and R16 (one path each: the rules on the personnummer), R21 in two
    out = mutation.analyse(2023, suites[2023], EQUIVALENT[2023], select=lambda ms: picked, source=source)
    assert not out.survivors, [m.description for m in out.survivors]


@pytest.mark.parametrize("year", YEARS)
def test_a_sample_of_mutants_is_killed(year, suites, sources):
    source = sources[year]
    equivalent = EQUIVALENT[year]

    def sample(ms):
        return [m for m in ms if m.description not in equivalent][year % 7 :: 17]

    out = mutation.analyse(year, suites[year], equivalent, select=sample, source=source)
    assert len(out.mutants) >= 10
    assert not out.survivors, [m.description for m in out.survivors]


def test_an_equivalent_mutant_survives_and_the_unmutated_module_passes(suites, sources):
    source = sources[2023]
    memo = [m for m in mutation.mutants(source) if m.description == "_check_file: < -> <=: len(memo) < 65536"]
    out = mutation.analyse(2023, suites[2023], EQUIVALENT[2023], select=lambda ms: memo, source=source)
    assert out.survivors == out.equivalent == tuple(memo)
