"""The JavaScript lowering of field reads: a line's fields read by char code where they lie, not split into strings.

An IR -> IR pass (:func:`lower_fields`) run on the tree of
:func:`lss_rules.backends.validator.lower.to_module` before :mod:`lss_rules.backends.javascript.printer`
prints it; the Python module never sees it.  In V8 splitting every line into a
list of strings, and hashing or comparing those strings, is most of what a
validator does (``benchmarks/bench_javascript.py``); so where a loop over lines
does ::

    parts = split(line, SEPARATOR)
    if len(parts) != N: ... continue
    (v_a, v_b, ...) = parts

the pass writes ``nfields = LineFields(line, SEPARATOR, N)`` (one scan of the line
that remembers where each field lies) and rewrites every read of a field
local by what it needs (:class:`~lss_rules.backends.validator.ir.FieldRead`):

- ``v == "1"`` / ``v != ""`` / ``v in ("0", "1")`` (also a module constant set of at most
  :data:`~lss_rules.backends.javascript.printer.SMALL_SET` strings): the field's length and char codes;
- ``len(v)``, ``is_digits(v)``, ``to_int(v)``, ``to_int(v[a:b])``, ``to_count(v)``: on the characters in place;
- ``bits(v, w, ...)``: the first char code of each field;
- ``v in s``, ``add(s, v)``, ``m[v] = get(m, v, 0) | b`` on a key set or tally (the runtime's ``KeySet``,
  ``KeyMap``, ``FileTally``, which keep personnummer as numbers): the key's number read in place too
  (:class:`~lss_rules.backends.validator.ir.KeyRead`), made once a line when it is used more than once;
- ``check(v)`` of a personnummer checker (``personnummer_checker``): the digits read in place;
- any other use (a set lookup, a finding, a call of the runtime) reads the value as a string: made
  once after the length check when the local is used so more than once, else where it is used.

``len(parts)`` becomes ``nfields``, ``parts[k]`` the string of field ``k``, and any other use of
``parts`` (the slow path's ``_forms(parts)``) the split itself, made there.  The meaning is the
IR's, the pass only changes how a field is read: a loop that does not have the pattern exactly
(the list or a field local assigned elsewhere, a field local read before the unpacking) is left
as it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import assert_never

from lss_rules.backends.javascript.printer import SMALL_SET, digit_width, key_sets, tallied
from lss_rules.backends.validator import ir

#: the name of the count of a line's pieces (a local of the rewritten function)
COUNT = "nfields"


@dataclass(frozen=True, slots=True)
class Constants:
    """The module's constant sets a field is tested against without a string."""

    small: dict[str, tuple[str, ...]]  # at most SMALL_SET strings: name -> the strings (== tests)
    digits: frozenset[str]  # strings of digits of one length (the runtime's DigitSet: hasAt)
    checkers: frozenset[str] = frozenset()  # personnummer checkers (personnummer_checker): checked in place
    keyed: frozenset[str] = frozenset()  # key sets and tallies (KeySet, KeyMap): a key's number read in place
    fast: FastForms | None = None  # how the loop of _check_file finds a line's unknown values without _forms


@dataclass(frozen=True, slots=True)
class FastForms:
    """The test by which a loop knows a line has no unknown value without calling ``forms`` (``_forms``).

    Where a loop does ``if TEST: u = 0 ... else: (u, ...) = forms(parts)`` (``_check_file``: TEST is every
    field's fast form), ``forms(parts)[0]`` is 0 whenever TEST holds, on any line of the layout; ``fields``:
    the field locals of that loop in layout order (TEST reads some of them).
    """

    forms: str
    test: ir.Expr
    fields: tuple[str, ...]


