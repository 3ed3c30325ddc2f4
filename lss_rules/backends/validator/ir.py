"""The IR of generated code: statements and expressions a printer turns into source.

A code-generating backend builds its output in two steps:

1. *lowering to the IR* — :mod:`lss_rules.backends.validator.lower` turns a year model
   into a :class:`Module` of these frozen nodes: which fields are read, in what
   order the rules run, how a value's absence guards a comparison;
2. *printing* — a printer turns the :class:`Module` into source text of one
   language: :mod:`lss_rules.backends.python.printer` prints Python; a JavaScript
   printer (ES module) prints the same tree.

So nothing edits generated text: negation (:func:`negate`), conjunction
(:func:`all_of`, :func:`any_of`) and line folding all work on structure.

One closed family of node types in one module (past 500 lines): every printer matches it exhaustively
(``assert_never``), and the family is read best whole.

The node set is small and closed on purpose, so that every printer handles
every node (``match`` + ``assert_never``):

- values are scalars (:class:`Lit`), tuples (:class:`TupleLit`), frozen sets
  (:class:`SetLit`) and dicts (:class:`DictLit`) of literals, names
  (:class:`Var`) and the functions of the runtime (:class:`Runtime`);
- operations with a meaning in every target language are nodes of their own
  (:class:`Compare`, :class:`BoolOp`, :class:`Not`, :class:`BinOp`,
  :class:`Between`, :class:`IfExp`, :class:`Index`, :class:`Slice`);
- the few string and collection operations generated code needs are
  :class:`Intrinsic` calls with a fixed :data:`IntrinsicName`: a printer maps
  each to its language (``is_digits`` is ``v.isdigit() and v.isascii()`` in
  Python, ``/^[0-9]+$/.test(v)`` in JavaScript);
- what the lowering means is said, not left to be read from a shape: "read the fields of this line"
  (:class:`ReadFields`) and "this value is one of these codes" (:class:`OneOf`) are nodes, and every
  local and constant is declared with what it holds (:class:`Local`, a closed :data:`LocalKind`: a key
  set, a tally, a field of the line, ...).  Each printer chooses how (Python splits
  and unpacks; JavaScript reads a field by char code where it lies) and no node is one target's alone;
- everything else generated code calls is a function of the *runtime*, named in
  :data:`RUNTIME_API` (:class:`Runtime`): the Python runtime is
  :mod:`lss_rules.runtime.python`; a JavaScript runtime provides the same names.

Nothing from the spec reaches a printer except as a :class:`Lit` value (which
every printer escapes), a :class:`Comment` text (which every printer makes
safe: one line, no comment terminator) or a :class:`Var` name made by the
backend (:func:`ident`): a printer never pastes spec text into source.

Values are the ones of the records: field values are strings (``""`` when
empty); numbers are ints; the truth of a condition is a bool.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

# --------------------------------------------------------------------------- the runtime API

#: The names generated code may use from the runtime (:class:`Runtime`), with what each is.
#: The Python runtime is :mod:`lss_rules.runtime.python`; another language's runtime provides the same names.
RUNTIME_API: dict[str, str] = {
    "iter_lines": "iter_lines(path, found) -> the decoded lines of a regular file (an iterable of str, without line "
    "ends; InputError for anything else); found: the run's findings (new_findings), kept within their bound",
    "file_state": "file_state(path) -> what read_again needs to read the file again, or None (no regular file)",
    "read_again": "read_again(path, state, found) -> the lines again; InputError if the file changed",
    "tally": "tally(here, seen, shared): merge one file's key -> bits into seen; keys set in two files into shared",
    "keep_first_lines": "keep_first_lines(found, rule, fi, first_lines): at the end of file fi, the line each key of "
    "the file's listed findings of the file-unique rule was first judged on (key_map), kept for --explain",
    "personnummer_checker": "personnummer_checker(reference_date) -> a function pnr -> bool (valid personnummer)",
    "dead_by": "dead_by(deceased, reference_date) -> the set of personnummer dead on or before the date",
    "layout_order": "layout_order(names, fields) -> names sorted by their place in the tuple fields",
    "fields_with_bits": "fields_with_bits(slots, bits) -> the names of slots (name, bit) with bit 0 or set in bits",
    "build_report": "build_report(year, paths, records, findings, rules, not_checked, show, lazy, spec, hints, "
    "details) -> the report",
    "spec_object": "spec_object(path, digest) -> the report's spec: the spec folder (None: installed) and its sha256",
    "hints_of": "hints_of(paths, separator, fields, lang) -> the whole-file hints of each file (a list per file)",
    "run_main": "run_main(argv, year, prog, report, titles, notes, titles_en, notes_en) -> exit code: the command "
    "line of a validator",
    "make_date": "make_date(year, month, day) -> a date (compared with the dates of read_deceased)",
    "read_deceased": "read_deceased(path) -> personnummer -> date of death (the command line reads --deceased)",
    "InputError": "the exception of an input that cannot be read (exit code 2)",
    "emit": "emit(report, fmt, titles, notes): write the report as text or JSON to standard output",
    "exit_code": "exit_code(report, strict) -> 0 accepted, 1 rejected (warnings too when strict)",
}

# --------------------------------------------------------------------------- names


def ident(prefix: str, name: str) -> str:
    """A safe identifier for a name from the spec: ``prefix`` + the name's word characters.

    Valid in Python and in JavaScript (ASCII letters, digits and ``_``; not a keyword of either).
    """
    body = re.sub(r"[^0-9A-Za-z_]", "_", name)
    out = f"{prefix}{body}"
    if not out.isidentifier() or keyword.iskeyword(out) or out in _JS_RESERVED:
        out = f"{prefix}_{body}"
    assert out.isidentifier() and not keyword.iskeyword(out) and out not in _JS_RESERVED, out
    return out


# the reserved words of JavaScript (ES2015 and later, strict mode): no identifier of a generated module is one
_JS_RESERVED = frozenset(
    (
        *("arguments", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default"),
        *("delete", "do", "else", "enum", "eval", "export", "extends", "false", "finally", "for", "function"),
        *("if", "implements", "import", "in", "instanceof", "interface", "let", "new", "null", "package"),
        *("private", "protected", "public", "return", "static", "super", "switch", "this", "throw", "true"),
        *("try", "typeof", "var", "void", "while", "with", "yield"),
    )
)

# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Lit:
    """A scalar literal: an int, a str, a bool or None (``null``)."""

    value: int | str | bool | None


@dataclass(frozen=True, slots=True)
class TupleLit:
    """A fixed sequence (Python tuple, JavaScript array)."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class SetLit:
    """A frozen set of literals (Python ``frozenset``, JavaScript ``Set``); printed sorted as given."""

    items: tuple[Lit, ...]


