"""Absent values: the three-valued meaning of a condition, and the pass that makes it two-valued.

A value may be absent: an empty field (``personlig_assistans_timmar`` on a line without
personlig assistans), the age of an empty personnummer, a parameter without a value that
year.  A condition is then *unknown*, as in SQL:

- a comparison (``= != < <= > >=``, ``between``, ``in {…}``, arithmetic inside it) with an
  absent operand is unknown, and so are ``valid_personnummer(f)`` and ``deceased(f)`` of an
  empty ``f``; ``present(f)`` is the one way to ask about absence (always true or false);
- ``not``, ``and``, ``or`` are Kleene's: ``not unknown`` is unknown, ``false and unknown`` is
  false, ``true or unknown`` is true, and unknown otherwise;
- a rule gives a finding where ``when`` is **true** and ``require`` is **false**: an unknown
  ``when`` does not apply (SQL's ``WHERE``), an unknown ``require`` passes (SQL's ``CHECK``).
  So ``require personlig_assistans_timmar <= 175`` passes a line without hours, and
  ``require present(personkrets) and personkrets in {1, 2}`` asks for a value explicitly.

The reference evaluator (:mod:`lss_rules.meaning.evaluate`) computes this meaning directly.  The
compiled validators and the JSON Schema compute two-valued conditions; this pass turns
"``e`` is true" and "``e`` is false" into such conditions, pushing ``not`` inward:

=================  ==========================================  ==========================================
``e``              :func:`is_true` (T)                         :func:`is_false` (F)
=================  ==========================================  ==========================================
``a op b``         ``a op b``                                  ``a op' b`` (``op'`` the opposite operator)
an atom ``p``      ``p``                                       ``present(…) and not p``
``present(f)``     ``present(f)``                              ``not present(f)``
``not e``          F(e)                                        T(e)
``a and b``        T(a) and T(b)                               F(a) or F(b)
``a or b``         T(a) or T(b)                                F(a) and F(b)
=================  ==========================================  ==========================================

The result is a :data:`~lss_rules.language.model.Expr` read two-valued: an atom (a comparison,
``between``, ``in``, ``valid_personnummer``, ``deceased``) is true where its operands are
present and it holds, false everywhere else; ``and``/``or``/``not`` are Boolean, and ``not``
stands only directly over an atom, beside the ``present`` guards of its operands.  That is
the reading every backend already gives an atom (a comparison with an absent value is false),
so a backend lowers the result with one function and needs no third truth value.

>>> from lss_rules.language import model as m
>>> hours = m.FieldRef("personlig_assistans_timmar")
>>> from lss_rules.language.model_text import expr_source
>>> expr_source(is_false(m.Compare("<=", hours, m.IntLit(175))))
'personlig_assistans_timmar > 175'
>>> krets = m.FieldRef("personkrets")
>>> expr_source(is_false(m.And(m.Present(krets), m.Member(krets, (m.IntLit(1), m.IntLit(2))))))
'not present(personkrets) or not personkrets in {1, 2}'
"""

from __future__ import annotations

from typing import assert_never

from lss_rules.language import model as m

#: the opposite of each comparison operator: ``not (a op b)`` is ``a op' b`` where both are present
OPPOSITE: dict[m.CmpOp, m.CmpOp] = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}

#: a condition that is never true (a parameter without a value that year is never present)
NEVER: m.Expr = m.Compare("!=", m.IntLit(0), m.IntLit(0))


def is_true(e: m.Expr) -> m.Expr:
    """A two-valued condition true exactly where ``e`` is true (not false, not unknown)."""
    match e:
        case m.Not(operand=o):
            return is_false(o)
        case m.And(left=a, right=b):
            return m.And(is_true(a), is_true(b), pos=e.pos)
        case m.Or(left=a, right=b):
            return m.Or(is_true(a), is_true(b), pos=e.pos)
        case m.Compare() | m.Between() | m.Member() | m.Present() | m.ValidPersonnummer() | m.Deceased():
            return e
        case (
            m.IntLit()
            | m.StrLit()
            | m.FieldRef()
            | m.ParamRef()
            | m.GroupRef()
            | m.Age()
            | m.BirthYear()
            | m.Count()
            | m.Arith()
        ):
            return e  # a value, not a condition: lowering types conditions, and a backend refuses one here
        case _:
            assert_never(e)


