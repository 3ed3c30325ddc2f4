"""The JavaScript module's ``--explain`` report is the reference evaluator's, byte for byte (issue 27).

The reference evaluates every clause of a finding's rule itself (lss_rules.meaning.traced); the JavaScript
runtime interprets the year's trace table (trace.mjs).  Registers as in the Python trace differential
(tests/trace_reference.py); a batch of runs of a year in one node process (batch.mjs, ``explain``).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trace_reference import DECEASED, reference_json, runs, write_run

# a sample of the years: the first layout, new fields (2004, 2007), the 2020 changes, the newest and one ahead
YEARS = (1999, 2004, 2007, 2020, 2023, 2030)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow]


def _check(year, batch, year_model, js_module, run_batch, folder) -> None:
    ym = year_model(year)
    jobs, runs_on_disk = [], []
    for k, (files, deceased) in enumerate(batch):
        paths, dead = write_run(folder / str(k), files, deceased)
        jobs.append(
            {"module": str(js_module(year)), "cwd": None, "files": paths, "deceased": dead, "show": False,
             "format": "json", "explain": True}
        )  # fmt: skip
        runs_on_disk.append((paths, deceased))
    got = run_batch(jobs)
    for k, (g, (paths, deceased)) in enumerate(zip(got, runs_on_disk, strict=True)):
        assert g["error"] is None, (k, g["error"])
        report = json.loads(g["out"])
        assert report.get("contract") == 2
        assert g["out"] == reference_json(ym, paths, deceased, report["spec"]), k


def _batch(ym):
    return st.lists(st.tuples(runs(ym), st.sampled_from((None, DECEASED))), min_size=8, max_size=8)


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=2, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_javascript_traces_are_the_references(year, year_model, js_module, run_batch, tmp_path_factory, data):
    batch = data.draw(_batch(year_model(year)))
    _check(year, batch, year_model, js_module, run_batch, tmp_path_factory.mktemp("trace"))


def test_every_kind_of_trace_agrees(year_model, js_module, run_batch, tmp_path):
    """Rules, LSS-R02 with a date of death, S01, S02, S03, S05, R07's and R09's other lines."""
    r04 = "0114;198001012384;1;0;;0;;1;0;;0;;1;0;0;0;0;;0"  # korttidstillsyn at 43
    files = [
        [r04, "0114;201001012382;1;0;;0;;1;0;;0;;x;0;0;0;0;;0", r04, "0114;1"],
        ["0114;201001012382;1;1;;0;;1;0;;0;;0;0;0;0;0;;0", "0114;201001012382;;0;;0;;1;0;;0;;0;0;0;0;0;;1"],
        ["0180;198001012384;1;0;;0;;1;0;;0;;1;1;1;0;0;;1"],
        [],
    ]
    _check(2023, [(files, DECEASED), (files, None)], year_model, js_module, run_batch, tmp_path)
    said = reference_json(year_model(2023), write_run(tmp_path / "0", files, DECEASED)[0], DECEASED)
    rules = {f["rule"] for f in json.loads(said)["findings"] if "trace" in f}
    assert {"LSS-R02", "LSS-R04", "LSS-R07", "LSS-R09", "LSS-R14", "LSS-S01", "LSS-S02", "LSS-S03", "LSS-S05"} <= rules


@pytest.mark.long
@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=20, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_javascript_traces_are_the_references_many(year, year_model, js_module, run_batch, tmp_path_factory, data):
    batch = data.draw(_batch(year_model(year)))
    _check(year, batch, year_model, js_module, run_batch, tmp_path_factory.mktemp("trace"))
