"""A count of any length gets the finding of its exact value, the same in every target (issue 22).

Hours and days are written as ASCII digits of any length.  CPython's ``int()`` refuses more than
4,300 digits (fewer where ``PYTHONINTMAXSTRDIGITS`` says so) and JavaScript's ``Number()`` is
``Infinity`` past about 309 digits and rounds past 2**53, so a count is never converted whole: the
runtimes compare ``min(value, 10**12)`` (``runtime.count_value``), and every limit a spec can write
has at most 9 digits.

Hypothesis draws digit strings of every length — at each year's limits and one past them, around
10**12 and 2**53, thousands of digits, thousands of leading zeros — and feeds the same lines to the
reference evaluator, the compiled Python module (both forms), the JavaScript module and ``impact``.
Each must give the findings the evaluator gives on the same lines with each count written short
(its exact value when it has at most 9 digits, else 10**9, which is above every limit of the spec).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lss_rules.backends.python.to_python import to_python
from lss_rules.cli import main
from lss_rules.language import model as m
from lss_rules.language.examples import Example, ExampleFile, Record
from lss_rules.meaning.evaluate import Evaluator
from lss_rules.tools.examples import file_lines

YEARS = (2007, 2020, 2021, 2022, 2023)
SPECIAL = (
    "0",
    "999999999",
    "1000000000",
    "999999999999",
    "1000000000000",
    "1000000000001",
    "1000000000010",
    "2000000000000",
    "9007199254740992",
    "9007199254740993",
    "9" * 309,
    "9" * 4300,
    "9" * 4301,
    "1" + "0" * 5000,
)
ZEROS = (0, 0, 0, 1, 3, 9, 12, 13, 640, 641, 4300, 4301, 6000)


def count_fields(ym: m.YearModel) -> list[str]:
    return [f.name for f in ym.fields if isinstance(f.type, m.CountType)]


def limits(ym: m.YearModel) -> list[int]:
    return sorted({value for _, value in ym.parameters})


@st.composite
def digit_strings(draw: st.DrawFn, ym: m.YearModel) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:  # at a limit of the year, one below, one past
        body = str(max(0, draw(st.sampled_from(limits(ym))) + draw(st.integers(-1, 1))))
    elif kind == 1:
        body = draw(st.sampled_from(SPECIAL))
    elif kind == 2:  # long: a first digit, then many of one digit
        body = draw(st.sampled_from("0123456789")) + draw(st.sampled_from("09")) * draw(st.integers(0, 6000))
    else:
        body = draw(st.text("0123456789", min_size=1, max_size=24))
    return "0" * draw(st.sampled_from(ZEROS)) + body


def short(value: str) -> str:
    """The count written short with the same findings: every limit of the spec has at most 9 digits."""
    digits = value.lstrip("0") or "0"
    return digits if len(digits) <= 9 else "1" + "0" * 9


def lines_of(ym: m.YearModel, records: list[dict[str, str]]) -> list[str]:
    example = Example(
        "", ym.year, (ExampleFile("f.txt", tuple(Record(tuple(r.items())) for r in records)),), (), None, None
    )
    return file_lines(ym, example)["f.txt"]


@st.composite
def registers(draw: st.DrawFn, ym: m.YearModel) -> list[dict[str, str]]:
    """Records, each with some of the year's count fields set (their flags follow: 1)."""
    names = count_fields(ym)
    out = []
    for _ in range(draw(st.integers(1, 4))):
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
        out.append({name: draw(digit_strings(ym)) for name in chosen})
    return out


_MODULES: dict[tuple[int, bool], tuple[m.YearModel, types.ModuleType]] = {}


def module(ym: m.YearModel, standalone: bool) -> types.ModuleType:
    """The compiled validator of a year model, imported from source: the runtime imported, or embedded."""
    key = (id(ym), standalone)
    if key not in _MODULES:
        mod = types.ModuleType(f"lss_long_counts_{ym.year}_{len(_MODULES)}")
        exec(compile(to_python(ym, standalone=standalone), mod.__name__, "exec"), mod.__dict__)
        _MODULES[key] = (ym, mod)  # the model kept: its id stays its own
    return _MODULES[key][1]


