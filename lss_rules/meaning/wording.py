"""Conditions, rules and structural checks in words, Swedish (default) or English.

The model says *what* a rule checks; this module says it the way a statistician
would read it, with the year's parameters filled in and groups listed by their
members that year.  Used by ``lss-rules explain``, the docs site and ``diff``.

>>> from lss_rules.language.load import load_spec
>>> ym = load_spec().for_year(2021)
>>> rule_words(next(r for r in ym.rules if r.id == "LSS-R21"))
'Det krävs att personlig assistans timmar är högst 744.'
"""

from __future__ import annotations

import dataclasses
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
# the age phrasing: "personen fyller minst 17 år under referensåret"
_AGE_OPS: dict[str, dict[str, str]] = {
    "sv": {"=": "", "!=": "inte", "<": "under", "<=": "högst", ">": "över", ">=": "minst"},
    "en": {"=": "", "!=": "not", "<": "less than", "<=": "at most", ">": "more than", ">=": "at least"},
}
_NEGATE: dict[str, m.CmpOp] = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _lang(lang: str) -> Lang:
    if lang not in LANGS:
        raise ValueError(f"okänt språk {lang!r}: välj sv eller en")
    return "en" if lang == "en" else "sv"


def field_words(name: str) -> str:
    """A field name as words: ``personlig_assistans_timmar`` -> ``personlig assistans timmar``."""
    return name.replace("_", " ")


def _join(items: list[str], lang: Lang, conj: str | None = None) -> str:
    word = conj or ("och" if lang == "sv" else "and")
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _is_age(e: m.Expr) -> bool:
    return isinstance(e, m.Age)


def _group_words(g: m.GroupRef, lang: Lang) -> str:
    members = [field_words(n) for n in g.members]
    if not members:
        return f"{g.name} (inga fält detta år)" if lang == "sv" else f"{g.name} (no fields this year)"
    return f"{g.name} ({_join(members, lang)})"


def _count_words(e: m.Count, op: str, n: int | None, lang: Lang, negated: bool = False) -> str | None:
    """``count(g) >= 1`` -> "minst en av ... är markerad med 1"; None when no special phrasing fits."""
    arg = e.arg
    if n is None:
        return None
    if negated:
        op = _NEGATE[op]
    g = _group_words(arg, lang)
    if lang == "sv":
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
            return f"{q} av insatserna i {g} är markerad med 1"
        return f"antalet markeringar med 1 i {g} {_OPS['sv'][op]} {n}"
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
        verb = "are" if q == "none" else "is"
        return f"{q} of the flags in {g} {verb} set to 1"
    return f"the number of flags set to 1 in {g} {_OPS['en'][op]} {n}"


def _age_words(op: str, right: str, lang: Lang) -> str:
    q = _AGE_OPS[lang][op]
    if lang == "sv":
        return f"personen fyller {q + ' ' if q else ''}{right} år under referensåret"
    return f"the person turns {q + ' ' if q else ''}{right} in the reference year"


def _compare(e: m.Compare, lang: Lang, negated: bool = False) -> str:
    op = e.op
    if _is_age(e.left) and not negated:
        return _age_words(op, _term(e.right, lang), lang)
    if _is_age(e.left) and negated:
        return _age_words(_NEGATE[op], _term(e.right, lang), lang)
    if isinstance(e.left, m.Count):
        special = _count_words(e.left, op, m.constant(e.right), lang, negated)
        if special is not None:
            return special
    ops = _NEG_OPS if negated else _OPS
    return f"{_term(e.left, lang)} {ops[lang][op]} {_term(e.right, lang)}"


def _term(e: m.Expr, lang: Lang) -> str:
    """A value (not a condition) in words."""
    match e:
        case m.IntLit(value=v):
            return str(v)
        case m.StrLit(value=v):
            return f'"{v}"'
        case m.FieldRef(name=n):
            return field_words(n)
        case m.ParamRef(name=n, value=v):
            if v is not None:
                return str(v)
            return f"{n} (inget värde detta år)" if lang == "sv" else f"{n} (no value this year)"
        case m.GroupRef():
            return _group_words(e, lang)
        case m.Age() | m.BirthYear() | m.Count():
            return _call_term(e, lang)
        case m.Present() | m.ValidPersonnummer() | m.Deceased():
            return _condition_call(e, lang, negated=False)
        case m.Arith(op=op, left=a, right=b):
            word = {"+": "plus", "-": "minus"}[op]
            return f"{_term(a, lang)} {word} {_term(b, lang)}"
        case m.Compare() | m.Between() | m.Member() | m.And() | m.Or() | m.Not():
            return expr_words(e, lang)
        case _:
            assert_never(e)


