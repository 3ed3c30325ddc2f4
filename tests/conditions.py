"""Hypothesis strategies for random conditions over a year's fields, empty values included.

Used by the tests of the three-valued meaning (tests/model/test_truth.py) and of the compiled
validator against the reference evaluator on rules the spec does not have
(tests/backends/python/test_absent_values.py).
"""

from __future__ import annotations

import dataclasses
import functools

from hypothesis import strategies as st

from lss_rules.language import model as m

OPS: tuple[m.CmpOp, ...] = ("=", "!=", "<", "<=", ">", ">=")
NUMBERS = (0, 1, 2, 3, 11, 12, 17, 25, 31, 45, 46, 175, 744, 745)


def _counts(ym: m.YearModel) -> list[m.Count]:
    """The year's ``count(group)`` terms, taken from its rules (groups narrowed to the year)."""
    out: list[m.Count] = []
    for ar in ym.rules:
        for e in (ar.when, ar.require):
            if e is not None:
                out += [n for n in m.walk(e) if isinstance(n, m.Count) and n not in out]
    return out


def int_terms(ym: m.YearModel) -> st.SearchStrategy[m.Expr]:
    """Whole-number values: fields (flags, enums, counts; many of them may be empty), age, count, sums."""
    pnr = next(f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType))
    numeric = [f.name for f in ym.fields if isinstance(f.type, m.FlagType | m.EnumType | m.CountType)]
    optional = [n for n in numeric if not ym.field(n).always_required]
    leaves: list[st.SearchStrategy[m.Expr]] = [
        st.sampled_from(NUMBERS).map(m.IntLit),
        st.sampled_from(optional or numeric).map(m.FieldRef),
        st.sampled_from(numeric).map(m.FieldRef),
        st.just(m.Age(m.FieldRef(pnr))),
        st.just(m.BirthYear(m.FieldRef(pnr))),
    ]
    counts = _counts(ym)
    if counts:
        leaves.append(st.sampled_from(counts))
    leaf = st.one_of(*leaves)
    return st.one_of(
        leaf,
        st.builds(m.Arith, st.sampled_from(("+", "-")), leaf, leaf),
    )


def atoms(ym: m.YearModel) -> st.SearchStrategy[m.Expr]:
    term = int_terms(ym)
    pnr = next(f.name for f in ym.fields if isinstance(f.type, m.PersonnummerType))
    strs = [f.name for f in ym.fields if isinstance(f.type, m.MunicipalityType)]
    out: list[st.SearchStrategy[m.Expr]] = [
        st.builds(m.Compare, st.sampled_from(OPS), term, term),
        st.builds(m.Between, term, term, term),
        st.builds(
            m.Member,
            term,
            st.lists(st.sampled_from(NUMBERS[:6]), min_size=1, max_size=3, unique=True).map(
                lambda xs: tuple(m.IntLit(x) for x in xs)
            ),
        ),
        st.sampled_from(ym.field_names).map(lambda n: m.Present(m.FieldRef(n))),
        st.just(m.ValidPersonnummer(m.FieldRef(pnr))),
    ]
    if len(strs) >= 2:  # boendekommun = kommun: strings, one of them often empty
        out.append(
            st.builds(
                m.Compare,
                st.sampled_from(("=", "!=")),
                st.sampled_from(strs).map(m.FieldRef),
                st.sampled_from(strs).map(m.FieldRef),
            )
        )
    return st.one_of(*out)


@functools.cache
def conditions(ym: m.YearModel, max_leaves: int = 6) -> st.SearchStrategy[m.Expr]:
    """Conditions with ``not``, ``and`` and ``or`` over :func:`atoms`.

    One strategy object a year and size: the tests draw it inside other draws (a random rule a call), and
    Hypothesis validates a strategy the first time it is drawn from; a recursive one made afresh for each of
    400 draws spent 13 of test_js_trace's 21 s being validated.  The same strategy, so the same examples."""
    return st.recursive(
        atoms(ym),
        lambda inner: st.one_of(
            st.builds(m.Not, inner),
            st.builds(m.And, inner, inner),
            st.builds(m.Or, inner, inner),
        ),
        max_leaves=max_leaves,
    )


def with_rules(ym: m.YearModel, pairs: list[tuple[m.Expr | None, m.Expr]]) -> m.YearModel:
    """The year with its record rules replaced by ``when``/``require`` pairs (ids LSS-X01, …)."""
    base = next(ar for ar in ym.rules if ar.rule.scope == "record" and ar.unique is None)
    rules: list[m.ActiveRule] = []
    for i, (when, require) in enumerate(pairs, start=1):
        rule = dataclasses.replace(base.rule, id=f"LSS-X{i:02d}", when=when, require=require)
        rules.append(
            dataclasses.replace(base, rule=rule, severity="error", when=when, require=require, reads=rule.reads())
        )
    kept = tuple(ar for ar in ym.rules if ar.rule.scope != "record")
    return dataclasses.replace(ym, rules=(*kept, *rules))


@st.composite
def lines(draw: st.DrawFn, ym: m.YearModel, persons: list[str], broken: bool = False) -> str:
    """A line of the layout: every field of its form, the fields that may be empty often empty.

    ``broken``: now and then a value that is missing or malformed (LSS-S02/S03), so the rules
    that read it must be skipped.
    """
    from lss_rules.generators.edges import edge_value

    values = []
    for f in ym.fields:
        if broken and draw(st.integers(0, 19)) == 0:
            values.append(draw(st.sampled_from(("", "x", "01", "-1", "5"))))
            continue
        if isinstance(f.type, m.PersonnummerType):
            values.append(draw(st.sampled_from(persons)))
            continue
        if not f.always_required and draw(st.booleans()):
            values.append("")
            continue
        v = draw(edge_value(f, ym).filter(lambda x, f=f: x != "" and _form_ok(f, x, ym)))
        values.append(v)
    return ym.layout.separator.join(values)


def _form_ok(f: m.Field, raw: str, ym: m.YearModel) -> bool:
    from lss_rules.meaning.evaluate import Evaluator

    return Evaluator(ym).valid_form(f, raw)
