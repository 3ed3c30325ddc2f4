"""The JavaScript printer of the IR: an :class:`~lss_rules.backends.validator.ir.Module` as an ES module.

The sibling of :mod:`lss_rules.backends.python.printer`: the same tree that prints as
the Python validator prints here as JavaScript, so the two validators share
every decision about a rule (which fields are read, in what order the rules
run, how a missing value guards a comparison).  The meaning of each node is
Python's (the IR's documentation), and the printer keeps it:

- a condition's truth is Python's truth (an empty tuple, set or dict is false):
  a test that may be a collection goes through ``py_bool``;
- tuples are arrays, frozen sets ``Set``, dicts ``Map`` (insertion order kept);
  ``in`` on a name goes through ``py_in`` (a ``Set``/``Map`` key, an array item);
- ``is`` / ``is not`` compare with ``null``; ints are numbers (every int the
  validators compute is below 2**53: bit masks of at most 30 fields, years, counts);
- locals are declared once at the top of their function (Python's scope).

Where the printer knows what a name holds (:func:`kinds_of`: a string, an int, a bool, a list, a set or a
map, from every assignment to it), it prints the native operation instead of the helper: ``.length`` or
``.size`` for ``len``, ``x !== 0`` for an int's truth, ``.get``/``.set`` on a map.  A membership test in a
small module constant set of strings prints as ``===`` tests; ``bits`` as arithmetic on char codes; a
larger constant set of digit strings of one length as the runtime's ``DigitSet`` (also a table by number);
a set only tested and added to as the runtime's ``KeySet`` and ``m[k] = get(m, k, 0) | b`` on a tally as
``orBits`` (a personnummer as a number, not a hashed string).  These are V8's fast paths
(``benchmarks/bench_javascript.py``); the meaning stays Python's.

The JavaScript-only nodes of :mod:`lss_rules.backends.javascript.fields` (which runs before this printer) print as the
runtime's reading in place: :class:`~lss_rules.backends.validator.ir.LineFields` as ``py_fields`` (one scan of the line
that leaves where each field lies in ``FIELD_AT`` and the line's char codes in ``CODES``: the bytes of an
all-ASCII block, else a copy), :class:`~lss_rules.backends.validator.ir.FieldRead` as reads of those (``CODES[...]
=== 49`` for ``v == "1"``, a difference of offsets for a length, ``DigitSet.hasAt`` for a code list).

The runtime names (:data:`~lss_rules.backends.validator.ir.RUNTIME_API`) are provided by
``lss_rules/runtime/javascript/*.mjs`` (its parts, joined) with the same meaning; the module embeds it.
Literals are printed as JSON (which is JavaScript); comments are one line with
no line terminator.
"""

from __future__ import annotations

import json
import re
from typing import assert_never

from lss_rules.backends.validator import ir

INDENT = "  "


