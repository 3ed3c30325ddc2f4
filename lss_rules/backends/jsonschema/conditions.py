"""The model's conditions and field forms as JSON Schema (:class:`Translator`), and the few combinators the
schemas of the checks and rules are built with (:func:`all_of`, :func:`negated`, :func:`if_then`, :func:`props`).

A condition JSON Schema cannot express raises :class:`Unsupported` with the reason in Swedish; the package
(:mod:`lss_rules.backends.jsonschema`) lists it under ``x-lss-rules-not-expressed``.
"""

from __future__ import annotations

import itertools
from typing import Any, assert_never

from lss_rules.backends.jsonschema.patterns import FLIP, interval, number_pattern, year_pattern
from lss_rules.language import model as m
from lss_rules.language import truth

Schema = dict[str, Any] | bool

MAX_COMBINATIONS = 600


class Unsupported(Exception):
    """An expression shape JSON Schema cannot express (the message says why, in Swedish)."""


# ----------------------------------------------------------------- the translator


class Translator:
    def __init__(self, ym: m.YearModel) -> None:
        self.ym = ym
        self.names = ym.field_names

    # forms ---------------------------------------------------------------
    def form(self, f: m.Field) -> Schema:
        """A non-empty value of the field's form and domain that year (LSS-S02)."""
        match f.type:
            case m.MunicipalityType():
                return {"$ref": "#/$defs/kommunkod"}
            case m.PersonnummerType():
                return {"pattern": "^[0-9]{12}$", "minLength": 12, "maxLength": 12}
            case m.FlagType():
                return {"enum": ["0", "1"]}
            case m.CountType():
                return {"pattern": "^[0-9]+$", "not": {"pattern": "\n"}}
            case m.EnumType(members=members):
                return {"enum": [str(x.value) for x in members]}
        raise Unsupported(f"okänd fälttyp för {f.name}")  # pragma: no cover

    def known_base(self, name: str) -> Schema:
        """The value has neither an S02 nor an unconditional S03 finding."""
        f = self.ym.field(name)
        if f.always_required:
            return props({name: self.form(f)})
        return props({name: {"anyOf": [{"const": ""}, self.form(f)]}})

    def known(self, name: str) -> Schema:
        """The value is known: rules that read it are evaluated (also no conditional S03)."""
        f = self.ym.field(name)
        base = self.known_base(name)
        if f.required_when is None:
            return base
        missing = all_of(
            [
                props({name: {"const": ""}}),
                *self.all_base(m.reads(f.required_when)),
                self.expr(truth.is_true(f.required_when)),
            ]
        )
        return all_of([base, {"not": missing}])

    def all_base(self, names: tuple[str, ...]) -> list[Schema]:
        return [self.known_base(n) for n in names if n in self.names]

    def all_known(self, names: tuple[str, ...]) -> list[Schema]:
        return [self.known(n) for n in names if n in self.names]

    # expressions -----------------------------------------------------------
    def expr(self, e: m.Expr) -> Schema:
        """A schema that a record with known values matches exactly when ``e`` holds, read two-valued.

        ``e`` is an output of :mod:`lss_rules.language.truth`: an atom holds where its operands are
        present and it is true (a comparison with an empty value does not match).
        """
        match e:
            case m.And(left=a, right=b):
                return all_of([self.expr(a), self.expr(b)])
            case m.Or(left=a, right=b):
                return {"anyOf": [self.expr(a), self.expr(b)]}
            case m.Not(operand=o):
                return negated(self.expr(o))
            case m.Compare(op=op, left=a, right=b):
                return self.compare(op, a, b)
            case m.Between(value=v, low=lo, high=hi):
                low, high = m.constant(lo), m.constant(hi)
                if low is None or high is None:
                    raise Unsupported("between med gränser som inte är konstanter")
                return all_of([self.compare(">=", v, m.IntLit(low)), self.compare("<=", v, m.IntLit(high))])
            case m.Member(value=v, options=opts):
                return {"anyOf": [self.compare("=", v, o) for o in opts]} if opts else False
            case m.Present(arg=m.FieldRef(name=name)):
                if name not in self.names:
                    return False
                return props({name: {"minLength": 1}})
            case m.Count():
                raise Unsupported("count() utanför en jämförelse")
            case m.ValidPersonnummer():
                raise Unsupported(_NOT_LUHN)
            case m.Deceased():
                raise Unsupported(NOT_DECEASED)
            case m.Age() | m.BirthYear():
                raise Unsupported(f"funktionen {e.function}() kan inte uttryckas")
            case m.FieldRef(name=name):
                raise Unsupported(f"fältet {name} som villkor")
            case m.IntLit() | m.StrLit() | m.ParamRef() | m.GroupRef() | m.Arith():
                raise Unsupported(f"uttrycket {type(e).__name__} kan inte uttryckas")
            case _:
                assert_never(e)

    def compare(self, op: str, a: m.Expr, b: m.Expr) -> Schema:
        if m.constant(a) is not None and m.constant(b) is None:
            return self.compare(FLIP[op], b, a)
        n = m.constant(b)
        if n is None:
            if isinstance(b, m.StrLit) and isinstance(a, m.FieldRef) and op in ("=", "!="):
                s = props({a.name: {"const": b.value}}) if a.name in self.names else False
                return s if op == "=" else all_of([props({a.name: {"minLength": 1}}), negated(s)])
            raise Unsupported("jämförelse mellan två fält eller med ett uträknat värde")
        match a:
            case m.FieldRef(name=name):
                if name not in self.names:
                    return False  # the field is not on the line that year: its value is empty
                f = self.ym.field(name)
                match f.type:
                    case m.FlagType() | m.EnumType():
                        allowed = [v for v in _values(f) if _cmp(op, v, n)]
                        return props({name: {"enum": [str(v) for v in allowed]}})
                    case m.CountType():
                        return props({name: all_of([{"minLength": 1}, number_pattern(op, n)])})
                raise Unsupported(f"jämförelse av {name} med ett tal")
            case m.Age(arg=m.FieldRef(name=pnr)) | m.BirthYear(arg=m.FieldRef(name=pnr)):
                if pnr not in self.names:
                    return False
                year = self.ym.year
                if op == "!=":
                    return negated(self.compare("=", a, b))
                span = interval(op, n)
                assert span is not None
                lo, hi = span
                if isinstance(a, m.Age):  # age = year - birth year
                    lo, hi = year - hi, year - lo
                return props({pnr: year_pattern(lo, hi)})
            case m.Count(arg=m.GroupRef(members=members)):
                present = [x for x in members if x in self.names]
                return self.count(present, op, n)
            case (
                m.IntLit()
                | m.StrLit()
                | m.ParamRef()
                | m.GroupRef()
                | m.Arith()
                | m.Present()
                | m.ValidPersonnummer()
                | m.Deceased()
                | m.Compare()
                | m.Between()
                | m.Member()
                | m.And()
                | m.Or()
                | m.Not()
            ):
                raise Unsupported("jämförelse som inte gäller ett fält, en ålder eller ett antal")
            case _:
                assert_never(a)

    def count(self, members: list[str], op: str, n: int) -> Schema:
        def at_least(k: int) -> Schema:
            if k <= 0:
                return True
            if k > len(members):
                return False
            combos = list(itertools.combinations(members, k))
            if len(combos) > MAX_COMBINATIONS:
                raise Unsupported(f"count() kräver {len(combos)} kombinationer")
            if k == 1:
                return {"anyOf": [props({x: {"const": "1"}}) for x in members]}
            return {"anyOf": [props({x: {"const": "1"} for x in c}) for c in combos]}

        match op:
            case ">=":
                return at_least(n)
            case ">":
                return at_least(n + 1)
            case "<=":
                return negated(at_least(n + 1))
            case "<":
                return negated(at_least(n))
            case "=":
                return all_of([at_least(n), negated(at_least(n + 1))])
            case "!=":
                return negated(all_of([at_least(n), negated(at_least(n + 1))]))
        raise Unsupported(f"okänd jämförelse {op}")  # pragma: no cover


