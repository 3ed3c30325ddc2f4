"""The JavaScript module of 2023 as a golden file: a change in the lowering, the printer, the field reads
or the runtime shows up in review as a diff of the generated code (``pytest --reset-golden`` writes it
again; review it like code).  The Python module has its own (tests/backends/python/test_generated.py)."""

from __future__ import annotations

from lss_rules.backends.javascript.to_javascript import to_javascript


def test_golden_2023(year_model, golden):
    golden("validator_2023.mjs.txt", to_javascript(year_model(2023)))


def test_same_model_same_bytes(year_model):
    assert to_javascript(year_model(2023)) == to_javascript(year_model(2023))