def lit(value: object) -> str:
    """A JavaScript literal for an int, str, bool or None."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def comment_text(text: str) -> str:
    """One line of comment text (no line terminator of JavaScript in it)."""
    return re.sub(r"[\r\n\u2028\u2029]+", " ", text).strip()


_OPS = {"==": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_BOOLEAN = (ir.Compare, ir.Between, ir.Not)

#: a constant set of at most this many strings is tested with ``===`` (faster than hashing the value)
SMALL_SET = 4

#: the truth of a value of a known kind (Python's: an empty string, list, set or map, and 0, are false)
_TRUTH = {"str": '{} !== ""', "int": "{} !== 0", "bool": "{}", "list": "{}.length !== 0"}
_TRUTH |= {"set": "{}.size !== 0", "map": "{}.size !== 0"}


class Printer:
    """Prints expressions and statements.

    ``kinds``: what some names hold ("set", "map", "list", "str", "int" or "bool"), found by
    :func:`kinds_of`, so that ``in``, ``len``, truth and items on them print as native operations
    (``py_in``, ``py_len``, ``py_bool``, ``py_index`` otherwise).  ``small``: module constants that are
    small sets of strings (name -> the strings), tested with ``===``.  ``tallied``: the maps given to the
    runtime's ``tally`` (:func:`tallied`), made as the runtime's ``KeyMap`` (a Map of personnummer as
    numbers in typed arrays); ``file_tallies``: a file's map that is only ORed into and then tallied
    (:func:`file_tallies`: name -> the names of its seen and shared), made as the runtime's ``FileTally``.
    """

    def __init__(
        self,
        kinds: dict[str, str] | None = None,
        small: dict[str, tuple[str, ...]] | None = None,
        tallied: frozenset[str] = frozenset(),
        keysets: frozenset[str] = frozenset(),
        file_tallies: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.kinds = kinds or {}
        self.small = small or {}
        self.tallied = tallied
        self.keysets = keysets
        self.file_tallies = file_tallies or {}

    def _keyed(self, e: ir.Expr) -> bool:
        """``e`` is a key set or tally of the runtime (KeySet, KeyMap, FileTally): it takes a key's code."""
        return isinstance(e, ir.Var) and (e.name in self.keysets or e.name in self.tallied)

    def kind(self, e: ir.Expr) -> str | None:
        """What ``e`` holds, where the printer knows."""
        match e:
            case ir.Var(name=name):
                return self.kinds.get(name)
            case ir.Lit(value=bool()):
                return "bool"
            case ir.Lit(value=int()):
                return "int"
            case ir.Lit(value=str()) | ir.Slice():
                return "str"
        return _kind(e)

    # expressions -------------------------------------------------------------
    def expr(self, e: ir.Expr) -> str:
        match e:
            case ir.Lit(value=v):
                return lit(v)
            case ir.TupleLit(items=items):
                return "[" + ", ".join(self.expr(i) for i in items) + "]"
            case ir.SetLit(items=items):
                width = digit_width(e)
                if width is not None:  # also tested by char code where a field lies (jsfields: FieldRead "in")
                    return "new DigitSet([" + ", ".join(self.expr(i) for i in items) + f"], {width})"
                return "new Set([" + ", ".join(self.expr(i) for i in items) + "])"
            case ir.DictLit(items=items):
                if not items:
                    return "new Map()"
                pairs = ", ".join(f"[{self.expr(k)}, {self.expr(v)}]" for k, v in items)
                return f"new Map([{pairs}])"
            case ir.Var(name=name):
                return name
            case ir.Runtime(name=name):
                return name
            case ir.Compare(op=op, left=a, right=b):
                return self._compare(op, a, b)
            case ir.Between(low=lo, value=v, high=hi):
                value = self.expr(v)
                return f"({self.expr(lo)} <= {value} && {value} <= {self.expr(hi)})"
            case ir.BoolOp(op=op, values=values):
                sym = " && " if op == "and" else " || "
                return "(" + sym.join(self.cond(v) for v in values) + ")"
            case ir.Not(operand=o):
                return f"!{self.cond(o)}"
            case ir.BinOp(op="++", left=a, right=b):
                return f"{self.expr(a)}.concat({self.expr(b)})"
            case ir.BinOp(op=op, left=a, right=b):
                return f"({self.expr(a)} {op} {self.expr(b)})"
            case ir.IfExp(test=t, then=a, orelse=b):
                return f"({self.cond(t)} ? {self.expr(a)} : {self.expr(b)})"
            case ir.Index(value=v, index=i):
                if isinstance(v, ir.Var) and isinstance(i, ir.Lit) and isinstance(i.value, int):
                    return f"{self.expr(v)}[{i.value}]"  # an item of a list or tuple
                if self.kind(v) == "map":
                    return f"{self.expr(v)}.get({self.expr(i)})"
                if self.kind(v) == "list":
                    return f"{self.expr(v)}[{self.expr(i)}]"
                return f"py_index({self.expr(v)}, {self.expr(i)})"
            case ir.Slice(value=v, start=a, stop=b):
                start = "0" if a is None else self.expr(a)
                return (
                    f"{self.expr(v)}.slice({start})" if b is None else f"{self.expr(v)}.slice({start}, {self.expr(b)})"
                )
            case ir.Intrinsic():
                return self._intrinsic(e)
            case ir.Call(func=f, args=args):
                return f"{self.expr(f)}({', '.join(self.expr(a) for a in args)})"
            case ir.LineFields(line=line, sep=sep, count=count):
                return f"py_fields({line.name}, {self.expr(sep)}, {count})"
            case ir.FieldRead():
                return _field_read(e)
            case ir.KeyRead(text=t):
                return self.expr(t)  # as a value; a lookup of a key set or tally uses its code (_keyed)
            case _:
                assert_never(e)

    def cond(self, e: ir.Expr) -> str:
        """``e`` as a JavaScript boolean with Python's truth."""
        match e:
            case ir.Lit() | ir.Compare() | ir.Between() | ir.Not() | ir.BoolOp():
                return self.expr(e)
            case ir.BinOp(op="|" | "&" | "+" | "-"):
                return self.expr(e)  # a number: 0 is false in both languages
            case ir.Intrinsic(name="is_digits" | "truth" | "len" | "to_int" | "to_count"):
                return self.expr(e)
            case ir.FieldRead(op="empty" | "eq" | "in" | "digits" | "len" | "int" | "count" | "check"):
                return self.expr(e)
            case ir.Var() if self.kind(e) in _TRUTH:
                return _TRUTH[self.kind(e) or ""].format(self.expr(e))
            case _:
                return f"py_bool({self.expr(e)})"

    def _compare(self, op: ir.CompareOp, a: ir.Expr, b: ir.Expr) -> str:
        left = self.expr(a)
        match op:
            case "is" | "is not":
                assert b == ir.Lit(None), b
                return f"({left} {'===' if op == 'is' else '!=='} null)"
            case "in" | "not in":
                neg = "!" if op == "not in" else ""
                if isinstance(b, ir.TupleLit):
                    if not b.items:
                        return "true" if neg else "false"
                    tests = " || ".join(f"{left} === {self.expr(i)}" for i in b.items)
                    return f"{neg}({tests})"
                if isinstance(a, ir.Var) and isinstance(b, ir.Var) and b.name in self.small:
                    tests = " || ".join(f"{left} === {lit(x)}" for x in self.small[b.name])
                    return f"{neg}({tests})"
                if isinstance(a, ir.KeyRead) and self._keyed(b):
                    return f"{neg}{self.expr(b)}.hasKey({self.expr(a.code)}, {left})"
                if isinstance(b, ir.SetLit) or (isinstance(b, ir.Var) and self.kinds.get(b.name) in ("set", "map")):
                    return f"{neg}{self.expr(b)}.has({left})"
                if isinstance(b, ir.Var) and self.kinds.get(b.name) == "list":
                    return f"{neg}{self.expr(b)}.includes({left})"
                return f"{neg}py_in({left}, {self.expr(b)})"
            case _:
                return f"({left} {_OPS[op]} {self.expr(b)})"

    def _intrinsic(self, e: ir.Intrinsic) -> str:
        a = [self.expr(x) for x in e.args]
        match e.name:
            case "len":
                match self.kind(e.args[0]):
                    case "str" | "list":
                        return f"{a[0]}.length"
                    case "set" | "map":
                        return f"{a[0]}.size"
                return f"py_len({a[0]})"
            case "is_digits":
                return f"py_isdigits({a[0]})"
            case "to_int":
                return f"(+{a[0]})"
            case "to_count":
                return f"py_count({a[0]})"
            case "split":
                return f"py_split({a[0]}, {a[1]})"
            case "split_head":
                return f"py_split_head({a[0]}, {a[1]}, {a[2]})"
            case "bits":
                # each argument is "0" or "1" (ir.IntrinsicName): its char code's last bit is its digit
                n = len(a)
                codes = [
                    x if isinstance(arg, ir.FieldRead) else f"({x}).charCodeAt(0)"
                    for x, arg in zip(a, e.args, strict=True)
                ]
                return "(" + " | ".join(f"({x} & 1) << {n - 1 - j}" for j, x in enumerate(codes)) + ")"
            case "truth":
                return f"({self.cond(e.args[0])} ? 1 : 0)"
            case "get":
                key, m = e.args[1], e.args[0]
                if isinstance(key, ir.KeyRead) and isinstance(m, ir.Var) and m.name in self.tallied:
                    return f"({a[0]}.getKey({self.expr(key.code)}, {a[1]}) ?? {a[2]})"
                if e.args[2] == ir.Lit(None):
                    return f"({a[0]}.get({a[1]}) ?? null)"  # a map's values are never null
                if self.kind(e.args[0]) == "map":
                    return f"({a[0]}.get({a[1]}) ?? {a[2]})"
                return f"py_get({a[0]}, {a[1]}, {a[2]})"
            case "append":
                return f"{a[0]}.push({a[1]})"
            case "add":
                key = e.args[1]
                if isinstance(key, ir.KeyRead) and self._keyed(e.args[0]):
                    return f"{a[0]}.addKey({self.expr(key.code)}, {a[1]})"
                return f"{a[0]}.add({a[1]})"
            case "new_set":
                return "new Set()"
            case "new_list":
                return "[]"
            case "new_findings":
                return "new Findings()"  # the runtime's compact store: a million findings in tens of MB
            case "list_of":
                return f"Array.from({a[0]})"
            case "intern":
                return a[0]
            case _:
                raise AssertionError(e.name)

    # statements --------------------------------------------------------------
    def stmts(self, body: tuple[ir.Stmt, ...], indent: str) -> list[str]:
        out: list[str] = []
        for s in body:
            out += self.stmt(s, indent)
        return out

    def stmt(self, s: ir.Stmt, indent: str) -> list[str]:
        match s:
            case ir.Comment(text=text):
                return [f"{indent}// {comment_text(text)}"]
            case ir.Assign(target=t, value=v, note=note):
                trail = "" if note is None else f"  // {comment_text(note)}"
                if isinstance(t, ir.Index) and isinstance(t.value, ir.Var) and t.value.name in self.tallied:
                    match v:  # m[k] = get(m, k, 0) | bits: one lookup
                        case ir.BinOp(op="|", left=ir.Intrinsic(name="get", args=(m, k, ir.Lit(value=0))), right=b):
                            if m == t.value and k == t.index and isinstance(k, ir.KeyRead):
                                code, key, bits = self.expr(k.code), self.expr(k), self.expr(b)
                                return [f"{indent}{self.expr(m)}.orKey({code}, {key}, {bits});{trail}"]
                            if m == t.value and k == t.index:
                                return [f"{indent}{self.expr(m)}.orBits({self.expr(k)}, {self.expr(b)});{trail}"]
                if isinstance(t, ir.Index):
                    target, key, value = self.expr(t.value), self.expr(t.index), self.expr(v)
                    if self.kind(t.value) == "map":
                        return [f"{indent}{target}.set({key}, {value});{trail}"]
                    return [f"{indent}py_setitem({target}, {key}, {value});{trail}"]
                if isinstance(t, ir.TupleLit):
                    names = ", ".join("" if x == ir.Var("_") else self.expr(x) for x in t.items)
                    return [f"{indent}[{names}] = {self.expr(v)};{trail}"]
                if v == ir.TupleLit(()):  # a local's empty tuple: one shared frozen array, no allocation a line
                    return [f"{indent}{t.name} = PY_EMPTY;{trail}"]
                if v == ir.DictLit(()) and t.name in self.file_tallies:
                    seen, shared = self.file_tallies[t.name]
                    return [f"{indent}{t.name} = new FileTally({seen}, {shared});{trail}"]
                if v == ir.DictLit(()) and t.name in self.tallied:
                    return [f"{indent}{t.name} = new KeyMap();{trail}"]
                if isinstance(v, ir.LineFields):  # and where the runtime left the fields, in locals
                    return [
                        f"{indent}{t.name} = {self.expr(v)};{trail}",
                        f"{indent}{AT} = FIELD_AT;",
                        f"{indent}{CODES} = CODES;",
                    ]
                if v == ir.Intrinsic("new_set", ()) and t.name in self.keysets:
                    return [f"{indent}{t.name} = new KeySet();{trail}"]
                return [f"{indent}{t.name} = {self.expr(v)};{trail}"]
            case ir.AugAssign(target=t, op=op, value=v):
                if op == "++":
                    return [f"{indent}{t.name} = {t.name}.concat({self.expr(v)});"]
                return [f"{indent}{t.name} {op}= {self.expr(v)};"]
            case ir.ExprStmt(value=v, note=note):
                trail = "" if note is None else f"  // {comment_text(note)}"
                return [f"{indent}{self.expr(v)};{trail}"]
            case ir.If():
                return self._if(s, indent, "if")
            case ir.For(item=item, iterable=it, body=body, index=index, start=start):
                if index is None:
                    return [f"{indent}for ({item} of {self.expr(it)}) {{", *self._block(body, indent), f"{indent}}}"]
                counter = f"${index}"
                return [
                    f"{indent}let {counter} = {start!r};",
                    f"{indent}for ({item} of {self.expr(it)}) {{",
                    f"{indent}{INDENT}{index} = {counter}++;",
                    *self._block(body, indent),
                    f"{indent}}}",
                ]
            case ir.Return(value=v):
                return [f"{indent}return;" if v is None else f"{indent}return {self.expr(v)};"]
            case ir.Continue():
                return [f"{indent}continue;"]
            case ir.Pass():
                return []
            case ir.FunctionDef(name=name, params=params, body=body, doc=doc):
                ps = ", ".join(p.name if p.default is None else f"{p.name} = {self.expr(p.default)}" for p in params)
                lines = [f"{indent}function {name}({ps}) {{"]
                if doc is not None:
                    lines += [f"{indent}{INDENT}// {comment_text(line)}".rstrip() for line in doc.splitlines()]
                own = sorted(assigned(body) - {p.name for p in params})
                if own:
                    lines.append(f"{indent}{INDENT}let {', '.join(own)};")
                return [*lines, *self._block(body, indent), f"{indent}}}"]
            case _:
                assert_never(s)

    def _block(self, body: tuple[ir.Stmt, ...], indent: str) -> list[str]:
        return self.stmts(body, indent + INDENT)

    def _if(self, s: ir.If, indent: str, keyword: str) -> list[str]:
        lines = [f"{indent}{keyword} ({self.cond(s.test)}) {{", *self._block(s.body, indent)]
        if len(s.orelse) == 1 and isinstance(s.orelse[0], ir.If):
            lines.append(f"{indent}}}")
            nested = self._if(s.orelse[0], indent, "if")
            lines[-1] = f"{indent}}} else {nested[0].lstrip()}"
            lines += nested[1:]
            return lines
        if s.orelse:
            lines += [f"{indent}}} else {{", *self._block(s.orelse, indent)]
        return [*lines, f"{indent}}}"]