_NOT_LUHN = "kontrollsiffra (Luhn) och datum i personnumret kan inte uttryckas med JSON Schema"
NOT_DECEASED = "kräver en extern lista över avlidna"


def _values(f: m.Field) -> list[int]:
    match f.type:
        case m.FlagType():
            return [0, 1]
        case m.EnumType(members=members):
            return [x.value for x in members]
    return []  # pragma: no cover


def _cmp(op: str, x: int, y: int) -> bool:
    return {
        "=": x == y,
        "!=": x != y,
        "<": x < y,
        "<=": x <= y,
        ">": x > y,
        ">=": x >= y,
    }[op]


def props(props: dict[str, Schema]) -> Schema:
    return {"properties": props}


def all_of(items: list[Schema]) -> Schema:
    items = [x for x in items if x is not True]
    if any(x is False for x in items):
        return False
    if not items:
        return True
    if len(items) == 1:
        return items[0]
    return {"allOf": items}


def negated(s: Schema) -> Schema:
    if isinstance(s, bool):
        return not s
    if len(s) == 1 and "not" in s:
        return s["not"]
    if len(s) == 1 and "anyOf" in s and all(isinstance(x, dict) and set(x) == {"not"} for x in s["anyOf"]):
        return all_of([x["not"] for x in s["anyOf"]])  # not (not a or not b): a and b
    return {"not": s}


def if_then(cond: list[Schema], then: Schema) -> Schema:
    c = all_of(cond)
    if c is False or then is True:
        return True
    return {"if": c, "then": then}