@dataclass(frozen=True, slots=True)
class DictLit:
    """A mapping from literal keys to values, in the order given (``{}`` when empty: a fresh, mutable map)."""

    items: tuple[tuple[Lit, Expr], ...]


@dataclass(frozen=True, slots=True)
class Var:
    """A name the backend made: a local, a parameter, a module constant or a generated function."""

    name: str


@dataclass(frozen=True, slots=True)
class Runtime:
    """A function of the runtime (one of :data:`RUNTIME_API`)."""

    name: str

    def __post_init__(self) -> None:
        assert self.name in RUNTIME_API, self.name


CompareOp: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"]


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right``.  ``in`` tests membership in a TupleLit, a SetLit, a set or a dict (its keys).

    ``is`` / ``is not`` compare with ``Lit(None)`` only.
    """

    op: CompareOp
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Between:
    """``low <= value <= high`` (every part an int; ``value`` free of side effects)."""

    low: Expr
    value: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class BoolOp:
    """``a and b and ...`` / ``a or b or ...``: short-circuit, left to right, two or more operands."""

    op: Literal["and", "or"]
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


BinOpName: TypeAlias = Literal["+", "-", "|", "&", "++"]


@dataclass(frozen=True, slots=True)
class BinOp:
    """Arithmetic on ints (``+ - | &``); ``++`` concatenates two tuples (a new tuple)."""

    op: BinOpName
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class IfExp:
    """``then if test else orelse``."""

    test: Expr
    then: Expr
    orelse: Expr


@dataclass(frozen=True, slots=True)
class Index:
    """``value[index]``: an item of a tuple/list (int index) or of a dict (missing key: an error)."""

    value: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Slice:
    """``value[start:stop]`` of a string (either end may be None)."""

    value: Expr
    start: Expr | None
    stop: Expr | None


IntrinsicName: TypeAlias = Literal[
    "len",  # len(s): the length of a string or a sequence
    "is_digits",  # is_digits(s): s is one or more ASCII digits 0-9
    "to_int",  # to_int(s): the int of a short string of ASCII digits (a code, a year: never a count's value)
    "to_count",  # to_count(s): a count field's number, min(int(s), COUNT_CAP), of ASCII digits of any length
    "split",  # split(s, sep): the list of pieces of s between separators
    "split_head",  # split_head(s, sep, n): at most n+1 pieces (the last one the rest of s)
    "bits",  # bits(a, b, ...): the int whose binary digits are the strings a, b, ... ('0'/'1' each)
    "truth",  # truth(b): 1 if b else 0 (a bool counted)
    "get",  # get(map, key, default): map's value for key, else default
    "append",  # append(list, item): add item at the end (statement use)
    "or_into",  # or_into(tally, key, bits): tally[key] = get(tally, key, 0) | bits (statement use)
    "put",  # put(key_map, key, value): key_map[key] = value (statement use)
    "new_set",  # new_set(): an empty mutable set
    "new_key_map",  # new_key_map(lines): an empty map of keys (personnummer) -> the line each was first judged on,
    # only tested (``in``), put into and read (``get``); ``lines``: the file whose keys it will hold (a printer
    # may size the map for them: see "new_tally")
    "new_tally",  # new_tally([source]): an empty tally (key -> bits, ORed into with or_into, read with get/in, merged
    # by tally); ``source``, if given: the lines of the file (iter_lines) or the list of files whose keys it will hold,
    # so that a printer whose maps grow by rehashing may size it for them (a hint: the map is empty all the same)
    "new_list",  # new_list(): an empty list
    "new_findings",  # new_findings(): an empty list of raw findings, the first LISTED per rule and file kept, the
    # others counted (the runtime's RawFindings, Findings); a printer may store them compactly
    "list_of",  # list_of(iterable): a new list of its items
    "intern",  # intern(s): one shared copy of a string (may be the identity)
]

INTRINSICS: tuple[str, ...] = IntrinsicName.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Intrinsic:
    """One of the few operations of :data:`IntrinsicName`, written by each printer in its language."""

    name: IntrinsicName
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a generated function (:class:`Var`), a runtime function (:class:`Runtime`) or a callable local."""

    func: Var | Runtime
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class OneOf:
    """``value`` is one of the strings ``codes`` (a field's valid codes, the values a condition names).

    ``table``: the module constant that holds the same strings as a :class:`SetLit`, when there is one (a
    printer may test against it by name).  The intent, not a shape: each printer chooses how (Python ``==``
    or ``in``; JavaScript, for a field where it lies, its length and char codes or a ``DigitSet``).
    """

    value: Expr
    codes: tuple[str, ...]
    table: Var | None = None


