"""Root causes first: a diagnostic that only follows from another on the same declaration is not printed.

The cases of tests/spec/broken/ (e010_backwards_dated_range, e010_backwards_first_entry,
e005_inner_range_no_gap) pin the cascades found; this property states the rule for every dated value: an
E006 hole names exactly the years no entry covers, whatever overlaps there are.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lss_rules.language import model as m
from lss_rules.language.check import _overlaps
from lss_rules.language.diagnostics import Diagnostics

_entry = st.builds(
    lambda first, length, line: m.DatedEntry(
        "error", first, None if length is None else first + length, pos=m.Pos("spec.lss", line, 5)
    ),
    st.integers(2000, 2012),
    st.one_of(st.none(), st.integers(0, 6)),
    st.integers(1, 99),
)


def _years(text: str) -> set[int]:
    a, _, b = text.partition("–")
    return set(range(int(a), int(b or a) + 1))


@given(st.lists(_entry, min_size=1, max_size=5))
def test_a_hole_is_a_year_no_entry_covers(entries: list[m.DatedEntry[str]]) -> None:
    dated = m.Dated(tuple(entries))
    diags = Diagnostics()
    _overlaps(dated, "x", diags)
    said: set[int] = set()
    for d in diags.items:
        if d.code == "E006" and (mt := re.fullmatch(r"x: inget värde för (\S+)", d.message)):
            said |= _years(mt.group(1))
    low = min(e.first for e in entries)
    high = max(e.last if e.last is not None else e.first for e in entries)
    holes = {y for y in range(low, high + 1) if dated.at(y) is None}
    assert said == holes


@given(st.lists(_entry, min_size=1, max_size=5))
def test_a_value_open_at_the_end_gets_no_e006_after(entries: list[m.DatedEntry[str]]) -> None:
    dated = m.Dated(tuple(entries))
    diags = Diagnostics()
    _overlaps(dated, "x", diags)
    after = [d for d in diags.items if "inget värde efter" in d.message]
    assert bool(after) == (dated.at(max(e.first for e in entries) + 100) is None)
