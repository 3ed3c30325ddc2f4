"""Traces agree (issue 27): the reference evaluator's and the compiled Python module's ``--explain``, byte for byte.

The reference evaluates every clause itself (:mod:`lss_rules.meaning.traced`, ``Evaluator.eval`` on the model);
the compiled module interprets the year's trace table (the runtime's ``trace_values``).  Both hand their values to
the one object builder, so a difference in the whole JSON report is a difference in evaluation (or in which
findings, lines and other lines a trace names).
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from compiled_modules import compiled_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trace_reference import DECEASED, reference_json, runs, write_run

from lss_rules.meaning import evaluate, traced

# a sample of the years: the first layout, new fields (2004, 2007), the 2020 changes, the newest and one ahead
YEARS = (1999, 2004, 2007, 2020, 2023, 2030)


def _compiled_explain(ym, paths: list[str], extra: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        compiled_module(ym).main(["--format", "json", "--explain", *extra, *paths])
    return out.getvalue()


def _agree(ym, files: list[list[str]], tmp: Path, deceased: dict | None) -> None:
    paths, dead = write_run(tmp, files, deceased)
    got = _compiled_explain(ym, paths, ["--deceased", dead] if dead else [])
    want = reference_json(ym, paths, deceased, json.loads(got)["spec"])
    assert json.loads(got).get("contract") == 2
    assert got == want


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_reference_traces_are_the_compiled_modules(year, year_model, tmp_path_factory, data):
    ym = year_model(year)
    files = data.draw(runs(ym))
    deceased = data.draw(st.sampled_from((None, DECEASED)))
    _agree(ym, files, tmp_path_factory.mktemp("run"), deceased)


def test_every_kind_of_trace_agrees(year_model, tmp_path):
    """A fixed register with a finding of every kind: rules (R02 with a date of death, R14 false and unknown), S01,
    S02, S03, S05, R07's and R09's other lines."""
    ym = year_model(2023)
    r04 = "0114;198001012384;1;0;;0;;1;0;;0;;1;0;0;0;0;;0"  # korttidstillsyn at 43
    files = [
        # line 5: R07 after a line with a malformed flag R09 reads (R07's first line is still line 2)
        [
            r04,
            "0114;201001012382;1;0;;0;;1;0;;0;;x;0;0;0;0;;0",
            r04,
            "0114;1",
            "0114;201001012382;1;1;;0;;1;0;;0;;0;0;0;0;0;;0",
        ],
        ["0114;201001012382;;0;;0;;1;0;;0;;0;0;0;0;0;;1"],
        ["0180;198001012384;1;0;;0;;1;0;;0;;1;1;1;0;0;;1"],
        [],
    ]
    _agree(ym, files, tmp_path, DECEASED)
    report = json.loads(reference_json(ym, write_run(tmp_path, files, DECEASED)[0], DECEASED))
    rules = {f["rule"] for f in report["findings"] if "trace" in f}
    assert {"LSS-R02", "LSS-R04", "LSS-R07", "LSS-R09", "LSS-R14", "LSS-S01", "LSS-S02", "LSS-S03", "LSS-S05"} <= rules


def test_a_wrong_kleene_and_in_the_reference_is_caught(year_model, tmp_path, monkeypatch):
    """The comparison checks evaluation: the reference's ``and`` made strict (false and unknown = unknown) while it
    traces (its findings untouched) makes the traces differ."""

    def strict_and(x, y):
        return None if x is None or y is None else x and y

    def mutated(*args, **kwargs):
        with monkeypatch.context() as mp:
            mp.setattr(evaluate, "_and", strict_and)
            return run_traces(*args, **kwargs)

    ym = year_model(2023)
    # LSS-R14 on an empty personkrets: "present(personkrets) and personkrets in {1, 2}" is false and unknown: false
    files = [["0114;201001012382;;0;;0;;1;0;;0;;0;0;0;0;0;;1"]]
    _agree(ym, files, tmp_path, None)
    run_traces = traced.run_traces
    monkeypatch.setattr(traced, "run_traces", mutated)
    with pytest.raises(AssertionError, match="value"):
        _agree(ym, files, tmp_path, None)


@st.composite
def repeated(draw, ym):
    """``runs()`` with lines said again at random places: many personnummer repeated in a file (LSS-R07), some
    with a field too many (LSS-S01: a line with the personnummer that the rule does not judge)."""
    files = draw(runs(ym))
    for f in files:
        for line in draw(st.lists(st.sampled_from(f), max_size=12)) if f else ():
            said = line + ym.layout.separator if draw(st.booleans()) else line
            f.insert(draw(st.integers(0, len(f))), said)
    return files


@pytest.mark.parametrize("lines_at_a_time", [1, 2, 3])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_r07_first_lines_agree_however_the_file_is_searched(
    lines_at_a_time, year_model, tmp_path_factory, monkeypatch, data
):
    """LSS-R07's other line (the first judged line with the personnummer) is the reference's: the compiled module
    keeps it as it reads, the reference's report has it looked for in the lines read again a few at a time (the
    size made small here, so that a few lines cross every boundary)."""
    from lss_rules.runtime import python as runtime

    monkeypatch.setattr(runtime, "_SEARCH_LINES", lines_at_a_time)
    ym = year_model(2023)
    _agree(ym, data.draw(repeated(ym)), tmp_path_factory.mktemp("run"), None)


@pytest.mark.long
@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_reference_traces_are_the_compiled_modules_many(year, year_model, tmp_path_factory, data):
    ym = year_model(year)
    files = data.draw(runs(ym))
    _agree(ym, files, tmp_path_factory.mktemp("run"), data.draw(st.sampled_from((None, DECEASED))))


def _clauses(c):
    """A trace object's clauses in pre-order (the order of the reference's clause values)."""
    if c is not None:
        yield c
        for child in c.get("clauses", ()):
            yield from _clauses(child)


@pytest.mark.parametrize("year", (2004, 2023))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_the_builder_adds_is_what_the_reference_found(year, year_model, tmp_path_factory, data):
    """The words, why a clause is unknown and what a test derived come from the runtime's builder on both sides;
    here they are checked against the reference's own: the same unknown state, and each derived number in words."""
    ym = year_model(year)
    paths, _ = write_run(tmp_path_factory.mktemp("run"), data.draw(runs(ym)), None)
    report, ev, files, findings = evaluate.reference_run(ym, paths, None, lazy=True)
    details = report["findings"].details
    for (rule, _fi, _line), lt in traced.run_traces(ev, files, findings).items():
        if details["traces"][rule]["kind"] != "rule":
            continue
        trace = traced.trace_json(details, lt, paths)
        for values, clause in ((lt.when, trace["when"]), (lt.require, trace["require"])):
            for cv, c in zip(values or (), _clauses(clause), strict=True):
                assert (c["op"], c["value"], c["unknown"]) == (cv.op, cv.value, cv.unknown), rule
                said = " ".join(c.get("derived", ()))
                for d in (d for d in cv.derived if d is not None):
                    numbers = [x for x in d[1:] if isinstance(x, int) and not isinstance(x, bool)]
                    assert all(str(n) in said for n in numbers), (rule, d, said)