#: the locals a function that reads fields in place holds the runtime's FIELD_AT and CODES in (after each
#: ``py_fields``: V8 keeps a local in a register, a module variable it loads again at every read)
AT, CODES = "$at", "$codes"


def _field_read(e: ir.FieldRead) -> str:
    """A field read where it lies in its line: ``py_fields`` left where each field is (``FIELD_AT``) and the
    line's char codes (``CODES``) in the runtime, held in the locals :data:`AT` and :data:`CODES`."""
    line = e.line.name
    start, end = f"{AT}[{2 * e.index}]", f"{AT}[{2 * e.index + 1}]"
    match e.op:
        case "str":
            return f"{line}.slice({start} - BASE, {end} - BASE)"
        case "empty":
            return f"({start} === {end})"
        case "in":
            assert isinstance(e.arg, str)
            return f"{e.arg}.hasAt({start}, {end})"
        case "eq":
            assert isinstance(e.arg, str)
            if not e.arg:
                return f"({start} === {end})"
            data = e.arg.encode("utf-16-le", "surrogatepass")  # JavaScript's string: UTF-16 units
            units = [int.from_bytes(data[j : j + 2], "little") for j in range(0, len(data), 2)]
            size = f"{end} - {start} === {len(units)}"
            if len(units) > 4:
                return f"({size} && {line}.startsWith({lit(e.arg)}, {start} - BASE))"
            codes = " && ".join(f"{CODES}[{start}{f' + {j}' if j else ''}] === {u}" for j, u in enumerate(units))
            return f"({size} && {codes})"
        case "len":
            return f"({end} - {start})"
        case "digits":
            return f"py_digits_at({start}, {end})"
        case "int":
            if e.arg is None:
                return f"py_int_at({line}, {start}, {end})"
            assert isinstance(e.arg, tuple)
            lo, hi = e.arg
            a = start if not lo else f"Math.min({start} + {lo}, {end})"
            b = end if hi is None else f"Math.min({start} + {hi}, {end})"
            return f"py_int_at({line}, {a}, {b})"
        case "count":
            return f"py_count_at({start}, {end})"
        case "code":
            return f"{CODES}[{start}]"
        case "key":
            return f"py_key_at({start}, {end})"
        case "check":
            assert isinstance(e.arg, str)
            return f"{e.arg}.at({line}, {start}, {end})"
        case _:
            assert_never(e.op)


