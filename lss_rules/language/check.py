"""Whole-spec checks: year coverage, fields read where they are not collected,
conditions that can never hold.

These run after lowering (:mod:`lss_rules.language.lower`), on a :class:`~lss_rules.language.model.Spec`
whose names are resolved.  Each problem is a located diagnostic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Set
from typing import Any

from lss_rules.language import model as m
from lss_rules.language import truth
from lss_rules.language.diagnostics import Diagnostics


def check_spec(spec: m.Spec, diags: Diagnostics, safe_only: bool = False) -> None:
    """Run every whole-spec check, adding to ``diags``.

    With ``safe_only`` (other errors exist, so names may be unresolved) only the checks of
    dated values run: they read years, never names, and so are sound on any lowered spec.
    """
    first = spec.first_year
    reg = spec.register
    _coverage(reg.reference_date, first, "referensdagen", diags, reg.pos)
    _coverage(reg.deadline, first, "sista inlämningsdag", diags, reg.pos)
    items: tuple[m.Check | m.Rule, ...] = (*spec.checks, *spec.rules)
    for item in items:
        _coverage(item.severity, first, f"allvarlighetsgraden för {item.id}", diags, item.pos)
    flawed = _flawed_parameters(spec, diags)
    if safe_only:
        return
    _layouts(spec, diags)
    _structural_kinds(spec, diags)
    _parameters_where_used(spec, diags, skip=flawed)
    _fields_read_where_collected(spec, diags)
    _contradictions(spec, diags)
    _texts_for_users(spec, diags)


# ----------------------------------------------------------------- dated values and coverage


def _overlaps(dated: m.Dated[Any], what: str, diags: Diagnostics) -> None:
    """Entries that overlap, and holes between entries: root causes only.

    A backwards entry (``in 2027..2026``) is lowering's E010, and the holes around it follow from it: with
    one, only overlaps are reported here (it once gave an E006 "inget värde efter 2026" before the E010).
    A hole is a year no entry before it reaches, not only the one just before: an entry inside another
    (``in 2003..2004`` within ``in 2000..2005``) once made an E006 for 2005 beside the E005, its cause.
    """
    ordered = sorted(_forward(dated.entries), key=lambda e: (e.first, e.last is None))
    # with a backwards entry the holes are its consequence (the years it was meant to cover)
    holes = len(ordered) == len(dated.entries)
    reach: m.DatedEntry[Any] | None = None  # the entry, of those so far, that reaches the latest year
    end: m.DatedEntry[Any] | None = None  # the closed entry, of those so far, that ends the latest
    open_: m.DatedEntry[Any] | None = None  # a `from` entry not yet cut by a later start (model.Dated.spans)
    for b in ordered:
        a = reach
        if a is not None and (a.first == b.first or (a.last is not None and a.last >= b.first)):
            first, later = (a, b) if (a.pos.line, a.pos.column) <= (b.pos.line, b.pos.column) else (b, a)
            ends = [x for x in (a.last, b.last) if x is not None]
            both = _years_text(b.first, min(ends)) if ends else f"från {b.first}"
            diags.error(
                "E005",
                f"{what}: {_entry(first)} och {_entry(later)} gäller båda {both}",
                later.pos,
                f"ett år får bara ha ett värde; det andra värdet står på rad {first.pos.line}",
            )
        if open_ is not None and b.first > open_.first:
            open_ = None  # it holds until the year before b
        elif open_ is None and end is not None and end.last is not None and end.last + 1 < b.first and holes:
            diags.error(
                "E006",
                f"{what}: inget värde för {_years_text(end.last + 1, b.first - 1)}",
                b.pos,
                f"lägg till ett värde `from {end.last + 1}` eller ändra årtalen",
            )
        if b.last is None:
            open_ = b
        elif end is None or end.last is None or b.last > end.last:
            end = b
        if a is None or a.last is None or b.last is None or b.last > a.last:
            reach = b
    if holes and open_ is None and end is not None and end.last is not None:
        diags.error(
            "E006",
            f"{what}: inget värde efter {end.last}",
            end.pos,
            "det sista värdet ska gälla tills vidare: skriv `… from ÅR`",
        )


def _forward(entries: Iterable[m.DatedEntry[Any]]) -> list[m.DatedEntry[Any]]:
    """The entries whose range is not backwards (a backwards one is E010, reported where it is lowered)."""
    return [e for e in entries if e.last is None or e.last >= e.first]


def _years_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _entry(e: m.DatedEntry[Any]) -> str:
    value = e.value
    if e.last is None:
        return f"`{value} from {e.first}`"
    return f"`{value} in {e.first}..{e.last}`" if e.last != e.first else f"`{value} in {e.first}`"


def _coverage(dated: m.Dated[Any], first_year: int, what: str, diags: Diagnostics, pos: m.Pos) -> None:
    """A dated value that must hold in every year from the register's first year."""
    _overlaps(dated, what, diags)
    if not dated.entries:
        return
    start = min(e.first for e in dated.entries)
    if start > first_year and len(_forward(dated.entries)) == len(dated.entries):
        diags.error(
            "E006",
            f"{what}: inget värde för {_years_text(first_year, start - 1)}",
            dated.pos,
            f"registret börjar {first_year}; ange ett värde från {first_year} (`none` om inget gäller)",
        )
    elif start < first_year:
        diags.error("E010", f"{what}: {start} ligger före registrets första år {first_year}", dated.pos)


