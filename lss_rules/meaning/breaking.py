"""Whether a change between two years breaks a vendor's validator (``lss-rules diff``, ``release``).

A change *breaks* when a validator written for the earlier year can give another answer for a file
the later year judges, in the direction that hurts: a file it accepts is rejected (a new error, an
error from a warning, a tightened limit, a municipality code removed), or the record itself changes
(a field added, removed or moved).  A change that only *loosens* — a limit raised, an error made a
warning, a rule retired, a new warning, a new code — never breaks: a file the later year rejects was
rejected before too, and a vendor that keeps the old rule is at worst stricter for a while.

Conditions are compared *resolved*: two years of one rule have the same shape, and where they differ
only in whole numbers (a literal, a parameter's value), the direction follows from where the number
stands.  :func:`widening` finds it: raising ``p`` in ``x <= p`` makes the condition true for more
rows (``wider``); in ``x >= p`` for fewer (``narrower``); under ``not`` the other way.  Anything it
cannot order — another shape, another group, an ``=`` — is ``other``, and counts as breaking: a
change is called harmless only when it is shown to be.

>>> from lss_rules.language import model as m
>>> le = lambda v: m.Compare("<=", m.FieldRef("timmar"), m.ParamRef("max", v))
>>> widening(le(744), le(1488)), widening(le(1488), le(744))
('wider', 'narrower')
>>> part_effect("require", le(744), le(1488)), part_effect("when", le(744), le(1488))
('looser', 'tighter')
"""

from __future__ import annotations

from typing import Literal, TypeAlias, assert_never

from lss_rules.language import model as m

#: How a condition's truth moves from one year to the next.
Widening: TypeAlias = Literal["same", "wider", "narrower", "other"]
#: What a change does to the files a validator accepts: "none" (nothing), "looser", "tighter", "other".
Effect: TypeAlias = Literal["none", "looser", "tighter", "other"]

#: The effects that break a vendor's validator: tighter, or not shown to be looser.
BREAKING_EFFECTS: frozenset[str] = frozenset({"tighter", "other"})

# the parts of a condition where a wider condition loosens (the rest tighten when wider)
_WIDER_LOOSENS = {"require": True, "empty_unless": True, "when": False, "required_when": False}
# what a part that appears (None -> something) does; its disappearing does the opposite
_APPEARS: dict[str, Effect] = {
    "when": "looser",  # the rule applied to every row, now only to some
    "require": "tighter",
    "required_when": "tighter",
    "empty_unless": "tighter",
    "differs_from": "tighter",
    "unique": "tighter",
}


def breaks(effect: str) -> bool:
    return effect in BREAKING_EFFECTS


def part_effect(part: str, old: m.Expr | str | None, new: m.Expr | str | None) -> Effect:
    """The effect of a rule's or field's condition part changing from ``old`` to ``new``.

    ``part`` is ``when``, ``require``, ``required_when``, ``empty_unless`` (conditions, compared by
    :func:`widening`), ``differs_from``, ``unique`` (compared as they are: any change is ``other``) or
    ``message`` (never an effect on what is accepted).
    """
    if part == "message" or old == new:
        return "none"
    if old is None or new is None:
        appears = _APPEARS[part]
        return appears if old is None else _opposite(appears)
    if isinstance(old, str) or isinstance(new, str) or part not in _WIDER_LOOSENS:
        return "other"
    w = widening(old, new)
    if w == "same":
        return "none"
    if w == "other":
        return "other"
    loosens = (w == "wider") == _WIDER_LOOSENS[part]
    return "looser" if loosens else "tighter"


def _opposite(e: Effect) -> Effect:
    return {"looser": "tighter", "tighter": "looser"}.get(e, e)  # type: ignore[return-value]


def combine(effects: list[str]) -> Effect:
    """The effect of several changes together: breaking if any breaks, else looser if any loosens."""
    if "other" in effects:
        return "other"
    if "tighter" in effects:
        return "tighter"
    return "looser" if "looser" in effects else "none"


# ----------------------------------------------------------------- ordering two conditions


