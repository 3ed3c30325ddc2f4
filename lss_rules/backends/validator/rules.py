"""The checks of a line: conditional S03/S04, the record rules, the unique rules and the memo of clean lines.

Part of :mod:`lss_rules.backends.validator.lower`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lss_rules.backends.validator import ir
from lss_rules.backends.validator.conditions import (
    certain,
    cond,
    domain,
    field_value,
    flag_is,
    guarded,
    merge,
    negated,
)
from lss_rules.backends.validator.ir import (
    TRUE,
    Assign,
    AugAssign,
    BinOp,
    Comment,
    Compare,
    ExprStmt,
    If,
    IfExp,
    Intrinsic,
    Lit,
    Slice,
    Stmt,
    Var,
    all_of,
    any_of,
)
from lss_rules.backends.validator.names import EMPTY, Names, append_finding, check_id, lits
from lss_rules.errors import UnsupportedError
from lss_rules.language import model as m
from lss_rules.language import truth


def missing_required(f: m.Field, names: Names, ym: m.YearModel, also: tuple[Stmt, ...] = ()) -> Stmt:
    """``if`` the field is empty while its ``required when`` holds (the known values only), marking it unknown."""
    assert f.required_when is not None
    known = names.known(m.reads(f.required_when), f"{f.name}_required_when")
    when = cond(truth.is_true(f.required_when), names, ym)
    test = all_of(Compare("==", names.var(f.name), EMPTY), known, when)
    return If(test, (AugAssign(Var("c"), "|", Var(names.bit_name[f.name])), *also))


def conditional_checks(ym: m.YearModel, names: Names) -> list[Stmt]:
    """Conditional S03 (``required when``) and S04 (``empty unless``, ``differs from``), in layout order."""
    out: list[Stmt] = []
    for f in ym.fields:
        v = names.var(f.name)
        if f.required_when is not None:
            out.append(Comment(f"{f.name}: required when its condition holds ({check_id(ym, 'required_value')})"))
            out.append(missing_required(f, names, ym, (AugAssign(Var("s03"), "++", lits([f.name])),)))
        tests: list[ir.Expr] = []
        if f.empty_unless is not None:
            known = names.known(m.reads(f.empty_unless), f"{f.name}_empty_unless")
            not_true = negated(truth.is_true(f.empty_unless), names, ym)  # false or unknown
            tests.append(all_of(Compare("!=", v, EMPTY), known, not_true))
        if f.differs_from is not None and f.differs_from in names.local:
            known = names.known((f.name, f.differs_from), f"{f.name}_differs_from")
            a, b = field_value(f.name, names), field_value(f.differs_from, names)
            same = guarded(merge(a.guards, b.guards), Compare("==", a.code, b.code))
            tests.append(all_of(Compare("!=", v, EMPTY), known, same))
        if tests:
            why = " or ".join(
                x
                for x, on in (("empty unless its condition holds", f.empty_unless), ("differs from", f.differs_from))
                if on is not None
            )
            out.append(Comment(f"{f.name}: {why} ({check_id(ym, 'empty_value')})"))
            out.append(If(any_of(*tests), (AugAssign(Var("s04"), "++", lits([f.name])),)))
    return out


def _rule_comment(ar: m.ActiveRule, names: Names) -> Comment:
    title = ar.rule.title.sv
    read = ", ".join(names.ordered(ar.reads))
    return Comment(f"{ar.id} {title}" + (f" (reads {read})" if read else ""))


@dataclass(frozen=True, slots=True)
class RuleCode:
    """How a record rule is checked: its test and the fields whose unknown value must still skip it."""

    rule: m.ActiveRule
    test: ir.Expr  # ``when`` holds and ``require`` does not, on known values
    guard: tuple[str, ...]  # the fields read whose unknown value the test does not already exclude


def record_rules(ym: m.YearModel, names: Names) -> list[RuleCode]:
    """The record (and external) rules of the year: a finding where ``when`` is true and ``require`` false."""
    out: list[RuleCode] = []
    for ar in ym.rules:
        if ar.unique is not None or ar.rule.scope not in ("record", "external"):
            continue
        parts: list[ir.Expr] = []
        if ar.rule.scope == "external":
            parts.append(Compare("is not", Var("dead"), Lit(None)))
        if ar.when is not None:
            parts.append(cond(truth.is_true(ar.when), names, ym))
        if ar.require is not None:
            parts.append(cond(truth.is_false(ar.require), names, ym))
        implied = certain(ar.when, True, names, ym) | certain(ar.require, False, names, ym)
        guard = tuple(n for n in names.ordered(ar.reads) if n not in implied)
        out.append(RuleCode(ar, all_of(*parts), guard))
    return out


def rule_stmts(rules: Iterable[RuleCode], names: Names, guarded: bool = True, known: Iterable[str] = ()) -> list[Stmt]:
    """One commented ``if`` per rule; ``guarded``: skip the rule where a field it reads is unknown (except the
    fields ``known`` to be known there)."""
    out: list[Stmt] = []
    skip = set(known)
    for rc in rules:
        guard = names.known((n for n in rc.guard if n not in skip), rc.rule.id) if guarded else TRUE
        out.append(_rule_comment(rc.rule, names))
        finding = append_finding(rc.rule.id, lits(names.ordered(rc.rule.reads)), names.pnr_value)
        out.append(If(all_of(guard, rc.test), (finding,)))
    return out


def file_uniques(ym: m.YearModel) -> list[m.ActiveRule]:
    return [ar for ar in ym.rules if ar.unique is not None and ar.unique.each_flag_in is None]


def national_uniques(ym: m.YearModel) -> list[m.ActiveRule]:
    return [ar for ar in ym.rules if ar.unique is not None and ar.unique.each_flag_in is not None]


def national_rules(ym: m.YearModel, names: Names) -> list[m.ActiveRule]:
    """The national rules the generated code checks: keyed by the personnummer, with a member in the layout."""
    out = []
    for ar in national_uniques(ym):
        assert ar.unique is not None
        if ar.unique.key != names.pnr:
            raise UnsupportedError("Python-backend: nationell unikhet stöds bara med personnumret som nyckel")
        if national_members(ar, names):
            out.append(ar)
    return out


def unique_in_file(ym: m.YearModel, names: Names, known: tuple[str, ...] = ()) -> list[Stmt]:
    """Each file-unique rule whose fields can be unknown beyond those ``known`` on the lines it runs on
    (``known=(pnr,)``: the rules on the personnummer, inside the block of the rules that read it)."""
    out: list[Stmt] = []
    for i, ar in enumerate(file_uniques(ym)):
        assert ar.unique is not None
        if (names.pnr is not None and names.pnr in ar.reads) != (names.pnr in known):
            continue
        key = names.var(ar.unique.key)
        seen = Var(f"seen{i}")
        out.append(Comment(f"{ar.id} {ar.rule.title.sv}: every repeat after the first in the file"))
        repeat = If(
            Compare("in", key, seen),
            (append_finding(ar.id, lits([ar.unique.key]), names.pnr_value),),
            (ExprStmt(Intrinsic("put", (seen, key, Var("n")))),),  # the line it was first judged on (--explain)
        )
        guard = names.known((n for n in ar.reads if n not in known), ar.id)
        out.append(repeat if guard == TRUE else If(guard, (repeat,)))
    return out


def national_members(ar: m.ActiveRule, names: Names) -> tuple[str, ...]:
    assert ar.unique is not None and ar.unique.each_flag_in is not None
    return tuple(n for n in ar.unique.each_flag_in.members if n in names.local)


def flags_expr(ar: m.ActiveRule, names: Names, ym: m.YearModel) -> Stmt:
    """``bits = int('0110...', 2)``: one binary digit per member of the rule's group, 1 where set."""
    members = national_members(ar, names)
    raw = all(isinstance(names.field(n).type, m.FlagType) and domain(names.field(n), ym) == ("0", "1") for n in members)
    if raw:  # flags are already '0'/'1': their concatenation is the answer
        parts: tuple[ir.Expr, ...] = tuple(names.var(n) for n in members)
    else:
        parts = tuple(IfExp(flag_is(n, 1, names, ym), Lit("1"), Lit("0")) for n in members)
    return Assign(Var("bits"), Intrinsic("bits", parts))


