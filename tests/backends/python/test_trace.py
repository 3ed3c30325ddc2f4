"""``--explain`` (issue 27): every finding of the Python validator carries a trace that agrees with the finding.

The lines are drawn at the rules' edges (:mod:`lss_rules.generators.edges`, as the differential tests draw
them), one to three files with shared personnummer so the unique rules fire.  For every finding: the trace's
``when`` holds (or the rule has none) and its ``require`` is false; every clause's value is what Kleene's
logic makes of its clauses; the report follows the schema; the report without ``--explain`` is the report
with ``--explain`` less its traces and ``contract``; the unique rules' ``others`` are real lines.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_differential import DECEASED, runs

from lss_rules.runtime import python as runtime

REPO = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((REPO / "lss_rules" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
YEARS = (2003, 2023)


def _write(tmp_path: Path, files: list[list[str]]) -> list[str]:
    paths = []
    for i, lines in enumerate(files):
        p = tmp_path / f"f{i}.txt"
        p.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
        paths.append(str(p))
    return paths


def _report(mod, paths, deceased, explain: bool, show: bool = False, lang: str = "sv") -> dict[str, Any]:
    report = mod.report(paths, deceased, show, lazy=True, lang=lang)
    return runtime.explain(report, paths, deceased) if explain else report


def _json(report) -> str:
    out = io.StringIO()
    runtime.write_json(report, out)
    return out.getvalue()


def _kleene(clause: dict[str, Any]) -> None:
    """The clause's value is its clauses' by Kleene's logic, all the way down; unknown says why only when null."""
    if clause["value"] is not None:
        assert clause["unknown"] is None, clause
    if clause["op"] == "test":
        assert "clauses" not in clause and isinstance(clause["derived"], list)
        return
    values = [c["value"] for c in clause["clauses"]]
    for child in clause["clauses"]:
        _kleene(child)
    if clause["op"] == "not":
        assert len(values) == 1
        want = None if values[0] is None else not values[0]
    elif clause["op"] == "and":
        assert len(values) >= 2
        want = False if False in values else None if None in values else True
    else:
        assert len(values) >= 2
        want = True if True in values else None if None in values else False
    assert clause["value"] is want, clause


def _check_traces(report: dict[str, Any], files: list[list[str]], sep: str, fields: list[str]) -> None:
    index = {f["path"]: i for i, f in enumerate(report["files"])}
    for f in report["findings"]:
        event(f["rule"])
        trace = f["trace"]  # every finding: the files are regular files, read again
        assert trace["rule"] == f["rule"] and trace["fired"] is True and trace["skipped"] is None
        assert trace["when"] is None or trace["when"]["value"] is True, trace
        assert trace["require"] is not None and trace["require"]["value"] is False, trace
        for key in ("when", "require"):
            if trace[key] is not None:
                _kleene(trace[key])
        if f["line"] is not None and "values" in f:
            by_field = {v["field"]: v["value"] for v in trace["values"]}
            for name, value in f["values"].items():  # masked exactly as finding.values
                if name in by_field:
                    assert by_field[name] == value
        if f["rule"] in ("LSS-R07", "LSS-R09"):
            me = files[index[f["file"]]][f["line"] - 1].split(sep)
            assert trace["others"], f
            for other in trace["others"]:
                there = files[index[other["file"]]][other["line"] - 1].split(sep)
                assert there[1] == me[1]  # the same personnummer (the report is made with --show-personnummer)
                if f["rule"] == "LSS-R07":
                    assert other["file"] == f["file"] and other["line"] < f["line"]
                else:
                    assert other["file"] != f["file"]
                    flags = [n for n in f["fields"] if n != "personnummer"]
                    assert any(there[fields.index(n)] == "1" for n in flags), (f, there)
        else:
            assert "others" not in trace