def lower_fields(module: ir.Module) -> ir.Module:
    """``module`` with every loop that splits its line into field locals reading the fields in place."""
    small: dict[str, tuple[str, ...]] = {}
    digits: set[str] = set()
    checkers: set[str] = set()
    for sec in module.sections:
        for s in sec.body:
            match s:
                case ir.Assign(target=ir.Var(name=name), value=ir.SetLit(items=items) as value):
                    if len(items) <= SMALL_SET and all(isinstance(x.value, str) for x in items):
                        small[name] = tuple(str(x.value) for x in items)
                    elif digit_width(value) is not None:
                        digits.add(name)
                case ir.Assign(target=ir.Var(name=name), value=ir.Call(func=ir.Runtime(name="personnummer_checker"))):
                    checkers.add(name)
    keyed = key_sets(module) | tallied(module)
    consts = Constants(small, frozenset(digits), frozenset(checkers), keyed, _fast_forms(module))
    sections = tuple(
        replace(sec, body=tuple(_function(s, consts) if isinstance(s, ir.FunctionDef) else s for s in sec.body))
        for sec in module.sections
    )
    return replace(module, sections=sections)


def _function(f: ir.FunctionDef, consts: Constants) -> ir.FunctionDef:
    if COUNT in _names(f.body):
        return f
    body = tuple(_loop(_split_first(s, consts.fast), consts) if isinstance(s, ir.For) else s for s in f.body)
    return replace(f, body=body)


def _fast_forms(module: ir.Module) -> FastForms | None:
    """The test of a loop that finds a line's unknown values without ``forms`` (:class:`FastForms`), if any."""
    for sec in module.sections:
        for f in sec.body:
            if not isinstance(f, ir.FunctionDef):
                continue
            for loop in f.body:
                if not isinstance(loop, ir.For):
                    continue
                unpack = [
                    s.target.items
                    for s in loop.body
                    if isinstance(s, ir.Assign) and isinstance(s.target, ir.TupleLit) and isinstance(s.value, ir.Var)
                ]
                for node in ir.nodes(loop.body):
                    match node:
                        case ir.If(
                            test=test,
                            body=(ir.Assign(target=ir.Var() as u, value=ir.Lit(value=0)), *_),
                            orelse=(
                                ir.Assign(
                                    target=ir.TupleLit(items=(u2, *_)),
                                    value=ir.Call(func=ir.Var(name=forms), args=(ir.Var(),)),
                                ),
                                *_,
                            ),
                        ) if u == u2 and len(unpack) == 1:
                            names = tuple(x.name if isinstance(x, ir.Var) else "_" for x in unpack[0])
                            others = _names(test) - set(names)  # module constants only: nothing of the loop
                            if others & (set(_assigned(f)) | {p.name for p in f.params}):
                                return None
                            return FastForms(forms, test, names)
    return None