@dataclass(frozen=True, slots=True)
class Test:
    """A condition with no effect, named by what it tests: a printer may print it in place (Python) or as a
    function of its own that returns it (JavaScript: a long test left inline keeps its function too big for
    V8 to optimise early, see :class:`Block`)."""

    title: str
    test: Expr


Expr: TypeAlias = (
    Lit
    | TupleLit
    | SetLit
    | DictLit
    | Var
    | Runtime
    | Compare
    | Between
    | BoolOp
    | Not
    | BinOp
    | IfExp
    | Index
    | Slice
    | Intrinsic
    | Call
    | OneOf
    | Test
)

TRUE = Lit(True)
FALSE = Lit(False)

# --------------------------------------------------------------------------- statements


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment line (one line of plain text; printers make it safe for their comment syntax)."""

    text: str


@dataclass(frozen=True, slots=True)
class Assign:
    """``target = value``; a TupleLit of Vars as target unpacks a sequence (``Var("_")`` ignores an item).

    ``note``: a comment at the end of the line.
    """

    target: Var | Index | TupleLit
    value: Expr
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AugAssign:
    """``target op= value`` (``++`` appends a tuple to a tuple)."""

    target: Var
    op: BinOpName
    value: Expr


@dataclass(frozen=True, slots=True)
class ExprStmt:
    """An expression for its effect (an ``append``, a call)."""

    value: Expr
    note: str | None = None


@dataclass(frozen=True, slots=True)
class If:
    """``if test: body else: orelse`` (an ``orelse`` of one If prints as ``elif``)."""

    test: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()


@dataclass(frozen=True, slots=True)
class For:
    """``for item in iterable``; with ``index``, also the item's number counted from ``start``."""

    item: str
    iterable: Expr
    body: tuple[Stmt, ...]
    index: str | None = None
    start: int = 0


@dataclass(frozen=True, slots=True)
class Return:
    value: Expr | None = None


@dataclass(frozen=True, slots=True)
class Continue:
    pass


@dataclass(frozen=True, slots=True)
class Pass:
    pass


