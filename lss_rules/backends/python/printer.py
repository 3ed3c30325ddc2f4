"""The Python printer of the IR (:mod:`lss_rules.backends.validator.ir`): a module tree in, Python source out.

Every node has one way to print, chosen by ``match`` with ``assert_never``.  Long
lines are folded on structure, as a careful person would: a condition of several
parts gets one part a line inside parentheses, a long tuple or argument list
is packed into lines inside its brackets.  Literals are printed with ``repr``
(Python's own escaping); comments and docstrings are made printable and kept
on their lines, so no text reaches the source unescaped.

The printed source runs on Python 3.9 and later (no ``match``, no
``zip(strict=...)``, no ``X | Y`` types, no parenthesised context managers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import assert_never

from lss_rules.backends.python.intents import one_of, split_fields
from lss_rules.backends.validator import ir
from lss_rules.backends.validator.tables import wrapped

INDENT = "    "
WIDTH = 116  # generated lines stay under the project's 120 columns

# --------------------------------------------------------------------------- documents

# An expression prints to a document: text, a sequence of documents, or a group that
# prints flat when it fits and broken over lines (in brackets) when it does not.


@dataclass(frozen=True, slots=True)
class Group:
    """``open item sep item ... close``; broken: open, one line per item (or packed), close."""

    open: str
    items: tuple[Doc, ...]
    sep: str  # printed after each item but the last: ", " flat; "," or " and" when broken
    close: str
    broken_sep: str
    packed: bool = False  # broken: as many items a line as fit (tuples), else one a line (conditions)
    broken_open: str | None = None  # when the flat form has no brackets (``a and b``) the broken one adds them
    broken_close: str | None = None
    trailing: bool = False  # broken: a separator after the last item too (``a,`` in a tuple)
    flat_text: str | None = None  # the flat form, when it is not the items joined (a long string's pieces)
    # the flat form, made once from the items' own: render asks every level for it, and a condition nested
    # 60 deep made again at each level took 3.6 s to print (0.2 s so)
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = self.flat_text
        if text is None:
            text = self.open + self.sep.join(flat(i) for i in self.items) + self.close
        object.__setattr__(self, "text", text)


@dataclass(frozen=True, slots=True)
class Seq:
    parts: tuple[Doc, ...]
    text: str = field(init=False, repr=False, compare=False)  # the flat form, made once (as Group's)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", "".join(flat(p) for p in self.parts))


Doc = str | Group | Seq


def flat(d: Doc) -> str:
    match d:
        case str():
            return d
        case Seq() | Group():
            return d.text
        case _:
            assert_never(d)


def render(d: Doc, indent: str, first: str, trail: str) -> list[str]:
    """``first`` + the document + ``trail`` as lines, the continuation lines indented from ``indent``."""
    one = first + flat(d) + trail
    if len(one) <= WIDTH:
        return [one]
    match d:
        case str():
            return [one]
        case Seq(parts=parts):
            # break the longest part that can break; the parts around it stay on its first and last lines
            breakable = [i for i, p in enumerate(parts) if not isinstance(p, str)]
            if not breakable:
                return [one]
            at = max(breakable, key=lambda i: (len(flat(parts[i])), i))
            head = first + "".join(flat(p) for p in parts[:at])
            tail = "".join(flat(p) for p in parts[at + 1 :]) + trail
            return render(parts[at], indent, head, tail)
        case Group():
            inner = indent + INDENT
            opener = d.broken_open if d.broken_open is not None else d.open
            closer = d.broken_close if d.broken_close is not None else d.close
            lines = [first + opener]
            n = len(d.items)
            if d.packed:
                line = ""
                for i, item in enumerate(d.items):
                    sep = d.broken_sep if i < n - 1 or d.trailing else ""
                    piece = flat(item) + sep
                    if line and len(inner) + len(line) + 1 + len(piece) > WIDTH:
                        lines.append(inner + line)
                        line = ""
                    if not line and len(inner) + len(piece) > WIDTH:
                        lines += render(item, inner, inner, sep)
                        continue
                    line = f"{line} {piece}" if line else piece
                if line:
                    lines.append(inner + line)
            else:
                for i, item in enumerate(d.items):
                    sep = d.broken_sep if i < n - 1 or d.trailing else ""
                    lines += render(item, inner, inner, sep)
            lines.append(indent + closer + trail)
            return lines
        case _:
            assert_never(d)


# --------------------------------------------------------------------------- expressions

# precedence, loosest first (Python's own order)
P_IFEXP, P_OR, P_AND, P_NOT, P_CMP, P_BOR, P_BAND, P_ADD, P_ATOM = range(9)


def _paren(d: Doc, inner: int, outer: int) -> Doc:
    """``d`` in parentheses when its own precedence is looser than the place it stands."""
    if inner >= outer:
        return d
    if isinstance(d, Group) and d.broken_open is not None:  # a bare condition: its brackets become real
        return Group("(" + d.open, d.items, d.sep, d.close + ")", d.broken_sep, d.packed, "(", ")", d.trailing)
    return Group("(", (d,), "", ")", "")


def _items(open_: str, items: tuple[Doc, ...], close: str, one: bool = False) -> Group:
    """A bracketed, comma-separated list; ``one``: a one-item tuple keeps its comma."""
    if one and len(items) == 1:
        return Group(open_, (Seq((items[0], ",")),), ", ", close, ",", packed=True)
    return Group(open_, items, ", ", close, ",", packed=True, trailing=True)


class Printer:
    """Prints one module; records what the source needs (``sys`` for ``intern``, runtime names it prints)."""

    def __init__(self) -> None:
        self.needs_sys = False
        self.needs_count = False  # the module calls the runtime's count_value (imported)
        self.needs_findings = False  # the module makes the runtime's RawFindings (imported)

    # expressions -------------------------------------------------------------
    def expr(self, e: ir.Expr, outer: int = P_IFEXP) -> Doc:
        d, prec = self._expr(e)
        return _paren(d, prec, outer)

    def _expr(self, e: ir.Expr) -> tuple[Doc, int]:
        match e:
            case ir.Lit(value=str(v)) if len(v) > 60:
                # a long text: broken, its pieces one a line (implicit concatenation inside brackets)
                pieces = tuple(repr(piece) for piece in _pieces(v, 60))
                group = Group("", pieces, "", "", "", broken_open="(", broken_close=")", flat_text=repr(v))
                return group, P_ATOM
            case ir.Lit(value=v):
                return repr(v), P_ATOM
            case ir.TupleLit(items=items):
                return _items("(", tuple(self.expr(i) for i in items), ")", one=True), P_ATOM
            case ir.SetLit(items=items):
                if not items:
                    return "frozenset()", P_ATOM
                return _items("frozenset({", tuple(self.expr(i) for i in items), "})"), P_ATOM
            case ir.DictLit(items=items):
                pairs = tuple(Seq((self.expr(k), ": ", self.expr(v))) for k, v in items)
                return _items("{", pairs, "}"), P_ATOM
            case ir.Var(name=name) | ir.Runtime(name=name):
                return name, P_ATOM
            case ir.Compare(op=op, left=a, right=b):
                return Seq((self.expr(a, P_BOR), f" {op} ", self.expr(b, P_BOR))), P_CMP
            case ir.Between(low=lo, value=v, high=hi):
                return Seq((self.expr(lo, P_BOR), " <= ", self.expr(v, P_BOR), " <= ", self.expr(hi, P_BOR))), P_CMP
            case ir.BoolOp(op=op, values=values):
                # ``is_digits`` prints as an ``and`` itself: no brackets needed inside another ``and``;
                # an ``and`` inside an ``or`` gets brackets, so the reader need not know which binds tighter
                parts = tuple(
                    self.expr(
                        v, P_AND if op == "and" and isinstance(v, ir.Intrinsic) and v.name == "is_digits" else P_NOT
                    )
                    for v in values
                )
                prec = P_AND if op == "and" else P_OR
                return Group("", parts, f" {op} ", "", f" {op}", broken_open="(", broken_close=")"), prec
            case ir.Not(operand=ir.OneOf() as o):
                return self._expr(one_of(o, negated=True))
            case ir.Not(operand=o):
                return Seq(("not ", self.expr(o, P_NOT))), P_NOT
            case ir.BinOp(op="+" | "++" | "|") if isinstance(e.left, ir.BinOp) and e.left.op == e.op:
                terms: list[ir.Expr] = []
                node: ir.Expr = e
                while isinstance(node, ir.BinOp) and node.op == e.op:
                    terms.insert(0, node.right)
                    node = node.left
                terms.insert(0, node)
                prec = P_BOR if e.op == "|" else P_ADD
                sym = "|" if e.op == "|" else "+"
                parts = tuple(self.expr(t, prec + 1) for t in terms)
                # bits of a mask pack a line full; terms of a sum one a line
                packed = e.op == "|"
                return (
                    Group("", parts, f" {sym} ", "", f" {sym}", packed=packed, broken_open="(", broken_close=")"),
                    prec,
                )
            case ir.BinOp(op=op, left=a, right=b):
                prec = {"+": P_ADD, "-": P_ADD, "++": P_ADD, "|": P_BOR, "&": P_BAND}[op]
                sym = "+" if op == "++" else op
                return Seq((self.expr(a, prec), f" {sym} ", self.expr(b, prec + 1))), prec
            case ir.IfExp(test=t, then=a, orelse=b):
                return Seq((self.expr(a, P_OR), " if ", self.expr(t, P_OR), " else ", self.expr(b, P_IFEXP))), P_IFEXP
            case ir.Index(value=v, index=i):
                return Seq((self.expr(v, P_ATOM), "[", self.expr(i), "]")), P_ATOM
            case ir.Slice(value=v, start=lo, stop=hi):
                start = "" if lo is None else flat(self.expr(lo, P_ADD))
                stop = "" if hi is None else flat(self.expr(hi, P_ADD))
                # black's style: a complex bound gets spaces around the colon, an omitted one none
                complex_ = any(x is not None and not isinstance(x, ir.Lit | ir.Var) for x in (lo, hi))
                sep = ":" if not complex_ else (" :" if hi is None else ": " if lo is None else " : ")
                return Seq((self.expr(v, P_ATOM), f"[{start}{sep}{stop}]")), P_ATOM
            case ir.Call(func=f, args=args):
                name = f.name
                return _items(f"{name}(", tuple(self.expr(a) for a in args), ")"), P_ATOM
            case ir.Intrinsic():
                return self._intrinsic(e)
            case ir.OneOf():
                return self._expr(one_of(e))
            case ir.Test(test=t):
                return self._expr(t)  # in place: a call a line costs more than the test in CPython
            case _:
                assert_never(e)

    def _intrinsic(self, e: ir.Intrinsic) -> tuple[Doc, int]:
        args = e.args
        match e.name:
            case "len":
                return Seq(("len(", self.expr(args[0]), ")")), P_ATOM
            case "is_digits":
                v = flat(self.expr(args[0], P_ATOM))
                return Seq((f"{v}.isdigit() and {v}.isascii()",)), P_AND
            case "to_int":
                return Seq(("int(", self.expr(args[0]), ")")), P_ATOM
            case "to_count":
                self.needs_count = True  # the runtime's, never int() of a value of unbounded length
                return Seq(("count_value(", self.expr(args[0]), ")")), P_ATOM
            case "split":
                return Seq((self.expr(args[0], P_ATOM), ".split(", self.expr(args[1]), ")")), P_ATOM
            case "split_head":
                return Seq(
                    (self.expr(args[0], P_ATOM), ".split(", self.expr(args[1]), ", ", self.expr(args[2]), ")")
                ), P_ATOM
            case "bits":
                digits = _items("''.join((", tuple(self.expr(a) for a in args), ")), 2)")
                return Seq(("int(", digits)), P_ATOM
            case "truth":
                return _paren(self.expr(args[0]), P_CMP, P_ATOM), P_ATOM
            case "get":
                rest: tuple[Doc, ...] = () if args[2] == ir.Lit(None) else (", ", self.expr(args[2]))
                return Seq((self.expr(args[0], P_ATOM), ".get(", self.expr(args[1]), *rest, ")")), P_ATOM
            case "append":
                return Seq((self.expr(args[0], P_ATOM), ".append(", self.expr(args[1]), ")")), P_ATOM
            case "or_into":  # a statement: m[k] = m.get(k, 0) | bits
                m, key, bits = self.expr(args[0], P_ATOM), self.expr(args[1]), self.expr(args[2], P_BOR + 1)
                got = Seq((m, ".get(", key, ", 0) | ", bits))
                return Seq((m, "[", key, "] = ", got)), P_IFEXP
            case "put":  # a statement: m[k] = v
                return Seq((self.expr(args[0], P_ATOM), "[", self.expr(args[1]), "] = ", self.expr(args[2]))), P_IFEXP
            case "new_set":
                return "set()", P_ATOM
            case "new_key_map" | "new_tally":
                # a dict, never sized (the lines or files the IR names as its keys' source are only a hint)
                return "{}", P_ATOM
            case "new_list":
                return "[]", P_ATOM
            case "new_findings":
                self.needs_findings = True
                return "RawFindings()", P_ATOM
            case "list_of":
                return Seq(("list(", self.expr(args[0]), ")")), P_ATOM
            case "intern":
                self.needs_sys = True
                return Seq(("sys.intern(", self.expr(args[0]), ")")), P_ATOM
            case _:
                assert_never(e.name)

    # statements ---------------------------------------------------------------
    def stmts(self, body: tuple[ir.Stmt, ...], indent: str) -> list[str]:
        out: list[str] = []
        for s in body:
            out += self.stmt(s, indent)
        return out

    def stmt(self, s: ir.Stmt, indent: str) -> list[str]:
        match s:
            case ir.Comment(text=text):
                return [f"{indent}# {piece}" for piece in wrapped(comment_text(text), WIDTH - len(indent) - 2) or [""]]
            case ir.Assign(target=t, value=v, note=note):
                doc = Seq((self._target(t), " = ", self.expr(v)))
                if note is None:
                    return render(doc, indent, indent, "")
                trail = f"  # {comment_text(note)}"
                if len(indent) + len(flat(doc)) + len(trail) <= WIDTH:
                    return render(doc, indent, indent, trail)
                return [*self.stmt(ir.Comment(note), indent), *render(doc, indent, indent, "")]
            case ir.AugAssign(target=t, op=op, value=v):
                sym = "+" if op == "++" else op
                return render(self.expr(v), indent, f"{indent}{t.name} {sym}= ", "")
            case ir.ExprStmt(value=v, note=note):
                trail = "" if note is None else f"  # {comment_text(note)}"
                return render(self.expr(v), indent, indent, trail)
            case ir.If():
                return self._if(s, indent, "if")
            case ir.For(item=item, iterable=it, body=body, index=index, start=start):
                if index is None:
                    head = f"{indent}for {item} in "
                    lines = render(self.expr(it), indent, head, ":")
                else:
                    loop = flat(self.expr(it))
                    counted = f"enumerate({loop}, {start!r})" if start else f"enumerate({loop})"
                    lines = [f"{indent}for {index}, {item} in {counted}:"]
                return lines + self._block(body, indent + INDENT)
            case ir.Return(value=v):
                if v is None:
                    return [f"{indent}return"]
                return render(self.expr(v), indent, f"{indent}return ", "")
            case ir.Continue():
                return [f"{indent}continue"]
            case ir.Pass():
                return [f"{indent}pass"]
            case ir.ReadFields():
                return self.stmts(split_fields(s), indent)
            case ir.Block(body=b):
                return self.stmts(b, indent)  # in place: a call a line costs more than the block in CPython
            case ir.FunctionDef(name=name, params=params, body=body, doc=doc):
                ps = tuple(p.name if p.default is None else f"{p.name}={flat(self.expr(p.default))}" for p in params)
                lines = render(_items("(", ps, ")"), indent, f"{indent}def {name}", ":")
                inner = indent + INDENT
                if doc is not None:
                    lines += docstring(doc, inner)
                return lines + self._block(body, inner)
            case _:
                assert_never(s)

    def _block(self, body: tuple[ir.Stmt, ...], indent: str) -> list[str]:
        lines = self.stmts(body, indent)
        return lines if any(not ln.lstrip().startswith("#") for ln in lines) else [*lines, f"{indent}pass"]

    def _target(self, t: ir.Var | ir.Index | ir.TupleLit) -> Doc:
        if isinstance(t, ir.TupleLit):
            names = tuple(self.expr(i) for i in t.items)
            return Group("", names, ", ", "", ",", packed=True, broken_open="(", broken_close=")", trailing=True)
        return self.expr(t)

    def _if(self, s: ir.If, indent: str, keyword: str) -> list[str]:
        lines = render(self._condition(s.test), indent, f"{indent}{keyword} ", ":")
        lines += self._block(s.body, indent + INDENT)
        if len(s.orelse) == 1 and isinstance(s.orelse[0], ir.If):
            lines += self._if(s.orelse[0], indent, "elif")
        elif s.orelse:
            lines.append(f"{indent}else:")
            lines += self._block(s.orelse, indent + INDENT)
        return lines

    def _condition(self, test: ir.Expr) -> Doc:
        return self.expr(test)


# --------------------------------------------------------------------------- text


def _pieces(text: str, width: int) -> list[str]:
    """``text`` cut before spaces into pieces of about ``width`` characters (joined, they are ``text``)."""
    out, cur = [], ""
    for word in text.split(" "):
        piece = word if not cur else " " + word
        if cur and len(cur) + len(piece) > width:
            out.append(cur)
            cur = " " + word
        else:
            cur += piece
    return [*out, cur]


def comment_text(text: str) -> str:
    """Text safe in a ``#`` comment: one line, every unprintable character escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def docstring(doc: str, indent: str) -> list[str]:
    """A docstring: triple quotes when the text is plain, else a ``repr`` string (always a literal)."""
    lines = doc.split("\n")
    plain = all(ln == comment_text(ln) for ln in lines) and '"""' not in doc and "\\" not in doc
    if not plain or doc.endswith('"'):
        return [f"{indent}{doc!r}"]
    if len(lines) == 1:
        return [f'{indent}"""{doc}"""']
    body = [f"{indent}{ln}" if ln else "" for ln in lines[1:]]
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