def member_bits(ar: m.ActiveRule, names: Names) -> dict[str, int]:
    """The bit of each member in ``bits`` (the first member is the highest binary digit)."""
    members = national_members(ar, names)
    return {n: 1 << (len(members) - 1 - j) for j, n in enumerate(members)}


def unique_national_collect(ym: m.YearModel, names: Names, flags_known: bool = False) -> list[Stmt]:
    """The set flags of each key in this file, as bits (``tally`` compares them across files)."""
    out: list[Stmt] = []
    for i, ar in enumerate(national_rules(ym, names)):
        assert ar.unique is not None
        key = names.var(ar.unique.key)
        here = Var(f"here{i}")
        store = If(Var("bits"), (ExprStmt(Intrinsic("or_into", (here, key, Var("bits")))),))
        out.append(Comment(f"{ar.id}: the flags set for the personnummer in this file, compared across files later"))
        if flags_known:  # ``bits`` is set already (national_bits, or the memo for a line remembered)
            out.append(store)
        else:
            out.append(If(names.known(ar.reads, ar.id), (flags_expr(ar, names, ym), store)))
    return out


def memo_possible(ym: m.YearModel, names: Names) -> bool:
    """Lines that differ only in the personnummer share everything else: remember the clean ones.

    Possible when no structural condition reads the personnummer and at most one national rule exists.
    """
    if names.pnr is None or len(national_rules(ym, names)) > 1:
        return False
    for f in ym.fields:
        conditions = (f.required_when, f.empty_unless)
        if any(names.pnr in m.reads(c) for c in conditions) or f.differs_from == names.pnr or f.name == names.pnr:
            if f.name == names.pnr and f.always_required and not (f.required_when or f.empty_unless):
                continue
            return False
    return True