def assigned(body: tuple[ir.Stmt, ...]) -> set[str]:
    """The names a function body assigns (not in nested functions): declared once at its top."""
    out: set[str] = set()
    for s in body:
        match s:
            case ir.Assign(target=ir.Var(name=name), value=ir.LineFields()):
                out |= {name, AT, CODES}
            case ir.Assign(target=ir.Var(name=name)):
                out.add(name)
            case ir.Assign(target=ir.TupleLit(items=items)):
                out |= {x.name for x in items if isinstance(x, ir.Var) and x.name != "_"}
            case ir.AugAssign(target=ir.Var(name=name)):
                out.add(name)
            case ir.If(body=b, orelse=o):
                out |= assigned(b) | assigned(o)
            case ir.For(item=item, body=b, index=index):
                out |= {item, *([index] if index else [])} | assigned(b)
            case _:
                pass
    return out


def _kind(e: ir.Expr) -> str | None:
    match e:
        case ir.SetLit() | ir.Intrinsic(name="new_set") | ir.Call(func=ir.Runtime(name="dead_by")):
            return "set"
        case ir.DictLit():
            return "map"
        case ir.TupleLit() | ir.Intrinsic(name="new_list" | "new_findings" | "list_of" | "split" | "split_head"):
            return "list"
        case ir.BinOp(op="++"):
            return "list"
        case ir.BinOp(op="+", left=a, right=b) if any(isinstance(x, ir.Slice) or _is_str(x) for x in (a, b)):
            return "str"
        case ir.BinOp() | ir.Intrinsic(name="len" | "to_int" | "to_count" | "bits" | "truth"):
            return "int"
        case ir.Lit(value=bool()) | ir.Compare() | ir.Between() | ir.Not() | ir.Intrinsic(name="is_digits"):
            return "bool"
        case ir.Lit(value=int()):
            return "int"
        case ir.FieldRead(op="str"):
            return "str"
        case ir.FieldRead(op="empty" | "eq" | "in" | "digits" | "check"):
            return "bool"
        case ir.FieldRead() | ir.LineFields():
            return "int"
        case ir.KeyRead(text=t):
            return _kind(t)
    return None