def walk(module: ir.Module) -> Iterator[ir.Stmt]:
    """Every statement of a module, nested ones included."""
    stack: list[ir.Stmt] = [s for sec in module.sections for s in sec.body]
    while stack:
        s = stack.pop(0)
        yield s
        match s:
            case ir.If(body=b, orelse=o):
                stack[:0] = [*b, *o]
            case ir.For(body=b) | ir.FunctionDef(body=b):
                stack[:0] = list(b)
            case ir.ReadFields(wrong=w, body=b):
                stack[:0] = [*w, *b]
            case ir.Block(body=b):
                stack[:0] = list(b)


# the first statement of every module: a one-line Swedish message and exit code 2 on a Python older than 3.9
# (written so that even old interpreters can compile the module this far)
VERSION_GUARD = (
    "if sys.version_info < (3, 9):  # noqa: UP036 (the module runs on other interpreters than lss-rules)",
    f"{INDENT}sys.stderr.write(",
    f'{INDENT * 2}"fel: valideraren kräver Python 3.9 eller senare, "',
    f'{INDENT * 2}f"den här är {{sys.version_info[0]}}.{{sys.version_info[1]}}; kör den med en nyare python3\\n"',
    f"{INDENT})",
    f"{INDENT}sys.exit(2)",
)


