"""The typed model: what the spec says, as frozen dataclasses.

Two levels:

- :class:`Spec` — the whole specification over all years, as written
  (fields with the years they are collected, severities and parameters as
  dated values).  Built from the syntax tree by :mod:`lss_rules.language.lower`.
- :class:`YearModel` — the rules as they stand in one year: the record
  layout of that year, parameters resolved to numbers, group references
  narrowed to the fields collected that year, only the rules in force with
  their severity, texts with the year's parameters filled in.  Built by the
  :mod:`lss_rules.language.for_year` pass (``spec.for_year(year)``).  Every backend reads a
  ``YearModel`` (and, for history, the ``Spec``); none reads spec text.

Every node carries its source position in ``pos``, excluded from equality, so
two specs that differ only in layout compare equal and every error can point at
the source.

The model's closed families of nodes in one module (past 500 lines): every pass and backend matches them
exhaustively, and the model imports none of the passes that build it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Generic, Literal, TypeAlias, TypeVar, assert_never


@dataclass(frozen=True, slots=True)
class Pos:
    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOPOS = Pos("<model>", 0, 0)


def _pos() -> Pos:
    return field(default=NOPOS, compare=False, repr=False, kw_only=True)


# ----------------------------------------------------------------- years


@dataclass(frozen=True, slots=True)
class YearRange:
    """``first..last``; ``last`` is None for an open end (``2007..``)."""

    first: int
    last: int | None
    pos: Pos = _pos()

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year and (self.last is None or year <= self.last)

    def __str__(self) -> str:
        if self.last is None:
            return f"{self.first}.."
        if self.last == self.first:
            return str(self.first)
        return f"{self.first}..{self.last}"


@dataclass(frozen=True, slots=True)
class YearSet:
    ranges: tuple[YearRange, ...]
    pos: Pos = _pos()

    def __contains__(self, year: object) -> bool:
        return any(year in r for r in self.ranges)

    def __str__(self) -> str:
        return ", ".join(str(r) for r in self.ranges)


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DatedEntry(Generic[T]):
    """One value of a dated list.  ``last`` None with ``open`` = until the next entry."""

    value: T
    first: int
    last: int | None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Dated(Generic[T]):
    """A value that changes by year: ``744 from 2021`` / ``1488 from 2022``.

    Entries are kept as written; :meth:`spans` gives the closed year spans
    after ``from`` entries are cut at the next entry's first year.
    """

    entries: tuple[DatedEntry[T], ...]
    pos: Pos = _pos()

    def spans(self) -> tuple[tuple[int, int | None, T, Pos], ...]:
        ordered = sorted(self.entries, key=lambda e: e.first)
        out = []
        for i, e in enumerate(ordered):
            last = e.last
            if last is None:  # `from` entry: until the next entry starts
                nxt = next((o.first for o in ordered[i + 1 :] if o.first > e.first), None)
                last = None if nxt is None else nxt - 1
            out.append((e.first, last, e.value, e.pos))
        return tuple(out)

    def at(self, year: int) -> T | None:
        for first, last, value, _ in self.spans():
            if first <= year and (last is None or year <= last):
                return value
        return None

    def changes(self) -> tuple[int, ...]:
        return tuple(sorted({e.first for e in self.entries} | {e.last + 1 for e in self.entries if e.last is not None}))


Severity: TypeAlias = Literal["error", "warning", "none"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "none")


@dataclass(frozen=True, slots=True)
class MonthDay:
    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


# ----------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class StrLit:
    value: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class FieldRef:
    name: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class ParamRef:
    """A parameter; ``value`` is filled in by :meth:`Spec.for_year`."""

    name: str
    value: int | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class GroupRef:
    """A group of flags; in a year model ``members`` holds only that year's fields."""

    name: str
    members: tuple[str, ...] = ()
    pos: Pos = _pos()


# The built-in functions, one node type each (the set is fixed: rules cannot define new ones).
# ``function`` is the name the spec text uses; lowering builds the node from the signature table
# :data:`FUNCTIONS` and checks its argument, so ``arg`` has the one kind of node the function accepts.


@dataclass(frozen=True, slots=True)
class Age:
    """``age(personnummer)``: the age the person turns in the reference year."""

    function: ClassVar[str] = "age"
    arg: FieldRef
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class BirthYear:
    """``birth_year(personnummer)``: the year of birth (the personnummer's first four digits)."""

    function: ClassVar[str] = "birth_year"
    arg: FieldRef
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Count:
    """``count(group)``: how many flags of the group are set."""

    function: ClassVar[str] = "count"
    arg: GroupRef
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Present:
    """``present(field)``: the field has a value."""

    function: ClassVar[str] = "present"
    arg: FieldRef
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class ValidPersonnummer:
    """``valid_personnummer(personnummer)``: a real date, serial number, check digit, born by the reference day."""

    function: ClassVar[str] = "valid_personnummer"
    arg: FieldRef
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Deceased:
    """``deceased(personnummer)``: in the register of deaths by the reference day (an external register)."""

    function: ClassVar[str] = "deceased"
    arg: FieldRef
    pos: Pos = _pos()