def _clean_line(ym, pnr: str) -> str:
    values = {f.name: "0" if f.always_required else "" for f in ym.fields}
    values.update(kommun=sorted(ym.municipalities)[0], personnummer=pnr, kontaktperson="1")
    return ym.layout.separator.join(values[f.name] for f in ym.fields)


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_finding_has_a_trace_that_agrees_with_it(year, year_model, compiled, tmp_path, data):
    ym = year_model(year)
    files = data.draw(runs(ym))
    if len(files) > 1:  # a clean line with kontaktperson in two files: LSS-R09 on both
        clean = _clean_line(ym, data.draw(st.sampled_from(("201001012382", "196901119286"))))
        for f in (files[0], files[-1]):
            f.insert(data.draw(st.integers(0, len(f))), clean)
    deceased = data.draw(st.sampled_from((None, DECEASED)))
    paths = _write(tmp_path, files)
    mod = compiled(year)
    written = _json(_report(mod, paths, deceased, explain=True, show=True))
    report = json.loads(written)
    assert written == json.dumps(report, ensure_ascii=False, indent=2) + "\n"  # as json.dump writes it
    VALIDATOR.validate(report)
    assert next(iter(report)) == "contract" and report["contract"] == 2
    _check_traces(report, files, ym.layout.separator, list(ym.field_names))


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_without_explain_the_report_is_the_traced_one_less_its_traces(year, year_model, compiled, tmp_path, data):
    """JSON and text: --explain only adds (``contract``, ``trace``, the "Spårning:" lines); off, nothing of it."""
    ym = year_model(year)
    files = data.draw(runs(ym))
    lang = data.draw(st.sampled_from(("sv", "en")))
    paths = _write(tmp_path, files)
    mod = compiled(year)
    plain = _json(_report(mod, paths, None, explain=False, lang=lang))
    traced = json.loads(_json(_report(mod, paths, None, explain=True, lang=lang)))
    assert '"trace"' not in plain and '"contract"' not in plain
    del traced["contract"]
    for f in traced["findings"]:
        f.pop("trace", None)
    assert json.dumps(traced, ensure_ascii=False, indent=2) + "\n" == plain
    titles = mod.TITLES_EN if lang == "en" else mod.TITLES
    text = runtime.render_text(_report(mod, paths, None, explain=False, lang=lang), titles, lang=lang)
    label = runtime.TRACE_WORDS[lang]["label"] + ": "
    explained = runtime.render_text(_report(mod, paths, None, explain=True, lang=lang), titles, lang=lang)
    assert label not in text
    assert "\n".join(x for x in explained.split("\n") if not x.strip().startswith(label)) == text


@pytest.fixture
def line_of(year_model):
    """A valid 2023 line by field name (a 1980 adult with kontaktperson), overridden as asked."""
    ym = year_model(2023)

    def make(**values: str) -> str:
        base = {f.name: "0" if f.always_required else "" for f in ym.fields}
        base.update(kommun="0180", personnummer="198001022386", personkrets="1", kontaktperson="1")
        base.update(values)
        return ";".join(base[f.name] for f in ym.fields)

    return make


def _one(compiled, tmp_path, files, rule, deceased=None, lang="sv"):
    paths = _write(tmp_path, files)
    report = _report(compiled(2023), paths, deceased, explain=True, lang=lang)
    found = [f for f in report["findings"] if f["rule"] == rule]
    assert found, [f["rule"] for f in report["findings"]]
    return found[0]["trace"], report


def test_an_empty_optional_field_is_unknown_empty(compiled, tmp_path, line_of):
    """LSS-R14 on a line with daglig verksamhet and no personkrets: "has a value" false, "is 1 or 2" unknown."""
    trace, _ = _one(compiled, tmp_path, [[line_of(daglig_verksamhet="1", personkrets="")]], "LSS-R14")
    present, member = trace["require"]["clauses"]
    assert (present["value"], present["unknown"]) == (False, None)
    assert (member["value"], member["unknown"]) == (None, "empty")
    assert {"field": "personkrets", "label": "personkrets", "value": "", "state": "empty"} in trace["values"]
    text = runtime.trace_text(trace)
    assert "personkrets har värdet 1 eller 2 (okänt (tomt värde))" in text