def _yearset_spans(ys: m.YearSet) -> list[tuple[int, int | None, m.Pos]]:
    return [(r.first, r.last, r.pos) for r in ys.ranges]


def _layouts(spec: m.Spec, diags: Diagnostics) -> None:
    spans = sorted(
        ((f, la, p, lay) for lay in spec.layouts for f, la, p in _yearset_spans(lay.years)), key=lambda s: s[0]
    )
    if not spans:
        diags.error("E009", "specifikationen saknar ett postformat (`layout`)", spec.register.pos)
        return
    if spans[0][0] > spec.first_year:
        diags.error("E006", f"inget postformat för {spec.first_year}–{spans[0][0] - 1}", spans[0][2])
    for (_f1, l1, _, a), (f2, l2, p2, b) in itertools.pairwise(spans):
        if l1 is None or l1 >= f2:
            ends = [x for x in (l1, l2) if x is not None]
            both = _years_text(f2, min(ends)) if ends else f"från {f2}"
            diags.error("E005", f"postformaten `{a.name}` och `{b.name}` gäller båda {both}", p2)
        elif l1 + 1 < f2:
            diags.error("E006", f"inget postformat för {l1 + 1}–{f2 - 1}", p2)
    if spans[-1][1] is not None:
        diags.error(
            "E006",
            f"inget postformat efter {spans[-1][1]}",
            spans[-1][2],
            "det sista postformatet ska gälla tills vidare: skriv `years ÅR..`",
        )
    in_layout = {n for lay in spec.layouts for n in lay.fields}
    for f in spec.fields:
        if f.name not in in_layout:
            diags.error(
                "E009",
                f"fältet `{f.name}` står inte i något postformat",
                f.pos,
                "lägg till det i `fields { … }` i `layout`",
            )


def _structural_kinds(spec: m.Spec, diags: Diagnostics) -> None:
    kinds = {c.kind for c in spec.checks}
    for kind in m.CHECK_KINDS:
        if kind not in kinds:
            diags.error(
                "E009",
                f"ingen strukturkontroll har `kind {kind}`",
                spec.register.pos,
                "varje strukturkontroll ska namnges med id och meddelande i specifikationen",
            )
    seen: dict[str, m.Check] = {}
    for c in spec.checks:
        if c.kind in seen:
            diags.error("E004", f"`kind {c.kind}` används av både {seen[c.kind].id} och {c.id}", c.pos)
        seen[c.kind] = c


# ----------------------------------------------------------------- years in which things are read


def _active_years(item: m.Check | m.Rule, years: Iterable[int]) -> list[int]:
    return [y for y in years if item.severity.at(y) in ("error", "warning")]


def _years(spec: m.Spec) -> range:
    return range(spec.first_year, spec.last_change_year + 1)


def _flawed_parameters(spec: m.Spec, diags: Diagnostics) -> set[str]:
    """Overlaps and holes in each parameter's values; the names of those that have one (or a backwards
    range): a rule's year without a value of theirs follows from that, and is not reported again."""
    flawed = set()
    for p in spec.parameters:
        before = len(diags)
        _overlaps(p.value, f"parametern {p.name}", diags)
        if len(diags) > before or len(_forward(p.value.entries)) < len(p.value.entries):
            flawed.add(p.name)
    return flawed


def _parameters_where_used(spec: m.Spec, diags: Diagnostics, skip: Set[str] = frozenset()) -> None:
    for r in spec.rules:
        refs = [n for e in (r.when, r.require) if e is not None for n in m.walk(e) if isinstance(n, m.ParamRef)]
        for ref in refs:
            if ref.name in skip:
                continue  # its own values have a hole or an overlap, reported where they are written
            try:
                param = spec.parameter(ref.name)
            except StopIteration:
                continue
            missing = [y for y in _active_years(r, _years(spec)) if param.value.at(y) is None]
            if missing:
                diags.error(
                    "E006",
                    f"parametern `{ref.name}` har inget värde {_span_text(missing)} då {r.id} gäller",
                    ref.pos,
                    f"ge parametern ett värde från {missing[0]} eller ändra regelns allvarlighetsgrad",
                )


