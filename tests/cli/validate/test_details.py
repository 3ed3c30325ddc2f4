"""Each finding says what was found and what was expected (values, expected, detail); findings do not change."""

from __future__ import annotations

import io
import json

import pytest


def finding(report, rule):
    found = [f for f in report["findings"] if f["rule"] == rule]
    assert len(found) == 1, report["findings"]
    return found[0]


@pytest.fixture
def b(lines):
    return lines(2023)


def test_a_flag_written_01(run, b):
    _, report, _ = run([b.line(daglig_verksamhet="01")])
    f = finding(report, "LSS-S02")
    assert f["values"] == {"daglig_verksamhet": "01"}
    assert f["expected"] == "daglig_verksamhet: ska vara 0 eller 1"
    assert f["detail"] == "daglig verksamhet är '01'; ska vara 0 eller 1"  # the field by its label


def test_a_line_a_field_short(run, b):
    _, report, _ = run([b.line().rsplit(";", 1)[0]])
    assert finding(report, "LSS-S01")["detail"] == "raden har 18 fält; 2023 års postbeskrivning har 19 fält"


def test_a_kommun_without_its_leading_zero(run, b):
    _, report, _ = run([b.line(kommun="180")])
    detail = finding(report, "LSS-S02")["detail"]
    assert detail.startswith("beslutande kommun är '180'; ska vara fyra siffror") and detail.endswith("t.ex. 0180")


def test_age_rule_says_the_age_and_the_bounds(run, b):
    _, report, _ = run([b.line(korttidstillsyn="1")])  # born 1980: turns 43 in 2023
    detail = finding(report, "LSS-R04")["detail"]
    assert detail.startswith("personen fyller 43 år 2023; korttidstillsyn för skolungdom är '1'; ")
    assert "mellan 12 och 23 år" in detail


def test_hours_rule_says_the_hours_and_the_limit(run, b):
    _, report, _ = run([b.line(personlig_assistans="1", personlig_assistans_timmar="1600")])
    f = finding(report, "LSS-R21")
    assert f["values"] == {"personlig_assistans_timmar": "1600"}
    assert "'1600'" in f["detail"] and "1488" in f["expected"]


def test_personnummer_masked_in_values_and_detail(run, b):
    line = b.line(personnummer="198001011234")
    _, report, _ = run([line])
    f = finding(report, "LSS-R01")
    assert f["values"] == {"personnummer": "19800101-****"} and "1234" not in f["detail"]
    _, report, _ = run([line], args=("--show-personnummer",))
    assert finding(report, "LSS-R01")["values"] == {"personnummer": "198001011234"}


def test_in_english(run, b):
    _, report, _ = run([b.line(daglig_verksamhet="01")], args=("--lang", "en"))
    assert finding(report, "LSS-S02")["detail"] == "daily activities is '01'; must be 0 or 1"


def test_national_rules_have_no_detail(run, b):
    _, report, _ = run([b.line()], [b.line(kommun="0181")])
    assert all("detail" not in f for f in report["findings"] if f["rule"] == "LSS-R09")


def test_lazy_json_equals_the_plain_report(b, tmp_path):
    from lss_rules.backends.python.cache import load_validator
    from lss_rules.runtime import python as runtime

    path = tmp_path / "k.txt"
    rows = [b.line(daglig_verksamhet="01"), b.line().rsplit(";", 1)[0], b.line(korttidstillsyn="1"), b.line()]
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    mod = load_validator(2023)
    out = io.StringIO()
    runtime.write_json(mod.report([str(path)], lazy=True), out)
    assert out.getvalue() == json.dumps(mod.report([str(path)]), ensure_ascii=False, indent=2) + "\n"
    assert sum("detail" in f for f in json.loads(out.getvalue())["findings"]) >= 3
