"""A second register, written in tests/register2/, goes through every backend with no change to any backend.

It is not LSS: other fields and separator, a layout change in 2021, a parameter that changes
in 2022, a record rule and a file rule.  Nothing register-specific lives outside a spec folder.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from lss_rules.backends.javascript.to_javascript import runtime_source
from lss_rules.backends.jsonschema import to_jsonschema
from lss_rules.backends.output import SpecInputs
from lss_rules.backends.python.to_python import to_python
from lss_rules.backends.registry import SPEC_BACKENDS
from lss_rules.language.load import load_spec
from lss_rules.meaning.evaluate import evaluate_files

FOLDER = Path(__file__).resolve().parent / "register2"
YEARS = (2020, 2021, 2022)
PNR = "198001022386"  # a Skatteverket test number


@pytest.fixture(scope="module")
def spec():
    return load_spec(FOLDER)


def _module(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def _lines(year: int, hours: str, kind: str = "2") -> list[str]:
    extra = [] if year == 2020 else [kind]
    return [
        "|".join(["0180", PNR, "1", hours, *extra]),
        "|".join(["0180", PNR, "0", "", *extra]),  # the same person again: HJALPMEDEL-R02
        "|".join(["9999", PNR, "x", "7", *extra]),  # unknown municipality, bad flag: S02
        "0180|" + PNR,  # too few fields: S01
    ]


@pytest.mark.parametrize("year", YEARS)
def test_validator_agrees_with_the_reference_evaluator(spec, tmp_path, year):
    ym = spec.for_year(year)
    path = tmp_path / "a.txt"
    path.write_text("\n".join(_lines(year, "110")) + "\n", encoding="utf-8")
    for standalone in (False, True):
        mod = _module(to_python(ym, standalone=standalone), f"register2_{year}_{standalone}")
        ours = mod.report([str(path)], show_personnummer=True)
        reference = evaluate_files(ym, [str(path)], show_personnummer=True)
        ours.pop("spec", None)  # the validator also names the spec it was compiled from
        reference.pop("spec", None)
        assert ours == reference
    rules = {f["rule"] for f in ours["findings"]}
    assert {"HJALPMEDEL-S01", "HJALPMEDEL-S02", "HJALPMEDEL-R02"} <= rules
    # the dated limit: 110 hours are too many until 2021 (100), allowed from 2022 (120)
    assert ("HJALPMEDEL-R01" in rules) == (year < 2022)
    message = next((f["message"] for f in ours["findings"] if f["rule"] == "HJALPMEDEL-R01"), None)
    assert message in (None, "Fler än 100 timmar hjälp per vecka.")


@pytest.mark.parametrize("year", YEARS)
def test_schema(spec, year):
    schema = to_jsonschema(spec.for_year(year))
    json.dumps(schema)
    assert "kategori" in json.dumps(schema) if year >= 2021 else "kategori" not in json.dumps(schema)


def test_docs_pages_name_nothing_of_lss(spec):
    files = dict(SPEC_BACKENDS["docs"](spec, SpecInputs(cli_reference="# Kommandon\n")).files)
    text = "\n".join(files.values())
    assert "HJALPMEDEL-R01" in text and "rullstol" in text
    # the report contract (lss_rules/schemas/report.schema.json, shown on reference/rapport.md) and the
    # conformance suite's schemas still name the LSS ids: they are the package's JSON contracts, not
    # generated from a spec
    contract = {"reference/rapport.md", "schemas/report.schema.json", "schemas/diff.schema.json"}
    contract |= {p for p in files if p.startswith("schemas/suite-")}
    # the page "Granska fil" embeds a validator per year, whose runtime (package code:
    # lss_rules/runtime/javascript/runtime.mjs) mirrors runtime.py's report words byte for byte — and
    # runtime.py's text title names LSS ("LSS-inrapportering"): that leak is the runtime's, not the page's;
    # the rest of each module must not name LSS
    runtime = runtime_source()
    pages = {path: page.replace(runtime.rstrip("\n"), "") for path, page in files.items()}
    leaks = sorted({path for path, page in pages.items() if "LSS-" in page and path not in contract})
    assert leaks == []


def test_strategies(spec):
    from lss_rules.generators import invalid_records, records

    ym = spec.for_year(2022)

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(records(ym))
    def valid(drawn):
        for lines in drawn.files.values():
            assert all(line.count("|") == 4 for line in lines)

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(invalid_records(ym, violating="HJALPMEDEL-R01"))
    def invalid(drawn):
        assert {f["rule"] for f in drawn.findings} >= {"HJALPMEDEL-R01"}

    valid()
    invalid()


@pytest.mark.parametrize("year", YEARS)
def test_every_backend_through_the_one_interface(spec, year):
    from lss_rules.backends.output import Output
    from lss_rules.backends.registry import BACKENDS

    ym = spec.for_year(year)
    for name, emit in BACKENDS.items():
        out = emit(ym)
        assert isinstance(out, Output) and out.files, name
        assert all(isinstance(path, str) and isinstance(text, str) and text for path, text in out.files), name
    left_out = {x.rule for x in BACKENDS["jsonschema"](ym).not_expressed}
    assert "HJALPMEDEL-R02" in left_out  # uniqueness across a file is no property of one record