def _is_str(e: ir.Expr) -> bool:
    return isinstance(e, ir.Lit) and isinstance(e.value, str)


def _returns(body: tuple[ir.Stmt, ...]) -> list[ir.Expr | None]:
    """The values a function body returns (not in nested functions)."""
    out: list[ir.Expr | None] = []
    for s in body:
        match s:
            case ir.Return(value=v):
                out.append(v)
            case ir.If(body=b, orelse=o):
                out += _returns(b) + _returns(o)
            case ir.For(body=b):
                out += _returns(b)
    return out


def kinds_of(module: ir.Module) -> dict[str, str]:
    """What the module's names hold where every assignment agrees: a set, a map or a list.

    Module constants and function locals from what is assigned to them; a function's parameter from
    the arguments of every call of it (a name assigned also None, as ``dead``, keeps its kind: ``in``
    is only printed where the name is not None).  Names are unique enough in generated modules (one
    kind a name across the module) that one table serves every function.
    """
    seen: dict[str, set[str | None]] = {}
    calls: dict[str, list[tuple[ir.Expr, ...]]] = {}
    params: dict[str, tuple[ir.Param, ...]] = {}
    unpacked: dict[str, list[ir.Expr]] = {}  # a name -> the sequences it is unpacked from
    assigned_from: dict[str, list[ir.Expr]] = {}  # a name -> every value assigned to it

    def note(name: str, value: ir.Expr) -> None:
        assigned_from.setdefault(name, []).append(value)
        if value == ir.Lit(None):
            return
        seen.setdefault(name, set()).add(_kind(value))

    def visit(node: object) -> None:
        match node:
            case ir.Assign(target=ir.Var(name=name), value=v):
                note(name, v)
            case ir.Assign(target=ir.TupleLit(items=items), value=v):
                for i, x in enumerate(items):
                    if isinstance(x, ir.Var) and x.name != "_":
                        unpacked.setdefault(x.name, []).append(v)
                        if isinstance(v, ir.Call) and isinstance(v.func, ir.Var):
                            # (u, s02) = f(...) where f returns (u, s02): the name's own assignments tell
                            same = returns_of(v.func.name)
                            if same and all(
                                isinstance(r, ir.TupleLit) and i < len(r.items) and r.items[i] == x for r in same
                            ):
                                continue
                        seen.setdefault(x.name, set()).add(None)
            case ir.FunctionDef(name=name, params=ps):
                params[name] = ps
            case ir.Call(func=ir.Var(name=name), args=args):
                calls.setdefault(name, []).append(args)

    functions = {s.name: _returns(s.body) for sec in module.sections for s in sec.body if isinstance(s, ir.FunctionDef)}

    def returns_of(name: str) -> list[ir.Expr | None]:
        return functions.get(name, [])

    for sec in module.sections:
        for node in ir.nodes(sec.body):
            visit(node)
    kinds: dict[str, str] = {}
    for name, ks in seen.items():
        only = next(iter(ks))
        if len(ks) == 1 and only is not None:
            kinds[name] = only
    for fname, ps in params.items():
        for i, p in enumerate(ps):
            found: set[str | None] = set()
            for args in calls.get(fname, []):
                arg = args[i] if i < len(args) else None
                found.add(kinds.get(arg.name) if isinstance(arg, ir.Var) else None)
            only = next(iter(found), None)
            if len(found) == 1 and only is not None and p.name not in seen:
                kinds[p.name] = only

    # lists of strings: what ``split`` gives, and a parameter every call passes one; their items are strings
    def is_strings(name: str, depth: int = 0) -> bool:
        values = assigned_from.get(name)
        if values is not None:
            return all(isinstance(v, ir.Intrinsic) and v.name in ("split", "split_head") for v in values)
        for fname, ps in params.items():
            for i, p in enumerate(ps):
                if p.name == name and depth < 3:
                    args = [a[i] if i < len(a) else None for a in calls.get(fname, [])]
                    return bool(args) and all(isinstance(a, ir.Var) and is_strings(a.name, depth + 1) for a in args)
        return False

    for name, sources in unpacked.items():
        strings = all(isinstance(v, ir.Var) and is_strings(v.name) for v in sources)
        if strings and seen.get(name, {"str"}) <= {"str", None} and name not in assigned_from:
            kinds[name] = "str"
    return kinds