def found(findings: Any) -> list[tuple[str, int | None]]:
    return sorted((f[0], f[2] or 0) for f in findings)


def check(ym: m.YearModel, batch: list[list[dict[str, str]]], folder: Path, js_module, run_batch) -> None:
    """Each register of ``batch`` in every target: the findings of its counts written short, one report."""
    jobs, wants, reports = [], [], []
    for k, records in enumerate(batch):
        lines = lines_of(ym, records)
        _, ref = Evaluator(ym).run([lines_of(ym, [{f: short(v) for f, v in r.items()} for r in records])])
        want = sorted((f.rule, f.line or 0) for f in ref)
        _, ref = Evaluator(ym).run([lines])
        assert sorted((f.rule, f.line or 0) for f in ref) == want, "the reference evaluator"
        path = folder / str(k) / "0114.txt"
        path.parent.mkdir(parents=True)
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        texts = []
        for standalone in (False, True):
            mod = module(ym, standalone)
            _, got = mod.validate([str(path)])
            assert found(got) == want, f"the compiled module (standalone: {standalone})"
            out = io.StringIO()
            mod.emit(mod.report([str(path)], lazy=True), "json", mod.TITLES, mod.NOTES, out)
            texts.append(out.getvalue())
        assert texts[0] == texts[1]
        wants.append(want)
        reports.append(texts[0])
        job = {"module": str(js_module(ym)), "cwd": None, "files": [str(path)], "deceased": None, "show": False}
        jobs.append({**job, "format": "json"})
    for k, js in enumerate(run_batch(jobs)):
        assert js["error"] is None, js
        assert js["out"] == reports[k], "the JavaScript module's report is not Python's"
        assert sorted((f["rule"], f["line"] or 0) for f in json.loads(js["out"])["findings"]) == wants[k]


_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.data_too_large, HealthCheck.too_slow]


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=3, deadline=None, suppress_health_check=_HEALTH)
@given(data=st.data())
def test_a_count_of_any_length_has_the_same_finding_everywhere(
    year, year_model, js_module, run_batch, tmp_path_factory, data
):
    ym = year_model(year)
    batch = data.draw(st.lists(registers(ym), min_size=6, max_size=6))
    check(ym, batch, tmp_path_factory.mktemp("counts"), js_module, run_batch)


@pytest.mark.long
@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=25, deadline=None, suppress_health_check=_HEALTH)
@given(data=st.data())
def test_a_count_of_any_length_has_the_same_finding_everywhere_many(
    year, year_model, js_module, run_batch, tmp_path_factory, data
):
    ym = year_model(year)
    batch = data.draw(st.lists(registers(ym), min_size=12, max_size=12))
    check(ym, batch, tmp_path_factory.mktemp("counts"), js_module, run_batch)


# --------------------------------------------------------------------------- arithmetic on counts

ARITH_SPEC = """
field dygn {
  type count
  label "Dygn"
  collected 2000..
  optional
}

rule LSS-R02 {
  title "Summa"
  message "M."
  fix "F."
  scope record
  severity none from 2000 error from 2005
  require timmar + dygn <= 100
}

rule LSS-R03 {
  title "Skillnad"
  message "M."
  fix "F."
  scope record
  severity none from 2000 error from 2005
  require timmar - dygn <= 5
}

rule LSS-R04 {
  title "Lika"
  message "M."
  fix "F."
  scope record
  severity none from 2000 warning from 2005
  require timmar = dygn or timmar < dygn
}
"""


# over 10**12 each counts as 10**12: equal, their difference 0, their sum 2 * 10**12
FIXED_PAIRS = [
    ("1000000000010", "1000000000000"),
    ("9" * 5000, "9" * 4301),
    ("9007199254740993", "9007199254740992"),
    ("0" * 5000 + "7", "1"),
    ("999999999999", "999999999993"),
]


