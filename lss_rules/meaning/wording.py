"""Conditions and rules in words, Swedish (default) or English.

The model says *what* a rule checks; this module says it the way a municipal staff member
reads it: fields and groups by their labels (the spec's ``short`` form where the label is
long, with å, ä and ö), the year's parameters filled in, groups listed by their members that
year and a group of one named as that one field.  Used by ``lss-rules explain``, the detail
table of every validator (:mod:`lss_rules.meaning.expected`), the docs site and the PDF.
The structural checks in words are in :mod:`lss_rules.meaning.check_words`, a rule's history
in :mod:`lss_rules.meaning.history`.

>>> from lss_rules.language.load import load_spec
>>> spec = load_spec()
>>> ym = spec.for_year(2021)
>>> rule_words(next(r for r in ym.rules if r.id == "LSS-R21"), spec)
'Det krävs att timmar personlig assistans per månad är högst 744.'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias, assert_never

from lss_rules.language import model as m

Lang: TypeAlias = Literal["sv", "en"]
LANGS: tuple[str, ...] = ("sv", "en")

_OPS: dict[str, dict[str, str]] = {
    "sv": {"=": "är", "!=": "inte är", "<": "är mindre än", "<=": "är högst", ">": "är större än", ">=": "är minst"},
    "en": {
        "=": "is",
        "!=": "is not",
        "<": "is less than",
        "<=": "is at most",
        ">": "is greater than",
        ">=": "is at least",
    },
}
_NEG_OPS: dict[str, dict[str, str]] = {
    "sv": {
        "=": "inte är",
        "!=": "är",
        "<": "inte är mindre än",
        "<=": "inte är större än",
        ">": "inte är större än",
        ">=": "inte är mindre än",
    },
    "en": {
        "=": "is not",
        "!=": "is",
        "<": "is not less than",
        "<=": "is not greater than",
        ">": "is not greater than",
        ">=": "is not less than",
    },
}
# "har värdet 1": a flag or an enum compared with a number (no gender to agree with, unlike "markerad")
_HAS_VALUE = {"sv": ("har värdet", "inte har värdet"), "en": ("has the value", "does not have the value")}
# the age phrasing: "personen fyller minst 17 år under referensåret"
_AGE_OPS: dict[str, dict[str, str]] = {
    "sv": {"=": "", "!=": "inte", "<": "under", "<=": "högst", ">": "över", ">=": "minst"},
    "en": {"=": "", "!=": "not", "<": "less than", "<=": "at most", ">": "more than", ">=": "at least"},
}
_NEGATE: dict[str, m.CmpOp] = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def lang_of(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"okänt språk {lang!r}: välj sv eller en")
    return "en" if lang == "en" else "sv"


def field_words(name: str) -> str:
    """A name the spec does not declare, as words: ``a_b`` -> ``a b`` (a declared name is said by its label)."""
    return name.replace("_", " ")


def in_sentence(label: str) -> str:
    """A label as it stands inside a sentence: "Personlig assistans" -> "personlig assistans", "LSS" stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


@dataclass(frozen=True, slots=True)
class Names:
    """How sentences name the spec's fields and groups, per language (from ``label``/``short``/``label_en``)."""

    fields: dict[str, tuple[str, str]]  # name -> (Swedish, English)
    groups: dict[str, str]  # name -> Swedish ("insatserna enligt 9 § 2–10 LSS"); English lists members only
    kinds: dict[str, str]  # field name -> "flag", "enum", … (how a comparison with a number is said)
    params: dict[str, str]  # parameter name -> its label in a sentence (said where it has no value that year)

    def field(self, name: str, lang: Lang) -> str:
        said = self.fields.get(name)
        if said is None:
            return field_words(name)
        return said[0] if lang == "sv" else said[1]


