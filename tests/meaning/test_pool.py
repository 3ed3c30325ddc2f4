"""The test numbers of a reference date: the pool the generators, the worked examples and the conformance suite
draw from.  It is found from the numbers valid ever, checking again only those born in the date's year; it must
be exactly what checking every number on the date gives (the same numbers, in the same order: the suites and
golden files depend on it)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lss_rules.meaning import pool as test_pool
from lss_rules.runtime import python as runtime


def _every_number_checked(date: dt.date) -> tuple[dict[int, tuple[str, ...]], tuple[str, ...]]:
    by_year: dict[int, list[str]] = {}
    invalid: list[str] = []
    for pnr in test_pool.test_numbers():
        if runtime.valid_personnummer(pnr, date):
            by_year.setdefault(int(pnr[:4]), []).append(pnr)
        else:
            invalid.append(pnr)
    return {y: tuple(v) for y, v in sorted(by_year.items())}, tuple(invalid)


def _as_checked(date: dt.date) -> tuple[list[tuple[int, tuple[str, ...]]], tuple[str, ...]]:
    pool = test_pool.pool(date)
    return list(pool.by_birth_year.items()), pool.invalid


def test_the_pool_of_every_reference_date_is_every_number_checked(spec):
    for year in range(1999, 2026):
        date = spec.for_year(year).reference_date
        by_year, invalid = _every_number_checked(date)
        assert _as_checked(date) == (list(by_year.items()), invalid), date


@settings(max_examples=15, deadline=None)
@given(date=st.dates(dt.date(1890, 1, 1), dt.date(2100, 12, 31)))
def test_the_pool_of_any_date_is_every_number_checked(date):
    """Any day: the first of a year, a 29 February, a day before every test number was born."""
    by_year, invalid = _every_number_checked(date)
    assert _as_checked(date) == (list(by_year.items()), invalid)