@dataclass(frozen=True, slots=True)
class ReadFields:
    """Read the fields of ``line`` (the pieces between separators ``sep``) and run ``body`` with them.

    The intent, not a shape: each printer chooses how (Python splits the line and unpacks the pieces;
    JavaScript notes where each field lies and reads it there, by char code, making no string it need not).
    ``fields``: the locals (kind ``field``) that hold the pieces in order, ``Var("_")`` for one not read;
    ``wrong``: what runs on a line with another number of pieces (it ends in :class:`Continue`), where
    ``pieces`` is the only name of the line's pieces (``len(pieces)``, ``pieces[k]``); ``pieces`` (kind
    ``pieces``) is the list of the pieces in ``body`` too (``_forms(pieces)``).  ``skip``: a test of one field
    under which the line is skipped (``continue``) before ``body`` (``wrong`` is then only ``continue``): a
    printer may test it reading no further than that field.
    """

    line: Var
    sep: Expr
    pieces: Var
    fields: tuple[Var, ...]
    wrong: tuple[Stmt, ...]
    body: tuple[Stmt, ...]
    skip: Expr | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A part of a function's work that leaves it only at its end and assigns only the locals it declares.

    It calls, appends (findings), adds to sets and ORs into tallies; it neither continues, returns nor loops,
    and assigns no local but ``gives`` (the one whose value the statements after it read) and ``sets`` (its
    scratch: locals no statement after it reads before assigning them again).  A printer may print it in
    place (Python: a call costs there) or as a function of its own that takes the locals it reads and returns
    ``gives`` (JavaScript: V8 optimises a small function early, a giant one late or never in a first run).
    ``title``: what it does (a comment).
    """

    title: str
    body: tuple[Stmt, ...]
    gives: str | None = None
    sets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        own = {*self.sets, *(() if self.gives is None else (self.gives,))}
        for node in nodes(self.body):
            match node:
                case Assign(target=Var(name=x)) | AugAssign(target=Var(name=x)) if x in own:
                    continue
                case Assign(target=Var() | TupleLit()) | AugAssign() | Continue() | Return() | For() | ReadFields():
                    raise AssertionError(f"a Block may not assign (but its own), continue, return or loop: {node}")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    default: Expr | None = None


#: what a local or a module constant holds, as the lowering made it (a printer picks a native form by it):
LocalKind: TypeAlias = Literal[
    "str",  # a string
    "int",  # an int (a bit mask, a count, a line number)
    "bool",  # a truth
    "field",  # a field of the line :class:`ReadFields` reads (a string)
    "pieces",  # the pieces of a line (a list of strings; ReadFields's ``pieces``)
    "list",  # a tuple or a list
    "set",  # a set (of strings); may be None where the code tests ``is None`` first
    "key_map",  # new_key_map(): keys -> a line number, only tested (``in``), put into and read
    "map",  # a dict
    "tally",  # new_tally(): key -> bits
    "findings",  # new_findings()
    "checker",  # personnummer_checker(...): a function of one personnummer
    "value",  # anything else (a value or None, the lines of a file, a path)
]

LOCAL_KINDS: tuple[str, ...] = LocalKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Local:
    """A name the lowering made, with what it holds (:data:`LocalKind`)."""

    name: str
    kind: LocalKind


@dataclass(frozen=True, slots=True)
class FunctionDef:
    """A function of the module; ``doc``: its documentation (plain text, several lines allowed).

    ``locals``: the kind of every parameter and local of the function (its names assigned, unpacked or
    looped over; :func:`declared` checks them).
    """

    name: str
    params: tuple[Param, ...]
    body: tuple[Stmt, ...]
    doc: str | None = None
    locals: tuple[Local, ...] = ()


Stmt: TypeAlias = (
    Comment | Assign | AugAssign | ExprStmt | If | For | Return | Continue | Pass | ReadFields | Block | FunctionDef
)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a module (a comment rule above it when printed)."""

    title: str
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Module:
    """A generated module.

    ``header``: comment lines at the top (plain text, escaped by the printer).
    ``doc``: the module's documentation.  ``imports``: the runtime names the body uses, sorted.
    ``exports``: the names the module offers its users (``validate``, ``report``, ``main``, ``YEAR``, ...).
    ``main``: the function to run when the module is run as a script, if any.
    ``constants``: what the module's constants hold (:class:`Local`).
    """

    header: tuple[str, ...]
    doc: str
    sections: tuple[Section, ...]
    imports: tuple[str, ...] = ()
    exports: tuple[str, ...] = field(default=())
    main: str | None = None
    constants: tuple[Local, ...] = ()  # the kinds of the module's constants (those of a kind a printer uses)