def names_of(spec: m.Spec) -> Names:
    """The words for every field and group of ``spec``."""
    fields = {}
    kinds = {}
    for f in spec.fields:
        sv = in_sentence(f.short or f.label)
        fields[f.name] = (sv, in_sentence(f.label_en) if f.label_en else sv)
        kinds[f.name] = type(f.type).__name__.removesuffix("Type").lower()
    groups = {g.name: in_sentence(g.short or g.label) for g in spec.groups}
    params = {p.name: in_sentence(p.label) for p in spec.parameters}
    return Names(fields, groups, kinds, params)


@dataclass(frozen=True, slots=True)
class _Say:
    lang: Lang
    names: Names

    @property
    def sv(self) -> bool:
        return self.lang == "sv"


def join_words(items: list[str], lang: Lang, conj: str | None = None) -> str:
    word = conj or ("och" if lang == "sv" else "and")
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _is_age(e: m.Expr) -> bool:
    return isinstance(e, m.Age)


def _members(g: m.GroupRef, say: _Say, conj: str | None = None) -> str:
    return join_words([say.names.field(n, say.lang) for n in g.members], say.lang, conj)


def _group_words(g: m.GroupRef, say: _Say) -> str:
    """A group as a noun: its one member by name, else its label and members ("boendeinsatserna (A, B och C)")."""
    if len(g.members) == 1:
        return say.names.field(g.members[0], say.lang)
    if not g.members:
        return f"{g.name} (inga fält detta år)" if say.sv else f"{g.name} (no fields this year)"
    if say.sv:
        return f"{say.names.groups.get(g.name, field_words(g.name))} ({_members(g, say)})"
    return f"the flags {_members(g, say)}"


def _count_words(e: m.Count, op: m.CmpOp, n: int | None, say: _Say, negated: bool = False) -> str | None:
    """``count(g) >= 1`` -> "minst en av … har värdet 1"; None when no special phrasing fits."""
    if n is None:
        return None
    if negated:
        op = _NEGATE[op]
    g = e.arg
    if len(g.members) == 1:  # a list of one is the thing itself: "bostad för vuxna har värdet 1"
        one = say.names.field(g.members[0], say.lang)
        has, has_not = _HAS_VALUE[say.lang]
        if (op, n) in ((">=", 1), ("=", 1), (">", 0)):
            return f"{one} {has} 1"
        if (op, n) in (("=", 0), ("<", 1), ("<=", 0)):
            return f"{one} {has_not} 1"
        if (op, n) in (("<=", 1), ("<", 2), (">=", 0)):  # holds whenever the flag has a valid value
            return f"{one} {has} 0 {'eller' if say.sv else 'or'} 1"
        return None
    if say.sv:
        table = {
            (">=", 1): "minst en",
            ("<=", 1): "högst en",
            ("=", 0): "ingen",
            ("<", 1): "ingen",
            (">", 1): "mer än en",
            (">=", 2): "mer än en",
            ("=", 1): "exakt en",
            ("<=", 0): "ingen",
        }
        q = table.get((op, n))
        if q is not None:
            return f"{q} av {_group_words(g, say)} har värdet 1"
        return f"antalet av {_group_words(g, say)} som har värdet 1 {_OPS['sv'][op]} {n}"
    table = {
        (">=", 1): "at least one",
        ("<=", 1): "at most one",
        ("=", 0): "none",
        ("<", 1): "none",
        (">", 1): "more than one",
        (">=", 2): "more than one",
        ("=", 1): "exactly one",
        ("<=", 0): "none",
    }
    q = table.get((op, n))
    if q is not None:
        verb = "have" if q == "none" else "has"
        return f"{q} of {_members(g, say)} {verb} the value 1"
    return f"the number of {_members(g, say)} with the value 1 {_OPS['en'][op]} {n}"


def _age_words(op: str, right: str, say: _Say) -> str:
    q = _AGE_OPS[say.lang][op]
    if say.sv:
        return f"personen fyller {q + ' ' if q else ''}{right} år under referensåret"
    return f"the person turns {q + ' ' if q else ''}{right} in the reference year"


