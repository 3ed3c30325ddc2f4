"""Conditions lowered: a condition as written (:mod:`lss_rules.language.syntax`'s ``Expr``) -> the model's.

Every name is resolved (a field, a parameter, a group) and every call becomes the built-in function's own node
(:data:`~lss_rules.language.model.FUNCTIONS`), while the types are checked in the same walk, in the lattice of
:data:`Checked`: an expression has a type of the condition language (``model.ValueType``), or is ``UNKNOWN`` after
an error already reported there, which agrees with everything so that one mistake gives one error.  Each
problem is a located diagnostic (E002 a name, E003 a type), and lowering goes on.  :mod:`lss_rules.language.lower`
lowers the declarations and hands each condition here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeAlias, assert_never, cast

from lss_rules.language import model as m
from lss_rules.language import syntax as s
from lss_rules.language.diagnostics import Diagnostics, did_you_mean

Unknown: TypeAlias = Literal["?"]
UNKNOWN: Unknown = "?"
#: the lattice a condition is checked in: a type, or UNKNOWN (an error already reported)
Checked: TypeAlias = m.ValueType | Unknown
_CompareOp: TypeAlias = m.CmpOp | Literal["between", "in"]
#: a name that did not resolve: the name, where, the message and the names it could be (lowering reports them
#: at its end, so that a misspelled declaration is pointed at once)
Unresolved: TypeAlias = tuple[str, m.Pos, str, list[str]]


class Conditions:
    """Lowers the conditions of one spec: its fields, parameters and groups by name."""

    def __init__(
        self,
        fields: dict[str, m.Field],
        params: Iterable[str],
        groups: dict[str, m.Group],
        diags: Diagnostics,
        used_params: set[str],
        unknown: list[Unresolved],
    ) -> None:
        self.fields = fields
        self.params = {name: None for name in params}  # in the order declared (the did-you-mean candidates)
        self.groups = groups
        self.diags = diags
        self._used_params = used_params  # the parameters a condition reads (the others are reported unused)
        self._unknown = unknown

    def condition(self, expr: s.Expr | None) -> m.Expr | None:
        """The model's expression for a condition as written; None if it has none or did not resolve
        (every problem is then a diagnostic)."""
        if expr is None:
            return None
        resolved, t = self._lower(expr)
        if t not in ("bool", UNKNOWN):
            self.diags.error("E003", f"ett villkor ska vara sant eller falskt, inte {_words(t)}", expr.pos)
        return resolved

    def _lower(self, e: s.Expr) -> tuple[m.Expr | None, Checked]:
        """Resolve names and calls and check types in one walk: the model's node (None if some part did not
        resolve) and its type (``UNKNOWN`` after an error already reported)."""
        match e:
            case m.IntLit():
                return e, "int"
            case m.StrLit():
                return e, "string"
            case s.Name(name=name, pos=pos):
                if name in self.fields:
                    return m.FieldRef(name, pos=pos), m.type_name(self.fields[name].type)
                if name in self.params:
                    self._used_params.add(name)
                    return m.ParamRef(name, pos=pos), "int"
                if name in self.groups:
                    return m.GroupRef(name, self.groups[name].members, pos=pos), "group"
                # reported at the end of lowering: a misspelled parameter declaration is pointed at once
                self._unknown.append((name, pos, f"okänt namn `{name}`", [*self.fields, *self.params, *self.groups]))
                return None, UNKNOWN
            case s.Call():
                return self._call(e)
            case s.Compare(op=op, left=a, right=b, pos=pos):
                (left, ta), (right, tb) = self._lower(a), self._lower(b)
                ok = self._comparable(left, ta, right, tb, op, pos)
                if left is None or right is None or not ok:
                    return None, "bool"
                return m.Compare(op, left, right, pos=pos), "bool"
            case s.Between(value=v, low=lo, high=hi, pos=pos):
                (value, tv), (low, tl), (high, th) = self._lower(v), self._lower(lo), self._lower(hi)
                oks = [self._comparable(value, tv, bound, t, "between", pos) for bound, t in ((low, tl), (high, th))]
                if value is None or low is None or high is None or not all(oks):
                    return None, "bool"
                return m.Between(value, low, high, pos=pos), "bool"
            case s.Member(value=v, options=opts, pos=pos):
                value, tv = self._lower(v)
                oks = [self._comparable(value, tv, o, self._lower(o)[1], "in", pos) for o in opts]
                if value is None or not all(oks):
                    return None, "bool"
                return m.Member(value, opts, pos=pos), "bool"
            case s.And(left=a, right=b, pos=pos) | s.Or(left=a, right=b, pos=pos):
                parts = []
                for x in (a, b):
                    part, t = self._lower(x)
                    if t not in ("bool", UNKNOWN):
                        self.diags.error("E003", f"`and`/`or` kräver villkor, inte {_words(t)}", x.pos)
                    parts.append(part)
                left, right = parts
                if left is None or right is None:
                    return None, "bool"
                node = m.And if isinstance(e, s.And) else m.Or
                return node(left, right, pos=pos), "bool"
            case s.Not(operand=o, pos=pos):
                operand, t = self._lower(o)
                if t not in ("bool", UNKNOWN):
                    self.diags.error("E003", f"`not` kräver ett villkor, inte {_words(t)}", o.pos)
                return (None if operand is None else m.Not(operand, pos=pos)), "bool"
            case s.Arith(op=op, left=a, right=b, pos=pos):
                (left, ta), (right, tb) = self._lower(a), self._lower(b)
                for t, x in ((ta, a), (tb, b)):
                    if t not in m.NUMERIC and t != UNKNOWN:
                        self.diags.error(
                            "E003",
                            f"`{op}` kan inte räkna med {_words(t)}",
                            x.pos,
                            "räkna med antal, ålder eller parametrar",
                        )
                if left is None or right is None:
                    return None, "int"
                return m.Arith(op, left, right, pos=pos), "int"
            case _:
                assert_never(e)

    def _call(self, e: s.Call) -> tuple[m.Expr | None, Checked]:
        """A built-in function's node, by the signature table :data:`~lss_rules.language.model.FUNCTIONS`."""
        func, args, pos = e.func, e.args, e.pos
        fn = m.FUNCTIONS.get(func)
        if fn is None:
            self.diags.error(
                "E002",
                f"okänd funktion `{func}`",
                pos,
                did_you_mean(func, m.FUNCTIONS) or "funktioner: " + ", ".join(m.FUNCTIONS),
            )
            for a in args:
                self._lower(a)
            return None, UNKNOWN
        if len(args) != len(fn.params):
            self.diags.error(
                "E003",
                f"`{func}` tar {len(fn.params)} argument, inte {len(args)}",
                pos,
                f"{func}({', '.join(fn.params)})",
            )
            diags, self.diags = self.diags, cast(Diagnostics, _WithoutTypeErrors(self.diags))
            try:
                for a in args:
                    self._lower(a)
            finally:
                self.diags = diags
            return None, fn.result
        lowered = [self._lower(a) for a in args]
        ok = True
        for want, a, (node, t) in zip(fn.params, args, lowered, strict=True):
            if t == UNKNOWN:
                ok = False
                continue
            if not _accepts(want, node, t):
                self.diags.error("E003", f"`{func}` vill ha {_words(want)}, inte {_words(t)}", a.pos)
                ok = False
        (arg,) = (node for node, _ in lowered)
        if not ok or arg is None:
            return None, fn.result
        return _builtin(fn.node, arg, pos), fn.result

    def _comparable(
        self, a: m.Expr | None, ta: Checked, b: m.Expr | None, tb: Checked, op: _CompareOp, pos: m.Pos
    ) -> bool:
        """Two lowered sides can be compared (or an error was already reported: ``UNKNOWN``); E003 if not."""
        if UNKNOWN in (ta, tb):
            return True
        if ta in m.NUMERIC and tb in m.NUMERIC:
            for x, other in ((a, b), (b, a)):
                if isinstance(x, m.FieldRef) and isinstance(other, m.IntLit):
                    self._literal_in_domain(x, other)
            return True
        if ta in ("municipality", "string") and tb in ("municipality", "string") and op in ("=", "!=", "in"):
            return True
        self.diags.error("E003", f"kan inte jämföra {_words(ta)} med {_words(tb)}", pos)
        return False

    def _literal_in_domain(self, ref: m.FieldRef, lit: m.IntLit) -> None:
        t = self.fields[ref.name].type
        domain: Iterable[int] | None = None
        if isinstance(t, m.FlagType):
            domain = (0, 1)
        elif isinstance(t, m.EnumType):
            domain = t.values
        if domain is not None and lit.value not in domain:
            values = ", ".join(str(v) for v in domain)
            self.diags.error(
                "E003", f"`{ref.name}` kan bara vara {values}; jämförelsen med {lit.value} är alltid falsk", lit.pos
            )