Builtin: TypeAlias = Age | BirthYear | Count | Present | ValidPersonnummer | Deceased

# The types of the condition language, as lowering checks an expression (a closed set: every place that says
# a type in words or decides by one matches it with ``assert_never``).

#: the kind of value a field holds (:func:`type_name`)
FieldKind: TypeAlias = Literal["municipality", "personnummer", "flag", "count", "enum"]
#: what an expression is: a field's kind; a whole number (a literal, a parameter, what ``age``, ``birth_year``
#: and ``count`` give); a condition; a string literal; a group of flags
ValueType: TypeAlias = FieldKind | Literal["int", "bool", "string", "group"]
#: the types that are whole numbers: arithmetic and ordering take them
NUMERIC: tuple[ValueType, ...] = ("int", "flag", "count", "enum")
#: what a built-in function's parameter accepts: a value of that type, or any field (``present(field)``)
ParamKind: TypeAlias = Literal["personnummer", "group", "field"]
#: what a built-in function gives
ResultType: TypeAlias = Literal["int", "bool"]


CmpOp: TypeAlias = Literal["=", "!=", "<", "<=", ">", ">="]


@dataclass(frozen=True, slots=True)
class Compare:
    op: CmpOp
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Between:
    value: Expr
    low: Expr
    high: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Member:
    value: Expr
    options: tuple[IntLit | StrLit, ...]
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class And:
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Or:
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Arith:
    op: Literal["+", "-"]
    left: Expr
    right: Expr
    pos: Pos = _pos()


Expr: TypeAlias = (
    IntLit
    | StrLit
    | FieldRef
    | ParamRef
    | GroupRef
    | Age
    | BirthYear
    | Count
    | Present
    | ValidPersonnummer
    | Deceased
    | Compare
    | Between
    | Member
    | And
    | Or
    | Not
    | Arith
)


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of an expression, parents first."""
    yield expr
    match expr:
        case IntLit() | StrLit() | FieldRef() | ParamRef() | GroupRef():
            pass
        case Age(arg=a) | BirthYear(arg=a) | Count(arg=a) | Present(arg=a) | ValidPersonnummer(arg=a) | Deceased(arg=a):
            yield from walk(a)
        case Compare(left=a, right=b) | And(left=a, right=b) | Or(left=a, right=b) | Arith(left=a, right=b):
            yield from walk(a)
            yield from walk(b)
        case Between(value=v, low=lo, high=hi):
            yield from walk(v)
            yield from walk(lo)
            yield from walk(hi)
        case Member(value=v):
            yield from walk(v)
        case Not(operand=o):
            yield from walk(o)
        case _:
            assert_never(expr)


def constant(expr: Expr) -> int | None:
    """The whole number an expression stands for in a year: a literal, or a parameter's value."""
    match expr:
        case IntLit(value=v) | ParamRef(value=v):
            return v
    return None


def reads(expr: Expr | None) -> tuple[str, ...]:
    """The fields an expression reads, in order of first appearance."""
    if expr is None:
        return ()
    out: list[str] = []
    for node in walk(expr):
        names: tuple[str, ...] = ()
        if isinstance(node, FieldRef):
            names = (node.name,)
        elif isinstance(node, GroupRef):
            names = node.members
        for n in names:
            if n not in out:
                out.append(n)
    return tuple(out)


# ----------------------------------------------------------------- the library of functions


@dataclass(frozen=True, slots=True)
class Function:
    """A derived value the rules may use.  The set is fixed: rules cannot define new ones."""

    node: type[Builtin]  # the model's node for a call; its ``function`` is the name in spec text
    params: tuple[ParamKind, ...]
    result: ResultType
    doc: str
    scope: Literal["record", "external"] = "record"  # external: reads a register beside the files (deaths)

    @property
    def name(self) -> str:
        return self.node.function


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(Age, ("personnummer",), "int", "ålder i år räknat per kalenderår: referensåret minus födelseåret"),
        Function(BirthYear, ("personnummer",), "int", "födelseåret (personnumrets fyra första siffror)"),
        Function(Count, ("group",), "int", "antal insatser i gruppen som är markerade med 1"),
        Function(Present, ("field",), "bool", "fältet har ett värde (är inte tomt)"),
        Function(
            ValidPersonnummer,
            ("personnummer",),
            "bool",
            "personnumret är korrekt: verkligt datum (samordningsnummer: dag + 60), löpnummer skilt från 000, "
            "rätt kontrollsiffra och födelsedatum senast på referensdagen",
        ),
        Function(
            Deceased,
            ("personnummer",),
            "bool",
            "personen finns i dödsregistret med ett dödsdatum på eller före referensdagen",
            scope="external",
        ),
    )
}