def _compare(e: m.Compare, say: _Say, negated: bool = False) -> str:
    op = e.op
    if _is_age(e.left):
        return _age_words(_NEGATE[op] if negated else op, _term(e.right, say), say)
    if isinstance(e.left, m.Count):
        special = _count_words(e.left, op, m.constant(e.right), say, negated)
        if special is not None:
            return special
    left = e.left
    if (
        isinstance(left, m.FieldRef)
        and isinstance(e.right, m.IntLit)
        and op in ("=", "!=")
        and say.names.kinds.get(left.name) in ("flag", "enum")
    ):
        has, has_not = _HAS_VALUE[say.lang]
        positive = (op == "=") != negated
        return f"{_term(left, say)} {has if positive else has_not} {e.right.value}"
    ops = _NEG_OPS if negated else _OPS
    return f"{_term(e.left, say)} {ops[say.lang][op]} {_term(e.right, say)}"


def _term(e: m.Expr, say: _Say) -> str:
    """A value (not a condition) in words."""
    match e:
        case m.IntLit(value=v):
            return str(v)
        case m.StrLit(value=v):
            return f'"{v}"'
        case m.FieldRef(name=n):
            return say.names.field(n, say.lang)
        case m.ParamRef(name=n, value=v):
            if v is not None:
                return str(v)
            said = say.names.params.get(n, field_words(n))
            if say.sv:
                return f"parametern ”{said}” (utan värde detta år)"
            return f"the parameter “{said}” (no value this year)"
        case m.GroupRef():
            return _group_words(e, say)
        case m.Age() | m.BirthYear() | m.Count():
            return _call_term(e, say)
        case m.Present() | m.ValidPersonnummer() | m.Deceased():
            return _condition_call(e, say, negated=False)
        case m.Arith(op=op, left=a, right=b):
            word = {"+": "plus", "-": "minus"}[op]
            return f"{_term(a, say)} {word} {_term(b, say)}"
        case m.Compare() | m.Between() | m.Member() | m.And() | m.Or() | m.Not():
            return _expr(e, say)
        case _:
            assert_never(e)


def _call_term(e: m.Age | m.BirthYear | m.Count, say: _Say) -> str:
    """A built-in function's value in words."""
    sv = say.sv
    match e:
        case m.Age():
            return (
                "personens ålder (referensåret minus födelseåret)"
                if sv
                else "the person's age (reference year minus birth year)"
            )
        case m.BirthYear():
            return "personens födelseår" if sv else "the person's birth year"
        case m.Count(arg=g):
            if sv:
                return f"antalet av {_group_words(g, say)} som har värdet 1"
            return f"the number of {_members(g, say)} with the value 1"
        case _:
            assert_never(e)


def _condition_call(e: m.Builtin, say: _Say, negated: bool) -> str:
    """A built-in function as a condition in words."""
    sv = say.sv
    match e:
        case m.Present(arg=ref):
            a = _term(ref, say)
            if sv:
                return f"{a} saknar värde" if negated else f"{a} har ett värde"
            return f"{a} is empty" if negated else f"{a} has a value"
        case m.ValidPersonnummer(arg=ref):
            a = _term(ref, say)
            if sv:
                what = (
                    "korrekt (verkligt datum, samordningsnummer med dag + 60, löpnummer skilt från 000, "
                    "rätt kontrollsiffra och födelsedatum senast på referensdagen)"
                )
                return f"{a} {'inte ' if negated else ''}är {what}"
            what = (
                "valid (a real date, coordination numbers with day + 60, serial number other than 000, "
                "correct check digit and born no later than the reference date)"
            )
            return f"{a} is {'not ' if negated else ''}{what}"
        case m.Deceased():
            if sv:
                return (
                    f"personen {'inte ' if negated else ''}finns i dödsregistret med ett dödsdatum "
                    "på eller före referensdagen"
                )
            return (
                f"the person is {'not ' if negated else ''}in the register of deaths with a date of death "
                "on or before the reference date"
            )
        case m.Age() | m.BirthYear() | m.Count():
            term = _call_term(e, say)
            if sv:
                return f"{term} {'inte ' if negated else ''}är sant"
            return f"{term} is {'not ' if negated else ''}true"
        case _:
            assert_never(e)


