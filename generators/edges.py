"""Lines at the edges, for differential tests: values at and around the rules' bounds, and broken ones.

Nothing here is solved (unlike :mod:`lss_rules.generators.strategies`, whose data carries its exact findings):
two validators are run side by side on these lines and must agree.  The values come from short lists: the
hour limits, Skatteverket's test persons of the ages the rules compare, codes that exist in some years only,
and values no field accepts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hypothesis import strategies as st

from lss_rules.language import model as m

__all__ = ["EDGE_PNRS", "ODD_PNRS", "edge_lines", "edge_value"]

#: Skatteverket's test numbers of different ages (1890 to 2023), a leap day and two deceased-list persons.
EDGE_PNRS = (
    "201001012384",
    "198001012384",
    "189001019802",
    "200002292389",
    "195001012384",
    "201205012389",
    "202310012382",
)
#: Values of the personnummer field that are not one: too short or long, a bad check digit, other digits.
ODD_PNRS = (
    "20000229238",
    "abc",
    "",
    "199901302387",
    "19800101238\U0001f600",
    "\u0661\u0669\u0668\u0660\u0660\u0661\u0660\u0661\u0662\u0663\u0668\u0664",
    "1980010123845",
    "1980",
)
_GARBAGE = (
    "",
    "x",
    " 1",
    "-1",
    "1.5",
    "\u0663",
    "\u00b2",
    "01",
    "00",
    "0",
    "1",
    "2",
    "3",
    "4",
    "9999",
    "0114;",
    "\u00e4",
    '"',
    "\\",
    "\x01",
)


def edge_value(f: m.Field, ym: m.YearModel) -> st.SearchStrategy[str]:
    """Values of a field at and around the rules' bounds, and some no field accepts."""
    return _field_values(ym)[f.name] if f in ym.fields else _edge_value(f, ym)


@functools.lru_cache(maxsize=64)
def _field_values(ym: m.YearModel) -> dict[str, st.SearchStrategy[str]]:
    """:func:`edge_value` of each field of the year, made once: a line draws a value of every field, and a
    strategy made afresh for each draw is validated by Hypothesis again (with the municipalities sorted again):
    most of the time of drawing a line went there."""
    return {f.name: _edge_value(f, ym) for f in ym.fields}


def _edge_value(f: m.Field, ym: m.YearModel) -> st.SearchStrategy[str]:
    match f.type:
        case m.MunicipalityType():
            codes = sorted(ym.municipalities)
            return st.sampled_from([*codes[:5], "0140", "0330", "1917", "0331", "9999", "114", ""])
        case m.PersonnummerType():
            return st.sampled_from(EDGE_PNRS + ODD_PNRS)
        case m.FlagType():
            return st.sampled_from(("0", "1", "1", "0", "", "2", "x"))
        case m.EnumType():
            return st.sampled_from(("1", "2", "3", "", "4", "0"))
        case m.CountType():
            return st.one_of(
                st.sampled_from(("", "0", "11", "12", "31", "32", "45", "46", "175", "176", "744", "745", "1488")),
                st.sampled_from(("1489", "007", "99999999999999999999999", "-1", "1.5", "\u0663")),
                st.integers(0, 2000).map(str),
            )
    return st.just("")  # pragma: no cover


@st.composite
def edge_lines(draw: st.DrawFn, ym: m.YearModel, persons: Sequence[str]) -> str:
    """A line of the year's layout whose values sit at and around the rules' bounds, or a broken one.

    Unlike :func:`~lss_rules.generators.strategies.records` nothing is solved: the values come from
    short lists of bounds (the hour limits, the age limits' test persons, codes that exist in some
    years only) and of values no field accepts, so two validators can be run side by side on them.  Most lines
    take their personnummer from ``persons`` (repeats make the file and national rules fire);
    one in ten is broken in its structure, one in ten has a field replaced by garbage and one
    in ten has an ``å`` added to a field (a Latin-1 line when the file is written so).
    """
    kind = draw(st.integers(0, 9))
    if kind == 0:  # malformed structure
        sep = ym.layout.separator
        return draw(st.sampled_from(("", sep, "0114", sep * len(ym.fields), sep * (len(ym.fields) - 2), "\ufeff")))
    field_values = _field_values(ym)
    values = [draw(field_values[f.name]) for f in ym.fields]
    if kind <= 6 and persons:
        values[1] = draw(st.sampled_from(list(persons)))
    if kind == 1:
        values[draw(st.integers(0, len(values) - 1))] = draw(st.sampled_from(_GARBAGE))
    if kind == 2:
        values[draw(st.integers(0, len(values) - 1))] += "\u00e5"
    return ym.layout.separator.join(values)