def _span_text(years: list[int]) -> str:
    runs: list[list[int]] = []
    for y in years:
        if runs and runs[-1][-1] + 1 == y:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    return ("år " if len(years) == 1 else "åren ") + ", ".join(parts)


def _direct_fields(e: m.Expr | None) -> list[m.FieldRef]:
    return [n for n in m.walk(e) if isinstance(n, m.FieldRef)] if e is not None else []


def _fields_read_where_collected(spec: m.Spec, diags: Diagnostics) -> None:
    names = {f.name for f in spec.fields}
    years = _years(spec)
    for r in spec.rules:
        active = _active_years(r, years)
        refs = _direct_fields(r.when) + _direct_fields(r.require)
        if r.unique is not None and r.unique.key in names:
            refs.append(m.FieldRef(r.unique.key, pos=r.unique.pos))
        for ref in refs:
            if ref.name not in names:
                continue
            field = spec.field(ref.name)
            missing = [y for y in active if y not in field.collected]
            if missing:
                diags.error(
                    "E007",
                    f"{r.id} läser `{ref.name}` {_span_text(missing)}, då fältet inte samlas in",
                    ref.pos,
                    f"sätt regelns allvarlighetsgrad till `none` {_span_text(missing)}",
                )
    for f in spec.fields:
        refs = _direct_fields(f.required_when) + _direct_fields(f.empty_unless)
        if f.differs_from in names:
            refs.append(m.FieldRef(f.differs_from, pos=f.pos))
        for ref in refs:
            if ref.name not in names:
                continue
            other = spec.field(ref.name)
            missing = [y for y in years if y in f.collected and y not in other.collected]
            if missing:
                diags.error(
                    "E007",
                    f"villkoret för `{f.name}` läser `{ref.name}` {_span_text(missing)}, då det fältet inte samlas in",
                    ref.pos,
                )


# ----------------------------------------------------------------- conditions that can never hold


class _Interval:
    """The values a numeric term can take: an integer interval and optional finite set."""

    def __init__(self, low: float, high: float, values: frozenset[int] | None = None) -> None:
        self.low, self.high, self.values = low, high, values

    def meet(
        self, low: float = float("-inf"), high: float = float("inf"), values: frozenset[int] | None = None
    ) -> None:
        self.low, self.high = max(self.low, low), min(self.high, high)
        if values is not None:
            self.values = values if self.values is None else self.values & values

    def empty(self) -> bool:
        if self.low > self.high:
            return True
        if self.values is not None:
            return not any(self.low <= v <= self.high for v in self.values)
        return False

    def exclude(self, value: int) -> None:
        if self.values is not None:
            self.values = self.values - {value}
        elif self.low == self.high == value:
            self.low, self.high = 1.0, 0.0


def _domain(term: m.Expr, spec: m.Spec) -> _Interval | None:
    match term:
        case m.FieldRef(name=name):
            t = spec.field(name).type
            if isinstance(t, m.FlagType):
                return _Interval(0, 1, frozenset({0, 1}))
            if isinstance(t, m.EnumType):
                return _Interval(min(t.values), max(t.values), frozenset(t.values))
            if isinstance(t, m.CountType):
                return _Interval(0, float("inf"))
            return None
        case m.Count(arg=m.GroupRef(members=members)):
            return _Interval(0, len(members))
        case m.Age() | m.BirthYear():
            return _Interval(float("-inf"), float("inf"))
    return None


def _key(term: m.Expr) -> str:
    return repr(term)  # positions are excluded from repr, so equal terms share a key


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}