def tallied(module: ir.Module) -> frozenset[str]:
    """The names given to the runtime's ``tally`` (its maps of key -> bits)."""
    out: set[str] = set()

    def visit(node: object) -> None:
        match node:
            case ir.Call(func=ir.Runtime(name="tally"), args=args):
                out.update(a.name for a in args if isinstance(a, ir.Var))

    for sec in module.sections:
        for node in ir.nodes(sec.body):
            visit(node)
    return frozenset(out)


def file_tallies(module: ir.Module) -> dict[str, tuple[str, str]]:
    """The maps ``here`` of ``tally(here, seen, shared)`` that can be a ``FileTally``: name -> (seen, shared).

    Such a map is made empty (``here = {}``) in the function that tallies it, into one pair of maps, and is
    otherwise only ORed into (``here[k] = get(here, k, 0) | bits``) or handed to a function (which ORs into it
    under the same name): a FileTally writes its bits into seen and shared as they come, so nothing may read
    it.  Every ``Var`` of the name must be one of these uses.
    """
    pairs: dict[str, set[tuple[str, str]]] = {}
    made_in: dict[str, set[str]] = {}
    tallied_in: dict[str, set[str]] = {}
    other: set[str] = set()
    used: dict[str, int] = {}
    fit: dict[str, int] = {}

    def count(name: str, n: int = 1) -> None:
        fit[name] = fit.get(name, 0) + n

    params = {
        fn.name: tuple(x.name for x in fn.params)
        for sec in module.sections
        for fn in sec.body
        if isinstance(fn, ir.FunctionDef)
    }

    for sec in module.sections:
        for fn in sec.body:
            if not isinstance(fn, ir.FunctionDef):
                continue
            for node in ir.nodes(fn.body):
                match node:
                    case ir.Call(func=ir.Runtime(name="tally"), args=(ir.Var(name=h), ir.Var(name=s), ir.Var(name=sh))):
                        pairs.setdefault(h, set()).add((s, sh))
                        tallied_in.setdefault(h, set()).add(fn.name)
                        count(h)
                    case ir.Call(func=ir.Var(name=callee), args=args):
                        names = params.get(callee, ())
                        for i, a in enumerate(args):  # handed on under its own name, which the uses there are
                            if isinstance(a, ir.Var) and i < len(names) and names[i] == a.name:
                                count(a.name)
                    case ir.Assign(target=ir.Var(name=name), value=ir.DictLit(items=())):
                        made_in.setdefault(name, set()).add(fn.name)
                        count(name)
                    case ir.Assign(
                        target=ir.Index(value=ir.Var(name=name), index=k),
                        value=ir.BinOp(
                            op="|", left=ir.Intrinsic(name="get", args=(ir.Var(name=m), k2, ir.Lit(value=0)))
                        ),
                    ) if m == name and k2 == k:
                        count(name, 2)
                    case ir.Assign(target=ir.Var(name=name)) | ir.AugAssign(target=ir.Var(name=name)):
                        other.add(name)
                    case ir.Var(name=name):
                        used[name] = used.get(name, 0) + 1
    out: dict[str, tuple[str, str]] = {}
    for name, pair in pairs.items():
        if len(pair) != 1 or name in other or used.get(name, 0) != fit.get(name, 0):
            continue
        if len(made_in.get(name, ())) != 1 or made_in[name] != tallied_in[name]:
            continue
        out[name] = next(iter(pair))
    return out


