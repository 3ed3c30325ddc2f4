"""LSS-R01 against the public test data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lss_rules import runtime

from .conftest import SHARED, make_line
from .conftest import test_personnummer as skatteverket_numbers

LATE = dt.date(2100, 1, 1)


def _load(name: str):
    return json.loads((SHARED / name).read_text(encoding="utf-8"))


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
