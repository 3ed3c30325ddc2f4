"""Parse spec text into declarations: grammar -> lark tree -> dataclasses.

The grammar exists once, in ``grammar/lss.lark`` of the source tree, installed
as ``lss_rules/grammar/lss.lark``; it is loaded from the package.  Each
declaration is a typed dataclass of its kind (:data:`Decl`: :class:`RegisterDecl`,
:class:`FieldDecl`, :class:`ParameterDecl`, …) whose properties are attributes
holding the value as written and its position (:class:`Located`), None when
absent; a property written twice in a block is reported here (E004).  Conditions
are parsed into the surface expressions of this module (:data:`Expr`): a name
is a :class:`Name` and a function call a :class:`Call` by its name, unresolved.
Resolving them against the declarations into the model's expressions
(:data:`lss_rules.language.model.Expr`, which has no unresolved node) is
:mod:`lss_rules.language.lower`'s job.

Errors never escape as lark exceptions: a syntax error becomes an ``E001``
diagnostic with the position and what was expected (:mod:`lss_rules.language.parsing`, which builds the
parser and words its errors, did-you-mean included).

Why this module is over 500 lines: it holds the declarations and the one transformer that builds them from
the grammar's tree, and the two change together — every property of the grammar is an attribute of its
declaration, set by the transformer under the grammar's alias (``tests/syntax/test_decls.py`` checks each
against the other) — so a new property is one edit here, not three in three files.  The parser and its
errors, which change for other reasons, are in :mod:`~lss_rules.language.parsing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, TypeAlias, TypeVar, assert_never

from lark import Token, Transformer, Tree, v_args
from lark.exceptions import VisitError

from lss_rules.language import model as m
from lss_rules.language.diagnostics import Diagnostics
from lss_rules.language.lexical import unquote as _unquote

# the parser and its syntax errors (language/parsing.py), under the names callers have used from here
from lss_rules.language.parsing import MAX_DEPTH as MAX_DEPTH
from lss_rules.language.parsing import build_parser as build_parser
from lss_rules.language.parsing import parse_tree as parse_tree
from lss_rules.language.parsing import parser as parser
from lss_rules.language.parsing import too_deep as too_deep
from lss_rules.language.parsing import unclosed_block as unclosed_block

#: The version of the language this lss-rules reads.  A spec states the version it is written in
#: (``language 3`` in its register block); :func:`lss_rules.language.load.analyse` reads it before anything
#: else, so a spec for another version gets one clear message (E013), not errors or other findings.
LANGUAGE = 3

#: What each version changed, for the message to a spec written for an older one.
LANGUAGE_CHANGES = {
    2: "en jämförelse med ett tomt värde är okänd, inte falsk: `require x <= 175` godtar en rad utan x",
    3: "varje regel och kontroll har `fix` (Så rättar du); fält och grupper kan ha `short`",
}

#: The most digits a number in a spec may have (E010): every limit, year and code of the register fits, and
#: a count in a submission is compared exactly up to 10**12 (``runtime.COUNT_CAP``), far above any of them.
MAX_DIGITS = 9

# a version of more than MAX_DIGITS digits is no version: the parser reports the number (E010)
_LANGUAGE_LINE = re.compile(rf"^([ \t]*)language[ \t]+([0-9]{{1,{MAX_DIGITS}}})\b", re.M)


def stated_language(text: str) -> tuple[int, int, int] | None:
    """The language version a spec file states (``language N`` on a line of its own), with its line and
    column; None if it states none.  Read with a pattern, not the parser: a spec for a newer version may
    hold syntax this parser does not know."""
    found = _LANGUAGE_LINE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return int(found.group(2)), line, len(found.group(1)) + 1


# ----------------------------------------------------------------- surface expressions
# A condition as written.  Literals are the model's own (:class:`~lss_rules.language.model.IntLit`,
# :class:`~lss_rules.language.model.StrLit`): they need no resolving.


@dataclass(frozen=True, slots=True)
class Name:
    """A name as written: a field, a parameter or a group, told apart by lowering."""

    name: str
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a built-in function by its name; lowering makes it the model's node for it."""

    func: str
    args: tuple[Expr, ...]
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Compare:
    op: m.CmpOp
    left: Expr
    right: Expr
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Between:
    value: Expr
    low: Expr
    high: Expr
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Member:
    value: Expr
    options: tuple[m.IntLit | m.StrLit, ...]
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class And:
    left: Expr
    right: Expr
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Or:
    left: Expr
    right: Expr
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    pos: m.Pos