def _builtin(node: type[m.Builtin], arg: m.Expr, pos: m.Pos) -> m.Builtin:
    """The node of a built-in call whose argument lowering has checked against the signature."""
    if node is m.Count and isinstance(arg, m.GroupRef):
        return m.Count(arg, pos=pos)
    if isinstance(arg, m.FieldRef):
        for on_field in (m.Age, m.BirthYear, m.Present, m.ValidPersonnummer, m.Deceased):
            if node is on_field:
                return on_field(arg, pos=pos)
    raise AssertionError(f"{node.function}: argumentet {arg!r} stämmer inte med signaturen")


def external_calls(e: s.Expr | None) -> list[s.Call]:
    """The calls of functions that read an external register (scope external) in a condition as written."""
    if e is None:
        return []
    return [
        n
        for n in s.walk(e)
        if isinstance(n, s.Call) and n.func in m.FUNCTIONS and m.FUNCTIONS[n.func].scope == "external"
    ]


class _WithoutTypeErrors:
    """The diagnostics of the arguments of a call with the wrong number of them: names are resolved (an unknown
    name or function is reported) but types are not checked, one error being enough there."""

    def __init__(self, diags: Diagnostics) -> None:
        self.inner = diags

    def error(self, code: str, message: str, pos: m.Pos, hint: str | None = None) -> None:
        if code != "E003":
            self.inner.error(code, message, pos, hint)


def _accepts(want: m.ParamKind, node: m.Expr | None, t: m.ValueType) -> bool:
    """A built-in function's parameter of kind ``want`` takes the argument ``node`` of type ``t``."""
    match want:
        case "field":
            return isinstance(node, m.FieldRef)
        case "personnummer" | "group":
            return t == want
        case _:
            assert_never(want)


def _words(t: Checked | m.ParamKind) -> str:
    """A type in the words of an error message."""
    match t:
        case "int":
            return "ett tal"
        case "flag":
            return "en markering (0/1)"
        case "count":
            return "ett antal"
        case "enum":
            return "ett kodvärde"
        case "bool":
            return "ett villkor"
        case "string":
            return "en sträng"
        case "municipality":
            return "en kommunkod"
        case "personnummer":
            return "ett personnummer"
        case "group":
            return "en grupp"
        case "field":
            return "ett fält"
        case "?":
            return "ett okänt värde"  # never said: an UNKNOWN side is an error already reported
        case _:
            assert_never(t)
