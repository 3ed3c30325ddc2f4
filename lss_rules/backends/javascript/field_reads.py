"""How the JavaScript printer reads a line's fields: where they lie, by char code, with no string a field.

The lowering says what it wants (:class:`~lss_rules.backends.validator.ir.ReadFields`: read the fields of
this line; the locals of kind ``field`` hold them); this module is JavaScript's answer.  In V8 splitting
every line into a list of strings, and hashing or comparing those strings, is most of what a validator
does (``benchmarks/bench_javascript.py``), so the line is scanned once (the runtime's ``py_fields``, which
leaves where each field starts and ends in ``FIELD_AT``, the code of each field one character long in
``FIELD_ONE`` and the line's char codes in ``CODES``) and every use of a field local is printed by what it
needs:

- ``v == "1"``, ``v != ""``, ``OneOf(v, codes)``: the field's code if the code tested is one character
  (``FIELD_ONE``: one read, the test of most rules), else its length and char codes (a ``DigitSet``'s
  ``hasAt`` for a table of more codes of digits of one length);
- ``len(v)``, ``is_digits(v)``, ``to_int(v)``, ``to_int(v[a:b])``, ``to_count(v)``: on the characters in place;
- ``bits(v, w, ...)``: the code of each field (each is "0" or "1");
- ``v in s``, ``put(s, v, x)``, ``get(m, v, d)``, ``or_into(m, v, b)`` on a local of kind ``key_map`` or
  ``tally`` (the runtime's ``KeyMap``, which keeps a personnummer as a number): the key's number
  read in place too (``py_key_at``), made once a line when used more than once;
- ``check(v)`` of a constant of kind ``checker`` (``personnummer_checker``): the digits read in place;
- any other use (a finding, a call of the runtime) reads the value as a string: made once after the count
  check when the local is used so more than once, else where it is used.

``len(pieces)`` is the count ``py_fields`` gives, ``pieces[k]`` the string of field ``k``, and ``pieces`` itself
(``_forms(pieces)``, the slow path) the split, made there.  Nothing here looks at the shape of statements: a
name's kind is what the lowering declared (:class:`~lss_rules.backends.validator.ir.Local`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from lss_rules.backends.validator import ir


class Printer(Protocol):
    """What :func:`in_place` asks of the printer (:class:`lss_rules.backends.javascript.printer.Printer`)."""

    def expr(self, e: ir.Expr) -> str: ...

    def cond(self, e: ir.Expr) -> str: ...

    def declared(self, e: ir.Expr) -> ir.LocalKind | None: ...


#: the count of a line's pieces (a local of a function that reads fields in place)
COUNT = "nfields"

#: the locals a function that reads fields in place holds the runtime's FIELD_AT, CODES and FIELD_ONE in
#: (after each ``py_fields``: V8 keeps a local in a register, a module variable it loads again at every read)
AT, CODES, ONE = "$at", "$codes", "$one"

#: the kinds of the runtime's maps that take a key's number (KeyMap)
KEYED = frozenset(("key_map", "tally"))

#: a set of at most this many codes is tested with ``===`` (faster than hashing the value)
SMALL_SET = 4

#: a constant set of more strings than SMALL_SET, all ASCII digits of one length up to this, is a ``DigitSet``
DIGIT_WIDTH = 6


def digit_width(codes: tuple[str, ...]) -> int | None:
    """The length of the codes of a set printed as the runtime's ``DigitSet`` (a table by number), else None."""
    if len(codes) <= SMALL_SET:
        return None
    widths = {len(c) for c in codes}
    width = next(iter(widths))
    if len(widths) != 1 or not 1 <= width <= DIGIT_WIDTH:
        return None
    return width if all(c.isascii() and c.isdigit() for c in codes) else None


