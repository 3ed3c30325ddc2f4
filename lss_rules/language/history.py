"""Year facts derived from the spec: layouts by year and what is in force each year.

Shared by ``lss-rules years``, ``lss-rules diff`` (:mod:`lss_rules.meaning.diff`) and the
docs.  Nothing here is written down per year: the layout variants are the runs
of consecutive years whose record has the same fields, found by asking the
spec for every year's model.

>>> from lss_rules.language.load import load_spec
>>> spec = load_spec()
>>> [(v.name, len(v.fields)) for v in layout_variants(spec)]
[('1999–2003', 14), ('2004–2006', 13), ('2007–', 19)]
>>> year_facts(spec, 2020).reference_date.isoformat()
'2020-10-01'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lss_rules.errors import DataError
from lss_rules.language import model as m

#: ``lss-rules years`` lists at least the years through this one.
DEFAULT_LAST_YEAR = 2025


@dataclass(frozen=True, slots=True)
class LayoutVariant:
    """Consecutive years whose record has the same fields in the same order.

    ``last`` is None for the variant that is still in force (it runs past the
    last change in the spec).
    """

    first: int
    last: int | None
    fields: tuple[str, ...]

    @property
    def name(self) -> str:
        """``1999–2003``, ``2007–``: the variant's years, which is how the sources name layouts."""
        if self.last is None:
            return f"{self.first}–"
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}–{self.last}"

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year and (self.last is None or year <= self.last)


@dataclass(frozen=True, slots=True)
class YearFacts:
    """What one year looks like: layout, dates and the rules in force."""

    year: int
    layout: LayoutVariant
    separator: str
    reference_date: dt.date
    deadline: dt.date
    errors: tuple[str, ...]  # ids of the checks and rules in force as errors
    warnings: tuple[str, ...]  # ids in force as warnings
    parameters: tuple[tuple[str, int], ...]
    municipalities: int  # number of valid municipality codes
    beyond_spec: bool  # after the last change in the spec: the last rules in force apply

    @property
    def rule_count(self) -> int:
        return len(self.errors) + len(self.warnings)


def _field_names(spec: m.Spec, year: int) -> tuple[str, ...]:
    """The year's record, as :func:`lss_rules.language.for_year.year_model` builds it (not the whole model)."""
    layout = next((lay for lay in spec.layouts if year in lay.years), None)
    if layout is None:
        raise DataError(f"specifikationen har inget postformat för {year}")
    return tuple(n for n in layout.fields if year in spec.field(n).collected)


def layout_variants(spec: m.Spec) -> list[LayoutVariant]:
    """The record layouts in year order: runs of consecutive years with the same field tuple."""
    out: list[LayoutVariant] = []
    start = spec.first_year
    current = _field_names(spec, start)
    for year in range(spec.first_year + 1, spec.last_change_year + 1):
        names = _field_names(spec, year)
        if names != current:
            out.append(LayoutVariant(start, year - 1, current))
            start, current = year, names
    out.append(LayoutVariant(start, None, current))
    return out


def layout_of(spec: m.Spec, year: int) -> LayoutVariant:
    """The layout variant in force in ``year`` (DataError before the register's first year)."""
    if year < spec.first_year:
        raise DataError(f"okänt år {year}: registret börjar {spec.first_year}")
    return next(v for v in layout_variants(spec) if year in v)


def year_facts(spec: m.Spec, year: int) -> YearFacts:
    """The facts of ``year``; DataError for a year before the register's first year."""
    ym = spec.for_year(year)  # raises DataError for an unknown year
    return YearFacts(
        year=year,
        layout=layout_of(spec, year),
        separator=ym.layout.separator,
        reference_date=ym.reference_date,
        deadline=ym.deadline,
        errors=tuple(a.id for a in ym.active if a.severity == "error"),
        warnings=tuple(a.id for a in ym.active if a.severity == "warning"),
        parameters=ym.parameters,
        municipalities=len(ym.municipalities),
        beyond_spec=ym.beyond_spec,
    )


def listed_years(spec: m.Spec, last: int | None = None) -> range:
    """The years ``lss-rules years`` lists: the first year through ``last`` (default: at least 2025)."""
    end = last if last is not None else max(DEFAULT_LAST_YEAR, spec.last_stated_year)
    return range(spec.first_year, end + 1)