@dataclass(frozen=True, slots=True)
class Arith:
    op: Literal["+", "-"]
    left: Expr
    right: Expr
    pos: m.Pos


Expr: TypeAlias = m.IntLit | m.StrLit | Name | Call | Compare | Between | Member | And | Or | Not | Arith


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of a condition as written, parents first."""
    yield expr
    match expr:
        case m.IntLit() | m.StrLit() | Name():
            pass
        case Call(args=args):
            for a in args:
                yield from walk(a)
        case Compare(left=a, right=b) | And(left=a, right=b) | Or(left=a, right=b) | Arith(left=a, right=b):
            yield from walk(a)
            yield from walk(b)
        case Between(value=v, low=lo, high=hi):
            yield from walk(v)
            yield from walk(lo)
            yield from walk(hi)
        case Member(value=v, options=opts):
            yield from walk(v)
            yield from opts
        case Not(operand=o):
            yield from walk(o)
        case _:
            assert_never(expr)


# ----------------------------------------------------------------- declarations
# One frozen dataclass per kind of declaration.  Each property is an attribute holding the value as
# written with where it was written (:class:`Located`), None when the block does not have it.  Which
# properties a declaration must have, and what an absent one defaults to, is lowering's business.
# Positions are left out of equality, as in the model: declarations that differ only in layout are equal.

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A property's value and the position of its whole line (``value 744 from 2021``)."""

    value: T
    pos: m.Pos = field(compare=False)


@dataclass(frozen=True, slots=True)
class Raw:
    """A value of a dated list as written; lowering reads it as what the property holds
    (an int for a parameter, a date for the reference date, a severity)."""

    kind: Literal["int", "monthday", "name", "string"]
    value: int | str
    pos: m.Pos = field(compare=False)


