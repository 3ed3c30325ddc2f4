"""The trace table: every rule and check of a year as plain data a runtime can interpret (issue 27).

One pass over the year model gives, per rule and check in force, the condition tree of ``when``
and ``require`` with each clause's words (:mod:`lss_rules.meaning.wording`, labels and the year's
parameters filled in), the fields each clause reads, the expression a test computes, and templates
for what is derived from a line's values (age, birth year, count of set flags, valid personnummer,
deceased).  The table goes into the year's detail table (``DETAILS["traces"]``), so every validator
carries it; the runtimes (``lss_rules/runtime/python.py`` and the JavaScript runtime) evaluate it on a
finding's line when asked (``--explain``).  The format is stated in ``docs/reference/sparning.md``.

>>> from lss_rules.language.load import load_spec
>>> table = trace_table(load_spec().for_year(2023))
>>> r04 = table["LSS-R04"]
>>> r04["when"]["op"], r04["when"]["words"]
('test', 'korttidstillsyn för skolungdom har värdet 1')
>>> r04["require"]["expr"]["k"], r04["require"]["derived"][0]["k"]
('between', 'age')
"""

from __future__ import annotations

from typing import Any, assert_never

from lss_rules.language import model as m
from lss_rules.meaning import wording as words

Node = dict[str, Any]

# what a test derives from a line's values, said in words ({…} is filled in by the runtime)
_DERIVED: dict[str, dict[str, str]] = {
    "sv": {
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
        "age": "the person turns {age} in {year} (born {born})",
        "birth_year": "the person was born in {born}",
        "count": "{n} of {total} have the value 1",
        "count_set": "{n} of {total} have the value 1: {fields}",
        "valid": "{field} is valid",
        "not_valid": "{field} is not valid",
        "deceased": "the person is in the register of deaths with the date of death {date}",
        "not_deceased": (
            "the person is not in the register of deaths with a date of death on or before the reference date"
        ),
    },
}

# the words of the checks' one test where no field is named (S01, S05)
_CHECK_WORDS: dict[str, dict[str, str]] = {
    "sv": {"empty_file": "filen har minst en post"},
    "en": {"empty_file": "the file has at least one record"},
}


def _value(e: m.Expr) -> Node:
    """A value (or a nested condition) as the runtime's expression node."""
    match e:
        case m.IntLit(value=v):
            return {"k": "int", "v": v}
        case m.StrLit(value=v):
            return {"k": "str", "v": v}
        case m.ParamRef(value=v):
            return {"k": "int", "v": v}  # None: the parameter has no value this year (the comparison is unknown)
        case m.FieldRef(name=n):
            return {"k": "field", "field": n}
        case m.GroupRef(members=ms):
            return {"k": "group", "members": list(ms)}
        case m.Age(arg=a):
            return {"k": "age", "field": a.name}
        case m.BirthYear(arg=a):
            return {"k": "birth_year", "field": a.name}
        case m.Count(arg=g):
            return {"k": "count", "members": list(g.members)}
        case m.Present(arg=a):
            return {"k": "present", "field": a.name}
        case m.ValidPersonnummer(arg=a):
            return {"k": "valid", "field": a.name}
        case m.Deceased(arg=a):
            return {"k": "deceased", "field": a.name}
        case m.Compare(op=op, left=a, right=b):
            return {"k": "cmp", "op": op, "left": _value(a), "right": _value(b)}
        case m.Between(value=v, low=lo, high=hi):
            return {"k": "between", "value": _value(v), "low": _value(lo), "high": _value(hi)}
        case m.Member(value=v, options=opts):
            return {"k": "member", "value": _value(v), "options": [o.value for o in opts]}
        case m.And(left=a, right=b):
            return {"k": "and", "left": _value(a), "right": _value(b)}
        case m.Or(left=a, right=b):
            return {"k": "or", "left": _value(a), "right": _value(b)}
        case m.Not(operand=o):
            return {"k": "not", "value": _value(o)}
        case m.Arith(op=op, left=a, right=b):
            return {"k": "arith", "op": op, "left": _value(a), "right": _value(b)}
        case _:
            assert_never(e)