def small_sets(module: ir.Module) -> dict[str, tuple[str, ...]]:
    """The module constants that are sets of at most :data:`SMALL_SET` strings: name -> the strings."""
    out: dict[str, tuple[str, ...]] = {}
    for sec in module.sections:
        for s in sec.body:
            match s:
                case ir.Assign(target=ir.Var(name=name), value=ir.SetLit(items=items)) if len(items) <= SMALL_SET:
                    if all(isinstance(x.value, str) for x in items):
                        out[name] = tuple(str(x.value) for x in items)
    return out


#: a constant set of more strings than SMALL_SET, all ASCII digits of one length up to this, is a ``DigitSet``
DIGIT_WIDTH = 6


def digit_width(e: ir.SetLit) -> int | None:
    """The length of the strings of a set printed as the runtime's ``DigitSet`` (a table by number), else None."""
    values = [x.value for x in e.items]
    if len(values) <= SMALL_SET or not all(isinstance(v, str) for v in values):
        return None
    widths = {len(str(v)) for v in values}
    width = next(iter(widths))
    if len(widths) != 1 or not 1 <= width <= DIGIT_WIDTH:
        return None
    return width if all(str(v).isascii() and str(v).isdigit() for v in values) else None


def key_sets(module: ir.Module) -> frozenset[str]:
    """The names only ever assigned ``new_set()`` and only used by ``in`` and ``add``: the runtime's ``KeySet``."""
    made: set[str] = set()
    other: set[str] = set()
    used: dict[str, int] = {}
    fit: dict[str, int] = {}
    for sec in module.sections:
        for node in ir.nodes(sec.body):
            match node:
                case ir.Assign(target=ir.Var(name=name), value=ir.Intrinsic(name="new_set")):
                    made.add(name)
                    fit[name] = fit.get(name, 0) + 1
                case ir.Assign(target=ir.Var(name=name)) | ir.AugAssign(target=ir.Var(name=name)):
                    other.add(name)
                case ir.Compare(op="in" | "not in", right=ir.Var(name=name)):
                    fit[name] = fit.get(name, 0) + 1
                case ir.Intrinsic(name="add", args=(ir.Var(name=name), _)):
                    fit[name] = fit.get(name, 0) + 1
                case ir.Var(name=name):
                    used[name] = used.get(name, 0) + 1
    return frozenset(x for x in made - other if used.get(x, 0) == fit.get(x, 0))