def _call_term(e: m.Age | m.BirthYear | m.Count, lang: Lang) -> str:
    """A built-in function's value in words."""
    sv = lang == "sv"
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
            a = _term(g, lang)
            return f"antalet markeringar med 1 i {a}" if sv else f"the number of flags set to 1 in {a}"
        case _:
            assert_never(e)


def _condition_call(e: m.Builtin, lang: Lang, negated: bool) -> str:
    """A built-in function as a condition in words."""
    sv = lang == "sv"
    match e:
        case m.Present(arg=ref):
            a = _term(ref, lang)
            if sv:
                return f"{a} saknar värde" if negated else f"{a} har ett värde"
            return f"{a} is empty" if negated else f"{a} has a value"
        case m.ValidPersonnummer(arg=ref):
            a = _term(ref, lang)
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
            term = _call_term(e, lang)
            if sv:
                return f"{term} {'inte ' if negated else ''}är sant"
            return f"{term} is {'not ' if negated else ''}true"
        case _:
            assert_never(e)


def _paren(e: m.Expr, lang: Lang, parent: type) -> str:
    text = expr_words(e, lang)
    if isinstance(e, (m.And, m.Or)) and not isinstance(e, parent):
        return f"({text})"
    return text


def expr_words(expr: m.Expr, lang: str = "sv") -> str:
    """A condition in words, written to follow "det krävs att …" / "it is required that …"."""
    lg = _lang(lang)
    sv = lg == "sv"
    match expr:
        case m.Compare():
            return _compare(expr, lg)
        case m.Between(value=v, low=lo, high=hi):
            if _is_age(v):
                if sv:
                    return (
                        f"personen fyller mellan {_term(lo, lg)} och {_term(hi, lg)} år under referensåret "
                        f"(från och med det år personen fyller {_term(lo, lg)} till och med det år personen "
                        f"fyller {_term(hi, lg)})"
                    )
                return (
                    f"the person turns between {_term(lo, lg)} and {_term(hi, lg)} in the reference year "
                    f"(from the year the person turns {_term(lo, lg)} through the year they turn "
                    f"{_term(hi, lg)})"
                )
            if sv:
                return f"{_term(v, lg)} är från och med {_term(lo, lg)} till och med {_term(hi, lg)}"
            return f"{_term(v, lg)} is from {_term(lo, lg)} through {_term(hi, lg)}"
        case m.Member(value=v, options=opts):
            vals = [_term(o, lg) for o in opts]
            return f"{_term(v, lg)} {'är' if sv else 'is'} {_join(vals, lg, 'eller' if sv else 'or')}"
        case m.And(left=m.Present(arg=m.FieldRef(name=name)) as a, right=b):
            # "personkrets har ett värde och är 1 eller 2": the field named once
            first, then = _paren(a, lg, m.And), _paren(b, lg, m.And)
            subject = field_words(name) + " "
            if then.startswith(subject):
                then = then[len(subject) :]
            return f"{first} {'och' if sv else 'and'} {then}"
        case m.And(left=a, right=b):
            return f"{_paren(a, lg, m.And)} {'och' if sv else 'and'} {_paren(b, lg, m.And)}"
        case m.Or(left=a, right=b):
            return f"{_paren(a, lg, m.Or)} {'eller' if sv else 'or'} {_paren(b, lg, m.Or)}"
        case m.Not(operand=o):
            return _negated(o, lg)
        case m.Age() | m.BirthYear() | m.Count() | m.Present() | m.ValidPersonnummer() | m.Deceased():
            return _condition_call(expr, lg, negated=False)
        case m.IntLit() | m.StrLit() | m.FieldRef() | m.ParamRef() | m.GroupRef() | m.Arith():
            return f"{_term(expr, lg)} {'är sant' if sv else 'is true'}"
        case _:
            assert_never(expr)


