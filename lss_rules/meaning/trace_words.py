"""A reference trace (:class:`~lss_rules.meaning.traced.LineTrace`) as the report's ``trace`` object and in words.

The object has the shape docs/reference/sparning.md states (issue 27's contract): the clause tree with
each clause's words, value and why it is unknown, what a test derived, the values read (masked as a
finding's ``values`` are), the other lines of a unique rule, the source and "Så rättar du".  The words
of a clause are :func:`lss_rules.meaning.wording.expr_words`, the same the year's trace table holds.

NOTE (issue 27, i27-meaning): the runtime's object builder (i27-core) was not on ``main`` when this was
written; once it is, :func:`trace_object` hands the evaluator's values to it instead of building here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from lss_rules.language import model as m
from lss_rules.meaning import wording as words
from lss_rules.meaning.traced import ClauseValue, LineTrace, clause_nodes, rule_of
from lss_rules.runtime import python as runtime

_WORDS = {
    "sv": {
        True: "uppfyllt",
        False: "inte uppfyllt",
        "empty": "okänt (tomt värde)",
        "malformed": "okänt (felaktigt värde)",
        "age": "personen fyller {age} år {year} (född {born})",
        "birth_year": "personen är född {born}",
        "count": "{n} av {total} har värdet 1",
        "count_set": "{n} av {total} har värdet 1: {fields}",
        "valid": "{field} är korrekt",
        "not_valid": "{field} är inte korrekt",
        "deceased": "personen finns i dödsregistret med dödsdatum {date}",
        "not_deceased": "personen finns inte i dödsregistret med ett dödsdatum på eller före referensdagen",
    },
    "en": {
        True: "satisfied",
        False: "not satisfied",
        "empty": "unknown (empty value)",
        "malformed": "unknown (malformed value)",
        "age": "the person turns {age} in {year} (born {born})",
        "birth_year": "the person was born in {born}",
        "count": "{n} of {total} have the value 1",
        "count_set": "{n} of {total} have the value 1: {fields}",
        "valid": "{field} is valid",
        "not_valid": "{field} is not valid",
        "deceased": "the person is in the register of deaths with the date of death {date}",
        "not_deceased": "the person is not in the register of deaths with a date of death on or before the reference "
        "date",
    },
}


def state_words(value: bool | None, unknown: str | None, lang: str = "sv") -> str:
    """ "uppfyllt", "inte uppfyllt", "okänt (tomt värde)" …: a clause's value in words."""
    t = _WORDS["en" if lang == "en" else "sv"]
    return str(t[value] if value is not None else t[unknown or "empty"])


def _derived(d: tuple[Any, ...] | None, names: words.Names, field: str, lang: words.Lang) -> str | None:
    t = _WORDS[lang]
    if d is None:
        return None
    match d[0]:
        case "age":
            return t["age"].format(age=d[1], year=d[2], born=d[3])
        case "birth_year":
            return t["birth_year"].format(born=d[1])
        case "count":
            on = [names.field(n, lang) for n in d[3]]
            if on:
                return t["count_set"].format(n=d[1], total=d[2], fields=", ".join(on))
            return t["count"].format(n=d[1], total=d[2])
        case "valid":
            return t["valid" if d[1] else "not_valid"].format(field=names.field(field, lang))
        case "deceased":
            return t["deceased"].format(date=d[2].isoformat()) if d[1] else t["not_deceased"]
    return None  # pragma: no cover


def _clause(expr: m.Expr, values: Sequence[ClauseValue], names: words.Names, lang: words.Lang) -> dict[str, Any]:
    nodes = list(clause_nodes(expr))
    at = iter(zip(nodes, values, strict=True))

    def build() -> dict[str, Any]:
        (op, node, n), cv = next(at)
        out: dict[str, Any] = {
            "op": op,
            "words": words.expr_words(node, names, lang),
            "value": cv.value,
            "unknown": cv.unknown,
        }
        if op == "test":
            field = next(iter(m.reads(node)), "")
            said = (_derived(d, names, field, lang) for d in cv.derived)
            out["derived"] = [s for s in said if s is not None]
        else:
            out["clauses"] = [build() for _ in range(n)]
        return out

    return build()