# --------------------------------------------------------------------------- building conditions


def nodes(root: object) -> Iterator[object]:
    """Every node below ``root`` (tuples and frozen nodes), parents first, left to right."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, tuple):
            stack.extend(reversed(node))
        elif hasattr(node, "__dataclass_fields__"):
            stack.extend(getattr(node, f) for f in reversed(tuple(node.__dataclass_fields__)))


def all_of(*parts: Expr) -> Expr:
    """``a and b and ...``: true parts dropped, false absorbs, nested ``and`` flattened."""
    out: list[Expr] = []
    for p in parts:
        if p == TRUE:
            continue
        if p == FALSE:
            return FALSE
        if isinstance(p, BoolOp) and p.op == "and":
            out += [v for v in p.values if v not in out]
        elif p not in out:
            out.append(p)
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else BoolOp("and", tuple(out))


def any_of(*parts: Expr) -> Expr:
    """``a or b or ...``: false parts dropped, true absorbs, nested ``or`` flattened."""
    out: list[Expr] = []
    for p in parts:
        if p == FALSE:
            continue
        if p == TRUE:
            return TRUE
        if isinstance(p, BoolOp) and p.op == "or":
            out += [v for v in p.values if v not in out]
        elif p not in out:
            out.append(p)
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else BoolOp("or", tuple(out))


_NEGATED_OP: dict[CompareOp, CompareOp] = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "in": "not in",
    "not in": "in",
    "is": "is not",
    "is not": "is",
}


def negate(e: Expr) -> Expr:
    """The condition true exactly where ``e`` is false, on structure.

    A comparison flips its operator (``==`` ↔ ``!=``, ``<`` ↔ ``>=``, ``in`` ↔ ``not in``: every
    operand is an int or a str, never NaN); ``not x`` gives ``x``; a constant flips; anything else
    is wrapped in :class:`Not` (``not (a and b)`` reads better than De Morgan's form).
    """
    match e:
        case Lit(value=bool(v)):
            return Lit(not v)
        case Compare(op=op, left=a, right=b):
            return Compare(_NEGATED_OP[op], a, b)
        case Not(operand=o):
            return o
        case _:
            return Not(e)


def fold_constants(e: Expr) -> Expr:
    """``e`` with constant parts worked out: literal comparisons and arithmetic, and and/or of constants."""
    match e:
        case BoolOp(op="and", values=vs):
            return all_of(*(fold_constants(v) for v in vs))
        case BoolOp(op="or", values=vs):
            return any_of(*(fold_constants(v) for v in vs))
        case Not(operand=o):
            return negate(fold_constants(o))
        case BinOp(op="+" | "-" as op, left=a, right=b):
            a, b = fold_constants(a), fold_constants(b)
            if isinstance(a, Lit) and isinstance(b, Lit) and type(a.value) is int and type(b.value) is int:
                return Lit(a.value + b.value if op == "+" else a.value - b.value)
            return BinOp(op, a, b)
        case Compare(op=op, left=Lit(value=x), right=Lit(value=y)) if op in ("==", "!="):
            return Lit((x == y) == (op == "=="))
        case _:
            return e


def assigned(body: tuple[Stmt, ...]) -> set[str]:
    """The names a function body assigns, unpacks or loops over (not in nested functions)."""
    out: set[str] = set()
    for s in body:
        match s:
            case Assign(target=Var(name=name)) | AugAssign(target=Var(name=name)):
                out.add(name)
            case Assign(target=TupleLit(items=items)):
                out |= {x.name for x in items if isinstance(x, Var) and x.name != "_"}
            case If(body=b, orelse=o):
                out |= assigned(b) | assigned(o)
            case For(item=item, body=b, index=index):
                out |= {item, *([index] if index else [])} | assigned(b)
            case ReadFields(pieces=pieces, fields=fields, wrong=w, body=b):
                out |= {pieces.name, *(x.name for x in fields if x.name != "_")} | assigned(w) | assigned(b)
            case Block(body=b):
                out |= assigned(b)  # its own locals (``gives``, ``sets``): the function's, wherever it is printed
            case _:
                pass
    return out


def declared(f: FunctionDef) -> FunctionDef:
    """``f`` as it is, after checking that its ``locals`` give a kind to every parameter and local of it."""
    kinds = {x.name for x in f.locals}
    missing = (assigned(f.body) | {p.name for p in f.params}) - kinds
    assert not missing, f"{f.name}: no kind for {sorted(missing)}"
    return f