def _split_first(loop: ir.For, fast: FastForms | None) -> ir.For:
    """A loop that reads as far as a key to skip most lines (``_national``), as one that splits first.

    ::

        head = split_head(line, SEP, k + 1)                   parts = split(line, SEP)
        if len(head) <= k or TEST(head[k]): continue          if len(parts) != N: continue
        parts = split(line, SEP)                     ->       (..., v_k, ...) = parts
        if len(parts) != N: continue                          if TEST(v_k): continue
        (..., v_k, ...) = parts                               ...
        ...                                                   u = 0 if FAST else forms(parts)[0]

    The same lines are skipped (when ``len(parts) == N > k``, ``len(head) > k`` and ``head[k]`` is field
    ``k``), so :func:`_loop` reads the fields in place; and ``forms(parts)[0]``, the unknown values, is 0 where
    :class:`FastForms` says so (the loop unpacks the fields its test reads).  Anything else: unchanged.
    """
    body = loop.body
    line = ir.Var(loop.item)
    match body[:5]:
        case (
            ir.Assign(
                target=ir.Var() as head, value=ir.Intrinsic(name="split_head", args=(ln, sep, ir.Lit(value=int(k1))))
            ),
            ir.If(test=ir.BoolOp(op="or", values=(first, *tests)), body=(ir.Continue(),), orelse=()),
            ir.Assign(target=ir.Var() as parts, value=ir.Intrinsic(name="split", args=(ln2, sep2))),
            ir.If(
                test=ir.Compare(op="!=", left=ir.Intrinsic(name="len", args=(p2,)), right=ir.Lit(value=int(n))),
                body=(ir.Continue(),),
                orelse=(),
            ) as count,
            ir.Assign(target=ir.TupleLit(items=items), value=p3) as unpack,
        ) if ln == line == ln2 and sep == sep2 and p2 == parts == p3 and n == len(items) and 0 < k1 <= n:
            pass
        case _:
            return loop
    k = k1 - 1
    if first != ir.Compare("<=", ir.Intrinsic("len", (head,)), ir.Lit(k)):
        return loop
    key = items[k] if items[k] != ir.Var("_") else ir.Index(parts, ir.Lit(k))
    at_key = ir.Index(head, ir.Lit(k))
    uses = sum(1 for x in ir.nodes((tuple(tests), body[5:])) if x == head)
    if uses != sum(1 for x in ir.nodes((tuple(tests), body[5:])) if x == at_key) or head in ir.nodes(body[5:]):
        return loop  # head read otherwise than as head[k], or after the test
    skip = ir.If(ir.any_of(*(_replace(t, at_key, key) for t in tests)), (ir.Continue(),))
    if head in ir.nodes(skip):
        return loop
    rest = list(body[5:])
    names = [x.name if isinstance(x, ir.Var) else "_" for x in items]
    if fast is not None and len(fast.fields) == n:
        slow = ir.Index(ir.Call(ir.Var(fast.forms), (parts,)), ir.Lit(0))
        needed = {x.name for x in ir.nodes(fast.test) if isinstance(x, ir.Var)} & set(fast.fields)
        fits = all(names[j] in ("_", name) for j, name in enumerate(fast.fields) if name in needed)
        if fits and not (needed - set(names)) & _names(body):
            for i, s in enumerate(rest):
                if isinstance(s, ir.Assign) and s.value == slow:
                    rest[i] = replace(s, value=ir.IfExp(fast.test, ir.Lit(0), slow))
                    names = [name if name in needed else names[j] for j, name in enumerate(fast.fields)]
                    break
    unpack = replace(unpack, target=ir.TupleLit(tuple(ir.Var(x) for x in names)))
    return replace(loop, body=(body[2], count, unpack, skip, *rest))


def _replace(e: ir.Expr, old: ir.Expr, new: ir.Expr) -> ir.Expr:
    """``e`` with every ``old`` in it ``new`` (in the node kinds a skip test has)."""
    if e == old:
        return new
    match e:
        case ir.Compare(op=op, left=a, right=b):
            return ir.Compare(op, _replace(a, old, new), _replace(b, old, new))
        case ir.BoolOp(op=op, values=values):
            return ir.BoolOp(op, tuple(_replace(x, old, new) for x in values))
        case ir.Not(operand=o):
            return ir.Not(_replace(o, old, new))
    return e


def _names(node: object) -> set[str]:
    return {x.name for x in ir.nodes(node) if isinstance(x, ir.Var)}


def _assigned(node: object) -> Counter[str]:
    """How often each name is assigned below ``node`` (unpacking included)."""
    out: Counter[str] = Counter()
    for x in ir.nodes(node):
        match x:
            case ir.Assign(target=ir.Var(name=name)) | ir.AugAssign(target=ir.Var(name=name)):
                out[name] += 1
            case ir.Assign(target=ir.TupleLit(items=items)):
                out.update(v.name for v in items if isinstance(v, ir.Var))
            case ir.For(item=item, index=index):
                out[item] += 1
                if index is not None:
                    out[index] += 1
    return out


def _unconditional(s: ir.Stmt) -> object:
    """The part of a statement that runs whenever it runs (an ``if``'s test, not its branches)."""
    match s:
        case ir.If(test=t) | ir.Assign(value=ir.IfExp(test=t)):
            return t
        case ir.For(iterable=it):
            return it
    return s