def is_false(e: m.Expr) -> m.Expr:
    """A two-valued condition true exactly where ``e`` is false (not true, not unknown)."""
    match e:
        case m.Not(operand=o):
            return is_true(o)
        case m.And(left=a, right=b):
            return _or(is_false(a), is_false(b), pos=e.pos)
        case m.Or(left=a, right=b):
            return m.And(is_false(a), is_false(b), pos=e.pos)
        case m.Compare(op=op, left=a, right=b):
            return m.Compare(OPPOSITE[op], a, b, pos=e.pos)
        case m.Present():
            return m.Not(e, pos=e.pos)
        case m.Between(value=v, low=lo, high=hi):
            return _guarded((*present(v), *present(lo), *present(hi)), m.Not(e, pos=e.pos))
        case m.Member(value=v) | m.ValidPersonnummer(arg=v) | m.Deceased(arg=v):
            return _guarded(present(v), m.Not(e, pos=e.pos))
        case (
            m.IntLit()
            | m.StrLit()
            | m.FieldRef()
            | m.ParamRef()
            | m.GroupRef()
            | m.Age()
            | m.BirthYear()
            | m.Count()
            | m.Arith()
        ):
            return m.Not(e, pos=e.pos)  # a value, not a condition (see is_true)
        case _:
            assert_never(e)


def finding(when: m.Expr | None, require: m.Expr | None) -> m.Expr | None:
    """Where a rule gives a finding: ``when`` true and ``require`` false (None: on every line)."""
    if when is None:
        return None if require is None else is_false(require)
    return is_true(when) if require is None else m.And(is_true(when), is_false(require))


def present(value: m.Expr) -> tuple[m.Expr, ...]:
    """The conditions under which a value is present: ``present(f)`` of each field it stands on.

    A literal, a parameter with a value and ``count(…)`` are always present; a parameter
    without a value that year never is (:data:`NEVER`).
    """
    match value:
        case m.FieldRef():
            return (m.Present(value, pos=value.pos),)
        case m.Age(arg=ref) | m.BirthYear(arg=ref) | m.ValidPersonnummer(arg=ref) | m.Deceased(arg=ref):
            return (m.Present(ref, pos=ref.pos),)
        case m.Arith(left=a, right=b):
            return _unique((*present(a), *present(b)))
        case m.ParamRef(value=None):
            return (NEVER,)
        case m.IntLit() | m.StrLit() | m.ParamRef() | m.Count() | m.GroupRef() | m.Present():
            return ()
        case m.Compare() | m.Between() | m.Member() | m.And() | m.Or() | m.Not():
            return ()  # a condition, not a value
        case _:
            assert_never(value)


def _unique(items: tuple[m.Expr, ...]) -> tuple[m.Expr, ...]:
    out: list[m.Expr] = []
    for x in items:
        if x not in out:
            out.append(x)
    return tuple(out)


def _guarded(guards: tuple[m.Expr, ...], atom: m.Expr) -> m.Expr:
    out = atom
    for g in reversed(_unique(guards)):
        out = m.And(g, out)
    return out


def _or(a: m.Expr, b: m.Expr, pos: m.Pos) -> m.Expr:
    """``a or b``, where ``a`` is ``not present(f)``: ``present(f)`` guards in ``b`` are then redundant.

    (``not p or (p and x)`` is ``not p or x``: R14's ``require present(personkrets) and
    personkrets in {1, 2}`` is false where personkrets is empty or not 1 or 2.)
    """
    if isinstance(a, m.Not) and isinstance(a.operand, m.Present):
        b = _without_guard(b, a.operand)
    return m.Or(a, b, pos=pos)


def _without_guard(e: m.Expr, guard: m.Present) -> m.Expr:
    if isinstance(e, m.And):
        if e.left == guard:
            return _without_guard(e.right, guard)
        return m.And(e.left, _without_guard(e.right, guard), pos=e.pos)
    return e
