"""The for_year pass: a :class:`~lss_rules.language.model.Spec` -> the
:class:`~lss_rules.language.model.YearModel` of one year.

A pass of its own, after lowering (:mod:`lss_rules.language.lower`): it picks the layout of
the year, the fields collected that year, the checks and rules in force with their
severity; it puts each parameter's value of the year into the conditions, narrows
groups to the fields collected, and fills the ``{parameter}`` placeholders of every
active item's title and message once (:attr:`~lss_rules.language.model.ActiveRule.message`),
so no backend fills them again.

The model imports nothing of this pass: lowering hands :func:`year_model` to the
``Spec`` it builds (``Spec.year_pass``), and ``spec.for_year(year)`` calls it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import assert_never, cast

from lss_rules.errors import DataError
from lss_rules.language import model as m

#: A placeholder in a title or message: ``{parameter_name}``.
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def for_year(spec: m.Spec, year: int) -> m.YearModel:
    """The year model of ``year`` (built once per spec and year; ``spec.for_year(year)`` is the same)."""
    return spec.for_year(year)


def resolve_text(text: str, params: Mapping[str, int]) -> str:
    """Fill ``{parameter}`` placeholders in a title or message with that year's values.

    The year model holds every active item's texts filled in (``ActiveRule.title`` and
    ``.message``); this is for a text of a year where its item is not in force.
    """
    return PLACEHOLDER.sub(lambda mt: str(params.get(mt.group(1), mt.group(0))), text)


def narrow(e: m.Expr, year: int, spec: m.Spec) -> m.Expr:
    """Resolve parameters to their values and narrow groups to the fields collected in ``year``."""
    match e:
        case m.ParamRef(name=name):
            return dataclasses.replace(e, value=spec.parameter(name).value.at(year))
        case m.GroupRef():
            return _narrow_group(e, year, spec)
        case m.Count(arg=group):
            return dataclasses.replace(e, arg=_narrow_group(group, year, spec))
        case m.Age() | m.BirthYear() | m.Present() | m.ValidPersonnummer() | m.Deceased():
            return e  # a field: nothing to narrow
        case m.Compare() | m.And() | m.Or() | m.Arith():
            return dataclasses.replace(e, left=narrow(e.left, year, spec), right=narrow(e.right, year, spec))
        case m.Between():
            return dataclasses.replace(
                e,
                value=narrow(e.value, year, spec),
                low=narrow(e.low, year, spec),
                high=narrow(e.high, year, spec),
            )
        case m.Member():
            return dataclasses.replace(e, value=narrow(e.value, year, spec))
        case m.Not():
            return dataclasses.replace(e, operand=narrow(e.operand, year, spec))
        case m.IntLit() | m.StrLit() | m.FieldRef():
            return e
        case _:
            assert_never(e)


def _narrow_group(g: m.GroupRef, year: int, spec: m.Spec) -> m.GroupRef:
    members = tuple(n for n in spec.group(g.name).members if year in spec.field(n).collected)
    return dataclasses.replace(g, members=members)


def narrow_opt(e: m.Expr | None, year: int, spec: m.Spec) -> m.Expr | None:
    return None if e is None else narrow(e, year, spec)


#: The last year a date can be formed in (reference dates, deadlines).
LAST_YEAR = 9999


def year_model(spec: m.Spec, year: int) -> m.YearModel:
    """The rules as they stand in ``year``; raises DataError for a year before the register."""
    if not isinstance(year, int) or year < spec.first_year:
        raise DataError(f"okänt år {year}: registret börjar {spec.first_year}")
    if year > LAST_YEAR:
        raise DataError(f"okänt år {year}: ange ett år från {spec.first_year} till och med {LAST_YEAR}")
    layout = next((lay for lay in spec.layouts if year in lay.years), None)
    if layout is None:
        raise DataError(f"specifikationen har inget postformat för {year}")
    fields = tuple(
        dataclasses.replace(
            f,
            required_when=narrow_opt(f.required_when, year, spec),
            empty_unless=narrow_opt(f.empty_unless, year, spec),
        )
        for f in (spec.field(n) for n in layout.fields)
        if year in f.collected
    )
    params = {p.name: v for p in spec.parameters if (v := p.value.at(year)) is not None}
    codes = {d.name: d.codes_in(year) for d in spec.datasets}
    municipalities = frozenset().union(*codes.values()) if codes else frozenset()
    checks = []
    for c in spec.checks:
        sev = c.severity.at(year)
        if sev in ("error", "warning"):
            title, message = resolve_text(c.title.sv, params), resolve_text(c.message.sv, params)
            checks.append(m.ActiveCheck(c, sev, title, message, resolve_text(c.fix or "", params)))
    rules = []
    for r in spec.rules:
        sev = r.severity.at(year)
        if sev not in ("error", "warning"):
            continue
        unique = r.unique
        if unique is not None and unique.each_flag_in is not None:
            unique = dataclasses.replace(unique, each_flag_in=cast(m.GroupRef, narrow(unique.each_flag_in, year, spec)))
        when, require = narrow_opt(r.when, year, spec), narrow_opt(r.require, year, spec)
        narrowed = dataclasses.replace(r, when=when, require=require, unique=unique)
        title, message = resolve_text(r.title.sv, params), resolve_text(r.message.sv, params)
        fix = resolve_text(r.fix or "", params)
        rules.append(m.ActiveRule(r, sev, when, require, unique, narrowed.reads(), title, message, fix))
    ref = spec.register.reference_date.at(year)
    deadline = spec.register.deadline.at(year)
    assert ref is not None and deadline is not None  # the checker guarantees coverage
    return m.YearModel(
        spec=spec,
        year=year,
        reference_date=ref.in_year(year),
        deadline=deadline.in_year(year),
        layout=layout,
        fields=fields,
        parameters=tuple(sorted(params.items())),
        municipalities=municipalities,
        checks=tuple(checks),
        rules=tuple(rules),
        beyond_spec=year > spec.last_stated_year,
    )
