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

What a name holds is what the lowering declared (:class:`~lss_rules.backends.validator.ir.Local`: the
function's ``locals``, the module's ``constants``); the printer prints the native operation for it:
``.length`` or ``.size`` for ``len``, ``x !== 0`` for an int's truth, ``.get``/``.set`` on a map, the
runtime's ``KeyMap`` for a ``key_map`` and a ``tally``
(a personnummer kept as a number, not a hashed string).  :class:`~lss_rules.backends.validator.ir.OneOf`
prints as ``===`` tests of a few codes or the constant set's ``has`` (a ``DigitSet``: a table by number,
for more codes of digits of one length).  These are V8's fast paths (``benchmarks/bench_javascript.py``);
the meaning stays Python's.  :class:`~lss_rules.backends.validator.ir.ReadFields` prints as the runtime's
reading in place (:mod:`lss_rules.backends.javascript.field_reads`).

The runtime names (:data:`~lss_rules.backends.validator.ir.RUNTIME_API`) are provided by
``lss_rules/runtime/javascript/*.mjs`` (its parts, joined) with the same meaning; the module embeds it.
Literals are printed as JSON (which is JavaScript); comments are one line with
no line terminator.
"""

from __future__ import annotations

import re
from typing import assert_never

from lss_rules.backends.javascript.field_reads import (
    AT,
    CODES,
    COUNT,
    ONE,
    SMALL_SET,
    Scope,
    digit_width,
    in_place,
    lit,
)
from lss_rules.backends.javascript.kinds import NATIVE, TRUTH, assigned, kind_of
from lss_rules.backends.validator import ir

__all__ = ["Printer", "comment_text", "lit", "to_source"]

INDENT = "  "


def comment_text(text: str) -> str:
    """One line of comment text (no line terminator of JavaScript in it)."""
    return re.sub(r"[\r\n\u2028\u2029]+", " ", text).strip()


_SCANNED = "// where the fields lie: no string a field"
_OPS = {"==": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class Printer:
    """Prints expressions and statements.

    ``constants``: the kinds of the module's constants; a function's own locals are added while it is
    printed.  ``scope``: the fields of the line being read in place (inside a ReadFields), if any.
    """

    def __init__(self, constants: dict[str, ir.LocalKind] | None = None) -> None:
        self.constants: dict[str, ir.LocalKind] = dict(constants or {})
        self.kinds: dict[str, ir.LocalKind] = dict(self.constants)
        self.scope: Scope | None = None
        self.extra: set[str] = set()  # locals the printer made in the function printed (declared with the others)
        self.function = ""  # the function printed, its locals and parameters, and the blocks taken out of it
        self.names: frozenset[str] = frozenset()
        self.outlined: list[str] = []
        self.counting = False  # a first printing of a ReadFields, to count uses: nothing taken out is kept

    def declared(self, e: ir.Expr) -> ir.LocalKind | None:
        """The kind the lowering declared for ``e``, if it is a name."""
        return self.kinds.get(e.name) if isinstance(e, ir.Var) else None

    def kind(self, e: ir.Expr) -> str | None:
        """What ``e`` holds in JavaScript (str, int, bool, list, set or map), where the printer knows."""
        match e:
            case ir.Var():
                return NATIVE.get(self.declared(e) or "")
            case ir.Lit(value=bool()):
                return "bool"
            case ir.Lit(value=int()):
                return "int"
            case ir.Lit(value=str()) | ir.Slice():
                return "str"
        return kind_of(e)

    # expressions -------------------------------------------------------------
    def expr(self, e: ir.Expr) -> str:
        if self.scope is not None:
            done = in_place(self, e, self.scope)
            if done is not None:
                return done
        match e:
            case ir.Lit(value=v):
                return lit(v)
            case ir.TupleLit(items=items):
                return "[" + ", ".join(self.expr(i) for i in items) + "]"
            case ir.SetLit(items=items):
                codes = tuple(x.value for x in items)
                width = digit_width(codes) if all(isinstance(c, str) for c in codes) else None  # type: ignore[arg-type]
                if width is not None:  # also tested by char code where a field lies (DigitSet.hasAt)
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
            case ir.Test(title=title, test=t):
                return self._outline_test(title, t)
            case ir.OneOf(value=v, codes=codes, table=table):
                if table is not None and len(codes) > SMALL_SET:
                    return f"{table.name}.has({self.expr(v)})"
                if not codes:
                    return "false"
                value = self.expr(v)
                return "(" + " || ".join(f"{value} === {lit(c)}" for c in codes) + ")"
            case _:
                assert_never(e)

    def cond(self, e: ir.Expr) -> str:
        """``e`` as a JavaScript boolean with Python's truth."""
        match e:
            case ir.Lit() | ir.Compare() | ir.Between() | ir.Not() | ir.BoolOp() | ir.OneOf() | ir.Test():
                return self.expr(e)
            case ir.BinOp(op="|" | "&" | "+" | "-"):
                return self.expr(e)  # a number: 0 is false in both languages
            case ir.Intrinsic(name="is_digits" | "truth" | "len" | "to_int" | "to_count"):
                return self.expr(e)
            case ir.Call(func=ir.Var() as f) if self.declared(f) == "checker":
                return self.expr(e)
            case ir.Var() if self.kind(e) in TRUTH:
                return TRUTH[self.kind(e) or ""].format(self.expr(e))
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
                if isinstance(b, ir.SetLit) or self.kind(b) in ("set", "map"):
                    return f"{neg}{self.expr(b)}.has({left})"
                if self.kind(b) == "list":
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
                return "(" + " | ".join(f"(({x}).charCodeAt(0) & 1) << {n - 1 - j}" for j, x in enumerate(a)) + ")"
            case "truth":
                return f"({self.cond(e.args[0])} ? 1 : 0)"
            case "get":
                if e.args[2] == ir.Lit(None):
                    return f"({a[0]}.get({a[1]}) ?? null)"  # a map's values are never null
                if self.kind(e.args[0]) == "map":
                    return f"({a[0]}.get({a[1]}) ?? {a[2]})"
                return f"py_get({a[0]}, {a[1]}, {a[2]})"
            case "append":
                return f"{a[0]}.push({a[1]})"
            case "or_into":  # a KeyMap's (kind tally): one lookup
                return f"{a[0]}.orBits({a[1]}, {a[2]})"
            case "put":  # a KeyMap's (kind key_map)
                return f"{a[0]}.set({a[1]}, {a[2]})"
            case "new_set":
                return "new Set()"
            case "new_key_map" | "new_tally":
                # a KeyMap sized for the keys of the lines or files given, if any (its table grows by rehashing)
                return f"new KeyMap({a[0]})" if a else "new KeyMap()"
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
            case ir.ReadFields():
                return self._read_fields(s, indent)
            case ir.Block():
                return self._outline(s, indent)
            case ir.FunctionDef(name=name, params=params, body=body, doc=doc, locals=kinds):
                ps = ", ".join(p.name if p.default is None else f"{p.name} = {self.expr(p.default)}" for p in params)
                lines = [f"{indent}function {name}({ps}) {{"]
                if doc is not None:
                    lines += [f"{indent}{INDENT}// {comment_text(line)}".rstrip() for line in doc.splitlines()]
                saved, self.kinds, self.extra = self.kinds, {**self.constants, **{x.name: x.kind for x in kinds}}, set()
                self.function, self.names, self.outlined = name, frozenset(x.name for x in kinds), []
                try:
                    block = self._block(body, indent)
                    own = sorted((assigned(body) | self.extra) - {p.name for p in params})
                    outlined = self.outlined
                finally:
                    self.kinds, self.extra, self.outlined = saved, set(), []
                if own:
                    lines.append(f"{indent}{INDENT}let {', '.join(own)};")
                return [*lines, *block, f"{indent}}}", *outlined]
            case _:
                assert_never(s)

    def _block(self, body: tuple[ir.Stmt, ...], indent: str) -> list[str]:
        return self.stmts(body, indent + INDENT)

    def _outline(self, s: ir.Block, indent: str) -> list[str]:
        """A block as a function of its own, called where it stands.

        V8 optimises a small hot function within milliseconds and a function of hundreds of lines late (in a
        first run its compile takes longer than the run): the rules of a line go into functions of their own.
        Its parameters are the names of the function (and of the line read in place) that it uses; the locals
        it assigns are its parameters then (their values after it are dead, but for ``gives``, returned).
        """
        body = self.stmts(s.body, INDENT)
        if s.gives is None:
            return [f"{indent}{self._outlined(body, s.title)};"]
        call = self._outlined([*body, f"{INDENT}return {s.gives};"], s.title)
        return [f"{indent}{s.gives} = {call};"]

    def _outline_test(self, title: str, test: ir.Expr) -> str:
        """A test as a function of its own that returns it (as :meth:`_outline` a block)."""
        return self._outlined([f"{INDENT}return {self.cond(test)};"], title)

    def _outlined(self, body: list[str], title: str) -> str:
        """The call of a new function of the module with ``body``, after the function printed."""
        text = "\n".join(body)
        names = set(self.names)
        if self.scope is not None:
            sc = self.scope
            read = {sc.line, AT, CODES, ONE, COUNT, *sc.made, *sc.keys.values()}
            names = (names - set(sc.index) - {sc.pieces}) | read
        used = [x for x in sorted(names) if re.search(rf"(?<![\w$]){re.escape(x)}(?![\w$])", text)]
        name = f"{self.function}_{1 + sum(1 for x in self.outlined if x.startswith('function '))}"
        call = f"{name}({', '.join(used)})"
        if not self.counting:
            self.outlined += ["", f"function {call} {{", f"{INDENT}// {comment_text(title)}", *body, "}"]
        return call

    def _read_fields(self, s: ir.ReadFields, indent: str) -> list[str]:
        """One scan of the line (``py_fields``) and its fields read where they lie (:mod:`.field_reads`).

        Printed twice: first to count how often each field local is used as a string (or as a key), then
        with those used more than once made once a line, after the count check.
        """
        assert self.scope is None, "a ReadFields inside another"
        index = {v.name: k for k, v in enumerate(s.fields) if v.name != "_"}
        line, n = s.line.name, len(s.fields)

        def printed(scope: Scope) -> tuple[list[str], str | None, list[str]]:
            self.scope = scope
            try:
                wrong = self._block(s.wrong, indent)
                skip = None if s.skip is None else self.cond(s.skip)
                return wrong, skip, self.stmts(s.body, indent)
            finally:
                self.scope = None

        counted = Scope(line, s.sep, s.pieces.name, index)
        self.counting = True
        try:
            printed(counted)
        finally:
            self.counting = False
        taken = {x.name for x in ir.nodes(s) if isinstance(x, ir.Var)}
        many = frozenset(name for name, k in counted.string_uses.items() if k > 1)
        keys = {name: f"{name}_key" for name, k in counted.key_uses.items() if k > 1 and f"{name}_key" not in taken}
        scope = Scope(line, s.sep, s.pieces.name, index, many, keys)
        wrong, skip, body = printed(scope)
        self.extra |= {COUNT, AT, CODES, ONE, *many, *keys.values()}
        out = [
            f"{indent}{COUNT} = py_fields({line}, {self.expr(s.sep)}, {n});  {_SCANNED}",
            f"{indent}{AT} = FIELD_AT;",
            f"{indent}{CODES} = CODES;",
            f"{indent}{ONE} = FIELD_ONE;",
            f"{indent}if ({COUNT} !== {n}) {{",
            *wrong,
            f"{indent}}}",
            *(f"{indent}{x}" for x in scope.prologue()),
        ]
        if skip is not None:
            out += [f"{indent}if ({skip}) {{", f"{indent}{INDENT}continue;", f"{indent}}}"]
        return out + body

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


def rule_line(title: str) -> str:
    return f"// {'-' * max(3, 75 - len(title))} {comment_text(title)}"


def to_source(module: ir.Module, runtime: str) -> str:
    """The module as one standalone ES module: the runtime (its parts joined) embedded, then the tree."""
    p = Printer({x.name: x.kind for x in module.constants})
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