def _negated(e: m.Expr, lang: Lang) -> str:
    sv = lang == "sv"
    match e:
        case m.Compare():
            return _compare(e, lang, negated=True)
        case m.Age() | m.BirthYear() | m.Count() | m.Present() | m.ValidPersonnummer() | m.Deceased():
            return _condition_call(e, lang, negated=True)
        case m.Not(operand=o):
            return expr_words(o, lang)
        case m.Member(value=v, options=opts):
            vals = [_term(o, lang) for o in opts]
            return f"{_term(v, lang)} {'inte är' if sv else 'is not'} {_join(vals, lang, 'eller' if sv else 'or')}"
        case m.And(left=a, right=b):
            if sv:
                return f"inte både {_paren(a, lang, m.And)} och {_paren(b, lang, m.And)}"
            return f"not both {_paren(a, lang, m.And)} and {_paren(b, lang, m.And)}"
        case m.Or(left=a, right=b):
            if sv:
                return f"varken {_paren(a, lang, m.Or)} eller {_paren(b, lang, m.Or)}"
            return f"neither {_paren(a, lang, m.Or)} nor {_paren(b, lang, m.Or)}"
        case _:
            return f"{'det inte gäller att' if sv else 'it is not the case that'} {expr_words(e, lang)}"


def _unique_words(u: m.Unique, scope: str, lang: Lang) -> str:
    key = field_words(u.key)
    sv = lang == "sv"
    if u.each_flag_in is None:
        where = {
            "file": ("kommunens fil", "the municipality's file"),
            "national": ("alla kommuners filer tillsammans", "all municipalities' files together"),
        }
        place = where.get(scope, where["file"])[0 if sv else 1]
        if sv:
            return f"samma {key} förekommer bara en gång i {place}"
        return f"the same {key} occurs only once in {place}"
    g = _group_words(u.each_flag_in, lang)
    if sv:
        return (
            f"samma {key} inte har samma insats markerad med 1 i mer än en kommuns fil, "
            f"för var och en av insatserna i {g}"
        )
    return (
        f"the same {key} does not have the same insats set to 1 in more than one municipality's file, "
        f"for each insats in {g}"
    )


def condition_words(
    when: m.Expr | None, require: m.Expr | None, unique: m.Unique | None, scope: str, lang: str = "sv"
) -> str:
    """``when``/``require``/``unique`` of a rule as one sentence."""
    lg = _lang(lang)
    sv = lg == "sv"
    parts = []
    if require is not None:
        parts.append(expr_words(require, lg))
    if unique is not None:
        parts.append(_unique_words(unique, scope, lg))
    body = _join(parts, lg) if parts else ("inget" if sv else "nothing")
    if when is not None:
        w = expr_words(when, lg)
        return f"På en rad där {w} krävs att {body}." if sv else f"On a line where {w}, it is required that {body}."
    return f"Det krävs att {body}." if sv else f"It is required that {body}."


def rule_words(ar: m.ActiveRule, lang: str = "sv") -> str:
    """The rule as it stands in its year: parameters resolved, groups narrowed to that year's fields."""
    return condition_words(ar.when, ar.require, ar.unique, ar.rule.scope, lang)


# ----------------------------------------------------------------- structural checks


def _form(f: m.Field, lang: Lang) -> str:
    sv = lang == "sv"
    t = f.type
    match t:
        case m.MunicipalityType():
            return (
                "fyra siffror, en kommunkod som gäller det året"
                if sv
                else "four digits, a municipality code valid that year"
            )
        case m.PersonnummerType():
            return "tolv siffror (ååååmmddnnnc)" if sv else "twelve digits (yyyymmddnnnc)"
        case m.FlagType():
            return "0 eller 1" if sv else "0 or 1"
        case m.CountType():
            return (
                "ett heltal större än eller lika med 0, utan tecken och decimaler"
                if sv
                else "a whole number 0 or greater, without sign or decimals"
            )
        case m.EnumType():
            return _join([str(v) for v in t.values], lang, "eller" if sv else "or")
        case _:
            assert_never(t)


def form_words(f: m.Field, lang: str = "sv") -> str:
    """The form a non-empty value of ``f`` must have, e.g. "0 eller 1" (what LSS-S02 checks)."""
    return _form(f, _lang(lang))