Texts: TypeAlias = Located[tuple[str, ...]]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Head:
    """What every declaration has: its name (or id) and where it stands."""

    #: the word that opens the declaration, as messages name its kind
    keyword: ClassVar[str]
    name: str
    pos: m.Pos = field(compare=False)
    name_pos: m.Pos = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterDecl(_Head):
    keyword: ClassVar[str] = "register"
    title: Located[str] | None = None
    title_en: Located[str] | None = None
    regulation: Texts | None = None
    language: Located[int] | None = None
    requires_lss_rules: Located[str] | None = None
    first_year: Located[int] | None = None
    stated_through: Located[int] | None = None
    comparison_threshold: Located[str] | None = None
    comparison_minimum: Located[str] | None = None
    reference_date: Located[m.Dated[Raw]] | None = None
    deadline: Located[m.Dated[Raw]] | None = None
    source: Texts | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DatasetDecl(_Head):
    keyword: ClassVar[str] = "dataset"
    file: Located[str] | None = None
    label: Located[str] | None = None
    source: Texts | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldDecl(_Head):
    keyword: ClassVar[str] = "field"
    type: Located[m.FieldType] | None = None
    label: Located[str] | None = None
    label_en: Located[str] | None = None
    #: the label as a sentence names the field ("timmar personlig assistans"), where ``label`` is long
    short: Located[str] | None = None
    law: Located[str] | None = None
    collected: Located[m.YearSet] | None = None
    equalisation: Located[bool] | None = None
    optional: Located[bool] | None = None  # written: True
    required_when: Located[Expr] | None = None
    empty_unless: Located[Expr] | None = None
    differs_from: Located[str] | None = None
    note: Located[str] | None = None
    interpretation: Located[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupDecl(_Head):
    keyword: ClassVar[str] = "group"
    label: Located[str] | None = None
    short: Located[str] | None = None
    members: Located[tuple[str, ...]] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LayoutDecl(_Head):
    keyword: ClassVar[str] = "layout"
    years: Located[m.YearSet] | None = None
    separator: Located[str] | None = None
    encodings: Texts | None = None
    #: the field names in order, each with its own position
    fields: Located[tuple[tuple[str, m.Pos], ...]] | None = None
    source: Texts | None = None
    interpretation: Located[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParameterDecl(_Head):
    keyword: ClassVar[str] = "parameter"
    label: Located[str] | None = None
    unit: Located[str] | None = None
    value: Located[m.Dated[Raw]] | None = None
    source: Texts | None = None
    interpretation: Located[str] | None = None
    note: Located[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Finding(_Head):
    """What checks and rules both have: the texts of a finding, its severity and sources."""

    title: Located[str] | None = None
    title_en: Located[str] | None = None
    message: Located[str] | None = None
    message_en: Located[str] | None = None
    #: "Så rättar du": what the municipality does to put the record right ({parameter} filled in per year)
    fix: Located[str] | None = None
    severity: Located[m.Dated[Raw]] | None = None
    source: Texts | None = None
    interpretation: Located[str] | None = None
    note: Located[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckDecl(_Finding):
    keyword: ClassVar[str] = "check"
    kind: Located[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDecl(_Finding):
    keyword: ClassVar[str] = "rule"
    scope: Located[str] | None = None
    when: Located[Expr] | None = None
    require: Located[Expr] | None = None
    unique: Located[m.Unique] | None = None


Decl: TypeAlias = RegisterDecl | DatasetDecl | FieldDecl | GroupDecl | LayoutDecl | ParameterDecl | CheckDecl | RuleDecl
D = TypeVar("D", bound=_Head)


# ----------------------------------------------------------------- the transformer


@dataclass(frozen=True, slots=True)
class _Prop:
    """One property line while its block is assembled: the attribute it sets, the value, where."""

    key: str
    value: Any
    pos: m.Pos


class _ToDecls(Transformer):
    """lark tree -> list of :data:`Decl`, conditions as surface expressions (:data:`Expr`)."""

    def __init__(self, filename: str, diags: Diagnostics, first_line: int = 1) -> None:
        super().__init__(visit_tokens=True)
        self.filename = filename
        self.diags = diags
        #: lines before the piece of the file that was parsed (see :func:`parse_decls`)
        self.shift = first_line - 1

    # positions ---------------------------------------------------------------
    def _pos(self, meta: Any) -> m.Pos:
        if getattr(meta, "empty", True):
            return m.Pos(self.filename, 0, 0)
        return m.Pos(self.filename, meta.line + self.shift, meta.column, meta.end_line + self.shift, meta.end_column)

    def _tpos(self, tok: Token) -> m.Pos:
        if not tok.line:
            return m.Pos(self.filename, 0, 0)
        end_line = tok.end_line + self.shift if tok.end_line else 0
        return m.Pos(self.filename, tok.line + self.shift, tok.column or 0, end_line, tok.end_column or 0)

    # tokens ------------------------------------------------------------------
    def STRING(self, tok: Token) -> Token:
        return tok

    def INT(self, tok: Token) -> Token:
        """A number: at most :data:`MAX_DIGITS` digits, else E010 (and 0 in its place, never ``int()`` of it)."""
        if len(tok) <= MAX_DIGITS:
            return tok
        self.diags.error(
            "E010",
            f"ett tal med {len(tok)} siffror; ett tal i specifikationen har högst {MAX_DIGITS} siffror",
            self._tpos(tok),
            f"skriv talet med högst {MAX_DIGITS} siffror (en gräns, ett år eller en kod)",
        )
        return tok.update(value="0")

    # top level ---------------------------------------------------------------
    def start(self, items: list[Decl]) -> list[Decl]:
        return items

    def _decl(self, cls: type[D], meta: Any, children: list[Any]) -> D:
        """The declaration with each property set once; a property written again is E004 (the first counts)."""
        name_tok, *props = children
        name = str(name_tok)
        found: dict[str, _Prop] = {}
        for p in props:
            if p.key in found:
                self.diags.error(
                    "E004",
                    f"`{p.key}` anges två gånger i {cls.keyword} `{name}`",
                    p.pos,
                    f"första gången på rad {found[p.key].pos.line}",
                )
            else:
                found[p.key] = p
        located = {key: Located(p.value, p.pos) for key, p in found.items()}
        return cls(name=name, pos=self._pos(meta), name_pos=self._tpos(name_tok), **located)

    @v_args(meta=True)
    def register(self, meta: Any, children: list[Any]) -> RegisterDecl:
        return self._decl(RegisterDecl, meta, children)

    @v_args(meta=True)
    def dataset(self, meta: Any, children: list[Any]) -> DatasetDecl:
        return self._decl(DatasetDecl, meta, children)

    @v_args(meta=True)
    def field(self, meta: Any, children: list[Any]) -> FieldDecl:
        return self._decl(FieldDecl, meta, children)

    @v_args(meta=True)
    def group(self, meta: Any, children: list[Any]) -> GroupDecl:
        return self._decl(GroupDecl, meta, children)

    @v_args(meta=True)
    def layout(self, meta: Any, children: list[Any]) -> LayoutDecl:
        return self._decl(LayoutDecl, meta, children)

    @v_args(meta=True)
    def parameter(self, meta: Any, children: list[Any]) -> ParameterDecl:
        return self._decl(ParameterDecl, meta, children)

    @v_args(meta=True)
    def check(self, meta: Any, children: list[Any]) -> CheckDecl:
        return self._decl(CheckDecl, meta, children)

    @v_args(meta=True)
    def rule(self, meta: Any, children: list[Any]) -> RuleDecl:
        return self._decl(RuleDecl, meta, children)

    # properties: the alias `<kind>_<attribute>` (grammar/lss.lark) names the attribute it sets ---
    def __default__(self, data: Any, children: list[Any], meta: Any) -> Any:
        name = str(data)
        if name.startswith(("prop_", "reg_", "ds_", "f_", "g_", "l_", "p_", "c_", "r_")):
            key = name.split("_", 1)[1]
            if len(children) == 0:
                value: Any = True
            elif len(children) == 1:
                value = children[0]
            else:
                value = tuple(children)
            return _Prop(key, self._value(value), self._pos(meta))
        return super().__default__(data, children, meta)

    def _value(self, value: Any) -> Any:
        if isinstance(value, Token):
            if value.type == "STRING":
                return _unquote(str(value))
            if value.type == "INT":
                return int(value)
            if value.type == "BOOL":
                return str(value) == "yes"
            return str(value)
        return value

    # lists -------------------------------------------------------------------
    def string_list(self, children: list[Token]) -> tuple[str, ...]:
        return tuple(_unquote(str(c)) for c in children)

    def name_list(self, children: list[Token]) -> tuple[str, ...]:
        return tuple(str(c) for c in children)

    @v_args(meta=True)
    def l_fields(self, meta: Any, children: list[Token]) -> _Prop:
        return _Prop("fields", tuple((str(c), self._tpos(c)) for c in children), self._pos(meta))

    @v_args(meta=True)
    def r_unique(self, meta: Any, children: list[Token]) -> _Prop:
        (key,) = children
        return _Prop("unique", m.Unique(str(key), None, pos=self._pos(meta)), self._pos(meta))

    @v_args(meta=True)
    def r_unique_each(self, meta: Any, children: list[Token]) -> _Prop:
        key, group = children
        g = m.GroupRef(str(group), pos=self._tpos(group))
        return _Prop("unique", m.Unique(str(key), g, pos=self._pos(meta)), self._pos(meta))

    # types -------------------------------------------------------------------
    @v_args(meta=True)
    def t_municipality(self, meta: Any, children: list[Token]) -> m.FieldType:
        return m.MunicipalityType(str(children[0]), pos=self._pos(meta))

    @v_args(meta=True)
    def t_personnummer(self, meta: Any, children: list[Any]) -> m.FieldType:
        return m.PersonnummerType(pos=self._pos(meta))

    @v_args(meta=True)
    def t_flag(self, meta: Any, children: list[Any]) -> m.FieldType:
        return m.FlagType(pos=self._pos(meta))

    @v_args(meta=True)
    def t_count(self, meta: Any, children: list[Any]) -> m.FieldType:
        return m.CountType(pos=self._pos(meta))

    @v_args(meta=True)
    def t_enum(self, meta: Any, children: list[m.EnumMember]) -> m.FieldType:
        return m.EnumType(tuple(children), pos=self._pos(meta))

    @v_args(meta=True)
    def enum_member(self, meta: Any, children: list[Token]) -> m.EnumMember:
        value, label = children
        return m.EnumMember(int(value), _unquote(str(label)), pos=self._pos(meta))

    # years -------------------------------------------------------------------
    @v_args(meta=True)
    def year_set(self, meta: Any, children: list[m.YearRange]) -> m.YearSet:
        return m.YearSet(tuple(children), pos=self._pos(meta))

    @v_args(meta=True)
    def years_closed(self, meta: Any, children: list[Token]) -> m.YearRange:
        return m.YearRange(int(children[0]), int(children[1]), pos=self._pos(meta))

    @v_args(meta=True)
    def years_from(self, meta: Any, children: list[Token]) -> m.YearRange:
        return m.YearRange(int(children[0]), None, pos=self._pos(meta))

    @v_args(meta=True)
    def years_until(self, meta: Any, children: list[Token]) -> m.YearRange:
        # `..2003`: from the register's first year; 0 is replaced in lowering.
        return m.YearRange(0, int(children[0]), pos=self._pos(meta))

    @v_args(meta=True)
    def years_single(self, meta: Any, children: list[Token]) -> m.YearRange:
        return m.YearRange(int(children[0]), int(children[0]), pos=self._pos(meta))

    @v_args(meta=True)
    def dated_list(self, meta: Any, children: list[m.DatedEntry[Any]]) -> m.Dated[Any]:
        return m.Dated(tuple(children), pos=self._pos(meta))

    @v_args(meta=True)
    def dated_from(self, meta: Any, children: list[Any]) -> m.DatedEntry[Any]:
        value, first = children
        return m.DatedEntry(value, int(first), None, pos=self._pos(meta))

    @v_args(meta=True)
    def dated_in(self, meta: Any, children: list[Any]) -> m.DatedEntry[Any]:
        value, first, last = children
        return m.DatedEntry(value, int(first), int(last), pos=self._pos(meta))

    @v_args(meta=True)
    def dated_in_year(self, meta: Any, children: list[Any]) -> m.DatedEntry[Any]:
        value, year = children
        return m.DatedEntry(value, int(year), int(year), pos=self._pos(meta))

    @v_args(meta=True)
    def v_int(self, meta: Any, children: list[Token]) -> Raw:
        return Raw("int", int(children[0]), self._tpos(children[0]))

    @v_args(meta=True)
    def v_monthday(self, meta: Any, children: list[Token]) -> Raw:
        return Raw("monthday", str(children[0]), self._tpos(children[0]))

    @v_args(meta=True)
    def v_name(self, meta: Any, children: list[Token]) -> Raw:
        return Raw("name", str(children[0]), self._tpos(children[0]))

    @v_args(meta=True)
    def v_string(self, meta: Any, children: list[Token]) -> Raw:
        return Raw("string", _unquote(str(children[0])), self._tpos(children[0]))

    # expressions (surface: resolved by lowering) -----------------------------
    @v_args(meta=True)
    def e_or(self, meta: Any, c: list[Expr]) -> Expr:
        return Or(c[0], c[1], pos=self._pos(meta))

    @v_args(meta=True)
    def e_and(self, meta: Any, c: list[Expr]) -> Expr:
        return And(c[0], c[1], pos=self._pos(meta))

    @v_args(meta=True)
    def e_not(self, meta: Any, c: list[Expr]) -> Expr:
        return Not(c[0], pos=self._pos(meta))

    @v_args(meta=True)
    def e_compare(self, meta: Any, c: list[Any]) -> Expr:
        return Compare(str(c[1]), c[0], c[2], pos=self._pos(meta))  # type: ignore[arg-type]

    @v_args(meta=True)
    def e_between(self, meta: Any, c: list[Expr]) -> Expr:
        return Between(c[0], c[1], c[2], pos=self._pos(meta))

    @v_args(meta=True)
    def e_member(self, meta: Any, c: list[Any]) -> Expr:
        return Member(c[0], tuple(c[1]), pos=self._pos(meta))

    def value_list(self, c: list[Any]) -> tuple[Any, ...]:
        return tuple(c)

    @v_args(meta=True)
    def e_add(self, meta: Any, c: list[Expr]) -> Expr:
        return Arith("+", c[0], c[1], pos=self._pos(meta))

    @v_args(meta=True)
    def e_sub(self, meta: Any, c: list[Expr]) -> Expr:
        return Arith("-", c[0], c[1], pos=self._pos(meta))

    @v_args(meta=True)
    def e_int(self, meta: Any, c: list[Token]) -> Expr:
        return m.IntLit(int(c[0]), pos=self._tpos(c[0]))

    @v_args(meta=True)
    def e_string(self, meta: Any, c: list[Token]) -> Expr:
        return m.StrLit(_unquote(str(c[0])), pos=self._tpos(c[0]))

    @v_args(meta=True)
    def e_name(self, meta: Any, c: list[Token]) -> Expr:
        return Name(str(c[0]), pos=self._tpos(c[0]))

    @v_args(meta=True)
    def e_call(self, meta: Any, c: list[Any]) -> Expr:
        func, *args = c
        args = [a for a in args if a is not None]
        return Call(str(func), tuple(args), pos=self._tpos(func))


#: a line that opens a declaration, its keyword spelled right or not (``prameter x {``): a misspelled one is
#: its own piece, so the declaration before it still parses and its name is known to have failed
_TOP = re.compile(r"(register|dataset|field|group|layout|parameter|check|rule)\b|[a-z_]+[ \t]+[A-Za-z0-9_-]+[ \t]*\{")

_KINDS = ("register", "dataset", "field", "group", "layout", "parameter", "check", "rule")
_HEAD = re.compile(r"^([a-z_]+)\s+([a-z_][a-z0-9_]*)", re.M)


def _closest_kind(word: str) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, _KINDS, n=1, cutoff=0.6)
    return close[0] if close else None


def _chunks(text: str) -> list[tuple[int, str]]:
    """The text cut before every line that opens a declaration at column 1: (first line, piece).

    Each piece is parsed on its own and its positions shifted by the lines before it, so a syntax
    error in one declaration does not hide the errors or the declarations after it.  (Each piece
    once carried the earlier lines as empty lines, to keep the line numbers: every piece was then as
    long as the file up to it, and 100 KB of spec with an error a line took 50 s.)
    """
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if _TOP.match(ln)]
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    return [(a + 1, "\n".join(lines[a:b])) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def parse_decls(text: str, filename: str, diags: Diagnostics) -> list[Decl]:
    """Parse one spec file into declarations; problems go to ``diags``.

    On a syntax error the file is parsed again declaration by declaration, so that one
    run reports every syntax error and lowers every declaration that parses (in time
    linear in the file: each declaration is parsed once more).
    """
    scratch = Diagnostics()
    tree = parse_tree(text, filename, scratch)
    trees: list[tuple[int, Tree]] = []
    if tree is not None:
        trees.append((1, tree))
    else:
        before = len(diags.items)
        for first_line, chunk in _chunks(text):
            t = parse_tree(chunk, filename, diags, first_line)
            if t is not None:
                trees.append((first_line, t))
            elif head := _HEAD.search(chunk):  # what failed, so that what follows from it is not reported
                kind = head.group(1) if head.group(1) in _KINDS else _closest_kind(head.group(1))
                if kind is not None:
                    diags.unparsed_kinds.add(kind)
                    if kind not in ("register", "check", "rule"):  # their names are no names of the spec
                        diags.unparsed.add(head.group(2))
        if len(diags.items) == before:  # pragma: no cover - a chunk alone always fails somewhere too
            diags.items.extend(scratch.items)
    out: list[Decl] = []
    for first_line, t in trees:
        try:
            out += _ToDecls(filename, diags, first_line).transform(t)
        except VisitError as exc:  # a bug in a transformer method, never the user's fault
            raise exc.orig_exc from None
    return out