def _paren(e: m.Expr, say: _Say, parent: type) -> str:
    text = _expr(e, say)
    if isinstance(e, (m.And, m.Or)) and not isinstance(e, parent):
        return f"({text})"
    return text


def expr_words(expr: m.Expr, spec: m.Spec | Names, lang: str = "sv") -> str:
    """A condition in words, written to follow "det krävs att …" / "it is required that …"."""
    names = spec if isinstance(spec, Names) else names_of(spec)
    return _expr(expr, _Say(lang_of(lang), names))


def _expr(expr: m.Expr, say: _Say) -> str:
    sv, lg = say.sv, say.lang
    match expr:
        case m.Compare():
            return _compare(expr, say)
        case m.Between(value=v, low=lo, high=hi):
            low, high = _term(lo, say), _term(hi, say)
            if _is_age(v):
                if sv:
                    return (
                        f"personen fyller mellan {low} och {high} år under referensåret "
                        f"(från och med det år personen fyller {low} till och med det år personen fyller {high})"
                    )
                return (
                    f"the person turns between {low} and {high} in the reference year "
                    f"(from the year the person turns {low} through the year they turn {high})"
                )
            if sv:
                return f"{_term(v, say)} är från och med {low} till och med {high}"
            return f"{_term(v, say)} is from {low} through {high}"
        case m.Member(value=v, options=opts):
            vals = join_words([_term(o, say) for o in opts], lg, "eller" if sv else "or")
            if isinstance(v, m.FieldRef) and say.names.kinds.get(v.name) in ("flag", "enum"):
                return f"{_term(v, say)} {_HAS_VALUE[lg][0]} {vals}"
            return f"{_term(v, say)} {'är' if sv else 'is'} {vals}"
        case m.And(left=m.Present(arg=m.FieldRef(name=name)), right=m.Member(value=m.FieldRef(name=same)) as b) if (
            name == same
        ):
            # "personkrets har värdet 1 eller 2" says it has a value: `present(x) and x in {…}` said once
            return _expr(b, say)
        case m.And(left=m.Present(arg=m.FieldRef()) as a, right=b):
            # "personkrets har ett värde och är högst 5": the field named once
            first, then = _paren(a, say, m.And), _paren(b, say, m.And)
            subject = _term(a.arg, say) + " "
            if then.startswith(subject):
                then = then[len(subject) :]
            return f"{first} {'och' if sv else 'and'} {then}"
        case m.And(left=a, right=b):
            return f"{_paren(a, say, m.And)} {'och' if sv else 'and'} {_paren(b, say, m.And)}"
        case m.Or(left=a, right=b):
            return f"{_paren(a, say, m.Or)} {'eller' if sv else 'or'} {_paren(b, say, m.Or)}"
        case m.Not(operand=o):
            return _negated(o, say)
        case m.Age() | m.BirthYear() | m.Count() | m.Present() | m.ValidPersonnummer() | m.Deceased():
            return _condition_call(expr, say, negated=False)
        case m.IntLit() | m.StrLit() | m.FieldRef() | m.ParamRef() | m.GroupRef() | m.Arith():
            return f"{_term(expr, say)} {'är sant' if sv else 'is true'}"
        case _:
            assert_never(expr)


