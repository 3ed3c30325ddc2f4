"""What each finding expected, in words: the detail table a validator carries (``DETAILS``).

A finding names its rule, line and fields; its detail says what was found and what was
expected — "daglig_verksamhet är '01'; ska vara 0 eller 1", "raden har 18 fält; 2023 års
postbeskrivning har 19".  The expected half comes from the year model (field types and
domains, the rules' conditions with the year's parameters, in words); the found half is the
line's values, filled in by the runtime (:func:`lss_rules.runtime.python.finding_details`).  Every
backend prints the same table, so every validator says the same thing.

>>> from lss_rules.language.load import load_spec
>>> table = detail_table(load_spec().for_year(2023))
>>> table["form"]["daglig_verksamhet"]
'ska vara 0 eller 1'
"""

from __future__ import annotations

from typing import Any, assert_never

from lss_rules.language import model as m
from lss_rules.meaning import wording as words
from lss_rules.meaning.check_words import form_words
from lss_rules.meaning.trace import field_forms, trace_table

#: the structural checks whose findings get a detail, by kind
CHECK_KINDS = ("field_count", "value_form", "required_value", "empty_value")


def _kind(f: m.Field) -> str:
    match f.type:
        case m.MunicipalityType():
            return "municipality"
        case m.PersonnummerType():
            return "personnummer"
        case m.FlagType():
            return "flag"
        case m.EnumType():
            return "enum"
        case m.CountType():
            return "count"
        case _:
            assert_never(f.type)


def _reads_age(e: m.Expr | None) -> bool:
    return e is not None and any(isinstance(n, m.Age) for n in m.walk(e))


def detail_table(ym: m.YearModel, lang: str = "sv") -> dict[str, Any]:
    """The year's detail table in ``lang`` ("sv" or "en"): plain data, printed into every validator."""
    sv = lang != "en"
    must = "ska vara " if sv else "must be "
    names = words.names_of(ym.spec)
    form = {f.name: must + form_words(f, lang) for f in ym.fields}
    required: dict[str, str] = {}
    empty: dict[str, str] = {}
    for f in ym.fields:
        if f.required_when is not None:
            w = words.expr_words(f.required_when, names, lang)
            required[f.name] = f"ska ha ett värde när {w}" if sv else f"must have a value when {w}"
        else:
            required[f.name] = "ska alltid ha ett värde" if sv else "must always have a value"
        if f.empty_unless is not None:
            w = words.expr_words(f.empty_unless, names, lang)
            empty[f.name] = f"ska vara tomt om inte {w}" if sv else f"must be empty unless {w}"
        elif f.differs_from is not None:
            other = names.field(f.differs_from, "sv" if sv else "en")
            empty[f.name] = f"får inte vara lika med {other}" if sv else f"must not equal {other}"
    codes = sorted(c for c in ym.municipalities if len(c) == 4 and c.isdigit() and c.isascii())
    layout = (
        f"{ym.year} års postbeskrivning har {len(ym.fields)} fält"
        if sv
        else f"the layout of {ym.year} has {len(ym.fields)} fields"
    )
    return {
        "lang": "en" if not sv else "sv",
        "year": ym.year,
        "separator": ym.layout.separator,
        "fields": [f.name for f in ym.fields],
        # how a finding's detail names each field ("timmar personlig assistans per månad är '1489'")
        "labels": {f.name: names.field(f.name, "sv" if sv else "en") for f in ym.fields},
        "layout": layout,
        "kinds": {f.name: _kind(f) for f in ym.fields},
        "form": form,
        "required": required,
        "empty": empty,
        "codes": codes,
        "checks": {ac.id: ac.check.kind for ac in ym.checks if ac.check.kind in CHECK_KINDS},
        # "Så rättar du" per rule and check, the year's parameters filled in: the text report and the page
        # "Granska fil" say it under a rule's findings (the JSON report does not); Swedish only, as written
        "fixes": {a.id: a.fix for a in ym.active if a.fix} if sv else {},
        "rules": {
            ar.id: {
                "expected": words.rule_words(ar, names, lang),
                "age": _reads_age(ar.when) or _reads_age(ar.require),
            }
            for ar in ym.rules
            if ar.rule.scope == "record"
        },
        # --explain (issue 27): each rule's and check's condition tree, interpreted on a finding's line by the
        # runtime; the enum fields' codes and the reference date decide a value's form and validity there
        "enums": field_forms(ym),
        "reference_date": [ym.reference_date.year, ym.reference_date.month, ym.reference_date.day],
        "traces": trace_table(ym, lang),
    }