def _pnr_form(v: Var) -> ir.Expr:
    return all_of(Compare("==", Intrinsic("len", (v,)), Lit(12)), Intrinsic("is_digits", (v,)))


def memo_lookup(ym: m.YearModel, names: Names) -> list[Stmt]:
    """``known``: what a clean line like this one but for the personnummer left (its bits), or None."""
    assert names.pnr is not None
    v = names.var(names.pnr)
    index = ym.field_names.index(names.pnr)
    at: ir.Expr = Lit(index)
    for f in reversed(ym.fields[:index]):
        at = BinOp("+", Intrinsic("len", (names.var(f.name),)), at)
    line = Var("line")
    return [
        Comment("a line like a clean one seen before but for the personnummer: only the rules that read it run"),
        Assign(Var("key"), Lit(None)),
        Assign(Var("known"), Lit(None)),
        If(
            _pnr_form(v),
            (
                Assign(Var("at"), at),
                Assign(
                    Var("key"),
                    BinOp("+", Slice(line, None, Var("at")), Slice(line, BinOp("+", Var("at"), Lit(12)), None)),
                ),
                Assign(Var("known"), Intrinsic("get", (Var("memo"), Var("key"), Lit(None)))),
            ),
        ),
    ]


def national_bits(ym: m.YearModel, names: Names) -> list[Stmt]:
    """``bits``: the flags of the (one) national rule set on a line, 0 where a value it reads is unknown."""
    out: list[Stmt] = []
    for ar in national_rules(ym, names):
        out += [Assign(Var("bits"), Lit(0)), If(names.known(ar.reads, ar.id), (flags_expr(ar, names, ym),))]
    return out
