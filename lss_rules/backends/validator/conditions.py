"""The lowering of a field's form and of a rule's conditions to IR expressions.

A condition is two-valued here (the output of :mod:`lss_rules.language.truth`): an atom is true where
its operands are present and it holds.  Part of :mod:`lss_rules.backends.validator.lower`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from lss_rules.backends.validator import ir
from lss_rules.backends.validator.ir import (
    FALSE,
    TRUE,
    BinOp,
    Call,
    Compare,
    Intrinsic,
    Lit,
    Not,
    OneOf,
    Slice,
    TupleLit,
    Var,
    all_of,
    any_of,
)
from lss_rules.backends.validator.names import EMPTY, Names, lits, set_name
from lss_rules.errors import UnsupportedError
from lss_rules.language import model as m

# --------------------------------------------------------------------------- field forms


def form_ok(f: m.Field, v: Var, ym: m.YearModel) -> ir.Expr:
    """The non-empty raw value ``v`` has the field's form (not LSS-S02)."""
    match f.type:
        case m.MunicipalityType() | m.FlagType() | m.EnumType():
            return OneOf(v, domain(f, ym) or (), Var(set_name(f)))
        case m.PersonnummerType():
            return all_of(Compare("==", Intrinsic("len", (v,)), Lit(12)), Intrinsic("is_digits", (v,)))
        case m.CountType():
            return Intrinsic("is_digits", (v,))
        case _:
            assert_never(f.type)


def domain(f: m.Field, ym: m.YearModel) -> tuple[str, ...] | None:
    """The valid raw values of a field with a finite domain, sorted; None for an open one."""
    match f.type:
        case m.MunicipalityType():
            return tuple(sorted(c for c in ym.municipalities if len(c) == 4 and c.isdigit() and c.isascii()))
        case m.FlagType():
            return ("0", "1")
        case m.EnumType(members=members):
            return tuple(sorted({str(mm.value) for mm in members}))
        case m.PersonnummerType() | m.CountType():
            return None
        case _:
            assert_never(f.type)


def fast_form(f: m.Field, names: Names, ym: m.YearModel) -> ir.Expr:
    """The common case of one field: present with its form, or empty where empty is no finding."""
    v = names.var(f.name)
    ok = form_ok(f, v, ym)
    return ok if f.always_required else any_of(Compare("==", v, EMPTY), ok)


def fast_forms(ym: m.YearModel, names: Names) -> ir.Expr:
    """Every value of the line has its form (nearly every line): then it has no unknown value (``u == 0``)."""
    return all_of(*(fast_form(f, names, ym) for f in ym.fields))


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Value:
    """A compiled value: ``code`` is valid when every ``guards`` condition holds; otherwise it is absent."""

    code: ir.Expr
    guards: tuple[ir.Expr, ...] = ()
    kind: str = "int"  # "int" or "str"


NONE = Value(Lit(None), (FALSE,))


def merge(*guards: tuple[ir.Expr, ...]) -> tuple[ir.Expr, ...]:
    out: list[ir.Expr] = []
    for g in guards:
        out += [x for x in g if x not in out]
    return tuple(out)


def guarded(guards: tuple[ir.Expr, ...], code: ir.Expr) -> ir.Expr:
    """``code`` where every guard holds; false where one does not (an absent value compares false)."""
    return all_of(*guards, code)


def field_value(name: str, names: Names) -> Value:
    f = names.field(name)
    v = names.var(name)
    guards: tuple[ir.Expr, ...] = () if f.always_required else (Compare("!=", v, EMPTY),)
    match f.type:
        case m.FlagType() | m.EnumType():
            return Value(Intrinsic("to_int", (v,)), guards)  # a value of the field's domain: a short code
        case m.CountType():
            return Value(Intrinsic("to_count", (v,)), guards)  # any number of digits
        case m.MunicipalityType() | m.PersonnummerType():
            return Value(v, guards, "str")
        case _:
            assert_never(f.type)


def flag_is(name: str, number: int, names: Names, ym: m.YearModel) -> ir.Expr:
    """``field = number`` for a field: raw string compare for finite domains (no int() per line)."""
    f = names.field(name)
    dom = domain(f, ym)
    if dom is not None and isinstance(f.type, m.FlagType | m.EnumType):
        return OneOf(names.var(name), (str(number),)) if str(number) in dom else FALSE
    val = field_value(name, names)
    return guarded(val.guards, Compare("==", val.code, Lit(number)))


def birth_year(pnr: ir.Expr) -> ir.Expr:
    """The year of birth: the personnummer's first four digits."""
    return Intrinsic("to_int", (Slice(pnr, None, Lit(4)),))