def trace_object(
    ym: m.YearModel, lt: LineTrace, paths: Sequence[str], show_personnummer: bool = False, lang: str = "sv"
) -> dict[str, Any]:
    """The ``trace`` object of a reference trace (see docs/reference/sparning.md)."""
    lg = words.lang_of(lang)
    names = words.names_of(ym.spec)
    item = rule_of(ym, lt.rule)
    when = require = None
    if isinstance(item, m.ActiveRule):
        if item.when is not None and lt.when:
            when = _clause(item.when, lt.when, names, lg)
        if item.require is not None and lt.require:
            require = _clause(item.require, lt.require, names, lg)
        if item.unique is not None:
            said = words.condition_words(None, None, item.unique, item.rule.scope, names, lg)
            require = _test(said.removeprefix("Det krävs att ").removeprefix("It is required that ").rstrip("."))
            require["value"] = None if lt.skipped else not lt.fired
    elif lt.fired:  # a check: the finding's fields, each with what was expected of it
        require = _check_clause(ym, lt, lg)
    kinds = {f.name: type(f.type).__name__ for f in ym.fields}
    parts = lt.parts if isinstance(lt.parts, list) else []
    value_of = dict(zip(ym.field_names, parts, strict=False))
    values = []
    for name in lt.fields:
        raw = value_of.get(name, "")
        shown = raw if show_personnummer else _masked(raw, kinds.get(name) == "PersonnummerType")
        state = "empty" if raw == "" else ("value" if _well_formed(ym, name, raw) else "malformed")
        values.append({"field": name, "label": names.field(name, lg), "value": shown, "state": state})
    out: dict[str, Any] = {
        "rule": lt.rule,
        "fired": lt.fired,
        "skipped": None if lt.skipped is None else {"fields": list(lt.skipped[0]), "why": lt.skipped[1]},
        "when": when,
        "require": require,
        "values": values,
    }
    if isinstance(item, m.ActiveRule) and item.unique is not None:
        shown_paths = [p if show_personnummer else runtime.mask_text(p) for p in paths]
        out["others"] = [{"file": shown_paths[fi], "line": n} for fi, n in lt.others]
    source = item.rule.source if isinstance(item, m.ActiveRule) else (item.check.source if item else ())
    out["source"] = list(source)
    out["fix"] = (item.fix or None) if item is not None and lg == "sv" else None
    return out


def _test(said: str) -> dict[str, Any]:
    return {"op": "test", "words": said, "value": False, "unknown": None, "derived": []}


def _check_clause(ym: m.YearModel, lt: LineTrace, lang: words.Lang) -> dict[str, Any]:
    from lss_rules.meaning.expected import detail_table

    table = detail_table(ym, lang)
    kind = table["checks"].get(lt.rule)
    if kind == "field_count" or kind is None:
        n = lt.parts if isinstance(lt.parts, int) else len(lt.parts)
        return _test(f"{runtime._DETAIL_WORDS[lang]['fields'].format(n=n)}; {table['layout']}")
    texts = {"value_form": table["form"], "required_value": table["required"], "empty_value": table["empty"]}[kind]
    tests = [_test(f"{table['labels'][f]} {texts[f]}") for f in lt.fields]
    if len(tests) == 1:
        return tests[0]
    said = "; ".join(t["words"] for t in tests)
    return {"op": "and", "words": said, "value": False, "unknown": None, "clauses": tests}


def _masked(value: str, personnummer: bool) -> str:
    return str(runtime.mask(value) if personnummer else runtime.mask_text(value))


def _well_formed(ym: m.YearModel, name: str, raw: str) -> bool:
    from lss_rules.meaning.evaluate import Evaluator

    f = next(f for f in ym.fields if f.name == name)
    return Evaluator(ym).valid_form(f, raw)


def tests_of(clause: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """The tests of a clause tree, in order."""
    if clause is None:
        return
    if clause["op"] == "test":
        yield clause
    for c in clause.get("clauses", ()):
        yield from tests_of(c)


def trace_text(trace: dict[str, Any], lang: str = "sv") -> str:
    """``Spårning: …``: the tests of ``when`` then ``require``, each after what it derived, joined by " · "."""
    pieces: list[str] = []
    for clause in (trace["when"], trace["require"]):
        for t in tests_of(clause):
            pieces += t.get("derived", [])
            pieces.append(f"{t['words']} ({state_words(t['value'], t['unknown'], lang)})")
    label = "Trace" if lang == "en" else "Spårning"
    text = f"{label}: " + " · ".join(pieces)
    if trace.get("others"):
        also = "See also" if lang == "en" else "Se också"
        line = "line" if lang == "en" else "rad"
        text += f" · {also}: " + ", ".join(f"{o['file']} {line} {o['line']}" for o in trace["others"])
    return text
