"""The findings a run keeps have a bound, the same in both runtimes (issue 22).

20 MB of blank lines are 20 million LSS-S01 findings: 3.3 GB of memory and 4.7 GB of JSON before
the bound.  Both runtimes keep the first ``LISTED`` (1,000) of a rule in a file, by line, and count
the others; the report lists the kept ones and gives the count of the rest per rule and file
(``not_listed``), its status and summary counting them all.  ``RawFindings`` (Python) and
``Findings`` (JavaScript) are tested as twins on the same generated findings, and whole reports
past the bound, JSON and text, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_data import reference_file
from schema_check import validate

from lss_rules.backends.python.cache import load_validator
from lss_rules.language import model as m
from lss_rules.language.examples import Example, ExampleFile, Record
from lss_rules.runtime import python as runtime
from lss_rules.tools.examples import file_lines

RULES = {"LSS-S01": ["error", "fält"], "LSS-R08": ["error", "insats"], "LSS-R09": ["warning", "två filer"]}
SCHEMA = json.loads((resources.files("lss_rules.schemas") / "report.schema.json").read_text(encoding="utf-8"))


def node_twin(js_calls, findings: list[list[Any]], listed: int) -> dict[str, Any]:
    """The findings pushed into the JavaScript twin (``Findings``) with the bound ``listed`` (parity.mjs)."""
    (got,) = js_calls([["store", findings, listed, RULES, [], False]])
    return {"kept": got["value"]["back"], "more": got["value"]["more"]}


finding = st.tuples(
    st.sampled_from(sorted(RULES)), st.integers(0, 2), st.integers(1, 50), st.just(["a"]), st.just(None)
).map(list)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(findings=st.lists(finding, max_size=60), listed=st.integers(0, 6), cuts=st.lists(st.integers(0, 60)))
def test_raw_findings_and_their_twin_keep_the_same(js_calls, findings, listed, cuts):
    """The first ``listed`` of each rule and file in the order found, the rest counted: wherever Python settles."""
    kept: dict[tuple[str, int], int] = {}
    want, more = [], {}
    for f in findings:
        key = (f[0], f[1])
        if kept.get(key, 0) < listed:
            kept[key] = kept.get(key, 0) + 1
            want.append(f)
        else:
            more[key] = more.get(key, 0) + 1
    raw = runtime.RawFindings(listed)
    for i, f in enumerate(findings):
        raw.append(tuple(f))
        if i in cuts:
            raw.settle()
        raw.bound()
    raw.settle()
    assert [list(f) for f in raw] == want
    assert raw.not_listed == more
    got = node_twin(js_calls, findings, listed)
    assert got["kept"] == want
    assert [tuple(x) for x in got["more"]] == runtime.not_listed_of(raw, RULES)


# --------------------------------------------------------------------------- whole runs past the bound


@pytest.fixture(scope="module")
def adults() -> list[str]:
    """Skatteverket's test personnummer of adults, valid in 2023 (a line each: no LSS-R07)."""
    numbers = json.loads(reference_file("skatteverket-testpersonnummer.json").read_text(encoding="utf-8"))
    return [p for p in numbers if "1950" <= p[:4] <= "1990" and runtime.valid_personnummer(p, dt.date(2023, 10, 1))]


def lines_of(ym: m.YearModel, records: list[dict[str, str]]) -> list[str]:
    """Lines of the year, each field not given valid (lss_rules.tools.examples: the worked examples' defaults)."""
    example = Example(
        "", ym.year, (ExampleFile("f.txt", tuple(Record(tuple(r.items())) for r in records)),), (), None, None
    )
    return file_lines(ym, example)["f.txt"]