def value(e: m.Expr, names: Names, ym: m.YearModel) -> Value:
    match e:
        case m.IntLit(value=v):
            return Value(Lit(v))
        case m.StrLit(value=v):
            return Value(Lit(v), kind="str")
        case m.ParamRef(name=name, value=v):
            return NONE if v is None else Value(Var(names.params[name]))
        case m.FieldRef(name=name):
            return field_value(name, names)
        case m.Count(arg=m.GroupRef(members=members)):
            terms = [Intrinsic("truth", (flag_is(n, 1, names, ym),)) for n in members if n in names.local]
            if not terms:
                return Value(Lit(0))
            total: ir.Expr = terms[0]
            for t in terms[1:]:
                total = BinOp("+", total, t)
            return Value(total)
        case m.Age(arg=arg):
            a = value(arg, names, ym)
            return Value(BinOp("-", Lit(ym.year), birth_year(a.code)), a.guards)
        case m.BirthYear(arg=arg):
            a = value(arg, names, ym)
            return Value(birth_year(a.code), a.guards)
        case m.Arith(op=op, left=left, right=right):
            a, b = value(left, names, ym), value(right, names, ym)
            return Value(BinOp(op, a.code, b.code), merge(a.guards, b.guards))
        case (
            m.Present()
            | m.ValidPersonnummer()
            | m.Deceased()
            | m.Compare()
            | m.Between()
            | m.Member()
            | m.And()
            | m.Or()
            | m.Not()
            | m.GroupRef()
        ):
            raise UnsupportedError(f"Python-backend: {type(e).__name__} kan inte användas som värde")
        case _:
            assert_never(e)


_OPS: dict[str, ir.CompareOp] = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def cond(e: m.Expr, names: Names, ym: m.YearModel) -> ir.Expr:
    """A two-valued condition (the output of :mod:`lss_rules.language.truth`): an atom is true where its
    operands are present and it holds, false elsewhere (a comparison with an empty value is false).

    It is lowered where the fields it reads are known (no S02/S03 finding), so a field that is
    always required is present: ``present()`` of it is true.
    """
    match e:
        case m.Compare(op=op, left=m.FieldRef(name=name), right=m.IntLit(value=k)) if op in ("=", "!="):
            f = names.field(name)
            if isinstance(f.type, m.FlagType | m.EnumType):
                if op == "=":
                    return flag_is(name, k, names, ym)
                v = names.var(name)
                differs = Not(OneOf(v, (str(k),)))
                # `!=` with an empty value is false, like every comparison with an empty value
                return differs if f.always_required else all_of(Compare("!=", v, EMPTY), differs)
            return _compare(e, names, ym)
        case m.Compare(op=">=", left=m.Count(arg=m.GroupRef(members=members)), right=m.IntLit(1)):
            return any_set(members, names, ym, True)
        case m.Compare(op="<", left=m.Count(arg=m.GroupRef(members=members)), right=m.IntLit(1)):
            return any_set(members, names, ym, False)  # count(g) < 1: what `not count(g) >= 1` was
        case m.Compare():
            return _compare(e, names, ym)
        case m.Between(value=v, low=lo, high=hi):
            a, b, c = (value(x, names, ym) for x in (v, lo, hi))
            return guarded(merge(a.guards, b.guards, c.guards), ir.Between(b.code, a.code, c.code))
        case m.Member(value=v, options=opts):
            if isinstance(v, m.FieldRef) and isinstance(names.field(v.name).type, m.FlagType | m.EnumType):
                dom = domain(names.field(v.name), ym) or ()
                raws = sorted({str(o.value) for o in opts if isinstance(o, m.IntLit) and str(o.value) in dom})
                return OneOf(names.var(v.name), tuple(raws)) if raws else FALSE
            a = value(v, names, ym)
            kinds = m.StrLit if a.kind == "str" else m.IntLit
            found = sorted({o.value for o in opts if isinstance(o, kinds)}, key=repr)
            if not found:
                return FALSE
            return guarded(a.guards, Compare("in", a.code, lits(found)))
        case m.And(left=a, right=b):
            return all_of(cond(a, names, ym), cond(b, names, ym))
        case m.Or(left=a, right=b):
            return _empty_or(cond(a, names, ym), cond(b, names, ym))
        case m.Not(operand=o):
            return negated(o, names, ym)
        case m.Present(arg=m.FieldRef(name=name)):
            if names.field(name).always_required:
                return TRUE
            return Compare("!=", names.var(name), EMPTY)
        case m.ValidPersonnummer(arg=arg):
            a = value(arg, names, ym)
            return guarded(a.guards, Call(Var("personnummer_ok"), (a.code,)))
        case m.Deceased(arg=arg):
            a = value(arg, names, ym)
            return guarded(a.guards, Compare("in", a.code, Var("dead")))
        case (
            m.IntLit()
            | m.StrLit()
            | m.ParamRef()
            | m.FieldRef()
            | m.Age()
            | m.BirthYear()
            | m.Count()
            | m.Arith()
            | m.GroupRef()
        ):
            raise UnsupportedError(f"Python-backend: {type(e).__name__} är inget villkor")
        case _:
            assert_never(e)