def _whole_use(node: object, parts: ir.Var) -> bool:
    """``parts`` used below ``node`` other than by ``len(parts)`` or ``parts[k]``."""
    found = list(ir.nodes(node))
    reads = sum(
        1
        for x in found
        if (isinstance(x, ir.Intrinsic) and x.name == "len" and x.args == (parts,))
        or (isinstance(x, ir.Index) and x.value == parts and isinstance(x.index, ir.Lit))
    )
    return sum(1 for x in found if x == parts) > reads


def _loop(loop: ir.For, consts: Constants) -> ir.For:
    """The loop with its fields read in place, if it has the pattern (the module docstring); else unchanged."""
    body = loop.body
    line = ir.Var(loop.item)
    found = None
    for i, s in enumerate(body[:-2]):
        match s, body[i + 1], body[i + 2]:
            case (
                ir.Assign(target=ir.Var() as parts, value=ir.Intrinsic(name="split", args=(ir.Var() as ln, sep))),
                ir.If(test=ir.Compare(op="!=", left=ir.Intrinsic(name="len", args=(ir.Var() as p2,)), right=count)),
                ir.Assign(target=ir.TupleLit(items=items), value=ir.Var() as p3),
            ) if ln == line and p2 == parts and p3 == parts and count == ir.Lit(len(items)):
                found = (i, parts, sep, items)
                break
    if found is None:
        return loop
    i, parts, sep, items = found
    check = body[i + 1]
    assert isinstance(check, ir.If)
    n = len(items)
    fields = {v.name: k for k, v in enumerate(items) if isinstance(v, ir.Var) and v.name != "_"}
    assigned = _assigned(loop)
    if (
        n > 256
        or not check.body
        or not isinstance(check.body[-1], ir.Continue)
        or check.orelse
        or assigned[line.name] != 1
        or assigned[parts.name] != 1
        or any(assigned[name] != 1 for name in fields)
        or _names((*body[:i], check)) & set(fields)
        or _names(sep) & (set(fields) | {parts.name})
        or any(_whole_use(_unconditional(s), parts) for s in body[i + 3 :])
    ):
        return loop  # (a loop that needs the list on every line anyway, as _national's _forms(parts), splits)
    # a local used as a string at more than one place is made once; at one place, it is read there
    counting = _Lower(line, parts, sep, n, fields, consts)
    for s in body[i + 3 :]:
        counting.stmt(s)
    many = {name for name, k in counting.string_uses.items() if k > 1}
    taken = _names(loop)
    keys = {name: f"{name}_key" for name, k in counting.key_uses.items() if k > 1 and f"{name}_key" not in taken}
    lower = _Lower(line, parts, sep, n, fields, consts, many, keys)
    checked = lower.stmt(check)
    rest = [lower.stmt(s) for s in body[i + 3 :]]
    made = [ir.Assign(ir.Var(name), ir.FieldRead("str", line, fields[name])) for name in fields if name in many]
    made += [ir.Assign(ir.Var(keys[name]), ir.FieldRead("key", line, fields[name])) for name in fields if name in keys]
    scan = ir.Assign(ir.Var(COUNT), ir.LineFields(line, sep, n), note="where the fields lie: no string a field")
    return replace(loop, body=(*body[:i], scan, checked, *made, *rest))