# ----------------------------------------------------------------- declarations


@dataclass(frozen=True, slots=True)
class MunicipalityType:
    dataset: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class PersonnummerType:
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class FlagType:
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class CountType:
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class EnumMember:
    value: int
    label: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class EnumType:
    members: tuple[EnumMember, ...]
    pos: Pos = _pos()

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(m.value for m in self.members)


FieldType: TypeAlias = MunicipalityType | PersonnummerType | FlagType | CountType | EnumType


def type_name(t: FieldType) -> FieldKind:
    match t:
        case MunicipalityType():
            return "municipality"
        case PersonnummerType():
            return "personnummer"
        case FlagType():
            return "flag"
        case CountType():
            return "count"
        case EnumType():
            return "enum"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: FieldType
    label: str
    collected: YearSet
    label_en: str | None = None
    law: str | None = None
    equalisation: bool = False
    optional: bool = False
    required_when: Expr | None = None
    empty_unless: Expr | None = None
    differs_from: str | None = None
    note: str | None = None
    interpretation: str | None = None
    pos: Pos = _pos()

    @property
    def always_required(self) -> bool:
        """Empty is an S03 finding whatever the other fields say."""
        return not self.optional and self.required_when is None


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    label: str
    members: tuple[str, ...]
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    years: YearSet
    separator: str
    encodings: tuple[str, ...]
    fields: tuple[str, ...]
    source: tuple[str, ...] = ()
    interpretation: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    label: str
    value: Dated[int]
    unit: str | None = None
    source: tuple[str, ...] = ()
    interpretation: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    county: str
    first_year: int | None
    last_year: int | None

    def valid_in(self, year: int) -> bool:
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or year <= self.last_year
        )


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    file: str
    label: str
    rows: tuple[Municipality, ...]
    source: tuple[str, ...] = ()
    pos: Pos = _pos()

    def codes_in(self, year: int) -> frozenset[str]:
        return frozenset(m.code for m in self.rows if m.valid_in(year))


@dataclass(frozen=True, slots=True)
class Register:
    name: str
    title: str
    first_year: int
    reference_date: Dated[MonthDay]
    deadline: Dated[MonthDay]
    regulation: tuple[str, ...] = ()
    title_en: str | None = None
    source: tuple[str, ...] = ()
    # the last year the sources speak of; later years repeat the last rules with a note
    stated_through: int | None = None
    # the oldest lss-rules that reads the spec (``requires_lss_rules``; checked before parsing, language.versions)
    requires_lss_rules: str | None = None
    # the parameters of the comparison report (jämförelserapporten): the percentage above which a change
    # from the previous year is flagged, and the least change in persons that is flagged
    comparison_threshold: str | None = None
    comparison_minimum: str | None = None
    pos: Pos = _pos()


Scope: TypeAlias = Literal["record", "file", "national", "external"]
SCOPES: tuple[str, ...] = ("record", "file", "national", "external")

CheckKind: TypeAlias = Literal["field_count", "value_form", "required_value", "empty_value", "empty_file"]
CHECK_KINDS: dict[str, str] = {
    "field_count": "record",
    "value_form": "record",
    "required_value": "record",
    "empty_value": "record",
    "empty_file": "file",
}


@dataclass(frozen=True, slots=True)
class Text:
    """Swedish text with an optional English translation."""

    sv: str
    en: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """A structural check (LSS-S01–S05): its logic follows from the layout and field types."""

    id: str
    kind: CheckKind
    title: Text
    message: Text
    severity: Dated[Severity]
    source: tuple[str, ...] = ()
    interpretation: str | None = None
    note: str | None = None
    pos: Pos = _pos()

    @property
    def scope(self) -> Scope:
        return "file" if self.kind == "empty_file" else "record"


@dataclass(frozen=True, slots=True)
class Unique:
    """``unique personnummer`` or ``unique personnummer for each set flag in insatser``."""

    key: str
    each_flag_in: GroupRef | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Rule:
    """A plausibility rule: on a line where ``when`` holds, ``require`` must hold."""

    id: str
    scope: Scope
    title: Text
    message: Text
    severity: Dated[Severity]
    when: Expr | None = None
    require: Expr | None = None
    unique: Unique | None = None
    source: tuple[str, ...] = ()
    interpretation: str | None = None
    note: str | None = None
    pos: Pos = _pos()

    def reads(self) -> tuple[str, ...]:
        out = list(reads(self.when))
        out += [n for n in reads(self.require) if n not in out]
        if self.unique is not None:
            extra = (self.unique.key, *(self.unique.each_flag_in.members if self.unique.each_flag_in else ()))
            out += [n for n in extra if n not in out]
        return tuple(out)


