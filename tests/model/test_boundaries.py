"""Per rule, boundary records evaluated by the reference evaluator (lss_rules.meaning.evaluate)."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import born, make_line


@pytest.mark.parametrize(("age", "found"), [(11, True), (12, False), (23, False), (24, True)])
def test_r04_korttidstillsyn_ages(year_model, rules_on, age, found):
    ym = year_model(2023)
    line = make_line(ym, personnummer=born(2023 - age), korttidstillsyn=1, daglig_verksamhet=0)
    assert ("LSS-R04" in rules_on(2023, line)) is found


@pytest.mark.parametrize(
    ("year", "hours", "found"), [(2021, 744, False), (2021, 745, True), (2022, 1488, False), (2022, 1489, True)]
)
def test_r21_parameter_by_year(year_model, rules_on, year, hours, found):
    ym = year_model(year)
    line = make_line(ym, personlig_assistans=1, personlig_assistans_timmar=hours)
    assert ("LSS-R21" in rules_on(year, line)) is found


@pytest.mark.parametrize(("year", "hours", "found"), [(2020, 175, False), (2020, 176, True), (2021, 176, False)])
def test_r17_warning_until_2020(year_model, rules_on, year, hours, found):
    ym = year_model(year)
    line = make_line(ym, personlig_assistans=1, personlig_assistans_timmar=hours)
    assert ("LSS-R17" in rules_on(year, line)) is found


@pytest.mark.parametrize(("days", "found"), [(31, False), (32, True)])
def test_r24_days(year_model, rules_on, days, found):
    line = make_line(year_model(2023), korttidsvistelse=1, korttidsvistelse_dygn=days)
    assert ("LSS-R24" in rules_on(2023, line)) is found


@pytest.mark.parametrize(
    ("rule", "age", "found"),
    [("LSS-R15", 16, False), ("LSS-R15", 15, True), ("LSS-R16", 70, False), ("LSS-R16", 71, True)],
)
def test_daglig_verksamhet_ages(year_model, rules_on, rule, age, found):
    line = make_line(year_model(2023), personnummer=born(2023 - age))
    assert (rule in rules_on(2023, line)) is found


@pytest.mark.parametrize(
    ("rule", "flag", "age", "found"),
    [
        ("LSS-R10", "familjehem", 25, False),
        ("LSS-R10", "familjehem", 26, True),
        ("LSS-R11", "bostad_barn", 25, False),
        ("LSS-R11", "bostad_barn", 26, True),
        ("LSS-R12", "bostad_vuxna", 17, False),
        ("LSS-R12", "bostad_vuxna", 16, True),
        ("LSS-R13", "annan_bostad", 17, False),
        ("LSS-R13", "annan_bostad", 16, True),
    ],
)
def test_housing_ages(year_model, rules_on, rule, flag, age, found):
    line = make_line(year_model(2023), personnummer=born(2023 - age), daglig_verksamhet=0, **{flag: 1})
    assert (rule in rules_on(2023, line)) is found


def test_r12_on_boende_vuxna_2003(year_model, rules_on):
    ym = year_model(2003)
    assert len(ym.fields) == 14
    young = make_line(ym, personnummer=born(2003 - 16), daglig_verksamhet=0, boende_vuxna=1)
    old = make_line(ym, personnummer=born(2003 - 17), daglig_verksamhet=0, boende_vuxna=1)
    assert "LSS-R12" in rules_on(2003, young)
    assert "LSS-R12" not in rules_on(2003, old)


@pytest.mark.parametrize(("krets", "found"), [(1, False), (2, False), (3, True)])
def test_r14_personkrets(year_model, rules_on, krets, found):
    line = make_line(year_model(2023), personkrets=krets)
    assert ("LSS-R14" in rules_on(2023, line)) is found


def test_r14_not_in_2005(year_model, rules_on):
    ym = year_model(2005)
    assert "personkrets" not in ym.field_names
    assert ym.severity_of("LSS-R14") is None
    assert rules_on(2005, make_line(ym)) == set()


def test_r05_two_housing_insatser(year_model, rules_on):
    line = make_line(year_model(2023), bostad_vuxna=1, annan_bostad=1, boendekommun="")
    assert "LSS-R05" in rules_on(2023, line)
    assert "LSS-R05" not in rules_on(2023, make_line(year_model(2023), bostad_vuxna=1))


@pytest.mark.parametrize(("year", "severity"), [(2019, "error"), (2020, "warning")])
def test_r06_severity(year_model, rules_on, year, severity):
    ym = year_model(year)
    line = make_line(ym, personnummer=born(year - 20), korttidstillsyn=1)
    assert "LSS-R06" in rules_on(year, line)
    assert ym.severity_of("LSS-R06") == severity


def test_r08_no_insats(year_model, rules_on):
    assert "LSS-R08" in rules_on(2023, make_line(year_model(2023), daglig_verksamhet=0))
    assert "LSS-R08" not in rules_on(2023, make_line(year_model(2023)))


def test_r07_every_repeat_after_the_first(year_model, findings):
    ym = year_model(2023)
    line = make_line(ym)
    other = make_line(ym, personnummer=born(1980, 1))
    found = [(f.rule, f.line) for f in findings(2023, line, other, line, line) if f.rule == "LSS-R07"]
    assert found == [("LSS-R07", 3), ("LSS-R07", 4)]


def test_r09_same_insats_two_municipalities(year_model, findings):
    ym = year_model(2023)
    codes = sorted(ym.municipalities)
    a = make_line(ym, kommun=codes[0])
    b = make_line(ym, kommun=codes[1])
    found = {(f.rule, f.file, f.line) for f in findings(2023, files=[[a], [b]]) if f.rule == "LSS-R09"}
    assert found == {("LSS-R09", 0, 1), ("LSS-R09", 1, 1)}
    c = make_line(ym, kommun=codes[1], daglig_verksamhet=0, kontaktperson=1)
    assert not [f for f in findings(2023, files=[[a], [c]]) if f.rule == "LSS-R09"]


@pytest.mark.parametrize(("delta", "found"), [(-1, True), (0, True), (1, False)])
def test_r02_deceased(year_model, rules_on, delta, found):
    ym = year_model(2023)
    line = make_line(ym)
    pnr = born(2023 - 40)
    died = ym.reference_date + dt.timedelta(days=delta)
    assert ("LSS-R02" in rules_on(2023, line, deceased={pnr: died})) is found


def test_r02_needs_a_deceased_list(year_model, rules_on):
    assert "LSS-R02" not in rules_on(2023, make_line(year_model(2023)))


def test_s01_line_gets_nothing_else(year_model, rules_on):
    line = make_line(year_model(2023), daglig_verksamhet=0) + ";"
    assert rules_on(2023, line) == {"LSS-S01"}


def test_s02_silences_readers(year_model, rules_on):
    ym = year_model(2023)
    line = make_line(ym, personnummer=born(2023 - 10), daglig_verksamhet="x")
    assert rules_on(2023, line) == {"LSS-S02"}
    assert rules_on(2023, make_line(ym, personnummer=born(2023 - 10))) >= {"LSS-R15"}


def test_s03_s04_hours(year_model, rules_on):
    ym = year_model(2023)
    assert "LSS-S03" in rules_on(2023, make_line(ym, personlig_assistans=1))
    assert "LSS-S04" in rules_on(2023, make_line(ym, personlig_assistans_timmar=0))


def test_s05_empty_file(findings):
    found = findings(2023, files=[[]])
    assert [(f.rule, f.line) for f in found] == [("LSS-S05", None)]


def test_valid_line_has_no_findings(year_model, rules_on):
    for year in (1999, 2003, 2005, 2007, 2020, 2023):
        assert rules_on(year, make_line(year_model(year))) == set(), year