def widening(old: m.Expr, new: m.Expr) -> Widening:
    """Whether ``new`` is true for more rows than ``old`` (``wider``), fewer (``narrower``), the same
    rows (``same``: they do not differ) or neither is shown (``other``).

    The two must have one shape and differ only in whole numbers whose direction is known where they
    stand; every such number is one vote, and the votes must agree.
    """
    votes: list[int | None] = []
    _pair(old, new, 1, votes)
    if not votes:
        return "same"
    if all(v == 1 for v in votes):
        return "wider"
    if all(v == -1 for v in votes):
        return "narrower"
    return "other"


# ``sign`` is what making the node larger (a number) or truer (a condition) does to the whole condition:
# 1 truer, -1 less true, None not known (under ``=``, ``in``, a function's argument).
Sign: TypeAlias = int | None


def _neg(sign: Sign) -> Sign:
    return None if sign is None else -sign


def _pair(a: m.Expr, b: m.Expr, sign: Sign, votes: list[int | None]) -> None:
    """Walk two expressions of one shape side by side, a vote for each whole number that differs."""
    if type(a) is not type(b):
        votes.append(None)
        return
    match a:
        case m.IntLit() | m.ParamRef():
            assert isinstance(b, m.IntLit | m.ParamRef)
            if isinstance(a, m.ParamRef) and a.name != getattr(b, "name", None):
                votes.append(None)
                return
            old, new = a.value, b.value
            if old != new:
                votes.append(None if old is None or new is None or sign is None else (sign if new > old else -sign))
        case m.StrLit(value=v):
            if v != getattr(b, "value", None):
                votes.append(None)
        case m.FieldRef(name=n):
            if n != getattr(b, "name", None):
                votes.append(None)
        case m.GroupRef(name=n, members=ms):
            if (n, ms) != (getattr(b, "name", None), getattr(b, "members", None)):
                votes.append(None)
        case m.Age(arg=x) | m.BirthYear(arg=x) | m.Present(arg=x) | m.ValidPersonnummer(arg=x) | m.Deceased(arg=x):
            _pair(x, getattr(b, "arg"), None, votes)  # noqa: B009 - b has the same type as a
        case m.Count(arg=g):
            _pair(g, getattr(b, "arg"), None, votes)  # noqa: B009
        case m.Compare(op=op, left=lhs, right=rhs):
            assert isinstance(b, m.Compare)
            if op != b.op:
                votes.append(None)
                return
            # larger right side: truer under < and <=, less true under > and >=; = and != are not ordered
            right = sign if op in ("<", "<=") else _neg(sign) if op in (">", ">=") else None
            _pair(lhs, b.left, _neg(right), votes)
            _pair(rhs, b.right, right, votes)
        case m.Between(value=v, low=lo, high=hi):
            assert isinstance(b, m.Between)
            _pair(v, b.value, None, votes)
            _pair(lo, b.low, _neg(sign), votes)
            _pair(hi, b.high, sign, votes)
        case m.Member(value=v, options=opts):
            assert isinstance(b, m.Member)
            _pair(v, b.value, None, votes)
            old_set, new_set = {o.value for o in opts}, {o.value for o in b.options}
            if old_set != new_set:
                votes.append(
                    None if sign is None else sign if new_set > old_set else -sign if new_set < old_set else None
                )
        case m.And(left=lhs, right=rhs) | m.Or(left=lhs, right=rhs):
            assert isinstance(b, m.And | m.Or)
            _pair(lhs, b.left, sign, votes)
            _pair(rhs, b.right, sign, votes)
        case m.Not(operand=o):
            assert isinstance(b, m.Not)
            _pair(o, b.operand, _neg(sign), votes)
        case m.Arith(op=op, left=lhs, right=rhs):
            assert isinstance(b, m.Arith)
            if op != b.op:
                votes.append(None)
                return
            _pair(lhs, b.left, sign, votes)
            _pair(rhs, b.right, sign if op == "+" else _neg(sign), votes)
        case _:
            assert_never(a)


def params_in(*exprs: m.Expr | None) -> set[str]:
    """The parameters the expressions read."""
    return {n.name for e in exprs if e is not None for n in m.walk(e) if isinstance(n, m.ParamRef)}