def check_words(ac: m.ActiveCheck, ym: m.YearModel, lang: str = "sv") -> str:
    """A structural check (LSS-S01–S05) in words, from the year's layout and field types."""
    lg = _lang(lang)
    sv = lg == "sv"
    kind = ac.check.kind
    fields = ym.fields
    sep = ym.layout.separator
    match kind:
        case "field_count":
            names = ", ".join(f.name for f in fields)
            if sv:
                return (
                    f'Varje rad ska ha exakt {len(fields)} fält åtskilda med "{sep}": {names}. '
                    "En rad med fel antal fält får inga andra fynd."
                )
            return (
                f'Every line must have exactly {len(fields)} fields separated by "{sep}": {names}. '
                "A line with the wrong number of fields gets no other finding."
            )
        case "value_form":
            items = [f"{f.name}: {_form(f, lg)}" for f in fields]
            head = (
                "Ett värde som inte är tomt ska ha fältets form: "
                if sv
                else "A value that is not empty must have the field's form: "
            )
            return head + "; ".join(items) + "."
        case "required_value":
            always = [f.name for f in fields if f.always_required]
            parts = [("Alltid ifyllda: " if sv else "Always filled in: ") + (", ".join(always) or "-")]
            for f in fields:
                if f.required_when is not None:
                    w = expr_words(f.required_when, lg)
                    parts.append(f"{f.name} när {w}" if sv else f"{f.name} when {w}")
            return "; ".join(parts) + "."
        case "empty_value":
            parts = []
            for f in fields:
                if f.empty_unless is not None:
                    w = expr_words(f.empty_unless, lg)
                    parts.append(f"{f.name} ska vara tomt om inte {w}" if sv else f"{f.name} must be empty unless {w}")
                if f.differs_from is not None:
                    parts.append(
                        f"{f.name} får inte vara lika med {f.differs_from}"
                        if sv
                        else f"{f.name} must not equal {f.differs_from}"
                    )
            if not parts:
                return (
                    "Inget fält har krav på att vara tomt detta år."
                    if sv
                    else "No field is required to be empty this year."
                )
            return "; ".join(parts) + "."
        case "empty_file":
            return "Filen ska innehålla minst en post." if sv else "The file must hold at least one record."
        case _:
            assert_never(kind)


# ----------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class HistorySpan:
    """Consecutive years in which a rule or check has the same severity, parameters and condition."""

    first: int
    last: int | None  # None: open end, the state of the last change holds on
    severity: str
    params: tuple[tuple[str, int | None], ...]
    condition: str


def _params_used(item: m.Check | m.Rule) -> tuple[str, ...]:
    if isinstance(item, m.Check):
        return ()
    names: list[str] = []
    for e in (item.when, item.require):
        if e is None:
            continue
        for node in m.walk(e):
            if isinstance(node, m.ParamRef) and node.name not in names:
                names.append(node.name)
    return tuple(names)


def item_words(spec: m.Spec, ident: str, year: int, lang: str = "sv") -> str:
    """The condition of a rule or check in ``year``, whatever its severity that year."""
    from lss_rules.language.for_year import narrow, narrow_opt

    item = spec.item(ident)
    if isinstance(item, m.Check):
        ym = spec.for_year(year)
        return check_words(m.ActiveCheck(item, "error"), ym, lang)
    unique = item.unique
    if unique is not None and unique.each_flag_in is not None:
        g = narrow(unique.each_flag_in, year, spec)
        assert isinstance(g, m.GroupRef)
        unique = dataclasses.replace(unique, each_flag_in=g)
    return condition_words(
        narrow_opt(item.when, year, spec), narrow_opt(item.require, year, spec), unique, item.scope, lang
    )


def history(spec: m.Spec, ident: str, lang: str = "sv") -> list[HistorySpan]:
    """How a rule or check changed over the years, consecutive identical years merged; KeyError if unknown."""
    if ident not in spec.ids:
        raise KeyError(ident)
    item = spec.item(ident)
    params = _params_used(item)
    last_year = spec.last_change_year
    spans: list[HistorySpan] = []
    for year in range(spec.first_year, last_year + 1):
        sev = item.severity.at(year) or "none"
        values = tuple((p, spec.parameter(p).value.at(year)) for p in params)
        cond = item_words(spec, ident, year, lang)
        prev = spans[-1] if spans else None
        if prev is not None and (prev.severity, prev.params, prev.condition) == (sev, values, cond):
            spans[-1] = dataclasses.replace(prev, last=year)
        else:
            spans.append(HistorySpan(year, year, sev, values, cond))
    if spans:
        spans[-1] = dataclasses.replace(spans[-1], last=None)
    return spans
