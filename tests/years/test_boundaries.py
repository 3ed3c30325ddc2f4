"""Boundaries between years: layouts, reference dates and municipality codes (rule catalogue §1, §2, §6)."""

from __future__ import annotations

import datetime as dt

import pytest
from years_support import YEARS, Lines, born_on, number_born_on, rules_of, run_engines

# ----------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    ("line_year", "year", "fields"),
    [
        (2003, 2003, 14),
        (2004, 2004, 13),
        (2006, 2006, 13),
        (2007, 2007, 19),
        (2003, 2004, 14),  # a 14-field line is S01 in 2004
        (2004, 2003, 13),  # a 13-field line is S01 in 2003
        (2007, 2006, 19),  # a 19-field line is S01 in 2006
        (2006, 2007, 13),  # a 13-field line is S01 in 2007
        (1999, 2007, 14),
        (2023, 2003, 19),
    ],
)
def test_a_line_is_read_with_its_years_layout(line_year, year, fields, year_model, tmp_path):
    line = Lines(year_model(line_year)).line()
    assert len(line.split(";")) == fields
    for engine, report in run_engines(year_model(year), [[line]], tmp_path):
        expected = [] if line_year == year or len(year_model(year).field_names) == fields else ["LSS-S01"]
        assert rules_of(report) == expected, engine


def test_the_three_layouts(year_model):
    assert len(year_model(1999).field_names) == 14
    assert "boende_vuxna" in year_model(2003).field_names
    assert "bostad_vuxna" not in year_model(2003).field_names
    ym2004 = year_model(2004)
    assert len(ym2004.field_names) == 13
    assert {"personkrets", "boendekommun", "boende_vuxna"}.isdisjoint(ym2004.field_names)
    assert {"bostad_vuxna", "annan_bostad"} <= set(ym2004.field_names)
    assert len(year_model(2007).field_names) == 19
    assert year_model(2007).field_names[4] == "personlig_assistans_timmar"


# ----------------------------------------------------------------- reference dates

REFERENCE = {1999: "06-01", 2000: "06-01", 2001: "09-01", 2002: "09-01"}


@pytest.mark.parametrize("year", YEARS)
def test_reference_date(year, year_model):
    assert year_model(year).reference_date.strftime("%m-%d") == REFERENCE.get(year, "10-01")


@pytest.mark.parametrize("year", YEARS)
def test_born_on_the_reference_date_passes_the_day_after_fails_r01(year, year_model, tmp_path):
    ym = year_model(year)
    b = Lines(ym)
    ref = ym.reference_date
    # Skatteverket's test numbers where the list has one born on the date (not 2020-10-01 nor after 2023)
    on, after = number_born_on(ref), number_born_on(ref + dt.timedelta(days=1))
    for engine, report in run_engines(ym, [[b.line(personnummer=on)]], tmp_path / "on"):
        assert rules_of(report) == [], (engine, on)
    for engine, report in run_engines(ym, [[b.line(personnummer=after)]], tmp_path / "after"):
        assert rules_of(report) == ["LSS-R01"], (engine, after)


# ----------------------------------------------------------------- municipality codes


@pytest.mark.parametrize(
    ("code", "year", "ok"),
    [
        ("0330", 2002, False),  # Knivsta from 2003
        ("0330", 2003, True),
        ("1917", 2006, True),  # Heby in Västmanland through 2006
        ("1917", 2007, False),
        ("0331", 2006, False),  # Heby in Uppsala from 2007
        ("0331", 2007, True),
        ("0140", 1999, True),  # Nykvarn from 1999
        ("0140", 2025, True),
    ],
)
def test_municipality_codes_by_year(code, year, ok, year_model, tmp_path):
    ym = year_model(year)
    for engine, report in run_engines(ym, [[Lines(ym).line(kommun=code)]], tmp_path):
        assert rules_of(report) == ([] if ok else ["LSS-S02"]), engine


def test_test_numbers_are_used_where_the_list_has_them():
    assert number_born_on(dt.date(2003, 10, 1)) == born_on(dt.date(2003, 10, 1)) is not None
    assert born_on(dt.date(2025, 10, 1)) is None  # computed (see years_support.number_born_on)


def test_number_of_municipality_codes(year_model):
    assert len(year_model(2002).municipalities) == 289
    assert len(year_model(2003).municipalities) == 290
    assert len(year_model(2025).municipalities) == 290


def test_boendekommun_code_is_checked_for_the_year(year_model, tmp_path):
    ym = year_model(2002)
    line = Lines(ym).line(familjehem="1", kontaktperson="0", boendekommun="0330", age=10)
    for engine, report in run_engines(ym, [[line]], tmp_path):
        assert rules_of(report) == ["LSS-S02"], engine
        assert report["findings"][0]["fields"] == ["boendekommun"]