def _write(path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def _register(year_model, adults, tmp_path) -> list[str]:
    """Two files of 2023: blank lines and lines without an insats past the bound, a few of each in the second."""
    ym = year_model(2023)
    none = lines_of(ym, [{"personnummer": p, "kontaktperson": "0"} for p in adults[:1203]])
    first = _write(tmp_path / "0114.txt", [""] * 1500 + none)
    second = _write(tmp_path / "0115.txt", ["", "", none[0]])
    return [first, second]


def _python(paths: list[str], fmt: str, lang: str = "sv", year: int = 2023) -> str:
    mod = load_validator(year)
    out = io.StringIO()
    report = mod.report(paths, None, False, lazy=True, lang=lang)
    titles, notes = (mod.TITLES_EN, mod.NOTES_EN) if lang == "en" else (mod.TITLES, mod.NOTES)
    mod.emit(report, fmt, titles, notes, out, lang=lang)
    return out.getvalue()


def test_a_run_past_the_bound_is_the_same_in_both_runtimes(year_model, adults, tmp_path, js_module, run_batch):
    paths = _register(year_model, adults, tmp_path)
    report = json.loads(_python(paths, "json"))
    validate(report, SCHEMA)
    assert report["status"] == "rejected"
    first = [f for f in report["findings"] if f["file"] == paths[0]]
    s01 = [f["line"] for f in first if f["rule"] == "LSS-S01"]
    r08 = [f["line"] for f in first if f["rule"] == "LSS-R08"]
    assert s01 == list(range(1, 1001)) and r08 == list(range(1501, 2501))  # the first thousand, by line
    assert report["not_listed"] == [
        {"file": paths[0], "rule": "LSS-S01", "severity": "error", "count": 500},
        {"file": paths[0], "rule": "LSS-R08", "severity": "error", "count": 203},
    ]
    assert len([f for f in report["findings"] if f["file"] == paths[1]]) == 3  # under the bound: all listed
    text = _python(paths, "text")
    assert "LSS-S01 Fel antal fält på raden (fel, 1500 st)" in text
    assert "    … och 500 till av regeln i filen (de första 1000 visas)" in text
    assert "    … och 203 till av regeln i filen (de första 1000 visas)" in text
    assert "Sammanfattning: 2 filer, 2706 poster, 2706 fel, 0 varningar — ej godkänd" in text
    jobs = [
        {"module": str(js_module(2023)), "cwd": None, "files": paths, "deceased": None, "show": False, "format": fmt}
        for fmt in ("json", "text")
    ]
    got = run_batch(jobs)
    assert got[0]["out"] == _python(paths, "json")
    assert got[1]["out"] == text
    assert got[0]["code"] == 1


def test_a_capped_warning_accepts_with_warnings(year_model, adults, tmp_path, js_module, run_batch):
    """2020: hours over 175 are a warning (LSS-R17); 1,200 of them list 1,000 and say 200 more."""
    ym = year_model(2020)
    rows = [{"personnummer": p, "personlig_assistans_timmar": str(176 + i)} for i, p in enumerate(adults[:1200])]
    path = _write(tmp_path / "0114.txt", lines_of(ym, rows))
    mod = load_validator(2020)
    report = mod.report([path], None, False)
    assert [f["rule"] for f in report["findings"]] == ["LSS-R17"] * 1000
    assert report["not_listed"] == [{"file": path, "rule": "LSS-R17", "severity": "warning", "count": 200}]
    assert report["status"] == "accepted_with_warnings"
    text = io.StringIO()
    mod.emit(mod.report([path], None, False, lazy=True), "text", mod.TITLES, mod.NOTES, text)
    assert "Sammanfattning: 1 fil, 1200 poster, 0 fel, 1200 varningar — godkänd med varningar" in text.getvalue()
    job = {"module": str(js_module(2020)), "cwd": None, "files": [path], "deceased": None, "show": False}
    got = run_batch([{**job, "format": "json"}, {**job, "format": "text"}])
    assert got[0]["out"] == _python([path], "json", year=2020)
    assert got[1]["out"] == text.getvalue()
    assert got[0]["code"] == 0


def test_a_run_under_the_bound_has_no_new_key(year_model, tmp_path):
    """A report that left nothing out is byte for byte what it was before the bound: no ``not_listed``."""
    path = _write(tmp_path / "0114.txt", [""] * 1000)
    report = json.loads(_python([path], "json"))
    assert "not_listed" not in report and len(report["findings"]) == 1000
    assert list(report) == ["year", "status", "files", "findings", "not_checked", "spec"]


@pytest.mark.parametrize("seed", range(2))
def test_bound_in_a_national_run(year_model, adults, tmp_path, seed, js_module, run_batch):
    """LSS-R09 past the bound in both files of a national run (read a second time), in either order."""
    ym = year_model(2023)
    people = adults[:1100]
    first = _write(tmp_path / f"a{seed}.txt", lines_of(ym, [{"personnummer": p, "kommun": "0114"} for p in people]))
    second = _write(tmp_path / f"b{seed}.txt", lines_of(ym, [{"personnummer": p, "kommun": "0115"} for p in people]))
    paths = [first, second]
    random.Random(seed).shuffle(paths)
    report = json.loads(_python(paths, "json"))
    assert [(m["file"], m["rule"], m["count"]) for m in report["not_listed"]] == [
        (paths[0], "LSS-R09", 100),
        (paths[1], "LSS-R09", 100),
    ]
    job = {"module": str(js_module(2023)), "cwd": None, "files": paths, "deceased": None, "show": False}
    (js,) = run_batch([{**job, "format": "json"}])
    assert js["out"] == _python(paths, "json")