def _derived(e: m.Expr, names: words.Names, lang: words.Lang) -> list[Node]:
    """What a test computes from the line's values, in the order it reads them (each once)."""
    said = _DERIVED[lang]
    out: list[Node] = []
    for node in m.walk(e):
        item: Node | None = None
        match node:
            case m.Age(arg=a):
                item = {"k": "age", "field": a.name, "text": said["age"]}
            case m.BirthYear(arg=a):
                item = {"k": "birth_year", "field": a.name, "text": said["birth_year"]}
            case m.Count(arg=g):
                item = {"k": "count", "members": list(g.members), "text": said["count"], "set": said["count_set"]}
            case m.ValidPersonnummer(arg=a):
                label = names.field(a.name, lang)
                item = {
                    "k": "valid",
                    "field": a.name,
                    "text": said["valid"].format(field=label),
                    "no": said["not_valid"].format(field=label),
                }
            case m.Deceased(arg=a):
                item = {"k": "deceased", "field": a.name, "text": said["deceased"], "no": said["not_deceased"]}
        if item is not None and item not in out:
            out.append(item)
    return out


def _chain(e: m.Expr, kind: type[m.And] | type[m.Or]) -> list[m.Expr]:
    """``a and b and c`` as its operands (one level of the tree, however the parser nested it)."""
    if isinstance(e, kind):
        return _chain(e.left, kind) + _chain(e.right, kind)
    return [e]


class _Clauses:
    """The clause tree of one condition: ``and``/``or`` chains flattened, ``not`` kept, the rest tests."""

    def __init__(self, ym: m.YearModel, names: words.Names, lang: words.Lang) -> None:
        self.order = {n: i for i, n in enumerate(ym.field_names)}
        self.required = {f.name for f in ym.fields if f.always_required}
        self.names = names
        self.lang = lang

    def reads(self, e: m.Expr) -> list[str]:
        """The fields the clause reads, in layout order (a field not collected this year last)."""
        return sorted(m.reads(e), key=lambda n: self.order.get(n, len(self.order)))

    def node(self, e: m.Expr) -> Node:
        said = words.expr_words(e, self.names, self.lang)
        match e:
            case m.And() | m.Or():
                op = "and" if isinstance(e, m.And) else "or"
                parts = _chain(e, type(e))
                return {"op": op, "words": said, "reads": self.reads(e), "clauses": [self.node(p) for p in parts]}
            case m.Not(operand=o):
                return {"op": "not", "words": said, "reads": self.reads(e), "clauses": [self.node(o)]}
        return {
            "op": "test",
            "words": said,
            "reads": self.reads(e),
            "expr": _value(e),
            "derived": _derived(e, self.names, self.lang),
        }


def _rule_entry(ar: m.ActiveRule, clauses: _Clauses, sv: bool) -> Node:
    entry: Node = {
        "kind": "rule",
        "reads": sorted(ar.reads, key=lambda n: clauses.order.get(n, len(clauses.order))),
        "when": None if ar.when is None else clauses.node(ar.when),
        "require": None if ar.require is None else clauses.node(ar.require),
        "source": list(ar.rule.source),
        "fix": (ar.fix or None) if sv else None,
    }
    if ar.unique is not None:
        entry["kind"] = "unique"
        entry["scope"] = ar.rule.scope
        entry["key"] = ar.unique.key
        entry["members"] = list(ar.unique.each_flag_in.members) if ar.unique.each_flag_in else []
        entry["words"] = words.unique_words(ar.unique, ar.rule.scope, clauses.names, clauses.lang)
        # the fields a line must have a value in to be judged (empty is LSS-S03): the other lines are those
        entry["needed"] = [n for n in entry["reads"] if n in clauses.required]
    return entry


def _check_entry(ac: m.ActiveCheck, lang: words.Lang, sv: bool) -> Node:
    kind = ac.check.kind
    entry: Node = {
        "kind": kind,
        "reads": [],
        "when": None,
        "require": None,
        "source": list(ac.check.source),
        "fix": (ac.fix or None) if sv else None,
    }
    if kind == "empty_file":
        entry["words"] = _CHECK_WORDS[lang]["empty_file"]
    return entry


def trace_table(ym: m.YearModel, lang: str = "sv") -> dict[str, Node]:
    """Rule or check id -> its trace entry, for every rule and check in force in ``ym`` (plain data)."""
    lg = words.lang_of(lang)
    sv = lg == "sv"
    names = words.names_of(ym.spec)
    clauses = _Clauses(ym, names, lg)
    out: dict[str, Node] = {}
    for ac in ym.checks:
        out[ac.id] = _check_entry(ac, lg, sv)
    for ar in ym.rules:
        out[ar.id] = _rule_entry(ar, clauses, sv)
    return out


def field_forms(ym: m.YearModel) -> dict[str, list[int]]:
    """Field -> its valid codes, for the enum fields (a runtime decides a value's form with these and the kinds)."""
    return {f.name: list(f.type.values) for f in ym.fields if isinstance(f.type, m.EnumType)}