@pytest.fixture(scope="module")
def arith_year(tmp_path_factory) -> m.YearModel:
    """A spec whose rules add, subtract and compare two counts (the published spec only compares with limits)."""
    from lss_rules.language.load import load_spec

    base = (Path(__file__).resolve().parents[2] / "spec" / "base.lss").read_text(encoding="utf-8")
    assert "    timmar\n  }" in base
    text = base.replace("    timmar\n  }", "    timmar\n    dygn\n  }") + ARITH_SPEC
    folder = tmp_path_factory.mktemp("arith")
    (folder / "spec.lss").write_text(text, encoding="utf-8")
    return load_spec(folder).for_year(2023)


@settings(max_examples=4, deadline=None, suppress_health_check=_HEALTH)
@given(data=st.data())
def test_sums_and_differences_of_long_counts_agree(arith_year, js_module, run_batch, tmp_path_factory, data):
    """Two counts added, subtracted, compared: min(value, 10**12) each, the same in every target."""
    ym = arith_year
    values = st.one_of(digit_strings(ym), st.sampled_from(SPECIAL))
    pairs = FIXED_PAIRS + data.draw(st.lists(st.tuples(values, values), min_size=8, max_size=8))
    folder = tmp_path_factory.mktemp("arith-run")
    path = folder / "f.txt"
    path.write_text("".join(f"198001012384;0;{a};{b}\n" for a, b in pairs), encoding="utf-8")
    _, ref = Evaluator(ym).run([[f"198001012384;0;{a};{b}" for a, b in pairs]])
    want = sorted((f.rule, f.line or 0) for f in ref)
    texts = []
    for standalone in (False, True):
        mod = module(ym, standalone)
        assert found(mod.validate([str(path)])[1]) == want
        out = io.StringIO()
        mod.emit(mod.report([str(path)], lazy=True), "json", mod.TITLES, mod.NOTES, out)
        texts.append(out.getvalue())
    job = {"module": str(js_module(ym)), "cwd": None, "files": [str(path)], "deceased": None, "show": False}
    (js,) = run_batch([{**job, "format": "json"}])
    assert js["out"] == texts[0] == texts[1]


# --------------------------------------------------------------------------- the command lines

HOSTILE = ("9" * 641, "0" * 5000 + "1489", "0" * 640 + "1488", "9" * 5000, "0" * 4301 + "745", "1000")


def test_impact_counts_long_numbers(year_model, tmp_path, capsys):
    # 2021 allows 744 hours, 2022 1488: three lines are over both, three only over 744
    path = tmp_path / "0114.txt"
    lines = lines_of(year_model(2022), [{"personlig_assistans_timmar": v} for v in HOSTILE])
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert main(["impact", "--from-year", "2021", "--to-year", "2022", "--format", "json", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    (r21,) = (r for r in json.loads(out)["rules"] if r["rule"] == "LSS-R21")
    assert r21["findings"] == {"before": 6, "after": 3}


def test_the_int_digit_limit_of_the_machine_changes_nothing(year_model, tmp_path):
    """PYTHONINTMAXSTRDIGITS at its least (640): the same report from lss-rules and a standalone module."""
    path = tmp_path / "0114.txt"
    lines = lines_of(year_model(2023), [{"personlig_assistans_timmar": v} for v in HOSTILE])
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    script = tmp_path / "lss_2023.py"
    script.write_text(to_python(year_model(2023), standalone=True), encoding="utf-8")
    outs = []
    for limit in ("640", "0", None):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONINTMAXSTRDIGITS"}
        if limit is not None:
            env["PYTHONINTMAXSTRDIGITS"] = limit
        for argv in (["-m", "lss_rules", "validate"], [str(script)]):
            run = [sys.executable, *argv, "--year", "2023", "--format", "json", str(path)]
            proc = subprocess.run(run, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False)
            assert proc.returncode == 1, proc.stderr
            assert proc.stderr == ""
            outs.append(json.loads(proc.stdout)["findings"])
    assert all(o == outs[0] for o in outs)
    assert [(f["rule"], f["line"]) for f in outs[0]] == [("LSS-R21", 1), ("LSS-R21", 2), ("LSS-R21", 4)]