@dataclass(slots=True)
class Scope:
    """The fields of the line a :class:`~lss_rules.backends.validator.ir.ReadFields` reads, as printed.

    ``made``: field locals made a string once a line (used as one more than once); ``keys``: field local ->
    the local holding its key's number (made once a line).  The counts are of the uses printed.
    """

    line: str
    sep: ir.Expr
    pieces: str
    index: dict[str, int]
    made: frozenset[str] = frozenset()
    keys: dict[str, str] = field(default_factory=dict)
    string_uses: Counter[str] = field(default_factory=Counter)
    key_uses: Counter[str] = field(default_factory=Counter)

    def field_of(self, e: ir.Expr) -> int | None:
        """The number of the field ``e`` holds, if ``e`` is one of this line's field locals."""
        return self.index.get(e.name) if isinstance(e, ir.Var) else None

    def at(self, k: int) -> tuple[str, str]:
        """Where field ``k`` starts and ends (offsets into ``CODES``)."""
        return f"{AT}[{2 * k}]", f"{AT}[{2 * k + 1}]"

    def text(self, k: int) -> str:
        start, end = self.at(k)
        return f"{self.line}.slice({start} - BASE, {end} - BASE)"

    def value(self, name: str) -> str:
        """The string of a field local: the local made once a line, else read where it lies."""
        self.string_uses[name] += 1
        return name if name in self.made else self.text(self.index[name])

    def key(self, name: str) -> str:
        """The number a key set or tally keeps the field's value as (the runtime's ``digitKey``)."""
        self.key_uses[name] += 1
        if name in self.keys:
            return self.keys[name]
        start, end = self.at(self.index[name])
        return f"py_key_at({start}, {end})"

    def equals(self, k: int, code: str) -> str:
        """Field ``k`` is the string ``code`` (Python's ``==``), by its length and char codes."""
        start, end = self.at(k)
        if not code:
            return f"({start} === {end})"
        data = code.encode("utf-16-le", "surrogatepass")  # JavaScript's string: UTF-16 units
        units = [int.from_bytes(data[j : j + 2], "little") for j in range(0, len(data), 2)]
        if len(units) == 1:
            return f"({ONE}[{k}] === {units[0]})"  # the field's code if it is one unit long (the runtime's FIELD_ONE)
        size = f"{end} - {start} === {len(units)}"
        if len(units) > 4:
            return f"({size} && {self.line}.startsWith({lit(code)}, {start} - BASE))"
        codes = " && ".join(f"{CODES}[{start}{f' + {j}' if j else ''}] === {u}" for j, u in enumerate(units))
        return f"({size} && {codes})"

    def one_of(self, k: int, e: ir.OneOf) -> str:
        """Field ``k`` is one of ``e.codes``."""
        start, end = self.at(k)
        if len(e.codes) > SMALL_SET and e.table is not None and digit_width(e.codes) is not None:
            return f"{e.table.name}.hasAt({start}, {end})"
        if len(e.codes) > SMALL_SET and e.table is not None:
            return f"{e.table.name}.has({self.text(k)})"
        if not e.codes:
            return "false"
        tests = [self.equals(k, c) for c in e.codes]
        return tests[0] if len(tests) == 1 else "(" + " || ".join(tests) + ")"

    def int_at(self, k: int, lo: int | None = None, hi: int | None = None) -> str:
        """``to_int`` of field ``k`` (of ``value[lo:hi]``, bounds >= 0 or None), on its digits in place."""
        start, end = self.at(k)
        a = start if not lo else f"Math.min({start} + {lo}, {end})"
        b = end if hi is None else f"Math.min({start} + {hi}, {end})"
        return f"py_int_at({self.line}, {a}, {b})"

    def prologue(self) -> list[str]:
        """The strings and key numbers made once a line, after the count check."""
        out = [f"{name} = {self.text(k)};" for name, k in self.index.items() if name in self.made]
        out += [
            f"{self.keys[name]} = py_key_at({', '.join(self.at(k))});"
            for name, k in self.index.items()
            if name in self.keys
        ]
        return out