def _conjuncts(e: m.Expr) -> list[m.Expr]:
    if isinstance(e, m.And):
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def never_holds(e: m.Expr, spec: m.Spec) -> bool:
    """True when ``e`` can never be true: a conjunction of comparisons with constants is unsatisfiable.

    Simple range reasoning only, on where ``e`` is true (:func:`lss_rules.language.truth.is_true`: a
    `not` before a comparison becomes the opposite comparison; it does not look inside `or`):
    enough for `age(personnummer) < 12 and age(personnummer) > 23`, `not x <= 5 and x < 3` or a
    flag compared with both 0 and 1.
    """
    e = truth.is_true(e)
    intervals: dict[str, _Interval] = {}

    def constrain(term: m.Expr, op: str, c: int) -> None:
        dom = _domain(term, spec)
        if dom is None:
            return
        iv = intervals.setdefault(_key(term), dom)
        match op:
            case "=":
                iv.meet(c, c)
            case "<":
                iv.meet(high=c - 1)
            case "<=":
                iv.meet(high=c)
            case ">":
                iv.meet(low=c + 1)
            case ">=":
                iv.meet(low=c)
            case "!=":
                iv.exclude(c)

    for part in _conjuncts(e):
        match part:
            case m.Compare(op=op, left=a, right=b):
                if (c := m.constant(b)) is not None:
                    constrain(a, op, c)
                elif (c := m.constant(a)) is not None:
                    constrain(b, _FLIP[op], c)
            case m.Between(value=v, low=lo, high=hi):
                clo, chi = m.constant(lo), m.constant(hi)
                if clo is not None:
                    constrain(v, ">=", clo)
                if chi is not None:
                    constrain(v, "<=", chi)
                if clo is not None and chi is not None and clo > chi:
                    return True
            case m.Member(value=v, options=opts):
                ints = frozenset(o.value for o in opts if isinstance(o, m.IntLit))
                dom = _domain(v, spec)
                if dom is not None and ints:
                    intervals.setdefault(_key(v), dom).meet(values=ints)
    return any(iv.empty() for iv in intervals.values())


def _contradictions(spec: m.Spec, diags: Diagnostics) -> None:
    try:
        years = sorted({spec.first_year, *(y for p in spec.parameters for y in p.value.changes())})
        models = [spec.for_year(y) for y in years if y <= spec.last_change_year]
    except Exception:
        return
    for ym in models:
        for ar in ym.rules:
            for label, cond in (("villkoret `when`", ar.when), ("kravet `require`", ar.require)):
                if cond is not None and never_holds(cond, spec):
                    diags.error(
                        "E008",
                        f"{ar.id}: {label} kan aldrig vara sant",
                        cond.pos,
                        "jämför gränserna: de motsäger varandra eller fältets värdemängd",
                    )
            if (
                ar.when is not None
                and ar.require is not None
                and never_holds(m.And(ar.when, ar.require), spec)
                and not never_holds(ar.when, spec)
                and not never_holds(ar.require, spec)
            ):
                diags.error(
                    "E008",
                    f"{ar.id}: kravet kan aldrig uppfyllas när villkoret gäller "
                    "(regeln slår till på varje sådan rad där kravets värden finns)",
                    ar.require.pos,
                )
        for f in ym.fields:
            for label, cond in (("required when", f.required_when), ("empty unless", f.empty_unless)):
                if cond is not None and never_holds(cond, spec):
                    diags.error("E008", f"`{label}` för `{f.name}` kan aldrig vara sant", cond.pos)


# ----------------------------------------------------------------- the texts users read


_IDENTIFIER = re.compile(r"[a-z0-9_]*_[a-z0-9_]*")


_LABEL_HINT = {
    "fältet": 'skriv fältets namn som det står på blanketten, med å, ä och ö, `label "Avlösarservice i hemmet"`',
    "gruppen": 'skriv gruppens namn som det står på blanketten, med å, ä och ö, `label "Avlösarservice i hemmet"`',
    "parametern": 'skriv vad parametern är i ord, med å, ä och ö, `label "Högsta antal timmar per månad"`',
}


def _texts_for_users(spec: m.Spec, diags: Diagnostics) -> None:
    """E015: every rule and check says how to put a finding right (``fix``), and every field, group and
    parameter has a label that is words, not its name: reports, explain and the docs build sentences from them."""
    items: tuple[m.Check | m.Rule, ...] = (*spec.checks, *spec.rules)
    for item in items:
        if not (item.fix or "").strip():
            what = "kontrollen" if isinstance(item, m.Check) else "regeln"
            diags.error(
                "E015",
                f"{what} `{item.id}` saknar `fix` (Så rättar du)",
                item.pos,
                'lägg till en rad `fix "…"` som säger vad kommunen gör för att rätta posten, '
                't.ex. `fix "Rätta timmarna så att de är högst {parameter} per månad."`',
            )
    named: tuple[m.Field | m.Group | m.Parameter, ...] = (*spec.fields, *spec.groups, *spec.parameters)
    for x in named:
        what = "fältet" if isinstance(x, m.Field) else "gruppen" if isinstance(x, m.Group) else "parametern"
        # a parameter has no short form: the history table and explain say it by its label
        short = None if isinstance(x, m.Parameter) else x.short
        for prop, text in (("label", x.label), ("short", short)):
            # an identifier where words belong ("daglig_verksamhet"); a one-word label may be the name itself
            if text is not None and (not text.strip() or _IDENTIFIER.fullmatch(text.strip())):
                diags.error(
                    "E015",
                    f'{what} `{x.name}` har `{prop} "{text}"`: en etikett ska vara ord, inte namnet',
                    x.pos,
                    _LABEL_HINT[what],
                )
