"""The JSON Schema backend: metaschema, golden 2023 schema, and agreement with the reference evaluator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.backends.jsonschema import expressed, lss_annotations, to_jsonschema, violated
from lss_rules.meaning.evaluate import evaluate_lines

YEARS = (2003, 2005, 2020, 2021, 2023)
_cache: dict[int, dict] = {}


def schema_of(spec, year: int) -> dict:
    if year not in _cache:
        _cache[year] = to_jsonschema(spec.for_year(year))
    return _cache[year]


@pytest.mark.parametrize("year", range(1999, 2026))
def test_every_year_passes_the_metaschema(spec, year, check_schema):
    s = schema_of(spec, year)
    check_schema(s)
    ym = spec.for_year(year)
    listed = [x["rule"] for x in lss_annotations(s)["x-lss-rules-not-expressed"]]
    # every rule in force is either a constraint or listed with a reason, never dropped
    assert sorted(expressed(s) + tuple(listed)) == sorted(a.id for a in ym.active)
    assert all(x["reason"] for x in lss_annotations(s)["x-lss-rules-not-expressed"])
    assert {w["rule"] for w in lss_annotations(s)["x-lss-warnings"]} == {
        a.id for a in ym.active if a.severity == "warning"
    } - {x["rule"] for x in lss_annotations(s)["x-lss-rules-not-expressed"] if not x["reason"].startswith("varning")}


def test_golden_2023(spec, golden):
    golden("jsonschema_2023.schema.json", json.dumps(schema_of(spec, 2023), ensure_ascii=False, indent=2) + "\n")


def test_not_expressed_2023(spec):
    s = schema_of(spec, 2023)
    listed = {x["rule"] for x in lss_annotations(s)["x-lss-rules-not-expressed"]}
    assert {"LSS-S01", "LSS-S05", "LSS-R01", "LSS-R02", "LSS-R07", "LSS-R09", "LSS-R16"} <= listed
    assert {"LSS-R04", "LSS-R05", "LSS-R08", "LSS-R21", "LSS-S04"} <= set(expressed(s))


def test_r21_parameter_per_year(spec):
    ym21, ym22 = spec.for_year(2021), spec.for_year(2022)
    line = "0114;201001012384;1;1;{};0;;0;0;;0;;0;0;0;0;0;;0"
    rec = lambda ym, h: dict(zip(ym.field_names, line.format(h).split(";"), strict=True))  # noqa: E731
    assert violated(to_jsonschema(ym21), rec(ym21, "745")) == {"LSS-R21"}
    assert violated(to_jsonschema(ym22), rec(ym22, "745")) == set()
    assert violated(to_jsonschema(ym22), rec(ym22, "01489")) == {"LSS-R21"}


def test_warning_does_not_invalidate(spec):
    ym = spec.for_year(2020)
    line = "0114;201001012384;1;1;200;0;;0;0;;0;;0;0;0;0;0;;0"
    rec = dict(zip(ym.field_names, line.split(";"), strict=True))
    assert "LSS-R17" in {f.rule for f in evaluate_lines(ym, [line])}
    assert violated(schema_of(spec, 2020), rec) == set()


# --------------------------------------------------------------------------- agreement


def expected(ym, line: str, ids: tuple[str, ...]) -> set[str]:
    sev = {a.id: a.severity for a in ym.active}
    return {f.rule for f in evaluate_lines(ym, [line]) if f.rule in ids and sev[f.rule] == "error"}


def _pool(ym) -> dict[str, list[str]]:
    codes = sorted(ym.municipalities)
    pnrs = ["201001012384", "199001012385", "195001012388", "201201012395", "200601012380", "20100101238"]
    pools = {
        "municipality": [codes[0], codes[-1], "0000", "114", ""],
        "personnummer": [*pnrs, "", "2010010123x4"],
        "flag": ["0", "1", "1", "0", "", "2"],
        "count": ["", "0", "12", "176", "744", "745", "1488", "1489", "0050", "-1", "x"],
        "enum": ["1", "2", "3", "", "4"],
    }
    out = {}
    for f in ym.fields:
        kind = type(f.type).__name__.replace("Type", "").lower()
        out[f.name] = pools[kind]
    return out


def mutated_records(ym) -> st.SearchStrategy[str]:
    pool = _pool(ym)
    return st.fixed_dictionaries({n: st.sampled_from(v) for n, v in pool.items()}).map(
        lambda d: ym.layout.separator.join(d[n] for n in ym.field_names)
    )


def line_strategy(ym) -> st.SearchStrategy[str]:
    strategies: list[st.SearchStrategy[str]] = [mutated_records(ym)]
    try:
        from lss_rules import generators
    except ImportError:  # pragma: no cover - helper D's strategies not there
        return strategies[0]
    s = to_jsonschema(ym)
    line_rules = [i for i in expressed(s)]
    strategies.append(generators.records(ym).map(lambda d: d.line))
    for ident in line_rules:
        try:
            strategies.append(generators.invalid_records(ym, violating=ident).map(lambda d: d.line))
        except Exception:
            continue
    return st.one_of(*strategies)


def _compiled_validator(year: int):
    """Helper B's compiled validator for the year, or None when it is not there."""
    try:
        from lss_rules.backends.python.cache import load_validator
    except ImportError:  # pragma: no cover
        return None
    try:
        return load_validator(year)
    except Exception:  # pragma: no cover - the backend is not usable here
        return None


def _compiled_rules(mod, line: str, tmp: Path) -> set[str]:
    path = tmp / "kommun.txt"
    path.write_text(line + "\n", encoding="utf-8")
    _, findings = mod.validate([str(path)], None)
    return {f[0] for f in findings}


@pytest.mark.parametrize("year", YEARS)
def test_schema_agrees_with_evaluator(spec, year, tmp_path):
    ym = spec.for_year(year)
    s = schema_of(spec, year)
    ids = expressed(s)
    mod = _compiled_validator(year)
    warnings = {a.id for a in ym.active if a.severity == "warning"}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(line_strategy(ym))
    def check(line: str) -> None:
        record = dict(zip(ym.field_names, line.split(ym.layout.separator), strict=True))
        want = expected(ym, line, ids)
        assert violated(s, record) == want, line
        if mod is not None:
            assert _compiled_rules(mod, line, tmp_path) & set(ids) - warnings == want, line

    check()


@pytest.mark.long
@pytest.mark.parametrize("year", range(1999, 2026))
def test_schema_agrees_with_evaluator_many(spec, year):
    ym = spec.for_year(year)
    s = schema_of(spec, year)
    ids = expressed(s)

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(line_strategy(ym))
    def check(line: str) -> None:
        record = dict(zip(ym.field_names, line.split(ym.layout.separator), strict=True))
        assert violated(s, record) == expected(ym, line, ids), line

    check()