class _Lower:
    """Rewrites the reads of one loop's field locals (and of its list of parts)."""

    def __init__(
        self,
        line: ir.Var,
        parts: ir.Var,
        sep: ir.Expr,
        count: int,
        fields: dict[str, int],
        consts: Constants,
        made: frozenset[str] | set[str] = frozenset(),
        keys: dict[str, str] | None = None,
    ) -> None:
        self.line, self.parts, self.sep, self.count = line, parts, sep, count
        self.fields, self.made = fields, made
        self.small, self.digits = consts.small, consts.digits
        self.checkers, self.keyed = consts.checkers, consts.keyed
        self.keys = keys or {}  # field local -> the local holding its key's number (made once a line)
        self.string_uses: Counter[str] = Counter()
        self.key_uses: Counter[str] = Counter()

    def read(self, op: ir.FieldOp, name: str, arg: str | tuple[int | None, int | None] | None = None) -> ir.Expr:
        return ir.FieldRead(op, self.line, self.fields[name], arg)

    def field(self, e: ir.Expr) -> str | None:
        return e.name if isinstance(e, ir.Var) and e.name in self.fields else None

    def key(self, e: ir.Expr) -> ir.KeyRead:
        """A field's value as the key of a key set or tally: the string and the number it is kept as."""
        name = str(self.field(e))
        self.key_uses[name] += 1
        code = ir.Var(self.keys[name]) if name in self.keys else self.read("key", name)
        return ir.KeyRead(code, self.expr(e))

    def eq(self, name: str, values: tuple[str, ...], negated: bool) -> ir.Expr:
        test = ir.any_of(*(self.read("empty" if v == "" else "eq", name, None if v == "" else v) for v in values))
        return ir.negate(test) if negated else test

    # expressions -------------------------------------------------------------
    def expr(self, e: ir.Expr) -> ir.Expr:
        match e:
            case ir.Compare(op="==" | "!=" as op, left=a, right=ir.Lit(value=str(v))) if self.field(a):
                return self.eq(str(self.field(a)), (v,), op == "!=")
            case ir.Compare(op="==" | "!=" as op, left=ir.Lit(value=str(v)), right=b) if self.field(b):
                return self.eq(str(self.field(b)), (v,), op == "!=")
            case ir.Compare(op="in" | "not in" as op, left=a, right=ir.TupleLit(items=items)) if self.field(a) and all(
                isinstance(x, ir.Lit) and isinstance(x.value, str) for x in items
            ):
                values = tuple(str(x.value) for x in items if isinstance(x, ir.Lit))
                return self.eq(str(self.field(a)), values, op == "not in")
            case ir.Compare(op="in" | "not in" as op, left=ir.Lit(value=str(v)) as x, right=ir.TupleLit(items=items)):
                test = ir.any_of(*(self.expr(ir.Compare("==", x, item)) for item in items))
                return ir.negate(test) if op == "not in" else test
            case ir.Compare(op="in" | "not in" as op, left=a, right=ir.Var(name=c)) if self.field(a) and (
                c in self.small or c in self.digits
            ):
                if c in self.small:
                    return self.eq(str(self.field(a)), self.small[c], op == "not in")
                test = self.read("in", str(self.field(a)), c)
                return ir.Not(test) if op == "not in" else test
            case ir.Compare(op="in" | "not in" as op, left=a, right=ir.Var(name=c) as b) if (
                self.field(a) and c in self.keyed
            ):
                return ir.Compare(op, self.key(a), b)
            case ir.Intrinsic(name="add" | "get" as name, args=(ir.Var(name=c) as m, a, *rest)) if (
                self.field(a) and c in self.keyed
            ):
                return ir.Intrinsic(name, (m, self.key(a), *(self.expr(x) for x in rest)))
            case ir.Index(value=ir.Var(name=c) as m, index=a) if self.field(a) and c in self.keyed:
                return ir.Index(m, self.key(a))
            case ir.Call(func=ir.Var(name=f), args=(a,)) if self.field(a) and f in self.checkers:
                return self.read("check", str(self.field(a)), f)
            case ir.Intrinsic(name="len", args=(a,)) if self.field(a):
                return self.read("len", str(self.field(a)))
            case ir.Intrinsic(name="len", args=(a,)) if a == self.parts:
                return ir.Var(COUNT)
            case ir.Intrinsic(name="is_digits", args=(a,)) if self.field(a):
                return self.read("digits", str(self.field(a)))
            case ir.Intrinsic(name="to_int", args=(a,)) if self.field(a):
                return self.read("int", str(self.field(a)))
            case ir.Intrinsic(name="to_count", args=(a,)) if self.field(a):
                return self.read("count", str(self.field(a)))
            case ir.Intrinsic(name="to_int", args=(ir.Slice(value=a, start=lo, stop=hi),)) if (
                self.field(a) and _bound(lo) and _bound(hi)
            ):
                return self.read("int", str(self.field(a)), (_int(lo), _int(hi)))
            case ir.Intrinsic(name="bits", args=args) if all(self.field(x) for x in args):
                return ir.Intrinsic("bits", tuple(self.read("code", str(self.field(x))) for x in args))
            case ir.Index(value=v, index=ir.Lit(value=int(k))) if v == self.parts and 0 <= k < self.count:
                return ir.FieldRead("str", self.line, k)
            case ir.Var(name=name) if name in self.fields:
                self.string_uses[name] += 1
                return e if name in self.made else self.read("str", name)
            case ir.Var() if e == self.parts:
                return ir.Intrinsic("split", (self.line, self.sep))
            case ir.Lit() | ir.Var() | ir.Runtime() | ir.SetLit() | ir.LineFields() | ir.FieldRead() | ir.KeyRead():
                return e
            case ir.TupleLit(items=items):
                return ir.TupleLit(tuple(self.expr(x) for x in items))
            case ir.DictLit(items=items):
                return ir.DictLit(tuple((k, self.expr(v)) for k, v in items))
            case ir.Compare(op=op, left=a, right=b):
                return ir.Compare(op, self.expr(a), self.expr(b))
            case ir.Between(low=lo, value=v, high=hi):
                return ir.Between(self.expr(lo), self.expr(v), self.expr(hi))
            case ir.BoolOp(op=op, values=values):
                return ir.BoolOp(op, tuple(self.expr(x) for x in values))
            case ir.Not(operand=o):
                inner = self.expr(o)
                return inner.operand if isinstance(inner, ir.Not) else ir.Not(inner)
            case ir.BinOp(op=op, left=a, right=b):
                return ir.BinOp(op, self.expr(a), self.expr(b))
            case ir.IfExp(test=t, then=a, orelse=b):
                return ir.IfExp(self.expr(t), self.expr(a), self.expr(b))
            case ir.Index(value=v, index=i):
                return ir.Index(self.expr(v), self.expr(i))
            case ir.Slice(value=v, start=lo, stop=hi):
                return ir.Slice(
                    self.expr(v), None if lo is None else self.expr(lo), None if hi is None else self.expr(hi)
                )
            case ir.Intrinsic(name=name, args=args):
                return ir.Intrinsic(name, tuple(self.expr(x) for x in args))
            case ir.Call(func=f, args=args):
                return ir.Call(f, tuple(self.expr(x) for x in args))
            case _:
                assert_never(e)

    # statements --------------------------------------------------------------
    def stmt(self, s: ir.Stmt) -> ir.Stmt:
        match s:
            case ir.Comment() | ir.Continue() | ir.Pass() | ir.FunctionDef():
                return s
            case ir.Assign(target=t, value=v):
                target = self.expr(t) if isinstance(t, ir.Index) else t
                assert isinstance(target, ir.Var | ir.Index | ir.TupleLit)
                return replace(s, target=target, value=self.expr(v))
            case ir.AugAssign(value=v):
                return replace(s, value=self.expr(v))
            case ir.ExprStmt(value=v):
                return replace(s, value=self.expr(v))
            case ir.If(test=t, body=b, orelse=o):
                return ir.If(self.expr(t), tuple(self.stmt(x) for x in b), tuple(self.stmt(x) for x in o))
            case ir.For(iterable=it, body=b):
                return replace(s, iterable=self.expr(it), body=tuple(self.stmt(x) for x in b))
            case ir.Return(value=v):
                return s if v is None else ir.Return(self.expr(v))
            case _:
                assert_never(s)


def _bound(e: ir.Expr | None) -> bool:
    return e is None or (isinstance(e, ir.Lit) and type(e.value) is int and e.value >= 0)


def _int(e: ir.Expr | None) -> int | None:
    return e.value if isinstance(e, ir.Lit) and type(e.value) is int else None