def any_set(members: Sequence[str], names: Names, ym: m.YearModel, positive: bool) -> ir.Expr:
    """``count(group) >= 1`` (or its negation): one membership test when every member is a flag."""
    present = [n for n in members if n in names.local]
    raw = [n for n in present if isinstance(names.field(n).type, m.FlagType | m.EnumType)]
    if len(raw) == len(present):
        locals_ = [names.var(n) for n in raw if "1" in (domain(names.field(n), ym) or ())]
        if not locals_:
            return FALSE if positive else TRUE
        if len(locals_) == 1:
            one = OneOf(locals_[0], ("1",))
            return one if positive else Not(one)
        return Compare("in" if positive else "not in", Lit("1"), TupleLit(tuple(locals_)))
    code = any_of(*(flag_is(n, 1, names, ym) for n in present))
    return code if positive else ir.negate(code)


def negated(e: m.Expr, names: Names, ym: m.YearModel) -> ir.Expr:
    """A condition whose truth is ``not bool(eval(e))``: negated on structure (``!=`` for ``=``, ...)."""
    match e:
        case m.Not(operand=o):
            return cond(o, names, ym)
        case m.Compare(op=">=", left=m.Count(arg=m.GroupRef(members=members)), right=m.IntLit(1)):
            return any_set(members, names, ym, False)
        case _:
            return ir.negate(cond(e, names, ym))


def _empty_or(a: ir.Expr, b: ir.Expr) -> ir.Expr:
    """``a or b``; ``v == '' or v not in (…)`` is the test ``v not in (…)`` alone (``''`` is not in it)."""
    match a, b:
        case Compare(op="==", left=v, right=Lit(value="")), Not(operand=OneOf(value=w, codes=codes)):
            if v == w and "" not in codes:
                return b
    return any_of(a, b)


def _compare(e: m.Compare, names: Names, ym: m.YearModel) -> ir.Expr:
    a, b = value(e.left, names, ym), value(e.right, names, ym)
    return guarded(merge(a.guards, b.guards), Compare(_OPS[e.op], a.code, b.code))


def certain(e: m.Expr | None, holds: bool, names: Names, ym: m.YearModel) -> frozenset[str]:
    """The fields certainly present with a valid value wherever ``e`` is ``holds`` (true or false).

    ``familjehem = 1`` is true only where familjehem is ``1``: a missing or malformed familjehem
    (a bit of ``u``) never passes it, so a rule whose ``when`` is ``familjehem = 1`` needs no
    guard on familjehem.  Sound under either reading of an empty value: only a test of a field
    against a value of its own finite domain counts, and negation only through ``not``.
    """
    match e:
        case m.Compare(op="=", left=m.FieldRef(name=name), right=m.IntLit(value=k)) if holds:
            f = names.field(name)
            ok = isinstance(f.type, m.FlagType | m.EnumType) and str(k) in (domain(f, ym) or ())
            return frozenset((name,)) if ok else frozenset()
        case m.Member(value=m.FieldRef(name=name), options=opts) if holds:
            f = names.field(name)
            dom = domain(f, ym) or ()
            ok = isinstance(f.type, m.FlagType | m.EnumType) and any(str(o.value) in dom for o in opts)
            return frozenset((name,)) if ok else frozenset()
        case m.Compare(op=">=", left=m.Count(arg=m.GroupRef(members=members)), right=m.IntLit(value=k)) if holds:
            # at least k of the group's flags are 1: with k or fewer in the layout, each of them is
            present = [n for n in members if n in names.local]
            flags = all(isinstance(names.field(n).type, m.FlagType) for n in present)
            return frozenset(present) if flags and k >= 1 and len(present) <= k else frozenset()
        case m.Not(operand=o):
            return certain(o, not holds, names, ym)
        case m.And(left=a, right=b) | m.Or(left=a, right=b):
            x, y = certain(a, holds, names, ym), certain(b, holds, names, ym)
            return x | y if isinstance(e, m.And) == holds else x & y
        case _:
            return frozenset()