def rule_line(title: str) -> str:
    return f"// {'-' * max(3, 75 - len(title))} {comment_text(title)}"


def to_source(module: ir.Module, runtime: str) -> str:
    """The module as one standalone ES module: the runtime (its parts joined) embedded, then the tree."""
    p = Printer(kinds_of(module), small_sets(module), tallied(module), key_sets(module), file_tallies(module))
    out = [f"// {comment_text(h)}" for h in module.header]
    out += [f"// {comment_text(line)}".rstrip() for line in module.doc.splitlines()]
    out += ["", rule_line("the runtime (lss_rules/runtime/javascript/, its parts embedded)"), ""]
    out += runtime.rstrip("\n").splitlines()
    for sec in module.sections:
        out += ["", rule_line(sec.title), ""]
        for s in sec.body:
            if isinstance(s, ir.Assign) and isinstance(s.target, ir.Var):
                trail = "" if s.note is None else f"  // {comment_text(s.note)}"
                out.append(f"const {s.target.name} = {p.expr(s.value)};{trail}")
            else:
                out += p.stmt(s, "")
            if isinstance(s, ir.FunctionDef):
                out.append("")
    exported = sorted(x for x in module.exports if x not in RUNTIME_EXPORTED)
    out += ["", f"export {{ {', '.join(exported)} }};"]
    if module.main is not None:
        out += [
            "",
            "// run as a script: node THIS_FILE.mjs FILE... [--format json] [--deceased FILE] [--strict]",
            f"if (await isMain(import.meta.url)) process.exitCode = {module.main}(process.argv.slice(2));",
        ]
    return "\n".join(out) + "\n"


# names the embedded runtime exports itself (``export function``): not exported again
RUNTIME_EXPORTED = frozenset(("InputError", "emit", "exit_code", "read_deceased"))