def _negated(e: m.Expr, say: _Say) -> str:
    sv = say.sv
    match e:
        case m.Compare():
            return _compare(e, say, negated=True)
        case m.Age() | m.BirthYear() | m.Count() | m.Present() | m.ValidPersonnummer() | m.Deceased():
            return _condition_call(e, say, negated=True)
        case m.Not(operand=o):
            return _expr(o, say)
        case m.Member(value=v, options=opts):
            vals = join_words([_term(o, say) for o in opts], say.lang, "eller" if sv else "or")
            if isinstance(v, m.FieldRef) and say.names.kinds.get(v.name) in ("flag", "enum"):
                return f"{_term(v, say)} {_HAS_VALUE[say.lang][1]} {vals}"
            return f"{_term(v, say)} {'inte är' if sv else 'is not'} {vals}"
        case m.And(left=a, right=b):
            if sv:
                return f"inte både {_paren(a, say, m.And)} och {_paren(b, say, m.And)}"
            return f"not both {_paren(a, say, m.And)} and {_paren(b, say, m.And)}"
        case m.Or(left=a, right=b):
            if sv:
                return f"varken {_paren(a, say, m.Or)} eller {_paren(b, say, m.Or)}"
            return f"neither {_paren(a, say, m.Or)} nor {_paren(b, say, m.Or)}"
        case _:
            return f"{'det inte gäller att' if sv else 'it is not the case that'} {_expr(e, say)}"


def _unique_words(u: m.Unique, scope: str, say: _Say) -> str:
    key = say.names.field(u.key, say.lang)
    sv = say.sv
    if u.each_flag_in is None:
        where = {
            "file": ("kommunens fil", "the municipality's file"),
            "national": ("alla kommuners filer tillsammans", "all municipalities' files together"),
        }
        place = where.get(scope, where["file"])[0 if sv else 1]
        if sv:
            return f"samma {key} förekommer bara en gång i {place}"
        return f"the same {key} occurs only once in {place}"
    g = u.each_flag_in
    if len(g.members) == 1:
        one = say.names.field(g.members[0], say.lang)
        if sv:
            return f"samma {key} inte har {one} med värdet 1 i mer än en kommuns fil"
        return f"the same {key} does not have {one} with the value 1 in more than one municipality's file"
    if sv:
        return (
            f"samma {key} inte har samma insats med värdet 1 i mer än en kommuns fil, "
            f"för var och en av {_group_words(g, say)}"
        )
    return (
        f"the same {key} does not have the same flag with the value 1 in more than one municipality's file, "
        f"for each of {_members(g, say)}"
    )


def condition_words(
    when: m.Expr | None,
    require: m.Expr | None,
    unique: m.Unique | None,
    scope: str,
    spec: m.Spec | Names,
    lang: str = "sv",
) -> str:
    """``when``/``require``/``unique`` of a rule as one sentence."""
    say = _Say(lang_of(lang), spec if isinstance(spec, Names) else names_of(spec))
    sv = say.sv
    parts = []
    if require is not None:
        parts.append(_expr(require, say))
    if unique is not None:
        parts.append(_unique_words(unique, scope, say))
    body = join_words(parts, say.lang) if parts else ("inget" if sv else "nothing")
    if when is not None:
        w = _expr(when, say)
        return f"På en rad där {w} krävs att {body}." if sv else f"On a line where {w}, it is required that {body}."
    return f"Det krävs att {body}." if sv else f"It is required that {body}."


def rule_words(ar: m.ActiveRule, spec: m.Spec | Names, lang: str = "sv") -> str:
    """The rule as it stands in its year: parameters resolved, groups narrowed to that year's fields."""
    return condition_words(ar.when, ar.require, ar.unique, ar.rule.scope, spec, lang)


def unique_words(u: m.Unique, scope: str, spec: m.Spec | Names, lang: str = "sv") -> str:
    """A ``unique`` condition as a clause ("samma personnummer förekommer bara en gång i kommunens fil")."""
    return _unique_words(u, scope, _Say(lang_of(lang), spec if isinstance(spec, Names) else names_of(spec)))