# ----------------------------------------------------------------- the whole spec


@dataclass(frozen=True, slots=True)
class Spec:
    register: Register
    datasets: tuple[Dataset, ...]
    fields: tuple[Field, ...]
    groups: tuple[Group, ...]
    layouts: tuple[Layout, ...]
    parameters: tuple[Parameter, ...]
    checks: tuple[Check, ...]
    rules: tuple[Rule, ...]
    files: tuple[str, ...] = field(default=(), compare=False)
    digest: str = field(default="", compare=False)
    # the for_year pass (lss_rules.language.for_year.year_model), handed over by lowering: the model imports no pass
    year_pass: Callable[[Spec, int], YearModel] | None = field(default=None, compare=False, repr=False)
    # year models already lowered (not copied by dataclasses.replace: a changed spec lowers afresh)
    _year_models: dict[int, YearModel] = field(default_factory=dict, init=False, compare=False, repr=False)

    # lookups -------------------------------------------------------------
    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def group(self, name: str) -> Group:
        return next(g for g in self.groups if g.name == name)

    def parameter(self, name: str) -> Parameter:
        return next(p for p in self.parameters if p.name == name)

    def dataset(self, name: str) -> Dataset:
        return next(d for d in self.datasets if d.name == name)

    def item(self, ident: str) -> Check | Rule:
        items: tuple[Check | Rule, ...] = (*self.checks, *self.rules)
        return next(x for x in items if x.id == ident)

    @property
    def ids(self) -> tuple[str, ...]:
        items: tuple[Check | Rule, ...] = (*self.checks, *self.rules)
        return tuple(x.id for x in items)

    # years ---------------------------------------------------------------
    @property
    def first_year(self) -> int:
        return self.register.first_year

    @property
    def last_change_year(self) -> int:
        """The last year in which anything in the spec changes; later years repeat it."""
        years = {self.first_year}
        for d in self._dated():
            years.update(d.changes())
        for ys in [f.collected for f in self.fields] + [lay.years for lay in self.layouts]:
            for r in ys.ranges:
                years.add(r.first)
                if r.last is not None:
                    years.add(r.last + 1)
        for ds in self.datasets:
            for m in ds.rows:
                if m.first_year is not None:
                    years.add(m.first_year)
                if m.last_year is not None:
                    years.add(m.last_year + 1)
        return max(years)

    @property
    def last_stated_year(self) -> int:
        """The last year the spec speaks for (``stated_through``, at least the last change).

        A later year is validated with the last rules in force, and reports say so.
        """
        return max(self.last_change_year, self.register.stated_through or 0)

    def _dated(self) -> list[Dated]:
        out: list[Dated] = [self.register.reference_date, self.register.deadline]
        out += [p.value for p in self.parameters]
        out += [c.severity for c in self.checks] + [r.severity for r in self.rules]
        return out

    def for_year(self, year: int) -> YearModel:
        """The rules as they stand in ``year`` (the :mod:`lss_rules.language.for_year` pass; built once a year)."""
        ym = self._year_models.get(year)
        if ym is None:
            if self.year_pass is None:
                raise TypeError("Spec.for_year: this spec was not built by lss_rules.language.lower (no year_pass)")
            ym = self._year_models[year] = self.year_pass(self, year)
        return ym


# ----------------------------------------------------------------- one year


@dataclass(frozen=True, slots=True)
class ActiveCheck:
    """A check in force in one year; ``title`` and ``message`` with that year's parameters filled in."""

    check: Check
    severity: Literal["error", "warning"]
    title: str = ""
    message: str = ""

    @property
    def id(self) -> str:
        return self.check.id


@dataclass(frozen=True, slots=True)
class ActiveRule:
    """A rule in force in one year, with parameters and groups resolved for that year."""

    rule: Rule
    severity: Literal["error", "warning"]
    when: Expr | None
    require: Expr | None
    unique: Unique | None
    reads: tuple[str, ...]
    title: str = ""  # the Swedish title and message, with that year's parameters filled in
    message: str = ""

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True, slots=True)
class YearModel:
    spec: Spec = field(compare=False, repr=False)
    year: int
    reference_date: dt.date
    deadline: dt.date
    layout: Layout
    fields: tuple[Field, ...]
    parameters: tuple[tuple[str, int], ...]
    municipalities: frozenset[str]
    checks: tuple[ActiveCheck, ...]
    rules: tuple[ActiveRule, ...]
    beyond_spec: bool = False  # the year is after the last change: the last rules in force apply

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def index(self, name: str) -> int:
        return self.field_names.index(name)

    @property
    def active(self) -> tuple[ActiveCheck | ActiveRule, ...]:
        return (*self.checks, *self.rules)

    def severity_of(self, ident: str) -> str | None:
        return next((a.severity for a in self.active if a.id == ident), None)
