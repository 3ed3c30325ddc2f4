"""The JavaScript validator computes the three-valued meaning of conditions, as the evaluator does.

The same random rules as tests/backends/python/test_absent_values.py (conditions over fields that
are often empty, with ``not``/``and``/``or``), printed as ES modules and run in one node process
per batch; their findings must be the reference evaluator's.
"""

from __future__ import annotations

import json

from conditions import conditions, lines, with_rules
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.generators.edges import EDGE_PNRS
from lss_rules.meaning.evaluate import Evaluator

BATCH = 6


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow],
)
@given(data=st.data())
def test_javascript_findings_are_the_evaluators_on_random_conditions(
    year_model, js_module, run_batch, tmp_path_factory, data
):
    base = year_model(2023)
    folder = tmp_path_factory.mktemp("absent")
    jobs, want = [], []
    for k in range(BATCH):
        when = st.none() | conditions(base, max_leaves=4)
        pairs = data.draw(st.lists(st.tuples(when, conditions(base)), min_size=4, max_size=4))
        ym = with_rules(base, pairs)
        persons = data.draw(st.lists(st.sampled_from(EDGE_PNRS), min_size=1, max_size=3))
        text = data.draw(st.lists(lines(ym, persons, broken=True), min_size=1, max_size=10))
        path = folder / f"{k}.txt"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        jobs.append(
            {"module": str(js_module(ym)), "cwd": None, "files": [str(path)], "deceased": None, "show": False}
            | {"format": "json"}
        )
        _, ref = Evaluator(ym).run([text])
        want.append(sorted((f.rule, f.line) for f in ref))
    for k, (got, expected) in enumerate(zip(run_batch(jobs), want, strict=True)):
        assert got["error"] is None, (k, got)
        report = json.loads(got["out"])
        assert sorted((f["rule"], f["line"]) for f in report["findings"]) == expected, k