def to_source(module: ir.Module, runtime: str | None = None) -> str:
    """The module as Python source.

    ``runtime``: the runtime's own source, to embed (a standalone module); None imports the
    names of ``module.imports`` from :mod:`lss_rules.runtime.python`.
    """
    p = Printer()
    body: list[str] = []
    for sec in module.sections:
        body += ["", "", rule_line(sec.title), ""]
        for i, s in enumerate(sec.body):
            if isinstance(s, ir.FunctionDef) and i > 0:
                body += ["", ""]
            body += p.stmt(s, "")
    out = [f"# {comment_text(h)}" for h in module.header]
    out += docstring(module.doc, "")
    out += ["", "import sys", "", *VERSION_GUARD]
    if runtime is not None:
        out += ["", "", rule_line("the runtime (lss_rules/runtime/python.py, embedded)"), ""]
        out += _without_docstring(runtime).rstrip("\n").splitlines()
    elif module.imports:
        out.append("")
        needed = (("count_value",) if p.needs_count else ()) + (("RawFindings",) if p.needs_findings else ())
        imported = sorted({*module.imports, *needed})
        names = Group("(", tuple(imported), ", ", ")", ",", trailing=True)
        out += render(names, "", "from lss_rules.runtime.python import ", "")
    if module.exports:
        listed = _items("(", tuple(repr(x) for x in sorted(module.exports, key=_isort_key)), ")")
        out += ["", *render(listed, "", "__all__ = ", "")]
    out += body
    if module.main is not None:
        out += ["", "", 'if __name__ == "__main__":', f"{INDENT}sys.exit({module.main}())"]
    return "\n".join(out) + "\n"


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then the rest (the order isort and ruff keep ``__all__`` in)."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def rule_line(title: str) -> str:
    """``# ------- title``: a section's first line."""
    text = comment_text(title)
    return f"# {'-' * max(3, min(75, WIDTH - 3 - len(text)))} {text}"


def _without_docstring(source: str) -> str:
    """A module's source without its leading docstring (the embedding module has its own)."""
    stripped = source.lstrip()
    for quote in ('"""', "'''"):
        if stripped.startswith(quote):
            end = stripped.index(quote, 3) + 3
            return stripped[end:].lstrip("\n")
    return source
