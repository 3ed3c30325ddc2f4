"""How a rule or check changed over the years, in words (the history table of a rule page).

>>> from lss_rules.language.load import load_spec
>>> [(h.first, h.last, h.severity) for h in history(load_spec(), "LSS-R06")]
[(1999, 2019, 'error'), (2020, None, 'warning')]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from lss_rules.language import model as m
from lss_rules.meaning.check_words import check_words
from lss_rules.meaning.wording import condition_words, names_of


@dataclass(frozen=True, slots=True)
class HistorySpan:
    """Consecutive years in which a rule or check has the same severity, parameters and condition."""

    first: int
    last: int | None  # None: open end, the state of the last change holds on
    severity: str
    params: tuple[tuple[str, int | None], ...]
    condition: str


def _params_used(item: m.Check | m.Rule) -> tuple[str, ...]:
    if isinstance(item, m.Check):
        return ()
    names: list[str] = []
    for e in (item.when, item.require):
        if e is None:
            continue
        for node in m.walk(e):
            if isinstance(node, m.ParamRef) and node.name not in names:
                names.append(node.name)
    return tuple(names)


def item_words(spec: m.Spec, ident: str, year: int, lang: str = "sv") -> str:
    """The condition of a rule or check in ``year``, whatever its severity that year."""
    from lss_rules.language.for_year import narrow, narrow_opt

    item = spec.item(ident)
    if isinstance(item, m.Check):
        ym = spec.for_year(year)
        return check_words(m.ActiveCheck(item, "error"), ym, lang)
    unique = item.unique
    if unique is not None and unique.each_flag_in is not None:
        g = narrow(unique.each_flag_in, year, spec)
        assert isinstance(g, m.GroupRef)
        unique = dataclasses.replace(unique, each_flag_in=g)
    when, require = narrow_opt(item.when, year, spec), narrow_opt(item.require, year, spec)
    return condition_words(when, require, unique, item.scope, names_of(spec), lang)


def history(spec: m.Spec, ident: str, lang: str = "sv") -> list[HistorySpan]:
    """How a rule or check changed over the years, consecutive identical years merged; KeyError if unknown."""
    if ident not in spec.ids:
        raise KeyError(ident)
    item = spec.item(ident)
    params = _params_used(item)
    last_year = spec.last_change_year
    spans: list[HistorySpan] = []
    for year in range(spec.first_year, last_year + 1):
        sev = item.severity.at(year) or "none"
        values = tuple((p, spec.parameter(p).value.at(year)) for p in params)
        cond = item_words(spec, ident, year, lang)
        prev = spans[-1] if spans else None
        if prev is not None and (prev.severity, prev.params, prev.condition) == (sev, values, cond):
            spans[-1] = dataclasses.replace(prev, last=year)
        else:
            spans.append(HistorySpan(year, year, sev, values, cond))
    if spans:
        spans[-1] = dataclasses.replace(spans[-1], last=None)
    return spans