def lit(value: object) -> str:
    """A JavaScript literal for an int, str, bool or None (a string as JSON, the two line separators escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def bound(e: ir.Expr | None) -> bool:
    """A slice bound the in-place read takes: None or an int literal >= 0."""
    return e is None or (isinstance(e, ir.Lit) and type(e.value) is int and e.value >= 0)


def bound_int(e: ir.Expr | None) -> int | None:
    return e.value if isinstance(e, ir.Lit) and type(e.value) is int else None


def in_place(p: Printer, e: ir.Expr, sc: Scope) -> str | None:
    """``e`` read where the line's fields lie, if it reads a field of the line; else None (printed as usual).

    ``p``: the printer (for the parts of ``e`` that are not fields, and the kinds of names).
    """
    match e:
        case ir.Var(name=name) if name in sc.index:
            return sc.value(name)
        case ir.Var(name=name) if name == sc.pieces:
            return f"py_split({sc.line}, {p.expr(sc.sep)})"  # the slow path's list: made here
        case ir.Compare(op="==" | "!=" as op, left=a, right=ir.Lit(value=str(code))) if sc.field_of(a) is not None:
            test = sc.equals(sc.index[a.name], code)  # type: ignore[union-attr]
            return test if op == "==" else f"!{test}"
        case ir.Compare(op="==" | "!=" as op, left=ir.Lit(value=str()) as x, right=b) if sc.field_of(b) is not None:
            return in_place(p, ir.Compare(op, b, x), sc)
        case ir.Compare(op="in" | "not in" as op, left=ir.Lit(value=str()) as x, right=ir.TupleLit(items=items)) if any(
            sc.field_of(i) is not None for i in items
        ):
            test = p.cond(ir.any_of(*(ir.Compare("==", x, i) for i in items)))
            return test if op == "in" else f"!{test}"
        case ir.OneOf(value=a) if sc.field_of(a) is not None:
            return sc.one_of(sc.index[a.name], e)  # type: ignore[union-attr]
        case ir.Compare(op="in" | "not in" as op, left=ir.Var(name=name), right=ir.Var() as m) if (
            name in sc.index and p.declared(m) in KEYED
        ):
            key = sc.key(name)
            return f"{'!' if op == 'not in' else ''}{m.name}.hasKey({key}, {sc.value(name)})"
        case ir.Intrinsic(name="put", args=(ir.Var() as m, ir.Var(name=name), value)) if (
            name in sc.index and p.declared(m) in KEYED
        ):
            key = sc.key(name)
            return f"{m.name}.putKey({key}, {sc.value(name)}, {p.expr(value)})"
        case ir.Intrinsic(name="get", args=(ir.Var() as m, ir.Var(name=name), default)) if (
            name in sc.index and p.declared(m) in KEYED
        ):
            key = sc.key(name)
            return f"({m.name}.getKey({key}, {sc.value(name)}) ?? {p.expr(default)})"
        case ir.Intrinsic(name="or_into", args=(ir.Var() as m, ir.Var(name=name), bits)) if (
            name in sc.index and p.declared(m) in KEYED
        ):
            key = sc.key(name)
            return f"{m.name}.orKey({key}, {sc.value(name)}, {p.expr(bits)})"
        case ir.Call(func=ir.Var(name=f) as fn, args=(ir.Var(name=name),)) if (
            name in sc.index and p.declared(fn) == "checker"
        ):
            start, end = sc.at(sc.index[name])
            return f"{f}.at({sc.line}, {start}, {end})"
        case ir.Intrinsic(name="len", args=(ir.Var(name=name),)) if name in sc.index:
            start, end = sc.at(sc.index[name])
            return f"({end} - {start})"
        case ir.Intrinsic(name="len", args=(ir.Var(name=name),)) if name == sc.pieces:
            return COUNT
        case ir.Intrinsic(name="is_digits", args=(ir.Var(name=name),)) if name in sc.index:
            return f"py_digits_at({', '.join(sc.at(sc.index[name]))})"
        case ir.Intrinsic(name="to_int", args=(ir.Var(name=name),)) if name in sc.index:
            return sc.int_at(sc.index[name])
        case ir.Intrinsic(name="to_count", args=(ir.Var(name=name),)) if name in sc.index:
            return f"py_count_at({', '.join(sc.at(sc.index[name]))})"
        case ir.Intrinsic(name="to_int", args=(ir.Slice(value=ir.Var(name=name), start=lo, stop=hi),)) if (
            name in sc.index and bound(lo) and bound(hi)
        ):
            return sc.int_at(sc.index[name], bound_int(lo), bound_int(hi))
        case ir.Intrinsic(name="bits", args=args) if all(sc.field_of(x) is not None for x in args):
            # each field is "0" or "1" (ir.IntrinsicName): its char code's last bit is its digit
            codes = [f"{ONE}[{sc.index[x.name]}]" for x in args if isinstance(x, ir.Var)]
            n = len(codes)
            return "(" + " | ".join(f"({x} & 1) << {n - 1 - j}" for j, x in enumerate(codes)) + ")"
        case ir.Index(value=ir.Var(name=name), index=ir.Lit(value=int(k))) if name == sc.pieces and k >= 0:
            return sc.text(k)  # (of a line with another count too: py_fields noted where its pieces lie)
    return None