def test_an_age_rule_says_the_age_and_the_birth_year(compiled, tmp_path, line_of):
    trace, _ = _one(compiled, tmp_path, [[line_of(korttidstillsyn="1", personnummer="196901119286")]], "LSS-R04")
    assert trace["when"]["value"] is True and trace["require"]["value"] is False
    assert trace["require"]["derived"] == ["personen fyller 54 år 2023 (född 1969)"]
    assert trace["source"] == ["001 F2.5.3", "9 § 7 LSS"] and trace["fix"]
    assert trace["values"][0] == {
        "field": "personnummer",
        "label": "personnummer",
        "value": "19690111-****",
        "state": "value",
    }
    text = runtime.trace_text(trace)
    assert text.startswith("Spårning: korttidstillsyn för skolungdom har värdet 1 (uppfyllt) · personen fyller 54 år")
    english, _ = _one(
        compiled, tmp_path, [[line_of(korttidstillsyn="1", personnummer="196901119286")]], "LSS-R04", lang="en"
    )
    assert english["require"]["derived"] == ["the person turns 54 in 2023 (born 1969)"]
    assert runtime.trace_text(english, "en").startswith("Trace: short-term") and english["fix"] is None


def test_the_unique_rules_point_at_the_other_lines(compiled, tmp_path, line_of):
    a = line_of(personlig_assistans="1", personlig_assistans_timmar="10")
    b = line_of(kontaktperson="1")
    trace, report = _one(compiled, tmp_path, [[b, line_of(personnummer="201001012382"), a]], "LSS-R07")
    name = report["files"][0]["path"]
    assert trace["others"] == [{"file": name, "line": 1}]
    assert trace["require"]["words"] == "samma personnummer förekommer bara en gång i kommunens fil"
    assert runtime.trace_text(trace).endswith(f"Se också: {name} rad 1")
    # R09: the same person with kontaktperson in two files; the line in the other file is named
    other = line_of(kommun="0114")
    trace, report = _one(compiled, tmp_path, [[line_of(personnummer="201001012382"), b], [other]], "LSS-R09")
    assert trace["others"] == [{"file": report["files"][1]["path"], "line": 1}]


def test_a_deceased_person_says_the_date(compiled, tmp_path, line_of):
    trace, _ = _one(compiled, tmp_path, [[line_of()]], "LSS-R02", deceased={"198001022386": dt.date(2020, 5, 1)})
    assert trace["require"]["op"] == "not" and trace["require"]["value"] is False
    assert trace["require"]["clauses"][0]["derived"] == ["personen finns i dödsregistret med dödsdatum 2020-05-01"]


def test_the_checks_say_what_was_expected(compiled, tmp_path, line_of):
    trace, report = _one(compiled, tmp_path, [[line_of(daglig_verksamhet="01"), "0180;1"]], "LSS-S02")
    assert trace["require"] == {
        "op": "test",
        "words": "daglig verksamhet ska vara 0 eller 1",
        "value": False,
        "unknown": None,
        "derived": [],
    }
    assert trace["values"] == [
        {"field": "daglig_verksamhet", "label": "daglig verksamhet", "value": "01", "state": "malformed"}
    ]
    s01 = next(f for f in report["findings"] if f["rule"] == "LSS-S01")["trace"]
    assert s01["require"]["derived"] == ["raden har 2 fält"] and s01["values"] == []
    empty, _ = _one(compiled, tmp_path, [[]], "LSS-S05")
    assert empty["require"]["words"] == "filen har minst en post" and empty["values"] == []


def test_the_command_lines_take_explain(tmp_path, line_of, capsys):
    """``lss-rules validate --explain``: a "Spårning:" line under each finding; JSON with contract 2."""
    from lss_rules.cli import main

    path = tmp_path / "0180.txt"
    path.write_text(line_of(korttidstillsyn="1", personnummer="196901119286") + "\n", encoding="utf-8")
    assert main(["validate", str(path), "--year", "2023", "--explain"]) == 1
    out = capsys.readouterr().out
    assert "      Spårning: korttidstillsyn för skolungdom har värdet 1 (uppfyllt)" in out
    assert main(["validate", str(path), "--year", "2023", "--explain", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    VALIDATOR.validate(report)
    assert report["contract"] == 2 and report["findings"][0]["trace"]["rule"] == "LSS-R04"
