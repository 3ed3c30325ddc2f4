"""LSS-R01 against the public test data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_data import reference_file

from lss_rules.runtime import python as runtime

from .conftest import make_line
from .conftest import test_personnummer as skatteverket_numbers

LATE = dt.date(2100, 1, 1)


def _load(name: str):
    return json.loads(reference_file(name).read_text(encoding="utf-8"))


def test_r01_agrees_with_personnummer_testdata():
    entries = [e for e in _load("personnummer-testdata.json") if len(e["long_format"]) == 12]
    assert entries
    for e in entries:
        assert runtime.valid_personnummer(e["long_format"], LATE) is e["valid"], e["long_format"]


def test_samordningsnummer_month_00_or_day_60_fail():
    bad = [p for p in _load("skatteverket-testsamordningsnummer.json") if p[4:6] == "00" or p[6:8] == "60"]
    assert bad
    for p in bad:
        assert not runtime.valid_personnummer(p, LATE), p


def test_every_skatteverket_test_personnummer_passes():
    failing = [p for p in skatteverket_numbers() if not runtime.valid_personnummer(p, LATE)]
    assert failing == []


def test_born_after_the_reference_date_fails(year_model, rules_on):
    ym = year_model(2023)
    late = next(p for p in skatteverket_numbers() if p.startswith("202310") and int(p[6:8]) > 1)
    assert "LSS-R01" in rules_on(2023, make_line(ym, personnummer=late))


@pytest.mark.parametrize("pnr", ["199001011230", "199013011234"])
def test_r01_on_a_line(year_model, rules_on, pnr):
    ym = year_model(2023)
    valid = runtime.valid_personnummer(pnr, ym.reference_date)
    assert ("LSS-R01" in rules_on(2023, make_line(ym, personnummer=pnr))) is (not valid)


def _definition(pnr: str, reference: dt.date) -> bool:
    """LSS-R01 as the docstring of valid_personnummer says it, from birth_date and luhn_ok."""
    if not (len(pnr) == 12 and pnr.isdigit() and pnr.isascii()):
        return False
    born = runtime.birth_date(pnr)
    ok = born is not None and pnr[8:11] != "000" and runtime.luhn_ok(pnr[2:])
    return ok and born <= (reference.year, reference.month, reference.day)


@st.composite
def _numbers(draw) -> str:
    year = draw(st.sampled_from([0, 1, 4, 100, 1900, 1999, 2000, 2004, 2020, 2023, 2024, 9999]) | st.integers(0, 9999))
    month, day = draw(st.integers(0, 13)), draw(st.sampled_from([0, 1, 28, 29, 30, 31, 32, 60, 61, 89, 90, 91, 92]))
    serial = draw(st.sampled_from([0, 1, 999]) | st.integers(0, 999))
    return f"{year:04d}{month:02d}{day:02d}{serial:03d}{draw(st.integers(0, 9))}"


@settings(max_examples=3000, deadline=None)
@given(
    pnr=_numbers() | st.text("0123456789", min_size=12, max_size=12) | st.text(max_size=14),
    reference=st.sampled_from([dt.date(2023, 10, 1), dt.date(2024, 2, 29), dt.date(1, 1, 1), dt.date(999, 1, 1)])
    | st.dates(),
)
def test_checker_is_the_definition(pnr, reference):
    check = runtime.personnummer_checker(reference)
    assert check(pnr) is _definition(pnr, reference) is runtime.valid_personnummer(pnr, reference)
    assert check(pnr) is _definition(pnr, reference)  # the second time from what the checker remembers


def _with_check_digit(first_eleven: str) -> str:
    """The personnummer whose last digit makes the Luhn sum over its last ten digits a multiple of ten."""
    return next(first_eleven + d for d in "0123456789" if runtime.luhn_ok(first_eleven[2:] + d))


@pytest.mark.parametrize(
    "reference", [dt.date(2023, 12, 31), dt.date(2023, 10, 1), dt.date(2024, 2, 29), dt.date(2000, 1, 1)]
)
@pytest.mark.parametrize("coordination", [0, 60], ids=["personnummer", "samordningsnummer"])
def test_born_on_the_reference_date_is_valid_the_day_after_is_not(reference, coordination):
    """The checker compares the birth date in full only from the reference year on: its edges, both kinds."""
    for born, valid in ((reference, True), (reference + dt.timedelta(days=1), False)):
        pnr = _with_check_digit(f"{born:%Y%m}{born.day + coordination:02d}123")
        check = runtime.personnummer_checker(reference)
        assert check(pnr) is valid is _definition(pnr, reference), (pnr, reference)
